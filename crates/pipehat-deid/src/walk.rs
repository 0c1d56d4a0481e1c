//! The walk over one message, on the core's walker ([`Message::walk`]): every leaf
//! (subcomponent) in order with its segment, occurrence, numbers and depth, each planned
//! (`plan.rs`, one plan per field), read in the message's character set, given its method's
//! replacement and written back escaped — or, while identifiers are learned for scrubbing, only
//! remembered. Kept bytes (delimiters, terminators, kept values) are copied from the input in
//! runs, up to each replaced value. Also what a message's values share ([`Context`]: version,
//! date shift, reference year) and where a value is ([`Place`]).

use std::borrow::Cow;
use std::iter::Peekable;

use pipehat::walk::{Depth, Value};
use pipehat::{Delimiters, Message, Segment, escape};
use pipehat_dict::Version;

use crate::anonymizer::Anonymizer;
use crate::category::{AGE_CODES, AGE_UNITS, Category};
use crate::encoding::Encoding;
use crate::generalize::{REDACTED, redacted};
use crate::plan::{LeafPlan, SegmentPlans};
use crate::policy::Method;
use crate::receipt::{Change, ChangePath, Note};
use crate::state::State;
use crate::well_formed::well_formed;
use crate::work;

impl Anonymizer {
    pub(crate) fn message(
        &self,
        message: &Message<'_>,
        index: usize,
        text: bool,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        let encoding = Encoding::of(message, text);
        let context = Context {
            version: Version::of_message(message),
            shift: self
                .keyed
                .as_ref()
                .map_or(0, |keyed| keyed.shift_days(&patient_of(message, encoding))),
            reference_year: message
                .get(&"MSH-7.1".parse().expect("a fixed path"))
                .and_then(|e| pipehat::primitive::DateTime::parse(e.as_bytes()))
                .map(|date| date.year),
            message: Some(index),
            encoding,
        };
        self.leaves(
            Leaves::Walk(Box::new(message.walk())),
            Segments::Message(message),
            Input::new(message.as_bytes(), message.span().start),
            &context,
            sink,
            state,
        );
    }

    /// A segment outside any message (FHS, BHS, BTS, FTS), which the core's walker does not
    /// reach (it walks messages): its leaves from the core's nested iterators.
    pub(crate) fn lone_segment(
        &self,
        segment: &Segment<'_>,
        context: &Context,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        self.leaves(
            Leaves::Listed(leaves_of(segment).into_iter()),
            Segments::One(*segment),
            Input::new(segment.as_bytes(), segment.span().start),
            context,
            sink,
            state,
        );
    }

    /// Anonymizes `input` by its `leaves` (every value in it, in order); `segments` gives the
    /// segment with a leaf's segment index. (Enums, not generics: one copy of this code for
    /// messages and lone segments, which keeps the npm package's wasm in its budget.)
    fn leaves<'m, 'a>(
        &self,
        leaves: Leaves<'m, 'a>,
        mut segments: Segments<'m, 'a>,
        mut input: Input<'a>,
        context: &Context,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        let mut leaves = leaves.peekable();
        while let Some(first) = leaves.peek() {
            let segment = segments.at(first.segment);
            self.segment(&mut leaves, &segment, &mut input, context, sink, state);
        }
        if let Sink::Write { out, .. } = sink {
            input.copy_rest(out);
        }
    }

