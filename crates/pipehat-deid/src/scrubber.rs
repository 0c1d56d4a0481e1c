//! Scrubbing free text ([`Scrubber`]): known identifier values, learned from the input and
//! found whole-word in any letter case through a trie, are replaced by their replacements;
//! emails, URLs, dates and long numbers are found by their shape and replaced by placeholders.

use crate::fast_map::FastMap;
use crate::trie::Trie;

/// Known identifier values to remove from free text, each with its replacement, in a trie of
/// their lower-case bytes: scrubbing walks it from each word start as far as the text agrees
/// with some value, so the work is the length of the text times how far it agrees (a few
/// bytes), however many values are known and however long a word or a token is.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scrubber {
    /// Whole value in lower case → its replacement's index in `replacements`.
    known: FastMap<Vec<u8>, u32>,
    /// The replacements, in the order the values were learned.
    replacements: Vec<Vec<u8>>,
    /// Every value of `known`, made before scrubbing when `known` has changed.
    trie: Trie,
    /// How many values `trie` holds (it is made again when `known` has more).
    in_trie: usize,
}

impl Scrubber {
    /// Remember `value` (decoded) as an identifier, replaced in free text by `replacement`
    /// (the first replacement learned for a value stands).
    pub fn learn(&mut self, value: &[u8], replacement: Vec<u8>, min_len: usize) {
        let value = value.trim_ascii();
        if value.len() < min_len || !value.iter().any(u8::is_ascii_alphanumeric) {
            return;
        }
        crate::work::add(1);
        let next = u32::try_from(self.replacements.len()).unwrap_or(u32::MAX);
        if let std::collections::hash_map::Entry::Vacant(entry) =
            self.known.entry(value.to_ascii_lowercase())
        {
            entry.insert(next);
            self.replacements.push(replacement);
        }
    }

    /// `text` without any known identifier (matched whole-word, any letter case) and without
    /// anything shaped like an email, a URL, a date or a long number.
    pub fn scrub(&mut self, text: &[u8]) -> Vec<u8> {
        if self.in_trie != self.known.len() {
            self.trie = Trie::new(&self.known);
            self.in_trie = self.known.len();
        }
        // A match must end where a word ends (or where the value itself ends in punctuation).
        let boundary = |j: usize| j == text.len() || !is_word(text[j]) || !is_word(text[j - 1]);
        let mut patterns = Patterns::new(text);
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            crate::work::add(1);
            let at_word_start = i == 0 || !is_word(text[i - 1]);
            if at_word_start {
                if let Some((end, replacement)) = self.known_at(text, i, boundary) {
                    out.extend_from_slice(&self.replacements[replacement as usize]);
                    i = end;
                    continue;
                }
                if let Some((end, placeholder)) = patterns.at(i) {
                    out.extend_from_slice(placeholder);
                    i = end;
                    continue;
                }
            }
            out.push(text[i]);
            i += 1;
        }
        out
    }

    /// The longest known value at `i` of `text` (in any letter case) that ends at a boundary:
    /// where it ends, and its replacement's index.
    fn known_at(
        &self,
        text: &[u8],
        i: usize,
        boundary: impl Fn(usize) -> bool,
    ) -> Option<(usize, u32)> {
        let mut node = Trie::ROOT;
        let mut best = None;
        for (k, byte) in text[i..].iter().enumerate() {
            crate::work::add(1);
            let Some(child) = self.trie.child(node, byte.to_ascii_lowercase()) else {
                break;
            };
            node = child;
            let end = i + k + 1;
            if let Some(value) = self.trie.value(node)
                && boundary(end)
            {
                best = Some((end, value));
            }
        }
        best
    }
}

fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte >= 0x80
}

/// Finds emails, URLs, dates and long numbers at the word starts of one text, asked in
/// increasing order. What a look-up learns about the text ahead — where its token ends, the
/// next `@`, a run of digits — is kept for the next word start, so a long token with many word
/// starts (`a,b,c,…`, `1-2-3-…`) is read once, not once per word start.
struct Patterns<'t> {
    text: &'t [u8],
    /// The whitespace-delimited token holding the last start asked about.
    token: Option<Token>,
    /// The first `@` at or after `from` (`None`: there is none).
    next_at: Option<(usize, Option<usize>)>,
    /// The run of digits and separators read from `start`.
    run: Option<Run>,
    /// Digits and date separators counted from the run's start, one entry per byte.
    digits: Vec<u32>,
    separators: Vec<u32>,
}

/// A token: where it ends, where its trailing punctuation starts (not before the start it was
/// read from), and its last `.` before that.
#[derive(Clone, Copy)]
struct Token {
    end: usize,
    punctuation: usize,
    last_dot: Option<usize>,
}

/// A run of digits and separators, as read from `start`: where reading stopped, and where its
/// last digit ends.
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    stop: usize,
    end: usize,
}

impl<'t> Patterns<'t> {
    fn new(text: &'t [u8]) -> Self {
        Patterns {
            text,
            token: None,
            next_at: None,
            run: None,
            digits: Vec::new(),
            separators: Vec::new(),
        }
    }

