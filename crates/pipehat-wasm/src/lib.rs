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

mod lossless;

use pipehat::position::Utf16Offsets;
use serde::Serialize;
use wasm_bindgen::prelude::*;

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

/// A field or component definition as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementInfo {
    /// Its number, from 1.
    pub position: usize,
    /// Its name, e.g. "Date/Time of Birth".
    pub name: String,
    /// Its data type id.
    pub data_type: String,
    /// Usage code: `R`, `O`, `C`, `B`, `X`, `W`…
    pub usage: &'static str,
    /// Most repetitions; `null` for unbounded.
    pub max_repetitions: Option<u32>,
    /// Maximum length, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// HL7 table number, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<u16>,
}

impl From<pipehat_dict::ElementDef<'_>> for ElementInfo {
    fn from(def: pipehat_dict::ElementDef<'_>) -> Self {
        ElementInfo {
            position: def.position,
            name: def.name.to_owned(),
            data_type: def.data_type.to_owned(),
            usage: def.usage.code(),
            max_repetitions: def.max_repetitions,
            max_length: def.max_length,
            table: def.table,
        }
    }
}

/// What the dictionary says of a path, as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescriptionInfo {
    /// The path in canonical form.
    pub path: String,
    /// The dictionary version used.
    pub version: &'static str,
    /// Set when the requested version was not in the dictionary and a near one was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_note: Option<String>,
    /// Names from the field down, joined with " / ".
    pub label: String,
    /// The segment's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_name: Option<String>,
    /// Data type of the deepest element described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// The field's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<ElementInfo>,
    /// The component's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ElementInfo>,
    /// The subcomponent's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcomponent: Option<ElementInfo>,
}

/// Describes `path` in `version` (MSH-12 as written; the newest version when absent).
///
/// ```
/// let d = pipehat_wasm::describe_path("PID-11.5", Some("2.5.1")).unwrap();
/// assert_eq!(d.label, "Patient Address / Zip or Postal Code");
/// assert!(pipehat_wasm::describe_path("PID-", None).is_err());
/// ```
pub fn describe_path(path: &str, version: Option<&str>) -> Result<DescriptionInfo, String> {
    let path: pipehat::Path = path
        .parse()
        .map_err(|e: pipehat::PathError| e.to_string())?;
    let resolution = match version {
        None => pipehat_dict::Resolution {
            version: pipehat_dict::Version::LATEST,
            note: None,
        },
        Some(text) => pipehat_dict::Version::resolve(text)
            .ok_or_else(|| format!("'{text}' names no HL7 v2 version"))?,
    };
    let description = resolution.version.describe(&path);
    Ok(DescriptionInfo {
        path: path.to_string(),
        version: resolution.version.as_str(),
        version_note: resolution.note,
        label: description.label(),
        segment_name: description.segment.as_ref().map(|s| s.name.to_owned()),
        data_type: description.data_type().map(str::to_owned),
        field: description.field.map(ElementInfo::from),
        component: description.component.map(ElementInfo::from),
        subcomponent: description.subcomponent.map(ElementInfo::from),
    })
}

/// `describe(path, version)`: names and types from the HL7 dictionary for a path.
#[wasm_bindgen(unchecked_return_type = "Description")]
pub fn describe(path: &str, version: Option<String>) -> Result<JsValue, JsError> {
    let description = describe_path(path, version.as_deref()).map_err(|e| {
        let code = if e.contains("names no HL7 v2 version") {
            "version"
        } else {
            "path"
        };
        fail(code, e)
    })?;
    to_js(&description)
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
}

/// A finding as handed to JavaScript: the Rust finding plus UTF-16 offsets.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingInfo {
    #[serde(flatten)]
    finding: pipehat_validate::Finding,
    /// The finding's span in UTF-16 code units of the input string.
    text_span: Range,
}

/// A report as handed to JavaScript.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportInfo {
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<&'static str>,
    valid: bool,
    findings: Vec<FindingInfo>,
}

/// Validates the first message of `text`; errors for text with no readable MSH header.
pub fn validate_text(text: &str, options: &ValidateOptions) -> Result<ReportInfo, String> {
    let file = pipehat::File::parse(text.as_bytes());
    let message = file
        .messages()
        .first()
        .ok_or_else(|| "no HL7 v2 message (a line starting with MSH) in the input".to_owned())?;
    validate_message(&mut Utf16Offsets::new(text), message, options)
}

