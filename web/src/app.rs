//! The viewer's components: an input, and three views of what is in it — its structure with
//! the dictionary's names, its validation findings, and an anonymized copy.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::anonymize::Anonymize;
use crate::compare::Compare;
use crate::editor::{Raw, RawView};
use crate::messages::Messages;
use crate::model::{
    Checks, FindingRow, MessageView, acknowledgment, byte_offset, caret, error_counts, findings,
    message_rows, message_view, read_profile, report_text,
};
use pipehat_dict::Version;

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
fn hl7_now() -> String {
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

/// A sample for first-time users: an admission with the usual identifiers (all invented).
const SAMPLE: &str = "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|202611220214||ADT^A01^ADT_A01|MSG00001|P|2.5.1\n\
EVN|A01|202611220214\n\
PID|1||PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS||EVERYMAN^ADAM^A^III||19610615|M|||2222 HOME STREET^^GREENSBORO^NC^27401-1020||^PRN^PH^^1^555^5552004\n\
NK1|1|EVERYMAN^EVE^E|SPO^Spouse^HL70063||^PRN^PH^^1^555^5552005\n\
PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0\n\
OBX|1|NM|8302-2^Body height^LN||178|cm^centimeter^UCUM|||||F\n\
NTE|1||Adam called from 555-555-2004 about his stay";

/// The most text the viewer reads at once (64 MB): more is refused with a clear message.
pub(crate) const MAX_TEXT: usize = 64_000_000;

/// How many messages the background check validates between two frames.
const CHECK_STEP: usize = 100;

/// Lets the browser run (paint, handle input) before the next step of background work.
pub(crate) async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// The most text put in the text area for editing (1 MB): a bigger file is read and listed,
/// but not shown there.
const MAX_EDITABLE: usize = 1_000_000;

/// The views of the right-hand pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Structure,
    Findings,
    Anonymize,
    Compare,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Structure, Tab::Findings, Tab::Anonymize, Tab::Compare];

    fn label(self) -> &'static str {
        match self {
            Tab::Structure => "Structure",
            Tab::Findings => "Findings",
            Tab::Anonymize => "Anonymize",
            Tab::Compare => "Compare",
        }
    }

    fn id(self) -> String {
        format!("tab-{}", self.label().to_lowercase())
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (tab, set_tab) = signal(Tab::Structure);
    // Which message of a file the views show (from 0).
    let (selected, set_selected) = signal(0usize);
    let (file_name, set_file_name) = signal(None::<String>);
    // How messages are read and checked: version, preset, profile.
    let checks = RwSignal::new(Checks::default());
    let chosen_version = Memo::new(move |_| checks.with(|c| c.version));
    // A message pasted to compare with, kept while the user moves between tabs.
    let compare_with = RwSignal::new(String::new());
    // Beyond this the page would freeze reading it all at once: say so instead.
    let too_big = Memo::new(move |_| text.with(|text| text.len() > MAX_TEXT));
    let rows = Memo::new(move |_| {
        if too_big.get() {
            return Vec::new();
        }
        text.with(|text| message_rows(text))
    });
    let view = Memo::new(move |_| {
        if too_big.get() {
            return MessageView::default();
        }
        text.with(|text| message_view(text, selected.get(), chosen_version.get()))
    });
    let report = Memo::new(move |_| {
        if too_big.get() {
            return Vec::new();
        }
        checks.with(|checks| text.with(|text| findings(text, selected.get(), checks)))
    });
    // What the text area shows. It is set only when the text comes from elsewhere (a file, the
    // sample): writing the user's own typing back into it would copy it all on every key.
    let (shown, set_shown) = signal(String::new());
    let replace_text = move |new: String| {
        set_selected.set(0);
        // A big file is not put in the text area: the browser lays out every line of it
        // (seconds for a few MB); the views read it from memory instead.
        set_shown.set(if new.len() > MAX_EDITABLE {
            String::new()
        } else {
            new.clone()
        });
        set_text.set(new);
    };
    // A file opened or dropped: read here, in the page, never uploaded. As bytes: one copy
    // into wasm, where a JS string would cross a character at a time; then text by each
    // message's own MSH-18 (`8859/1` files are Latin-1), as the core decodes files.
    let load = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            if let Ok(bytes) = gloo_file::futures::read_as_bytes(&file.into()).await {
                let content = pipehat::charset::decode_file(&bytes).into_owned();
                set_file_name.set(Some(name));
                replace_text(content);
            }
        });
    };
    // Each message's error count, checked in the background a step at a time so a big file
    // is listed at once and the page stays responsive; a newer text stops an older check.
    let statuses = RwSignal::new(Vec::<usize>::new());
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let content = text.get();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        statuses.set(Vec::new());
        if content.len() > MAX_TEXT {
            return;
        }
        leptos::task::spawn_local(async move {
            let file = pipehat::File::parse_text(&content);
            if file.messages().len() < 2 {
                return;
            }
            let lines = pipehat::position::LineIndex::new(content.as_bytes());
            let mut validator = pipehat_validate::Validator::new();
            let mut from = 0;
            while from < file.messages().len() {
                yield_to_browser().await;
                if generation.get_value() != mine {
                    return;
                }
                let counts = error_counts(&file, &lines, &mut validator, from, from + CHECK_STEP);
                from += CHECK_STEP;
                statuses.update(|all| all.extend(counts));
            }
        });
    });
    let errors = move || report.with(|r| r.iter().filter(|f| f.severity == "error").count());
    // The raw view: its text area, scroll and caret. A file too big to edit shows its selected
    // message there instead, read-only: `excerpt` is that message's place in the file.
    let raw = Raw::new();
    let editable = Memo::new(move |_| text.with(|text| text.len() <= MAX_EDITABLE));
    let excerpt = Memo::new(move |_| {
        if editable.get() || too_big.get() {
            None
        } else {
            rows.with(|rows| rows.get(selected.get()).map(|row| row.span))
        }
    });
    let base = move || excerpt.get().map_or(0, |(start, _)| start);
    let raw_text = Memo::new(move |_| match excerpt.get() {
        Some((start, end)) => {
            text.with(|text| text.get(start..end).unwrap_or_default().to_string())
        }
        None if editable.get() => text.get(),
        None => String::new(),
    });
    let caret_byte = Memo::new(move |_| {
        raw_text.with(|raw_text| base() + byte_offset(raw_text, raw.position.get()))
    });
    let here = Memo::new(move |_| {
        raw_text.with(|raw_text| caret(raw_text, raw.position.get(), chosen_version.get()))
    });
    let marks = Memo::new(move |_| {
        let base = base();
        report.with(|report| {
            report
                .iter()
                .filter(|f| f.span.0 >= base)
                .map(|f| (f.span.0 - base, f.span.1 - base, f.severity))
                .collect::<Vec<_>>()
        })
    });
    // Selecting an element's or a finding's bytes in the raw view.
    let select = Callback::new(move |(start, end): (usize, usize)| {
        let base = excerpt.get_untracked().map_or(0, |(start, _)| start);
        if start >= base {
            raw_text.with_untracked(|raw_text| raw.select(raw_text, (start - base, end - base)));
        }
    });
    let on_input = Callback::new(move |value: String| {
        set_file_name.set(None);
        set_selected.set(0);
        set_text.set(value);
    });
    // A huge paste would freeze the text area itself (the browser lays out every line): keep
    // it out, and say why.
    let on_paste = Callback::new(move |event: web_sys::ClipboardEvent| {
        let pasted = event
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
            .unwrap_or_default();
        if pasted.len() > MAX_TEXT {
            event.prevent_default();
            set_file_name.set(None);
            replace_text(pasted);
        }
    });
    let on_drop = Callback::new(move |event: web_sys::DragEvent| {
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            load(file);
        }
    });

    let tab_button = move |which: Tab| {
        view! {
            <button
                role="tab"
                id=which.id()
                aria-selected=move || (tab.get() == which).to_string()
                aria-controls="panel"
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                class:active=move || tab.get() == which
                on:click=move |_| set_tab.set(which)
            >
                {which.label()}
                {(which == Tab::Findings)
                    .then(|| view! { " " <span class="badge">{errors}</span> })}
            </button>
        }
    };
    // Arrow keys move between tabs (the ARIA tabs pattern), Home and End to the ends.
    let tab_keys = move |event: web_sys::KeyboardEvent| {
        let at = Tab::ALL
            .iter()
            .position(|t| *t == tab.get_untracked())
            .unwrap_or(0);
        let next = match event.key().as_str() {
            "ArrowRight" => (at + 1) % Tab::ALL.len(),
            "ArrowLeft" => (at + Tab::ALL.len() - 1) % Tab::ALL.len(),
            "Home" => 0,
            "End" => Tab::ALL.len() - 1,
            _ => return,
        };
        event.prevent_default();
        set_tab.set(Tab::ALL[next]);
        if let Some(button) = document().get_element_by_id(&Tab::ALL[next].id())
            && let Ok(button) = button.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = button.focus();
        }
    };

    view! {
        <header class="bar">
            <h1>"pipehat"</h1>
            <p class="promise">"HL7 v2 viewer — everything stays in this browser tab."</p>
        </header>
        <main class="panes">
            <section class="pane">
                <div class="input-head">
                    <label for="message">"Message"</label>
                    <span class="file-name">{move || file_name.get().unwrap_or_default()}</span>
                    <span class="actions">
                        <label class="button quiet" for="open-file">"Open a file"</label>
                        <input
                            id="open-file"
                            class="visually-hidden"
                            type="file"
                            accept=".hl7,.txt,.dat,.msg,.er7,text/plain"
                            on:change=move |event| {
                                let input: web_sys::HtmlInputElement = event_target(&event);
                                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                                    load(file);
                                }
                            }
                        />
                        <button
                            class="quiet"
                            on:click=move |_| {
                                set_file_name.set(None);
                                replace_text(SAMPLE.to_string());
                            }
                        >
                            "Load a sample"
                        </button>
                    </span>
                </div>
                <RawView
                    raw=raw
                    text=raw_text
                    shown=Signal::derive(move || {
                        if excerpt.get().is_some() { raw_text.get() } else { shown.get() }
                    })
                    marks=marks
                    coloured=Signal::derive(move || editable.get() || excerpt.get().is_some())
                    readonly=Signal::derive(move || excerpt.get().is_some())
                    on_input=on_input
                    id="message"
                    placeholder="Paste an HL7 v2 message (MSH|^~\\&|…)"
                    on_paste=on_paste
                    on_drop=on_drop
                />
                {move || {
                    excerpt
                        .get()
                        .map(|_| {
                            view! {
                                <p class="hint">
                                    {format!(
                                        "Message {} of {}, read-only: the file ({:.1} MB) is too big to edit here. ",
                                        selected.get() + 1,
                                        rows.with(Vec::len),
                                        text.with(String::len) as f64 / 1_000_000.0,
                                    )}
                                    <button
                                        class="quiet"
                                        on:click=move |_| {
                                            set_file_name.set(None);
                                            replace_text(String::new());
                                        }
                                    >
                                        "Close the file"
                                    </button>
                                </p>
                            }
                        })
                }}
                {move || {
                    too_big
                        .get()
                        .then(|| {
                            let size = text.with(String::len) as f64 / 1_000_000.0;
                            view! {
                                <p class="problem" role="alert">
                                    {format!(
                                        "This text is {size:.1} MB: the viewer reads up to {} MB at once. Split the file, or use the command line (npx pipehat validate / anonymize), which reads any size.",
                                        MAX_TEXT / 1_000_000,
                                    )}
                                </p>
                            }
                        })
                }}
                <p class="caret" aria-live="polite" aria-label="Element at the cursor">
                    {move || here.get().map(|(_, label)| label).unwrap_or_default()}
                </p>
            </section>
            <section class="pane">
                {move || {
                    (rows.with(Vec::len) > 1)
                        .then(|| {
                            view! {
                                <Messages
                                    rows=rows
                                    statuses=statuses.read_only()
                                    selected=selected
                                    select=set_selected
                                />
                            }
                        })
                }}
                <div role="tablist" aria-label="Views" class="tabs" on:keydown=tab_keys>
                    {Tab::ALL.map(tab_button).collect_view()}
                </div>
                <div
                    role="tabpanel"
                    id="panel"
                    class="panel"
                    aria-labelledby=move || tab.get().id()
                >
                    {move || match tab.get() {
                        Tab::Structure => {
                            view! { <Structure view=view caret=caret_byte select=select welcome=true/> }
                                .into_any()
                        }
                        Tab::Findings => {
                            view! {
                                <Findings
                                    report=report
                                    text=text
                                    selected=selected
                                    checks=checks
                                    select=select
                                />
                            }
                                .into_any()
                        }
                        Tab::Anonymize => {
                            view! { <Anonymize text=text file_name=file_name/> }.into_any()
                        }
                        Tab::Compare => {
                            view! {
                                <Compare
                                    text=text
                                    rows=rows
                                    selected=selected
                                    pasted=compare_with
                                    chosen_version=chosen_version
                                />
                            }
                                .into_any()
                        }
                    }}
                </div>
            </section>
        </main>
    }
}

