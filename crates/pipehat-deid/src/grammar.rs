//! The shapes of values that are kept or transformed: numbers (NM, SI), times (TM), dates and
//! timestamps (DT, DTM, TS) read into a [`Date`] with real months and days, and region codes.

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

/// A state, province or country written as a code: two or three capital letters.
pub(crate) fn is_region_code(value: &[u8]) -> bool {
    matches!(value.len(), 2 | 3) && value.iter().all(u8::is_ascii_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
