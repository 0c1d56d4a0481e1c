//! The structure view: the segments of the message, each element with its name from the
//! dictionary, data type, table and decoded value; the page and the embedded viewer show it.

use leptos::prelude::*;

use crate::model::MessageView;

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
