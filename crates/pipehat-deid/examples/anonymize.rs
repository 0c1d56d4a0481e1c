//! Anonymize a file and print it, with a summary of the receipt on standard error.
//!
//! ```sh
//! cargo run --release -p pipehat-deid --example anonymize -- FILE [KEY]
//! ```
//!
//! With a KEY, pseudonymize (keyed, consistent); without, Safe Harbor. With `RECEIPT=FILE` in
//! the environment, the receipt's changes and removals are written to FILE, one a line (to
//! compare runs).

use std::io::Write;
use std::time::Instant;

use pipehat_deid::{Anonymizer, Policy, Preset};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: anonymize FILE [KEY]");
        std::process::exit(2);
    };
    let key = args.next();
    let input = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    let preset = if key.is_some() {
        Preset::Pseudonymize
    } else {
        Preset::SafeHarbor
    };
    let anonymizer = Anonymizer::new(&Policy::preset(preset), key.as_deref().map(str::as_bytes))
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2);
        });
    let started = Instant::now();
    let output = anonymizer.anonymize(&input);
    let seconds = started.elapsed().as_secs_f64();
    let receipt = &output.receipt;
    eprintln!(
        "{} messages, {} values changed, {} pieces of text dropped; {:.1} MB in {:.3} s ({:.1} MB/s)",
        receipt.messages,
        receipt.changes.len(),
        receipt.removed.len(),
        input.len() as f64 / 1e6,
        seconds,
        input.len() as f64 / 1e6 / seconds
    );
    if let Some(file) = std::env::var_os("RECEIPT") {
        let mut lines = String::new();
        for change in &receipt.changes {
            lines.push_str(&format!(
                "{:?} {} {:?} {:?} {:?}\n",
                change.message, change.path, change.category, change.method, change.original
            ));
        }
        for removal in &receipt.removed {
            lines.push_str(&format!("{removal:?}\n"));
        }
        std::fs::write(file, lines).expect("the receipt file");
    }
    if std::env::var_os("QUIET").is_none() {
        std::io::stdout().write_all(&output.bytes).expect("stdout");
    }
}
