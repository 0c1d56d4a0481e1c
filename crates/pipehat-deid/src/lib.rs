//! De-identification of HL7 v2 messages: HIPAA Safe Harbor and keyed pseudonymization,
//! consistent across a batch, with a receipt of what changed.
//!
//! ```
//! use pipehat_deid::{Anonymizer, Policy, Preset};
//!
//! let input = b"MSH|^~\\&|LAB|HOSP|||20261122083000||ADT^A04|MSG0001|P|2.5.1\r\
//!               PID|1||12345^^^HOSP^MR||DOE^JANE||19800115|F|||12 Main St^^Boston^MA^02139\r";
//! let anonymizer = Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None)?;
//! let output = anonymizer.anonymize(input);
//! assert_eq!(
//!     String::from_utf8(output.bytes).unwrap(),
//!     "MSH|^~\\&|LAB|HOSP|||2026||ADT^A04|REDACTED|P|2.5.1\r\
//!      PID|1||REDACTED^^^REDACTED^MR||REDACTED^REDACTED||1980|F|||REDACTED^^REDACTED^MA^021\r"
//! );
//! let paths: Vec<String> = output.receipt.changes.iter().map(|c| c.path.to_string()).collect();
//! assert!(paths.iter().any(|p| p == "PID-5.1") && paths.iter().any(|p| p == "PID-11.5"));
//!
//! // Pseudonyms are keyed: the same key gives the same output, and linkage across messages.
//! let keyed = Anonymizer::new(&Policy::preset(Preset::Pseudonymize), Some(b"a local secret key"))?;
//! assert_eq!(keyed.anonymize(input).bytes, keyed.anonymize(input).bytes);
//! # Ok::<(), pipehat_deid::Error>(())
//! ```
//!
//! Every value of a message gets a [`Category`] from its position and the dictionary's data
//! types, in every segment — names, addresses and phone numbers wherever an XPN, XAD or XTN
//! appears — and the [`Policy`] says which [`Method`] each category, field, data type or
//! segment gets. What the rules do not recognise as harmless is treated as an identifier:
//! unknown segments, Z-segments and fields past the definition are redacted by default.

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod category;
mod policy;
mod values;

use std::borrow::Cow;

use pipehat::{Charset, Delimiters, File, Message, Segment, escape};
use pipehat_dict::Version;
use serde::Serialize;

pub use category::Category;
pub use policy::{FreeText, Method, Policy, PolicyError, Preset};

use category::{
    AGE_CODES, AGE_UNITS, ALLOWED_FIELDS, CONCEPT_FIELDS, FREE_TEXT_FIELDS, Leaf, is_binary,
    is_coded, listed,
};
use policy::Compiled;
use values::{FastMap, Keyed, REDACTED, Realistic, Scrubber};

/// Counts the steps of the anonymizer's own loops, in tests only, so that a test can check
/// that the work grows linearly with a part of the input without timing anything.
#[cfg(test)]
pub(crate) mod work {
    use std::cell::Cell;

    thread_local!(static STEPS: Cell<u64> = const { Cell::new(0) });

    /// Counts `n` steps.
    pub fn add(n: usize) {
        STEPS.with(|steps| steps.set(steps.get() + n as u64));
    }

    /// The steps counted on this thread since the last call.
    pub fn take() -> u64 {
        STEPS.with(|steps| steps.replace(0))
    }
}

/// Outside tests: nothing.
#[cfg(not(test))]
pub(crate) mod work {
    /// Nothing.
    #[inline(always)]
    pub fn add(_: usize) {}
}

/// Every category the values of a field get in `version`, from each component and
/// subcomponent its data type defines, as anonymization judges them (OBX-5: as a string).
/// For documentation and tools: `docs/phi-fields.md` is made from it.
///
/// ```
/// use pipehat_deid::{Category, field_categories};
/// use pipehat_dict::Version;
///
/// let pid5 = field_categories(Version::V2_5_1, "PID", 5);
/// assert!(pid5.contains(&Category::FamilyName) && pid5.contains(&Category::GivenName));
/// assert_eq!(field_categories(Version::V2_5_1, "MSH", 9), [Category::Allowed]);
/// assert_eq!(field_categories(Version::V2_5_1, "ZPI", 1), [Category::Unknown]);
/// ```
#[must_use]
pub fn field_categories(version: Version, segment: &str, field: usize) -> Vec<Category> {
    let id = segment.as_bytes();
    if listed(ALLOWED_FIELDS, id, field) || (matches!(segment, "MSH" | "FHS" | "BHS") && field <= 2)
    {
        return vec![Category::Allowed];
    }
    let definition = version.field(segment, field);
    let plan = FieldPlan::new(version, id, field, definition, None);
    if !plan.defined {
        return vec![Category::Unknown];
    }
    if is_binary(plan.field_type) {
        return vec![Category::Binary];
    }
    let leaf = |c, s| {
        plan.adjust(
            category::leaf(version, plan.field_type, plan.table, c, s),
            c,
        )
        .category
    };
    let mut found = Vec::new();
    match version
        .data_type(plan.field_type)
        .or_else(|| Version::LATEST.data_type(plan.field_type))
        .filter(|d| !d.is_primitive())
    {
        None => found.push(leaf(1, 1)),
        Some(composite) => {
            for component in composite.components() {
                let inner = version
                    .data_type(component.data_type)
                    .or_else(|| Version::LATEST.data_type(component.data_type))
                    .filter(|d| !d.is_primitive() && !is_binary(d.id));
                let subcomponents = inner.map_or(1, |d| d.components().len());
                for s in 1..=subcomponents {
                    found.push(leaf(component.position, s));
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The README's Rust examples (parser, dictionary, validation, de-identification), compiled
/// and run as doctests so they stay true. They live here because this crate sees all four
/// (validation as a dev-dependency).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;

/// The shortest key for pseudonyms: 16 bytes (128 bits). With a shorter one, every key can be
/// tried, and with the right one every pseudonym traced back to its value (a name list is short).
pub const MIN_KEY_BYTES: usize = 16;

/// Why an [`Anonymizer`] could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The policy pseudonymizes, and no key (or an empty one) was given.
    KeyRequired,
    /// The policy pseudonymizes, and the key has fewer than [`MIN_KEY_BYTES`] bytes.
    KeyTooShort {
        /// How many bytes it has.
        bytes: usize,
    },
    /// A policy override key is not an element path.
    Policy(PolicyError),
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::KeyRequired => f.write_str(
                "this policy pseudonymizes: give a key (generate one locally and keep it to \
                 reuse pseudonyms)",
            ),
            Error::KeyTooShort { bytes } => write!(
                f,
                "the key is {bytes} byte{}: a key needs at least {MIN_KEY_BYTES} bytes (128 bits)",
                if *bytes == 1 { "" } else { "s" }
            ),
            Error::Policy(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// De-identifies files, batches and messages under one policy and key.
///
/// Keyed methods depend only on the key and the value, so the same patient gets the same
/// pseudonyms and date shift in every message, batch and run that uses the same key. The
/// anonymizer keeps the key in memory only; nothing is stored.
#[derive(Debug, Clone)]
pub struct Anonymizer {
    policy: Compiled,
    scrubs: bool,
    keyed: Option<Keyed>,
    keep_originals: bool,
}

/// An anonymized file: its bytes and the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anonymized {
    /// The anonymized file: the same messages, segments and structure, with values replaced;
    /// terminators and framing as they were.
    pub bytes: Vec<u8>,
    /// What changed and how.
    pub receipt: Receipt,
}

/// An anonymized text ([`Anonymizer::anonymize_text`]): the text and the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymizedText {
    /// The anonymized text: the same messages, segments and structure, with values replaced;
    /// terminators and framing as they were.
    pub text: String,
    /// What changed and how.
    pub receipt: Receipt,
}

/// What an anonymization changed: every value, by path and method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// The preset the policy started from.
    pub preset: Preset,
    /// How many messages were anonymized.
    pub messages: usize,
    /// Every value that changed.
    pub changes: Vec<Change>,
    /// Text dropped because it could not be read as HL7: prose between messages, unreadable
    /// messages.
    pub removed: Vec<Removal>,
}

/// One changed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Which message of the file (0-based); envelope segments (FHS, BHS…) count as message
    /// `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<usize>,
    /// The value's path, e.g. `PID-5.1`, `OBX[2]-5`, `PID-3[2].1` (written out when displayed
    /// or serialized).
    pub path: ChangePath,
    /// What the value was taken for.
    pub category: Category,
    /// What was done.
    pub method: Method,
    /// The original value (decoded), only when asked for with
    /// [`Anonymizer::keep_originals`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Anything to know about how the replacement was written; absent (and left out of the
    /// JSON, so receipts without notes read as before) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// Something to know about how a replacement was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Note {
    /// The replacement held a character the message's character set cannot hold (ISO 8859-1
    /// has no `€` or `Ł`): each such character was written as `?`. JSON: `"unencodable"`.
    Unencodable,
}

impl Note {
    /// The note as JSON writes it (`unencodable`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Note::Unencodable => "unencodable",
        }
    }

    /// What it means, in a sentence.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Note::Unencodable => {
                "the replacement held a character the message's character set cannot hold: \
                 written as ?"
            }
        }
    }
}

