//! The HL7 v2.1–2.8.2 dictionary: segments, fields, data types, tables and message structures
//! for every version, and names for any element of a parsed message.
//!
//! ```
//! use pipehat_dict::{Usage, Version};
//!
//! let v = Version::resolve("2.5.1").unwrap().version;
//! let dob = v.field("PID", 7).unwrap();
//! assert_eq!((dob.name, dob.data_type, dob.usage), ("Date/Time of Birth", "TS", Usage::Optional));
//! assert_eq!(Version::V2_8.field("PID", 7).unwrap().data_type, "DTM");
//!
//! let sex = v.table(1).unwrap();
//! assert_eq!(sex.code("F").and_then(|c| c.description), Some("Female"));
//!
//! assert_eq!(v.structure_for("ADT", "A04").unwrap().id, "ADT_A01");
//!
//! let path: pipehat::Path = "PID-11[1].5".parse()?;
//! assert_eq!(v.describe(&path).label(), "Patient Address / Zip or Postal Code");
//! # Ok::<(), pipehat::PathError>(())
//! ```
//!
//! The data is generated from openly licensed packages (see `docs/dictionary-sources.md`) by
//! `cargo xtask gen-dict` and compiled in: no file, network or Python is needed at run time.
//! Segments the standard does not define (Z-segments, site-specific ones) can be added to a
//! [`Dictionary`], which answers the same questions for them.

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod custom;
mod data;
mod describe;
#[rustfmt::skip]
#[allow(clippy::all)]
mod generated;
pub mod tree;
mod version;

use data::{NO_VERSION, USAGES, VersionData, data, find, slice, string};

pub use custom::{CustomElement, CustomSegment, Dictionary};
pub use describe::Description;
pub use tree::MessageTree;
pub use version::{Resolution, UnknownVersion, Version};

/// How an element is used, as the standard's "optionality" column says (HL7 table 0 "Opt").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Usage {
    /// `R`: required.
    #[serde(rename = "R")]
    Required,
    /// `O`: optional.
    #[serde(rename = "O")]
    Optional,
    /// `C`: conditional on other content.
    #[serde(rename = "C")]
    Conditional,
    /// `B`: kept for backward compatibility.
    #[serde(rename = "B")]
    Backward,
    /// `X`: not used (not supported) in this version.
    #[serde(rename = "X")]
    NotSupported,
    /// `W`: withdrawn.
    #[serde(rename = "W")]
    Withdrawn,
    /// `NA`: not applicable.
    #[serde(rename = "NA")]
    NotApplicable,
    /// `RE`: required but may be empty (conformance profiles).
    #[serde(rename = "RE")]
    RequiredOrEmpty,
}

impl Usage {
    /// The code as the standard writes it: `R`, `O`, `C`, `B`, `X`, `W`, `NA`, `RE`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Usage::Required => "R",
            Usage::Optional => "O",
            Usage::Conditional => "C",
            Usage::Backward => "B",
            Usage::NotSupported => "X",
            Usage::Withdrawn => "W",
            Usage::NotApplicable => "NA",
            Usage::RequiredOrEmpty => "RE",
        }
    }

    /// Reads a usage code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Usage> {
        let index = USAGES.iter().position(|u| *u == code)?;
        Some(Self::from_index(index as u8))
    }

    fn from_index(index: u8) -> Usage {
        match index {
            0 => Usage::Required,
            2 => Usage::Conditional,
            3 => Usage::Backward,
            4 => Usage::NotSupported,
            5 => Usage::Withdrawn,
            6 => Usage::NotApplicable,
            7 => Usage::RequiredOrEmpty,
            _ => Usage::Optional,
        }
    }
}

/// A field of a segment or a component of a data type (a subcomponent is a component of the
/// component's type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementDef<'d> {
    /// Its number, from 1 (`7` for PID-7).
    pub position: usize,
    /// Its name as the standard prints it, e.g. "Date/Time of Birth".
    pub name: &'d str,
    /// Its data type id, e.g. `TS`; `varies` where another field decides (OBX-5); empty when
    /// the source gives none.
    pub data_type: &'d str,
    /// Required, optional, conditional…
    pub usage: Usage,
    /// How many repetitions are allowed: `Some(1)` for a field that does not repeat, `None`
    /// when unbounded. Components never repeat.
    pub max_repetitions: Option<u32>,
    /// The maximum length, where the source has one (complete for 2.1–2.6, sparse after).
    pub max_length: Option<u32>,
    /// The HL7 table that holds its codes, e.g. `1` for table 0001.
    pub table: Option<u16>,
}

