//! What the viewer asks of the browser, all inside the page: randomness for keys, the clipboard,
//! reading opened files and offering downloads (`blob:` URLs), the clock, and a pause for the
//! browser to paint between steps of background work.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The platform's cryptographic randomness (`crypto.getRandomValues`).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]);
}

/// A new key for pseudonyms: 256 random bits as hex, made here and kept only in this page.
pub(crate) fn generate_key() -> String {
    let mut bytes = [0u8; 32];
    get_random_values(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Puts `text` on the clipboard (the page's own clipboard permission; nothing is sent).
pub(crate) fn copy_to_clipboard(text: String) {
    if let Some(window) = web_sys::window() {
        let promise = window.navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// The text of a file opened or dropped: read here, in the page, never uploaded. As bytes: one
/// copy into wasm, where a JS string would cross a character at a time; then text by each
/// message's own MSH-18 (`8859/1` files are Latin-1), as the core decodes files. `None` when the
/// browser cannot read it.
pub(crate) async fn read_hl7_file(file: web_sys::File) -> Option<String> {
    let bytes = gloo_file::futures::read_as_bytes(&file.into()).await.ok()?;
    Some(pipehat::charset::decode_file(&bytes).into_owned())
}

/// Offers `text` as a file download (UTF-8), made in the page (a `blob:` URL, never a server).
pub(crate) fn download(name: &str, text: &str) {
    download_bytes(name, text.as_bytes());
}

/// Offers HL7 `text` as a file download in each message's own character set (MSH-18: an
/// `8859/1` message is written in ISO 8859-1, as it was opened). When a message's set cannot
/// hold one of its characters, nothing is downloaded and the reason comes back, to be shown.
pub(crate) fn download_hl7(name: &str, text: &str) -> Result<(), String> {
    let bytes = pipehat::charset::encode_file(text).map_err(|error| {
        format!("Not downloaded: {error}. Change MSH-18 or the value, then download again.")
    })?;
    download_bytes(name, &bytes);
    Ok(())
}

/// Offers `bytes` as a file download, made in the page (a `blob:` URL, never a server).
fn download_bytes(name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && let Ok(element) = document.create_element("a")
        && let Ok(anchor) = element.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Now, as HL7 writes a timestamp (`YYYYMMDDHHMMSS`), in the browser's time zone.
pub(crate) fn hl7_now() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date(),
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds()
    )
}

/// Lets the browser run (paint, handle input) before the next step of background work.
pub(crate) async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
