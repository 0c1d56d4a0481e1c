//! Memory of parsing the 20 MB corpus, as the kernel counts it (peak resident set, `VmHWM`).
//!
//! `cargo run --release -p bench --bin memory` prints:
//! - the peak of the per-message work (parse, count, three reads) relative to the corpus size;
//! - what `File::parse` of the whole corpus at once adds to memory (its index), relative to the
//!   input.

use pipehat::{File, Message, Path};

/// Peak and current resident set size of this process, in bytes.
fn resident() -> (usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches(" kB").parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn main() {
    let corpus = bench::corpus();
    let messages = bench::messages(&corpus);
    let paths = ["MSH-10", "PID-5[1].1", "PID-3[2].4.1"].map(|p| p.parse::<Path>().expect("path"));
    let mb = |bytes: usize| bytes as f64 / 1e6;

    let mut sum = 0;
    for text in &messages {
        let message = Message::parse(text.as_bytes()).expect("a message");
        sum += message.segments().len();
        for path in &paths {
            sum += message.get(path).map_or(0, |e| e.as_bytes().len());
        }
    }
    assert_eq!(sum, bench::CHECKSUM);
    let (peak, _) = resident();
    println!(
        "per-message: peak RSS {:.1} MB for a {:.1} MB corpus ({:.2}x)",
        mb(peak),
        mb(corpus.len()),
        peak as f64 / corpus.len() as f64
    );

    let (_, before) = resident();
    let file = File::parse(&corpus);
    let (_, after) = resident();
    let index = after.saturating_sub(before);
    println!(
        "whole file: {} messages; File::parse holds {:.1} MB of index for {:.1} MB of input ({:.2}x)",
        file.messages().len(),
        mb(index),
        mb(corpus.len()),
        index as f64 / corpus.len() as f64
    );
}
