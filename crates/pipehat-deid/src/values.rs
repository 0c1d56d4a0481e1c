//! The methods on single values: checks of well-formedness, dates, ZIP codes, keyed
//! pseudonyms, and scrubbing free text.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a redacted value becomes. Not derived from the value in any way.
pub(crate) const REDACTED: &[u8] = b"REDACTED";

/// A well-formed NM or SI: an optional sign, digits, an optional decimal point.
pub(crate) fn is_number(value: &[u8]) -> bool {
    let digits = value
        .strip_prefix(b"+")
        .or_else(|| value.strip_prefix(b"-"))
        .unwrap_or(value);
    let mut seen_digit = false;
    let mut seen_point = false;
    for &byte in digits {
        match byte {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_point => seen_point = true,
            _ => return false,
        }
    }
    seen_digit
}

/// Two ASCII digits as a number.
fn two(bytes: &[u8]) -> Option<u32> {
    match bytes {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(b - b'0')),
        _ => None,
    }
}

/// A well-formed TM: `HH[MM[SS[.S[S[S[S]]]]]][+/-ZZZZ]`.
pub(crate) fn is_time(value: &[u8]) -> bool {
    whole_digits(value, 6)
        .is_some_and(|whole| matches!(whole.len(), 2 | 4 | 6) && time_parts_ok(whole))
}

/// The part of a time or timestamp before its fraction, once its time-zone offset
/// (`+/-ZZZZ`) and fraction (`.S` to `.SSSS`, allowed only after `full` digits) are found
/// well-formed; `None` otherwise.
fn whole_digits(value: &[u8], full: usize) -> Option<&[u8]> {
    let (stamp, offset) = split_offset(value);
    if !offset.is_none_or(is_offset) {
        return None;
    }
    let (whole, fraction) = match memchr::memchr(b'.', stamp) {
        Some(at) => (&stamp[..at], Some(&stamp[at + 1..])),
        None => (stamp, None),
    };
    if let Some(fraction) = fraction
        && (whole.len() != full
            || fraction.is_empty()
            || fraction.len() > 4
            || !fraction.iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    Some(whole)
}

fn time_parts_ok(digits: &[u8]) -> bool {
    let limits = [24, 60, 60];
    digits
        .chunks(2)
        .zip(limits)
        .all(|(pair, limit)| two(pair).is_some_and(|n| n < limit))
}

fn is_offset(offset: &[u8]) -> bool {
    offset.len() == 5
        && two(&offset[1..3]).is_some_and(|h| h < 24)
        && two(&offset[3..5]).is_some_and(|m| m < 60)
}

/// The value before a `+`/`-` time-zone offset, and the offset (sign included).
fn split_offset(value: &[u8]) -> (&[u8], Option<&[u8]>) {
    match value.iter().position(|b| matches!(b, b'+' | b'-')) {
        Some(at) => (&value[..at], Some(&value[at..])),
        None => (value, None),
    }
}

/// A date or date/time: its year, month and day (month and day 0 where the precision stops
/// before them), and how many digits of date it has (4, 6 or 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// 4, 6 or 8.
    pub date_digits: usize,
}

