//! Converting byte offsets into the positions people and editors use.
//!
//! Spans are byte offsets into the input. JavaScript strings, and the editors built on them,
//! count UTF-16 code units instead; [`Utf16Offsets`] converts between the two.

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
    fn offsets_inside_a_character_or_past_the_end() {
        let text = "a😀b";
        let mut offsets = Utf16Offsets::new(text);
        assert_eq!(offsets.utf16(3), 1); // inside the emoji: its start
        assert_eq!(offsets.utf16(100), 4); // past the end: the end
    }
}
