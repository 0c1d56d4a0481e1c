//! What the viewer shows, computed from the pasted text by the Rust crates: plain data for the
//! components to render (no HTML is ever built from message text: Leptos sets it as text).

use pipehat::{File, Message, Path};
use pipehat_deid::{Anonymizer, Category, Change, FreeText, Policy, Preset};
use pipehat_dict::Version;
use pipehat_validate::{Options, Preset as ValidationPreset, Profile, Severity, validate};

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
    /// Where it is in the text: `[start, end)` in bytes.
    pub span: (usize, usize),
    /// Its HL7 table, e.g. "table 0001 Administrative Sex"; empty when it has none.
    pub table: String,
    /// What the value means in that table, e.g. "Female"; empty when the table does not say.
    pub meaning: String,
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

/// What the user chose for checking messages: a version instead of MSH-12's, the strict preset,
/// a conformance profile.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// The version to read and check against instead of the message's own (MSH-12).
    pub version: Option<Version>,
    /// The strict preset instead of the tolerant one.
    pub strict: bool,
    /// A conformance profile the user opened, with its file name.
    pub profile: Option<(String, std::sync::Arc<Profile>)>,
}

impl Checks {
    /// The validator's options for these choices.
    fn options(&self) -> Options<'_> {
        Options {
            version: self.version,
            preset: if self.strict {
                ValidationPreset::Strict
            } else {
                ValidationPreset::Tolerant
            },
            profile: self.profile.as_ref().map(|(_, p)| &**p),
            ..Options::default()
        }
    }
}

/// A conformance profile read from a file the user opened: HL7 v2 XML (`<HL7v2xConformanceProfile>`)
/// or pipehat's JSON form.
pub fn read_profile(text: &str) -> Result<Profile, String> {
    let profile = if text.trim_start().starts_with('<') {
        Profile::from_xml(text).map_err(|e| e.to_string())?
    } else {
        serde_json::from_str::<Profile>(text).map_err(|e| format!("profile: {e}"))?
    };
    profile.check().map_err(|e| e.to_string())?;
    Ok(profile)
}

/// The version a message is read with: the user's choice, else MSH-12, else the latest.
fn version_for(message: &Message<'_>, chosen: Option<Version>) -> Version {
    chosen.unwrap_or_else(|| version_of(message))
}

/// The HL7 version `message` is read with: its MSH-12, else the latest.
pub(crate) fn version_of(message: &Message<'_>) -> Version {
    Version::of_message(message)
}

/// A segment of a message as the views name it.
pub(crate) struct NamedSegment<'m> {
    /// Its position in the message, from 1.
    pub number: usize,
    /// `PID`.
    pub id: String,
    /// Which `PID` it is, from 1.
    pub occurrence: usize,
    /// How paths into it start: `PID`, or `OBX[2]` for the second OBX.
    prefix: String,
    segment: pipehat::Segment<'m>,
}

/// An element that holds something, as the views name it.
pub(crate) struct NamedElement {
    /// `PID-5`, `PID-5.1`, `PID-3[2].4`, `PID-3.1.2`.
    pub path: String,
    /// Field, repetition, component, subcomponent, each from 1 (1 where the path names none):
    /// a field without components is its component 1.
    pub key: (usize, usize, usize, usize),
    /// 0 a field or repetition, 1 a component, 2 a subcomponent.
    pub depth: u8,
    /// Whether nothing below it is listed: its value is the most specific there is.
    pub leaf: bool,
    /// The decoded value.
    pub text: String,
    /// The explicit HL7 null (`""`).
    pub null: bool,
    /// Where it is in the text.
    pub span: pipehat::Span,
}

/// The segments of `message`, each with the prefix its paths start with.
pub(crate) fn named_segments<'m>(
    message: &'m Message<'m>,
) -> impl Iterator<Item = NamedSegment<'m>> + 'm {
    let mut occurrences: Vec<(Vec<u8>, usize)> = Vec::new();
    message.segments().enumerate().map(move |(index, segment)| {
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
        let id = String::from_utf8_lossy(&id).into_owned();
        let prefix = if occurrence > 1 {
            format!("{id}[{occurrence}]")
        } else {
            id.clone()
        };
        NamedSegment {
            number: index + 1,
            id,
            occurrence,
            prefix,
            segment,
        }
    })
}

