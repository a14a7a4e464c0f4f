//! Display-width text handling: the only place in xfdesk that measures text.
//!
//! Every width here is a count of terminal columns as ratatui paints them
//! (`unicode-width`, one version in the tree), never bytes or chars: "张三" is
//! 6 bytes, 2 chars and 4 columns. Cutting always happens on grapheme-cluster
//! boundaries, so a wide glyph, a ZWJ emoji or a base letter with its combining
//! mark is never split.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod clean;
mod wrap;

pub use clean::*;
pub use wrap::*;

/// The ellipsis that marks truncated text. Plain ASCII: U+2026 "…" is
/// East-Asian *ambiguous* and paints two columns on terminals set to treat
/// ambiguous characters as wide, which would push every row out of line.
/// A test pins this choice.
pub const ELLIPSIS: &str = "...";

/// Shown where a value is empty (not "—", which is ambiguous-width).
pub const EMPTY: &str = "-";

/// A character that some CJK terminals paint one column wide and others two
/// (East-Asian *ambiguous*: “ ” … · — ① ↑ ×): our own chrome never uses one.
pub fn is_ambiguous_width(s: &str) -> bool {
    s.chars().any(|c| {
        let mut b = [0u8; 4];
        let one = c.encode_utf8(&mut b);
        UnicodeWidthStr::width(&*one) != UnicodeWidthStr::width_cjk(&*one)
    })
}

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Width of one grapheme cluster. A lone combining mark has width 0 by
/// unicode-width; we count it as 1 so that it never disappears silently.
pub(crate) fn grapheme_width(g: &str) -> usize {
    match width(g) {
        0 if !g.chars().all(char::is_control) => {
            if g.chars().all(is_zero_width_format) {
                0
            } else {
                g.chars().next().map_or(0, |c| usize::from(is_combining(c)))
            }
        }
        w => w,
    }
}

fn is_zero_width_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

pub(crate) fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{3099}'..='\u{309A}')
}

/// Truncate `s` to at most `max` columns, on a grapheme boundary, ending in
/// [`ELLIPSIS`] when something was cut. Returns the input untouched when it fits.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max < width(ELLIPSIS) {
        // No room for the mark: as many whole glyphs as fit.
        return Cow::Borrowed(split_at_width(s, max).0);
    }
    let budget = max - width(ELLIPSIS);
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

/// Truncate (with ellipsis) and pad with spaces to exactly `w` columns, left aligned.
/// Pads one extra space when a wide glyph would otherwise overrun by one column.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let mut out = t.into_owned();
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// Like [`pad`], right aligned (for numbers and counts).
pub fn pad_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let used = width(&t);
    let mut out = " ".repeat(w.saturating_sub(used));
    out.push_str(&t);
    out
}

/// The longest prefix of `s` that fits in `max` columns, cut on a grapheme
/// boundary (no ellipsis), and the remaining text.
pub fn split_at_width(s: &str, max: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > max {
            return s.split_at(i);
        }
        used += w;
    }
    (s, "")
}

/// An excerpt of `s` around the first occurrence of any of `terms`: up to
/// `lead` characters before it, `max_chars` in all, with "…" where text was
/// left out. Without an occurrence, the start of `s`.
pub fn excerpt(s: &str, terms: &[String], lead: usize, max_chars: usize) -> String {
    let first = terms.iter().filter(|t| !t.is_empty()).filter_map(|t| s.find(t.as_str())).min().unwrap_or(0);
    let chars_before = s[..first].chars().count();
    let start = chars_before.saturating_sub(lead);
    let mut out = String::new();
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let total = s.chars().count();
    out.extend(s.chars().skip(start).take(max_chars));
    if start + max_chars < total {
        out.push_str(ELLIPSIS);
    }
    out
}

