//! 居民身份证号码 per GB 11643-1999: normalisation, validation and what can be
//! derived from a valid number (sex, birth date, area).

use chrono::NaiveDate;
use std::fmt;

/// Weights of ISO 7064 MOD 11-2 for positions 1-17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// First two digits that are real province-level codes (incl. 71 Taiwan,
/// 81 Hong Kong, 82 Macao, 83 Taiwan residence permits).
const PROVINCES: &[(u32, &str)] = &[
    (11, "北京市"),
    (12, "天津市"),
    (13, "河北省"),
    (14, "山西省"),
    (15, "内蒙古自治区"),
    (21, "辽宁省"),
    (22, "吉林省"),
    (23, "黑龙江省"),
    (31, "上海市"),
    (32, "江苏省"),
    (33, "浙江省"),
    (34, "安徽省"),
    (35, "福建省"),
    (36, "江西省"),
    (37, "山东省"),
    (41, "河南省"),
    (42, "湖北省"),
    (43, "湖南省"),
    (44, "广东省"),
    (45, "广西壮族自治区"),
    (46, "海南省"),
    (50, "重庆市"),
    (51, "四川省"),
    (52, "贵州省"),
    (53, "云南省"),
    (54, "西藏自治区"),
    (61, "陕西省"),
    (62, "甘肃省"),
    (63, "青海省"),
    (64, "宁夏回族自治区"),
    (65, "新疆维吾尔自治区"),
    (71, "台湾省"),
    (81, "香港特别行政区"),
    (82, "澳门特别行政区"),
    (83, "台湾地区(居住证)"),
];

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    Sex { Male = "male" => "男", Female = "female" => "女" }
);

/// What a valid 18-character resident ID tells us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId {
    pub number: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub province: &'static str,
}

/// Why a resident ID was refused. The messages are shown at the desk as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Length(usize),
    Characters,
    Province(String),
    BirthDate(String),
    FutureBirthDate(String),
    Check { expected: char, found: char },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Length(n) => write!(f, "位数不对：应为18位，现为{n}位"),
            IdError::Characters => write!(f, "含非法字符：前17位须为数字，末位为数字或X"),
            IdError::Province(p) => write!(f, "地址码无效：{p} 不是省级行政区划代码"),
            IdError::BirthDate(d) => write!(f, "出生日期无效：{d}"),
            IdError::FutureBirthDate(d) => write!(f, "出生日期在今天之后：{d}"),
            IdError::Check { expected, found } => {
                write!(f, "校验码错误：末位应为 {expected}，现为 {found}")
            }
        }
    }
}

impl std::error::Error for IdError {}

/// Strip spaces (also full-width ones) and hyphens, uppercase `x`.
pub fn normalize(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| if c == 'x' { 'X' } else { c }).collect()
}

/// The MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK_CHARS[(sum % 11) as usize] as char)
}

pub fn province_name(code: u32) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Validate an 18-character resident ID (after [`normalize`]).
pub fn validate(raw: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
    let number = normalize(raw);
    let n = number.chars().count();
    if n != 18 {
        return Err(IdError::Length(n));
    }
    let bytes = number.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
        return Err(IdError::Characters);
    }
    let prov_code: u32 = number[..2].parse().expect("digits");
    let province = province_name(prov_code).ok_or_else(|| IdError::Province(number[..2].to_string()))?;
    let birth_date = parse_birth(&number[6..14]).ok_or_else(|| IdError::BirthDate(number[6..14].to_string()))?;
    if birth_date > today {
        return Err(IdError::FutureBirthDate(number[6..14].to_string()));
    }
    let expected = check_char(&number[..17]).expect("17 digits");
    let found = bytes[17] as char;
    if expected != found {
        return Err(IdError::Check { expected, found });
    }
    let seq_digit = bytes[16] - b'0';
    let sex = if seq_digit % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(ResidentId { number, birth_date, sex, province })
}

fn parse_birth(yyyymmdd: &str) -> Option<NaiveDate> {
    let y: i32 = yyyymmdd[..4].parse().ok()?;
    let m: u32 = yyyymmdd[4..6].parse().ok()?;
    let d: u32 = yyyymmdd[6..8].parse().ok()?;
    if y < 1800 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Convert a legacy 15-digit ID (first-generation card) to its 18-digit form,
/// for looking up historical records only. `None` when it is not 15 digits.
pub fn upgrade_legacy(raw: &str) -> Option<String> {
    let n = normalize(raw);
    if n.len() != 15 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{}19{}", &n[..6], &n[6..]);
    let check = check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[rstest]
    #[case("11010519491231002X", Sex::Female, "1949-12-31", "北京市")]
    #[case("11010519491231002x", Sex::Female, "1949-12-31", "北京市")]
    #[case(" 110105 19491231 002X ", Sex::Female, "1949-12-31", "北京市")]
    #[case("440524188001010014", Sex::Male, "1880-01-01", "广东省")]
    #[case("410803198502140034", Sex::Male, "1985-02-14", "河南省")]
    fn valid_ids(#[case] raw: &str, #[case] sex: Sex, #[case] birth: &str, #[case] prov: &str) {
        let id = validate(raw, today()).expect("valid");
        assert_eq!(id.sex, sex);
        assert_eq!(id.birth_date.to_string(), birth);
        assert_eq!(id.province, prov);
        assert_eq!(id.number.len(), 18);
    }

    #[rstest]
    #[case("11010519491231002", IdError::Length(17))]
    #[case("1101051949123100200", IdError::Length(19))]
    #[case("11010519491231002Y", IdError::Characters)]
    #[case("1101051949123X002X", IdError::Characters)]
    #[case("99010519491231002X", IdError::Province("99".into()))]
    #[case("110105194902300024", IdError::BirthDate("19490230".into()))]
    #[case("110105179901010024", IdError::BirthDate("17990101".into()))]
    #[case("110105203001010024", IdError::FutureBirthDate("20300101".into()))]
    #[case("110101199003077777", IdError::Check { expected: '4', found: '7' })]
    #[case("110105194912310021", IdError::Check { expected: 'X', found: '1' })]
    fn invalid_ids(#[case] raw: &str, #[case] err: IdError) {
        assert_eq!(validate(raw, today()), Err(err));
    }

    #[test]
    fn error_messages_name_the_expected_check_character() {
        let e = validate("110101199003077777", today()).unwrap_err();
        assert_eq!(e.to_string(), "校验码错误：末位应为 4，现为 7");
    }

    #[test]
    fn leap_day_birth_dates() {
        let id = format!("41080320000229001{}", check_char("41080320000229001").unwrap());
        assert!(validate(&id, today()).is_ok());
        let bad = format!("41080319000229001{}", check_char("41080319000229001").unwrap());
        assert!(matches!(validate(&bad, today()), Err(IdError::BirthDate(_))));
    }

    #[test]
    fn legacy_ids_upgrade_to_valid_18() {
        let up = upgrade_legacy("110105491231002").unwrap();
        assert_eq!(up, "11010519491231002X");
        assert!(validate(&up, today()).is_ok());
        assert_eq!(upgrade_legacy("12345"), None);
    }
}
