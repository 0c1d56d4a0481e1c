//! `describe(path, version)`: names and types from the HL7 dictionary for a path; and the
//! dictionary version a message is read with.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::failure::Failure;
use crate::to_js;

/// A field or component definition as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementInfo {
    /// Its number, from 1.
    pub position: usize,
    /// Its name, e.g. "Date/Time of Birth".
    pub name: String,
    /// Its data type id.
    pub data_type: String,
    /// Usage code: `R`, `O`, `C`, `B`, `X`, `W`…
    pub usage: &'static str,
    /// Most repetitions; `null` for unbounded.
    pub max_repetitions: Option<u32>,
    /// Maximum length, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// HL7 table number, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<u16>,
}

impl From<pipehat_dict::ElementDef<'_>> for ElementInfo {
    fn from(def: pipehat_dict::ElementDef<'_>) -> Self {
        ElementInfo {
            position: def.position,
            name: def.name.to_owned(),
            data_type: def.data_type.to_owned(),
            usage: def.usage.code(),
            max_repetitions: def.max_repetitions,
            max_length: def.max_length,
            table: def.table,
        }
    }
}

/// What the dictionary says of a path, as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescriptionInfo {
    /// The path in canonical form.
    pub path: String,
    /// The dictionary version used.
    pub version: &'static str,
    /// Set when the requested version was not in the dictionary and a near one was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_note: Option<String>,
    /// Names from the field down, joined with " / ".
    pub label: String,
    /// The segment's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_name: Option<String>,
    /// Data type of the deepest element described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// The field's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<ElementInfo>,
    /// The component's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ElementInfo>,
    /// The subcomponent's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcomponent: Option<ElementInfo>,
}

/// Describes `path` in `version` (MSH-12 as written; the newest version when absent).
///
/// # Errors
/// A [`Failure`] with code `path` for a path that cannot be read, `version` for a version that
/// names none.
///
/// ```
/// let d = pipehat_wasm::describe_path("PID-11.5", Some("2.5.1")).unwrap();
/// assert_eq!(d.label, "Patient Address / Zip or Postal Code");
/// assert!(pipehat_wasm::describe_path("PID-", None).is_err());
/// ```
pub fn describe_path(path: &str, version: Option<&str>) -> Result<DescriptionInfo, Failure> {
    let path: pipehat::Path = path
        .parse()
        .map_err(|e: pipehat::PathError| Failure::new("path", e.to_string()))?;
    let resolution = match version {
        None => pipehat_dict::Resolution {
            version: pipehat_dict::Version::LATEST,
            note: None,
        },
        Some(text) => pipehat_dict::Version::resolve(text)
            .ok_or_else(|| Failure::new("version", format!("'{text}' names no HL7 v2 version")))?,
    };
    let description = resolution.version.describe(&path);
    Ok(DescriptionInfo {
        path: path.to_string(),
        version: resolution.version.as_str(),
        version_note: resolution.note,
        label: description.label(),
        segment_name: description.segment.as_ref().map(|s| s.name.to_owned()),
        data_type: description.data_type().map(str::to_owned),
        field: description.field.map(ElementInfo::from),
        component: description.component.map(ElementInfo::from),
        subcomponent: description.subcomponent.map(ElementInfo::from),
    })
}

/// `describe(path, version)`: names and types from the HL7 dictionary for a path.
#[wasm_bindgen(unchecked_return_type = "Description")]
pub fn describe(path: &str, version: Option<String>) -> Result<JsValue, JsError> {
    to_js(&describe_path(path, version.as_deref())?)
}

/// The dictionary version for a message: `version` when given, else its MSH-12, else the latest.
pub(crate) fn version_for(
    message: &pipehat::Message<'_>,
    version: Option<&str>,
) -> Result<pipehat_dict::Version, String> {
    if let Some(v) = version {
        return pipehat_dict::Version::resolve(v)
            .map(|r| r.version)
            .ok_or_else(|| format!("'{v}' names no HL7 v2 version"));
    }
    Ok(pipehat_dict::Version::of_message(message))
}
