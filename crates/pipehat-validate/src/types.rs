//! Formats of HL7's primitive data types: DT, TM, DTM (and TS), NM, SI.

/// Why a value does not have its type's format, in words that finish "is not …".
pub(crate) fn check(data_type: &str, value: &str) -> Result<(), &'static str> {
    match data_type {
        "DT" => date(value)
            .then_some(())
            .ok_or("a valid date (YYYY[MM[DD]])"),
        "TM" => time(value)
            .then_some(())
            .ok_or("a valid time (HH[MM[SS[.S…]]][+/-ZZZZ])"),
        "DTM" | "TS" | "DIN" => date_time(value)
            .then_some(())
            .ok_or("a valid date/time (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ])"),
        "NM" => number(value).then_some(()).ok_or("a number"),
        "SI" => (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
            .then_some(())
            .ok_or("a sequence id (a non-negative whole number)"),
        _ => Ok(()),
    }
}

/// Whether a type is one [`check`] knows.
pub(crate) fn is_checked(data_type: &str) -> bool {
    matches!(data_type, "DT" | "TM" | "DTM" | "TS" | "DIN" | "NM" | "SI")
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn date(value: &str) -> bool {
    if !matches!(value.len(), 4 | 6 | 8) || !value.is_ascii() {
        return false;
    }
    let Some(year) = digits(&value[..4]) else {
        return false;
    };
    if value.len() == 4 {
        return true;
    }
    let Some(month) = digits(&value[4..6]).filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    if value.len() == 6 {
        return true;
    }
    let days = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    digits(&value[6..8]).is_some_and(|d| (1..=days).contains(&d))
}

/// Splits a trailing `+ZZZZ`/`-ZZZZ` offset off and checks it.
fn without_offset(value: &str) -> Option<&str> {
    match value.find(['+', '-']) {
        None => Some(value),
        Some(at) => {
            let offset = &value[at + 1..];
            let ok = offset.len() == 4
                && digits(&offset[..2]).is_some_and(|h| h <= 23)
                && digits(&offset[2..]).is_some_and(|m| m <= 59);
            ok.then_some(&value[..at])
        }
    }
}

/// `HH[MM[SS[.S[S[S[S]]]]]]` without an offset.
fn clock(value: &str) -> bool {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    if !matches!(whole.len(), 2 | 4 | 6) || !whole.is_ascii() {
        return false;
    }
    if fraction.is_some() && whole.len() != 6 {
        return false;
    }
    if let Some(fraction) = fraction
        && (fraction.is_empty() || fraction.len() > 4 || digits(fraction).is_none())
    {
        return false;
    }
    let limits = [23, 59, 59];
    whole.as_bytes().chunks(2).zip(limits).all(|(pair, limit)| {
        core::str::from_utf8(pair)
            .ok()
            .and_then(digits)
            .is_some_and(|n| n <= limit)
    })
}

fn time(value: &str) -> bool {
    without_offset(value).is_some_and(clock)
}

fn date_time(value: &str) -> bool {
    let Some(value) = without_offset(value) else {
        return false;
    };
    if value.len() < 4 || !value.is_ascii() {
        return false;
    }
    let date_len = value.len().min(8);
    let (day, rest) = value.split_at(date_len);
    if !date(day) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    // Time only after a full date.
    day.len() == 8 && clock(rest)
}

fn number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn dates() {
        for ok in ["1980", "198002", "19800229", "20000229", "19991231"] {
            assert_eq!(check("DT", ok), Ok(()), "{ok}");
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
        ] {
            assert!(check("DT", bad).is_err(), "{bad}");
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
            assert_eq!(check("TM", ok), Ok(()), "{ok}");
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
        ] {
            assert!(check("TM", bad).is_err(), "{bad}");
        }
        for ok in [
            "2026",
            "202611",
            "20261122",
            "2026112214",
            "202611221430",
            "20261122143059.12-0500",
        ] {
            assert_eq!(check("DTM", ok), Ok(()), "{ok}");
        }
        for bad in [
            "202611221",
            "2026112214305",
            "20261131",
            "2026112225",
            "202611+0100x",
            "2026-11-22",
        ] {
            assert!(check("DTM", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers() {
        for ok in ["0", "-1", "+2.5", ".5", "5.", "0012"] {
            assert_eq!(check("NM", ok), Ok(()), "{ok}");
        }
        for bad in ["", ".", "-", "1e5", "1,5", " 1", "1.2.3"] {
            assert!(check("NM", bad).is_err(), "{bad}");
        }
        assert_eq!(check("SI", "12"), Ok(()));
        assert!(check("SI", "-1").is_err());
        assert_eq!(check("ST", "anything"), Ok(()));
    }
}
