//! Property tests: the parser never panics, and what is written is what is read.

use pipehat::escape::encode;
use pipehat::{Delimiters, Element, Message, MessageBuf, Path};
use proptest::prelude::*;

/// Bytes that look like HL7 often enough to reach deep code: delimiters, escapes, line ends,
/// header ids, and anything else.
fn hl7ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"MSH|^~\\&|".to_vec()),
        Just(b"MSH#*!?@%#".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\\X0D\\".to_vec()),
        Just(b"\\.sp 2\\".to_vec()),
        Just(b"PID|".to_vec()),
        Just(b"BHS|".to_vec()),
        prop::sample::select(b"|^~\\&#\"\r\n AZaz09\xC3\xA9\xFF".to_vec()).prop_map(|b| vec![b]),
        prop::collection::vec(any::<u8>(), 0..4),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    /// No panic, and every span points at its element's bytes (the fuzz target's checks).
    #[test]
    fn never_panics(input in hl7ish_bytes()) {
        pipehat::fuzzing::parse(&input);
    }

    #[test]
    fn never_panics_on_any_bytes(input in prop::collection::vec(any::<u8>(), 0..200)) {
        pipehat::fuzzing::parse(&input);
    }

    /// A message written from values (escaped) reads back the same values at their paths.
    #[test]
    fn written_values_read_back(
        fields in prop::collection::vec(
            prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u8>(), 0..6), 1..3),
                1..3,
            ),
            1..5,
        ),
        custom in any::<bool>(),
    ) {
        // Values may hold any byte, delimiters and line ends included: encode escapes them.
        let header: &[u8] = if custom { b"MSH#*!?@%#A" } else { b"MSH|^~\\&|A" };
        let delimiters = Message::parse(header).unwrap().delimiters();
        let written = write_segment(&fields, delimiters);
        let mut input = header.to_vec();
        input.push(b'\r');
        input.extend_from_slice(&written);
        let message = Message::parse(&input).unwrap();
        for (f, repetitions) in fields.iter().enumerate() {
            for (r, components) in repetitions.iter().enumerate() {
                for (c, value) in components.iter().enumerate() {
                    let path: Path = format!("ZZZ-{}[{}].{}", f + 1, r + 1, c + 1).parse().unwrap();
                    let element = message.get(&path);
                    prop_assert!(matches!(element, Some(Element::Component(_))), "{}", path);
                    let decoded = element.unwrap().decoded().into_owned();
                    prop_assert_eq!(&decoded, value, "{}", path);
                }
            }
        }
    }

    /// set(path, v) then get(path) gives v back, and the edit touches no byte outside the
    /// element (or, for a new element, only inserts).
    #[test]
    fn set_then_get(
        fields in prop::collection::vec(
            prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u8>(), 0..4), 1..3),
                1..3,
            ),
            0..4,
        ),
        target in (1usize..6, 0usize..4, 0usize..4, 0usize..3),
        value in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let header: &[u8] = b"MSH|^~\\&|A";
        let delimiters = Message::parse(header).unwrap().delimiters();
        let mut input = header.to_vec();
        input.push(b'\r');
        input.extend_from_slice(&write_segment(&fields, delimiters));
        let (field, repetition, component, subcomponent) = target;
        let mut text = format!("ZZZ-{field}");
        if repetition > 0 { text += &format!("[{repetition}]"); }
        if component > 0 {
            text += &format!(".{component}");
            if subcomponent > 0 { text += &format!(".{subcomponent}"); }
        }
        let path: Path = text.parse().unwrap();
        let before = input.clone();
        let old_span = Message::parse(&before).unwrap().get(&path).map(|e| e.span());

        let mut message = MessageBuf::parse(input).unwrap();
        message.set(path, &value).unwrap();
        let after = message.as_bytes();
        let read = message.message().get(&path).map(|e| e.decoded().into_owned());
        prop_assert_eq!(read.as_deref(), Some(value.as_slice()), "{}", path);
        match old_span {
            Some(span) => {
                prop_assert_eq!(&after[..span.start], &before[..span.start]);
                prop_assert!(after.ends_with(&before[span.end..]));
            }
            None => {
                let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
                let suffix = before.iter().rev().zip(after.iter().rev()).take_while(|(a, b)| a == b).count();
                prop_assert!(prefix + suffix >= before.len(), "only an insertion");
            }
        }
    }

    /// Normalizing keeps every value where it was, only dropping trailing empties, and
    /// normalizing again changes nothing.
    #[test]
    fn normalize_keeps_values(
        fields in prop::collection::vec(
            prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u8>(), 0..3), 1..4),
                1..3,
            ),
            0..5,
        ),
    ) {
        let header: &[u8] = b"MSH|^~\\&|A";
        let delimiters = Message::parse(header).unwrap().delimiters();
        let mut input = header.to_vec();
        input.extend_from_slice(b"\n");
        input.extend_from_slice(&write_segment(&fields, delimiters));
        let normalized = MessageBuf::parse(input.clone()).unwrap().normalized();
        let again = MessageBuf::parse(normalized.clone()).unwrap().normalized();
        prop_assert_eq!(&again, &normalized);
        let before = Message::parse(&input).unwrap();
        let after = Message::parse(&normalized).unwrap();
        for (f, repetitions) in fields.iter().enumerate() {
            for (r, components) in repetitions.iter().enumerate() {
                for c in 0..components.len() {
                    let path: Path = format!("ZZZ-{}[{}].{}", f + 1, r + 1, c + 1).parse().unwrap();
                    let read = |m: &Message<'_>| m.get(&path).map(|e| e.decoded().into_owned()).unwrap_or_default();
                    prop_assert_eq!(read(&after), read(&before), "{}", path);
                }
            }
        }
    }

    /// A path prints in the canonical form, and that form reads back as the same path.
    #[test]
    fn canonical_paths_read_back(
        segment in "[A-Z][A-Z0-9]{2}",
        occurrence in 1usize..5,
        depth in 0usize..5,
        indexes in prop::array::uniform4(1usize..30),
    ) {
        let mut text = format!("{segment}[{occurrence}]");
        if depth >= 1 { text += &format!("-{}", indexes[0]); }
        if depth >= 2 { text += &format!("[{}]", indexes[1]); }
        if depth >= 3 { text += &format!(".{}", indexes[2]); }
        if depth >= 4 { text += &format!(".{}", indexes[3]); }
        let path: Path = text.parse().unwrap();
        let printed = path.to_string();
        prop_assert_eq!(printed.parse::<Path>().unwrap(), path, "{} printed as {}", text, printed);
    }
}

/// `ZZZ` + fields of repetitions of components, each value escaped.
fn write_segment(fields: &[Vec<Vec<Vec<u8>>>], delimiters: Delimiters) -> Vec<u8> {
    let mut out = b"ZZZ".to_vec();
    for repetitions in fields {
        out.push(delimiters.field());
        for (r, components) in repetitions.iter().enumerate() {
            if r > 0 {
                out.extend(delimiters.repetition());
            }
            for (c, value) in components.iter().enumerate() {
                if c > 0 {
                    out.extend(delimiters.component());
                }
                out.extend_from_slice(&encode_component(value, delimiters));
            }
        }
    }
    out
}

/// A component's value may not hold any delimiter unescaped, the subcomponent separator
/// included; `encode` escapes them all.
fn encode_component(value: &[u8], delimiters: Delimiters) -> Vec<u8> {
    encode(value, delimiters).into_owned()
}
