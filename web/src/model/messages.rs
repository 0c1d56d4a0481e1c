//! The message list's data: every message of a file with what tells them apart (type, control
//! id, patient), and their error counts, checked a step at a time.

use pipehat::{File, Message, Path};
use pipehat_validate::{Options, Severity};

/// One message of a file, as the message list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageRow {
    /// Its position in the file, from 0.
    pub index: usize,
    /// MSH-9, e.g. `ADT^A01`.
    pub kind: String,
    /// MSH-10.
    pub control_id: String,
    /// The patient's name (PID-5, first repetition), e.g. `EVERYMAN, ADAM`.
    pub patient: String,
    /// How many validation errors it has, once checked.
    pub errors: Option<usize>,
    /// Where it is in the file: `[start, end)` in bytes.
    pub span: (usize, usize),
}

/// Every message of `file`, with what tells them apart (validation comes separately, in steps:
/// see [`error_counts`]).
pub fn message_rows(file: &File<'_>) -> Vec<MessageRow> {
    let path = |id: &str, levels: &[usize]| Path::new(id, 1, levels).expect("a fixed path");
    let [family, given, kind, trigger, control_id] = [
        path("PID", &[5, 1, 1]),
        path("PID", &[5, 1, 2]),
        path("MSH", &[9, 1, 1]),
        path("MSH", &[9, 1, 2]),
        path("MSH", &[10]),
    ];
    let value = |message: &Message<'_>, path: &Path| {
        message
            .get(path)
            .map(|e| e.text().into_owned())
            .unwrap_or_default()
    };
    file.messages()
        .iter()
        .enumerate()
        .map(|(index, message)| {
            let family = value(message, &family);
            let given = value(message, &given);
            MessageRow {
                index,
                kind: value(message, &kind)
                    + &Some(value(message, &trigger))
                        .filter(|t| !t.is_empty())
                        .map(|t| format!("^{t}"))
                        .unwrap_or_default(),
                control_id: value(message, &control_id),
                patient: match (family.is_empty(), given.is_empty()) {
                    (true, _) => String::new(),
                    (false, true) => family,
                    (false, false) => format!("{family}, {given}"),
                },
                errors: None,
                span: (message.span().start, message.span().end),
            }
        })
        .collect()
}

/// The error counts of messages `from..to` of `file`, validated with `validator` against the
/// file's line index: a step of the background check of a big file.
pub fn error_counts(
    file: &File<'_>,
    lines: &pipehat::position::LineIndex<'_>,
    validator: &mut pipehat_validate::Validator,
    from: usize,
    to: usize,
) -> Vec<usize> {
    file.messages()
        .get(from..to.min(file.messages().len()))
        .unwrap_or_default()
        .iter()
        .map(|message| {
            validator
                .validate_in(message, &Options::default(), lines)
                .with_severity(Severity::Error)
                .count()
        })
        .collect()
}
