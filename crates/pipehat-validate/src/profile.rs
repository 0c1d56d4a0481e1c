//! User profiles: constraints a site or an implementation guide adds to the standard.
//!
//! A profile narrows what the standard allows — usage (R, RE, O, X), cardinality, lengths,
//! fixed values, value sets — for segments and for fields, components and subcomponents inside
//! them, and defines segments the standard lacks (Z-segments). Profiles are JSON:
//!
//! ```json
//! {
//!   "name": "ADT feed to the lab",
//!   "segments": {
//!     "PID": { "usage": "R", "max": 1, "fields": {
//!       "3":   { "usage": "R", "max": 2 },
//!       "3.5": { "values": ["MR", "SS"] },
//!       "8":   { "usage": "R", "values": ["F", "M", "U"] },
//!       "19":  { "usage": "X" }
//!     } },
//!     "MSH": { "fields": { "11": { "fixed": "P" } } },
//!     "ZPI": { "usage": "RE", "fields": { "2": { "usage": "R", "maxLength": 20 } } }
//!   },
//!   "customSegments": [
//!     { "id": "ZPI", "name": "Patient Extras", "fields": [{ "name": "Set ID", "dataType": "SI" },
//!                                                        { "name": "Pet Name", "dataType": "ST" }] }
//!   ]
//! }
//! ```
//!
//! HL7 v2 XML conformance profiles (the static definition HAPI and the NIST tools use) read
//! into the same form with [`Profile::from_xml`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a profile uses an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileUsage {
    /// Required: must be present and not empty.
    R,
    /// Required but may be empty: a sender must send it when it has it (nothing to check).
    RE,
    /// Optional.
    O,
    /// Conditional: the profile's condition decides (not checked).
    C,
    /// Not used: must not be present.
    X,
}

/// A profile: constraints by segment, and segment definitions to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Profile {
    /// What the profile is for; shown in findings.
    #[serde(default)]
    pub name: String,
    /// Constraints, by segment id.
    #[serde(default)]
    pub segments: BTreeMap<String, SegmentConstraint>,
    /// Segments the standard does not define (Z-segments), or site definitions replacing a
    /// standard one.
    #[serde(default)]
    pub custom_segments: Vec<pipehat_dict::CustomSegment>,
}

/// Constraints on a segment: how often it occurs in a message, and on its elements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentConstraint {
    /// R: at least once; X: never; RE, O, C: no check beyond `min`/`max`.
    #[serde(default)]
    pub usage: Option<ProfileUsage>,
    /// Fewest occurrences in the message.
    #[serde(default)]
    pub min: Option<u32>,
    /// Most occurrences in the message.
    #[serde(default)]
    pub max: Option<u32>,
    /// Constraints by element, keyed like a path below the segment: `"3"` (field), `"3.5"`
    /// (component), `"3.4.1"` (subcomponent).
    #[serde(default)]
    pub fields: BTreeMap<String, ElementConstraint>,
}

/// Constraints on a field, component or subcomponent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElementConstraint {
    /// R: not empty (for a component, whenever its field repetition has a value); X: empty.
    #[serde(default)]
    pub usage: Option<ProfileUsage>,
    /// Fewest repetitions (fields only).
    #[serde(default)]
    pub min: Option<u32>,
    /// Most repetitions (fields only).
    #[serde(default)]
    pub max: Option<u32>,
    /// Maximum length in characters, per repetition.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// The only value allowed.
    #[serde(default)]
    pub fixed: Option<String>,
    /// The values allowed.
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// An HL7 table whose codes are the values allowed (the version's table).
    #[serde(default)]
    pub table: Option<u16>,
}

/// Why a profile could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError(pub String);

impl core::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "profile: {}", self.0)
    }
}

impl std::error::Error for ProfileError {}

