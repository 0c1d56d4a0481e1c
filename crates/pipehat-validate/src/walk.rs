//! How a message's delimiters split its values ([`Walk`]), and the pieces a split gives
//! ([`Piece`]): fields, repetitions, components and subcomponents as byte spans with the roles
//! of the bytes they hold, so the checks split and decode only what needs it.

use std::borrow::Cow;

use pipehat::Message;

use crate::work;

/// How a message's delimiters split its values: each byte's roles, so one pass over a value
/// finds its parts and what they hold.
pub(crate) struct Walk {
    classes: [u8; 256],
    /// Each delimiter byte repeated over a word (the field separator standing in for an
    /// absent one), to find delimiters eight bytes at a time.
    splats: [u64; 5],
    pub(crate) delimiters: pipehat::Delimiters,
    pub(crate) charset: pipehat::Charset,
}

impl Walk {
    pub(crate) const FIELD: u8 = 1;
    pub(crate) const REPETITION: u8 = 2;
    pub(crate) const COMPONENT: u8 = 4;
    pub(crate) const SUBCOMPONENT: u8 = 8;
    pub(crate) const ESCAPE: u8 = 16;

    pub(crate) fn new(message: &Message<'_>) -> Self {
        let delimiters = message.delimiters();
        let mut classes = [0; 256];
        classes[usize::from(delimiters.field())] |= Walk::FIELD;
        for (delimiter, class) in [
            (delimiters.repetition(), Walk::REPETITION),
            (delimiters.component(), Walk::COMPONENT),
            (delimiters.subcomponent(), Walk::SUBCOMPONENT),
            (delimiters.escape(), Walk::ESCAPE),
        ] {
            if let Some(byte) = delimiter {
                classes[usize::from(byte)] |= class;
            }
        }
        let field = delimiters.field();
        let splats = [
            Some(field),
            delimiters.repetition(),
            delimiters.component(),
            delimiters.subcomponent(),
            delimiters.escape(),
        ]
        .map(|byte| u64::from_ne_bytes([byte.unwrap_or(field); 8]));
        Walk {
            classes,
            splats,
            delimiters,
            charset: message.encoding(),
        }
    }

    /// A value with the roles of the bytes it holds.
    pub(crate) fn piece<'a>(&self, bytes: &'a [u8], start: usize) -> Piece<'a> {
        let flags = bytes
            .iter()
            .fold(0, |flags, &b| flags | self.classes[usize::from(b)]);
        Piece {
            bytes,
            start,
            flags,
        }
    }

    /// `bytes` (at `start` in the input) split at the bytes that have role `separator`: always at
    /// least one part, possibly empty, each with the roles of the bytes it holds.
    ///
    /// Delimiters are about one byte in seven: whole words of eight bytes are searched for any
    /// delimiter at once (a byte equal to one is a zero byte after `xor`, found by the usual
    /// borrow test), and only the bytes found are looked at. The test may also flag a byte
    /// just above a found one; its class is 0 unless it is a delimiter too, so it changes
    /// nothing.
    pub(crate) fn split<'a>(
        &self,
        bytes: &'a [u8],
        start: usize,
        separator: u8,
        out: &mut Vec<Piece<'a>>,
    ) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        work::count(work::Kind::Split, bytes.len());
        let mut from = 0;
        let mut flags = 0;
        let mut byte = |at: usize, from: &mut usize, flags: &mut u8| {
            let class = self.classes[usize::from(bytes[at])];
            if class & separator != 0 {
                out.push(Piece {
                    bytes: &bytes[*from..at],
                    start: start + *from,
                    flags: *flags,
                });
                *from = at + 1;
                *flags = 0;
            } else {
                *flags |= class;
            }
        };
        let mut chunks = bytes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            let mut hits = 0;
            for splat in self.splats {
                let x = word ^ splat;
                hits |= x.wrapping_sub(ONES) & !x & HIGHS;
            }
            while hits != 0 {
                byte(
                    base + (hits.trailing_zeros() / 8) as usize,
                    &mut from,
                    &mut flags,
                );
                hits &= hits - 1;
            }
            base += 8;
        }
        for at in base..bytes.len() {
            byte(at, &mut from, &mut flags);
        }
        out.push(Piece {
            bytes: &bytes[from..],
            start: start + from,
            flags,
        });
    }

    /// The parts of a value at `separator` (its repetitions, components or subcomponents).
    pub(crate) fn parts<'a>(&self, value: &Piece<'a>, separator: u8, out: &mut Vec<Piece<'a>>) {
        if value.flags & separator == 0 {
            out.push(*value);
        } else {
            self.split(value.bytes, value.start, separator, out);
        }
    }
}

/// A field, repetition, component or subcomponent: its bytes, where they start in the input,
/// and the delimiter roles of the bytes it holds (so it is split, or searched for escapes, only
/// when it has something to split or find).
#[derive(Clone, Copy)]
pub(crate) struct Piece<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) start: usize,
    pub(crate) flags: u8,
}

impl<'a> Piece<'a> {
    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn is_null(&self) -> bool {
        self.bytes == b"\"\""
    }

    pub(crate) fn span(&self) -> pipehat::Span {
        pipehat::Span::new(self.start, self.start + self.bytes.len())
    }

