//! Message `index`'s validation, as the user chose to check it: the findings panel's rows, the
//! report to copy (text or JSON) and the acknowledgment a receiver would send.

use pipehat::File;
use pipehat_validate::{Severity, validate};

use super::checks::Checks;

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

/// Message `index`'s validation, as the user chose to check it.
pub fn findings(text: &str, index: usize, checks: &Checks) -> Vec<FindingRow> {
    let file = File::parse_text(text);
    let Some(message) = file.messages().get(index).or(file.messages().first()) else {
        return Vec::new();
    };
    let report = validate(message, &checks.options());
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
pub fn report_text(text: &str, index: usize, checks: &Checks, json: bool) -> String {
    let file = File::parse_text(text);
    let Some(message) = file.messages().get(index).or(file.messages().first()) else {
        return String::new();
    };
    let report = validate(message, &checks.options());
    if json {
        serde_json::to_string_pretty(&report).unwrap_or_default()
    } else {
        report.to_string()
    }
}

/// The acknowledgment for message `index` of `text`: AA, AE or AR from its validation, each
/// finding an ERR segment; MSH-7 and the control id from `timestamp` (`YYYYMMDDHHMMSS`).
pub fn acknowledgment(
    text: &str,
    index: usize,
    checks: &Checks,
    timestamp: &str,
) -> Option<String> {
    let file = File::parse_text(text);
    let message = file.messages().get(index).or(file.messages().first())?;
    let report = validate(message, &checks.options());
    let mut ack =
        pipehat::Acknowledgment::new(report.ack_code(), format!("ACK{timestamp}"), timestamp);
    for error in report.ack_errors() {
        ack = ack.error(error);
    }
    Some(String::from_utf8_lossy(&ack.build(message)).into_owned())
}
