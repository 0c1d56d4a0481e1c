//! One HL7 v2 message, parsed.

use crate::charset::Charset;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::elements::{Element, Segment};
use crate::error::{Error, ErrorKind};
use crate::segments::{lines, starts_header};
use crate::{Delimiters, Limits, Path, Span};

/// A parsed HL7 v2 message. It borrows the input: nothing is copied.
///
/// Parsing finds the delimiters (MSH-1, MSH-2) and the segments; fields, repetitions,
/// components and subcomponents are found when asked for (see [`Segment`]).
///
/// ```
/// use pipehat::Message;
///
/// let message = Message::parse(b"MSH|^~\\&|LAB||||||ORU^R01|42|P|2.5.1\rPID|1||7^^^H^MR~8^^^H^PI\r")?;
/// let pid = message.segment(b"PID").expect("a PID segment");
/// let second_id = pid.field(3).and_then(|f| f.repetition(2)).expect("PID-3[2]");
/// assert_eq!(second_id.component(5).map(|c| c.as_bytes()), Some(&b"PI"[..]));
/// assert_eq!(message.segment(b"MSH").and_then(|s| s.field(10)).map(|f| f.as_bytes()), Some(&b"42"[..]));
/// assert!(message.diagnostics().is_empty());
/// # Ok::<(), pipehat::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Message<'a> {
    input: &'a [u8],
    span: Span,
    delimiters: Delimiters,
    /// What MSH-18 declares.
    charset: Charset,
    /// What the bytes are really in: `charset` for bytes, UTF-8 for text (`parse_text`).
    encoding: Charset,
    /// Start and end of each segment (without terminator), as `u32` to keep the index small.
    segments: Vec<(u32, u32)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Message<'a> {
    /// Parses the message at the start of `input` (after a byte order mark and blank lines).
    ///
    /// The message ends where the input does, or before the next header or batch segment (MSH,
    /// FHS, BHS, BTS, FTS); anything after it is left out and reported as a diagnostic.
    ///
    /// # Errors
    /// Only when there is no readable header: the input is blank, does not start with `MSH`, or
    /// its field separator cannot be one; or the input is 4 GiB or more.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(input, Limits::default())
    }

    /// [`Message::parse`] with [`Limits`] for untrusted input.
    ///
    /// # Errors
    /// As [`Message::parse`], and when the input or its segment count exceeds a limit.
    pub fn parse_with(input: &'a [u8], limits: Limits) -> Result<Self, Error> {
        Self::parse_input(input, limits, Input::Bytes)
    }

    /// Parses the message at the start of `text`, which is already text: values read as the
    /// UTF-8 they are, whatever MSH-18 says (MSH-18 names how the message was, or will be,
    /// sent as bytes; [`Message::charset`] still reports it). This is how strings from
    /// JavaScript, editors and other decoded sources must be parsed — reading them by MSH-18
    /// again would turn `Müller` into `MÃ¼ller` in an `8859/1` message.
    ///
    /// ```
    /// use pipehat::{Charset, Message, Path};
    ///
    /// let text = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||7||Müller\r";
    /// let message = Message::parse_text(text)?;
    /// assert_eq!(message.charset(), Charset::Latin1);
    /// assert_eq!(message.encoding(), Charset::Utf8);
    /// let name = message.get(&"PID-5".parse::<Path>().unwrap()).unwrap();
    /// assert_eq!(name.text(), "Müller");
    /// # Ok::<(), pipehat::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Message::parse`].
    pub fn parse_text(text: &'a str) -> Result<Self, Error> {
        Self::parse_text_with(text, Limits::default())
    }

    /// [`Message::parse_text`] with [`Limits`] for untrusted input.
    ///
    /// # Errors
    /// As [`Message::parse_with`].
    pub fn parse_text_with(text: &'a str, limits: Limits) -> Result<Self, Error> {
        Self::parse_input(text.as_bytes(), limits, Input::Text)
    }

    fn parse_input(input: &'a [u8], limits: Limits, kind: Input) -> Result<Self, Error> {
        if input.len() > limits.max_input_len {
            return Err(Error::new(
                ErrorKind::TooLarge { len: input.len() },
                Span::new(0, 0),
            ));
        }
        let mut lines = lines(input);
        let Some(header) = lines.next() else {
            return Err(Error::new(ErrorKind::Empty, Span::new(0, input.len())));
        };
        let header_bytes = &input[header.range()];
        if kind == Input::Bytes && crate::file::looks_utf16(input) {
            return Err(Error::new(ErrorKind::Utf16, Span::new(0, 2)));
        }
        if !header_bytes.starts_with(b"MSH") {
            let error_span = Span::new(header.start, header.start + header_bytes.len().min(3));
            return Err(Error::new(ErrorKind::NoHeader, error_span));
        }
        let mut diagnostics = Vec::new();
        let delimiters = Delimiters::read(header_bytes, header.start, &mut diagnostics)?;

        let mut segments = vec![offsets(header)];
        for line in lines {
            if starts_boundary(&input[line.range()]) {
                diagnostics.push(Diagnostic::new(
                    DiagnosticKind::TrailingContent,
                    Span::new(line.start, input.len()),
                ));
                break;
            }
            if segments.len() == limits.max_segments {
                let limit = limits.max_segments;
                return Err(Error::new(ErrorKind::TooManySegments { limit }, line));
            }
            segments.push(offsets(line));
        }
        Ok(Self::from_parts(
            input,
            delimiters,
            segments,
            diagnostics,
            kind,
        ))
    }

    /// A message from its segments' spans (the first is its MSH), as a file parse finds them.
    pub(crate) fn from_parts(
        input: &'a [u8],
        delimiters: Delimiters,
        segments: Vec<(u32, u32)>,
        mut diagnostics: Vec<Diagnostic>,
        kind: Input,
    ) -> Self {
        let start = segments.first().map_or(0, |&(start, _)| start as usize);
        let end = segments.last().map_or(start, |&(_, end)| end as usize);
        let header = Segment::new(
            &input[start..segments.first().map_or(start, |s| s.1 as usize)],
            start,
            delimiters,
        );
        let msh18 = header.field(18).and_then(|f| f.component(1));
        let charset = Charset::from_msh18(msh18.map_or(&b""[..], |c| c.as_bytes()));
        let encoding = match kind {
            Input::Bytes => charset,
            Input::Text => Charset::Utf8,
        };
        check_charset(
            &input[start..end],
            start,
            charset,
            kind,
            msh18.map(|c| c.span()),
            &mut diagnostics,
        );
        Message {
            input,
            span: Span::new(start, end),
            delimiters,
            charset,
            encoding,
            segments,
            diagnostics,
        }
    }

    /// The whole input the message was parsed from.
    #[must_use]
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The message's bytes: from the start of MSH to the end of its last segment.
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        &self.input[self.span.range()]
    }

    /// Where the message is in the input.
    #[must_use]
    pub fn span(&self) -> Span {
        self.span
    }

    /// The delimiters declared by MSH-1 and MSH-2.
    #[must_use]
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// The character set MSH-18 names: what the message's bytes are in when it travels as
    /// bytes (files, MLLP), and what a reply to it is written in.
    #[must_use]
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// The character set the input really is in, which `text()` reads values in: MSH-18's
    /// ([`Message::charset`]) for bytes ([`Message::parse`]), UTF-8 for text
    /// ([`Message::parse_text`]). Values written into the message must be encoded in it.
    #[must_use]
    pub fn encoding(&self) -> Charset {
        self.encoding
    }

    /// What the parser noticed: odd delimiters, content after the message…
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The segments, in order, starting with MSH.
    pub fn segments(
        &self,
    ) -> impl ExactSizeIterator<Item = Segment<'a>> + DoubleEndedIterator + Clone + '_ {
        self.segments.iter().map(|&(start, end)| {
            let (start, end) = (start as usize, end as usize);
            Segment::new(&self.input[start..end], start, self.delimiters)
                .with_charset(self.encoding)
        })
    }

    /// Segment `index` (from 0: MSH is 0), without walking the ones before it; `None` past the
    /// last.
    #[must_use]
    pub fn segment_at(&self, index: usize) -> Option<Segment<'a>> {
        let &(start, end) = self.segments.get(index)?;
        let (start, end) = (start as usize, end as usize);
        Some(
            Segment::new(&self.input[start..end], start, self.delimiters)
                .with_charset(self.encoding),
        )
    }

    /// The first segment with this id (`b"PID"`).
    #[must_use]
    pub fn segment(&self, id: &[u8]) -> Option<Segment<'a>> {
        self.segments().find(|segment| segment.id() == id)
    }

    /// The element a path names, or `None` if the message does not have it.
    ///
    /// ```
    /// use pipehat::{Message, Path};
    ///
    /// let message = Message::parse(b"MSH|^~\\&|A\rPID|1||7^^^H^MR~8^^^H^PI&X\rOBX|1\rOBX|2|ST|||yes\r")?;
    /// let get = |path: &str| message.get(&path.parse::<Path>().unwrap()).map(|e| e.as_bytes());
    /// assert_eq!(get("PID-3[2].5.2"), Some(&b"X"[..]));
    /// assert_eq!(get("PID-3.1"), Some(&b"7"[..])); // the first repetition
    /// assert_eq!(get("PID-3"), Some(&b"7^^^H^MR~8^^^H^PI&X"[..])); // the whole field
    /// assert_eq!(get("OBX[2]-5"), Some(&b"yes"[..]));
    /// assert_eq!(get("OBX[3]-5"), None);
    /// # Ok::<(), pipehat::Error>(())
    /// ```
    #[must_use]
    pub fn get(&self, path: &Path) -> Option<Element<'a>> {
        self.segments()
            .filter(|segment| segment.id() == path.segment_id())
            .nth(path.occurrence() - 1)?
            .get(path)
    }

    /// The most specific element under a caret at byte `offset` of the input, and its path.
    ///
    /// A caret right after a value still names it; a level is named only where the element
    /// has parts there, so a caret in `DOE` of `PID|1||x||DOE^JOHN` gives `PID-5.1`, and one in
    /// `1` gives `PID-1`. `None` outside the message, or in a segment whose id a path cannot
    /// name (not three letters or digits).
    ///
    /// ```
    /// use pipehat::Message;
    ///
    /// let input = b"MSH|^~\\&|A\rPID|1||7^^^H^MR~8^^^H^PI||DOE^JOHN\r";
    /// let message = Message::parse(input)?;
    /// let at = |needle: &[u8]| {
    ///     let offset = input.windows(needle.len()).position(|w| w == needle).unwrap();
    ///     message.path_at(offset).map(|(path, _)| path.to_string())
    /// };
    /// assert_eq!(at(b"JOHN").as_deref(), Some("PID-5.2"));
    /// assert_eq!(at(b"PI|").as_deref(), Some("PID-3[2].5"));
    /// assert_eq!(at(b"1|").as_deref(), Some("PID-1"));
    /// # Ok::<(), pipehat::Error>(())
    /// ```
    #[must_use]
    pub fn path_at(&self, offset: usize) -> Option<(Path, Element<'a>)> {
        let holds = |span: crate::Span| span.start <= offset && offset <= span.end;
        // The walk's values come in order and touch only at MSH-1 and MSH-2, whose shared
        // offset is MSH-2's first byte: the last value holding the caret is the one.
        let mut found = None;
        for value in self.walk() {
            if value.span().start > offset {
                break;
            }
            if holds(value.span()) {
                found = Some(value);
            }
        }
        if let Some(value) = found {
            let path = value.path()?;
            return Some((path, self.get(&path)?));
        }
        // In no value: in a segment's id, or a segment without fields.
        let (index, segment) = self
            .segments()
            .enumerate()
            .find(|(_, segment)| holds(segment.span()))?;
        let occurrence = self
            .segments()
            .take(index + 1)
            .filter(|s| s.id() == segment.id())
            .count();
        Some((
            Path::of(segment.id(), occurrence, [None; 4])?,
            Element::Segment(segment),
        ))
    }
}

