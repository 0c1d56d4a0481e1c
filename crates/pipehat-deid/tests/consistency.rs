//! Keyed pseudonyms and date shifts are consistent: the same patient gets the same pseudonyms
//! and the same shift across a batch and across runs with the same key; intervals between a
//! patient's dates are kept; another key gives other pseudonyms; free text is redacted, or
//! when scrubbed loses the identifiers seen anywhere in the batch; the receipt names paths and never values unless
//! asked.

use pipehat::{File, Message, Path};
use pipehat_deid::{Anonymizer, Category, Error, FreeText, Method, Policy, Preset};

const BATCH: &[u8] = b"BHS|^~\\&|LAB|HOSP\r\
MSH|^~\\&|LAB|HOSP|||20260105083000||ADT^A01|MSG1|P|2.5.1\r\
PID|1||MRN4471^^^HOSP^MR||DOE^JANE^Q||19800115|F|||12 Main St^^Boston^MA^02139||(617)555-0101\r\
PV1|1|I|||||||||||||||||||||||||||||||||||||||||20260105\r\
MSH|^~\\&|LAB|HOSP|||20260112090000||ADT^A03|MSG2|P|2.5.1\r\
PID|1||MRN4471^^^HOSP^MR||DOE^JANE^Q||19800115|F\r\
NTE|1||Jane Doe (MRN4471) called from 617-555-0101 about 01/05/2026\r\
MSH|^~\\&|LAB|HOSP|||20260112090000||ADT^A01|MSG3|P|2.5.1\r\
PID|1||MRN9000^^^HOSP^MR||ROE^RICHARD||19300101|M\r\
BTS|3\r";

fn pseudonymize(key: &[u8]) -> Anonymizer {
    Anonymizer::new(&Policy::preset(Preset::Pseudonymize), Some(key)).unwrap()
}

/// Pseudonyms, and free text scrubbed rather than redacted.
fn pseudonymize_scrubbing(key: &[u8]) -> Anonymizer {
    let policy = Policy {
        free_text: FreeText::Scrub,
        ..Policy::preset(Preset::Pseudonymize)
    };
    Anonymizer::new(&policy, Some(key)).unwrap()
}

fn get(output: &[u8], message: usize, path: &str) -> String {
    let file = File::parse(output);
    let path: Path = path.parse().unwrap();
    file.messages()[message]
        .get(&path)
        .map(|e| e.text().into_owned())
        .unwrap_or_default()
}

#[test]
fn the_same_patient_gets_the_same_pseudonyms_and_shift_across_a_batch() {
    let output = pseudonymize(b"the first key, 16 bytes+")
        .anonymize(BATCH)
        .bytes;
    for path in ["PID-3.1", "PID-5.1", "PID-5.2", "PID-7"] {
        assert_eq!(get(&output, 0, path), get(&output, 1, path), "{path}");
        assert_ne!(
            get(&output, 0, path),
            get(BATCH, 0, path),
            "{path} unchanged"
        );
    }
    assert_ne!(get(&output, 0, "PID-3.1"), get(&output, 2, "PID-3.1"));
    // Identifiers keep their shape; the assigning authority code and types are kept.
    let mrn = get(&output, 0, "PID-3.1");
    assert!(
        mrn.len() == 7 && mrn[3..].bytes().all(|b| b.is_ascii_digit()),
        "{mrn}"
    );
    assert_eq!(get(&output, 0, "PID-3.5"), "MR");
    assert_eq!(get(&output, 0, "PID-8"), "F");
    assert_eq!(get(&output, 0, "PID-11.4"), "MA");
    // Dates move together: the admission is still 7 days before the discharge message.
    let day = |s: &str| {
        let (y, m, d) = (&s[0..4], &s[4..6], &s[6..8]);
        let date = format!("{y}-{m}-{d}");
        days(&date)
    };
    let admitted = day(&get(&output, 0, "MSH-7"));
    let discharged = day(&get(&output, 1, "MSH-7"));
    assert_eq!(discharged - admitted, 7);
    assert_ne!(get(&output, 0, "MSH-7"), "20260105083000");
    assert!(get(&output, 0, "MSH-7").ends_with("083000"));
}

