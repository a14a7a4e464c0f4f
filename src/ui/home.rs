//! 工作台: counts, the worklists (overdue, due today, due soon, within seven
//! days, per clock kind) and the newest registrations. Enter opens a case.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::widgets::{MARKER, cell, countdown_cell, fit};
use super::{Theme, strings};
use crate::app::{App, HomeRow};
use crate::domain::deadline::{Bucket, Countdown};
use crate::domain::mask;
use crate::text;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let notice = app.home().calendar_notice.as_deref();
    let [calendar, summary, list] =
        Layout::vertical([Constraint::Length(u16::from(notice.is_some())), Constraint::Length(1), Constraint::Fill(1)])
            .areas(area);
    if let Some(n) = notice {
        let line = text::truncate(&format!(" {n}"), calendar.width as usize).into_owned();
        frame.render_widget(Line::styled(line, theme.danger()), calendar);
    }
    let soon = i64::from(app.session().due_soon_days);
    frame.render_widget(
        Paragraph::new(Line::from(fit(summary_spans(app, theme, soon), summary.width as usize))),
        summary,
    );

    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::HOME_TITLE), theme.title()));
    let inner_w = block.inner(list).width as usize;
    let width = inner_w.saturating_sub(text::width(MARKER));
    let today = app.clock().now().date();
    let items: Vec<ListItem> = app
        .home()
        .rows
        .iter()
        .map(|row| {
            ListItem::new(match row {
                HomeRow::Header(title) => {
                    Line::styled(text::truncate(&text::sanitize_line(title), width).into_owned(), theme.header())
                }
                HomeRow::Due(d) => {
                    let countdown = Countdown::of(d.due, today);
                    let urgency = countdown.urgency(d.rule, soon);
                    let style = theme.urgency(urgency, theme.base());
                    let mark = urgency.mark();
                    let spans = vec![
                        cell(&d.number, 19, theme.base()),
                        Span::raw(" "),
                        cell(d.clock, 8, theme.base()),
                        Span::raw(" "),
                        countdown_cell(mark, countdown, d.rule, 11, style),
                        Span::raw(" "),
                        Span::styled(
                            crate::domain::calendar::missing_year_mark(app.calendar(), d.due, d.due)
                                .unwrap_or_default(),
                            theme.danger(),
                        ),
                        cell(d.status.label(), 10, theme.muted()),
                        Span::raw(" "),
                        cell(&mask::name(&d.representative), 8, theme.base()),
                        Span::raw(" "),
                        Span::raw(text::sanitize_line(&d.title).into_owned()),
                    ];
                    Line::from(fit(spans, width))
                }
                HomeRow::Recent(c) => {
                    let mut name = mask::name(&c.representative);
                    if crate::domain::case::is_group_visit(c.people_count) {
                        name = format!("{}{name}", strings::GROUP_MARK);
                    }
                    let category = c.category_code.as_deref().and_then(|code| app.reference().category(code));
                    let status_style = if c.status.is_open() { theme.base() } else { theme.muted() };
                    let spans = vec![
                        cell(&c.number, 19, theme.base()),
                        Span::raw(" "),
                        cell(&c.registered_at.format("%m-%d %H:%M").to_string(), 11, theme.base()),
                        Span::raw(" "),
                        cell(c.status.label(), 10, status_style),
                        Span::raw(" "),
                        cell(&name, 10, theme.base()),
                        Span::raw(" "),
                        cell(category.map_or("", |c| c.name.as_str()), 14, theme.muted()),
                        Span::raw(" "),
                        Span::raw(text::sanitize_line(c.display_title()).into_owned()),
                    ];
                    Line::from(fit(spans, width))
                }
            })
        })
        .collect();
    if app.home().rows.iter().all(|r| r.case_id().is_none()) {
        let said = match (app.home().loaded, app.home().busy()) {
            (false, Some(step)) => strings::computing(step),
            _ => strings::HOME_EMPTY.to_string(),
        };
        frame.render_widget(Paragraph::new(text::truncate(&said, inner_w).into_owned()).block(block), list);
        return;
    }
    let mut state = ListState::default().with_selected(Some(app.home().selected));
    frame.render_stateful_widget(
        List::new(items).block(block).highlight_symbol(MARKER).highlight_style(theme.selected()),
        list,
        &mut state,
    );
}

fn summary_spans(app: &App, theme: &Theme, soon: i64) -> Vec<Span<'static>> {
    let c = &app.home().counts;
    if !app.home().loaded {
        // Not zeros before the first answer: the counts are being read.
        return vec![Span::styled(" 统计中", theme.muted())];
    }
    let mut spans = vec![Span::styled(format!(" {}", strings::home_counts(c.today, c.open, c.total)), theme.header())];
    for (bucket, n) in &app.home().due_counts {
        let style = match bucket {
            Bucket::Overdue | Bucket::Today if *n > 0 => theme.danger(),
            Bucket::Soon if *n > 0 => theme.warning(),
            _ => theme.muted(),
        };
        spans.push(Span::styled(format!("　{} {n}", bucket.short_label(soon)), style));
    }
    spans
}
