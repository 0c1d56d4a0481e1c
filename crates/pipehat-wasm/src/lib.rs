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

/// `segments(input)`: the segments of the `len` bytes of input JavaScript wrote into
/// [`input_buffer`]; with UTF-16 spans too when they are a string's (`text`).
#[wasm_bindgen(unchecked_return_type = "Segment[]")]
pub fn segments(len: usize, text: bool) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    to_js(&segments_of(input.bytes(), input.text()))
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
    fn take(len: usize, text: bool) -> Input {
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

fn limits_of(options: Option<LimitsOptions>) -> pipehat::Limits {
    options.unwrap_or_default().limits()
}

/// What `input` starts with, for an error message: printable characters as they are; quotes,
/// backslashes, controls, invisible and formatting characters (see [`invisible`]) and bytes that
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

/// The line (from 1) of a byte offset: CR, LF and CRLF each end one line.
fn line_of(input: &[u8], offset: usize) -> usize {
    1 + line_ends(&input[..offset.min(input.len())])
}

fn line_ends(bytes: &[u8]) -> usize {
    let crs = bytes.iter().filter(|&&b| b == b'\r').count();
    let lfs_alone = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
        .count();
    crs + lfs_alone
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
fn message_failure(input: &[u8], error: &pipehat::Error) -> Failure {
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

/// A finding as handed to JavaScript: the Rust finding plus UTF-16 offsets.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingInfo {
    #[serde(flatten)]
    finding: pipehat_validate::Finding,
    /// The finding's span in UTF-16 code units of the input string; absent for bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    text_span: Option<Range>,
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

/// Validates the first message of `input`.
///
/// # Errors
/// See [`check_file`]; a version or profile that cannot be used.
pub fn validate_input(input: &Input, options: &ValidateOptions) -> Result<ReportInfo, Failure> {
    let file = input.file(limits_of(options.limits));
    check_file(&file, Unreadable::Refuse)?;
    let message = &file.messages()[0];
    let report = pipehat_validate::validate(message, &rust_options(options)?);
    Ok(report_info(
        input.text().map(Utf16Offsets::new).as_mut(),
        report,
    ))
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

/// Validates every message of `input`; what cannot be read (also where a limit stopped reading)
/// is listed as unreadable.
///
/// # Errors
/// When `input` holds no readable message (see [`check_file`]); a version or profile that
/// cannot be used.
pub fn validate_file_input(
    input: &Input,
    options: &ValidateOptions,
) -> Result<FileReportInfo, Failure> {
    let file = input.file(limits_of(options.limits));
    check_file(&file, Unreadable::List)?;
    let lines = pipehat::position::LineIndex::new(input.bytes());
    // One converter for the whole file: messages come in order, so it only moves forward.
    let mut utf16 = input.text().map(Utf16Offsets::new);
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
            report: report_info(utf16.as_mut(), report),
        });
    }
    let unreadable = file
        .unreadable()
        .iter()
        .map(|u| UnreadableInfo {
            line: lines.line_column(u.error().span().start).line,
            message: u.error().to_string(),
        })
        .collect();
    Ok(FileReportInfo {
        messages,
        unreadable,
    })
}

/// The validator's options from JavaScript's.
fn rust_options(options: &ValidateOptions) -> Result<pipehat_validate::Options<'_>, Failure> {
    let version = match options.version.as_deref() {
        None => None,
        Some(v) => Some(
            pipehat_dict::Version::resolve(v)
                .ok_or_else(|| Failure::new("version", format!("'{v}' names no HL7 v2 version")))?
                .version,
        ),
    };
    if let Some(profile) = &options.profile {
        profile
            .check()
            .map_err(|e| Failure::new("profile", e.to_string()))?;
    }
    Ok(pipehat_validate::Options {
        version,
        preset: options.preset.unwrap_or_default(),
        with_values: options.with_values.unwrap_or(true),
        dictionary: None,
        profile: options.profile.as_ref(),
    })
}

