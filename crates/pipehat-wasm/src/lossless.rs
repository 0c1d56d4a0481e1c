//! Reading lossless JSON (`pipehat::json::LosslessFile`) from JavaScript without recursion the
//! input decides.
//!
//! The core's types derive `Deserialize` with untagged enums (a value is a string, `{"hex"}` or
//! a list of parts), and serde reads an untagged value by first copying all of it, however deep,
//! into a buffer — one call per level. A field nested 6,000 arrays deep overflowed the 1 MB
//! WebAssembly stack there (a trap that left the instance unusable). The visitors here know the
//! format's depth: a field holds repetitions, a repetition components, a component
//! subcomponents, and a subcomponent is a value; a list anywhere deeper is refused where it
//! starts, and unknown keys are refused rather than skipped (skipping also walks the value).

use pipehat::json::{Bytes, LosslessFile, LosslessItem, LosslessSegment, Node};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Reads a lossless file from any serde deserializer, refusing values nested deeper than the
/// format allows.
///
/// # Errors
/// Whatever is not the lossless form: the deserializer's error, naming what was expected.
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<LosslessFile, D::Error> {
    let file = File::deserialize(deserializer)?;
    Ok(LosslessFile {
        format: file.format,
        items: file
            .items
            .into_iter()
            .map(|item| match item {
                Item::Text(bytes) => LosslessItem::Text(Bytes(bytes)),
                Item::Message(segments) => LosslessItem::Message(
                    segments
                        .into_iter()
                        .map(|s| LosslessSegment {
                            id: Bytes(s.id),
                            fields: s.fields,
                            end: Bytes(s.end),
                        })
                        .collect(),
                ),
            })
            .collect(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum Item {
    Text(#[serde(deserialize_with = "bytes")] Vec<u8>),
    Message(Vec<Segment>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Segment {
    #[serde(deserialize_with = "bytes")]
    id: Vec<u8>,
    #[serde(deserialize_with = "fields")]
    fields: Vec<Node>,
    #[serde(default, deserialize_with = "bytes")]
    end: Vec<u8>,
}

fn bytes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    deserializer
        .deserialize_any(NodeSeed(0))
        .and_then(|node| match node {
            Node::Leaf(bytes) => Ok(bytes.0),
            Node::Parts(_) => Err(de::Error::custom("a list where a value was expected")),
        })
}

fn fields<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Node>, D::Error> {
    struct Fields;
    impl<'de> Visitor<'de> for Fields {
        type Value = Vec<Node>;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a list of fields")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut fields = Vec::new();
            // A field's parts go three levels down: repetitions, components, subcomponents.
            while let Some(field) = seq.next_element_seed(NodeSeed(3))? {
                fields.push(field);
            }
            Ok(fields)
        }
    }
    deserializer.deserialize_seq(Fields)
}

/// A value, or (when `levels` is above 0) its parts, each read one level down.
#[derive(Clone, Copy)]
struct NodeSeed(u8);

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = Node;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0 == 0 {
            f.write_str(r#"a value: a string or {"hex": "…"}"#)
        } else {
            f.write_str(r#"a value (a string or {"hex": "…"}) or a list of parts"#)
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Leaf(Bytes(value.as_bytes().to_vec())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::Leaf(Bytes(value.into_bytes())))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut hex: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "hex" || hex.is_some() {
                return Err(de::Error::custom(format!(
                    r#"a value is a string or {{"hex": "…"}}, not an object with '{key}'"#
                )));
            }
            hex = Some(map.next_value()?);
        }
        let hex = hex.ok_or_else(|| de::Error::custom(r#"{"hex": "…"} without "hex""#))?;
        let digits = hex.as_bytes();
        if digits.len() % 2 != 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(de::Error::custom("hex needs pairs of hex digits"));
        }
        let value = |d: u8| (d as char).to_digit(16).map_or(0, |v| v as u8);
        Ok(Node::Leaf(Bytes(
            digits
                .chunks(2)
                .map(|pair| (value(pair[0]) << 4) | value(pair[1]))
                .collect(),
        )))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let Some(below) = self.0.checked_sub(1) else {
            return Err(de::Error::custom(
                "a list where a value was expected (a field's parts go at most three levels \
                 down: repetitions, components, subcomponents)",
            ));
        };
        let mut parts = Vec::new();
        while let Some(part) = seq.next_element_seed(NodeSeed(below))? {
            parts.push(part);
        }
        Ok(Node::Parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_json(text: &str) -> Result<LosslessFile, serde_json::Error> {
        read(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn reads_what_the_core_writes() {
        let input: &[u8] =
            b"// two\r\nMSH|^~\\&|A|B~C^D&E|\xFF\xFE\r\n\r\nPID|1||\"\"  \r\nMSH#*!?@%#X#1*2!3@4\rZZZ\r\n";
        let file = pipehat::File::parse(input);
        let json = serde_json::to_string(&pipehat::json::Lossless(&file)).unwrap();
        let back = read_json(&json).unwrap();
        assert_eq!(back, pipehat::json::to_lossless(&file));
        assert_eq!(pipehat::json::from_lossless(&back).unwrap(), input);
    }

    #[test]
    fn refuses_nesting_deeper_than_the_format_where_it_starts() {
        // 6,000 nested lists as a field: refused at the fourth level, where it starts, on a
        // small stack. (A JSON value, as JavaScript hands one over: no parser depth limit.)
        let mut field = serde_json::json!("x");
        for _ in 0..6_000 {
            field = serde_json::Value::Array(vec![field]);
        }
        let mut value = serde_json::json!({
            "format": "pipehat-lossless/1",
            "items": [{ "message": [{ "id": "MSH", "fields": ["|", "^~\\&", null] }] }],
        });
        // Put in place, not through `json!`, which would serialize it (recursively).
        value["items"][0]["message"][0]["fields"][2] = field;
        let value = std::sync::Arc::new(value);
        let shared = std::sync::Arc::clone(&value);
        let error = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || read(&*shared).map(drop).map_err(|e| e.to_string()))
            .unwrap()
            .join()
            .expect("no stack overflow")
            .unwrap_err();
        assert!(
            error.contains("a list where a value was expected"),
            "{error}"
        );
        // Taken apart a level at a time: dropping it whole recurses 6,000 deep too.
        let mut value = std::sync::Arc::try_unwrap(value).expect("the reader is done");
        let mut field = value["items"][0]["message"][0]["fields"][2].take();
        while let serde_json::Value::Array(mut parts) = field {
            field = parts.pop().unwrap_or_default();
        }
        // Three levels of parts are a field's whole depth.
        let ok = r#"{"format":"pipehat-lossless/1","items":[{"message":[{"id":"MSH","fields":["|","^~\\&",[[["a","b"]]]]}]}]}"#;
        assert!(read_json(ok).is_ok());
    }

    #[test]
    fn refuses_deep_values_in_place_of_bytes_and_unknown_keys() {
        for bad in [
            r#"{"format":"pipehat-lossless/1","items":[{"text":[["x"]]}]}"#,
            r#"{"format":"pipehat-lossless/1","items":[{"text":{"hex":[[1]]}}]}"#,
            r#"{"format":"pipehat-lossless/1","items":[{"text":{"hex":"00","deep":[[[]]]}}]}"#,
            r#"{"format":"pipehat-lossless/1","items":[],"extra":[[[[]]]]}"#,
        ] {
            assert!(read_json(bad).is_err(), "{bad}");
        }
    }
}
