//! Splitting input into segments.
//!
//! HL7 v2 ends each segment with a carriage return, but real files also use LF and CRLF, mix
//! them, start with a UTF-8 byte order mark, put blank lines between messages, or keep the MLLP
//! frames (`0x0B` … `0x1C 0x0D`) of a network capture. This module accepts all of that and yields
//! every segment with its byte span, leaving terminators, blank lines and framing out (they stay
//! in the input, so nothing is lost).

use core::iter::FusedIterator;

use crate::elements::{Segment, is_header_id};
use crate::{Delimiters, Span};

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// MLLP's start block (vertical tab) and end block (file separator).
const MLLP_START: u8 = 0x0B;
const MLLP_END: u8 = 0x1C;

/// Splits `input` into segments.
///
/// Segment terminators may be CR (the standard), LF or CRLF, mixed freely, and MLLP's end block
/// (`0x1C`) ends a line too. MLLP start blocks and byte order marks at the start of a line are
/// skipped (in any order and number), and so are lines that hold nothing but spaces and tabs. Each segment
/// is split by the delimiters of the latest header segment (MSH, FHS or BHS) before it — the
/// recommended `|^~\&` before any — so a file of messages with different delimiters splits
/// right. To parse one message, with its diagnostics, use [`crate::Message::parse`].
///
/// ```
/// let input = b"\xEF\xBB\xBFMSH|^~\\&|A\r\nPID|1\n\nOBX|1\r";
/// let segments: Vec<_> = pipehat::segments(input).map(|s| (s.id(), s.span().range())).collect();
/// assert_eq!(segments, [(b"MSH".as_slice(), 3..13), (b"PID", 15..20), (b"OBX", 22..27)]);
/// ```
#[must_use]
pub fn segments(input: &[u8]) -> Segments<'_> {
    Segments {
        lines: lines(input),
        delimiters: Delimiters::default(),
    }
}

/// Iterator over the segments of an input, created by [`segments`].
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    lines: Lines<'a>,
    delimiters: Delimiters,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let span = self.lines.next()?;
        let bytes = &self.lines.input[span.range()];
        if starts_header(bytes) {
            // An unreadable header keeps the delimiters read before it.
            if let Ok(delimiters) = Delimiters::read(bytes, span.start, &mut Vec::new()) {
                self.delimiters = delimiters;
            }
        }
        Some(Segment::new(bytes, span.start, self.delimiters))
    }
}

impl FusedIterator for Segments<'_> {}

/// Whether a line starts like a header segment: `MSH`, `FHS` or `BHS` and one more byte.
pub(crate) fn starts_header(line: &[u8]) -> bool {
    line.len() > 3 && is_header_id(&line[..3])
}

/// The non-blank lines of `input`, as spans without their terminators or framing bytes.
pub(crate) fn lines(input: &[u8]) -> Lines<'_> {
    Lines { input, position: 0 }
}

/// How many bytes at the start of `line` are framing rather than content: MLLP start blocks
/// (`0x0B`) and byte order marks (UTF-8 `EF BB BF`, UTF-16 `FE FF` or `FF FE`), in any order and
/// number. Files are concatenated, captured and re-saved, so a message may start after any mix
/// of them — not only at the start of the input.
pub(crate) fn framing_len(line: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &line[at..];
        at += match rest {
            [MLLP_START, ..] => 1,
            [0xEF, 0xBB, 0xBF, ..] => BOM.len(),
            [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => 2,
            _ => return at,
        };
    }
}

/// Iterator over the non-blank lines of an input, created by [`lines`].
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    pub(crate) input: &'a [u8],
    position: usize,
}

impl Iterator for Lines<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        while self.position < self.input.len() {
            let start = self.position;
            let rest = &self.input[start..];
            // A line ends at CR, LF, CRLF — or at MLLP's end block (FS), with or without the CR
            // that should follow it: `VT msg FS VT msg FS` is two messages, never one.
            let (line_len, terminator_len) = match memchr::memchr3(b'\r', b'\n', MLLP_END, rest) {
                Some(at) if rest[at] == MLLP_END => {
                    let after = &rest[at + 1..];
                    let newline = match after {
                        [b'\r', b'\n', ..] => 2,
                        [b'\r' | b'\n', ..] => 1,
                        _ => 0,
                    };
                    (at, 1 + newline)
                }
                Some(at) if rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n') => (at, 2),
                Some(at) => (at, 1),
                None => (rest.len(), 0),
            };
            self.position = start + line_len + terminator_len;
            let line = &rest[..line_len];
            let skip = framing_len(line);
            let span = Span::new(start + skip, start + line_len);
            if !line[skip..].iter().all(|b| matches!(b, b' ' | b'\t')) {
                return Some(span);
            }
        }
        None
    }
}

