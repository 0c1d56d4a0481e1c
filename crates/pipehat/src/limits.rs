//! Safety limits for parsing input nobody has checked.
//!
//! pipehat's memory is proportional to what it indexes: 8 bytes per segment, a few words per
//! message, nothing per field or repetition (those are found on demand). These limits cap the
//! counts, so a hostile or broken input gets a clear error, never an out-of-memory.

/// Limits for [`crate::Message::parse_with`] and [`crate::File::parse_with`].
///
/// ```
/// use pipehat::{ErrorKind, Limits, Message};
///
/// let limits = Limits::default().max_segments(2);
/// let error = Message::parse_with(b"MSH|^~\\&\rPID|1\rPV1|1\r", limits).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::TooManySegments { limit: 2 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    pub(crate) max_input_len: usize,
    pub(crate) max_segments: usize,
    pub(crate) max_messages: usize,
}

impl Default for Limits {
    /// 4 GiB of input (what spans can address), 100,000 segments per message, 10,000,000
    /// messages per file.
    fn default() -> Self {
        Self {
            max_input_len: u32::MAX as usize,
            max_segments: 100_000,
            max_messages: 10_000_000,
        }
    }
}

impl Limits {
    /// The largest input, in bytes (at most 4 GiB, which spans can address).
    #[must_use]
    pub fn max_input_len(mut self, bytes: usize) -> Self {
        self.max_input_len = bytes.min(u32::MAX as usize);
        self
    }

    /// The most segments in one message.
    #[must_use]
    pub fn max_segments(mut self, segments: usize) -> Self {
        self.max_segments = segments;
        self
    }

    /// The most messages in one file.
    #[must_use]
    pub fn max_messages(mut self, messages: usize) -> Self {
        self.max_messages = messages;
        self
    }
}