/// Days since 0000-03-01 of an ISO date, enough to compare two dates.
fn days(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d
}

#[test]
fn the_same_key_gives_the_same_output_and_another_key_another() {
    let one = pseudonymize(b"the first key, 16 bytes+").anonymize(BATCH);
    assert_eq!(
        one,
        pseudonymize(b"the first key, 16 bytes+").anonymize(BATCH)
    );
    let two = pseudonymize(b"the second key, 16 bytes+").anonymize(BATCH);
    assert_ne!(get(&one.bytes, 0, "PID-3.1"), get(&two.bytes, 0, "PID-3.1"));
}

#[test]
fn free_text_loses_identifiers_seen_anywhere_in_the_batch() {
    // Redacted by default.
    let output = pseudonymize(b"the first key, 16 bytes+")
        .anonymize(BATCH)
        .bytes;
    assert_eq!(get(&output, 1, "NTE-3"), "REDACTED");
    // Scrubbed when asked.
    let output = pseudonymize_scrubbing(b"the first key, 16 bytes+")
        .anonymize(BATCH)
        .bytes;
    let note = get(&output, 1, "NTE-3");
    for leaked in ["Jane", "Doe", "MRN4471", "555-0101", "01/05/2026"] {
        assert!(!note.contains(leaked), "{leaked} in {note}");
    }
    // The pseudonyms in the text are the ones in the fields.
    assert!(note.contains(&get(&output, 1, "PID-3.1")), "{note}");
    assert!(note.contains("called from"), "{note}");
}

#[test]
fn safe_harbor_generalizes_and_aggregates_ages_over_89() {
    let output = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .anonymize(BATCH);
    let bytes = &output.bytes;
    assert_eq!(get(bytes, 0, "PID-7"), "1980");
    assert_eq!(get(bytes, 2, "PID-7"), "1936"); // born 1930, 96 in 2026: 90 or older
    assert_eq!(get(bytes, 0, "PID-11.5"), "021");
    assert_eq!(get(bytes, 0, "PID-13"), "REDACTED");
    assert_eq!(get(bytes, 1, "NTE-3"), "REDACTED");
    assert_eq!(get(bytes, 0, "MSH-7"), "2026");
    // The batch envelope is anonymized too, and keeps its counts.
    assert!(bytes.starts_with(b"BHS|^~\\&|LAB|HOSP\r"));
    assert!(bytes.ends_with(b"BTS|3\r"));
    // The receipt has paths and methods, and no values.
    let change = output
        .receipt
        .changes
        .iter()
        .find(|c| c.path == "PID-5.1")
        .unwrap();
    assert_eq!(
        (change.category, change.method),
        (Category::FamilyName, Method::Redact)
    );
    let json = serde_json::to_string(&output.receipt).unwrap();
    assert!(!json.contains("DOE") && !json.contains("MRN4471"), "{json}");
    assert_eq!(output.receipt.messages, 3);
}

#[test]
fn the_receipt_carries_originals_only_when_asked() {
    let anonymizer = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .keep_originals(true);
    let receipt = anonymizer.anonymize(BATCH).receipt;
    let change = receipt
        .changes
        .iter()
        .find(|c| c.path == "PID-5.1")
        .unwrap();
    assert_eq!(change.original.as_deref(), Some("DOE"));
}

