//! Parsed messages and files kept on the Rust side behind handles (`HL7Message`, `HL7File`,
//! `parseMany`): the text and its parse together, so reading a value never parses again.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::describe::version_for;
use crate::failure::{Failure, Unreadable, check_file, fail, fail_at, message_failure};
use crate::get::raw_text;
use crate::input::{Input, utf8};
use crate::options::{ParseOptions, limits_of, options_of};
use crate::segments::segments_of;
use crate::to_js;
// Named only in doc comments (which are also the JSDoc, so they keep their words).
#[cfg(doc)]
use crate::input_buffer;

/// A message and its parse, kept together: reading a value does not parse again.
mod parsed {
    self_cell::self_cell!(
        /// The text of one message and the parser's view of it.
        pub(crate) struct Parsed {
            owner: String,
            #[covariant]
            dependent: Message,
        }
        impl {Debug}
    );

    /// The dependent's type, named for `self_cell`.
    pub(crate) type Message<'a> = pipehat::Message<'a>;

    self_cell::self_cell!(
        /// The text of a file and the parser's view of it.
        pub(crate) struct ParsedFile {
            owner: String,
            #[covariant]
            dependent: File,
        }
        impl {Debug}
    );

    /// The dependent's type, named for `self_cell`.
    pub(crate) type File<'a> = pipehat::File<'a>;
}

/// A whole file parsed once and kept on the Rust side, read a column at a time: one boundary
/// crossing per question for all its messages, however many (`parseFile(text)`).
#[wasm_bindgen(js_name = HL7File)]
#[derive(Debug)]
pub struct HandleFile {
    parsed: parsed::ParsedFile,
    /// The limits it was read with, for its messages read again as handles.
    limits: pipehat::Limits,
}

impl HandleFile {
    /// Parses every message of `text` (a file, batch or MLLP stream). Not a JavaScript
    /// constructor: a class's constructor is reachable from every handle (`.constructor`), and
    /// everything JavaScript calls goes through `core.js`, which checks its arguments.
    ///
    /// # Errors
    /// See [`check_file`].
    pub fn new(text: String, limits: pipehat::Limits) -> Result<HandleFile, Failure> {
        let parsed =
            parsed::ParsedFile::new(text, |text| pipehat::File::parse_text_with(text, limits));
        check_file(parsed.borrow_dependent(), Unreadable::Refuse)?;
        Ok(HandleFile { parsed, limits })
    }
}

#[wasm_bindgen(js_class = HL7File)]
impl HandleFile {
    /// Parses every message of the `len` bytes of input JavaScript wrote into
    /// [`input_buffer`]: a string's UTF-8 (`text`), read as text; or bytes, decoded message by
    /// message by MSH-18 into the text the handle keeps ([`Input::into_text`]).
    #[wasm_bindgen(js_name = fromInput)]
    pub fn from_input(
        len: usize,
        text: bool,
        #[wasm_bindgen(unchecked_param_type = "ParseOptions | undefined")] options: JsValue,
    ) -> Result<HandleFile, JsError> {
        let input = Input::take(len, text);
        let options: ParseOptions = options_of("parseFile", options)?;
        Ok(HandleFile::new(
            input.into_text(),
            limits_of(options.limits),
        )?)
    }

    /// How many readable messages it holds.
    #[wasm_bindgen(getter, js_name = messageCount)]
    pub fn message_count(&self) -> usize {
        self.parsed.borrow_dependent().messages().len()
    }

    /// Each message's segment count.
    #[wasm_bindgen(js_name = segmentCounts)]
    pub fn segment_counts(&self) -> Vec<u32> {
        self.parsed
            .borrow_dependent()
            .messages()
            .iter()
            .map(|m| u32::try_from(m.segments().len()).unwrap_or(u32::MAX))
            .collect()
    }

