//! The report: findings with severity, HL7 error code, rule, location and words.

use core::fmt;

use serde::Serialize;

/// How much a finding matters (HL7 table 0516: E, W, I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The message breaks a rule a receiver may reject it for (ERR-4 `E`).
    Error,
    /// Legal or nearly, but likely to trouble a receiver (ERR-4 `W`).
    Warning,
    /// Worth knowing; nothing is wrong (ERR-4 `I`).
    Info,
}

impl Severity {
    /// The HL7 table 0516 code: `E`, `W` or `I`.
    #[must_use]
    pub const fn hl7_code(self) -> &'static str {
        match self {
            Severity::Error => "E",
            Severity::Warning => "W",
            Severity::Info => "I",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl From<Severity> for pipehat::Severity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => pipehat::Severity::Error,
            Severity::Warning => pipehat::Severity::Warning,
            Severity::Info => pipehat::Severity::Info,
        }
    }
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The element's path (`PID-7`, `OBX[2]-5.1`); absent for what has no element, such as a
    /// missing segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The segment's position in the message, from 1 (MSH is 1); for a missing segment, the
    /// segment before which it was expected (one past the last at the end of the message).
    pub segment: usize,
    /// Byte range into the input as given: `[start, end)`.
    pub span: [usize; 2],
    /// Line of `span`'s start, from 1.
    pub line: usize,
    /// Column of `span`'s start, from 1, in characters.
    pub column: usize,
}

/// One problem found, with everything needed to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Error, warning or info.
    pub severity: Severity,
    /// The HL7 error code (table 0357): 100 segment sequence, 101 required field missing, 102
    /// data type, 103 table value not found, 104 value too long, 200–203 unsupported message
    /// type, event, processing id, version.
    pub code: u16,
    /// A stable id for the rule, e.g. `field.required`, for filtering and configuration.
    pub rule: &'static str,
    /// Where it is.
    pub location: Location,
    /// What is wrong, naming the element in words.
    pub message: String,
    /// The value concerned, unless the report was made without values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Everything validation found in one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The HL7 version the message was checked against.
    pub version: &'static str,
    /// The message structure checked (`ADT_A01`), when one was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<&'static str>,
    /// Every finding, in message order (findings about the message as a whole first).
    pub findings: Vec<Finding>,
}

impl Report {
    /// Findings of this severity.
    pub fn with_severity(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// True when no finding is an error.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.with_severity(Severity::Error).next().is_none()
    }

    /// (errors, warnings, infos).
    #[must_use]
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s| self.with_severity(s).count();
        (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
        )
    }

    /// The errors to put in an acknowledgment's ERR segments, in the form of the message's
    /// version (see [`pipehat::Acknowledgment`]).
    #[must_use]
    pub fn ack_errors(&self) -> Vec<pipehat::AckError> {
        self.findings
            .iter()
            .map(|finding| {
                let mut error = pipehat::AckError::new(finding.code, finding.message.clone())
                    .severity(finding.severity.into());
                if let Some(path) = finding
                    .location
                    .path
                    .as_deref()
                    .and_then(|p| p.parse().ok())
                {
                    error = error.at(path);
                }
                error
            })
            .collect()
    }

    /// The acknowledgment code the findings call for: `AR` (reject) when the message type,
    /// event, processing id or version is unsupported (codes 200–203), `AE` when any finding is
    /// an error, else `AA`.
    #[must_use]
    pub fn ack_code(&self) -> pipehat::AckCode {
        let errors = || self.with_severity(Severity::Error);
        if errors().any(|f| (200..=203).contains(&f.code)) {
            pipehat::AckCode::ApplicationReject
        } else if errors().next().is_some() {
            pipehat::AckCode::ApplicationError
        } else {
            pipehat::AckCode::ApplicationAccept
        }
    }
}

/// The report as text, a line per finding:
/// `3:9 error 102 value.format PID-7: PID-7 Date/Time of Birth: '19800230' is not a valid date`.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, warnings, infos) = self.counts();
        write!(f, "HL7 v{}", self.version)?;
        if let Some(structure) = self.structure {
            write!(f, " {structure}")?;
        }
        writeln!(f, ": {errors} errors, {warnings} warnings, {infos} infos")?;
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = &self.location;
        write!(
            f,
            "{}:{} {} {} {}",
            at.line,
            at.column,
            self.severity.word(),
            self.code,
            self.rule
        )?;
        if let Some(path) = &at.path {
            write!(f, " {path}")?;
        }
        write!(f, ": {}", self.message)
    }
}
