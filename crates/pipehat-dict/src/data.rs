//! The generated tables' layout, and reading them.
//!
//! Every version's dictionary is integer tables over one set of strings. Strings are interned: a
//! string id is an index into the sorted list of every distinct string, so ids are in byte order
//! of the strings, a table sorted by id is sorted by text and can be binary-searched by text.
//! Definitions (a segment's fields, a data type's components, a table's codes, a structure's
//! elements) are stored once and shared by every version that has the same one.
//!
//! # Encoded (`generated.rs`)
//!
//! `generated.rs` (written by `cargo xtask gen-dict`, never by hand) holds the tables as
//! [`Encoded`]: byte-string columns that gzip well (the npm package ships them in its wasm).
//! Each column is a coding byte, the number of values as a LEB128 varint, then the values:
//! [`VARINT`] (each a varint), [`DELTA`] (a zigzag varint of the difference from the value
//! before), [`U16`] (two bytes, little end first), or for the columns of items that have a parent
//! item, [`SAME_OR_VARINT`] and [`SAME_OR_DELTA`]: 0 when the value is the parent's, else the
//! varint or zigzag difference plus one.
//!
//! - Strings: `string_prefixes` is how many bytes each string shares with the one before it (front
//!   coding, at most 255, at a character boundary); `string_suffixes` is the rest of each string,
//!   each ended by a NUL.
//! - Lists (a definition's elements, a table's codes, a structure's or group's nodes): each list's
//!   length, then its items as edit operations (`*_list_ops`, the kind in the low two bits, the
//!   count or id above them) of its parent list, the same segment, data type or table in the last
//!   earlier version that has it (`*_list_parents`: how many lists back, 0 for none; node lists
//!   have none). [`COPY`] n of the parent's next items, [`SKIP`] n of them, [`NEW`] n items (items
//!   are numbered in the order lists first use them, so a new item is the next number), or an
//!   [`ID`] used before. Items read after a skip replace the skipped items, in order, and a new
//!   one has the item it replaces as its parent: a field whose length changed stores its name,
//!   type and table as "same as the parent" in the element columns.
//! - Rows are column by column: elements (name, data type as an index into `element_type_names`,
//!   usage, max repetitions, max length, table), definitions and tables (name, list), codes
//!   (value, description), nodes (kind, name, min, max, child list).
//! - Versions: how many segments, data types, tables, structures and events each version has, then
//!   each kind's columns, version after version.
//!
//! # Decoded
//!
//! On first use [`data`] decodes the columns once (about a millisecond) into [`Data`]: the rows as
//! tuples ([`ElementRow`], …), flat lists with each definition's start and length, and per version
//! sorted [`VersionData`]. Decoding checks every read and every reference (string ids, row ids, list
//! ranges), so nothing that indexes the decoded tables can go out of bounds; tables that do not
//! decode would leave the dictionary empty, which the crate's tests rule out.

use std::ops::Range;
use std::sync::OnceLock;

use crate::generated::ENCODED;

/// A field or component: name, data type, usage (index into [`USAGES`]), max repetitions (0 =
/// unbounded), max length (0 = unknown), table (0 = none).
pub(crate) type ElementRow = (u16, u16, u8, u8, u32, u16);
/// A named list: name, start and length in the flat list it indexes.
pub(crate) type DefinitionRow = (u16, u32, u16);
/// A table code: value, description (the empty string when the source has none).
pub(crate) type CodeRow = (u16, u16);
/// A structure element: kind (0 segment, 1 group, 2 choice), segment id or group name, min, max (0 =
/// unbounded), and for a group its children's start and length in [`Data::node_lists`].
pub(crate) type NodeRow = (u8, u16, u8, u16, u32, u16);

/// Usage codes in the order the generator numbers them.
pub(crate) const USAGES: [&str; 8] = ["R", "O", "C", "B", "X", "W", "NA", "RE"];

