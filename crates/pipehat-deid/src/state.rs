//! What one anonymization keeps from value to value ([`State`]): the scrubber's learned
//! identifiers, the segment plans, and dictionary answers and escape tables already worked out.

use pipehat::Delimiters;
use pipehat_dict::Version;

use crate::fast_map::FastMap;
use crate::plan::SegmentPlans;
use crate::scrubber::Scrubber;
use crate::well_formed::{describes, in_table};

/// What one anonymization keeps from value to value: the identifiers learned for scrubbing,
/// and dictionary answers already looked up (a file repeats the same few hundred positions
/// and codes thousands of times).
#[derive(Debug, Default)]
pub(crate) struct State {
    pub scrubber: Scrubber,
    /// Whether a value is in a table: by the table id (two bytes, little-endian), then the
    /// value. The first answer stands, whatever the version (see [`State::in_table`]).
    codes: FastMap<Vec<u8>, bool>,
    /// Whether a text describes a code, by version, then the table id, the code's length (four
    /// bytes), the code and the text.
    descriptions: Vec<(Version, FastMap<Vec<u8>, bool>)>,
    /// The key being looked up in `codes` or `descriptions`.
    key: Vec<u8>,
    /// The bytes [`escape::encode`] escapes, for the last delimiters asked about.
    ///
    /// [`escape::encode`]: pipehat::escape::encode
    escaped: Option<(Delimiters, [bool; 256])>,
    /// What the fields of each segment id are, by version and id (see [`State::segment_plan`]).
    pub segment_plans: Vec<SegmentPlans>,
    segment_index: FastMap<(Version, u64), usize>,
}

impl State {
    /// The index in `segment_plans` of the plans for segment `id` in `version`, made on first
    /// use; `None` for an id too long to key (planned afresh each time).
    pub fn segment_plan(&mut self, version: Version, id: &[u8]) -> Option<usize> {
        if id.len() > 7 {
            return None;
        }
        let mut key = [0; 8];
        key[..id.len()].copy_from_slice(id);
        key[7] = id.len() as u8;
        let key = (version, u64::from_le_bytes(key));
        if let Some(index) = self.segment_index.get(&key) {
            return Some(*index);
        }
        let index = self.segment_plans.len();
        self.segment_plans.push(SegmentPlans::new(version, id));
        self.segment_index.insert(key, index);
        Some(index)
    }

    pub fn in_table(&mut self, table: Option<u16>, value: &[u8], version: Version) -> bool {
        let Some(id) = table else { return false };
        self.key.clear();
        self.key.extend_from_slice(&id.to_le_bytes());
        self.key.extend_from_slice(value);
        if let Some(found) = self.codes.get(self.key.as_slice()) {
            return *found;
        }
        let found = in_table(table, value, version);
        self.codes.insert(self.key.clone(), found);
        found
    }

    /// Whether [`escape::encode`] would change `text` under `delimiters`.
    ///
    /// [`escape::encode`]: pipehat::escape::encode
    pub fn needs_escape(&mut self, delimiters: Delimiters, text: &[u8]) -> bool {
        let table = match &self.escaped {
            Some((known, table)) if *known == delimiters => table,
            _ => {
                let mut table = [false; 256];
                for byte in [b'\r', b'\n', 0x0B, 0x1C, delimiters.field()] {
                    table[usize::from(byte)] = true;
                }
                for byte in [
                    delimiters.component(),
                    delimiters.repetition(),
                    delimiters.escape(),
                    delimiters.subcomponent(),
                    delimiters.truncation(),
                ]
                .into_iter()
                .flatten()
                {
                    table[usize::from(byte)] = true;
                }
                &self.escaped.insert((delimiters, table)).1
            }
        };
        text.iter().any(|&b| table[usize::from(b)])
    }

    /// [`describes`], remembered.
    pub fn describes(
        &mut self,
        table: Option<u16>,
        code: &[u8],
        text: &[u8],
        version: Version,
    ) -> bool {
        let Some(id) = table else { return false };
        let at = match self.descriptions.iter().position(|(v, _)| *v == version) {
            Some(at) => at,
            None => {
                self.descriptions.push((version, FastMap::default()));
                self.descriptions.len() - 1
            }
        };
        self.key.clear();
        self.key.extend_from_slice(&id.to_le_bytes());
        self.key
            .extend_from_slice(&u32::try_from(code.len()).unwrap_or(u32::MAX).to_le_bytes());
        self.key.extend_from_slice(code);
        self.key.extend_from_slice(text);
        let known = &mut self.descriptions[at].1;
        if let Some(found) = known.get(self.key.as_slice()) {
            return *found;
        }
        let found = describes(table, code, text, version);
        known.insert(self.key.clone(), found);
        found
    }
}
