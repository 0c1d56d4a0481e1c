//! The page: an input, and the views of what is in it beside it, in tabs — its structure with
//! the dictionary's names, its validation findings, an anonymized copy, a comparison. Each
//! view is a component of its own file (structure.rs, findings.rs, anonymize.rs, compare.rs).

use leptos::prelude::*;

use crate::anonymize::Anonymize;
use crate::browser::{read_hl7_file, yield_to_browser};
use crate::compare::Compare;
use crate::editor::{Raw, RawView};
use crate::findings::Findings;
use crate::messages::Messages;
use crate::model::{
    Checks, MessageView, Parsed, byte_offset, caret, error_counts, findings, message_rows,
    message_view,
};
use crate::structure::Structure;
use crate::tabs::{Tab, Tabs};

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

/// `text` parsed, once, for every view of it; kept unread beyond [`MAX_TEXT`].
pub(crate) fn read(text: String) -> Parsed {
    if text.len() > MAX_TEXT {
        Parsed::unread(text)
    } else {
        Parsed::new(text)
    }
}

/// How many messages the background check validates between two frames.
const CHECK_STEP: usize = 100;

/// The most text put in the text area for editing (1 MB): a bigger file is read and listed,
/// but not shown there.
const MAX_EDITABLE: usize = 1_000_000;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    // The text and its one parse: every view below reads it, none parses the text again.
    let (text, set_text) = signal(Parsed::default());
    let (tab, set_tab) = signal(Tab::Structure);
    // Which message of a file the views show (from 0).
    let (selected, set_selected) = signal(0usize);
    let (file_name, set_file_name) = signal(None::<String>);
    // How messages are read and checked: version, preset, profile.
    let checks = RwSignal::new(Checks::default());
    let chosen_version = Memo::new(move |_| checks.with(|c| c.version));
    // A message pasted to compare with, kept while the user moves between tabs.
    let compare_with = RwSignal::new(Parsed::default());
    // Beyond this the page would freeze reading it all at once: say so instead.
    let too_big = Memo::new(move |_| text.with(|text| text.text().len() > MAX_TEXT));
    let rows = Memo::new(move |_| {
        if too_big.get() {
            return Vec::new();
        }
        text.with(|text| message_rows(text.file()))
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
        set_text.set(read(new));
    };
    // A file opened or dropped: read here, in the page, never uploaded (see `read_hl7_file`).
    let load = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            if let Some(content) = read_hl7_file(file).await {
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
        // The same parse the views read (a text too big to read has no messages).
        let content = text.get();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        statuses.set(Vec::new());
        leptos::task::spawn_local(async move {
            let file = content.file();
            if file.messages().len() < 2 {
                return;
            }
            let lines = content.lines();
            let mut validator = pipehat_validate::Validator::new();
            let mut from = 0;
            while from < file.messages().len() {
                yield_to_browser().await;
                if generation.get_value() != mine {
                    return;
                }
                let counts = error_counts(file, lines, &mut validator, from, from + CHECK_STEP);
                from += CHECK_STEP;
                statuses.update(|all| all.extend(counts));
            }
        });
    });
    let errors = move || report.with(|r| r.iter().filter(|f| f.severity == "error").count());
    // The raw view: its text area, scroll and caret. A file too big to edit shows its selected
    // message there instead, read-only: `excerpt` is that message's place in the file.
    let raw = Raw::new();
    let editable = Memo::new(move |_| text.with(|text| text.text().len() <= MAX_EDITABLE));
    let excerpt = Memo::new(move |_| {
        if editable.get() || too_big.get() {
            None
        } else {
            rows.with(|rows| rows.get(selected.get()).map(|row| row.span))
        }
    });
    // The part of the text in the raw view: all of it, the excerpt, or nothing (too big).
    let part = Memo::new(move |_| match excerpt.get() {
        Some(span) => Some(span),
        None if editable.get() => None,
        None => Some((0, 0)),
    });
    let base = move || excerpt.get().map_or(0, |(start, _)| start);
    let caret_byte = Memo::new(move |_| {
        let part = part.get();
        text.with(|text| {
            let (base, shown) = text.part(part);
            base + byte_offset(shown, raw.position.get())
        })
    });
    let here = Memo::new(move |_| {
        if part.get() == Some((0, 0)) {
            return None;
        }
        text.with(|text| caret(text.file(), caret_byte.get(), chosen_version.get()))
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
        let part = part.get_untracked();
        text.with_untracked(|text| {
            let (base, shown) = text.part(part);
            if start >= base {
                raw.select(shown, (start - base, end - base));
            }
        });
    });
    let on_input = Callback::new(move |value: String| {
        set_file_name.set(None);
        set_selected.set(0);
        set_text.set(read(value));
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
                    text=text
                    part=part
                    shown=Signal::derive(move || {
                        match excerpt.get() {
                            Some(span) => text.with(|text| text.part(Some(span)).1.to_string()),
                            None => shown.get(),
                        }
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
                                        text.with(|text| text.text().len()) as f64 / 1_000_000.0,
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
                            let size = text.with(|text| text.text().len()) as f64 / 1_000_000.0;
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
                <Tabs tab=tab set_tab=set_tab errors=Signal::derive(errors)/>
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
