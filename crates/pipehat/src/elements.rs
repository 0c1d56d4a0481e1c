//! The hierarchy of an HL7 v2 segment: segment → field → repetition → component →
//! subcomponent.
//!
//! Every element borrows the input and knows where it is in it. Nothing is indexed ahead of
//! time below the segment: an element's children are found by scanning its bytes for the next
//! delimiter when asked (fields are short, and sequential walks through the iterators cost one
//! pass). Three states stay distinct:
//!
//! - **absent**: the accessor returns `None` (`PID-30` of a PID with 8 fields);
//! - **empty**: present with no bytes (`PID|1||` — field 2 is empty);
//! - **null**: the explicit HL7 null `""`, which tells a receiver to delete the value.
//!
//! In header segments (MSH, FHS, BHS) field 1 is the field separator itself and field 2 the
//! encoding characters, as HL7 numbers them; neither is split further.

use core::iter::FusedIterator;
use std::borrow::Cow;

use crate::charset::{Charset, decode_text};
use crate::escape::{self, Escapes};
use crate::{Delimiters, Path, Span};

/// What every element holds: its bytes, where they start in the input, and the delimiters that
/// split it. `literal` elements (MSH-1, MSH-2) are never split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node<'a> {
    bytes: &'a [u8],
    start: usize,
    delimiters: Delimiters,
    charset: Charset,
    literal: bool,
}

impl<'a> Node<'a> {
    #[inline]
    fn sub(self, from: usize, to: usize, literal: bool) -> Self {
        Node {
            bytes: &self.bytes[from..to],
            start: self.start + from,
            delimiters: self.delimiters,
            charset: self.charset,
            literal,
        }
    }

    fn children(self, separator: Option<u8>) -> Children<'a> {
        Children {
            parent: self,
            separator: if self.literal { None } else { separator },
            position: Some(0),
        }
    }

    fn span(self) -> Span {
        Span::new(self.start, self.start + self.bytes.len())
    }
}

/// The parts of a node between its separators: always at least one, possibly empty.
#[derive(Debug, Clone)]
struct Children<'a> {
    parent: Node<'a>,
    separator: Option<u8>,
    /// Where the next child starts; `None` once the last one was returned.
    position: Option<usize>,
}

impl<'a> Iterator for Children<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        let from = self.position?;
        let rest = &self.parent.bytes[from..];
        let found = self.separator.and_then(|sep| memchr::memchr(sep, rest));
        let to = found.map_or(self.parent.bytes.len(), |at| from + at);
        self.position = found.map(|_| to + 1);
        Some(self.parent.sub(from, to, self.parent.literal))
    }
}

impl FusedIterator for Children<'_> {}

/// Generates the accessors every element shares.
macro_rules! element_basics {
    ($type:ident) => {
        impl<'a> $type<'a> {
            /// The element's bytes as they are in the input (escape sequences not decoded).
            #[must_use]
            pub fn as_bytes(&self) -> &'a [u8] {
                self.node.bytes
            }

            /// Where the element is in the input.
            #[must_use]
            pub fn span(&self) -> Span {
                self.node.span()
            }

            /// Whether the element is present but holds nothing (`||`).
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.node.bytes.is_empty()
            }

            /// Whether the element is the explicit HL7 null `""` ("delete this value").
            #[must_use]
            pub fn is_null(&self) -> bool {
                self.node.bytes == b"\"\""
            }

            /// The value with its escape sequences decoded (see [`crate::escape`]); borrows
            /// the input when there is nothing to decode.
            #[must_use]
            pub fn decoded(&self) -> Cow<'a, [u8]> {
                escape::decode(self.node.bytes, self.node.delimiters)
            }

            /// The value as text: escapes decoded, then bytes read in the message's character
            /// set (MSH-18; see [`crate::charset`]). Borrows when nothing needs decoding.
            #[must_use]
            pub fn text(&self) -> Cow<'a, str> {
                text_of(self.decoded(), self.node.charset)
            }

            /// The value's pieces (text, escaped delimiters, hex, formatting…) with their
            /// spans, for renderers that show formatting.
            #[must_use]
            pub fn escapes(&self) -> Escapes<'a> {
                escape::escapes(self.node.bytes, self.node.start, self.node.delimiters)
            }

            /// The delimiters of the message the element belongs to.
            #[must_use]
            pub fn delimiters(&self) -> Delimiters {
                self.node.delimiters
            }
        }
    };
}

/// Generates an iterator that wraps each child node in an element type.
macro_rules! element_iterator {
    ($(#[$doc:meta])* $name:ident => $item:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name<'a>(Children<'a>);

        impl<'a> Iterator for $name<'a> {
            type Item = $item<'a>;

            fn next(&mut self) -> Option<$item<'a>> {
                self.0.next().map(|node| $item { node })
            }
        }

        impl FusedIterator for $name<'_> {}
    };
}

