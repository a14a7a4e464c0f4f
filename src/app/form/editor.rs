//! The multi-line editor of 反映问题: the text, a caret (a byte offset on a
//! grapheme boundary) and the width it was last drawn at. Lines are the
//! visual lines of `text::wrap_ranges` — the same wrapping (display width,
//! no line starting with closing punctuation) the screen paints — so ↑/↓ and
//! Home/End move along what the clerk sees.

use std::cell::Cell;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::text;

#[derive(Debug, Clone, Default)]
pub struct Editor {
    text: String,
    /// Byte offset of the caret, always on a grapheme boundary.
    caret: usize,
    /// Columns the editor was last drawn in (set by the drawing code, read by
    /// caret movement; 0 until the first frame).
    width: Cell<usize>,
    /// End put the caret at the end of a wrapped line, which is also the
    /// start of the next: it shows at the end of the first.
    at_line_end: bool,
}

impl Editor {
    pub fn new(text: &str) -> Editor {
        Editor { text: text.to_string(), caret: text.len(), width: Cell::new(0), at_line_end: false }
    }

    pub fn value(&self) -> &str {
        &self.text
    }

    /// The caret as a char index (for the draft and for tests).
    pub fn cursor(&self) -> usize {
        self.text[..self.caret].chars().count()
    }

    /// The drawing code tells the editor how wide it is.
    pub fn set_width(&self, w: usize) {
        self.width.set(w.max(1));
    }

    fn wrap_width(&self) -> usize {
        match self.width.get() {
            0 => usize::MAX / 4,
            w => w,
        }
    }

    /// The visual lines at the drawn width.
    pub fn lines(&self) -> Vec<Range<usize>> {
        text::wrap_ranges(&self.text, self.wrap_width())
    }

    /// (visual line, display column) of the caret.
    pub fn caret_position(&self) -> (usize, usize) {
        let lines = self.lines();
        let row = self.caret_line(&lines);
        let start = lines.get(row).map_or(0, |r| r.start);
        (row, text::width(&self.text[start..self.caret]))
    }

    fn caret_line(&self, lines: &[Range<usize>]) -> usize {
        let end_of = lines.iter().position(|r| r.end == self.caret);
        match end_of {
            Some(row) if self.at_line_end => row,
            _ => line_of(lines, self.caret),
        }
    }

    pub fn insert(&mut self, c: char) {
        self.at_line_end = false;
        self.text.insert(self.caret, c);
        self.caret += c.len_utf8();
        self.snap();
    }

    pub fn insert_str(&mut self, s: &str) {
        self.at_line_end = false;
        self.text.insert_str(self.caret, s);
        self.caret += s.len();
        self.snap();
    }

    pub fn backspace(&mut self) -> bool {
        self.at_line_end = false;
        let Some(prev) = self.prev_boundary() else { return false };
        self.text.replace_range(prev..self.caret, "");
        self.caret = prev;
        true
    }

    pub fn delete(&mut self) -> bool {
        self.at_line_end = false;
        let Some(next) = self.next_boundary() else { return false };
        self.text.replace_range(self.caret..next, "");
        true
    }

    pub fn left(&mut self) {
        self.at_line_end = false;
        if let Some(p) = self.prev_boundary() {
            self.caret = p;
        }
    }

    pub fn right(&mut self) {
        self.at_line_end = false;
        if let Some(n) = self.next_boundary() {
            self.caret = n;
        }
    }

    /// ↑/↓: the same column on the visual line above or below. Returns false
    /// on the first or last line (the form then moves to another field).
    pub fn vertical(&mut self, step: isize) -> bool {
        let lines = self.lines();
        let (row, col) = self.caret_position();
        let Some(target) = row.checked_add_signed(step).filter(|r| *r < lines.len()) else { return false };
        self.caret = at_column(&self.text, lines[target].clone(), col);
        self.at_line_end = self.caret == lines[target].end;
        true
    }

