//! Diagnostics: what the parser noticed but read anyway.
//!
//! Parsing never rejects what it can read. Odd delimiters, missing encoding characters and
//! content after a message come back as [`Diagnostic`]s beside the parsed message, each with a
//! stable code, a severity and the span it is about; the validator turns them into findings.

use core::fmt;

use crate::Span;
use crate::delimiters::DelimiterRole;

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input breaks a rule of HL7 v2; pipehat read it as best it could.
    Error,
    /// Legal, or nearly, but likely to trouble a receiver.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

/// What a diagnostic is about. New kinds may be added in any release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// MSH-1 is not the recommended `|`.
    UnusualFieldSeparator {
        /// The field separator declared.
        byte: u8,
    },
    /// MSH-2 declares fewer than four encoding characters; the missing ones take their
    /// recommended values.
    MissingEncodingCharacters {
        /// How many MSH-2 declares.
        declared: usize,
    },
    /// MSH-2 holds more than the five characters HL7 defines; the extra ones are ignored.
    TooManyEncodingCharacters {
        /// How many MSH-2 holds.
        declared: usize,
    },
    /// An encoding character that cannot be a delimiter (a control or non-ASCII byte); the
    /// role takes its recommended value.
    InvalidEncodingCharacter {
        /// The role it was declared for.
        role: DelimiterRole,
        /// The character declared.
        byte: u8,
    },
    /// A letter or digit declared as an encoding character: it is used as declared, so values
    /// containing it are split (or escaped) there.
    AlphanumericEncodingCharacter {
        /// The role it was declared for.
        role: DelimiterRole,
        /// The character declared.
        byte: u8,
    },
    /// One character declared for two roles; the second role is not used (a structural
    /// separator keeps a character over the escape and truncation characters).
    DuplicateEncodingCharacter {
        /// The role that keeps the character.
        kept: DelimiterRole,
        /// The role that is not used.
        dropped: DelimiterRole,
        /// The character.
        byte: u8,
    },
    /// More input follows the message (another message, or text); [`crate::Message::parse`]
    /// reads one message.
    TrailingContent,
    /// Lines outside any message: a comment, prose, or segments before the first MSH (one
    /// diagnostic for a run of such lines).
    StrayLine,
    /// A batch header (`BHS`) with no trailer (`BTS`) before the next batch, file segment or
    /// the end.
    UnclosedBatch,
    /// A batch trailer (`BTS`) with no batch header; it closes the messages before it.
    UnopenedBatch,
    /// A file header (`FHS`) with no trailer (`FTS`).
    UnclosedFile,
    /// A file trailer (`FTS`) with no file header.
    UnopenedFile,
    /// BTS-1 (batch message count) differs from the messages in the batch.
    BatchCountMismatch {
        /// The count BTS-1 declares.
        declared: usize,
        /// The messages found.
        found: usize,
    },
    /// FTS-1 (file batch count) differs from the batches in the file.
    FileCountMismatch {
        /// The count FTS-1 declares.
        declared: usize,
        /// The batches found.
        found: usize,
    },
    /// BTS-1 or FTS-1 is not a number.
    BadCount,
    /// A batch or file header whose delimiters cannot be read.
    UnreadableEnvelope,
    /// Bytes that are not UTF-8 where UTF-8 is expected (MSH-18 empty or `UNICODE UTF-8`).
    /// Kept as they are; text shows them as ISO 8859-1 characters.
    InvalidUtf8,
    /// Bytes above 127 in a message whose MSH-18 says `ASCII`.
    NonAscii,
    /// MSH-18 names a character set pipehat does not decode; text is read as UTF-8.
    UnsupportedCharset,
    /// MSH-18 says `8859/1`, but the bytes are UTF-8 with multi-byte characters (the span is
    /// the first): the sender most likely mislabelled UTF-8. Read as MSH-18 says, so values
    /// show as mojibake (`MÃ¼ller`) — fix MSH-18 or the sender.
    Utf8DeclaredLatin1,
}

/// Something the parser noticed, with where it is in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    kind: DiagnosticKind,
    span: Span,
}