/// At most this many encoding diagnostics per message: a file in the wrong character set has an
/// invalid byte on every line, and one screenful says it.
const MAX_ENCODING_DIAGNOSTICS: usize = 20;

/// Reports bytes that do not fit the message's character set: invalid UTF-8 where UTF-8 is
/// expected, bytes above 127 in an ASCII message, and a set pipehat does not decode.
fn check_charset(
    bytes: &[u8],
    start: usize,
    charset: Charset,
    kind: Input,
    msh18: Option<Span>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if charset == Charset::Other {
        let span = msh18.unwrap_or(Span::new(start, start));
        diagnostics.push(Diagnostic::new(DiagnosticKind::UnsupportedCharset, span));
    }
    if charset == Charset::Ascii && !bytes.is_ascii() {
        let mut at = 0;
        let mut reported = 0;
        while let Some(offset) = bytes[at..].iter().position(|b| !b.is_ascii()) {
            let from = at + offset;
            let len = bytes[from..].iter().take_while(|b| !b.is_ascii()).count();
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::NonAscii,
                Span::new(start + from, start + from + len),
            ));
            at = from + len;
            reported += 1;
            if reported == MAX_ENCODING_DIAGNOSTICS {
                break;
            }
        }
    }
    if kind == Input::Text {
        // Text is valid UTF-8 by construction, and is read as such whatever MSH-18 says.
        return;
    }
    if charset == Charset::Latin1 && !bytes.is_ascii() {
        // Valid UTF-8 with multi-byte characters is almost never real ISO 8859-1 text (it would
        // need pairs like `Ã¼` throughout): the sender encoded UTF-8 and mislabelled it.
        if let Some(at) = crate::charset::utf8_in_latin1(bytes) {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::Utf8DeclaredLatin1,
                Span::new(start + at.start, start + at.end),
            ));
        }
    }
    // `from_utf8` has a fast path for the common all-valid case; only then look for where.
    if charset.expects_utf8() && std::str::from_utf8(bytes).is_err() {
        for range in crate::charset::invalid_utf8(bytes).take(MAX_ENCODING_DIAGNOSTICS) {
            diagnostics.push(Diagnostic::new(
                DiagnosticKind::InvalidUtf8,
                Span::new(start + range.start, start + range.end),
            ));
        }
    }
}