impl ElementDef<'static> {
    fn from_row(position: usize, row: u16) -> Self {
        // Every row decoded once, on first use (validation reads the same few thousand rows
        // for every message); a lookup is then an index and a copy.
        static DECODED: std::sync::OnceLock<Vec<ElementDef<'static>>> = std::sync::OnceLock::new();
        let decoded = DECODED.get_or_init(|| {
            data()
                .elements
                .iter()
                .map(|&(name, data_type, usage, max, length, table)| ElementDef {
                    position: 0,
                    name: string(name),
                    data_type: string(data_type),
                    usage: Usage::from_index(usage),
                    max_repetitions: (max != 0).then_some(u32::from(max)),
                    max_length: (length != 0).then_some(length),
                    table: (table != 0).then_some(table),
                })
                .collect()
        });
        let mut def = decoded[usize::from(row)];
        def.position = position;
        def
    }
}

/// The fields of a segment or the components of a data type, in order.
#[derive(Debug, Clone)]
pub struct Elements<'d> {
    inner: ElementsInner<'d>,
    next: usize,
}

#[derive(Debug, Clone)]
enum ElementsInner<'d> {
    Generated(&'static [u16]),
    Custom(&'d [CustomElement]),
}

impl<'d> Elements<'d> {
    fn len_total(&self) -> usize {
        match self.inner {
            ElementsInner::Generated(rows) => rows.len(),
            ElementsInner::Custom(elements) => elements.len(),
        }
    }

    fn get(&self, index: usize) -> Option<ElementDef<'d>> {
        match self.inner {
            ElementsInner::Generated(rows) => rows
                .get(index)
                .map(|row| ElementDef::from_row(index + 1, *row)),
            ElementsInner::Custom(elements) => elements.get(index).map(|e| e.def(index + 1)),
        }
    }
}

impl<'d> Iterator for Elements<'d> {
    type Item = ElementDef<'d>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.get(self.next)?;
        self.next += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len_total().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Elements<'_> {}

/// A segment's definition.
#[derive(Debug, Clone)]
pub struct SegmentDef<'d> {
    /// The segment id, e.g. `PID`.
    pub id: &'d str,
    /// Its name, e.g. "Patient Identification".
    pub name: &'d str,
    elements: Elements<'d>,
}

impl<'d> SegmentDef<'d> {
    /// Its fields, in order.
    #[must_use]
    pub fn fields(&self) -> Elements<'d> {
        self.elements.clone()
    }

    /// Field `position` (from 1).
    #[must_use]
    pub fn field(&self, position: usize) -> Option<ElementDef<'d>> {
        self.elements.get(position.checked_sub(1)?)
    }

    /// How many fields the standard defines.
    #[must_use]
    pub fn field_count(&self) -> usize {
        self.elements.len_total()
    }
}

/// A data type's definition: a composite with components, or a primitive without.
#[derive(Debug, Clone)]
pub struct DataTypeDef {
    /// The id, e.g. `XPN`.
    pub id: &'static str,
    /// Its name, e.g. "Extended Person Name"; empty where the sources have none.
    pub name: &'static str,
    elements: &'static [u16],
}

impl DataTypeDef {
    /// Its components, in order; none for a primitive type.
    #[must_use]
    pub fn components(&self) -> Elements<'static> {
        Elements {
            inner: ElementsInner::Generated(self.elements),
            next: 0,
        }
    }

    /// Component `position` (from 1).
    #[must_use]
    pub fn component(&self, position: usize) -> Option<ElementDef<'static>> {
        self.components().get(position.checked_sub(1)?)
    }

    /// True for a primitive type (ST, NM, DTM…), which has no components.
    #[must_use]
    pub fn is_primitive(&self) -> bool {
        self.elements.is_empty()
    }
}

/// An HL7 table: its number, name and codes.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    /// The table number, e.g. `1` for table 0001.
    pub id: u16,
    /// Its name, e.g. "Administrative Sex".
    pub name: &'static str,
    codes: &'static [u16],
    /// Where `codes` starts in the shared code lists.
    start: u32,
}

/// One code of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The code as sent, e.g. `F`.
    pub value: &'static str,
    /// What it means, e.g. "Female", where the source has it.
    pub description: Option<&'static str>,
}

