//! Case numbers: `{prefix}{YYYYMMDD}{form letter}{sequence:04}`, e.g.
//! `41080320261128F0012` (domain.md §8). Unique, sortable by day, readable
//! aloud at the window. The sequence restarts each day for each form and is
//! allocated by the store inside the registering transaction.

use chrono::NaiveDate;

/// The key of one sequence series: prefix, day and form letter.
pub fn series_key(prefix: &str, day: NaiveDate, form_letter: char) -> String {
    format!("{prefix}{}{form_letter}", day.format("%Y%m%d"))
}

pub fn format(prefix: &str, day: NaiveDate, form_letter: char, seq: u32) -> String {
    format!("{}{seq:04}", series_key(prefix, day, form_letter))
}

/// A case number's series and sequence: `41080320261128F10001` →
/// (`41080320261128F`, 10001). The sequence is every digit after the form
/// letter (the last capital letter), however many there are.
pub fn split(number: &str) -> Option<(&str, u32)> {
    let pos = number.bytes().rposition(|b| b.is_ascii_uppercase())?;
    let (series, seq) = number.split_at(pos + 1);
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((series, seq.parse().ok()?))
}

/// Does `s` look like a case number (for routing a search query)? Prefix of
/// digits or capital letters, then 8 date digits, a letter and 4+ digits.
pub fn looks_like_case_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 13 || !s.is_ascii() {
        return false;
    }
    // Find the form letter: the last ASCII uppercase letter.
    let Some(pos) = b.iter().rposition(u8::is_ascii_uppercase) else {
        return false;
    };
    let (head, tail) = (&b[..pos], &b[pos + 1..]);
    tail.len() >= 4
        && tail.iter().all(u8::is_ascii_digit)
        && head.len() >= 8
        && head[head.len() - 8..].iter().all(u8::is_ascii_digit)
        && head.iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_zero_padded_sequence() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(format("410803", d, 'F', 12), "41080320261128F0012");
        assert_eq!(format("ZZ", d, 'X', 10000), "ZZ20261128X10000");
    }

    #[test]
    fn a_number_splits_into_series_and_sequence_of_any_length() {
        let cases = [
            ("41080320261128F0012", Some(("41080320261128F", 12))),
            ("41080320261128F9999", Some(("41080320261128F", 9999))),
            ("41080320261128F10001", Some(("41080320261128F", 10001))),
            ("ZZ20261128X0001", Some(("ZZ20261128X", 1))),
            ("41080320261128F", None),
            ("41080320261128", None),
            ("41080320261128F12a", None),
        ];
        for (number, want) in cases {
            assert_eq!(split(number), want, "{number}");
        }
    }

    #[test]
    fn numbers_sort_by_day() {
        let a = format("410803", NaiveDate::from_ymd_opt(2026, 1, 9).unwrap(), 'F', 999);
        let b = format("410803", NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(), 'F', 1);
        assert!(a < b);
    }

    #[test]
    fn recognises_case_numbers() {
        assert!(looks_like_case_number("41080320261128F0012"));
        assert!(looks_like_case_number("ZZ20261128X10000"));
        assert!(!looks_like_case_number("11010519491231002X"));
        assert!(!looks_like_case_number("13812345678"));
        assert!(!looks_like_case_number("张三"));
    }
}