    /// The value at `path` in every message, decoded (or raw), packed for one crossing: all the
    /// values in one string, and each one's length in UTF-16 units (`0xFFFFFFFF` where a message
    /// lacks it). `core.js` slices them apart (`values(path)`): one string to decode instead of
    /// one per message.
    #[wasm_bindgen(js_name = valuesPacked, unchecked_return_type = "[string, Uint32Array]")]
    pub fn values_packed(&self, path: &str, raw: bool) -> Result<JsValue, JsError> {
        let path: pipehat::Path = path.parse().map_err(|e: pipehat::PathError| {
            fail("path", format!("'{path}' is not a path: {e}"))
        })?;
        let messages = self.parsed.borrow_dependent().messages();
        let mut joined = String::new();
        let mut lengths = Vec::with_capacity(messages.len());
        for message in messages {
            let Some(element) = message.get(&path) else {
                lengths.push(u32::MAX);
                continue;
            };
            let value = if raw {
                raw_text(message, element)
            } else {
                element.text()
            };
            let units = if value.is_ascii() {
                value.len()
            } else {
                value.chars().map(char::len_utf16).sum()
            };
            lengths.push(u32::try_from(units).unwrap_or(u32::MAX - 1));
            joined.push_str(&value);
        }
        let lengths = js_sys::Uint32Array::from(lengths.as_slice());
        Ok(js_sys::Array::of2(&JsValue::from_str(&joined), &lengths).into())
    }

    /// Message `index` (from 0) as its own handle, to edit or read further.
    pub fn message(&self, index: usize) -> Result<HandleMessage, JsError> {
        let file = self.parsed.borrow_dependent();
        let message = file.messages().get(index).ok_or_else(|| {
            fail(
                "range",
                format!("no message {index}: the file has {}", file.messages().len()),
            )
        })?;
        let text = self.parsed.borrow_owner();
        HandleMessage::from_text(
            text.get(message.span().range())
                .unwrap_or_default()
                .to_string(),
            self.limits,
        )
    }
}

/// A parsed message kept on the Rust side, for JavaScript to read and edit without sending the
/// text across the boundary for every call: `parse(text)` in the package.
#[wasm_bindgen(js_name = HL7Message)]
#[derive(Debug)]
pub struct HandleMessage {
    parsed: parsed::Parsed,
    /// The limits it was read with, for reading it again after an edit.
    limits: pipehat::Limits,
}

impl HandleMessage {
    /// Parses one message (the first of `text`, if it holds several). Not a JavaScript
    /// constructor (see [`HandleFile::new`]).
    ///
    /// # Errors
    /// When `text` holds no readable header.
    pub fn new(text: &str) -> Result<HandleMessage, JsError> {
        HandleMessage::from_owned(text.to_string(), pipehat::Limits::default())
    }
}

#[wasm_bindgen(js_class = HL7Message)]
impl HandleMessage {
    /// Parses the first message of the input JavaScript wrote into [`input_buffer`] (see
    /// [`HandleFile::from_input`]).
    #[wasm_bindgen(js_name = fromInput)]
    pub fn from_input(
        len: usize,
        text: bool,
        #[wasm_bindgen(unchecked_param_type = "ParseOptions | undefined")] options: JsValue,
    ) -> Result<HandleMessage, JsError> {
        let input = Input::take(len, text);
        let options: ParseOptions = options_of("parse", options)?;
        HandleMessage::from_owned(input.into_text(), limits_of(options.limits))
    }

    /// Parses the first message of `text`, keeping `text` when it is that message (the usual
    /// case: one parse, no copy), else a copy of the message's own bytes.
    fn from_owned(text: String, limits: pipehat::Limits) -> Result<HandleMessage, JsError> {
        enum Rejected {
            Broken(pipehat::Error),
            Part(core::ops::Range<usize>),
        }
        let parsed = parsed::Parsed::try_new_or_recover(text, |text| {
            let message =
                pipehat::Message::parse_text_with(text, limits).map_err(Rejected::Broken)?;
            if message.span().range() == (0..text.len()) {
                Ok(message)
            } else {
                Err(Rejected::Part(message.span().range()))
            }
        });
        match parsed {
            Ok(parsed) => Ok(HandleMessage { parsed, limits }),
            Err((text, Rejected::Part(range))) => {
                HandleMessage::from_text(text.get(range).unwrap_or_default().to_string(), limits)
            }
            Err((text, Rejected::Broken(error))) => {
                Err(message_failure(text.as_bytes(), &error).into())
            }
        }
    }

    fn from_text(text: String, limits: pipehat::Limits) -> Result<HandleMessage, JsError> {
        let parsed = parsed::Parsed::try_new_or_recover(text, |text| {
            pipehat::Message::parse_text_with(text, limits)
        })
        .map_err(|(text, e)| JsError::from(message_failure(text.as_bytes(), &e)))?;
        Ok(HandleMessage { parsed, limits })
    }

