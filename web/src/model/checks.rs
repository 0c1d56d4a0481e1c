//! What the user chose for checking messages (a version, the strict preset, a conformance
//! profile read from a file), and the version a message is read with.

use pipehat::Message;
use pipehat_dict::Version;
use pipehat_validate::{Options, Preset as ValidationPreset, Profile};

/// What the user chose for checking messages: a version instead of MSH-12's, the strict preset,
/// a conformance profile.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// The version to read and check against instead of the message's own (MSH-12).
    pub version: Option<Version>,
    /// The strict preset instead of the tolerant one.
    pub strict: bool,
    /// A conformance profile the user opened, with its file name.
    pub profile: Option<(String, std::sync::Arc<Profile>)>,
}

impl Checks {
    /// The validator's options for these choices.
    pub(super) fn options(&self) -> Options<'_> {
        Options {
            version: self.version,
            preset: if self.strict {
                ValidationPreset::Strict
            } else {
                ValidationPreset::Tolerant
            },
            profile: self.profile.as_ref().map(|(_, p)| &**p),
            ..Options::default()
        }
    }
}

/// A conformance profile read from a file the user opened: HL7 v2 XML (`<HL7v2xConformanceProfile>`)
/// or pipehat's JSON form.
pub fn read_profile(text: &str) -> Result<Profile, String> {
    let profile = if text.trim_start().starts_with('<') {
        Profile::from_xml(text).map_err(|e| e.to_string())?
    } else {
        serde_json::from_str::<Profile>(text).map_err(|e| format!("profile: {e}"))?
    };
    profile.check().map_err(|e| e.to_string())?;
    Ok(profile)
}

/// The version a message is read with: the user's choice, else MSH-12, else the latest.
pub(super) fn version_for(message: &Message<'_>, chosen: Option<Version>) -> Version {
    chosen.unwrap_or_else(|| version_of(message))
}

/// The HL7 version `message` is read with: its MSH-12, else the latest.
pub(crate) fn version_of(message: &Message<'_>) -> Version {
    Version::of_message(message)
}
