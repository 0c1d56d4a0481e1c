//! JSON forms of HL7 v2, through serde: a readable one and a lossless one.
//!
//! **Readable** ([`Readable`]): what a person or a script wants — segments with their fields by
//! number, values decoded (escapes resolved), empty values left out, the explicit null `""` as
//! `null`, repetitions as arrays and components or subcomponents as objects keyed by number only
//! where the value has them.
//!
//! ```
//! let message = pipehat::Message::parse(b"MSH|^~\\&|LAB\rPID|1||7^^^H~8||DOE^JO\\T\\HN|\"\"\r")?;
//! let json = serde_json::to_value(pipehat::json::Readable(&message))?;
//! assert_eq!(json["segments"][1], serde_json::json!({
//!     "id": "PID",
//!     "fields": {
//!         "1": "1",
//!         "3": [{ "1": "7", "4": "H" }, "8"],
//!         "5": { "1": "DOE", "2": "JO&HN" },
//!         "6": null
//!     }
//! }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Lossless** ([`Lossless`], [`from_lossless`]): a whole file as JSON that turns back into the
//! same bytes — messages as segments of raw (still escaped) values nested by repetition,
//! component and subcomponent, and everything between and around them (terminators, blank
//! lines, envelopes, comments, framing) as text. Bytes that are not UTF-8 are written as
//! `{"hex": "…"}`.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::delimiters::Delimiters;
use crate::elements::{Component, Field, Repetition, Segment};
use crate::names::Names;
use crate::{File, Message};

/// Serializes a message in the readable form.
#[derive(Debug, Clone, Copy)]
pub struct Readable<'m, 'a>(pub &'m Message<'a>);

impl Serialize for Readable<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_message(self.0, None, serializer)
    }
}

/// Serializes a message in the readable form with names from a dictionary: each segment gains
/// `"name"` and `"names"`, the names of the elements it holds keyed like paths below the
/// segment (`"5"`, `"5.1"`, `"5.1.1"`). The values are as in [`Readable`].
///
/// ```
/// # use pipehat::names::Names;
/// # struct Tiny;
/// # impl Names for Tiny {
/// #     fn segment_name(&self, s: &str) -> Option<&str> { (s == "PID").then_some("Patient Identification") }
/// #     fn element_name(&self, s: &str, f: usize, c: Option<usize>, _: Option<usize>) -> Option<&str> {
/// #         match (s, f, c) { ("PID", 5, None) => Some("Patient Name"), ("PID", 5, Some(1)) => Some("Family Name"), _ => None }
/// #     }
/// # }
/// let message = pipehat::Message::parse(b"MSH|^~\\&|LAB\rPID|1||||DOE^JOHN\r")?;
/// let json = serde_json::to_value(pipehat::json::Named(&message, &Tiny))?;
/// assert_eq!(json["segments"][1]["name"], "Patient Identification");
/// assert_eq!(json["segments"][1]["names"], serde_json::json!({
///     "5": "Patient Name", "5.1": "Family Name"
/// }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Named<'m, 'a, 'n>(pub &'m Message<'a>, pub &'n dyn Names);

impl fmt::Debug for Named<'_, '_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Named").field(self.0).finish_non_exhaustive()
    }
}

impl Serialize for Named<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_message(self.0, Some(self.1), serializer)
    }
}

fn serialize_message<S: Serializer>(
    message: &Message<'_>,
    names: Option<&dyn Names>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let segments: Vec<ReadableSegment<'_, '_>> = message
        .segments()
        .map(|segment| ReadableSegment { segment, names })
        .collect();
    let mut out = serializer.serialize_struct("Message", 1)?;
    out.serialize_field("segments", &segments)?;
    out.end()
}

struct ReadableSegment<'a, 'n> {
    segment: Segment<'a>,
    names: Option<&'n dyn Names>,
}