/// Where a changed value is, kept as numbers: a file can have hundreds of thousands of changes,
/// and a `String` each was a fifth of Safe Harbor's time. Displays and serializes as the path
/// text (`PID-5.1`, `OBX[2]-5`, `PID-3[2].1`); compares equal to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChangePath {
    /// The segment id, up to 8 bytes (longer ids, which no message should have, are cut).
    id: [u8; 8],
    id_len: u8,
    occurrence: u32,
    field: u32,
    /// 0 when the path names no repetition (the first).
    repetition: u32,
    /// 0 when the path names no component.
    component: u32,
    /// 0 when the path names no subcomponent.
    subcomponent: u32,
}

impl ChangePath {
    fn new(
        segment: &[u8],
        occurrence: usize,
        field: usize,
        repetition: Option<usize>,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Self {
        let mut id = [0u8; 8];
        let len = segment.len().min(8);
        id[..len].copy_from_slice(&segment[..len]);
        let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ChangePath {
            id,
            id_len: len as u8,
            occurrence: number(occurrence),
            field: number(field),
            repetition: repetition.filter(|r| *r > 1).map_or(0, number),
            component: component.or(subcomponent.map(|_| 1)).map_or(0, number),
            subcomponent: subcomponent.map_or(0, number),
        }
    }
}

impl core::fmt::Display for ChangePath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&String::from_utf8_lossy(
            &self.id[..usize::from(self.id_len)],
        ))?;
        if self.occurrence > 1 {
            write!(f, "[{}]", self.occurrence)?;
        }
        write!(f, "-{}", self.field)?;
        if self.repetition > 1 {
            write!(f, "[{}]", self.repetition)?;
        }
        if self.component > 0 {
            write!(f, ".{}", self.component)?;
        }
        if self.subcomponent > 0 {
            write!(f, ".{}", self.subcomponent)?;
        }
        Ok(())
    }
}

impl Serialize for ChangePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl PartialEq<str> for ChangePath {
    /// Compares the path as written with `other`, without writing it into a `String`.
    fn eq(&self, other: &str) -> bool {
        /// Checks written pieces against what is left of the text.
        struct Against<'t>(&'t str);
        impl core::fmt::Write for Against<'_> {
            fn write_str(&mut self, piece: &str) -> core::fmt::Result {
                self.0 = self.0.strip_prefix(piece).ok_or(core::fmt::Error)?;
                Ok(())
            }
        }
        let mut against = Against(other);
        core::fmt::write(&mut against, format_args!("{self}")).is_ok() && against.0.is_empty()
    }
}

impl PartialEq<&str> for ChangePath {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Input dropped from the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// Where it was in the input (bytes, half-open).
    pub start: usize,
    /// Where it ended.
    pub end: usize,
    /// What it was.
    pub reason: &'static str,
}

impl Anonymizer {
    /// An anonymizer for `policy`; `key` is needed when the policy pseudonymizes.
    ///
    /// # Errors
    /// [`Error::KeyRequired`] when the policy pseudonymizes and `key` is `None` or empty;
    /// [`Error::KeyTooShort`] when it pseudonymizes and `key` has fewer than
    /// [`MIN_KEY_BYTES`] bytes; [`Error::Policy`] when an override key is not a path. A key
    /// the policy does not use is not checked.
    pub fn new(policy: &Policy, key: Option<&[u8]>) -> Result<Self, Error> {
        let compiled = Compiled::new(policy).map_err(Error::Policy)?;
        let key = key.filter(|k| !k.is_empty());
        if policy.needs_key() {
            match key {
                None => return Err(Error::KeyRequired),
                Some(key) if key.len() < MIN_KEY_BYTES => {
                    return Err(Error::KeyTooShort { bytes: key.len() });
                }
                Some(_) => {}
            }
        }
        let keyed = key.map(Keyed::new);
        Ok(Anonymizer {
            policy: compiled,
            scrubs: policy.may_scrub(),
            keyed,
            keep_originals: false,
        })
    }

