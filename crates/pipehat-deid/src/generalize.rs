//! Safe Harbor's methods on one value: what a redacted value becomes ([`REDACTED`], or empty
//! where a format is kept), and generalization — dates to their year, birth dates over 89
//! years back to the year 90 years back, ZIP codes to three digits, ages over 89 to 90.

use std::borrow::Cow;

use crate::anonymizer::Anonymizer;
use crate::category::{Category, Leaf};
use crate::walk::Context;
use pipehat::primitive::{self, DateTime};

/// What a redacted value becomes. Not derived from the value in any way.
pub(crate) const REDACTED: &[u8] = b"REDACTED";

/// What a redacted value becomes: `REDACTED`; or nothing where the type has a format and
/// the value kept it (a redacted phone area code, NM, must stay a number or be empty — and
/// a value that already broke its format keeps breaking it the same way, not as a new
/// missing required value).
pub(crate) fn redacted(leaf: &Leaf, text: &[u8]) -> &'static [u8] {
    let keeps_format = leaf.formatted && primitive::is_valid(leaf.data_type, text).unwrap_or(false);
    if keeps_format { b"" } else { REDACTED }
}

impl Anonymizer {
    /// Safe Harbor's generalization of one value; `None` keeps it.
    pub(crate) fn generalize<'t>(
        &self,
        leaf: &Leaf,
        text: &'t [u8],
        context: &Context,
        valid: Option<bool>,
    ) -> Option<Cow<'t, [u8]>> {
        let redacted = Some(Cow::Borrowed(redacted(leaf, text)));
        if let Some(valid) = valid {
            return if valid { None } else { redacted };
        }
        match leaf.category {
            Category::Date => match DateTime::parse(text) {
                Some(_) => Some(Cow::Borrowed(&text[..4])),
                None => redacted,
            },
            Category::BirthDate => match (DateTime::parse(text), context.reference_year) {
                (Some(date), Some(reference)) if reference - date.year > 89 => Some(Cow::Owned(
                    format!("{:04}", (reference - 90).max(0)).into_bytes(),
                )),
                (Some(_), Some(_)) => Some(Cow::Borrowed(&text[..4])),
                _ => redacted,
            },
            Category::PostalCode => generalize_zip(text).map(Cow::Owned).or(redacted),
            Category::Age => match aggregate_age(text) {
                Some(kept_or_90) => kept_or_90.map(Cow::Borrowed),
                None => redacted,
            },
            Category::Allowed => None,
            _ => redacted,
        }
    }
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

/// An age kept, or aggregated: `Some(None)` keeps a well-formed age up to 89, `Some(Some(90))`
/// replaces an older one (90 stands for 90 or older); `None` for a value that is no number.
pub(crate) fn aggregate_age(value: &[u8]) -> Option<Option<&'static [u8]>> {
    if !primitive::is_number(value) {
        return None;
    }
    let age: f64 = core::str::from_utf8(value).ok()?.parse().ok()?;
    Some((age > 89.0).then_some(&b"90"[..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_codes_keep_three_digits() {
        assert_eq!(generalize_zip(b"02139").unwrap(), b"021");
        assert_eq!(generalize_zip(b"03601").unwrap(), b"000");
        assert_eq!(generalize_zip(b"02139-4307").unwrap(), b"021");
        assert_eq!(generalize_zip(b"021").unwrap(), b"021");
        assert_eq!(generalize_zip(b"SW1A 1AA"), None);
    }
}