    /// The leaves of one segment: those at the front of `leaves` in `segment`.
    fn segment<'m, 'a>(
        &self,
        leaves: &mut Peekable<Leaves<'m, 'a>>,
        segment: &Segment<'a>,
        input: &mut Input<'a>,
        context: &Context,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        work::add(1);
        let Some(&Leaf {
            segment: index,
            id,
            occurrence,
            ..
        }) = leaves.peek()
        else {
            return;
        };
        // What this segment's fields are, from the dictionary and the policy: looked up once
        // per segment id and version, then taken out of the state while the fields are done.
        let slot = state.segment_plan(context.version, id);
        let mut plans = match slot {
            Some(index) => core::mem::take(&mut state.segment_plans[index]),
            None => SegmentPlans::new(context.version, id),
        };
        let value_type = (id == b"OBX")
            .then(|| {
                segment
                    .field(2)
                    .map(|f| f.text().trim().to_ascii_uppercase())
            })
            .flatten();
        // An observation whose value is a person's age (by its code or its unit of years).
        let age_observation = id == b"OBX"
            && [(3, AGE_CODES), (6, AGE_UNITS)]
                .iter()
                .any(|(field, known)| {
                    segment
                        .field(*field)
                        .and_then(|f| f.component(1))
                        .is_some_and(|c| {
                            let text = c.text();
                            let text = text.trim();
                            known.iter().any(|k| k.eq_ignore_ascii_case(text))
                        })
                });
        let delimiters = segment.delimiters();
        let header = segment.is_header();
        while let Some(first) = leaves.next_if(|leaf| leaf.segment == index) {
            let number = first.numbers[0];
            // The field's leaves: this one and those after it in the same field.
            let field = core::iter::once(first).chain(core::iter::from_fn(|| {
                leaves.next_if(|leaf| leaf.segment == index && leaf.numbers[0] == number)
            }));
            // MSH-1 and MSH-2 are the delimiters; an empty field has nothing to change.
            if (header && number <= 2) || (first.bytes.is_empty() && first.depth == Depth::Field) {
                field.for_each(drop);
                continue;
            }
            let plan = plans.field(
                &self.policy,
                context.version,
                id,
                number,
                value_type.as_deref(),
            );
            let place = Place {
                segment: id,
                occurrence,
                number,
                age: number == 5 && age_observation,
            };
            if plan.copy {
                field.for_each(drop);
                continue;
            }
            if plan.binary_removed {
                let end = field.last().map_or(first.end, |last| last.end);
                if let Sink::Write { out, changes } = sink {
                    input.copy_to(out, first.start);
                    input.skip_to(end);
                    changes.push(Change {
                        message: context.message,
                        path: place.path(&[number]),
                        category: Category::Binary,
                        method: Method::Remove,
                        original: self.keep_originals.then(|| {
                            segment
                                .field(number)
                                .map(|f| f.text().into_owned())
                                .unwrap_or_default()
                        }),
                        note: None,
                    });
                }
                continue;
            }
            // The component before the current one, in the same repetition (`start..end` of
            // the input, read from a copy of `input`, which the leaves write to), and where the
            // current one starts.
            let source = *input;
            let mut previous: Option<(usize, usize)> = None;
            let (mut component_start, mut last_end) = (first.start, first.start);
            for leaf in field {
                work::add(1);
                let [_, _, component, subcomponent] = leaf.numbers;
                if subcomponent == 1 {
                    previous = (component > 1).then_some((component_start, last_end));
                    component_start = leaf.start;
                }
                last_end = leaf.end;
                let slot = plan.leaf(
                    &self.policy,
                    context.version,
                    &place,
                    component,
                    subcomponent,
                );
                // The code before a display text: the component before this one.
                let code_beside = || {
                    previous.map(|(start, end)| {
                        context
                            .encoding
                            .read(escape::decode(source.bytes(start, end), delimiters))
                    })
                };
                self.leaf(
                    slot,
                    &place,
                    &leaf,
                    context,
                    delimiters,
                    input,
                    sink,
                    state,
                    code_beside,
                );
            }
        }
        if let Some(index) = slot {
            state.segment_plans[index] = plans;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn leaf<'v>(
        &self,
        slot: &mut LeafPlan,
        place: &Place<'_>,
        at: &Leaf<'_>,
        context: &Context,
        delimiters: Delimiters,
        input: &mut Input<'_>,
        sink: &mut Sink<'_>,
        state: &mut State,
        code_beside: impl FnOnce() -> Option<Cow<'v, [u8]>>,
    ) {
        // A value kept as it is needs nothing: the input is copied up to each replaced one.
        let raw = at.bytes;
        if raw.is_empty() || raw == b"\"\"" {
            return;
        }
        let (mut leaf, method) = (slot.leaf, slot.method);
        if place.age && leaf.category == Category::Number {
            leaf.category = Category::Age;
        }
        if method == Method::Keep {
            return;
        }
        // Learning collects identifiers for scrubbing: free text and payloads are not ones.
        if matches!(sink, Sink::Learn)
            && (matches!(leaf.category, Category::FreeText | Category::Binary)
                || method == Method::Scrub)
        {
            return;
        }
        let decoded = if delimiters.escape().is_some_and(|e| raw.contains(&e)) {
            escape::decode(raw, delimiters)
        } else {
            Cow::Borrowed(raw) // what decode gives, without its call
        };
        // As text for the methods (ISO 8859-1 read into UTF-8); written back in the message's
        // set below.
        let decoded = context.encoding.read(decoded);
        let text = decoded.trim_ascii();
        if text.is_empty() {
            return; // spaces say nothing about anyone
        }
        let code_beside = if leaf.category == Category::CodeText {
            code_beside()
        } else {
            None
        };
        let valid = match method {
            Method::Generalize | Method::Pseudonymize => {
                if leaf.category == Category::Code && leaf.table.is_some_and(|t| t != 125) {
                    // What well_formed does for a code, remembered for this position.
                    Some(slot.in_table(text, || state.in_table(leaf.table, text, context.version)))
                } else {
                    well_formed(&leaf, text, context.version, code_beside.as_deref(), state)
                }
            }
            _ => None,
        };
        let replaced: Option<Cow<'_, [u8]>> = match method {
            Method::Keep => None,
            Method::Remove => Some(Cow::Borrowed(b"")),
            Method::Redact => Some(Cow::Borrowed(redacted(&leaf, text))),
            Method::Generalize => self.generalize(&leaf, text, context, valid),
            Method::Pseudonymize => self.pseudonymize(&leaf, text, context, valid, state),
            Method::Scrub => Some(Cow::Owned(state.scrubber.scrub(&decoded))),
        };
        let Some(replaced) = replaced.filter(|new| **new != *decoded) else {
            return;
        };
        match sink {
            Sink::Learn => {
                let min_len = if matches!(leaf.category, Category::FamilyName | Category::GivenName)
                {
                    2
                } else {
                    3
                };
                // Whatever was replaced might identify someone (a code that is not in its
                // table is an identifier too); free text and payloads are not values to find.
                if !matches!(leaf.category, Category::FreeText | Category::Binary) {
                    let replacement = if replaced.is_empty() {
                        REDACTED.to_vec()
                    } else {
                        replaced.into_owned()
                    };
                    state.scrubber.learn(text, replacement, min_len);
                }
            }
            Sink::Write { out, changes } => {
                let (replaced, unencodable) = context.encoding.write(replaced);
                input.copy_to(out, at.start);
                if state.needs_escape(delimiters, &replaced) {
                    out.extend_from_slice(&escape::encode(&replaced, delimiters));
                } else {
                    out.extend_from_slice(&replaced);
                }
                input.skip_to(at.end);
                changes.push(Change {
                    message: context.message,
                    path: place.path(at.levels()),
                    category: leaf.category,
                    method,
                    original: self
                        .keep_originals
                        .then(|| String::from_utf8_lossy(&decoded).into_owned()),
                    note: unencodable.then_some(Note::Unencodable),
                });
            }
        }
    }
}

