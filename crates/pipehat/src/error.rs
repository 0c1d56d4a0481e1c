//! The error for input that cannot be read at all.

use core::fmt;

use crate::Span;
use crate::diagnostic::ShowByte;

/// Why input could not be parsed: there is no header whose delimiters can be read. Everything
/// else is read anyway and reported as a [`crate::Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    span: Span,
}

/// What went wrong. New kinds may be added in any release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input holds no segment at all (it is empty or blank).
    Empty,
    /// The input does not start with an MSH segment.
    NoHeader,
    /// The header ends right after its segment id.
    MissingFieldSeparator,
    /// The byte after `MSH` cannot be a field separator (a letter, a digit, a space, a
    /// control or non-ASCII byte).
    InvalidFieldSeparator {
        /// The byte found.
        byte: u8,
    },
    /// The input is larger than the limit (at most 4 GiB, what positions can address).
    TooLarge {
        /// The input's size in bytes.
        len: usize,
    },
    /// The message has more segments than the limit.
    TooManySegments {
        /// The limit.
        limit: usize,
    },
    /// The file has more messages than the limit.
    TooManyMessages {
        /// The limit.
        limit: usize,
    },
    /// The input is UTF-16 (it starts with a UTF-16 byte order mark): bytes are read as an
    /// 8-bit set. Decode it to text first ([`crate::charset::decode_file`] does).
    Utf16,
    /// A line holds `MSH` and a field separator after bytes that cannot start a segment
    /// (controls, spaces, non-ASCII bytes; the span): a message whose start was damaged.
    BytesBeforeHeader,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where: the bytes at fault, or an empty span where something is missing.
    #[must_use]
    pub const fn span(&self) -> Span {
        self.span
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Empty => f.write_str("the input holds no HL7 segment"),
            ErrorKind::NoHeader => f.write_str("a message must start with an MSH segment"),
            ErrorKind::MissingFieldSeparator => {
                f.write_str("the MSH segment ends before its field separator (MSH-1)")
            }
            ErrorKind::InvalidFieldSeparator { byte } => write!(
                f,
                "{} after MSH cannot be a field separator (MSH-1)",
                ShowByte(byte)
            ),
            ErrorKind::TooLarge { len } => {
                write!(f, "the input is {len} bytes, more than the limit")
            }
            ErrorKind::TooManySegments { limit } => {
                write!(f, "the message has more than {limit} segments, the limit")
            }
            ErrorKind::TooManyMessages { limit } => {
                write!(f, "the file has more than {limit} messages, the limit")
            }
            ErrorKind::Utf16 => f.write_str(
                "the input is UTF-16; decode it to text, or save it as UTF-8 or ISO 8859-1",
            ),
            ErrorKind::BytesBeforeHeader => {
                f.write_str("bytes that cannot start a segment come before this MSH")
            }
        }?;
        write!(f, " (bytes {}..{})", self.span.start, self.span.end)
    }
}

impl std::error::Error for Error {}