/// Column coding: each value a LEB128 varint.
pub(crate) const VARINT: u8 = 0;
/// Column coding: each value a zigzag varint of its difference from the value before (0 first).
pub(crate) const DELTA: u8 = 1;
/// Column coding: each value two bytes, little end first.
pub(crate) const U16: u8 = 2;
/// Column coding: 0 for the parent item's value, else the value plus one, as a varint.
pub(crate) const SAME_OR_VARINT: u8 = 3;
/// Column coding: 0 for the parent item's value, else the zigzag difference from the value
/// before plus one, as a varint.
pub(crate) const SAME_OR_DELTA: u8 = 4;

/// List op: copy the parent's next n items.
pub(crate) const COPY: u32 = 0;
/// List op: skip the parent's next n items (items read next replace them).
pub(crate) const SKIP: u32 = 1;
/// List op: n items no list has used before, numbered on from the last new one.
pub(crate) const NEW: u32 = 2;
/// List op: one item an earlier list used, by id.
pub(crate) const ID: u32 = 3;

/// The tables as `generated.rs` writes them: byte-string columns (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Encoded<'a> {
    /// Each string's suffix after the bytes it shares with the string before, NUL-ended.
    pub string_suffixes: &'a str,
    /// How many bytes each string shares with the string before.
    pub string_prefixes: &'a [u8],
    /// Element lists: each one's length.
    pub element_list_lengths: &'a [u8],
    /// Element lists: how many lists back each one's parent is (0 = none).
    pub element_list_parents: &'a [u8],
    /// Element lists: edit ops.
    pub element_list_ops: &'a [u8],
    /// The string ids of every data type an element has; `element_types` indexes them.
    pub element_type_names: &'a [u8],
    /// Elements: name (string id).
    pub element_names: &'a [u8],
    /// Elements: data type (index into `element_type_names`).
    pub element_types: &'a [u8],
    /// Elements: usage (index into [`USAGES`]).
    pub element_usages: &'a [u8],
    /// Elements: max repetitions (0 = unbounded).
    pub element_max_repetitions: &'a [u8],
    /// Elements: max length (0 = unknown).
    pub element_max_lengths: &'a [u8],
    /// Elements: table number (0 = none).
    pub element_tables: &'a [u8],
    /// Definitions: name (string id).
    pub definition_names: &'a [u8],
    /// Definitions: element list.
    pub definition_lists: &'a [u8],
    /// Code lists: each one's length.
    pub code_list_lengths: &'a [u8],
    /// Code lists: how many lists back each one's parent is (0 = none).
    pub code_list_parents: &'a [u8],
    /// Code lists: edit ops.
    pub code_list_ops: &'a [u8],
    /// Codes: value (string id).
    pub code_values: &'a [u8],
    /// Codes: description (string id).
    pub code_descriptions: &'a [u8],
    /// Tables: name (string id).
    pub table_names: &'a [u8],
    /// Tables: code list.
    pub table_lists: &'a [u8],
    /// Node lists: each one's length.
    pub node_list_lengths: &'a [u8],
    /// Node lists: edit ops (no parents).
    pub node_list_ops: &'a [u8],
    /// Nodes: kind (0 segment, 1 group, 2 choice).
    pub node_kinds: &'a [u8],
    /// Nodes: segment id or group name (string id).
    pub node_names: &'a [u8],
    /// Nodes: min.
    pub node_mins: &'a [u8],
    /// Nodes: max (0 = unbounded).
    pub node_maxes: &'a [u8],
    /// Nodes: a group's child list (0 for a segment).
    pub node_children: &'a [u8],
    /// Table numbers of user-defined tables, ascending.
    pub user_defined_tables: &'a [u8],
    /// How many segments each version has.
    pub version_segments: &'a [u8],
    /// Segments: id (string id).
    pub segment_ids: &'a [u8],
    /// Segments: definition.
    pub segment_definitions: &'a [u8],
    /// How many data types each version has.
    pub version_data_types: &'a [u8],
    /// Data types: id (string id).
    pub data_type_ids: &'a [u8],
    /// Data types: definition.
    pub data_type_definitions: &'a [u8],
    /// How many tables each version has.
    pub version_tables: &'a [u8],
    /// Tables: number.
    pub table_ids: &'a [u8],
    /// Tables: index into the tables.
    pub table_indexes: &'a [u8],
    /// How many structures each version has.
    pub version_structures: &'a [u8],
    /// Structures: id (string id).
    pub structure_ids: &'a [u8],
    /// Structures: node list.
    pub structure_lists: &'a [u8],
    /// How many events each version has.
    pub version_events: &'a [u8],
    /// Events: message type (string id).
    pub event_types: &'a [u8],
    /// Events: trigger event (string id).
    pub event_triggers: &'a [u8],
    /// Events: structure id (string id).
    pub event_structures: &'a [u8],
    /// Events: description (string id).
    pub event_descriptions: &'a [u8],
}

