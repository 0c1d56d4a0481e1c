//! pipehat: a lossless, zero-copy, position-aware HL7 v2 parser.
//!
//! This is the core of pipehat. It knows nothing of WebAssembly, JavaScript or user
//! interfaces; the npm package and the web viewer are thin layers over it.
//!
//! Today the core splits a message (or a file of messages) into its segments, each with its
//! segment id and the byte span it occupies in the input. Everything borrows the input: nothing
//! is copied.
//!
//! ```
//! let message = b"MSH|^~\\&|LAB|HOSP|||202611220214||ADT^A04|MSG0001|P|2.5.1\r\
//!                 PID|1||12345^^^HOSP^MR||Doe^Jane\r";
//!
//! let ids: Vec<&[u8]> = pipehat::segments(message).map(|s| s.id()).collect();
//! assert_eq!(ids, [b"MSH".as_slice(), b"PID"]);
//!
//! let pid = pipehat::segments(message).nth(1).unwrap();
//! assert_eq!(&message[pid.span().range()], pid.as_bytes());
//! assert!(pid.as_bytes().starts_with(b"PID|1||12345"));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

pub mod position;
mod segments;
mod span;

pub use segments::{Segment, Segments, segments};
pub use span::Span;
