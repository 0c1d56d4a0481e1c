//! Writes what the anonymizer makes of every file of the shared corpus, to compare two builds
//! byte for byte (a refactoring must not change a byte of output or receipt).
//!
//! ```sh
//! cargo run --release -p pipehat-deid --example corpus_snapshot -- OUT_DIR [POLICY_JSON]
//! diff -r BEFORE AFTER
//! ```
//!
//! For each corpus file and each of Safe Harbor and pseudonymize (fixed key), writes the
//! anonymized bytes (`.hl7`) and the receipt as JSON (`.json`), once without and once with the
//! originals in the receipt. POLICY_JSON, when given, is merged into the pseudonymize policy
//! (`{"freeText": "scrub"}`), so an option's old behaviour can be compared too.

use std::path::Path;

use pipehat_deid::{Anonymizer, Policy, Preset};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: corpus_snapshot OUT_DIR [POLICY_JSON]");
        std::process::exit(2);
    };
    let extra: serde_json::Value = args.next().map_or(serde_json::json!({}), |json| {
        serde_json::from_str(&json).expect("policy JSON")
    });
    let Some(dir) = testkit::corpus_dir() else {
        std::process::exit(2);
    };
    let out = Path::new(&out);
    let files = testkit::message_files(&dir);
    let mut written = 0;
    for (name, preset, key) in [
        ("safe-harbor", Preset::SafeHarbor, None),
        (
            "pseudonymize",
            Preset::Pseudonymize,
            Some(&b"corpus snapshot key"[..]),
        ),
    ] {
        let mut policy = serde_json::to_value(Policy::preset(preset)).expect("a policy");
        if let (Some(policy), Some(extra), Preset::Pseudonymize) =
            (policy.as_object_mut(), extra.as_object(), preset)
        {
            policy.extend(extra.clone());
        }
        let policy: Policy = serde_json::from_value(policy).expect("a policy");
        for originals in [false, true] {
            let anonymizer = Anonymizer::new(&policy, key)
                .expect("an anonymizer")
                .keep_originals(originals);
            for file in &files {
                let input = std::fs::read(file).expect("a corpus file");
                let output = anonymizer.anonymize(&input);
                let relative = file.strip_prefix(&dir).expect("under the corpus");
                let base = out
                    .join(if originals {
                        format!("{name}-originals")
                    } else {
                        name.to_string()
                    })
                    .join(relative);
                std::fs::create_dir_all(base.parent().expect("a folder")).expect("a folder");
                let mut bytes_path = base.clone().into_os_string();
                bytes_path.push(".out.hl7");
                std::fs::write(&bytes_path, &output.bytes).expect("written");
                let mut receipt_path = base.into_os_string();
                receipt_path.push(".receipt.json");
                std::fs::write(
                    &receipt_path,
                    serde_json::to_vec_pretty(&output.receipt).expect("JSON"),
                )
                .expect("written");
                written += 1;
            }
        }
    }
    eprintln!("{written} outputs written under {}", out.display());
}
