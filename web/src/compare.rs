//! Comparing two messages value by value: message A and message B of a file, or a message of
//! the file and one pasted beside it. The comparison is the core's (`pipehat::diff`: segments
//! matched by id and occurrence, values by field, repetition, component and subcomponent); the
//! viewer names its rows from the dictionary and draws them.

use leptos::prelude::*;
use pipehat::diff::{self, Status};
use pipehat::{File, Message};
use pipehat_dict::Version;

use crate::app::{MAX_TEXT, read};
use crate::model::{MessageRow, Parsed, version_of};

/// A value as shown: decoded text, and whether it is the explicit HL7 null (`""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The decoded value (escapes resolved); `""` for the null.
    pub text: String,
    /// The explicit HL7 null, which tells a receiver to delete the value.
    pub null: bool,
}

/// What the table says of a status, e.g. "only in A".
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Same => "same",
        Status::Changed => "changed",
        Status::OnlyA => "only in A",
        Status::OnlyB => "only in B",
    }
}

/// One row of the comparison as the table shows it: where, its name, both sides' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    /// Where the row is, as the core names it, e.g. `PID-5.1`, `OBX[2]-5`, `PID-3[2].1`.
    pub path: String,
    /// Its name from the dictionary, e.g. "Patient Name / Family Name"; empty when unknown.
    pub name: String,
    /// A's value, if A has one there.
    pub a: Option<Value>,
    /// B's value, if B has one there.
    pub b: Option<Value>,
    /// How they differ.
    pub status: Status,
}

/// Two messages compared: every path either has a value at, in message order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// Every path with a value in A or B.
    pub rows: Vec<CompareRow>,
    /// How many rows differ (changed, only in A, only in B).
    pub differences: usize,
}

/// Compares message `a` with message `b` with the core's [`diff::diff_sides`]; a side that is
/// `None` has no values. Names come from the `chosen` version, else A's own (B's when there is
/// no A).
pub fn compare(
    a: Option<&Message<'_>>,
    b: Option<&Message<'_>>,
    chosen: Option<Version>,
) -> Comparison {
    let version = chosen.unwrap_or_else(|| a.or(b).map_or(Version::LATEST, version_of));
    let compared = diff::diff_sides(a, b);
    let shown = |text: Option<std::borrow::Cow<'_, str>>, null: bool| {
        text.map(|text| Value {
            text: text.into_owned(),
            null,
        })
    };
    let rows = compared
        .rows
        .iter()
        .map(|row| CompareRow {
            path: row.place(),
            name: row
                .path()
                .map(|path| version.describe(&path).label())
                .unwrap_or_default(),
            a: shown(row.a_text(), row.a.is_some_and(|v| v.is_null())),
            b: shown(row.b_text(), row.b.is_some_and(|v| v.is_null())),
            status: row.status,
        })
        .collect();
    Comparison {
        rows,
        differences: compared.differences,
    }
}

/// What is compared with message A.
#[derive(Debug, Clone, Copy)]
pub enum Other<'f, 'a> {
    /// Message `n` (from 0) of the same file.
    Message(usize),
    /// The first message of a pasted text (parsed).
    Pasted(&'f File<'a>),
}

/// Message `a` (from 0) of `file` compared with `other`, named from the `chosen` version (else
/// the message's own); an error when a side has no message.
pub fn compare_texts(
    file: &File<'_>,
    a: usize,
    other: Other<'_, '_>,
    chosen: Option<Version>,
) -> Result<Comparison, String> {
    let Some(first) = file.messages().get(a) else {
        return Err("There is no message A: paste or open a file of messages first.".into());
    };
    match other {
        Other::Message(b) => match file.messages().get(b) {
            Some(second) => Ok(compare(Some(first), Some(second), chosen)),
            None => Err("There is no message B.".into()),
        },
        Other::Pasted(pasted) => match pasted.messages().first() {
            Some(second) => Ok(compare(Some(first), Some(second), chosen)),
            None => Err(
                "The text to compare with has no HL7 v2 message: a message starts with MSH.".into(),
            ),
        },
    }
}

