//! The raw view: the message as typed, in a text area with transparent text over a coloured
//! copy of the lines in view (segment ids, delimiters, escapes), line numbers beside it, and
//! validation findings underlined at their exact bytes. Only the lines in view are drawn, so a
//! long file scrolls as fast as a short one.

use leptos::prelude::*;

use crate::model::{Layout, Mark, Parsed, area_offset, layout, line_of, line_starts, raw_lines};

/// Height of a line, in CSS pixels (style.css sets the same).
pub const LINE_HEIGHT: f64 = 20.0;
/// Padding above the first line, in CSS pixels (style.css sets the same).
const PAD_TOP: f64 = 10.0;
/// Padding left of the text, in CSS pixels (style.css sets the same).
const PAD_LEFT: f64 = 12.0;
/// Lines drawn beyond the visible ones, above and below.
const OVERSCAN: usize = 8;

/// What a raw view shares with the views around it: its text area, where it is scrolled, and
/// where the caret is.
#[derive(Debug, Clone, Copy)]
pub struct Raw {
    /// The text area.
    pub area: NodeRef<leptos::html::Textarea>,
    /// Ten characters of the text's font, to measure a character's width.
    measure: NodeRef<leptos::html::Span>,
    /// Scroll top, scroll left and visible height of the text area, in CSS pixels.
    scroll: RwSignal<(f64, f64, f64)>,
    /// Where the caret is, in the text area's offsets (see [`area_offset`]).
    pub position: RwSignal<usize>,
    /// Whether the text area has the focus.
    pub focused: RwSignal<bool>,
}

impl Raw {
    /// A raw view's state, before it is drawn.
    pub fn new() -> Self {
        Self {
            area: NodeRef::new(),
            measure: NodeRef::new(),
            scroll: RwSignal::new((0.0, 0.0, 640.0)),
            position: RwSignal::new(0),
            focused: RwSignal::new(false),
        }
    }

    /// Reads where the text area is scrolled, to draw the lines in view.
    pub fn read_scroll(&self) {
        if let Some(area) = self.area.get_untracked() {
            self.scroll.set((
                f64::from(area.scroll_top()),
                f64::from(area.scroll_left()),
                f64::from(area.client_height()),
            ));
        }
    }

    /// Reads where the caret is, after an event of the text area.
    pub fn track(&self, event: &leptos::ev::Event) {
        let area: web_sys::HtmlTextAreaElement = event_target(event);
        if let Ok(Some(at)) = area.selection_start() {
            self.position.set(at as usize);
        }
    }

    /// Selects bytes `span` of `text` in the text area and scrolls them into view: what a click
    /// on an element or a finding does.
    pub fn select(&self, text: &str, span: (usize, usize)) {
        let Some(area) = self.area.get_untracked() else {
            return;
        };
        let char_width = self
            .measure
            .get_untracked()
            .map(|m| m.get_bounding_client_rect().width() / 10.0)
            .filter(|w| *w > 0.0)
            .unwrap_or(8.0);
        let start = area_offset(text, span.0);
        let end = area_offset(text, span.1);
        let _ = area.focus();
        let _ = area.set_selection_range(start as u32, end as u32);
        let lines = line_starts(text);
        let line = line_of(&lines, span.0);
        let top = PAD_TOP + line as f64 * LINE_HEIGHT;
        let height = f64::from(area.client_height());
        let scroll_top = f64::from(area.scroll_top());
        if top < scroll_top || top + LINE_HEIGHT > scroll_top + height {
            area.set_scroll_top((top - height / 3.0).max(0.0) as i32);
        }
        let column = start - area_offset(text, lines[line]);
        let left = PAD_LEFT + column as f64 * char_width;
        let width = f64::from(area.client_width());
        let scroll_left = f64::from(area.scroll_left());
        if left < scroll_left || left + 4.0 * char_width > scroll_left + width {
            area.set_scroll_left((left - width / 3.0).max(0.0) as i32);
        }
        self.position.set(start);
        self.read_scroll();
    }
}

