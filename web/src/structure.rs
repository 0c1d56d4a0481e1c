//! The structure view: the segments of the message, each element with its name from the
//! dictionary, data type, table and decoded value; the page and the embedded viewer show it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::{ElementRow, MessageView, SegmentView};

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
        // Segments are kept by position, and each keeps its rows and changes, in place, only
        // what differs from the message shown before (see `SegmentItem`): choosing another
        // message of a big file, or typing, costs what changed, not hundreds of rows made again.
        <ol class="segments" aria-label="Segments" class:hidden=move || view.with(|v| v.segments.is_empty())>
            <For each=move || 0..view.with(|v| v.segments.len()) key=|at| *at let(at)>
                <SegmentItem
                    segment=Memo::new(move |_| view.with(|v| v.segments.get(at).cloned()))
                    caret=caret
                    select=select
                />
            </For>
        </ol>
    }
}

/// A segment of the view: its id, its name and a row for each of its elements.
///
/// The rows are kept by position and changed in place by one effect: the row at each position
/// is compared with what it shows and only what differs is written (a value's text, a name, a
/// title); rows are added or removed only at the end. Hundreds of rows made by components each
/// (elements, listeners, a reactive node per cell) cost most of a switch of message; this
/// costs what changed. Values are always set as text, never parsed as HTML.
#[component]
fn SegmentItem(
    segment: Memo<Option<SegmentView>>,
    caret: Memo<usize>,
    select: Callback<(usize, usize)>,
) -> impl IntoView {
    let read = move |read: fn(&SegmentView) -> String| {
        segment.with(|s| s.as_ref().map(read).unwrap_or_default())
    };
    // Where the row holding the caret is: the deepest, i.e. the last whose bytes include it.
    let here = Memo::new(move |_| {
        let at = caret.get();
        segment.with(|s| {
            s.as_ref()?
                .elements
                .iter()
                .rposition(|e| e.span.0 <= at && at <= e.span.1)
        })
    });
    let body = NodeRef::<leptos::html::Tbody>::new();
    let rows = StoredValue::new_local(Rows::default());
    Effect::new(move |_| {
        let Some(body) = body.get() else {
            return;
        };
        let here = here.get();
        segment.with(|s| {
            // No segment: the message has no such segment now, and this item goes with its rows.
            if let Some(s) = s {
                rows.update_value(|rows| rows.show(&body, &s.elements, here));
            }
        });
    });
    // Choosing a path selects its bytes in the raw view.
    let click = move |event: leptos::ev::MouseEvent| {
        let Some(button) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|target| target.closest("button.link").ok().flatten())
        else {
            return;
        };
        let span = rows.with_value(|rows| rows.span_of(&button));
        if let Some(span) = span {
            select.run(span);
        }
    };
    view! {
        <li class="segment">
            <div class="segment-head">
                <span class="segment-id">{move || read(|s| s.id.clone())}</span>
                <span class="segment-name">{move || read(|s| s.name.clone())}</span>
            </div>
            <table class="elements">
                <tbody node_ref=body on:click=click></tbody>
            </table>
        </li>
    }
}

/// The rows a segment shows: for each, the element it shows and its nodes.
#[derive(Default)]
struct Rows {
    shown: Vec<(ElementRow, Row)>,
    /// The row marked as holding the caret.
    here: Option<usize>,
}

/// The nodes of one row that change with what it shows.
struct Row {
    tr: web_sys::Element,
    button: web_sys::Element,
    path: web_sys::Text,
    name_cell: web_sys::Element,
    name: web_sys::Text,
    data_type: web_sys::Text,
    value_cell: web_sys::Element,
    value: web_sys::Text,
    meaning: Option<web_sys::Element>,
}

impl Rows {
    /// Shows `elements` in `body`, the row at `here` marked, writing only what differs.
    fn show(&mut self, body: &web_sys::Element, elements: &[ElementRow], here: Option<usize>) {
        for (at, element) in elements.iter().enumerate() {
            match self.shown.get_mut(at) {
                Some((shown, row)) => {
                    if shown != element {
                        row.update(shown, element);
                        shown.clone_from(element);
                    }
                }
                None => {
                    let row = Row::new(element);
                    let _ = body.append_child(&row.tr);
                    self.shown.push((element.clone(), row));
                }
            }
        }
        for (_, row) in self.shown.drain(elements.len()..) {
            row.tr.remove();
        }
        if self.here != here {
            let mark = |at: Option<usize>, on: bool| {
                if let Some((_, row)) = at.and_then(|at| self.shown.get(at)) {
                    let _ = row.tr.class_list().toggle_with_force("here", on);
                }
            };
            mark(self.here, false);
            mark(here, true);
            self.here = here;
        }
    }

