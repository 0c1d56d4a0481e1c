//! De-identification on the shared corpus (`../shared/corpus`, real HL7 v2 from public
//! projects).
//!
//! - Canaries: every value of every field and repetition of every message, plus an extra
//!   repetition of every field and a Z-segment, is replaced by a unique marker (some written
//!   with escape sequences); after anonymizing with each preset no marker survives, decoded or
//!   not, except in the documented allow-list below (written here by hand, not taken from the
//!   code under test). In the pseudonymize preset free text is scrubbed, not removed, so there
//!   the free-text positions get sentences made of the message's other canaries, a phone
//!   number and an email.
//! - Every anonymized message still parses, keeps its segments and field counts, and gains no
//!   validation error; Safe Harbor is idempotent.
//!
//! Without the corpus (a user's fresh clone) the tests skip loudly; with `CI` set they fail.

use std::path::PathBuf;

use pipehat::{Delimiters, File, Message};
use pipehat_deid::{Anonymizer, Category, FreeText, Policy, Preset};
use pipehat_dict::Version;

const MARK: &str = "QXZQXZ";

/// Fields whose values may be kept whatever they hold (docs/deidentification.md).
const ALLOWED: &[(&str, usize)] = &[
    ("MSH", 3),
    ("MSH", 4),
    ("MSH", 5),
    ("MSH", 6),
    ("MSH", 9),
    ("MSH", 11),
    ("MSH", 12),
    ("MSH", 15),
    ("MSH", 16),
    ("MSH", 17),
    ("MSH", 18),
    ("MSH", 19),
    ("MSH", 20),
    ("MSH", 21),
    ("FHS", 3),
    ("FHS", 4),
    ("FHS", 5),
    ("FHS", 6),
    ("BHS", 3),
    ("BHS", 4),
    ("BHS", 5),
    ("BHS", 6),
    ("BTS", 1),
    ("FTS", 1),
    ("OBX", 4),
];
/// Coded concepts: components 1 to 8 may be kept.
const CONCEPTS: &[(&str, usize)] = &[
    ("OBX", 3),
    ("OBX", 6),
    ("OBR", 4),
    ("RXA", 5),
    ("RXA", 7),
    ("SPM", 4),
    ("DG1", 3),
    ("PR1", 3),
    ("AL1", 3),
];
/// Free text by position (besides TX and FT fields, and OBX-5 of type ST, TX or FT).
const FREE_TEXT: &[(&str, usize)] = &[
    ("NTE", 3),
    ("OBR", 13),
    ("PV2", 12),
    ("AL1", 5),
    ("ORC", 16),
];

/// Every message of the corpus, as its own bytes.
fn corpus_messages() -> Vec<(PathBuf, Vec<u8>)> {
    let Some(dir) = testkit::corpus_dir() else {
        return Vec::new();
    };
    let all = testkit::message_files(&dir);
    assert!(all.len() >= 1_100, "only {} corpus files", all.len());
    let mut messages = Vec::new();
    for path in all {
        let input = std::fs::read(&path).expect("a corpus file");
        for message in File::parse(&input).messages() {
            messages.push((path.clone(), message.as_bytes().to_vec()));
        }
    }
    messages
}

fn safe_harbor() -> Anonymizer {
    Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None).unwrap()
}

/// Pseudonyms, free text redacted (the default).
fn pseudonymize() -> Anonymizer {
    Anonymizer::new(
        &Policy::preset(Preset::Pseudonymize),
        Some(b"corpus test key 1"),
    )
    .unwrap()
}

/// Pseudonyms, free text scrubbed of every identifier seen in the input.
fn pseudonymize_scrubbing() -> Anonymizer {
    let policy = Policy {
        free_text: FreeText::Scrub,
        ..Policy::preset(Preset::Pseudonymize)
    };
    Anonymizer::new(&policy, Some(b"corpus test key 1")).unwrap()
}

/// Whether a field is free text in `version`, by the test's own list.
fn is_free_text(version: Version, segment: &str, field: usize, obx2: &str) -> bool {
    if FREE_TEXT.contains(&(segment, field)) {
        return true;
    }
    if segment == "OBX" && field == 5 {
        return matches!(obx2, "ST" | "TX" | "FT");
    }
    [version, Version::LATEST]
        .iter()
        .find_map(|v| v.field(segment, field))
        .is_some_and(|d| matches!(d.data_type, "TX" | "FT"))
}

struct Canaries {
    next: usize,
}

