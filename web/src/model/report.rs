//! Message `index`'s validation, as the user chose to check it: the findings panel's rows, the
//! report to copy (text or JSON) and the acknowledgment a receiver would send.

use std::cell::RefCell;

use pipehat::Message;
use pipehat_validate::{Report, Severity, Validator};

use super::checks::Checks;
use super::parsed::Parsed;

/// One validation finding, for the findings panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// `PID-7`, or empty for a missing segment.
    pub path: String,
    /// `value.format`.
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// Where: line, from 1.
    pub line: usize,
    /// Where: column, from 1.
    pub column: usize,
    /// Where: `[start, end)` in bytes.
    pub span: (usize, usize),
}

/// Message `index` of `parsed` (else the first) and its validation as the user chose to check
/// it, findings placed by the text's own line index (one the validator would otherwise build
/// of the whole text, for each message it validates).
fn validated<'p>(
    parsed: &'p Parsed,
    index: usize,
    checks: &Checks,
) -> Option<(&'p Message<'p>, Report)> {
    thread_local! {
        // What the validator resolves from the dictionary, kept for the next message.
        static VALIDATOR: RefCell<Validator> = RefCell::new(Validator::new());
    }
    let message = parsed.message(index)?;
    let (options, lines) = (checks.options(), parsed.lines());
    let report = VALIDATOR.with(|validator| match validator.try_borrow_mut() {
        Ok(mut validator) => validator.validate_in(message, &options, lines),
        Err(_) => Validator::new().validate_in(message, &options, lines),
    });
    Some((message, report))
}

/// Message `index`'s validation (else the first's), as the user chose to check it.
pub fn findings(parsed: &Parsed, index: usize, checks: &Checks) -> Vec<FindingRow> {
    let Some((_, report)) = validated(parsed, index, checks) else {
        return Vec::new();
    };
    let mut rows: Vec<FindingRow> = report
        .findings
        .into_iter()
        .map(|f| FindingRow {
            severity: match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            },
            path: f.location.path.unwrap_or_default(),
            rule: f.rule,
            message: f.message,
            line: f.location.line,
            column: f.location.column,
            span: (f.location.span[0], f.location.span[1]),
        })
        .collect();
    // Errors first, then warnings, then infos; in message order within each.
    rows.sort_by_key(|r| match r.severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    });
    rows
}

/// Message `index`'s validation report to copy: as text (one finding a line, as the CLI prints
/// it) or as JSON (as the npm package and `pipehat validate --format json` give it).
pub fn report_text(parsed: &Parsed, index: usize, checks: &Checks, json: bool) -> String {
    let Some((_, report)) = validated(parsed, index, checks) else {
        return String::new();
    };
    if json {
        serde_json::to_string_pretty(&report).unwrap_or_default()
    } else {
        report.to_string()
    }
}

/// The acknowledgment for message `index` of `parsed`: AA, AE or AR from its validation, each
/// finding an ERR segment; MSH-7 and the control id from `timestamp` (`YYYYMMDDHHMMSS`).
pub fn acknowledgment(
    parsed: &Parsed,
    index: usize,
    checks: &Checks,
    timestamp: &str,
) -> Option<String> {
    let (message, report) = validated(parsed, index, checks)?;
    let mut ack =
        pipehat::Acknowledgment::new(report.ack_code(), format!("ACK{timestamp}"), timestamp);
    for error in report.ack_errors() {
        ack = ack.error(error);
    }
    Some(String::from_utf8_lossy(&ack.build(message)).into_owned())
}
