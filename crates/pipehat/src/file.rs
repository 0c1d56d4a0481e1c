//! Files and streams: many messages, batches, and whatever else is in them.
//!
//! A file may hold one message or thousands; messages may be wrapped in batches (`BHS` … `BTS`)
//! inside a file envelope (`FHS` … `FTS`), with or without their headers and trailers; captures
//! keep MLLP framing; people paste comments and prose between messages. [`File::parse`] reads
//! all of it and never fails: every message it can read is a [`Message`]; a message whose
//! header cannot be read is kept as an [`UnreadableMessage`] (its bytes stay in the input);
//! everything odd is a [`Diagnostic`].

use core::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::message::Input;
use crate::{Limits, Message, Span};

mod reader;

pub(crate) use reader::looks_utf16;

/// A parsed file (or stream, or paste) of HL7 v2: its messages, batches and envelope.
///
/// ```
/// use pipehat::File;
///
/// let input = b"FHS|^~\\&\rBHS|^~\\&\rMSH|^~\\&|A||||||ADT^A01|1|P|2.5\rPID|1\r\
///               MSH|^~\\&|A||||||ADT^A08|2|P|2.5\rPID|1\rBTS|3\rFTS|1\r";
/// let file = File::parse(input);
/// assert_eq!(file.messages().len(), 2);
/// assert_eq!(file.batches().len(), 1);
/// // BTS-1 says 3 messages, the batch has 2: reported, not rejected.
/// let codes: Vec<_> = file.diagnostics().iter().map(|d| d.code()).collect();
/// assert_eq!(codes, ["batch.count-mismatch"]);
/// ```
#[derive(Debug, Clone)]
pub struct File<'a> {
    input: &'a [u8],
    messages: Vec<Message<'a>>,
    unreadable: Vec<UnreadableMessage>,
    batches: Vec<Batch>,
    header: Option<Span>,
    trailer: Option<Span>,
    diagnostics: Vec<Diagnostic>,
}

/// A batch (`BHS` … `BTS`): which messages it holds, and its header and trailer if present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    header: Option<Span>,
    trailer: Option<Span>,
    messages: Range<usize>,
}

impl Batch {
    /// The `BHS` segment, if the batch has one.
    #[must_use]
    pub fn header(&self) -> Option<Span> {
        self.header
    }

    /// The `BTS` segment, if the batch has one.
    #[must_use]
    pub fn trailer(&self) -> Option<Span> {
        self.trailer
    }

    /// The indexes of its messages in [`File::messages`].
    #[must_use]
    pub fn messages(&self) -> Range<usize> {
        self.messages.clone()
    }
}

/// A message whose header could not be read: why, and all the lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableMessage {
    error: Error,
    span: Span,
}

impl UnreadableMessage {
    /// Why the header could not be read.
    #[must_use]
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The lines from the header to the next message, batch or file segment.
    #[must_use]
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> File<'a> {
    /// Reads every message, batch and envelope segment of `input`. Never fails: what cannot be
    /// read is reported.
    #[must_use]
    pub fn parse(input: &'a [u8]) -> Self {
        Self::parse_with(input, Limits::default())
    }

    /// [`File::parse`] with [`Limits`] for untrusted input. Reading stops where a limit is
    /// reached: what was read is kept, the rest stays in the input, and [`File::unreadable`]
    /// says where and why.
    #[must_use]
    pub fn parse_with(input: &'a [u8], limits: Limits) -> Self {
        Self::parse_input(input, limits, Input::Bytes)
    }

