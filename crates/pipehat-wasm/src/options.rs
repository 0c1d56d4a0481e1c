//! Options as JavaScript passes them (checked by `core.js` first): the parser's limits, each
//! function's option object, and the one way they are read from JavaScript values.

use wasm_bindgen::prelude::*;

use crate::failure::fail;

/// `limits` as JavaScript passes it: `{ maxSegments?, maxMessages? }` (positive integers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsOptions {
    /// The most segments in one message (default 100,000).
    pub max_segments: Option<u32>,
    /// The most messages in one file (default 10,000,000).
    pub max_messages: Option<u32>,
}

impl LimitsOptions {
    /// The parser's limits: these where given, the defaults elsewhere.
    #[must_use]
    pub fn limits(self) -> pipehat::Limits {
        let mut limits = pipehat::Limits::default();
        if let Some(n) = self.max_segments {
            limits = limits.max_segments(n as usize);
        }
        if let Some(n) = self.max_messages {
            limits = limits.max_messages(n as usize);
        }
        limits
    }
}

pub(crate) fn limits_of(options: Option<LimitsOptions>) -> pipehat::Limits {
    options.unwrap_or_default().limits()
}

/// Options as `core.js` passes them: already checked there (unknown keys, types, values), so
/// an error here means a call that did not come through `core.js`. `undefined` and `null` are
/// no options.
pub(crate) fn options_of<T: serde::de::DeserializeOwned + Default>(
    function: &str,
    options: JsValue,
) -> Result<T, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(options)
        .map_err(|e| fail("options", format!("{function}: {}", serde_message(&e))))
}

/// A serde error from JavaScript values, without the `Error: ` its text starts with.
pub(crate) fn serde_message(error: &serde_wasm_bindgen::Error) -> String {
    let text = error.to_string();
    text.strip_prefix("Error: ")
        .map(str::to_owned)
        .unwrap_or(text)
}

/// Options of `parse`, `parseMany` and `parseFile` as `core.js` passes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParseOptions {
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}

/// Options of `validate` as JavaScript passes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateOptions {
    /// MSH-12 as written, overriding the message's; absent: the message's own.
    pub version: Option<String>,
    /// `tolerant` (default) or `strict`.
    pub preset: Option<pipehat_validate::Preset>,
    /// False leaves every value out of the report.
    pub with_values: Option<bool>,
    /// A profile (JSON form, see `pipehat_validate::Profile`) to check too.
    pub profile: Option<pipehat_validate::Profile>,
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}

/// What JavaScript passes to `anonymize`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnonymizeOptions {
    /// `safe-harbor` (default) or `pseudonymize`; overrides the policy's preset when both are
    /// given.
    pub preset: Option<pipehat_deid::Preset>,
    /// A policy: preset and overrides by field, data type and segment.
    pub policy: Option<pipehat_deid::Policy>,
    /// `redact` (default) or `scrub` free text (notes, comments, text results); overrides the
    /// policy's `freeText` when both are given.
    pub free_text: Option<pipehat_deid::FreeText>,
    /// The key for pseudonyms (its UTF-8 bytes; `generateKey()` makes a good one).
    pub key: Option<String>,
    /// Whether the receipt carries original values (off by default).
    pub keep_originals: Option<bool>,
    /// Parser limits: at most the defaults (the anonymizer reads with those).
    pub limits: Option<LimitsOptions>,
}

/// Options of `toJSON` as `core.js` passes them (checked there first).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToJsonOptions {
    /// The whole file in the form `fromJSON` turns back into the same bytes.
    pub lossless: Option<bool>,
    /// Names from the dictionary.
    pub names: Option<bool>,
    /// The version for names, instead of each message's MSH-12.
    pub version: Option<String>,
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}

/// Options of `ack` as `core.js` passes them (checked, and defaults filled in, there first).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AckOptions {
    /// MSA-1; absent: validation decides.
    pub code: Option<String>,
    /// MSH-10 of the acknowledgment (numbered `-1`, `-2`… for many messages).
    pub control_id: String,
    /// MSH-7 of the acknowledgment.
    pub timestamp: String,
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}

/// Options of `get` as `core.js` passes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetOptions {
    /// As written (escapes kept) instead of decoded.
    pub raw: Option<bool>,
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}