impl Profile {
    /// Checks the element keys: `"3"`, `"3.5"`, `"3.4.1"`, numbers from 1.
    ///
    /// # Errors
    /// The first key that is not such a path.
    pub fn check(&self) -> Result<(), ProfileError> {
        for (segment, constraint) in &self.segments {
            if segment.len() != 3 || !segment.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(ProfileError(format!("'{segment}' is not a segment id")));
            }
            for key in constraint.fields.keys() {
                if element_key(key).is_none() {
                    return Err(ProfileError(format!(
                        "{segment}: '{key}' is not a field, component or subcomponent number"
                    )));
                }
            }
        }
        Ok(())
    }
}

impl Profile {
    /// Reads the static definition of an HL7 v2 XML conformance profile
    /// (`<HL7v2xConformanceProfile>`, the format of HAPI's and the NIST tools' profiles):
    /// segments (inside `SegGroup`s too), fields, components and subcomponents with their
    /// `Usage`, `Min`, `Max`, `Length`, `ConstantValue` and `Table`.
    ///
    /// How it maps: usage R, RE, O and X are kept; C, CE and B are conditions this reader does
    /// not evaluate (no check); W (withdrawn) is X. A segment is required only when every group
    /// around it is required; its cardinality is kept only when its id occurs once in the
    /// profile and outside repeating groups. `Table` becomes a value set when the profile's
    /// version lists codes for an HL7-defined table (a user-defined table's codes are the site's
    /// own). `DynamicDef`, predicates and conformance statements are not read.
    ///
    /// # Errors
    /// Text that is not XML, XML without an `HL7v2xStaticDef`, or elements nested more than
    /// 100 deep.
    /// Text nesting elements more than 100 deep is refused before it is parsed:
    /// the XML parser descends one call per level, and a deep enough document would overflow
    /// the stack (a WebAssembly stack is 1 MB).
    pub fn from_xml(text: &str) -> Result<Profile, ProfileError> {
        check_xml_depth(text)?;
        let document = roxmltree::Document::parse(text).map_err(|e| ProfileError(e.to_string()))?;
        let root = document.root_element();
        let version = root
            .attribute("HL7Version")
            .and_then(pipehat_dict::Version::resolve)
            .map(|r| r.version);
        let static_def = root
            .descendants()
            .find(|n| n.has_tag_name("HL7v2xStaticDef"))
            .ok_or_else(|| ProfileError("no HL7v2xStaticDef element".to_owned()))?;
        let name = root
            .children()
            .find(|n| n.has_tag_name("MetaData"))
            .and_then(|m| m.attribute("Name"))
            .or_else(|| static_def.attribute("MsgStructID"))
            .unwrap_or_default()
            .to_owned();
        let mut profile = Profile {
            name,
            ..Profile::default()
        };
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        for segment in static_def
            .descendants()
            .filter(|n| n.has_tag_name("Segment"))
        {
            if let Some(id) = segment.attribute("Name") {
                *seen.entry(id.to_owned()).or_default() += 1;
            }
        }
        for segment in static_def
            .descendants()
            .filter(|n| n.has_tag_name("Segment"))
        {
            let Some(id) = segment.attribute("Name") else {
                continue;
            };
            if profile.segments.contains_key(id) {
                continue; // a second place of the same segment: the first one's constraints
            }
            let groups: Vec<roxmltree::Node<'_, '_>> = segment
                .ancestors()
                .skip(1)
                .take_while(|n| !n.has_tag_name("HL7v2xStaticDef"))
                .filter(|n| n.has_tag_name("SegGroup"))
                .collect();
            let groups_required = groups
                .iter()
                .all(|g| usage(g.attribute("Usage")) == Some(ProfileUsage::R));
            let in_repeating_group = groups
                .iter()
                .any(|g| g.attribute("Max").is_some_and(|m| m != "1"));
            let mut constraint = SegmentConstraint {
                usage: match usage(segment.attribute("Usage")) {
                    Some(ProfileUsage::R) if !groups_required => Some(ProfileUsage::O),
                    other => other,
                },
                ..SegmentConstraint::default()
            };
            if seen.get(id) == Some(&1) && !in_repeating_group {
                constraint.min = number(segment.attribute("Min")).filter(|_| groups_required);
                constraint.max = number(segment.attribute("Max"));
            }
            let fields = segment.children().filter(|n| n.has_tag_name("Field"));
            for (f, field) in fields.enumerate() {
                let key = (f + 1).to_string();
                add_element(&mut constraint, &key, field, version, true);
                let components = field.children().filter(|n| n.has_tag_name("Component"));
                for (c, component) in components.enumerate() {
                    let key = format!("{}.{}", f + 1, c + 1);
                    add_element(&mut constraint, &key, component, version, false);
                    let subs = component
                        .children()
                        .filter(|n| n.has_tag_name("SubComponent"));
                    for (s, sub) in subs.enumerate() {
                        let key = format!("{}.{}.{}", f + 1, c + 1, s + 1);
                        add_element(&mut constraint, &key, sub, version, false);
                    }
                }
            }
            profile.segments.insert(id.to_owned(), constraint);
        }
        Ok(profile)
    }
}