    /// Reads every message of `text`, which is already text: values read as the UTF-8 they
    /// are, whatever each message's MSH-18 says (see [`Message::parse_text`]).
    ///
    /// ```
    /// use pipehat::{File, Path};
    ///
    /// let text = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||7||Müller\r";
    /// let path: Path = "PID-5".parse().unwrap();
    /// assert_eq!(File::parse_text(text).messages()[0].get(&path).unwrap().text(), "Müller");
    /// // The same characters as bytes are read by MSH-18: UTF-8 read as ISO 8859-1, reported.
    /// let bytes = File::parse(text.as_bytes());
    /// assert_eq!(bytes.messages()[0].get(&path).unwrap().text(), "MÃ¼ller");
    /// assert_eq!(bytes.messages()[0].diagnostics()[0].code(), "encoding.utf8-declared-latin1");
    /// ```
    #[must_use]
    pub fn parse_text(text: &'a str) -> Self {
        Self::parse_text_with(text, Limits::default())
    }

    /// [`File::parse_text`] with [`Limits`] for untrusted input.
    #[must_use]
    pub fn parse_text_with(text: &'a str, limits: Limits) -> Self {
        Self::parse_input(text.as_bytes(), limits, Input::Text)
    }

    fn parse_input(input: &'a [u8], limits: Limits, kind: Input) -> Self {
        reader::read(input, limits, kind)
    }

    /// The whole input.
    #[must_use]
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The messages, in order.
    #[must_use]
    pub fn messages(&self) -> &[Message<'a>] {
        &self.messages
    }

    /// The messages whose header could not be read.
    #[must_use]
    pub fn unreadable(&self) -> &[UnreadableMessage] {
        &self.unreadable
    }

    /// The batches: each `BHS` … `BTS`, or a `BTS` closing messages that had no `BHS`.
    #[must_use]
    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// The `FHS` segment, if any.
    #[must_use]
    pub fn header(&self) -> Option<Span> {
        self.header
    }

    /// The `FTS` segment, if any.
    #[must_use]
    pub fn trailer(&self) -> Option<Span> {
        self.trailer
    }