    /// Whether the receipt carries each changed value's original (off by default, so a receipt
    /// can be shared).
    #[must_use]
    pub fn keep_originals(mut self, keep: bool) -> Self {
        self.keep_originals = keep;
        self
    }

    /// Anonymizes a file, batch or message. Messages keep their segments and structure;
    /// envelope segments (FHS, BHS, BTS, FTS) are anonymized like any segment; line endings
    /// and MLLP framing stay; text that is not HL7 (prose between messages, unreadable
    /// messages) is dropped and listed in the receipt. Free text is redacted, or, under
    /// [`FreeText::Scrub`], scrubbed of the identifier values seen anywhere in the input.
    ///
    /// Each message is read in its own character set (MSH-18, as [`File::parse`] reads it) and
    /// stays in it: kept bytes are copied, and replacements are written in that set — an
    /// `8859/1` message comes out in ISO 8859-1, never with UTF-8 in it (a character the set
    /// cannot hold is written as `?`, and its change says so: [`Note::Unencodable`]). Keyed
    /// methods see the text, not its bytes: `Müller` gets the same pseudonym in an `8859/1`
    /// message as in a UTF-8 one, and as through [`Anonymizer::anonymize_text`].
    #[must_use]
    pub fn anonymize(&self, input: &[u8]) -> Anonymized {
        let file = File::parse(input);
        let (bytes, receipt) = self.file(&file, false);
        Anonymized { bytes, receipt }
    }

    /// Anonymizes text: a file, batch or message that is already a string (from JavaScript,
    /// an editor, a decoded file), read with [`File::parse_text`] — values as the UTF-8 they
    /// are, whatever MSH-18 says, never decoded again by it. Otherwise as
    /// [`Anonymizer::anonymize`]; the output is text too (a byte that a hex escape such as
    /// `\XFC\` put into a value shows, as in the core's `text()`, as the ISO 8859-1 character
    /// of the same value).
    ///
    /// ```
    /// use pipehat_deid::{Anonymizer, Policy};
    ///
    /// let text = "MSH|^~\\&|LAB|HOSP|||20260105||ORU^R01|1|P|2.5.1||||||8859/1\r\
    ///             OBX|1|NM|718-7^Hämoglobin^LN||13.5|g/dL\r";
    /// let output = Anonymizer::new(&Policy::default(), None)?.anonymize_text(text);
    /// assert!(output.text.contains("718-7^Hämoglobin^LN||13.5|g/dL"));
    /// # Ok::<(), pipehat_deid::Error>(())
    /// ```
    #[must_use]
    pub fn anonymize_text(&self, text: &str) -> AnonymizedText {
        let file = File::parse_text(text);
        let (bytes, receipt) = self.file(&file, true);
        // Valid UTF-8 by construction: kept stretches of the text end at ASCII delimiters and
        // every replacement is written as UTF-8 text (see Encoding::write).
        let text = String::from_utf8(bytes).unwrap_or_else(|e| {
            debug_assert!(false, "anonymized text is not UTF-8: {e}");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        });
        AnonymizedText { text, receipt }
    }

    /// Anonymizes a parsed file: its bytes and receipt. `text`: the file was parsed from text.
    fn file(&self, file: &File<'_>, text: bool) -> (Vec<u8>, Receipt) {
        let input = file.input();
        let envelope = envelope_segments(file);
        let mut state = State::default();
        if self.scrubs {
            let mut sink = Sink::Learn;
            for (index, message) in file.messages().iter().enumerate() {
                self.message(message, index, text, &mut sink, &mut state);
            }
            for segment in &envelope {
                self.envelope_segment(segment, text, &mut sink, &mut state);
            }
        }

        let mut regions: Vec<(usize, usize, Region)> = Vec::new();
        for (index, message) in file.messages().iter().enumerate() {
            regions.push((
                message.span().start,
                message.span().end,
                Region::Message(index),
            ));
        }
        for (index, segment) in envelope.iter().enumerate() {
            regions.push((
                segment.span().start,
                segment.span().end,
                Region::Envelope(index),
            ));
        }
        for unreadable in file.unreadable() {
            regions.push((
                unreadable.span().start,
                unreadable.span().end,
                Region::Unreadable,
            ));
        }
        regions.sort_by_key(|r| r.0);

        let mut out = Vec::with_capacity(input.len());
        // About one changed value per 25 bytes of typical messages: reserving most of it up
        // front saves copying a large receipt as it grows.
        let mut changes = Vec::with_capacity(input.len() / 32);
        let mut removed = Vec::new();
        let mut copied = 0;
        for (start, end, region) in regions {
            if start < copied {
                continue;
            }
            gap(input, copied, start, &mut out, &mut removed);
            let mut sink = Sink::Write {
                out: &mut out,
                changes: &mut changes,
            };
            match region {
                Region::Message(index) => {
                    self.message(&file.messages()[index], index, text, &mut sink, &mut state);
                }
                Region::Envelope(index) => {
                    self.envelope_segment(&envelope[index], text, &mut sink, &mut state);
                }
                Region::Unreadable => removed.push(Removal {
                    start,
                    end,
                    reason: "a message whose header cannot be read",
                }),
            }
            copied = end;
        }
        gap(input, copied, input.len(), &mut out, &mut removed);
        (
            out,
            Receipt {
                preset: self.policy.preset,
                messages: file.messages().len(),
                changes,
                removed,
            },
        )
    }

    /// A batch or file envelope segment (FHS, BHS, BTS, FTS): anonymized like any segment,
    /// outside any message.
    fn envelope_segment(
        &self,
        segment: &Segment<'_>,
        text: bool,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        self.segment(
            segment,
            &envelope_context(if text {
                Encoding::Text
            } else {
                Encoding::Bytes
            }),
            &mut Occurrences::default(),
            sink,
            state,
        );
    }

    fn message(
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
                .and_then(|e| values::parse_date(e.as_bytes()))
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

    fn segment(
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

    /// Safe Harbor's generalization of one value; `None` keeps it.
    fn generalize<'t>(
        &self,
        leaf: &Leaf,
        text: &'t [u8],
        context: &Context,
        valid: Option<bool>,
    ) -> Option<Cow<'t, [u8]>> {
        let redacted = Some(Cow::Borrowed(redacted(leaf, text)));
        if let Some(valid) = valid {
            return if valid { None } else { redacted };
        }
        match leaf.category {
            Category::Date => match values::parse_date(text) {
                Some(_) => Some(Cow::Borrowed(&text[..4])),
                None => redacted,
            },
            Category::BirthDate => match (values::parse_date(text), context.reference_year) {
                (Some(date), Some(reference)) if reference - date.year > 89 => Some(Cow::Owned(
                    format!("{:04}", (reference - 90).max(0)).into_bytes(),
                )),
                (Some(_), Some(_)) => Some(Cow::Borrowed(&text[..4])),
                _ => redacted,
            },
            Category::PostalCode => values::generalize_zip(text).map(Cow::Owned).or(redacted),
            Category::Age => match values::aggregate_age(text) {
                Some(kept_or_90) => kept_or_90.map(Cow::Borrowed),
                None => redacted,
            },
            Category::Allowed => None,
            _ => redacted,
        }
    }

