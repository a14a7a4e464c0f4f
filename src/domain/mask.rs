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
