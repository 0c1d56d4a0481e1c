//! Validation of HL7 v2 messages: structure, fields, data types and tables, per version, with a
//! report people can act on.
//!
//! ```
//! use pipehat_validate::{validate, Options, Severity};
//!
//! let input = b"MSH|^~\\&|LAB|HOSP|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\r\
//!               PID|1||123^^^HOSP^MR||DOE^JANE||19800230|F\r";
//! let message = pipehat::Message::parse(input)?;
//! let report = validate(&message, &Options::default());
//!
//! assert_eq!(report.structure, Some("ADT_A01"));
//! let messages: Vec<_> = report.findings.iter().map(|f| f.message.as_str()).collect();
//! assert!(messages.contains(&"PID-7 Date/Time of Birth: '19800230' is not a valid date/time (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ])"));
//! assert!(messages.contains(&"ADT_A01: required segment PV1 is missing"));
//! assert!(!report.is_valid());
//! # Ok::<(), pipehat::Error>(())
//! ```
//!
//! Every finding has a severity (table 0516), an HL7 error code (table 0357), a stable rule id,
//! the location (path, segment position, byte span, line:column) and a message naming the
//! element in words. [`Options::with_values`] set to false leaves every value out of the report,
//! so it can be shared without patient data. The rules and their severities per preset are
//! listed in [`RULES`].

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod plan;
mod profile;
mod report;
mod structure;
mod types;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use pipehat::{Message, Segment};
use pipehat_dict::{Dictionary, Usage, Version};

use plan::{FieldPlan, SegmentPlan, TypePlan, VersionPlans};

pub use profile::{ElementConstraint, Profile, ProfileError, ProfileUsage, SegmentConstraint};
pub use report::{Finding, Location, Report, Severity};

/// How strict validation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// What receivers actually reject: structure, required fields, formats of dates, times and
    /// numbers, codes of HL7-defined tables. Lengths are warnings; user-defined tables,
    /// components' usage and phone number formats are not checked.
    #[default]
    Tolerant,
    /// Everything the dictionary says, as errors where the standard says "must".
    Strict,
}

/// Options for [`validate`].
#[derive(Debug, Clone)]
pub struct Options<'d> {
    /// The version to check against; `None` reads MSH-12 (the nearest known version when it
    /// names one the dictionary lacks, 2.8.2 when it is empty).
    pub version: Option<Version>,
    /// How strict.
    pub preset: Preset,
    /// Whether findings may quote values. False leaves every value out of messages and the
    /// `value` member, so the report carries no patient data.
    pub with_values: bool,
    /// Segment definitions to use besides the standard's (Z-segments); its version is used
    /// when `version` is `None` and MSH-12 is empty.
    pub dictionary: Option<&'d Dictionary>,
    /// A profile's constraints to check too; its custom segments join the dictionary.
    pub profile: Option<&'d Profile>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            version: None,
            preset: Preset::Tolerant,
            with_values: true,
            dictionary: None,
            profile: None,
        }
    }
}

/// A rule: its stable id, HL7 error code, severity in the tolerant and the strict preset
/// (`None`: not checked), and what it checks.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable id, e.g. `field.required`.
    pub id: &'static str,
    /// The HL7 error code (table 0357).
    pub code: u16,
    /// Severity in [`Preset::Tolerant`].
    pub tolerant: Option<Severity>,
    /// Severity in [`Preset::Strict`].
    pub strict: Option<Severity>,
    /// What it checks.
    pub description: &'static str,
}

const E: Option<Severity> = Some(Severity::Error);
const W: Option<Severity> = Some(Severity::Warning);
const I: Option<Severity> = Some(Severity::Info);

/// Every rule the validator applies (besides the parser's diagnostics, reported under their
/// own codes such as `delimiters.duplicate` or `encoding.invalid-utf8`).
pub const RULES: &[Rule] = &[
    rule(
        "msh.version-missing",
        203,
        E,
        E,
        "MSH-12 is empty or holds no version: the newest version is assumed",
    ),
    rule(
        "msh.version-unknown",
        203,
        W,
        E,
        "MSH-12 names a version the dictionary lacks: the nearest older one is used",
    ),
    rule(
        "msh.message-type-unknown",
        200,
        E,
        E,
        "MSH-9.1 is not a message type of the version",
    ),
    rule(
        "msh.event-unknown",
        201,
        E,
        E,
        "MSH-9.2 is not a trigger event of the message type in the version",
    ),
    rule(
        "msh.structure-unknown",
        200,
        E,
        E,
        "MSH-9.3 is not a message structure of the version",
    ),
    rule(
        "msh.structure-mismatch",
        201,
        W,
        E,
        "MSH-9.3 differs from the structure the version gives the event",
    ),
    rule(
        "structure.segment-missing",
        100,
        E,
        E,
        "a required segment of the structure is missing",
    ),
    rule(
        "structure.group-missing",
        100,
        E,
        E,
        "a required group of the structure is missing",
    ),
    rule(
        "structure.segment-out-of-order",
        100,
        E,
        E,
        "the structure has the segment, but not here",
    ),
    rule(
        "structure.segment-unexpected",
        100,
        E,
        E,
        "the structure does not have the segment (Z-segments are allowed anywhere)",
    ),
    rule(
        "structure.too-many",
        100,
        E,
        E,
        "a segment or group repeats more often than the structure allows",
    ),
    rule(
        "segment.unknown",
        100,
        W,
        E,
        "a segment the version does not define (not a Z-segment)",
    ),
    rule("field.required", 101, E, E, "a required field is empty"),
    rule(
        "field.repetitions",
        102,
        E,
        E,
        "a field repeats more often than allowed",
    ),
    rule(
        "field.length",
        104,
        W,
        E,
        "a field's repetition is longer than the maximum length",
    ),
    rule(
        "field.not-supported",
        102,
        I,
        W,
        "a field the version marks not supported (X) has a value",
    ),
    rule(
        "field.withdrawn",
        102,
        I,
        W,
        "a field the version withdrew (W) has a value",
    ),
    rule(
        "field.unknown",
        102,
        W,
        E,
        "a field beyond the segment's last defined field has a value",
    ),
    rule(
        "component.required",
        101,
        None,
        E,
        "a required component of a valued field is empty",
    ),
    rule(
        "component.unknown",
        102,
        I,
        E,
        "a component beyond the data type's last one has a value",
    ),
    rule(
        "value.format",
        102,
        E,
        E,
        "a DT, TM, DTM/TS, NM or SI value does not have its type's format",
    ),
    rule(
        "value.table",
        103,
        W,
        E,
        "a code is not in the version's HL7-defined table (ID fields, CNE, and CE/CWE naming an HL7 table); a warning by default, as senders often use codes added in later versions",
    ),
    rule(
        "value.user-table",
        103,
        None,
        W,
        "a code is not among a user-defined table's suggested values",
    ),
    rule(
        "value.escape",
        102,
        W,
        E,
        "a malformed escape sequence (kept as written)",
    ),
    rule(
        "obx.value-type-unknown",
        102,
        E,
        E,
        "OBX-2 names no data type of the version, so OBX-5 cannot be checked",
    ),
    rule(
        "profile.segment-usage",
        100,
        E,
        E,
        "the profile requires a segment that is absent (R), or forbids one that is present (X)",
    ),
    rule(
        "profile.segment-cardinality",
        100,
        E,
        E,
        "a segment occurs fewer or more times than the profile allows",
    ),
    rule(
        "profile.required",
        101,
        E,
        E,
        "an element the profile requires (R) is empty",
    ),
    rule(
        "profile.not-used",
        102,
        E,
        E,
        "an element the profile does not use (X) has a value",
    ),
    rule(
        "profile.cardinality",
        102,
        E,
        E,
        "a field repeats fewer or more times than the profile allows",
    ),
    rule(
        "profile.length",
        104,
        E,
        E,
        "a value is longer than the profile's maximum length",
    ),
    rule(
        "profile.fixed",
        103,
        E,
        E,
        "a value differs from the profile's fixed value",
    ),
    rule(
        "profile.value-set",
        103,
        E,
        E,
        "a value is not in the profile's value set (or table)",
    ),
];

const fn rule(
    id: &'static str,
    code: u16,
    tolerant: Option<Severity>,
    strict: Option<Severity>,
    description: &'static str,
) -> Rule {
    Rule {
        id,
        code,
        tolerant,
        strict,
        description,
    }
}

/// Whether `preset` checks the rule at all.
fn rule_enabled(preset: Preset, id: &str) -> bool {
    let rule = find_rule(id);
    match preset {
        Preset::Tolerant => rule.tolerant.is_some(),
        Preset::Strict => rule.strict.is_some(),
    }
}

fn find_rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|rule| rule.id == id)
        .unwrap_or_else(|| panic!("rule {id} is not in RULES"))
}