/// One version's entries, each sorted by its key's text.
#[derive(Debug, Default)]
pub(crate) struct VersionData {
    /// Segment id → definition (index into [`Data::definitions`]).
    pub segments: Vec<(u16, u16)>,
    /// Data type id → definition (index into [`Data::definitions`]; no elements for a
    /// primitive).
    pub data_types: Vec<(u16, u16)>,
    /// Table number → table (index into [`Data::tables`]).
    pub tables: Vec<(u16, u16)>,
    /// Structure id → its elements in [`Data::node_lists`].
    pub structures: Vec<(u16, u32, u16)>,
    /// Message type, trigger event → structure id and the event's description.
    pub events: Vec<(u16, u16, u16, u16)>,
}

/// A version with nothing in it, for a version the tables lack.
pub(crate) static NO_VERSION: VersionData = VersionData {
    segments: Vec::new(),
    data_types: Vec::new(),
    tables: Vec::new(),
    structures: Vec::new(),
    events: Vec::new(),
};

/// The decoded tables.
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// Every string, in id order, back to back.
    text: String,
    /// Where each string starts in `text`, and where the last one ends.
    starts: Vec<u32>,
    /// Fields and components.
    pub elements: Vec<ElementRow>,
    /// Element ids, list after list.
    pub element_lists: Vec<u16>,
    /// Segments' and data types' names and element lists.
    pub definitions: Vec<DefinitionRow>,
    /// Table codes.
    pub codes: Vec<CodeRow>,
    /// Code ids, list after list.
    pub code_lists: Vec<u16>,
    /// Tables' names and code lists.
    pub tables: Vec<DefinitionRow>,
    /// Structure elements.
    pub nodes: Vec<NodeRow>,
    /// Node ids, list after list.
    pub node_lists: Vec<u16>,
    /// Table numbers of user-defined tables, ascending.
    pub user_defined_tables: Vec<u16>,
    /// Each version's entries, in [`crate::Version::ALL`] order.
    pub versions: Vec<VersionData>,
}

/// The tables, decoded on first use.
pub(crate) fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| decode(&ENCODED).unwrap_or_default())
}

/// The interned string with this id.
pub(crate) fn string(id: u16) -> &'static str {
    let data = data();
    let id = usize::from(id);
    let (Some(&start), Some(&end)) = (data.starts.get(id), data.starts.get(id + 1)) else {
        return "";
    };
    data.text.get(start as usize..end as usize).unwrap_or("")
}

/// The slice `len` long from `start` of a flat list.
pub(crate) fn slice<T>(list: &'static [T], start: u32, len: u16) -> &'static [T] {
    let start = start as usize;
    list.get(start..start + usize::from(len)).unwrap_or(&[])
}

/// Binary search of a table sorted by its string key.
pub(crate) fn find<T>(
    entries: &'static [T],
    key: &str,
    key_of: impl Fn(&T) -> u16,
) -> Option<&'static T> {
    entries
        .binary_search_by(|entry| string(key_of(entry)).cmp(key))
        .ok()
        .map(|i| &entries[i])
}

