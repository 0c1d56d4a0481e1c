//! The walker: every value of a message at its deepest level, in order, in one pass.
//!
//! [`Message::walk`] yields each subcomponent of each segment — the leaves of the hierarchy
//! segment → field → repetition → component → subcomponent — with the segment it is in (its id,
//! index and occurrence), its numbers at every level, and its [depth](Depth): the deepest
//! level at which it has siblings, which is how a path names it (`PID-5.1` for `DOE` in
//! `DOE^JOHN`, `PID-5` for `DOE` alone). Header fields MSH-1 and MSH-2 (FHS, BHS too) are one
//! value each, never split.
//!
//! It gives what the nested iterators give ([`Segment::fields`], [`Field::repetitions`]…),
//! leaf for leaf, but looks at each byte once: whole words of eight bytes are tested for any
//! delimiter at once, and only the delimiters found are looked at. A full walk of a file is
//! the cost of finding its delimiters.
//!
//! ```
//! use pipehat::Message;
//!
//! let message = Message::parse(b"MSH|^~\\&|LAB\rPID|1||7^^^H^MR~8^^^H^PI&X||DOE^JOHN\r")?;
//! let paths: Vec<String> = message
//!     .walk()
//!     .filter(|value| value.segment_id() == b"PID" && !value.is_empty())
//!     .map(|value| format!("{}={}", value.path().unwrap(), value.text()))
//!     .collect();
//! assert_eq!(
//!     paths,
//!     ["PID-1=1", "PID-3.1=7", "PID-3.4=H", "PID-3.5=MR", "PID-3[2].1=8",
//!      "PID-3[2].4=H", "PID-3[2].5.1=PI", "PID-3[2].5.2=X", "PID-5.1=DOE", "PID-5.2=JOHN"]
//! );
//! # Ok::<(), pipehat::Error>(())
//! ```
//!
//! [`Segment::fields`]: crate::Segment::fields
//! [`Field::repetitions`]: crate::Field::repetitions

use std::borrow::Cow;
use std::collections::HashMap;

use crate::elements::{Segment, Subcomponent, is_header_id};
use crate::{Delimiters, Message, Path, Span};

/// How deep a value's path goes: the deepest level at which it has siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Depth {
    /// The whole field is this one value (`PID-1`).
    Field,
    /// The field repeats; this repetition has no components (`PID-3[2]`).
    Repetition,
    /// The repetition has components; this one has no subcomponents (`PID-5.1`).
    Component,
    /// The component has subcomponents (`PID-3[2].5.2`).
    Subcomponent,
}

/// One value of a walk: a subcomponent and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value<'a> {
    element: Subcomponent<'a>,
    segment_id: &'a [u8],
    segment: usize,
    occurrence: usize,
    numbers: [u32; 4],
    depth: Depth,
}

