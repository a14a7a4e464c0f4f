//! A small form in a popup (case actions, reminder calls, queue forms, the
//! weekly report's hand fields), drawn from its fields. Labels take the width
//! the longest of them needs; a long value scrolls with the caret.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{fit, popup};
use super::{Theme, strings};
use crate::app::form::{Buffer, Form, Kind};
use crate::text;

/// Popup width (columns inside its border).
const FORM_W: u16 = 64;

/// The label column: as wide as the longest label, at most half the popup.
fn label_width<K>(f: &Form<K>, w: usize) -> usize {
    let widest = f.fields.iter().map(|field| text::width(field.label) + 3).max().unwrap_or(0);
    widest.min(w / 2)
}

pub fn draw<K: Copy + Eq + std::fmt::Debug>(frame: &mut Frame, area: Rect, f: &Form<K>, theme: &Theme) {
    // The form's own message, else what was found wrong as a field was left:
    // the popup grows to show all of it.
    let error = f.error.as_ref().or_else(|| f.fields.iter().find_map(|field| field.error.as_ref()));
    let error_lines = error
        .map_or(1, |e| text::wrap(&text::sanitize_line(e), (FORM_W as usize).saturating_sub(2).max(1)).len().max(1));
    let h = f.fields.len() as u16 + 3 + error_lines as u16;
    let inner = popup(frame, area, FORM_W, h, &f.title, theme);
    let w = inner.width as usize;
    let label_w = label_width(f, w);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let mark = if field.required { "*" } else { " " };
        let label = text::pad(&format!("{mark}{}：", field.label), label_w);
        let value_w = w.saturating_sub(label_w);
        let (shown, col) = match (&field.buffer, field.kind) {
            (_, Kind::Choice) if focused && field.raw() != field.value() => {
                (format!("{} -> {}", field.raw(), field.value()), None)
            }
            (_, Kind::Choice) => (format!("< {} >", field.value()), None),
            // A password shows how many characters, never which.
            (Buffer::Line(input), Kind::Secret) => {
                let n = input.value().chars().count();
                ("*".repeat(n.min(value_w.saturating_sub(1))), Some(input.cursor().min(value_w.saturating_sub(1))))
            }
            // A long value scrolls so the caret stays in view (as in the intake form).
            (Buffer::Line(input), _) => {
                let scroll = if focused { input.visual_scroll(value_w) } else { 0 };
                let shown = text::split_at_width(&text::sanitize_line(input.value()), scroll).1.to_string();
                (shown, Some(input.visual_cursor() - scroll))
            }
            (Buffer::Lines(editor), _) => (text::sanitize_line(editor.value()).into_owned(), None),
        };
        let style = if focused { theme.selected() } else { theme.base() };
        lines.push(Line::from(fit(vec![Span::styled(label, style), Span::raw(shown)], w)));
        if focused && let Some(col) = col {
            cursor = Some((inner.x + (label_w + col) as u16, inner.y + i as u16));
        }
    }
    lines.push(Line::raw(""));
    match error {
        Some(e) => lines
            .extend(text::wrap(&text::sanitize_line(e), w.max(1)).into_iter().map(|l| Line::styled(l, theme.danger()))),
        None => {
            let keys = f.keys.unwrap_or(strings::FORM_KEYS);
            lines.push(Line::styled(text::truncate(keys, w).into_owned(), theme.muted()))
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}