/// A message's label in a picker: its number, type and control id.
fn label(row: &MessageRow) -> String {
    let mut label = format!("{} · {}", row.index + 1, row.kind);
    if !row.control_id.is_empty() {
        label.push_str(" · ");
        label.push_str(&row.control_id);
    }
    label
}

/// Two messages side by side, value by value: pick A and B from the file, or paste B.
#[component]
pub fn Compare(
    text: ReadSignal<Parsed>,
    rows: Memo<Vec<MessageRow>>,
    selected: ReadSignal<usize>,
    pasted: RwSignal<Parsed>,
    chosen_version: Memo<Option<Version>>,
) -> impl IntoView {
    // The user's picks; until then A is the message selected in the list and B the next one.
    let (a_pick, set_a_pick) = signal(None::<usize>);
    let (b_pick, set_b_pick) = signal(None::<usize>);
    let count = move || rows.with(Vec::len);
    let a = move || {
        a_pick
            .get()
            .filter(|a| *a < count())
            .unwrap_or_else(|| selected.get())
    };
    let b = move || {
        let a = a();
        b_pick.get().filter(|b| *b < count()).unwrap_or_else(|| {
            if a + 1 < count() {
                a + 1
            } else {
                a.saturating_sub(1)
            }
        })
    };
    let (only_differences, set_only_differences) = signal(true);
    let comparison = Memo::new(move |_| {
        if text.with(|t| t.text().len()) > MAX_TEXT {
            return Err(String::new());
        }
        let (a, b) = (a(), b());
        let chosen = chosen_version.get();
        pasted.with(|pasted| {
            text.with(|text| {
                if !pasted.text().trim().is_empty() {
                    compare_texts(text.file(), a, Other::Pasted(pasted.file()), chosen)
                } else if count() > 1 {
                    compare_texts(text.file(), a, Other::Message(b), chosen)
                } else {
                    Ok(Comparison::default())
                }
            })
        })
    });
    let picker = move |label_text: &'static str,
                       current: Signal<usize>,
                       pick: WriteSignal<Option<usize>>| {
        // The options are plain (a file has thousands): one effect, run once they are in the
        // page, shows the current message. A reactive `selected` on each option made every
        // switch of message wake thousands of closures, and cost half a second.
        let select = NodeRef::<leptos::html::Select>::new();
        Effect::new(move |_| {
            let value = current.get().to_string();
            rows.track();
            if let Some(select) = select.get() {
                select.set_value(&value);
            }
        });
        view! {
            <label>
                {label_text} " "
                <select
                    node_ref=select
                    aria-label=format!("Message {label_text}")
                    on:change=move |event| {
                        if let Ok(n) = event_target_value(&event).parse::<usize>() {
                            pick.set(Some(n));
                        }
                    }
                >
                    {move || {
                        rows.with(|rows| {
                            rows.iter()
                                .map(|row| {
                                    view! { <option value=row.index.to_string()>{label(row)}</option> }
                                })
                                .collect_view()
                        })
                    }}
                </select>
            </label>
        }
    };
    let pasting = move || pasted.with(|p| !p.text().trim().is_empty());
    view! {
        <h2>"Compare"</h2>
        {move || {
            (count() > 1)
                .then(|| {
                    view! {
                        <div class="controls">
                            {picker("A", Signal::derive(a), set_a_pick)}
                            {move || {
                                if pasting() {
                                    view! { <span class="hint">"B is the pasted message."</span> }
                                        .into_any()
                                } else {
                                    picker("B", Signal::derive(b), set_b_pick).into_any()
                                }
                            }}
                        </div>
                    }
                })
        }}
        <div class="compare-with-head">
            <label for="compare-with">"Compare with"</label>
            <span class="hint" id="compare-with-hint">
                {move || {
                    if count() > 1 {
                        "or pick B above: what is pasted here becomes B"
                    } else {
                        "paste a second message: it becomes B"
                    }
                }}
            </span>
        </div>
        <textarea
            id="compare-with"
            class="compare-with"
            aria-describedby="compare-with-hint"
            spellcheck="false"
            placeholder="MSH|^~\\&|…"
            prop:value=move || pasted.with(|p| p.text().to_string())
            on:input=move |event| pasted.set(read(event_target_value(&event)))
        ></textarea>
        {move || match comparison.get() {
            Err(problem) => {
                (!problem.is_empty()).then(|| view! { <p class="problem">{problem}</p> }).into_any()
            }
            Ok(comparison) if comparison.rows.is_empty() => {
                view! {
                    <p class="hint">
                        "Open a file of two or more messages, or paste a second message above."
                    </p>
                }
                    .into_any()
            }
            Ok(comparison) => {
                let differences = comparison.differences;
                let values = comparison.rows.len();
                view! {
                    <div class="controls compare-head">
                        <p class="compare-counts" aria-live="polite">
                            {format!(
                                "{differences} {} in {values} {}",
                                if differences == 1 { "difference" } else { "differences" },
                                if values == 1 { "value" } else { "values" },
                            )}
                        </p>
                        <label class="toggle">
                            <input
                                type="checkbox"
                                prop:checked=only_differences
                                on:change=move |event| {
                                    set_only_differences.set(event_target_checked(&event))
                                }
                            />
                            " Only differences"
                        </label>
                    </div>
                    <CompareTable comparison=comparison only_differences=only_differences/>
                }
                    .into_any()
            }
        }}
    }
}

