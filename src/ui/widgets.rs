//! Small drawing helpers shared by the screens.

use ratatui::style::Style;
use ratatui::text::Span;

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

/// A fixed-width cell as a span.
pub fn cell(s: &str, width: usize, style: Style) -> Span<'static> {
    Span::styled(text::cell(s, width), style)
}