/// What the parser was given: bytes (read by MSH-18) or text (already decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// Bytes, as files and networks carry them: MSH-18 says how to read them.
    Bytes,
    /// Text (a `&str`): UTF-8 whatever MSH-18 says.
    Text,
}

/// A line that starts another message or closes a batch.
fn starts_boundary(line: &[u8]) -> bool {
    starts_header(line)
        || (line.len() > 3
            && matches!(&line[..3], b"BTS" | b"FTS")
            && line[3].is_ascii_punctuation())
}

/// A line's span as the index stores it; parsers check first that offsets fit in `u32`.
pub(crate) fn offsets(span: Span) -> (u32, u32) {
    let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    (narrow(span.start), narrow(span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(message: &Message<'_>) -> Vec<String> {
        message
            .segments()
            .map(|s| String::from_utf8_lossy(s.id()).into_owned())
            .collect()
    }

    #[test]
    fn parses_segments_and_delimiters() {
        let message = Message::parse(b"MSH|^~\\&|A\rEVN|A01\rPID|1\r").unwrap();
        assert_eq!(ids(&message), ["MSH", "EVN", "PID"]);
        assert_eq!(message.span(), Span::new(0, 24));
        assert_eq!(message.delimiters(), Delimiters::default());
        assert_eq!(message.segments().len(), 3);
        assert!(message.diagnostics().is_empty());
    }

    #[test]
    fn skips_bom_and_blank_lines_before_the_header() {
        let message = Message::parse(b"\xEF\xBB\xBF\r\n  \nMSH|^~\\&|A\nPID|1").unwrap();
        assert_eq!(message.span(), Span::new(8, 24));
        assert_eq!(message.as_bytes(), b"MSH|^~\\&|A\nPID|1");
    }

    #[test]
    fn stops_before_the_next_message_and_says_so() {
        let input = b"MSH|^~\\&|A\rPID|1\r\rMSH|^~\\&|B\rPID|2\r";
        let message = Message::parse(input).unwrap();
        assert_eq!(ids(&message), ["MSH", "PID"]);
        let [diagnostic] = message.diagnostics() else {
            panic!("one diagnostic")
        };
        assert_eq!(diagnostic.code(), "message.trailing-content");
        assert_eq!(diagnostic.span(), Span::new(18, input.len()));
    }

    #[test]
    fn delimiter_diagnostics_come_with_the_message() {
        let message = Message::parse(b"MSH|^~&|A\rNTE|1||a&b\r").unwrap();
        let codes: Vec<_> = message.diagnostics().iter().map(Diagnostic::code).collect();
        assert_eq!(codes, ["delimiters.missing", "delimiters.duplicate"]);
        let nte = message.segment(b"NTE").unwrap();
        assert_eq!(
            nte.field(3)
                .unwrap()
                .component(1)
                .unwrap()
                .subcomponents()
                .count(),
            2
        );
    }

    #[test]
    fn unreadable_input_is_an_error_with_a_position() {
        let error = |input: &[u8]| Message::parse(input).unwrap_err();
        assert_eq!(error(b"").kind(), ErrorKind::Empty);
        assert_eq!(error(b"\r\n \n").kind(), ErrorKind::Empty);
        let no_header = error(b"\nPID|1\rMSH|^~\\&\r");
        assert_eq!(
            (no_header.kind(), no_header.span()),
            (ErrorKind::NoHeader, Span::new(1, 4))
        );
        let bad = error(b"MSH1^~\\&");
        assert_eq!(bad.kind(), ErrorKind::InvalidFieldSeparator { byte: b'1' });
        assert_eq!(
            bad.to_string(),
            "'1' after MSH cannot be a field separator (MSH-1) (bytes 3..4)"
        );
        assert_eq!(error(b"MSH").kind(), ErrorKind::MissingFieldSeparator);
    }

    /// Repetitions are where peer libraries most often go wrong: an empty first repetition,
    /// repeated segments, and each syntax's own counting.
    #[test]
    fn paths_find_the_right_repetition_and_occurrence() {
        let input = b"MSH|^~\\&|SND|FAC|RCV|FAC|20260101||ADT^A01^ADT_A01|CTRL1|P|2.5.1\r\
                      PID|1||~A1^^^H1^MR~B2^X^^H2&1.2.3&ISO^PI||DOE^JOHN~SMITH^J&K||\r\
                      OBX|1|ST|C1||v1\r\
                      OBX|2|ST|C2||first~second\r";
        let message = Message::parse(input).unwrap();
        let get = |path: &str| {
            let path: Path = path.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
            message.get(&path).map(|element| {
                assert_eq!(&input[element.span().range()], element.as_bytes(), "{path}");
                String::from_utf8_lossy(element.as_bytes()).into_owned()
            })
        };
        let cases: &[(&str, Option<&str>)] = &[
            ("PID-3", Some("~A1^^^H1^MR~B2^X^^H2&1.2.3&ISO^PI")),
            ("PID-3[1]", Some("")),
            ("PID-3.1", Some("")),
            ("PID-3[2].1", Some("A1")),
            ("PID-3[2].5", Some("MR")),
            ("PID-3[3].4", Some("H2&1.2.3&ISO")),
            ("PID-3[3].4.2", Some("1.2.3")),
            ("PID-3[3].4.4", None),
            ("PID-3[4]", None),
            ("PID-3[4].1", None),
            ("PID-5[2].2.2", Some("K")),
            ("PID-5.2", Some("JOHN")),
            ("PID-3(2)-4-3", Some("ISO")),
            ("/.PID-5(1)-1", Some("SMITH")),
            ("PID.F3.R3.C2", Some("X")),
            ("PID.F5.R2.C2.S1", Some("J")),
            ("PID.5.1", Some("DOE")),
            ("PID-6", Some("")),
            ("PID-7", Some("")),
            ("PID-8", None),
            ("OBX-5", Some("v1")),
            ("OBX[2]-5", Some("first~second")),
            ("OBX[2]-5[2]", Some("second")),
            ("OBX(1)-5(1)", Some("second")),
            ("OBX2.F5.R2", Some("second")),
            ("OBX[3]-5", None),
            ("MSH-1", Some("|")),
            ("MSH-2", Some("^~\\&")),
            ("MSH-2.1", Some("^~\\&")),
            ("MSH-3", Some("SND")),
            ("MSH-9.3", Some("ADT_A01")),
            ("MSH.9.2", Some("A01")),
            ("MSH-10", Some("CTRL1")),
            (
                "MSH",
                Some("MSH|^~\\&|SND|FAC|RCV|FAC|20260101||ADT^A01^ADT_A01|CTRL1|P|2.5.1"),
            ),
            ("PV1-1", None),
        ];
        for &(path, expected) in cases {
            assert_eq!(get(path).as_deref(), expected, "{path}");
        }
    }

    #[test]
    fn path_at_names_what_is_under_the_caret() {
        let input = b"MSH|^~\\&|A\rPID|1||~7^^^H&1.2&ISO^MR||DOE^JOHN|a&b|\rOBX|1\rOBX|2|x\r";
        let message = Message::parse(input).unwrap();
        let at = |offset: usize| message.path_at(offset).map(|(path, _)| path.to_string());
        let find = |needle: &[u8]| {
            input
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        let pid = find(b"PID");
        let cases: &[(usize, Option<&str>)] = &[
            (0, Some("MSH")),   // the segment id
            (3, Some("MSH-1")), // the field separator itself
            (4, Some("MSH-2")), // MSH-1 and MSH-2 touch: the byte is MSH-2's
            (7, Some("MSH-2")),
            (9, Some("MSH-3")),
            (10, Some("MSH-3")),         // right after the value
            (pid + 4, Some("PID-1")),    // `1`: no parts, no deeper level
            (pid + 6, Some("PID-2")),    // an empty field
            (pid + 7, Some("PID-3[1]")), // the empty first repetition
            (find(b"7^"), Some("PID-3[2].1")),
            (find(b"1.2"), Some("PID-3[2].4.2")),
            (find(b"ISO"), Some("PID-3[2].4.3")),
            (find(b"MR"), Some("PID-3[2].5")),
            (find(b"JOHN"), Some("PID-5.2")),
            (find(b"b|"), Some("PID-6.1.2")), // subcomponents without components
            (find(b"|\rOBX") + 1, Some("PID-7")), // the empty last field, at the line end
            (find(b"OBX|2") + 4, Some("OBX[2]-1")),
            (input.len() - 2, Some("OBX[2]-2")),
            (input.len() + 5, None),
        ];
        for &(offset, expected) in cases {
            assert_eq!(at(offset).as_deref(), expected, "offset {offset}");
        }
    }

    #[test]
    fn character_sets() {
        let text = |input: &[u8], path: &str| {
            let message = Message::parse(input).unwrap();
            let codes: Vec<_> = message
                .diagnostics()
                .iter()
                .map(|d| (d.code(), d.span()))
                .collect();
            let value = message
                .get(&path.parse().unwrap())
                .unwrap()
                .text()
                .into_owned();
            (value, codes)
        };
        let latin1 = b"MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||||M\xFCller\r";
        assert_eq!(text(latin1, "PID-5"), ("Müller".to_string(), vec![]));
        let utf8 = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||UNICODE UTF-8\rPID|1||||Müller\r";
        assert_eq!(
            text(utf8.as_bytes(), "PID-5"),
            ("Müller".to_string(), vec![])
        );
        // Latin-1 bytes in a message that says nothing: kept, reported, shown as Latin-1.
        let unspecified = b"MSH|^~\\&|A\rPID|1||||M\xFCller\r";
        let at = 21;
        assert_eq!(
            text(unspecified, "PID-5"),
            (
                "Müller".to_string(),
                vec![("encoding.invalid-utf8", Span::new(at, at + 1))]
            )
        );
        let ascii = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||ASCII\rPID|1||||Zoë\r";
        let (_, codes) = text(ascii.as_bytes(), "PID-5");
        assert_eq!(
            codes.iter().map(|c| c.0).collect::<Vec<_>>(),
            ["encoding.non-ascii"]
        );
        let other = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||ISO IR87\rPID|1||||x\r";
        let (_, codes) = text(other.as_bytes(), "PID-5");
        assert_eq!(
            codes.iter().map(|c| c.0).collect::<Vec<_>>(),
            ["encoding.unsupported-charset"]
        );
        assert_eq!(
            Message::parse(latin1).unwrap().charset(),
            crate::Charset::Latin1
        );
    }

    /// hl7kit's custom set `#!*?%` (field `#`, component `!`, repetition `*`, escape `?`,
    /// subcomponent `%`) and medplum's numbering (MSH-1 is the separator, MSH-3 the sender).
    #[test]
    fn peer_delimiter_expectations() {
        let input = b"MSH#!*?%#APP#FAC#APP2#FAC2#20260101##ADT!A01#1#P#2.3\rPID#1##A!B*C%D?F?E\r";
        let message = Message::parse(input).unwrap();
        let get = |path: &str| {
            message
                .get(&path.parse().unwrap())
                .map(|e| e.text().into_owned())
        };
        assert_eq!(get("MSH-1").as_deref(), Some("#"));
        assert_eq!(get("MSH-2").as_deref(), Some("!*?%"));
        assert_eq!(get("MSH-3").as_deref(), Some("APP"));
        assert_eq!(get("MSH-9.2").as_deref(), Some("A01"));
        assert_eq!(get("PID-3[1].2").as_deref(), Some("B"));
        assert_eq!(get("PID-3[2].1.1").as_deref(), Some("C"));
        assert_eq!(get("PID-3[2].1.2").as_deref(), Some("D#E"));
        assert_eq!(get("PID-3[3]"), None);
    }

    #[test]
    fn minimal_header() {
        let message = Message::parse(b"MSH|^~\\&").unwrap();
        let msh = message.segment(b"MSH").unwrap();
        assert_eq!(msh.field(2).unwrap().as_bytes(), b"^~\\&");
        assert!(msh.field(3).is_none());
    }
}