/// Where the output goes: nowhere while identifiers are learned for scrubbing, or into the
/// output and the receipt.
pub(crate) enum Sink<'s> {
    Learn,
    Write {
        out: &'s mut Vec<u8>,
        changes: &'s mut Vec<Change>,
    },
}

/// What the values of one message share.
pub(crate) struct Context {
    pub version: Version,
    /// Days to shift this patient's dates by.
    pub shift: i64,
    /// The year of the message (MSH-7), for ages over 89.
    pub reference_year: Option<i32>,
    pub message: Option<usize>,
    /// How its values are read and replacements written.
    pub encoding: Encoding,
}

/// Where a field is: its segment, which occurrence of it, and its number.
#[derive(Debug)]
pub(crate) struct Place<'s> {
    pub segment: &'s [u8],
    pub occurrence: usize,
    pub number: usize,
    /// Whether its numbers are ages (OBX-5 of an age observation).
    pub age: bool,
}

impl Place<'_> {
    /// The path of this field (`&[number]`) or of a value in it (see [`Leaf::levels`]), e.g.
    /// `OBX[2]-5`, `PID-3[2].1`.
    fn path(&self, levels: &[usize]) -> ChangePath {
        ChangePath::new(self.segment, self.occurrence, levels)
    }
}

/// One value (a subcomponent) and where it is: a value of the core's walk, or of the nested
/// iterators for a segment outside any message ([`leaves_of`]).
#[derive(Debug, Clone, Copy)]
struct Leaf<'a> {
    bytes: &'a [u8],
    /// Where it is in the input (`start..end`).
    start: usize,
    end: usize,
    /// Its segment: index in the message, id and occurrence of the id.
    segment: usize,
    id: &'a [u8],
    occurrence: usize,
    /// Field, repetition, component and subcomponent, from 1.
    numbers: [usize; 4],
    depth: Depth,
}

