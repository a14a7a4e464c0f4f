//! Personal names: compound surnames and the pinyin keys used to find a person
//! by typing `zs` for 张三 or `oyx` for 欧阳修.

use pinyin::ToPinyin;

/// Two-character surnames. A name starting with one of these keeps it whole
/// when masked, and its reading is taken from here.
const COMPOUND_SURNAMES: &[(&str, &str)] = &[
    ("欧阳", "ou yang"),
    ("司马", "si ma"),
    ("上官", "shang guan"),
    ("诸葛", "zhu ge"),
    ("东方", "dong fang"),
    ("皇甫", "huang fu"),
    ("尉迟", "yu chi"),
    ("万俟", "mo qi"),
    ("长孙", "zhang sun"),
    ("令狐", "ling hu"),
    ("慕容", "mu rong"),
    ("司徒", "si tu"),
    ("夏侯", "xia hou"),
    ("公孙", "gong sun"),
    ("端木", "duan mu"),
    ("宇文", "yu wen"),
];

/// Single-character surnames whose reading as a surname differs from the
/// character's most common reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('繁', "po"),
    ('召', "shao"),
    ('员', "yun"),
    ('尉', "yu"),
    ('晟', "cheng"),
    ('种', "chong"),
    ('秘', "bi"),
    ('折', "she"),
    ('冼', "xian"),
    ('任', "ren"),
    ('华', "hua"),
    ('过', "guo"),
    ('宁', "ning"),
];

/// How many leading characters of `name` form the surname (1 or 2).
pub fn surname_len(name: &str) -> usize {
    if COMPOUND_SURNAMES.iter().any(|(s, _)| name.starts_with(s)) { 2 } else { 1 }
}

/// The search keys of a name: full pinyin without spaces (`zhangsan`) and
/// initials (`zs`), with surnames read as surnames. Non-Chinese characters
/// are kept as lowercase letters or digits; anything else is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    pub full: String,
    pub initials: String,
}

pub fn keys(name: &str) -> NameKeys {
    let mut syllables: Vec<String> = Vec::new();
    let mut rest = name;
    if let Some((s, reading)) = COMPOUND_SURNAMES.iter().find(|(s, _)| name.starts_with(s)) {
        syllables.extend(reading.split(' ').map(str::to_string));
        rest = &name[s.len()..];
    } else if let Some(first) = name.chars().next()
        && let Some((_, reading)) = SURNAME_READINGS.iter().find(|(c, _)| *c == first)
    {
        syllables.push((*reading).to_string());
        rest = &name[first.len_utf8()..];
    }
    for c in rest.chars() {
        if let Some(p) = c.to_pinyin() {
            syllables.push(p.plain().to_string());
        } else if c.is_ascii_alphanumeric() {
            syllables.push(c.to_ascii_lowercase().to_string());
        }
    }
    let initials = syllables.iter().filter_map(|s| s.chars().next()).collect();
    NameKeys { full: syllables.concat(), initials }
}

/// Pinyin initials of ordinary text (a unit, a street, a category): every
/// character in its common reading, no surname rules (区住建局 is qzjj).
pub fn initials(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.plain().chars().next(),
            None => c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("张三", "zhangsan", "zs")]
    #[case("欧阳修", "ouyangxiu", "oyx")]
    #[case("单雄信", "shanxiongxin", "sxx")]
    #[case("曾国藩", "zengguofan", "zgf")]
    #[case("解缙", "xiejin", "xj")]
    #[case("仇英", "qiuying", "qy")]
    #[case("区志明", "ouzhiming", "ozm")]
    #[case("李A", "lia", "la")]
    fn name_keys(#[case] name: &str, #[case] full: &str, #[case] initials: &str) {
        let k = keys(name);
        assert_eq!((k.full.as_str(), k.initials.as_str()), (full, initials));
    }

    #[test]
    fn plain_initials_ignore_surname_readings() {
        assert_eq!(initials("区住房和城乡建设局"), "qzfhcxjsj");
        assert_eq!(initials("城乡建设/物业管理"), "cxjswygl");
    }

    #[test]
    fn compound_surnames_are_two_characters() {
        assert_eq!(surname_len("欧阳修"), 2);
        assert_eq!(surname_len("张三"), 1);
    }
}