/// Validates one message; see the crate documentation.
///
/// What is resolved from the dictionary (segments' fields, data types, tables, names) is kept
/// for the thread's next messages; [`Validator`] keeps it where the caller chooses.
#[must_use]
pub fn validate(message: &Message<'_>, options: &Options<'_>) -> Report {
    thread_local! {
        static VALIDATOR: RefCell<Validator> = RefCell::new(Validator::new());
    }
    VALIDATOR.with(|validator| match validator.try_borrow_mut() {
        Ok(mut validator) => validator.validate(message, options),
        Err(_) => Validator::new().validate(message, options),
    })
}

/// A validator that keeps what it resolved from the dictionary — each segment's fields with
/// their data types and tables, each data type's components, each table's codes, the names of
/// elements — for the messages after the first: validating many messages with one is faster
/// than with [`validate`] alone only in that the cache is the caller's, not the thread's.
///
/// ```
/// use pipehat_validate::{Options, Validator};
///
/// let mut validator = Validator::new();
/// let message = pipehat::Message::parse(b"MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rPID|1||||DOE\r")?;
/// let report = validator.validate(&message, &Options::default());
/// assert_eq!(report, pipehat_validate::validate(&message, &Options::default()));
/// # Ok::<(), pipehat::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Validator {
    versions: Vec<VersionPlans>,
}

impl Validator {
    /// A validator with nothing resolved yet.
    #[must_use]
    pub fn new() -> Self {
        Validator::default()
    }

    /// Validates one message, like [`validate`].
    #[must_use]
    pub fn validate(&mut self, message: &Message<'_>, options: &Options<'_>) -> Report {
        self.validate_with(message, options, None)
    }

    fn validate_with(
        &mut self,
        message: &Message<'_>,
        options: &Options<'_>,
        lines: Option<&pipehat::position::LineIndex<'_>>,
    ) -> Report {
        // A profile's custom segments join the dictionary of the version the message is checked in.
        let merged = options
            .profile
            .filter(|p| !p.custom_segments.is_empty())
            .map(|profile| {
                let version = choose_version(message, options).0;
                let mut dictionary = options
                    .dictionary
                    .filter(|d| d.version() == version)
                    .cloned()
                    .unwrap_or_else(|| Dictionary::new(version));
                for segment in &profile.custom_segments {
                    dictionary.add_segment(segment.clone());
                }
                dictionary
            });
        let merged_options;
        let options = match &merged {
            Some(dictionary) => {
                merged_options = Options {
                    dictionary: Some(dictionary),
                    ..options.clone()
                };
                &merged_options
            }
            None => options,
        };
        let mut run = Run::new(message, options, &mut self.versions);
        run.run();
        run.finish(lines)
    }

    /// Validates one message of a file whose line index the caller keeps (`lines` indexes
    /// `message.input()`): for working through a big file in steps without indexing it again
    /// for each message, as [`Validator::validate_file`] does in one go.
    #[must_use]
    pub fn validate_in(
        &mut self,
        message: &Message<'_>,
        options: &Options<'_>,
        lines: &pipehat::position::LineIndex<'_>,
    ) -> Report {
        self.validate_with(message, options, Some(lines))
    }

    /// Validates every message of a file, in order. Finds each finding's line:column in one
    /// index of the file's lines, where validating its messages one by one would index the
    /// whole file again for each message (each message's input is the whole file).
    ///
    /// ```
    /// use pipehat_validate::{Options, Validator};
    ///
    /// let file = pipehat::File::parse(b"MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE\rPV1|1|O\r\n\
    ///                                   MSH|^~\\&|A|B|||20261122||ADT^A04|2|P|2.5.1\rEVN||20261122\rPID|1||7||DOE||19800230\rPV1|1|O\r");
    /// let reports = Validator::new().validate_file(&file, &Options::default());
    /// assert!(reports[0].is_valid());
    /// assert_eq!(reports[1].findings[0].location.line, 7); // the file's line, not the message's
    /// ```
    #[must_use]
    pub fn validate_file(
        &mut self,
        file: &pipehat::File<'_>,
        options: &Options<'_>,
    ) -> Vec<Report> {
        let lines = pipehat::position::LineIndex::new(file.input());
        file.messages()
            .iter()
            .map(|message| self.validate_in(message, options, &lines))
            .collect()
    }
}

/// The version to check against, MSH-12 as written, and — when MSH-12 named a version — the
/// note of how it resolved.
/// `MSH-field.component` as text (what `Message::get` gives for that path, without parsing
/// one); empty where the message lacks it.
fn msh_component(message: &Message<'_>, field: usize, component: usize) -> String {
    message
        .segment(b"MSH")
        .and_then(|msh| msh.field(field))
        .and_then(|f| f.repetition(1))
        .and_then(|r| r.component(component))
        .map(|c| c.text().into_owned())
        .unwrap_or_default()
}

fn choose_version(
    message: &Message<'_>,
    options: &Options<'_>,
) -> (Version, String, Option<Option<String>>) {
    let written = msh_component(message, 12, 1);
    let resolution = Version::resolve(&written);
    let version = match (options.version, &resolution) {
        (Some(version), _) => version,
        (None, Some(resolution)) => resolution.version,
        (None, None) => options
            .dictionary
            .map_or(Version::LATEST, Dictionary::version),
    };
    (version, written, resolution.map(|r| r.note))
}

/// Segment plans from `Options::dictionary` by segment id. A map, not a list: the ids come
/// from the message, and a message may have thousands of distinct ones (Z-segments of any
/// length), each of which a list would compare with all before it.
type LocalPlans<'d> = HashMap<Box<[u8]>, Option<Arc<SegmentPlan<'d>>>>;

/// One message being validated.
struct Run<'m, 'a, 'o, 'c> {
    message: &'m Message<'a>,
    options: &'o Options<'o>,
    version: Version,
    structure: Option<pipehat_dict::Structure>,
    findings: Vec<(Finding, usize)>,
    /// The validator's plans, one entry per version met so far.
    versions: &'c mut Vec<VersionPlans>,
    /// Which of `versions` is the message's version (set with the version).
    plans: usize,
    /// Segment plans from `options.dictionary`, for this message only.
    local: LocalPlans<'o>,
    /// How the message's delimiters split values (see [`Walk`]).
    walk: Walk,
    /// Reused lists of a segment's fields, a field's repetitions and a value's parts (components,
    /// subcomponents), so walking a message allocates none.
    buffers: [Vec<Piece<'a>>; 4],
    /// Whether the preset checks `value.table` and `value.user-table`, known before a code is
    /// looked up.
    table_rules: [bool; 2],
}

/// Where a finding points before line:column are known.
struct At {
    path: Option<String>,
    segment: usize,
    span: pipehat::Span,
}

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    fn new(
        message: &'m Message<'a>,
        options: &'o Options<'o>,
        versions: &'c mut Vec<VersionPlans>,
    ) -> Self {
        Run {
            message,
            options,
            version: Version::LATEST,
            structure: None,
            // Sized for a typical message, so few grow (a finding is large to move).
            findings: Vec::with_capacity(16),
            versions,
            plans: usize::MAX,
            local: HashMap::new(),
            walk: Walk::new(message),
            buffers: [64, 8, 16, 8].map(Vec::with_capacity),
            table_rules: ["value.table", "value.user-table"]
                .map(|rule| rule_enabled(options.preset, rule)),
        }
    }

    /// Sets the version checked against, and finds (or makes) its plans.
    fn set_version(&mut self, version: Version) {
        self.version = version;
        self.plans = match self.versions.iter().position(|p| p.version() == version) {
            Some(at) => at,
            None => {
                self.versions.push(VersionPlans::new(version));
                self.versions.len() - 1
            }
        };
    }

    /// The plans of the message's version.
    fn plans(&mut self) -> &mut VersionPlans {
        &mut self.versions[self.plans]
    }

