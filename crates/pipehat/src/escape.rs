//! Escape sequences: decoded on request, never at parse time.
//!
//! HL7 v2.5.1 §2.7 defines escapes between two escape characters (`\` by default):
//!
//! | sequence | meaning | decoded text |
//! |---|---|---|
//! | `\F\ \S\ \T\ \R\ \E\` | field, component, subcomponent, repetition separator, escape character | the message's own character for that role |
//! | `\P\` | truncation character (v2.7+) | the declared one, else `#` |
//! | `\Xhh…\` | bytes in hexadecimal | those bytes |
//! | `\H\` `\N\` | start and end of highlighting | nothing (see [`Piece::Highlight`]) |
//! | `\.br\` `\.sp n\` `\.sk n\` | line break, n line breaks, skip n spaces | `\n`, n × `\n`, n spaces |
//! | `\.in n\ \.ti n\ \.ce\ \.fi\ \.nf\` | indent, temporary indent, centre, fill on/off | nothing (see [`Piece::Format`]) |
//! | `\Cxxyy\ \Mxxyyzz\` | switch of character set (ISO 2022) | kept as written |
//! | `\Z…\` | locally defined | kept as written |
//!
//! Where peers disagree, pipehat chooses:
//! - highlighting and layout commands are **pieces**, never dropped: [`escapes`] yields them for
//!   a rich renderer (the viewer). Plain decoded text leaves `\H\`/`\N\` out (python-hl7 writes
//!   `_`, HAPI keeps the escape) and renders line breaks as `\n` (Microsoft's converter writes
//!   a literal backslash-n);
//! - hex gives bytes, in the message's character set (python-hl7 and HAPI decode the same);
//!   `\X\` with no digits, an odd number of digits, or non-hex digits are malformed (Microsoft's
//!   converter keeps `\X\` and throws on odd digits);
//! - anything malformed — unknown letters, an escape with no closing escape character — is kept
//!   byte for byte, as a [`Piece::Malformed`] with its span, never an error or a panic.

use std::borrow::Cow;

use crate::delimiters::DelimiterRole;
use crate::{Delimiters, Span};

/// A layout command of formatted text (data type FT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `\.br\`: begin a new line.
    LineBreak,
    /// `\.sp n\`: end the line and skip n lines (n ≥ 1; 1 when not given).
    Space(u32),
    /// `\.in n\`: indent n spaces from here on (may be negative).
    Indent(i32),
    /// `\.ti n\`: indent the next line by n spaces (may be negative).
    TemporaryIndent(i32),
    /// `\.sk n\`: skip n spaces to the right (1 when not given).
    Skip(u32),
    /// `\.ce\`: end the line and centre the next.
    Center,
    /// `\.fi\`: fill lines (the default).
    Fill,
    /// `\.nf\`: do not fill: lines as written.
    NoFill,
}

/// What is wrong with a malformed escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EscapeProblem {
    /// No closing escape character before the end of the value.
    Unterminated,
    /// The sequence is not one HL7 defines.
    Unknown,
    /// `\X…\` without digits, with an odd number of them, or with a non-hex one.
    BadHex,
    /// A formatting command with a bad or missing number.
    BadFormat,
}