/// The deepest element nesting [`Profile::from_xml`] reads. Conformance profiles nest about ten
/// deep (profile, static definition, a few segment groups, segment, field, component,
/// subcomponent); the limit keeps the parser's recursion far inside any stack.
pub const MAX_XML_DEPTH: usize = 100;

/// Refuses XML whose elements nest more than [`MAX_XML_DEPTH`] deep, scanning the markup the way
/// the parser will read it: comments, CDATA sections and processing instructions hold no
/// elements, and a quoted attribute value may hold `>` and `/`. Anything this scan does not
/// recognise (a DTD, broken markup) stops it: the parser rejects the text at that point too,
/// before it is any deeper than what was scanned.
fn check_xml_depth(text: &str) -> Result<(), ProfileError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    let skip_to = |from: usize, end: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| rest.windows(end.len()).position(|w| w == end))
            .map(|p| from + p + end.len())
    };
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &bytes[start..];
        let next = if rest.starts_with(b"<!--") {
            skip_to(start + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(start + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(start + 2, b"?>")
        } else if rest.starts_with(b"<!") {
            None
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            skip_to(start + 2, b">")
        } else {
            // A start tag: find its `>` outside quoted attribute values.
            let mut quote = None;
            let mut end = None;
            for (i, &b) in rest.iter().enumerate().skip(1) {
                match (quote, b) {
                    (Some(q), _) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'>') => {
                        end = Some(i);
                        break;
                    }
                    (None, _) => {}
                }
            }
            end.map(|end| {
                if rest[end - 1] != b'/' {
                    depth += 1;
                }
                start + end + 1
            })
        };
        if depth > MAX_XML_DEPTH {
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..start]).count();
            return Err(ProfileError(format!(
                "elements are nested more than {MAX_XML_DEPTH} deep (line {line}): not a \
                 conformance profile"
            )));
        }
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    Ok(())
}

fn usage(text: Option<&str>) -> Option<ProfileUsage> {
    match text? {
        "R" => Some(ProfileUsage::R),
        "RE" => Some(ProfileUsage::RE),
        "O" => Some(ProfileUsage::O),
        "X" | "W" => Some(ProfileUsage::X),
        _ => Some(ProfileUsage::C),
    }
}

fn number(text: Option<&str>) -> Option<u32> {
    text?.parse().ok()
}

/// Adds an element's constraint when it says more than the standard's "optional, any".
fn add_element(
    segment: &mut SegmentConstraint,
    key: &str,
    node: roxmltree::Node<'_, '_>,
    version: Option<pipehat_dict::Version>,
    is_field: bool,
) {
    let table = node
        .attribute("Table")
        .and_then(|t| t.trim_start_matches("HL7").parse::<u16>().ok())
        .filter(|t| {
            version
                .and_then(|v| v.table(*t))
                .is_some_and(|table| table.has_codes() && !table.is_user_defined())
        });
    let constraint = ElementConstraint {
        usage: usage(node.attribute("Usage"))
            .filter(|u| matches!(u, ProfileUsage::R | ProfileUsage::X)),
        min: if is_field {
            number(node.attribute("Min")).filter(|m| *m > 1)
        } else {
            None
        },
        max: if is_field {
            number(node.attribute("Max"))
        } else {
            None
        },
        max_length: number(node.attribute("Length")),
        fixed: node.attribute("ConstantValue").map(str::to_owned),
        values: None,
        table,
    };
    if constraint != ElementConstraint::default() {
        segment.fields.insert(key.to_owned(), constraint);
    }
}

