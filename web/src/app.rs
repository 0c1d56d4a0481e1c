//! The viewer's components: an input, and three views of what is in it — its structure with
//! the dictionary's names, its validation findings, and an anonymized copy.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::anonymize::Anonymize;
use crate::messages::Messages;
use crate::model::{
    FindingRow, MessageView, acknowledgment, caret, error_counts, findings, message_rows,
    message_view,
};

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

/// Offers `text` as a file download, made in the page (a `blob:` URL, never a server).
pub(crate) fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
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
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(
            move || {
                let _ = resolve.call0(&JsValue::NULL);
            },
            std::time::Duration::ZERO,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The most text put in the text area for editing (1 MB): a bigger file is read and listed,
/// but not shown there.
const MAX_EDITABLE: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Structure,
    Findings,
    Anonymize,
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (tab, set_tab) = signal(Tab::Structure);
    // Which message of a file the views show (from 0).
    let (selected, set_selected) = signal(0usize);
    let (file_name, set_file_name) = signal(None::<String>);
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
        text.with(|text| message_view(text, selected.get()))
    });
    let report = Memo::new(move |_| {
        if too_big.get() {
            return Vec::new();
        }
        text.with(|text| findings(text, selected.get()))
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
    // into wasm, where a JS string would cross a character at a time.
    let load = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let content = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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
            let file = pipehat::File::parse(content.as_bytes());
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
    // Where the caret is, in UTF-16 units (what the textarea reports).
    let (position, set_position) = signal(0usize);
    let here = Memo::new(move |_| {
        if text.with(String::len) > MAX_TEXT {
            return None;
        }
        text.with(|text| caret(text, position.get()))
    });
    let track = move |event: leptos::ev::Event| {
        let area: leptos::web_sys::HtmlTextAreaElement = event_target(&event);
        if let Ok(Some(at)) = area.selection_start() {
            set_position.set(at as usize);
        }
    };

    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button
                role="tab"
                id=format!("tab-{}", label.to_lowercase())
                aria-selected=move || (tab.get() == which).to_string()
                class:active=move || tab.get() == which
                on:click=move |_| set_tab.set(which)
            >
                {label}
                {(which == Tab::Findings)
                    .then(|| view! { " " <span class="badge">{errors}</span> })}
            </button>
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
                <textarea
                    id="message"
                    spellcheck="false"
                    placeholder="Paste an HL7 v2 message (MSH|^~\\&|…)"
                    prop:value=shown
                    on:input=move |event| {
                        set_file_name.set(None);
                        set_selected.set(0);
                        set_text.set(event_target_value(&event));
                        track(event);
                    }
                    on:paste=move |event: web_sys::ClipboardEvent| {
                        // A huge paste would freeze the text area itself (the browser lays out
                        // every line): keep it out, and say why.
                        let pasted = event
                            .clipboard_data()
                            .and_then(|data| data.get_data("text").ok())
                            .unwrap_or_default();
                        if pasted.len() > MAX_TEXT {
                            event.prevent_default();
                            set_file_name.set(None);
                            replace_text(pasted);
                        }
                    }
                    on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
                    on:drop=move |event: web_sys::DragEvent| {
                        event.prevent_default();
                        if let Some(file) = event
                            .data_transfer()
                            .and_then(|transfer| transfer.files())
                            .and_then(|files| files.get(0))
                        {
                            load(file);
                        }
                    }
                    on:keyup=move |event| track(event.into())
                    on:click=move |event| track(event.into())
                    on:select=track
                ></textarea>
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
                    {move || here.get().unwrap_or_default()}
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
                <div role="tablist" aria-label="Views" class="tabs">
                    {tab_button(Tab::Structure, "Structure")}
                    {tab_button(Tab::Findings, "Findings")}
                    {tab_button(Tab::Anonymize, "Anonymize")}
                </div>
                <div role="tabpanel" class="panel">
                    {move || match tab.get() {
                        Tab::Structure => view! { <Structure view=view/> }.into_any(),
                        Tab::Findings => {
                            view! { <Findings report=report text=text selected=selected/> }
                                .into_any()
                        }
                        Tab::Anonymize => {
                            view! { <Anonymize text=text file_name=file_name/> }.into_any()
                        }
                    }}
                </div>
            </section>
        </main>
    }
}

/// Segments, fields, components and subcomponents with their names and decoded values.
#[component]
fn Structure(view: Memo<MessageView>) -> impl IntoView {
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
        <ol class="segments" aria-label="Segments">
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
                            {segment
                                .elements
                                .into_iter()
                                .map(|e| {
                                    let data_type = e.data_type.clone();
                                    view! {
                                        <tr class=format!("depth-{}", e.depth)>
                                            <th scope="row" class="path">{e.path}</th>
                                            <td class="name" title=e.data_type>
                                                {e.name}
                                                <span class="type">{data_type}</span>
                                            </td>
                                            <td class="value" class:null=e.null>{e.value}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </li>
            </For>
        </ol>
    }
}

/// The validation findings, errors first.
#[component]
fn Findings(
    report: Memo<Vec<FindingRow>>,
    text: ReadSignal<String>,
    selected: ReadSignal<usize>,
) -> impl IntoView {
    // The acknowledgment a receiver would send for this message, with CR terminators.
    let ack = Memo::new(move |_| {
        if text.with(String::len) > MAX_TEXT {
            return None;
        }
        text.with(|text| acknowledgment(text, selected.get(), &hl7_now()))
    });
    view! {
        <h2>"Findings " <span class="count">{move || report.with(Vec::len)}</span></h2>
        <p class="hint">"Checked against the message's HL7 version (tolerant preset)."</p>
        <ul class="findings" aria-label="Findings">
            {move || {
                report
                    .get()
                    .into_iter()
                    .map(|f| {
                        view! {
                            <li class=format!("finding {}", f.severity)>
                                <span class="severity">{f.severity}</span>
                                <span class="where">
                                    {format!("{}:{}", f.line, f.column)}
                                    {(!f.path.is_empty()).then(|| format!(" {}", f.path))}
                                </span>
                                <span class="message">{f.message}</span>
                                <span class="rule">{f.rule}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
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