/// One message's report within a file, as handed to JavaScript.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageReportInfo {
    /// The message's position in the file, from 1.
    index: usize,
    /// MSH-10, to find the message again.
    control_id: String,
    /// Line of the message's MSH, from 1.
    line: usize,
    #[serde(flatten)]
    report: ReportInfo,
}

/// What a file holds that is not a readable message, as handed to JavaScript.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableInfo {
    /// Line where it starts, from 1.
    line: usize,
    /// Why it cannot be read.
    message: String,
}

/// The reports of every message in a file (batches, many messages, MLLP), and what could not
/// be read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReportInfo {
    messages: Vec<MessageReportInfo>,
    unreadable: Vec<UnreadableInfo>,
}

/// Validates every message of `text`.
pub fn validate_file_text(text: &str, options: &ValidateOptions) -> Result<FileReportInfo, String> {
    let file = pipehat::File::parse(text.as_bytes());
    let lines = pipehat::position::LineIndex::new(text.as_bytes());
    // One converter for the whole file: messages come in order, so it only moves forward.
    let mut utf16 = Utf16Offsets::new(text);
    let mut messages = Vec::with_capacity(file.messages().len());
    // One validator and one line index for the whole file (validating message by message
    // would index every line of the file again for each message).
    let reports = pipehat_validate::Validator::new().validate_file(&file, &rust_options(options)?);
    for (i, (message, report)) in file.messages().iter().zip(reports).enumerate() {
        let control_id = message
            .get(&"MSH-10".parse().expect("a fixed path"))
            .map(|e| e.text().into_owned())
            .unwrap_or_default();
        messages.push(MessageReportInfo {
            index: i + 1,
            control_id,
            line: lines.line_column(message.span().start).line,
            report: report_info(&mut utf16, report),
        });
    }
    let unreadable = file
        .unreadable()
        .iter()
        .map(|u| UnreadableInfo {
            line: lines.line_column(u.span().start).line,
            message: u.error().to_string(),
        })
        .collect();
    Ok(FileReportInfo {
        messages,
        unreadable,
    })
}

/// The validator's options from JavaScript's.
fn rust_options(options: &ValidateOptions) -> Result<pipehat_validate::Options<'_>, String> {
    let version = match options.version.as_deref() {
        None => None,
        Some(v) => Some(
            pipehat_dict::Version::resolve(v)
                .ok_or_else(|| format!("'{v}' names no HL7 v2 version"))?
                .version,
        ),
    };
    if let Some(profile) = &options.profile {
        profile.check().map_err(|e| e.to_string())?;
    }
    Ok(pipehat_validate::Options {
        version,
        preset: options.preset.unwrap_or_default(),
        with_values: options.with_values.unwrap_or(true),
        dictionary: None,
        profile: options.profile.as_ref(),
    })
}

fn validate_message(
    utf16: &mut Utf16Offsets<'_>,
    message: &pipehat::Message<'_>,
    options: &ValidateOptions,
) -> Result<ReportInfo, String> {
    let report = pipehat_validate::validate(message, &rust_options(options)?);
    Ok(report_info(utf16, report))
}

/// A report with UTF-16 spans, as JavaScript gets it.
fn report_info(utf16: &mut Utf16Offsets<'_>, report: pipehat_validate::Report) -> ReportInfo {
    let valid = report.is_valid();
    let mut findings = report.findings;
    // Utf16Offsets is fastest moving forward: convert every offset in order.
    let mut spans = vec![Range { start: 0, end: 0 }; findings.len()];
    let mut points: Vec<(usize, usize, bool)> = Vec::new();
    for (i, finding) in findings.iter().enumerate() {
        let [start, end] = finding.location.span;
        points.push((start, i, true));
        points.push((end, i, false));
    }
    points.sort_unstable();
    for (offset, i, is_start) in points {
        let at = utf16.utf16(offset);
        if is_start {
            spans[i].start = at;
        } else {
            spans[i].end = at;
        }
    }
    let findings = findings
        .drain(..)
        .zip(spans)
        .map(|(finding, text_span)| FindingInfo { finding, text_span })
        .collect();
    ReportInfo {
        version: report.version,
        structure: report.structure,
        valid,
        findings,
    }
}

/// `validateAll(text, options)`: the reports of every message in a file.
#[wasm_bindgen(js_name = validateAll, unchecked_return_type = "FileReport")]
pub fn validate_all(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: ValidateOptions = options_of("validateAll", options)?;
    let report = validate_file_text(text, &options).map_err(|e| fail("input", e))?;
    to_js(&report)
}

