//! Replays every input kept in `fuzz/regressions/<target>/` through the code its fuzz target
//! runs, so what fuzzing once found stays fixed (this needs neither nightly nor cargo-fuzz).

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != ".gitkeep"))
        .collect();
    inputs.sort();
    for input in &inputs {
        run(&std::fs::read(input).expect("readable input"));
    }
    eprintln!("{target}: replayed {} inputs", inputs.len());
}

#[test]
fn parse() {
    replay("parse", pipehat::fuzzing::parse);
}

#[test]
fn escape_round_trip() {
    replay("escape_round_trip", pipehat::fuzzing::escape_round_trip);
}

#[test]
fn path() {
    replay("path", pipehat::fuzzing::path);
}