    /// The file's bytes with some messages replaced: `replace(i, message)` gives new bytes for
    /// message `i`, or `None` to keep it. Everything else — envelopes, comments, blank lines,
    /// MLLP framing, terminators between messages — stays byte for byte, so an unchanged file
    /// comes back identical.
    ///
    /// ```
    /// use pipehat::{File, MessageBuf};
    ///
    /// let input = b"BHS|^~\\&\r// note\rMSH|^~\\&|A|||||||1\rPID|1||7\r\rBTS|1\r";
    /// let file = File::parse(input);
    /// assert_eq!(file.rewrite(|_, _| None), input);
    /// let output = file.rewrite(|_, message| {
    ///     let mut edited = MessageBuf::parse(message.as_bytes().to_vec()).ok()?;
    ///     edited.set("PID-3", b"REDACTED").ok()?;
    ///     Some(edited.into_bytes())
    /// });
    /// assert_eq!(output, b"BHS|^~\\&\r// note\rMSH|^~\\&|A|||||||1\rPID|1||REDACTED\r\rBTS|1\r");
    /// ```
    #[must_use]
    pub fn rewrite(
        &self,
        mut replace: impl FnMut(usize, &Message<'a>) -> Option<Vec<u8>>,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.input.len());
        let mut copied_to = 0;
        for (index, message) in self.messages.iter().enumerate() {
            if let Some(bytes) = replace(index, message) {
                let span = message.span();
                out.extend_from_slice(&self.input[copied_to..span.start]);
                out.extend_from_slice(&bytes);
                copied_to = span.end;
            }
        }
        out.extend_from_slice(&self.input[copied_to..]);
        out
    }

    /// What was noticed at file level: stray lines, broken envelopes, counts that do not match.
    /// Each message has its own [`Message::diagnostics`] too.
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::DiagnosticKind;
    use crate::error::ErrorKind;

    fn codes(file: &File<'_>) -> Vec<&'static str> {
        file.diagnostics().iter().map(Diagnostic::code).collect()
    }

    fn message_ids(file: &File<'_>) -> Vec<String> {
        file.messages()
            .iter()
            .map(|m| {
                let msh = m.segment(b"MSH").expect("MSH");
                String::from_utf8_lossy(msh.field(10).map_or(&b""[..], |f| f.as_bytes()))
                    .into_owned()
            })
            .collect()
    }

    const M1: &str = "MSH|^~\\&|A||||||ADT^A01|m1|P|2.5\rPID|1\r";
    const M2: &str = "MSH|^~\\&|A||||||ADT^A01|m2|P|2.5\rPID|2\r";

    fn parse(text: &str) -> File<'_> {
        File::parse(text.as_bytes())
    }

    /// Framing bytes and byte order marks in any order and number before a message: each mix
    /// reads as the message, never as zero messages.
    #[test]
    fn framing_and_byte_order_marks_in_any_mix() {
        for prefix in [
            &b"\x0B\xEF\xBB\xBF"[..],
            b"\xEF\xBB\xBF\x0B",
            b"\x0B\x0B",
            b"\xEF\xBB\xBF\xEF\xBB\xBF",
            b"\x0B\xFF\xFE",
            b"\xFE\xFF",
            b"\x0B\xEF\xBB\xBF\x0B\xEF\xBB\xBF",
        ] {
            let input = [prefix, M1.as_bytes(), b"\x1C\r"].concat();
            let file = File::parse(&input);
            assert_eq!(message_ids(&file), ["m1"], "{prefix:?}");
            assert!(file.unreadable().is_empty() && file.diagnostics().is_empty());
            assert_eq!(file.rewrite(|_, _| None), input);
        }
    }

    /// `VT msg FS` frames without the CR after FS, and two files each with a BOM concatenated:
    /// every message on its own, none swallowed into the one before.
    #[test]
    fn frames_without_cr_and_concatenated_files_stay_apart() {
        let frames = format!("\x0B{M1}\x1C\x0B{M2}\x1C\x0B{M1}\x1C");
        assert_eq!(message_ids(&parse(&frames)), ["m1", "m2", "m1"]);
        let files = format!("\u{FEFF}{M1}\u{FEFF}{M2}");
        let file = parse(&files);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        assert!(file.messages().iter().all(|m| m.segments().len() == 2));
    }

    /// An MSH behind bytes that cannot start a segment is a damaged message: unreadable, at its
    /// place, with its own lines — never values of the message before it.
    #[test]
    fn header_behind_junk_is_unreadable_not_swallowed() {
        let input = format!("{M1}\0\0MSH|^~\\&|A||||||ADT^A01|m2|P|2.5\rPID|2\r{M2}");
        let file = parse(&input);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        assert_eq!(file.messages()[0].segments().len(), 2);
        let [unreadable] = file.unreadable() else {
            panic!("one unreadable message: {:?}", file.unreadable())
        };
        assert_eq!(unreadable.error().kind(), ErrorKind::BytesBeforeHeader);
        assert_eq!(
            &input.as_bytes()[unreadable.error().span().range()],
            b"\0\0"
        );
        assert!(input[unreadable.span().range()].ends_with("PID|2"));
    }

    #[test]
    fn utf16_is_named_not_read_as_nothing() {
        let mut input = vec![0xFF, 0xFE];
        for unit in M1.encode_utf16() {
            input.extend_from_slice(&unit.to_le_bytes());
        }
        let file = File::parse(&input);
        assert!(file.messages().is_empty());
        assert_eq!(file.unreadable()[0].error().kind(), ErrorKind::Utf16);
        assert_eq!(Message::parse(&input).unwrap_err().kind(), ErrorKind::Utf16);
    }

    #[test]
    fn text_reads_as_text_whatever_msh_18_says() {
        let text = "MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||7||Müller\r";
        let path: crate::Path = "PID-5".parse().unwrap();
        let file = File::parse_text(text);
        let message = &file.messages()[0];
        assert_eq!(message.get(&path).unwrap().text(), "Müller");
        assert!(message.diagnostics().is_empty());
        // The same bytes read by MSH-18 are mojibake, and say so.
        let bytes = File::parse(text.as_bytes());
        let message = &bytes.messages()[0];
        assert_eq!(message.get(&path).unwrap().text(), "MÃ¼ller");
        let [diagnostic] = message.diagnostics() else {
            panic!()
        };
        assert_eq!(diagnostic.code(), "encoding.utf8-declared-latin1");
        assert_eq!(&text.as_bytes()[diagnostic.span().range()], "ü".as_bytes());
        // Real ISO 8859-1 bytes read right, with nothing to report.
        let latin1 = b"MSH|^~\\&|A||||||ADT^A01|1|P|2.5||||||8859/1\rPID|1||7||M\xFCller\r";
        let file = File::parse(latin1);
        assert_eq!(file.messages()[0].get(&path).unwrap().text(), "Müller");
        assert!(file.messages()[0].diagnostics().is_empty());
    }

    #[test]
    fn messages_one_after_another() {
        let text = format!("{M1}\n{M2}");
        let file = parse(&text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        assert!(file.batches().is_empty() && file.diagnostics().is_empty());
        assert_eq!(file.messages()[1].segments().len(), 2);
    }

    #[test]
    fn full_envelope() {
        let text = format!("FHS|^~\\&\rBHS|^~\\&\r{M1}{M2}BTS|2\rFTS|1\r");
        let file = parse(&text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        assert_eq!(file.batches().len(), 1);
        assert_eq!(file.batches()[0].messages(), 0..2);
        assert!(file.header().is_some() && file.trailer().is_some());
        assert_eq!(codes(&file), Vec::<&str>::new());
    }

    // python-hl7's batch tests: every mix of headers and trailers present or missing.
    #[test]
    fn batch_without_header() {
        let text = format!("{M1}{M2}BTS|2\r");
        let file = parse(&text);
        assert_eq!(file.batches()[0].messages(), 0..2);
        assert_eq!(codes(&file), ["batch.unopened"]);
    }

    #[test]
    fn batch_without_trailer() {
        let text = format!("BHS|^~\\&\r{M1}{M2}");
        let file = parse(&text);
        assert_eq!(file.batches()[0].messages(), 0..2);
        assert_eq!(codes(&file), ["batch.unclosed"]);
    }

    #[test]
    fn file_without_trailers() {
        let text = format!("FHS|^~\\&\rBHS|^~\\&\r{M1}");
        let file = parse(&text);
        assert_eq!(codes(&file), ["batch.unclosed", "file.unclosed"]);
    }

    #[test]
    fn file_trailer_without_header() {
        let text = format!("BHS|^~\\&\r{M1}BTS|1\rFTS|1\r");
        let file = parse(&text);
        assert_eq!(codes(&file), ["file.unopened"]);
    }

    #[test]
    fn nested_batch_header() {
        let text = format!("BHS|^~\\&\r{M1}BHS|^~\\&\r{M2}BTS|1\r");
        let file = parse(&text);
        assert_eq!(file.batches().len(), 2);
        assert_eq!(file.batches()[0].messages(), 0..1);
        assert_eq!(file.batches()[1].messages(), 1..2);
        assert_eq!(codes(&file), ["batch.unclosed"]);
    }

    #[test]
    fn counts_that_do_not_match() {
        let text = format!("FHS|^~\\&\rBHS|^~\\&\r{M1}BTS|3\rFTS|2\r");
        let file = parse(&text);
        let found: Vec<_> = file
            .diagnostics()
            .iter()
            .map(|d| (d.kind(), d.span()))
            .collect();
        let bts = text_position(&file, b"BTS|3") + 4;
        let fts = text_position(&file, b"FTS|2") + 4;
        assert_eq!(
            found,
            [
                (
                    DiagnosticKind::BatchCountMismatch {
                        declared: 3,
                        found: 1
                    },
                    Span::new(bts, bts + 1)
                ),
                (
                    DiagnosticKind::FileCountMismatch {
                        declared: 2,
                        found: 1
                    },
                    Span::new(fts, fts + 1)
                ),
            ]
        );
        let text = format!("{M1}BTS|two\r");
        let bad = parse(&text);
        assert_eq!(codes(&bad), ["batch.unopened", "batch.bad-count"]);
    }

    fn text_position(file: &File<'_>, needle: &[u8]) -> usize {
        file.input()
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("present")
    }

    #[test]
    fn stray_lines_and_comments() {
        let text = format!("// captured at noon\r\n{M1}\r\n\r\n{M2}");
        let file = parse(&text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        let [stray] = file.diagnostics() else {
            panic!("one diagnostic")
        };
        assert_eq!(
            (stray.code(), stray.span()),
            ("file.stray-line", Span::new(0, 19))
        );
        // Consecutive stray lines are one diagnostic.
        let prose = parse("notes:\nline two\nline three\n");
        let [stray] = prose.diagnostics() else {
            panic!("one diagnostic")
        };
        assert_eq!(stray.span(), Span::new(0, 26));
        // An envelope segment ends the run.
        let split = parse("a\nBHS|^~\\&\nb\n");
        let spans: Vec<_> = split
            .diagnostics()
            .iter()
            .map(|d| (d.code(), d.span()))
            .collect();
        assert_eq!(spans[0], ("file.stray-line", Span::new(0, 1)));
        assert_eq!(spans[1], ("file.stray-line", Span::new(11, 12)));
    }

    #[test]
    fn an_unreadable_header_keeps_its_lines() {
        let text = format!("{M1}MSH1^~\\&\rPID|x\rEVN|y\r{M2}");
        let file = parse(&text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        let [unreadable] = file.unreadable() else {
            panic!("one unreadable")
        };
        assert_eq!(
            unreadable.error().kind(),
            ErrorKind::InvalidFieldSeparator { byte: b'1' }
        );
        let start = M1.len();
        assert_eq!(
            unreadable.span(),
            Span::new(start, start + "MSH1^~\\&\rPID|x\rEVN|y".len())
        );
    }

    #[test]
    fn mllp_frames() {
        let text = format!("\x0B{M1}\x1C\r\x0B{M2}\x1C\r");
        let file = parse(&text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        assert!(file.diagnostics().is_empty());
        assert_eq!(file.messages()[0].span().start, 1);
    }

    #[test]
    fn messages_with_different_delimiters() {
        let text =
            "MSH|^~\\&|A||||||ADT^A01|m1\rPID|1|a^b\rMSH#*!?@#A######ADT*A01#m2\rPID#1#a*b\r";
        let file = parse(text);
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        let second = &file.messages()[1];
        let pid = second.segment(b"PID").unwrap();
        assert_eq!(pid.field(2).unwrap().component(2).unwrap().as_bytes(), b"b");
    }

    #[test]
    fn limits_stop_reading_and_keep_the_rest() {
        let text = format!("{M1}{M2}{M1}");
        let file = File::parse_with(text.as_bytes(), Limits::default().max_messages(2));
        assert_eq!(message_ids(&file), ["m1", "m2"]);
        let [stopped] = file.unreadable() else {
            panic!("one stop")
        };
        assert_eq!(
            stopped.error().kind(),
            ErrorKind::TooManyMessages { limit: 2 }
        );
        assert_eq!(stopped.span(), Span::new(M1.len() + M2.len(), text.len()));
        assert_eq!(file.rewrite(|_, _| None), text.as_bytes());

        let file = File::parse_with(text.as_bytes(), Limits::default().max_segments(1));
        assert!(file.messages().is_empty());
        assert_eq!(
            file.unreadable()[0].error().kind(),
            ErrorKind::TooManySegments { limit: 1 }
        );
        let small = File::parse_with(text.as_bytes(), Limits::default().max_input_len(10));
        assert_eq!(
            small.unreadable()[0].error().kind(),
            ErrorKind::TooLarge { len: text.len() }
        );
    }

    #[test]
    fn empty_and_blank() {
        for text in ["", "\r\n", "   \n\t\r"] {
            let file = parse(text);
            assert!(
                file.messages().is_empty() && file.diagnostics().is_empty(),
                "{text:?}"
            );
        }
    }
}
