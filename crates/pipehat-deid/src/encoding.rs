//! Character sets at the edges of a value: how a message's values are read as text for the
//! methods (ISO 8859-1 into UTF-8, stray bytes of text as `text()` shows them) and how
//! replacements are written back in the message's own set ([`Encoding`]).

use std::borrow::Cow;

use pipehat::{Charset, Message};

/// How a message's values are read and its replacements written: the methods work on text
/// (UTF-8), the output stays in the message's own character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Bytes in UTF-8, or in a set read as UTF-8 (MSH-18 empty, `ASCII`, `UNICODE UTF-8`,
    /// unsupported sets): values and replacements as they are, bytes that are not UTF-8 too.
    Bytes,
    /// ISO 8859-1 bytes (MSH-18 `8859/1`): values read into UTF-8, replacements written back
    /// in ISO 8859-1, `?` for a character it cannot hold.
    Latin1,
    /// Text ([`Anonymizer::anonymize_text`]): values as they are, except that a byte that is
    /// not UTF-8 (from a hex escape) is read as the ISO 8859-1 character of the same value,
    /// as the core's `text()` shows it; replacements written as valid UTF-8.
    ///
    /// [`Anonymizer::anonymize_text`]: crate::Anonymizer::anonymize_text
    Text,
}

impl Encoding {
    /// The encoding of `message`, parsed from text or not.
    pub fn of(message: &Message<'_>, text: bool) -> Self {
        if text {
            Encoding::Text
        } else if message.encoding() == Charset::Latin1 {
            Encoding::Latin1
        } else {
            Encoding::Bytes
        }
    }

    /// A value (decoded from escapes) as the methods see it.
    #[inline]
    pub fn read(self, value: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
        if self == Encoding::Bytes || value.is_ascii() {
            value
        } else {
            self.read_text(value)
        }
    }

    /// [`Encoding::read`] of a value that is not ASCII, from ISO 8859-1 or text.
    #[cold]
    fn read_text(self, value: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
        match self {
            Encoding::Bytes => value,
            Encoding::Latin1 => Cow::Owned(
                pipehat::charset::decode_text(&value, Charset::Latin1)
                    .into_owned()
                    .into_bytes(),
            ),
            // Text is UTF-8, but a hex escape can put any byte into a value: as in text().
            Encoding::Text => match core::str::from_utf8(&value) {
                Ok(_) => value,
                Err(_) => Cow::Owned(
                    pipehat::charset::decode_text(&value, Charset::Utf8)
                        .into_owned()
                        .into_bytes(),
                ),
            },
        }
    }

    /// A replacement as the output holds it, and whether a character could not be written
    /// (and became `?`).
    #[inline]
    pub fn write(self, value: Cow<'_, [u8]>) -> (Cow<'_, [u8]>, bool) {
        if self == Encoding::Bytes || value.is_ascii() {
            (value, false)
        } else {
            self.write_text(value)
        }
    }

    /// [`Encoding::write`] of a value that is not ASCII, for ISO 8859-1 or text.
    #[cold]
    fn write_text(self, value: Cow<'_, [u8]>) -> (Cow<'_, [u8]>, bool) {
        match self {
            Encoding::Latin1 => {
                let mut out = Vec::with_capacity(value.len());
                let mut unencodable = false;
                for chunk in value.utf8_chunks() {
                    for c in chunk.valid().chars() {
                        out.push(u8::try_from(u32::from(c)).unwrap_or_else(|_| {
                            unencodable = true;
                            b'?'
                        }));
                    }
                    // A byte that is not UTF-8 stands for the ISO 8859-1 character of its
                    // value (as text() shows it): in ISO 8859-1, that byte.
                    out.extend_from_slice(chunk.invalid());
                }
                (Cow::Owned(out), unencodable)
            }
            _ => match pipehat::charset::decode_text(&value, Charset::Utf8) {
                Cow::Borrowed(_) => (value, false),
                Cow::Owned(text) => (Cow::Owned(text.into_bytes()), false),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_read_as_text_and_written_in_the_message_set() {
        use super::{Cow, Encoding};
        let read = Encoding::Latin1.read(Cow::Borrowed(b"M\xfcller"));
        assert_eq!(&*read, "Müller".as_bytes());
        assert!(matches!(
            Encoding::Latin1.read(Cow::Borrowed(b"DOE")),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            &*Encoding::Bytes.read(Cow::Borrowed(b"M\xfcller")),
            b"M\xfcller"
        );
        let (written, unencodable) = Encoding::Latin1.write(Cow::Borrowed("Łódź für".as_bytes()));
        assert_eq!((&*written, unencodable), (&b"?\xf3d? f\xfcr"[..], true));
        let (written, unencodable) = Encoding::Latin1.write(Cow::Borrowed(b"Grant"));
        assert_eq!((&*written, unencodable), (&b"Grant"[..], false));
        // A byte that is not UTF-8 (from a hex escape) is the ISO 8859-1 character of its value.
        let (written, _) = Encoding::Latin1.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, b"\xfcber");
        let read = Encoding::Text.read(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*read, "über".as_bytes());
        let (written, _) = Encoding::Text.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, "über".as_bytes());
        let (written, _) = Encoding::Bytes.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, b"\xfcber");
    }
}
