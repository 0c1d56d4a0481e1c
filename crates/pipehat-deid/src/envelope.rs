//! A file as a whole: its messages and the batch and file envelope segments (FHS, BHS, BTS,
//! FTS) in input order, what lies between them (line ends and MLLP framing kept, prose
//! dropped and listed), and the learning pass that comes first when free text is scrubbed.

use pipehat::{File, Segment};
use pipehat_dict::Version;

use crate::anonymizer::Anonymizer;
use crate::encoding::Encoding;
use crate::receipt::{Receipt, Removal};
use crate::state::State;
use crate::walk::{Context, Sink};
use crate::work;

impl Anonymizer {
    /// Anonymizes a parsed file: its bytes and receipt. `text`: the file was parsed from text.
    pub(crate) fn file(&self, file: &File<'_>, text: bool) -> (Vec<u8>, Receipt) {
        let input = file.input();
        let envelope = envelope_segments(file);
        let mut state = State::default();
        if self.scrubs {
            let mut sink = Sink::Learn;
            for (index, message) in file.messages().iter().enumerate() {
                self.message(message, index, text, &mut sink, &mut state);
            }
            for segment in &envelope {
                self.envelope_segment(segment, text, &mut sink, &mut state);
            }
        }

        let mut regions: Vec<(usize, usize, Region)> = Vec::new();
        for (index, message) in file.messages().iter().enumerate() {
            regions.push((
                message.span().start,
                message.span().end,
                Region::Message(index),
            ));
        }
        for (index, segment) in envelope.iter().enumerate() {
            regions.push((
                segment.span().start,
                segment.span().end,
                Region::Envelope(index),
            ));
        }
        for unreadable in file.unreadable() {
            regions.push((
                unreadable.span().start,
                unreadable.span().end,
                Region::Unreadable,
            ));
        }
        regions.sort_by_key(|r| r.0);

        let mut out = Vec::with_capacity(input.len());
        // About one changed value per 25 bytes of typical messages: reserving most of it up
        // front saves copying a large receipt as it grows.
        let mut changes = Vec::with_capacity(input.len() / 32);
        let mut removed = Vec::new();
        let mut copied = 0;
        for (start, end, region) in regions {
            if start < copied {
                continue;
            }
            gap(input, copied, start, &mut out, &mut removed);
            let mut sink = Sink::Write {
                out: &mut out,
                changes: &mut changes,
            };
            match region {
                Region::Message(index) => {
                    self.message(&file.messages()[index], index, text, &mut sink, &mut state);
                }
                Region::Envelope(index) => {
                    self.envelope_segment(&envelope[index], text, &mut sink, &mut state);
                }
                Region::Unreadable => removed.push(Removal {
                    start,
                    end,
                    reason: "a message whose header cannot be read",
                }),
            }
            copied = end;
        }
        gap(input, copied, input.len(), &mut out, &mut removed);
        (
            out,
            Receipt {
                preset: self.policy.preset,
                messages: file.messages().len(),
                changes,
                removed,
            },
        )
    }

    /// A batch or file envelope segment (FHS, BHS, BTS, FTS): anonymized like any segment,
    /// outside any message.
    fn envelope_segment(
        &self,
        segment: &Segment<'_>,
        text: bool,
        sink: &mut Sink<'_>,
        state: &mut State,
    ) {
        self.lone_segment(
            segment,
            &envelope_context(if text {
                Encoding::Text
            } else {
                Encoding::Bytes
            }),
            sink,
            state,
        );
    }
}

enum Region {
    Message(usize),
    Envelope(usize),
    Unreadable,
}

/// The file's envelope segments (FHS, BHS, BTS, FTS), with their delimiters.
fn envelope_segments<'a>(file: &File<'a>) -> Vec<Segment<'a>> {
    let mut spans: Vec<usize> = Vec::new();
    spans.extend(file.header().map(|s| s.start));
    spans.extend(file.trailer().map(|s| s.start));
    for batch in file.batches() {
        spans.extend(batch.header().map(|s| s.start));
        spans.extend(batch.trailer().map(|s| s.start));
    }
    if spans.is_empty() {
        return Vec::new();
    }
    spans.sort_unstable();
    pipehat::segments(file.input())
        .filter(|segment| {
            work::add(1);
            spans.binary_search(&segment.span().start).is_ok()
        })
        .collect()
}

fn envelope_context(encoding: Encoding) -> Context {
    Context {
        version: Version::LATEST,
        shift: 0,
        reference_year: None,
        message: None,
        encoding,
    }
}

/// Copies what lies between messages: line ends, MLLP framing and a byte-order mark stay;
/// anything else is dropped and listed.
fn gap(input: &[u8], from: usize, to: usize, out: &mut Vec<u8>, removed: &mut Vec<Removal>) {
    let mut dropped = None;
    for (i, &byte) in input[from..to].iter().enumerate() {
        let at = from + i;
        let keep = matches!(byte, b'\r' | b'\n' | 0x0B | 0x1C)
            || (at < 3 && input.starts_with(b"\xEF\xBB\xBF"));
        if keep {
            out.push(byte);
        } else if !byte.is_ascii_whitespace() {
            dropped.get_or_insert((at, at)).1 = at + 1;
        }
    }
    if let Some((start, end)) = dropped {
        removed.push(Removal {
            start,
            end,
            reason: "text between messages that is not HL7",
        });
    }
}
