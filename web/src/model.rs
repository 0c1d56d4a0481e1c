//! What the viewer shows, computed from the pasted text by the Rust crates: plain data for the
//! components to render (no HTML is ever built from message text: Leptos sets it as text).

use pipehat::{File, Message, Path};
use pipehat_deid::{Anonymizer, Policy, Preset};
use pipehat_dict::Version;
use pipehat_validate::{Options, Severity, validate};

/// One named element of a segment: a field, or a component or subcomponent of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ElementRow {
    /// `PID-5`, `PID-5.1`, `PID-3[2].4`.
    pub path: String,
    /// Its name from the dictionary, e.g. "Patient Name / Family Name"; empty when unknown.
    pub name: String,
    /// Its data type, e.g. `XPN`.
    pub data_type: String,
    /// The decoded value (escapes resolved); `""` for the explicit HL7 null.
    pub value: String,
    /// How deep it is: 0 a field or repetition, 1 a component, 2 a subcomponent.
    pub depth: u8,
    /// The explicit HL7 null (`""`), which tells a receiver to delete the value.
    pub null: bool,
}

/// A segment with its name and the elements that have values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentView {
    /// Position in the message, from 1.
    pub number: usize,
    /// `PID`.
    pub id: String,
    /// "Patient Identification"; empty for segments the dictionary lacks (Z-segments).
    pub name: String,
    /// Fields, components and subcomponents that hold something.
    pub elements: Vec<ElementRow>,
}

/// The first message of the text, read for people.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageView {
    /// The HL7 version used for names (MSH-12, else the latest).
    pub version: String,
    /// How many messages the text holds.
    pub messages: usize,
    /// The segments of the first message.
    pub segments: Vec<SegmentView>,
    /// Why nothing could be read, when nothing could.
    pub error: Option<String>,
}

fn version_of(message: &Message<'_>) -> Version {
    message
        .get(&"MSH-12.1".parse().expect("a fixed path"))
        .and_then(|e| Version::resolve(&e.text()))
        .map_or(Version::LATEST, |r| r.version)
}

/// The structure of message `index` (from 0) of `text`.
pub fn message_view(text: &str, index: usize) -> MessageView {
    let file = File::parse(text.as_bytes());
    let Some(message) = file.messages().get(index).or(file.messages().first()) else {
        return MessageView {
            error: (!text.trim().is_empty()).then(|| {
                file.unreadable().first().map_or_else(
                    || "No HL7 v2 message here: a message starts with MSH.".to_string(),
                    |u| format!("This message cannot be read: {}", u.error()),
                )
            }),
            ..MessageView::default()
        };
    };
    let version = version_of(message);
    let mut occurrences: Vec<(Vec<u8>, usize)> = Vec::new();
    let mut segments = Vec::new();
    for (index, segment) in message.segments().enumerate() {
        let id = segment.id().to_vec();
        let occurrence = match occurrences.iter_mut().find(|(seen, _)| *seen == id) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                occurrences.push((id.clone(), 1));
                1
            }
        };
        let id_text = String::from_utf8_lossy(&id).into_owned();
        let name = version.segment(&id_text).map_or("", |s| s.name).to_string();
        let prefix = if occurrence > 1 {
            format!("{id_text}[{occurrence}]")
        } else {
            id_text.clone()
        };
        let mut elements = Vec::new();
        for (f, field) in segment.fields().enumerate() {
            let number = f + 1;
            if field.is_empty() {
                continue;
            }
            let repetitions: Vec<_> = field.repetitions().collect();
            for (r, repetition) in repetitions.iter().enumerate() {
                if repetition.is_empty() {
                    continue;
                }
                let field_path = if repetitions.len() > 1 {
                    format!("{prefix}-{number}[{}]", r + 1)
                } else {
                    format!("{prefix}-{number}")
                };
                push(
                    &mut elements,
                    version,
                    &field_path,
                    repetition.text().into_owned(),
                    repetition.is_null(),
                    0,
                );
                let components: Vec<_> = repetition.components().collect();
                if components.len() < 2 || (segment.is_header() && number <= 2) {
                    continue;
                }
                for (c, component) in components.iter().enumerate() {
                    if component.is_empty() {
                        continue;
                    }
                    let component_path = format!("{field_path}.{}", c + 1);
                    push(
                        &mut elements,
                        version,
                        &component_path,
                        component.text().into_owned(),
                        component.is_null(),
                        1,
                    );
                    let subcomponents: Vec<_> = component.subcomponents().collect();
                    if subcomponents.len() < 2 {
                        continue;
                    }
                    for (s, subcomponent) in subcomponents.iter().enumerate() {
                        if subcomponent.is_empty() {
                            continue;
                        }
                        let path = format!("{component_path}.{}", s + 1);
                        push(
                            &mut elements,
                            version,
                            &path,
                            subcomponent.text().into_owned(),
                            subcomponent.is_null(),
                            2,
                        );
                    }
                }
            }
        }
        segments.push(SegmentView {
            number: index + 1,
            id: id_text,
            name,
            elements,
        });
    }
    MessageView {
        version: version.as_str().to_string(),
        messages: file.messages().len(),
        segments,
        error: None,
    }
}

fn push(
    elements: &mut Vec<ElementRow>,
    version: Version,
    path: &str,
    value: String,
    null: bool,
    depth: u8,
) {
    let (name, data_type) = match path.parse::<Path>() {
        Ok(parsed) => {
            let description = version.describe(&parsed);
            (
                description.label(),
                description.data_type().unwrap_or("").to_string(),
            )
        }
        Err(_) => (String::new(), String::new()),
    };
    elements.push(ElementRow {
        path: path.to_string(),
        name,
        data_type,
        value: if null { "\"\"".to_string() } else { value },
        depth,
        null,
    });
}

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
    /// Where: line and column, from 1.
    pub line: usize,
    pub column: usize,
}

