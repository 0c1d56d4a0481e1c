//! `validate` and `validateAll`: validation reports of the first or every message, with UTF-16
//! spans for string input.

use pipehat::position::Utf16Offsets;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::failure::{Failure, Unreadable, check_file};
use crate::input::{Input, Range};
use crate::options::{ValidateOptions, limits_of, options_of};
use crate::to_js;
// Named only in doc comments (which are also the JSDoc, so they keep their words).
#[cfg(doc)]
use crate::segments;

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