/// Reads a DT, DTM or TS value: `YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]`, with real months,
/// days and times.
pub(crate) fn parse_date(value: &[u8]) -> Option<Date> {
    let whole = whole_digits(value, 14)?;
    if !matches!(whole.len(), 4 | 6 | 8 | 10 | 12 | 14) || !whole.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = (two(&whole[0..2])? * 100 + two(&whole[2..4])?) as i32;
    let month = if whole.len() >= 6 {
        two(&whole[4..6])?
    } else {
        0
    };
    let day = if whole.len() >= 8 {
        two(&whole[6..8])?
    } else {
        0
    };
    if whole.len() >= 6 && !(1..=12).contains(&month) {
        return None;
    }
    if whole.len() >= 8 && !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    if whole.len() > 8 && !time_parts_ok(&whole[8..]) {
        return None;
    }
    Some(Date {
        year,
        month,
        day,
        date_digits: whole.len().min(8),
    })
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// `value` (a valid date, see [`parse_date`]) moved by `days`, with its precision, time and
/// offset as they were. A date with only a year or a month moves from the middle of its
/// period, so a shift of a few months changes it only when it should.
pub(crate) fn shift_date(value: &[u8], date: Date, days: i64) -> Vec<u8> {
    let (month, day) = match date.date_digits {
        4 => (7, 1),
        6 => (date.month, 15),
        _ => (date.month, date.day),
    };
    let (year, month, day) = civil_from_days(days_from_civil(date.year, month, day) + days);
    if !(0..=9999).contains(&year) {
        // A sentinel like 99991231 ("no end") says nothing about anyone.
        return value.to_vec();
    }
    let mut out = format!("{year:04}{month:02}{day:02}").into_bytes();
    out.truncate(date.date_digits);
    out.extend_from_slice(&value[date.date_digits..]);
    out
}

/// The three-digit ZIP prefixes whose areas held 20,000 people or fewer in the 2000 census:
/// Safe Harbor replaces them with `000`.
const RESTRICTED_ZIP3: [&[u8]; 17] = [
    b"036", b"059", b"063", b"102", b"203", b"556", b"692", b"790", b"821", b"823", b"830", b"831",
    b"878", b"879", b"884", b"890", b"893",
];

/// A US ZIP code cut to its first three digits (`000` for restricted areas); a three-digit one
/// stays; anything else (a foreign postal code, text) is `None`.
pub(crate) fn generalize_zip(value: &[u8]) -> Option<Vec<u8>> {
    let digits = value.iter().all(u8::is_ascii_digit);
    let zip = match value.len() {
        3 if digits => return Some(value.to_vec()),
        5 | 9 if digits => &value[..3],
        10 if value[5] == b'-'
            && value[..5].iter().all(u8::is_ascii_digit)
            && value[6..].iter().all(u8::is_ascii_digit) =>
        {
            &value[..3]
        }
        _ => return None,
    };
    Some(if RESTRICTED_ZIP3.contains(&zip) {
        b"000".to_vec()
    } else {
        zip.to_vec()
    })
}

/// A state, province or country written as a code: two or three capital letters.
pub(crate) fn is_region_code(value: &[u8]) -> bool {
    matches!(value.len(), 2 | 3) && value.iter().all(u8::is_ascii_uppercase)
}

/// The keyed pseudonym maker: HMAC-SHA256 under the user's key.
#[derive(Clone)]
pub(crate) struct Keyed {
    mac: Hmac<Sha256>,
}

impl core::fmt::Debug for Keyed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print the key.
        f.write_str("Keyed(..)")
    }
}

impl Keyed {
    pub fn new(key: &[u8]) -> Self {
        Keyed {
            mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length"),
        }
    }

    /// 32 pseudo-random bytes for `value` in `domain`, block `counter`.
    fn block(&self, domain: &[u8], value: &[u8], counter: u32) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(domain);
        mac.update(&[0]);
        mac.update(&counter.to_be_bytes());
        mac.update(value);
        mac.finalize().into_bytes().into()
    }

    /// A number below `bound` for `value` in `domain`.
    pub fn pick(&self, domain: &[u8], value: &[u8], bound: u64) -> u64 {
        let block = self.block(domain, value, 0);
        let mut eight = [0; 8];
        eight.copy_from_slice(&block[..8]);
        u64::from_be_bytes(eight) % bound
    }

    /// `value` with every digit replaced by a digit, every letter by a letter of the same case,
    /// and every other non-ASCII byte by a lower-case letter; punctuation and spaces stay.
    pub fn token(&self, domain: &[u8], value: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(value.len());
        let mut block = [0; 32];
        for (i, &byte) in value.iter().enumerate() {
            if i % 32 == 0 {
                block = self.block(domain, value, (i / 32) as u32);
            }
            let r = block[i % 32];
            out.push(match byte {
                b'0'..=b'9' => b'0' + r % 10,
                b'A'..=b'Z' => b'A' + r % 26,
                b'a'..=b'z' | 0x80.. => b'a' + r % 26,
                _ => byte,
            });
        }
        out
    }

    /// Days to shift a patient's dates by: 1 to 365 days, earlier or later, never zero.
    pub fn shift_days(&self, patient: &[u8]) -> i64 {
        let n = self.pick(b"date-shift", patient, 730) as i64;
        if n < 365 { -(n + 1) } else { n - 364 }
    }
}

