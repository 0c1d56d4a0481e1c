//! Validation of HL7 v2 messages: structure, fields, data types and tables, per version, with a
//! report people can act on.
//!
//! ```
//! use pipehat_validate::{validate, Options, Severity};
//!
//! let input = b"MSH|^~\\&|LAB|HOSP|||20261122||ADT^A04|MSG1|P|2.5.1\rEVN||20261122\r\
//!               PID|1||123^^^HOSP^MR||DOE^JANE||19800230|F\r";
//! let message = pipehat::Message::parse(input)?;
//! let report = validate(&message, &Options::default());
//!
//! assert_eq!(report.structure, Some("ADT_A01"));
//! let messages: Vec<_> = report.findings.iter().map(|f| f.message.as_str()).collect();
//! assert!(messages.contains(&"PID-7 Date/Time of Birth: '19800230' is not a valid date/time (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ])"));
//! assert!(messages.contains(&"ADT_A01: required segment PV1 is missing"));
//! assert!(!report.is_valid());
//! # Ok::<(), pipehat::Error>(())
//! ```
//!
//! Every finding has a severity (table 0516), an HL7 error code (table 0357), a stable rule id,
//! the location (path, segment position, byte span, line:column) and a message naming the
//! element in words. [`Options::with_values`] set to false leaves every value out of the report,
//! so it can be shared without patient data. The rules and their severities per preset are
//! listed in [`RULES`].

#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod location;
mod options;
mod plan;
mod profile;
mod report;
mod rules;
mod run;
mod types;
mod validator;
mod walk;
mod work;

pub use options::{Options, Preset};
pub use profile::{ElementConstraint, Profile, ProfileError, ProfileUsage, SegmentConstraint};
pub use report::{Finding, Location, Report, Severity};
pub use rules::{RULES, Rule};
pub use validator::{Validator, validate};
