//! `ack(input, options)`: an acknowledgment for every message, in the character set of the
//! message it answers.

use wasm_bindgen::prelude::*;

use crate::failure::{Failure, Unreadable, check_file};
use crate::input::{Input, utf8};
use crate::options::{AckOptions, limits_of, options_of};

/// `ack(text, { code, controlId, timestamp })`: an acknowledgment for every message of `text`,
/// CR-terminated. With no `code`, validation decides (AA, AE or AR) and its errors
/// become ERR segments.
#[wasm_bindgen(js_name = ackAll)]
pub fn ack_all(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "AckOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let acks = acks_of(&input, options_of("ack", options)?)?;
    Ok(match input {
        Input::Text(_) => acks
            .into_iter()
            .map(|ack| JsValue::from_str(&utf8(ack)))
            .collect::<js_sys::Array>(),
        Input::Bytes(_) => acks
            .into_iter()
            .map(|ack| JsValue::from(js_sys::Uint8Array::from(ack.as_slice())))
            .collect::<js_sys::Array>(),
    }
    .into())
}

/// An acknowledgment for every message of `input`, as bytes: UTF-8 for a string; for bytes, in
/// the character set of the message it answers (its MSH-18, which it keeps).
///
/// # Errors
/// See [`check_file`]; a code that is not an acknowledgment code.
pub fn acks_of(input: &Input, options: AckOptions) -> Result<Vec<Vec<u8>>, Failure> {
    let AckOptions {
        code,
        control_id,
        timestamp,
        limits,
    } = options;
    let timestamp = timestamp.as_str();
    let file = input.file(limits_of(limits));
    check_file(&file, Unreadable::Refuse)?;
    let fixed = code
        .as_deref()
        .map(str::parse::<pipehat::AckCode>)
        .transpose()
        .map_err(|_| {
            Failure::new(
                "options",
                format!(
                    "ack: option 'code' must be an acknowledgment code ('AA', 'AE', 'AR', 'CA', \
                     'CE' or 'CR'), not '{}'",
                    code.as_deref().unwrap_or_default()
                ),
            )
        })?;
    let mut acks = Vec::with_capacity(file.messages().len());
    // Validated as one file (one line index), only when the findings decide.
    let mut reports = match fixed {
        Some(_) => Vec::new(),
        None => pipehat_validate::Validator::new()
            .validate_file(&file, &pipehat_validate::Options::default()),
    }
    .into_iter();
    for (i, message) in file.messages().iter().enumerate() {
        let id = if file.messages().len() > 1 {
            format!("{control_id}-{}", i + 1)
        } else {
            control_id.to_string()
        };
        let ack = match fixed {
            Some(code) => pipehat::Acknowledgment::new(code, id, timestamp),
            None => {
                let report = reports.next().unwrap_or_else(|| {
                    pipehat_validate::validate(message, &pipehat_validate::Options::default())
                });
                let mut ack = pipehat::Acknowledgment::new(report.ack_code(), id, timestamp);
                for error in report.ack_errors() {
                    ack = ack.error(error);
                }
                ack
            }
        };
        // In the message's own character set: the core writes its text (MSA-3, ERR-7) so.
        acks.push(ack.build(message));
    }
    Ok(acks)
}