/// Message `index`'s validation, against its own version, tolerant preset.
pub fn findings(text: &str, index: usize) -> Vec<FindingRow> {
    let file = File::parse(text.as_bytes());
    let Some(message) = file.messages().get(index).or(file.messages().first()) else {
        return Vec::new();
    };
    let report = validate(message, &Options::default());
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

/// An anonymized text, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnonymizedView {
    /// The anonymized text, segment terminators as in the input.
    pub text: String,
    /// Changed paths with their category and method, e.g. `PID-5.1 family-name redact`.
    pub changes: Vec<(String, &'static str, &'static str)>,
    /// Why it could not be done (a pseudonymizing preset without a key).
    pub error: Option<String>,
}

/// `text` anonymized with `preset` (and `key` for pseudonyms).
pub fn anonymized(text: &str, preset: Preset, key: &str) -> AnonymizedView {
    let key = (!key.is_empty()).then_some(key.as_bytes());
    match Anonymizer::new(&Policy::preset(preset), key) {
        Err(error) => AnonymizedView {
            error: Some(error.to_string()),
            ..AnonymizedView::default()
        },
        Ok(anonymizer) => {
            let output = anonymizer.anonymize(text.as_bytes());
            AnonymizedView {
                text: String::from_utf8_lossy(&output.bytes).into_owned(),
                changes: output
                    .receipt
                    .changes
                    .into_iter()
                    .map(|c| (c.path.to_string(), c.category.as_str(), c.method.as_str()))
                    .collect(),
                error: None,
            }
        }
    }
}

/// What is under the caret: the element's path and name, e.g. `PID-5.1 — Patient Name /
/// Family Name (ST)`. `offset` counts UTF-16 code units, as the browser's selection does.
pub fn caret(text: &str, offset: usize) -> Option<String> {
    // UTF-16 offset → byte offset.
    let mut units = 0;
    let mut byte = text.len();
    for (at, c) in text.char_indices() {
        if units >= offset {
            byte = at;
            break;
        }
        units += c.len_utf16();
    }
    let file = File::parse(text.as_bytes());
    let message = file.messages().iter().find(|m| {
        let span = m.span();
        span.start <= byte && byte <= span.end
    })?;
    let (path, _) = message.path_at(byte)?;
    let description = version_of(message).describe(&path);
    let label = description.label();
    let data_type = description
        .data_type()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    Some(if label.is_empty() {
        path.to_string()
    } else {
        format!("{path} — {label}{data_type}")
    })
}

/// One message of a file, as the message list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageRow {
    /// Its position in the file, from 0.
    pub index: usize,
    /// MSH-9, e.g. `ADT^A01`.
    pub kind: String,
    /// MSH-10.
    pub control_id: String,
    /// The patient's name (PID-5, first repetition), e.g. `EVERYMAN, ADAM`.
    pub patient: String,
    /// How many validation errors it has, once checked.
    pub errors: Option<usize>,
}

/// Every message of `text`, with what tells them apart (validation comes separately, in steps:
/// see [`error_counts`]).
pub fn message_rows(text: &str) -> Vec<MessageRow> {
    let file = File::parse(text.as_bytes());
    let value = |message: &Message<'_>, path: &str| {
        message
            .get(&path.parse().expect("a fixed path"))
            .map(|e| e.text().into_owned())
            .unwrap_or_default()
    };
    file.messages()
        .iter()
        .enumerate()
        .map(|(index, message)| {
            let family = value(message, "PID-5.1");
            let given = value(message, "PID-5.2");
            MessageRow {
                index,
                kind: value(message, "MSH-9.1")
                    + &Some(value(message, "MSH-9.2"))
                        .filter(|t| !t.is_empty())
                        .map(|t| format!("^{t}"))
                        .unwrap_or_default(),
                control_id: value(message, "MSH-10"),
                patient: match (family.is_empty(), given.is_empty()) {
                    (true, _) => String::new(),
                    (false, true) => family,
                    (false, false) => format!("{family}, {given}"),
                },
                errors: None,
            }
        })
        .collect()
}

/// The error counts of messages `from..to` of `file`, validated with `validator` against the
/// file's line index: a step of the background check of a big file.
pub fn error_counts(
    file: &File<'_>,
    lines: &pipehat::position::LineIndex<'_>,
    validator: &mut pipehat_validate::Validator,
    from: usize,
    to: usize,
) -> Vec<usize> {
    file.messages()
        .get(from..to.min(file.messages().len()))
        .unwrap_or_default()
        .iter()
        .map(|message| {
            validator
                .validate_in(message, &Options::default(), lines)
                .with_severity(Severity::Error)
                .count()
        })
        .collect()
}

/// `text` with every line end (CR LF, LF, CR) as HL7's segment terminator, CR: what a text
/// area gives back has LF, which a receiving system may not accept.
pub fn hl7_line_ends(text: &str) -> String {
    text.replace("\r\n", "\r").replace('\n', "\r")
}

/// The acknowledgment for message `index` of `text`: AA, AE or AR from its validation, each
/// finding an ERR segment; MSH-7 and the control id from `timestamp` (`YYYYMMDDHHMMSS`).
pub fn acknowledgment(text: &str, index: usize, timestamp: &str) -> Option<String> {
    let file = File::parse(text.as_bytes());
    let message = file.messages().get(index).or(file.messages().first())?;
    let report = validate(message, &Options::default());
    let mut ack =
        pipehat::Acknowledgment::new(report.ack_code(), format!("ACK{timestamp}"), timestamp);
    for error in report.ack_errors() {
        ack = ack.error(error);
    }
    Some(String::from_utf8_lossy(&ack.build(message)).into_owned())
}
