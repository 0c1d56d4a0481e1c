//! The tabs of the right-hand pane: which views there are, and the strip of buttons that
//! switches between them (the ARIA tabs pattern).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The views of the right-hand pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Structure,
    Findings,
    Anonymize,
    Compare,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Structure, Tab::Findings, Tab::Anonymize, Tab::Compare];

    fn label(self) -> &'static str {
        match self {
            Tab::Structure => "Structure",
            Tab::Findings => "Findings",
            Tab::Anonymize => "Anonymize",
            Tab::Compare => "Compare",
        }
    }

    pub(crate) fn id(self) -> String {
        format!("tab-{}", self.label().to_lowercase())
    }
}

/// The tab strip: a button for each view (the Findings tab with the message's error count);
/// choosing one shows its view in the panel, `tab-<label>` labelling it.
#[component]
pub(crate) fn Tabs(
    tab: ReadSignal<Tab>,
    set_tab: WriteSignal<Tab>,
    /// How many errors the message has, on the Findings tab.
    errors: Signal<usize>,
) -> impl IntoView {
    let tab_button = move |which: Tab| {
        view! {
            <button
                role="tab"
                id=which.id()
                aria-selected=move || (tab.get() == which).to_string()
                aria-controls="panel"
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                class:active=move || tab.get() == which
                on:click=move |_| set_tab.set(which)
            >
                {which.label()}
                {(which == Tab::Findings)
                    .then(|| view! { " " <span class="badge">{move || errors.get()}</span> })}
            </button>
        }
    };
    // Arrow keys move between tabs (the ARIA tabs pattern), Home and End to the ends.
    let tab_keys = move |event: web_sys::KeyboardEvent| {
        let at = Tab::ALL
            .iter()
            .position(|t| *t == tab.get_untracked())
            .unwrap_or(0);
        let next = match event.key().as_str() {
            "ArrowRight" => (at + 1) % Tab::ALL.len(),
            "ArrowLeft" => (at + Tab::ALL.len() - 1) % Tab::ALL.len(),
            "Home" => 0,
            "End" => Tab::ALL.len() - 1,
            _ => return,
        };
        event.prevent_default();
        set_tab.set(Tab::ALL[next]);
        if let Some(button) = document().get_element_by_id(&Tab::ALL[next].id())
            && let Ok(button) = button.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = button.focus();
        }
    };

    view! {
        <div role="tablist" aria-label="Views" class="tabs" on:keydown=tab_keys>
            {Tab::ALL.map(tab_button).collect_view()}
        </div>
    }
}
