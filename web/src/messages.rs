//! The message list of a file of many messages: type, control id, patient and validation status
//! of each, a filter, and picking one with the mouse or the keyboard.
//!
//! A file can hold tens of thousands of messages, so the list is virtual: a scroll container
//! whose inner spacer is as tall as every row together, with only the rows in view (and a few
//! either side) in the page, each placed at its own offset. Rows have one fixed height.

use leptos::prelude::*;

use crate::model::MessageRow;

/// A row's height in CSS pixels: `.message-row`'s `height` in style.css must say the same.
const ROW_HEIGHT: f64 = 26.0;

/// Rows drawn beyond each edge of the view, so a quick scroll does not show a gap.
const OVERSCAN: usize = 8;

/// The messages of a file, to pick one; filtered by what is typed.
#[component]
pub fn Messages(
    rows: Memo<Vec<MessageRow>>,
    statuses: ReadSignal<Vec<usize>>,
    selected: ReadSignal<usize>,
    select: WriteSignal<usize>,
) -> impl IntoView {
    let (filter, set_filter) = signal(String::new());
    // The messages the filter keeps, as indexes into `rows` (ascending).
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
                .map(|r| r.index)
                .collect::<Vec<_>>()
        })
    });
    let list = NodeRef::<leptos::html::Div>::new();
    // Where the list is scrolled to, and how tall its view is (both in CSS pixels).
    let (scroll_top, set_scroll_top) = signal(0.0f64);
    let (viewport, set_viewport) = signal(ROW_HEIGHT * 8.0);
    let measure = move || {
        if let Some(element) = list.get_untracked() {
            set_scroll_top.set(f64::from(element.scroll_top()));
            set_viewport.set(f64::from(element.client_height()));
        }
    };
    // Measured once the list is in the page, and again when the filter changes how tall it is.
    Effect::new(move |_| {
        matching.track();
        if list.get().is_some() {
            measure();
        }
    });
    // Which rows are drawn: positions in `matching`, half-open.
    let window = Memo::new(move |_| {
        let count = matching.with(Vec::len);
        let first = (scroll_top.get() / ROW_HEIGHT).floor().max(0.0) as usize;
        let in_view = (viewport.get() / ROW_HEIGHT).ceil() as usize + 1;
        (
            first.saturating_sub(OVERSCAN).min(count),
            first
                .saturating_add(in_view)
                .saturating_add(OVERSCAN)
                .min(count),
        )
    });
    let drawn = move || {
        let (from, to) = window.get();
        matching.with(|matching| {
            rows.with(|rows| {
                matching
                    .get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .filter_map(|(offset, index)| Some((from + offset, rows.get(*index)?.clone())))
                    .collect::<Vec<_>>()
            })
        })
    };
    // Scrolls just enough to show the row at `position` (of `matching`).
    let reveal = move |position: usize| {
        let Some(element) = list.get_untracked() else {
            return;
        };
        let top = position as f64 * ROW_HEIGHT;
        let height = f64::from(element.client_height());
        let now = f64::from(element.scroll_top());
        let to = if top < now {
            top
        } else if top + ROW_HEIGHT > now + height {
            top + ROW_HEIGHT - height
        } else {
            return;
        };
        element.set_scroll_top(to.ceil() as i32);
        measure();
    };
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = matching.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let last = count - 1;
        let page = ((viewport.get_untracked() / ROW_HEIGHT).floor() as usize).max(2) - 1;
        let current = matching.with_untracked(|m| m.binary_search(&selected.get_untracked()).ok());
        let to = match event.key().as_str() {
            "ArrowDown" => current.map_or(0, |c| (c + 1).min(last)),
            "ArrowUp" => current.map_or(0, |c| c.saturating_sub(1)),
            "PageDown" => current.map_or(0, |c| c.saturating_add(page).min(last)),
            "PageUp" => current.map_or(0, |c| c.saturating_sub(page)),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        event.prevent_default();
        if let Some(index) = matching.with_untracked(|m| m.get(to).copied()) {
            select.set(index);
            reveal(to);
        }
    };
    let option_id = |index: usize| format!("message-{}", index + 1);
    view! {
        <div class="messages">
            <div class="messages-head">
                <h2>"Messages " <span class="count">{move || rows.with(Vec::len)}</span></h2>
                <span class="progress" aria-live="polite">
                    {move || {
                        let total = rows.with(Vec::len);
                        statuses
                            .with(|all| {
                                let checked = all.len().min(total);
                                let failing = all.iter().filter(|&&n| n > 0).count();
                                if checked < total {
                                    format!("validating… {checked} of {total}")
                                } else {
                                    match failing {
                                        0 => "all valid".to_string(),
                                        1 => "1 with errors".to_string(),
                                        n => format!("{n} with errors"),
                                    }
                                }
                            })
                    }}
                </span>
                <input
                    type="search"
                    aria-label="Filter messages"
                    placeholder="Filter: type, control id, patient"
                    prop:value=filter
                    on:input=move |event| {
                        set_filter.set(event_target_value(&event));
                        if let Some(element) = list.get_untracked() {
                            element.set_scroll_top(0);
                        }
                        measure();
                    }
                />
            </div>
            <div
                class="message-list"
                role="listbox"
                aria-label="Messages"
                tabindex="0"
                aria-activedescendant=move || {
                    // Only a row that is drawn can be named.
                    let current = selected.get();
                    let (from, to) = window.get();
                    matching
                        .with(|m| m.binary_search(&current).is_ok_and(|at| from <= at && at < to))
                        .then(|| option_id(current))
                }
                node_ref=list
                on:scroll=move |_| measure()
                on:keydown=keydown
            >
                <div
                    class="message-spacer"
                    style:height=move || {
                        format!("{}px", matching.with(Vec::len) as f64 * ROW_HEIGHT)
                    }
                >
                    <For
                        each=drawn
                        key=|(position, row)| (*position, row.index)
                        let((position, row))
                    >
                        {
                            let index = row.index;
                            let errors = move || statuses.with(|all| all.get(index).copied());
                            let count = move || matching.with(Vec::len);
                            view! {
                                <div
                                    class="message-row"
                                    id=option_id(index)
                                    role="option"
                                    aria-selected=move || (selected.get() == index).to_string()
                                    aria-setsize=count
                                    aria-posinset=position + 1
                                    class:current=move || selected.get() == index
                                    style:transform=format!(
                                        "translateY({}px)",
                                        position as f64 * ROW_HEIGHT,
                                    )
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
                                </div>
                            }
                        }
                    </For>
                </div>
            </div>
            <p class="hint">
                {move || {
                    let shown = matching.with(Vec::len);
                    let total = rows.with(Vec::len);
                    if shown == 0 {
                        "No message matches the filter.".to_string()
                    } else if shown < total {
                        format!("{shown} of {total} match.")
                    } else {
                        "Up and Down, Page Up and Page Down, Home and End move through the list."
                            .to_string()
                    }
                }}
            </p>
        </div>
    }
}