/// Built-in lists for realistic pseudonyms. Invented or very common, never from the input.
const FAMILY_NAMES: [&str; 48] = [
    "Abbott", "Alvarez", "Bennett", "Brooks", "Carter", "Chen", "Collins", "Delgado", "Dixon",
    "Ellis", "Fischer", "Foster", "Garcia", "Grant", "Hayes", "Hughes", "Ibarra", "Jensen", "Kaur",
    "Keller", "Larsen", "Lopez", "Marsh", "Meyer", "Morgan", "Nakamura", "Novak", "Okafor",
    "Olsen", "Patel", "Pearce", "Quinn", "Ramirez", "Reyes", "Sato", "Schmidt", "Shaw", "Silva",
    "Tanaka", "Torres", "Turner", "Vance", "Walsh", "Weber", "Whitaker", "Young", "Zamora", "Zhou",
];

const GIVEN_NAMES: [&str; 48] = [
    "Aaron", "Abigail", "Alex", "Amara", "Ben", "Carla", "Chloe", "Daniel", "Diana", "Eli",
    "Elena", "Felix", "Fiona", "George", "Grace", "Hannah", "Ivan", "Iris", "Jamal", "Julia",
    "Kai", "Keira", "Leo", "Lena", "Marco", "Maya", "Nadia", "Noah", "Omar", "Olivia", "Paul",
    "Priya", "Quentin", "Rosa", "Ruben", "Sara", "Sean", "Tara", "Theo", "Uma", "Victor", "Vera",
    "Wes", "Willa", "Xavier", "Yara", "Yusuf", "Zoe",
];

const STREETS: [&str; 24] = [
    "Maple", "Oak", "Cedar", "Pine", "Elm", "Birch", "Willow", "Lake", "Hill", "River", "Park",
    "Meadow", "Forest", "Spring", "Sunset", "Highland", "Orchard", "Valley", "Garden", "Church",
    "Mill", "Bridge", "Station", "Harbor",
];

const STREET_KINDS: [&str; 6] = ["St", "Ave", "Rd", "Ln", "Dr", "Way"];

const CITIES: [&str; 24] = [
    "Ashford",
    "Brookfield",
    "Cedarville",
    "Clearwater",
    "Dunmore",
    "Eastwood",
    "Fairview",
    "Glenwood",
    "Greenville",
    "Harmony",
    "Kingston",
    "Lakeside",
    "Milford",
    "Newport",
    "Oakridge",
    "Pinecrest",
    "Riverton",
    "Rosedale",
    "Salem",
    "Springfield",
    "Stonebridge",
    "Westfield",
    "Willowbrook",
    "Woodland",
];

/// The kind of realistic pseudonym.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Realistic {
    Family,
    Given,
    Street,
    City,
    Email,
}

impl Keyed {
    /// A realistic replacement for `value`, picked by the key: the same value (letter case and
    /// surrounding spaces ignored) always gets the same one; all-capital input gets capitals.
    pub fn realistic(&self, kind: Realistic, value: &[u8]) -> Vec<u8> {
        let normal = value.trim_ascii().to_ascii_uppercase();
        let pick = |list: &[&'static str], domain: &[u8]| -> &'static str {
            let at = self.pick(domain, &normal, list.len() as u64) as usize;
            // Never the value itself: a pseudonym equal to the original would leave it in the
            // output (Springfield for Springfield, one key in 24).
            if list[at].as_bytes().eq_ignore_ascii_case(&normal) {
                list[(at + 1) % list.len()]
            } else {
                list[at]
            }
        };
        let text = match kind {
            Realistic::Family => pick(&FAMILY_NAMES, b"family").to_string(),
            Realistic::Given => pick(&GIVEN_NAMES, b"given").to_string(),
            Realistic::City => pick(&CITIES, b"city").to_string(),
            Realistic::Street => format!(
                "{} {} {}",
                1 + self.pick(b"street-number", &normal, 9999),
                pick(&STREETS, b"street"),
                pick(&STREET_KINDS, b"street-kind"),
            ),
            Realistic::Email => {
                let local = value.split(|b| *b == b'@').next().unwrap_or_default();
                let mut out = self.token(b"email", &local.to_ascii_lowercase());
                out.extend_from_slice(b"@example.org");
                return out;
            }
        };
        let has_lower = value.iter().any(u8::is_ascii_lowercase);
        if has_lower || !value.iter().any(u8::is_ascii_uppercase) {
            text.into_bytes()
        } else {
            text.to_ascii_uppercase().into_bytes()
        }
    }
}

/// A fast hasher for the anonymizer's own lookup tables (rustc's Fx: eight bytes at a time,
/// then MurmurHash3's finalizer so the map's control bits are well mixed). The keys come from
/// the user's own messages and the dictionary; flooding attacks are not a concern here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fast;

/// The running state of [`Fast`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

/// A `HashMap` with the [`Fast`] hasher.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, Fast>;

impl core::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl core::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// Known identifier values to remove from free text, each with its replacement, in a trie of
/// their lower-case bytes: scrubbing walks it from each word start as far as the text agrees
/// with some value, so the work is the length of the text times how far it agrees (a few
/// bytes), however many values are known and however long a word or a token is.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scrubber {
    /// Whole value in lower case → its replacement's index in `replacements`.
    known: FastMap<Vec<u8>, u32>,
    /// The replacements, in the order the values were learned.
    replacements: Vec<Vec<u8>>,
    /// Every value of `known`, made before scrubbing when `known` has changed.
    trie: Trie,
    /// How many values `trie` holds (it is made again when `known` has more).
    in_trie: usize,
}

