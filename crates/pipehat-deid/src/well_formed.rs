//! Which values are kept because they are well-formed for their category: codes their HL7
//! table lists, a code's own display text, numbers, times, region codes — and the dictionary
//! look-ups behind the codes (remembered in `state.rs`).

use pipehat_dict::Version;

use crate::category::{Category, Leaf};
use crate::state::State;

/// For the categories kept when well-formed: whether the value is; `None` for other categories.
pub(crate) fn well_formed(
    leaf: &Leaf,
    text: &[u8],
    version: Version,
    code_beside: Option<&[u8]>,
    state: &mut State,
) -> Option<bool> {
    Some(match leaf.category {
        // OBX-2 names a data type: any type id is a type, not a person.
        Category::Code if leaf.table == Some(125) => {
            state.in_table(leaf.table, text, version)
                || core::str::from_utf8(text)
                    .is_ok_and(|id| Version::ALL.iter().any(|v| v.data_type(id).is_some()))
        }
        Category::Code => state.in_table(leaf.table, text, version),
        Category::CodeText => code_beside
            .is_some_and(|code| state.describes(leaf.table, code.trim_ascii(), text, version)),
        // By the value's own type where it has a grammar (an SI is never negative), the same
        // grammar validation checks.
        Category::Number => pipehat::primitive::is_valid(leaf.data_type, text)
            .unwrap_or_else(|| pipehat::primitive::is_number(text)),
        Category::Time => pipehat::primitive::is_valid(leaf.data_type, text)
            .unwrap_or_else(|| pipehat::primitive::is_time(text)),
        Category::State | Category::Country => {
            is_region_code(text) || state.in_table(leaf.table, text, version)
        }
        _ => return None,
    })
}

/// Whether `value` is a code of `table` in `version` or any other version (a code HL7 defined
/// once is a code, not an identifier: `CE` in OBX-2 of a v2.8 message).
pub(crate) fn in_table(table: Option<u16>, value: &[u8], version: Version) -> bool {
    let (Some(table), Ok(value)) = (table, core::str::from_utf8(value)) else {
        return false;
    };
    core::iter::once(version)
        .chain(Version::ALL.into_iter().rev())
        .filter_map(|v| v.table(table))
        .any(|t| t.contains(value))
}

/// Whether `text` is the table's description of `code` (the display text of a coded element).
pub(crate) fn describes(table: Option<u16>, code: &[u8], text: &[u8], version: Version) -> bool {
    let (Some(table), Ok(code), Ok(text)) = (
        table,
        core::str::from_utf8(code),
        core::str::from_utf8(text),
    ) else {
        return false;
    };
    [version, Version::LATEST]
        .into_iter()
        .filter_map(|v| v.table(table))
        .filter_map(|t| t.code(code))
        .any(|c| c.description.is_some_and(|d| d.eq_ignore_ascii_case(text)))
}

/// A state, province or country written as a code: two or three capital letters.
pub(crate) fn is_region_code(value: &[u8]) -> bool {
    matches!(value.len(), 2 | 3) && value.iter().all(u8::is_ascii_uppercase)
}
