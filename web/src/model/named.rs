//! The named walker the structure and compare views share: each segment of a message with the
//! prefix its paths start with (`OBX[2]`), and every element in it that holds something, with
//! its path, numbers, depth, decoded value and span.

use pipehat::Message;

/// A segment of a message as the views name it.
pub(crate) struct NamedSegment<'m> {
    /// Its position in the message, from 1.
    pub number: usize,
    /// `PID`.
    pub id: String,
    /// Which `PID` it is, from 1.
    pub occurrence: usize,
    /// How paths into it start: `PID`, or `OBX[2]` for the second OBX.
    prefix: String,
    segment: pipehat::Segment<'m>,
}

/// An element that holds something, as the views name it.
pub(crate) struct NamedElement {
    /// `PID-5`, `PID-5.1`, `PID-3[2].4`, `PID-3.1.2`.
    pub path: String,
    /// Field, repetition, component, subcomponent, each from 1 (1 where the path names none):
    /// a field without components is its component 1.
    pub key: (usize, usize, usize, usize),
    /// 0 a field or repetition, 1 a component, 2 a subcomponent.
    pub depth: u8,
    /// Whether nothing below it is listed: its value is the most specific there is.
    pub leaf: bool,
    /// The decoded value.
    pub text: String,
    /// The explicit HL7 null (`""`).
    pub null: bool,
    /// Where it is in the text.
    pub span: pipehat::Span,
}

/// The segments of `message`, each with the prefix its paths start with.
pub(crate) fn named_segments<'m>(
    message: &'m Message<'m>,
) -> impl Iterator<Item = NamedSegment<'m>> + 'm {
    let mut occurrences: Vec<(Vec<u8>, usize)> = Vec::new();
    message.segments().enumerate().map(move |(index, segment)| {
        let id = segment.id().to_vec();
        let occurrence = match occurrences.iter_mut().find(|(seen, _)| *seen == id) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                occurrences.push((id.clone(), 1));
                1
            }
        };
        let id = String::from_utf8_lossy(&id).into_owned();
        let prefix = if occurrence > 1 {
            format!("{id}[{occurrence}]")
        } else {
            id.clone()
        };
        NamedSegment {
            number: index + 1,
            id,
            occurrence,
            prefix,
            segment,
        }
    })
}

impl NamedSegment<'_> {
    /// Every field, repetition, component and subcomponent that holds something, in order:
    /// components when a field has two or more, subcomponents when a component has two or more
    /// (MSH-1 and MSH-2, the delimiters themselves, are read whole).
    pub(crate) fn elements(&self) -> Vec<NamedElement> {
        let mut out = Vec::new();
        let prefix = &self.prefix;
        for (f, field) in self.segment.fields().enumerate() {
            let number = f + 1;
            if field.is_empty() {
                continue;
            }
            let whole = self.segment.is_header() && number <= 2;
            let repetitions: Vec<_> = field.repetitions().collect();
            for (r, repetition) in repetitions.iter().enumerate() {
                if repetition.is_empty() {
                    continue;
                }
                let field_path = if repetitions.len() > 1 {
                    format!("{prefix}-{number}[{}]", r + 1)
                } else {
                    format!("{prefix}-{number}")
                };
                let components: Vec<_> = repetition.components().collect();
                let lone_subcomponents: Vec<_> = match components.as_slice() {
                    [only] if !whole => only.subcomponents().collect(),
                    _ => Vec::new(),
                };
                let divided = !whole && (components.len() > 1 || lone_subcomponents.len() > 1);
                out.push(NamedElement {
                    path: field_path.clone(),
                    key: (number, r + 1, 1, 1),
                    depth: 0,
                    leaf: !divided,
                    text: repetition.text().into_owned(),
                    null: repetition.is_null(),
                    span: repetition.span(),
                });
                if !divided {
                    continue;
                }
                for (c, component) in components.iter().enumerate() {
                    if component.is_empty() {
                        continue;
                    }
                    let subcomponents: Vec<_> = component.subcomponents().collect();
                    // A field of one component with subcomponents lists just those
                    // (`PID-3.1.2`: a path names the component all the same).
                    let component_path = format!("{field_path}.{}", c + 1);
                    if components.len() > 1 {
                        out.push(NamedElement {
                            path: component_path.clone(),
                            key: (number, r + 1, c + 1, 1),
                            depth: 1,
                            leaf: subcomponents.len() < 2,
                            text: component.text().into_owned(),
                            null: component.is_null(),
                            span: component.span(),
                        });
                    }
                    if subcomponents.len() < 2 {
                        continue;
                    }
                    for (s, subcomponent) in subcomponents.iter().enumerate() {
                        if subcomponent.is_empty() {
                            continue;
                        }
                        out.push(NamedElement {
                            path: format!("{component_path}.{}", s + 1),
                            key: (number, r + 1, c + 1, s + 1),
                            depth: 2,
                            leaf: true,
                            text: subcomponent.text().into_owned(),
                            null: subcomponent.is_null(),
                            span: subcomponent.span(),
                        });
                    }
                }
            }
        }
        out
    }
}
