//! The anonymize panel's data: the text anonymized under a preset (with each changed value's
//! original, kept in the page), its receipt, and the values now at the changed places.

use pipehat::Path;
use pipehat_deid::{Anonymizer, Category, Change, FreeText, Policy, Preset};

use super::parsed::Parsed;

/// An anonymized text, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnonymizedView {
    /// The anonymized text (segment terminators as in the input), parsed once for the values
    /// now at the changed places (see [`values_after`]).
    pub output: Parsed,
    /// Every changed value: its message, path, category, method and original (which stays in
    /// this page: nothing is sent anywhere).
    pub changes: Vec<Change>,
    /// How many messages were anonymized.
    pub messages: usize,
    /// Text dropped because it could not be read as HL7 (for the receipt).
    pub removed: Vec<pipehat_deid::Removal>,
    /// The preset used (for the receipt).
    pub preset: Preset,
    /// Why it could not be done (a pseudonymizing preset without a key).
    pub error: Option<String>,
}

impl AnonymizedView {
    /// The anonymized text, segment terminators as in the input.
    pub fn text(&self) -> &str {
        self.output.text()
    }

    /// The receipt as `pipehat anonymize --receipt` writes it (JSON): every changed value's
    /// message, path, category and method — never the original values, which stay in this page.
    pub fn receipt_json(&self) -> String {
        let receipt = pipehat_deid::Receipt {
            preset: self.preset,
            messages: self.messages,
            changes: self
                .changes
                .iter()
                .map(|change| Change {
                    original: None,
                    ..change.clone()
                })
                .collect(),
            removed: self.removed.clone(),
        };
        serde_json::to_string_pretty(&receipt).unwrap_or_default()
    }
}

/// `text` anonymized with `preset` (and `key` for pseudonyms), free text redacted or scrubbed
/// as `free_text` says, keeping each changed value's original for the before/after view.
pub fn anonymized(text: &str, preset: Preset, free_text: FreeText, key: &str) -> AnonymizedView {
    let key = (!key.is_empty()).then_some(key.as_bytes());
    let policy = Policy {
        free_text,
        ..Policy::preset(preset)
    };
    match Anonymizer::new(&policy, key) {
        Err(error) => AnonymizedView {
            error: Some(match error {
                pipehat_deid::Error::KeyTooShort { .. } => {
                    format!("{error} of text: Generate makes a 256-bit one.")
                }
                _ => error.to_string(),
            }),
            ..AnonymizedView::default()
        },
        Ok(anonymizer) => {
            // The text is text: values are read as the characters they are, whatever MSH-18
            // says (an opened file was decoded by it already).
            let output = anonymizer.keep_originals(true).anonymize_text(text);
            AnonymizedView {
                output: Parsed::new(output.text),
                changes: output.receipt.changes,
                messages: output.receipt.messages,
                removed: output.receipt.removed,
                preset,
                error: None,
            }
        }
    }
}

/// The values now at the places of `changes` in the anonymized text `output`, in the same
/// order: decoded, `""` for the HL7 null, empty for a value removed. `None` where the
/// anonymized text cannot tell (a file or batch header, which belongs to no message).
pub fn values_after(output: &Parsed, changes: &[&Change]) -> Vec<Option<String>> {
    let file = output.file();
    changes
        .iter()
        .map(|change| {
            let message = file.messages().get(change.message?)?;
            // A change's path has no accessors: its text is the one way to its numbers.
            let mut path: Path = change.path.to_string().parse().ok()?;
            // A change's `PID-3` is the value of the first repetition (a leaf); only a binary
            // field is removed whole, all repetitions at once.
            if let (None, Some(field)) = (path.repetition(), path.field())
                && change.category != Category::Binary
            {
                path = Path::new(path.segment_id(), path.occurrence(), &[field, 1]).ok()?;
            }
            Some(message.get(&path).map_or_else(String::new, |element| {
                if element.is_null() {
                    "\"\"".to_string()
                } else {
                    element.text().into_owned()
                }
            }))
        })
        .collect()
}
