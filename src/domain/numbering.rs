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
