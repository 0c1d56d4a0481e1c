//! What a caller chooses: the preset ([`Preset`]) and the [`Options`] of one validation.

use pipehat_dict::{Dictionary, Version};

use crate::profile::Profile;

/// How strict validation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// What receivers actually reject: structure, required fields, formats of dates, times and
    /// numbers, codes of HL7-defined tables. Lengths are warnings; user-defined tables,
    /// components' usage and phone number formats are not checked.
    #[default]
    Tolerant,
    /// Everything the dictionary says, as errors where the standard says "must".
    Strict,
}

/// Options for [`validate`](crate::validate).
#[derive(Debug, Clone)]
pub struct Options<'d> {
    /// The version to check against; `None` reads MSH-12 (the nearest known version when it
    /// names one the dictionary lacks, 2.8.2 when it is empty).
    pub version: Option<Version>,
    /// How strict.
    pub preset: Preset,
    /// Whether findings may quote values. False leaves every value out of messages and the
    /// `value` member, so the report carries no patient data.
    pub with_values: bool,
    /// Segment definitions to use besides the standard's (Z-segments); its version is used
    /// when `version` is `None` and MSH-12 is empty.
    pub dictionary: Option<&'d Dictionary>,
    /// A profile's constraints to check too; its custom segments join the dictionary.
    pub profile: Option<&'d Profile>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            version: None,
            preset: Preset::Tolerant,
            with_values: true,
            dictionary: None,
            profile: None,
        }
    }
}
