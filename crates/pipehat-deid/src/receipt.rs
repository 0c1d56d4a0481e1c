//! The receipt of an anonymization: what changed ([`Receipt`], one [`Change`] per value, with
//! its [`ChangePath`] and an optional [`Note`]) and what was dropped ([`Removal`]).

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

/// Where a changed value is, kept as numbers: a file can have hundreds of thousands of changes,
/// and a `String` each was a fifth of Safe Harbor's time. Displays and serializes as the path
/// text (`PID-5.1`, `OBX[2]-5`, `PID-3[2].1`); compares equal to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChangePath {
    /// The segment id, up to 8 bytes (longer ids, which no message should have, are cut).
    id: [u8; 8],
    id_len: u8,
    occurrence: u32,
    field: u32,
    /// 0 when the path names no repetition (the first).
    repetition: u32,
    /// 0 when the path names no component.
    component: u32,
    /// 0 when the path names no subcomponent.
    subcomponent: u32,
}

impl ChangePath {
    pub(crate) fn new(
        segment: &[u8],
        occurrence: usize,
        field: usize,
        repetition: Option<usize>,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Self {
        let mut id = [0u8; 8];
        let len = segment.len().min(8);
        id[..len].copy_from_slice(&segment[..len]);
        let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ChangePath {
            id,
            id_len: len as u8,
            occurrence: number(occurrence),
            field: number(field),
            repetition: repetition.filter(|r| *r > 1).map_or(0, number),
            component: component.or(subcomponent.map(|_| 1)).map_or(0, number),
            subcomponent: subcomponent.map_or(0, number),
        }
    }
}

impl core::fmt::Display for ChangePath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&String::from_utf8_lossy(
            &self.id[..usize::from(self.id_len)],
        ))?;
        if self.occurrence > 1 {
            write!(f, "[{}]", self.occurrence)?;
        }
        write!(f, "-{}", self.field)?;
        if self.repetition > 1 {
            write!(f, "[{}]", self.repetition)?;
        }
        if self.component > 0 {
            write!(f, ".{}", self.component)?;
        }
        if self.subcomponent > 0 {
            write!(f, ".{}", self.subcomponent)?;
        }
        Ok(())
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
        let path = ChangePath::new(b"OBX", 2, 5, Some(3), Some(1), Some(2));
        assert_eq!(path.to_string(), "OBX[2]-5[3].1.2");
        assert!(path == "OBX[2]-5[3].1.2");
        assert!(path != "OBX[2]-5[3].1");
        assert!(path != "OBX[2]-5[3].1.2.1");
        let plain = ChangePath::new(b"PID", 1, 3, Some(1), None, Some(4));
        assert_eq!(plain.to_string(), "PID-3.1.4");
        assert_eq!(serde_json::to_string(&plain).unwrap(), "\"PID-3.1.4\"");
    }
}