#[test]
fn z_segments_payloads_and_prose_are_removed_by_default() {
    let input = b"Here is the message John sent:\n\
        MSH|^~\\&|A|B|||2026||ORU^R01|1|P|2.5.1\r\
        PID|1||X1\r\
        OBX|1|ED|11502-2^Report^LN||^AP^PDF^Base64^JVBERi0xLjQK\r\
        ZPI|1|secret^value~more\r";
    let output = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .anonymize(input);
    let text = String::from_utf8(output.bytes).unwrap();
    assert!(
        !text.contains("John") && !text.contains("JVBER") && !text.contains("secret"),
        "{text}"
    );
    assert!(text.contains("OBX|1|ED|11502-2^Report^LN||\r"), "{text}");
    assert!(
        text.contains("ZPI|REDACTED|REDACTED^REDACTED~REDACTED\r"),
        "{text}"
    );
    assert_eq!(output.receipt.removed.len(), 1);
    // A policy can keep a Z-segment it knows to be harmless.
    let policy: Policy = serde_json::from_str(r#"{"segments": {"ZPI": "keep"}}"#).unwrap();
    let kept = Anonymizer::new(&policy, None)
        .unwrap()
        .anonymize(input)
        .bytes;
    assert!(
        String::from_utf8(kept)
            .unwrap()
            .contains("ZPI|1|secret^value~more\r")
    );
}

#[test]
fn pseudonymizing_needs_a_key() {
    let policy = Policy::preset(Preset::Pseudonymize);
    assert_eq!(
        Anonymizer::new(&policy, None).unwrap_err(),
        Error::KeyRequired
    );
    assert_eq!(
        Anonymizer::new(&policy, Some(b"")).unwrap_err(),
        Error::KeyRequired
    );
    // 128 bits at least: a shorter key can be found by trying them all.
    let short = Anonymizer::new(&policy, Some(b"fifteen bytes!!")).unwrap_err();
    assert_eq!(short, Error::KeyTooShort { bytes: 15 });
    assert!(
        short
            .to_string()
            .starts_with("the key is 15 bytes: a key needs at least 16 bytes")
    );
    assert!(Anonymizer::new(&policy, Some(b"sixteen bytes!!!")).is_ok());
    // A key the policy does not use is not checked.
    assert!(Anonymizer::new(&Policy::default(), Some(b"k")).is_ok());
    let message = Message::parse(BATCH.split(|b| *b == b'\r').nth(1).unwrap());
    assert!(message.is_ok());
}

#[test]
fn ages_over_89_become_90_in_both_presets() {
    let input = b"MSH|^~\\&|LAB|HOSP|||20260105||ORU^R01|M1|P|2.5.1\r\
        PID|1||MRN1^^^HOSP^MR||DOE^JANE\r\
        OBX|1|NM|30525-0^Age^LN||93|a\r\
        OBX|2|NM|21612-7^Age reported^LN||45|a\r\
        OBX|3|NM|8302-2^Body height^LN||178|cm\r\
        OBX|4|NM|99999^Whatever^L||104|yr\r";
    let safe = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .anonymize(input);
    let pseudo = pseudonymize(b"the first key, 16 bytes+").anonymize(input);
    for output in [&safe.bytes, &pseudo.bytes] {
        assert_eq!(get(output, 0, "OBX[1]-5"), "90");
        assert_eq!(get(output, 0, "OBX[2]-5"), "45");
        assert_eq!(get(output, 0, "OBX[3]-5"), "178"); // a height, not an age
        assert_eq!(get(output, 0, "OBX[4]-5"), "90"); // years by its unit
    }
    let change = safe
        .receipt
        .changes
        .iter()
        .find(|c| c.path == "OBX-5")
        .unwrap();
    assert_eq!(
        (change.category, change.method),
        (Category::Age, Method::Generalize)
    );
}

#[test]
fn numbers_and_times_are_kept_only_in_their_own_type_s_format() {
    // The grammar is the core's, the one validation checks: an SI is a whole number, so a
    // negative or fractional one is not kept as "a well-formed number", while an NM is.
    let input = b"MSH|^~\\&|LAB|HOSP|||20260105||ORU^R01|M1|P|2.5.1\r\
        PID|-1.5||MRN1^^^HOSP^MR||DOE^JANE\r\
        OBX|7|NM|8302-2^Body height^LN||-1.5|cm\r";
    let output = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .anonymize(input)
        .bytes;
    assert_eq!(get(&output, 0, "PID-1"), "REDACTED");
    assert_eq!(get(&output, 0, "OBX-1"), "7");
    assert_eq!(get(&output, 0, "OBX-5"), "-1.5");
}