impl<'a> From<Value<'a>> for Leaf<'a> {
    #[inline]
    fn from(value: Value<'a>) -> Self {
        let span = value.span();
        Leaf {
            bytes: value.as_bytes(),
            start: span.start,
            end: span.end,
            segment: value.segment_index(),
            id: value.segment_id(),
            occurrence: value.occurrence(),
            numbers: [
                value.field(),
                value.repetition(),
                value.component(),
                value.subcomponent(),
            ],
            depth: value.depth(),
        }
    }
}

impl Leaf<'_> {
    /// The levels of its path in a receipt: as deep as its depth, except that the first
    /// repetition of a field is not named unless a component is (`PID-3` for `A` in `A~B`,
    /// as receipts have always written it, where the core's walk names `PID-3[1]`).
    fn levels(&self) -> &[usize] {
        match self.depth {
            Depth::Field | Depth::Repetition if self.numbers[1] > 1 => &self.numbers[..2],
            Depth::Field | Depth::Repetition => &self.numbers[..1],
            Depth::Component => &self.numbers[..3],
            Depth::Subcomponent => &self.numbers,
        }
    }
}

/// A message's leaves from the core's walker, or a lone segment's listed.
enum Leaves<'m, 'a> {
    Walk(Box<pipehat::walk::Walk<'m, 'a>>),
    Listed(std::vec::IntoIter<Leaf<'a>>),
}

impl<'a> Iterator for Leaves<'_, 'a> {
    type Item = Leaf<'a>;

    #[inline]
    fn next(&mut self) -> Option<Leaf<'a>> {
        match self {
            Leaves::Walk(walk) => walk.next().map(Leaf::from),
            Leaves::Listed(listed) => listed.next(),
        }
    }
}

/// Where the leaves' segments are: a message's, or one lone segment.
enum Segments<'m, 'a> {
    Message(&'m Message<'a>),
    One(Segment<'a>),
}

impl<'a> Segments<'_, 'a> {
    /// The segment with index `index`.
    fn at(&mut self, index: usize) -> Segment<'a> {
        match self {
            Segments::Message(message) => message
                .segment_at(index)
                .expect("the walk's segments are the message's"),
            Segments::One(segment) => *segment,
        }
    }
}

/// The leaves of a segment outside any message, from the core's nested iterators, as the walk
/// gives them for a segment of a message (occurrence 1: envelope segments are counted alone).
fn leaves_of<'a>(segment: &Segment<'a>) -> Vec<Leaf<'a>> {
    let mut leaves = Vec::new();
    let id = segment.id();
    for (f, field) in segment.fields().enumerate() {
        let repeats = field.repetitions().nth(1).is_some();
        for (r, repetition) in field.repetitions().enumerate() {
            let has_components = repetition.components().nth(1).is_some();
            for (c, component) in repetition.components().enumerate() {
                let depth = if component.subcomponents().nth(1).is_some() {
                    Depth::Subcomponent
                } else if has_components {
                    Depth::Component
                } else if repeats {
                    Depth::Repetition
                } else {
                    Depth::Field
                };
                for (s, subcomponent) in component.subcomponents().enumerate() {
                    work::add(1);
                    let span = subcomponent.span();
                    leaves.push(Leaf {
                        bytes: subcomponent.as_bytes(),
                        start: span.start,
                        end: span.end,
                        segment: 0,
                        id,
                        occurrence: 1,
                        numbers: [f + 1, r + 1, c + 1, s + 1],
                        depth,
                    });
                }
            }
        }
    }
    leaves
}

/// The bytes being walked (a message's, or a lone segment's), which start at `base` in the
/// input, and how far the output has them: kept bytes — delimiters, terminators, kept values —
/// are copied in runs, up to each replaced value.
#[derive(Clone, Copy)]
struct Input<'a> {
    bytes: &'a [u8],
    base: usize,
    copied: usize,
}

impl<'a> Input<'a> {
    fn new(bytes: &'a [u8], base: usize) -> Self {
        Input {
            bytes,
            base,
            copied: base,
        }
    }

    /// The bytes `start..end` of the input.
    fn bytes(&self, start: usize, end: usize) -> &'a [u8] {
        &self.bytes[start - self.base..end - self.base]
    }

    /// Copies what is not yet in `out`, up to `at`.
    fn copy_to(&mut self, out: &mut Vec<u8>, at: usize) {
        out.extend_from_slice(self.bytes(self.copied, at));
        self.copied = at;
    }

    /// Leaves out what is not yet in `out`, up to `at` (a value written otherwise, or removed).
    fn skip_to(&mut self, at: usize) {
        self.copied = at;
    }

    /// Copies the rest.
    fn copy_rest(&mut self, out: &mut Vec<u8>) {
        self.copy_to(out, self.base + self.bytes.len());
    }
}

