//! Building what ships: the npm package's wasm and the viewer.

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::tools::{self, WASM_TARGET};
use crate::{cargo, root, run, step};

/// Raw and gzip sizes of a wasm file.
#[derive(Debug)]
pub struct Sizes {
    raw: u64,
    gzip: u64,
}

impl fmt::Display for Sizes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kb = |bytes: u64| bytes as f64 / 1000.0;
        write!(
            f,
            "{:.1} KB raw, {:.1} KB gzip ({} bytes)",
            kb(self.raw),
            kb(self.gzip),
            self.gzip
        )
    }
}

fn sizes(path: &Path) -> Result<Sizes, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes).map_err(|e| e.to_string())?;
    let gzip = gzip.finish().map_err(|e| e.to_string())?;
    Ok(Sizes {
        raw: bytes.len() as u64,
        gzip: gzip.len() as u64,
    })
}

/// The npm package: `crates/pipehat-wasm` → wasm-bindgen (`--target web`) → `wasm-opt -Oz`,
/// into `pkg/gen/`.
pub fn pkg() -> Result<Sizes, String> {
    step("npm package: building crates/pipehat-wasm for wasm32");
    run(cargo().args([
        "build",
        "--package",
        "pipehat-wasm",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ]))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), std::path::PathBuf::from);
    let wasm = target_dir.join(format!("{WASM_TARGET}/wasm-release/pipehat_wasm.wasm"));
    let out_dir = root().join("pkg/gen");
    // `--experimental-reset-state-function` exports `__wbg_reset_state`: after a trap (a Rust
    // panic is an abort in `wasm-release`) `core.js` starts a fresh instance instead of leaving
    // a broken one, and handles from before refuse to touch the new one.
    run(tools::command("wasm-bindgen")
        .args(["--target", "web", "--out-name", "pipehat"])
        .arg("--experimental-reset-state-function")
        .arg("--out-dir")
        .arg(&out_dir)
        .arg(&wasm))?;
    let bindgen_wasm = out_dir.join("pipehat_bg.wasm");
    run(tools::command("wasm-opt")
        .arg("-Oz")
        .arg(&bindgen_wasm)
        .arg("-o")
        .arg(&bindgen_wasm))?;
    let sizes = sizes(&bindgen_wasm)?;
    println!("pkg/gen/pipehat_bg.wasm: {sizes}");
    if sizes.gzip > PKG_GZIP_BUDGET {
        return Err(format!(
            "pkg/gen/pipehat_bg.wasm is {} bytes gzipped, over its budget of {PKG_GZIP_BUDGET} \
             (what every page and Node process using the package loads)",
            sizes.gzip
        ));
    }
    Ok(sizes)
}

/// The npm package's wasm budget, gzipped (issue 7): 400 KB.
const PKG_GZIP_BUDGET: u64 = 400_000;

/// The viewer: `trunk build --release` into `dist/` (size-optimised `wasm-release` profile,
/// `wasm-opt -Oz`).
pub fn web() -> Result<Sizes, String> {
    step("viewer: trunk build --release");
    run(tools::command("trunk").args(["build", "--release"]))?;
    let sizes = sizes(&root().join("dist/web_bg.wasm"))?;
    println!("dist/web_bg.wasm: {sizes}");
    Ok(sizes)
}