impl Canaries {
    /// A unique marker; every third one hides its mark behind escape sequences.
    fn next(&mut self) -> String {
        self.next += 1;
        match self.next % 3 {
            0 => format!("CNRY{}\\H\\QXZ\\N\\QXZ", self.next),
            1 => format!("CNRY{}\\X51\\XZQXZ", self.next),
            _ => format!("CNRY{}{MARK}", self.next),
        }
    }
}

/// The message with every value replaced by a canary (`replace`), or with a canary repetition
/// added to every field (`!replace`), and a canary Z-segment. Free-text positions get
/// `sentence` instead when it is given.
fn canaried(
    message: &Message<'_>,
    replace: bool,
    canaries: &mut Canaries,
    sentence: Option<&str>,
) -> Vec<u8> {
    let d: Delimiters = message.delimiters();
    let (f, c, r, s) = (
        d.field() as char,
        d.component().unwrap_or(b'^') as char,
        d.repetition().unwrap_or(b'~') as char,
        d.subcomponent().unwrap_or(b'&') as char,
    );
    let version = message
        .get(&"MSH-12.1".parse().unwrap())
        .and_then(|e| Version::resolve(&e.text()))
        .map_or(Version::LATEST, |r| r.version);
    let mut out = String::new();
    let mut named: Vec<String> = Vec::new();
    for segment in message.segments() {
        let id = String::from_utf8_lossy(segment.id()).into_owned();
        out.push_str(&id);
        let obx2 = segment
            .field(2)
            .map(|f| f.text().trim().to_string())
            .unwrap_or_default();
        for (i, field) in segment.fields().enumerate() {
            let number = i + 1;
            if segment.is_header() && number <= 2 {
                if number == 1 {
                    out.push(f);
                } else {
                    out.push_str(&field.text());
                }
                continue;
            }
            out.push(f);
            // Keep what tells the message's type, version and OBX-5's type real.
            let structural =
                (id == "MSH" && matches!(number, 9 | 12)) || (id == "OBX" && number == 2);
            let free = sentence.filter(|_| is_free_text(version, &id, number, &obx2));
            // Free text names the canaries given to MSH-7 and MSH-10 (always replaced, so
            // always known identifiers by the time free text comes).
            let msh = id == "MSH" && matches!(number, 7 | 10);
            // (A message without MSH-7 and MSH-10 has no identifiers to name.)
            let mut value = |canaries: &mut Canaries| match free {
                Some(sentence) => sentence
                    .replace("{a}", named.first().map_or("someone", String::as_str))
                    .replace("{b}", named.last().map_or("someone", String::as_str)),
                _ => {
                    let canary = canaries.next();
                    if msh {
                        named.push(canary.clone());
                    }
                    canary
                }
            };
            let raw = String::from_utf8_lossy(field.as_bytes()).into_owned();
            if structural {
                out.push_str(&raw);
            } else if replace {
                let reps: Vec<String> = field
                    .repetitions()
                    .map(|rep| {
                        rep.components()
                            .map(|comp| {
                                comp.subcomponents()
                                    .map(|_| value(&mut *canaries))
                                    .collect::<Vec<_>>()
                                    .join(&s.to_string())
                            })
                            .collect::<Vec<_>>()
                            .join(&c.to_string())
                    })
                    .collect();
                out.push_str(&reps.join(&r.to_string()));
            } else {
                out.push_str(&raw);
                out.push(r);
                let (one, two) = (value(canaries), value(canaries));
                out.push_str(&one);
                out.push(c);
                out.push_str(&two);
            }
        }
        out.push('\r');
    }
    out.push_str(&format!(
        "ZCN{f}{}{f}{}{c}{}{s}{}{r}{}\r",
        canaries.next(),
        canaries.next(),
        canaries.next(),
        canaries.next(),
        canaries.next()
    ));
    out.into_bytes()
}

/// Every place in `output` a canary survived outside the allow-list: (segment, field).
fn leaks(output: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let file = File::parse(output);
    let mut allowed_raw = 0;
    for message in file.messages() {
        for segment in message.segments() {
            let id = String::from_utf8_lossy(segment.id()).into_owned();
            let obx2 = segment
                .field(2)
                .map(|f| f.text().trim().to_string())
                .unwrap_or_default();
            for (i, field) in segment.fields().enumerate() {
                let number = i + 1;
                let coded_result = id == "OBX"
                    && number == 5
                    && matches!(obx2.as_str(), "CE" | "CWE" | "CNE" | "CF");
                let allowed = ALLOWED.contains(&(id.as_str(), number));
                let concept = CONCEPTS.contains(&(id.as_str(), number)) || coded_result;
                if allowed {
                    allowed_raw += count(field.as_bytes());
                    continue;
                }
                for (r, rep) in field.repetitions().enumerate() {
                    for (c, comp) in rep.components().enumerate() {
                        if concept && c < 8 {
                            allowed_raw += count(comp.as_bytes());
                            continue;
                        }
                        if contains(&comp.decoded()) {
                            found.push(format!(
                                "{id}-{number}[{}].{}: {} in {}",
                                r + 1,
                                c + 1,
                                comp.text(),
                                String::from_utf8_lossy(
                                    &segment.as_bytes()[..segment.as_bytes().len().min(160)]
                                )
                            ));
                        }
                    }
                }
            }
        }
    }
    if count(output) > allowed_raw {
        found.push(format!(
            "{} raw marks outside allowed fields",
            count(output) - allowed_raw
        ));
    }
    found
}