impl<'a> Value<'a> {
    /// The value's bytes as they are in the input (escape sequences not decoded).
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.element.as_bytes()
    }

    /// Where the value is in the input.
    #[must_use]
    pub fn span(&self) -> Span {
        self.element.span()
    }

    /// Whether the value is empty (`||`, `^^`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.element.is_empty()
    }

    /// Whether the value is the explicit HL7 null `""`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.element.is_null()
    }

    /// The value with escapes decoded, as [`Subcomponent::decoded`] gives it.
    #[must_use]
    pub fn decoded(&self) -> Cow<'a, [u8]> {
        self.element.decoded()
    }

    /// The value as text, as [`Subcomponent::text`] gives it (escapes decoded, then read in
    /// the message's character set).
    #[must_use]
    pub fn text(&self) -> Cow<'a, str> {
        self.element.text()
    }

    /// The value as an element, for everything else elements do.
    #[must_use]
    pub fn element(&self) -> Subcomponent<'a> {
        self.element
    }

    /// The id of the segment it is in (`PID`).
    #[must_use]
    pub fn segment_id(&self) -> &'a [u8] {
        self.segment_id
    }

    /// Which segment of the message it is in, from 0 (MSH is 0).
    #[must_use]
    pub fn segment_index(&self) -> usize {
        self.segment
    }

    /// Which segment with that id, from 1 (the 2 of `OBX[2]`).
    #[must_use]
    pub fn occurrence(&self) -> usize {
        self.occurrence
    }

    /// The field number, from 1.
    #[must_use]
    pub fn field(&self) -> usize {
        self.numbers[0] as usize
    }

    /// The repetition, from 1.
    #[must_use]
    pub fn repetition(&self) -> usize {
        self.numbers[1] as usize
    }

    /// The component, from 1.
    #[must_use]
    pub fn component(&self) -> usize {
        self.numbers[2] as usize
    }

    /// The subcomponent, from 1.
    #[must_use]
    pub fn subcomponent(&self) -> usize {
        self.numbers[3] as usize
    }

    /// How deep its path goes.
    #[must_use]
    pub fn depth(&self) -> Depth {
        self.depth
    }

    /// Its path, as deep as [`Value::depth`]: `PID-5.1`, `PID-3[2]`, `OBX[2]-5`. `None` for a
    /// segment whose id a path cannot name (not three letters or digits).
    #[must_use]
    pub fn path(&self) -> Option<Path> {
        let [field, repetition, component, subcomponent] = self.numbers.map(|n| n as usize);
        let levels: &[usize] = match self.depth {
            Depth::Field => &[field],
            Depth::Repetition => &[field, repetition],
            Depth::Component => &[field, repetition, component],
            Depth::Subcomponent => &[field, repetition, component, subcomponent],
        };
        Path::new(self.segment_id, self.occurrence, levels).ok()
    }
}

/// Where a value found in a segment ends, what ends it, and how deep its path goes: eight
/// bytes, as one is written and read for every value (segments are under 4 GB: the message
/// keeps their spans as `u32`s). Where it starts and its numbers follow from the one before.
#[derive(Debug, Clone, Copy)]
struct Found {
    to: u32,
    /// The role of the delimiter after it (`END` at the end of the segment).
    ends: u8,
    /// Whether the next value starts after a delimiter (not so after MSH-1, which is one).
    skip: bool,
    depth: Depth,
}

/// Counts segments by id: a list while there are few ids (a message has a dozen), a map once
/// there are many (thousands of distinct Z-segment ids must not cost a scan each). Ids of up to
/// seven bytes — all real ones — are compared as one number.
#[derive(Debug, Clone, Default)]
struct Occurrences<'a> {
    few: Vec<(u64, usize)>,
    many: HashMap<&'a [u8], usize>,
}

impl<'a> Occurrences<'a> {
    /// The most ids kept in the list.
    const FEW: usize = 32;

    /// Counts one more segment with `id`; how many there have been.
    fn count(&mut self, id: &'a [u8]) -> usize {
        if id.len() < 8 {
            // The length in the top byte keeps `AB` and `AB\0` apart.
            let mut bytes = [0; 8];
            bytes[..id.len()].copy_from_slice(id);
            bytes[7] = id.len() as u8;
            let key = u64::from_le_bytes(bytes);
            if let Some((_, count)) = self.few.iter_mut().find(|(seen, _)| *seen == key) {
                *count += 1;
                return *count;
            }
            if self.few.len() < Self::FEW {
                self.few.push((key, 1));
                return 1;
            }
        }
        let count = self.many.entry(id).or_insert(0);
        *count += 1;
        *count
    }
}

/// Each byte's role in splitting values (0: none).
const FIELD: u8 = 1;
const REPETITION: u8 = 2;
const COMPONENT: u8 = 3;
const SUBCOMPONENT: u8 = 4;
/// What ends the last value of a segment.
const END: u8 = 0;

/// The walk of a message, created by [`Message::walk`]: every value at its deepest level, in
/// order.
#[derive(Debug, Clone)]
pub struct Walk<'m, 'a> {
    message: &'m Message<'a>,
    /// The next segment to read.
    next_segment: usize,
    /// The segment whose values are in `found`, and its id.
    segment: Option<Segment<'a>>,
    segment_id: &'a [u8],
    occurrence: usize,
    found: Vec<Found>,
    /// The next of `found` to yield, where it starts, and its numbers.
    at: usize,
    from: u32,
    numbers: [u32; 4],
    /// How many segments of each id so far.
    occurrences: Occurrences<'a>,
    /// Each byte's role: 0, or one of FIELD… SUBCOMPONENT.
    roles: [u8; 256],
    /// Each present delimiter repeated over a word (the field separator standing in for an
    /// absent one), to find delimiters eight bytes at a time.
    splats: [u64; 4],
}