impl Serialize for ReadableSegment<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let id = String::from_utf8_lossy(self.segment.id());
        let mut fields = BTreeMap::new();
        let mut element_names = BTreeMap::new();
        for (index, field) in self.segment.fields().enumerate() {
            if field.is_empty() {
                continue;
            }
            if let Some(names) = self.names {
                name_elements(names, &id, index + 1, &field, &mut element_names);
            }
            fields.insert(index + 1, ReadableField(field));
        }
        let mut segment = serializer.serialize_struct("Segment", 4)?;
        segment.serialize_field("id", &id)?;
        if let Some(names) = self.names {
            segment.serialize_field("name", &names.segment_name(&id))?;
            let keyed: BTreeMap<(usize, usize, usize), &str> = element_names;
            segment.serialize_field("names", &PathKeys(keyed))?;
        }
        segment.serialize_field("fields", &NumberKeys(fields))?;
        segment.end()
    }
}

/// Collects the names of a field and of the components and subcomponents it holds in any
/// repetition. Keys are (field, component, subcomponent), 0 meaning "not that deep".
fn name_elements<'n>(
    names: &'n dyn Names,
    segment: &str,
    number: usize,
    field: &Field<'_>,
    out: &mut BTreeMap<(usize, usize, usize), &'n str>,
) {
    if let Some(name) = names.element_name(segment, number, None, None) {
        out.insert((number, 0, 0), name);
    }
    for repetition in field.repetitions() {
        let components: Vec<Component<'_>> = repetition.components().collect();
        if components.len() < 2 {
            continue;
        }
        for (c, component) in components.iter().enumerate() {
            if component.is_empty() || out.contains_key(&(number, c + 1, 0)) {
                continue;
            }
            if let Some(name) = names.element_name(segment, number, Some(c + 1), None) {
                out.insert((number, c + 1, 0), name);
            }
            let subcomponents: Vec<_> = component.subcomponents().collect();
            if subcomponents.len() < 2 {
                continue;
            }
            for (sub, subcomponent) in subcomponents.iter().enumerate() {
                if subcomponent.is_empty() {
                    continue;
                }
                if let Some(name) = names.element_name(segment, number, Some(c + 1), Some(sub + 1))
                {
                    out.insert((number, c + 1, sub + 1), name);
                }
            }
        }
    }
}

/// A map keyed by (field, component, subcomponent), written with keys like `"5.1.1"`.
struct PathKeys<'n>(BTreeMap<(usize, usize, usize), &'n str>);

impl Serialize for PathKeys<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (&(field, component, subcomponent), name) in &self.0 {
            let key = match (component, subcomponent) {
                (0, _) => field.to_string(),
                (c, 0) => format!("{field}.{c}"),
                (c, s) => format!("{field}.{c}.{s}"),
            };
            map.serialize_entry(&key, name)?;
        }
        map.end()
    }
}

/// A map whose keys are element numbers, written as JSON object keys ("1", "2", …).
struct NumberKeys<T>(BTreeMap<usize, T>);

impl<T: Serialize> Serialize for NumberKeys<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (number, value) in &self.0 {
            map.serialize_entry(&number.to_string(), value)?;
        }
        map.end()
    }
}

/// A decoded leaf: text, or `null` for the explicit HL7 null.
struct Value<'a> {
    raw: &'a [u8],
    text: std::borrow::Cow<'a, str>,
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.raw == b"\"\"" {
            serializer.serialize_none()
        } else {
            serializer.serialize_str(&self.text)
        }
    }
}

struct ReadableField<'a>(Field<'a>);

impl Serialize for ReadableField<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let repetitions: Vec<Repetition<'_>> = self.0.repetitions().collect();
        if let [only] = repetitions[..] {
            return ReadableRepetition(only).serialize(serializer);
        }
        let mut seq = serializer.serialize_seq(Some(repetitions.len()))?;
        for repetition in repetitions {
            seq.serialize_element(&ReadableRepetition(repetition))?;
        }
        seq.end()
    }
}

struct ReadableRepetition<'a>(Repetition<'a>);

