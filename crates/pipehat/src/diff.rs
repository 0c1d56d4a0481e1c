//! Comparing two messages value by value.
//!
//! Segments are matched by id and occurrence (`OBX[2]` with `OBX[2]`), values by field,
//! repetition, component and subcomponent number, so a field without components is its own
//! component 1: `PID-5` = `DOE` matches `PID-5.1` = `DOE` of `DOE^JOHN`. Values are compared
//! as text: escapes decoded (`\T\` equals `&`), bytes read in each message's character set (an
//! ISO 8859-1 `Müller` equals a UTF-8 one). An empty value is no value (`DOE^` is `DOE`); the
//! HL7 null `""` is a value. Segments only one side has are placed after the segment before
//! them on that side, so rows come in message order.
//!
//! ```
//! use pipehat::Message;
//! use pipehat::diff::{self, Status};
//!
//! let a = Message::parse(b"MSH|^~\\&|A\rPID|1||7||DOE^JOHN\rOBX|1|ST|x||5\r")?;
//! let b = Message::parse(b"MSH|^~\\&|A\rPID|1||7||DOE^JON^Q\rNTE|1||new\rOBX|1|ST|x||5\r")?;
//! let changes: Vec<String> = diff::diff(&a, &b)
//!     .rows
//!     .iter()
//!     .filter(|row| row.status != Status::Same)
//!     .map(|row| format!("{} {}", row.place(), row.status.as_str()))
//!     .collect();
//! assert_eq!(changes, ["PID-5.2 changed", "PID-5.3 only-b", "NTE-1 only-b", "NTE-3 only-b"]);
//! # Ok::<(), pipehat::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use crate::walk::{Depth, Value};
use crate::{Message, Path};

/// How the two sides of a place differ.
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
    /// The status as JSON and the CLI write it: `same`, `changed`, `only-a`, `only-b`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Changed => "changed",
            Status::OnlyA => "only-a",
            Status::OnlyB => "only-b",
        }
    }
}

/// One place either message has a value at, with both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a, 'b> {
    /// A's value there, if A has one.
    pub a: Option<Value<'a>>,
    /// B's value there, if B has one.
    pub b: Option<Value<'b>>,
    /// How they differ.
    pub status: Status,
}

impl Row<'_, '_> {
    /// The side whose value is named more specifically (`PID-5.1` of `DOE^JOHN` over `PID-5` of
    /// `DOE`), A when equal: where the row is.
    fn named(&self) -> (&[u8], usize, [usize; 4], Depth) {
        fn of<'v>(v: &Value<'v>) -> (&'v [u8], usize, [usize; 4], Depth) {
            let numbers = [v.field(), v.repetition(), v.component(), v.subcomponent()];
            (v.segment_id(), v.occurrence(), numbers, v.depth())
        }
        match (&self.a, &self.b) {
            (Some(a), Some(b)) if b.depth() > a.depth() => of(b),
            (Some(a), _) => of(a),
            (None, Some(b)) => of(b),
            (None, None) => (&[], 1, [1; 4], Depth::Field),
        }
    }

    /// The row's path, as specific as the more specific side; `None` in a segment whose id a
    /// path cannot name (see [`Row::place`]).
    #[must_use]
    pub fn path(&self) -> Option<Path> {
        let (id, occurrence, numbers, depth) = self.named();
        Path::new(id, occurrence, &numbers[..levels(depth)]).ok()
    }

    /// Where the row is, as text: its path (`PID-5.1`, `OBX[2]-5`), or the same form with the
    /// segment id as written where a path cannot name it (`Z-1-1`).
    #[must_use]
    pub fn place(&self) -> String {
        if let Some(path) = self.path() {
            return path.to_string();
        }
        let (id, occurrence, numbers, depth) = self.named();
        let mut place = String::new();
        let _ = crate::path::write_with_id(&mut place, id, occurrence, &numbers[..levels(depth)]);
        place
    }

    /// A's value decoded, `""` for the HL7 null; `None` where A has none.
    #[must_use]
    pub fn a_text(&self) -> Option<Cow<'_, str>> {
        self.a.as_ref().map(shown)
    }

    /// B's value decoded, `""` for the HL7 null; `None` where B has none.
    #[must_use]
    pub fn b_text(&self) -> Option<Cow<'_, str>> {
        self.b.as_ref().map(shown)
    }
}