/// A report as JavaScript gets it: with UTF-16 spans when the input was a string.
fn report_info(
    utf16: Option<&mut Utf16Offsets<'_>>,
    report: pipehat_validate::Report,
) -> ReportInfo {
    let valid = report.is_valid();
    let mut findings = report.findings;
    let Some(utf16) = utf16 else {
        return ReportInfo {
            version: report.version,
            structure: report.structure,
            valid,
            findings: findings
                .drain(..)
                .map(|finding| FindingInfo {
                    finding,
                    text_span: None,
                })
                .collect(),
        };
    };
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
        .map(|(finding, text_span)| FindingInfo {
            finding,
            text_span: Some(text_span),
        })
        .collect();
    ReportInfo {
        version: report.version,
        structure: report.structure,
        valid,
        findings,
    }
}

/// `validateAll(input, options)`: the reports of every message in a file (the input as for
/// [`segments`]).
#[wasm_bindgen(js_name = validateAll, unchecked_return_type = "FileReport")]
pub fn validate_all(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: ValidateOptions = options_of("validateAll", options)?;
    let report = validate_file_input(&input, &options)?;
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

/// `validate(input, options)`: the validation report of the first message (the input as for
/// [`segments`]).
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn validate(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: ValidateOptions = options_of("validate", options)?;
    let report = validate_input(&input, &options)?;
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

/// An anonymized input: text for a string, bytes in each message's own character set for
/// bytes; and the receipt.
#[derive(Debug, Clone)]
pub struct AnonymizedInfo {
    /// The anonymized messages, as the input was (text or bytes).
    pub output: Input,
    /// What changed.
    pub receipt: pipehat_deid::Receipt,
}

/// Anonymizes every message of `input`: a string as text, bytes as bytes (each message read,
/// and its replacements written, in its MSH-18 character set).
///
/// # Errors
/// Input with no readable message, a message that cannot be read, or reading stopped by a limit
/// (see [`check_file`]); a policy that pseudonymizes without a key, or with one shorter than
/// [`pipehat_deid::MIN_KEY_BYTES`]; an override key that is not a path.
pub fn anonymize_input(
    input: &Input,
    options: AnonymizeOptions,
) -> Result<AnonymizedInfo, Failure> {
    // The anonymizer reads the file again with the default limits: lower ones only.
    let defaults = pipehat::Limits::default();
    let limits = options.limits.unwrap_or_default().limits();
    let limits = if limits == defaults {
        limits
    } else {
        let given = options.limits.unwrap_or_default();
        LimitsOptions {
            max_segments: given.max_segments.map(|n| n.min(100_000)),
            max_messages: given.max_messages.map(|n| n.min(10_000_000)),
        }
        .limits()
    };
    let file = input.file(limits);
    // A message it cannot read it could not look inside: its lines would be copied or dropped.
    check_file(&file, Unreadable::Refuse)?;
    let mut policy = options.policy.unwrap_or_default();
    if let Some(preset) = options.preset {
        policy.preset = preset;
    }
    if let Some(free_text) = options.free_text {
        policy.free_text = free_text;
    }
    let anonymizer =
        pipehat_deid::Anonymizer::new(&policy, options.key.as_deref().map(str::as_bytes))
            .map_err(|e| match e {
                pipehat_deid::Error::KeyRequired => Failure::new("key-required", e.to_string()),
                pipehat_deid::Error::KeyTooShort { .. } => Failure::new(
                    "key-too-short",
                    format!(
                        "{e} of UTF-8 (generateKey(), or `pipehat anonymize --generate-key`, \
                         makes a 256-bit one)"
                    ),
                ),
                _ => Failure::new("policy", e.to_string()),
            })?
            .keep_originals(options.keep_originals.unwrap_or(false));
    Ok(match input {
        Input::Bytes(bytes) => {
            let anonymized = anonymizer.anonymize(bytes);
            AnonymizedInfo {
                output: Input::Bytes(anonymized.bytes),
                receipt: anonymized.receipt,
            }
        }
        Input::Text(text) => {
            // A string is text: its values are read as the characters they are, whatever
            // MSH-18 says, and the output is text too.
            let anonymized = anonymizer.anonymize_text(text);
            AnonymizedInfo {
                output: Input::Text(anonymized.text),
                receipt: anonymized.receipt,
            }
        }
    })
}

/// `anonymize(input, options)`: every message de-identified (the input as for [`segments`]),
/// and the receipt: `{ text, receipt }` for a string, `{ bytes, receipt }` for bytes.
#[wasm_bindgen(unchecked_return_type = "Anonymized | AnonymizedBytes")]
pub fn anonymize(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "AnonymizeOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: AnonymizeOptions = options_of("anonymize", options)?;
    let AnonymizedInfo { output, receipt } = anonymize_input(&input, options)?;
    let out = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&out, &key.into(), value);
    match output {
        Input::Text(text) => set("text", &JsValue::from_str(&text)),
        Input::Bytes(bytes) => set("bytes", &js_sys::Uint8Array::from(bytes.as_slice()).into()),
    }
    .and_then(|_| set("receipt", &to_js(&receipt).map_err(JsValue::from)?))
    .map_err(|_| fail("internal", "the result could not be made"))?;
    Ok(out.into())
}

/// An element as written (escapes kept), as text: its bytes in its message's character set.
fn raw_text<'a>(
    message: &pipehat::Message<'a>,
    element: pipehat::Element<'a>,
) -> std::borrow::Cow<'a, str> {
    pipehat::charset::decode_text(element.as_bytes(), message.encoding())
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
    Ok(pipehat_dict::Version::of_message(message))
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

