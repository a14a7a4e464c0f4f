//! 接访队列: the day's leader and place, the figures, and one line per ticket
//! with its waiting time ticking.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, Paragraph};

use super::widgets::{MARKER, cell, fit, row_width, selectable, spaced};
use super::{Theme, strings};
use crate::app::App;
use crate::app::popups::appointments::Appointments;
use crate::app::popups::day_list::DayList;
use crate::domain::mask;
use crate::domain::queue::TicketStatus;
use crate::domain::warning::WarningKind;
use crate::store::queue::{BoardRow, LedgerRow};
use crate::text;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let q = app.queue();
    let title = match &q.day {
        Some(d) => format!(" {} {} ", strings::screen_title(crate::app::Screen::Queue), d.day.headline()),
        None => format!(" {} ", strings::screen_title(crate::app::Screen::Queue)),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(text::sanitize_line(&title).into_owned(), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    let w = inner.width as usize;
    let [figures, message, header, list] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)])
            .areas(inner);
    // What the last key did (or why it could not), with or without a day.
    if let Some((m, is_error)) = &q.message {
        let style = if *is_error { theme.danger() } else { theme.ok() };
        frame.render_widget(Line::styled(text::truncate(&text::sanitize_line(m), w).into_owned(), style), message);
    }
    if q.day.is_none() {
        frame.render_widget(Paragraph::new(Line::styled(strings::NO_RECEPTION_DAY, theme.muted())), figures);
        return;
    }
    let now = app.clock().now();
    let s = q.stats(now);
    let next = q.next().map(|r| format!("{} {}", r.ticket.number, mask::name(&r.name))).unwrap_or("无".into());
    let line = format!("下一位：{next}　等候 {}　{}", s.waiting, s.figures("　"));
    frame.render_widget(
        Line::styled(text::truncate(&text::sanitize_line(&line), w).into_owned(), theme.header()),
        figures,
    );
    if let Some(ledger) = &q.ledger {
        draw_ledger(frame, header, list, ledger, q.selected, theme);
        return;
    }
    let row_w = w.saturating_sub(text::width(MARKER));
    frame.render_widget(
        Line::styled(text::truncate(&format!("  {}", strings::QUEUE_HEADER), w).into_owned(), theme.muted()),
        header,
    );
    if q.rows.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled(strings::QUEUE_EMPTY, theme.muted())), list);
        return;
    }
    let items: Vec<ListItem> =
        q.rows.iter().map(|r| ListItem::new(Line::from(row(app, r, now, row_w, theme)))).collect();
    selectable(frame, list, items, q.selected, theme);
}

/// The list of reception days, over the queue.
pub fn draw_day_list(frame: &mut Frame, area: Rect, l: &DayList, theme: &Theme) {
    let h = (l.days.len() as u16).clamp(1, 14) + 2;
    let inner = super::widgets::popup(frame, area, 70, h, strings::DAYS_TITLE, theme);
    let w = row_width(inner.width);
    let items: Vec<ListItem> = l
        .days
        .iter()
        .map(|d| {
            let d = &d.day;
            let line = d.headline();
            ListItem::new(Line::raw(text::truncate(&text::sanitize_line(&line), w).into_owned()))
        })
        .collect();
    if items.is_empty() {
        frame.render_widget(Line::styled(strings::NO_DAYS, theme.muted()), inner);
        return;
    }
    selectable(frame, inner, items, l.selected, theme);
}

/// The shown day's bookings: time, masked name and ID, status, earlier cases, matter.
pub fn draw_appointments(frame: &mut Frame, area: Rect, a: &Appointments, theme: &Theme) {
    let (list, at) = (&a.list, a.selected);
    let h = (list.len() as u16).clamp(1, 14) + 2;
    let inner = super::widgets::popup(frame, area, 76, h, strings::APPOINTMENTS_TITLE, theme);
    let w = row_width(inner.width);
    if list.is_empty() {
        frame.render_widget(Line::styled(strings::NO_APPOINTMENTS, theme.muted()), inner);
        return;
    }
    let items: Vec<ListItem> = list
        .iter()
        .map(|a| {
            let spans = spaced(vec![
                cell(a.booked_time.get(11..16).unwrap_or_default(), 5, theme.base()),
                cell(&mask::name(&a.name), 8, theme.base()),
                cell(&mask::id_number(&a.id_number), 18, theme.muted()),
                cell(&a.status, 6, theme.header()),
                cell(
                    &format!("既往{}件", a.prior_cases),
                    9,
                    if a.prior_cases > 0 { theme.warning() } else { theme.muted() },
                ),
                Span::styled(a.summary.clone(), theme.base()),
            ]);
            ListItem::new(Line::from(fit(spans, w)))
        })
        .collect();
    selectable(frame, inner, items, at, theme);
}