/// Segments, fields, components and subcomponents with their names and decoded values; the
/// element at the caret is marked, and choosing one selects it in the raw view.
#[component]
pub(crate) fn Structure(
    view: Memo<MessageView>,
    caret: Memo<usize>,
    select: Callback<(usize, usize)>,
    /// Whether to greet a first-time user while there is no message (the page, not an embed).
    #[prop(optional)]
    welcome: bool,
) -> impl IntoView {
    view! {
        <h2 id="segments-heading">
            "Segments " <span class="count">{move || view.with(|v| v.segments.len())}</span>
            <span class="version">
                {move || view.with(|v| {
                    if v.segments.is_empty() { String::new() } else { format!("HL7 v{}", v.version) }
                })}
            </span>
        </h2>
        {move || view.with(|v| v.error.clone()).map(|e| view! { <p class="problem">{e}</p> })}
        {move || {
            (welcome && view.with(|v| v.segments.is_empty() && v.error.is_none()))
                .then(|| {
                    view! {
                        <div class="welcome">
                            <p>
                                "Paste an HL7 v2 message on the left, open or drop a file, or load the sample."
                            </p>
                            <ul>
                                <li>"Every field named from the dictionary of HL7 v2.1 to v2.8.2, with its data type and table."</li>
                                <li>"Validation findings underlined in the message; the ACK a receiver would send."</li>
                                <li>"An anonymized copy to share: Safe Harbor, or pseudonyms under your own key."</li>
                                <li>"Files of thousands of messages, listed and checked."</li>
                            </ul>
                            <p class="hint">
                                "Nothing you paste or open leaves this tab: the page makes no request, and its security policy forbids any."
                            </p>
                        </div>
                    }
                })
        }}
        <ol class="segments" aria-label="Segments" class:hidden=move || view.with(|v| v.segments.is_empty())>
            <For
                each=move || view.get().segments
                key=|segment| (segment.number, segment.id.clone(), segment.elements.clone())
                let(segment)
            >
                <li class="segment">
                    <div class="segment-head">
                        <span class="segment-id">{segment.id.clone()}</span>
                        <span class="segment-name">{segment.name.clone()}</span>
                    </div>
                    <table class="elements">
                        <tbody>
                            {
                                let spans: Vec<(usize, usize)> =
                                    segment.elements.iter().map(|e| e.span).collect();
                                segment
                                    .elements
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, e)| {
                                        let data_type = e.data_type.clone();
                                        let span = e.span;
                                        // What hovering or focusing the element tells.
                                        let about = [
                                            format!("{} — {}", e.path, e.name),
                                            if e.data_type.is_empty() { String::new() } else { format!("data type {}", e.data_type) },
                                            e.table.clone(),
                                        ]
                                        .into_iter()
                                        .filter(|part| !part.is_empty())
                                        .collect::<Vec<_>>()
                                        .join("; ");
                                        // The deepest element holding the caret: the last row
                                        // of the segment whose bytes include it.
                                        let spans = spans.clone();
                                        let current = move || {
                                            let at = caret.get();
                                            span.0 <= at && at <= span.1
                                                && !spans[i + 1..].iter().any(|s| s.0 <= at && at <= s.1)
                                        };
                                        view! {
                                            <tr class=format!("depth-{}", e.depth) class:here=current>
                                                <th scope="row" class="path">
                                                    <button
                                                        class="link"
                                                        title=format!("{about} (selects it in the message)")
                                                        on:click=move |_| select.run(span)
                                                    >
                                                        {e.path}
                                                    </button>
                                                </th>
                                                <td class="name" title=about>
                                                    {e.name}
                                                    <span class="type">{data_type}</span>
                                                </td>
                                                <td class="value" class:null=e.null>
                                                    {e.value}
                                                    {(!e.meaning.is_empty())
                                                        .then(|| view! { <span class="meaning">{e.meaning}</span> })}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }
                        </tbody>
                    </table>
                </li>
            </For>
        </ol>
    }
}

/// How to check: the version, the preset and a conformance profile.
#[component]
fn CheckOptions(checks: RwSignal<Checks>) -> impl IntoView {
    let (profile_error, set_profile_error) = signal(None::<String>);
    let open_profile = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        input.set_value("");
        leptos::task::spawn_local(async move {
            let Ok(content) = gloo_file::futures::read_as_text(&file.into()).await else {
                return;
            };
            match read_profile(&content) {
                Ok(profile) => {
                    set_profile_error.set(None);
                    checks.update(|c| c.profile = Some((name, std::sync::Arc::new(profile))));
                }
                Err(error) => set_profile_error.set(Some(format!("{name}: {error}"))),
            }
        });
    };
    view! {
        <div class="controls">
            <label>
                "Version "
                <select
                    aria-label="HL7 version"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        checks
                            .update(|c| {
                                c.version = Version::ALL
                                    .into_iter()
                                    .find(|v| v.as_str() == chosen);
                            })
                    }
                >
                    <option value="" prop:selected=move || checks.with(|c| c.version.is_none())>
                        "as in MSH-12"
                    </option>
                    {Version::ALL
                        .map(|v| {
                            view! {
                                <option
                                    value=v.as_str()
                                    prop:selected=move || checks.with(|c| c.version == Some(v))
                                >
                                    {format!("v{}", v.as_str())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <input
                    type="checkbox"
                    aria-label="Strict"
                    prop:checked=move || checks.with(|c| c.strict)
                    on:change=move |event| {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        checks.update(|c| c.strict = input.checked());
                    }
                />
                " Strict"
            </label>
            <label class="button quiet" for="open-profile">"Open a profile"</label>
            <input
                id="open-profile"
                class="visually-hidden"
                type="file"
                accept=".xml,.json"
                on:change=open_profile
            />
            {move || {
                checks
                    .with(|c| c.profile.as_ref().map(|(name, _)| name.clone()))
                    .map(|name| {
                        view! {
                            <span class="profile-name">"Profile: " {name}</span>
                            <button
                                class="quiet"
                                aria-label="Remove the profile"
                                on:click=move |_| checks.update(|c| c.profile = None)
                            >
                                "×"
                            </button>
                        }
                    })
            }}
        </div>
        {move || profile_error.get().map(|e| view! { <p class="problem" role="alert">{e}</p> })}
    }
}

/// The validation findings, grouped by severity; choosing one selects its place in the raw
/// view. The report copies as text or JSON, and the acknowledgment a receiver would send.
#[component]
fn Findings(
    report: Memo<Vec<FindingRow>>,
    text: ReadSignal<String>,
    selected: ReadSignal<usize>,
    checks: RwSignal<Checks>,
    select: Callback<(usize, usize)>,
) -> impl IntoView {
    // The acknowledgment a receiver would send for this message, with CR terminators.
    let ack = Memo::new(move |_| {
        if text.with(String::len) > MAX_TEXT {
            return None;
        }
        checks.with(|checks| {
            text.with(|text| acknowledgment(text, selected.get(), checks, &hl7_now()))
        })
    });
    let copy_report = move |json: bool| {
        let report = checks.with_untracked(|checks| {
            text.with_untracked(|text| report_text(text, selected.get_untracked(), checks, json))
        });
        copy_to_clipboard(report);
    };
    view! {
        <h2>"Findings " <span class="count">{move || report.with(Vec::len)}</span></h2>
        <CheckOptions checks=checks/>
        <div class="controls">
            <button on:click=move |_| copy_report(false)>"Copy report"</button>
            <button on:click=move |_| copy_report(true)>"Copy as JSON"</button>
        </div>
        <FindingList report=report select=select/>
        <div class="ack">
            <h3>"Acknowledgment"</h3>
            <pre class="ack-text" aria-label="Acknowledgment">
                {move || ack.get().unwrap_or_default().replace('\r', "\n")}
            </pre>
            <button on:click=move |_| copy_to_clipboard(ack.get().unwrap_or_default())>
                "Copy the ACK"
            </button>
        </div>
    }
}

/// Findings grouped by severity (errors, warnings, notes), each with its place, which selects
/// it in the raw view.
#[component]
pub(crate) fn FindingList(
    #[prop(into)] report: Signal<Vec<FindingRow>>,
    select: Callback<(usize, usize)>,
) -> impl IntoView {
    let group = move |severity: &'static str, title: &'static str| {
        let rows = move || {
            report.with(|r| {
                r.iter()
                    .filter(|f| f.severity == severity)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        };
        move || {
            let rows = rows();
            (!rows.is_empty()).then(|| {
                view! {
                    <h3 class=format!("group {severity}")>
                        {title} " " <span class="count">{rows.len()}</span>
                    </h3>
                    <ul class="findings" aria-label=title>
                        {rows
                            .into_iter()
                            .map(|f| {
                                let span = f.span;
                                view! {
                                    <li class=format!("finding {}", f.severity)>
                                        <span class="severity">{f.severity}</span>
                                        <button
                                            class="where link"
                                            title="Select it in the message"
                                            on:click=move |_| select.run(span)
                                        >
                                            {format!("{}:{}", f.line, f.column)}
                                            {(!f.path.is_empty()).then(|| format!(" {}", f.path))}
                                        </button>
                                        <span class="message">{f.message}</span>
                                        <span class="rule">{f.rule}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
        }
    };
    view! {
        {move || {
            report
                .with(Vec::is_empty)
                .then(|| view! { <p class="hint">"No findings: the message is valid."</p> })
        }}
        {group("error", "Errors")}
        {group("warning", "Warnings")}
        {group("info", "Notes")}
    }
}
