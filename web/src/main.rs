//! pipehat's viewer: paste an HL7 v2 message and read it, entirely in the browser; and the same
//! viewer embedded in documentation pages (`<hl7-viewer>`, see web/hl7-viewer.js).
//!
//! The page calls the `pipehat` crate directly inside its own wasm, so nothing a user pastes
//! ever leaves the machine (the page's Content-Security-Policy forbids it besides).

mod anonymize;
mod app;
mod browser;
mod compare;
mod editor;
mod embed;
mod findings;
mod messages;
mod model;
mod structure;
mod tabs;

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    console_error_panic_hook::set_once();
}

/// Starts the viewer page: the app fills the body (web/start.js calls this). Embedded viewers
/// call `mountViewer` instead.
#[wasm_bindgen(js_name = startViewer)]
pub fn start_viewer() {
    leptos::mount::mount_to_body(app::App);
}