impl TableDef {
    /// Its codes, in byte order. Empty where the sources list no codes (user-defined tables, and
    /// every table of 2.1–2.3, which no source lists).
    pub fn codes(&self) -> impl ExactSizeIterator<Item = Code> + use<> {
        self.codes.iter().map(|id| code(*id))
    }

    /// The code with this value, if the table lists it.
    #[must_use]
    pub fn code(&self, value: &str) -> Option<Code> {
        let found = find(self.codes, value, |id| data().codes[usize::from(*id)].0)?;
        Some(code(*found))
    }

    /// True when the sources list codes for this table.
    #[must_use]
    pub fn has_codes(&self) -> bool {
        !self.codes.is_empty()
    }

    /// True when the value is one of the table's codes, or matches one written as a pattern:
    /// in table 0396 `HL7nnnn` stands for `HL7` and four digits and `99zzz` for `99` and three
    /// letters or digits (lower-case `n` a digit, `z` a letter or digit).
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        self.code(value).is_some()
            || patterns(self.start)
                .iter()
                .any(|pattern| matches_pattern(pattern, value))
    }

    /// True for a user-defined table, whose codes in the standard are only suggestions: one
    /// that an `IS` field or component refers to in some version.
    #[must_use]
    pub fn is_user_defined(&self) -> bool {
        data().user_defined_tables.binary_search(&self.id).is_ok()
    }
}

/// The pattern codes (`HL7nnnn`, `99zzz`) of the code list starting at `start`: found once, for
/// every list; most lists have none.
fn patterns(start: u32) -> &'static [&'static str] {
    type Lists = Vec<(u32, Vec<&'static str>)>;
    static PATTERNS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    let lists = PATTERNS.get_or_init(|| {
        let data = data();
        data.tables
            .iter()
            .filter_map(|(_, start, len)| {
                let found: Vec<&'static str> = slice(&data.code_lists, *start, *len)
                    .iter()
                    .map(|id| string(data.codes[usize::from(*id)].0))
                    .filter(|value| value.contains("nn") || value.contains("zz"))
                    .collect();
                (!found.is_empty()).then_some((*start, found))
            })
            .collect()
    });
    lists
        .iter()
        .find(|(at, _)| *at == start)
        .map_or(&[], |(_, found)| found.as_slice())
}

/// `HL7nnnn` matches `HL70001`; `99zzz` matches `99ABC`. Codes without `n` or `z` runs never
/// match anything but themselves.
fn matches_pattern(pattern: &str, value: &str) -> bool {
    if !pattern.contains("nn") && !pattern.contains("zz") {
        return false;
    }
    pattern.len() == value.len()
        && pattern.bytes().zip(value.bytes()).all(|(p, v)| match p {
            b'n' => v.is_ascii_digit(),
            b'z' => v.is_ascii_alphanumeric(),
            _ => p == v,
        })
}

fn code(id: u16) -> Code {
    let (value, description) = data().codes[usize::from(id)];
    let description = string(description);
    Code {
        value: string(value),
        description: (!description.is_empty()).then_some(description),
    }
}

/// A message structure (e.g. `ADT_A01`): segments and groups with their cardinality.
#[derive(Debug, Clone, Copy)]
pub struct Structure {
    /// The structure id, e.g. `ADT_A01`.
    pub id: &'static str,
    nodes: &'static [u16],
}

impl Structure {
    /// The top-level elements, in order.
    pub fn elements(&self) -> impl ExactSizeIterator<Item = StructureElement> + use<> {
        self.nodes.iter().map(|id| StructureElement::from_node(*id))
    }
}

/// A segment or group inside a message structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructureElement {
    /// A segment id (`PID`) or a group name (`PATIENT_RESULT`).
    pub name: &'static str,
    /// The fewest times it must occur: 0 for optional.
    pub min: u32,
    /// The most times it may occur; `None` when unbounded.
    pub max: Option<u32>,
    children: Option<&'static [u16]>,
    choice: bool,
}

impl StructureElement {
    fn from_node(id: u16) -> Self {
        let data = data();
        let (kind, name, min, max, start, len) = data.nodes[usize::from(id)];
        StructureElement {
            name: string(name),
            min: u32::from(min),
            max: (max != 0).then_some(u32::from(max)),
            children: (kind != 0).then(|| slice(&data.node_lists, start, len)),
            choice: kind == 2,
        }
    }