/// The day's 台账: what each person raised and what the leader decided; the
/// place of the matter, then the address, join as the window widens, so the
/// leader's opinion always has room.
fn draw_ledger(frame: &mut Frame, header: Rect, list: Rect, rows: &[LedgerRow], selected: usize, theme: &Theme) {
    let w = row_width(list.width);
    let (wide, mid) = (w >= 140, w >= 100);
    let mut columns: Vec<(&str, usize)> = vec![("号码", 5), ("姓名", 8), ("结果", 6)];
    if wide {
        columns.push(("住址", 16));
    }
    columns.push(("反映问题", if mid { 24 } else { 18 }));
    if mid {
        columns.push(("问题属地", 16));
    }
    columns.push(("责任单位", if mid { 16 } else { 12 }));
    let mut titles: Vec<Span> = vec![Span::raw("  ")];
    for (title, width) in &columns {
        titles.push(cell(title, *width, theme.muted()));
        titles.push(Span::raw(" "));
    }
    titles.push(Span::styled("领导意见", theme.muted()));
    frame.render_widget(Line::from(fit(titles, w + text::width(MARKER))), header);
    let lines: Vec<ListItem> = rows
        .iter()
        .map(|r| {
            let opinion = if r.opinion.is_empty() {
                "（未批示）".to_string()
            } else {
                format!("{}：{}", r.instruction_kind, r.opinion)
            };
            let name = mask::name(&r.name);
            let mut values: Vec<(&str, Style)> = vec![
                (r.number.as_str(), theme.title()),
                (name.as_str(), theme.base()),
                (r.result.as_str(), theme.muted()),
            ];
            if wide {
                values.push((r.address.as_str(), theme.base()));
            }
            values.push((r.problem.as_str(), theme.base()));
            if mid {
                values.push((r.place.as_str(), theme.base()));
            }
            values.push((r.unit.as_str(), theme.base()));
            let mut spans = Vec::new();
            for ((value, style), (_, width)) in values.into_iter().zip(&columns) {
                spans.push(cell(value, *width, style));
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(opinion, theme.base()));
            ListItem::new(Line::from(fit(spans, w)))
        })
        .collect();
    selectable(frame, list, lines, selected.min(rows.len().saturating_sub(1)), theme);
}

/// 序 号码 姓名 类别 等候 状态 标记
fn row(app: &App, r: &BoardRow, now: chrono::NaiveDateTime, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let t = &r.ticket;
    let position = app.queue().positions.get(&t.id).map(|p| p.to_string()).unwrap_or_default();
    let category = r.category_code.as_deref().and_then(|c| app.reference().category(c)).map_or("", |c| c.name.as_str());
    // The wait runs until the person is called; after that it is fixed.
    let waited = (t.called_at.unwrap_or(now) - t.arrived_at).num_minutes().max(0);
    let status_style = match t.status {
        TicketStatus::InTalk => theme.ok(),
        TicketStatus::Called => theme.warning(),
        TicketStatus::Skipped | TicketStatus::Left | TicketStatus::Rescheduled => theme.muted(),
        _ => theme.base(),
    };
    let mut badges = Vec::new();
    if let Some(reason) = &t.priority_reason {
        badges.push((format!("优先：{reason}"), theme.warning()));
    }
    if r.key_person {
        badges.push(("重点人员".to_string(), theme.danger()));
    }
    if r.threat {
        badges.push(("扬言".to_string(), theme.danger()));
    }
    if r.case_count > 1 {
        badges.push((format!("第{}次", r.case_count), theme.base()));
    }
    // The person's early warnings not already shown (扬言 on this case, the group below).
    for w in &r.warnings {
        let shown = match w.kind {
            WarningKind::Threat => r.threat,
            WarningKind::Group => true,
            _ => false,
        };
        if !shown {
            badges.push((w.badge(), theme.warning()));
        }
    }
    if t.group_size > 1 || !r.other_representatives.is_empty() {
        let mut group = format!("{}人", t.group_size);
        if !r.other_representatives.is_empty() {
            let names: Vec<String> = r.other_representatives.iter().map(|n| mask::name(n)).collect();
            group.push_str(&format!("（代表 {}、{}）", mask::name(&r.name), names.join("、")));
        }
        badges.push((group, theme.base()));
    }
    if t.booked_at.is_some() {
        badges.push((
            format!("约{}", t.booked_at.map(|b| b.format("%H:%M").to_string()).unwrap_or_default()),
            theme.muted(),
        ));
    }
    let mut spans = spaced(vec![
        cell(&position, 3, theme.muted()),
        cell(&t.number, 5, theme.title()),
        cell(&mask::name(&r.name), 8, theme.base()),
        cell(category, 12, theme.base()),
        cell(&format!("{waited}分"), 6, theme.base()),
        cell(t.status.label(), 6, status_style),
    ]);
    spans.push(Span::raw(" "));
    for (b, style) in badges {
        spans.push(Span::styled(format!("{b} "), style));
    }
    fit(spans, width)
}
