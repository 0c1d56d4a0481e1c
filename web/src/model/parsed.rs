//! A text and its parse, kept together: every view of a text reads this one parse, so a text
//! is parsed once however many views, memos and keystrokes read it.

use std::sync::Arc;

use pipehat::position::LineIndex;
use pipehat::{File, Message};

/// The text and what is read of it in one value (the parse borrows the text).
mod cell {
    self_cell::self_cell!(
        /// A text and its parse.
        pub(super) struct Cell {
            owner: String,
            #[covariant]
            dependent: Read,
        }
        impl {Debug}
    );

    /// What is read of a text: its messages, and where its lines start (the line:column of
    /// findings, which would otherwise index a whole file's lines again for each message).
    #[derive(Debug)]
    pub(super) struct Read<'a> {
        pub(super) file: pipehat::File<'a>,
        pub(super) lines: pipehat::position::LineIndex<'a>,
    }
}

/// A text and its parse. Cloning shares them; two are equal only when they are the same parse
/// (a memo holding one changes when the text is parsed again, never by comparing texts).
#[derive(Debug, Clone)]
pub struct Parsed(Arc<cell::Cell>);

impl Parsed {
    /// `text`, parsed as a file of messages (it is text: values read as UTF-8, whatever MSH-18
    /// says — an opened file was decoded by it already).
    pub fn new(text: String) -> Self {
        Self(Arc::new(cell::Cell::new(text, |text| cell::Read {
            file: File::parse_text(text),
            lines: LineIndex::new(text.as_bytes()),
        })))
    }

    /// `text` kept but not read (beyond what the viewer reads at once): no messages.
    pub fn unread(text: String) -> Self {
        Self(Arc::new(cell::Cell::new(text, |_| cell::Read {
            file: File::parse_text(""),
            lines: LineIndex::new(b""),
        })))
    }

    /// The text.
    pub fn text(&self) -> &str {
        self.0.borrow_owner()
    }

    /// Its parse.
    pub fn file(&self) -> &File<'_> {
        &self.0.borrow_dependent().file
    }

    /// Where its lines start: the line:column of findings.
    pub fn lines(&self) -> &LineIndex<'_> {
        &self.0.borrow_dependent().lines
    }

    /// Where `range` of the text starts, and its text: a part of the text, or all of it
    /// (`None`); empty where `range` is not in the text.
    pub fn part(&self, range: Option<(usize, usize)>) -> (usize, &str) {
        match range {
            None => (0, self.text()),
            Some((start, end)) => (start, self.text().get(start..end).unwrap_or_default()),
        }
    }

    /// Message `index` (from 0), else the first; `None` when there is none.
    pub fn message(&self, index: usize) -> Option<&Message<'_>> {
        message(self.file(), index)
    }
}

/// Message `index` (from 0) of `file`, else its first; `None` when it has none.
pub fn message<'f, 'a>(file: &'f File<'a>, index: usize) -> Option<&'f Message<'a>> {
    file.messages().get(index).or(file.messages().first())
}

impl PartialEq for Parsed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Parsed {}

impl Default for Parsed {
    fn default() -> Self {
        Self::new(String::new())
    }
}
