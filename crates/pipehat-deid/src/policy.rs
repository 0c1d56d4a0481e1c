//! Policies: a preset, and overrides per field, data type or segment.

use std::collections::BTreeMap;

use pipehat::Path;
use serde::{Deserialize, Serialize};

use crate::category::Category;

/// What to do with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Leave it as it is.
    Keep,
    /// Replace it with `REDACTED` (an HL7 null `""` stays null; an empty value stays empty).
    Redact,
    /// Empty it.
    Remove,
    /// Keep only what does not identify: dates → year (and ages over 89 → 90), ZIP codes →
    /// their first three digits (`000` for sparsely populated areas); codes, numbers, times,
    /// states and countries are kept when well-formed and redacted otherwise; anything else is
    /// redacted.
    Generalize,
    /// A keyed pseudonym, the same for the same value and key: realistic names and addresses
    /// from built-in lists, identifiers and phone numbers with their shape kept (letters for
    /// letters, digits for digits), dates shifted by a per-patient number of days; codes,
    /// numbers, times, states and countries are kept when well-formed.
    Pseudonymize,
    /// For free text: remove every identifier value seen in the message or batch, and
    /// anything shaped like an email, URL, date or long number.
    Scrub,
}

impl Method {
    /// The method's name as JSON writes it (`generalize`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Keep => "keep",
            Method::Redact => "redact",
            Method::Remove => "remove",
            Method::Generalize => "generalize",
            Method::Pseudonymize => "pseudonymize",
            Method::Scrub => "scrub",
        }
    }
}

/// A starting point for a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// HIPAA Safe Harbor (45 CFR 164.514(b)(2)): identifiers redacted, dates to the year, ZIP
    /// codes to three digits, free text and payloads removed. Needs no key.
    #[default]
    SafeHarbor,
    /// Keyed pseudonyms that keep linkage across messages (same patient, same pseudonym and
    /// date shift), free text redacted (or scrubbed: [`FreeText::Scrub`]). For test data and
    /// research; needs a key.
    Pseudonymize,
}

/// What happens to free text — TX and FT fields, NTE-3, OBR-13, PV2-12, AL1-5, ORC-16, and
/// OBX-5 when OBX-2 is ST, TX or FT (values of [`Category::FreeText`]) — unless an override
/// names the field, its data type or its segment. In JSON: `"freeText": "redact"` or
/// `"scrub"`.
///
/// ```
/// use pipehat_deid::{FreeText, Policy};
///
/// let policy: Policy = serde_json::from_str(r#"{"preset": "pseudonymize", "freeText": "scrub"}"#)?;
/// assert_eq!(policy.free_text, FreeText::Scrub);
/// assert_eq!(Policy::default().free_text, FreeText::Redact);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FreeText {
    /// The whole value is replaced by `REDACTED`, as Safe Harbor does; the receipt lists each
    /// value with its path, category `free-text` and method `redact`. The default for both
    /// presets: a keyed pseudonym set is for linkage, not for keeping notes.
    #[default]
    Redact,
    /// The value is kept, with every value replaced anywhere in the input (names, identifiers,
    /// dates…) replaced in it too, and anything shaped like an email, URL, date or long number
    /// removed ([`Method::Scrub`]). Scrubbing cannot catch an identifier that appears **only**
    /// in free text (a relative's name, a bed number typed into a note): it has never been
    /// seen in a structured field, and it survives. Under Safe Harbor, scrubbed free text
    /// falls short of HIPAA's Safe Harbor method.
    Scrub,
}

impl Preset {
    /// The method the preset applies to a category.
    #[must_use]
    pub fn method(self, category: Category) -> Method {
        use Category::*;
        match (self, category) {
            (_, Allowed) => Method::Keep,
            (_, Binary) => Method::Remove,
            (_, Unknown) => Method::Redact,
            // Both presets: a note can name anyone (see FreeText).
            (_, FreeText) => Method::Redact,
            (Preset::SafeHarbor, Code | CodeText | Number | Time | State | Country) => {
                Method::Generalize
            }
            (Preset::SafeHarbor, Date | BirthDate | Age | PostalCode) => Method::Generalize,
            (Preset::SafeHarbor, _) => Method::Redact,
            (Preset::Pseudonymize, _) => Method::Pseudonymize,
        }
    }
}