    fn message(&self) -> &pipehat::Message<'_> {
        self.parsed.borrow_dependent()
    }

    fn text(&self) -> &str {
        self.parsed.borrow_owner()
    }

    /// How many segments it has.
    #[wasm_bindgen(getter, js_name = segmentCount)]
    pub fn segment_count(&self) -> usize {
        self.message().segments().len()
    }

    /// Its segments, with UTF-16 and byte spans into `toString()`.
    #[wasm_bindgen(getter, unchecked_return_type = "TextSegment[]")]
    pub fn segments(&self) -> Result<JsValue, JsError> {
        to_js(&segments_of(self.text().as_bytes(), Some(self.text())))
    }

    /// The value at `path`, decoded (or raw, as written); `undefined` when absent.
    #[wasm_bindgen(unchecked_return_type = "string | undefined")]
    pub fn get(&self, path: &str, raw: bool) -> Result<JsValue, JsError> {
        let path: pipehat::Path = path.parse().map_err(|e: pipehat::PathError| {
            fail("path", format!("'{path}' is not a path: {e}"))
        })?;
        // Straight from the message's text to a JS string: no Rust copy in between.
        Ok(match self.message().get(&path) {
            None => JsValue::UNDEFINED,
            Some(element) if raw => JsValue::from_str(&raw_text(self.message(), element)),
            Some(element) => JsValue::from_str(&element.text()),
        })
    }

    /// Sets the value at `path` (escaped for the message's delimiters; missing fields,
    /// repetitions and components are created).
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), JsError> {
        let mut buf = pipehat::MessageBuf::parse(self.text().as_bytes().to_vec())
            .map_err(|e| fail_at("input", e.span().start, &e))?;
        buf.set(path, value.as_bytes())
            .map_err(|e| fail("edit", format!("cannot set {path}: {e}")))?;
        // The text with a UTF-8 value spliced in at delimiters: UTF-8 still.
        *self = HandleMessage::from_text(utf8(buf.into_bytes()), self.limits)?;
        Ok(())
    }

    /// The message as text, edits included.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        self.text().to_string()
    }

    /// The readable JSON form (what `JSON.stringify` writes).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ReadableMessage")]
    pub fn to_json_value(&self) -> Result<JsValue, JsError> {
        to_js(&pipehat::json::Readable(self.message()))
    }

    /// The path and dictionary name of the element at UTF-16 `offset` of `toString()`, e.g.
    /// `{ path: "PID-5.1", label: "Patient Name / Family Name" }`; `undefined` outside one.
    #[wasm_bindgen(js_name = pathAt, unchecked_return_type = "{ path: string; label: string } | undefined")]
    pub fn path_at(&self, offset: usize) -> Result<JsValue, JsError> {
        let mut units = 0;
        let mut byte = None;
        let text = self.text();
        for (at, c) in text.char_indices() {
            if units >= offset {
                byte = Some(at);
                break;
            }
            units += c.len_utf16();
        }
        // Right after the last character is still a caret position; past it is nothing.
        let Some(byte) = byte.or((units == offset).then_some(text.len())) else {
            return Ok(JsValue::UNDEFINED);
        };
        let message = self.message();
        let Some((path, _)) = message.path_at(byte) else {
            return Ok(JsValue::UNDEFINED);
        };
        let version = version_for(message, None).map_err(|e| fail("version", e))?;
        #[derive(Serialize)]
        struct At {
            path: String,
            label: String,
        }
        to_js(&At {
            path: path.to_string(),
            label: version.describe(&path).label(),
        })
    }
}

/// `parseMany(text)`: every message of a file, batch or stream (see [`check_file`]).
#[wasm_bindgen(js_name = parseMany, unchecked_return_type = "HL7Message[]")]
pub fn parse_many(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "ParseOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let text = Input::take(len, text).into_text();
    let options: ParseOptions = options_of("parseMany", options)?;
    let limits = limits_of(options.limits);
    let file = pipehat::File::parse_text_with(&text, limits);
    check_file(&file, Unreadable::Refuse)?;
    let out = js_sys::Array::new();
    for message in file.messages() {
        let part = text.get(message.span().range()).unwrap_or_default();
        let handle = HandleMessage::from_text(part.to_string(), limits)?;
        out.push(&JsValue::from(handle));
    }
    Ok(out.into())
}