impl<'m, 'a> Walk<'m, 'a> {
    pub(crate) fn new(message: &'m Message<'a>) -> Self {
        let delimiters: Delimiters = message.delimiters();
        let field = delimiters.field();
        let mut roles = [0; 256];
        let others = [
            (delimiters.repetition(), REPETITION),
            (delimiters.component(), COMPONENT),
            (delimiters.subcomponent(), SUBCOMPONENT),
        ];
        for (byte, role) in others {
            if let Some(byte) = byte {
                roles[usize::from(byte)] = role;
            }
        }
        roles[usize::from(field)] = FIELD;
        let splats = [
            Some(field),
            delimiters.repetition(),
            delimiters.component(),
            delimiters.subcomponent(),
        ]
        .map(|byte| u64::from_ne_bytes([byte.unwrap_or(field); 8]));
        Walk {
            message,
            next_segment: 0,
            segment: None,
            segment_id: &[],
            occurrence: 0,
            found: Vec::new(),
            at: 0,
            from: 0,
            numbers: [1; 4],
            occurrences: Occurrences::default(),
            roles,
            splats,
        }
    }

    /// Reads the next segment's values into `found`; `false` when there are none left.
    fn read_segment(&mut self) -> bool {
        let Some(segment) = self.message.segment_at(self.next_segment) else {
            return false;
        };
        self.next_segment += 1;
        self.segment_id = segment.id();
        self.occurrence = self.occurrences.count(self.segment_id);
        self.segment = Some(segment);
        self.found.clear();
        self.at = 0;
        let bytes = segment.as_bytes();
        let field = self.message.delimiters().field();
        if is_header_id(self.segment_id) && bytes.len() > 3 {
            // MSH-1 is the field separator, MSH-2 the encoding characters: one value each.
            let encoding_end = memchr::memchr(field, &bytes[4..]).map_or(bytes.len(), |at| at + 4);
            let literal = |to: usize, ends, skip| Found {
                to: to as u32,
                ends,
                skip,
                depth: Depth::Field,
            };
            // MSH-1 ends where MSH-2 starts: no delimiter between them.
            self.found.push(literal(4, FIELD, false));
            self.from = 3;
            self.numbers = [1; 4];
            if encoding_end < bytes.len() {
                self.found.push(literal(encoding_end, FIELD, true));
                self.split(bytes, encoding_end + 1);
            } else {
                self.found.push(literal(bytes.len(), END, true));
            }
        } else if let Some(id_end) = memchr::memchr(field, bytes) {
            self.from = id_end as u32 + 1;
            self.numbers = [1; 4];
            self.split(bytes, id_end + 1);
        }
        true
    }

    /// Finds the values of `bytes[from..]`, which starts a field.
    fn split(&mut self, bytes: &[u8], from: usize) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let start = self.found.len();
        let mut groups = Groups {
            found: &mut self.found,
            field: start,
            repetition: start,
            component: start,
            repeats: false,
            has_components: false,
            has_subcomponents: false,
        };
        let roles = &self.roles;
        let rest = &bytes[from..];
        let mut chunks = rest.chunks_exact(8);
        let mut base = from;
        for chunk in &mut chunks {
            let chunk: &[u8; 8] = chunk.try_into().expect("8 bytes");
            let word = u64::from_le_bytes(*chunk);
            let mut hits = 0;
            for splat in self.splats {
                let x = word ^ splat;
                hits |= x.wrapping_sub(ONES) & !x & HIGHS;
            }
            while hits != 0 {
                // The borrow test may also flag the byte above a found one; its role is 0
                // unless it is a delimiter too.
                let i = (hits.trailing_zeros() / 8) as usize;
                let role = roles[usize::from(chunk[i & 7])];
                if role != 0 {
                    groups.delimiter(base + i, role);
                }
                hits &= hits - 1;
            }
            base += 8;
        }
        for (i, &byte) in chunks.remainder().iter().enumerate() {
            let role = roles[usize::from(byte)];
            if role != 0 {
                groups.delimiter(base + i, role);
            }
        }
        groups.delimiter(bytes.len(), END);
    }
}