/// The comparison's rows: path, name, A, B and how they differ.
#[component]
fn CompareTable(comparison: Comparison, only_differences: ReadSignal<bool>) -> impl IntoView {
    let cell = |value: Option<Value>| {
        match value {
        Some(v) => view! {
            <td class="value" class:null=v.null title=v.null.then_some("the HL7 null: delete the value")>
                {v.text}
            </td>
        }
        .into_any(),
        None => view! { <td class="value absent">"—"</td> }.into_any(),
    }
    };
    let rows = comparison
        .rows
        .into_iter()
        .map(|row| {
            let status = row.status;
            view! {
                <tr
                    class=status.as_str()
                    class:hidden=move || only_differences.get() && status == Status::Same
                >
                    <th scope="row" class="path">{row.path}</th>
                    <td class="name">{row.name}</td>
                    {cell(row.a)}
                    {cell(row.b)}
                    <td class="status">{status_label(status)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="compare-scroll">
            <table class="compare" aria-label="Comparison">
                <thead>
                    <tr>
                        <th scope="col" class="col-path">"Path"</th>
                        <th scope="col" class="col-name">"Name"</th>
                        <th scope="col">"A"</th>
                        <th scope="col">"B"</th>
                        <th scope="col" class="col-status">
                            <span class="visually-hidden">"Difference"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compared(a: &str, b: &str) -> Comparison {
        let (a, b) = (File::parse_text(a), File::parse_text(b));
        compare_texts(&a, 0, Other::Pasted(&b), None).expect("both have a message")
    }

    fn find<'c>(comparison: &'c Comparison, path: &str) -> &'c CompareRow {
        comparison
            .rows
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no {path} in {:#?}", comparison.rows))
    }

    const A: &str = "MSH|^~\\&|A|B|C|D|202601010000||ORU^R01|1|P|2.5.1\r\
                     PID|1||7^^^H^MR||DOE^JOHN||19700101\r\
                     OBX|1|NM|x||5\r\
                     OBX|2|NM|y||6";

    #[test]
    fn identical_messages_have_no_difference() {
        let c = compared(A, A);
        assert_eq!(c.differences, 0);
        assert!(c.rows.iter().all(|r| r.status == Status::Same));
        assert_eq!(find(&c, "PID-5.1").name, "Patient Name / Family Name");
    }

    #[test]
    fn changed_only_in_a_and_only_in_b() {
        let b = A
            .replace("DOE^JOHN", "DOE^JANE")
            .replace("||19700101", "||")
            .replace("OBX|2|NM|y||6", "OBX|2|NM|y||6\rOBX|3|NM|z||7");
        let c = compared(A, &b);
        let jane = find(&c, "PID-5.2");
        assert_eq!(jane.status, Status::Changed);
        assert_eq!(jane.a.as_ref().map(|v| v.text.as_str()), Some("JOHN"));
        assert_eq!(jane.b.as_ref().map(|v| v.text.as_str()), Some("JANE"));
        assert_eq!(find(&c, "PID-7").status, Status::OnlyA);
        assert_eq!(find(&c, "OBX[3]-5").status, Status::OnlyB);
        // B's new segment comes after the one before it in B.
        let paths: Vec<_> = c.rows.iter().map(|r| r.path.as_str()).collect();
        let obx2 = paths.iter().position(|p| *p == "OBX[2]-5").unwrap();
        let obx3 = paths.iter().position(|p| *p == "OBX[3]-1").unwrap();
        assert!(obx2 < obx3, "{paths:?}");
        // JANE, the birth date, and OBX[3]-1, -2, -3 and -5.
        assert_eq!(c.differences, 1 + 1 + 4);
    }

    #[test]
    fn a_field_is_its_first_component_and_repetition() {
        let b = A
            .replace("DOE^JOHN", "DOE")
            .replace("7^^^H^MR", "7^^^H^MR~8^^^H^PI");
        let c = compared(A, &b);
        let family = find(&c, "PID-5.1");
        assert_eq!(family.status, Status::Same, "{:#?}", c.rows);
        assert_eq!(find(&c, "PID-5.2").status, Status::OnlyA);
        // The first repetition's components print canonically: `PID-3.1`, not `PID-3[1].1`.
        assert_eq!(find(&c, "PID-3.1").status, Status::Same);
        assert_eq!(find(&c, "PID-3[2].5").status, Status::OnlyB);
    }

    #[test]
    fn null_is_distinct_from_empty_and_from_text() {
        let b = A
            .replace("||19700101", "||\"\"")
            .replace("OBX|1|NM|x||5", "OBX|1|NM|x||\"\"");
        let c = compared(A, &b);
        let birth = find(&c, "PID-7");
        assert_eq!(birth.status, Status::Changed);
        assert_eq!(
            birth.b,
            Some(Value {
                text: "\"\"".into(),
                null: true
            })
        );
        let absent = A.replace("||19700101", "||");
        let c = compared(&absent, &b);
        assert_eq!(find(&c, "PID-7").status, Status::OnlyB);
    }

    #[test]
    fn subcomponents_and_escapes_are_read() {
        let a = A.replace("7^^^H^MR", "7^^^H&1.2&ISO^MR");
        let b = A
            .replace("7^^^H^MR", "7^^^H&1.3&ISO^MR")
            .replace("DOE^", "D\\T\\E^");
        let c = compared(&a, &b);
        assert_eq!(find(&c, "PID-3.4.2").status, Status::Changed);
        assert_eq!(find(&c, "PID-3.4.1").status, Status::Same);
        let family = find(&c, "PID-5.1");
        assert_eq!(family.b.as_ref().map(|v| v.text.as_str()), Some("D&E"));
    }

    #[test]
    fn messages_of_one_file_and_no_message() {
        let text = format!("{A}\n{}", A.replace("|1|P|", "|2|P|"));
        let file = File::parse_text(&text);
        let c = compare_texts(&file, 0, Other::Message(1), None).unwrap();
        assert_eq!(c.differences, 1);
        assert_eq!(find(&c, "MSH-10").status, Status::Changed);
        assert!(compare_texts(&file, 0, Other::Message(5), None).is_err());
        let prose = File::parse_text("not hl7");
        assert!(compare_texts(&prose, 0, Other::Message(1), None).is_err());
        let (a, hello) = (File::parse_text(A), File::parse_text("hello"));
        assert!(compare_texts(&a, 0, Other::Pasted(&hello), None).is_err());
    }
}
