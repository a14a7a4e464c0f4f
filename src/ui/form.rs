//! A small form in a popup (case actions, reminder calls), drawn from its fields.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{fit, popup};
use super::{Theme, strings};
use crate::app::fields::{FieldForm, FieldKind};
use crate::text;

const LABEL_W: usize = 16;

pub fn draw(frame: &mut Frame, area: Rect, f: &FieldForm, theme: &Theme) {
    let h = f.fields.len() as u16 + 4;
    let inner = popup(frame, area, 64, h, &f.title, theme);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let mark = if field.required { "*" } else { " " };
        let label = text::pad(&format!("{mark}{}：", field.label), LABEL_W);
        let value_w = w.saturating_sub(LABEL_W);
        let shown = match field.kind {
            FieldKind::Choice if focused && field.input.value() != field.value() => {
                format!("{} → {}", field.input.value(), field.value())
            }
            FieldKind::Choice => format!("< {} >", field.value()),
            // A long value scrolls so the caret stays in view (as in the intake form).
            _ => {
                let scroll = if focused { field.input.visual_scroll(value_w) } else { 0 };
                text::split_at_width(&text::sanitize_line(field.input.value()), scroll).1.to_string()
            }
        };
        let style = if focused { theme.selected() } else { theme.base() };
        lines.push(Line::from(fit(vec![Span::styled(label, style), Span::raw(shown)], w)));
        if focused && field.kind != FieldKind::Choice {
            let col = field.input.visual_cursor() - field.input.visual_scroll(value_w);
            cursor = Some((inner.x + (LABEL_W + col) as u16, inner.y + i as u16));
        }
    }
    lines.push(Line::raw(""));
    match &f.error {
        Some(e) => lines
            .extend(text::wrap(&text::sanitize_line(e), w.max(1)).into_iter().map(|l| Line::styled(l, theme.danger()))),
        None => lines.push(Line::styled(text::truncate(strings::FORM_KEYS, w).into_owned(), theme.muted())),
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}
