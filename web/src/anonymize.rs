//! The anonymize panel: an anonymized copy of the input under a preset, what changed, and
//! copy or download of the result with HL7's line ends.

use leptos::prelude::*;
use pipehat_deid::Preset;

use crate::app::{MAX_TEXT, copy_to_clipboard, download, generate_key};
use crate::model::{AnonymizedView, anonymized, hl7_line_ends};

/// An anonymized copy of the input, and what changed.
#[component]
pub fn Anonymize(text: ReadSignal<String>, file_name: ReadSignal<Option<String>>) -> impl IntoView {
    let (preset, set_preset) = signal(Preset::SafeHarbor);
    let (key, set_key) = signal(String::new());
    let output: Memo<AnonymizedView> = Memo::new(move |_| {
        if text.with(String::len) > MAX_TEXT {
            return AnonymizedView::default();
        }
        text.with(|text| key.with(|key| anonymized(text, preset.get(), key)))
    });
    // What is copied or downloaded: a file's own line ends, or CR for typed or pasted text
    // (the text area turned every CR into LF).
    let result = move || {
        let text = output.with(|o| o.text.clone());
        if file_name.with(Option::is_some) {
            text
        } else {
            hl7_line_ends(&text)
        }
    };
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
        <div class="controls">
            <button on:click=move |_| copy_to_clipboard(result())>"Copy"</button>
            <button on:click=move |_| {
                let name = file_name
                    .get()
                    .map_or_else(|| "message.hl7".to_string(), |n| format!("anonymized-{n}"));
                download(&name, &result());
            }>"Download"</button>
            <span class="hint">
                {move || {
                    if file_name.with(Option::is_some) {
                        "Line ends as in the file."
                    } else {
                        "Segments end with CR, as HL7 wants."
                    }
                }}
            </span>
        </div>
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
