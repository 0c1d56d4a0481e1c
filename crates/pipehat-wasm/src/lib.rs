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

mod ack;
mod anonymize;
mod describe;
mod diff;
mod failure;
mod get;
mod handles;
mod input;
mod json;
mod lossless;
mod options;
mod profile;
mod segments;
mod validate;

pub use ack::{ack_all, acks_of};
pub use anonymize::{AnonymizedInfo, anonymize, anonymize_input};
pub use describe::{DescriptionInfo, ElementInfo, describe, describe_path};
pub use diff::{DiffInfo, DiffRowInfo, MessageDiffInfo, diff, diff_inputs};
pub use failure::{Failure, Unreadable, check_file, no_message_reason, show_start};
pub use get::get_all;
pub use handles::{HandleFile, HandleMessage, parse_many};
pub use input::{Input, Range, input_buffer, wasm_memory};
pub use json::{from_json, to_json};
pub use options::{
    AckOptions, AnonymizeOptions, GetOptions, LimitsOptions, ParseOptions, ToJsonOptions,
    ValidateOptions,
};
pub use profile::profile_from_xml;
pub use segments::{SegmentInfo, segments, segments_of};
pub use validate::{
    FileReportInfo, FindingInfo, MessageReportInfo, ReportInfo, UnreadableInfo, validate,
    validate_all, validate_file_input, validate_input,
};

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::failure::fail;

/// Installs a panic hook that reports Rust panics on the JavaScript console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Traps, as a Rust panic does (`panic = "abort"` in `wasm-release`): for the package's tests of
/// what `core.js` does after a trap. Not part of the API (`core.js` exports it only as
/// `__testing.trap`, which the package's entry points do not export).
#[doc(hidden)]
#[wasm_bindgen(js_name = __trap)]
pub fn trap() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

/// The one place Rust values become JavaScript values.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| fail("internal", error))
}

/// What the unit tests of several modules share.
#[cfg(test)]
mod test_support {
    use crate::{AnonymizeOptions, AnonymizedInfo, Failure, Input, anonymize_input};

    pub(crate) const MESSAGE: &str =
        "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rPID|1||7||DOE^JANE\r";

    pub(crate) fn anonymize_text(
        text: &str,
        options: AnonymizeOptions,
    ) -> Result<AnonymizedInfo, Failure> {
        anonymize_input(&Input::Text(text.to_owned()), options)
    }
}