impl Serialize for ReadableRepetition<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let components: Vec<Component<'_>> = self.0.components().collect();
        if let [only] = components[..] {
            return ReadableComponent(only).serialize(serializer);
        }
        let parts = components
            .into_iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (i + 1, ReadableComponent(c)))
            .collect();
        NumberKeys(parts).serialize(serializer)
    }
}

struct ReadableComponent<'a>(Component<'a>);

impl Serialize for ReadableComponent<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let subcomponents: Vec<_> = self.0.subcomponents().collect();
        if subcomponents.len() == 1 {
            let value = Value {
                raw: self.0.as_bytes(),
                text: self.0.text(),
            };
            return value.serialize(serializer);
        }
        let parts = subcomponents
            .into_iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(i, s)| {
                (
                    i + 1,
                    Value {
                        raw: s.as_bytes(),
                        text: s.text(),
                    },
                )
            })
            .collect();
        NumberKeys(parts).serialize(serializer)
    }
}

/// Serializes a whole file in the lossless form; [`from_lossless`] turns it back into bytes.
#[derive(Debug, Clone, Copy)]
pub struct Lossless<'f, 'a>(pub &'f File<'a>);

/// The lossless form, owned: what [`Lossless`] writes and [`from_lossless`] reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LosslessFile {
    /// Always `"pipehat-lossless/1"`.
    pub format: String,
    /// The file in order: text between messages, and messages.
    pub items: Vec<LosslessItem>,
}

/// A part of a lossless file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LosslessItem {
    /// Bytes outside messages, as they are.
    Text(Bytes),
    /// A message.
    Message(Vec<LosslessSegment>),
}

/// A segment of a lossless message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LosslessSegment {
    /// The segment id (or the whole line, if it has no field separator).
    pub id: Bytes,
    /// The fields from field 1 (for MSH: MSH-1, MSH-2, then the rest), raw.
    pub fields: Vec<Node>,
    /// What follows the segment up to the next one: its terminator, blank lines… (empty after
    /// the last segment: that belongs to the text after the message).
    #[serde(default, skip_serializing_if = "Bytes::is_empty")]
    pub end: Bytes,
}

/// A raw value, or its parts: a field's repetitions, a repetition's components, a component's
/// subcomponents — the depth says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Node {
    /// A value with no separator of the next level.
    Leaf(Bytes),
    /// The parts between separators.
    Parts(Vec<Node>),
}

/// Bytes in JSON: a string when they are UTF-8, else `{"hex": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => {
                let mut map = serializer.serialize_map(Some(1))?;
                let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
                map.serialize_entry("hex", &hex)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Hex { hex: String },
        }
        match Form::deserialize(deserializer)? {
            Form::Text(text) => Ok(Bytes(text.into_bytes())),
            Form::Hex { hex } => {
                let digits = hex.as_bytes();
                if digits.len() % 2 != 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
                    return Err(serde::de::Error::custom("hex needs pairs of hex digits"));
                }
                let value = |d: u8| (d as char).to_digit(16).unwrap_or(0) as u8;
                Ok(Bytes(
                    digits
                        .chunks(2)
                        .map(|p| (value(p[0]) << 4) | value(p[1]))
                        .collect(),
                ))
            }
        }
    }
}

impl Serialize for Lossless<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        to_lossless(self.0).serialize(serializer)
    }
}

/// The lossless form of a file, owned.
#[must_use]
pub fn to_lossless(file: &File<'_>) -> LosslessFile {
    let input = file.input();
    let mut items = Vec::new();
    let mut at = 0;
    for message in file.messages() {
        let span = message.span();
        if span.start > at {
            items.push(LosslessItem::Text(Bytes(input[at..span.start].to_vec())));
        }
        let segments: Vec<Segment<'_>> = message.segments().collect();
        let lossless = segments
            .iter()
            .enumerate()
            .map(|(i, segment)| {
                let next = segments.get(i + 1).map_or(span.end, |s| s.span().start);
                LosslessSegment {
                    id: Bytes(segment.id().to_vec()),
                    fields: segment.fields().map(field_node).collect(),
                    end: Bytes(input[segment.span().end..next].to_vec()),
                }
            })
            .collect();
        items.push(LosslessItem::Message(lossless));
        at = span.end;
    }
    if at < input.len() {
        items.push(LosslessItem::Text(Bytes(input[at..].to_vec())));
    }
    LosslessFile {
        format: FORMAT.to_string(),
        items,
    }
}

