//! The viewer's top-level component.

use leptos::prelude::*;

/// One row of the segment list: what the viewer shows of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SegmentRow {
    /// Position in the input, 1-based, as people count lines.
    number: usize,
    id: String,
    start: usize,
    end: usize,
}

/// The rows for `text`, in order.
fn segment_rows(text: &str) -> Vec<SegmentRow> {
    pipehat::segments(text.as_bytes())
        .enumerate()
        .map(|(index, segment)| SegmentRow {
            number: index + 1,
            id: String::from_utf8_lossy(segment.id()).into_owned(),
            start: segment.span().start,
            end: segment.span().end,
        })
        .collect()
}

/// The whole page: an input box and the segments of what is in it.
#[component]
pub fn App() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let rows = Memo::new(move |_| text.with(|text| segment_rows(text)));

    view! {
        <header class="bar">
            <h1>"pipehat"</h1>
            <p class="promise">"HL7 v2 viewer — everything stays in this browser tab."</p>
        </header>
        <main class="panes">
            <section class="pane">
                <label for="message">"Message"</label>
                <textarea
                    id="message"
                    spellcheck="false"
                    placeholder="Paste an HL7 v2 message (MSH|^~\\&|…)"
                    prop:value=text
                    on:input=move |event| set_text.set(event_target_value(&event))
                ></textarea>
            </section>
            <section class="pane" aria-labelledby="segments-heading">
                <h2 id="segments-heading">
                    "Segments " <span class="count">{move || rows.with(Vec::len)}</span>
                </h2>
                <ol class="segments" aria-label="Segments">
                    <For
                        each=move || rows.get()
                        key=|row| (row.number, row.id.clone(), row.start, row.end)
                        let(row)
                    >
                        <li class="segment">
                            <span class="segment-id">{row.id}</span>
                            <span class="segment-span">
                                {format!("bytes {}–{}", row.start, row.end)}
                            </span>
                        </li>
                    </For>
                </ol>
            </section>
        </main>
    }
}
