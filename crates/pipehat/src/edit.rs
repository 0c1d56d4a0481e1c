//! Editing: an owned message whose values can be set, cleared and restructured.
//!
//! [`MessageBuf`] owns the bytes of one message. Every edit rewrites only the bytes of the
//! element it touches (creating missing fields, repetitions, components and subcomponents by
//! adding separators at the end of their parent), so everything else — other values, odd
//! spacing, the segment terminators as they were — stays byte for byte. Values are escaped with
//! the message's own delimiters on the way in.
//!
//! ```
//! use pipehat::MessageBuf;
//!
//! let mut message = MessageBuf::parse(b"MSH|^~\\&|A\rPID|1||123^^^H^MR\r".to_vec())?;
//! message.set("PID-5.1", b"O'Brien|Smith")?; // escaped on the way in
//! message.set("PID-3[2].1", b"456")?;         // a new repetition
//! assert_eq!(message.as_bytes(), b"MSH|^~\\&|A\rPID|1||123^^^H^MR~456||O'Brien\\F\\Smith\r");
//! assert_eq!(message.message().get(&"PID-5.1".parse()?).unwrap().decoded().as_ref(), b"O'Brien|Smith");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::delimiters::DelimiterRole;
use crate::elements::Element;
use crate::escape::encode;
use crate::{Delimiters, Error, Message, Path, Span};

/// An owned, editable HL7 v2 message: the bytes of one message (anything after it in the
/// buffer is kept as it is and never edited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBuf {
    bytes: Vec<u8>,
}

/// Why an edit could not be made. The message is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditError {
    /// The path does not parse.
    Path(crate::PathError),
    /// No segment with that id and occurrence; insert it first.
    NoSegment(Path),
    /// MSH-1 and MSH-2 are the delimiters: changing them means re-encoding every value.
    Delimiters,
    /// The message declares no separator for this level, so it cannot have a second part there.
    NoSeparator(DelimiterRole),
    /// A raw value or segment holds a segment terminator (CR or LF).
    LineBreak,
    /// A segment index past the end.
    NoSuchIndex(usize),
    /// The message after the edit would not start with a readable MSH.
    Header(Error),
    /// The edit would start another message or a batch inside this one (a raw `MSH`, `BHS`,
    /// `FHS`, `BTS` or `FTS` segment).
    Boundary,
    /// A value (escaped, or the null `""`) for a path that names a whole segment (`PID`): a
    /// segment is its fields. Set a field, give the fields raw ([`MessageBuf::set_raw`]), or
    /// insert and remove segments.
    WholeSegment(Path),
    /// The path is so far past the last element that the edit would create more than
    /// [`MAX_CREATED`] empty elements to reach it (`PID-4294967295`).
    TooFar {
        /// How many elements it would create.
        created: usize,
    },
}

/// The most empty elements one edit creates to reach its path (fields, repetitions,
/// components and subcomponents together). Real messages stay far below it; a path like
/// `PID-4294967295` would otherwise ask for gigabytes of separators.
pub const MAX_CREATED: usize = 65_535;

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Path(error) => write!(f, "{error}"),
            EditError::NoSegment(path) => write!(
                f,
                "the message has no {} segment for {path}; insert the segment first",
                path.segment()
            ),
            EditError::Delimiters => {
                f.write_str("MSH-1 and MSH-2 are the message's delimiters and cannot be set")
            }
            EditError::NoSeparator(role) => {
                write!(
                    f,
                    "the message declares no {role}, so it cannot have that part"
                )
            }
            EditError::LineBreak => f.write_str("a raw value cannot hold a CR or LF"),
            EditError::NoSuchIndex(index) => write!(f, "there is no segment {index}"),
            EditError::Header(error) => write!(f, "the edit would break the header: {error}"),
            EditError::Boundary => {
                f.write_str("the edit would start another message or batch inside this one")
            }
            EditError::WholeSegment(path) => write!(
                f,
                "{path} is a whole segment: set one of its fields ({path}-1, …), give its fields raw, or insert and remove segments"
            ),
            EditError::TooFar { created } => write!(
                f,
                "the path is {created} elements past the end of its parent; an edit creates at most {MAX_CREATED}"
            ),
        }
    }
}

impl std::error::Error for EditError {}

impl From<crate::PathError> for EditError {
    fn from(error: crate::PathError) -> Self {
        EditError::Path(error)
    }
}

