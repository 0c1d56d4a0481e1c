//! Bytes out in the message's own character set: an ISO 8859-1 message (MSH-18 `8859/1`)
//! comes out in ISO 8859-1 — kept bytes identical, replacements never in UTF-8 — and re-parses
//! with the same values; the same message as text (`anonymize_text`) comes out as the same
//! text, with the same pseudonyms.

use pipehat::{Charset, File, Path, charset};
use pipehat_deid::{Anonymizer, Category, FreeText, Method, Note, Policy, Preset};

/// An `8859/1` message with non-ASCII names, address, coded text and notes.
const LATIN1: &[u8] = b"MSH|^~\\&|LAB|H\xd6SPITAL|||20260105083000||ORU^R01|MSG1|P|2.5.1||||||8859/1\r\
PID|1||123^^^HOSP^MR||M\xfcller^J\xfcrgen||19800115|M|||Hauptstra\xdfe 1^^K\xf6ln^^50667||0221 555 0101\r\
OBX|1|NM|718-7^H\xe4moglobin^LN||13.5|g/dL\r\
OBX|2|CWE|LA6576-8^Sch\xf6n^LN||N^Normal^HL70078\r\
OBX|3|TX|11488-4^Befund^LN||Herr M\xfcller f\xfchlt sich gut, R\xfcckruf am 12.01.2026\r\
NTE|1||J\xfcrgen M\xfcller: \xdcberweisung an Dr. \xd6zdemir\r";

fn anonymizers() -> Vec<(&'static str, Anonymizer)> {
    let key = Some(&b"charset test key"[..]);
    let policy = |preset, free_text| Policy {
        preset,
        free_text,
        ..Policy::default()
    };
    vec![
        (
            "safe-harbor",
            Anonymizer::new(&Policy::default(), None).unwrap(),
        ),
        (
            "pseudonymize",
            Anonymizer::new(&policy(Preset::Pseudonymize, FreeText::Redact), key).unwrap(),
        ),
        (
            "pseudonymize, scrub",
            Anonymizer::new(&policy(Preset::Pseudonymize, FreeText::Scrub), key).unwrap(),
        ),
    ]
}

fn value(bytes: &[u8], path: &str) -> String {
    let file = File::parse(bytes);
    let path: Path = path.parse().unwrap();
    file.messages()[0]
        .get(&path)
        .map(|e| e.text().into_owned())
        .unwrap_or_default()
}

fn raw<'a>(bytes: &'a [u8], path: &str) -> Vec<u8> {
    let file: File<'a> = File::parse(bytes);
    let path: Path = path.parse().unwrap();
    file.messages()[0]
        .get(&path)
        .map(|e| e.as_bytes().to_vec())
        .unwrap_or_default()
}

/// Whether `bytes` hold a UTF-8 encoded non-ASCII character (what ISO 8859-1 output must
/// never have: `Ã¼` is how `ü` in UTF-8 reads in ISO 8859-1).
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|w| (0xC2..=0xF4).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
}

#[test]
fn an_8859_1_message_comes_out_in_8859_1() {
    assert!(!has_utf8_sequence(LATIN1));
    for (name, anonymizer) in anonymizers() {
        let output = anonymizer.keep_originals(true).anonymize(LATIN1);
        let bytes = &output.bytes;
        assert!(!has_utf8_sequence(bytes), "{name}: UTF-8 in {bytes:?}");
        // Kept bytes are the input's.
        for path in ["MSH-4", "MSH-18", "OBX-3", "OBX[2]-3", "OBX[2]-5", "OBX-6"] {
            assert_eq!(raw(bytes, path), raw(LATIN1, path), "{name} {path}");
        }
        // It re-parses as ISO 8859-1 with the same values.
        let file = File::parse(bytes);
        assert_eq!(file.messages()[0].charset(), Charset::Latin1);
        assert!(file.messages()[0].diagnostics().is_empty(), "{name}");
        assert_eq!(value(bytes, "OBX-3.2"), "Hämoglobin", "{name}");
        assert_eq!(value(bytes, "MSH-4"), "HÖSPITAL", "{name}");
        assert_eq!(value(bytes, "OBX[2]-3.2"), "Schön", "{name}");
        // Nothing of the patient is left (scrubbing keeps a name that only free text holds).
        let names: &[&str] = if name.ends_with("scrub") {
            &["Müller", "Jürgen", "Köln", "Hauptstraße"]
        } else {
            &["Müller", "Jürgen", "Köln", "Hauptstraße", "Özdemir"]
        };
        for gone in names {
            let latin1: Vec<u8> = gone.chars().map(|c| c as u8).collect();
            assert!(
                !bytes.windows(latin1.len()).any(|w| w == latin1.as_slice()),
                "{name}: {gone}"
            );
        }
        // The receipt reads the originals as text.
        let original = |path: &str| {
            output
                .receipt
                .changes
                .iter()
                .find(|c| c.path == path)
                .and_then(|c| c.original.clone())
        };
        assert_eq!(original("PID-5.1").as_deref(), Some("Müller"), "{name}");
        assert_eq!(original("PID-11.3").as_deref(), Some("Köln"), "{name}");
        assert!(output.receipt.changes.iter().all(|c| c.note.is_none()));
    }
}

