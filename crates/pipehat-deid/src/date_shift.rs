//! Date shifts: a valid date moved by a number of days on the civil calendar, keeping its
//! precision, time and offset.

use pipehat::primitive::DateTime;

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

/// `value` (a valid date, see [`DateTime::parse`]) moved by `days`, with its precision, time and
/// offset as they were. A date with only a year or a month moves from the middle of its
/// period, so a shift of a few months changes it only when it should.
///
pub(crate) fn shift_date(value: &[u8], date: DateTime, days: i64) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_keep_precision_time_and_offset() {
        let shift = |v: &[u8], days| shift_date(v, DateTime::parse(v).unwrap(), days);
        assert_eq!(shift(b"20240301", -1), b"20240229");
        assert_eq!(shift(b"202403011230-0500", -1), b"202402291230-0500");
        assert_eq!(shift(b"19991231", 1), b"20000101");
        assert_eq!(shift(b"202403", -10), b"202403");
        assert_eq!(shift(b"202403", -20), b"202402");
        assert_eq!(shift(b"2024", 200), b"2025");
    }
}