/// A part of a value, as [`escapes`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as it stands in the message.
    Text(&'a [u8]),
    /// `\F\ \S\ \T\ \R\ \E\ \P\`: a delimiter character as text.
    Delimiter(DelimiterRole, u8),
    /// `\Xhh…\`: the hex digits (an even number, at least two); [`Piece::hex_bytes`] decodes them.
    Hex(&'a [u8]),
    /// `\H\` (true) or `\N\` (false): highlighting starts or ends.
    Highlight(bool),
    /// A formatting command.
    Format(Format),
    /// `\Cxxyy\` or `\Mxxyyzz\`, the whole sequence as written.
    CharacterSet(&'a [u8]),
    /// `\Z…\`, the whole sequence as written.
    Local(&'a [u8]),
    /// A malformed escape, kept byte for byte.
    Malformed(&'a [u8], EscapeProblem),
}

impl Piece<'_> {
    /// The bytes of a [`Piece::Hex`]; empty for other pieces.
    #[must_use]
    pub fn hex_bytes(&self) -> Vec<u8> {
        match self {
            Piece::Hex(digits) => digits
                .chunks_exact(2)
                .map(|pair| (hex_value(pair[0]) << 4) | hex_value(pair[1]))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The pieces of `value` with their spans, `value` starting at byte `start` of the input.
#[must_use]
pub fn escapes(value: &[u8], start: usize, delimiters: Delimiters) -> Escapes<'_> {
    Escapes {
        value,
        start,
        position: 0,
        delimiters,
    }
}

/// Iterator over the pieces of a value, created by [`escapes`].
#[derive(Debug, Clone)]
pub struct Escapes<'a> {
    value: &'a [u8],
    start: usize,
    position: usize,
    delimiters: Delimiters,
}

impl<'a> Iterator for Escapes<'a> {
    type Item = (Piece<'a>, Span);

    fn next(&mut self) -> Option<(Piece<'a>, Span)> {
        let from = self.position;
        let rest = self.value.get(from..).filter(|rest| !rest.is_empty())?;
        let span = |len: usize| Span::new(self.start + from, self.start + from + len);
        let opening = self
            .delimiters
            .escape()
            .and_then(|e| memchr::memchr(e, rest));
        match opening {
            None => {
                self.position = self.value.len();
                Some((Piece::Text(rest), span(rest.len())))
            }
            Some(text_len @ 1..) => {
                self.position += text_len;
                Some((Piece::Text(&rest[..text_len]), span(text_len)))
            }
            Some(0) => {
                let escape = rest[0];
                let Some(close) = memchr::memchr(escape, &rest[1..]) else {
                    self.position = self.value.len();
                    return Some((
                        Piece::Malformed(rest, EscapeProblem::Unterminated),
                        span(rest.len()),
                    ));
                };
                let whole = &rest[..close + 2];
                self.position += whole.len();
                Some((
                    read_escape(whole, &rest[1..=close], self.delimiters),
                    span(whole.len()),
                ))
            }
        }
    }
}

/// Interprets one escape sequence: `whole` with its escape characters, `inner` without.
fn read_escape<'a>(whole: &'a [u8], inner: &'a [u8], delimiters: Delimiters) -> Piece<'a> {
    let role = |role: DelimiterRole| {
        Piece::Delimiter(role, delimiters.get(role).unwrap_or(role.recommended()))
    };
    match inner {
        b"F" => role(DelimiterRole::Field),
        b"S" => role(DelimiterRole::Component),
        b"T" => role(DelimiterRole::Subcomponent),
        b"R" => role(DelimiterRole::Repetition),
        b"E" => role(DelimiterRole::Escape),
        b"P" => role(DelimiterRole::Truncation),
        b"H" => Piece::Highlight(true),
        b"N" => Piece::Highlight(false),
        [b'X', digits @ ..] => {
            if !digits.is_empty()
                && digits.len() % 2 == 0
                && digits.iter().all(u8::is_ascii_hexdigit)
            {
                Piece::Hex(digits)
            } else {
                Piece::Malformed(whole, EscapeProblem::BadHex)
            }
        }
        [b'Z', ..] => Piece::Local(whole),
        [b'C', code @ ..] if code.len() == 4 && code.iter().all(u8::is_ascii_hexdigit) => {
            Piece::CharacterSet(whole)
        }
        [b'M', code @ ..]
            if matches!(code.len(), 4 | 6) && code.iter().all(u8::is_ascii_hexdigit) =>
        {
            Piece::CharacterSet(whole)
        }
        [b'.', command @ ..] => read_format(command).map_or(
            Piece::Malformed(whole, EscapeProblem::BadFormat),
            Piece::Format,
        ),
        _ => Piece::Malformed(whole, EscapeProblem::Unknown),
    }
}

/// A formatting command after its dot: `br`, `sp 2`, `in -4`…; `None` if malformed. Unknown
/// commands are `None` too (reported as malformed formatting).
fn read_format(command: &[u8]) -> Option<Format> {
    let (name, argument) = command.split_at(command.len().min(2));
    let argument = core::str::from_utf8(argument).ok()?.trim();
    let count = |default: u32| -> Option<u32> {
        if argument.is_empty() {
            Some(default)
        } else {
            argument.strip_prefix('+').unwrap_or(argument).parse().ok()
        }
    };
    let signed = || -> Option<i32> {
        if argument.is_empty() {
            return None;
        }
        argument.strip_prefix('+').unwrap_or(argument).parse().ok()
    };
    let no_argument = |format: Format| argument.is_empty().then_some(format);
    match name {
        b"br" => no_argument(Format::LineBreak),
        b"sp" => count(1).map(Format::Space),
        b"in" => signed().map(Format::Indent),
        b"ti" => signed().map(Format::TemporaryIndent),
        b"sk" => count(1).map(Format::Skip),
        b"ce" => no_argument(Format::Center),
        b"fi" => no_argument(Format::Fill),
        b"nf" => no_argument(Format::NoFill),
        _ => None,
    }
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// The most line breaks or spaces one `\.sp n\` or `\.sk n\` becomes in decoded text: a
/// hostile `\.sk 1000000000\` must not become a gigabyte (the fuzzer found it). The piece keeps
/// the number as written.
pub const MAX_RENDERED_REPEAT: u32 = 256;

/// The decoded bytes of `value` (see the module docs for what each escape becomes). Borrows
/// when there is nothing to decode.
#[must_use]
pub fn decode(value: &[u8], delimiters: Delimiters) -> Cow<'_, [u8]> {
    let has_escape = delimiters
        .escape()
        .is_some_and(|escape| memchr::memchr(escape, value).is_some());
    if !has_escape {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    for (piece, _) in escapes(value, 0, delimiters) {
        match piece {
            Piece::Text(bytes)
            | Piece::CharacterSet(bytes)
            | Piece::Local(bytes)
            | Piece::Malformed(bytes, _) => out.extend_from_slice(bytes),
            Piece::Delimiter(_, byte) => out.push(byte),
            Piece::Hex(_) => out.extend(piece.hex_bytes()),
            Piece::Highlight(_) => {}
            Piece::Format(format) => match format {
                Format::LineBreak => out.push(b'\n'),
                Format::Space(n) => out.extend(repeated(b'\n', n)),
                Format::Skip(n) => out.extend(repeated(b' ', n)),
                Format::Indent(_)
                | Format::TemporaryIndent(_)
                | Format::Center
                | Format::Fill
                | Format::NoFill => {}
            },
        }
    }
    Cow::Owned(out)
}

fn repeated(byte: u8, count: u32) -> impl Iterator<Item = u8> {
    core::iter::repeat_n(byte, count.min(MAX_RENDERED_REPEAT) as usize)
}

/// `text` with every delimiter of the message escaped (`|` → `\F\`…), and the bytes that would
/// end a segment or an MLLP frame in hex (CR → `\X0D\`, LF → `\X0A\`, `\X0B\`, `\X1C\`), so
/// it can be written as one value. Borrows when nothing needs escaping.
#[must_use]
pub fn encode(text: &[u8], delimiters: Delimiters) -> Cow<'_, [u8]> {
    let sequence = |byte: u8| -> Option<&'static [u8]> {
        Some(match delimiters.role_of(byte) {
            Some(DelimiterRole::Field) => b"F",
            Some(DelimiterRole::Component) => b"S",
            Some(DelimiterRole::Subcomponent) => b"T",
            Some(DelimiterRole::Repetition) => b"R",
            Some(DelimiterRole::Escape) => b"E",
            Some(DelimiterRole::Truncation) => b"P",
            None if byte == b'\r' => b"X0D",
            None if byte == b'\n' => b"X0A",
            // MLLP's block characters would end or start a frame.
            None if byte == 0x0B => b"X0B",
            None if byte == 0x1C => b"X1C",
            None => return None,
        })
    };
    if !text.iter().any(|&b| sequence(b).is_some()) {
        return Cow::Borrowed(text);
    }
    // A message without an escape character (MSH-2 `^~&`) cannot carry its delimiters as
    // text at all; the recommended `\` at least keeps the value from being split.
    let escape = delimiters.escape().unwrap_or(b'\\');
    let mut out = Vec::with_capacity(text.len() + 8);
    for &byte in text {
        match sequence(byte) {
            Some(code) => {
                out.push(escape);
                out.extend_from_slice(code);
                out.push(escape);
            }
            None => out.push(byte),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard() -> Delimiters {
        Delimiters::default()
    }

    fn with(msh: &[u8]) -> Delimiters {
        Delimiters::read(msh, 0, &mut Vec::new()).expect("readable header")
    }

    fn decoded(value: &[u8], delimiters: Delimiters) -> Vec<u8> {
        decode(value, delimiters).into_owned()
    }

    fn pieces(value: &[u8]) -> Vec<Piece<'_>> {
        escapes(value, 0, standard())
            .map(|(piece, _)| piece)
            .collect()
    }

    macro_rules! decodes_to {
        ($($name:ident: $value:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(decoded($value, standard()), $expected.to_vec());
            }
        )*};
    }

    // Expected values written by hand from HL7 v2.5.1 §2.7, and from the peer suites named.
    // `$expected` is anything with `to_vec()`.
    decodes_to! {
        // python-hl7 tests/test_parse.py, unescape table.
        delimiters: b"\\E\\\\F\\\\S\\\\T\\\\R\\" => b"\\|^&~";
        highlight_is_not_text: b"\\H\\text\\N\\" => b"text";
        hex_spaces: b"\\X20202020\\" => b"    ";
        hex_bytes_stay_bytes: b"\\Xe1\\\\Xe9\\" => b"\xE1\xE9";
        // Microsoft FHIR-Converter Hl7v2EscapeSequenceProcessorTests.
        hex_letters: b"\\X6566\\" => b"ef";
        empty_hex_is_kept: b"a\\X\\b" => b"a\\X\\b";
        odd_hex_is_kept: b"\\X656\\" => b"\\X656\\";
        non_hex_is_kept: b"\\XZZ\\" => b"\\XZZ\\";
        // HAPI EscapeTest and Efferent EncodingTests.
        hex_carriage_return: b"a\\X000d\\b" => b"a\x00\rb";
        hex_crlf: b"\\X0D0A\\" => b"\r\n";
        line_break: b"one\\.br\\two" => b"one\ntwo";
        spaces: b"a\\.sp 2\\b\\.sp\\c" => b"a\n\nb\nc";
        skip: b"a\\.sk 3\\b" => b"a   b";
        huge_skip_is_capped: b"\\.sk 1000000000\\" => vec![b' '; 256];
        layout_commands_are_not_text: b"\\.in +4\\\\.ti -2\\\\.ce\\\\.fi\\\\.nf\\x" => b"x";
        unterminated_is_kept: b"abc\\F" => b"abc\\F";
        unknown_is_kept: b"a\\Q\\b" => b"a\\Q\\b";
        local_is_kept: b"\\Zabc\\" => b"\\Zabc\\";
        character_set_is_kept: b"\\C2842\\x\\M244228\\" => b"\\C2842\\x\\M244228\\";
        truncation_defaults_to_hash: b"a\\P\\" => b"a#";
        lone_escape_character: b"\\" => b"\\";
        empty_escape: b"\\\\" => b"\\\\";
        plain_text: b"no escapes here" => b"no escapes here";
    }

    #[test]
    fn nothing_to_decode_borrows() {
        assert!(matches!(
            decode(b"plain^text", standard()),
            Cow::Borrowed(_)
        ));
        assert!(matches!(decode(b"a\\F\\b", standard()), Cow::Owned(_)));
    }

    #[test]
    fn custom_escape_character() {
        // rust-hl7's separators test: `^~*&` makes `*` the escape character.
        let delimiters = with(b"MSH|^~*&|");
        assert_eq!(decoded(b"a*F*b*E*c\\F\\", delimiters), b"a|b*c\\F\\");
        // With custom delimiters, \\S\\ gives the message's own component separator.
        let custom = with(b"MSH#*!?@%#");
        assert_eq!(decoded(b"?S??T??R??F??P?", custom), b"*@!#%");
    }

    #[test]
    fn no_escape_character_means_no_escapes() {
        let delimiters = with(b"MSH|^~&|");
        assert_eq!(decoded(b"a\\F\\b", delimiters), b"a\\F\\b");
        assert_eq!(pieces(b"").len(), 0);
    }

    #[test]
    fn pieces_have_spans_and_keep_formatting() {
        let value = b"Hi \\H\\there\\N\\\\.br\\\\.in -4\\\\Xc3a9\\";
        let found: Vec<_> = escapes(value, 100, standard()).collect();
        let expected = [
            (Piece::Text(b"Hi "), Span::new(100, 103)),
            (Piece::Highlight(true), Span::new(103, 106)),
            (Piece::Text(b"there"), Span::new(106, 111)),
            (Piece::Highlight(false), Span::new(111, 114)),
            (Piece::Format(Format::LineBreak), Span::new(114, 119)),
            (Piece::Format(Format::Indent(-4)), Span::new(119, 127)),
            (Piece::Hex(b"c3a9"), Span::new(127, 134)),
        ];
        assert_eq!(found, expected);
        assert_eq!(found[6].0.hex_bytes(), "é".as_bytes());
    }

    #[test]
    fn malformed_pieces_say_why() {
        let problems: Vec<_> = pieces(b"\\X1\\\\.zz\\\\.in\\\\.br 2\\\\Q\\\\abc")
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Malformed(_, problem) => Some(problem),
                _ => None,
            })
            .collect();
        assert_eq!(
            problems,
            [
                EscapeProblem::BadHex,
                EscapeProblem::BadFormat,
                EscapeProblem::BadFormat,
                EscapeProblem::BadFormat,
                EscapeProblem::Unknown,
                EscapeProblem::Unterminated,
            ]
        );
    }

    #[test]
    fn encodes_every_delimiter_and_line_ends() {
        assert_eq!(
            encode(b"a|b^c&d~e\\f\rg\nh\x0Bi\x1C", standard()).as_ref(),
            b"a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X0D\\g\\X0A\\h\\X0B\\i\\X1C\\"
        );
        assert!(matches!(
            encode(b"plain text #", standard()),
            Cow::Borrowed(_)
        ));
        let custom = with(b"MSH#*!?@%#");
        assert_eq!(
            encode(b"#*!?@%|^", custom).as_ref(),
            b"?F??S??R??E??T??P?|^"
        );
    }

    #[test]
    fn decode_inverts_encode() {
        let samples: [&[u8]; 5] = [
            b"",
            b"plain",
            b"|^~\\&#\r\n",
            b"\\F\\ is how you write |",
            "Zoë \\X41\\ 😀".as_bytes(),
        ];
        for delimiters in [standard(), with(b"MSH#*!?@%#"), with(b"MSH|^~\\&#|")] {
            for sample in samples {
                let encoded = encode(sample, delimiters);
                assert_eq!(
                    decoded(&encoded, delimiters),
                    sample,
                    "{delimiters:?} {sample:?}"
                );
            }
        }
    }
}
