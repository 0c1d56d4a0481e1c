//! Character sets: turning bytes into text the way MSH-18 says.
//!
//! pipehat reads bytes and keeps them; text is made only when asked for ([`decode_text`],
//! `text()` on elements). MSH-18 (HL7 table 0211) names the character set:
//!
//! | MSH-18 | [`Charset`] | text |
//! |---|---|---|
//! | empty | [`Charset::Unspecified`] | UTF-8 (HL7's default is ASCII, which UTF-8 contains; senders that leave MSH-18 empty mostly send UTF-8) |
//! | `ASCII` | [`Charset::Ascii`] | UTF-8, and bytes above 127 are reported |
//! | `8859/1` | [`Charset::Latin1`] | ISO 8859-1: one byte, one character |
//! | `UNICODE UTF-8`, `UNICODE` | [`Charset::Utf8`] | UTF-8 |
//! | anything else | [`Charset::Other`] | UTF-8, and the set is reported as unsupported |
//!
//! Where UTF-8 is expected but a byte sequence is not UTF-8, the message gets a diagnostic with
//! its span, and text shows each of those bytes as the ISO 8859-1 character of the same value —
//! never U+FFFD — so nothing is lost and mojibake stays recognisable.

use std::borrow::Cow;

/// A message's character set, from MSH-18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Charset {
    /// MSH-18 is empty or absent: read as UTF-8.
    #[default]
    Unspecified,
    /// `ASCII`.
    Ascii,
    /// `8859/1`: ISO 8859-1 (Latin-1).
    Latin1,
    /// `UNICODE UTF-8` (or `UNICODE`).
    Utf8,
    /// A set pipehat does not decode (read as UTF-8).
    Other,
}

impl Charset {
    /// The character set MSH-18's first repetition names.
    #[must_use]
    pub fn from_msh18(value: &[u8]) -> Self {
        match value.trim_ascii() {
            b"" => Charset::Unspecified,
            b"ASCII" => Charset::Ascii,
            b"8859/1" => Charset::Latin1,
            b"UNICODE UTF-8" | b"UNICODE" => Charset::Utf8,
            _ => Charset::Other,
        }
    }

    /// Whether text in this set is expected to be UTF-8 (so invalid sequences are reported).
    #[must_use]
    pub const fn expects_utf8(self) -> bool {
        !matches!(self, Charset::Latin1)
    }
}

/// `bytes` as text in `charset` (see the module docs). Borrows when the bytes are the text.
#[must_use]
pub fn decode_text(bytes: &[u8], charset: Charset) -> Cow<'_, str> {
    if charset == Charset::Latin1 {
        return match std::str::from_utf8(bytes) {
            Ok(text) if text.is_ascii() => Cow::Borrowed(text),
            _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            let mut text = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                text.extend(chunk.invalid().iter().map(|&b| char::from(b)));
            }
            Cow::Owned(text)
        }
    }
}

/// The spans (relative to `bytes`) of the byte sequences that are not UTF-8.
pub(crate) fn invalid_utf8(bytes: &[u8]) -> impl Iterator<Item = core::ops::Range<usize>> + '_ {
    let mut at = 0;
    bytes.utf8_chunks().filter_map(move |chunk| {
        let start = at + chunk.valid().len();
        at = start + chunk.invalid().len();
        (!chunk.invalid().is_empty()).then_some(start..at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msh_18_names() {
        assert_eq!(Charset::from_msh18(b""), Charset::Unspecified);
        assert_eq!(Charset::from_msh18(b"8859/1"), Charset::Latin1);
        assert_eq!(Charset::from_msh18(b" UNICODE UTF-8 "), Charset::Utf8);
        assert_eq!(Charset::from_msh18(b"ASCII"), Charset::Ascii);
        assert_eq!(Charset::from_msh18(b"ISO IR87"), Charset::Other);
    }

    #[test]
    fn text_by_charset() {
        assert_eq!(decode_text("Zoë".as_bytes(), Charset::Utf8), "Zoë");
        assert_eq!(decode_text(b"Zo\xEB", Charset::Latin1), "Zoë");
        assert!(matches!(
            decode_text(b"plain", Charset::Latin1),
            Cow::Borrowed(_)
        ));
        // Invalid UTF-8 shows as Latin-1, never U+FFFD: nothing is lost.
        assert_eq!(
            decode_text(b"Zo\xEB and \xC3\xA9", Charset::Unspecified),
            "Zoë and é"
        );
        // Mojibake stays recognisable: UTF-8 of "–" read as UTF-8 is fine.
        assert_eq!(decode_text("â€“".as_bytes(), Charset::Utf8), "â€“");
    }

    #[test]
    fn invalid_spans() {
        let spans: Vec<_> = invalid_utf8(b"ok\xFF\xFEok\xC3").collect();
        assert_eq!(spans, [2..3, 3..4, 6..7]);
        assert_eq!(invalid_utf8("é".as_bytes()).count(), 0);
    }
}