    /// Home/End: the start or end of the visual line.
    pub fn line_edge(&mut self, end: bool) {
        let lines = self.lines();
        let r = lines[self.caret_line(&lines)].clone();
        self.caret = if end { self.text[r.clone()].trim_end_matches(['\r', ' ']).len() + r.start } else { r.start };
        self.at_line_end = end;
    }

    pub fn clear(&mut self) {
        self.at_line_end = false;
        self.text.clear();
        self.caret = 0;
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.caret].grapheme_indices(true).next_back().map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.caret..].graphemes(true).next().map(|g| self.caret + g.len())
    }

    /// Keep the caret on a grapheme boundary (a combining mark typed after a
    /// letter joins it: the caret belongs after the glyph).
    fn snap(&mut self) {
        if let Some((start, g)) =
            self.text.grapheme_indices(true).find(|(s, g)| *s < self.caret && self.caret < s + g.len())
        {
            self.caret = start + g.len();
        }
    }
}

/// The visual line holding byte `at` (a caret at a line's end belongs to it,
/// unless the next line starts there).
fn line_of(lines: &[Range<usize>], at: usize) -> usize {
    lines.iter().rposition(|r| r.start <= at).unwrap_or(0)
}

/// The byte offset in `line` whose prefix is at most `col` columns wide.
fn at_column(s: &str, line: Range<usize>, col: usize) -> usize {
    let mut used = 0;
    for (i, g) in s[line.clone()].grapheme_indices(true) {
        let w = text::width(g);
        if used + w > col {
            return line.start + i;
        }
        used += w;
    }
    line.start + s[line].trim_end_matches('\r').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(s: &str, width: usize) -> Editor {
        let e = Editor::new(s);
        e.set_width(width);
        e
    }

    #[test]
    fn up_and_down_move_between_visual_lines_by_column() {
        // 8 columns: "小区物业" / "乱收费，" / "问题"
        let mut e = editor("小区物业乱收费，问题", 8);
        assert_eq!(e.lines().len(), 3);
        assert_eq!(e.caret_position(), (2, 4));
        assert!(e.vertical(-1));
        assert_eq!(e.caret_position(), (1, 4));
        assert!(e.vertical(-1));
        assert_eq!(e.caret_position(), (0, 4));
        assert!(!e.vertical(-1), "first line: the form moves to the field above");
        assert!(e.vertical(1) && e.vertical(1));
        assert!(!e.vertical(1), "last line");
    }

    #[test]
    fn a_column_inside_a_wide_glyph_lands_before_it() {
        let mut e = editor("ab张三\n李四王五", 20);
        e.line_edge(false);
        e.right(); // after 李
        assert_eq!(e.caret_position(), (1, 2));
        assert!(e.vertical(-1));
        assert_eq!(e.caret_position(), (0, 2), "after ab");
        e.right();
        assert!(e.vertical(1));
        // column 4 on "李四王五" is after 李四
        assert_eq!(e.caret_position(), (1, 4));
    }

    #[test]
    fn home_and_end_work_per_line() {
        let mut e = editor("一二三四五六七八九十", 8);
        assert!(e.vertical(-1));
        e.line_edge(false);
        assert_eq!(e.caret_position(), (1, 0));
        e.line_edge(true);
        assert_eq!(e.caret_position(), (1, 8));
        e.insert('甲');
        assert_eq!(e.value(), "一二三四五六七八甲九十");
    }

    #[test]
    fn editing_keeps_graphemes_whole() {
        let mut e = editor("e", 10);
        e.insert('\u{301}');
        assert_eq!(e.cursor(), 2);
        assert!(e.backspace());
        assert_eq!(e.value(), "");
        assert!(!e.backspace());
        let mut e = editor("👨‍👩‍👧x", 10);
        e.line_edge(false);
        e.right();
        assert_eq!(e.caret_position(), (0, 2));
        assert!(e.delete());
        assert_eq!(e.value(), "👨‍👩‍👧");
    }
}