/// A segment: its id (`PID`) and its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    node: Node<'a>,
    id_len: usize,
}

element_basics!(Segment);

impl<'a> Segment<'a> {
    /// The segment whose bytes (without terminator) start at `start` in the input.
    pub(crate) fn new(bytes: &'a [u8], start: usize, delimiters: Delimiters) -> Self {
        let id_len = memchr::memchr(delimiters.field(), bytes).unwrap_or(bytes.len());
        Segment {
            node: Node {
                bytes,
                start,
                delimiters,
                charset: Charset::Unspecified,
                literal: false,
            },
            id_len,
        }
    }

    /// The same segment, read in `charset` (what the message's MSH-18 says).
    pub(crate) fn with_charset(mut self, charset: Charset) -> Self {
        self.node.charset = charset;
        self
    }

    /// The segment id (`MSH`, `PID`, `ZPD`…): the bytes before the first field separator (the
    /// whole line if it has none).
    #[must_use]
    pub fn id(&self) -> &'a [u8] {
        &self.node.bytes[..self.id_len]
    }

    /// Whether this is a header segment (MSH, FHS or BHS), whose fields 1 and 2 are the
    /// delimiters.
    #[must_use]
    pub fn is_header(&self) -> bool {
        is_header_id(self.id())
    }

    /// The fields, from field 1.
    #[must_use]
    pub fn fields(&self) -> Fields<'a> {
        let bytes = self.node.bytes;
        if self.is_header() && bytes.len() > 3 {
            let encoding = self.node.sub(4, bytes.len(), false);
            Fields {
                header: Some(self.node.sub(3, 4, true)),
                rest: encoding.children(Some(self.node.delimiters.field())),
                next_is_literal: true,
            }
        } else {
            let mut rest = self.node.children(Some(self.node.delimiters.field()));
            rest.next(); // the segment id
            Fields {
                header: None,
                rest,
                next_is_literal: false,
            }
        }
    }

    /// The bytes `from..to` of the segment as a subcomponent (for the walker, which finds
    /// them).
    #[inline]
    pub(crate) fn subcomponent_at(&self, from: usize, to: usize) -> Subcomponent<'a> {
        Subcomponent {
            node: self.node.sub(from, to, false),
        }
    }

    /// Field `number` (1-based, as in `PID-5`), or `None` if the segment has fewer fields.
    #[must_use]
    pub fn field(&self, number: usize) -> Option<Field<'a>> {
        self.fields().nth(number.checked_sub(1)?)
    }
}

impl<'a> Segment<'a> {
    /// The element `path` names inside this segment; the path's segment id and occurrence are
    /// not checked (see [`crate::Message::get`] for that).
    ///
    /// A path that stops at a field without a repetition (`PID-3`) names the whole field; a
    /// deeper one without a repetition means the first (`PID-3.1` is `PID-3[1].1`).
    #[must_use]
    pub fn get(&self, path: &Path) -> Option<Element<'a>> {
        let Some(number) = path.field() else {
            return Some(Element::Segment(*self));
        };
        let field = self.field(number)?;
        let Some(component) = path.component() else {
            return Some(match path.repetition() {
                None => Element::Field(field),
                Some(repetition) => Element::Repetition(field.repetition(repetition)?),
            });
        };
        let component = field
            .repetition(path.repetition().unwrap_or(1))?
            .component(component)?;
        Some(match path.subcomponent() {
            None => Element::Component(component),
            Some(subcomponent) => Element::Subcomponent(component.subcomponent(subcomponent)?),
        })
    }
}

/// Any element of a segment: what a [`Path`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element<'a> {
    /// A whole segment.
    Segment(Segment<'a>),
    /// A whole field, all repetitions.
    Field(Field<'a>),
    /// One repetition of a field.
    Repetition(Repetition<'a>),
    /// One component.
    Component(Component<'a>),
    /// One subcomponent.
    Subcomponent(Subcomponent<'a>),
}

impl<'a> Element<'a> {
    fn node(&self) -> Node<'a> {
        match self {
            Element::Segment(e) => e.node,
            Element::Field(e) => e.node,
            Element::Repetition(e) => e.node,
            Element::Component(e) => e.node,
            Element::Subcomponent(e) => e.node,
        }
    }

    /// The element's bytes as they are in the input (escape sequences not decoded).
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.node().bytes
    }

    /// Where the element is in the input.
    #[must_use]
    pub fn span(&self) -> Span {
        self.node().span()
    }

    /// Whether the element is present but holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.node().bytes.is_empty()
    }

    /// Whether the element is the explicit HL7 null `""`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.node().bytes == b"\"\""
    }

    /// The value with its escape sequences decoded.
    #[must_use]
    pub fn decoded(&self) -> Cow<'a, [u8]> {
        let node = self.node();
        escape::decode(node.bytes, node.delimiters)
    }

    /// The value as text (escapes decoded, read in the message's character set).
    #[must_use]
    pub fn text(&self) -> Cow<'a, str> {
        text_of(self.decoded(), self.node().charset)
    }
}

