//! Errors on their way to JavaScript: [`Failure`] (a code, a place, words), the coded
//! `JsError`s `core.js` turns into `PipehatError`s, and [`check_file`], which decides whether a
//! parsed file is one a function can work on and says why not (empty, blank, what the input
//! starts with, the line that cannot be read, the limit that stopped reading).

use wasm_bindgen::prelude::*;

/// An error on its way to JavaScript: a code (`PipehatError.code`), where in the input (a byte
/// offset) if it has a place, and what is wrong. Plain Rust, so the checks are tested natively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `input`, `options`, `version`, `profile`…
    pub code: &'static str,
    /// Byte offset into the input.
    pub offset: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

impl Failure {
    /// A failure without a place.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            offset: None,
            message: message.into(),
        }
    }

    /// A failure at `offset` in the input.
    pub fn at(code: &'static str, offset: usize, message: impl Into<String>) -> Self {
        Failure {
            code,
            offset: Some(offset),
            message: message.into(),
        }
    }
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Failure> for JsError {
    fn from(failure: Failure) -> JsError {
        match failure.offset {
            Some(offset) => fail_at(failure.code, offset, &failure.message),
            None => fail(failure.code, &failure.message),
        }
    }
}

/// What `input` starts with, for an error message: printable characters as they are; quotes,
/// backslashes, controls, invisible and formatting characters (see `invisible`) and bytes that
/// are not UTF-8 escaped; at most 24 characters.
///
/// ```
/// assert_eq!(pipehat_wasm::show_start(b"\x00\x13ab\"c\r\xFC"), r#"\x00\x13ab\"c\r\xfc"#);
/// ```
#[must_use]
pub fn show_start(input: &[u8]) -> String {
    use core::fmt::Write;
    const SHOWN: usize = 24;
    let mut out = String::new();
    let mut count = 0;
    let mut cut = false;
    'chunks: for chunk in input.utf8_chunks() {
        for c in chunk.valid().chars() {
            if count == SHOWN {
                cut = true;
                break 'chunks;
            }
            count += 1;
            let _ = match c {
                '"' => write!(out, "\\\""),
                '\\' => write!(out, "\\\\"),
                '\r' => write!(out, "\\r"),
                '\n' => write!(out, "\\n"),
                '\t' => write!(out, "\\t"),
                ' '..='~' => write!(out, "{c}"),
                _ if c.is_ascii() => write!(out, "\\x{:02x}", u32::from(c)),
                _ if invisible(c) => write!(out, "\\u{{{:04x}}}", u32::from(c)),
                _ => write!(out, "{c}"),
            };
        }
        for byte in chunk.invalid() {
            if count == SHOWN {
                cut = true;
                break 'chunks;
            }
            count += 1;
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    if cut {
        out.push('…');
    }
    out
}

/// Characters that print nothing or change how the text around them prints: C1 controls,
/// zero-width and bidirectional formatting, line and paragraph separators, the BOM, specials.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{ad}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff0}'..='\u{ffff}'
            | '\u{e000}'..='\u{f8ff}'
            | '\u{e0000}'..='\u{10ffff}'
    )
}

/// Why `input` holds no message, when it has no line that starts one: it is empty, blank, or
/// something else (shown by what it starts with).
#[must_use]
pub fn no_message_reason(input: &[u8]) -> String {
    if input.is_empty() {
        "the input is empty".to_owned()
    } else if input.iter().all(u8::is_ascii_whitespace) {
        "the input is blank: only spaces and line ends".to_owned()
    } else {
        format!(
            "no HL7 v2 message (a line starting with MSH): the input starts with \"{}\"",
            show_start(input)
        )
    }
}

/// The line (from 1) of a byte offset, as the core counts lines (CR, LF and CRLF each end one).
fn line_of(input: &[u8], offset: usize) -> usize {
    pipehat::position::LineIndex::new(input)
        .line_column(offset)
        .line
}

/// Whether a parse stopped because of a limit (not because a header could not be read).
fn is_limit(kind: pipehat::ErrorKind) -> bool {
    matches!(
        kind,
        pipehat::ErrorKind::TooManySegments { .. }
            | pipehat::ErrorKind::TooManyMessages { .. }
            | pipehat::ErrorKind::TooLarge { .. }
    )
}

/// What raises the limit that stopped reading, if one did.
fn hint(error: &pipehat::Error) -> &'static str {
    match error.kind() {
        pipehat::ErrorKind::TooManySegments { .. } => {
            "; limits.maxSegments (--max-segments on the command line) raises the limit"
        }
        pipehat::ErrorKind::TooManyMessages { .. } => {
            "; limits.maxMessages (--max-messages on the command line) raises the limit"
        }
        _ => "",
    }
}

/// What a function does with the parts of a file it cannot read as messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Refuse the input, naming the line of the first: a result for the others alone would
    /// look complete (`toJSON`, `ack`, `get`, `validate`, `anonymize`, `parseFile`, `parseMany`).
    Refuse,
    /// Keep them as they are, refusing only reading stopped by a limit (lossless JSON, which
    /// holds every byte of the file).
    Keep,
    /// List them (`validateAll`, limits included).
    List,
}

