//! The findings view: how to check (version, preset, profile), the validation findings grouped
//! by severity, the report to copy and the acknowledgment a receiver would send.

use leptos::prelude::*;
use pipehat_dict::Version;

use crate::app::MAX_TEXT;
use crate::browser::{copy_to_clipboard, hl7_now};
use crate::model::{Checks, FindingRow, Parsed, acknowledgment, read_profile, report_text};

/// How to check: the version, the preset and a conformance profile.
#[component]
fn CheckOptions(checks: RwSignal<Checks>) -> impl IntoView {
    let (profile_error, set_profile_error) = signal(None::<String>);
    let open_profile = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        input.set_value("");
        leptos::task::spawn_local(async move {
            let Ok(content) = gloo_file::futures::read_as_text(&file.into()).await else {
                return;
            };
            match read_profile(&content) {
                Ok(profile) => {
                    set_profile_error.set(None);
                    checks.update(|c| c.profile = Some((name, std::sync::Arc::new(profile))));
                }
                Err(error) => set_profile_error.set(Some(format!("{name}: {error}"))),
            }
        });
    };
    view! {
        <div class="controls">
            <label>
                "Version "
                <select
                    aria-label="HL7 version"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        checks
                            .update(|c| {
                                c.version = Version::ALL
                                    .into_iter()
                                    .find(|v| v.as_str() == chosen);
                            })
                    }
                >
                    <option value="" prop:selected=move || checks.with(|c| c.version.is_none())>
                        "as in MSH-12"
                    </option>
                    {Version::ALL
                        .map(|v| {
                            view! {
                                <option
                                    value=v.as_str()
                                    prop:selected=move || checks.with(|c| c.version == Some(v))
                                >
                                    {format!("v{}", v.as_str())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <input
                    type="checkbox"
                    aria-label="Strict"
                    prop:checked=move || checks.with(|c| c.strict)
                    on:change=move |event| {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        checks.update(|c| c.strict = input.checked());
                    }
                />
                " Strict"
            </label>
            <label class="button quiet" for="open-profile">"Open a profile"</label>
            <input
                id="open-profile"
                class="visually-hidden"
                type="file"
                accept=".xml,.json"
                on:change=open_profile
            />
            {move || {
                checks
                    .with(|c| c.profile.as_ref().map(|(name, _)| name.clone()))
                    .map(|name| {
                        view! {
                            <span class="profile-name">"Profile: " {name}</span>
                            <button
                                class="quiet"
                                aria-label="Remove the profile"
                                on:click=move |_| checks.update(|c| c.profile = None)
                            >
                                "×"
                            </button>
                        }
                    })
            }}
        </div>
        {move || profile_error.get().map(|e| view! { <p class="problem" role="alert">{e}</p> })}
    }
}

/// The validation findings, grouped by severity; choosing one selects its place in the raw
/// view. The report copies as text or JSON, and the acknowledgment a receiver would send.
#[component]
pub(crate) fn Findings(
    report: Memo<Vec<FindingRow>>,
    text: ReadSignal<Parsed>,
    selected: ReadSignal<usize>,
    checks: RwSignal<Checks>,
    select: Callback<(usize, usize)>,
) -> impl IntoView {
    // The acknowledgment a receiver would send for this message, with CR terminators.
    let ack = Memo::new(move |_| {
        if text.with(|t| t.text().len()) > MAX_TEXT {
            return None;
        }
        checks.with(|checks| text.with(|t| acknowledgment(t, selected.get(), checks, &hl7_now())))
    });
    let copy_report = move |json: bool| {
        let report = checks.with_untracked(|checks| {
            text.with_untracked(|t| report_text(t, selected.get_untracked(), checks, json))
        });
        copy_to_clipboard(report);
    };
    view! {
        <h2>"Findings " <span class="count">{move || report.with(Vec::len)}</span></h2>
        <CheckOptions checks=checks/>
        <div class="controls">
            <button on:click=move |_| copy_report(false)>"Copy report"</button>
            <button on:click=move |_| copy_report(true)>"Copy as JSON"</button>
        </div>
        <FindingList report=report select=select/>
        <div class="ack">
            <h3>"Acknowledgment"</h3>
            <pre class="ack-text" aria-label="Acknowledgment">
                {move || ack.get().unwrap_or_default().replace('\r', "\n")}
            </pre>
            <button on:click=move |_| copy_to_clipboard(ack.get().unwrap_or_default())>
                "Copy the ACK"
            </button>
        </div>
    }
}

/// Findings grouped by severity (errors, warnings, notes), each with its place, which selects
/// it in the raw view.
#[component]
pub(crate) fn FindingList(
    #[prop(into)] report: Signal<Vec<FindingRow>>,
    select: Callback<(usize, usize)>,
) -> impl IntoView {
    let group = move |severity: &'static str, title: &'static str| {
        let rows = move || {
            report.with(|r| {
                r.iter()
                    .filter(|f| f.severity == severity)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        };
        move || {
            let rows = rows();
            (!rows.is_empty()).then(|| {
                view! {
                    <h3 class=format!("group {severity}")>
                        {title} " " <span class="count">{rows.len()}</span>
                    </h3>
                    <ul class="findings" aria-label=title>
                        {rows
                            .into_iter()
                            .map(|f| {
                                let span = f.span;
                                view! {
                                    <li class=format!("finding {}", f.severity)>
                                        <span class="severity">{f.severity}</span>
                                        <button
                                            class="where link"
                                            title="Select it in the message"
                                            on:click=move |_| select.run(span)
                                        >
                                            {format!("{}:{}", f.line, f.column)}
                                            {(!f.path.is_empty()).then(|| format!(" {}", f.path))}
                                        </button>
                                        <span class="message">{f.message}</span>
                                        <span class="rule">{f.rule}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
        }
    };
    view! {
        {move || {
            report
                .with(Vec::is_empty)
                .then(|| view! { <p class="hint">"No findings: the message is valid."</p> })
        }}
        {group("error", "Errors")}
        {group("warning", "Warnings")}
        {group("info", "Notes")}
    }
}