/// Decodes the columns, checking every read and reference; `None` if anything is off.
pub(crate) fn decode(encoded: &Encoded<'_>) -> Option<Data> {
    // Each part is its own function: decoding runs once, so small code matters more than speed.
    let (text, starts) = strings(encoded.string_prefixes, encoded.string_suffixes)?;
    let strings = starts.len().saturating_sub(1);
    let element_lists = lists(
        encoded.element_list_lengths,
        Some(encoded.element_list_parents),
        encoded.element_list_ops,
    )?;
    let elements = elements(encoded, &element_lists.item_parents, strings)?;
    let definitions = named_lists(
        encoded.definition_names,
        encoded.definition_lists,
        &element_lists.ranges,
        strings,
    )?;
    let code_lists = lists(
        encoded.code_list_lengths,
        Some(encoded.code_list_parents),
        encoded.code_list_ops,
    )?;
    let codes = codes(encoded, code_lists.item_parents.len(), strings)?;
    let tables = named_lists(
        encoded.table_names,
        encoded.table_lists,
        &code_lists.ranges,
        strings,
    )?;
    let node_lists = lists(encoded.node_list_lengths, None, encoded.node_list_ops)?;
    let nodes = nodes(encoded, &node_lists, strings)?;
    let user_defined_tables =
        Column::new(encoded.user_defined_tables)?.all(|n| below(n, 1 << 16))?;
    let versions = versions(
        encoded,
        strings,
        definitions.len(),
        tables.len(),
        &node_lists.ranges,
    )?;
    Some(Data {
        text,
        starts,
        elements,
        element_lists: element_lists.flat,
        definitions,
        codes,
        code_lists: code_lists.flat,
        tables,
        nodes,
        node_lists: node_lists.flat,
        user_defined_tables,
        versions,
    })
}

/// `value` as a `u16` index, if it is below `limit`.
fn below(value: u32, limit: usize) -> Option<u16> {
    u16::try_from(value)
        .ok()
        .filter(|&v| usize::from(v) < limit)
}

/// The elements, each new one read against its parent (the element it replaced).
#[inline(never)]
fn elements(
    encoded: &Encoded<'_>,
    parents: &[Option<u16>],
    strings: usize,
) -> Option<Vec<ElementRow>> {
    let count = parents.len();
    let type_names = Column::new(encoded.element_type_names)?.all(|id| below(id, strings))?;
    let mut names = Column::sized(encoded.element_names, count)?;
    let mut types = Column::sized(encoded.element_types, count)?;
    let mut usages = Column::sized(encoded.element_usages, count)?;
    let mut max_repetitions = Column::sized(encoded.element_max_repetitions, count)?;
    let mut max_lengths = Column::sized(encoded.element_max_lengths, count)?;
    let mut tables = Column::sized(encoded.element_tables, count)?;
    let mut elements: Vec<ElementRow> = Vec::with_capacity(count);
    for parent in parents {
        // A parent is an element decoded before this one (its type still an index).
        let parent = parent.and_then(|p| elements.get(usize::from(p)).copied());
        let [name, data_type, usage, max, length, table] = match parent {
            Some(p) => [
                Some(u32::from(p.0)),
                Some(u32::from(p.1)),
                Some(u32::from(p.2)),
                Some(u32::from(p.3)),
                Some(p.4),
                Some(u32::from(p.5)),
            ],
            None => [None; 6],
        };
        elements.push((
            below(names.read_or(name)?, strings)?,
            below(types.read_or(data_type)?, type_names.len())?,
            u8::try_from(below(usages.read_or(usage)?, USAGES.len())?).ok()?,
            u8::try_from(max_repetitions.read_or(max)?).ok()?,
            max_lengths.read_or(length)?,
            below(tables.read_or(table)?, 1 << 16)?,
        ));
    }
    for column in [names, types, usages, max_repetitions, max_lengths, tables] {
        column.finish()?;
    }
    // Types were read as indexes (so that a parent's compares); now they become string ids.
    for element in &mut elements {
        element.1 = *type_names.get(usize::from(element.1))?;
    }
    Some(elements)
}

/// The codes: value and description.
#[inline(never)]
fn codes(encoded: &Encoded<'_>, count: usize, strings: usize) -> Option<Vec<CodeRow>> {
    let mut values = Column::sized(encoded.code_values, count)?;
    let mut descriptions = Column::sized(encoded.code_descriptions, count)?;
    let mut codes = Vec::with_capacity(count);
    for _ in 0..count {
        codes.push((
            below(values.read()?, strings)?,
            below(descriptions.read()?, strings)?,
        ));
    }
    values.finish()?;
    descriptions.finish()?;
    Some(codes)
}

