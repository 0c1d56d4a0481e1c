//! Converting byte offsets into the positions people and editors use.
//!
//! Spans are byte offsets into the input. People read line:column ([`LineIndex`]); JavaScript
//! strings, and the editors built on them, count UTF-16 code units ([`Utf16Offsets`]).

/// Converts byte offsets in a UTF-8 text into UTF-16 code unit offsets.
///
/// Conversions are cheapest in increasing order of offset (each one continues from the last),
/// which is how spans come out of the parser; an offset before the previous one starts over from
/// the beginning of the text. An offset inside a character counts up to that character's start;
/// one past the end of the text counts as the end.
///
/// ```
/// use pipehat::position::Utf16Offsets;
///
/// let text = "PID|1||Müller^Zoë😀|x";
/// let mut offsets = Utf16Offsets::new(text);
/// let x = text.find('x').unwrap();
/// assert_eq!(x, 24); // bytes
/// assert_eq!(offsets.utf16(x), 20); // UTF-16 code units: ü and ë count 1, 😀 counts 2
/// assert_eq!(&text.encode_utf16().collect::<Vec<_>>()[20..], &[u16::from(b'x')]);
/// ```
#[derive(Debug, Clone)]
pub struct Utf16Offsets<'a> {
    text: &'a str,
    byte: usize,
    utf16: usize,
}

impl<'a> Utf16Offsets<'a> {
    /// A converter for offsets into `text`.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            utf16: 0,
        }
    }

    /// The UTF-16 offset of byte offset `byte`.
    pub fn utf16(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.utf16 = 0;
        }
        let between = &self.text[self.byte..byte];
        self.utf16 += if between.is_ascii() {
            between.len()
        } else {
            between.chars().map(char::len_utf16).sum()
        };
        self.byte = byte;
        self.utf16
    }
}

/// A position as people read it: line and column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    /// The line, from 1. CR, LF and CRLF each end one line.
    pub line: usize,
    /// The column, from 1, counting characters (an invalid UTF-8 byte counts as one).
    pub column: usize,
}

impl core::fmt::Display for LineColumn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where the lines of an input start, to turn byte offsets into [`LineColumn`]s.
///
/// Built in one pass over the input; each lookup is a binary search and a count of the
/// characters before the offset on its line.
///
/// ```
/// use pipehat::position::{LineColumn, LineIndex};
///
/// let input = "MSH|^~\\&|A\r\nPID|1||Zoë|x\rPV1|1".as_bytes();
/// let lines = LineIndex::new(input);
/// let x = input.iter().position(|&b| b == b'x').unwrap();
/// assert_eq!(lines.line_column(x), LineColumn { line: 2, column: 12 });
/// assert_eq!(lines.line_column(input.len()), LineColumn { line: 3, column: 6 });
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    input: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `input`.
    #[must_use]
    pub fn new(input: &'a [u8]) -> Self {
        let mut starts = vec![0];
        let mut at = 0;
        while let Some(found) = memchr::memchr2(b'\r', b'\n', &input[at..]) {
            let end = at + found;
            let crlf = input[end] == b'\r' && input.get(end + 1) == Some(&b'\n');
            at = end + if crlf { 2 } else { 1 };
            starts.push(at);
        }
        Self { input, starts }
    }

    /// How many lines the input has (an input ending with a terminator has an empty last line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The line and column of byte `offset` (past the end counts as the end).
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.input.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let before = &self.input[self.starts[line - 1]..offset];
        // Count characters: every byte that does not continue a UTF-8 sequence.
        let column = before.iter().filter(|&&b| (b as i8) >= -0x40).count() + 1;
        LineColumn { line, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference conversion: encode the prefix to UTF-16 and count.
    fn reference(text: &str, byte: usize) -> usize {
        text[..byte].encode_utf16().count()
    }

    #[test]
    fn matches_reference_in_any_order() {
        let text = "MSH|^~\\&|Zoë\rPID|1||😀^é|\u{10FFFF}|end";
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&b| text.is_char_boundary(b))
            .collect();
        let mut offsets = Utf16Offsets::new(text);
        for &b in boundaries.iter().chain(boundaries.iter().rev()) {
            assert_eq!(offsets.utf16(b), reference(text, b), "byte {b}");
        }
    }

    #[test]
    fn lines_end_at_cr_lf_and_crlf() {
        let input = b"ab\rcd\nef\r\ngh\n\rij";
        let lines = LineIndex::new(input);
        assert_eq!(lines.line_count(), 6);
        let lc = |offset| {
            let LineColumn { line, column } = lines.line_column(offset);
            (line, column)
        };
        assert_eq!([lc(0), lc(1), lc(2)], [(1, 1), (1, 2), (1, 3)]);
        assert_eq!([lc(3), lc(6)], [(2, 1), (3, 1)]);
        assert_eq!(lc(8), (3, 3)); // the CR of CRLF ends line 3
        assert_eq!(lc(10), (4, 1)); // after CRLF: one line, not two
        assert_eq!([lc(13), lc(14)], [(5, 1), (6, 1)]); // LF then CR: two lines
        assert_eq!(lc(99), (6, 3));
    }

    #[test]
    fn columns_count_characters() {
        let input = "é😀x\n\u{FEFF}y".as_bytes();
        let lines = LineIndex::new(input);
        let x = input.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(lines.line_column(x), LineColumn { line: 1, column: 3 });
        let y = input.len() - 1;
        assert_eq!(lines.line_column(y).to_string(), "2:2");
        // An invalid byte counts as one character.
        assert_eq!(LineIndex::new(b"\xFF\xFEz").line_column(2).column, 3);
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end() {
        let text = "a😀b";
        let mut offsets = Utf16Offsets::new(text);
        assert_eq!(offsets.utf16(3), 1); // inside the emoji: its start
        assert_eq!(offsets.utf16(100), 4); // past the end: the end
    }
}