impl NamedSegment<'_> {
    /// Every field, repetition, component and subcomponent that holds something, in order:
    /// components when a field has two or more, subcomponents when a component has two or more
    /// (MSH-1 and MSH-2, the delimiters themselves, are read whole).
    pub(crate) fn elements(&self) -> Vec<NamedElement> {
        let mut out = Vec::new();
        let prefix = &self.prefix;
        for (f, field) in self.segment.fields().enumerate() {
            let number = f + 1;
            if field.is_empty() {
                continue;
            }
            let whole = self.segment.is_header() && number <= 2;
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
                let components: Vec<_> = repetition.components().collect();
                let lone_subcomponents: Vec<_> = match components.as_slice() {
                    [only] if !whole => only.subcomponents().collect(),
                    _ => Vec::new(),
                };
                let divided = !whole && (components.len() > 1 || lone_subcomponents.len() > 1);
                out.push(NamedElement {
                    path: field_path.clone(),
                    key: (number, r + 1, 1, 1),
                    depth: 0,
                    leaf: !divided,
                    text: repetition.text().into_owned(),
                    null: repetition.is_null(),
                    span: repetition.span(),
                });
                if !divided {
                    continue;
                }
                for (c, component) in components.iter().enumerate() {
                    if component.is_empty() {
                        continue;
                    }
                    let subcomponents: Vec<_> = component.subcomponents().collect();
                    // A field of one component with subcomponents lists just those
                    // (`PID-3.1.2`: a path names the component all the same).
                    let component_path = format!("{field_path}.{}", c + 1);
                    if components.len() > 1 {
                        out.push(NamedElement {
                            path: component_path.clone(),
                            key: (number, r + 1, c + 1, 1),
                            depth: 1,
                            leaf: subcomponents.len() < 2,
                            text: component.text().into_owned(),
                            null: component.is_null(),
                            span: component.span(),
                        });
                    }
                    if subcomponents.len() < 2 {
                        continue;
                    }
                    for (s, subcomponent) in subcomponents.iter().enumerate() {
                        if subcomponent.is_empty() {
                            continue;
                        }
                        out.push(NamedElement {
                            path: format!("{component_path}.{}", s + 1),
                            key: (number, r + 1, c + 1, s + 1),
                            depth: 2,
                            leaf: true,
                            text: subcomponent.text().into_owned(),
                            null: subcomponent.is_null(),
                            span: subcomponent.span(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// The structure of message `index` (from 0) of `text`, named in `version` (else its own).
pub fn message_view(text: &str, index: usize, version: Option<Version>) -> MessageView {
    let file = File::parse_text(text);
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
    let version = version_for(message, version);
    let segments = named_segments(message)
        .map(|segment| {
            let mut elements = Vec::new();
            for element in segment.elements() {
                push(&mut elements, version, element);
            }
            SegmentView {
                number: segment.number,
                name: version
                    .segment(&segment.id)
                    .map_or("", |s| s.name)
                    .to_string(),
                id: segment.id,
                elements,
            }
        })
        .collect();
    MessageView {
        version: version.as_str().to_string(),
        messages: file.messages().len(),
        segments,
        error: None,
    }
}

fn push(elements: &mut Vec<ElementRow>, version: Version, element: NamedElement) {
    let NamedElement {
        path,
        text: value,
        null,
        depth,
        span,
        ..
    } = element;
    let (name, data_type, table) = match path.parse::<Path>() {
        Ok(parsed) => {
            let description = version.describe(&parsed);
            (
                description.label(),
                description.data_type().unwrap_or("").to_string(),
                description.table().map(|id| (id, version.table(id))),
            )
        }
        Err(_) => (String::new(), String::new(), None),
    };
    let meaning = table
        .and_then(|(_, table)| table?.code(&value)?.description)
        .unwrap_or_default()
        .to_string();
    let table = match table {
        Some((id, Some(table))) => format!("table {id:04} {}", table.name),
        Some((id, None)) => format!("table {id:04}"),
        None => String::new(),
    };
    elements.push(ElementRow {
        path,
        name,
        data_type,
        value: if null { "\"\"".to_string() } else { value },
        depth,
        null,
        span: (span.start, span.end),
        table,
        meaning,
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

/// An anonymized text, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnonymizedView {
    /// The anonymized text, segment terminators as in the input.
    pub text: String,
    /// Every changed value: its message, path, category, method and original (which stays in
    /// this page: nothing is sent anywhere).
    pub changes: Vec<Change>,
    /// How many messages were anonymized.
    pub messages: usize,
    /// Text dropped because it could not be read as HL7 (for the receipt).
    pub removed: Vec<pipehat_deid::Removal>,
    /// The preset used (for the receipt).
    pub preset: Preset,
    /// Why it could not be done (a pseudonymizing preset without a key).
    pub error: Option<String>,
}

impl AnonymizedView {
    /// The receipt as `pipehat anonymize --receipt` writes it (JSON): every changed value's
    /// message, path, category and method — never the original values, which stay in this page.
    pub fn receipt_json(&self) -> String {
        let receipt = pipehat_deid::Receipt {
            preset: self.preset,
            messages: self.messages,
            changes: self
                .changes
                .iter()
                .map(|change| Change {
                    original: None,
                    ..change.clone()
                })
                .collect(),
            removed: self.removed.clone(),
        };
        serde_json::to_string_pretty(&receipt).unwrap_or_default()
    }
}

/// `text` anonymized with `preset` (and `key` for pseudonyms), free text redacted or scrubbed
/// as `free_text` says, keeping each changed value's original for the before/after view.
pub fn anonymized(text: &str, preset: Preset, free_text: FreeText, key: &str) -> AnonymizedView {
    let key = (!key.is_empty()).then_some(key.as_bytes());
    let policy = Policy {
        free_text,
        ..Policy::preset(preset)
    };
    match Anonymizer::new(&policy, key) {
        Err(error) => AnonymizedView {
            error: Some(match error {
                pipehat_deid::Error::KeyTooShort { .. } => {
                    format!("{error} of text: Generate makes a 256-bit one.")
                }
                _ => error.to_string(),
            }),
            ..AnonymizedView::default()
        },
        Ok(anonymizer) => {
            // The text is text: values are read as the characters they are, whatever MSH-18
            // says (an opened file was decoded by it already).
            let output = anonymizer.keep_originals(true).anonymize_text(text);
            AnonymizedView {
                text: output.text,
                changes: output.receipt.changes,
                messages: output.receipt.messages,
                removed: output.receipt.removed,
                preset,
                error: None,
            }
        }
    }
}

/// The values now at the places of `changes` in the anonymized `text`, in the same order:
/// decoded, `""` for the HL7 null, empty for a value removed. `None` where the anonymized text
/// cannot tell (a file or batch header, which belongs to no message).
pub fn values_after(text: &str, changes: &[&Change]) -> Vec<Option<String>> {
    let file = File::parse_text(text);
    changes
        .iter()
        .map(|change| {
            let message = file.messages().get(change.message?)?;
            let written = change.path.to_string();
            let mut path: Path = written.parse().ok()?;
            // A change's `PID-3` is the value of the first repetition (a leaf); only a binary
            // field is removed whole, all repetitions at once.
            if path.repetition().is_none() && change.category != Category::Binary {
                path = format!("{written}[1]").parse().ok()?;
            }
            Some(message.get(&path).map_or_else(String::new, |element| {
                if element.is_null() {
                    "\"\"".to_string()
                } else {
                    element.text().into_owned()
                }
            }))
        })
        .collect()
}

/// What is under the caret: the element's path and name, e.g. `PID-5.1 — Patient Name /
/// Family Name (ST)`. `offset` is the text area's (see [`byte_offset`]).
pub fn caret(text: &str, offset: usize, version: Option<Version>) -> Option<(String, String)> {
    let byte = byte_offset(text, offset);
    let file = File::parse_text(text);
    let message = file.messages().iter().find(|m| {
        let span = m.span();
        span.start <= byte && byte <= span.end
    })?;
    let (path, _) = message.path_at(byte)?;
    let description = version_for(message, version).describe(&path);
    let label = description.label();
    let data_type = description
        .data_type()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let text = if label.is_empty() {
        path.to_string()
    } else {
        format!("{path} — {label}{data_type}")
    };
    Some((path.to_string(), text))
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
    /// Where it is in the file: `[start, end)` in bytes.
    pub span: (usize, usize),
}

/// Every message of `text`, with what tells them apart (validation comes separately, in steps:
/// see [`error_counts`]).
pub fn message_rows(text: &str) -> Vec<MessageRow> {
    let file = File::parse_text(text);
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
                span: (message.span().start, message.span().end),
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

/// The offset the text area uses for byte `byte` of `text`: UTF-16 code units, with every CR LF
/// one character (a text area's value has LF line ends only).
pub fn area_offset(text: &str, byte: usize) -> usize {
    let byte = floor_char_boundary(text, byte);
    let before = &text[..byte];
    let units: usize = before.chars().map(char::len_utf16).sum();
    units - before.matches("\r\n").count()
}

/// The byte of `text` at the text area's offset `units` (see [`area_offset`]).
pub fn byte_offset(text: &str, units: usize) -> usize {
    let mut seen = 0;
    let mut previous = '\0';
    for (at, c) in text.char_indices() {
        // The LF of a CR LF is the CR's character in the text area.
        let second_of_crlf = c == '\n' && previous == '\r';
        if seen >= units && !second_of_crlf {
            return at;
        }
        if !second_of_crlf {
            seen += c.len_utf16();
        }
        previous = c;
    }
    text.len()
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Where each line of `text` starts, in bytes (lines end with CR LF, LF or CR, as a text area
/// shows them); always at least one line.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'\r', b'\n', &bytes[at..]) {
        let end = at + found;
        at = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        starts.push(at);
    }
    starts
}

/// The line (from 0) byte `byte` is on.
pub fn line_of(starts: &[usize], byte: usize) -> usize {
    starts
        .partition_point(|&start| start <= byte)
        .saturating_sub(1)
}

/// Each message's byte range and delimiters: what the raw view needs to colour a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Where each line starts (see [`line_starts`]).
    pub lines: Vec<usize>,
    /// Each message's `[start, end)` and its delimiters.
    pub messages: Vec<(usize, usize, pipehat::Delimiters)>,
}

/// The raw view's layout of `text`.
pub fn layout(text: &str) -> Layout {
    let file = File::parse_text(text);
    Layout {
        lines: line_starts(text),
        messages: file
            .messages()
            .iter()
            .map(|m| (m.span().start, m.span().end, m.delimiters()))
            .collect(),
    }
}

/// A piece of a line in the raw view: its text, what it is (`seg` a segment id, `sep` a
/// delimiter, `enc` the encoding characters of MSH-2, `esc` an escape sequence, `` text), and
/// the severity of a finding it is part of (`error`, `warning`, `info`, or ``).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// The characters, as in the input.
    pub text: String,
    /// What they are, as a CSS class.
    pub kind: &'static str,
    /// The most severe finding at these characters, as a CSS class.
    pub mark: &'static str,
}

/// One line of the raw view.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawLine {
    /// Its number, from 0.
    pub number: usize,
    /// Its pieces, in order; they add up to the line without its terminator.
    pub tokens: Vec<Token>,
}

/// A finding's place in the raw view: byte range and severity class.
pub type Mark = (usize, usize, &'static str);

fn severity_rank(mark: &str) -> u8 {
    match mark {
        "error" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    }
}

/// Lines `from..to` (from 0) of `text` coloured for the raw view, with `marks` (findings) laid
/// over them. A mark of no width (a missing value) marks the character before it.
pub fn raw_lines(
    text: &str,
    layout: &Layout,
    from: usize,
    to: usize,
    marks: &[Mark],
) -> Vec<RawLine> {
    let bytes = text.as_bytes();
    let lines = &layout.lines;
    (from..to.min(lines.len()))
        .map(|number| {
            let start = lines[number];
            let mut end = lines.get(number + 1).copied().unwrap_or(bytes.len());
            while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
                end -= 1;
            }
            let delimiters = layout
                .messages
                .iter()
                .find(|(s, e, _)| *s <= start && start < *e)
                .map(|(_, _, d)| *d);
            let kinds = match delimiters {
                Some(delimiters) => line_kinds(&bytes[start..end], delimiters),
                None => vec![(0, end - start, "")],
            };
            RawLine {
                number,
                tokens: apply_marks(text, start, end, &kinds, marks),
            }
        })
        .collect()
}

/// The pieces of one line of a message: (start, end, kind) relative to the line.
fn line_kinds(line: &[u8], delimiters: pipehat::Delimiters) -> Vec<(usize, usize, &'static str)> {
    let mut kinds = Vec::new();
    let field = delimiters.field();
    let mut at = 0;
    // The segment id, then for a header (MSH, BHS, FHS) MSH-1 and MSH-2 as they are.
    let id_end = line.iter().position(|&b| b == field).unwrap_or(line.len());
    if id_end > 0 && id_end <= 4 {
        kinds.push((0, id_end, "seg"));
        at = id_end;
        if matches!(&line[..id_end], b"MSH" | b"BHS" | b"FHS") && at < line.len() {
            kinds.push((at, at + 1, "sep"));
            at += 1;
            let encoding_end = line[at..]
                .iter()
                .position(|&b| b == field)
                .map_or(line.len(), |p| at + p);
            if encoding_end > at {
                kinds.push((at, encoding_end, "enc"));
            }
            at = encoding_end;
        }
    }
    let mut plain = at;
    while at < line.len() {
        let byte = line[at];
        if delimiters.escape() == Some(byte) {
            // An escape sequence runs to the next escape character, within the field.
            let close = line[at + 1..]
                .iter()
                .position(|&b| b == byte || b == field)
                .map(|p| at + 1 + p)
                .filter(|&p| line[p] == byte);
            if let Some(close) = close {
                if plain < at {
                    kinds.push((plain, at, ""));
                }
                kinds.push((at, close + 1, "esc"));
                at = close + 1;
                plain = at;
                continue;
            }
        } else if delimiters.role_of(byte).is_some() {
            if plain < at {
                kinds.push((plain, at, ""));
            }
            kinds.push((at, at + 1, "sep"));
            at += 1;
            plain = at;
            continue;
        }
        at += 1;
    }
    if plain < line.len() {
        kinds.push((plain, line.len(), ""));
    }
    kinds
}

/// Splits the pieces of the line `start..end` of `text` where marks begin and end.
fn apply_marks(
    text: &str,
    start: usize,
    end: usize,
    kinds: &[(usize, usize, &'static str)],
    marks: &[Mark],
) -> Vec<Token> {
    // Marks on this line, relative to it, at least one character wide.
    let here: Vec<(usize, usize, &'static str)> = marks
        .iter()
        .filter_map(|&(s, e, severity)| {
            let (s, e) = if s == e {
                (s.saturating_sub(1), s)
            } else {
                (s, e)
            };
            let s = s.max(start);
            let e = e.min(end);
            (s < e || (s == e && s == start && end == start)).then(|| {
                (
                    floor_char_boundary(text, s) - start,
                    floor_char_boundary(text, e) - start,
                    severity,
                )
            })
        })
        .collect();
    let line = &text[start..end];
    let mut tokens = Vec::new();
    for &(s, e, kind) in kinds {
        let mut cuts = vec![s, e];
        for &(ms, me, _) in &here {
            for cut in [ms, me] {
                if s < cut && cut < e {
                    cuts.push(cut);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let mark = here
                .iter()
                .filter(|(ms, me, _)| *ms <= a && b <= *me)
                .map(|(_, _, severity)| *severity)
                .max_by_key(|severity| severity_rank(severity))
                .unwrap_or("");
            let piece = line.get(a..b).unwrap_or_default();
            // Merge with the previous piece when nothing tells them apart.
            match tokens.last_mut() {
                Some(Token {
                    text,
                    kind: k,
                    mark: m,
                }) if *k == kind && *m == mark => {
                    text.push_str(piece);
                }
                _ => tokens.push(Token {
                    text: piece.to_string(),
                    kind,
                    mark,
                }),
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every line of `text`, as the raw view draws it, with `marks` laid over it.
    fn drawn(text: &str, marks: &[Mark]) -> Vec<String> {
        let layout = layout(text);
        raw_lines(text, &layout, 0, layout.lines.len(), marks)
            .into_iter()
            .map(|line| line.tokens.into_iter().map(|t| t.text).collect())
            .collect()
    }

    /// The lines of `text` without their terminators, as a text area shows them.
    fn lines_of(text: &str) -> Vec<String> {
        let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.split('\n').map(str::to_string).collect()
    }

    #[test]
    fn colours_ids_delimiters_encoding_characters_and_escapes() {
        let text = "MSH|^~\\&|A\\T\\B|x\rPID|1||X^Y~Z&W||\\H\\bold\\N\\";
        let layout = layout(text);
        let lines = raw_lines(text, &layout, 0, 2, &[]);
        let kinds = |n: usize| -> Vec<(&str, String)> {
            lines[n]
                .tokens
                .iter()
                .map(|t| (t.kind, t.text.clone()))
                .collect()
        };
        assert_eq!(
            kinds(0),
            [
                ("seg", "MSH".to_string()),
                ("sep", "|".into()),
                ("enc", "^~\\&".into()),
                ("sep", "|".into()),
                ("", "A".into()),
                ("esc", "\\T\\".into()),
                ("", "B".into()),
                ("sep", "|".into()),
                ("", "x".into()),
            ]
        );
        let pid = kinds(1);
        assert_eq!(pid[0], ("seg", "PID".to_string()));
        assert!(pid.contains(&("esc", "\\H\\".to_string())));
        assert!(pid.contains(&("sep", "&".to_string())));
        assert!(pid.contains(&("sep", "~".to_string())));
    }

    #[test]
    fn marks_fall_on_their_bytes_and_a_missing_value_marks_the_delimiter_before_it() {
        let text = "MSH|^~\\&|A\rPID|1||X||19800231|F";
        let start = text.find("19800231").unwrap();
        let marks = [
            (start, start + 8, "error"),
            (text.len(), text.len(), "warning"),
        ];
        let layout = layout(text);
        let pid = &raw_lines(text, &layout, 1, 2, &marks)[0];
        let marked: Vec<(&str, &str)> = pid
            .tokens
            .iter()
            .filter(|t| !t.mark.is_empty())
            .map(|t| (t.text.as_str(), t.mark))
            .collect();
        assert_eq!(marked, [("19800231", "error"), ("F", "warning")]);
    }

    #[test]
    fn offsets_cross_between_text_and_text_area() {
        // CR LF is one character in a text area; "é" is one UTF-16 unit and two bytes; "😀"
        // two units and four bytes.
        let text = "MSH|é\r\nPID|😀|x";
        let x = text.find('x').unwrap();
        assert_eq!(
            area_offset(text, x),
            "MSH|é\nPID|😀|".encode_utf16().count()
        );
        assert_eq!(byte_offset(text, area_offset(text, x)), x);
        assert_eq!(byte_offset(text, 10_000), text.len());
        assert_eq!(line_of(&line_starts(text), x), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the text (broken messages, any line ends, any characters) and wherever the
        /// findings, the raw view draws every line exactly, and offsets go back and forth.
        #[test]
        fn the_raw_view_is_the_text(
            text in "(MSH\\|\\^~\\\\&\\||PID\\||OBX\\||[|^~&\\\\]|[a-zé😀 ]{0,6}|\r\n|\r|\n){0,40}",
            marks in proptest::collection::vec((0usize..300, 0usize..40, 0usize..3), 0..6),
        ) {
            let marks: Vec<Mark> = marks
                .into_iter()
                .map(|(start, width, severity)| {
                    (start, start + width, ["error", "warning", "info"][severity])
                })
                .collect();
            prop_assert_eq!(drawn(&text, &marks), lines_of(&text));
            for (byte, _) in text.char_indices() {
                let after_cr = byte > 0 && text.as_bytes()[byte - 1] == b'\r' && text.as_bytes()[byte] == b'\n';
                if !after_cr {
                    prop_assert_eq!(byte_offset(&text, area_offset(&text, byte)), byte);
                }
            }
        }
    }

    /// Every message of the shared corpus draws back to its own text.
    #[test]
    fn corpus_messages_draw_losslessly() {
        let Some(dir) = testkit::corpus_dir() else {
            return;
        };
        let files = testkit::message_files(&dir);
        assert!(!files.is_empty());
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(drawn(&text, &[]), lines_of(&text), "{}", file.display());
        }
    }
}
