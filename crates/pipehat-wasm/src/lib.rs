//! wasm-bindgen bindings of [`pipehat`] for the npm package.
//!
//! This crate only translates: JavaScript values in, Rust calls, JavaScript values out. Every
//! HL7 decision lives in `pipehat`. Positions go out both as UTF-8 byte offsets and, when the
//! input was a JavaScript string, as UTF-16 offsets (what JS strings and editors index by).
//!
//! The hand-written entry files in `pkg/` wrap these functions; their types are in
//! `pkg/index.d.ts`.
//!
//! ```
//! let segments = pipehat_wasm::segments_of(b"MSH|^~\\&|A\rPID|1\r", None);
//! assert_eq!(segments[1].id, "PID");
//! assert_eq!((segments[1].byte_span.start, segments[1].byte_span.end), (11, 16));
//! ```

use pipehat::position::Utf16Offsets;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs a panic hook that reports Rust panics on the JavaScript console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A half-open range of offsets, as JavaScript sees it: `{ start, end }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// First offset.
    pub start: usize,
    /// One past the last offset.
    pub end: usize,
}

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

/// `segmentsOfText(text)`: the segments of an HL7 v2 string, with UTF-16 and byte spans.
#[wasm_bindgen(js_name = segmentsOfText, unchecked_return_type = "Segment[]")]
pub fn segments_of_text(text: &str) -> Result<JsValue, JsError> {
    to_js(&segments_of(text.as_bytes(), Some(text)))
}

/// `segmentsOfBytes(bytes)`: the segments of HL7 v2 bytes, with byte spans.
#[wasm_bindgen(js_name = segmentsOfBytes, unchecked_return_type = "Segment[]")]
pub fn segments_of_bytes(bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&segments_of(bytes, None))
}

/// The one place Rust values become JavaScript values.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsError::new(&error.to_string()))
}