/// `"3.4.1"` → (3, Some(4), Some(1)).
pub(crate) fn element_key(key: &str) -> Option<(usize, Option<usize>, Option<usize>)> {
    let mut parts = key
        .split('.')
        .map(|p| p.parse::<usize>().ok().filter(|n| *n > 0));
    let field = parts.next()??;
    let component = match parts.next() {
        None => return Some((field, None, None)),
        Some(c) => c?,
    };
    let subcomponent = match parts.next() {
        None => return Some((field, Some(component), None)),
        Some(s) => s?,
    };
    parts
        .next()
        .is_none()
        .then_some((field, Some(component), Some(subcomponent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys() {
        assert_eq!(element_key("3"), Some((3, None, None)));
        assert_eq!(element_key("3.5"), Some((3, Some(5), None)));
        assert_eq!(element_key("3.4.1"), Some((3, Some(4), Some(1))));
        for bad in ["", "0", "3.", "a", "3.4.1.1", "3.0"] {
            assert_eq!(element_key(bad), None, "{bad}");
        }
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
    }

    #[test]
    fn refuses_deep_nesting_before_parsing() {
        // 4,000 levels overflowed the 1 MB WebAssembly stack inside the XML parser (a trap in
        // the npm package); a small thread stack shows the refusal comes first.
        let deep = nested(4_000);
        let error = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || Profile::from_xml(&deep))
            .expect("a thread")
            .join()
            .expect("no stack overflow")
            .unwrap_err();
        assert!(error.0.contains("nested more than 100 deep"), "{error}");
        assert_eq!(check_xml_depth(&nested(MAX_XML_DEPTH)), Ok(()));
        assert!(check_xml_depth(&nested(MAX_XML_DEPTH + 1)).is_err());
    }

    #[test]
    fn depth_scan_reads_markup_as_the_parser_does() {
        let inside = |body: &str| format!("<r>{body}</r>");
        let deep = "<a>".repeat(MAX_XML_DEPTH);
        // Markup that holds no elements does not count…
        for quiet in [
            format!("<!--{deep}-->"),
            format!("<![CDATA[{deep}]]>"),
            format!("<?pi {deep}?>"),
            "<a/>".repeat(500),
            "<a x='>'/>".repeat(500),
        ] {
            assert_eq!(check_xml_depth(&inside(&quiet)), Ok(()), "{quiet}");
        }
        // …and no attribute value or text hides an open element.
        for hidden in [
            format!(
                "{}{}",
                "<a x=\"/>\">".repeat(MAX_XML_DEPTH + 1),
                "</a>".repeat(101)
            ),
            format!(
                "{}{}",
                "<a>/>".repeat(MAX_XML_DEPTH + 1),
                "</a>".repeat(101)
            ),
        ] {
            assert!(check_xml_depth(&hidden).is_err(), "{hidden}");
        }
    }

    #[test]
    fn reads_the_documented_example() {
        let json = include_str!("profile.rs")
            .split("```json")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the example")
            .lines()
            .map(|line| line.trim_start().trim_start_matches("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        let profile: Profile = serde_json::from_str(&json).expect("the example parses");
        assert_eq!(profile.check(), Ok(()));
        assert_eq!(
            profile.segments["PID"].fields["8"].usage,
            Some(ProfileUsage::R)
        );
        assert_eq!(profile.custom_segments[0].id, "ZPI");
    }
}