    /// A segment's plan: from `options.dictionary` when given, else the version's.
    fn segment_plan(&mut self, id: &[u8]) -> Option<Arc<SegmentPlan<'o>>> {
        let Some(dictionary) = self.options.dictionary else {
            return self.plans().segment(id);
        };
        if let Some(plan) = self.local.get(id) {
            return plan.clone();
        }
        let plan = dictionary
            .segment(&String::from_utf8_lossy(id))
            .map(|def| Arc::new(self.plans().segment_plan(&def)));
        self.local.insert(id.into(), plan.clone());
        plan
    }

    /// Whether the preset checks this rule at all: callers skip building the words otherwise.
    fn enabled(&self, rule_id: &str) -> bool {
        rule_enabled(self.options.preset, rule_id)
    }

    fn report(&mut self, rule_id: &'static str, at: At, message: String, value: Option<&str>) {
        let rule = find_rule(rule_id);
        let severity = match self.options.preset {
            Preset::Tolerant => rule.tolerant,
            Preset::Strict => rule.strict,
        };
        let Some(severity) = severity else { return };
        let order = at.span.start;
        self.findings.push((
            Finding {
                severity,
                code: rule.code,
                rule: rule.id,
                location: Location {
                    path: at.path,
                    segment: at.segment,
                    span: [at.span.start, at.span.end],
                    line: 0,
                    column: 0,
                },
                message,
                value: value
                    .filter(|_| self.options.with_values)
                    .map(str::to_owned),
            },
            order,
        ));
    }

    /// "PID-7 Date/Time of Birth" for an element of a standard segment: the label from the
    /// plans, the path printed as [`pipehat::Path`] prints it.
    fn named(&mut self, loc: Loc<'_>) -> String {
        let segment = loc.segment.as_bytes();
        let standard = self.options.dictionary.is_none()
            && segment.len() >= 3
            && (segment.len() == 3 || segment[3] == b'[')
            && segment[..3]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !standard {
            return self.named_path(loc);
        }
        let id = [segment[0], segment[1], segment[2]];
        let label = self
            .plans()
            .label(id, loc.field, loc.component, loc.subcomponent);
        // Room for the rest of a finding's words too (see `words`).
        let mut named = String::with_capacity(loc.segment.len() + label.len() + 96);
        loc.write_path(&mut named, false);
        if !label.is_empty() {
            named.push(' ');
            named.push_str(label);
        }
        named
    }

    /// A finding's words in one string: the element [`named`](Self::named), then the value
    /// [`quoted`](Self::quoted) if one is given, then `rest`.
    fn words(
        &mut self,
        loc: Loc<'_>,
        value: Option<&str>,
        rest: core::fmt::Arguments<'_>,
    ) -> String {
        use core::fmt::Write as _;
        let mut words = self.named(loc);
        if let Some(value) = value {
            if self.options.with_values {
                words.push_str(": '");
                words.push_str(value);
                words.push_str("' is");
            } else {
                words.push_str(" is");
            }
        }
        words.write_fmt(rest).expect("a String");
        words
    }

    /// "PID-7 Date/Time of Birth" for a path.
    fn named_path(&self, path: impl core::fmt::Display) -> String {
        let path = path.to_string();
        let Ok(parsed) = path.parse::<pipehat::Path>() else {
            return path;
        };
        let label = match self.options.dictionary {
            Some(dictionary) if dictionary.version() == self.version => {
                dictionary.describe(&parsed).label()
            }
            _ => self.version.describe(&parsed).label(),
        };
        if label.is_empty() {
            parsed.to_string()
        } else {
            format!("{parsed} {label}")
        }
    }

    /// `": 'value' is …"` or `" is …"` without values.
    fn quoted(&self, value: &str) -> String {
        if self.options.with_values {
            format!(": '{value}' is")
        } else {
            " is".to_owned()
        }
    }

    fn run(&mut self) {
        for diagnostic in self.message.diagnostics() {
            let severity = match diagnostic.severity() {
                pipehat::Severity::Error => Severity::Error,
                pipehat::Severity::Warning => Severity::Warning,
                pipehat::Severity::Info => Severity::Info,
            };
            let span = diagnostic.span();
            self.findings.push((
                Finding {
                    severity,
                    code: 102,
                    rule: diagnostic.code(),
                    location: Location {
                        path: None,
                        segment: self.segment_at(span.start),
                        span: [span.start, span.end],
                        line: 0,
                        column: 0,
                    },
                    message: diagnostic.to_string(),
                    value: None,
                },
                span.start,
            ));
        }
        self.check_header();
        let segments: Vec<Segment<'a>> = self.message.segments().collect();
        self.check_structure(&segments);
        let mut occurrences = Occurrences::default();
        for (index, segment) in segments.iter().enumerate() {
            let occurrence = occurrences.next(segment.id());
            self.check_segment(segment, index, occurrence);
        }
        if let Some(profile) = self.options.profile {
            self.check_profile(profile, &segments);
        }
    }

    fn segment_at(&self, offset: usize) -> usize {
        self.message
            .segments()
            .position(|s| s.span().end >= offset)
            .map_or(self.message.segments().len(), |i| i + 1)
    }

    fn msh_at(&self, path: &str) -> At {
        let parsed: pipehat::Path = path.parse().expect("a fixed MSH path");
        let span = self.message.get(&parsed).map_or_else(
            || {
                self.message
                    .segments()
                    .next()
                    .map_or(self.message.span(), |s| s.span())
            },
            |e| e.span(),
        );
        At {
            path: Some(parsed.to_string()),
            segment: 1,
            span,
        }
    }

    fn check_header(&mut self) {
        let (version, written, resolution) = choose_version(self.message, self.options);
        self.set_version(version);
        match (self.options.version, resolution) {
            (Some(_), _) => {}
            (None, Some(note)) => {
                if let Some(note) = note {
                    let at = self.msh_at("MSH-12");
                    self.report("msh.version-unknown", at, note, Some(&written));
                }
            }
            (None, None) => {
                let message = if written.is_empty() {
                    format!("MSH-12 Version ID is empty; checked against HL7 v{version}")
                } else {
                    format!(
                        "MSH-12 Version ID{} not an HL7 version; checked against HL7 v{version}",
                        self.quoted(&written)
                    )
                };
                let at = self.msh_at("MSH-12");
                self.report("msh.version-missing", at, message, Some(&written));
            }
        }

        let msh9 = self
            .message
            .segment(b"MSH")
            .and_then(|msh| msh.field(9))
            .and_then(|f| f.repetition(1));
        let [message_type, event, named_structure] = [1, 2, 3].map(|n| {
            msh9.and_then(|r| r.component(n))
                .map(|c| c.text().into_owned())
                .unwrap_or_default()
        });
        let version = self.version;
        let by_event = version.event(&message_type, &event);
        if !named_structure.is_empty() {
            match version.structure(&named_structure) {
                None => {
                    let message = format!(
                        "MSH-9.3 Message Structure{} not a structure of HL7 v{version}",
                        self.quoted(&named_structure)
                    );
                    self.report(
                        "msh.structure-unknown",
                        self.msh_at("MSH-9.3"),
                        message,
                        Some(&named_structure),
                    );
                }
                Some(structure) => {
                    if let Some(event) = by_event
                        && event.structure != structure.id
                    {
                        let message = format!(
                            "MSH-9.3 Message Structure {} differs from {}, the structure of {}^{} in HL7 v{version}",
                            structure.id, event.structure, event.message_type, event.trigger_event
                        );
                        self.report(
                            "msh.structure-mismatch",
                            self.msh_at("MSH-9.3"),
                            message,
                            None,
                        );
                    }
                    self.structure = Some(structure);
                    return;
                }
            }
        }
        if let Some(structure) = version.structure_for(&message_type, &event) {
            self.structure = Some(structure);
            return;
        }
        let type_known = version.events().any(|e| e.message_type == message_type);
        if !type_known {
            let message = format!(
                "MSH-9.1 Message Type{} not a message type of HL7 v{version}; the structure is not checked",
                self.quoted(&message_type)
            );
            self.report(
                "msh.message-type-unknown",
                self.msh_at("MSH-9.1"),
                message,
                Some(&message_type),
            );
        } else if named_structure.is_empty() {
            let message = format!(
                "MSH-9.2 Trigger Event{} not an event of {message_type} in HL7 v{version}; the structure is not checked",
                self.quoted(&event)
            );
            self.report(
                "msh.event-unknown",
                self.msh_at("MSH-9.2"),
                message,
                Some(&event),
            );
        }
    }

    fn check_structure(&mut self, segments: &[Segment<'a>]) {
        let Some(structure) = self.structure else {
            return;
        };
        let root = self.plans().structure(&structure);
        let ids: Vec<Cow<'_, str>> = segments
            .iter()
            .map(|s| String::from_utf8_lossy(s.id()))
            .collect();
        let id_refs: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
        let end = self.message.span().end;
        let segment_span = |index: usize| {
            segments
                .get(index)
                .map_or(pipehat::Span::new(end, end), |s| s.span())
        };
        for problem in structure::check(&root, &id_refs) {
            match problem {
                structure::Problem::Missing {
                    kind,
                    name,
                    group,
                    before,
                } => {
                    let span = segment_span(before);
                    let span = pipehat::Span::new(span.start, span.start);
                    let (rule, message) = if kind != "segment" {
                        (
                            "structure.group-missing",
                            format!("{group}: required group {name} is missing"),
                        )
                    } else {
                        (
                            "structure.segment-missing",
                            format!("{group}: required segment {name} is missing"),
                        )
                    };
                    self.report(
                        rule,
                        At {
                            path: None,
                            segment: before + 1,
                            span,
                        },
                        message,
                        None,
                    );
                }
                structure::Problem::TooMany {
                    index,
                    kind,
                    name,
                    max,
                    group,
                } => {
                    let message = format!(
                        "{group}: {kind} {name} occurs more than {max} time{}",
                        if max == 1 { "" } else { "s" }
                    );
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.too-many", at, message, None);
                }
                structure::Problem::OutOfOrder { index } => {
                    let message = format!(
                        "segment {} is out of order: {} does not have it at this place",
                        id_refs[index], structure.id
                    );
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.segment-out-of-order", at, message, None);
                }
                structure::Problem::Unexpected { index } => {
                    let message =
                        format!("segment {} is not part of {}", id_refs[index], structure.id);
                    let at = At {
                        path: None,
                        segment: index + 1,
                        span: segment_span(index),
                    };
                    self.report("structure.segment-unexpected", at, message, None);
                }
            }
        }
    }

    fn check_segment(&mut self, segment: &Segment<'a>, index: usize, occurrence: usize) {
        let Some(plan) = self.segment_plan(segment.id()) else {
            let id = String::from_utf8_lossy(segment.id());
            if !id.starts_with('Z') && id.len() == 3 {
                let message = format!("segment {id} is not defined in HL7 v{}", self.version);
                let at = At {
                    path: None,
                    segment: index + 1,
                    span: segment.span(),
                };
                self.report("segment.unknown", at, message, None);
            }
            return;
        };
        let id = String::from_utf8_lossy(segment.id());
        let prefix = if occurrence == 1 {
            id.clone()
        } else {
            Cow::Owned(format!("{id}[{occurrence}]"))
        };
        let header = segment.is_header();
        let mut present = 0;
        let mut fields = std::mem::take(&mut self.buffers[0]);
        fields.clear();
        if header {
            fields.extend(
                segment
                    .fields()
                    .map(|f| self.walk.piece(f.as_bytes(), f.span().start)),
            );
        } else {
            let bytes = segment.as_bytes();
            let id_len = segment.id().len();
            if id_len < bytes.len() {
                let start = segment.span().start + id_len + 1;
                self.walk
                    .split(&bytes[id_len + 1..], start, Walk::FIELD, &mut fields);
            }
        }
        for (i, field) in fields.iter().enumerate() {
            let number = i + 1;
            present = number;
            if header && number <= 2 {
                continue;
            }
            let loc = Loc::field(&prefix, index, number);
            let Some(field_plan) = plan.fields.get(i) else {
                if !field.is_empty() {
                    let message = format!(
                        "{loc} has a value, but {id} has {} fields in HL7 v{}",
                        plan.field_count, self.version
                    );
                    let text = field.text(&self.walk);
                    self.report("field.unknown", loc.at(field.span()), message, Some(&text));
                }
                continue;
            };
            self.check_field(field, field_plan, loc, segment);
        }
        self.buffers[0] = fields;
        for number in present + 1..=plan.field_count {
            if let Some(field_plan) = plan.fields.get(number - 1)
                && field_plan.def.usage == Usage::Required
                && !(header && number == 12)
            {
                let loc = Loc::field(&prefix, index, number);
                let message = self.words(loc, None, format_args!(" is required but absent"));
                let end = segment.span().end;
                self.report(
                    "field.required",
                    loc.at(pipehat::Span::new(end, end)),
                    message,
                    None,
                );
            }
        }
    }

    fn check_field(
        &mut self,
        field: &Piece<'a>,
        plan: &FieldPlan<'_>,
        loc: Loc<'_>,
        segment: &Segment<'a>,
    ) {
        let def = &plan.def;
        if field.is_empty() {
            // An empty MSH-12 is msh.version-missing.
            let msh12 = loc.field == 12 && segment.is_header();
            if def.usage == Usage::Required && !msh12 {
                let message = self.words(loc, None, format_args!(" is required but empty"));
                self.report("field.required", loc.at(field.span()), message, None);
            }
            return;
        }
        if def.usage == Usage::NotSupported {
            let message = format!(
                "{} is not supported in HL7 v{} but has a value",
                self.named(loc),
                self.version
            );
            let text = field.text(&self.walk);
            self.report(
                "field.not-supported",
                loc.at(field.span()),
                message,
                Some(&text),
            );
        } else if def.data_type == "WD" || def.usage == Usage::Withdrawn {
            let message = format!(
                "{} was withdrawn in HL7 v{} but has a value",
                self.named(loc),
                self.version
            );
            let text = field.text(&self.walk);
            self.report(
                "field.withdrawn",
                loc.at(field.span()),
                message,
                Some(&text),
            );
        }
        // A plain field (a primitive type without format or table) with no repetition, no
        // component and no escape: one value, of which only the length is checked.
        if plan.plain && field.flags & (Walk::REPETITION | Walk::COMPONENT | Walk::ESCAPE) == 0 {
            if !field.is_null() {
                self.check_length(&plan.def, field, loc);
            }
            return;
        }
        let mut repetitions = std::mem::take(&mut self.buffers[1]);
        repetitions.clear();
        self.walk.parts(field, Walk::REPETITION, &mut repetitions);
        self.check_repetitions(field, plan, &repetitions, loc, segment);
        self.buffers[1] = repetitions;
    }

    fn check_repetitions(
        &mut self,
        field: &Piece<'a>,
        plan: &FieldPlan<'_>,
        repetitions: &[Piece<'a>],
        loc: Loc<'_>,
        segment: &Segment<'a>,
    ) {
        let def = &plan.def;
        if let Some(max) = def.max_repetitions
            && repetitions.len() > max as usize
        {
            let times = repetitions.len();
            let message = self.words(
                loc,
                None,
                format_args!(" repeats {times} times; at most {max} allowed"),
            );
            self.report("field.repetitions", loc.at(field.span()), message, None);
        }
        // OBX-5 takes its type from OBX-2.
        let mut type_plan = plan.data_type.clone();
        let mut data_type = Cow::Borrowed(def.data_type);
        if def.data_type == "varies" {
            if segment.id() != b"OBX" || loc.field != 5 {
                return;
            }
            let obx2 = segment.field(2);
            let declared = obx2
                .as_ref()
                .and_then(|f| f.component(1))
                .map(|c| c.text().into_owned())
                .unwrap_or_default();
            if declared.is_empty() {
                return;
            }
            type_plan = self.plans().data_type(&declared);
            if type_plan.is_none() {
                let obx2_loc = Loc { field: 2, ..loc };
                let (obx2_named, obx5_named) = (self.named(obx2_loc), self.named(loc));
                let message = format!(
                    "{obx2_named}{} not a data type of HL7 v{}, so {obx5_named} cannot be checked",
                    self.quoted(&declared),
                    self.version,
                );
                let span = obx2.map_or(field.span(), |f| f.span());
                self.report(
                    "obx.value-type-unknown",
                    obx2_loc.at(span),
                    message,
                    Some(&declared),
                );
                return;
            }
            data_type = Cow::Owned(declared);
        }
        let many = repetitions.len() > 1;
        for (r, repetition) in repetitions.iter().enumerate() {
            if repetition.is_empty() || repetition.is_null() {
                continue;
            }
            let rep_loc = Loc {
                repetition: many.then_some(r + 1),
                ..loc
            };
            self.check_length(def, repetition, rep_loc);
            // A plain value without components or escapes has nothing more to check.
            if plan.plain && repetition.flags & (Walk::COMPONENT | Walk::ESCAPE) == 0 {
                continue;
            }
            let mut components = std::mem::take(&mut self.buffers[2]);
            components.clear();
            self.walk
                .parts(repetition, Walk::COMPONENT, &mut components);
            self.check_typed(
                &data_type,
                type_plan.as_deref(),
                def.table,
                &components,
                rep_loc,
                0,
            );
            self.buffers[2] = components;
        }
    }

    /// The maximum length of a field's repetition (`bytes` as written, `text` decoded).
    ///
    /// Escapes decode to fewer characters than they take, so a value whose raw bytes fit the
    /// limit fits it decoded: only the ones that might not are decoded (and make a call).
    #[inline]
    fn check_length(
        &mut self,
        def: &pipehat_dict::ElementDef<'_>,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        if let Some(max) = def.max_length
            && value.bytes.len() > max as usize
        {
            self.check_decoded_length(def, max, value, loc);
        }
    }

    fn check_decoded_length(
        &mut self,
        def: &pipehat_dict::ElementDef<'_>,
        max: u32,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        let span = value.span();
        let text = value.text(&self.walk);
        if text.chars().count() <= max as usize {
            return;
        }
        // A code the standard lists is never too long for its own field (2.5.1's OBX-2 allows
        // 2 characters, yet table 0125 has CWE).
        let listed = def.table.is_some_and(|t| {
            (t == 125 && self.version.data_type(&text).is_some())
                || self
                    .version
                    .table(t)
                    .is_some_and(|table| table.contains(&text))
        });
        if !listed {
            let length = text.chars().count();
            let message = self.words(
                loc,
                None,
                format_args!(" is {length} characters long; at most {max} allowed"),
            );
            self.report("field.length", loc.at(span), message, Some(&text));
        }
    }

    /// Checks the parts of a value (a repetition's components, or a component's
    /// subcomponents) against a data type. `depth` 0 is a field, 1 a component.
    #[allow(clippy::too_many_arguments)]
    fn check_typed(
        &mut self,
        data_type: &str,
        def: Option<&TypePlan>,
        table: Option<u16>,
        parts: &[Piece<'a>],
        loc: Loc<'_>,
        depth: usize,
    ) {
        let composite = def.filter(|d| !d.is_primitive());
        let Some(composite) = composite else {
            // A primitive: its value is the first part; more parts are extra components.
            let Some(first) = parts.first() else { return };
            self.check_escapes(first, loc);
            let checked = def.map_or_else(|| types::is_checked(data_type), |d| d.checked);
            if !first.is_empty() && !first.is_null() && (checked || table.is_some()) {
                self.check_primitive(data_type, table, first, loc);
            }
            for (i, extra) in parts.iter().enumerate().skip(1) {
                if !extra.is_empty() {
                    let part_loc = loc.child(i + 1);
                    let number = i + 1;
                    let message = self.words(
                        loc,
                        None,
                        format_args!(" is a {data_type}, which has no component {number}"),
                    );
                    let text = extra.text(&self.walk);
                    self.report(
                        "component.unknown",
                        part_loc.at(extra.span()),
                        message,
                        Some(&text),
                    );
                }
            }
            return;
        };
        let count = composite.components.len();
        let any_valued = parts.iter().any(|p| !p.is_empty());
        for (i, part) in parts.iter().enumerate() {
            // A value with one part is named by its parent: PID-7, not PID-7.1.
            let part_loc = if parts.len() == 1 {
                loc
            } else {
                loc.child(i + 1)
            };
            let Some(component) = composite.components.get(i) else {
                if !part.is_empty() {
                    let number = i + 1;
                    let message = self.words(
                        loc,
                        None,
                        format_args!(
                            " is a {data_type}, which has {count} components; component {number} has a value"
                        ),
                    );
                    let text = part.text(&self.walk);
                    self.report(
                        "component.unknown",
                        part_loc.at(part.span()),
                        message,
                        Some(&text),
                    );
                }
                continue;
            };
            if part.is_empty() {
                if component.def.usage == Usage::Required
                    && any_valued
                    && self.enabled("component.required")
                {
                    let message =
                        self.words(part_loc, None, format_args!(" is required but empty"));
                    self.report(
                        "component.required",
                        part_loc.at(part.span()),
                        message,
                        None,
                    );
                }
                continue;
            }
            match part {
                // A primitive component with no subcomponent and no escape: one value, checked
                // as the walk below would check it, without walking.
                c if depth == 0
                    && component.primitive
                    && c.flags & (Walk::SUBCOMPONENT | Walk::ESCAPE) == 0 =>
                {
                    if component.primitive_checked && !c.is_null() {
                        self.check_primitive(
                            component.def.data_type,
                            component.def.table,
                            c,
                            part_loc,
                        );
                    }
                }
                c if depth == 0 => {
                    let mut subs = std::mem::take(&mut self.buffers[3]);
                    subs.clear();
                    self.walk.parts(c, Walk::SUBCOMPONENT, &mut subs);
                    self.check_typed(
                        component.def.data_type,
                        component.sub.as_deref(),
                        component.def.table,
                        &subs,
                        part_loc,
                        1,
                    );
                    self.buffers[3] = subs;
                }
                _ => {
                    // A subcomponent: checked as a primitive of the component's type.
                    self.check_escapes(part, part_loc);
                    if !part.is_null() && component.checked {
                        self.check_primitive(
                            component.def.data_type,
                            component.def.table,
                            part,
                            part_loc,
                        );
                    }
                }
            }
        }
        // Coded types naming an HL7 table in their coding system: CE/CWE/CNE.3 "HL70001".
        if composite.coded {
            for (code_at, system_at) in [(0, 2), (3, 5)] {
                let (Some(code), Some(system)) = (parts.get(code_at), parts.get(system_at)) else {
                    continue;
                };
                // Without escapes, the system's bytes say what its text says: "HL7" and a
                // number in four bytes (text of other bytes has no such number either), or
                // nothing.
                let (number, empty) = if system.flags & Walk::ESCAPE == 0 {
                    let number = system
                        .bytes
                        .strip_prefix(b"HL7")
                        .filter(|n| n.len() == 4)
                        .and_then(|n| std::str::from_utf8(n).ok())
                        .and_then(|n| n.parse::<u16>().ok());
                    (number, system.is_empty())
                } else {
                    let system_text = system.text(&self.walk);
                    let number = system_text
                        .strip_prefix("HL7")
                        .filter(|n| n.len() == 4)
                        .and_then(|n| n.parse::<u16>().ok());
                    (number, system_text.is_empty())
                };
                let table = match (number, data_type) {
                    (Some(number), _) => Some(number),
                    (None, "CNE") if code_at == 0 && empty => table,
                    _ => None,
                };
                if let Some(table) = table {
                    let code_loc = loc.child(code_at + 1);
                    self.check_code(table, "value.table", code, code_loc);
                }
            }
        }
    }

    /// A value of a primitive type: its format, then its table. The value is decoded to text
    /// only where a check needs it.
    fn check_primitive(
        &mut self,
        data_type: &str,
        table: Option<u16>,
        value: &Piece<'a>,
        loc: Loc<'_>,
    ) {
        if types::is_checked(data_type) {
            let text = value.text(&self.walk);
            if let Err(expected) = types::check(data_type, &text) {
                let message = self.words(loc, Some(&text), format_args!(" not {expected}"));
                self.report("value.format", loc.at(value.span()), message, Some(&text));
                return;
            }
        }
        match (data_type, table) {
            ("ID", Some(table)) => self.check_code(table, "value.table", value, loc),
            ("IS", Some(table)) => self.check_code(table, "value.user-table", value, loc),
            _ => {}
        }
    }

    fn check_code(&mut self, table: u16, rule: &'static str, value: &Piece<'a>, loc: Loc<'_>) {
        // MSH-9's codes are checked by the msh.* rules against the version's events and
        // structures, MSH-12's by msh.version-*; OBX-2's (table 0125) by
        // obx.value-type-unknown against its data types (the sources' lists of 0125 lag
        // behind: 2.5.1's lacks CWE).
        let msh = loc.segment == "MSH" && matches!(loc.field, 9 | 12);
        if msh || table == 125 {
            return;
        }
        // Whether the preset checks the codes of plain and of user-defined tables.
        let [table_enabled, user_table_enabled] = self.table_rules;
        let Some(def) = self.versions[self.plans].table(table) else {
            return;
        };
        // User-defined tables list suggestions only; coding systems (0396) are registered with
        // HL7 all the time, so a version's list is never complete.
        let user = def.user_defined || table == 396 || rule == "value.user-table";
        // A rule the preset does not check needs no look-up (the tolerant preset checks
        // neither user-defined tables nor coding systems).
        let enabled = if user {
            user_table_enabled
        } else {
            table_enabled
        };
        if !enabled || !def.has_codes() {
            return;
        }
        // A value without escapes, read as UTF-8, whose bytes are a code is that code as text.
        if value.flags & Walk::ESCAPE == 0
            && self.walk.charset.expects_utf8()
            && def.contains_bytes(value.bytes)
        {
            return;
        }
        let value_text = value.text(&self.walk);
        if def.contains(&value_text) {
            return;
        }
        let name = def.def.name;
        let span = value.span();
        let value = &*value_text;
        let rule = if user { "value.user-table" } else { rule };
        // Table 0396 reserves "99zzz" (and L) for local coding systems.
        if table == 396 && value.starts_with("99") {
            return;
        }
        let message = self.words(
            loc,
            Some(value),
            format_args!(" not in HL7 table {table:04} {name}"),
        );
        self.report(rule, loc.at(span), message, Some(value));
    }

    /// The escape sequences of a value: most hold none, known without a call.
    #[inline]
    fn check_escapes(&mut self, part: &Piece<'a>, loc: Loc<'_>) {
        if part.flags & Walk::ESCAPE != 0 {
            self.check_escape_sequences(part, loc);
        }
    }

    fn check_escape_sequences(&mut self, part: &Piece<'a>, loc: Loc<'_>) {
        let escapes = pipehat::escape::escapes(part.bytes, part.start, self.walk.delimiters);
        for (piece, span) in escapes {
            if let pipehat::escape::Piece::Malformed(bytes, problem) = piece {
                let text = String::from_utf8_lossy(bytes);
                let why = match problem {
                    pipehat::escape::EscapeProblem::Unterminated => "no closing escape character",
                    pipehat::escape::EscapeProblem::BadHex => "bad hexadecimal digits",
                    pipehat::escape::EscapeProblem::BadFormat => "bad formatting command",
                    _ => "unknown escape sequence",
                };
                let message = format!("{}: malformed escape sequence ({why})", self.named(loc));
                self.report("value.escape", loc.at(span), message, Some(&text));
            }
        }
    }

    fn check_profile(&mut self, profile: &Profile, segments: &[Segment<'a>]) {
        let end = self.message.span().end;
        let whose = if profile.name.is_empty() {
            "the profile".to_owned()
        } else {
            format!("profile '{}'", profile.name)
        };
        for (id, constraint) in &profile.segments {
            let found: Vec<(usize, &Segment<'a>)> = segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.id() == id.as_bytes())
                .collect();
            let count = found.len() as u32;
            let first_at = |found: &[(usize, &Segment<'a>)]| {
                found.first().map_or(
                    At {
                        path: None,
                        segment: segments.len() + 1,
                        span: pipehat::Span::new(end, end),
                    },
                    |(i, s)| At {
                        path: None,
                        segment: i + 1,
                        span: s.span(),
                    },
                )
            };
            match constraint.usage {
                Some(ProfileUsage::R) if count == 0 => {
                    let message = format!("segment {id} is required by {whose} but absent");
                    self.report("profile.segment-usage", first_at(&found), message, None);
                }
                Some(ProfileUsage::X) if count > 0 => {
                    let message = format!("segment {id} is not used in {whose} but present");
                    self.report("profile.segment-usage", first_at(&found), message, None);
                }
                _ => {}
            }
            let min = constraint.min.unwrap_or(0);
            let too_few = count > 0 && count < min;
            // An X segment that is present was reported above, whatever its Max says.
            let too_many = constraint.max.is_some_and(|max| count > max)
                && constraint.usage != Some(ProfileUsage::X);
            if too_few || too_many {
                let at = if too_many {
                    let (i, s) = found[constraint.max.unwrap_or(0) as usize];
                    At {
                        path: None,
                        segment: i + 1,
                        span: s.span(),
                    }
                } else {
                    first_at(&found)
                };
                let message = format!(
                    "segment {id} occurs {count} time{}; {whose} allows {}",
                    if count == 1 { "" } else { "s" },
                    bounds(min, constraint.max)
                );
                self.report("profile.segment-cardinality", at, message, None);
            }
            for (occurrence, (index, segment)) in found.iter().enumerate() {
                let prefix = if occurrence == 0 {
                    id.clone()
                } else {
                    format!("{id}[{}]", occurrence + 1)
                };
                for (key, element) in &constraint.fields {
                    if let Some(key) = profile::element_key(key) {
                        self.check_profile_element(segment, *index, &prefix, key, element, &whose);
                    }
                }
            }
        }
    }

    fn check_profile_element(
        &mut self,
        segment: &Segment<'a>,
        index: usize,
        prefix: &str,
        (field_number, component, subcomponent): (usize, Option<usize>, Option<usize>),
        constraint: &ElementConstraint,
        whose: &str,
    ) {
        let field = segment.field(field_number);
        let field_path = format!("{prefix}-{field_number}");
        let at = |span: pipehat::Span, path: String| At {
            path: Some(path),
            segment: index + 1,
            span,
        };
        let segment_end = segment.span().end;
        let repetitions: Vec<pipehat::Repetition<'a>> = match &field {
            Some(f) if !f.is_empty() => f.repetitions().collect(),
            _ => Vec::new(),
        };
        if component.is_none() {
            let span = field
                .as_ref()
                .map_or(pipehat::Span::new(segment_end, segment_end), |f| f.span());
            let count = repetitions.len() as u32;
            match constraint.usage {
                Some(ProfileUsage::R) if count == 0 => {
                    let message = format!(
                        "{} is required by {whose} but empty",
                        self.named_path(&field_path)
                    );
                    self.report(
                        "profile.required",
                        at(span, field_path.clone()),
                        message,
                        None,
                    );
                    return;
                }
                Some(ProfileUsage::X) if count > 0 => {
                    let text = field
                        .as_ref()
                        .map(|f| f.text().into_owned())
                        .unwrap_or_default();
                    let message = format!(
                        "{} is not used in {whose} but has a value",
                        self.named_path(&field_path)
                    );
                    self.report(
                        "profile.not-used",
                        at(span, field_path.clone()),
                        message,
                        Some(&text),
                    );
                    return;
                }
                _ => {}
            }
            let min = constraint.min.unwrap_or(0);
            if count > 0 && (count < min || constraint.max.is_some_and(|max| count > max)) {
                let message = format!(
                    "{} repeats {count} time{}; {whose} allows {}",
                    self.named_path(&field_path),
                    if count == 1 { "" } else { "s" },
                    bounds(min, constraint.max)
                );
                self.report(
                    "profile.cardinality",
                    at(span, field_path.clone()),
                    message,
                    None,
                );
            }
        }
        for (r, repetition) in repetitions.iter().enumerate() {
            let mut path = if repetitions.len() > 1 {
                format!("{field_path}[{}]", r + 1)
            } else {
                field_path.clone()
            };
            // The value the constraint is about: the repetition, or a component or subcomponent.
            let (text, span) = match (component, subcomponent) {
                (None, _) => (repetition.text(), repetition.span()),
                (Some(c), sub) => {
                    path = format!("{path}.{c}");
                    let Some(part) = repetition.component(c) else {
                        if constraint.usage == Some(ProfileUsage::R) {
                            let message = format!(
                                "{} is required by {whose} but empty",
                                self.named_path(&path)
                            );
                            let end = repetition.span().end;
                            self.report(
                                "profile.required",
                                at(pipehat::Span::new(end, end), path),
                                message,
                                None,
                            );
                        }
                        continue;
                    };
                    match sub {
                        None => (part.text(), part.span()),
                        Some(sub) => {
                            path = format!("{path}.{sub}");
                            match part.subcomponent(sub) {
                                Some(piece) => (piece.text(), piece.span()),
                                None => (
                                    std::borrow::Cow::Borrowed(""),
                                    pipehat::Span::new(part.span().end, part.span().end),
                                ),
                            }
                        }
                    }
                }
            };
            if component.is_some() {
                match constraint.usage {
                    Some(ProfileUsage::R) if text.is_empty() => {
                        let message = format!(
                            "{} is required by {whose} but empty",
                            self.named_path(&path)
                        );
                        self.report("profile.required", at(span, path), message, None);
                        continue;
                    }
                    Some(ProfileUsage::X) if !text.is_empty() => {
                        let message = format!(
                            "{} is not used in {whose} but has a value",
                            self.named_path(&path)
                        );
                        self.report("profile.not-used", at(span, path), message, Some(&text));
                        continue;
                    }
                    _ => {}
                }
            }
            if text.is_empty() {
                continue;
            }
            if let Some(max) = constraint.max_length {
                let length = text.chars().count();
                if length > max as usize {
                    let message = format!(
                        "{} is {length} characters long; {whose} allows {max}",
                        self.named_path(&path)
                    );
                    self.report(
                        "profile.length",
                        at(span, path.clone()),
                        message,
                        Some(&text),
                    );
                }
            }
            if let Some(fixed) = &constraint.fixed
                && *text != **fixed
            {
                let message = format!(
                    "{}{} not '{fixed}', the value {whose} fixes",
                    self.named_path(&path),
                    self.quoted(&text)
                );
                self.report(
                    "profile.fixed",
                    at(span, path.clone()),
                    message,
                    Some(&text),
                );
            }
            let in_values = constraint
                .values
                .as_ref()
                .map(|values| values.iter().any(|v| *v == *text));
            let in_table = constraint.table.map(|t| {
                self.version
                    .table(t)
                    .is_none_or(|table| !table.has_codes() || table.contains(&text))
            });
            if in_values == Some(false) || in_table == Some(false) {
                let allowed = match (&constraint.values, constraint.table) {
                    (Some(values), _) => values.join(", "),
                    (None, Some(t)) => format!("the codes of HL7 table {t:04}"),
                    (None, None) => String::new(),
                };
                let message = format!(
                    "{}{} not one of {whose}'s values ({allowed})",
                    self.named_path(&path),
                    self.quoted(&text)
                );
                self.report("profile.value-set", at(span, path), message, Some(&text));
            }
        }
    }

    /// The report, each finding located by `lines` (an index of the message's input), or by
    /// one made here when there are findings to locate.
    fn finish(self, lines: Option<&pipehat::position::LineIndex<'_>>) -> Report {
        let mut findings = self.findings;
        findings.sort_by_key(|(_, order)| *order);
        let mut findings: Vec<Finding> = findings.into_iter().map(|(f, _)| f).collect();
        if !findings.is_empty() {
            let owned;
            let lines = match lines {
                Some(lines) => lines,
                None => {
                    owned = pipehat::position::LineIndex::new(self.message.input());
                    &owned
                }
            };
            let mut positions = Positions::new(lines, self.message.input());
            for finding in &mut findings {
                let at = positions.line_column(finding.location.span[0]);
                finding.location.line = at.line;
                finding.location.column = at.column;
            }
        }
        Report {
            version: self.version.as_str(),
            structure: self.structure.map(|s| s.id),
            findings,
        }
    }
}

/// How many times each segment id has occurred so far in a message. The first ids are kept in
/// a short list (a message has a dozen or so, and comparing a few is cheaper than hashing);
/// past that, in a map, since ids come from the message and may all differ: compared with every
/// id before it, each new one would make the message quadratic in its segments.
#[derive(Default)]
struct Occurrences<'a> {
    few: Vec<(&'a [u8], usize)>,
    more: HashMap<&'a [u8], usize>,
}

impl<'a> Occurrences<'a> {
    /// Ids kept in the list before the map is used.
    const FEW: usize = 16;

    /// Counts one more segment `id`: its occurrence, from 1.
    fn next(&mut self, id: &'a [u8]) -> usize {
        work::count(work::Kind::IdsCompared, self.few.len());
        if let Some((_, count)) = self.few.iter_mut().find(|(known, _)| *known == id) {
            *count += 1;
            return *count;
        }
        if self.few.len() < Self::FEW {
            self.few.push((id, 1));
            return 1;
        }
        let count = self.more.entry(id).or_insert(0);
        *count += 1;
        *count
    }
}

/// Line:column of the findings' offsets, which come in increasing order.
///
/// [`LineIndex::line_column`](pipehat::position::LineIndex::line_column) counts the characters
/// from the start of the offset's line: for many findings on one line (a segment with thousands
/// of extra fields, a field with thousands of components) that is quadratic. An offset on the
/// same line as the one before (no line end between them) is found by counting only the
/// characters between the two, which gives the same column; any other goes to the index, whose
/// count then starts from a line start after the previous offset. Either way each byte of the
/// input is counted about once.
struct Positions<'l, 'i> {
    lines: &'l pipehat::position::LineIndex<'i>,
    /// The input `lines` indexes.
    input: &'i [u8],
    /// The last offset located, and where it is.
    last: Option<(usize, pipehat::position::LineColumn)>,
}

impl<'l, 'i> Positions<'l, 'i> {
    fn new(lines: &'l pipehat::position::LineIndex<'i>, input: &'i [u8]) -> Self {
        Positions {
            lines,
            input,
            last: None,
        }
    }

    /// What `lines.line_column(offset)` gives.
    fn line_column(&mut self, offset: usize) -> pipehat::position::LineColumn {
        let offset = offset.min(self.input.len());
        let at = match self.last {
            Some((last, at)) if last <= offset => {
                let between = &self.input[last..offset];
                work::count(work::Kind::Located, between.len());
                if memchr::memchr2(b'\r', b'\n', between).is_none() {
                    // Count characters as the index does: every byte that does not continue a
                    // UTF-8 sequence.
                    let chars = between.iter().filter(|&&b| (b as i8) >= -0x40).count();
                    pipehat::position::LineColumn {
                        line: at.line,
                        column: at.column + chars,
                    }
                } else {
                    work::count(work::Kind::LineLookups, 1);
                    self.lines.line_column(offset)
                }
            }
            _ => {
                work::count(work::Kind::LineLookups, 1);
                self.lines.line_column(offset)
            }
        };
        self.last = Some((offset, at));
        at
    }
}

/// Counters of the work validation does, in the crate's own tests only (to show it is linear in
/// the input without timing anything); nothing at all otherwise.
mod work {
    #[derive(Clone, Copy)]
    pub(crate) enum Kind {
        /// Bytes split into parts by [`Walk::split`](super::Walk::split).
        Split,
        /// Bytes counted to find a finding's column after the one before.
        Located,
        /// Offsets located by the line index.
        LineLookups,
        /// Segment ids compared to count a segment's occurrence (at most).
        IdsCompared,
    }

    #[cfg(test)]
    thread_local! {
        static COUNTS: std::cell::Cell<[usize; 4]> = const { std::cell::Cell::new([0; 4]) };
    }

    #[cfg(test)]
    pub(crate) fn count(kind: Kind, n: usize) {
        COUNTS.with(|counts| {
            let mut all = counts.get();
            all[kind as usize] += n;
            counts.set(all);
        });
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub(crate) fn count(_: Kind, _: usize) {}

    /// The counts since the last call, in [`Kind`]'s order.
    #[cfg(test)]
    pub(crate) fn take() -> [usize; 4] {
        COUNTS.with(|counts| counts.replace([0; 4]))
    }
}

/// "exactly 1", "1 to 3", "at least 2", "at most 4".
fn bounds(min: u32, max: Option<u32>) -> String {
    match (min, max) {
        (min, Some(max)) if min == max => format!("exactly {min}"),
        (0, Some(max)) => format!("at most {max}"),
        (min, Some(max)) => format!("{min} to {max}"),
        (min, None) => format!("at least {min}"),
    }
}

/// Where a check is, formatted into a path only when a finding is made.
#[derive(Clone, Copy)]
struct Loc<'p> {
    /// `PID`, or `OBX[2]` for an occurrence after the first.
    segment: &'p str,
    /// The segment's index in the message, from 0.
    index: usize,
    field: usize,
    repetition: Option<usize>,
    component: Option<usize>,
    subcomponent: Option<usize>,
}

impl<'p> Loc<'p> {
    fn field(segment: &'p str, index: usize, field: usize) -> Self {
        Loc {
            segment,
            index,
            field,
            repetition: None,
            component: None,
            subcomponent: None,
        }
    }

    /// The part `number` below this one: a component of a field, a subcomponent of a component.
    fn child(self, number: usize) -> Self {
        if self.component.is_none() {
            Loc {
                component: Some(number),
                ..self
            }
        } else {
            Loc {
                subcomponent: Some(number),
                ..self
            }
        }
    }

    /// Appends the path: in full (as [`Display`](core::fmt::Display) writes it), or as
    /// [`pipehat::Path`] prints it (`full` false: `[1]` left out before a component). Written
    /// by hand: findings are many, and the formatting machinery costs more than the path.
    fn write_path(self, out: &mut String, full: bool) {
        out.push_str(self.segment);
        out.push('-');
        push_number(out, self.field);
        match self.repetition {
            Some(1) if !full && self.component.is_some() => {}
            Some(r) => {
                out.push('[');
                push_number(out, r);
                out.push(']');
            }
            None => {}
        }
        for n in [self.component, self.subcomponent].into_iter().flatten() {
            out.push('.');
            push_number(out, n);
        }
    }

    fn at(self, span: pipehat::Span) -> At {
        let mut path = String::with_capacity(self.segment.len() + 16);
        self.write_path(&mut path, true);
        At {
            path: Some(path),
            segment: self.index + 1,
            span,
        }
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

impl core::fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}-{}", self.segment, self.field)?;
        if let Some(r) = self.repetition {
            write!(f, "[{r}]")?;
        }
        if let Some(c) = self.component {
            write!(f, ".{c}")?;
        }
        if let Some(s) = self.subcomponent {
            write!(f, ".{s}")?;
        }
        Ok(())
    }
}

/// How a message's delimiters split its values: each byte's roles, so one pass over a value
/// finds its parts and what they hold.
struct Walk {
    classes: [u8; 256],
    /// Each delimiter byte repeated over a word (the field separator standing in for an
    /// absent one), to find delimiters eight bytes at a time.
    splats: [u64; 5],
    delimiters: pipehat::Delimiters,
    charset: pipehat::Charset,
}

impl Walk {
    const FIELD: u8 = 1;
    const REPETITION: u8 = 2;
    const COMPONENT: u8 = 4;
    const SUBCOMPONENT: u8 = 8;
    const ESCAPE: u8 = 16;

    fn new(message: &Message<'_>) -> Self {
        let delimiters = message.delimiters();
        let mut classes = [0; 256];
        classes[usize::from(delimiters.field())] |= Walk::FIELD;
        for (delimiter, class) in [
            (delimiters.repetition(), Walk::REPETITION),
            (delimiters.component(), Walk::COMPONENT),
            (delimiters.subcomponent(), Walk::SUBCOMPONENT),
            (delimiters.escape(), Walk::ESCAPE),
        ] {
            if let Some(byte) = delimiter {
                classes[usize::from(byte)] |= class;
            }
        }
        let field = delimiters.field();
        let splats = [
            Some(field),
            delimiters.repetition(),
            delimiters.component(),
            delimiters.subcomponent(),
            delimiters.escape(),
        ]
        .map(|byte| u64::from_ne_bytes([byte.unwrap_or(field); 8]));
        Walk {
            classes,
            splats,
            delimiters,
            charset: message.encoding(),
        }
    }

    /// A value with the roles of the bytes it holds.
    fn piece<'a>(&self, bytes: &'a [u8], start: usize) -> Piece<'a> {
        let flags = bytes
            .iter()
            .fold(0, |flags, &b| flags | self.classes[usize::from(b)]);
        Piece {
            bytes,
            start,
            flags,
        }
    }

    /// `bytes` (at `start` in the input) split at the bytes that have role `separator`: always at
    /// least one part, possibly empty, each with the roles of the bytes it holds.
    ///
    /// Delimiters are about one byte in seven: whole words of eight bytes are searched for any
    /// delimiter at once (a byte equal to one is a zero byte after `xor`, found by the usual
    /// borrow test), and only the bytes found are looked at. The test may also flag a byte
    /// just above a found one; its class is 0 unless it is a delimiter too, so it changes
    /// nothing.
    fn split<'a>(&self, bytes: &'a [u8], start: usize, separator: u8, out: &mut Vec<Piece<'a>>) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        work::count(work::Kind::Split, bytes.len());
        let mut from = 0;
        let mut flags = 0;
        let mut byte = |at: usize, from: &mut usize, flags: &mut u8| {
            let class = self.classes[usize::from(bytes[at])];
            if class & separator != 0 {
                out.push(Piece {
                    bytes: &bytes[*from..at],
                    start: start + *from,
                    flags: *flags,
                });
                *from = at + 1;
                *flags = 0;
            } else {
                *flags |= class;
            }
        };
        let mut chunks = bytes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            let mut hits = 0;
            for splat in self.splats {
                let x = word ^ splat;
                hits |= x.wrapping_sub(ONES) & !x & HIGHS;
            }
            while hits != 0 {
                byte(
                    base + (hits.trailing_zeros() / 8) as usize,
                    &mut from,
                    &mut flags,
                );
                hits &= hits - 1;
            }
            base += 8;
        }
        for at in base..bytes.len() {
            byte(at, &mut from, &mut flags);
        }
        out.push(Piece {
            bytes: &bytes[from..],
            start: start + from,
            flags,
        });
    }

    /// The parts of a value at `separator` (its repetitions, components or subcomponents).
    fn parts<'a>(&self, value: &Piece<'a>, separator: u8, out: &mut Vec<Piece<'a>>) {
        if value.flags & separator == 0 {
            out.push(*value);
        } else {
            self.split(value.bytes, value.start, separator, out);
        }
    }
}

