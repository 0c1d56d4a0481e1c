//! Comparing two messages value by value: message A and message B of a file, or a message of
//! the file and one pasted beside it. Segments are matched by id and occurrence (`OBX[2]` with
//! `OBX[2]`), values by field, repetition, component and subcomponent.

use std::collections::HashMap;

use leptos::prelude::*;
use pipehat::{File, Message, Path};
use pipehat_dict::Version;

use crate::app::MAX_TEXT;
use crate::model::{MessageRow, named_segments, version_of};

/// A value as compared: decoded text, and whether it is the explicit HL7 null (`""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The decoded value (escapes resolved); `""` for the null.
    pub text: String,
    /// The explicit HL7 null, which tells a receiver to delete the value.
    pub null: bool,
}

/// How the two sides of a path differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The same value on both sides.
    Same,
    /// Both sides have a value, and they differ.
    Changed,
    /// Only message A has a value here.
    OnlyA,
    /// Only message B has a value here.
    OnlyB,
}

impl Status {
    /// What the table says, e.g. "only in A".
    pub fn label(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Changed => "changed",
            Status::OnlyA => "only in A",
            Status::OnlyB => "only in B",
        }
    }

    /// The row's class, e.g. `only-a`.
    pub fn class(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Changed => "changed",
            Status::OnlyA => "only-a",
            Status::OnlyB => "only-b",
        }
    }
}

/// One path of either message, with both sides' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    /// The path as the structure view names it, e.g. `PID-5.1`, `OBX[2]-5`, `PID-3[2].1`.
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

/// One value of a message, as the comparison reads it: the most specific element that holds
/// something (a component with subcomponents is read as its subcomponents).
#[derive(Debug, Clone)]
struct Leaf {
    /// Field, repetition, component, subcomponent; each from 1. A field without components is
    /// its component 1, so `PID-5` = `DOE` matches `PID-5.1` = `DOE` of `DOE^JOHN`.
    key: (usize, usize, usize, usize),
    /// The path as the structure view names it.
    path: String,
    value: Value,
}

/// A segment's values, with the segment's id and occurrence.
#[derive(Debug, Clone)]
struct SegmentLeaves {
    key: (Vec<u8>, usize),
    leaves: Vec<Leaf>,
}

/// The values of `message`, segment by segment, in message order: the most specific element
/// that holds something, as the structure view lists them.
fn leaves(message: &Message<'_>) -> Vec<SegmentLeaves> {
    named_segments(message)
        .map(|segment| SegmentLeaves {
            leaves: segment
                .elements()
                .into_iter()
                .filter(|element| element.leaf)
                .map(|element| Leaf {
                    key: element.key,
                    value: value(element.text, element.null),
                    path: element.path,
                })
                .collect(),
            key: (segment.id.into_bytes(), segment.occurrence),
        })
        .collect()
}

/// A value, with the null written as HL7 does.
fn value(text: String, null: bool) -> Value {
    Value {
        text: if null { "\"\"".to_string() } else { text },
        null,
    }
}

/// The segments of both messages in one order, as (A's, B's) positions: A's order, with each
/// segment only B has placed after the one that comes before it in B.
fn merged_order(a: &[SegmentLeaves], b: &[SegmentLeaves]) -> Vec<(Option<usize>, Option<usize>)> {
    let in_a: HashMap<&(Vec<u8>, usize), usize> =
        a.iter().enumerate().map(|(i, s)| (&s.key, i)).collect();
    let mut in_b: HashMap<usize, usize> = HashMap::new();
    // B's own segments, by the A segment they follow (`None`: before all of A's).
    let mut after: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut anchor = None;
    for (j, segment) in b.iter().enumerate() {
        match in_a.get(&segment.key) {
            Some(&i) => {
                in_b.insert(i, j);
                anchor = Some(i);
            }
            None => after.entry(anchor).or_default().push(j),
        }
    }
    let mut order = Vec::with_capacity(a.len() + b.len());
    let only_b = |order: &mut Vec<_>, anchor| {
        if let Some(list) = after.get(&anchor) {
            order.extend(list.iter().map(|j| (None, Some(*j))));
        }
    };
    only_b(&mut order, None);
    for i in 0..a.len() {
        order.push((Some(i), in_b.get(&i).copied()));
        only_b(&mut order, Some(i));
    }
    order
}

/// Compares message `a` with message `b`, value by value; a side that is `None` has no values.
/// Names come from the `chosen` version, else A's own (B's when there is no A).
pub fn compare(
    a: Option<&Message<'_>>,
    b: Option<&Message<'_>>,
    chosen: Option<Version>,
) -> Comparison {
    let version = chosen.unwrap_or_else(|| a.or(b).map_or(Version::LATEST, version_of));
    let a_segments = a.map(leaves).unwrap_or_default();
    let b_segments = b.map(leaves).unwrap_or_default();
    let mut rows = Vec::new();
    for (i, j) in merged_order(&a_segments, &b_segments) {
        let (mut left, mut right) = (
            values_of(&a_segments, i).iter().peekable(),
            values_of(&b_segments, j).iter().peekable(),
        );
        // Both sides are in field order: merge them.
        loop {
            let (a_leaf, b_leaf) = match (left.peek(), right.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if x.key == y.key => (left.next(), right.next()),
                (Some(x), Some(y)) if x.key < y.key => (left.next(), None),
                (Some(_), Some(_)) | (None, Some(_)) => (None, right.next()),
                (Some(_), None) => (left.next(), None),
            };
            rows.push(row(version, a_leaf, b_leaf));
        }
    }
    let differences = rows.iter().filter(|r| r.status != Status::Same).count();
    Comparison { rows, differences }
}