/// The groups (field, repetition, component) the values being found are in: where each starts
/// in `found`, and whether it has parts, which decides how deep its values' paths go.
struct Groups<'f> {
    found: &'f mut Vec<Found>,
    field: usize,
    repetition: usize,
    component: usize,
    repeats: bool,
    has_components: bool,
    has_subcomponents: bool,
}

impl Groups<'_> {
    /// A delimiter with `role` at `at` (or the end of the segment): the value before it ends,
    /// and so do the groups it ends.
    #[inline]
    fn delimiter(&mut self, at: usize, ends: u8) {
        self.found.push(Found {
            to: at as u32,
            ends,
            skip: true,
            depth: Depth::Field,
        });
        if ends == SUBCOMPONENT {
            self.has_subcomponents = true;
            return;
        }
        let next = self.found.len();
        if core::mem::take(&mut self.has_subcomponents) {
            deepen(&mut self.found[self.component..], Depth::Subcomponent);
        }
        self.component = next;
        if ends == COMPONENT {
            self.has_components = true;
            return;
        }
        if core::mem::take(&mut self.has_components) {
            deepen(&mut self.found[self.repetition..], Depth::Component);
        }
        self.repetition = next;
        if ends == REPETITION {
            self.repeats = true;
            return;
        }
        if core::mem::take(&mut self.repeats) {
            deepen(&mut self.found[self.field..], Depth::Repetition);
        }
        self.field = next;
    }
}

/// Names `found` at least as deep as `depth`.
fn deepen(found: &mut [Found], depth: Depth) {
    for found in found {
        found.depth = found.depth.max(depth);
    }
}

impl<'a> Iterator for Walk<'_, 'a> {
    type Item = Value<'a>;

    #[inline]
    fn next(&mut self) -> Option<Value<'a>> {
        while self.at == self.found.len() {
            if !self.read_segment() {
                return None;
            }
        }
        let found = self.found[self.at];
        self.at += 1;
        let segment = self.segment?;
        let value = Value {
            element: segment.subcomponent_at(self.from as usize, found.to as usize),
            segment_id: self.segment_id,
            segment: self.next_segment - 1,
            occurrence: self.occurrence,
            numbers: self.numbers,
            depth: found.depth,
        };
        self.from = found.to + u32::from(found.skip);
        let [field, repetition, component, subcomponent] = &mut self.numbers;
        match found.ends {
            FIELD => (*field, *repetition, *component, *subcomponent) = (*field + 1, 1, 1, 1),
            REPETITION => (*repetition, *component, *subcomponent) = (*repetition + 1, 1, 1),
            COMPONENT => (*component, *subcomponent) = (*component + 1, 1),
            _ => *subcomponent += 1,
        }
        Some(value)
    }
}

impl core::iter::FusedIterator for Walk<'_, '_> {}