/// A de-identification policy: a preset, and overrides. The most specific override wins: an
/// element path (`PID-5.1`), then a field (`PID-11`), then the field's data type (`XAD`), then
/// the segment (`ZPD`), then the preset's method for the value's [`Category`].
///
/// Free text follows [`Policy::free_text`] where no override names it.
///
/// As JSON (the form the npm package and the CLI read):
///
/// ```
/// use pipehat_deid::{Method, Policy, Preset};
///
/// let policy: Policy = serde_json::from_str(r#"{
///     "preset": "pseudonymize",
///     "freeText": "redact",
///     "fields": { "PID-11.5": "generalize", "PV1-3": "keep" },
///     "dataTypes": { "XTN": "redact" },
///     "segments": { "ZPI": "remove" }
/// }"#)?;
/// assert_eq!(policy.preset, Preset::Pseudonymize);
/// assert_eq!(policy.fields["PV1-3"], Method::Keep);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// The preset the overrides start from.
    #[serde(default)]
    pub preset: Preset,
    /// Methods by element path: a field (`PID-11`) or a component or subcomponent
    /// (`PID-11.5`, `PID-3.4.1`). Repetitions and segment occurrences are not part of the key.
    #[serde(default)]
    pub fields: BTreeMap<String, Method>,
    /// Methods by a field's data type (`XAD`), wherever it appears.
    #[serde(default)]
    pub data_types: BTreeMap<String, Method>,
    /// Methods by segment id (`ZPD`): every value of the segment.
    #[serde(default)]
    pub segments: BTreeMap<String, Method>,
    /// What happens to free text no override names: redacted whole (the default) or scrubbed.
    #[serde(default)]
    pub free_text: FreeText,
}

impl Policy {
    /// The preset alone.
    #[must_use]
    pub fn preset(preset: Preset) -> Self {
        Policy {
            preset,
            ..Policy::default()
        }
    }

    /// Whether any value could be pseudonymized, so a key is needed.
    pub(crate) fn needs_key(&self) -> bool {
        self.may_use(Method::Pseudonymize)
    }

    /// Whether any value could be scrubbed, so identifiers must be collected first: free text
    /// scrubbed by [`Policy::free_text`], or an override that scrubs or pseudonymizes (a
    /// pseudonymized free-text value is scrubbed).
    pub(crate) fn may_scrub(&self) -> bool {
        self.free_text == FreeText::Scrub
            || self.overrides_use(Method::Scrub)
            || self.overrides_use(Method::Pseudonymize)
    }

    /// Whether `method` applies anywhere: the pseudonymize preset uses it for most
    /// categories, and an override may name it.
    fn may_use(&self, method: Method) -> bool {
        self.preset == Preset::Pseudonymize || self.overrides_use(method)
    }

    /// Whether an override names `method`.
    fn overrides_use(&self, method: Method) -> bool {
        self.fields
            .values()
            .chain(self.data_types.values())
            .chain(self.segments.values())
            .any(|m| *m == method)
    }
}

/// A policy override key that is not a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The key as written.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

impl core::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "policy key '{}': {}", self.key, self.message)
    }
}

impl std::error::Error for PolicyError {}

/// A field override, ready to match: segment id, field, and optionally component and
/// subcomponent.
#[derive(Debug, Clone)]
pub(crate) struct FieldRule {
    segment: Vec<u8>,
    field: usize,
    component: Option<usize>,
    subcomponent: Option<usize>,
    method: Method,
}

/// A policy with its keys parsed.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub preset: Preset,
    free_text: FreeText,
    fields: Vec<FieldRule>,
    data_types: Vec<(String, Method)>,
    segments: Vec<(Vec<u8>, Method)>,
    /// The component and subcomponent positions from which every position of a field is
    /// planned alike: past the last one any data type defines or an override names.
    pub alike_from: (usize, usize),
}