impl Diagnostic {
    pub(crate) const fn new(kind: DiagnosticKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// What was noticed.
    #[must_use]
    pub const fn kind(&self) -> DiagnosticKind {
        self.kind
    }

    /// The bytes it is about.
    #[must_use]
    pub const fn span(&self) -> Span {
        self.span
    }

    /// Grows the span to end at `end` (consecutive stray lines make one diagnostic).
    pub(crate) fn extend_to(&mut self, end: usize) {
        self.span.end = self.span.end.max(end);
    }

    /// How much it matters.
    #[must_use]
    pub const fn severity(&self) -> Severity {
        match self.kind {
            DiagnosticKind::UnusualFieldSeparator { .. } => Severity::Info,
            DiagnosticKind::MissingEncodingCharacters { .. }
            | DiagnosticKind::AlphanumericEncodingCharacter { .. }
            | DiagnosticKind::TrailingContent
            | DiagnosticKind::StrayLine
            | DiagnosticKind::UnclosedBatch
            | DiagnosticKind::UnopenedBatch
            | DiagnosticKind::UnclosedFile
            | DiagnosticKind::UnopenedFile
            | DiagnosticKind::InvalidUtf8
            | DiagnosticKind::NonAscii
            | DiagnosticKind::UnsupportedCharset
            | DiagnosticKind::Utf8DeclaredLatin1 => Severity::Warning,
            DiagnosticKind::BatchCountMismatch { .. }
            | DiagnosticKind::FileCountMismatch { .. }
            | DiagnosticKind::BadCount
            | DiagnosticKind::UnreadableEnvelope => Severity::Error,
            DiagnosticKind::TooManyEncodingCharacters { .. }
            | DiagnosticKind::InvalidEncodingCharacter { .. }
            | DiagnosticKind::DuplicateEncodingCharacter { .. } => Severity::Error,
        }
    }

    /// A stable identifier for the kind, for programs and reports: `delimiters.duplicate`…
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self.kind {
            DiagnosticKind::UnusualFieldSeparator { .. } => "delimiters.unusual-field-separator",
            DiagnosticKind::MissingEncodingCharacters { .. } => "delimiters.missing",
            DiagnosticKind::TooManyEncodingCharacters { .. } => "delimiters.too-many",
            DiagnosticKind::InvalidEncodingCharacter { .. } => "delimiters.invalid",
            DiagnosticKind::AlphanumericEncodingCharacter { .. } => "delimiters.alphanumeric",
            DiagnosticKind::DuplicateEncodingCharacter { .. } => "delimiters.duplicate",
            DiagnosticKind::TrailingContent => "message.trailing-content",
            DiagnosticKind::StrayLine => "file.stray-line",
            DiagnosticKind::UnclosedBatch => "batch.unclosed",
            DiagnosticKind::UnopenedBatch => "batch.unopened",
            DiagnosticKind::UnclosedFile => "file.unclosed",
            DiagnosticKind::UnopenedFile => "file.unopened",
            DiagnosticKind::BatchCountMismatch { .. } => "batch.count-mismatch",
            DiagnosticKind::FileCountMismatch { .. } => "file.count-mismatch",
            DiagnosticKind::BadCount => "batch.bad-count",
            DiagnosticKind::UnreadableEnvelope => "batch.unreadable-header",
            DiagnosticKind::InvalidUtf8 => "encoding.invalid-utf8",
            DiagnosticKind::NonAscii => "encoding.non-ascii",
            DiagnosticKind::UnsupportedCharset => "encoding.unsupported-charset",
            DiagnosticKind::Utf8DeclaredLatin1 => "encoding.utf8-declared-latin1",
        }
    }
}

/// A byte as people read it in a message: printable as itself, others in hex.
pub(crate) struct ShowByte(pub(crate) u8);

impl fmt::Display for ShowByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_ascii_graphic() {
            write!(f, "'{}'", char::from(self.0))
        } else {
            write!(f, "0x{:02X}", self.0)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DiagnosticKind::UnusualFieldSeparator { byte } => write!(
                f,
                "MSH-1 field separator is {}, not the recommended '|'",
                ShowByte(byte)
            ),
            DiagnosticKind::MissingEncodingCharacters { declared } => write!(
                f,
                "MSH-2 declares {declared} of the 4 encoding characters; the rest take their \
                 recommended values (^~\\&)"
            ),
            DiagnosticKind::TooManyEncodingCharacters { declared } => write!(
                f,
                "MSH-2 holds {declared} characters; HL7 defines 5 at most, the rest are ignored"
            ),
            DiagnosticKind::InvalidEncodingCharacter { role, byte } => write!(
                f,
                "MSH-2 declares {} as the {role}, which cannot be a delimiter; using {}",
                ShowByte(byte),
                ShowByte(role.recommended())
            ),
            DiagnosticKind::AlphanumericEncodingCharacter { role, byte } => write!(
                f,
                "MSH-2 declares {} as the {role}: a letter or digit there makes values that \
                 contain it read wrongly",
                ShowByte(byte)
            ),
            DiagnosticKind::DuplicateEncodingCharacter {
                kept,
                dropped,
                byte,
            } => write!(
                f,
                "MSH-2: {} cannot be both the {kept} and the {dropped}; it is read as the {kept}",
                ShowByte(byte)
            ),
            DiagnosticKind::TrailingContent => {
                write!(f, "more input follows the message; it is not part of it")
            }
            DiagnosticKind::StrayLine => {
                write!(f, "outside any message (no MSH before it)")
            }
            DiagnosticKind::UnclosedBatch => write!(f, "this batch (BHS) has no trailer (BTS)"),
            DiagnosticKind::UnopenedBatch => {
                write!(f, "this batch trailer (BTS) has no header (BHS)")
            }
            DiagnosticKind::UnclosedFile => {
                write!(f, "this file header (FHS) has no trailer (FTS)")
            }
            DiagnosticKind::UnopenedFile => {
                write!(f, "this file trailer (FTS) has no header (FHS)")
            }
            DiagnosticKind::BatchCountMismatch { declared, found } => write!(
                f,
                "BTS-1 Batch Message Count says {declared}, the batch has {found}"
            ),
            DiagnosticKind::FileCountMismatch { declared, found } => write!(
                f,
                "FTS-1 File Batch Count says {declared}, the file has {found}"
            ),
            DiagnosticKind::BadCount => write!(f, "the count is not a number"),
            DiagnosticKind::UnreadableEnvelope => {
                write!(
                    f,
                    "the delimiters of this batch or file header cannot be read"
                )
            }
            DiagnosticKind::InvalidUtf8 => write!(
                f,
                "these bytes are not UTF-8; they are kept, and shown as ISO 8859-1 characters"
            ),
            DiagnosticKind::NonAscii => write!(f, "MSH-18 says ASCII, but these bytes are not"),
            DiagnosticKind::UnsupportedCharset => write!(
                f,
                "MSH-18 names a character set pipehat does not decode; text is read as UTF-8"
            ),
            DiagnosticKind::Utf8DeclaredLatin1 => write!(
                f,
                "MSH-18 says 8859/1, but the text is UTF-8 (mislabelled?); read as 8859/1, it shows as mojibake"
            ),
        }?;
        write!(f, " (bytes {}..{})", self.span.start, self.span.end)
    }
}
