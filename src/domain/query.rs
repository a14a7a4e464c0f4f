//! The search box's language: what a typed query asks for.
//!
//! The input decides what to look for: an 18-character ID, an ID or phone
//! tail, a mobile, a case number, Chinese (names and complaint words), Latin
//! letters (pinyin of names). Filters are written `键:值` (`状态:办理中`,
//! `街道:朝阳`, `分类:物业`, `从:2026-01-01`, `到:2026-06-30`); ASCII keys
//! (`status:`, `street:`, `category:`, `from:`, `to:`) and full-width colons work too.

use chrono::NaiveDate;

use super::status::CaseStatus;
use super::{id_card, numbering};

/// The shortest ID or phone tail we look up: fewer digits would match too
/// much to be useful and cost a scan.
pub const MIN_TAIL: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Any of these statuses (empty: any status).
    pub statuses: Vec<CaseStatus>,
    pub open_only: bool,
    /// A street's name or the start of it (朝阳 → 朝阳街道).
    pub street: Option<String>,
    /// Part of a content category's name.
    pub category: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// How the filters read back to the clerk, e.g. `状态:办理中 从:2026-01-01`.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.open_only {
            out.push("只看在办".to_string());
        }
        if !self.statuses.is_empty() {
            let labels: Vec<&str> = self.statuses.iter().map(|s| s.label()).collect();
            out.push(format!("状态:{}", labels.join("/")));
        }
        if let Some(s) = &self.street {
            out.push(format!("街道:{s}"));
        }
        if let Some(c) = &self.category {
            out.push(format!("分类:{c}"));
        }
        if let Some(d) = self.from {
            out.push(format!("从:{d}"));
        }
        if let Some(d) = self.to {
            out.push(format!("到:{d}"));
        }
        out
    }
}

/// One way of looking for matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Nothing typed: the newest cases.
    Recent,
    IdExact(String),
    IdTail(String),
    PhoneExact(String),
    PhoneTail(String),
    CaseNumber(String),
    /// A 查询码 read out by a caller (normalised).
    QueryCode(String),
    ExternalRef(String),
    /// A name exactly, then names starting with it.
    Name(String),
    /// Pinyin initials (`zs`) or full pinyin (`zhangsan`), as a prefix.
    Pinyin(String),
    /// Words of the complaint, title, respondent or address: all must occur.
    Text(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub probes: Vec<Probe>,
    pub filters: Filters,
    /// A polite word for the clerk when part of the input cannot be searched.
    pub notice: Option<String>,
}

impl SearchQuery {
    /// The words to highlight in results.
    pub fn highlight_terms(&self) -> Vec<String> {
        self.probes
            .iter()
            .flat_map(|p| match p {
                Probe::Text(words) => words.clone(),
                Probe::Name(n) => vec![n.clone()],
                _ => Vec::new(),
            })
            .collect()
    }
}

pub fn parse(input: &str, open_only: bool) -> SearchQuery {
    let mut filters = Filters { open_only, ..Filters::default() };
    let mut notices = Vec::new();
    let mut words = Vec::new();
    for token in input.split_whitespace() {
        match split_filter(token) {
            Some((key, value)) => {
                if let Err(msg) = apply_filter(&mut filters, key, value) {
                    notices.push(msg);
                }
            }
            None => words.push(token),
        }
    }
    let mut probes = Vec::new();
    if words.is_empty() {
        probes.push(Probe::Recent);
    } else if words.len() == 1 {
        classify(words[0], &mut probes, &mut notices);
    } else if let Some(code) = spoken_query_code(&words) {
        // The 查询码 as printed, in two groups (`ABCD 2345`).
        probes.push(Probe::QueryCode(code));
    } else {
        // Several words: each must occur in the text; a name may be one of them.
        let cjk: Vec<String> = words.iter().filter(|w| has_cjk(w)).map(|w| w.to_string()).collect();
        if !cjk.is_empty() {
            probes.push(Probe::Text(words.iter().map(|w| w.to_string()).collect()));
        } else {
            for w in &words {
                classify(w, &mut probes, &mut notices);
            }
        }
    }
    if probes.is_empty() && notices.is_empty() {
        probes.push(Probe::Recent);
    }
    SearchQuery { probes, filters, notice: (!notices.is_empty()).then(|| notices.join("；")) }
}

