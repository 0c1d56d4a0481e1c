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
/// characters before the offset on its line. For many offsets in increasing order (the spans of
/// diagnostics, findings, a document's tokens), a [`cursor`](Self::cursor) counts each byte
/// about once instead: thousands of offsets on one long line would each count the line again.
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
        let column = characters(&self.input[self.starts[line - 1]..offset]) + 1;
        LineColumn { line, column }
    }

    /// A cursor over this index, for offsets looked up in increasing order.
    #[must_use]
    pub fn cursor(&self) -> LineCursor<'_, 'a> {
        LineCursor {
            lines: self,
            offset: 0,
            at: LineColumn { line: 1, column: 1 },
        }
    }
}

/// The characters of `bytes`: every byte that does not continue a UTF-8 sequence (so an invalid
/// lead byte counts as one character).
fn characters(bytes: &[u8]) -> usize {
    #[cfg(test)]
    tests::count_bytes(bytes.len());
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Looks up offsets one after another in a [`LineIndex`], each continuing from the one before.
///
/// Gives exactly what [`LineIndex::line_column`] gives, for offsets in any order. An offset
/// at or after the previous one on the same line counts only the characters between the two;
/// one on a later line is found by a binary search over the lines after the previous one and
/// counts from its line's start. So offsets in increasing order cost one pass over the input in
/// all, however many share a line; an offset before the previous one is looked up as
/// [`LineIndex::line_column`] does (from its line's start), and the cursor continues from there.
///
/// ```
/// use pipehat::position::{LineColumn, LineIndex};
///
/// let input = "PID|1||Zoë|a|b|c\rPV1|1".as_bytes();
/// let lines = LineIndex::new(input);
/// let mut cursor = lines.cursor();
/// let columns: Vec<usize> = [b'a', b'b', b'c']
///     .map(|x| input.iter().position(|&b| b == x).unwrap())
///     .into_iter()
///     .map(|offset| cursor.line_column(offset).column)
///     .collect();
/// assert_eq!(columns, [12, 14, 16]); // ë is one character of two bytes
/// assert_eq!(cursor.line_column(input.len()), LineColumn { line: 2, column: 6 });
/// assert_eq!(cursor.line_column(0), lines.line_column(0)); // going back works too
/// ```
#[derive(Debug, Clone)]
pub struct LineCursor<'l, 'a> {
    lines: &'l LineIndex<'a>,
    /// The last offset looked up (0 before the first), and where it is.
    offset: usize,
    at: LineColumn,
}

impl LineCursor<'_, '_> {
    /// The line and column of byte `offset` (past the end counts as the end): what
    /// [`LineIndex::line_column`] gives, found from the previous offset when it can be.
    pub fn line_column(&mut self, offset: usize) -> LineColumn {
        let LineIndex { input, starts } = self.lines;
        let offset = offset.min(input.len());
        let at = if offset < self.offset {
            self.lines.line_column(offset)
        } else {
            // `starts[line]` is where the line after the previous offset's begins (lines count
            // from 1, `starts` from 0).
            let line = self.at.line;
            match starts.get(line) {
                Some(&next) if next <= offset => {
                    let line = line + starts[line..].partition_point(|&start| start <= offset);
                    let column = characters(&input[starts[line - 1]..offset]) + 1;
                    LineColumn { line, column }
                }
                _ => LineColumn {
                    line,
                    column: self.at.column + characters(&input[self.offset..offset]),
                },
            }
        };
        self.offset = offset;
        self.at = at;
        at
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

    thread_local! {
        static COUNTED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    }

    /// Called by [`characters`]: how many bytes this thread's lookups have counted.
    pub(super) fn count_bytes(n: usize) {
        COUNTED.with(|counted| counted.set(counted.get() + n));
    }

    /// The bytes counted since the last call.
    fn counted() -> usize {
        COUNTED.with(|counted| counted.replace(0))
    }

    /// Line:column the simple way: every line end before `offset`, then every character
    /// after the last of them.
    fn simple(input: &[u8], offset: usize) -> LineColumn {
        let offset = offset.min(input.len());
        let (mut line, mut start, mut at) = (1, 0, 0);
        while at < offset {
            let end = match input[at] {
                b'\r' if input.get(at + 1) == Some(&b'\n') => at + 2,
                b'\r' | b'\n' => at + 1,
                _ => {
                    at += 1;
                    continue;
                }
            };
            // The LF of a CRLF still belongs to the CR's line.
            if end <= offset {
                line += 1;
                start = end;
            }
            at = end;
        }
        let column = 1 + input[start..offset]
            .iter()
            .filter(|&&b| !(0x80..0xC0).contains(&b))
            .count();
        LineColumn { line, column }
    }

    proptest::proptest! {
        /// The index and a cursor give the simple count, for offsets in any order (mostly
        /// increasing, as spans come), on lines ended by CR, LF and CRLF, with characters of
        /// several bytes, invalid bytes, and offsets past the end.
        #[test]
        fn index_and_cursor_give_the_simple_count(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                &b"a"[..], b"|", b"\r", b"\n", b"\r\n", "é".as_bytes(), "😀".as_bytes(),
                b"\xff", b"\x80",
            ]), 0..60),
            mut offsets in proptest::collection::vec(0usize..250, 0..40),
            sorted in proptest::bool::weighted(0.7),
        ) {
            let input = pieces.concat();
            for offset in &mut offsets {
                *offset %= input.len() + 3;
            }
            if sorted {
                offsets.sort_unstable();
            }
            let lines = LineIndex::new(&input);
            let mut cursor = lines.cursor();
            for offset in offsets {
                let expected = simple(&input, offset);
                proptest::prop_assert_eq!(lines.line_column(offset), expected, "offset {}", offset);
                proptest::prop_assert_eq!(cursor.line_column(offset), expected, "offset {}", offset);
            }
        }
    }

    /// Offsets in increasing order cost one count of the input however they crowd on a line;
    /// `line_column` alone counts each one's line from its start.
    #[test]
    fn a_cursor_counts_each_byte_once() {
        for input in [
            "PID|1||".to_owned() + &"a^".repeat(4_000),
            "PID|1||x".to_owned() + &"|vé".repeat(2_000) + "\r\nPV1|1\n",
            "a\r".repeat(4_000),
        ] {
            let input = input.as_bytes();
            let lines = LineIndex::new(input);
            let offsets = (0..=input.len()).step_by(2);
            counted();
            let mut cursor = lines.cursor();
            for offset in offsets.clone() {
                let _ = cursor.line_column(offset);
            }
            assert!(counted() <= input.len(), "{} bytes", input.len());
            let longest = input
                .split(|&b| b == b'\r' || b == b'\n')
                .map(<[u8]>::len)
                .max();
            if longest > Some(1_000) {
                for offset in offsets {
                    let _ = lines.line_column(offset);
                }
                assert!(
                    counted() > 100 * input.len(),
                    "the index alone is quadratic"
                );
            }
        }
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end() {
        let text = "a😀b";
        let mut offsets = Utf16Offsets::new(text);
        assert_eq!(offsets.utf16(3), 1); // inside the emoji: its start
        assert_eq!(offsets.utf16(100), 4); // past the end: the end
    }
}
