//! What validation says when a value breaks its primitive type's format (DT, TM, DTM, TS, NM,
//! SI): the grammar itself is the core's, `pipehat::primitive`.

/// Why a value does not have its type's format, in words that finish "is not …". The grammar
/// is the core's ([`pipehat::primitive`]), which de-identification uses too.
pub(crate) fn check(data_type: &str, value: &str) -> Result<(), &'static str> {
    if pipehat::primitive::is_valid(data_type, value.as_bytes()) != Some(false) {
        return Ok(());
    }
    Err(match data_type {
        "DT" => "a valid date (YYYY[MM[DD]])",
        "TM" => "a valid time (HH[MM[SS[.S…]]][+/-ZZZZ])",
        "NM" => "a number",
        "SI" => "a sequence id (a non-negative whole number)",
        _ => "a valid date/time (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ])",
    })
}

/// Whether a type is one [`check`] knows.
pub(crate) fn is_checked(data_type: &str) -> bool {
    pipehat::primitive::has_grammar(data_type)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn each_type_says_what_it_expected() {
        // The grammar's own cases are pipehat::primitive's tests; here, the words.
        assert_eq!(check("DT", "19800230"), Err("a valid date (YYYY[MM[DD]])"));
        assert_eq!(
            check("TM", "2460"),
            Err("a valid time (HH[MM[SS[.S…]]][+/-ZZZZ])")
        );
        for date_time in ["DTM", "TS", "DIN"] {
            assert_eq!(
                check(date_time, "2026-11-22"),
                Err("a valid date/time (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ])")
            );
        }
        assert_eq!(check("NM", "1e5"), Err("a number"));
        assert_eq!(
            check("SI", "-1"),
            Err("a sequence id (a non-negative whole number)")
        );
        assert_eq!(check("ST", "anything"), Ok(()));
        assert_eq!(check("DTM", "20261122143059.12-0500"), Ok(()));
    }
}
