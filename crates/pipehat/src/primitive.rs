//! The formats of HL7's primitive data types with a grammar: DT, TM, DTM (and TS, DIN), NM and SI.
//!
//! One grammar for every layer: validation reports a value that does not have its type's format,
//! and de-identification keeps only values that do (a number or time it cannot read is
//! redacted), so the two must agree on what "well-formed" is. Values are the decoded bytes of a
//! component or subcomponent.
//!
//! ```
//! use pipehat::primitive::{self, DateTime};
//!
//! assert_eq!(primitive::is_valid("DT", b"19800229"), Some(true)); // a leap year
//! assert_eq!(primitive::is_valid("DT", b"19810229"), Some(false));
//! assert_eq!(primitive::is_valid("TM", b"2460"), Some(false));
//! assert_eq!(primitive::is_valid("SI", b"-1"), Some(false)); // a sequence id is never negative
//! assert_eq!(primitive::is_valid("ST", b"anything"), None); // no grammar
//! let stamp = DateTime::parse(b"20261122153000.12-0500").unwrap();
//! assert_eq!((stamp.year, stamp.month, stamp.day, stamp.date_digits), (2026, 11, 22, 8));
//! ```

/// Whether `value` has the format of `data_type`: `Some` for the types with a grammar (DT, TM,
/// DTM, TS, DIN, NM, SI), `None` for any other.
#[must_use]
pub fn is_valid(data_type: &str, value: &[u8]) -> Option<bool> {
    Some(match data_type {
        "DT" => is_date(value),
        "TM" => is_time(value),
        "DTM" | "TS" | "DIN" => is_date_time(value),
        "NM" => is_number(value),
        "SI" => is_sequence_id(value),
        _ => return None,
    })
}

/// Whether [`is_valid`] knows the type's format.
#[must_use]
pub fn has_grammar(data_type: &str) -> bool {
    matches!(data_type, "DT" | "TM" | "DTM" | "TS" | "DIN" | "NM" | "SI")
}

/// DT: `YYYY[MM[DD]]`, with real months and days.
#[must_use]
pub fn is_date(value: &[u8]) -> bool {
    matches!(value.len(), 4 | 6 | 8) && DateTime::parse(value).is_some()
}

/// TM: `HH[MM[SS[.S[S[S[S]]]]]][+/-ZZZZ]`.
#[must_use]
pub fn is_time(value: &[u8]) -> bool {
    whole_digits(value, 6)
        .is_some_and(|whole| matches!(whole.len(), 2 | 4 | 6) && clock_is_valid(whole))
}

/// DTM (and TS, DIN): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`.
#[must_use]
pub fn is_date_time(value: &[u8]) -> bool {
    DateTime::parse(value).is_some()
}

/// NM: an optional sign, digits with at most one decimal point, at least one digit.
#[must_use]
pub fn is_number(value: &[u8]) -> bool {
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

/// SI: a non-negative whole number, digits only.
#[must_use]
pub fn is_sequence_id(value: &[u8]) -> bool {
    !value.is_empty() && value.iter().all(u8::is_ascii_digit)
}

/// The date of a DT, DTM or TS value: year, month and day (0 where its precision stops before
/// them), and how many digits of date it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The year.
    pub year: i32,
    /// The month, 1–12; 0 when the value stops at the year.
    pub month: u32,
    /// The day of the month; 0 when the value stops before it.
    pub day: u32,
    /// 4, 6 or 8.
    pub date_digits: usize,
}

impl DateTime {
    /// Reads `YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]`, with real months, days and times; `None`
    /// for anything else.
    #[must_use]
    pub fn parse(value: &[u8]) -> Option<DateTime> {
        let whole = whole_digits(value, 14)?;
        if !matches!(whole.len(), 4 | 6 | 8 | 10 | 12 | 14) || !whole.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let year = i32::try_from(two(&whole[0..2])? * 100 + two(&whole[2..4])?).ok()?;
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
        if whole.len() > 8 && !clock_is_valid(&whole[8..]) {
            return None;
        }
        Some(DateTime {
            year,
            month,
            day,
            date_digits: whole.len().min(8),
        })
    }
}