/// The structure nodes, a group's child list as its start and length.
#[inline(never)]
fn nodes(encoded: &Encoded<'_>, lists: &Lists, strings: usize) -> Option<Vec<NodeRow>> {
    let count = lists.item_parents.len();
    let mut kinds = Column::sized(encoded.node_kinds, count)?;
    let mut names = Column::sized(encoded.node_names, count)?;
    let mut mins = Column::sized(encoded.node_mins, count)?;
    let mut maxes = Column::sized(encoded.node_maxes, count)?;
    let mut children = Column::sized(encoded.node_children, count)?;
    let mut nodes = Vec::with_capacity(count);
    for _ in 0..count {
        let kind = u8::try_from(below(kinds.read()?, 3)?).ok()?;
        let name = below(names.read()?, strings)?;
        let min = u8::try_from(mins.read()?).ok()?;
        let max = below(maxes.read()?, 1 << 16)?;
        let child = children.read()?;
        let (start, len) = if kind == 0 {
            (0, 0)
        } else {
            *lists.ranges.get(usize::try_from(child).ok()?)?
        };
        nodes.push((kind, name, min, max, start, len));
    }
    for column in [kinds, names, mins, maxes, children] {
        column.finish()?;
    }
    Some(nodes)
}

/// Every version's segments, data types, tables, structures and events.
#[inline(never)]
fn versions(
    encoded: &Encoded<'_>,
    strings: usize,
    definitions: usize,
    tables: usize,
    node_lists: &[(u32, u16)],
) -> Option<Vec<VersionData>> {
    fn columns(bytes: [&[u8]; 3]) -> Option<[Column<'_>; 3]> {
        let [a, b, c] = bytes.map(Column::new);
        Some([a?, b?, c?])
    }
    let e = encoded;
    let mut segments = columns([e.version_segments, e.segment_ids, e.segment_definitions])?;
    let mut data_types = columns([
        e.version_data_types,
        e.data_type_ids,
        e.data_type_definitions,
    ])?;
    let mut version_tables = columns([e.version_tables, e.table_ids, e.table_indexes])?;
    let mut structures = columns([e.version_structures, e.structure_ids, e.structure_lists])?;
    let mut events = [
        Column::new(e.version_events)?,
        Column::new(e.event_types)?,
        Column::new(e.event_triggers)?,
        Column::new(e.event_structures)?,
        Column::new(e.event_descriptions)?,
    ];
    let mut versions = Vec::with_capacity(crate::Version::ALL.len());
    for _ in 0..crate::Version::ALL.len() {
        let mut structures_here = Vec::new();
        for (id, list) in pairs(&mut structures, [strings, node_lists.len()])? {
            let (start, len) = *node_lists.get(usize::from(list))?;
            structures_here.push((id, start, len));
        }
        let [counts, types, triggers, event_structures, descriptions] = &mut events;
        let count = counts.read()?;
        let mut events_here = Vec::with_capacity(usize::try_from(count).ok()?.min(1 << 16));
        for _ in 0..count {
            events_here.push((
                below(types.read()?, strings)?,
                below(triggers.read()?, strings)?,
                below(event_structures.read()?, strings)?,
                below(descriptions.read()?, strings)?,
            ));
        }
        versions.push(VersionData {
            segments: pairs(&mut segments, [strings, definitions])?,
            data_types: pairs(&mut data_types, [strings, definitions])?,
            tables: pairs(&mut version_tables, [1 << 16, tables])?,
            structures: structures_here,
            events: events_here,
        });
    }
    let all = [segments, data_types, version_tables, structures];
    all.iter()
        .flatten()
        .chain(&events)
        .all(Column::finished)
        .then_some(versions)
}