    /// A keyed pseudonym for one value; `None` keeps it.
    fn pseudonymize<'t>(
        &self,
        leaf: &Leaf,
        text: &'t [u8],
        context: &Context,
        valid: Option<bool>,
        state: &mut State,
    ) -> Option<Cow<'t, [u8]>> {
        let keyed = self
            .keyed
            .as_ref()
            .expect("a key, checked when the anonymizer was made");
        if valid == Some(true) {
            return None;
        }
        Some(Cow::Owned(match leaf.category {
            Category::Allowed => return None,
            // An age is no identifier up to 89: pseudonyms aggregate older ones as Safe Harbor.
            Category::Age => match values::aggregate_age(text) {
                Some(kept_or_90) => return kept_or_90.map(Cow::Borrowed),
                None => keyed.token(b"id", text),
            },
            Category::Date | Category::BirthDate => match values::parse_date(text) {
                Some(date) => {
                    let mut shifted = values::shift_date(text, date, context.shift);
                    if leaf.category == Category::BirthDate
                        && let (Some(reference), Some(new)) =
                            (context.reference_year, values::parse_date(&shifted))
                        && reference - new.year > 89
                    {
                        shifted[..4]
                            .copy_from_slice(format!("{:04}", (reference - 90).max(0)).as_bytes());
                    }
                    shifted
                }
                None => keyed.token(b"id", text),
            },
            Category::FamilyName => keyed.realistic(Realistic::Family, text),
            Category::GivenName => keyed.realistic(Realistic::Given, text),
            Category::Street => keyed.realistic(Realistic::Street, text),
            Category::City => keyed.realistic(Realistic::City, text),
            Category::Email if text.contains(&b'@') => keyed.realistic(Realistic::Email, text),
            Category::FreeText => state.scrubber.scrub(text),
            Category::Binary => Vec::new(),
            _ => keyed.token(b"id", text),
        }))
    }
}

/// For the categories kept when well-formed: whether the value is; `None` for other categories.
fn well_formed(
    leaf: &Leaf,
    text: &[u8],
    version: Version,
    code_beside: Option<&[u8]>,
    state: &mut State,
) -> Option<bool> {
    Some(match leaf.category {
        // OBX-2 names a data type: any type id is a type, not a person.
        Category::Code if leaf.table == Some(125) => {
            state.in_table(leaf.table, text, version)
                || core::str::from_utf8(text)
                    .is_ok_and(|id| Version::ALL.iter().any(|v| v.data_type(id).is_some()))
        }
        Category::Code => state.in_table(leaf.table, text, version),
        Category::CodeText => code_beside
            .is_some_and(|code| state.describes(leaf.table, code.trim_ascii(), text, version)),
        Category::Number => values::is_number(text),
        Category::Time => values::is_time(text),
        Category::State | Category::Country => {
            values::is_region_code(text) || state.in_table(leaf.table, text, version)
        }
        _ => return None,
    })
}

/// What a redacted value becomes: `REDACTED`; or nothing where the type has a format and
/// the value kept it (a redacted phone area code, NM, must stay a number or be empty — and
/// a value that already broke its format keeps breaking it the same way, not as a new
/// missing required value).
fn redacted(leaf: &Leaf, text: &[u8]) -> &'static [u8] {
    let keeps_format = leaf.formatted
        && match leaf.data_type {
            "NM" | "SI" => values::is_number(text),
            "DT" | "DTM" | "TS" | "DIN" => values::parse_date(text).is_some(),
            "TM" => values::is_time(text),
            _ => false,
        };
    if keeps_format { b"" } else { REDACTED }
}

/// Whether `value` is a code of `table` in `version` or any other version (a code HL7 defined
/// once is a code, not an identifier: `CE` in OBX-2 of a v2.8 message).
fn in_table(table: Option<u16>, value: &[u8], version: Version) -> bool {
    let (Some(table), Ok(value)) = (table, core::str::from_utf8(value)) else {
        return false;
    };
    core::iter::once(version)
        .chain(Version::ALL.into_iter().rev())
        .filter_map(|v| v.table(table))
        .any(|t| t.contains(value))
}

/// Whether `text` is the table's description of `code` (the display text of a coded element).
fn describes(table: Option<u16>, code: &[u8], text: &[u8], version: Version) -> bool {
    let (Some(table), Ok(code), Ok(text)) = (
        table,
        core::str::from_utf8(code),
        core::str::from_utf8(text),
    ) else {
        return false;
    };
    [version, Version::LATEST]
        .into_iter()
        .filter_map(|v| v.table(table))
        .filter_map(|t| t.code(code))
        .any(|c| c.description.is_some_and(|d| d.eq_ignore_ascii_case(text)))
}

/// What one anonymization keeps from value to value: the identifiers learned for scrubbing,
/// and dictionary answers already looked up (a file repeats the same few hundred positions
/// and codes thousands of times).
#[derive(Debug, Default)]
struct State {
    scrubber: Scrubber,
    /// Whether a value is in a table: by the table id (two bytes, little-endian), then the
    /// value. The first answer stands, whatever the version (see [`State::in_table`]).
    codes: FastMap<Vec<u8>, bool>,
    /// Whether a text describes a code, by version, then the table id, the code's length (four
    /// bytes), the code and the text.
    descriptions: Vec<(Version, FastMap<Vec<u8>, bool>)>,
    /// The key being looked up in `codes` or `descriptions`.
    key: Vec<u8>,
    /// The bytes [`escape::encode`] escapes, for the last delimiters asked about.
    escaped: Option<(Delimiters, [bool; 256])>,
    /// What the fields of each segment id are, by version and id (see [`State::segment_plan`]).
    segment_plans: Vec<SegmentPlans>,
    segment_index: FastMap<(Version, u64), usize>,
}

