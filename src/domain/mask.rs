//! Masking for display (domain.md §7.2): lists, exports and logs show these,
//! full values only after an explicit, recorded reveal.

use unicode_segmentation::UnicodeSegmentation;

/// `110105********002X`: keep the area code (6) and the last 4.
pub fn id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// `138****5678` for a mobile; a landline keeps its area code and last 4.
pub fn phone(number: &str) -> String {
    if let Some((area, rest)) = number.split_once('-') {
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let keep = digits.len().min(4);
        return format!("{area}-{}{}", "*".repeat(digits.len() - keep), &digits[digits.len() - keep..]);
    }
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// `张*明` / `张*` / `欧阳*锋`: keep the first and last glyph (the whole compound
/// surname when there is one).
pub fn name(name: &str) -> String {
    // Cleaned first, so no control character survives as the kept glyph.
    let clean = crate::text::sanitize_line(name);
    let name = clean.as_ref();
    let g: Vec<&str> = name.graphemes(true).collect();
    let surname_len = super::name::surname_len(name).min(g.len());
    match g.len() {
        0 => String::new(),
        1 => "*".to_string(),
        n if n <= surname_len + 1 => format!("{}*", g[..surname_len.max(1)].concat()),
        n => format!("{}*{}", g[..surname_len].concat(), g[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("11010519491231002X", "110105********002X")]
    #[case("110105491231002", "110105*****1002")]
    #[case("E1234567", "********")]
    fn ids(#[case] id: &str, #[case] want: &str) {
        assert_eq!(id_number(id), want);
    }

    #[rstest]
    #[case("13812345678", "138****5678")]
    #[case("0391-3912345", "0391-***2345")]
    #[case("010-62345678-801", "010-*******8801")]
    #[case("12345", "*****")]
    fn phones(#[case] p: &str, #[case] want: &str) {
        assert_eq!(phone(p), want);
    }

    #[rstest]
    #[case("张三明", "张*明")]
    #[case("张三", "张*")]
    #[case("欧阳修", "欧阳*")]
    #[case("欧阳春晓", "欧阳*晓")]
    #[case("李", "*")]
    #[case("", "")]
    fn names(#[case] n: &str, #[case] want: &str) {
        assert_eq!(name(n), want);
    }
}

/// Personal numbers inside free text (an error message, a log line): every
/// run of 15 to 18 ID characters is masked as an ID, every 11-digit run
/// starting with 1 as a mobile. Other numbers (case numbers have letters,
/// dates have dashes) are left.
pub fn redact_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let n = run.len();
        let all_digits = run.bytes().all(|b| b.is_ascii_digit());
        if (15..=18).contains(&n) && run[..n - 1].bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&id_number(run));
        } else if n == 11 && all_digits && run.starts_with('1') {
            out.push_str(&phone(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || ((c == 'X' || c == 'x') && !run.is_empty()) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod redact_tests {
    use super::*;

    #[rstest::rstest]
    #[case("没有编号为 410803196503124029 的事项", "没有编号为 410803********4029 的事项")]
    #[case("证件号 11010519491231002X 不符", "证件号 110105********002X 不符")]
    #[case("电话13812345678无效", "电话138****5678无效")]
    #[case("事项 41080320261123D0001 于 2026-11-23", "事项 41080320261123D0001 于 2026-11-23")]
    #[case("第12行：来访人数应为正整数", "第12行：来访人数应为正整数")]
    fn personal_numbers_in_text_are_masked(#[case] text: &str, #[case] want: &str) {
        assert_eq!(redact_numbers(text), want);
    }

    #[test]
    fn a_masked_name_keeps_no_control_character() {
        for raw in ["\u{1b}[31m张三", "张三\u{9b}", "\u{202e}张三", "张\u{8}三"] {
            let m = name(raw);
            assert!(!m.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)), "{raw:?} -> {m:?}");
        }
    }
}
