//! `diff(a, b, { same })`: two inputs compared message by message, value by value
//! ([`pipehat::diff`]).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::failure::{Failure, Unreadable, check_file};
use crate::input::Input;
use crate::options::{ParseOptions, limits_of, options_of};
use crate::to_js;

/// One place either message has a value at, as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffRowInfo {
    /// The place: `PID-5.1`, `OBX[2]-5`.
    pub path: String,
    /// `same`, `changed`, `only-a` or `only-b`.
    pub status: &'static str,
    /// A's value (decoded, `""` for the HL7 null), absent where A has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    /// B's value, absent where B has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
}

/// One pair of messages compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageDiffInfo {
    /// Which message of each input, from 1.
    pub message: usize,
    /// How many places differ.
    pub differences: usize,
    /// The places that differ (all of them with `same`), in message order.
    pub rows: Vec<DiffRowInfo>,
}

/// Two inputs compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffInfo {
    /// How many places differ, over every message.
    pub differences: usize,
    /// Message 1 of A with message 1 of B, and so on; a message only one input has is compared
    /// with nothing.
    pub messages: Vec<MessageDiffInfo>,
}

/// Compares `a` and `b` message by message, read with `limits`; `same` keeps the rows that do
/// not differ.
///
/// # Errors
/// Either input with no readable message, or one that cannot be read, or reading stopped by a
/// limit (see [`check_file`]).
pub fn diff_inputs(
    a: &Input,
    b: &Input,
    same: bool,
    limits: pipehat::Limits,
) -> Result<DiffInfo, Failure> {
    let (a, b) = (a.file(limits), b.file(limits));
    for (side, file) in [("A", &a), ("B", &b)] {
        check_file(file, Unreadable::Refuse).map_err(|e| Failure {
            message: format!("{side}: {}", e.message),
            ..e
        })?;
    }
    let count = a.messages().len().max(b.messages().len());
    let mut messages = Vec::with_capacity(count);
    for i in 0..count {
        let compared = pipehat::diff::diff_sides(a.messages().get(i), b.messages().get(i));
        let rows = compared
            .rows
            .iter()
            .filter(|row| same || row.status != pipehat::diff::Status::Same)
            .map(|row| DiffRowInfo {
                path: row.place(),
                status: row.status.as_str(),
                a: row.a_text().map(Into::into),
                b: row.b_text().map(Into::into),
            })
            .collect();
        messages.push(MessageDiffInfo {
            message: i + 1,
            differences: compared.differences,
            rows,
        });
    }
    Ok(DiffInfo {
        differences: messages.iter().map(|m| m.differences).sum(),
        messages,
    })
}

/// `diff(a, b, { same, limits })`: input A (the `len` bytes JavaScript wrote into the input
/// buffer, text when `text`) compared with B (`b_text` for a string, else `b_bytes`), message by
/// message; `core.js` passes `same` apart and the limits as `options`.
#[wasm_bindgen(unchecked_return_type = "Diff")]
pub fn diff(
    len: usize,
    text: bool,
    b_text: Option<String>,
    b_bytes: Option<Vec<u8>>,
    same: bool,
    #[wasm_bindgen(unchecked_param_type = "{ limits?: Limits } | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let a = Input::take(len, text);
    let b = match (b_text, b_bytes) {
        (Some(text), _) => Input::Text(text),
        (None, bytes) => Input::Bytes(bytes.unwrap_or_default()),
    };
    let options: ParseOptions = options_of("diff", options)?;
    to_js(&diff_inputs(&a, &b, same, limits_of(options.limits))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_compared_in_pairs_and_a_side_may_run_out() {
        let a = Input::Text("MSH|^~\\&|A\rPID|1||7||DOE\rMSH|^~\\&|A\rPID|2\r".to_owned());
        let b = Input::Text("MSH|^~\\&|A\rPID|1||7||ROE\r".to_owned());
        let limits = pipehat::Limits::default();
        let compared = diff_inputs(&a, &b, false, limits).unwrap();
        assert_eq!(compared.messages.len(), 2);
        assert_eq!(
            compared.messages[0].rows,
            [DiffRowInfo {
                path: "PID-5".to_owned(),
                status: "changed",
                a: Some("DOE".to_owned()),
                b: Some("ROE".to_owned()),
            }]
        );
        assert!(
            compared.messages[1]
                .rows
                .iter()
                .all(|r| r.status == "only-a")
        );
        assert_eq!(compared.differences, 1 + compared.messages[1].differences);
        assert!(
            diff_inputs(&a, &b, true, limits).unwrap().messages[0]
                .rows
                .len()
                > 1
        );
        let broken = Input::Text("MSH\rPID|1\r".to_owned());
        let failure = diff_inputs(&a, &broken, false, limits).unwrap_err();
        assert!(
            failure
                .message
                .starts_with("B: line 1: no readable message"),
            "{failure}"
        );
    }
}