/// A path given as text or already parsed.
pub trait IntoPath {
    /// The parsed path.
    ///
    /// # Errors
    /// If the text is not a path.
    fn into_path(self) -> Result<Path, EditError>;
}

impl IntoPath for &str {
    fn into_path(self) -> Result<Path, EditError> {
        Ok(self.parse()?)
    }
}

impl IntoPath for &Path {
    fn into_path(self) -> Result<Path, EditError> {
        Ok(*self)
    }
}

impl IntoPath for Path {
    fn into_path(self) -> Result<Path, EditError> {
        Ok(self)
    }
}

impl MessageBuf {
    /// Takes ownership of the bytes of one message.
    ///
    /// # Errors
    /// As [`Message::parse`]: when there is no readable MSH header.
    pub fn parse(bytes: Vec<u8>) -> Result<Self, Error> {
        Message::parse(&bytes)?;
        Ok(Self { bytes })
    }

    /// The message as it now is.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, giving up the buffer.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// A parsed view of the message as it now is.
    ///
    /// # Panics
    /// Never: every edit keeps the header readable.
    #[must_use]
    pub fn message(&self) -> Message<'_> {
        Message::parse(&self.bytes).expect("edits keep the header readable")
    }

    /// Sets the value at `path`, escaping it with the message's delimiters. Missing fields,
    /// repetitions, components and subcomponents are created; a path that stops at a field
    /// (`PID-3`) replaces all its repetitions.
    ///
    /// # Errors
    /// See [`EditError`]; the message is unchanged on error.
    pub fn set(&mut self, path: impl IntoPath, value: &[u8]) -> Result<(), EditError> {
        let path = path.into_path()?;
        if path.field().is_none() {
            return Err(EditError::WholeSegment(path));
        }
        let delimiters = self.message().delimiters();
        let escaped = encode(value, delimiters).into_owned();
        self.set_raw(path, &escaped)
    }

    /// Sets the bytes at `path` as they are, without escaping: delimiters in them make
    /// structure (`b"A^B"` is two components). Used for copying raw values between messages.
    /// A path that names a whole segment (`PID`) replaces its fields — everything after the
    /// segment id and field separator — and keeps the id: `set_raw("PID", b"1||7")` makes
    /// `PID|1||7`.
    ///
    /// # Errors
    /// See [`EditError`]; a raw value may not hold CR or LF.
    pub fn set_raw(&mut self, path: impl IntoPath, raw: &[u8]) -> Result<(), EditError> {
        if raw.iter().any(|b| matches!(b, b'\r' | b'\n')) {
            return Err(EditError::LineBreak);
        }
        let path = path.into_path()?;
        let (span, bytes) = self.plan(&path, raw)?;
        self.splice(span, &bytes)
    }

    /// Empties the value at `path` (it stays present: `||`). Absent values stay absent.
    ///
    /// # Errors
    /// See [`EditError`].
    pub fn clear(&mut self, path: impl IntoPath) -> Result<(), EditError> {
        let path = path.into_path()?;
        if self.message().get(&path).is_none() {
            return Ok(());
        }
        self.set_raw(path, b"")
    }

    /// Sets the explicit HL7 null `""` ("delete this value" to a receiver) at `path`.
    ///
    /// # Errors
    /// See [`EditError`].
    pub fn set_null(&mut self, path: impl IntoPath) -> Result<(), EditError> {
        let path = path.into_path()?;
        if path.field().is_none() {
            return Err(EditError::WholeSegment(path));
        }
        self.set_raw(path, b"\"\"")
    }

    /// Inserts a segment (raw bytes, e.g. `b"NTE|1||text"`) before segment `index` (0 is MSH;
    /// `len` appends), with the terminator the message uses.
    ///
    /// # Errors
    /// [`EditError::LineBreak`] if `segment` holds CR or LF; [`EditError::NoSuchIndex`] past
    /// the end; [`EditError::Delimiters`] before MSH.
    pub fn insert_segment(&mut self, index: usize, segment: &[u8]) -> Result<(), EditError> {
        if segment.iter().any(|b| matches!(b, b'\r' | b'\n')) {
            return Err(EditError::LineBreak);
        }
        let message = self.message();
        let spans: Vec<Span> = message.segments().map(|s| s.span()).collect();
        let terminator = self.terminator();
        let mut bytes = Vec::with_capacity(segment.len() + terminator.len());
        let at = match index {
            0 => return Err(EditError::Delimiters),
            i if i < spans.len() => {
                bytes.extend_from_slice(segment);
                bytes.extend_from_slice(terminator);
                spans[i].start
            }
            i if i == spans.len() => {
                let end = spans[i - 1].end;
                let has_terminator = matches!(self.bytes.get(end), Some(b'\r' | b'\n'));
                if has_terminator {
                    let after = end + self.terminator_len_at(end);
                    bytes.extend_from_slice(segment);
                    bytes.extend_from_slice(terminator);
                    after
                } else {
                    bytes.extend_from_slice(terminator);
                    bytes.extend_from_slice(segment);
                    end
                }
            }
            i => return Err(EditError::NoSuchIndex(i)),
        };
        self.splice(Span::new(at, at), &bytes)
    }

    /// Removes segment `index` (not MSH, index 0) and its terminator.
    ///
    /// # Errors
    /// [`EditError::NoSuchIndex`] past the end; [`EditError::Delimiters`] for MSH.
    pub fn remove_segment(&mut self, index: usize) -> Result<(), EditError> {
        if index == 0 {
            return Err(EditError::Delimiters);
        }
        let span = self
            .message()
            .segments()
            .nth(index)
            .map(|s| s.span())
            .ok_or(EditError::NoSuchIndex(index))?;
        let end = span.end + self.terminator_len_at(span.end);
        self.splice(Span::new(span.start, end), b"")
    }

    /// The message rewritten plainly: CR after every segment, and no trailing empty fields,
    /// repetitions, components or subcomponents (`PID|1||x^^||` → `PID|1||x`). Values are kept
    /// as they are, escapes included.
    #[must_use]
    pub fn normalized(&self) -> Vec<u8> {
        let message = self.message();
        let delimiters = message.delimiters();
        let mut out = Vec::with_capacity(self.bytes.len());
        for segment in message.segments() {
            out.extend_from_slice(segment.id());
            let fields: Vec<&[u8]> = segment.fields().map(|f| f.as_bytes()).collect();
            let rest = if segment.is_header() && fields.len() >= 2 {
                out.extend_from_slice(fields[0]);
                out.extend_from_slice(fields[1]);
                &fields[2..]
            } else {
                &fields[..]
            };
            let trimmed: Vec<Vec<u8>> = rest.iter().map(|f| trim_field(f, delimiters)).collect();
            let keep = trimmed
                .iter()
                .rposition(|f| !f.is_empty())
                .map_or(0, |i| i + 1);
            for field in &trimmed[..keep] {
                out.push(delimiters.field());
                out.extend_from_slice(field);
            }
            out.push(b'\r');
        }
        out
    }

    /// The segment terminator the message uses after MSH (CR if it has none).
    fn terminator(&self) -> &'static [u8] {
        let msh_end = self.message().segments().next().map_or(0, |s| s.span().end);
        match (self.bytes.get(msh_end), self.bytes.get(msh_end + 1)) {
            (Some(b'\r'), Some(b'\n')) => b"\r\n",
            (Some(b'\n'), _) => b"\n",
            _ => b"\r",
        }
    }

    fn terminator_len_at(&self, at: usize) -> usize {
        match (self.bytes.get(at), self.bytes.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\r' | b'\n'), _) => 1,
            _ => 0,
        }
    }

    /// Replaces `span` with `bytes`, keeping the edit only if the header still reads.
    fn splice(&mut self, span: Span, bytes: &[u8]) -> Result<(), EditError> {
        let mut edited = Vec::with_capacity(self.bytes.len() + bytes.len());
        edited.extend_from_slice(&self.bytes[..span.start]);
        edited.extend_from_slice(bytes);
        edited.extend_from_slice(&self.bytes[span.end..]);
        let before = self.message();
        let boundaries = |m: &Message<'_>| {
            let trailing =
                |d: &&crate::Diagnostic| d.kind() == crate::DiagnosticKind::TrailingContent;
            m.diagnostics().iter().filter(trailing).count()
        };
        let result = match Message::parse(&edited) {
            Ok(after) if after.delimiters() != before.delimiters() => Err(EditError::Delimiters),
            Ok(after) if boundaries(&after) > boundaries(&before) => Err(EditError::Boundary),
            Ok(_) => Ok(()),
            Err(error) => Err(EditError::Header(error)),
        };
        if result.is_ok() {
            self.bytes = edited;
        }
        result
    }

    /// Where the bytes for `path` go, and what they are: the element's span when it exists,
    /// else the end of its deepest existing ancestor, with the separators that create it.
    fn plan(&self, path: &Path, raw: &[u8]) -> Result<(Span, Vec<u8>), EditError> {
        let message = self.message();
        let delimiters = message.delimiters();
        let segment = message
            .segments()
            .filter(|s| s.id() == path.segment_id())
            .nth(path.occurrence() - 1)
            .ok_or(EditError::NoSegment(*path))?;
        let Some(field_number) = path.field() else {
            // The fields, after the id and its separator; the id stays.
            let span = segment.span();
            let id_end = span.start + segment.id().len();
            if id_end < span.end {
                return Ok((Span::new(id_end + 1, span.end), raw.to_vec()));
            }
            let mut bytes = Vec::new();
            if !raw.is_empty() {
                bytes.push(delimiters.field());
                bytes.extend_from_slice(raw);
            }
            return Ok((Span::new(span.end, span.end), bytes));
        };
        if segment.is_header() && field_number <= 2 {
            return Err(EditError::Delimiters);
        }
        if let Some(element) = message.get(path) {
            return Ok((element.span(), raw.to_vec()));
        }
        // The levels below the segment that the path names, with their separators.
        let levels = [
            (Some(field_number), DelimiterRole::Field),
            (path.repetition(), DelimiterRole::Repetition),
            (path.component(), DelimiterRole::Component),
            (path.subcomponent(), DelimiterRole::Subcomponent),
        ];
        let depth = levels.iter().take_while(|(n, _)| n.is_some()).count();
        // Walk down to the deepest element that exists; count its children at the next level.
        let mut parent = Element::Segment(segment);
        for (level, &(number, _)) in levels[..depth].iter().enumerate() {
            let number = number.unwrap_or(1);
            let children = children_of(parent, level);
            match children.get(number - 1) {
                Some(&child) if level + 1 < depth => parent = child,
                Some(_) => unreachable!("`get` found no element, so the last level is missing"),
                None => {
                    let missing = number - children.len();
                    let created = levels[level + 1..depth]
                        .iter()
                        .fold(missing, |sum, &(n, _)| {
                            sum.saturating_add(n.unwrap_or(1) - 1)
                        });
                    if created > MAX_CREATED {
                        return Err(EditError::TooFar { created });
                    }
                    let mut bytes = Vec::new();
                    push_separators(&mut bytes, delimiters, levels[level].1, missing)?;
                    for &(deeper, role) in &levels[level + 1..depth] {
                        push_separators(&mut bytes, delimiters, role, deeper.unwrap_or(1) - 1)?;
                    }
                    bytes.extend_from_slice(raw);
                    let end = parent.span().end;
                    return Ok((Span::new(end, end), bytes));
                }
            }
        }
        unreachable!("the walk returns at the first missing level")
    }
}