impl Compiled {
    pub fn new(policy: &Policy) -> Result<Self, PolicyError> {
        let mut fields = Vec::new();
        for (key, method) in &policy.fields {
            let path: Path = key.parse().map_err(|e| PolicyError {
                key: key.clone(),
                message: format!("not an element path: {e}"),
            })?;
            let Some(field) = path.field() else {
                return Err(PolicyError {
                    key: key.clone(),
                    message: "names a segment; put segment ids under \"segments\"".into(),
                });
            };
            if key.contains('[') {
                return Err(PolicyError {
                    key: key.clone(),
                    message: "repetitions and occurrences are not part of a policy key".into(),
                });
            }
            fields.push(FieldRule {
                segment: path.segment_id().to_vec(),
                field,
                component: path.component(),
                subcomponent: path.subcomponent(),
                method: *method,
            });
        }
        // Most specific first: subcomponent, component, field.
        fields.sort_by_key(|rule| {
            core::cmp::Reverse(
                usize::from(rule.component.is_some()) + usize::from(rule.subcomponent.is_some()),
            )
        });
        let defined = crate::plan::last_defined_position();
        let (component, subcomponent) = fields.iter().fold((defined, defined), |(c, s), rule| {
            (
                c.max(rule.component.unwrap_or(0)),
                s.max(rule.subcomponent.unwrap_or(0)),
            )
        });
        Ok(Compiled {
            preset: policy.preset,
            free_text: policy.free_text,
            alike_from: (component + 1, subcomponent + 1),
            fields,
            data_types: policy
                .data_types
                .iter()
                .map(|(id, method)| (id.clone(), *method))
                .collect(),
            segments: policy
                .segments
                .iter()
                .map(|(id, method)| (id.as_bytes().to_vec(), *method))
                .collect(),
        })
    }

    /// Whether some override names this field or something inside it.
    pub fn has_field_rules(&self, segment: &[u8], field: usize) -> bool {
        self.fields
            .iter()
            .any(|rule| rule.field == field && rule.segment == segment)
    }

    /// The method for one leaf.
    pub fn method(
        &self,
        segment: &[u8],
        field: usize,
        component: usize,
        subcomponent: usize,
        field_type: &str,
        category: Category,
    ) -> Method {
        let by_field = self.fields.iter().find(|rule| {
            rule.field == field
                && rule.segment == segment
                && rule.component.is_none_or(|c| c == component)
                && rule.subcomponent.is_none_or(|s| s == subcomponent)
        });
        if let Some(rule) = by_field {
            return rule.method;
        }
        if let Some((_, method)) = self.data_types.iter().find(|(id, _)| id == field_type) {
            return *method;
        }
        self.segment_method(segment)
            .unwrap_or_else(|| match (category, self.free_text) {
                (Category::FreeText, FreeText::Scrub) => Method::Scrub,
                _ => self.preset.method(category),
            })
    }

    /// The override for a whole segment, if any.
    pub fn segment_method(&self, segment: &[u8]) -> Option<Method> {
        self.segments
            .iter()
            .find(|(id, _)| id == segment)
            .map(|(_, method)| *method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_override_wins() {
        let policy: Policy = serde_json::from_str(
            r#"{"fields": {"PID-11": "keep", "PID-11.5": "redact"},
                "dataTypes": {"XAD": "remove"}, "segments": {"PID": "pseudonymize"}}"#,
        )
        .unwrap();
        let compiled = Compiled::new(&policy).unwrap();
        let method = |field, component, data_type| {
            compiled.method(b"PID", field, component, 1, data_type, Category::Street)
        };
        assert_eq!(method(11, 5, "XAD"), Method::Redact);
        assert_eq!(method(11, 1, "XAD"), Method::Keep);
        assert_eq!(method(12, 1, "XAD"), Method::Remove);
        assert_eq!(method(5, 1, "XPN"), Method::Pseudonymize);
        assert_eq!(
            compiled.method(b"NK1", 4, 1, 1, "XPN", Category::Street),
            Method::Redact
        );
    }

    #[test]
    fn rejects_keys_that_are_not_paths() {
        for key in ["PID", "PID-3[2]", "OBX[2]-5", "nonsense"] {
            let policy = Policy {
                fields: [(key.to_string(), Method::Keep)].into(),
                ..Policy::default()
            };
            assert!(Compiled::new(&policy).is_err(), "{key}");
        }
    }

    #[test]
    fn unknown_json_keys_are_errors() {
        assert!(
            serde_json::from_str::<Policy>(r#"{"preset": "safe-harbor", "feilds": {}}"#).is_err()
        );
        assert!(serde_json::from_str::<Policy>(r#"{"preset": "hipaa"}"#).is_err());
    }
}