impl State {
    /// The index in `segment_plans` of the plans for segment `id` in `version`, made on first
    /// use; `None` for an id too long to key (planned afresh each time).
    fn segment_plan(&mut self, version: Version, id: &[u8]) -> Option<usize> {
        if id.len() > 7 {
            return None;
        }
        let mut key = [0; 8];
        key[..id.len()].copy_from_slice(id);
        key[7] = id.len() as u8;
        let key = (version, u64::from_le_bytes(key));
        if let Some(index) = self.segment_index.get(&key) {
            return Some(*index);
        }
        let index = self.segment_plans.len();
        self.segment_plans.push(SegmentPlans::new(version, id));
        self.segment_index.insert(key, index);
        Some(index)
    }

    fn in_table(&mut self, table: Option<u16>, value: &[u8], version: Version) -> bool {
        let Some(id) = table else { return false };
        self.key.clear();
        self.key.extend_from_slice(&id.to_le_bytes());
        self.key.extend_from_slice(value);
        if let Some(found) = self.codes.get(self.key.as_slice()) {
            return *found;
        }
        let found = in_table(table, value, version);
        self.codes.insert(self.key.clone(), found);
        found
    }

    /// Whether [`escape::encode`] would change `text` under `delimiters`.
    fn needs_escape(&mut self, delimiters: Delimiters, text: &[u8]) -> bool {
        let table = match &self.escaped {
            Some((known, table)) if *known == delimiters => table,
            _ => {
                let mut table = [false; 256];
                for byte in [b'\r', b'\n', 0x0B, 0x1C, delimiters.field()] {
                    table[usize::from(byte)] = true;
                }
                for byte in [
                    delimiters.component(),
                    delimiters.repetition(),
                    delimiters.escape(),
                    delimiters.subcomponent(),
                    delimiters.truncation(),
                ]
                .into_iter()
                .flatten()
                {
                    table[usize::from(byte)] = true;
                }
                &self.escaped.insert((delimiters, table)).1
            }
        };
        text.iter().any(|&b| table[usize::from(b)])
    }

    /// [`describes`], remembered.
    fn describes(
        &mut self,
        table: Option<u16>,
        code: &[u8],
        text: &[u8],
        version: Version,
    ) -> bool {
        let Some(id) = table else { return false };
        let at = match self.descriptions.iter().position(|(v, _)| *v == version) {
            Some(at) => at,
            None => {
                self.descriptions.push((version, FastMap::default()));
                self.descriptions.len() - 1
            }
        };
        self.key.clear();
        self.key.extend_from_slice(&id.to_le_bytes());
        self.key
            .extend_from_slice(&u32::try_from(code.len()).unwrap_or(u32::MAX).to_le_bytes());
        self.key.extend_from_slice(code);
        self.key.extend_from_slice(text);
        let known = &mut self.descriptions[at].1;
        if let Some(found) = known.get(self.key.as_slice()) {
            return *found;
        }
        let found = describes(table, code, text, version);
        known.insert(self.key.clone(), found);
        found
    }
}

/// The plans for the fields of one segment id in one version, made as the fields are met.
#[derive(Debug, Default)]
struct SegmentPlans {
    definition: Option<pipehat_dict::SegmentDef<'static>>,
    /// By field number.
    fields: Vec<Option<FieldPlan>>,
    /// OBX-5, by OBX-2 (trimmed, upper case), when OBX-2 is there.
    values: FastMap<String, FieldPlan>,
    /// OBX-5 when OBX-2 is absent.
    untyped_value: Option<FieldPlan>,
}

impl SegmentPlans {
    fn new(version: Version, id: &[u8]) -> Self {
        SegmentPlans {
            definition: core::str::from_utf8(id)
                .ok()
                .and_then(|id| version.segment(id)),
            fields: Vec::new(),
            values: FastMap::default(),
            untyped_value: None,
        }
    }

    /// The plan for field `number` of segment `id`; `value_type` is OBX-2 for OBX.
    fn field(
        &mut self,
        policy: &Compiled,
        version: Version,
        id: &[u8],
        number: usize,
        value_type: Option<&str>,
    ) -> &mut FieldPlan {
        let definition = &self.definition;
        let make = || {
            let field_rules = policy.has_field_rules(id, number);
            if listed(ALLOWED_FIELDS, id, number) && !field_rules {
                return FieldPlan {
                    copy: true,
                    ..FieldPlan::default()
                };
            }
            let definition = definition.as_ref().and_then(|d| d.field(number));
            let mut plan = FieldPlan::new(version, id, number, definition, value_type);
            plan.binary_removed = is_binary(plan.field_type)
                && policy.method(id, number, 1, 1, plan.field_type, Category::Binary)
                    == Method::Remove;
            plan
        };
        if id == b"OBX" && number == 5 {
            work::add(1);
            return match value_type {
                None => self.untyped_value.get_or_insert_with(make),
                Some(value_type) => {
                    if !self.values.contains_key(value_type) {
                        self.values.insert(value_type.to_owned(), make());
                    }
                    self.values.get_mut(value_type).expect("made above")
                }
            };
        }
        if self.fields.len() <= number {
            self.fields.resize_with(number + 1, || None);
        }
        if self.fields[number].is_none() {
            self.fields[number] = Some(make());
        }
        self.fields[number].as_mut().expect("made above")
    }
}

/// How many times each three-character segment id has been met in one message (a map: a
/// message may hold thousands of distinct Z-segment ids).
#[derive(Debug, Default)]
struct Occurrences(FastMap<[u8; 3], usize>);

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
enum Sink<'s> {
    Learn,
    Write {
        out: &'s mut Vec<u8>,
        changes: &'s mut Vec<Change>,
    },
}

/// What the values of one message share.
struct Context {
    version: Version,
    /// Days to shift this patient's dates by.
    shift: i64,
    /// The year of the message (MSH-7), for ages over 89.
    reference_year: Option<i32>,
    message: Option<usize>,
    /// How its values are read and replacements written.
    encoding: Encoding,
}

/// How a message's values are read and its replacements written: the methods work on text
/// (UTF-8), the output stays in the message's own character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Bytes in UTF-8, or in a set read as UTF-8 (MSH-18 empty, `ASCII`, `UNICODE UTF-8`,
    /// unsupported sets): values and replacements as they are, bytes that are not UTF-8 too.
    Bytes,
    /// ISO 8859-1 bytes (MSH-18 `8859/1`): values read into UTF-8, replacements written back
    /// in ISO 8859-1, `?` for a character it cannot hold.
    Latin1,
    /// Text ([`Anonymizer::anonymize_text`]): values as they are, except that a byte that is
    /// not UTF-8 (from a hex escape) is read as the ISO 8859-1 character of the same value,
    /// as the core's `text()` shows it; replacements written as valid UTF-8.
    Text,
}

