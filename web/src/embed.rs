//! The embeddable viewer: what `<hl7-viewer>` (web/hl7-viewer.js) mounts into its shadow root.
//! The same components as the viewer — raw view, structure, findings — for one message of a
//! documentation page, in the reader's browser.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use pipehat_dict::Version;
use wasm_bindgen::prelude::*;

use crate::editor::{LINE_HEIGHT, Raw, RawView};
use crate::findings::FindingList;
use crate::model::{Checks, Parsed, byte_offset, caret, findings, line_starts, message_view};
use crate::structure::Structure;

/// A viewer mounted into an element: unmounted, and its memory freed, by `free()` (which the
/// custom element calls when it leaves the page).
#[wasm_bindgen]
pub struct EmbeddedViewer {
    _handle: leptos::mount::UnmountHandle<AnyViewState>,
}

impl std::fmt::Debug for EmbeddedViewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmbeddedViewer")
    }
}

/// The panels under the raw view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Structure,
    Findings,
}

/// `decodeFile(bytes)`: a file's bytes as text, each message by its own MSH-18 (for `src`
/// files, which the element fetches as bytes).
#[wasm_bindgen(js_name = decodeFile)]
#[must_use]
pub fn decode_file(bytes: &[u8]) -> String {
    pipehat::charset::decode_file(bytes).into_owned()
}

/// The version a `version` attribute names, read as MSH-12 is (`2.5`, `v2.5.1`, `2.5.1^USA`;
/// a newer one as the newest the dictionary has); `None`, with a warning in the console, for
/// text that names no version (the message's own MSH-12 is used then).
fn embed_version(text: &str) -> Option<Version> {
    let resolved = Version::resolve(text);
    if resolved.is_none() && !text.trim().is_empty() {
        leptos::logging::warn!(
            "<hl7-viewer version=\"{text}\">: names no HL7 v2 version; MSH-12 is used"
        );
    }
    resolved.map(|r| r.version)
}

/// Mounts a viewer of `text` into `parent`. `version` reads and checks the message as that HL7
/// version (else MSH-12's); `panels` names the panels under the raw view, separated by spaces
/// or commas (`structure`, `findings`; empty for none); `validate` false shows no findings;
/// `readonly` keeps the text as given; `height` is the raw view's CSS height (else it fits the
/// message, up to 24 lines).
#[wasm_bindgen(js_name = mountViewer)]
pub fn mount_viewer(
    parent: web_sys::HtmlElement,
    text: String,
    version: Option<String>,
    panels: String,
    validate: bool,
    readonly: bool,
    height: Option<String>,
) -> EmbeddedViewer {
    let version = version.as_deref().and_then(embed_version);
    let mut shown_panels: Vec<Panel> = panels
        .split([' ', ','])
        .filter_map(|name| match name.trim() {
            "structure" => Some(Panel::Structure),
            "findings" if validate => Some(Panel::Findings),
            _ => None,
        })
        .collect();
    shown_panels.dedup();
    let handle = mount_to(parent, move || {
        view! {
            <Embedded
                initial=text
                version=version
                panels=shown_panels
                validate=validate
                readonly=readonly
                height=height
            />
        }
        .into_any()
    });
    EmbeddedViewer { _handle: handle }
}

/// The most text an embedded viewer takes (1 MB): documentation examples are small.
const MAX_EMBEDDED: usize = 1_000_000;

