//! pipehat: a lossless, zero-copy, position-aware HL7 v2 parser.
//!
//! This is the core of pipehat. It knows nothing of WebAssembly, JavaScript or user
//! interfaces; the npm package and the web viewer are thin layers over it.
//!
//! [`Message::parse`] reads one message: its delimiters (MSH-1, MSH-2) and its segments. Fields,
//! repetitions, components and subcomponents are found when asked for, through accessors or a
//! [`Path`]. Everything borrows the input and knows its byte [`Span`]; nothing is copied.
//! Oddities that can be read anyway come back as [`Diagnostic`]s; only input without a readable
//! header is an [`Error`].
//!
//! ```
//! use pipehat::{Message, Path};
//!
//! let input = b"MSH|^~\\&|LAB|HOSP|||202611220214||ADT^A04|MSG0001|P|2.5.1\r\
//!               PID|1||12345^^^HOSP^MR~998^^^SSA^SS||Doe^Jane\r";
//! let message = Message::parse(input)?;
//!
//! let pid = message.segment(b"PID").expect("a PID segment");
//! let name = pid.field(5).expect("PID-5");
//! assert_eq!(name.component(2).map(|c| c.as_bytes()), Some(&b"Jane"[..]));
//!
//! let path: Path = "PID-3[2].4".parse()?;
//! let authority = message.get(&path).expect("PID-3[2].4");
//! assert_eq!(authority.as_bytes(), b"SSA");
//! assert_eq!(&input[authority.span().range()], b"SSA");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`segments`] splits a whole file of messages into segments, with each segment's delimiters
//! taken from the header before it.

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod ack;
pub mod charset;
mod delimiters;
mod diagnostic;
pub mod diff;
mod edit;
mod elements;
mod error;
pub mod escape;
mod file;
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
mod limits;
mod message;
pub mod names;
pub mod path;
pub mod position;
pub mod primitive;
mod segments;
mod span;
pub mod walk;

pub use ack::{AckCode, AckCodeError, AckError, Acknowledgment, error_code_text};
pub use charset::Charset;
pub use delimiters::{DelimiterRole, Delimiters};
pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use edit::{EditError, IntoPath, MAX_CREATED, MessageBuf};
pub use elements::{
    Component, Components, Element, Field, Fields, Repetition, Repetitions, Segment, Subcomponent,
    Subcomponents,
};
pub use error::{Error, ErrorKind};
pub use file::{Batch, File, UnreadableMessage};
pub use limits::Limits;
pub use message::Message;
pub use path::{Path, PathError, PathErrorKind};
pub use segments::{Segments, segments};
pub use span::Span;
