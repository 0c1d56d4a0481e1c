//! Keyed pseudonyms: HMAC-SHA256 under the user's key ([`Keyed`]) makes shape-keeping tokens,
//! realistic names, streets, cities and emails from built-in lists, and each patient's date
//! shift; [`Anonymizer`]'s pseudonymization of one value picks among them by category.

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::anonymizer::Anonymizer;
use crate::category::{Category, Leaf};
use crate::state::State;
use crate::walk::Context;
use crate::{date_shift, generalize};

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

impl Anonymizer {
    /// A keyed pseudonym for one value; `None` keeps it.
    pub(crate) fn pseudonymize<'t>(
        &self,
        leaf: &Leaf,
        text: &'t [u8],
        context: &Context,
        valid: Option<bool>,
        state: &mut State,
    ) -> Option<Cow<'t, [u8]>> {
        let keyed = self
            .keyed
            .as_ref()
            .expect("a key, checked when the anonymizer was made");
        if valid == Some(true) {
            return None;
        }
        Some(Cow::Owned(match leaf.category {
            Category::Allowed => return None,
            // An age is no identifier up to 89: pseudonyms aggregate older ones as Safe Harbor.
            Category::Age => match generalize::aggregate_age(text) {
                Some(kept_or_90) => return kept_or_90.map(Cow::Borrowed),
                None => keyed.token(b"id", text),
            },
            Category::Date | Category::BirthDate => match pipehat::primitive::DateTime::parse(text)
            {
                Some(date) => {
                    let mut shifted = date_shift::shift_date(text, date, context.shift);
                    if leaf.category == Category::BirthDate
                        && let (Some(reference), Some(new)) = (
                            context.reference_year,
                            pipehat::primitive::DateTime::parse(&shifted),
                        )
                        && reference - new.year > 89
                    {
                        shifted[..4]
                            .copy_from_slice(format!("{:04}", (reference - 90).max(0)).as_bytes());
                    }
                    shifted
                }
                None => keyed.token(b"id", text),
            },
            Category::FamilyName => keyed.realistic(Realistic::Family, text),
            Category::GivenName => keyed.realistic(Realistic::Given, text),
            Category::Street => keyed.realistic(Realistic::Street, text),
            Category::City => keyed.realistic(Realistic::City, text),
            Category::Email if text.contains(&b'@') => keyed.realistic(Realistic::Email, text),
            Category::FreeText => state.scrubber.scrub(text),
            Category::Binary => Vec::new(),
            _ => keyed.token(b"id", text),
        }))
    }
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
}