fn spoken_query_code(words: &[&str]) -> Option<String> {
    match words {
        [a, b] if a.len() == super::query_code::LEN / 2 => super::query_code::normalize(&format!("{a}{b}")),
        _ => None,
    }
}

fn split_filter(token: &str) -> Option<(&str, &str)> {
    let (key, value) = token.split_once([':', '：'])?;
    let known = ["状态", "status", "街道", "street", "分类", "category", "从", "from", "到", "to"];
    known.contains(&key).then_some((key, value))
}

fn apply_filter(f: &mut Filters, key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    match key {
        "状态" | "status" => {
            for part in value.split(['/', ',', '，']) {
                if part == "在办" {
                    f.open_only = true;
                } else if let Some(s) = CaseStatus::from_label(part).or_else(|| CaseStatus::from_code(part)) {
                    f.statuses.push(s);
                } else {
                    return Err(format!("没有「{part}」这个状态"));
                }
            }
        }
        "街道" | "street" => f.street = Some(value.to_string()),
        "分类" | "category" => f.category = Some(value.to_string()),
        "从" | "from" => f.from = Some(parse_date(value)?),
        "到" | "to" => f.to = Some(parse_date(value)?),
        _ => {}
    }
    Ok(())
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| format!("日期「{s}」应写成 2026-01-31"))
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(is_cjk)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

