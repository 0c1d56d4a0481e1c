//! `cargo xtask gen-dict`: regenerate pipehat-dict's data from its pinned source packages.
//!
//! The sources come from the registries this machine reaches (PyPI and npm) at pinned versions,
//! and the generator checks their SHA-256 before reading them. It writes
//! `crates/pipehat-dict/src/generated.rs` and `docs/dictionary-crosscheck.md`; `--check`
//! writes into a temporary folder instead and fails if either differs from what is checked in.

use std::path::{Path, PathBuf};

use crate::{root, run, step, tools};

/// PyPI packages: the generator's main sources.
const PYPI: [&str; 2] = ["hl7apy==1.3.5", "hl7types==0.9.5"];
/// npm packages: display names, lengths and code descriptions; redox's event map to compare.
const NPM: [&str; 2] = ["hl7-dictionary@1.0.1", "@redoxengine/redox-hl7-v2@1.0.1"];

const GENERATED: &str = "crates/pipehat-dict/src/generated.rs";
const CROSSCHECK: &str = "docs/dictionary-crosscheck.md";

/// Regenerates the dictionary data, or with `check` proves the checked-in data is what the
/// generator makes. A registry that cannot be reached skips the check, loudly.
pub fn gen_dict(check: bool) -> Result<(), String> {
    let work = tempdir()?;
    let result = generate(&work, check);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn generate(work: &Path, check: bool) -> Result<(), String> {
    let sources = work.join("sources");
    std::fs::create_dir_all(&sources).map_err(|e| e.to_string())?;
    step("downloading the dictionary's pinned sources (PyPI, npm)");
    let downloaded = run(tools::command("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
        ])
        .arg(&sources)
        .args(PYPI))
    .and_then(|()| {
        run(tools::command("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(&sources)
            .args(NPM)
            .current_dir(work))
    });
    if let Err(error) = downloaded {
        if check {
            println!(
                "\n!!! SKIPPED: the dictionary reproducibility check could not reach the package \
                 registries ({error})\n"
            );
            return Ok(());
        }
        return Err(error);
    }

    let (out, crosscheck) = if check {
        (work.join("generated.rs"), work.join("crosscheck.md"))
    } else {
        (root().join(GENERATED), root().join(CROSSCHECK))
    };
    step("generating the dictionary");
    run(tools::command("python3")
        .arg(root().join("crates/pipehat-dict/gen/gen_dict.py"))
        .arg("--src")
        .arg(&sources)
        .arg("--out")
        .arg(&out)
        .arg("--crosscheck")
        .arg(&crosscheck))?;
    if !check {
        println!("wrote {GENERATED} and {CROSSCHECK}");
        return Ok(());
    }
    for (made, checked_in) in [(&out, GENERATED), (&crosscheck, CROSSCHECK)] {
        let made = std::fs::read(made).map_err(|e| e.to_string())?;
        let kept = std::fs::read(root().join(checked_in)).map_err(|e| e.to_string())?;
        if made != kept {
            return Err(format!(
                "{checked_in} is not what `cargo xtask gen-dict` makes: regenerate it, never edit it"
            ));
        }
    }
    println!("the checked-in dictionary is exactly what the generator makes");
    Ok(())
}

fn tempdir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("pipehat-gen-dict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}