impl Scrubber {
    /// Remember `value` (decoded) as an identifier, replaced in free text by `replacement`
    /// (the first replacement learned for a value stands).
    pub fn learn(&mut self, value: &[u8], replacement: Vec<u8>, min_len: usize) {
        let value = value.trim_ascii();
        if value.len() < min_len || !value.iter().any(u8::is_ascii_alphanumeric) {
            return;
        }
        crate::work::add(1);
        let next = u32::try_from(self.replacements.len()).unwrap_or(u32::MAX);
        if let std::collections::hash_map::Entry::Vacant(entry) =
            self.known.entry(value.to_ascii_lowercase())
        {
            entry.insert(next);
            self.replacements.push(replacement);
        }
    }

    /// `text` without any known identifier (matched whole-word, any letter case) and without
    /// anything shaped like an email, a URL, a date or a long number.
    pub fn scrub(&mut self, text: &[u8]) -> Vec<u8> {
        if self.in_trie != self.known.len() {
            self.trie = Trie::new(&self.known);
            self.in_trie = self.known.len();
        }
        // A match must end where a word ends (or where the value itself ends in punctuation).
        let boundary = |j: usize| j == text.len() || !is_word(text[j]) || !is_word(text[j - 1]);
        let mut patterns = Patterns::new(text);
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            crate::work::add(1);
            let at_word_start = i == 0 || !is_word(text[i - 1]);
            if at_word_start {
                if let Some((end, replacement)) = self.known_at(text, i, boundary) {
                    out.extend_from_slice(&self.replacements[replacement as usize]);
                    i = end;
                    continue;
                }
                if let Some((end, placeholder)) = patterns.at(i) {
                    out.extend_from_slice(placeholder);
                    i = end;
                    continue;
                }
            }
            out.push(text[i]);
            i += 1;
        }
        out
    }

    /// The longest known value at `i` of `text` (in any letter case) that ends at a boundary:
    /// where it ends, and its replacement's index.
    fn known_at(
        &self,
        text: &[u8],
        i: usize,
        boundary: impl Fn(usize) -> bool,
    ) -> Option<(usize, u32)> {
        let mut node = Trie::ROOT;
        let mut best = None;
        for (k, byte) in text[i..].iter().enumerate() {
            crate::work::add(1);
            let Some(child) = self.trie.child(node, byte.to_ascii_lowercase()) else {
                break;
            };
            node = child;
            let end = i + k + 1;
            if let Some(value) = self.trie.value(node)
                && boundary(end)
            {
                best = Some((end, value));
            }
        }
        best
    }
}

/// A trie of byte strings, each child list in byte order and in one stretch of `labels` and
/// `targets` (made once from every value, breadth first, with no recursion: a value can be as
/// long as a field).
#[derive(Debug, Default, Clone)]
struct Trie {
    nodes: Vec<TrieNode>,
    labels: Vec<u8>,
    targets: Vec<u32>,
    /// The root's children by byte (0: none): most look-ups start and stop there.
    root: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    /// Where its children are in `labels` and `targets`.
    first: u32,
    count: u32,
    /// The replacement of the value ending here (`u32::MAX`: none).
    value: u32,
}

impl Trie {
    const ROOT: u32 = 0;

