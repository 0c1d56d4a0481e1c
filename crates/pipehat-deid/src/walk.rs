//! The walk over one message, in one pass: segments → fields → repetitions → components →
//! subcomponents, each leaf planned (`plan.rs`), read in the message's character set, given
//! its method's replacement and written back escaped — or, while identifiers are learned for
//! scrubbing, only remembered. Also what a message's values share ([`Context`]: version,
//! date shift, reference year) and where a value is ([`Place`], segment occurrences).

use std::borrow::Cow;

use pipehat::{Delimiters, Message, Segment, escape};
use pipehat_dict::Version;

use crate::anonymizer::Anonymizer;
use crate::category::{AGE_CODES, AGE_UNITS, Category};
use crate::encoding::Encoding;
use crate::fast_map::FastMap;
use crate::generalize::{REDACTED, redacted};
use crate::plan::{FieldPlan, LeafPlan, SegmentPlans};
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
            version: version_of(message),
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
        let input = message.input();
        let mut occurrences = Occurrences::default();
        let mut previous_end = None;
        for segment in message.segments() {
            if let (Some(end), Sink::Write { out, .. }) = (previous_end, &mut *sink) {
                out.extend_from_slice(&input[end..segment.span().start]);
            }
            self.segment(&segment, &context, &mut occurrences, sink, state);
            previous_end = Some(segment.span().end);
        }
        if let (Some(end), Sink::Write { out, .. }) = (previous_end, &mut *sink) {
            out.extend_from_slice(&input[end..message.span().end]);
        }
    }

    pub(crate) fn segment(
        &self,
        segment: &Segment<'_>,
        context: &Context,
        occurrences: &mut Occurrences,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        let id = segment.id();
        let occurrence = occurrences.next(id);
        if let Sink::Write { out, .. } = sink {
            out.extend_from_slice(id);
        }
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
        for (i, field) in segment.fields().enumerate() {
            let number = i + 1;
            if let Sink::Write { out, .. } = sink
                && !(header && number == 2)
            {
                out.push(delimiters.field());
            }
            let raw = field.as_bytes();
            if header && number <= 2 {
                if let Sink::Write { out, .. } = sink
                    && number == 2
                {
                    out.extend_from_slice(raw);
                }
                continue;
            }
            if raw.is_empty() {
                continue; // nothing to write, nothing to change
            }
            let plan = plans.field(
                &self.policy,
                context.version,
                id,
                number,
                value_type.as_deref(),
            );
            let mut place = Place {
                segment: id,
                occurrence,
                number,
                age: number == 5 && age_observation,
            };
            if plan.copy {
                if let Sink::Write { out, .. } = sink {
                    out.extend_from_slice(raw);
                }
                continue;
            }
            if plan.binary_removed && !raw.is_empty() {
                if let Sink::Write { changes, .. } = sink {
                    changes.push(Change {
                        message: context.message,
                        path: place.path(None, None, None),
                        category: Category::Binary,
                        method: Method::Remove,
                        original: self.keep_originals.then(|| field.text().into_owned()),
                        note: None,
                    });
                }
                continue;
            }
            self.field(plan, &mut place, raw, context, delimiters, sink, state);
        }
        if let Some(index) = slot {
            state.segment_plans[index] = plans;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        plan: &mut FieldPlan,
        place: &mut Place<'_>,
        raw: &[u8],
        context: &Context,
        delimiters: Delimiters,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        let (repetition_sep, component_sep, subcomponent_sep) = (
            delimiters.repetition(),
            delimiters.component(),
            delimiters.subcomponent(),
        );
        // Values are short: a plain loop beats a call to memchr.
        let has = |sep: Option<u8>, bytes: &[u8]| {
            work::add(bytes.len());
            sep.is_some_and(|sep| bytes.contains(&sep))
        };
        // The common case: one value, no repetitions, components or subcomponents. (A missing
        // separator is never in a field, like the field separator.)
        let field_sep = delimiters.field();
        let (r, c, s) = (
            repetition_sep.unwrap_or(field_sep),
            component_sep.unwrap_or(field_sep),
            subcomponent_sep.unwrap_or(field_sep),
        );
        work::add(raw.len());
        if !raw.iter().any(|&b| b == r || b == c || b == s) {
            let at = Position {
                repetition: 1,
                component: 1,
                subcomponent: 1,
                multi_component: false,
                multi_sub: false,
            };
            let slot = plan.leaf(&self.policy, context.version, place, 1, 1);
            self.leaf(
                slot,
                place,
                &at,
                raw,
                context,
                delimiters,
                sink,
                state,
                || None,
            );
            return;
        }
        for (r, repetition) in split(raw, repetition_sep).enumerate() {
            if r > 0
                && let Sink::Write { out, .. } = sink
            {
                out.push(repetition_sep.unwrap_or(b'~'));
            }
            let multi_component = has(component_sep, repetition);
            let mut previous: Option<&[u8]> = None;
            for (c, component) in split(repetition, component_sep).enumerate() {
                if c > 0
                    && let Sink::Write { out, .. } = sink
                {
                    out.push(component_sep.unwrap_or(b'^'));
                }
                let multi_sub = has(subcomponent_sep, component);
                for (s, subcomponent) in split(component, subcomponent_sep).enumerate() {
                    if s > 0
                        && let Sink::Write { out, .. } = sink
                    {
                        out.push(subcomponent_sep.unwrap_or(b'&'));
                    }
                    let at = Position {
                        repetition: r + 1,
                        component: c + 1,
                        subcomponent: s + 1,
                        multi_component,
                        multi_sub,
                    };
                    let slot = plan.leaf(&self.policy, context.version, place, c + 1, s + 1);
                    // The code before a display text: the component before this one.
                    let sibling = || {
                        previous.map(|code| context.encoding.read(escape::decode(code, delimiters)))
                    };
                    self.leaf(
                        slot,
                        place,
                        &at,
                        subcomponent,
                        context,
                        delimiters,
                        sink,
                        state,
                        sibling,
                    );
                }
                previous = Some(component);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn leaf<'v>(
        &self,
        slot: &mut LeafPlan,
        place: &mut Place<'_>,
        at: &Position,
        raw: &[u8],
        context: &Context,
        delimiters: Delimiters,
        sink: &mut Sink<'_>,
        state: &mut State,
        code_beside: impl FnOnce() -> Option<Cow<'v, [u8]>>,
    ) {
        let write_raw = |sink: &mut Sink<'_>| {
            if let Sink::Write { out, .. } = sink {
                out.extend_from_slice(raw);
            }
        };
        if raw.is_empty() || raw == b"\"\"" {
            return write_raw(sink);
        }
        let (mut leaf, method) = (slot.leaf, slot.method);
        if place.age && leaf.category == Category::Number {
            leaf.category = Category::Age;
        }
        if method == Method::Keep {
            return write_raw(sink);
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
            return write_raw(sink); // spaces say nothing about anyone
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
            return write_raw(sink);
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
                if state.needs_escape(delimiters, &replaced) {
                    out.extend_from_slice(&escape::encode(&replaced, delimiters));
                } else {
                    out.extend_from_slice(&replaced);
                }
                changes.push(Change {
                    message: context.message,
                    path: place.path(
                        Some(at.repetition),
                        at.multi_component.then_some(at.component),
                        at.multi_sub.then_some(at.subcomponent),
                    ),
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

/// How many times each three-character segment id has been met in one message (a map: a
/// message may hold thousands of distinct Z-segment ids).
#[derive(Debug, Default)]
pub(crate) struct Occurrences(FastMap<[u8; 3], usize>);

impl Occurrences {
    /// Which occurrence of its id this segment is (from 1); ids of another length are always
    /// the first.
    fn next(&mut self, id: &[u8]) -> usize {
        work::add(1);
        match <[u8; 3]>::try_from(id) {
            Ok(key) => {
                let count = self.0.entry(key).or_insert(0);
                *count += 1;
                *count
            }
            Err(_) => 1,
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
    /// The path of a value of this field, e.g. `OBX[2]-5`, `PID-3[2].1`.
    fn path(
        &mut self,
        repetition: Option<usize>,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> ChangePath {
        ChangePath::new(
            self.segment,
            self.occurrence,
            self.number,
            repetition,
            component,
            subcomponent,
        )
    }
}

/// The parts of `bytes` between `separator`s: always at least one, possibly empty (as the
/// parser's own iterators split them).
fn split(bytes: &[u8], separator: Option<u8>) -> Split<'_> {
    Split {
        rest: Some(bytes),
        separator,
    }
}

/// See [`split`].
struct Split<'a> {
    rest: Option<&'a [u8]>,
    separator: Option<u8>,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let bytes = self.rest?;
        match self
            .separator
            .and_then(|sep| bytes.iter().position(|&b| b == sep))
        {
            Some(at) => {
                work::add(at + 1);
                self.rest = Some(&bytes[at + 1..]);
                Some(&bytes[..at])
            }
            None => {
                work::add(bytes.len());
                self.rest = None;
                Some(bytes)
            }
        }
    }
}

/// Where a leaf is in its field.
struct Position {
    repetition: usize,
    component: usize,
    subcomponent: usize,
    multi_component: bool,
    multi_sub: bool,
}

/// The message's version (MSH-12), or the latest.
fn version_of(message: &Message<'_>) -> Version {
    message
        .get(&"MSH-12.1".parse().expect("a fixed path"))
        .and_then(|e| Version::resolve(&e.text()))
        .map_or(Version::LATEST, |r| r.version)
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
