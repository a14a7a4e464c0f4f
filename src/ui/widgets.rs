//! Small drawing helpers shared by the screens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

use crate::domain::deadline::{Countdown, Rule};
use crate::text;

/// `s` cleaned, fitted to `width` columns, with the runs that match `terms`
/// in `hl`. Truncation ends in "…" and never cuts a glyph.
pub fn highlighted(s: &str, terms: &[String], width: usize, base: Style, hl: Style) -> Vec<Span<'static>> {
    let clean = text::sanitize_line(s);
    let fitted = text::truncate(&clean, width);
    let mut spans: Vec<Span<'static>> = text::highlight(&fitted, terms)
        .into_iter()
        .map(|(run, matched)| Span::styled(run.to_string(), if matched { hl } else { base }))
        .collect();
    let used = text::width(&fitted);
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    spans
}

/// Cells with one column between them.
pub fn spaced(cells: Vec<Span<'static>>) -> Vec<Span<'static>> {
    let n = cells.len();
    let mut out = Vec::with_capacity(n * 2);
    for (i, c) in cells.into_iter().enumerate() {
        out.push(c);
        if i + 1 < n {
            out.push(Span::raw(" "));
        }
    }
    out
}

/// A fixed-width cell as a span.
pub fn cell(s: &str, width: usize, style: Style) -> Span<'static> {
    Span::styled(text::cell(s, width), style)
}

/// `prefix` and the countdown of a `rule` clock in `width` columns: a passed
/// 复查/复核 window shortens to "可办结" rather than losing its meaning to "…".
pub fn countdown_cell(prefix: &str, cd: Countdown, rule: Rule, width: usize, style: Style) -> Span<'static> {
    let mut label = format!("{prefix}{}", cd.label_for(rule));
    if text::width(&label) > width {
        label = format!("{prefix}{}", cd.short_label_for(rule));
    }
    cell(&label, width, style)
}

/// Spans cut to `width` display columns: whole spans while they fit, the first
/// one that does not truncated with the ellipsis (never half a glyph), the rest
/// dropped — one ellipsis, however many spans follow. Untrusted text in them is
/// cleaned.
pub fn fit(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut used = 0;
    let mut cut = false;
    spans
        .into_iter()
        .map_while(|s| {
            let room = width.saturating_sub(used);
            if cut || room == 0 {
                return None;
            }
            let clean = text::sanitize_line(&s.content);
            let t = text::truncate(&clean, room).into_owned();
            cut = t != *clean;
            used += text::width(&t);
            Some(Span::styled(t, s.style))
        })
        .collect()
}

/// A bordered popup of at most `w`×`h` centred in `area`; returns its inside.
/// One extra column is cleared each side, so no wide glyph is left cut at the edge.
pub fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16, title: &str, theme: &super::Theme) -> Rect {
    let outer = super::centered(area, w + 2, h);
    frame.render_widget(Clear, outer);
    let r = Rect { x: outer.x + 1, width: outer.width.saturating_sub(2), ..outer };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        // Titles can carry untrusted text (a case title in the booking lookup).
        .title(Line::styled(
            text::truncate(&format!(" {} ", text::sanitize_line(title)), r.width.saturating_sub(2) as usize)
                .into_owned(),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

/// The mark before the selected row of every list.
pub const MARKER: &str = "> ";

/// The row width a list leaves for its items next to the selection mark.
pub fn row_width(list_width: u16) -> usize {
    (list_width as usize).saturating_sub(text::width(MARKER))
}

/// A list with one selected row, scrolled to keep it in view.
pub fn selectable(frame: &mut Frame, area: Rect, items: Vec<ListItem<'_>>, selected: usize, theme: &super::Theme) {
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        List::new(items).highlight_symbol(MARKER).highlight_style(theme.selected()),
        area,
        &mut state,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted(spans: &[&str], width: usize) -> String {
        fit(spans.iter().map(|s| Span::raw(s.to_string())).collect(), width)
            .iter()
            .map(|s| s.content.as_ref())
            .collect()
    }

    #[test]
    fn fit_cuts_once_and_drops_the_rest() {
        // The cut span leaves a column free (a wide glyph did not fit): the next
        // span must not add a second ellipsis there.
        assert_eq!(fitted(&["A007 ", "张三丰李四王五", "优先"], 13), "A007 张三...");
        assert_eq!(fitted(&["A007 ", "张三丰李四王五", "优先"], 14), "A007 张三丰...");
        assert_eq!(fitted(&["ab", "cd"], 4), "abcd");
        assert_eq!(fitted(&["ab", "cdef"], 5), "ab...");
        assert!(text::width(&fitted(&["张三", "李四", "王五"], 7)) <= 7);
        assert_eq!(fitted(&["张三", "李四"], 0), "");
    }
}