    /// The token holding `start`, read if the last one does not.
    fn token(&mut self, start: usize) -> Token {
        if let Some(token) = self.token
            && start <= token.end
        {
            return token;
        }
        let text = self.text;
        let end = text[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(text.len(), |n| start + n);
        let trailing = text[start..end]
            .iter()
            .rev()
            .take_while(|b| {
                matches!(
                    b,
                    b'.' | b',' | b';' | b':' | b')' | b'!' | b'?' | b'"' | b'\''
                )
            })
            .count();
        let punctuation = end - trailing;
        crate::work::add(end - start + 1);
        let token = Token {
            end,
            punctuation,
            last_dot: memchr::memrchr(b'.', &text[start..punctuation]).map(|at| start + at),
        };
        self.token = Some(token);
        token
    }

    /// The first `@` at or after `start`.
    fn next_at(&mut self, start: usize) -> Option<usize> {
        if let Some((from, found)) = self.next_at
            && from <= start
            && found.is_none_or(|at| at >= start)
        {
            return found;
        }
        let found = memchr::memchr(b'@', &self.text[start..]).map(|at| start + at);
        crate::work::add(found.map_or(self.text.len(), |at| at + 1) - start);
        self.next_at = Some((start, found));
        found
    }

    /// The run of digits and separators from `start` (a digit, or `(` before one): where
    /// its last digit ends, how many digits it has and how many date separators (`-`, `/`,
    /// `.`). Read once for every start inside it: reading from any of them visits the same
    /// bytes to the same stop.
    fn run(&mut self, start: usize) -> (usize, usize, usize) {
        let run = match self.run {
            Some(run) if run.start <= start && start < run.stop => run,
            _ => {
                let text = self.text;
                self.digits.clear();
                self.separators.clear();
                let (mut digits, mut separators) = (0, 0);
                let mut end = start;
                let mut j = start;
                while j < text.len() {
                    crate::work::add(1);
                    self.digits.push(digits);
                    self.separators.push(separators);
                    let byte = text[j];
                    if byte.is_ascii_digit() {
                        digits += 1;
                        j += 1;
                        end = j;
                    } else if matches!(byte, b'-' | b'.' | b'/' | b'(' | b')' | b' ')
                        && text.get(j + 1).is_some_and(|next| {
                            next.is_ascii_digit() || (byte == b')' && *next == b' ')
                        })
                    {
                        if matches!(byte, b'-' | b'/' | b'.') {
                            separators += 1;
                        }
                        j += 1;
                    } else {
                        break;
                    }
                }
                self.digits.push(digits);
                self.separators.push(separators);
                let run = Run {
                    start,
                    stop: j,
                    end,
                };
                self.run = Some(run);
                run
            }
        };
        let at = |counts: &[u32], position: usize| counts[position - run.start] as usize;
        (
            run.end,
            at(&self.digits, run.end) - at(&self.digits, start),
            at(&self.separators, run.stop) - at(&self.separators, start),
        )
    }

    /// An email, URL, date or long number starting at `start` (a word start, after every
    /// start asked before): where it ends and what replaces it.
    fn at(&mut self, start: usize) -> Option<(usize, &'static [u8])> {
        let text = self.text;
        let token = self.token(start);
        // The token from here, without trailing punctuation.
        let word_end = token.punctuation.max(start);
        if let Some(at) = self.next_at(start)
            && at > start
            && at < word_end
            && token.last_dot.is_some_and(|dot| dot > at && dot < word_end)
        {
            return Some((word_end, b"[EMAIL]"));
        }
        let word = &text[start..word_end];
        let starts = |prefix: &[u8]| {
            word.len() >= prefix.len() && word[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        if starts(b"http://") || starts(b"https://") || starts(b"www.") {
            return Some((word_end, b"[URL]"));
        }
        // A run of digits and separators: phone numbers, SSNs, dates, record numbers.
        let opens_number =
            text[start] == b'(' && text.get(start + 1).is_some_and(u8::is_ascii_digit);
        if !(text[start].is_ascii_digit() || opens_number) {
            return None;
        }
        let (end, digits, date_separators) = self.run(start);
        if end < text.len() && is_word(text[end]) {
            return None; // digits glued to letters: a code like 5HT3, not a number
        }
        if date_separators == 2 && (3..=8).contains(&digits) {
            Some((end, b"[DATE]"))
        } else if digits >= 5 {
            Some((end, b"[NUMBER]"))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_known_values_and_patterns() {
        let mut scrubber = Scrubber::default();
        scrubber.learn(b"Doe", b"Walsh".to_vec(), 2);
        scrubber.learn(b"MRN12345", b"XQT90210".to_vec(), 3);
        let text = b"Mrs DOE (MRN12345) called 555-123-4567 on 3/4/2021, mail jd@x.org; Doeville ok, 12.5 mg";
        let scrubbed = scrubber.scrub(text);
        assert_eq!(
            String::from_utf8(scrubbed).unwrap(),
            "Mrs Walsh (XQT90210) called [NUMBER] on [DATE], mail [EMAIL]; Doeville ok, 12.5 mg"
        );
    }
}
