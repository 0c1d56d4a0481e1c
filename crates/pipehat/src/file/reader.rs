//! Reading a file line by line: which message, batch or envelope each line belongs to, what
//! cannot be read, and where a limit stops reading.

use super::{Batch, File, UnreadableMessage};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::elements::Segment;
use crate::error::{Error, ErrorKind};
use crate::message::{Input, offsets};
use crate::segments::lines;
use crate::{Delimiters, Limits, Message, Span};

/// Reads `input` (bytes by MSH-18, or text) line by line into a [`File`].
pub(super) fn read(input: &[u8], limits: Limits, kind: Input) -> File<'_> {
    let mut reader = Reader {
        limits,
        kind,
        stopped: false,
        last_stray: None,
        input,
        file: File {
            input,
            messages: Vec::new(),
            unreadable: Vec::new(),
            batches: Vec::new(),
            header: None,
            trailer: None,
            diagnostics: Vec::new(),
        },
        current: Current::Nothing,
        batch: None,
        unbatched_from: 0,
        delimiters: Delimiters::default(),
    };
    if input.len() > limits.max_input_len {
        reader.file.unreadable.push(UnreadableMessage {
            error: Error::new(ErrorKind::TooLarge { len: input.len() }, Span::new(0, 0)),
            span: Span::new(0, input.len()),
        });
        return reader.file;
    }
    if kind == Input::Bytes && looks_utf16(input) {
        reader.file.unreadable.push(UnreadableMessage {
            error: Error::new(ErrorKind::Utf16, Span::new(0, input.len().min(2))),
            span: Span::new(0, input.len()),
        });
        return reader.file;
    }
    for line in lines(input) {
        reader.line(line);
        if reader.stopped {
            let rest = Span::new(line.start, input.len());
            return reader.file_with_rest(rest);
        }
    }
    reader.finish()
}

/// What the line being read belongs to.
enum Current {
    Nothing,
    Message {
        delimiters: Delimiters,
        segments: Vec<(u32, u32)>,
        diagnostics: Vec<Diagnostic>,
    },
    Unreadable(UnreadableMessage),
}

/// The parse under way.
struct Reader<'a> {
    limits: Limits,
    /// Bytes (read by MSH-18) or text.
    kind: Input,
    /// Set when a limit was reached: reading stops.
    stopped: bool,
    /// The stray-line diagnostic that consecutive stray lines extend.
    last_stray: Option<usize>,
    input: &'a [u8],
    file: File<'a>,
    current: Current,
    /// The batch being read: its header (if any) and its first message.
    batch: Option<(Option<Span>, usize)>,
    /// Where the messages not yet in any batch start.
    unbatched_from: usize,
    /// The delimiters of the latest header of any kind, for reading trailers.
    delimiters: Delimiters,
}

impl<'a> Reader<'a> {
    fn line(&mut self, span: Span) {
        let bytes = &self.input[span.range()];
        let kind = match bytes {
            [a, b, c, separator, ..] if separator.is_ascii_punctuation() => [*a, *b, *c],
            [b'M', b'S', b'H', ..] => *b"MSH",
            _ => [0; 3],
        };
        // A run of stray lines continues only from the line just before.
        let stray_run = self.last_stray.take();
        match &kind {
            b"MSH" => {
                self.end_message();
                if self.file.messages.len() == self.limits.max_messages {
                    self.stop(
                        ErrorKind::TooManyMessages {
                            limit: self.limits.max_messages,
                        },
                        span,
                    );
                    return;
                }
                let mut diagnostics = Vec::new();
                self.current = match Delimiters::read(bytes, span.start, &mut diagnostics) {
                    Ok(delimiters) => {
                        self.delimiters = delimiters;
                        Current::Message {
                            delimiters,
                            segments: vec![offsets(span)],
                            diagnostics,
                        }
                    }
                    Err(error) => Current::Unreadable(UnreadableMessage { error, span }),
                };
            }
            b"BHS" => {
                self.end_message();
                if let Some((header, _)) = self.batch {
                    self.diagnose(DiagnosticKind::UnclosedBatch, header.unwrap_or(span));
                    self.close_batch(None);
                }
                self.read_delimiters(bytes, span);
                self.batch = Some((Some(span), self.file.messages.len()));
            }
            b"BTS" => {
                self.end_message();
                if self.batch.is_none() {
                    self.diagnose(DiagnosticKind::UnopenedBatch, span);
                    self.batch = Some((None, self.unbatched_from));
                }
                let found = self.file.messages.len() - self.batch.map_or(0, |(_, first)| first);
                self.check_count(bytes, span, found, |declared, found| {
                    DiagnosticKind::BatchCountMismatch { declared, found }
                });
                self.close_batch(Some(span));
            }
            b"FHS" => {
                self.end_message();
                self.end_batch();
                if let Some(previous) = self.file.header {
                    self.diagnose(DiagnosticKind::UnclosedFile, previous);
                }
                self.read_delimiters(bytes, span);
                self.file.header = Some(span);
            }
            b"FTS" => {
                self.end_message();
                self.end_batch();
                if self.file.header.is_none() {
                    self.diagnose(DiagnosticKind::UnopenedFile, span);
                }
                let found = self.file.batches.len();
                self.check_count(bytes, span, found, |declared, found| {
                    DiagnosticKind::FileCountMismatch { declared, found }
                });
                self.file.trailer = Some(span);
            }
            _ if header_after_junk(bytes).is_some() => {
                // `MSH|^~\&` behind bytes that cannot start a segment: a message whose start was
                // damaged. Its lines are its own, never values of the message before.
                self.end_message();
                let junk = header_after_junk(bytes).unwrap_or(0);
                self.current = Current::Unreadable(UnreadableMessage {
                    error: Error::new(
                        ErrorKind::BytesBeforeHeader,
                        Span::new(span.start, span.start + junk),
                    ),
                    span,
                });
            }
            _ => match &mut self.current {
                Current::Message { segments, .. } if segments.len() == self.limits.max_segments => {
                    let limit = self.limits.max_segments;
                    self.stop(ErrorKind::TooManySegments { limit }, span);
                }
                Current::Message { segments, .. } => segments.push(offsets(span)),
                Current::Unreadable(unreadable) => unreadable.span.end = span.end,
                Current::Nothing => self.stray(span, stray_run),
            },
        }
    }

