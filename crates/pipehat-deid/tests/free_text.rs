//! Free text under keyed pseudonyms: `FreeText::Redact` (the default) removes an identifier that
//! appears only in free text; `FreeText::Scrub` cannot (it removes only what it has seen in a
//! structured field, and patterns), and that is why it is not the default. Structured fields
//! come out the same either way.

use pipehat::{File, Path};
use pipehat_deid::{Anonymizer, Category, FreeText, Method, Policy, Preset};

const KEY: &[u8] = b"free text test key";

fn anonymizer(preset: Preset, free_text: FreeText) -> Anonymizer {
    let policy = Policy {
        preset,
        free_text,
        ..Policy::default()
    };
    let key = (preset == Preset::Pseudonymize).then_some(KEY);
    Anonymizer::new(&policy, key).unwrap()
}

/// A message whose free text — OBX-5 of types TX, FT and ST, NTE-3, and the other free-text
/// fields — holds a canary that no structured field holds.
fn message(n: usize) -> (String, Vec<String>) {
    let canary = |place: &str| format!("Zq{place}{n}x");
    let canaries: Vec<String> = ["tx", "ft", "st", "nte", "obr", "pv", "al"]
        .iter()
        .map(|p| canary(p))
        .collect();
    let text = format!(
        "MSH|^~\\&|LAB|HOSP|||20260105083000||ORU^R01|MSG{n}|P|2.5.1\r\
         PID|1||MRN{n}^^^HOSP^MR||DOE^JANE||19800115|F|||12 Main St^^Boston^MA^02139\r\
         PV1|1|I\r\
         PV2||||||||||||Visit with {pv}\r\
         AL1|1||^Peanut|SV|Rash, told {al}\r\
         OBR|1|||24331-1^Lipid panel^LN|||202601050800||||||Clinical info from {obr}\r\
         OBX|1|TX|11488-4^Consult note^LN||Patient seen with her neighbour {tx} today\r\
         OBX|2|FT|11506-3^Progress note^LN||Called {ft}\\.br\\back tomorrow\r\
         OBX|3|ST|8251-1^Service comment^LN||Ask for {st}\r\
         OBX|4|NM|2093-3^Cholesterol^LN||180|mg/dL\r\
         NTE|1||Bed number of {nte} is unknown\r",
        tx = canaries[0],
        ft = canaries[1],
        st = canaries[2],
        nte = canaries[3],
        obr = canaries[4],
        pv = canaries[5],
        al = canaries[6],
    );
    (text, canaries)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Free-text fields of the test message.
const FREE: &[&str] = &["PV2-12", "AL1-5", "OBR-13", "OBX-5", "NTE-3"];

#[test]
fn an_identifier_only_in_free_text_survives_scrub_and_not_redact() {
    let scrub = anonymizer(Preset::Pseudonymize, FreeText::Scrub);
    let redact = anonymizer(Preset::Pseudonymize, FreeText::Redact);
    for n in 0..200 {
        let (input, canaries) = message(n);
        let scrubbed = scrub.anonymize(input.as_bytes()).bytes;
        let redacted = redact.anonymize(input.as_bytes()).bytes;
        for canary in &canaries {
            // What scrubbing cannot do: the canary was never in a structured field.
            assert!(contains(&scrubbed, canary), "{canary} scrubbed away");
            assert!(!contains(&redacted, canary), "{canary} survived redact");
        }
        // Both still scrub or redact what the structured fields held.
        for output in [&scrubbed, &redacted] {
            for seen in [format!("MRN{n}"), "DOE".into(), "Main St".into()] {
                assert!(!contains(output, &seen), "{seen}");
            }
        }
    }
}

#[test]
fn structured_fields_are_the_same_under_redact_and_scrub() {
    for preset in [Preset::Pseudonymize, Preset::SafeHarbor] {
        let (input, _) = message(7);
        let scrubbed = anonymizer(preset, FreeText::Scrub).anonymize(input.as_bytes());
        let redacted = anonymizer(preset, FreeText::Redact).anonymize(input.as_bytes());
        let (a, b) = (File::parse(&scrubbed.bytes), File::parse(&redacted.bytes));
        let (a, b) = (&a.messages()[0], &b.messages()[0]);
        assert_eq!(a.segments().count(), b.segments().count());
        for (x, y) in a.segments().zip(b.segments()) {
            let id = String::from_utf8_lossy(x.id()).into_owned();
            assert_eq!(x.fields().count(), y.fields().count(), "{id}");
            let text_observation = x
                .field(2)
                .is_some_and(|t| matches!(t.as_bytes(), b"TX" | b"FT" | b"ST"));
            for (i, (f, g)) in x.fields().zip(y.fields()).enumerate() {
                let path = format!("{id}-{}", i + 1);
                if FREE.contains(&path.as_str()) && (id != "OBX" || text_observation) {
                    assert_eq!(g.as_bytes(), b"REDACTED", "{preset:?} {path}");
                } else {
                    assert_eq!(f.as_bytes(), g.as_bytes(), "{preset:?} {path}");
                }
            }
        }
        // The receipts differ only in the free-text values.
        let structured = |changes: &[pipehat_deid::Change]| {
            changes
                .iter()
                .filter(|c| c.category != Category::FreeText)
                .map(|c| (c.path.to_string(), c.category, c.method))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            structured(&scrubbed.receipt.changes),
            structured(&redacted.receipt.changes)
        );
    }
}

#[test]
fn each_redacted_value_has_its_receipt_line() {
    let (input, _) = message(3);
    let output = anonymizer(Preset::Pseudonymize, FreeText::Redact).anonymize(input.as_bytes());
    let free: Vec<(String, Method)> = output
        .receipt
        .changes
        .iter()
        .filter(|c| c.category == Category::FreeText)
        .map(|c| (c.path.to_string(), c.method))
        .collect();
    let expected: Vec<(String, Method)> = [
        "PV2-12", "AL1-5", "OBR-13", "OBX-5", "OBX[2]-5", "OBX[3]-5", "NTE-3",
    ]
    .iter()
    .map(|p| ((*p).to_string(), Method::Redact))
    .collect();
    assert_eq!(free, expected);
    // Serialized as every change is.
    let json = serde_json::to_value(&output.receipt).unwrap();
    assert!(json["changes"].as_array().unwrap().iter().any(|c| {
        c["path"] == "NTE-3" && c["category"] == "free-text" && c["method"] == "redact"
    }));
}

#[test]
fn redact_is_the_default_and_json_chooses() {
    assert_eq!(Policy::default().free_text, FreeText::Redact);
    assert_eq!(
        Policy::preset(Preset::Pseudonymize).free_text,
        FreeText::Redact
    );
    for (json, expected) in [
        (r#"{"preset": "pseudonymize"}"#, FreeText::Redact),
        (
            r#"{"preset": "pseudonymize", "freeText": "redact"}"#,
            FreeText::Redact,
        ),
        (
            r#"{"preset": "pseudonymize", "freeText": "scrub"}"#,
            FreeText::Scrub,
        ),
        (r#"{"freeText": "scrub"}"#, FreeText::Scrub),
    ] {
        let policy: Policy = serde_json::from_str(json).unwrap();
        assert_eq!(policy.free_text, expected, "{json}");
    }
    assert!(serde_json::from_str::<Policy>(r#"{"freeText": "keep"}"#).is_err());
    assert!(serde_json::from_str::<Policy>(r#"{"free_text": "scrub"}"#).is_err());
    let written = serde_json::to_value(Policy::preset(Preset::Pseudonymize)).unwrap();
    assert_eq!(written["freeText"], "redact");
}

#[test]
fn an_override_still_wins_over_free_text() {
    let policy: Policy = serde_json::from_str(
        r#"{"preset": "pseudonymize", "freeText": "redact", "fields": {"NTE-3": "scrub"}}"#,
    )
    .unwrap();
    let (input, canaries) = message(5);
    let output = Anonymizer::new(&policy, Some(KEY))
        .unwrap()
        .anonymize(input.as_bytes())
        .bytes;
    let file = File::parse(&output);
    let nte: Path = "NTE-3".parse().unwrap();
    let note = file.messages()[0].get(&nte).unwrap().text().into_owned();
    assert!(note.contains(&canaries[3]), "{note}");
    assert!(!contains(&output, &canaries[0])); // OBX-5 still redacted
}
