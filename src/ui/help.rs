//! The `?` overlay: every key of the current screen, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, centered, strings};
use crate::app::keymap::Keymap;
use crate::app::pane::PaneKind;
use crate::text;

/// `notes`: what the screen's rules are (the queue's calling order), below the keys.
pub fn draw(frame: &mut Frame, area: Rect, keys: &Keymap, over: PaneKind, notes: &[String], theme: &Theme) {
    let entries = keys.help_entries(over);
    let key_w = entries.iter().map(|(k, _)| text::width(k)).max().unwrap_or(0);
    let desc_w = entries.iter().map(|(_, d)| text::width(d)).max().unwrap_or(0);
    let notes_w = notes.iter().map(|n| text::width(n)).max().unwrap_or(0);
    let width = (key_w + desc_w + 7).max(text::width(strings::HELP_FOOTER) + 4).max(notes_w + 4) as u16;
    let extra = if notes.is_empty() { 0 } else { notes.len() + 1 };
    let height = (entries.len() + extra) as u16 + 4;
    // One extra column each side: a popup edge must not land inside a wide glyph.
    let popup = centered(area, width + 2, height);
    frame.render_widget(Clear, popup);
    let inner_area = Rect { x: popup.x + 1, width: popup.width.saturating_sub(2), ..popup };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} - {} ", strings::HELP_TITLE, strings::pane_title(over)), theme.title()));
    let inner_w = block.inner(inner_area).width as usize;
    let mut lines: Vec<Line> = entries
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(text::pad(k, key_w + 2), theme.key()),
                Span::raw(text::truncate(d, inner_w.saturating_sub(key_w + 2)).into_owned()),
            ])
        })
        .collect();
    if !notes.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(notes.iter().map(|n| Line::raw(text::truncate(n, inner_w).into_owned())));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(strings::HELP_FOOTER, theme.muted()));
    frame.render_widget(Paragraph::new(lines).block(block), inner_area);
}