    /// A line outside any message: consecutive ones make one diagnostic, so a file of prose
    /// costs one diagnostic, not one per line.
    fn stray(&mut self, span: Span, run: Option<usize>) {
        if let Some(index) = run {
            self.file.diagnostics[index].extend_to(span.end);
            self.last_stray = Some(index);
        } else {
            self.last_stray = Some(self.file.diagnostics.len());
            self.diagnose(DiagnosticKind::StrayLine, span);
        }
    }

    /// A limit is reached at `span`: the message being read is dropped whole and reading stops.
    fn stop(&mut self, kind: ErrorKind, span: Span) {
        self.current = Current::Nothing;
        self.stopped = true;
        self.file.unreadable.push(UnreadableMessage {
            error: Error::new(kind, span),
            span: Span::new(span.start, span.start),
        });
    }

    /// The file read so far; `rest` (from where a limit stopped reading) is left unread.
    fn file_with_rest(mut self, rest: Span) -> File<'a> {
        if let Some(last) = self.file.unreadable.last_mut() {
            last.span = rest;
        }
        self.file
    }

    fn diagnose(&mut self, kind: DiagnosticKind, span: Span) {
        self.file.diagnostics.push(Diagnostic::new(kind, span));
    }

    /// Batch and file headers declare delimiters too; their trailers are read with them.
    fn read_delimiters(&mut self, bytes: &[u8], span: Span) {
        match Delimiters::read(bytes, span.start, &mut Vec::new()) {
            Ok(delimiters) => self.delimiters = delimiters,
            Err(error) => self.diagnose(DiagnosticKind::UnreadableEnvelope, error.span()),
        }
    }

    /// Compares a trailer's count (BTS-1, FTS-1) with what was found; an empty count is fine.
    fn check_count(
        &mut self,
        bytes: &[u8],
        span: Span,
        found: usize,
        mismatch: fn(usize, usize) -> DiagnosticKind,
    ) {
        let Some(count) = Segment::new(bytes, span.start, self.delimiters).field(1) else {
            return;
        };
        let text = count.as_bytes();
        if text.is_empty() {
            return;
        }
        match core::str::from_utf8(text)
            .ok()
            .and_then(|t| t.trim().parse::<usize>().ok())
        {
            Some(declared) if declared == found => {}
            Some(declared) => self.diagnose(mismatch(declared, found), count.span()),
            None => self.diagnose(DiagnosticKind::BadCount, count.span()),
        }
    }

    fn end_message(&mut self) {
        match core::mem::replace(&mut self.current, Current::Nothing) {
            Current::Nothing => {}
            Current::Message {
                delimiters,
                segments,
                diagnostics,
            } => self.file.messages.push(Message::from_parts(
                self.input,
                delimiters,
                segments,
                diagnostics,
                self.kind,
            )),
            Current::Unreadable(unreadable) => self.file.unreadable.push(unreadable),
        }
    }

    /// Closes the batch under way, if any, at a file segment or the end: a batch with a header
    /// should have had its trailer.
    fn end_batch(&mut self) {
        if let Some((header, _)) = self.batch {
            if let Some(header) = header {
                self.diagnose(DiagnosticKind::UnclosedBatch, header);
            }
            self.close_batch(None);
        }
    }

    fn close_batch(&mut self, trailer: Option<Span>) {
        let (header, first) = self.batch.take().unwrap_or((None, self.unbatched_from));
        let end = self.file.messages.len();
        self.file.batches.push(Batch {
            header,
            trailer,
            messages: first..end,
        });
        self.unbatched_from = end;
    }

    fn finish(mut self) -> File<'a> {
        self.end_message();
        self.end_batch();
        if let (Some(header), None) = (self.file.header, self.file.trailer) {
            self.diagnose(DiagnosticKind::UnclosedFile, header);
        }
        self.file
    }
}

/// Whether `input` is UTF-16 text (a UTF-16 byte order mark, then `M`, `S`, `H` or another
/// ASCII character with a zero byte beside it), which an 8-bit reader cannot split.
pub(crate) fn looks_utf16(input: &[u8]) -> bool {
    let body = input.strip_prefix(b"\x0B").unwrap_or(input);
    matches!(body, [0xFF, 0xFE, c, 0, ..] | [0xFE, 0xFF, 0, c, ..] if c.is_ascii() && *c != 0)
}

/// Where `MSH` plus a field separator starts in a line that does not start with it, when only
/// bytes that cannot begin a segment come before it (controls, spaces, non-ASCII bytes): a
/// damaged message start such as `\x00\x00MSH|^~\&|…` or `\u{FEFF}` as text then `MSH|`.
fn header_after_junk(line: &[u8]) -> Option<usize> {
    const LOOK: usize = 16;
    let window = &line[..line.len().min(LOOK + 4)];
    let at = window
        .windows(4)
        .position(|w| w.starts_with(b"MSH") && w[3].is_ascii_punctuation() && w[3] != b'\\')?;
    (at > 0 && line[..at].iter().all(|&b| !b.is_ascii_graphic())).then_some(at)
}
