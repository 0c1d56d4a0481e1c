//! The validator on the shared corpus (`../shared/corpus`, real HL7 v2 from public projects):
//! every message of every file validates without a panic, in both presets and without values;
//! and on the samples meant to be well-formed (NIST immunization samples, CDC's Trusted
//! Intermediary examples outside its `Test` folder of deliberately broken inputs) every error is one the triage in `docs/validation.md` found to be
//! right — the sample breaks the base standard of its version.
//!
//! Without the corpus (a user's fresh clone) the test skips loudly; with `CI` set it fails.

use std::path::PathBuf;

use pipehat_validate::{Options, Preset, Severity, validate};

const MIN_FILES: usize = 1_100;

/// Errors the triage found right, as (rule, path without indices): the samples break the
/// base standard. Each is explained in docs/validation.md.
const TRIAGED: &[(&str, &str)] = &[
    // 2017-02-29 does not exist (CDC NewSTEPs ORU).
    ("value.format", "OBR-22"),
    ("value.format", "OBX-14"),
    ("value.format", "OBX-19"),
    ("value.format", "OBX-5"),
    // Times with colons ('11:30:05'), 15-digit timestamps, 'A' as birth order, 'ST' as a date.
    ("value.format", "TQ1-4"),
    ("value.format", "SPM-18"),
    ("value.format", "SPM-25.1"),
    ("value.format", "PID-25"),
    ("value.format", "OBX-12"),
    // Required by the base standard, empty in the sample (IGs may relax them; a profile would).
    ("field.required", "RXA-4"),
    ("field.required", "OBX-4"),
    ("field.required", "OBX-11"),
    ("field.required", "PV1-2"),
    ("field.required", "ORC-7"),
    ("field.required", "NK1-1"),
    ("field.required", "NK1-7"),
    ("field.required", "IN1-1"),
    ("field.required", "IN1-3"),
    ("field.required", "PID-3"),
    ("field.required", "OBR-4"),
    ("field.required", "DG1-2"),
    ("field.required", "MSH-7"),
    // Repeated fields that do not repeat in v2.3.
    ("field.repetitions", "OBR-3"),
    ("field.repetitions", "OBR-20"),
    ("field.repetitions", "OBR-27"),
    ("field.repetitions", "ORC-10"),
    ("field.repetitions", "ORC-19"),
    // OBX-2 names a type the version lacks: CE in v2.8 (withdrawn in 2.7), TN in v2.5.1.
    ("obx.value-type-unknown", "OBX-2"),
    // NK1 in ORM_O01, DG1 before ORC, segments after the structure's end, an OBR without ORC.
    ("structure.segment-unexpected", "-"),
    ("structure.segment-out-of-order", "-"),
    ("structure.too-many", "-"),
];

#[test]
fn every_corpus_message_validates_without_panic() {
    let Some(dir) = testkit::corpus_dir() else {
        return;
    };
    let all = testkit::message_files(&dir);
    assert!(all.len() >= MIN_FILES, "only {} corpus files", all.len());
    let mut messages = 0;
    for path in &all {
        let input = std::fs::read(path).expect("a corpus file");
        let file = pipehat::File::parse(&input);
        for message in file.messages() {
            messages += 1;
            for preset in [Preset::Tolerant, Preset::Strict] {
                let report = validate(
                    message,
                    &Options {
                        preset,
                        ..Options::default()
                    },
                );
                assert!(
                    report
                        .findings
                        .iter()
                        .all(|f| f.location.span[1] <= input.len())
                );
            }
            let private = validate(
                message,
                &Options {
                    with_values: false,
                    ..Options::default()
                },
            );
            assert!(
                private.findings.iter().all(|f| f.value.is_none()),
                "{}",
                path.display()
            );
        }
    }
    assert!(messages >= 1_100, "only {messages} messages");
}

#[test]
fn well_formed_samples_have_only_triaged_errors() {
    let Some(dir) = testkit::corpus_dir() else {
        return;
    };
    let mut all = testkit::message_files(&dir.join("cdc-trusted-intermediary"));
    all.extend(testkit::message_files(&dir.join("ms-fhir-converter")));
    let samples: Vec<&PathBuf> = all
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // examples/Test holds the Trusted Intermediary's deliberately broken inputs.
            (p.starts_with(dir.join("cdc-trusted-intermediary"))
                && !p.starts_with(dir.join("cdc-trusted-intermediary/examples/Test")))
                || name.starts_with("IZ_")
                || name.starts_with("VXU")
        })
        .filter(|p| p.extension().is_some_and(|e| e == "hl7"))
        .collect();
    assert!(samples.len() >= 70, "only {} samples", samples.len());
    let (mut clean, mut untriaged) = (0, Vec::new());
    for path in &samples {
        let input = std::fs::read(path).expect("a sample");
        let file = pipehat::File::parse(&input);
        for message in file.messages() {
            let report = validate(message, &Options::default());
            if report.is_valid() {
                clean += 1;
            }
            for finding in report.with_severity(Severity::Error) {
                let path_key =
                    testkit::without_indices(finding.location.path.as_deref().unwrap_or("-"));
                if !TRIAGED.contains(&(finding.rule, path_key.as_str())) {
                    untriaged.push(format!("{}: {finding}", path.display()));
                }
            }
        }
    }
    eprintln!("{clean} of the well-formed samples' messages validate without errors");
    assert!(
        untriaged.is_empty(),
        "errors not triaged:\n{}",
        untriaged.join("\n")
    );
}
