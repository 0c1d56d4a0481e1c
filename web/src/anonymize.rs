//! The anonymize panel: an anonymized copy of the input under a preset, every changed value
//! before and after, and copy or download of the result with HL7's line ends.

use leptos::prelude::*;
use pipehat_deid::{Change, FreeText, Preset};

use crate::app::MAX_TEXT;
use crate::browser::{copy_to_clipboard, download, download_hl7, generate_key, yield_to_browser};
use crate::model::{AnonymizedView, Parsed, anonymized, hl7_line_ends, values_after};

/// Texts bigger than this (1 MB) are anonymized after a frame that says so.
const BIG: usize = 1_000_000;

/// An anonymized copy of the input, and what changed.
#[component]
pub fn Anonymize(text: ReadSignal<Parsed>, file_name: ReadSignal<Option<String>>) -> impl IntoView {
    let (preset, set_preset) = signal(Preset::SafeHarbor);
    let (free_text, set_free_text) = signal(FreeText::Redact);
    let (key, set_key) = signal(String::new());
    // A message is anonymized as it is typed; a big file after the page has said it is working
    // on it (seconds for tens of MB), and only the latest request's result is kept.
    let output = RwSignal::new(AnonymizedView::default());
    let (working, set_working) = signal(false);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let size = text.with(|t| t.text().len());
        let (preset, free_text, key) = (preset.get(), free_text.get(), key.get());
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        if size > MAX_TEXT {
            output.set(AnonymizedView::default());
        } else if size <= BIG {
            output.set(text.with(|t| anonymized(t.text(), preset, free_text, &key)));
        } else {
            set_working.set(true);
            leptos::task::spawn_local(async move {
                yield_to_browser().await;
                if generation.get_value() == mine {
                    output.set(
                        text.with_untracked(|t| anonymized(t.text(), preset, free_text, &key)),
                    );
                    set_working.set(false);
                }
            });
        }
    });
    // What is copied or downloaded: a file's own line ends, or CR for typed or pasted text
    // (the text area turned every CR into LF).
    // Why the last download could not be made (a character MSH-18's set cannot hold).
    let download_problem = RwSignal::new(None::<String>);
    let result = move || {
        let as_in_file = file_name.with(Option::is_some);
        output.with(|o| {
            if as_in_file {
                o.text().to_string()
            } else {
                hl7_line_ends(o.text())
            }
        })
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
            <label title="Scrubbing keeps notes and text results, with every name, identifier and date found elsewhere in the input taken out; a name that is only in the text stays.">
                "Free text "
                <select
                    aria-label="Free text"
                    on:change=move |event| {
                        set_free_text
                            .set(
                                if event_target_value(&event) == "scrub" {
                                    FreeText::Scrub
                                } else {
                                    FreeText::Redact
                                },
                            )
                    }
                >
                    <option value="redact" selected=true>"Redact"</option>
                    <option value="scrub">"Scrub (keeps text)"</option>
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
        {move || {
            download_problem.get().map(|e| view! { <p class="problem" role="alert">{e}</p> })
        }}
        {move || {
            working
                .get()
                .then(|| {
                    view! {
                        <p class="hint" role="status">
                            {format!(
                                "Anonymizing {:.1} MB in this page…",
                                text.with_untracked(|t| t.text().len()) as f64 / 1_000_000.0,
                            )}
                        </p>
                    }
                })
        }}
        <div class="controls">
            <button on:click=move |_| copy_to_clipboard(result())>"Copy"</button>
            <button on:click=move |_| {
                let name = file_name
                    .get()
                    .map_or_else(|| "message.hl7".to_string(), |n| format!("anonymized-{n}"));
                download_problem.set(download_hl7(&name, &result()).err());
            }>"Download"</button>
            <button on:click=move |_| {
                let name = file_name
                    .get()
                    .map_or_else(|| "message.receipt.json".to_string(), |n| format!("{n}.receipt.json"));
                download(&name, &output.with_untracked(AnonymizedView::receipt_json));
            }>"Download the receipt"</button>
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
            {move || output.with(|o| o.text().replace('\r', "\n"))}
        </pre>
        <Changes output=output/>
    }
}

/// The most changes listed at once: a big file has hundreds of thousands; picking a message
/// lists its own.
const SHOWN_CHANGES: usize = 500;

/// Which changes the table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every change of the file.
    All,
    /// The changes of one message (from 0).
    Message(usize),
}