impl Encoding {
    /// The encoding of `message`, parsed from text or not.
    fn of(message: &Message<'_>, text: bool) -> Self {
        if text {
            Encoding::Text
        } else if message.encoding() == Charset::Latin1 {
            Encoding::Latin1
        } else {
            Encoding::Bytes
        }
    }

    /// A value (decoded from escapes) as the methods see it.
    #[inline]
    fn read(self, value: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
        if self == Encoding::Bytes || value.is_ascii() {
            value
        } else {
            self.read_text(value)
        }
    }

    /// [`Encoding::read`] of a value that is not ASCII, from ISO 8859-1 or text.
    #[cold]
    fn read_text(self, value: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
        match self {
            Encoding::Bytes => value,
            Encoding::Latin1 => Cow::Owned(latin1_to_utf8(&value)),
            // Text is UTF-8, but a hex escape can put any byte into a value: as in text().
            Encoding::Text => match core::str::from_utf8(&value) {
                Ok(_) => value,
                Err(_) => Cow::Owned(
                    pipehat::charset::decode_text(&value, Charset::Utf8)
                        .into_owned()
                        .into_bytes(),
                ),
            },
        }
    }

    /// A replacement as the output holds it, and whether a character could not be written
    /// (and became `?`).
    #[inline]
    fn write(self, value: Cow<'_, [u8]>) -> (Cow<'_, [u8]>, bool) {
        if self == Encoding::Bytes || value.is_ascii() {
            (value, false)
        } else {
            self.write_text(value)
        }
    }

    /// [`Encoding::write`] of a value that is not ASCII, for ISO 8859-1 or text.
    #[cold]
    fn write_text(self, value: Cow<'_, [u8]>) -> (Cow<'_, [u8]>, bool) {
        match self {
            Encoding::Latin1 => {
                let mut out = Vec::with_capacity(value.len());
                let mut unencodable = false;
                for chunk in value.utf8_chunks() {
                    for c in chunk.valid().chars() {
                        out.push(u8::try_from(u32::from(c)).unwrap_or_else(|_| {
                            unencodable = true;
                            b'?'
                        }));
                    }
                    // A byte that is not UTF-8 stands for the ISO 8859-1 character of its
                    // value (as text() shows it): in ISO 8859-1, that byte.
                    out.extend_from_slice(chunk.invalid());
                }
                (Cow::Owned(out), unencodable)
            }
            _ => match pipehat::charset::decode_text(&value, Charset::Utf8) {
                Cow::Borrowed(_) => (value, false),
                Cow::Owned(text) => (Cow::Owned(text.into_bytes()), false),
            },
        }
    }
}

/// ISO 8859-1 bytes as UTF-8: each byte the character of the same value.
#[cold]
fn latin1_to_utf8(bytes: &[u8]) -> Vec<u8> {
    let mut text = Vec::with_capacity(bytes.len() + bytes.len() / 2);
    for &byte in bytes {
        let mut utf8 = [0; 2];
        text.extend_from_slice(char::from(byte).encode_utf8(&mut utf8).as_bytes());
    }
    text
}

/// One field and what it is, whatever segment instance it is in.
#[derive(Debug, Default)]
struct FieldPlan {
    field_type: &'static str,
    table: Option<u16>,
    defined: bool,
    concept: bool,
    free_text: bool,
    birth: bool,
    /// Kept as it is: an allowed field with no rule of its own.
    copy: bool,
    /// A payload the policy removes whole.
    binary_removed: bool,
    /// Each leaf's category and method, by component and subcomponent (from 0), as met.
    leaves: Vec<Vec<Option<LeafPlan>>>,
}

/// One leaf of a field: its category, its method, and the first few codes checked against its
/// table there (a position holds the same few codes thousands of times).
#[derive(Debug, Clone)]
struct LeafPlan {
    leaf: Leaf,
    method: Method,
    codes: Vec<(Box<[u8]>, bool)>,
}

impl LeafPlan {
    /// Whether `code` is in the leaf's table, `check` asked the first time.
    fn in_table(&mut self, code: &[u8], check: impl FnOnce() -> bool) -> bool {
        if let Some((_, found)) = self.codes.iter().find(|(known, _)| **known == *code) {
            return *found;
        }
        let found = check();
        if self.codes.len() < 8 {
            self.codes.push((code.into(), found));
        }
        found
    }
}

/// Where a field is: its segment, which occurrence of it, and its number.
#[derive(Debug)]
struct Place<'s> {
    segment: &'s [u8],
    occurrence: usize,
    number: usize,
    /// Whether its numbers are ages (OBX-5 of an age observation).
    age: bool,
}

/// The last component position any data type of any version defines, and at least the last
/// one a role names (XTN-12) and the last of a coded concept (8): past it, a position's
/// category and method no longer depend on the position (see [`FieldPlan::leaf`]).
pub(crate) fn last_defined_position() -> usize {
    static LAST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LAST.get_or_init(|| {
        Version::ALL
            .iter()
            .flat_map(|version| version.data_types())
            .flat_map(|data_type| data_type.components().map(|c| c.position))
            .max()
            .unwrap_or(0)
            .max(12)
    })
}

/// A leaf the dictionary does not define.
const UNKNOWN: Leaf = Leaf {
    category: Category::Unknown,
    table: None,
    max_length: None,
    formatted: false,
    data_type: "",
};

impl FieldPlan {
    /// Field `number` of segment `id`, defined by `definition`; for OBX-5, `value_type` is
    /// OBX-2 (trimmed, upper case).
    fn new(
        version: Version,
        id: &[u8],
        number: usize,
        definition: Option<pipehat_dict::ElementDef<'static>>,
        value_type: Option<&str>,
    ) -> Self {
        let mut field_type = definition.map_or("", |d| d.data_type);
        if id == b"OBX"
            && number == 5
            && let Some(value_type) = value_type
        {
            field_type = match value_type {
                "" => "ST",
                other => version
                    .data_type(other)
                    .or_else(|| Version::LATEST.data_type(other))
                    .map_or("ST", |d| d.id),
            };
        }
        FieldPlan {
            field_type,
            table: definition.and_then(|d| d.table),
            defined: definition.is_some(),
            concept: listed(CONCEPT_FIELDS, id, number)
                || (id == b"OBX" && number == 5 && is_coded(field_type)),
            // OBX-5 is free text when OBX-2 says so; with an unknown or missing type it is one
            // more string (an identifier).
            free_text: listed(FREE_TEXT_FIELDS, id, number)
                || (id == b"OBX"
                    && number == 5
                    && value_type.is_some_and(|t| matches!(t, "ST" | "TX" | "FT"))),
            birth: definition.is_some_and(|d| d.name.contains("Birth")),
            copy: false,
            binary_removed: false,
            leaves: Vec::new(),
        }
    }