/// The values of segment `at` of one side; none when that side lacks the segment.
fn values_of(side: &[SegmentLeaves], at: Option<usize>) -> &[Leaf] {
    at.and_then(|at| side.get(at))
        .map_or(&[], |s| s.leaves.as_slice())
}

/// The row for a path with `a`'s and `b`'s values (at least one of them).
fn row(version: Version, a: Option<&Leaf>, b: Option<&Leaf>) -> CompareRow {
    // The more specific name of the two (`PID-5.1` over `PID-5` for `DOE` against `DOE^JOHN`).
    let path = match (a, b) {
        (Some(x), Some(y)) if y.path.len() > x.path.len() => y.path.clone(),
        (Some(x), _) => x.path.clone(),
        (None, Some(y)) => y.path.clone(),
        (None, None) => String::new(),
    };
    let name = path
        .parse::<Path>()
        .map(|p| version.describe(&p).label())
        .unwrap_or_default();
    let (a, b) = (a.map(|l| l.value.clone()), b.map(|l| l.value.clone()));
    let status = match (&a, &b) {
        (Some(x), Some(y)) if x == y => Status::Same,
        (Some(_), Some(_)) => Status::Changed,
        (Some(_), None) => Status::OnlyA,
        (None, _) => Status::OnlyB,
    };
    CompareRow {
        path,
        name,
        a,
        b,
        status,
    }
}

/// What is compared with message A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Other<'t> {
    /// Message `n` (from 0) of the same text.
    Message(usize),
    /// The first message of a pasted text.
    Pasted(&'t str),
}

/// Message `a` (from 0) of `text` compared with `other`, named from the `chosen` version (else
/// the message's own); an error when a side has no message.
pub fn compare_texts(
    text: &str,
    a: usize,
    other: Other<'_>,
    chosen: Option<Version>,
) -> Result<Comparison, String> {
    let file = File::parse_text(text);
    let Some(first) = file.messages().get(a) else {
        return Err("There is no message A: paste or open a file of messages first.".into());
    };
    match other {
        Other::Message(b) => match file.messages().get(b) {
            Some(second) => Ok(compare(Some(first), Some(second), chosen)),
            None => Err("There is no message B.".into()),
        },
        Other::Pasted(pasted) => {
            let pasted_file = File::parse_text(pasted);
            match pasted_file.messages().first() {
                Some(second) => Ok(compare(Some(first), Some(second), chosen)),
                None => Err(
                    "The text to compare with has no HL7 v2 message: a message starts with MSH."
                        .into(),
                ),
            }
        }
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
    text: ReadSignal<String>,
    rows: Memo<Vec<MessageRow>>,
    selected: ReadSignal<usize>,
    pasted: RwSignal<String>,
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
        if text.with(String::len) > MAX_TEXT {
            return Err(String::new());
        }
        let (a, b) = (a(), b());
        let chosen = chosen_version.get();
        pasted.with(|pasted| {
            text.with(|text| {
                if !pasted.trim().is_empty() {
                    compare_texts(text, a, Other::Pasted(pasted), chosen)
                } else if count() > 1 {
                    compare_texts(text, a, Other::Message(b), chosen)
                } else {
                    Ok(Comparison::default())
                }
            })
        })
    });
    let picker = move |label_text: &'static str,
                       current: Signal<usize>,
                       pick: WriteSignal<Option<usize>>| {
        view! {
            <label>
                {label_text} " "
                <select
                    aria-label=format!("Message {label_text}")
                    on:change=move |event| {
                        if let Ok(n) = event_target_value(&event).parse::<usize>() {
                            pick.set(Some(n));
                        }
                    }
                    prop:value=move || current.get().to_string()
                >
                    {move || {
                        rows.with(|rows| {
                            rows.iter()
                                .map(|row| {
                                    let index = row.index;
                                    view! {
                                        <option value=index.to_string() selected=move || current.get() == index>
                                            {label(row)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </select>
            </label>
        }
    };
    let pasting = move || pasted.with(|p| !p.trim().is_empty());
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
            prop:value=move || pasted.get()
            on:input=move |event| pasted.set(event_target_value(&event))
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
                    class=status.class()
                    class:hidden=move || only_differences.get() && status == Status::Same
                >
                    <th scope="row" class="path">{row.path}</th>
                    <td class="name">{row.name}</td>
                    {cell(row.a)}
                    {cell(row.b)}
                    <td class="status">{status.label()}</td>
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
        compare_texts(a, 0, Other::Pasted(b), None).expect("both have a message")
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
        assert_eq!(find(&c, "PID-3[1].1").status, Status::Same);
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
        let file = format!("{A}\n{}", A.replace("|1|P|", "|2|P|"));
        let c = compare_texts(&file, 0, Other::Message(1), None).unwrap();
        assert_eq!(c.differences, 1);
        assert_eq!(find(&c, "MSH-10").status, Status::Changed);
        assert!(compare_texts(&file, 0, Other::Message(5), None).is_err());
        assert!(compare_texts("not hl7", 0, Other::Message(1), None).is_err());
        assert!(compare_texts(A, 0, Other::Pasted("hello"), None).is_err());
    }
}