/// One version's key-value pairs (`columns`: each version's count, the keys, the values), each
/// below its limit in `limits`.
fn pairs(columns: &mut [Column<'_>; 3], limits: [usize; 2]) -> Option<Vec<(u16, u16)>> {
    let [counts, keys, values] = columns;
    let count = counts.read()?;
    let mut entries = Vec::with_capacity(usize::try_from(count).ok()?.min(1 << 16));
    for _ in 0..count {
        entries.push((
            below(keys.read()?, limits[0])?,
            below(values.read()?, limits[1])?,
        ));
    }
    Some(entries)
}

/// The strings, front-coded: all of them back to back, and where each starts (plus the end).
#[inline(never)]
fn strings(prefixes: &[u8], suffixes: &str) -> Option<(String, Vec<u32>)> {
    let mut prefixes = Column::new(prefixes)?;
    let count = prefixes.len();
    // Bytes, checked as UTF-8 once at the end (quicker than `String`'s per-copy checks).
    let mut text: Vec<u8> = Vec::with_capacity(suffixes.len() * 2);
    let mut starts = Vec::with_capacity(count + 1);
    let mut rest = suffixes.as_bytes();
    let mut previous: Range<usize> = 0..0;
    for _ in 0..count {
        let shared = usize::try_from(prefixes.read()?).ok()?;
        if shared > previous.len() {
            return None;
        }
        let start = text.len();
        text.extend_from_within(previous.start..previous.start + shared);
        let mut end = 0;
        while *rest.get(end)? != 0 {
            end += 1;
        }
        let (suffix, after) = rest.split_at(end);
        text.extend_from_slice(suffix);
        rest = after.get(1..)?;
        starts.push(u32::try_from(start).ok()?);
        previous = start..text.len();
    }
    prefixes.finish()?;
    if !rest.is_empty() {
        return None;
    }
    starts.push(u32::try_from(text.len()).ok()?);
    Some((String::from_utf8(text).ok()?, starts))
}

/// Lists decoded from their edit ops.
struct Lists {
    /// The items, list after list.
    flat: Vec<u16>,
    /// Each list's start in `flat` and length.
    ranges: Vec<(u32, u16)>,
    /// Each item's parent item (the one it replaced), in item order.
    item_parents: Vec<Option<u16>>,
}

/// Decodes lists written as edits of their parent lists (or, without `parents`, of nothing).
#[inline(never)]
fn lists(lengths: &[u8], parents: Option<&[u8]>, ops: &[u8]) -> Option<Lists> {
    let mut lengths = Column::new(lengths)?;
    let count = lengths.len();
    let mut parents = match parents {
        Some(bytes) => Some(Column::sized(bytes, count)?),
        None => None,
    };
    let mut ops = Column::new(ops)?;
    let mut flat: Vec<u16> = Vec::new();
    let mut ranges: Vec<(u32, u16)> = Vec::with_capacity(count);
    let mut item_parents: Vec<Option<u16>> = Vec::new();
    for index in 0..count {
        let len = u16::try_from(lengths.read()?).ok()?;
        let back = match &mut parents {
            Some(parents) => usize::try_from(parents.read()?).ok()?,
            None => 0,
        };
        let parent: Range<usize> = if back == 0 {
            0..0
        } else {
            let (start, len) = *ranges.get(index.checked_sub(back)?)?;
            start as usize..start as usize + usize::from(len)
        };
        let start = flat.len();
        let end = start + usize::from(len);
        let mut cursor = parent.start;
        let mut skipped = 0..0;
        while flat.len() < end {
            let op = ops.read()?;
            let arg = op >> 2;
            let n = usize::try_from(arg).ok()?;
            match op & 3 {
                COPY => {
                    let to = cursor.checked_add(n).filter(|&to| to <= parent.end)?;
                    if flat.len() + n > end {
                        return None;
                    }
                    flat.extend_from_within(cursor..to);
                    cursor = to;
                    skipped = 0..0;
                }
                SKIP => {
                    let to = cursor.checked_add(n).filter(|&to| to <= parent.end)?;
                    skipped = cursor..to;
                    cursor = to;
                }
                NEW => {
                    if flat.len() + n > end {
                        return None;
                    }
                    for _ in 0..n {
                        let item = u16::try_from(item_parents.len()).ok()?;
                        let replaced = skipped.next().and_then(|i| flat.get(i).copied());
                        item_parents.push(replaced);
                        flat.push(item);
                    }
                }
                ID => {
                    if n >= item_parents.len() {
                        return None;
                    }
                    skipped.next();
                    flat.push(u16::try_from(arg).ok()?);
                }
                _ => return None,
            }
        }
        ranges.push((u32::try_from(start).ok()?, len));
    }
    lengths.finish()?;
    if let Some(parents) = parents {
        parents.finish()?;
    }
    ops.finish()?;
    Some(Lists {
        flat,
        ranges,
        item_parents,
    })
}

/// Definitions or tables: a name and a list each, as (name, start, length).
#[inline(never)]
fn named_lists(
    names: &[u8],
    lists: &[u8],
    ranges: &[(u32, u16)],
    strings: usize,
) -> Option<Vec<DefinitionRow>> {
    let mut names = Column::new(names)?;
    let mut lists = Column::sized(lists, names.len())?;
    let mut rows = Vec::with_capacity(names.len());
    for _ in 0..names.len() {
        let name = below(names.read()?, strings)?;
        let (start, len) = *ranges.get(usize::try_from(lists.read()?).ok()?)?;
        rows.push((name, start, len));
    }
    names.finish()?;
    lists.finish()?;
    Some(rows)
}

/// A column being read (see the module docs for the codings). Only `read_or`, per value, is
/// worth inlining.
struct Column<'a> {
    bytes: &'a [u8],
    coding: u8,
    left: usize,
    previous: u32,
}