    fn new(known: &FastMap<Vec<u8>, u32>) -> Self {
        let mut keys: Vec<(&[u8], u32)> = known.iter().map(|(k, v)| (k.as_slice(), *v)).collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut trie = Trie {
            nodes: vec![TrieNode {
                first: 0,
                count: 0,
                value: u32::MAX,
            }],
            labels: Vec::new(),
            targets: Vec::new(),
            root: vec![0; 256],
        };
        // (node, the keys below it, its depth): every key sharing the node's bytes.
        let mut queue: Vec<(u32, usize, usize, usize)> = vec![(Self::ROOT, 0, keys.len(), 0)];
        let mut next = 0;
        while next < queue.len() {
            let (node, mut lo, hi, depth) = queue[next];
            next += 1;
            if lo < hi && keys[lo].0.len() == depth {
                trie.nodes[node as usize].value = keys[lo].1;
                lo += 1; // keys are distinct: one at most ends here
            }
            let first = trie.labels.len();
            while lo < hi {
                let byte = keys[lo].0[depth];
                let mut end = lo + 1;
                while end < hi && keys[end].0[depth] == byte {
                    end += 1;
                }
                let child = trie.nodes.len() as u32;
                trie.nodes.push(TrieNode {
                    first: 0,
                    count: 0,
                    value: u32::MAX,
                });
                trie.labels.push(byte);
                trie.targets.push(child);
                if node == Self::ROOT {
                    trie.root[usize::from(byte)] = child;
                }
                queue.push((child, lo, end, depth + 1));
                lo = end;
            }
            let entry = &mut trie.nodes[node as usize];
            entry.first = first as u32;
            entry.count = (trie.labels.len() - first) as u32;
        }
        trie
    }

    /// The child of `node` by `byte`.
    #[inline]
    fn child(&self, node: u32, byte: u8) -> Option<u32> {
        if node == Self::ROOT {
            return match self.root.get(usize::from(byte)) {
                Some(&child) if child != 0 => Some(child),
                _ => None,
            };
        }
        let entry = self.nodes[node as usize];
        let (first, count) = (entry.first as usize, entry.count as usize);
        let labels = &self.labels[first..first + count];
        let at = if count <= 8 {
            labels.iter().position(|&label| label == byte)?
        } else {
            labels.binary_search(&byte).ok()?
        };
        Some(self.targets[first + at])
    }

    /// The replacement of the value that ends at `node`, if one does.
    #[inline]
    fn value(&self, node: u32) -> Option<u32> {
        let value = self.nodes[node as usize].value;
        (value != u32::MAX).then_some(value)
    }
}

fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte >= 0x80
}

/// Finds emails, URLs, dates and long numbers at the word starts of one text, asked in
/// increasing order. What a look-up learns about the text ahead — where its token ends, the
/// next `@`, a run of digits — is kept for the next word start, so a long token with many word
/// starts (`a,b,c,…`, `1-2-3-…`) is read once, not once per word start.
struct Patterns<'t> {
    text: &'t [u8],
    /// The whitespace-delimited token holding the last start asked about.
    token: Option<Token>,
    /// The first `@` at or after `from` (`None`: there is none).
    next_at: Option<(usize, Option<usize>)>,
    /// The run of digits and separators read from `start`.
    run: Option<Run>,
    /// Digits and date separators counted from the run's start, one entry per byte.
    digits: Vec<u32>,
    separators: Vec<u32>,
}

/// A token: where it ends, where its trailing punctuation starts (not before the start it was
/// read from), and its last `.` before that.
#[derive(Clone, Copy)]
struct Token {
    end: usize,
    punctuation: usize,
    last_dot: Option<usize>,
}

/// A run of digits and separators, as read from `start`: where reading stopped, and where its
/// last digit ends.
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    stop: usize,
    end: usize,
}

impl<'t> Patterns<'t> {
    fn new(text: &'t [u8]) -> Self {
        Patterns {
            text,
            token: None,
            next_at: None,
            run: None,
            digits: Vec::new(),
            separators: Vec::new(),
        }
    }

