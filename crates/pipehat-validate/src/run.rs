//! One message being validated ([`Run`]): the state of the pass, the plans it looks up, how a
//! finding is made and its element named, the order of the checks, and the finished report.
//! The checks themselves are in the submodules: the header, the structure, segments and their
//! fields, values by data type, and a profile's constraints.

mod header;
mod profile;
mod segment;
mod structure;
mod value;

use std::collections::HashMap;
use std::sync::Arc;

use pipehat::{Message, Segment};
use pipehat_dict::Version;

use crate::location::{At, Loc};
use crate::options::{Options, Preset};
use crate::plan::{SegmentPlan, VersionPlans};
use crate::report::{Finding, Location, Report, Severity};
use crate::rules::{find_rule, rule_enabled};
use crate::walk::{Piece, Walk};
use crate::work;

pub(crate) use header::choose_version;

/// Segment plans from `Options::dictionary` by segment id. A map, not a list: the ids come
/// from the message, and a message may have thousands of distinct ones (Z-segments of any
/// length), each of which a list would compare with all before it.
type LocalPlans<'d> = HashMap<Box<[u8]>, Option<Arc<SegmentPlan<'d>>>>;

/// One message being validated.
pub(crate) struct Run<'m, 'a, 'o, 'c> {
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

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    pub(crate) fn new(
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

    /// "PID-7 Date/Time of Birth": the element's path as [`pipehat::Path`] prints it, and its
    /// label (from the plans when the version's dictionary is used, so each is looked up once);
    /// the path as findings give it alone where no `Path` can name the element.
    fn named(&mut self, loc: Loc<'_>) -> String {
        use core::fmt::Write as _;
        let Some(path) = loc.path() else {
            return loc.to_string();
        };
        // Room for the rest of a finding's words too (see `words`).
        let mut named = String::with_capacity(128);
        write!(named, "{path}").expect("a String");
        let described;
        let label = match self.options.dictionary {
            None => {
                let id = path.segment_id().try_into().expect("three bytes");
                self.plans()
                    .label(id, loc.field, loc.component, loc.subcomponent)
            }
            Some(dictionary) => {
                described = if dictionary.version() == self.version {
                    dictionary.describe(&path).label()
                } else {
                    self.version.describe(&path).label()
                };
                &described
            }
        };
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

    /// `": 'value' is …"` or `" is …"` without values.
    fn quoted(&self, value: &str) -> String {
        if self.options.with_values {
            format!(": '{value}' is")
        } else {
            " is".to_owned()
        }
    }

    pub(crate) fn run(&mut self) {
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

    /// The report, each finding located by `lines` (an index of the message's input), or by
    /// one made here when there are findings to locate.
    pub(crate) fn finish(self, lines: Option<&pipehat::position::LineIndex<'_>>) -> Report {
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
            // The findings are in order: the cursor counts each byte of the input about once.
            let mut cursor = lines.cursor();
            let mut last = 0;
            for finding in &mut findings {
                let offset = finding.location.span[0];
                // What the cursor counts at most: the bytes since the offset before, or all
                // before this one if it went back.
                work::count(
                    work::Kind::Located,
                    offset.checked_sub(last).unwrap_or(offset),
                );
                work::count(work::Kind::Locations, 1);
                last = offset;
                let at = cursor.line_column(offset);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validator::Validator;

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
    /// bytes split into parts, and the bytes a [`LineCursor`](pipehat::position::LineCursor)
    /// counts at most to locate every finding (its own tests show it counts no more: linear
    /// when the offsets come in order, as here).
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
            let ([split, located, locations, _], found) = work_of(input.as_bytes());
            assert!(found >= findings, "{found} findings");
            // A segment split into fields, a field into repetitions, then components, then
            // subcomponents: each byte at most once per level.
            assert!(split <= 4 * n, "{split} bytes split for {n}");
            // Every finding located by one cursor, in order.
            assert_eq!(locations, found, "findings located");
            assert!(located <= n, "{located} bytes counted for columns, for {n}");
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
}