/// One message, viewed: raw view on top, the chosen panels below.
#[component]
fn Embedded(
    initial: String,
    version: Option<Version>,
    panels: Vec<Panel>,
    validate: bool,
    readonly: bool,
    height: Option<String>,
) -> impl IntoView {
    let initial = if initial.len() > MAX_EMBEDDED {
        String::new()
    } else {
        initial
    };
    let fitted = format!(
        "{}px",
        (line_starts(initial.trim_end()).len().clamp(3, 24) as f64 * LINE_HEIGHT + 24.0)
    );
    // The text and its one parse, which every panel reads.
    let (text, set_text) = signal(Parsed::new(initial.clone()));
    let checks = Checks {
        version,
        ..Checks::default()
    };
    let view = Memo::new(move |_| text.with(|text| message_view(text, 0, version)));
    let report = Memo::new(move |_| {
        if validate {
            text.with(|text| findings(text, 0, &checks))
        } else {
            Vec::new()
        }
    });
    let marks = Memo::new(move |_| {
        report.with(|r| {
            r.iter()
                .map(|f| (f.span.0, f.span.1, f.severity))
                .collect::<Vec<_>>()
        })
    });
    let raw = Raw::new();
    let caret_byte =
        Memo::new(move |_| text.with(|text| byte_offset(text.text(), raw.position.get())));
    // What is under the caret, while the reader is in the message.
    let here = Memo::new(move |_| {
        raw.focused
            .get()
            .then(|| text.with(|text| caret(text.file(), caret_byte.get(), version)))
            .flatten()
    });
    let select = Callback::new(move |span: (usize, usize)| {
        text.with_untracked(|text| raw.select(text.text(), span));
    });
    let (panel, set_panel) = signal(panels.first().copied());
    let errors = move || report.with(|r| r.iter().filter(|f| f.severity == "error").count());
    let tabs = panels.clone();
    view! {
        <div class="embedded">
            <div class="embedded-raw" style:height=height.unwrap_or(fitted)>
                <RawView
                    raw=raw
                    text=text
                    shown=Signal::stored(initial)
                    marks=marks
                    coloured=Signal::stored(true)
                    on_input=Callback::new(move |value| set_text.set(Parsed::new(value)))
                    label="HL7 v2 message"
                    readonly=readonly
                />
            </div>
            <p class="caret" aria-live="polite" aria-label="Element at the cursor">
                {move || here.get().map(|(_, label)| label).unwrap_or_default()}
                {move || {
                    (here.with(Option::is_none) && validate)
                        .then(|| match errors() {
                            0 => "Valid".to_string(),
                            1 => "1 error".to_string(),
                            n => format!("{n} errors"),
                        })
                }}
            </p>
            {(tabs.len() > 1)
                .then(|| {
                    view! {
                        <div role="tablist" class="tabs" aria-label="Views">
                            {tabs
                                .iter()
                                .map(|&which| {
                                    let label = match which {
                                        Panel::Structure => "Structure",
                                        Panel::Findings => "Findings",
                                    };
                                    view! {
                                        <button
                                            role="tab"
                                            aria-selected=move || (panel.get() == Some(which)).to_string()
                                            class:active=move || panel.get() == Some(which)
                                            on:click=move |_| set_panel.set(Some(which))
                                        >
                                            {label}
                                            {(which == Panel::Findings)
                                                .then(|| view! { " " <span class="badge">{errors}</span> })}
                                        </button>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })}
            <div class="panel" role=(panels.len() > 1).then_some("tabpanel")>
                {move || match panel.get() {
                    Some(Panel::Structure) => {
                        view! { <Structure view=view caret=caret_byte select=select/> }.into_any()
                    }
                    Some(Panel::Findings) => {
                        view! { <FindingList report=report select=select/> }.into_any()
                    }
                    None => ().into_any(),
                }}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::embed_version;
    use pipehat_dict::Version;

    #[test]
    fn the_version_attribute_is_read_as_msh_12_is() {
        assert_eq!(embed_version("2.5.1"), Some(Version::V2_5_1));
        assert_eq!(embed_version(" v2.3 "), Some(Version::V2_3));
        assert_eq!(embed_version("2.5.1^USA"), Some(Version::V2_5_1));
        assert_eq!(embed_version("2.9"), Some(Version::V2_8_2));
        assert_eq!(embed_version("banana"), None);
        assert_eq!(embed_version(""), None);
    }
}
