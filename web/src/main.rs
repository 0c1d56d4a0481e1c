//! pipehat's viewer: paste an HL7 v2 message and read it, entirely in the browser.
//!
//! The page calls the `pipehat` crate directly inside its own wasm, so nothing a user pastes
//! ever leaves the machine (the page's Content-Security-Policy forbids it besides).

mod anonymize;
mod app;
mod editor;
mod messages;
mod model;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