/// How many levels a path of `depth` names.
fn levels(depth: Depth) -> usize {
    match depth {
        Depth::Field => 1,
        Depth::Repetition => 2,
        Depth::Component => 3,
        Depth::Subcomponent => 4,
    }
}

/// A value as the comparison shows it: decoded, the null as HL7 writes it.
fn shown<'v>(value: &Value<'v>) -> Cow<'v, str> {
    if value.is_null() {
        Cow::Borrowed("\"\"")
    } else {
        value.text()
    }
}

/// Two messages compared: every place either has a value at, in message order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff<'a, 'b> {
    /// Every place with a value in A or B.
    pub rows: Vec<Row<'a, 'b>>,
    /// How many rows differ (changed, only in A, only in B).
    pub differences: usize,
}

/// The values of one segment, and the segment's id and occurrence.
#[derive(Debug)]
struct SegmentValues<'a> {
    key: (&'a [u8], usize),
    values: Vec<Value<'a>>,
}

/// The non-empty values of `message`, segment by segment, in order.
fn segments<'a>(message: &Message<'a>) -> Vec<SegmentValues<'a>> {
    let mut out: Vec<SegmentValues<'a>> = Vec::new();
    let mut last = None;
    for value in message.walk() {
        if last != Some(value.segment_index()) {
            last = Some(value.segment_index());
            out.push(SegmentValues {
                key: (value.segment_id(), value.occurrence()),
                values: Vec::new(),
            });
        }
        if !value.is_empty()
            && let Some(segment) = out.last_mut()
        {
            segment.values.push(value);
        }
    }
    out
}