    /// True for a choice: a group whose instance is exactly one of its elements (hl7apy's
    /// `choice`, e.g. ORM_O01's OBR | RQD | RQ1 | RXO | ODS | ODT in 2.3).
    #[must_use]
    pub fn is_choice(&self) -> bool {
        self.choice
    }

    /// True for a group, false for a segment.
    #[must_use]
    pub fn is_group(&self) -> bool {
        self.children.is_some()
    }

    /// A group's elements, in order; none for a segment.
    pub fn children(&self) -> impl ExactSizeIterator<Item = StructureElement> + use<> {
        self.children
            .unwrap_or(&[])
            .iter()
            .map(|id| StructureElement::from_node(*id))
    }
}

/// A trigger event of a message type and the structure it uses (e.g. ADT^A04 → ADT_A01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The message type, MSH-9.1, e.g. `ADT`.
    pub message_type: &'static str,
    /// The trigger event, MSH-9.2, e.g. `A04`.
    pub trigger_event: &'static str,
    /// The message structure, MSH-9.3, e.g. `ADT_A01`.
    pub structure: &'static str,
    /// What the event is, e.g. "Register a patient".
    pub description: &'static str,
}

impl Version {
    fn data(self) -> &'static VersionData {
        data().versions.get(self.index()).unwrap_or(&NO_VERSION)
    }

    /// The segment with this id, if the version defines it.
    #[must_use]
    pub fn segment(self, id: &str) -> Option<SegmentDef<'static>> {
        let (id, def) = *find(&self.data().segments, id, |entry| entry.0)?;
        Some(segment_def(id, def))
    }

    /// Every segment the version defines, by id.
    pub fn segments(self) -> impl ExactSizeIterator<Item = SegmentDef<'static>> {
        self.data()
            .segments
            .iter()
            .map(|(id, def)| segment_def(*id, *def))
    }

    /// Field `position` (from 1) of a segment.
    #[must_use]
    pub fn field(self, segment: &str, position: usize) -> Option<ElementDef<'static>> {
        self.segment(segment)?.field(position)
    }

    /// The data type with this id (composite or primitive), if the version has it.
    #[must_use]
    pub fn data_type(self, id: &str) -> Option<DataTypeDef> {
        let (id, def) = *find(&self.data().data_types, id, |entry| entry.0)?;
        Some(data_type_def(id, def))
    }

    /// Every data type the version has, by id.
    pub fn data_types(self) -> impl ExactSizeIterator<Item = DataTypeDef> {
        self.data()
            .data_types
            .iter()
            .map(|(id, def)| data_type_def(*id, *def))
    }

    /// The table with this number, if the version names it.
    #[must_use]
    pub fn table(self, id: u16) -> Option<TableDef> {
        let tables = &self.data().tables;
        let index = tables.binary_search_by_key(&id, |entry| entry.0).ok()?;
        Some(table_def(tables[index]))
    }

    /// Every table the version names, by number.
    pub fn tables(self) -> impl ExactSizeIterator<Item = TableDef> {
        self.data().tables.iter().map(|entry| table_def(*entry))
    }

    /// The message structure with this id (MSH-9.3), e.g. `ORU_R01`.
    #[must_use]
    pub fn structure(self, id: &str) -> Option<Structure> {
        let (id, start, len) = *find(&self.data().structures, id, |entry| entry.0)?;
        Some(Structure {
            id: string(id),
            nodes: slice(&data().node_lists, start, len),
        })
    }

    /// Every message structure of the version, by id.
    pub fn structures(self) -> impl ExactSizeIterator<Item = Structure> {
        self.data()
            .structures
            .iter()
            .map(|(id, start, len)| Structure {
                id: string(*id),
                nodes: slice(&data().node_lists, *start, *len),
            })
    }

    /// The trigger event `message_type^trigger_event` (MSH-9.1 and MSH-9.2), if the version
    /// defines it.
    #[must_use]
    pub fn event(self, message_type: &str, trigger_event: &str) -> Option<Event> {
        let events = &self.data().events;
        let index = events
            .binary_search_by(|entry| {
                (string(entry.0), string(entry.1)).cmp(&(message_type, trigger_event))
            })
            .ok()?;
        Some(event(events[index]))
    }

    /// Every trigger event of the version, by message type and event.
    pub fn events(self) -> impl ExactSizeIterator<Item = Event> {
        self.data().events.iter().map(|entry| event(*entry))
    }

    /// The structure of `message` in this version: the one MSH-9.3 names, if this version has
    /// it; else that of MSH-9.1 and MSH-9.2 ([`Version::structure_for`]).
    #[must_use]
    pub fn structure_of(self, message: &pipehat::Message<'_>) -> Option<Structure> {
        let msh9 = |component| {
            let path = pipehat::Path::new("MSH", 1, &[9, 1, component]).expect("a fixed path");
            message
                .get(&path)
                .map(|value| value.text().into_owned())
                .unwrap_or_default()
        };
        let named = msh9(3);
        if let Some(structure) = (!named.is_empty())
            .then(|| self.structure(&named))
            .flatten()
        {
            return Some(structure);
        }
        self.structure_for(&msh9(1), &msh9(2))
    }

    /// The structure a message with MSH-9 `message_type^trigger_event` uses, by the version's
    /// event table (ADT^A04 → ADT_A01 in 2.5.1). A message type that is its own structure
    /// (`ACK`, with any event) is found too. When the message names its structure in MSH-9.3,
    /// look that up with [`Version::structure`] instead.
    #[must_use]
    pub fn structure_for(self, message_type: &str, trigger_event: &str) -> Option<Structure> {
        if let Some(event) = self.event(message_type, trigger_event) {
            return self.structure(event.structure);
        }
        let joined = format!("{message_type}_{trigger_event}");
        self.structure(&joined)
            .or_else(|| self.structure(message_type))
    }
}

