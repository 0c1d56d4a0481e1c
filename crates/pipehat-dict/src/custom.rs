//! Definitions users add: Z-segments and site-specific segments.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Description, ElementDef, Elements, ElementsInner, SegmentDef, Usage, Version};

/// A version's dictionary plus segments the standard does not define (Z-segments, or a site's
/// own definition of a standard segment, which then takes its place).
///
/// ```
/// use pipehat_dict::{CustomSegment, Dictionary, Version};
///
/// let zpi: CustomSegment = serde_json::from_str(r#"{
///     "id": "ZPI", "name": "Patient Extras",
///     "fields": [{ "name": "Set ID", "dataType": "SI" },
///                { "name": "Pet Name", "dataType": "XPN", "maxRepetitions": null }]
/// }"#)?;
/// let mut dictionary = Dictionary::new(Version::V2_5_1);
/// dictionary.add_segment(zpi);
///
/// let path: pipehat::Path = "ZPI-2.1".parse()?;
/// assert_eq!(dictionary.describe(&path).label(), "Pet Name / Family Name");
/// assert_eq!(dictionary.field("PID", 5).map(|f| f.name), Some("Patient Name"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dictionary {
    version: Version,
    custom: BTreeMap<String, CustomSegment>,
}

impl Dictionary {
    /// The standard definitions of `version`, nothing added yet.
    #[must_use]
    pub fn new(version: Version) -> Self {
        Dictionary {
            version,
            custom: BTreeMap::new(),
        }
    }

    /// The HL7 version it describes.
    #[must_use]
    pub fn version(&self) -> Version {
        self.version
    }

    /// Adds a segment definition; one with the same id (custom or standard) is replaced.
    pub fn add_segment(&mut self, segment: CustomSegment) {
        self.custom.insert(segment.id.clone(), segment);
    }

    /// The segments added with [`Dictionary::add_segment`].
    pub fn custom_segments(&self) -> impl ExactSizeIterator<Item = &CustomSegment> {
        self.custom.values()
    }

    /// The segment with this id: an added one first, else the standard's.
    #[must_use]
    pub fn segment(&self, id: &str) -> Option<SegmentDef<'_>> {
        match self.custom.get(id) {
            Some(custom) => Some(SegmentDef {
                id: &custom.id,
                name: &custom.name,
                elements: Elements {
                    inner: ElementsInner::Custom(&custom.fields),
                    next: 0,
                },
            }),
            None => self.version.segment(id),
        }
    }

    /// Field `position` (from 1) of a segment, added or standard.
    #[must_use]
    pub fn field(&self, segment: &str, position: usize) -> Option<ElementDef<'_>> {
        self.segment(segment)?.field(position)
    }

    /// Names and types for the element a path points at (see [`Version::describe`]).
    #[must_use]
    pub fn describe(&self, path: &pipehat::Path) -> Description<'_> {
        Description::new(*path, self.segment(path.segment()), self.version)
    }
}

/// A segment definition supplied by the user, e.g. read from JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomSegment {
    /// The segment id, e.g. `ZPI`.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its fields, from field 1.
    #[serde(default)]
    pub fields: Vec<CustomElement>,
}

/// A field of a [`CustomSegment`]. In JSON every member but `name` may be left out: the data
/// type then defaults to `ST`, usage to optional, repetitions to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomElement {
    /// Its name.
    pub name: String,
    /// Its data type id (`ST`, `CWE`, `XPN` …): components are then named from the version's
    /// data types.
    #[serde(default = "default_type")]
    pub data_type: String,
    /// How it is used.
    #[serde(default = "default_usage")]
    pub usage: Usage,
    /// Most repetitions; `null` for unbounded.
    #[serde(default = "one")]
    pub max_repetitions: Option<u32>,
    /// Maximum length, if any.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// The HL7 or local table that holds its codes.
    #[serde(default)]
    pub table: Option<u16>,
}

fn default_type() -> String {
    "ST".to_owned()
}

fn default_usage() -> Usage {
    Usage::Optional
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "serde default for an Option field"
)]
fn one() -> Option<u32> {
    Some(1)
}

impl CustomElement {
    pub(crate) fn def(&self, position: usize) -> ElementDef<'_> {
        ElementDef {
            position,
            name: &self.name,
            data_type: &self.data_type,
            usage: self.usage,
            max_repetitions: self.max_repetitions,
            max_length: self.max_length,
            table: self.table,
        }
    }
}