    /// The token holding `start`, read if the last one does not.
    fn token(&mut self, start: usize) -> Token {
        if let Some(token) = self.token
            && start <= token.end
        {
            return token;
        }
        let text = self.text;
        let end = text[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(text.len(), |n| start + n);
        let trailing = text[start..end]
            .iter()
            .rev()
            .take_while(|b| {
                matches!(
                    b,
                    b'.' | b',' | b';' | b':' | b')' | b'!' | b'?' | b'"' | b'\''
                )
            })
            .count();
        let punctuation = end - trailing;
        crate::work::add(end - start + 1);
        let token = Token {
            end,
            punctuation,
            last_dot: memchr::memrchr(b'.', &text[start..punctuation]).map(|at| start + at),
        };
        self.token = Some(token);
        token
    }

    /// The first `@` at or after `start`.
    fn next_at(&mut self, start: usize) -> Option<usize> {
        if let Some((from, found)) = self.next_at
            && from <= start
            && found.is_none_or(|at| at >= start)
        {
            return found;
        }
        let found = memchr::memchr(b'@', &self.text[start..]).map(|at| start + at);
        crate::work::add(found.map_or(self.text.len(), |at| at + 1) - start);
        self.next_at = Some((start, found));
        found
    }

    /// The run of digits and separators from `start` (a digit, or `(` before one): where
    /// its last digit ends, how many digits it has and how many date separators (`-`, `/`,
    /// `.`). Read once for every start inside it: reading from any of them visits the same
    /// bytes to the same stop.
    fn run(&mut self, start: usize) -> (usize, usize, usize) {
        let run = match self.run {
            Some(run) if run.start <= start && start < run.stop => run,
            _ => {
                let text = self.text;
                self.digits.clear();
                self.separators.clear();
                let (mut digits, mut separators) = (0, 0);
                let mut end = start;
                let mut j = start;
                while j < text.len() {
                    crate::work::add(1);
                    self.digits.push(digits);
                    self.separators.push(separators);
                    let byte = text[j];
                    if byte.is_ascii_digit() {
                        digits += 1;
                        j += 1;
                        end = j;
                    } else if matches!(byte, b'-' | b'.' | b'/' | b'(' | b')' | b' ')
                        && text.get(j + 1).is_some_and(|next| {
                            next.is_ascii_digit() || (byte == b')' && *next == b' ')
                        })
                    {
                        if matches!(byte, b'-' | b'/' | b'.') {
                            separators += 1;
                        }
                        j += 1;
                    } else {
                        break;
                    }
                }
                self.digits.push(digits);
                self.separators.push(separators);
                let run = Run {
                    start,
                    stop: j,
                    end,
                };
                self.run = Some(run);
                run
            }
        };
        let at = |counts: &[u32], position: usize| counts[position - run.start] as usize;
        (
            run.end,
            at(&self.digits, run.end) - at(&self.digits, start),
            at(&self.separators, run.stop) - at(&self.separators, start),
        )
    }

    /// An email, URL, date or long number starting at `start` (a word start, after every
    /// start asked before): where it ends and what replaces it.
    fn at(&mut self, start: usize) -> Option<(usize, &'static [u8])> {
        let text = self.text;
        let token = self.token(start);
        // The token from here, without trailing punctuation.
        let word_end = token.punctuation.max(start);
        if let Some(at) = self.next_at(start)
            && at > start
            && at < word_end
            && token.last_dot.is_some_and(|dot| dot > at && dot < word_end)
        {
            return Some((word_end, b"[EMAIL]"));
        }
        let word = &text[start..word_end];
        let starts = |prefix: &[u8]| {
            word.len() >= prefix.len() && word[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        if starts(b"http://") || starts(b"https://") || starts(b"www.") {
            return Some((word_end, b"[URL]"));
        }
        // A run of digits and separators: phone numbers, SSNs, dates, record numbers.
        let opens_number =
            text[start] == b'(' && text.get(start + 1).is_some_and(u8::is_ascii_digit);
        if !(text[start].is_ascii_digit() || opens_number) {
            return None;
        }
        let (end, digits, date_separators) = self.run(start);
        if end < text.len() && is_word(text[end]) {
            return None; // digits glued to letters: a code like 5HT3, not a number
        }
        if date_separators == 2 && (3..=8).contains(&digits) {
            Some((end, b"[DATE]"))
        } else if digits >= 5 {
            Some((end, b"[NUMBER]"))
        } else {
            None
        }
    }
}

/// An age kept, or aggregated: `Some(None)` keeps a well-formed age up to 89, `Some(Some(90))`
/// replaces an older one (90 stands for 90 or older); `None` for a value that is no number.
pub(crate) fn aggregate_age(value: &[u8]) -> Option<Option<&'static [u8]>> {
    if !is_number(value) {
        return None;
    }
    let age: f64 = core::str::from_utf8(value).ok()?.parse().ok()?;
    Some((age > 89.0).then_some(&b"90"[..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_realistic_pseudonym_is_never_the_value_itself() {
        // Every listed name and city, under many keys, in any letter case.
        for key in 0u32..200 {
            let keyed = Keyed::new(&key.to_be_bytes());
            for (kind, list) in [
                (Realistic::City, &CITIES[..]),
                (Realistic::Family, &FAMILY_NAMES[..]),
                (Realistic::Given, &GIVEN_NAMES[..]),
            ] {
                for value in list {
                    for written in [value.to_string(), value.to_ascii_uppercase()] {
                        let pseudonym = keyed.realistic(kind, written.as_bytes());
                        assert!(
                            !pseudonym.eq_ignore_ascii_case(value.as_bytes()),
                            "{written} became {}",
                            String::from_utf8_lossy(&pseudonym)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn dates_are_checked_for_real() {
        assert_eq!(parse_date(b"19800229").map(|d| d.day), Some(29)); // a leap year
        assert!(parse_date(b"19800230").is_none());
        assert!(parse_date(b"20000229").is_some());
        assert!(parse_date(b"19000229").is_none());
        assert!(parse_date(b"202611221530").is_some());
        assert!(parse_date(b"20261122153000.1234-0500").is_some());
        assert!(parse_date(b"2026112215300").is_none());
        assert!(parse_date(b"1980").is_some());
        assert!(parse_date(b"198013").is_none());
        assert!(parse_date(b"CANARY").is_none());
        assert!(is_time(b"1530") && is_time(b"153000.12+0100") && !is_time(b"2460"));
        assert!(is_number(b"-1.5") && is_number(b"42") && !is_number(b".") && !is_number(b"1e5"));
    }

    #[test]
    fn shifts_keep_precision_time_and_offset() {
        let shift = |v: &[u8], days| shift_date(v, parse_date(v).unwrap(), days);
        assert_eq!(shift(b"20240301", -1), b"20240229");
        assert_eq!(shift(b"202403011230-0500", -1), b"202402291230-0500");
        assert_eq!(shift(b"19991231", 1), b"20000101");
        assert_eq!(shift(b"202403", -10), b"202403");
        assert_eq!(shift(b"202403", -20), b"202402");
        assert_eq!(shift(b"2024", 200), b"2025");
    }

    #[test]
    fn zip_codes_keep_three_digits() {
        assert_eq!(generalize_zip(b"02139").unwrap(), b"021");
        assert_eq!(generalize_zip(b"03601").unwrap(), b"000");
        assert_eq!(generalize_zip(b"02139-4307").unwrap(), b"021");
        assert_eq!(generalize_zip(b"021").unwrap(), b"021");
        assert_eq!(generalize_zip(b"SW1A 1AA"), None);
    }

    #[test]
    fn pseudonyms_depend_on_the_key_and_keep_shapes() {
        let a = Keyed::new(b"key one");
        let b = Keyed::new(b"key two");
        let token = a.token(b"id", b"MR-004512a");
        assert_eq!(token, a.token(b"id", b"MR-004512a"));
        assert_ne!(token, b.token(b"id", b"MR-004512a"));
        assert_eq!(token.len(), 10);
        assert_eq!(token[2], b'-');
        assert!(token[..2].iter().all(u8::is_ascii_uppercase));
        assert!(token[3..9].iter().all(u8::is_ascii_digit));
        assert!(token[9].is_ascii_lowercase());
        let name = a.realistic(Realistic::Family, b"DOE");
        assert_eq!(
            name,
            a.realistic(Realistic::Family, b"doe").to_ascii_uppercase()
        );
        assert!(name.iter().all(u8::is_ascii_uppercase));
        let days = a.shift_days(b"patient");
        assert!(days != 0 && (-365..=365).contains(&days));
    }

    #[test]
    fn scrubs_known_values_and_patterns() {
        let mut scrubber = Scrubber::default();
        scrubber.learn(b"Doe", b"Walsh".to_vec(), 2);
        scrubber.learn(b"MRN12345", b"XQT90210".to_vec(), 3);
        let text = b"Mrs DOE (MRN12345) called 555-123-4567 on 3/4/2021, mail jd@x.org; Doeville ok, 12.5 mg";
        let scrubbed = scrubber.scrub(text);
        assert_eq!(
            String::from_utf8(scrubbed).unwrap(),
            "Mrs Walsh (XQT90210) called [NUMBER] on [DATE], mail [EMAIL]; Doeville ok, 12.5 mg"
        );
    }
}