impl FusedIterator for Lines<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(id, span)` of every segment, ids as text for readable assertions.
    fn split(input: &[u8]) -> Vec<(String, core::ops::Range<usize>)> {
        segments(input)
            .map(|s| {
                (
                    String::from_utf8_lossy(s.id()).into_owned(),
                    s.span().range(),
                )
            })
            .collect()
    }

    macro_rules! splits_to {
        ($($name:ident: $input:expr => [$(($id:expr, $range:expr)),* $(,)?];)*) => {$(
            #[test]
            fn $name() {
                let expected: Vec<(String, core::ops::Range<usize>)> =
                    vec![$(($id.to_string(), $range)),*];
                assert_eq!(split($input), expected);
            }
        )*};
    }

    splits_to! {
        empty_input: b"" => [];
        only_blank_lines: b"\r\n\n  \t\r" => [];
        carriage_returns: b"MSH|^~\\&\rPID|1\r" => [("MSH", 0..8), ("PID", 9..14)];
        line_feeds: b"MSH|^~\\&\nPID|1\n" => [("MSH", 0..8), ("PID", 9..14)];
        crlf_is_one_terminator: b"MSH|^~\\&\r\nPID|1\r\n" => [("MSH", 0..8), ("PID", 10..15)];
        mixed_terminators: b"MSH|x\rEVN|\nPID|\r\nPV1|" =>
            [("MSH", 0..5), ("EVN", 6..10), ("PID", 11..15), ("PV1", 17..21)];
        lf_cr_is_two_terminators: b"MSH|x\n\rPID|" => [("MSH", 0..5), ("PID", 7..11)];
        no_final_terminator: b"MSH|x\rPID|1" => [("MSH", 0..5), ("PID", 6..11)];
        bom_is_skipped: b"\xEF\xBB\xBFMSH|x\r" => [("MSH", 3..8)];
        bom_at_any_line_start: b"MSH|x\r\xEF\xBB\xBFMSH|y\r" => [("MSH", 0..5), ("MSH", 9..14)];
        mllp_then_bom: b"\x0B\xEF\xBB\xBFMSH|x\rPID|1\r\x1C\r" => [("MSH", 4..9), ("PID", 10..15)];
        bom_then_mllp: b"\xEF\xBB\xBF\x0BMSH|x\r" => [("MSH", 4..9)];
        two_start_blocks_two_boms: b"\x0B\x0B\xEF\xBB\xBF\xEF\xBB\xBFMSH|x\r" => [("MSH", 8..13)];
        utf16_bom_before_8_bit_text: b"\xFF\xFEMSH|x\r\x0B\xFE\xFFMSH|y" => [("MSH", 2..7), ("MSH", 11..16)];
        end_block_without_cr_ends_the_line: b"\x0BMSH|a\rPID|1\x1C\x0BMSH|b\rPID|2\x1C\x0BMSH|c\x1C" =>
            [("MSH", 1..6), ("PID", 7..12), ("MSH", 14..19), ("PID", 20..25), ("MSH", 27..32)];
        end_block_then_crlf: b"MSH|a\x1C\r\nPID|1\r" => [("MSH", 0..5), ("PID", 8..13)];
        blank_lines_between_messages: b"MSH|a\r\r\n   \nMSH|b\r" => [("MSH", 0..5), ("MSH", 12..17)];
        trailing_spaces_stay_in_span: b"PID|1  \r" => [("PID", 0..7)];
        segment_without_fields: b"MSH|x\rNTE\r" => [("MSH", 0..5), ("NTE", 6..9)];
        caret_as_field_separator: b"MSH^~|\\&^A\rPID^1^x|y\r" => [("MSH", 0..10), ("PID", 11..20)];
        separator_follows_each_header: b"MSH!x\rPID!1\rMSH|x\rPID|2\r" =>
            [("MSH", 0..5), ("PID", 6..11), ("MSH", 12..17), ("PID", 18..23)];
        batch_headers_set_separator: b"FHS#x\rBHS#y\rMSH#z\rBTS#1\r" =>
            [("FHS", 0..5), ("BHS", 6..11), ("MSH", 12..17), ("BTS", 18..23)];
        prose_line_is_all_id: b"just a note\rMSH|x\r" => [("just a note", 0..11), ("MSH", 12..17)];
        header_without_separator: b"MSH\rPID|1\r" => [("MSH", 0..3), ("PID", 4..9)];
        mllp_frames: b"\x0BMSH|a\rPID|1\r\x1C\r\x0BMSH|b\rPID|2\x1C\r" =>
            [("MSH", 1..6), ("PID", 7..12), ("MSH", 16..21), ("PID", 22..27)];
        unreadable_header_keeps_delimiters: b"MSH!x\rMSHX\rPID!1\r" =>
            [("MSH", 0..5), ("MSHX", 6..10), ("PID", 11..16)];
    }

    #[test]
    fn segment_bytes_are_the_input_at_its_span() {
        let input = b"MSH|^~\\&|A\r\nPID|1||123\nOBX|1|TX|||text\r";
        for segment in segments(input) {
            assert_eq!(&input[segment.span().range()], segment.as_bytes());
            assert!(segment.as_bytes().starts_with(segment.id()));
        }
    }

    #[test]
    fn iterator_is_fused() {
        let mut it = segments(b"MSH|x");
        assert!(it.next().is_some());
        assert!(it.next().is_none());
        assert!(it.next().is_none());
    }
}
