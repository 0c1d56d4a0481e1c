//! The viewer's components: an input, and three views of what is in it — its structure with
//! the dictionary's names, its validation findings, and an anonymized copy.

use leptos::prelude::*;
use pipehat_deid::Preset;
use wasm_bindgen::prelude::*;

use crate::model::{
    AnonymizedView, FindingRow, MessageView, anonymized, caret, findings, message_view,
};

#[wasm_bindgen]
extern "C" {
    /// The platform's cryptographic randomness (`crypto.getRandomValues`).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]);
}

/// A new key for pseudonyms: 256 random bits as hex, made here and kept only in this page.
fn generate_key() -> String {
    let mut bytes = [0u8; 32];
    get_random_values(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A sample for first-time users: an admission with the usual identifiers (all invented).
const SAMPLE: &str = "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|202611220214||ADT^A01^ADT_A01|MSG00001|P|2.5.1\n\
EVN|A01|202611220214\n\
PID|1||PATID1234^5^M11^ADT1^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS||EVERYMAN^ADAM^A^III||19610615|M|||2222 HOME STREET^^GREENSBORO^NC^27401-1020||^PRN^PH^^1^555^5552004\n\
NK1|1|EVERYMAN^EVE^E|SPO^Spouse^HL70063||^PRN^PH^^1^555^5552005\n\
PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0\n\
OBX|1|NM|8302-2^Body height^LN||178|cm^centimeter^UCUM|||||F\n\
NTE|1||Adam called from 555-555-2004 about his stay";

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
    let view = Memo::new(move |_| text.with(|text| message_view(text)));
    let report = Memo::new(move |_| text.with(|text| findings(text)));
    let errors = move || report.with(|r| r.iter().filter(|f| f.severity == "error").count());
    // Where the caret is, in UTF-16 units (what the textarea reports).
    let (position, set_position) = signal(0usize);
    let here = Memo::new(move |_| text.with(|text| caret(text, position.get())));
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
                    <button class="quiet" on:click=move |_| set_text.set(SAMPLE.to_string())>
                        "Load a sample"
                    </button>
                </div>
                <textarea
                    id="message"
                    spellcheck="false"
                    placeholder="Paste an HL7 v2 message (MSH|^~\\&|…)"
                    prop:value=text
                    on:input=move |event| {
                        set_text.set(event_target_value(&event));
                        track(event);
                    }
                    on:keyup=move |event| track(event.into())
                    on:click=move |event| track(event.into())
                    on:select=track
                ></textarea>
                <p class="caret" aria-live="polite" aria-label="Element at the cursor">
                    {move || here.get().unwrap_or_default()}
                </p>
            </section>
            <section class="pane">
                <div role="tablist" aria-label="Views" class="tabs">
                    {tab_button(Tab::Structure, "Structure")}
                    {tab_button(Tab::Findings, "Findings")}
                    {tab_button(Tab::Anonymize, "Anonymize")}
                </div>
                <div role="tabpanel" class="panel">
                    {move || match tab.get() {
                        Tab::Structure => view! { <Structure view=view/> }.into_any(),
                        Tab::Findings => view! { <Findings report=report/> }.into_any(),
                        Tab::Anonymize => view! { <Anonymize text=text/> }.into_any(),
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
fn Findings(report: Memo<Vec<FindingRow>>) -> impl IntoView {
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
    }
}

/// An anonymized copy of the input, and what changed.
#[component]
fn Anonymize(text: ReadSignal<String>) -> impl IntoView {
    let (preset, set_preset) = signal(Preset::SafeHarbor);
    let (key, set_key) = signal(String::new());
    let output: Memo<AnonymizedView> =
        Memo::new(move |_| text.with(|text| key.with(|key| anonymized(text, preset.get(), key))));
    view! {
        <h2>"Anonymize"</h2>
        <div class="controls">
            <label>
                "Preset "
                <select
                    aria-label="Preset"
                    on:change=move |event| {
                        set_preset
                            .set(
                                if event_target_value(&event) == "pseudonymize" {
                                    Preset::Pseudonymize
                                } else {
                                    Preset::SafeHarbor
                                },
                            )
                    }
                >
                    <option value="safe-harbor" selected=true>"Safe Harbor (redact)"</option>
                    <option value="pseudonymize">"Pseudonymize (keyed)"</option>
                </select>
            </label>
            <label class:hidden=move || preset.get() == Preset::SafeHarbor>
                "Key "
                <input
                    aria-label="Key"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=key
                    on:input=move |event| set_key.set(event_target_value(&event))
                />
                <button on:click=move |_| set_key.set(generate_key())>"Generate"</button>
            </label>
        </div>
        {move || output.with(|o| o.error.clone()).map(|e| view! { <p class="problem">{e}</p> })}
        <pre class="anonymized" aria-label="Anonymized message">
            {move || output.with(|o| o.text.replace('\r', "\n"))}
        </pre>
        <h3>{move || format!("{} values changed", output.with(|o| o.changes.len()))}</h3>
        <ul class="changes" aria-label="Changes">
            {move || {
                output
                    .get()
                    .changes
                    .into_iter()
                    .map(|(path, category, method)| {
                        view! {
                            <li>
                                <span class="path">{path}</span>
                                " "
                                <span class="category">{category}</span>
                                " → "
                                <span class="method">{method}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