/// Split `s` into runs, marking those that are one of `terms` (for
/// highlighting matched words). Overlapping terms: the longest wins.
pub fn highlight<'a>(s: &'a str, terms: &[String]) -> Vec<(&'a str, bool)> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut marks = vec![false; s.len()];
    for t in terms.iter().filter(|t| !t.is_empty()) {
        for (i, _) in s.match_indices(t.as_str()) {
            marks[i..i + t.len()].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    for (i, _) in s.char_indices().skip(1).chain(std::iter::once((s.len(), ' '))) {
        if i == s.len() || marks[i] != marks[start] {
            out.push((&s[start..i], marks[start]));
            start = i;
        }
    }
    out
}

/// Clean and fit untrusted text into one table cell of `w` columns.
pub fn cell(s: &str, w: usize) -> String {
    pad(&sanitize_line(s), w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("abc", 3)]
    #[case("张三", 4)]
    #[case("１２３", 6)] // full-width digits
    #[case("A张b三", 6)]
    #[case("·", 1)] // ambiguous: narrow in unicode-width, as ratatui paints it
    #[case("👨‍👩‍👧", 2)] // ZWJ family: one glyph
    #[case("é", 1)] // e + combining acute
    fn widths(#[case] s: &str, #[case] w: usize) {
        assert_eq!(width(s), w);
    }

    #[test]
    fn ellipsis_and_placeholder_are_narrow_everywhere() {
        assert_eq!(width(ELLIPSIS), 3);
        assert!(!is_ambiguous_width(ELLIPSIS) && !is_ambiguous_width(EMPTY));
        for c in ["…", "—", "·", "↑", "←", "×", "①", "“"] {
            assert!(is_ambiguous_width(c), "{c}");
        }
        for c in ["张", "，", "（", "a", "-", "|"] {
            assert!(!is_ambiguous_width(c), "{c}");
        }
    }

    #[rstest]
    #[case("张三丰", 6, "张三丰")]
    #[case("张三丰李", 7, "张三...")]
    #[case("张三丰", 5, "张...")] // 张(2)+...(3)=5; 三 would make 7
    #[case("ab张三", 5, "ab...")]
    #[case("１２３４", 7, "１２...")]
    #[case("a👨‍👩‍👧bcd", 5, "a...")]
    #[case("ae\u{301}xyzw", 5, "ae\u{301}...")]
    #[case("张三丰", 2, "张")] // no room for the mark: whole glyphs only
    #[case("anything", 0, "")]
    fn truncation(#[case] s: &str, #[case] max: usize, #[case] want: &str) {
        let t = truncate(s, max);
        assert_eq!(t, want);
        assert!(width(&t) <= max);
    }

    #[test]
    fn pad_fills_exactly_even_when_a_wide_glyph_is_cut() {
        for w in 0..12 {
            assert_eq!(width(&pad("信访接待台张三", w)), w, "width {w}");
            assert_eq!(width(&pad_left("１２３", w)), w);
        }
        assert_eq!(pad("张三", 6), "张三  ");
        assert_eq!(pad_left("12", 4), "  12");
    }

    #[test]
    fn split_never_cuts_a_glyph() {
        assert_eq!(split_at_width("张三李四", 3), ("张", "三李四"));
        assert_eq!(split_at_width("ab张", 3), ("ab", "张"));
        assert_eq!(split_at_width("ab", 9), ("ab", ""));
    }

    #[test]
    fn wrap_chinese_by_glyph() {
        let lines = wrap("小区物业乱收费问题长期得不到解决", 10);
        assert_eq!(lines, vec!["小区物业乱", "收费问题长", "期得不到解", "决"]);
        assert!(lines.iter().all(|l| width(l) <= 10));
    }

    #[test]
    fn wrap_keeps_latin_words_and_numbers_whole() {
        let lines = wrap("电话13812345678请回电", 12);
        assert_eq!(lines, vec!["电话", "13812345678", "请回电"]);
        assert_eq!(wrap("ab cd", 3), vec!["ab", "cd"]);
    }

    #[test]
    fn wrap_keeps_newlines_and_splits_overlong_words() {
        assert_eq!(wrap("一\n二", 5), vec!["一", "二"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 5), vec![""]);
    }

    #[rstest]
    // A closing mark never starts a line: the glyph before it moves down.
    #[case("问题一直没有解决，请尽快处理", 16, &["问题一直没有解", "决，请尽快处理"])]
    #[case("物业说：“不归我们管。”后来", 14, &["物业说：“不归", "我们管。”后来"])]
    #[case("甲乙丙丁。」戊", 8, &["甲乙丙", "丁。」戊"])]
    // An opening mark never ends a line: it moves down with what it opens.
    #[case("甲乙丙（丁戊己）", 8, &["甲乙丙", "（丁戊", "己）"])]
    #[case("请见《信访工作条例》第三十条", 10, &["请见《信访", "工作条例》", "第三十条"])]
    #[case("见附件（一）", 8, &["见附件", "（一）"])]
    fn wrap_keeps_punctuation_rules(#[case] s: &str, #[case] max: usize, #[case] want: &[&str]) {
        let lines = wrap(s, max);
        assert_eq!(lines, want);
        for l in &lines[1..] {
            let first: String = l.graphemes(true).take(1).collect();
            assert!(!is_no_start(&first), "line starts with closing punctuation: {l}");
        }
        for l in &lines[..lines.len() - 1] {
            let last = l.graphemes(true).next_back().unwrap_or_default();
            assert!(!is_no_end(last), "line ends with opening punctuation: {l}");
        }
        assert!(lines.iter().all(|l| width(l) <= max));
    }

    #[test]
    fn wrap_ranges_cover_the_text() {
        let s = "第一行，\n第二段很长很长很长的文字 word";
        let ranges = wrap_ranges(s, 8);
        let joined: String = ranges.iter().map(|r| &s[r.clone()]).collect::<Vec<_>>().join("\n");
        assert_eq!(joined.replace('\n', ""), s.replace('\n', ""));
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(s.len()));
    }

    #[test]
    fn wrap_odd_width_with_wide_glyphs() {
        let lines = wrap("张三李四", 3);
        assert_eq!(lines, vec!["张", "三", "李", "四"]);
    }

    #[rstest]
    #[case("plain 张三", "plain 张三")]
    #[case("a\u{1b}[31mred\u{1b}[0m", "ared")]
    #[case("x\u{1b}]0;title\u{07}y", "xy")]
    #[case("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y", "xlinky")]
    #[case("c1\u{9b}2Jz", "c1z")]
    #[case("nul\u{0}bell\u{7}", "nulbell")]
    #[case("bidi\u{202e}evil", "bidievil")]
    #[case("zero\u{200b}width", "zerowidth")]
    #[case("a\tb", "a   b")]
    #[case("a\r\nb", "a\nb")]
    #[case("\u{301}x", "\u{25cc}\u{301}x")]
    #[case("👨‍👩‍👧", "👨‍👩‍👧")]
    fn sanitizing(#[case] input: &str, #[case] want: &str) {
        assert_eq!(sanitize_multiline(input), want);
    }

    #[test]
    fn pasted_text_loses_whole_sequences() {
        assert_eq!(pasted("a\u{1b}]0;pwned\u{7}b\r\nc\td", false), "ab c   d");
        assert_eq!(pasted("一\n二", true), "一\n二");
    }

    #[test]
    fn json_is_escaped_not_stripped() {
        let raw = serde_json::to_string(&"a\u{9b}b\u{202e}c\u{200b}d\u{1b}e\u{7f}").unwrap();
        let safe = json_safe(&raw);
        assert!(!safe.chars().any(|c| c.is_control() || c == '\u{202e}' || c == '\u{200b}'), "{safe}");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{9b}b\u{202e}c\u{200b}d\u{1b}e\u{7f}", "the same data");
    }

    #[test]
    fn sanitize_line_flattens_breaks() {
        assert_eq!(sanitize_line("一\n二\r三"), "一 二三");
        assert!(matches!(sanitize_line("干净"), Cow::Borrowed(_)));
    }

    #[test]
    fn excerpts_start_near_the_match() {
        let t = |s: &str| vec![s.to_string()];
        assert_eq!(excerpt("一二三四五六七八九十拆迁补偿", &t("拆迁"), 2, 6), "...九十拆迁补偿");
        assert_eq!(excerpt("拆迁补偿标准过低", &t("拆迁"), 2, 4), "拆迁补偿...");
        assert_eq!(excerpt("没有匹配", &t("拆迁"), 2, 10), "没有匹配");
    }

    #[test]
    fn highlight_marks_every_occurrence() {
        let t = vec!["物业".to_string()];
        assert_eq!(
            highlight("小区物业和物业费", &t),
            vec![("小区", false), ("物业", true), ("和", false), ("物业", true), ("费", false)]
        );
        assert_eq!(highlight("无", &t), vec![("无", false)]);
        assert_eq!(highlight("", &t), Vec::<(&str, bool)>::new());
    }

    #[test]
    fn cell_is_clean_and_exact() {
        let c = cell("张\u{1b}[2J三丰很长的名字", 9);
        assert_eq!(c, "张三丰...");
        assert_eq!(width(&c), 9);
    }
}
