//! Every file of the shared corpus (`../shared/corpus`, real HL7 v2 from public projects) splits
//! into segments losslessly: each segment is the input at its span, spans are in order and never
//! hold a terminator, and the bytes between them are only terminators, blank space and the
//! leading byte order mark.
//!
//! Without the corpus (a user's fresh clone) the test skips loudly; with `CI` set it fails.

use std::path::{Path, PathBuf};

/// Files in the corpus that describe it rather than being messages.
const NOT_MESSAGES: &[&str] = &[
    "SOURCES.md",
    "TEST_SUITES.md",
    "ANALYSIS.txt",
    "ANALYSIS_files.txt",
];

/// The corpus has 1,118 message files (321 originals, 797 derived); fewer means a broken copy.
const MIN_FILES: usize = 1_100;

/// `SOURCES.md` counts 350 + 797 messages, as MSH segments at a segment start: an independent
/// count that the splitter must reproduce.
const MSH_SEGMENTS: usize = 1_147;

fn corpus_dir() -> Option<PathBuf> {
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

fn message_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            message_files(&path, out);
        } else if !NOT_MESSAGES.contains(&path.file_name().and_then(|n| n.to_str()).unwrap_or("")) {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_splits_losslessly() {
    let Some(dir) = corpus_dir() else { return };
    let mut files = Vec::new();
    message_files(&dir, &mut files);
    assert!(
        files.len() >= MIN_FILES,
        "only {} files under {}",
        files.len(),
        dir.display()
    );

    let (mut segments, mut headers) = (0, 0);
    for path in &files {
        let input = std::fs::read(path).expect("readable corpus file");
        let name = path.strip_prefix(&dir).unwrap_or(path).display();
        let bom = if input.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut covered_to = 0;
        for segment in pipehat::segments(&input) {
            let span = segment.span();
            assert!(span.start >= covered_to, "{name}: span {span:?} overlaps");
            assert_eq!(&input[span.range()], segment.as_bytes(), "{name}: {span:?}");
            assert!(
                !segment
                    .as_bytes()
                    .iter()
                    .any(|b| matches!(b, b'\r' | b'\n')),
                "{name}: terminator inside {span:?}"
            );
            assert_gap_is_blank(&input, covered_to.max(bom), span.start, &name);
            covered_to = span.end;
            segments += 1;
            headers += usize::from(segment.id() == b"MSH");
        }
        assert_gap_is_blank(&input, covered_to.max(bom), input.len(), &name);
    }
    eprintln!(
        "corpus: {} files, {segments} segments, {headers} MSH segments",
        files.len()
    );
    assert_eq!(headers, MSH_SEGMENTS, "MSH segments found in the corpus");
}

fn assert_gap_is_blank(input: &[u8], from: usize, to: usize, name: &impl std::fmt::Display) {
    let gap = &input[from..to];
    assert!(
        gap.iter()
            .all(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t')),
        "{name}: bytes {from}..{to} lost between segments: {:?}",
        String::from_utf8_lossy(gap)
    );
}
