//! 督促: the cases due a reminder call today, or the units' records.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, Paragraph};

use super::widgets::{cell, fit, row_width, selectable};
use super::{Theme, strings};
use crate::app::App;
use crate::app::screens::reminders::View;
use crate::store::reminders::DueCall;
use crate::text;

/// A case number's columns.
const NUMBER_W: usize = 19;
/// What the reasons keep at least before the unit and the last call give way.
const REASONS_MIN: usize = 20;

/// The unit and last-call columns: as wide as their longest values when the
/// window has room (the reasons take the rest), shrunk together when not.
fn due_columns(due: &[DueCall], w: usize, last_call: impl Fn(&DueCall) -> String) -> (usize, usize) {
    let widest = |f: &dyn Fn(&DueCall) -> usize| due.iter().map(f).max().unwrap_or(0);
    let unit = widest(&|d| text::width(&d.unit)).clamp(8, 30);
    let last = widest(&|d| text::width(&last_call(d))).clamp(8, 30);
    let room = w.saturating_sub(NUMBER_W + 3 + REASONS_MIN);
    if unit + last <= room {
        return (unit, last);
    }
    // Not enough: the unit keeps three fifths of what there is.
    let unit_w = (room * 3 / 5).clamp(8, unit);
    (unit_w, room.saturating_sub(unit_w).clamp(8, last))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let r = app.reminders();
    let title = match (&r.view, &r.unit_filter) {
        (View::Units, _) => strings::UNITS_TITLE.to_string(),
        (View::Due, Some(u)) => format!("{} - {u}", strings::DUE_CALLS_TITLE),
        (View::Due, None) => strings::DUE_CALLS_TITLE.to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 {
        return;
    }
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let (msg, style) = match &r.message {
        Some((m, true)) => (m.clone(), theme.danger()),
        Some((m, false)) => (m.clone(), theme.ok()),
        None => match (r.busy(), r.view) {
            (Some(step), _) => (strings::computing(step), theme.muted()),
            (None, View::Due) => (strings::due_calls_count(r.entries.len(), r.page_start, r.due.len()), theme.header()),
            (None, View::Units) => (strings::UNITS_HINT.to_string(), theme.header()),
        },
    };
    frame.render_widget(Line::styled(text::truncate(&msg, head.width as usize).into_owned(), style), head);
    let w = row_width(list.width);
    let last_call = |d: &DueCall| {
        d.last_call.as_ref().map(|(at, res)| format!("上次{} {res}", at.format("%m-%d"))).unwrap_or_default()
    };
    let (unit_w, last_w) = due_columns(&r.due, w, last_call);
    let items: Vec<ListItem> = match r.view {
        View::Due => r
            .due
            .iter()
            .map(|d| {
                let reasons: Vec<String> = d.reasons.iter().map(|x| x.label()).collect();
                let mut spans = vec![
                    cell(&d.number, NUMBER_W, theme.base()),
                    Span::raw(" "),
                    cell(&d.unit, unit_w, theme.base()),
                    Span::raw(" "),
                    cell(&last_call(d), last_w, theme.muted()),
                    Span::raw(" "),
                ];
                if let Some((rung, _)) = &d.escalation {
                    spans.push(Span::styled(format!("!建议{} ", rung.label()), theme.danger()));
                }
                spans.push(Span::styled(reasons.join("；"), theme.warning()));
                ListItem::new(Line::from(fit(spans, w)))
            })
            .collect(),
        View::Units => std::iter::once(ListItem::new(Line::styled(
            text::truncate(strings::UNITS_HEADER, w).into_owned(),
            theme.header(),
        )))
        .chain(r.units.iter().map(|u| {
            let spans = vec![
                cell(&u.unit, 22, theme.base()),
                Span::raw(" "),
                cell(&u.open_cases.to_string(), 6, theme.base()),
                cell(&u.overdue_cases.to_string(), 6, if u.overdue_cases > 0 { theme.danger() } else { theme.base() }),
                cell(&format!("{:.1}", u.average_days_overdue), 10, theme.base()),
                cell(&u.calls.to_string(), 10, theme.base()),
                cell(&u.promises_kept.to_string(), 6, theme.ok()),
                cell(
                    &u.promises_broken.to_string(),
                    6,
                    if u.promises_broken > 0 { theme.danger() } else { theme.base() },
                ),
            ];
            ListItem::new(Line::from(fit(spans, w)))
        }))
        .collect(),
    };
    if items.is_empty() {
        let empty = if r.loaded { strings::NOTHING_DUE } else { "" };
        frame.render_widget(Paragraph::new(Line::styled(empty, theme.muted())), list);
        return;
    }
    // The unit view's first line is its column titles.
    let offset = usize::from(r.view == View::Units);
    selectable(frame, list, items, r.selected + offset, theme);
}
