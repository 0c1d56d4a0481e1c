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
use std::fmt;

use crate::{File, Span};

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

/// A file's bytes as text, each message decoded by its own MSH-18 ([`decode_text`]), what lies
/// between messages as UTF-8; UTF-16 input (with a byte order mark) is decoded whole. Borrows
/// when the bytes already are that text.
///
/// This is the way from bytes to a string (for an editor, a JavaScript string, a terminal);
/// parse the result with [`File::parse_text`]. [`encode_file`] goes back.
///
/// ```
/// let bytes = b"MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||7||M\xFCller\r";
/// let text = pipehat::charset::decode_file(bytes);
/// assert!(text.ends_with("PID|1||7||Müller\r"));
/// assert_eq!(pipehat::charset::encode_file(&text).unwrap(), &bytes[..]);
/// ```
#[must_use]
pub fn decode_file(input: &[u8]) -> Cow<'_, str> {
    if let Some(text) = decode_utf16(input) {
        return Cow::Owned(text);
    }
    let file = File::parse(input);
    let latin1 = file
        .messages()
        .iter()
        .any(|m| m.encoding() == Charset::Latin1 && !m.as_bytes().is_ascii());
    if !latin1 && let Ok(text) = std::str::from_utf8(input) {
        return Cow::Borrowed(text);
    }
    let mut text = String::with_capacity(input.len() + input.len() / 8);
    let mut at = 0;
    for message in file.messages() {
        let span = message.span();
        text.push_str(&decode_text(&input[at..span.start], Charset::Unspecified));
        text.push_str(&decode_text(message.as_bytes(), message.encoding()));
        at = span.end;
    }
    text.push_str(&decode_text(&input[at..], Charset::Unspecified));
    Cow::Owned(text)
}

/// UTF-16 with a byte order mark (after an optional MLLP start block), decoded; unpaired
/// surrogates become U+FFFD. `None` for anything else.
fn decode_utf16(input: &[u8]) -> Option<String> {
    let body = input.strip_prefix(b"\x0B").unwrap_or(input);
    let (little, units) = match body {
        [0xFF, 0xFE, c, 0, ..] if c.is_ascii() && *c != 0 => (true, &body[2..]),
        [0xFE, 0xFF, 0, c, ..] if c.is_ascii() && *c != 0 => (false, &body[2..]),
        _ => return None,
    };
    let units = units.chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut text = String::with_capacity(input.len() / 2 + 1);
    if body.len() < input.len() {
        text.push('\u{0B}');
    }
    text.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    Some(text)
}

/// `text` as the bytes its messages travel in: each message in the character set its MSH-18
/// names (ISO 8859-1 for `8859/1`, UTF-8 otherwise), what lies between them as UTF-8. Borrows
/// when that is the text's own UTF-8.
///
/// # Errors
/// When a message's character set cannot hold one of its characters (`€` in an `8859/1`
/// message): the first such character and where it is in `text`.
pub fn encode_file(text: &str) -> Result<Cow<'_, [u8]>, EncodeError> {
    let file = File::parse_text(text);
    let latin1: Vec<_> = file
        .messages()
        .iter()
        .filter(|m| m.charset() == Charset::Latin1 && !m.as_bytes().is_ascii())
        .collect();
    if latin1.is_empty() {
        return Ok(Cow::Borrowed(text.as_bytes()));
    }
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for message in latin1 {
        let span = message.span();
        out.extend_from_slice(&text.as_bytes()[at..span.start]);
        let body = &text[span.range()];
        for (offset, c) in body.char_indices() {
            let byte = u8::try_from(u32::from(c)).map_err(|_| EncodeError {
                character: c,
                charset: Charset::Latin1,
                span: Span::new(span.start + offset, span.start + offset + c.len_utf8()),
            })?;
            out.push(byte);
        }
        at = span.end;
    }
    out.extend_from_slice(&text.as_bytes()[at..]);
    Ok(Cow::Owned(out))
}

/// A character that the character set of its message cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeError {
    character: char,
    charset: Charset,
    span: Span,
}

impl EncodeError {
    /// The character.
    #[must_use]
    pub const fn character(&self) -> char {
        self.character
    }

    /// The message's character set (from MSH-18).
    #[must_use]
    pub const fn charset(&self) -> Charset {
        self.charset
    }

    /// Where the character is in the text (UTF-8 byte offsets).
    #[must_use]
    pub const fn span(&self) -> Span {
        self.span
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = match self.charset {
            Charset::Latin1 => "ISO 8859-1 (MSH-18 8859/1)",
            _ => "the message's character set",
        };
        write!(
            f,
            "{:?} (U+{:04X}) cannot be written in {set} (bytes {}..{})",
            self.character,
            u32::from(self.character),
            self.span.start,
            self.span.end
        )
    }
}

impl std::error::Error for EncodeError {}

/// Where `bytes` (declared ISO 8859-1, not all ASCII) look like UTF-8 instead: the first
/// multi-byte UTF-8 character, when every non-ASCII byte belongs to a valid UTF-8 sequence.
pub(crate) fn utf8_in_latin1(bytes: &[u8]) -> Option<core::ops::Range<usize>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (at, c) = text.char_indices().find(|(_, c)| !c.is_ascii())?;
    Some(at..at + c.len_utf8())
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
    fn files_decode_by_each_message_and_encode_back() {
        let bytes = b"MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||M\xFCller\r\
                      MSH|^~\\&|A||||||ADT^A01|2|P|2.5||||||UNICODE UTF-8\rPID|1||M\xC3\xBCller\r";
        let text = decode_file(bytes);
        assert_eq!(text.matches("Müller").count(), 2);
        assert_eq!(encode_file(&text).unwrap(), &bytes[..]);
        // Plain UTF-8 borrows both ways.
        let utf8 = "MSH|^~\\&|A\rPID|1||Zoë\r";
        assert!(matches!(decode_file(utf8.as_bytes()), Cow::Borrowed(_)));
        assert!(matches!(encode_file(utf8), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn a_character_latin1_cannot_hold_is_an_error_with_its_place() {
        let text = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rNTE|1||5 €\r";
        let error = encode_file(text).unwrap_err();
        assert_eq!(error.character(), '€');
        assert_eq!(&text[error.span().range()], "€");
        assert!(error.to_string().contains("8859/1"));
    }

    #[test]
    fn utf16_files_decode() {
        let text = "MSH|^~\\&|A\rPID|1||Zoë\r";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode_file(&le), text);
        assert_eq!(decode_file(&be), text);
    }

    #[test]
    fn invalid_spans() {
        let spans: Vec<_> = invalid_utf8(b"ok\xFF\xFEok\xC3").collect();
        assert_eq!(spans, [2..3, 3..4, 6..7]);
        assert_eq!(invalid_utf8("é".as_bytes()).count(), 0);
    }
}