    /// The bytes of the element whose path button is `button`.
    fn span_of(&self, button: &web_sys::Element) -> Option<(usize, usize)> {
        self.shown
            .iter()
            .find(|(_, row)| row.button == *button)
            .map(|(element, _)| element.span)
    }
}

impl Row {
    /// A row showing `element`: the same elements, classes and titles a component would make.
    fn new(element: &ElementRow) -> Self {
        let document = document();
        let make = |tag: &str, class: &str| {
            let node = document.create_element(tag).expect("an HTML element");
            node.set_class_name(class);
            node
        };
        let text = |parent: &web_sys::Element, content: &str| {
            let node = document.create_text_node(content);
            let _ = parent.append_child(&node);
            node
        };
        let tr = make("tr", &format!("depth-{}", element.depth));
        let th = make("th", "path");
        let _ = th.set_attribute("scope", "row");
        let button = make("button", "link");
        let path = text(&button, &element.path);
        let _ = th.append_child(&button);
        let name_cell = make("td", "name");
        let name = text(&name_cell, &element.name);
        let type_span = make("span", "type");
        let data_type = text(&type_span, &element.data_type);
        let _ = name_cell.append_child(&type_span);
        let value_cell = make("td", value_class(element.null));
        let value = text(&value_cell, &element.value);
        for cell in [&th, &name_cell, &value_cell] {
            let _ = tr.append_child(cell);
        }
        let mut row = Row {
            tr,
            button,
            path,
            name_cell,
            name,
            data_type,
            value_cell,
            value,
            meaning: None,
        };
        row.set_titles(element);
        row.set_meaning(&element.meaning);
        row
    }

    /// Writes what differs between `shown`, what the row shows, and `element`.
    fn update(&mut self, shown: &ElementRow, element: &ElementRow) {
        if shown.depth != element.depth {
            let classes = self.tr.class_list();
            let _ = classes.remove_1(&format!("depth-{}", shown.depth));
            let _ = classes.add_1(&format!("depth-{}", element.depth));
        }
        let texts = [
            (&shown.path, &element.path, &self.path),
            (&shown.name, &element.name, &self.name),
            (&shown.data_type, &element.data_type, &self.data_type),
            (&shown.value, &element.value, &self.value),
        ];
        for (before, now, node) in texts {
            if before != now {
                node.set_data(now);
            }
        }
        if shown.null != element.null {
            self.value_cell.set_class_name(value_class(element.null));
        }
        if (&shown.path, &shown.name, &shown.data_type, &shown.table)
            != (
                &element.path,
                &element.name,
                &element.data_type,
                &element.table,
            )
        {
            self.set_titles(element);
        }
        if shown.meaning != element.meaning {
            self.set_meaning(&element.meaning);
        }
    }

    /// What hovering or focusing the element tells, on its path and its name.
    fn set_titles(&self, element: &ElementRow) {
        let about = about(element);
        let _ = self
            .button
            .set_attribute("title", &format!("{about} (selects it in the message)"));
        let _ = self.name_cell.set_attribute("title", &about);
    }

    /// The value's meaning in its table, after the value; none when empty.
    fn set_meaning(&mut self, meaning: &str) {
        match (&self.meaning, meaning.is_empty()) {
            (Some(span), false) => span.set_text_content(Some(meaning)),
            (Some(span), true) => {
                span.remove();
                self.meaning = None;
            }
            (None, false) => {
                let span = document().create_element("span").expect("an HTML element");
                span.set_class_name("meaning");
                span.set_text_content(Some(meaning));
                let _ = self.value_cell.append_child(&span);
                self.meaning = Some(span);
            }
            (None, true) => {}
        }
    }
}

/// The value cell's class: `value`, and `null` for the explicit HL7 null.
fn value_class(null: bool) -> &'static str {
    if null { "value null" } else { "value" }
}

/// What hovering or focusing an element tells: its path and name, data type and table.
fn about(element: &ElementRow) -> String {
    [
        format!("{} — {}", element.path, element.name),
        if element.data_type.is_empty() {
            String::new()
        } else {
            format!("data type {}", element.data_type)
        },
        element.table.clone(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join("; ")
}