impl<'a> Column<'a> {
    /// Reads a column's coding and length.
    #[inline(never)]
    fn new(bytes: &'a [u8]) -> Option<Self> {
        let (&coding, bytes) = bytes.split_first()?;
        if coding > SAME_OR_DELTA {
            return None;
        }
        let mut column = Column {
            bytes,
            coding,
            left: 0,
            previous: 0,
        };
        column.left = usize::try_from(column.varint()?).ok()?;
        // Every value takes a byte at least: a length beyond that is corrupt (and would be a
        // vast allocation).
        (column.left <= column.bytes.len()).then_some(column)
    }

    /// A column that must hold `len` values.
    #[inline(never)]
    fn sized(bytes: &'a [u8], len: usize) -> Option<Self> {
        Self::new(bytes).filter(|column| column.left == len)
    }

    /// How many values are left.
    fn len(&self) -> usize {
        self.left
    }

    /// Every value, each converted (or refused).
    #[inline(never)]
    fn all<T>(mut self, convert: impl Fn(u32) -> Option<T>) -> Option<Vec<T>> {
        let mut values = Vec::with_capacity(self.left);
        for _ in 0..self.left {
            values.push(convert(self.read()?)?);
        }
        self.finish()?;
        Some(values)
    }

    /// The next value of a column without parents.
    fn read(&mut self) -> Option<u32> {
        self.read_or(None)
    }

    /// The next value; `parent` is the parent item's value, for the `SAME_OR_…` codings.
    fn read_or(&mut self, parent: Option<u32>) -> Option<u32> {
        self.left = self.left.checked_sub(1)?;
        let value = match self.coding {
            VARINT => self.varint()?,
            DELTA => add_zigzag(self.previous, self.varint()?)?,
            U16 => {
                let (bytes, rest) = self.bytes.split_first_chunk::<2>()?;
                self.bytes = rest;
                u32::from(u16::from_le_bytes(*bytes))
            }
            coding => match self.varint()?.checked_sub(1) {
                None => parent?,
                Some(value) if coding == SAME_OR_VARINT => value,
                Some(zigzag) => add_zigzag(self.previous, zigzag)?,
            },
        };
        self.previous = value;
        Some(value)
    }

    /// A LEB128 varint of at most 32 bits.
    fn varint(&mut self) -> Option<u32> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value).ok();
            }
        }
        None
    }

    /// True when every value was read and nothing follows them.
    #[inline(never)]
    fn finished(&self) -> bool {
        self.left == 0 && self.bytes.is_empty()
    }

    /// `Some` when every value was read and nothing follows them.
    fn finish(&self) -> Option<()> {
        self.finished().then_some(())
    }
}

