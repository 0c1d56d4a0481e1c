//! Golden files: each `golden/NAME.hl7` is parsed as a file, and what pipehat makes of it —
//! messages in readable JSON, batches, unreadable messages, every diagnostic with its span and
//! line:column — must equal `golden/NAME.json`, which a person has read and checked.
//!
//! After a deliberate change, `PIPEHAT_BLESS=1 cargo test -p pipehat --test golden` rewrites
//! the expected files; read the diff before committing it.

use std::path::Path;

use pipehat::position::LineIndex;
use pipehat::{Diagnostic, File, Severity};
use serde_json::{Value, json};

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn diagnostic(lines: &LineIndex<'_>, diagnostic: &Diagnostic) -> Value {
    let span = diagnostic.span();
    json!({
        "code": diagnostic.code(),
        "severity": severity(diagnostic.severity()),
        "span": [span.start, span.end],
        "at": lines.line_column(span.start).to_string(),
        "message": diagnostic.to_string(),
    })
}

fn describe(input: &[u8]) -> Value {
    let file = File::parse(input);
    let lines = LineIndex::new(input);
    let messages: Vec<Value> = file
        .messages()
        .iter()
        .map(|message| {
            let mut readable =
                serde_json::to_value(pipehat::json::Readable(message)).expect("JSON");
            let span = message.span();
            readable["span"] = json!([span.start, span.end]);
            readable["charset"] = json!(format!("{:?}", message.charset()));
            readable["diagnostics"] = message
                .diagnostics()
                .iter()
                .map(|d| diagnostic(&lines, d))
                .collect();
            readable
        })
        .collect();
    json!({
        "messages": messages,
        "batches": file.batches().iter().map(|b| json!({
            "messages": [b.messages().start, b.messages().end],
            "header": b.header().map(|s| [s.start, s.end]),
            "trailer": b.trailer().map(|s| [s.start, s.end]),
        })).collect::<Vec<_>>(),
        "unreadable": file.unreadable().iter().map(|u| json!({
            "span": [u.span().start, u.span().end],
            "error": u.error().to_string(),
        })).collect::<Vec<_>>(),
        "diagnostics": file.diagnostics().iter().map(|d| diagnostic(&lines, d)).collect::<Vec<_>>(),
    })
}

#[test]
fn golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("PIPEHAT_BLESS").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/golden")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "hl7"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 8, "golden inputs missing");
    let mut failures = Vec::new();
    for input in &inputs {
        let bytes = std::fs::read(input).expect("readable input");
        let actual = serde_json::to_string_pretty(&describe(&bytes)).expect("JSON") + "\n";
        let expected_path = input.with_extension("json");
        if bless {
            std::fs::write(&expected_path, &actual).expect("writable golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}: differs from {} (PIPEHAT_BLESS=1 rewrites it)\n{actual}",
                input.display(),
                expected_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
