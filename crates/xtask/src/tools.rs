//! The pinned tools, installed when missing: nothing is downloaded but packages from the
//! registries (crates.io, npm, Debian), so this works on a network that reaches only those.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::{output, root, run, step};

/// The wasm target every shipped artifact is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Must equal the `wasm-bindgen` crate version pinned in the workspace `Cargo.toml`.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// 0.22 needs a newer rustc than ours.
const TRUNK_VERSION: &str = "0.21.14";

/// What building the npm package needs: the wasm target, wasm-bindgen, and the npm tools
/// (`wasm-opt` comes from npm `binaryen`, pinned in `tests/package.json`).
pub fn ensure_wasm_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", WASM_BINDGEN_VERSION)?;
    ensure_npm_packages()
}

/// What building the viewer needs: the wasm tools and Trunk.
pub fn ensure_web_tools() -> Result<(), String> {
    ensure_wasm_tools()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|list| list.lines().any(|line| line.trim() == WASM_TARGET));
    if installed {
        return Ok(());
    }
    step(&format!("installing the Rust target {WASM_TARGET}"));
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Installs `krate` at `version` with `cargo install` unless `binary --version` already says it.
fn ensure_cargo_tool(krate: &str, binary: &str, version: &str) -> Result<(), String> {
    let found = output(command(binary).arg("--version")).unwrap_or_default();
    if found.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    step(&format!(
        "installing {krate} {version} (cargo install --locked)"
    ));
    let install = |locked: bool| {
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo.args(["install", krate, "--version", version]);
        if locked {
            cargo.arg("--locked");
        }
        run(&mut cargo)
    };
    install(true).or_else(|error| {
        // A crate's published lock file can name a dependency version that the registry no longer
        // serves (yanked, or absent from a mirror); the exact tool version is still honoured.
        eprintln!("xtask: {error}; retrying {krate} {version} without --locked");
        install(false)
    })
}

/// `npm ci` in `tests/` (playwright-core, binaryen, and the package under test) when its
/// `node_modules` is missing or older than its lock file.
fn ensure_npm_packages() -> Result<(), String> {
    let tests = root().join("tests");
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let lock = modified(tests.join("package-lock.json"));
    let installed = modified(tests.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= lock {
        return Ok(());
    }
    step("installing npm packages for tests and tools (npm ci)");
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(tests))
}

/// The Chromium the browser tests drive: `$PIPEHAT_CHROMIUM`, by default Debian's.
pub fn chromium_path() -> OsString {
    std::env::var_os("PIPEHAT_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into())
}

/// Installs Debian's `chromium` when no browser is at [`chromium_path`] (Playwright's own
/// browser download cannot work on a registry-only network).
pub fn ensure_browser() -> Result<(), String> {
    if PathBuf::from(chromium_path()).exists() {
        return Ok(());
    }
    if std::env::var_os("PIPEHAT_CHROMIUM").is_some() {
        return Err(format!(
            "no browser at PIPEHAT_CHROMIUM={:?}",
            chromium_path()
        ));
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
    if !is_root {
        return Err(
            "the browser tests need Chromium: run `apt-get install chromium` as root, \
                    or set PIPEHAT_CHROMIUM to a Chromium binary"
                .to_string(),
        );
    }
    step("installing Chromium (apt-get install chromium)");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// A command for a tool, with the tools we install first on `PATH`: cargo's install folder
/// (where `cargo install` just put Trunk and wasm-bindgen) and `tests/node_modules/.bin`
/// (`wasm-opt`).
pub fn command(program: &str) -> Command {
    let mut paths = vec![cargo_bin_dir(), root().join("tests/node_modules/.bin")];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    let path = std::env::join_paths(paths).expect("PATH entries without separators");
    let program = which(program, &path).unwrap_or_else(|| program.into());
    let mut command = Command::new(program);
    command.env("PATH", path).current_dir(root());
    command
}

/// Where `cargo install` puts binaries: `$CARGO_INSTALL_ROOT/bin`, else `$CARGO_HOME/bin`,
/// else `~/.cargo/bin`.
fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// Finds `program` on `path` (the `PATH` of a child is not used to look its program up).
fn which(program: &str, path: &std::ffi::OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
