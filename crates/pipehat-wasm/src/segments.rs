//! `segments(input)`: where each segment of the input is, in bytes and (for a string) UTF-16.

use pipehat::position::Utf16Offsets;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::input::{Input, Range};
use crate::to_js;
// Named only in doc comments (which are also the JSDoc, so they keep their words).
#[cfg(doc)]
use crate::input_buffer;

/// One segment as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentInfo {
    /// Segment id (`MSH`, `PID`…), with invalid UTF-8 replaced for display.
    pub id: String,
    /// UTF-16 offsets into the input string; absent when the input was bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Range>,
    /// Byte offsets into the input's UTF-8 encoding (or the bytes as given).
    pub byte_span: Range,
}

/// Describes the segments of `input`; with `text` (the same input as a string) it adds UTF-16
/// spans.
#[must_use]
pub fn segments_of(input: &[u8], text: Option<&str>) -> Vec<SegmentInfo> {
    let mut utf16 = text.map(Utf16Offsets::new);
    pipehat::segments(input)
        .map(|segment| {
            let bytes = segment.span();
            SegmentInfo {
                id: String::from_utf8_lossy(segment.id()).into_owned(),
                span: utf16.as_mut().map(|offsets| Range {
                    start: offsets.utf16(bytes.start),
                    end: offsets.utf16(bytes.end),
                }),
                byte_span: Range {
                    start: bytes.start,
                    end: bytes.end,
                },
            }
        })
        .collect()
}

/// `segments(input)`: the segments of the `len` bytes of input JavaScript wrote into
/// [`input_buffer`]; with UTF-16 spans too when they are a string's (`text`).
#[wasm_bindgen(unchecked_return_type = "Segment[]")]
pub fn segments(len: usize, text: bool) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    to_js(&segments_of(input.bytes(), input.text()))
}
