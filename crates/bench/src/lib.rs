//! What pipehat's benchmarks share: the corpus and the work every parser does on it.
//!
//! The corpus is made by `../shared/bench/gen_corpus.py OUT 20 42` (20 MB, 4,787 messages, one
//! message per line, segments ended by CR). For each message, every parser is asked the same
//! thing: parse it, count its segments, and read the raw MSH-10, PID-5[1].1 and PID-3[2].4.1.
//! The checksum — the sum over messages of the segment count and the byte lengths of those
//! three values — is the same for every correct parser: [`CHECKSUM`].

use std::path::{Path, PathBuf};

/// The checksum every correct parser gets on the 20 MB corpus.
pub const CHECKSUM: usize = 178_739;

/// The corpus file, generated into `target/bench/` on first use.
///
/// # Panics
/// If `../shared/bench/gen_corpus.py` is missing or fails: benchmarks need the shared corpus.
#[must_use]
pub fn corpus() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = root.join("target/bench/corpus-20mb.hl7");
    if !file.exists() {
        let script: PathBuf = root.join("../shared/bench/gen_corpus.py");
        assert!(script.exists(), "benchmarks need {}", script.display());
        std::fs::create_dir_all(file.parent().expect("a parent folder")).expect("target/bench");
        let status = std::process::Command::new("python3")
            .arg(&script)
            .arg(&file)
            .args(["20", "42"])
            .status()
            .expect("python3 runs");
        assert!(status.success(), "gen_corpus.py failed");
    }
    std::fs::read(&file).expect("the corpus")
}

/// The corpus split into messages (one per line), as every parser receives them.
#[must_use]
pub fn messages(corpus: &[u8]) -> Vec<&str> {
    let text = std::str::from_utf8(corpus).expect("the generated corpus is UTF-8");
    text.split('\n').filter(|line| !line.is_empty()).collect()
}