/// What identifies the message's patient, for the date shift: the first patient identifier
/// and its authority, else the name and date of birth (as text, whatever the character set).
fn patient_of(message: &Message<'_>, encoding: Encoding) -> Vec<u8> {
    let Some(pid) = message.segment(b"PID") else {
        return Vec::new();
    };
    let get = |path: &str| {
        pid.get(&path.parse().expect("a fixed path"))
            .map(|e| encoding.read(e.decoded()).trim_ascii().to_vec())
            .unwrap_or_default()
    };
    let id = get("PID-3.1");
    if !id.is_empty() {
        let mut key = id;
        key.push(b'^');
        key.extend(get("PID-3.4.1"));
        return key;
    }
    let mut key = get("PID-5.1.1");
    key.push(b'^');
    key.extend(get("PID-7.1"));
    key
}

#[cfg(test)]
mod tests {
    use crate::{Anonymizer, Policy, Preset};

    /// Segment occurrences are the core walker's, for an id of any length: the second `ZABC`
    /// is `ZABC[2]` (before the walker, every id but a three-byte one was a first). Its path
    /// is printed like a core path, though a core path cannot hold its id.
    #[test]
    fn occurrences_count_ids_of_any_length() {
        let input = b"MSH|^~\\&|A|B|||20260105||ADT^A01|1|P|2.5.1\r\
                      ZABC|x^y\rZABC|x~y\rZAB|x\rZAB|y&z\r";
        let output = Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None)
            .unwrap()
            .anonymize(input);
        let changes: Vec<_> = output
            .receipt
            .changes
            .iter()
            .filter(|change| change.path.to_string().starts_with('Z'))
            .collect();
        let paths: Vec<String> = changes.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "ZABC-1.1",
                "ZABC-1.2",
                "ZABC[2]-1",
                "ZABC[2]-1[2]",
                "ZAB-1",
                "ZAB[2]-1.1.1",
                "ZAB[2]-1.1.2"
            ]
        );
        assert_eq!(changes[0].path.as_path(), None);
        assert_eq!(
            changes[5].path.as_path(),
            Some("ZAB[2]-1.1.1".parse().unwrap())
        );
    }

    /// A replacement holding a character ISO 8859-1 cannot hold is written with `?` and noted.
    /// (The built-in replacements are ASCII, and scrubbing copies the message's own text: this
    /// takes a learned replacement from elsewhere.)
    #[test]
    fn a_character_iso_8859_1_cannot_hold_becomes_a_question_mark_and_a_note() {
        use super::{Note, Sink, State};
        use crate::FreeText;
        use pipehat::File;
        let policy = Policy {
            free_text: FreeText::Scrub,
            ..Policy::preset(Preset::Pseudonymize)
        };
        let anonymizer = Anonymizer::new(&policy, Some(b"a sixteen-byte k")).unwrap();
        let input = b"MSH|^~\\&|A|B|||20260105||ORU^R01|1|P|2.5.1||||||8859/1\r\
                      NTE|1||Herr M\xfcller ruft an\r";
        let file = File::parse(input);
        let mut state = State::default();
        state
            .scrubber
            .learn("Müller".as_bytes(), "Łukasz".as_bytes().to_vec(), 2);
        let (mut out, mut changes) = (Vec::new(), Vec::new());
        let mut sink = Sink::Write {
            out: &mut out,
            changes: &mut changes,
        };
        anonymizer.message(&file.messages()[0], 0, false, &mut sink, &mut state);
        assert!(
            out.windows(21).any(|w| w == b"NTE|1||Herr ?ukasz ru"),
            "{}",
            String::from_utf8_lossy(&out)
        );
        let change = changes.iter().find(|c| c.path == "NTE-3").unwrap();
        assert_eq!(change.note, Some(Note::Unencodable));
        assert!(
            changes
                .iter()
                .filter(|c| c.path != "NTE-3")
                .all(|c| c.note.is_none())
        );
        let json = serde_json::to_value(change).unwrap();
        assert_eq!(json["note"], "unencodable");
        assert_eq!(Note::Unencodable.as_str(), "unencodable");
    }
}