    /// The category and method of component `component`, subcomponent `subcomponent` (from
    /// 1) of this field at `place`.
    #[inline]
    fn leaf(
        &mut self,
        policy: &Compiled,
        version: Version,
        place: &Place<'_>,
        component: usize,
        subcomponent: usize,
    ) -> &mut LeafPlan {
        // Past the last position a data type defines or an override names, every position is
        // planned alike (unknown, or a role every position of the type has): one plan stands
        // for them all, so a field of a million components makes a few dozen plans.
        let component = component.min(policy.alike_from.0);
        let subcomponent = subcomponent.min(policy.alike_from.1);
        let (c, s) = (component - 1, subcomponent - 1);
        if !matches!(
            self.leaves.get(c).and_then(|subs| subs.get(s)),
            Some(Some(_))
        ) {
            self.new_leaf(policy, version, place, component, subcomponent);
        }
        self.leaves[c][s].as_mut().expect("made above")
    }

    /// [`FieldPlan::leaf`] the first time.
    #[cold]
    fn new_leaf(
        &mut self,
        policy: &Compiled,
        version: Version,
        place: &Place<'_>,
        component: usize,
        subcomponent: usize,
    ) {
        work::add(1);
        let (c, s) = (component - 1, subcomponent - 1);
        if self.leaves.len() <= c {
            self.leaves.resize_with(c + 1, Vec::new);
        }
        if self.leaves[c].len() <= s {
            self.leaves[c].resize(s + 1, None);
        }
        let leaf = if self.defined {
            self.adjust(
                category::leaf(
                    version,
                    self.field_type,
                    self.table,
                    component,
                    subcomponent,
                ),
                component,
            )
        } else {
            UNKNOWN
        };
        let method = policy.method(
            place.segment,
            place.number,
            component,
            subcomponent,
            self.field_type,
            leaf.category,
        );
        self.leaves[c][s] = Some(LeafPlan {
            leaf,
            method,
            codes: Vec::new(),
        });
    }

    /// A leaf's category as this field changes it: coded concepts allowed, strings of free-text
    /// fields free text, dates of birth dates birth dates.
    fn adjust(&self, mut leaf: Leaf, component: usize) -> Leaf {
        if self.concept && component <= 8 {
            leaf.category = Category::Allowed;
        } else if self.free_text && matches!(leaf.category, Category::Identifier) {
            leaf.category = Category::FreeText;
        } else if self.birth && leaf.category == Category::Date {
            leaf.category = Category::BirthDate;
        }
        leaf
    }
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

enum Region {
    Message(usize),
    Envelope(usize),
    Unreadable,
}

/// The file's envelope segments (FHS, BHS, BTS, FTS), with their delimiters.
fn envelope_segments<'a>(file: &File<'a>) -> Vec<Segment<'a>> {
    let mut spans: Vec<usize> = Vec::new();
    spans.extend(file.header().map(|s| s.start));
    spans.extend(file.trailer().map(|s| s.start));
    for batch in file.batches() {
        spans.extend(batch.header().map(|s| s.start));
        spans.extend(batch.trailer().map(|s| s.start));
    }
    if spans.is_empty() {
        return Vec::new();
    }
    spans.sort_unstable();
    pipehat::segments(file.input())
        .filter(|segment| {
            work::add(1);
            spans.binary_search(&segment.span().start).is_ok()
        })
        .collect()
}

fn envelope_context(encoding: Encoding) -> Context {
    Context {
        version: Version::LATEST,
        shift: 0,
        reference_year: None,
        message: None,
        encoding,
    }
}