/// Options as `core.js` passes them: already checked there (unknown keys, types, values), so
/// an error here means a call that did not come through `core.js`. `undefined` and `null` are
/// no options.
fn options_of<T: serde::de::DeserializeOwned + Default>(
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
fn serde_message(error: &serde_wasm_bindgen::Error) -> String {
    let text = error.to_string();
    text.strip_prefix("Error: ")
        .map(str::to_owned)
        .unwrap_or(text)
}

/// `profileFromXml(text)`: an HL7 v2 XML conformance profile as the JSON profile `validate`
/// takes.
#[wasm_bindgen(js_name = profileFromXml, unchecked_return_type = "Profile")]
pub fn profile_from_xml(text: &str) -> Result<JsValue, JsError> {
    let profile = pipehat_validate::Profile::from_xml(text).map_err(|e| fail("profile", e))?;
    to_js(&profile)
}

/// `validate(text, options)`: the validation report of the first message in `text`.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn validate(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: ValidateOptions = options_of("validate", options)?;
    let report = validate_text(text, &options).map_err(|e| fail("input", e))?;
    to_js(&report)
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
    /// The key for pseudonyms (its UTF-8 bytes; `generateKey()` makes a good one).
    pub key: Option<String>,
    /// Whether the receipt carries original values (off by default).
    pub keep_originals: Option<bool>,
}

/// An anonymized file as handed to JavaScript.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnonymizedInfo {
    /// The anonymized text.
    text: String,
    /// What changed.
    receipt: pipehat_deid::Receipt,
}

/// Anonymizes every message of `text`.
///
/// # Errors
/// When the policy pseudonymizes without a key, or an override key is not a path.
pub fn anonymize_text(
    text: &str,
    options: AnonymizeOptions,
) -> Result<AnonymizedInfo, pipehat_deid::Error> {
    let mut policy = options.policy.unwrap_or_default();
    if let Some(preset) = options.preset {
        policy.preset = preset;
    }
    let anonymizer =
        pipehat_deid::Anonymizer::new(&policy, options.key.as_deref().map(str::as_bytes))?
            .keep_originals(options.keep_originals.unwrap_or(false));
    let output = anonymizer.anonymize(text.as_bytes());
    Ok(AnonymizedInfo {
        // Valid UTF-8 in gives valid UTF-8 out: kept bytes are copied whole, replacements are
        // ASCII or decoded text of the input.
        text: String::from_utf8(output.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        receipt: output.receipt,
    })
}

/// `anonymize(text, options)`: every message of `text` de-identified, and the receipt.
#[wasm_bindgen(unchecked_return_type = "Anonymized")]
pub fn anonymize(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "AnonymizeOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: AnonymizeOptions = options_of("anonymize", options)?;
    let output = anonymize_text(text, options).map_err(|e| match e {
        pipehat_deid::Error::KeyRequired => fail("key-required", e),
        pipehat_deid::Error::Policy(_) => fail("policy", e),
    })?;
    to_js(&output)
}

/// The dictionary version for a message: `version` when given, else its MSH-12, else the latest.
fn version_for(
    message: &pipehat::Message<'_>,
    version: Option<&str>,
) -> Result<pipehat_dict::Version, String> {
    if let Some(v) = version {
        return pipehat_dict::Version::resolve(v)
            .map(|r| r.version)
            .ok_or_else(|| format!("'{v}' names no HL7 v2 version"));
    }
    Ok(message
        .get(&"MSH-12.1".parse().expect("a fixed path"))
        .and_then(|e| pipehat_dict::Version::resolve(&e.text()))
        .map_or(pipehat_dict::Version::LATEST, |r| r.version))
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
}

/// `toJSON(text, { lossless, names, version })`: every message in the readable form (an array;
/// with `names`, each segment and element named from the dictionary), or with `lossless` the
/// whole file in the form `fromJSON` turns back into the same bytes.
#[wasm_bindgen(js_name = toJson, unchecked_return_type = "unknown")]
pub fn to_json(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "ToJSONOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: ToJsonOptions = options_of("toJSON", options)?;
    let file = pipehat::File::parse(text.as_bytes());
    if options.lossless == Some(true) {
        return to_js(&pipehat::json::Lossless(&file));
    }
    let out = js_sys::Array::new();
    for message in file.messages() {
        let value = if options.names == Some(true) {
            let version =
                version_for(message, options.version.as_deref()).map_err(|e| fail("version", e))?;
            to_js(&pipehat::json::Named(message, &version))?
        } else {
            to_js(&pipehat::json::Readable(message))?
        };
        out.push(&value);
    }
    Ok(out.into())
}

/// `fromJSON(value)`: the exact bytes of a file from its lossless JSON.
///
/// The value is read by [`lossless::read`], whose depth is the format's (a field holds at most
/// repetitions, components, subcomponents): a value nested deeper is refused where it starts,
/// never followed down (6,000 nested arrays used to overflow the stack).
#[wasm_bindgen(js_name = fromJson)]
pub fn from_json(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
) -> Result<Vec<u8>, JsError> {
    let file = lossless::read(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        fail(
            "json",
            format!("not pipehat's lossless JSON: {}", serde_message(&e)),
        )
    })?;
    pipehat::json::from_lossless(&file).map_err(|e| fail("json", e))
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
}

