//! The message list of a file of many messages: type, control id, patient and validation status
//! of each, a filter, and picking one.

use leptos::prelude::*;

use crate::model::MessageRow;

/// The messages of a file, to pick one; filtered by what is typed.
#[component]
pub fn Messages(
    rows: Memo<Vec<MessageRow>>,
    statuses: ReadSignal<Vec<usize>>,
    selected: ReadSignal<usize>,
    select: WriteSignal<usize>,
) -> impl IntoView {
    /// Rows drawn at once: a file of thousands lists the first ones; the filter finds others.
    const SHOWN: usize = 200;
    let (filter, set_filter) = signal(String::new());
    let matching = Memo::new(move |_| {
        let needle = filter.get().to_lowercase();
        rows.with(|rows| {
            rows.iter()
                .filter(|r| {
                    needle.is_empty()
                        || [&r.kind, &r.control_id, &r.patient]
                            .iter()
                            .any(|field| field.to_lowercase().contains(&needle))
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="messages">
            <div class="messages-head">
                <h2>"Messages " <span class="count">{move || rows.with(Vec::len)}</span></h2>
                <input
                    type="search"
                    aria-label="Filter messages"
                    placeholder="Filter: type, control id, patient"
                    prop:value=filter
                    on:input=move |event| set_filter.set(event_target_value(&event))
                />
            </div>
            <ul class="message-list" aria-label="Messages">
                {move || {
                    matching
                        .get()
                        .into_iter()
                        .take(SHOWN)
                        .map(|row| {
                            let index = row.index;
                            let errors = move || statuses.with(|all| all.get(index).copied());
                            view! {
                                <li>
                                    <button
                                        class="message-row"
                                        class:current=move || selected.get() == index
                                        aria-current=move || (selected.get() == index).then_some("true")
                                        on:click=move |_| select.set(index)
                                    >
                                        <span class="number">{index + 1}</span>
                                        <span class="kind">{row.kind}</span>
                                        <span class="control-id">{row.control_id}</span>
                                        <span class="patient">{row.patient}</span>
                                        <span
                                            class="status"
                                            class:bad=move || errors().is_some_and(|n| n > 0)
                                        >
                                            {move || match errors() {
                                                None => "checking…".to_string(),
                                                Some(0) => "valid".to_string(),
                                                Some(1) => "1 error".to_string(),
                                                Some(n) => format!("{n} errors"),
                                            }}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="hint">
                {move || {
                    let shown = matching.with(Vec::len);
                    if shown > SHOWN {
                        format!("Showing {SHOWN} of {shown}: filter to find the others.")
                    } else {
                        String::new()
                    }
                }}
            </p>
        </div>
    }
}