/// `toJSON(text, { lossless, names, version })`: every message in the readable form (an array;
/// with `names`, each segment and element named from the dictionary), or with `lossless` the
/// whole file in the form `fromJSON` turns back into the same bytes.
///
/// For bytes, values are read by each message's MSH-18, and the lossless form is of the bytes
/// themselves (what is not UTF-8 as `{"hex"}`), so `fromJSON` gives back those exact bytes.
#[wasm_bindgen(js_name = toJson, unchecked_return_type = "unknown")]
pub fn to_json(
    len: usize,
    text: bool,
    #[wasm_bindgen(unchecked_param_type = "ToJSONOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: ToJsonOptions = options_of("toJSON", options)?;
    let file = input.file(limits_of(options.limits));
    let lossless = options.lossless == Some(true);
    check_file(
        &file,
        if lossless {
            Unreadable::Keep
        } else {
            Unreadable::Refuse
        },
    )?;
    if lossless {
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
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
}

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
        acks.push(build_ack(&ack, message));
    }
    Ok(acks)
}

/// The acknowledgment's bytes in the character set of `message`. The core copies MSH fields
/// as they are and writes its own text (MSA-3, ERR-7) as UTF-8, so for an ISO 8859-1 message
/// it is built from the message's text and then written in ISO 8859-1 (a character that set
/// cannot hold as `?`).
fn build_ack(ack: &pipehat::Acknowledgment, message: &pipehat::Message<'_>) -> Vec<u8> {
    if message.encoding() != pipehat::Charset::Latin1 || message.as_bytes().is_ascii() {
        return ack.build(message);
    }
    let text = pipehat::charset::decode_text(message.as_bytes(), message.encoding());
    let Ok(as_text) = pipehat::Message::parse_text(&text) else {
        return ack.build(message);
    };
    utf8(ack.build(&as_text))
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
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

/// `get(text, path, { raw })`: the value `path` names in every message of `text` (decoded, or
/// raw as written), `undefined` where a message lacks it.
#[wasm_bindgen(js_name = getAll, unchecked_return_type = "(string | undefined)[]")]
pub fn get_all(
    len: usize,
    text: bool,
    path: &str,
    #[wasm_bindgen(unchecked_param_type = "{ raw?: boolean } | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = Input::take(len, text);
    let options: GetOptions = options_of("get", options)?;
    let raw = options.raw == Some(true);
    let path: pipehat::Path = path
        .parse()
        .map_err(|e: pipehat::PathError| fail("path", format!("'{path}' is not a path: {e}")))?;
    let file = input.file(limits_of(options.limits));
    check_file(&file, Unreadable::Refuse)?;
    let values: js_sys::Array = file
        .messages()
        .iter()
        .map(|message| match message.get(&path) {
            None => JsValue::UNDEFINED,
            Some(element) if raw => JsValue::from_str(&raw_text(message, element)),
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
    /// The limits it was read with, for its messages read again as handles.
    limits: pipehat::Limits,
}

/// Options of `parse`, `parseMany` and `parseFile` as `core.js` passes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParseOptions {
    /// Parser limits.
    pub limits: Option<LimitsOptions>,
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

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rPID|1||7||DOE^JANE\r";

    fn anonymize_text(text: &str, options: AnonymizeOptions) -> Result<AnonymizedInfo, Failure> {
        anonymize_input(&Input::Text(text.to_owned()), options)
    }

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

    #[test]
    fn free_text_is_redacted_unless_scrub_is_asked_for() {
        let note = "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1||||||8859/1\r\
            PID|1||7||Kowalski^Łucja\rNTE|1||Łucja Kowalski fell; daughter Ewa called\r";
        let with = |free_text, policy: Option<pipehat_deid::FreeText>| AnonymizeOptions {
            free_text,
            policy: policy.map(|free_text| pipehat_deid::Policy {
                free_text,
                ..pipehat_deid::Policy::default()
            }),
            ..AnonymizeOptions::default()
        };
        let text = |options| match anonymize_text(note, options).unwrap().output {
            Input::Text(text) => text,
            Input::Bytes(_) => panic!("text in, text out"),
        };
        assert!(text(with(None, None)).contains("NTE|1||REDACTED\r"));
        // A string is text: Ł, which 8859/1 cannot hold, is a character to match, not `?`.
        let scrubbed = text(with(Some(pipehat_deid::FreeText::Scrub), None));
        assert!(
            !scrubbed.contains("Kowalski") && !scrubbed.contains("Łucja"),
            "{scrubbed}"
        );
        assert!(scrubbed.contains("fell; daughter Ewa called"), "{scrubbed}");
        // The option wins over the policy's.
        let redacted = text(with(
            Some(pipehat_deid::FreeText::Redact),
            Some(pipehat_deid::FreeText::Scrub),
        ));
        assert!(redacted.contains("NTE|1||REDACTED\r"), "{redacted}");
        assert_eq!(
            text(with(None, Some(pipehat_deid::FreeText::Scrub))),
            scrubbed
        );
    }

    #[test]
    fn anonymize_refuses_what_it_cannot_read() {
        let limits = |n| AnonymizeOptions {
            limits: Some(LimitsOptions {
                max_segments: Some(n),
                max_messages: None,
            }),
            ..AnonymizeOptions::default()
        };
        let big = format!("{MESSAGE}{}", "OBX|1\r".repeat(100_000));
        // Raising the limit does not get past the anonymizer's own.
        let failure = anonymize_text(&big, limits(200_000)).unwrap_err();
        assert!(failure.message.starts_with("line 100001: "), "{failure}");
        let damaged = format!("{MESSAGE}MSH\rPID|1||8||ROE^JOHN\r");
        let failure = anonymize_text(&damaged, AnonymizeOptions::default()).unwrap_err();
        assert!(
            failure
                .message
                .starts_with("line 3: a message cannot be read ("),
            "{failure}"
        );
        assert!(anonymize_text(MESSAGE, limits(2)).is_ok());
        let key = |key: &str| AnonymizeOptions {
            preset: Some(pipehat_deid::Preset::Pseudonymize),
            key: Some(key.to_owned()),
            ..AnonymizeOptions::default()
        };
        let short = anonymize_text(MESSAGE, key("a")).unwrap_err();
        assert_eq!(short.code, "key-too-short");
        assert!(
            short
                .message
                .starts_with("the key is 1 byte: a key needs at least 16 bytes")
        );
        assert_eq!(
            anonymize_text(MESSAGE, key("ü".repeat(7).as_str()))
                .unwrap_err()
                .code,
            "key-too-short"
        );
        assert!(anonymize_text(MESSAGE, key("ü".repeat(8).as_str())).is_ok());
        assert_eq!(
            anonymize_text(MESSAGE, key("")).unwrap_err().code,
            "key-required"
        );
        assert!(anonymize_text("", AnonymizeOptions::default()).is_err());
    }
}