/// `previous` plus a zigzag-coded difference (0, -1, 1, -2, … as 0, 1, 2, 3, …).
fn add_zigzag(previous: u32, zigzag: u32) -> Option<u32> {
    let difference = i64::from(zigzag >> 1) ^ -i64::from(zigzag & 1);
    u32::try_from(i64::from(previous) + difference).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in tables decode (a table that did not would leave the dictionary empty).
    #[test]
    fn generated_tables_decode() {
        let data = decode(&ENCODED).expect("the generated tables decode");
        assert_eq!(data.versions.len(), crate::Version::ALL.len());
        assert!(!data.elements.is_empty() && !data.codes.is_empty() && !data.nodes.is_empty());
    }

    impl<'a> Encoded<'a> {
        /// Every byte column, to change one.
        fn columns_mut(&mut self) -> [&mut &'a [u8]; 45] {
            [
                &mut self.string_prefixes,
                &mut self.element_list_lengths,
                &mut self.element_list_parents,
                &mut self.element_list_ops,
                &mut self.element_type_names,
                &mut self.element_names,
                &mut self.element_types,
                &mut self.element_usages,
                &mut self.element_max_repetitions,
                &mut self.element_max_lengths,
                &mut self.element_tables,
                &mut self.definition_names,
                &mut self.definition_lists,
                &mut self.code_list_lengths,
                &mut self.code_list_parents,
                &mut self.code_list_ops,
                &mut self.code_values,
                &mut self.code_descriptions,
                &mut self.table_names,
                &mut self.table_lists,
                &mut self.node_list_lengths,
                &mut self.node_list_ops,
                &mut self.node_kinds,
                &mut self.node_names,
                &mut self.node_mins,
                &mut self.node_maxes,
                &mut self.node_children,
                &mut self.user_defined_tables,
                &mut self.version_segments,
                &mut self.segment_ids,
                &mut self.segment_definitions,
                &mut self.version_data_types,
                &mut self.data_type_ids,
                &mut self.data_type_definitions,
                &mut self.version_tables,
                &mut self.table_ids,
                &mut self.table_indexes,
                &mut self.version_structures,
                &mut self.structure_ids,
                &mut self.structure_lists,
                &mut self.version_events,
                &mut self.event_types,
                &mut self.event_triggers,
                &mut self.event_structures,
                &mut self.event_descriptions,
            ]
        }
    }

    /// Cut short or with bytes changed, the tables decode or are refused; nothing panics.
    #[test]
    fn corrupt_tables_never_panic() {
        let columns = ENCODED.clone().columns_mut().len();
        for column in 0..columns {
            let original: &[u8] = ENCODED.clone().columns_mut()[column];
            let len = original.len();
            // Cut short, a vast length, a value made longer (a continuation bit), a value changed.
            let mut variants = vec![
                original[..len / 2].to_vec(),
                original[..len.saturating_sub(1)].to_vec(),
            ];
            for (at, byte) in [(1, 0xFF), (len / 2, 0xFF), (len / 3, 0x00)] {
                let mut changed = original.to_vec();
                if let Some(b) = changed.get_mut(at) {
                    *b = byte;
                }
                variants.push(changed);
            }
            for bytes in &variants {
                let mut encoded = ENCODED.clone();
                *encoded.columns_mut()[column] = bytes;
                let _ = decode(&encoded);
            }
        }
        let suffixes = ENCODED.string_suffixes;
        for cut in [0, 1, suffixes.len() / 2, suffixes.len() - 1] {
            let mut encoded = ENCODED.clone();
            encoded.string_suffixes = &suffixes[..cut];
            assert!(decode(&encoded).is_none());
        }
    }

    /// How long decoding takes: `cargo test --release -p pipehat-dict decode_time -- --ignored
    /// --nocapture` (the fastest of 50 runs, and the median: a busy machine slows some).
    #[test]
    #[ignore = "a measurement, not a check"]
    fn decode_time() {
        let mut times: Vec<_> = (0..50)
            .map(|_| {
                let started = std::time::Instant::now();
                std::hint::black_box(decode(std::hint::black_box(&ENCODED)));
                started.elapsed()
            })
            .collect();
        times.sort();
        println!("decode: fastest {:?}, median {:?}", times[0], times[25]);
    }
}
