//! HL7 v2 versions and reading MSH-12.

use core::fmt;

/// An HL7 v2 version the dictionary has: 2.1 to 2.8.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Version {
    /// HL7 v2.1 (1990).
    V2_1,
    /// HL7 v2.2 (1994).
    V2_2,
    /// HL7 v2.3 (1997).
    V2_3,
    /// HL7 v2.3.1 (1999).
    V2_3_1,
    /// HL7 v2.4 (2000).
    V2_4,
    /// HL7 v2.5 (2003).
    V2_5,
    /// HL7 v2.5.1 (2007).
    V2_5_1,
    /// HL7 v2.6 (2007).
    V2_6,
    /// HL7 v2.7 (2011).
    V2_7,
    /// HL7 v2.7.1 (2012).
    V2_7_1,
    /// HL7 v2.8 (2014).
    V2_8,
    /// HL7 v2.8.1 (2014).
    V2_8_1,
    /// HL7 v2.8.2 (2015).
    V2_8_2,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 13] = [
        Version::V2_1,
        Version::V2_2,
        Version::V2_3,
        Version::V2_3_1,
        Version::V2_4,
        Version::V2_5,
        Version::V2_5_1,
        Version::V2_6,
        Version::V2_7,
        Version::V2_7_1,
        Version::V2_8,
        Version::V2_8_1,
        Version::V2_8_2,
    ];

    /// The newest version the dictionary has.
    pub const LATEST: Version = Version::V2_8_2;

    /// The version as MSH-12 writes it, e.g. `"2.5.1"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Version::V2_1 => "2.1",
            Version::V2_2 => "2.2",
            Version::V2_3 => "2.3",
            Version::V2_3_1 => "2.3.1",
            Version::V2_4 => "2.4",
            Version::V2_5 => "2.5",
            Version::V2_5_1 => "2.5.1",
            Version::V2_6 => "2.6",
            Version::V2_7 => "2.7",
            Version::V2_7_1 => "2.7.1",
            Version::V2_8 => "2.8",
            Version::V2_8_1 => "2.8.1",
            Version::V2_8_2 => "2.8.2",
        }
    }

    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    fn numbers(self) -> [u32; 3] {
        let mut out = [0; 3];
        for (slot, part) in out.iter_mut().zip(self.as_str().split('.')) {
            *slot = part.parse().unwrap_or(0);
        }
        out
    }

    /// The version `message` is read with: its MSH-12 as [`Version::resolve`] reads it, else
    /// (no MSH-12, or one that names no version) [`Version::LATEST`]. Every layer — validation,
    /// de-identification, the bindings, the viewer — picks a message's version this way.
    ///
    /// ```
    /// use pipehat::Message;
    /// use pipehat_dict::Version;
    ///
    /// let message = Message::parse(b"MSH|^~\\&|A|B|||20260101||ADT^A04|1|P|2.3.1^USA\r")?;
    /// assert_eq!(Version::of_message(&message), Version::V2_3_1);
    /// let unversioned = Message::parse(b"MSH|^~\\&|A|B|||20260101||ADT^A04|1|P\r")?;
    /// assert_eq!(Version::of_message(&unversioned), Version::LATEST);
    /// # Ok::<(), pipehat::Error>(())
    /// ```
    #[must_use]
    pub fn of_message(message: &pipehat::Message<'_>) -> Version {
        message
            .get(&pipehat::Path::new("MSH", 1, &[12, 1, 1]).expect("a fixed path"))
            .and_then(|version| Version::resolve(&version.text()))
            .map_or(Version::LATEST, |resolved| resolved.version)
    }

    /// Reads a version as MSH-12 holds it and finds the dictionary version to use.
    ///
    /// Accepts the whole field as written: `"2.5.1"`, `"2.3.0"` (same as 2.3), `"2.5.1^USA"` or
    /// `"2.5.1&…"` (only the version id counts), surrounding spaces, a leading `v`. A version the
    /// dictionary does not have maps to the nearest one not newer than it (`"2.4.1"` → 2.4,
    /// `"2.9"` → 2.8.2; anything older than 2.1 → 2.1), with a note saying so. Text that holds
    /// no version number gives `None`.
    ///
    /// ```
    /// use pipehat_dict::Version;
    ///
    /// assert_eq!(Version::resolve("2.5.1^USA").map(|r| r.version), Some(Version::V2_5_1));
    /// let newer = Version::resolve("2.9").unwrap();
    /// assert_eq!(newer.version, Version::V2_8_2);
    /// assert!(newer.note.is_some());
    /// assert!(Version::resolve("").is_none());
    /// ```
    #[must_use]
    pub fn resolve(text: &str) -> Option<Resolution> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let id_end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let id = text[..id_end].trim_end_matches('.');
        if id.is_empty() {
            return None;
        }
        let mut numbers = [0u32; 3];
        let mut parts = id.split('.');
        for slot in &mut numbers {
            match parts.next() {
                Some(part) => *slot = part.parse().ok()?,
                None => break,
            }
        }
        let extra = parts.any(|part| part.parse::<u32>().is_ok_and(|n| n != 0));
        if let Some(exact) = Version::ALL.into_iter().find(|v| v.numbers() == numbers)
            && !extra
        {
            return Some(Resolution {
                version: exact,
                note: None,
            });
        }
        let nearest = Version::ALL
            .into_iter()
            .rev()
            .find(|v| v.numbers() <= numbers)
            .unwrap_or(Version::V2_1);
        Some(Resolution {
            version: nearest,
            note: Some(format!(
                "HL7 version {id} is not in the dictionary; using {nearest}, the nearest one"
            )),
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Version {
    type Err = UnknownVersion;

    /// Only an exact version id (`"2.5.1"`, or `"2.3.0"` for 2.3); see [`Version::resolve`] for
    /// the forgiving reading of MSH-12.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Version::resolve(s) {
            Some(Resolution {
                version,
                note: None,
            }) if s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.') => Ok(version),
            _ => Err(UnknownVersion(s.to_owned())),
        }
    }
}

