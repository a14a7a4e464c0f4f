//! Phone numbers (domain.md §7.4): mobiles and landlines, normalised for storage.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// A validated, normalised number: 11 digits for a mobile, `0AREA-LOCAL[-EXT]` for a landline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub number: String,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    Characters,
    Mobile(String),
    Landline(String),
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => write!(f, "电话号码为空"),
            PhoneError::Characters => write!(f, "电话号码只能包含数字、空格、连字符和 +86"),
            PhoneError::Mobile(n) => write!(f, "手机号无效：{n}（应为1开头的11位，第二位3-9）"),
            PhoneError::Landline(n) => {
                write!(f, "固定电话无效：{n}（区号+7到8位号码，号码不以0或1开头）")
            }
        }
    }
}

impl std::error::Error for PhoneError {}

/// Validate and normalise. `default_area` (e.g. "0391") is used for a landline
/// typed without its area code.
pub fn normalize(raw: &str, default_area: &str) -> Result<Phone, PhoneError> {
    let compact: String =
        raw.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '（' | '）')).collect();
    if compact.is_empty() {
        return Err(PhoneError::Empty);
    }
    let digits = compact.strip_prefix("+86").or_else(|| compact.strip_prefix("0086")).unwrap_or(&compact);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneError::Characters);
    }
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest,
        _ => digits,
    };
    if digits.starts_with('1') {
        let b = digits.as_bytes();
        return if b.len() == 11 && (b'3'..=b'9').contains(&b[1]) {
            Ok(Phone { number: digits.to_string(), kind: PhoneKind::Mobile })
        } else {
            Err(PhoneError::Mobile(digits.to_string()))
        };
    }
    landline(raw, digits, default_area)
}

/// Landlines keep the split between area code, local number and extension,
/// which the raw hyphens tell us when they are there.
fn landline(raw: &str, digits: &str, default_area: &str) -> Result<Phone, PhoneError> {
    let err = || PhoneError::Landline(digits.to_string());
    let parts: Vec<&str> = raw.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
    let (area, local, ext) = if digits.starts_with('0') {
        let area_len = area_len(digits);
        if parts.len() >= 2 && parts[0].starts_with('0') {
            (parts[0].to_string(), parts[1].to_string(), parts.get(2).map(|s| s.to_string()))
        } else {
            (digits[..area_len].to_string(), digits[area_len..].to_string(), None)
        }
    } else {
        let ext = (parts.len() == 2).then(|| parts[1].to_string());
        let local = if ext.is_some() { parts[0].to_string() } else { digits.to_string() };
        (default_area.to_string(), local, ext)
    };
    let local_ok =
        (7..=8).contains(&local.len()) && local.bytes().all(|b| b.is_ascii_digit()) && !local.starts_with(['0', '1']);
    let area_ok = area.len() == area_len(&area) && area.starts_with('0') && area.bytes().all(|b| b.is_ascii_digit());
    let ext_ok = ext.as_ref().is_none_or(|e| (1..=6).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_digit()));
    if !(local_ok && area_ok && ext_ok) {
        return Err(err());
    }
    let mut number = format!("{area}-{local}");
    if let Some(e) = ext {
        number.push('-');
        number.push_str(&e);
    }
    Ok(Phone { number, kind: PhoneKind::Landline })
}

/// 010 and 02X are three digits long, every other area code four.
fn area_len(digits: &str) -> usize {
    if digits.starts_with("010") || digits.starts_with("02") { 3 } else { 4 }
}

/// The digits only, for tail matching ("0391-1234567" → "03911234567").
pub fn digits_only(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("13812345678", "13812345678", PhoneKind::Mobile)]
    #[case("138 1234 5678", "13812345678", PhoneKind::Mobile)]
    #[case("138-1234-5678", "13812345678", PhoneKind::Mobile)]
    #[case("+86 138 1234 5678", "13812345678", PhoneKind::Mobile)]
    #[case("0086-13812345678", "13812345678", PhoneKind::Mobile)]
    #[case("8613812345678", "13812345678", PhoneKind::Mobile)]
    #[case("19912345678", "19912345678", PhoneKind::Mobile)]
    #[case("010-62345678", "010-62345678", PhoneKind::Landline)]
    #[case("02187654321", "021-87654321", PhoneKind::Landline)]
    #[case("0391-3912345", "0391-3912345", PhoneKind::Landline)]
    #[case("03913912345", "0391-3912345", PhoneKind::Landline)]
    #[case("3912345", "0391-3912345", PhoneKind::Landline)]
    #[case("0391-3912345-801", "0391-3912345-801", PhoneKind::Landline)]
    #[case("（0391）3912345", "0391-3912345", PhoneKind::Landline)]
    fn valid(#[case] raw: &str, #[case] want: &str, #[case] kind: PhoneKind) {
        let p = normalize(raw, "0391").unwrap();
        assert_eq!((p.number.as_str(), p.kind), (want, kind));
    }

    #[rstest]
    #[case("", PhoneError::Empty)]
    #[case("1381234567", PhoneError::Mobile("1381234567".into()))]
    #[case("12812345678", PhoneError::Mobile("12812345678".into()))]
    #[case("138123456789", PhoneError::Mobile("138123456789".into()))]
    #[case("138abc45678", PhoneError::Characters)]
    #[case("0391-0123456", PhoneError::Landline("03910123456".into()))]
    #[case("12345", PhoneError::Mobile("12345".into()))]
    #[case("123", PhoneError::Mobile("123".into()))]
    #[case("391234", PhoneError::Landline("391234".into()))]
    fn invalid(#[case] raw: &str, #[case] err: PhoneError) {
        assert_eq!(normalize(raw, "0391"), Err(err));
    }

    #[test]
    fn digits_only_strips_separators() {
        assert_eq!(digits_only("0391-3912345-801"), "03913912345801");
    }
}