#[test]
fn scrubbed_free_text_stays_in_8859_1() {
    let (_, anonymizer) = anonymizers().remove(2);
    let bytes = anonymizer.anonymize(LATIN1).bytes;
    let note = raw(&bytes, "NTE-3");
    // The note's own words stay, in ISO 8859-1 ("Überweisung"); the names are replaced.
    assert!(note.windows(4).any(|w| w == b"\xdcber"), "{note:?}");
    assert!(!has_utf8_sequence(&note));
    let text = value(&bytes, "NTE-3");
    assert!(
        !text.contains("Müller") && !text.contains("Jürgen"),
        "{text}"
    );
    let result = value(&bytes, "OBX[3]-5");
    assert!(result.contains("fühlt sich gut"), "{result}");
    assert!(
        result.contains("[DATE]") && !result.contains("Müller"),
        "{result}"
    );
}

#[test]
fn the_same_message_as_text_gives_the_same_text() {
    let text = charset::decode_file(LATIN1);
    assert!(text.contains("Müller^Jürgen") && text.contains("Hämoglobin"));
    for (name, anonymizer) in anonymizers() {
        let from_bytes = anonymizer.anonymize(LATIN1);
        let from_text = anonymizer.anonymize_text(&text);
        // Text in, text out: the same values, the same pseudonyms, the same receipt.
        assert_eq!(
            charset::decode_file(&from_bytes.bytes),
            from_text.text,
            "{name}"
        );
        assert_eq!(from_bytes.receipt, from_text.receipt, "{name}");
        assert!(from_text.text.contains("718-7^Hämoglobin^LN||13.5|g/dL"));
        // And back to the message's bytes: what anonymize wrote.
        assert_eq!(
            charset::encode_file(&from_text.text).unwrap(),
            from_bytes.bytes.as_slice(),
            "{name}"
        );
    }
}

#[test]
fn text_is_never_decoded_again_by_msh_18() {
    // UTF-8 text labelled 8859/1 (a JavaScript string): read as the text it is.
    let text = "MSH|^~\\&|LAB|HOSP|||20260105||ORU^R01|1|P|2.5.1||||||8859/1\r\
                PID|1||123||Müller^Jürgen\r\
                OBX|1|NM|718-7^Hämoglobin^LN||13.5|g/dL\r";
    let anonymizer = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .keep_originals(true);
    let output = anonymizer.anonymize_text(text);
    assert!(
        output.text.contains("718-7^Hämoglobin^LN"),
        "{}",
        output.text
    );
    assert!(!output.text.contains("Müller") && !output.text.contains('Ã'));
    let change = output
        .receipt
        .changes
        .iter()
        .find(|c| c.path == "PID-5.1")
        .unwrap();
    assert_eq!(change.original.as_deref(), Some("Müller"));
    assert_eq!(
        (change.category, change.method),
        (Category::FamilyName, Method::Redact)
    );
}

#[test]
fn a_hex_escape_in_text_comes_out_as_text() {
    // `\XFC\` is a byte, not UTF-8; scrubbing rewrites the value, which is written as text.
    let text = "MSH|^~\\&|LAB|HOSP|||20260105||ORU^R01|1|P|2.5.1\r\
                PID|1||123||DOE^JANE\r\
                NTE|1||Anruf \\XFC\\ber Doe am 12.01.2026\r";
    let policy = Policy {
        preset: Preset::Pseudonymize,
        free_text: FreeText::Scrub,
        ..Policy::default()
    };
    let output = Anonymizer::new(&policy, Some(b"charset test key"))
        .unwrap()
        .anonymize_text(text);
    let note = output.text.lines().last().unwrap_or_default().to_string();
    assert!(
        note.contains("Anruf über") && note.contains("[DATE]"),
        "{note}"
    );
    assert!(!note.contains("Doe"), "{note}");
}

#[test]
fn the_note_is_left_out_of_json_when_absent() {
    let output = Anonymizer::new(&Policy::default(), None)
        .unwrap()
        .anonymize(LATIN1);
    let json = serde_json::to_value(&output.receipt).unwrap();
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("note").is_none())
    );
    assert!(Note::Unencodable.message().contains('?'));
}