fn contains(bytes: &[u8]) -> bool {
    bytes.windows(MARK.len()).any(|w| w == MARK.as_bytes())
}

fn count(bytes: &[u8]) -> usize {
    bytes
        .windows(MARK.len())
        .filter(|w| *w == MARK.as_bytes())
        .count()
}

#[test]
fn no_canary_survives_either_preset() {
    let messages = corpus_messages();
    if messages.is_empty() {
        return;
    }
    let (sh, scrubbing, redacting) = (safe_harbor(), pseudonymize_scrubbing(), pseudonymize());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (path, bytes) in &messages {
        let message = Message::parse(bytes).unwrap();
        for replace in [true, false] {
            let mut canaries = Canaries { next: 0 };
            let input = canaried(&message, replace, &mut canaries, None);
            for leak in leaks(&sh.anonymize(&input).bytes) {
                failures.push(format!(
                    "safe-harbor {} ({replace}): {leak}",
                    path.display()
                ));
            }
            // Free text in the pseudonymize preset holds the message's own identifiers: scrubbed
            // (FreeText::Scrub) or redacted (the default), none may survive.
            let mut canaries = Canaries { next: 0 };
            let sentence =
                "Seen by Dr {a} for {b}; call (555) 123-4567 or jane.doe@example.com on 03/04/2021";
            let input = canaried(&message, replace, &mut canaries, Some(sentence));
            for (name, ps) in [("scrub", &scrubbing), ("redact", &redacting)] {
                let output = ps.anonymize(&input).bytes;
                for leak in leaks(&output) {
                    failures.push(format!(
                        "pseudonymize ({name}) {} ({replace}): {leak}",
                        path.display()
                    ));
                }
                for pattern in ["123-4567", "jane.doe", "03/04/2021"] {
                    if output
                        .windows(pattern.len())
                        .any(|w| w == pattern.as_bytes())
                    {
                        failures.push(format!(
                            "pseudonymize ({name}) {}: '{pattern}' survived",
                            path.display()
                        ));
                    }
                }
            }
            checked += 1;
        }
    }
    failures.truncate(40);
    assert!(
        failures.is_empty(),
        "{checked} checked; canaries survived:\n{}",
        failures.join("\n")
    );
}

/// A validation finding, for comparing before and after: (rule, path without indices).
fn errors(message: &Message<'_>) -> std::collections::BTreeSet<(String, String)> {
    let report = pipehat_validate::validate(message, &pipehat_validate::Options::default());
    report
        .with_severity(pipehat_validate::Severity::Error)
        .map(|f| {
            let path = f.location.path.as_deref().unwrap_or("-");
            (f.rule.to_string(), testkit::without_indices(path))
        })
        .collect()
}

fn shape(message: &Message<'_>) -> Vec<(Vec<u8>, usize)> {
    message
        .segments()
        .map(|s| (s.id().to_vec(), s.fields().count()))
        .collect()
}

