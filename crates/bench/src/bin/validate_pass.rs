//! One pass of parse + validate (tolerant preset) over the 20 MB corpus, for instruction counts:
//! `valgrind --tool=callgrind --toggle-collect='validate_pass::pass' target/release/validate_pass`.
//!
//! `validate_pass --dump FILE` also writes every report (`{:?}`, one message per line), so two
//! builds can be compared for exactly the same findings.

use std::io::Write;

use pipehat_validate::{Options, validate};

/// Parses and validates every message once; the number of findings.
#[inline(never)]
fn pass(messages: &[&str], options: &Options<'_>) -> usize {
    let mut total = 0;
    for m in messages {
        let message = pipehat::Message::parse(m.as_bytes()).expect("a message");
        total += validate(&message, options).findings.len();
    }
    total
}

fn main() {
    let corpus = bench::corpus();
    let messages = bench::messages(&corpus);
    let options = Options::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--dump") {
        let file = std::fs::File::create(&args[at + 1]).expect("the dump file");
        let mut out = std::io::BufWriter::new(file);
        for m in &messages {
            let message = pipehat::Message::parse(m.as_bytes()).expect("a message");
            writeln!(out, "{:?}", validate(&message, &options)).expect("write");
        }
        return;
    }
    let findings = pass(&messages, &options);
    println!("{} messages, {findings} findings", messages.len());
}