/// Decoded bytes as text, borrowing when both steps could.
fn text_of(decoded: Cow<'_, [u8]>, charset: Charset) -> Cow<'_, str> {
    match decoded {
        Cow::Borrowed(bytes) => decode_text(bytes, charset),
        Cow::Owned(bytes) => Cow::Owned(decode_text(&bytes, charset).into_owned()),
    }
}

/// Whether a segment id is that of a header segment (MSH, FHS, BHS).
pub(crate) fn is_header_id(id: &[u8]) -> bool {
    matches!(id, b"MSH" | b"FHS" | b"BHS")
}

/// The fields of a segment, from field 1, created by [`Segment::fields`].
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    /// MSH-1 of a header segment, until it is returned.
    header: Option<Node<'a>>,
    rest: Children<'a>,
    /// Whether the next field from `rest` is MSH-2 (never split).
    next_is_literal: bool,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if let Some(node) = self.header.take() {
            return Some(Field { node });
        }
        let mut node = self.rest.next()?;
        node.literal = core::mem::take(&mut self.next_is_literal);
        Some(Field { node })
    }
}

impl FusedIterator for Fields<'_> {}

/// A field: one or more repetitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    node: Node<'a>,
}

element_basics!(Field);

impl<'a> Field<'a> {
    /// The repetitions, at least one (an empty field has one empty repetition).
    #[must_use]
    pub fn repetitions(&self) -> Repetitions<'a> {
        Repetitions(self.node.children(self.node.delimiters.repetition()))
    }

    /// Repetition `number` (1-based), or `None` if there are fewer.
    #[must_use]
    pub fn repetition(&self, number: usize) -> Option<Repetition<'a>> {
        self.repetitions().nth(number.checked_sub(1)?)
    }

    /// Component `number` of the first repetition: what `PID-5.1` means.
    #[must_use]
    pub fn component(&self, number: usize) -> Option<Component<'a>> {
        self.repetitions().next()?.component(number)
    }
}

element_iterator!(
    /// The repetitions of a field, created by [`Field::repetitions`].
    Repetitions => Repetition
);

/// One repetition of a field: one or more components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repetition<'a> {
    node: Node<'a>,
}

element_basics!(Repetition);

impl<'a> Repetition<'a> {
    /// The components, at least one.
    #[must_use]
    pub fn components(&self) -> Components<'a> {
        Components(self.node.children(self.node.delimiters.component()))
    }

    /// Component `number` (1-based), or `None` if there are fewer.
    #[must_use]
    pub fn component(&self, number: usize) -> Option<Component<'a>> {
        self.components().nth(number.checked_sub(1)?)
    }
}

element_iterator!(
    /// The components of a repetition, created by [`Repetition::components`].
    Components => Component
);

/// One component: one or more subcomponents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component<'a> {
    node: Node<'a>,
}

element_basics!(Component);

impl<'a> Component<'a> {
    /// The subcomponents, at least one.
    #[must_use]
    pub fn subcomponents(&self) -> Subcomponents<'a> {
        Subcomponents(self.node.children(self.node.delimiters.subcomponent()))
    }

    /// Subcomponent `number` (1-based), or `None` if there are fewer.
    #[must_use]
    pub fn subcomponent(&self, number: usize) -> Option<Subcomponent<'a>> {
        self.subcomponents().nth(number.checked_sub(1)?)
    }
}

element_iterator!(
    /// The subcomponents of a component, created by [`Component::subcomponents`].
    Subcomponents => Subcomponent
);

/// One subcomponent: the leaves of the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subcomponent<'a> {
    node: Node<'a>,
}