    /// The value as the core's elements give it in `text()`, by the same two public steps:
    /// escapes decoded ([`pipehat::escape::decode`], called only when the piece holds the
    /// escape character), then the bytes read in the message's character set
    /// ([`pipehat::charset::decode_text`]). Borrows when neither step changes anything.
    pub(crate) fn text(&self, walk: &Walk) -> Cow<'a, str> {
        let decoded = if self.flags & Walk::ESCAPE == 0 {
            Cow::Borrowed(self.bytes)
        } else {
            pipehat::escape::decode(self.bytes, walk.delimiters)
        };
        match decoded {
            Cow::Borrowed(bytes) => pipehat::charset::decode_text(bytes, walk.charset),
            Cow::Owned(bytes) => {
                Cow::Owned(pipehat::charset::decode_text(&bytes, walk.charset).into_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Walk::split` must give, byte by byte.
    fn split_slowly(walk: &Walk, bytes: &[u8], separator: u8) -> Vec<(usize, usize, u8)> {
        let mut out = Vec::new();
        let (mut from, mut flags) = (0, 0);
        for (at, &b) in bytes.iter().enumerate() {
            let class = walk.classes[usize::from(b)];
            if class & separator != 0 {
                out.push((from, at, flags));
                (from, flags) = (at + 1, 0);
            } else {
                flags |= class;
            }
        }
        out.push((from, bytes.len(), flags));
        out
    }

    /// Every value of `message` (each level of every field) read as a piece gives the text the
    /// core's element gives; returns how many were compared.
    fn texts_match_the_core(message: &Message<'_>) -> usize {
        let walk = Walk::new(message);
        let mut compared = 0;
        let mut same = |bytes: &[u8], start: usize, text: Cow<'_, str>| {
            assert_eq!(walk.piece(bytes, start).text(&walk), text, "{bytes:?}");
            compared += 1;
        };
        for segment in message.segments() {
            for field in segment.fields() {
                same(field.as_bytes(), field.span().start, field.text());
                for repetition in field.repetitions() {
                    same(
                        repetition.as_bytes(),
                        repetition.span().start,
                        repetition.text(),
                    );
                    for component in repetition.components() {
                        same(
                            component.as_bytes(),
                            component.span().start,
                            component.text(),
                        );
                        for sub in component.subcomponents() {
                            same(sub.as_bytes(), sub.span().start, sub.text());
                        }
                    }
                }
            }
        }
        compared
    }

    /// Escapes, character sets (MSH-18), invalid UTF-8, text input, and every corpus message.
    #[test]
    fn pieces_read_as_the_core_reads_elements() {
        let value = b"Zo\xEB \\T\\ \\X41C3A9\\ \\H\\x\\N\\ \\.br\\ \\Q\\ \xC3\xA9^a&\\F\\";
        for charset in ["", "ASCII", "8859/1", "UNICODE UTF-8", "ISO IR87"] {
            let mut input =
                format!("MSH|^~\\&|A|B|||1||ADT^A01|1|P|2.5|||||{charset}\r").into_bytes();
            input.extend_from_slice(b"PID|1|");
            input.extend_from_slice(value);
            input.extend_from_slice(b"~");
            input.extend_from_slice(value);
            let message = Message::parse(&input).expect("a message");
            assert!(texts_match_the_core(&message) > 20);
        }
        let text = "MSH|^~\\&|A\rPID|1|Zoë\\T\\^\\X41\\&é";
        assert!(texts_match_the_core(&Message::parse_text(text).expect("a message")) > 5);
        let Some(dir) = testkit::corpus_dir() else {
            return;
        };
        let mut compared = 0;
        for path in testkit::message_files(&dir) {
            let input = std::fs::read(&path).expect("a readable corpus file");
            for message in pipehat::File::parse(&input).messages() {
                compared += texts_match_the_core(message);
            }
        }
        assert!(compared > 100_000, "only {compared} values compared");
    }

    #[test]
    fn split_eight_bytes_at_a_time_matches_byte_by_byte() {
        let headers: [&[u8]; 3] = [b"MSH|^~\\&|A\r", b"MSH|^~|A\r", b"MSH#!$*@#A\r"];
        // Delimiters of all three messages, and the bytes the borrow test may confuse.
        let alphabet = b"|^~\\&#!$*@AZ09 \x00\x01\x02\x7f\x80\x81\xfe\xff";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for header in headers {
            let message = Message::parse(header).expect("a message");
            let walk = Walk::new(&message);
            for length in 0..80 {
                for _ in 0..40 {
                    let bytes: Vec<u8> = (0..length)
                        .map(|_| {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            alphabet[(seed % alphabet.len() as u64) as usize]
                        })
                        .collect();
                    for separator in [
                        Walk::FIELD,
                        Walk::REPETITION,
                        Walk::COMPONENT,
                        Walk::SUBCOMPONENT,
                    ] {
                        let mut out = Vec::new();
                        walk.split(&bytes, 1000, separator, &mut out);
                        let got: Vec<_> = out
                            .iter()
                            .map(|p| (p.start - 1000, p.start - 1000 + p.bytes.len(), p.flags))
                            .collect();
                        assert_eq!(got, split_slowly(&walk, &bytes, separator), "{bytes:?}");
                    }
                }
            }
        }
    }
}