impl<'a> Message<'a> {
    /// Every value of the message at its deepest level, in order, with where it is: see
    /// [`crate::walk`].
    #[must_use]
    pub fn walk(&self) -> Walk<'_, 'a> {
        Walk::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the walk must give, from the nested iterators: every subcomponent, its numbers,
    /// and its depth from how many parts each level has.
    fn nested(message: &Message<'_>) -> Vec<(Span, [usize; 4], Depth, String)> {
        let mut out = Vec::new();
        let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
        for segment in message.segments() {
            let occurrence = seen.entry(segment.id().to_vec()).or_insert(0);
            *occurrence += 1;
            for (f, field) in segment.fields().enumerate() {
                let repetitions: Vec<_> = field.repetitions().collect();
                for (r, repetition) in repetitions.iter().enumerate() {
                    let components: Vec<_> = repetition.components().collect();
                    for (c, component) in components.iter().enumerate() {
                        let subcomponents: Vec<_> = component.subcomponents().collect();
                        for (s, subcomponent) in subcomponents.iter().enumerate() {
                            let depth = if subcomponents.len() > 1 {
                                Depth::Subcomponent
                            } else if components.len() > 1 {
                                Depth::Component
                            } else if repetitions.len() > 1 {
                                Depth::Repetition
                            } else {
                                Depth::Field
                            };
                            let numbers = [f + 1, r + 1, c + 1, s + 1];
                            let path = Path::new(segment.id(), *occurrence, &numbers)
                                .map(|p| p.to_string())
                                .unwrap_or_default();
                            out.push((subcomponent.span(), numbers, depth, path));
                        }
                    }
                }
            }
        }
        out
    }

    fn walked(message: &Message<'_>) -> Vec<(Span, [usize; 4], Depth, String)> {
        message
            .walk()
            .map(|v| {
                let numbers = [v.field(), v.repetition(), v.component(), v.subcomponent()];
                let full = Path::new(v.segment_id(), v.occurrence(), &numbers)
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                (v.span(), numbers, v.depth(), full)
            })
            .collect()
    }

    fn same_as_nested(input: &[u8]) {
        let Ok(message) = Message::parse(input) else {
            return;
        };
        assert_eq!(
            walked(&message),
            nested(&message),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn gives_what_the_nested_iterators_give() {
        for input in [
            &b"MSH|^~\\&|A\rPID|1||7^^^H^MR~8^^^H^PI&X||DOE^JOHN\r"[..],
            b"MSH|^~\\&\r",
            b"MSH|\r",
            b"MSH||A|B^C\r",
            b"MSH|^~\\&|\rZZZ\rZZZ|\rPID||~~^&|&&&^~\r",
            b"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5.1\rPV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0|\r",
            b"MSH|^~\\&|A\rOBX|1|ED|X||^AP^^Base64^AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r",
            b"MSH#$%*@#A#B\rPID#1##7$$$H~8*1@x\r",
            b"MSH|^\rPID|1|a^b~c&d|e\r",
            b"MSH|^~\\&|A\rP\xc3\xbcD|1^2\rPID|\xe4\xf6\xfc^1234567890abcdef^x\r",
        ] {
            same_as_nested(input);
        }
    }

    #[test]
    fn paths_are_as_deep_as_the_value_has_siblings() {
        let message = Message::parse(b"MSH|^~\\&|A\rOBX|1\rOBX|2|CE|a~b|c^d&e\r").unwrap();
        let paths: Vec<String> = message
            .walk()
            .skip(3)
            .map(|v| v.path().unwrap().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "OBX-1",
                "OBX[2]-1",
                "OBX[2]-2",
                "OBX[2]-3[1]",
                "OBX[2]-3[2]",
                "OBX[2]-4.1",
                "OBX[2]-4.2.1",
                "OBX[2]-4.2.2"
            ]
        );
        let odd = Message::parse(b"MSH|^~\\&|A\rZ-1|x\r").unwrap();
        assert_eq!(odd.walk().last().map(|v| v.path()), Some(None));
    }

    #[test]
    fn every_corpus_message_walks_as_the_nested_iterators_go() {
        let Some(dir) = testkit::corpus_dir() else {
            return;
        };
        let mut values = 0;
        for path in testkit::message_files(&dir) {
            let input = std::fs::read(&path).expect("a readable corpus file");
            for message in crate::File::parse(&input).messages() {
                let walked = walked(message);
                assert_eq!(walked, nested(message), "{}", path.display());
                values += walked.len();
            }
        }
        assert!(values > 100_000, "only {values} values walked");
    }

    proptest::proptest! {
        #[test]
        fn any_message_walks_as_the_nested_iterators_go(
            body in proptest::collection::vec(
                proptest::sample::select(b"|^~\\&AB1\r\n#".to_vec()), 0..120)
        ) {
            let mut input = b"MSH|^~\\&|".to_vec();
            input.extend_from_slice(&body);
            same_as_nested(&input);
        }
    }
}
