//! The input as JavaScript hands it over: a string's UTF-8 or a `Uint8Array`'s bytes, written
//! straight into a wasm-side buffer ([`input_buffer`]) and taken from there as an [`Input`];
//! and offsets into it as JavaScript sees them ([`Range`]).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::failure::fail;

/// A half-open range of offsets, as JavaScript sees it: `{ start, end }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// First offset.
    pub start: usize,
    /// One past the last offset.
    pub end: usize,
}

/// Input as JavaScript hands it over. A string is text: its messages are read as the UTF-8
/// it is, whatever MSH-18 says (`parse_text`). A `Uint8Array` is bytes: each message is read
/// in the character set its MSH-18 names (`parse`), and what is made of it for bytes
/// (anonymized files, acknowledgments, lossless JSON) stays in that set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A JavaScript string, as UTF-8.
    Text(String),
    /// A `Uint8Array`, as given.
    Bytes(Vec<u8>),
}

impl Input {
    /// The `len` bytes JavaScript wrote into [`input_buffer`], as text when they are a string's.
    pub(crate) fn take(len: usize, text: bool) -> Input {
        let bytes = take_input(len);
        if text {
            Input::Text(utf8(bytes))
        } else {
            Input::Bytes(bytes)
        }
    }

    /// The input's bytes (a string's UTF-8).
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        match self {
            Input::Text(text) => text.as_bytes(),
            Input::Bytes(bytes) => bytes,
        }
    }

    /// The string, when the input was one.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match self {
            Input::Text(text) => Some(text),
            Input::Bytes(_) => None,
        }
    }

    /// Every message: text read as text, bytes by each message's MSH-18.
    #[must_use]
    pub fn file(&self, limits: pipehat::Limits) -> pipehat::File<'_> {
        match self {
            Input::Text(text) => pipehat::File::parse_text_with(text, limits),
            Input::Bytes(bytes) => pipehat::File::parse_with(bytes, limits),
        }
    }

    /// The input as text: bytes decoded message by message, each by its MSH-18 (UTF-16 with a
    /// byte order mark too), for what keeps text (`HL7Message`, `HL7File`).
    #[must_use]
    pub fn into_text(self) -> String {
        match self {
            Input::Text(text) => text,
            Input::Bytes(bytes) => match pipehat::charset::decode_file(&bytes) {
                std::borrow::Cow::Owned(text) => text,
                // Borrowed: the bytes are that text already.
                std::borrow::Cow::Borrowed(_) => utf8(bytes),
            },
        }
    }
}

std::thread_local! {
    /// Where JavaScript writes the next input — a string's UTF-8 (`TextEncoder.encodeInto`) or
    /// a `Uint8Array`'s bytes — straight into wasm memory: no temporary array, one copy.
    static INPUT: core::cell::RefCell<Vec<u8>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` bytes long, keeping what it holds, and returns where it starts
/// in wasm memory (valid until the next allocation).
///
/// # Errors
/// When memory for `len` bytes cannot be had.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> Result<usize, JsError> {
    INPUT.with_borrow_mut(|input| {
        input
            .try_reserve(len.saturating_sub(input.len()))
            .map_err(|_| {
                fail(
                    "input",
                    format!("the input ({len} bytes) does not fit in memory"),
                )
            })?;
        input.resize(len, 0);
        Ok(input.as_ptr() as usize)
    })
}

/// The wasm memory, for JavaScript to write into [`input_buffer`].
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The input buffer's first `len` bytes, taken (the buffer is left empty).
fn take_input(len: usize) -> Vec<u8> {
    INPUT.with_borrow_mut(|input| {
        let mut bytes = core::mem::take(input);
        bytes.truncate(len);
        bytes
    })
}

/// `bytes` as text, invalid UTF-8 replaced.
pub(crate) fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ack::acks_of;
    use crate::anonymize::anonymize_input;
    use crate::options::{AckOptions, AnonymizeOptions};
    use crate::test_support::anonymize_text;

    const LATIN1: &[u8] = b"MSH|^~\\&|A|B|||20261122||ORU^R01|1|P|2.5.1||||||8859/1\r\
        PID|1||7||M\xfcller^J\xfcrgen\rOBX|1|ST|718-7^H\xe4moglobin^LN||13.5|g/dL\r";

    #[test]
    fn bytes_are_read_by_msh18_and_strings_as_text() {
        let path: pipehat::Path = "PID-5.1".parse().unwrap();
        let bytes = Input::Bytes(LATIN1.to_vec());
        let text = bytes.clone().into_text();
        assert!(text.contains("PID|1||7||Müller^Jürgen\r"));
        for input in [bytes, Input::Text(text.clone())] {
            let file = input.file(pipehat::Limits::default());
            assert_eq!(file.messages()[0].get(&path).unwrap().text(), "Müller");
        }
        // A string is never decoded again by its MSH-18.
        assert_eq!(Input::Text(text.clone()).into_text(), text);
    }

    #[test]
    fn outputs_for_bytes_stay_in_the_message_character_set() {
        let options = AnonymizeOptions {
            policy: Some(pipehat_deid::Policy {
                fields: [("OBX-3".to_owned(), pipehat_deid::Method::Keep)].into(),
                ..pipehat_deid::Policy::default()
            }),
            ..AnonymizeOptions::default()
        };
        let bytes = anonymize_input(&Input::Bytes(LATIN1.to_vec()), options.clone()).unwrap();
        let Input::Bytes(out) = bytes.output else {
            panic!("bytes in, bytes out")
        };
        assert!(out.windows(10).any(|w| w == b"H\xe4moglobin"), "{out:?}");
        assert!(!out.windows(3).any(|w| w == b"M\xfcl"));
        let text = Input::Bytes(LATIN1.to_vec()).into_text();
        let Input::Text(out) = anonymize_text(&text, options).unwrap().output else {
            panic!("text in, text out")
        };
        assert!(out.contains("718-7^Hämoglobin^LN"), "{out}");
        // Acknowledgments: bytes in the original's set, text as text.
        let ack = |input: Input| {
            acks_of(
                &input,
                AckOptions {
                    code: None,
                    control_id: "A1".to_owned(),
                    timestamp: "2026".to_owned(),
                    limits: None,
                },
            )
            .unwrap()
            .remove(0)
        };
        // PID-7 '1980Ä' is not a date: the finding, and so ERR-7, quotes it.
        let odd = b"MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1||||||8859/1\rEVN||20261122\r\
            PID|1||7||M\xfcller||1980\xc4|F\rPV1|1|O\r"
            .to_vec();
        let from_bytes = ack(Input::Bytes(odd.clone()));
        assert!(
            from_bytes.windows(7).any(|w| w == b"'1980\xc4'"),
            "{}",
            String::from_utf8_lossy(&from_bytes)
        );
        assert!(
            std::str::from_utf8(&from_bytes).is_err(),
            "ISO 8859-1, not UTF-8"
        );
        // From text, UTF-8 text (the value in ERR-7 is the validator's to read).
        let from_text = ack(Input::Text(Input::Bytes(odd).into_text()));
        assert!(std::str::from_utf8(&from_text).is_ok());
    }
}
