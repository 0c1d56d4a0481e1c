//! The generated tables' layout, and reading them.
//!
//! `generated.rs` (written by `cargo xtask gen-dict`, never by hand) holds every version's
//! dictionary as integer tables over one string blob. Strings are interned: a string id is an
//! index into [`STRING_LENGTHS`], and ids are in byte order of the strings, so a table sorted by id
//! is sorted by text and can be binary-searched by text. Definitions (a segment's fields, a data
//! type's components, a table's codes, a structure's elements) are stored once and shared by
//! every version that has the same one.

pub(crate) use crate::generated::*;

/// A field or component: name, data type, usage (index into [`USAGES`]), max repetitions (0 =
/// unbounded), max length (0 = unknown), table (0 = none).
pub(crate) type ElementRow = (u16, u16, u8, u8, u32, u16);
/// A named list: name, start and length in the flat list it indexes.
pub(crate) type DefinitionRow = (u16, u32, u16);
/// A table code: value, description (the empty string when the source has none).
pub(crate) type CodeRow = (u16, u16);
/// A structure element: kind (0 segment, 1 group, 2 choice), segment id or group name, min, max (0 =
/// unbounded), and for a group its children's start and length in `NODE_LISTS`.
pub(crate) type NodeRow = (u8, u16, u8, u16, u32, u16);

/// Usage codes in the order the generator numbers them.
pub(crate) const USAGES: [&str; 8] = ["R", "O", "C", "B", "X", "W", "NA", "RE"];

/// One version's entries, each sorted by its key's text.
#[derive(Debug)]
pub(crate) struct VersionData {
    /// Segment id → definition (index into `DEFINITIONS`).
    pub segments: &'static [(u16, u16)],
    /// Data type id → definition (index into `DEFINITIONS`; no elements for a primitive).
    pub data_types: &'static [(u16, u16)],
    /// Table number → table (index into `TABLES`).
    pub tables: &'static [(u16, u16)],
    /// Structure id → its elements in `NODE_LISTS`.
    pub structures: &'static [(u16, u32, u16)],
    /// Message type, trigger event → structure id and the event's description.
    pub events: &'static [(u16, u16, u16, u16)],
}

/// The interned string with this id.
pub(crate) fn string(id: u16) -> &'static str {
    // Lengths are stored (one byte each, a quarter of the size of offsets); the offsets are
    // summed once, on first use.
    static STARTS: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    let starts = STARTS.get_or_init(|| {
        let mut at = 0u32;
        let mut starts = Vec::with_capacity(STRING_LENGTHS.len() + 1);
        for length in STRING_LENGTHS {
            starts.push(at);
            at += u32::from(length);
        }
        starts.push(at);
        starts
    });
    let id = usize::from(id);
    let (Some(&start), Some(&end)) = (starts.get(id), starts.get(id + 1)) else {
        return "";
    };
    STRINGS.get(start as usize..end as usize).unwrap_or("")
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