fn segment_def(id: u16, def: u16) -> SegmentDef<'static> {
    let data = data();
    let (name, start, len) = data.definitions[usize::from(def)];
    SegmentDef {
        id: string(id),
        name: string(name),
        elements: Elements {
            inner: ElementsInner::Generated(slice(&data.element_lists, start, len)),
            next: 0,
        },
    }
}

fn data_type_def(id: u16, def: u16) -> DataTypeDef {
    let data = data();
    let (name, start, len) = data.definitions[usize::from(def)];
    DataTypeDef {
        id: string(id),
        name: string(name),
        elements: slice(&data.element_lists, start, len),
    }
}

fn table_def((id, def): (u16, u16)) -> TableDef {
    let data = data();
    let (name, start, len) = data.tables[usize::from(def)];
    TableDef {
        id,
        name: string(name),
        codes: slice(&data.code_lists, start, len),
        start,
    }
}

fn event((message_type, trigger_event, structure, description): (u16, u16, u16, u16)) -> Event {
    Event {
        message_type: string(message_type),
        trigger_event: string(trigger_event),
        structure: string(structure),
        description: string(description),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated tables are well formed: every reference lands inside its table and every
    /// keyed list is sorted, so binary search finds what is there.
    #[test]
    fn generated_tables_are_consistent() {
        for version in Version::ALL {
            let data = version.data();
            let sorted = |keys: Vec<&str>| keys.windows(2).all(|w| w[0] < w[1]);
            assert!(sorted(data.segments.iter().map(|e| string(e.0)).collect()));
            assert!(sorted(
                data.data_types.iter().map(|e| string(e.0)).collect()
            ));
            assert!(sorted(
                data.structures.iter().map(|e| string(e.0)).collect()
            ));
            assert!(data.tables.windows(2).all(|w| w[0].0 < w[1].0));
            for segment in version.segments() {
                assert_eq!(version.segment(segment.id).map(|s| s.id), Some(segment.id));
                for field in segment.fields() {
                    assert!(
                        field.data_type.is_empty()
                            || field.data_type == "varies"
                            || version.data_type(field.data_type).is_some(),
                        "{version} {}-{}: type {} is not defined",
                        segment.id,
                        field.position,
                        field.data_type
                    );
                }
            }
            for table in version.tables() {
                let codes: Vec<_> = table.codes().map(|c| c.value).collect();
                assert!(
                    codes.windows(2).all(|w| w[0] < w[1]),
                    "{version} table {}",
                    table.id
                );
                for value in codes {
                    assert_eq!(table.code(value).map(|c| c.value), Some(value));
                }
            }
            for event in version.events() {
                assert_eq!(
                    version.event(event.message_type, event.trigger_event),
                    Some(event)
                );
            }
        }
    }
}
