//! What pipehat's crates' tests share: finding the shared HL7 corpus (`../shared/corpus`, real
//! HL7 v2 from public projects) and its message files. A dev-dependency only; never shipped.
//!
//! ```
//! // Without the corpus (a user's fresh clone) this skips loudly; with `CI` set it fails.
//! if let Some(dir) = testkit::corpus_dir() {
//!     assert!(!testkit::message_files(&dir).is_empty());
//! }
//! ```

use std::path::{Path, PathBuf};

/// Files of the corpus that are notes about it, not messages.
const NOT_MESSAGES: &[&str] = &[
    "SOURCES.md",
    "TEST_SUITES.md",
    "ANALYSIS.txt",
    "ANALYSIS_files.txt",
];

/// The corpus folder: `$PIPEHAT_CORPUS`, else `../shared/corpus` beside the checkout. `None`
/// (with a loud note on stderr) when it is missing, so a user's fresh clone skips the corpus
/// tests.
///
/// # Panics
/// When `CI` is set and the corpus is missing: CI must run the corpus tests.
#[must_use]
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PIPEHAT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the corpus is missing at {}",
        dir.display()
    );
    eprintln!(
        "\n*** SKIPPED: no HL7 corpus at {} (set PIPEHAT_CORPUS, or check out ../shared) ***\n",
        dir.display()
    );
    None
}

/// Every message file under `dir`, in path order, without the corpus's notes.
///
/// # Panics
/// When a folder cannot be read.
#[must_use]
pub fn message_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if !NOT_MESSAGES.contains(&path.file_name().and_then(|n| n.to_str()).unwrap_or("")) {
            out.push(path);
        }
    }
}

/// A path without its indices (`OBX[2]-5[1].1` → `OBX-5.1`), to compare findings or changes
/// by element whatever the occurrence or repetition.
///
/// ```
/// assert_eq!(testkit::without_indices("OBX[2]-5[1].1"), "OBX-5.1");
/// ```
#[must_use]
pub fn without_indices(path: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => skipping = true,
            ']' => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}
