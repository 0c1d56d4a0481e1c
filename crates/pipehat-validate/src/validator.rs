//! The entry points: [`validate`] with the thread's cache, and [`Validator`], which keeps what it
//! resolved from the dictionary for the messages after the first.

use std::cell::RefCell;

use pipehat::Message;
use pipehat_dict::Dictionary;

use crate::options::Options;
use crate::plan::VersionPlans;
use crate::report::Report;
use crate::run::{Run, choose_version};

/// Validates one message; see the crate documentation.
///
/// What is resolved from the dictionary (segments' fields, data types, tables, names) is kept
/// for the thread's next messages; [`Validator`] keeps it where the caller chooses.
#[must_use]
pub fn validate(message: &Message<'_>, options: &Options<'_>) -> Report {
    thread_local! {
        static VALIDATOR: RefCell<Validator> = RefCell::new(Validator::new());
    }
    VALIDATOR.with(|validator| match validator.try_borrow_mut() {
        Ok(mut validator) => validator.validate(message, options),
        Err(_) => Validator::new().validate(message, options),
    })
}

/// A validator that keeps what it resolved from the dictionary — each segment's fields with
/// their data types and tables, each data type's components, each table's codes, the names of
/// elements — for the messages after the first: validating many messages with one is faster
/// than with [`validate`] alone only in that the cache is the caller's, not the thread's.
///
/// ```
/// use pipehat_validate::{Options, Validator};
///
/// let mut validator = Validator::new();
/// let message = pipehat::Message::parse(b"MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rPID|1||||DOE\r")?;
/// let report = validator.validate(&message, &Options::default());
/// assert_eq!(report, pipehat_validate::validate(&message, &Options::default()));
/// # Ok::<(), pipehat::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Validator {
    versions: Vec<VersionPlans>,
}

impl Validator {
    /// A validator with nothing resolved yet.
    #[must_use]
    pub fn new() -> Self {
        Validator::default()
    }

    /// Validates one message, like [`validate`].
    #[must_use]
    pub fn validate(&mut self, message: &Message<'_>, options: &Options<'_>) -> Report {
        self.validate_with(message, options, None)
    }

    fn validate_with(
        &mut self,
        message: &Message<'_>,
        options: &Options<'_>,
        lines: Option<&pipehat::position::LineIndex<'_>>,
    ) -> Report {
        // A profile's custom segments join the dictionary of the version the message is checked in.
        let merged = options
            .profile
            .filter(|p| !p.custom_segments.is_empty())
            .map(|profile| {
                let version = choose_version(message, options).0;
                let mut dictionary = options
                    .dictionary
                    .filter(|d| d.version() == version)
                    .cloned()
                    .unwrap_or_else(|| Dictionary::new(version));
                for segment in &profile.custom_segments {
                    dictionary.add_segment(segment.clone());
                }
                dictionary
            });
        let merged_options;
        let options = match &merged {
            Some(dictionary) => {
                merged_options = Options {
                    dictionary: Some(dictionary),
                    ..options.clone()
                };
                &merged_options
            }
            None => options,
        };
        let mut run = Run::new(message, options, &mut self.versions);
        run.run();
        run.finish(lines)
    }

    /// Validates one message of a file whose line index the caller keeps (`lines` indexes
    /// `message.input()`): for working through a big file in steps without indexing it again
    /// for each message, as [`Validator::validate_file`] does in one go.
    #[must_use]
    pub fn validate_in(
        &mut self,
        message: &Message<'_>,
        options: &Options<'_>,
        lines: &pipehat::position::LineIndex<'_>,
    ) -> Report {
        self.validate_with(message, options, Some(lines))
    }

    /// Validates every message of a file, in order. Finds each finding's line:column in one
    /// index of the file's lines, where validating its messages one by one would index the
    /// whole file again for each message (each message's input is the whole file).
    ///
    /// ```
    /// use pipehat_validate::{Options, Validator};
    ///
    /// let file = pipehat::File::parse(b"MSH|^~\\&|A|B|||20261122||ADT^A04|1|P|2.5.1\rEVN||20261122\rPID|1||7||DOE\rPV1|1|O\r\n\
    ///                                   MSH|^~\\&|A|B|||20261122||ADT^A04|2|P|2.5.1\rEVN||20261122\rPID|1||7||DOE||19800230\rPV1|1|O\r");
    /// let reports = Validator::new().validate_file(&file, &Options::default());
    /// assert!(reports[0].is_valid());
    /// assert_eq!(reports[1].findings[0].location.line, 7); // the file's line, not the message's
    /// ```
    #[must_use]
    pub fn validate_file(
        &mut self,
        file: &pipehat::File<'_>,
        options: &Options<'_>,
    ) -> Vec<Report> {
        let lines = pipehat::position::LineIndex::new(file.input());
        file.messages()
            .iter()
            .map(|message| self.validate_in(message, options, &lines))
            .collect()
    }
}
