//! The structure view's data: message `index` of the text as segments and elements, each named
//! from the dictionary with its data type, table and the value's meaning there.

use pipehat_dict::Version;

use super::checks::version_for;
use super::named::{NamedElement, named_segments};
use super::parsed::Parsed;

/// One named element of a segment: a field, or a component or subcomponent of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ElementRow {
    /// `PID-5`, `PID-5.1`, `PID-3[2].4` (canonical: the first repetition's components are
    /// `PID-3.4`).
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

/// The structure of message `index` (from 0) of a parsed text, named in `version` (else its
/// own).
pub fn message_view(parsed: &Parsed, index: usize, version: Option<Version>) -> MessageView {
    let file = parsed.file();
    let Some(message) = parsed.message(index) else {
        return MessageView {
            error: (!parsed.text().trim().is_empty()).then(|| {
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
        .into_iter()
        .map(|segment| {
            let elements = segment
                .elements
                .into_iter()
                .map(|element| row(version, element))
                .collect();
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

/// An element's row, named in `version`.
fn row(version: Version, element: NamedElement) -> ElementRow {
    let NamedElement {
        path,
        place,
        text: value,
        null,
        depth,
        span,
    } = element;
    let (name, data_type, table) = match path {
        Some(path) => {
            let description = version.describe(&path);
            (
                description.label(),
                description.data_type().unwrap_or("").to_string(),
                description.table().map(|id| (id, version.table(id))),
            )
        }
        None => (String::new(), String::new(), None),
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
    ElementRow {
        path: place,
        name,
        data_type,
        value: if null { "\"\"".to_string() } else { value },
        depth,
        null,
        span: (span.start, span.end),
        table,
        meaning,
    }
}