fn classify(word: &str, probes: &mut Vec<Probe>, notices: &mut Vec<String>) {
    let upper = id_card::normalize(word);
    let digits_or_x = !upper.is_empty()
        && upper.bytes().all(|b| b.is_ascii_digit() || b == b'X')
        && upper.bytes().filter(|b| *b == b'X').count() <= 1
        && (!upper.contains('X') || upper.ends_with('X'));
    // Eight characters of the query-code alphabet may be a code or a name
    // in pinyin or an ID tail: look for the code as well as the rest.
    if let Some(code) = super::query_code::normalize(word) {
        probes.push(Probe::QueryCode(code));
    }
    if numbering::looks_like_case_number(&upper) {
        probes.push(Probe::CaseNumber(upper.clone()));
        probes.push(Probe::ExternalRef(word.to_string()));
        return;
    }
    if digits_or_x {
        let n = upper.len();
        match n {
            18 => probes.push(Probe::IdExact(upper)),
            15 => {
                if let Some(full) = id_card::upgrade_legacy(&upper) {
                    probes.push(Probe::IdExact(full));
                }
                probes.push(Probe::IdTail(upper));
            }
            11 if upper.starts_with('1') => {
                probes.push(Probe::PhoneExact(upper.clone()));
                probes.push(Probe::IdTail(upper));
            }
            n if n >= MIN_TAIL => {
                probes.push(Probe::IdTail(upper.clone()));
                if !upper.contains('X') {
                    probes.push(Probe::PhoneTail(upper));
                }
            }
            _ => notices.push(format!("证件号或电话尾号至少输入{MIN_TAIL}位")),
        }
        if n >= MIN_TAIL {
            probes.push(Probe::ExternalRef(word.to_string()));
        }
        return;
    }
    if has_cjk(word) {
        probes.push(Probe::Name(word.to_string()));
        probes.push(Probe::Text(vec![word.to_string()]));
        return;
    }
    let lower = word.to_ascii_lowercase();
    if lower.bytes().all(|b| b.is_ascii_lowercase()) {
        probes.push(Probe::Pinyin(lower));
        return;
    }
    if word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && word.len() >= MIN_TAIL {
        probes.push(Probe::ExternalRef(word.to_string()));
        return;
    }
    // Anything else (symbols, emoji, mixed text) is searched literally in the text.
    if word.chars().any(char::is_alphanumeric) {
        probes.push(Probe::Text(vec![word.to_string()]));
    } else {
        notices.push(format!("「{}」无法检索", crate::text::sanitize_line(word)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probes(s: &str) -> Vec<Probe> {
        parse(s, false).probes
    }

    #[test]
    fn empty_is_recent() {
        assert_eq!(probes(""), vec![Probe::Recent]);
        assert_eq!(probes("   "), vec![Probe::Recent]);
    }

    #[test]
    fn ids_phones_tails_and_case_numbers() {
        assert_eq!(probes("11010519491231002x")[0], Probe::IdExact("11010519491231002X".into()));
        assert_eq!(probes("110105491231002")[0], Probe::IdExact("11010519491231002X".into()));
        assert_eq!(
            probes("13812345678")[..2],
            [Probe::PhoneExact("13812345678".into()), Probe::IdTail("13812345678".into())]
        );
        assert_eq!(probes("002X")[0], Probe::IdTail("002X".into()));
        assert_eq!(probes("5678")[..2], [Probe::IdTail("5678".into()), Probe::PhoneTail("5678".into())]);
        assert_eq!(probes("41080320261128F0012")[0], Probe::CaseNumber("41080320261128F0012".into()));
    }

    #[test]
    fn query_codes_are_looked_up_however_they_are_read_out() {
        let code = || Probe::QueryCode("KQUU4DX5".into());
        let cases: [(&str, Vec<Probe>); 5] = [
            ("KQUU4DX5", vec![code()]),
            ("kquu4dx5", vec![code()]),
            ("KQUU 4DX5", vec![code()]),
            ("KQUU-4DX5", vec![code()]),
            // Eight letters may be pinyin as well: both are looked for.
            ("zhangsan", vec![Probe::QueryCode("ZHANGSAN".into()), Probe::Pinyin("zhangsan".into())]),
        ];
        for (input, want) in cases {
            assert_eq!(probes(input)[..want.len()], want[..], "{input}");
        }
        assert!(!probes("KQUU4DX0").contains(&Probe::QueryCode("KQUU4DX0".into())), "0 is not in the alphabet");
    }

    #[test]
    fn short_tails_are_refused_politely() {
        let q = parse("123", false);
        assert!(q.probes.is_empty());
        assert_eq!(q.notice.as_deref(), Some("证件号或电话尾号至少输入4位"));
    }

    #[test]
    fn chinese_is_name_and_text_latin_is_pinyin() {
        assert_eq!(probes("张三"), vec![Probe::Name("张三".into()), Probe::Text(vec!["张三".into()])]);
        assert_eq!(probes("ZS"), vec![Probe::Pinyin("zs".into())]);
        assert_eq!(probes("拆迁 过渡费"), vec![Probe::Text(vec!["拆迁".into(), "过渡费".into()])]);
    }

    #[test]
    fn odd_input_is_searched_literally_or_refused() {
        assert_eq!(probes("50%_\"'\\"), vec![Probe::Text(vec!["50%_\"'\\".into()])]);
        let q = parse("%%%", false);
        assert!(q.probes.is_empty() && q.notice.is_some());
    }

    #[test]
    fn filters() {
        let q = parse("状态:办理中/已延期 街道：朝阳 分类:物业 从:2026-01-01 到:20260630 拆迁", true);
        assert_eq!(q.filters.statuses, vec![CaseStatus::InProgress, CaseStatus::Extended]);
        assert_eq!(q.filters.street.as_deref(), Some("朝阳"));
        assert_eq!(q.filters.category.as_deref(), Some("物业"));
        assert_eq!(q.filters.from, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(q.filters.to, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert!(q.filters.open_only);
        assert_eq!(q.probes, vec![Probe::Name("拆迁".into()), Probe::Text(vec!["拆迁".into()])]);
        assert!(parse("状态:在办", false).filters.open_only);
        assert!(parse("状态:胡说", false).notice.unwrap().contains("胡说"));
        assert!(parse("从:昨天", false).notice.unwrap().contains("2026-01-31"));
        assert_eq!(parse("状态:办理中", false).probes, vec![Probe::Recent]);
    }
}