/// The segments of both messages in one order, as (A's, B's) positions: A's order, with each
/// segment only B has placed after the one that comes before it in B.
fn merged_order(
    a: &[SegmentValues<'_>],
    b: &[SegmentValues<'_>],
) -> Vec<(Option<usize>, Option<usize>)> {
    // A's segments by id, then occurrence (a map by id alone: the walker's kind of map).
    let mut ids: HashMap<&[u8], usize> = HashMap::new();
    let mut by_id: Vec<Vec<usize>> = Vec::new();
    for (i, segment) in a.iter().enumerate() {
        let next = by_id.len();
        let at = *ids.entry(segment.key.0).or_insert(next);
        if at == next {
            by_id.push(Vec::new());
        }
        by_id[at].push(i);
    }
    let in_a = |(id, occurrence): (&[u8], usize)| {
        let at = *ids.get(id)?;
        by_id[at].get(occurrence - 1).copied()
    };
    // B's partner of each A segment, and B's own segments by the A segment they follow
    // (`after[0]`: before all of A's; `after[i + 1]`: after A's segment `i`).
    let mut in_b = vec![None; a.len()];
    let mut after = vec![Vec::new(); a.len() + 1];
    let mut anchor = 0;
    for (j, segment) in b.iter().enumerate() {
        match in_a(segment.key) {
            Some(i) => {
                in_b[i] = Some(j);
                anchor = i + 1;
            }
            None => after[anchor].push(j),
        }
    }
    let mut order = Vec::with_capacity(a.len() + b.len());
    order.extend(after[0].iter().map(|&j| (None, Some(j))));
    for (i, partner) in in_b.into_iter().enumerate() {
        order.push((Some(i), partner));
        order.extend(after[i + 1].iter().map(|&j| (None, Some(j))));
    }
    order
}

/// Compares message `a` with message `b`, value by value.
#[must_use]
pub fn diff<'a, 'b>(a: &Message<'a>, b: &Message<'b>) -> Diff<'a, 'b> {
    diff_sides(Some(a), Some(b))
}

/// As [`diff`], where a side may have no message (the file it came from has fewer): every value
/// of the other side is then only on that side.
#[must_use]
pub fn diff_sides<'a, 'b>(a: Option<&Message<'a>>, b: Option<&Message<'b>>) -> Diff<'a, 'b> {
    let (a_segments, b_segments) = (
        a.map(segments).unwrap_or_default(),
        b.map(segments).unwrap_or_default(),
    );
    let mut rows = Vec::new();
    for (i, j) in merged_order(&a_segments, &b_segments) {
        let left = i.map_or(&[][..], |i| a_segments[i].values.as_slice());
        let right = j.map_or(&[][..], |j| b_segments[j].values.as_slice());
        let key = |v: &Value<'_>| (v.field(), v.repetition(), v.component(), v.subcomponent());
        // Both sides are in field order: merge them.
        let (mut x, mut y) = (0, 0);
        while x < left.len() || y < right.len() {
            let order = match (left.get(x), right.get(y)) {
                (Some(l), Some(r)) => key(l).cmp(&key(r)),
                (Some(_), None) => core::cmp::Ordering::Less,
                _ => core::cmp::Ordering::Greater,
            };
            let a = (order.is_le()).then(|| left[x]);
            let b = (order.is_ge()).then(|| right[y]);
            x += usize::from(a.is_some());
            y += usize::from(b.is_some());
            let status = match (&a, &b) {
                (Some(l), Some(r)) if l.is_null() == r.is_null() && l.text() == r.text() => {
                    Status::Same
                }
                (Some(_), Some(_)) => Status::Changed,
                (Some(_), None) => Status::OnlyA,
                (None, _) => Status::OnlyB,
            };
            rows.push(Row { a, b, status });
        }
    }
    let differences = rows.iter().filter(|r| r.status != Status::Same).count();
    Diff { rows, differences }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(a: &[u8], b: &[u8]) -> Vec<(String, &'static str, Option<String>, Option<String>)> {
        let (a, b) = (Message::parse(a).unwrap(), Message::parse(b).unwrap());
        diff(&a, &b)
            .rows
            .iter()
            .filter(|r| r.status != Status::Same)
            .map(|r| {
                (
                    r.place(),
                    r.status.as_str(),
                    r.a_text().map(Cow::into_owned),
                    r.b_text().map(Cow::into_owned),
                )
            })
            .collect()
    }

    #[test]
    fn the_same_message_has_no_differences() {
        let text = b"MSH|^~\\&|A|B\rPID|1||7~8||DOE^JOHN\rOBX|1\rOBX|2|ST|||x&y\r";
        let (a, b) = (Message::parse(text).unwrap(), Message::parse(text).unwrap());
        let compared = diff(&a, &b);
        assert_eq!(compared.differences, 0);
        assert!(compared.rows.len() > 8 && compared.rows.iter().all(|r| r.status == Status::Same));
    }

    #[test]
    fn values_are_compared_decoded_by_their_numbers() {
        let changes = rows(
            b"MSH|^~\\&|A\rPID|1||7||DOE^A\\T\\B||\"\"\r",
            b"MSH|^~\\&|A\rPID|1||7||DOE^A&B^||X\r",
        );
        // `A\T\B` is `A&B`, but `A&B` in B is two subcomponents: A's PID-5.2 = `A&B` meets B's
        // PID-5.2.1 = `A`, and B's `B` is only in B. An empty PID-5.3 is no value.
        assert_eq!(
            changes,
            [
                (
                    "PID-5.2.1".to_owned(),
                    "changed",
                    Some("A&B".to_owned()),
                    Some("A".to_owned())
                ),
                ("PID-5.2.2".to_owned(), "only-b", None, Some("B".to_owned())),
                (
                    "PID-7".to_owned(),
                    "changed",
                    Some("\"\"".to_owned()),
                    Some("X".to_owned())
                ),
            ]
        );
        let a = Message::parse(b"MSH|^~\\&|A\rPID|1\r").unwrap();
        let alone = diff_sides(Some(&a), None);
        assert_eq!(alone.differences, alone.rows.len());
        assert!(
            alone
                .rows
                .iter()
                .all(|r| r.status == Status::OnlyA && r.b.is_none())
        );
        // A field without components is its own component 1.
        assert!(
            rows(
                b"MSH|^~\\&|A\rPID|1||7||DOE\r",
                b"MSH|^~\\&|A\rPID|1||7||DOE^\r"
            )
            .is_empty()
        );
    }

    #[test]
    fn segments_meet_by_id_and_occurrence_in_message_order() {
        let changes = rows(
            b"MSH|^~\\&|A\rOBX|1|ST|||a\rOBX|2|ST|||b\rZ-1|q\r",
            b"MSH|^~\\&|A\rNTE|1||n\rOBX|1|ST|||a\rOBX|2|ST|||c\rOBX|3|ST|||d\r",
        );
        let places: Vec<(&str, &str)> = changes.iter().map(|(p, s, ..)| (p.as_str(), *s)).collect();
        assert_eq!(
            places,
            [
                ("NTE-1", "only-b"),
                ("NTE-3", "only-b"),
                ("OBX[2]-5", "changed"),
                ("OBX[3]-1", "only-b"),
                ("OBX[3]-2", "only-b"),
                ("OBX[3]-5", "only-b"),
                ("Z-1-1", "only-a"),
            ]
        );
    }
}