/// Two ASCII digits as a number.
fn two(bytes: &[u8]) -> Option<u32> {
    match bytes {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(b - b'0')),
        _ => None,
    }
}

/// The digits of a time or timestamp before its fraction, once its time-zone offset
/// (`+/-ZZZZ`) and fraction (`.S` to `.SSSS`, allowed only after `full` digits) are found
/// well-formed; `None` otherwise.
fn whole_digits(value: &[u8], full: usize) -> Option<&[u8]> {
    let (stamp, offset) = match value.iter().position(|b| matches!(b, b'+' | b'-')) {
        Some(at) => (&value[..at], Some(&value[at..])),
        None => (value, None),
    };
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

/// `HH[MM[SS]]` with real hours, minutes and seconds.
fn clock_is_valid(digits: &[u8]) -> bool {
    digits
        .chunks(2)
        .zip([24, 60, 60])
        .all(|(pair, limit)| two(pair).is_some_and(|n| n < limit))
}

/// `+ZZZZ` or `-ZZZZ`: hours under 24, minutes under 60.
fn is_offset(offset: &[u8]) -> bool {
    offset.len() == 5
        && two(&offset[1..3]).is_some_and(|h| h < 24)
        && two(&offset[3..5]).is_some_and(|m| m < 60)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(data_type: &str, value: &str) -> bool {
        is_valid(data_type, value.as_bytes()).expect("a type with a grammar")
    }

    #[test]
    fn dates() {
        for ok in ["1980", "198002", "19800229", "20000229", "19991231"] {
            assert!(valid("DT", ok), "{ok}");
        }
        for bad in [
            "19800230",
            "19000229",
            "198013",
            "1980021",
            "",
            "abcd",
            "19800100",
            "1980-02-01",
            "2026112214",
            "20261122+0100",
        ] {
            assert!(!valid("DT", bad), "{bad}");
        }
    }

    #[test]
    fn times_and_date_times() {
        for ok in [
            "12",
            "1230",
            "123059",
            "123059.1234",
            "1230+0100",
            "2359-0500",
        ] {
            assert!(valid("TM", ok), "{ok}");
        }
        for bad in [
            "24",
            "1260",
            "123060",
            "123059.",
            "123059.12345",
            "1230.5",
            "1230+01",
            "12+2400",
            "",
        ] {
            assert!(!valid("TM", bad), "{bad}");
        }
        for ok in [
            "2026",
            "202611",
            "20261122",
            "2026112214",
            "202611221430",
            "20261122143059.12-0500",
        ] {
            assert!(valid("DTM", ok) && valid("TS", ok), "{ok}");
        }
        for bad in [
            "202611221",
            "2026112214305",
            "20261131",
            "2026112225",
            "202611+0100x",
            "2026-11-22",
            "2026112215300.1",
            "+0100",
        ] {
            assert!(!valid("DTM", bad), "{bad}");
        }
    }

    #[test]
    fn numbers_and_sequence_ids() {
        for ok in ["0", "-1", "+2.5", ".5", "5.", "0012"] {
            assert!(valid("NM", ok), "{ok}");
        }
        for bad in ["", ".", "-", "1e5", "1,5", " 1", "1.2.3", "+-1"] {
            assert!(!valid("NM", bad), "{bad}");
        }
        assert!(valid("SI", "12") && valid("SI", "0"));
        for bad in ["-1", "1.5", "", "+1"] {
            assert!(!valid("SI", bad), "{bad}");
        }
        assert_eq!(is_valid("ST", b"x"), None);
        assert!(has_grammar("DIN") && !has_grammar("ST"));
    }

    #[test]
    fn dates_are_read_with_their_precision() {
        let read = |v: &str| {
            DateTime::parse(v.as_bytes()).map(|d| (d.year, d.month, d.day, d.date_digits))
        };
        assert_eq!(read("1980"), Some((1980, 0, 0, 4)));
        assert_eq!(read("198002"), Some((1980, 2, 0, 6)));
        assert_eq!(read("20261122153000.1234-0500"), Some((2026, 11, 22, 8)));
        assert_eq!(read("CANARY"), None);
    }
}