/// Checks that a file is one a function can work on: it holds at least one readable message
/// (a file with none is not a clean file with nothing to report: it is an error that says why —
/// empty, blank, what it starts with, or why its message cannot be read), and what it cannot
/// read is handled as `unreadable` says.
///
/// # Errors
/// A [`Failure`] with code `input`, at the line it names.
pub fn check_file(file: &pipehat::File<'_>, unreadable: Unreadable) -> Result<(), Failure> {
    let input = file.input();
    let refused = match unreadable {
        Unreadable::Refuse => file.unreadable().first(),
        Unreadable::Keep => file
            .unreadable()
            .iter()
            .find(|u| is_limit(u.error().kind())),
        Unreadable::List => None,
    };
    if let Some(refused) = refused
        && (is_limit(refused.error().kind()) || !file.messages().is_empty())
    {
        let error = refused.error();
        let at = error.span().start;
        let line = line_of(input, at);
        return Err(Failure::at(
            "input",
            at,
            if is_limit(error.kind()) {
                format!("line {line}: {error}{}", hint(error))
            } else {
                let others = file.unreadable().len() - 1;
                format!(
                    "line {line}: a message cannot be read ({error}){}; fix or remove it, or use \
                     validateAll (`pipehat validate` on the command line) to list every one",
                    match others {
                        0 => String::new(),
                        1 => ", nor can 1 more".to_owned(),
                        n => format!(", nor can {n} more"),
                    }
                )
            },
        ));
    }
    if file.messages().is_empty() {
        return Err(match file.unreadable().first() {
            Some(unreadable) => {
                let at = unreadable.error().span().start;
                Failure::at(
                    "input",
                    at,
                    format!(
                        "line {}: no readable message: {}{}",
                        line_of(input, at),
                        unreadable.error(),
                        hint(unreadable.error())
                    ),
                )
            }
            None => Failure::at("input", 0, no_message_reason(input)),
        });
    }
    Ok(())
}

/// Why [`pipehat::Message::parse`] refused `input`, said as [`check_file`] says it.
pub(crate) fn message_failure(input: &[u8], error: &pipehat::Error) -> Failure {
    let at = error.span().start;
    let file = pipehat::File::parse(input);
    if file.messages().is_empty() && file.unreadable().is_empty() {
        return Failure::at("input", at, no_message_reason(input));
    }
    Failure::at(
        "input",
        at,
        format!("line {}: {error}{}", line_of(input, at), hint(error)),
    )
}

/// An error for JavaScript, with a code `core.js` turns into a `PipehatError`'s `code`: the
/// message travels as `\u{1}code\u{1}text` (JS errors from wasm carry only a message).
pub(crate) fn fail(code: &str, message: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("\u{1}{code}\u{1}{message}"))
}

/// Like [`fail`], with the byte offset in the input where the problem is.
pub(crate) fn fail_at(code: &str, offset: usize, message: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("\u{1}{code}@{offset}\u{1}{message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::LimitsOptions;
    use crate::test_support::MESSAGE;

    fn reason(input: &[u8], limits: pipehat::Limits) -> Failure {
        check_file(
            &pipehat::File::parse_with(input, limits),
            Unreadable::Refuse,
        )
        .unwrap_err()
    }

    #[test]
    fn a_file_without_a_readable_message_says_why() {
        let limits = pipehat::Limits::default();
        assert_eq!(reason(b"", limits).message, "the input is empty");
        assert_eq!(
            reason(b"\r\n  \n", limits).message,
            "the input is blank: only spaces and line ends"
        );
        assert_eq!(
            reason(b"\x00\x13\x1b[31mhello\xff", limits).message,
            r#"no HL7 v2 message (a line starting with MSH): the input starts with "\x00\x13\x1b[31mhello\xff""#
        );
        let failure = reason(b"// notes\rMSH\rPID|1\r", limits);
        assert!(
            failure.message.starts_with("line 2: no readable message: "),
            "{failure}"
        );
        assert_eq!(failure.code, "input");
        assert_eq!(
            check_file(
                &pipehat::File::parse(MESSAGE.as_bytes()),
                Unreadable::Refuse
            ),
            Ok(())
        );
    }

    #[test]
    fn reading_stopped_by_a_limit_is_an_error_naming_the_line() {
        let big = format!("{MESSAGE}{}", "OBX|1\r".repeat(100_000));
        let failure = reason(big.as_bytes(), pipehat::Limits::default());
        assert!(
            failure
                .message
                .starts_with("line 100001: the message has more than 100000 segments"),
            "{failure}"
        );
        assert!(failure.message.contains("limits.maxSegments"), "{failure}");
        let raised = LimitsOptions {
            max_segments: Some(200_000),
            max_messages: None,
        };
        let file = pipehat::File::parse_with(big.as_bytes(), raised.limits());
        assert_eq!(check_file(&file, Unreadable::Refuse), Ok(()));
        // The first message is read, the second is past the limit: still an error.
        let two = format!("{MESSAGE}{MESSAGE}");
        let one = LimitsOptions {
            max_segments: None,
            max_messages: Some(1),
        };
        let failure = reason(two.as_bytes(), one.limits());
        assert!(
            failure
                .message
                .starts_with("line 3: the file has more than 1 messages"),
            "{failure}"
        );
        // validateAll lists it instead.
        let file = pipehat::File::parse_with(two.as_bytes(), one.limits());
        assert_eq!(check_file(&file, Unreadable::List), Ok(()));
    }
}