/// The raw view of `text` — of its `part` (`[start, end)` in bytes), else all of it — coloured
/// only while `coloured` (i.e. not too big to edit), with `marks` (in the part's bytes)
/// underlined. `shown` is what the text area shows when the text comes from elsewhere; typing
/// calls `on_input` with the text area's value.
#[component]
pub fn RawView(
    raw: Raw,
    /// The text and its parse: the colours come from the parse, never from parsing again.
    #[prop(into)]
    text: Signal<Parsed>,
    /// The part of the text shown (one message of a file too big to edit), else all of it.
    #[prop(optional, into)]
    part: MaybeProp<(usize, usize)>,
    #[prop(into)] shown: Signal<String>,
    #[prop(into)] marks: Signal<Vec<Mark>>,
    #[prop(into)] coloured: Signal<bool>,
    on_input: Callback<String>,
    /// The text area's id, for a `<label for>` outside.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The text area's accessible name when no label points to it.
    #[prop(optional)]
    label: Option<&'static str>,
    /// Read-only: the text can be selected and copied, not changed.
    #[prop(optional, into)]
    readonly: MaybeProp<bool>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// A paste, before the text area takes it (to refuse a huge one).
    #[prop(optional)]
    on_paste: Option<Callback<web_sys::ClipboardEvent>>,
    /// A file dropped on the text area.
    #[prop(optional)]
    on_drop: Option<Callback<web_sys::DragEvent>>,
) -> impl IntoView {
    let layout = Memo::new(move |_| {
        if coloured.get() {
            let part = part.get();
            text.with(|text| {
                let (base, shown) = text.part(part);
                layout(shown, text.file(), base)
            })
        } else {
            Layout::default()
        }
    });
    let window = Memo::new(move |_| {
        let (top, _, height) = raw.scroll.get();
        let first = ((top - PAD_TOP) / LINE_HEIGHT).floor().max(0.0) as usize;
        let visible = (height / LINE_HEIGHT).ceil() as usize + 1;
        (first.saturating_sub(OVERSCAN), first + visible + OVERSCAN)
    });
    let lines = Memo::new(move |_| {
        let (from, to) = window.get();
        let part = part.get();
        layout.with(|layout| {
            marks.with(|marks| {
                text.with(|text| raw_lines(text.part(part).1, layout, from, to, marks))
            })
        })
    });
    let line_count = move || layout.with(|l| l.lines.len());
    let track = move |event: leptos::ev::Event| raw.track(&event);
    // The text area's real height, once it is on the page (then on scroll, focus and resize).
    Effect::new(move |_| {
        if raw.area.get().is_some() {
            raw.read_scroll();
        }
    });
    view! {
        <div class="editor">
            <div
                class="gutter"
                aria-hidden="true"
                style:width=move || format!("{}ch", line_count().to_string().len() + 2)
            >
                <div
                    class="layer"
                    style:transform=move || format!("translateY({}px)", -raw.scroll.get().0)
                >
                    {move || {
                        let (from, to) = window.get();
                        (from..to.min(line_count()))
                            .map(|n| {
                                view! {
                                    <div
                                        class="number"
                                        style:top=format!("{}px", PAD_TOP + n as f64 * LINE_HEIGHT)
                                    >
                                        {n + 1}
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </div>
            <div class="code">
                <div class="highlight" aria-hidden="true">
                    <span class="measure" node_ref=raw.measure>
                        "0000000000"
                    </span>
                    <div
                        class="layer"
                        style:transform=move || {
                            let (top, left, _) = raw.scroll.get();
                            format!("translate({}px, {}px)", -left, -top)
                        }
                    >
                        <For each=move || lines.get() key=|line| line.clone() let(line)>
                            <div
                                class="line"
                                style:top=format!(
                                    "{}px",
                                    PAD_TOP + line.number as f64 * LINE_HEIGHT,
                                )
                            >
                                {line
                                    .tokens
                                    .into_iter()
                                    .map(|token| {
                                        view! {
                                            <span class=format!(
                                                "t {} {}",
                                                token.kind,
                                                token.mark,
                                            )>{token.text}</span>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        </For>
                    </div>
                </div>
                <textarea
                    id=id
                    aria-label=label
                    node_ref=raw.area
                    spellcheck="false"
                    wrap="off"
                    autocomplete="off"
                    readonly=move || readonly.get().unwrap_or(false)
                    placeholder=placeholder
                    prop:value=shown
                    on:input=move |event| {
                        on_input.run(event_target_value(&event));
                        track(event);
                    }
                    on:scroll=move |_| raw.read_scroll()
                    on:focus=move |_| {
                        raw.focused.set(true);
                        raw.read_scroll();
                    }
                    on:blur=move |_| raw.focused.set(false)
                    on:paste=move |event: web_sys::ClipboardEvent| {
                        if let Some(on_paste) = on_paste {
                            on_paste.run(event);
                        }
                    }
                    on:dragover=move |event: web_sys::DragEvent| {
                        if on_drop.is_some() {
                            event.prevent_default();
                        }
                    }
                    on:drop=move |event: web_sys::DragEvent| {
                        if let Some(on_drop) = on_drop {
                            event.prevent_default();
                            on_drop.run(event);
                        }
                    }
                    on:keyup=move |event| track(event.into())
                    on:click=move |event| track(event.into())
                    on:mouseup=move |_| raw.read_scroll()
                    on:select=track
                ></textarea>
            </div>
        </div>
    }
}