/// The children of an element at the level below it (`level` 0: the fields of a segment).
fn children_of(parent: Element<'_>, level: usize) -> Vec<Element<'_>> {
    match (parent, level) {
        (Element::Segment(s), 0) => s.fields().map(Element::Field).collect(),
        (Element::Field(f), 1) => f.repetitions().map(Element::Repetition).collect(),
        (Element::Repetition(r), 2) => r.components().map(Element::Component).collect(),
        (Element::Component(c), 3) => c.subcomponents().map(Element::Subcomponent).collect(),
        _ => Vec::new(),
    }
}

/// `count` separators for `role`, or an error if the message has none for it.
fn push_separators(
    out: &mut Vec<u8>,
    delimiters: Delimiters,
    role: DelimiterRole,
    count: usize,
) -> Result<(), EditError> {
    if count == 0 {
        return Ok(());
    }
    let separator = delimiters.get(role).ok_or(EditError::NoSeparator(role))?;
    out.extend(core::iter::repeat_n(separator, count));
    Ok(())
}

/// A field without trailing empty repetitions, components or subcomponents.
fn trim_field(field: &[u8], delimiters: Delimiters) -> Vec<u8> {
    let split = |bytes: &[u8], separator: Option<u8>| -> Vec<Vec<u8>> {
        match separator {
            Some(sep) => bytes.split(|&b| b == sep).map(<[u8]>::to_vec).collect(),
            None => vec![bytes.to_vec()],
        }
    };
    let join = |parts: Vec<Vec<u8>>, separator: Option<u8>| -> Vec<u8> {
        let keep = parts
            .iter()
            .rposition(|p| !p.is_empty())
            .map_or(0, |i| i + 1);
        let mut out = Vec::new();
        for (i, part) in parts[..keep].iter().enumerate() {
            if i > 0 {
                out.extend(separator);
            }
            out.extend_from_slice(part);
        }
        out
    };
    let repetitions = split(field, delimiters.repetition())
        .into_iter()
        .map(|repetition| {
            let components = split(&repetition, delimiters.component())
                .into_iter()
                .map(|component| {
                    join(
                        split(&component, delimiters.subcomponent()),
                        delimiters.subcomponent(),
                    )
                })
                .collect();
            join(components, delimiters.component())
        })
        .collect();
    join(repetitions, delimiters.repetition())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(text: &str) -> MessageBuf {
        MessageBuf::parse(text.as_bytes().to_vec()).expect("a message")
    }

    fn text(message: &MessageBuf) -> &str {
        core::str::from_utf8(message.as_bytes()).expect("UTF-8")
    }

    #[test]
    fn a_whole_segment_keeps_its_id() {
        let mut m = buf("MSH|^~\\&|A\rPID|9||OLD\rNTE\r");
        assert!(matches!(
            m.set("PID", b"X"),
            Err(EditError::WholeSegment(_))
        ));
        assert!(matches!(m.set_null("PID"), Err(EditError::WholeSegment(_))));
        // Escaped, `|` could never make fields; refused, and nothing changed.
        assert!(m.set("PID", b"PID|9||NEW").is_err());
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|9||OLD\rNTE\r");
        m.set_raw("PID", b"1||NEW").unwrap();
        m.set_raw("NTE", b"1||note").unwrap();
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|1||NEW\rNTE|1||note\r");
        m.clear("PID").unwrap();
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|\rNTE|1||note\r");
        // MSH's fields start with MSH-2: changing the delimiters is refused.
        assert_eq!(m.set_raw("MSH", b"#~\\&|B"), Err(EditError::Delimiters));
        m.set_raw("MSH", b"^~\\&|B").unwrap();
        assert!(text(&m).starts_with("MSH|^~\\&|B\r"));
    }

    #[test]
    fn a_path_far_past_the_end_is_refused_not_allocated() {
        let mut m = buf("MSH|^~\\&|A\rPID|1\r");
        for path in [
            "PID-4294967295",
            "PID-3[4294967295]",
            "PID-3.4294967295",
            "PID-3.1.4294967295",
            "PID-70000",
        ] {
            assert!(
                matches!(m.set(path, b"X"), Err(EditError::TooFar { .. })),
                "{path}"
            );
        }
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|1\r");
        m.set("PID-3.65535", b"X").unwrap_err();
        m.set("PID-3.65000", b"X").unwrap();
    }

    #[test]
    fn set_replaces_only_the_element() {
        let mut m = buf("MSH|^~\\&|A\rPID|1||123^^^H^MR||DOE^JOHN  |x\r");
        m.set("PID-5.1", b"ROE").unwrap();
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|1||123^^^H^MR||ROE^JOHN  |x\r");
        m.set("PID-3", b"9").unwrap(); // the whole field
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|1||9||ROE^JOHN  |x\r");
    }

    #[test]
    fn set_creates_what_is_missing() {
        let cases = [
            ("PID-8", "PID|1|||||||v"),
            ("PID-1[3]", "PID|1~~v"),
            ("PID-1.4", "PID|1^^^v"),
            ("PID-1.1.3", "PID|1&&v"),
            ("PID-4[2].3.2", "PID|1|||~^^&v"),
            ("NTE-3", "PID|1\rNTE|||v"),
        ];
        for (path, expected) in cases {
            let mut m = buf(if path.starts_with("NTE") {
                "MSH|^~\\&\rPID|1\rNTE"
            } else {
                "MSH|^~\\&\rPID|1"
            });
            m.set(path, b"v").unwrap();
            let written = text(&m).split_once('\r').unwrap().1;
            assert_eq!(written, expected, "{path}");
            let value = m
                .message()
                .get(&path.parse().unwrap())
                .unwrap()
                .decoded()
                .into_owned();
            assert_eq!(value, b"v", "{path}");
        }
    }

    #[test]
    fn values_are_escaped_and_read_back() {
        let mut m = buf("MSH|^~\\&\rOBX|1|TX|||");
        let value = b"a|b^c~d\\e&f\r\ng";
        m.set("OBX-5", value).unwrap();
        assert_eq!(
            text(&m),
            "MSH|^~\\&\rOBX|1|TX|||a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\X0D\\\\X0A\\g"
        );
        assert_eq!(
            m.message()
                .get(&"OBX-5".parse().unwrap())
                .unwrap()
                .decoded()
                .as_ref(),
            value
        );
    }

    #[test]
    fn raw_values_make_structure() {
        let mut m = buf("MSH|^~\\&\rPID|1");
        m.set_raw("PID-5", b"DOE^JANE").unwrap();
        assert_eq!(
            m.message()
                .get(&"PID-5.2".parse().unwrap())
                .unwrap()
                .as_bytes(),
            b"JANE"
        );
        assert_eq!(m.set_raw("PID-5", b"a\rb"), Err(EditError::LineBreak));
    }

    #[test]
    fn clear_and_null() {
        let mut m = buf("MSH|^~\\&\rPID|1|x|y");
        m.clear("PID-2").unwrap();
        m.set_null("PID-3").unwrap();
        m.clear("PID-9").unwrap(); // absent stays absent
        assert_eq!(text(&m), "MSH|^~\\&\rPID|1||\"\"");
    }

    #[test]
    fn refused_edits_change_nothing() {
        let mut m = buf("MSH|^~\\&|A\rPID|1");
        let before = m.clone();
        assert_eq!(m.set("MSH-2", b"x"), Err(EditError::Delimiters));
        assert_eq!(m.set("MSH-1", b"x"), Err(EditError::Delimiters));
        assert!(matches!(m.set("OBX-5", b"x"), Err(EditError::NoSegment(_))));
        assert!(matches!(m.set("PID-0", b"x"), Err(EditError::Path(_))));
        assert_eq!(m, before);
    }

    #[test]
    fn edits_cannot_start_another_message() {
        let mut m = buf("MSH|^~\\&|A\rPID|1\r");
        assert_eq!(
            m.insert_segment(2, b"MSH|^~\\&|B"),
            Err(EditError::Boundary)
        );
        assert_eq!(m.insert_segment(1, b"BTS|1"), Err(EditError::Boundary));
        // A whole segment set raw keeps its id, so it cannot become a header.
        assert_eq!(m.set_raw("PID", b"1\rFHS|^~\\&"), Err(EditError::LineBreak));
        assert_eq!(text(&m), "MSH|^~\\&|A\rPID|1\r");
    }

    #[test]
    fn missing_separator_is_an_error() {
        // `^ \\&`: a space means no repetition separator.
        let mut m = buf("MSH|^ \\&|A\rPID|1");
        assert_eq!(
            m.set("PID-1[2]", b"x"),
            Err(EditError::NoSeparator(DelimiterRole::Repetition))
        );
    }

    #[test]
    fn segments_in_and_out_keep_the_terminator() {
        let mut m = buf("MSH|^~\\&\r\nPID|1\r\nPV1|1\r\n");
        m.insert_segment(2, b"PD1|x").unwrap();
        m.insert_segment(4, b"NTE|1").unwrap();
        assert_eq!(
            text(&m),
            "MSH|^~\\&\r\nPID|1\r\nPD1|x\r\nPV1|1\r\nNTE|1\r\n"
        );
        m.remove_segment(1).unwrap();
        assert_eq!(text(&m), "MSH|^~\\&\r\nPD1|x\r\nPV1|1\r\nNTE|1\r\n");
        assert_eq!(m.insert_segment(0, b"X"), Err(EditError::Delimiters));
        assert_eq!(m.insert_segment(9, b"X"), Err(EditError::NoSuchIndex(9)));
        let mut bare = buf("MSH|^~\\&\rPID|1");
        bare.insert_segment(2, b"PV1|1").unwrap();
        assert_eq!(text(&bare), "MSH|^~\\&\rPID|1\rPV1|1");
    }

    #[test]
    fn normalized_trims_trailing_empties_and_uses_cr() {
        let m = buf("MSH|^~\\&|A|||\nPID|1||x^^~~|a&&^||\nNTE\n");
        assert_eq!(m.normalized(), b"MSH|^~\\&|A\rPID|1||x|a\rNTE\r");
    }
}