/// Every changed value, before and after, with its message when the text holds several.
#[component]
fn Changes(#[prop(into)] output: Signal<AnonymizedView>) -> impl IntoView {
    let (scope, set_scope) = signal(Scope::All);
    let several = move || output.with(|o| o.messages > 1);
    // How many values changed in each message, for the picker.
    let per_message = Memo::new(move |_| {
        output.with(|o| {
            let mut counts = vec![0usize; o.messages];
            for change in &o.changes {
                if let Some(count) = change.message.and_then(|m| counts.get_mut(m)) {
                    *count += 1;
                }
            }
            counts
        })
    });
    let in_scope = move |change: &Change| match scope.get() {
        Scope::All => true,
        Scope::Message(m) => change.message == Some(m),
    };
    // The rows listed: the changes in scope, up to the cap, with the values now there.
    let listed = Memo::new(move |_| {
        output.with(|o| {
            let changes: Vec<&Change> = o
                .changes
                .iter()
                .filter(|c| in_scope(c))
                .take(SHOWN_CHANGES)
                .collect();
            let after = values_after(&o.output, &changes);
            changes
                .into_iter()
                .zip(after)
                .map(|(change, after)| ChangeRow {
                    message: change.message,
                    path: change.path.to_string(),
                    category: change.category.as_str(),
                    method: change.method.as_str(),
                    before: change.original.clone().unwrap_or_default(),
                    after,
                })
                .collect::<Vec<_>>()
        })
    });
    let in_scope_count = move || output.with(|o| o.changes.iter().filter(|c| in_scope(c)).count());
    view! {
        <div class="changes-head">
            <h3 id="changes-heading">
                {move || {
                    output
                        .with(|o| {
                            let changed = o.changes.len();
                            let values = if changed == 1 { "value" } else { "values" };
                            if o.messages > 1 {
                                let touched = per_message.with(|p| p.iter().filter(|n| **n > 0).count());
                                format!("{changed} {values} changed in {touched} of {} messages", o.messages)
                            } else {
                                format!("{changed} {values} changed")
                            }
                        })
                }}
            </h3>
            {move || {
                several()
                    .then(|| {
                        view! {
                            <label>
                                "Show "
                                <select
                                    aria-label="Changes of"
                                    on:change=move |event| {
                                        let picked = event_target_value(&event);
                                        set_scope
                                            .set(
                                                picked
                                                    .parse::<usize>()
                                                    .map_or(Scope::All, Scope::Message),
                                            );
                                    }
                                >
                                    <option value="all" selected=move || scope.get() == Scope::All>
                                        "every message"
                                    </option>
                                    {move || {
                                        per_message
                                            .get()
                                            .into_iter()
                                            .enumerate()
                                            .map(|(index, count)| {
                                                view! {
                                                    <option
                                                        value=index.to_string()
                                                        selected=move || scope.get() == Scope::Message(index)
                                                    >
                                                        {format!("message {} ({count})", index + 1)}
                                                    </option>
                                                }
                                            })
                                            .collect_view()
                                    }}
                                </select>
                            </label>
                        }
                    })
            }}
        </div>
        <p class="hint">
            {move || {
                let total = in_scope_count();
                if total > SHOWN_CHANGES {
                    format!(
                        "Listing the first {SHOWN_CHANGES} of {total} changes{}.",
                        if several() { ": pick a message to list its own" } else { "" },
                    )
                } else {
                    "The originals are shown only here, in this page.".to_string()
                }
            }}
        </p>
        <div class="changes-scroll">
            <table class="changes" aria-labelledby="changes-heading">
                <thead>
                    <tr>
                        {move || several().then(|| view! { <th scope="col" class="col-message">"Message"</th> })}
                        <th scope="col" class="col-path">"Path"</th>
                        <th scope="col" class="col-category">"Category"</th>
                        <th scope="col" class="col-method">"Method"</th>
                        <th scope="col">"Before"</th>
                        <th scope="col">"After"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let several = several();
                        listed
                            .get()
                            .into_iter()
                            .map(|row| {
                                let after = match row.after {
                                    Some(after) if after.is_empty() => {
                                        view! { <td class="after empty">"(empty)"</td> }.into_any()
                                    }
                                    Some(after) => {
                                        let null = after == "\"\"";
                                        view! { <td class="after" class:null=null>{after}</td> }
                                            .into_any()
                                    }
                                    None => view! { <td class="after absent">"—"</td> }.into_any(),
                                };
                                view! {
                                    <tr>
                                        {several
                                            .then(|| {
                                                view! {
                                                    <td class="message">
                                                        {row
                                                            .message
                                                            .map_or_else(
                                                                || "envelope".to_string(),
                                                                |m| (m + 1).to_string(),
                                                            )}
                                                    </td>
                                                }
                                            })}
                                        <th scope="row" class="path">{row.path}</th>
                                        <td class="category">{row.category}</td>
                                        <td class="method">{row.method}</td>
                                        <td class="before">{row.before}</td>
                                        {after}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// One listed change, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChangeRow {
    message: Option<usize>,
    path: String,
    category: &'static str,
    method: &'static str,
    before: String,
    /// `None` where the anonymized text cannot tell.
    after: Option<String>,
}

#[cfg(test)]
mod tests {
    use crate::model::{anonymized, values_after};
    use pipehat_deid::{FreeText, Preset};

    const FILE: &str = "MSH|^~\\&|A|B|C|D|202601010000||ADT^A01|C1|P|2.5.1\r\
                        PID|1||7^^^H^MR~8^^^H^PI||DOE^JOHN||19700101\n\
                        MSH|^~\\&|A|B|C|D|202601010000||ADT^A01|C2|P|2.5.1\r\
                        PID|1||9^^^H^MR||ROE^JANE||\"\"";

    #[test]
    fn each_change_has_its_message_original_and_new_value() {
        let view = anonymized(FILE, Preset::SafeHarbor, FreeText::Redact, "");
        assert_eq!(view.messages, 2);
        let changes: Vec<_> = view.changes.iter().collect();
        let after = values_after(&view.output, &changes);
        let find = |message: usize, path: &str| {
            let at = changes
                .iter()
                .position(|c| c.message == Some(message) && c.path == path)
                .unwrap_or_else(|| panic!("no change at {path} of message {message}"));
            (changes[at].original.clone(), after[at].clone())
        };
        assert_eq!(
            find(0, "PID-5.1"),
            (Some("DOE".into()), Some("REDACTED".into()))
        );
        assert_eq!(find(1, "PID-5.2").0.as_deref(), Some("JANE"));
        // The second repetition, and the first one named without its number.
        assert_eq!(find(0, "PID-3[2].1").0.as_deref(), Some("8"));
        assert_eq!(find(0, "PID-3.1").0.as_deref(), Some("7"));
        assert_eq!(find(0, "MSH-10").1.as_deref(), Some("REDACTED"));
        assert_eq!(
            find(0, "PID-7"),
            (Some("19700101".into()), Some("1970".into()))
        );
    }

    #[test]
    fn nothing_to_read_is_no_change() {
        let view = anonymized("not hl7 at all", Preset::SafeHarbor, FreeText::Redact, "");
        assert!(view.changes.is_empty());
        assert!(values_after(&view.output, &[]).is_empty());
        assert!(
            anonymized(FILE, Preset::Pseudonymize, FreeText::Redact, "")
                .error
                .is_some()
        );
    }

    #[test]
    fn keys_have_128_bits_and_free_text_is_scrubbed_only_when_asked() {
        let short = anonymized(
            FILE,
            Preset::Pseudonymize,
            FreeText::Redact,
            "0123456789abcde",
        );
        assert_eq!(
            short.error.as_deref(),
            Some(
                "the key is 15 bytes: a key needs at least 16 bytes (128 bits) of text: \
                 Generate makes a 256-bit one."
            )
        );
        let key = "0123456789abcdef";
        assert!(
            anonymized(FILE, Preset::Pseudonymize, FreeText::Redact, key)
                .error
                .is_none()
        );
        let note = "MSH|^~\\&|A|B|C|D|202601010000||ADT^A01|C1|P|2.5.1||||||8859/1\r\
                    PID|1||7^^^H^MR||Kowalski^Łucja\rNTE|1||Łucja Kowalski fell\r";
        let redacted = anonymized(note, Preset::Pseudonymize, FreeText::Redact, key);
        assert!(
            redacted.text().ends_with("NTE|1||REDACTED\r"),
            "{}",
            redacted.text()
        );
        // Text stays text: Ł is matched and replaced, not read through MSH-18 as Latin-1.
        let scrubbed = anonymized(note, Preset::Pseudonymize, FreeText::Scrub, key);
        let nte = scrubbed
            .text()
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        assert!(nte.ends_with(" fell\r") || nte.ends_with(" fell"), "{nte}");
        assert!(!nte.contains("Łucja") && !nte.contains("Kowalski"), "{nte}");
    }
}