element_basics!(Subcomponent);

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(bytes: &[u8]) -> Segment<'_> {
        Segment::new(bytes, 0, Delimiters::default())
    }

    fn texts<'a>(items: impl Iterator<Item = &'a [u8]>) -> Vec<&'a str> {
        items
            .map(|b| core::str::from_utf8(b).expect("ASCII test data"))
            .collect()
    }

    #[test]
    fn fields_of_an_ordinary_segment() {
        let pid = segment(b"PID|1||123^^^HOSP^MR~456^^^HOSP^PI||Doe^Jane");
        assert_eq!(pid.id(), b"PID");
        assert_eq!(
            texts(pid.fields().map(|f| f.as_bytes())),
            ["1", "", "123^^^HOSP^MR~456^^^HOSP^PI", "", "Doe^Jane"]
        );
        let pid3 = pid.field(3).unwrap();
        assert_eq!(pid3.span(), Span::new(7, 34));
        let second = pid3.repetition(2).unwrap();
        assert_eq!(second.as_bytes(), b"456^^^HOSP^PI");
        assert_eq!(second.component(5).unwrap().as_bytes(), b"PI");
        assert_eq!(second.component(5).unwrap().span(), Span::new(32, 34));
        assert!(pid3.repetition(3).is_none());
        assert!(pid3.repetition(0).is_none());
        assert!(pid.field(6).is_none());
        assert!(pid.field(0).is_none());
    }

    #[test]
    fn msh_1_and_2_are_the_delimiters() {
        let msh = segment(b"MSH|^~\\&|APP^X&Y|FAC");
        let fields: Vec<_> = msh.fields().collect();
        assert_eq!(
            texts(fields.iter().map(|f| f.as_bytes())),
            ["|", "^~\\&", "APP^X&Y", "FAC"]
        );
        assert_eq!(fields[0].span(), Span::new(3, 4));
        assert_eq!(fields[1].span(), Span::new(4, 8));
        // MSH-2 is never split, though it holds every delimiter.
        assert_eq!(fields[1].repetitions().count(), 1);
        assert_eq!(fields[1].component(1).unwrap().as_bytes(), b"^~\\&");
        assert_eq!(fields[1].component(2), None);
        // MSH-3 is an ordinary field.
        let app = fields[2].component(2).unwrap();
        assert_eq!(texts(app.subcomponents().map(|s| s.as_bytes())), ["X", "Y"]);
    }

    #[test]
    fn msh_with_nothing_after_the_encoding_characters() {
        let msh = segment(b"MSH|^~\\&");
        assert_eq!(texts(msh.fields().map(|f| f.as_bytes())), ["|", "^~\\&"]);
        assert!(msh.field(3).is_none());
        let bare = segment(b"MSH|");
        assert_eq!(texts(bare.fields().map(|f| f.as_bytes())), ["|", ""]);
        assert_eq!(segment(b"MSH").fields().count(), 0);
    }

    #[test]
    fn empty_absent_and_null_are_distinct() {
        let pid = segment(b"PID|1||\"\"|a^^\"\"");
        let empty = pid.field(2).unwrap();
        assert!(empty.is_empty() && !empty.is_null());
        assert_eq!(empty.repetitions().count(), 1);
        assert!(empty.component(1).unwrap().is_empty());
        let null = pid.field(3).unwrap();
        assert!(null.is_null() && !null.is_empty());
        let field4 = pid.field(4).unwrap();
        assert!(field4.component(2).unwrap().is_empty());
        assert!(field4.component(3).unwrap().is_null());
        assert!(field4.component(4).is_none());
        assert!(pid.field(5).is_none());
    }

    #[test]
    fn segment_without_fields() {
        let nte = segment(b"NTE");
        assert_eq!(nte.id(), b"NTE");
        assert_eq!(nte.fields().count(), 0);
        let trailing = segment(b"NTE|");
        assert_eq!(texts(trailing.fields().map(|f| f.as_bytes())), [""]);
    }

    #[test]
    fn custom_delimiters_split_and_defaults_do_not() {
        let mut diagnostics = Vec::new();
        let delimiters = Delimiters::read(b"MSH#*!?@%", 0, &mut diagnostics).unwrap();
        let obx = Segment::new(b"OBX#1#CE#A*B!C@D*E?F?#|^~&", 0, delimiters);
        let value = obx.field(3).unwrap();
        assert_eq!(value.repetitions().count(), 2);
        let first = value.repetition(1).unwrap();
        assert_eq!(texts(first.components().map(|c| c.as_bytes())), ["A", "B"]);
        let second = value.repetition(2).unwrap();
        assert_eq!(
            second
                .component(1)
                .unwrap()
                .subcomponent(2)
                .unwrap()
                .as_bytes(),
            b"D"
        );
        // `?` is the escape character: it does not split.
        assert_eq!(second.component(2).unwrap().as_bytes(), b"E?F?");
        // The standard delimiters are plain text here.
        assert_eq!(obx.field(4).unwrap().as_bytes(), b"|^~&");
    }

    #[test]
    fn a_missing_delimiter_does_not_split() {
        let mut diagnostics = Vec::new();
        let delimiters = Delimiters::read(b"MSH|^~&|", 0, &mut diagnostics).unwrap();
        assert_eq!(delimiters.escape(), None);
        let nte = Segment::new(b"NTE|1||a\\b&c", 0, delimiters);
        let comment = nte.field(3).unwrap().component(1).unwrap();
        assert_eq!(
            texts(comment.subcomponents().map(|s| s.as_bytes())),
            ["a\\b", "c"]
        );
    }
}
