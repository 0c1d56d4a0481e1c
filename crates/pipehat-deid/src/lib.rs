//! De-identification of HL7 v2 messages: HIPAA Safe Harbor and keyed pseudonymization,
//! consistent across a batch, with a receipt of what changed.
//!
//! ```
//! use pipehat_deid::{Anonymizer, Policy, Preset};
//!
//! let input = b"MSH|^~\\&|LAB|HOSP|||20261122083000||ADT^A04|MSG0001|P|2.5.1\r\
//!               PID|1||12345^^^HOSP^MR||DOE^JANE||19800115|F|||12 Main St^^Boston^MA^02139\r";
//! let anonymizer = Anonymizer::new(&Policy::preset(Preset::SafeHarbor), None)?;
//! let output = anonymizer.anonymize(input);
//! assert_eq!(
//!     String::from_utf8(output.bytes).unwrap(),
//!     "MSH|^~\\&|LAB|HOSP|||2026||ADT^A04|REDACTED|P|2.5.1\r\
//!      PID|1||REDACTED^^^REDACTED^MR||REDACTED^REDACTED||1980|F|||REDACTED^^REDACTED^MA^021\r"
//! );
//! let paths: Vec<String> = output.receipt.changes.iter().map(|c| c.path.to_string()).collect();
//! assert!(paths.iter().any(|p| p == "PID-5.1") && paths.iter().any(|p| p == "PID-11.5"));
//!
//! // Pseudonyms are keyed: the same key gives the same output, and linkage across messages.
//! let keyed = Anonymizer::new(&Policy::preset(Preset::Pseudonymize), Some(b"a local secret key"))?;
//! assert_eq!(keyed.anonymize(input).bytes, keyed.anonymize(input).bytes);
//! # Ok::<(), pipehat_deid::Error>(())
//! ```
//!
//! Every value of a message gets a [`Category`] from its position and the dictionary's data
//! types, in every segment — names, addresses and phone numbers wherever an XPN, XAD or XTN
//! appears — and the [`Policy`] says which [`Method`] each category, field, data type or
//! segment gets. What the rules do not recognise as harmless is treated as an identifier:
//! unknown segments, Z-segments and fields past the definition are redacted by default.

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod anonymizer;
mod category;
mod date_shift;
mod encoding;
mod envelope;
mod fast_map;
mod generalize;
mod plan;
mod policy;
mod pseudonym;
mod receipt;
mod scrubber;
mod state;
mod trie;
mod walk;
mod well_formed;
mod work;

pub use anonymizer::{Anonymized, AnonymizedText, Anonymizer, Error, MIN_KEY_BYTES};
pub use category::Category;
pub use plan::field_categories;
pub use policy::{FreeText, Method, Policy, PolicyError, Preset};
pub use receipt::{Change, ChangePath, Note, Receipt, Removal};

/// The README's Rust examples (parser, dictionary, validation, de-identification), compiled
/// and run as doctests so they stay true. They live here because this crate sees all four
/// (validation as a dev-dependency).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;