/// Text that names no version the dictionary has, from [`Version`]'s `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVersion(pub String);

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not an HL7 v2 version from 2.1 to 2.8.2", self.0)
    }
}

impl std::error::Error for UnknownVersion {}

/// The version [`Version::resolve`] chose, and why when it was not the one written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The dictionary version to use.
    pub version: Version,
    /// Set when the text named a version the dictionary lacks: what was used instead.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_msh12_as_written() {
        let exact = |s: &str| {
            Version::resolve(s)
                .filter(|r| r.note.is_none())
                .map(|r| r.version)
        };
        assert_eq!(exact("2.5.1"), Some(Version::V2_5_1));
        assert_eq!(exact(" 2.3.0 "), Some(Version::V2_3));
        assert_eq!(exact("2.5.1^USA^ISO3166"), Some(Version::V2_5_1));
        assert_eq!(exact("2.4&x"), Some(Version::V2_4));
        assert_eq!(exact("v2.7.1"), Some(Version::V2_7_1));
        assert_eq!(exact("2.2."), Some(Version::V2_2));
    }

    #[test]
    fn maps_unknown_versions_to_the_nearest_older_one() {
        let nearest = |s: &str| Version::resolve(s).map(|r| (r.version, r.note.is_some()));
        assert_eq!(nearest("2.4.1"), Some((Version::V2_4, true)));
        assert_eq!(nearest("2.9"), Some((Version::V2_8_2, true)));
        assert_eq!(nearest("3"), Some((Version::V2_8_2, true)));
        assert_eq!(nearest("1.0"), Some((Version::V2_1, true)));
        assert_eq!(nearest("2.5.1.1"), Some((Version::V2_5_1, true)));
        assert_eq!(nearest("2.5.1.0"), Some((Version::V2_5_1, false)));
        assert_eq!(nearest(""), None);
        assert_eq!(nearest("^USA"), None);
        assert_eq!(nearest("2.99999999999"), None);
    }

    #[test]
    fn parses_exact_ids_only() {
        assert_eq!("2.8.2".parse::<Version>(), Ok(Version::V2_8_2));
        assert!("2.9".parse::<Version>().is_err());
        assert!("2.5^x".parse::<Version>().is_err());
        for version in Version::ALL {
            assert_eq!(version.as_str().parse::<Version>(), Ok(version));
        }
    }
}
