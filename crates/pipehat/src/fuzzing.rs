//! What the fuzz targets (`fuzz/`) run, shared with the test that replays every input they
//! found (`tests/fuzz_regressions.rs`). Not part of the API: no stability promised.

use crate::escape::{decode, encode};
use crate::{File, Message, Path};

/// Parses `data` as a file and as a message, visits every element, decodes every value and
/// resolves a few paths, checking that every span points at its element's bytes.
pub fn parse(data: &[u8]) {
    let file = File::parse(data);
    for message in file.messages() {
        walk(message, data);
    }
    // Lossless: the file comes back from its lossless form, and from an unchanged rewrite.
    let lossless = crate::json::to_lossless(&file);
    assert_eq!(
        crate::json::from_lossless(&lossless).expect("lossless form reads"),
        data
    );
    assert_eq!(file.rewrite(|_, _| None), data);
    if let Ok(message) = Message::parse(data) {
        walk(&message, data);
    }
    for segment in crate::segments(data) {
        assert_eq!(&data[segment.span().range()], segment.as_bytes());
    }
    // Bytes to text by each message's MSH-18, and back: the same bytes whenever every byte
    // was readable in its set (no invalid UTF-8, not UTF-16).
    let text = crate::charset::decode_file(data);
    let file = File::parse_text(&text);
    for message in file.messages() {
        walk(message, text.as_bytes());
    }
    let readable = file.unreadable().is_empty()
        && !file.messages().iter().any(|m| {
            m.diagnostics()
                .iter()
                .any(|d| d.code() == "encoding.invalid-utf8")
        });
    if let Ok(bytes) = crate::charset::encode_file(&text)
        && readable
        && core::str::from_utf8(data).is_ok()
    {
        assert_eq!(bytes, data);
    }
}

fn walk(message: &Message<'_>, data: &[u8]) {
    assert_eq!(&data[message.span().range()], message.as_bytes());
    // `path_at` scans the message: check it at the first carets only, to keep fuzzing fast.
    let mut carets_left = 64;
    // The walker gives the same values as the nested iterators, and each value's path names it.
    let mut walker = message.walk();
    for segment in message.segments() {
        assert_eq!(&data[segment.span().range()], segment.as_bytes());
        for field in segment.fields() {
            assert_eq!(&data[field.span().range()], field.as_bytes());
            for repetition in field.repetitions() {
                for component in repetition.components() {
                    for subcomponent in component.subcomponents() {
                        assert_eq!(&data[subcomponent.span().range()], subcomponent.as_bytes());
                        let value = walker.next().expect("the walker gives every value");
                        assert_eq!(value.span(), subcomponent.span());
                        // The path under a caret names the element found there.
                        let caret = subcomponent.span().start;
                        carets_left -= 1;
                        if carets_left < 0 {
                            continue;
                        }
                        if let Some(path) = value.path() {
                            let named = message.get(&path).map(|e| e.as_bytes());
                            assert_eq!(named, Some(value.as_bytes()), "{path}");
                        }
                        if let Some((path, element)) = message.path_at(caret) {
                            assert_eq!(message.get(&path), Some(element), "{path}");
                            let span = element.span();
                            assert!(span.start <= caret && caret <= span.end, "{path}");
                        }
                        let _ = subcomponent.decoded();
                        let mut at = subcomponent.span().start;
                        for (_, span) in subcomponent.escapes() {
                            assert_eq!(span.start, at);
                            at = span.end;
                        }
                    }
                }
            }
        }
    }
    assert!(walker.next().is_none(), "the walker gives no more values");
    for path in ["MSH-2", "MSH-9.2", "PID-3[2].4.1", "OBX[2]-5", "ZZZ-1[3]"] {
        let path: Path = path.parse().expect("a valid path");
        if let Some(element) = message.get(&path) {
            assert_eq!(&data[element.span().range()], element.as_bytes());
        }
    }
}

/// The first byte picks the delimiters; the rest is a value. Encoding then decoding gives the
/// value back, and decoding anything never panics.
pub fn escape_round_trip(data: &[u8]) {
    let Some((&choice, value)) = data.split_first() else {
        return;
    };
    let headers: [&[u8]; 4] = [b"MSH|^~\\&", b"MSH#*!?@%", b"MSH|^~\\&#", b"MSH|^~&"];
    let header = headers[usize::from(choice) % headers.len()];
    let delimiters = Message::parse(header).expect("a valid header").delimiters();
    let decoded = decode(value, delimiters);
    // Decoding may expand (`\.sp 9\`), but boundedly: no input can ask for a gigabyte.
    assert!(
        decoded.len() <= 64 * value.len() + 64,
        "{} bytes from {}",
        decoded.len(),
        value.len()
    );
    if delimiters.escape().is_some() {
        let encoded = encode(value, delimiters);
        assert_eq!(decode(&encoded, delimiters).as_ref(), value);
    }
}

/// Any text that reads as a path prints in a form that reads back as the same path.
pub fn path(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(path) = text.parse::<Path>() {
        let printed = path.to_string();
        assert_eq!(
            printed.parse::<Path>().as_ref(),
            Ok(&path),
            "{text:?} printed as {printed:?}"
        );
    }
}
