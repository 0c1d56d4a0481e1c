//! The structure view's walk: each segment of a message, and every element in it that holds
//! something — its fields (or repetitions), and their components and subcomponents where they
//! have two or more — with its path, depth, decoded value and span. Read from the core's
//! walker (`Message::walk`, one pass), paths made with `Path::new`.

use std::borrow::Cow;

use pipehat::walk::Value;
use pipehat::{Message, Path, Span};

/// A segment of a message, with the elements the structure view lists.
pub(crate) struct NamedSegment {
    /// Its position in the message, from 1.
    pub number: usize,
    /// `PID`.
    pub id: String,
    /// Fields, repetitions, components and subcomponents that hold something, in order.
    pub elements: Vec<NamedElement>,
}

/// An element that holds something, as the structure view lists it.
pub(crate) struct NamedElement {
    /// Its path; `None` in a segment whose id a path cannot name (not three letters or digits).
    pub path: Option<Path>,
    /// Its path as shown: `PID-5`, `PID-5.1`, `PID-3[2].4`, `PID-3.1.2` (the path's canonical
    /// form, or the same form with the segment id as written where a path cannot name it).
    pub place: String,
    /// 0 a field or repetition, 1 a component, 2 a subcomponent.
    pub depth: u8,
    /// The decoded value.
    pub text: String,
    /// The explicit HL7 null (`""`).
    pub null: bool,
    /// Where it is in the text.
    pub span: Span,
}

/// The segments of `message`, each with its elements, from one walk of the message.
pub(crate) fn named_segments(message: &Message<'_>) -> Vec<NamedSegment> {
    let mut values = message.walk().peekable();
    let mut segment_values = Vec::new();
    message
        .segments()
        .enumerate()
        .map(|(index, segment)| {
            segment_values.clear();
            while let Some(value) = values.next_if(|v| v.segment_index() == index) {
                segment_values.push(value);
            }
            NamedSegment {
                number: index + 1,
                id: String::from_utf8_lossy(segment.id()).into_owned(),
                elements: elements(message, &segment_values),
            }
        })
        .collect()
}

/// The rows of one segment's values (all of them, in walk order): each field or repetition
/// that holds something, then — when it has two or more components — each component, and —
/// when a component has two or more subcomponents — each subcomponent. A field of one component
/// with subcomponents lists just those (`PID-3.1.2`: a path names the component all the same).
fn elements(message: &Message<'_>, values: &[Value<'_>]) -> Vec<NamedElement> {
    let mut out = Vec::new();
    for field in runs(values, Value::field) {
        let repeats = field.last().is_some_and(|v| v.repetition() > 1);
        for repetition in runs(field, Value::repetition) {
            if is_empty(repetition) {
                continue;
            }
            let first = repetition[0];
            let levels = [first.field(), first.repetition()];
            let levels = if repeats { &levels[..] } else { &levels[..1] };
            out.push(row(message, first, levels, 0, repetition));
            // One value: a field, or repetition, that is not divided (MSH-1, MSH-2 always).
            if repetition.len() < 2 {
                continue;
            }
            let components = repetition.last().map_or(1, Value::component);
            for component in runs(repetition, Value::component) {
                if is_empty(component) {
                    continue;
                }
                let c = component[0];
                let levels = [c.field(), c.repetition(), c.component()];
                if components > 1 {
                    out.push(row(message, c, &levels, 1, component));
                }
                if component.len() < 2 {
                    continue;
                }
                for subcomponent in component.iter().filter(|s| !s.is_empty()) {
                    let s = subcomponent;
                    let levels = [s.field(), s.repetition(), s.component(), s.subcomponent()];
                    out.push(row(
                        message,
                        *s,
                        &levels,
                        2,
                        std::slice::from_ref(subcomponent),
                    ));
                }
            }
        }
    }
    out
}

/// `values` cut into runs of the same number at one level (each field's values, each
/// repetition's…); the walker gives them in order.
fn runs<'v, 'a>(
    values: &'v [Value<'a>],
    number: fn(&Value<'a>) -> usize,
) -> impl Iterator<Item = &'v [Value<'a>]> {
    values.chunk_by(move |x, y| number(x) == number(y))
}

