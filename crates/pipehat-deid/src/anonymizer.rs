//! The anonymizer as callers see it: [`Anonymizer`] (a policy and a key, checked when it is
//! made), what it returns ([`Anonymized`], [`AnonymizedText`]) and why it cannot be made
//! ([`Error`]). How a file is walked is in `envelope.rs` (the file) and `walk.rs` (a message).

use pipehat::File;

use crate::policy::{Compiled, Policy, PolicyError};
use crate::pseudonym::Keyed;
use crate::receipt::Receipt;

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
    pub(crate) policy: Compiled,
    pub(crate) scrubs: bool,
    pub(crate) keyed: Option<Keyed>,
    pub(crate) keep_originals: bool,
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
    ///
    /// [`FreeText::Scrub`]: crate::FreeText::Scrub
    /// [`Note::Unencodable`]: crate::Note::Unencodable
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
}

#[cfg(test)]
mod tests {
    use crate::work;
    use crate::{Anonymizer, Policy, Preset};

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

    /// The anonymizer's own work grows linearly with every part of a message: counted steps,
    /// not time, for N and 4N parts (a quadratic loop makes 16 times the steps).
    #[test]
    fn linear_work() {
        let anonymizers = [
            Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None).unwrap(),
            // Free text scrubbed: the scrubber is what has the most to walk.
            Anonymizer::new(
                &Policy {
                    free_text: crate::FreeText::Scrub,
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
}