/// A field, repetition, component or subcomponent: its bytes, where they start in the input,
/// and the delimiter roles of the bytes it holds (so it is split, or searched for escapes, only
/// when it has something to split or find).
#[derive(Clone, Copy)]
struct Piece<'a> {
    bytes: &'a [u8],
    start: usize,
    flags: u8,
}

impl<'a> Piece<'a> {
    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn is_null(&self) -> bool {
        self.bytes == b"\"\""
    }

    fn span(&self) -> pipehat::Span {
        pipehat::Span::new(self.start, self.start + self.bytes.len())
    }

    /// The value as the parser's `text()` gives it: escapes decoded, then read in the
    /// message's character set.
    fn text(&self, walk: &Walk) -> Cow<'a, str> {
        if self.flags & Walk::ESCAPE == 0 {
            return pipehat::charset::decode_text(self.bytes, walk.charset);
        }
        match pipehat::escape::decode(self.bytes, walk.delimiters) {
            Cow::Borrowed(bytes) => pipehat::charset::decode_text(bytes, walk.charset),
            Cow::Owned(bytes) => {
                Cow::Owned(pipehat::charset::decode_text(&bytes, walk.charset).into_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Walk::split` must give, byte by byte.
    fn split_slowly(walk: &Walk, bytes: &[u8], separator: u8) -> Vec<(usize, usize, u8)> {
        let mut out = Vec::new();
        let (mut from, mut flags) = (0, 0);
        for (at, &b) in bytes.iter().enumerate() {
            let class = walk.classes[usize::from(b)];
            if class & separator != 0 {
                out.push((from, at, flags));
                (from, flags) = (at + 1, 0);
            } else {
                flags |= class;
            }
        }
        out.push((from, bytes.len(), flags));
        out
    }

    #[test]
    fn split_eight_bytes_at_a_time_matches_byte_by_byte() {
        let headers: [&[u8]; 3] = [b"MSH|^~\\&|A\r", b"MSH|^~|A\r", b"MSH#!$*@#A\r"];
        // Delimiters of all three messages, and the bytes the borrow test may confuse.
        let alphabet = b"|^~\\&#!$*@AZ09 \x00\x01\x02\x7f\x80\x81\xfe\xff";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for header in headers {
            let message = Message::parse(header).expect("a message");
            let walk = Walk::new(&message);
            for length in 0..80 {
                for _ in 0..40 {
                    let bytes: Vec<u8> = (0..length)
                        .map(|_| {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            alphabet[(seed % alphabet.len() as u64) as usize]
                        })
                        .collect();
                    for separator in [
                        Walk::FIELD,
                        Walk::REPETITION,
                        Walk::COMPONENT,
                        Walk::SUBCOMPONENT,
                    ] {
                        let mut out = Vec::new();
                        walk.split(&bytes, 1000, separator, &mut out);
                        let got: Vec<_> = out
                            .iter()
                            .map(|p| (p.start - 1000, p.start - 1000 + p.bytes.len(), p.flags))
                            .collect();
                        assert_eq!(got, split_slowly(&walk, &bytes, separator), "{bytes:?}");
                    }
                }
            }
        }
    }

    /// The work of validating `input` (strict preset), after the message is parsed: the
    /// counters of [`work`], and the number of findings.
    fn work_of(input: &[u8]) -> ([usize; 4], usize) {
        let message = Message::parse(input).expect("a message");
        let options = Options {
            preset: Preset::Strict,
            ..Options::default()
        };
        let mut validator = Validator::new();
        // Plans resolved, counters cleared: what follows is the message's own work.
        let _ = validator.validate(&message, &options);
        work::take();
        let findings = validator.validate(&message, &options).findings.len();
        (work::take(), findings)
    }

    const HEADER: &str = "MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rEVN||20261122\r";

    /// A field of 200,000 components, each beyond CX's last a finding on the same line, and a
    /// segment of 40,000 fields beyond PID's last, each a finding: validation stays linear in
    /// the input. Locating each finding from its line's start (as `LineIndex::line_column`
    /// does) made them quadratic: 200,000 findings × a 400 kB line. Counted, not timed: the
    /// bytes split into parts, the bytes counted for columns and the line index's look-ups.
    #[test]
    fn findings_crowded_on_one_line_cost_linear_work() {
        for (pid, findings) in [
            (format!("PID|1||{}", "a^".repeat(200_000)), 199_990),
            (format!("PID|1||x{}", "|vé".repeat(40_000)), 39_960),
            (format!("PID|1||1^^^{}", "a&".repeat(200_000)), 199_990),
            (format!("PID|1||x||{}", "\\Q\\".repeat(100_000)), 100_000),
        ] {
            let input = format!("{HEADER}{pid}\rPV1|1|O\r");
            let n = input.len();
            let ([split, located, lookups, _], found) = work_of(input.as_bytes());
            assert!(found >= findings, "{found} findings");
            // A segment split into fields, a field into repetitions, then components, then
            // subcomponents: each byte at most once per level.
            assert!(split <= 4 * n, "{split} bytes split for {n}");
            assert!(located <= n, "{located} bytes counted for columns, for {n}");
            // One look-up for the first finding, at most one per line after it.
            assert!(lookups <= 5, "{lookups} line look-ups");
        }
    }

    /// 20,000 segments of distinct ids (Z-segments may be any length) cost linear work too: a
    /// segment's occurrence number was found by comparing its id with every id before it.
    #[test]
    fn distinct_segment_ids_cost_linear_work() {
        let segments = 20_000;
        let ids: String = (0..segments).map(|i| format!("ZA{i}|x\r")).collect();
        let input = format!("{HEADER}PID|1||x\r{ids}PV1|1|O\r");
        let ([split, _, _, compared], _) = work_of(input.as_bytes());
        // A bounded number per segment (the short list's), not one per id seen before.
        assert!(compared <= 32 * (segments + 4), "{compared} ids compared");
        assert!(split <= 4 * input.len());
        // And the occurrences are still counted right past the short list.
        let mut occurrences = Occurrences::default();
        let ids: Vec<String> = (0..40).map(|i| format!("Z{i}")).collect();
        for round in 1..=3 {
            for id in &ids {
                assert_eq!(occurrences.next(id.as_bytes()), round, "{id}");
            }
        }
    }

    /// `Positions` gives what `LineIndex::line_column` gives, for offsets in any order, on
    /// lines ended by CR, LF and CRLF, with characters of several bytes and invalid bytes.
    #[test]
    fn positions_match_the_line_index() {
        let alphabet: [&[u8]; 9] = [
            b"a",
            b"|",
            b"\r",
            b"\n",
            b"\r\n",
            "é".as_bytes(),
            "😀".as_bytes(),
            b"\xff",
            b"\x80",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..300 {
            let input: Vec<u8> = (0..next(60))
                .flat_map(|_| alphabet[next(alphabet.len())].iter().copied())
                .collect();
            let lines = pipehat::position::LineIndex::new(&input);
            // Mostly increasing, as findings come, with repeats, some going back, and past the end.
            let mut offsets: Vec<usize> = (0..next(30)).map(|_| next(input.len() + 3)).collect();
            offsets.sort_unstable();
            if next(3) == 0 {
                offsets.push(next(input.len() + 1));
                offsets.push(next(input.len() + 1));
            }
            let mut positions = Positions::new(&lines, &input);
            for offset in offsets {
                assert_eq!(
                    positions.line_column(offset),
                    lines.line_column(offset),
                    "offset {offset} of {input:?}"
                );
            }
        }
    }

    #[test]
    fn paths_written_by_hand_match_display() {
        let base = Loc::field("OBX[2]", 3, 10);
        let locs = [
            base,
            Loc {
                repetition: Some(1),
                ..base
            },
            Loc {
                repetition: Some(12),
                component: Some(1),
                ..base
            },
            Loc {
                repetition: Some(1),
                component: Some(20),
                subcomponent: Some(3),
                ..base
            },
            Loc {
                field: 0,
                component: Some(9),
                ..base
            },
        ];
        for loc in locs {
            let mut full = String::new();
            loc.write_path(&mut full, true);
            assert_eq!(full, loc.to_string());
        }
        let mut short = String::new();
        locs[3].write_path(&mut short, false);
        assert_eq!(short, "OBX[2]-10.20.3");
        let mut numbers = String::new();
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            push_number(&mut numbers, n);
            numbers.push(' ');
        }
        assert_eq!(numbers, format!("0 7 10 99 100 12345 {} ", usize::MAX));
    }
}