/// Whether an element of these values holds nothing: its one value is empty.
fn is_empty(values: &[Value<'_>]) -> bool {
    matches!(values, [only] if only.is_empty())
}

/// The row of the element made of `values` (in the segment of `first`), named by `levels`.
fn row(
    message: &Message<'_>,
    first: Value<'_>,
    levels: &[usize],
    depth: u8,
    values: &[Value<'_>],
) -> NamedElement {
    let (path, place) = named(first.segment_id(), first.occurrence(), levels);
    let (text, null, span) = match values {
        [only] => (only.text(), only.is_null(), only.span()),
        // Several values: the element runs from the first's start to the last's end, its
        // delimiters included, decoded as the core decodes an element.
        _ => {
            let span = Span::new(
                first.span().start,
                values.last().map_or(first.span().end, |v| v.span().end),
            );
            let bytes = &message.input()[span.range()];
            let decoded = pipehat::escape::decode(bytes, message.delimiters());
            let text = match decoded {
                Cow::Borrowed(bytes) => pipehat::charset::decode_text(bytes, message.encoding()),
                Cow::Owned(bytes) => Cow::Owned(
                    pipehat::charset::decode_text(&bytes, message.encoding()).into_owned(),
                ),
            };
            (text, false, span)
        }
    };
    NamedElement {
        path,
        place,
        depth,
        text: text.into_owned(),
        null,
        span,
    }
}

/// The path of `levels` in segment `id` (its `occurrence`), and how it is shown: canonically,
/// or — for an id a path cannot name — in the same form with the id as written.
fn named(id: &[u8], occurrence: usize, levels: &[usize]) -> (Option<Path>, String) {
    match Path::new(id, occurrence, levels) {
        Ok(path) => (Some(path), path.to_string()),
        Err(_) => {
            // Written as a path of a nameable id would be, with the id as it is.
            let stand_in = Path::new("ZZZ", occurrence, levels)
                .map(|path| path.to_string())
                .unwrap_or_default();
            let place = format!(
                "{}{}",
                String::from_utf8_lossy(id),
                stand_in.get(3..).unwrap_or_default()
            );
            (None, place)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(String, u8, String)> {
        let message = Message::parse_text(text).unwrap();
        named_segments(&message)
            .into_iter()
            .flat_map(|segment| segment.elements)
            .map(|e| (e.place, e.depth, e.text))
            .collect()
    }

    #[test]
    fn fields_repetitions_components_and_subcomponents() {
        let listed = rows("MSH|^~\\&|A\rPID|1||7^^^H&X^MR~8||DOE^JOHN|^|a&b|D\\T\\E\rZ-1|q\r");
        let expected = [
            ("MSH-1", 0, "|"),
            ("MSH-2", 0, "^~\\&"),
            ("MSH-3", 0, "A"),
            ("PID-1", 0, "1"),
            ("PID-3[1]", 0, "7^^^H&X^MR"),
            ("PID-3.1", 1, "7"),
            ("PID-3.4", 1, "H&X"),
            ("PID-3.4.1", 2, "H"),
            ("PID-3.4.2", 2, "X"),
            ("PID-3.5", 1, "MR"),
            ("PID-3[2]", 0, "8"),
            ("PID-5", 0, "DOE^JOHN"),
            ("PID-5.1", 1, "DOE"),
            ("PID-5.2", 1, "JOHN"),
            // A field of empty components is listed, its components are not.
            ("PID-6", 0, "^"),
            // One component with subcomponents: just those.
            ("PID-7", 0, "a&b"),
            ("PID-7.1.1", 2, "a"),
            ("PID-7.1.2", 2, "b"),
            ("PID-8", 0, "D&E"),
            ("Z-1-1", 0, "q"),
        ];
        let expected: Vec<(String, u8, String)> = expected
            .iter()
            .map(|(p, d, t)| (p.to_string(), *d, t.to_string()))
            .collect();
        assert_eq!(listed, expected);
    }
}
