//! The receipt of an anonymization: what changed ([`Receipt`], one [`Change`] per value, with
//! its [`ChangePath`] and an optional [`Note`]) and what was dropped ([`Removal`]).

use pipehat::Path;
use serde::Serialize;

use crate::category::Category;
use crate::policy::{Method, Preset};

/// What an anonymization changed: every value, by path and method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// The preset the policy started from.
    pub preset: Preset,
    /// How many messages were anonymized.
    pub messages: usize,
    /// Every value that changed.
    pub changes: Vec<Change>,
    /// Text dropped because it could not be read as HL7: prose between messages, unreadable
    /// messages.
    pub removed: Vec<Removal>,
}

/// One changed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Which message of the file (0-based); envelope segments (FHS, BHS…) count as message
    /// `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<usize>,
    /// The value's path, e.g. `PID-5.1`, `OBX[2]-5`, `PID-3[2].1` (written out when displayed
    /// or serialized).
    pub path: ChangePath,
    /// What the value was taken for.
    pub category: Category,
    /// What was done.
    pub method: Method,
    /// The original value (decoded), only when asked for with
    /// [`Anonymizer::keep_originals`].
    ///
    /// [`Anonymizer::keep_originals`]: crate::Anonymizer::keep_originals
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Anything to know about how the replacement was written; absent (and left out of the
    /// JSON, so receipts without notes read as before) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// Something to know about how a replacement was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Note {
    /// The replacement held a character the message's character set cannot hold (ISO 8859-1
    /// has no `€` or `Ł`): each such character was written as `?`. JSON: `"unencodable"`.
    Unencodable,
}

impl Note {
    /// The note as JSON writes it (`unencodable`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Note::Unencodable => "unencodable",
        }
    }

    /// What it means, in a sentence.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Note::Unencodable => {
                "the replacement held a character the message's character set cannot hold: \
                 written as ?"
            }
        }
    }
}

/// Where a changed value is: the numbers of a core [`Path`] (`PID-5.1`, `OBX[2]-5`,
/// `PID-3[2].1`), and the path itself ([`ChangePath::as_path`]) when the segment id is one a
/// path can hold (three letters or digits; not so a four-letter Z-segment's). Displays and
/// serializes as the path text, printed by [`Path`] whatever the id; compares equal to it.
///
/// Kept as numbers, made into a [`Path`] or text only when asked: a file can have hundreds of
/// thousands of changes; a `String` each was a fifth of Safe Harbor's time, and a [`Path`]
/// each (80 bytes) a tenth.
///
/// A value alone in the first repetition of its field is written `PID-3` (not `PID-3[1]`),
/// as receipts have always written it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChangePath {
    /// The segment id, up to 8 bytes (longer ones, which no message should have, are cut).
    id: [u8; 8],
    id_len: u8,
    /// How many of `levels` the path has: field, repetition, component, subcomponent.
    depth: u8,
    occurrence: u32,
    levels: [u32; 4],
}

impl ChangePath {
    /// The path of segment `id`'s `occurrence` (from 1), `levels` deep (field, then
    /// repetition, component, subcomponent, each from 1: as [`Path::new`] takes them).
    pub(crate) fn new(id: &[u8], occurrence: usize, levels: &[usize]) -> Self {
        let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut bytes = [0u8; 8];
        let id_len = id.len().min(8);
        bytes[..id_len].copy_from_slice(&id[..id_len]);
        let mut numbers = [0; 4];
        for (number_at, level) in numbers.iter_mut().zip(levels) {
            *number_at = number(*level);
        }
        ChangePath {
            id: bytes,
            id_len: id_len as u8,
            depth: levels.len().min(4) as u8,
            occurrence: number(occurrence),
            levels: numbers,
        }
    }

    /// The core's path, when the segment id is one a path can hold (three letters or digits).
    #[must_use]
    pub fn as_path(&self) -> Option<Path> {
        self.with_id(&self.id[..usize::from(self.id_len)])
    }

    /// The path of these numbers in segment `id`.
    fn with_id(&self, id: &[u8]) -> Option<Path> {
        let levels = self.levels.map(|level| level as usize);
        Path::new(
            id,
            self.occurrence as usize,
            &levels[..usize::from(self.depth)],
        )
        .ok()
    }
}

impl core::fmt::Display for ChangePath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(path) = self.as_path() {
            return path.fmt(f);
        }
        // Another id: the id as written, then what Path prints after an id it can hold.
        let levels = self.levels.map(|level| level as usize);
        pipehat::path::write_with_id(
            f,
            &self.id[..usize::from(self.id_len)],
            self.occurrence as usize,
            &levels[..usize::from(self.depth)],
        )
    }
}

impl Serialize for ChangePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl PartialEq<str> for ChangePath {
    /// Compares the path as written with `other`, without writing it into a `String`.
    fn eq(&self, other: &str) -> bool {
        /// Checks written pieces against what is left of the text.
        struct Against<'t>(&'t str);
        impl core::fmt::Write for Against<'_> {
            fn write_str(&mut self, piece: &str) -> core::fmt::Result {
                self.0 = self.0.strip_prefix(piece).ok_or(core::fmt::Error)?;
                Ok(())
            }
        }
        let mut against = Against(other);
        core::fmt::write(&mut against, format_args!("{self}")).is_ok() && against.0.is_empty()
    }
}

impl PartialEq<&str> for ChangePath {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Input dropped from the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// Where it was in the input (bytes, half-open).
    pub start: usize,
    /// Where it ended.
    pub end: usize,
    /// What it was.
    pub reason: &'static str,
}

#[cfg(test)]
mod tests {
    use super::ChangePath;

    #[test]
    fn change_paths_print_and_compare_as_written() {
        let path = ChangePath::new(b"OBX", 2, &[5, 3, 1, 2]);
        assert_eq!(path.to_string(), "OBX[2]-5[3].1.2");
        assert!(path == "OBX[2]-5[3].1.2");
        assert!(path != "OBX[2]-5[3].1");
        assert!(path != "OBX[2]-5[3].1.2.1");
        assert_eq!(path.as_path(), Some("OBX[2]-5[3].1.2".parse().unwrap()));
        let plain = ChangePath::new(b"PID", 1, &[3, 1, 1, 4]);
        assert_eq!(plain.to_string(), "PID-3.1.4");
        assert_eq!(serde_json::to_string(&plain).unwrap(), "\"PID-3.1.4\"");
        assert_eq!(ChangePath::new(b"PID", 1, &[3]).to_string(), "PID-3");
        assert_eq!(ChangePath::new(b"PID", 1, &[3, 2]).to_string(), "PID-3[2]");
    }

    /// An id a path cannot hold is printed the same way after it.
    #[test]
    fn ids_a_path_cannot_hold_print_alike() {
        for (id, occurrence, levels, printed) in [
            (&b"ZABC"[..], 2, &[5, 3, 1, 2][..], "ZABC[2]-5[3].1.2"),
            (b"ZABC", 1, &[3, 1, 4], "ZABC-3.4"),
            (b"Z", 1, &[1], "Z-1"),
            (b"", 3, &[2, 2], "[3]-2[2]"),
            (b"Z-1", 1, &[1, 1, 1, 2], "Z-1-1.1.2"),
            (b"ZABCDEFGHI", 1, &[1], "ZABCDEFG-1"),
        ] {
            let path = ChangePath::new(id, occurrence, levels);
            assert_eq!(path.as_path(), None);
            assert_eq!(path.to_string(), printed);
            assert!(path == printed);
        }
    }
}