/// `ack(text, { code, controlId, timestamp })`: an acknowledgment for every message of `text`,
/// CR-terminated. With no `code`, validation decides (AA, AE or AR) and its errors
/// become ERR segments.
#[wasm_bindgen(js_name = ackAll)]
pub fn ack_all(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "AckOptions")] options: JsValue,
) -> Result<Vec<String>, JsError> {
    let AckOptions {
        code,
        control_id,
        timestamp,
    } = options_of("ack", options)?;
    let timestamp = timestamp.as_str();
    let file = pipehat::File::parse(text.as_bytes());
    if file.messages().is_empty() {
        return Err(fail(
            "input",
            "no HL7 v2 message (a line starting with MSH) in the input",
        ));
    }
    let fixed = match code.as_deref() {
        None => None,
        Some("AA") => Some(pipehat::AckCode::ApplicationAccept),
        Some("AE") => Some(pipehat::AckCode::ApplicationError),
        Some("AR") => Some(pipehat::AckCode::ApplicationReject),
        Some("CA") => Some(pipehat::AckCode::CommitAccept),
        Some("CE") => Some(pipehat::AckCode::CommitError),
        Some("CR") => Some(pipehat::AckCode::CommitReject),
        Some(other) => {
            return Err(fail(
                "options",
                format!(
                    "ack: option 'code' must be an acknowledgment code ('AA', 'AE', 'AR', 'CA', 'CE' or 'CR'), not '{other}'"
                ),
            ));
        }
    };
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
        acks.push(String::from_utf8_lossy(&ack.build(message)).into_owned());
    }
    Ok(acks)
}

/// Options of `get` as `core.js` passes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetOptions {
    /// As written (escapes kept) instead of decoded.
    pub raw: Option<bool>,
}

/// `get(text, path, { raw })`: the value `path` names in every message of `text` (decoded, or
/// raw as written), `undefined` where a message lacks it.
#[wasm_bindgen(js_name = getAll, unchecked_return_type = "(string | undefined)[]")]
pub fn get_all(
    text: &str,
    path: &str,
    #[wasm_bindgen(unchecked_param_type = "{ raw?: boolean } | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let raw = options_of::<GetOptions>("get", options)?.raw == Some(true);
    let path: pipehat::Path = path
        .parse()
        .map_err(|e: pipehat::PathError| fail("path", format!("'{path}' is not a path: {e}")))?;
    let file = pipehat::File::parse(text.as_bytes());
    let values: js_sys::Array = file
        .messages()
        .iter()
        .map(|message| match message.get(&path) {
            None => JsValue::UNDEFINED,
            Some(element) if raw => JsValue::from_str(&String::from_utf8_lossy(element.as_bytes())),
            Some(element) => JsValue::from_str(&element.text()),
        })
        .collect();
    Ok(values.into())
}

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
}

impl HandleFile {
    /// Parses every message of `text` (a file, batch or MLLP stream). Not a JavaScript
    /// constructor: a class's constructor is reachable from every handle (`.constructor`), and
    /// everything JavaScript calls goes through `core.js`, which checks its arguments.
    pub fn new(text: String) -> HandleFile {
        HandleFile {
            parsed: parsed::ParsedFile::new(text, |text| pipehat::File::parse(text.as_bytes())),
        }
    }
}

#[wasm_bindgen(js_class = HL7File)]
impl HandleFile {
    /// Parses every message of UTF-8 `bytes` (invalid sequences become U+FFFD). Passing bytes
    /// is how JavaScript hands over big text fast: `TextEncoder` is native, wasm-bindgen's
    /// string copy walks the text a character at a time.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Vec<u8>) -> HandleFile {
        HandleFile::new(utf8(bytes))
    }

    /// Parses every message of the `len` bytes JavaScript wrote into [`input_buffer`].
    #[wasm_bindgen(js_name = fromInput)]
    pub fn from_input(len: usize) -> HandleFile {
        HandleFile::new(utf8(take_input(len)))
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
                String::from_utf8_lossy(element.as_bytes())
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
        )
    }
}

