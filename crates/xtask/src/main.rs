//! `cargo xtask`: pipehat's one entry point for setting up, building, serving and testing.
//!
//! ```text
//! cargo xtask serve       build the viewer and serve it on http://127.0.0.1:8080
//! cargo xtask test        every check CI runs: fmt, clippy, Rust tests, wasm builds, Node and browser tests
//! cargo xtask build-pkg   build the npm package's wasm into pkg/gen/
//! cargo xtask build-web   build the viewer into dist/
//! cargo xtask setup       install the pinned tools only
//! cargo xtask gen-dict    regenerate the HL7 dictionary's data from its pinned packages
//!                         (`--check`: prove the checked-in data is what it makes)
//! ```
//!
//! Every command first installs what it needs and is missing (skipping what is already there at
//! the pinned version), so a fresh machine needs nothing but Rust, Node.js and this repository.

mod build;
mod dict;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str =
    "usage: cargo xtask <serve | test | build-pkg | build-web | setup | gen-dict [--check]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("build-pkg") => tools::ensure_wasm_tools().and_then(|()| build::pkg().map(drop)),
        Some("build-web") => tools::ensure_web_tools().and_then(|()| build::web().map(drop)),
        Some("gen-dict") => dict::gen_dict(args.get(1).is_some_and(|a| a == "--check")),
        Some("setup") => tools::ensure_web_tools().and_then(|()| tools::ensure_browser()),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the viewer in release mode and serves it on 127.0.0.1:8080 (no live reload).
fn serve() -> Result<(), String> {
    tools::ensure_web_tools()?;
    step("serving the viewer on http://127.0.0.1:8080 (Ctrl-C stops)");
    run(tools::command("trunk").args(["serve", "--release"]))
}

/// Every check, in the order that fails fastest.
fn test() -> Result<(), String> {
    let started = std::time::Instant::now();
    tools::ensure_web_tools()?;
    tools::ensure_browser()?;

    step("format");
    run(cargo().args(["fmt", "--all", "--check"]))?;
    step("clippy (host crates)");
    run(cargo().args(["clippy", "--all-targets", "--", "-D", "warnings"]))?;
    step("clippy (viewer, wasm32)");
    run(cargo().args([
        "clippy",
        "--package",
        "web",
        "--target",
        tools::WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))?;
    step("docs (rustdoc of the library crates; warnings, such as broken links, are errors)");
    run(cargo()
        .args(["doc", "--no-deps"])
        .args(LIBRARY_CRATES.iter().flat_map(|name| ["--package", name]))
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    step("Rust tests");
    run(cargo().args(["test"]))?;
    // The viewer's pure logic (comparing messages, before/after of anonymizing) runs on the host
    // too; its components only in the browser tests below.
    step("Rust tests (viewer logic, on the host)");
    run(cargo().args(["test", "--package", "web"]))?;
    dict::gen_dict(true)?;

    let pkg_sizes = build::pkg()?;
    let web_sizes = build::web()?;

    step("Node tests (npm package)");
    run(&mut node_test("tests/node"))?;
    // The hand-written index.d.ts against the package as a strict TypeScript user calls it.
    step("TypeScript types (tsc --strict, tests/types)");
    run(tools::command("tsc")
        .arg("-p")
        .arg(root().join("tests/types")))?;
    step("browser tests (viewer)");
    run(node_test("tests/browser").env("PIPEHAT_CHROMIUM", tools::chromium_path()))?;

    step("summary");
    println!("npm package wasm: {pkg_sizes}");
    println!("viewer wasm:      {web_sizes}");
    println!("all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The crates users depend on, whose documentation must build without a warning.
const LIBRARY_CRATES: [&str; 5] = [
    "pipehat",
    "pipehat-dict",
    "pipehat-validate",
    "pipehat-deid",
    "pipehat-wasm",
];

/// `node --test` over the test files of one folder.
fn node_test(folder: &str) -> Command {
    let dir = root().join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.to_string_lossy().ends_with(".test.mjs"));
    files.sort();
    let mut command = tools::command("node");
    command
        .arg("--test")
        .arg("--test-reporter=spec")
        .args(files);
    command
}

/// The workspace root (where `Cargo.toml`, `index.html` and `Trunk.toml` are).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask is two levels below the root")
        .to_path_buf()
}

/// `cargo`, as the one that runs us.
fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root());
    command
}

/// Runs a command to completion; a non-zero exit is an error naming the command.
fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("cannot run {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs a command and returns its standard output, or `None` if it cannot run or fails.
fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    format!("`{}`", words.join(" "))
}

/// Announces a step, so a long log shows where it is.
fn step(name: &str) {
    println!("\n==> {name}");
}
