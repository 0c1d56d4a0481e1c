//! What the viewer shows, computed from the pasted text by the Rust crates: plain data for the
//! components to render (no HTML is ever built from message text: Leptos sets it as text).
//!
//! One file per view of the text: `structure` (the named segments and elements, read through
//! `named`, the rows it makes of the core's walk), `report` (validation findings,
//! the report to copy, the ACK), `anonymized` (the anonymized copy and its before/after),
//! `messages` (the message list of a file), `raw` (the raw view's coloured lines), `offsets`
//! (text-area offsets, line starts, the element under the caret) and `checks` (what the user
//! chose to check with: version, preset, profile). Each reads `parsed`: a text and its one
//! parse, kept together, so no view parses the text again.

mod anonymized;
mod checks;
mod messages;
mod named;
mod offsets;
mod parsed;
mod raw;
mod report;
mod structure;

pub use anonymized::{AnonymizedView, anonymized, values_after};
pub(crate) use checks::version_of;
pub use checks::{Checks, read_profile};
pub use messages::{MessageRow, error_counts, message_rows};
pub use offsets::{area_offset, byte_offset, caret, hl7_line_ends, line_of, line_starts};
pub use parsed::Parsed;
pub use raw::{Layout, Mark, layout, raw_lines};
pub use report::{FindingRow, acknowledgment, findings, report_text};
pub use structure::{ElementRow, MessageView, SegmentView, message_view};

/// The raw view and the text area's offsets checked together, over any text and on the corpus
/// (kept here, where proptest-regressions/model.txt replays their saved cases).
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every line of `text`, as the raw view draws it, with `marks` laid over it.
    fn drawn(text: &str, marks: &[Mark]) -> Vec<String> {
        let layout = layout(text, &pipehat::File::parse_text(text), 0);
        raw_lines(text, &layout, 0, layout.lines.len(), marks)
            .into_iter()
            .map(|line| line.tokens.into_iter().map(|t| t.text).collect())
            .collect()
    }

    /// The lines of `text` without their terminators, as a text area shows them.
    fn lines_of(text: &str) -> Vec<String> {
        let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.split('\n').map(str::to_string).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the text (broken messages, any line ends, any characters) and wherever the
        /// findings, the raw view draws every line exactly, and offsets go back and forth.
        #[test]
        fn the_raw_view_is_the_text(
            text in "(MSH\\|\\^~\\\\&\\||PID\\||OBX\\||[|^~&\\\\]|[a-zé😀 ]{0,6}|\r\n|\r|\n){0,40}",
            marks in proptest::collection::vec((0usize..300, 0usize..40, 0usize..3), 0..6),
        ) {
            let marks: Vec<Mark> = marks
                .into_iter()
                .map(|(start, width, severity)| {
                    (start, start + width, ["error", "warning", "info"][severity])
                })
                .collect();
            prop_assert_eq!(drawn(&text, &marks), lines_of(&text));
            for (byte, _) in text.char_indices() {
                let after_cr = byte > 0 && text.as_bytes()[byte - 1] == b'\r' && text.as_bytes()[byte] == b'\n';
                if !after_cr {
                    prop_assert_eq!(byte_offset(&text, area_offset(&text, byte)), byte);
                }
            }
        }
    }

    /// Every message of the shared corpus draws back to its own text.
    #[test]
    fn corpus_messages_draw_losslessly() {
        let Some(dir) = testkit::corpus_dir() else {
            return;
        };
        let files = testkit::message_files(&dir);
        assert!(!files.is_empty());
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(drawn(&text, &[]), lines_of(&text), "{}", file.display());
        }
    }
}