#[test]
fn anonymized_messages_keep_their_structure_and_gain_no_errors() {
    let messages = corpus_messages();
    if messages.is_empty() {
        return;
    }
    let mut failures = Vec::new();
    for (name, anonymizer) in [
        ("safe-harbor", safe_harbor()),
        ("pseudonymize", pseudonymize()),
        ("pseudonymize (scrub)", pseudonymize_scrubbing()),
    ] {
        for (path, bytes) in &messages {
            let before = Message::parse(bytes).unwrap();
            let output = anonymizer.anonymize(bytes).bytes;
            let after = match Message::parse(&output) {
                Ok(after) => after,
                Err(e) => {
                    failures.push(format!("{name} {}: no longer parses: {e}", path.display()));
                    continue;
                }
            };
            if shape(&before) != shape(&after) {
                failures.push(format!("{name} {}: structure changed", path.display()));
            }
            let old = errors(&before);
            for new in errors(&after).difference(&old) {
                failures.push(format!("{name} {}: new error {new:?}", path.display()));
            }
            if name == "safe-harbor" {
                let again = anonymizer.anonymize(&output).bytes;
                if again != output {
                    failures.push(format!("{name} {}: not idempotent", path.display()));
                }
            }
        }
    }
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Whether a value is all that redacting free text may leave: nothing, a null, spaces, or
/// `REDACTED`.
fn redacted_or_empty(text: &str) -> bool {
    matches!(text.trim(), "" | "\"\"" | "REDACTED")
}

#[test]
fn redacting_free_text_changes_only_free_text() {
    let messages = corpus_messages();
    if messages.is_empty() {
        return;
    }
    let (scrubbing, redacting) = (pseudonymize_scrubbing(), pseudonymize());
    let mut failures = Vec::new();
    let mut free_values = 0;
    for (path, bytes) in &messages {
        let scrubbed = scrubbing.anonymize(bytes);
        let redacted = redacting.anonymize(bytes);
        // The receipts agree on every change but those of free text, which are redactions.
        let structured = |receipt: &pipehat_deid::Receipt| {
            receipt
                .changes
                .iter()
                .filter(|c| c.category != Category::FreeText)
                .map(|c| (c.path.to_string(), c.category, c.method))
                .collect::<Vec<_>>()
        };
        if structured(&scrubbed.receipt) != structured(&redacted.receipt) {
            failures.push(format!("{}: structured changes differ", path.display()));
        }
        for change in &redacted.receipt.changes {
            if change.category == Category::FreeText {
                free_values += 1;
                if change.method != pipehat_deid::Method::Redact {
                    failures.push(format!(
                        "{}: {} {:?}",
                        path.display(),
                        change.path,
                        change.method
                    ));
                }
            }
        }
        // The bytes agree outside free text; in free text, what differs is redacted.
        let (a, b) = (
            Message::parse(&scrubbed.bytes).unwrap(),
            Message::parse(&redacted.bytes).unwrap(),
        );
        let version = a
            .get(&"MSH-12.1".parse().unwrap())
            .and_then(|e| Version::resolve(&e.text()))
            .map_or(Version::LATEST, |r| r.version);
        for (x, y) in a.segments().zip(b.segments()) {
            let id = String::from_utf8_lossy(x.id()).into_owned();
            let obx2 = x
                .field(2)
                .map(|f| f.text().trim().to_string())
                .unwrap_or_default();
            for (i, (f, g)) in x.fields().zip(y.fields()).enumerate() {
                if f.as_bytes() == g.as_bytes() {
                    continue;
                }
                let free = is_free_text(version, &id, i + 1, &obx2);
                // Leaf by leaf: a free-text field can have other parts (CWE in ORC-16).
                let leaves = |field: &pipehat::Field<'_>| {
                    field
                        .repetitions()
                        .flat_map(|r| {
                            r.components()
                                .flat_map(|c| c.subcomponents().map(|s| s.text().into_owned()))
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                };
                let (before, after) = (leaves(&f), leaves(&g));
                let leaves_redacted = before.len() == after.len()
                    && before
                        .iter()
                        .zip(&after)
                        .all(|(x, y)| x == y || redacted_or_empty(y));
                if !free || !leaves_redacted {
                    failures.push(format!(
                        "{} {id}-{}: {} / {}",
                        path.display(),
                        i + 1,
                        f.text(),
                        g.text()
                    ));
                }
            }
        }
    }
    assert!(
        free_values > 100,
        "only {free_values} free-text values in the corpus"
    );
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every corpus file gives the same text through `anonymize_text` (its decoded text) as through
/// `anonymize` (its bytes, each message in its MSH-18 set), and the same receipt.
#[test]
fn text_and_bytes_give_the_same_output() {
    let Some(dir) = testkit::corpus_dir() else {
        return;
    };
    let anonymizers = [safe_harbor(), pseudonymize_scrubbing()].map(|a| a.keep_originals(true));
    let mut failures = Vec::new();
    for path in testkit::message_files(&dir) {
        let bytes = std::fs::read(&path).expect("a corpus file");
        let text = pipehat::charset::decode_file(&bytes);
        for anonymizer in &anonymizers {
            let from_bytes = anonymizer.anonymize(&bytes);
            let from_text = anonymizer.anonymize_text(&text);
            if pipehat::charset::decode_file(&from_bytes.bytes) != from_text.text
                || from_bytes.receipt != from_text.receipt
            {
                failures.push(path.display().to_string());
            }
        }
    }
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