/// Copies what lies between messages: line ends, MLLP framing and a byte-order mark stay;
/// anything else is dropped and listed.
fn gap(input: &[u8], from: usize, to: usize, out: &mut Vec<u8>, removed: &mut Vec<Removal>) {
    let mut dropped = None;
    for (i, &byte) in input[from..to].iter().enumerate() {
        let at = from + i;
        let keep = matches!(byte, b'\r' | b'\n' | 0x0B | 0x1C)
            || (at < 3 && input.starts_with(b"\xEF\xBB\xBF"));
        if keep {
            out.push(byte);
        } else if !byte.is_ascii_whitespace() {
            dropped.get_or_insert((at, at)).1 = at + 1;
        }
    }
    if let Some((start, end)) = dropped {
        removed.push(Removal {
            start,
            end,
            reason: "text between messages that is not HL7",
        });
    }
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
    use super::{Anonymizer, ChangePath, Policy, Preset, work};

    /// `piece` followed by a number, `n` times, joined by `separator`.
    fn repeat(piece: &str, separator: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{piece}{}", i % 100))
            .collect::<Vec<_>>()
            .join(separator)
    }

    fn message(body: &str) -> Vec<u8> {
        format!("MSH|^~\\&|LAB|HOSP|||20240101120000||ORU^R01|MSG1|P|2.5.1\r{body}\r").into_bytes()
    }

    /// A three-character segment id for each number (`Z00`, `Z01`…, then letters).
    fn segment_id(i: usize) -> String {
        const CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        format!(
            "Z{}{}",
            CHARS[i / CHARS.len() % CHARS.len()] as char,
            CHARS[i % CHARS.len()] as char
        )
    }

    /// Inputs with one part made `n` times larger, and the `n` to start from.
    type Shape = (&'static str, usize, fn(usize) -> Vec<u8>);

    const SHAPES: &[Shape] = &[
        ("components", 2_000, |n| {
            message(&format!("PID|1||{}", repeat("ID", "^", n)))
        }),
        ("name components", 2_000, |n| {
            message(&format!("PID|1||1||{}", repeat("DOE", "^", n)))
        }),
        ("subcomponents", 2_000, |n| {
            message(&format!("PID|1||1^^^{}", repeat("HOSP", "&", n)))
        }),
        ("repetitions", 2_000, |n| {
            message(&format!("PID|1||{}", repeat("MRN^^^HOSP^MR", "~", n)))
        }),
        ("fields", 2_000, |n| {
            message(&format!("ZPI|{}", repeat("Z", "|", n)))
        }),
        ("segments", 500, |n| {
            message(&repeat("NTE|1||Called DOE at ", "\r", n))
        }),
        ("distinct segment ids", 300, |n| {
            let body: Vec<String> = (0..n).map(|i| format!("{}|1", segment_id(i))).collect();
            message(&body.join("\r"))
        }),
        ("distinct observation types", 300, |n| {
            let body: Vec<String> = (0..n).map(|i| format!("OBX|{i}|X{i}|1^X||V{i}")).collect();
            message(&body.join("\r"))
        }),
        ("batches", 300, |n| {
            let mut file = String::new();
            for i in 0..n {
                file.push_str("BHS|^~\\&|A\r");
                file.push_str(&String::from_utf8(message(&format!("PID|1||{i}"))).unwrap());
                file.push_str("BTS|1\r");
            }
            file.into_bytes()
        }),
        ("free text, words", 500, |n| {
            message(&format!(
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
                repeat(
                    "Seen DOE 2024-01-02 555-123-4567 mrn1 at x@y.org word",
                    " ",
                    n
                )
            ))
        }),
        ("free text, no spaces", 100, |n| {
            message(&format!(
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
                repeat("doe", ",", n)
            ))
        }),
        ("free text, digit runs", 100, |n| {
            message(&format!(
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}x",
                repeat("1", "-", n)
            ))
        }),
        ("free text, at signs", 100, |n| {
            message(&format!(
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rNTE|1||{}",
                repeat("a", "@", n)
            ))
        }),
        ("free text, values sharing a first word", 2_000, |n| {
            // Learned values `doe a`, `doe aa`, `doe aaa`… (2√n of them, about 2n bytes), and
            // text `doe doe doe…`.
            let names: Vec<String> = (1..=2 * n.isqrt())
                .map(|k| format!("DOE {}", "A".repeat(k)))
                .collect();
            message(&format!(
                "PID|1||1||{}\rNTE|1||{}",
                names.join("~"),
                vec!["doe"; n].join(" ")
            ))
        }),
        ("free text in OBX-5", 500, |n| {
            message(&format!(
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE\rOBX|1|TX|1^Note||{}",
                repeat("Seen by Dr DOE today", " ", n)
            ))
        }),
    ];

    #[test]
    fn values_are_read_as_text_and_written_in_the_message_set() {
        use super::{Cow, Encoding};
        let read = Encoding::Latin1.read(Cow::Borrowed(b"M\xfcller"));
        assert_eq!(&*read, "Müller".as_bytes());
        assert!(matches!(
            Encoding::Latin1.read(Cow::Borrowed(b"DOE")),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            &*Encoding::Bytes.read(Cow::Borrowed(b"M\xfcller")),
            b"M\xfcller"
        );
        let (written, unencodable) = Encoding::Latin1.write(Cow::Borrowed("Łódź für".as_bytes()));
        assert_eq!((&*written, unencodable), (&b"?\xf3d? f\xfcr"[..], true));
        let (written, unencodable) = Encoding::Latin1.write(Cow::Borrowed(b"Grant"));
        assert_eq!((&*written, unencodable), (&b"Grant"[..], false));
        // A byte that is not UTF-8 (from a hex escape) is the ISO 8859-1 character of its value.
        let (written, _) = Encoding::Latin1.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, b"\xfcber");
        let read = Encoding::Text.read(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*read, "über".as_bytes());
        let (written, _) = Encoding::Text.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, "über".as_bytes());
        let (written, _) = Encoding::Bytes.write(Cow::Borrowed(b"\xfcber"));
        assert_eq!(&*written, b"\xfcber");
    }

    /// A replacement holding a character ISO 8859-1 cannot hold is written with `?` and noted.
    /// (The built-in replacements are ASCII, and scrubbing copies the message's own text: this
    /// takes a learned replacement from elsewhere.)
    #[test]
    fn a_character_iso_8859_1_cannot_hold_becomes_a_question_mark_and_a_note() {
        use super::{File, FreeText, Note, Sink, State};
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

    /// Past [`super::last_defined_position`], a leaf's category does not depend on its
    /// position: what lets one plan stand for every such position.
    #[test]
    fn positions_past_the_definitions_are_alike() {
        let beyond = super::last_defined_position();
        for version in pipehat_dict::Version::ALL {
            for data_type in version.data_types() {
                for table in [None, Some(1)] {
                    for c in 1..=beyond + 3 {
                        for s in 1..=beyond + 3 {
                            if c <= beyond && s <= beyond {
                                continue;
                            }
                            let leaf =
                                |c, s| super::category::leaf(version, data_type.id, table, c, s);
                            assert_eq!(
                                leaf(c, s),
                                leaf(c.min(beyond + 1), s.min(beyond + 1)),
                                "{version:?} {} {c}.{s}",
                                data_type.id
                            );
                        }
                    }
                }
            }
        }
    }

    /// The anonymizer's own work grows linearly with every part of a message: counted steps,
    /// not time, for N and 4N parts (a quadratic loop makes 16 times the steps).
    #[test]
    fn linear_work() {
        let anonymizers = [
            Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None).unwrap(),
            // Free text scrubbed: the scrubber is what has the most to walk.
            Anonymizer::new(
                &Policy {
                    free_text: super::FreeText::Scrub,
                    ..Policy::preset(Preset::Pseudonymize)
                },
                Some(b"linear-time test key"),
            )
            .unwrap(),
        ];
        let mut failures = Vec::new();
        for (name, n, make) in SHAPES {
            for anonymizer in &anonymizers {
                let mut steps = [0u64; 2];
                for (k, size) in [*n, 4 * n].into_iter().enumerate() {
                    let input = make(size);
                    work::take();
                    let output = anonymizer.anonymize(&input);
                    steps[k] = work::take();
                    assert!(output.receipt.messages > 0, "{name}");
                }
                let ratio = steps[1] as f64 / steps[0].max(1) as f64;
                eprintln!("{name:<42} {:>12} {:>12} {ratio:>6.2}", steps[0], steps[1]);
                if ratio > 5.0 {
                    failures.push(format!("{name}: {} → {} steps", steps[0], steps[1]));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "work grows faster than the input: {failures:#?}"
        );
    }

    #[test]
    fn change_paths_print_and_compare_as_written() {
        let path = ChangePath::new(b"OBX", 2, 5, Some(3), Some(1), Some(2));
        assert_eq!(path.to_string(), "OBX[2]-5[3].1.2");
        assert!(path == "OBX[2]-5[3].1.2");
        assert!(path != "OBX[2]-5[3].1");
        assert!(path != "OBX[2]-5[3].1.2.1");
        let plain = ChangePath::new(b"PID", 1, 3, Some(1), None, Some(4));
        assert_eq!(plain.to_string(), "PID-3.1.4");
        assert_eq!(serde_json::to_string(&plain).unwrap(), "\"PID-3.1.4\"");
    }
}