/// A parsed message kept on the Rust side, for JavaScript to read and edit without sending the
/// text across the boundary for every call: `parse(text)` in the package.
#[wasm_bindgen(js_name = HL7Message)]
#[derive(Debug)]
pub struct HandleMessage {
    parsed: parsed::Parsed,
}

impl HandleMessage {
    /// Parses one message (the first of `text`, if it holds several). Not a JavaScript
    /// constructor (see [`HandleFile::new`]).
    ///
    /// # Errors
    /// When `text` holds no readable header.
    pub fn new(text: &str) -> Result<HandleMessage, JsError> {
        HandleMessage::from_owned(text.to_string())
    }
}

#[wasm_bindgen(js_class = HL7Message)]
impl HandleMessage {
    /// Parses the first message of UTF-8 `bytes` (see [`HandleFile::from_bytes`]).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<HandleMessage, JsError> {
        HandleMessage::from_owned(utf8(bytes))
    }

    /// Parses the first message of the `len` bytes JavaScript wrote into [`input_buffer`].
    #[wasm_bindgen(js_name = fromInput)]
    pub fn from_input(len: usize) -> Result<HandleMessage, JsError> {
        HandleMessage::from_owned(utf8(take_input(len)))
    }

    /// Parses the first message of `text`, keeping `text` when it is that message (the usual
    /// case: one parse, no copy), else a copy of the message's own bytes.
    fn from_owned(text: String) -> Result<HandleMessage, JsError> {
        enum Rejected {
            Broken(pipehat::Error),
            Part(core::ops::Range<usize>),
        }
        let parsed = parsed::Parsed::try_new_or_recover(text, |text| {
            let message = pipehat::Message::parse(text.as_bytes()).map_err(Rejected::Broken)?;
            if message.span().range() == (0..text.len()) {
                Ok(message)
            } else {
                Err(Rejected::Part(message.span().range()))
            }
        });
        match parsed {
            Ok(parsed) => Ok(HandleMessage { parsed }),
            Err((text, Rejected::Part(range))) => {
                HandleMessage::from_text(text.get(range).unwrap_or_default().to_string())
            }
            Err((_, Rejected::Broken(error))) => Err(fail_at("input", error.span().start, &error)),
        }
    }

    fn from_text(text: String) -> Result<HandleMessage, JsError> {
        let parsed = parsed::Parsed::try_new(text, |text| pipehat::Message::parse(text.as_bytes()))
            .map_err(|e| fail_at("input", e.span().start, &e))?;
        Ok(HandleMessage { parsed })
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
            Some(element) if raw => JsValue::from_str(&String::from_utf8_lossy(element.as_bytes())),
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
        *self = HandleMessage::from_text(String::from_utf8_lossy(buf.as_bytes()).into_owned())?;
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

/// `parseMany(text)`: every readable message of a file, batch or stream.
#[wasm_bindgen(js_name = parseMany, unchecked_return_type = "HL7Message[]")]
pub fn parse_many(text: &str) -> Result<JsValue, JsError> {
    let file = pipehat::File::parse(text.as_bytes());
    let out = js_sys::Array::new();
    for message in file.messages() {
        let part = text.get(message.span().range()).unwrap_or_default();
        let handle = HandleMessage::from_text(part.to_string())?;
        out.push(&JsValue::from(handle));
    }
    Ok(out.into())
}

std::thread_local! {
    /// Where JavaScript writes a string's UTF-8 (`TextEncoder.encodeInto`) for the next parse:
    /// straight into wasm memory, with no temporary array and no second copy.
    static INPUT: core::cell::RefCell<Vec<u8>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` bytes long, keeping what it holds, and returns where it starts
/// in wasm memory (valid until the next allocation).
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> *const u8 {
    INPUT.with_borrow_mut(|input| {
        input.resize(len, 0);
        input.as_ptr()
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
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// An error for JavaScript, with a code `core.js` turns into a `PipehatError`'s `code`: the
/// message travels as `\u{1}code\u{1}text` (JS errors from wasm carry only a message).
fn fail(code: &str, message: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("\u{1}{code}\u{1}{message}"))
}

/// Like [`fail`], with the byte offset in the input where the problem is.
fn fail_at(code: &str, offset: usize, message: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("\u{1}{code}@{offset}\u{1}{message}"))
}

/// The one place Rust values become JavaScript values.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| fail("internal", error))
}