const FORMAT: &str = "pipehat-lossless/1";

fn field_node(field: Field<'_>) -> Node {
    let repetitions: Vec<_> = field.repetitions().collect();
    if repetitions.len() == 1 {
        let components: Vec<_> = repetitions[0].components().collect();
        if components.len() == 1 && components[0].subcomponents().count() == 1 {
            return Node::Leaf(Bytes(field.as_bytes().to_vec()));
        }
    }
    Node::Parts(
        repetitions
            .into_iter()
            .map(|repetition| {
                let components: Vec<_> = repetition.components().collect();
                if components.len() == 1 && components[0].subcomponents().count() == 1 {
                    return Node::Leaf(Bytes(repetition.as_bytes().to_vec()));
                }
                Node::Parts(
                    components
                        .into_iter()
                        .map(|component| {
                            let subcomponents: Vec<_> = component.subcomponents().collect();
                            if subcomponents.len() == 1 {
                                Node::Leaf(Bytes(component.as_bytes().to_vec()))
                            } else {
                                Node::Parts(
                                    subcomponents
                                        .into_iter()
                                        .map(|s| Node::Leaf(Bytes(s.as_bytes().to_vec())))
                                        .collect(),
                                )
                            }
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

/// Why lossless JSON could not be turned back into bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LosslessError(String);

impl fmt::Display for LosslessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not pipehat's lossless JSON: {}", self.0)
    }
}

impl std::error::Error for LosslessError {}

/// The bytes a lossless form stands for.
///
/// # Errors
/// If the form is not `pipehat-lossless/1`, a message does not start with a readable MSH, or
/// a value has parts at a level its message has no separator for.
pub fn from_lossless(file: &LosslessFile) -> Result<Vec<u8>, LosslessError> {
    if file.format != FORMAT {
        return Err(LosslessError(format!("format {:?}", file.format)));
    }
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            LosslessItem::Text(bytes) => out.extend_from_slice(&bytes.0),
            LosslessItem::Message(segments) => write_message(segments, &mut out)?,
        }
    }
    Ok(out)
}

fn write_message(segments: &[LosslessSegment], out: &mut Vec<u8>) -> Result<(), LosslessError> {
    let error = |what: &str| LosslessError(what.to_string());
    let header = segments
        .first()
        .ok_or_else(|| error("a message without segments"))?;
    let leaf = |node: Option<&Node>| match node {
        Some(Node::Leaf(bytes)) => Some(bytes.0.clone()),
        _ => None,
    };
    let mut msh = header.id.0.clone();
    msh.extend(leaf(header.fields.first()).ok_or_else(|| error("MSH-1 missing"))?);
    msh.extend(leaf(header.fields.get(1)).unwrap_or_default());
    let delimiters = Delimiters::read(&msh, 0, &mut Vec::new())
        .map_err(|e| LosslessError(format!("the MSH header does not read: {e}")))?;
    for segment in segments {
        out.extend_from_slice(&segment.id.0);
        let is_header = crate::elements::is_header_id(&segment.id.0);
        for (index, field) in segment.fields.iter().enumerate() {
            if is_header && index < 2 {
                match field {
                    Node::Leaf(bytes) => out.extend_from_slice(&bytes.0),
                    Node::Parts(_) => return Err(error("MSH-1 and MSH-2 are plain text")),
                }
                continue;
            }
            out.push(delimiters.field());
            write_node(field, &LEVELS, delimiters, out)?;
        }
        out.extend_from_slice(&segment.end.0);
    }
    Ok(())
}

/// The separators below a field, outermost first.
const LEVELS: [crate::DelimiterRole; 3] = [
    crate::DelimiterRole::Repetition,
    crate::DelimiterRole::Component,
    crate::DelimiterRole::Subcomponent,
];

fn write_node(
    node: &Node,
    levels: &[crate::DelimiterRole],
    delimiters: Delimiters,
    out: &mut Vec<u8>,
) -> Result<(), LosslessError> {
    match node {
        Node::Leaf(bytes) => out.extend_from_slice(&bytes.0),
        Node::Parts(parts) => {
            let (&role, deeper) = levels
                .split_first()
                .ok_or_else(|| LosslessError("parts below subcomponents".to_string()))?;
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    // A single part needs no separator: a message without a repetition
                    // separator still has fields with components.
                    let separator = delimiters
                        .get(role)
                        .ok_or_else(|| LosslessError(format!("the message has no {role}")))?;
                    out.push(separator);
                }
                write_node(part, deeper, delimiters, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn readable(input: &[u8]) -> serde_json::Value {
        let message = Message::parse(input).unwrap();
        serde_json::to_value(Readable(&message)).unwrap()
    }

    #[test]
    fn readable_form() {
        let json = readable(b"MSH|^~\\&|LAB|HOSP|||2026||ORU^R01|1|P|2.5\rOBX|1|FT|X^Glucose&LN||a\\.br\\b~c\\E\\||\r");
        assert_eq!(json["segments"][0]["fields"]["2"], json!("^~\\&"));
        assert_eq!(
            json["segments"][0]["fields"]["9"],
            json!({"1": "ORU", "2": "R01"})
        );
        assert_eq!(
            json["segments"][1],
            json!({
                "id": "OBX",
                "fields": {
                    "1": "1",
                    "2": "FT",
                    "3": {"1": "X", "2": {"1": "Glucose", "2": "LN"}},
                    "5": ["a\nb", "c\\"]
                }
            })
        );
    }

    #[test]
    fn lossless_round_trip_keeps_everything() {
        let input: &[u8] = b"\xEF\xBB\xBF// batch of two\r\nBHS|^~\\&\r\nMSH|^~\\&|A|B~C^D&E|\xFF\xFE\r\n\r\nPID|1||\"\"  \r\nMSH#*!?@%#X#1*2!3@4\rZZZ\r\nBTS|2\r\n";
        let file = File::parse(input);
        let json = serde_json::to_string(&Lossless(&file)).unwrap();
        let back: LosslessFile = serde_json::from_str(&json).unwrap();
        assert_eq!(from_lossless(&back).unwrap(), input);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let msh = &value["items"][1]["message"][0];
        assert_eq!(
            msh["fields"][2],
            json!([["A"], ["B"]]).get(5).cloned().unwrap_or(json!("A"))
        );
        assert_eq!(
            msh["fields"][3],
            json!(["B", [["C", "D&E"]]])
                .get(9)
                .cloned()
                .unwrap_or(json!(["B", ["C", ["D", "E"]]]))
        );
        assert_eq!(msh["fields"][4], json!({"hex": "fffe"}));
        assert_eq!(msh["end"], json!("\r\n\r\n"));
    }

    #[test]
    fn bad_lossless_is_an_error() {
        let parse = |text: &str| from_lossless(&serde_json::from_str(text).unwrap());
        assert!(parse(r#"{"format":"other","items":[]}"#).is_err());
        assert!(parse(r#"{"format":"pipehat-lossless/1","items":[{"message":[]}]}"#).is_err());
        let no_rep = r#"{"format":"pipehat-lossless/1","items":[{"message":[
            {"id":"MSH","fields":["|","^ \\&"]},{"id":"PID","fields":[["a","b"]]}]}]}"#;
        assert!(
            parse(no_rep)
                .unwrap_err()
                .to_string()
                .contains("repetition separator")
        );
    }
}
