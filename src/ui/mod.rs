//! Drawing only, from state: nothing here changes the app or touches the database.

mod detail;
mod form;
pub mod gate;
mod help;
mod home;
mod intake;
mod papers;
mod queue;
mod reminders;
mod reports;
mod search;
pub mod strings;
pub mod theme;
mod widgets;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::popups::Popup;
use crate::app::{App, Screen};
use crate::text;
pub use theme::Theme;

/// Below this size the layout cannot hold a form and a list side by side.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, theme);
        return;
    }
    // Locked: nothing of the desk is drawn, not even the status bar.
    if let Some(gate) = app.gate() {
        gate::draw(frame, gate, app.session().demo, theme);
        return;
    }
    let [tabs, body, hints, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    draw_tabs(frame, tabs, app, theme);
    draw_screen(frame, body, app, app.screen(), theme);
    // The focus stack, bottom first: each popup over what is beneath it.
    for p in app.stack() {
        draw_popup(frame, body, app, p, theme);
    }
    draw_hints(frame, hints, &app.hints(), theme);
    draw_status(frame, status, app, theme);
}

fn draw_screen(frame: &mut Frame, body: Rect, app: &App, screen: Screen, theme: &Theme) {
    match screen {
        Screen::Home => home::draw(frame, body, app, theme),
        Screen::Search => search::draw(frame, body, app, theme),
        Screen::Intake => intake::draw(frame, body, app, theme),
        Screen::Reminders => reminders::draw(frame, body, app, theme),
        Screen::Queue => queue::draw(frame, body, app, theme),
        Screen::Reports => reports::draw(frame, body, app, theme),
    }
}

fn draw_popup(frame: &mut Frame, body: Rect, app: &App, p: &Popup, theme: &Theme) {
    let clocks = (app.clock().now().date(), i64::from(app.session().due_soon_days));
    match p {
        Popup::Detail(d) => {
            // The detail pane covers the screen beneath it entirely.
            frame.render_widget(Clear, body);
            detail::draw(frame, body, app, d, theme)
        }
        Popup::CaseAction(f) => form::draw(frame, body, &f.form, theme),
        Popup::ReminderCall(f) => form::draw(frame, body, &f.form, theme),
        Popup::QueueForm(f) => form::draw(frame, body, &f.form, theme),
        Popup::WatchForm(f) => form::draw(frame, body, &f.form, theme),
        Popup::Reveal(r) => detail::draw_reveal(frame, body, r, theme),
        Popup::DayList(l) => queue::draw_day_list(frame, body, l, theme),
        Popup::Appointments(a) => queue::draw_appointments(frame, body, a, theme),
        Popup::Profile(pr) => search::draw_profile(frame, body, pr, theme, clocks),
        Popup::Picker(pk) => intake::draw_picker(frame, body, app, pk, theme),
        Popup::Confirm(c) => intake::draw_dialog(frame, body, c, theme),
        Popup::TakeOver(t) => intake::draw_take_over(frame, body, t, theme),
        Popup::SamePerson(s) => intake::draw_same_person(frame, body, s, theme),
        Popup::PersonForm(f) => form::draw(frame, body, &f.form, theme),
        Popup::HolidayForm(f) => form::draw(frame, body, &f.form, theme),
        Popup::Approval(f) => form::draw(frame, body, &f.form, theme),
        Popup::Papers(l) => papers::draw_list(frame, body, l, theme),
        Popup::PaperPreview(p) => papers::draw_preview(frame, body, p, theme),
        Popup::Help(h) => help::draw(frame, body, &app.session().keymap, h.over, &h.notes, theme),
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    frame.render_widget(Clear, area);
    let detail = strings::too_small_detail(MIN_WIDTH, MIN_HEIGHT, area.width, area.height);
    let lines = vec![
        Line::styled(text::truncate(strings::TOO_SMALL, area.width as usize).into_owned(), theme.danger()),
        Line::raw(text::truncate(&detail, area.width as usize).into_owned()),
    ];
    let top = area.height.saturating_sub(2) / 2;
    let [_, middle] = Layout::vertical([Constraint::Length(top), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), middle);
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::styled(format!(" {} ", strings::APP_TITLE), theme.title())];
    if app.session().demo {
        spans.push(Span::styled(format!("[{}] ", strings::DEMO_BADGE), theme.warning()));
    }
    for (i, s) in Screen::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, strings::screen_title(*s));
        let style = if *s == app.screen() { theme.tab_active() } else { theme.tab() };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Line::from(widgets::fit(spans, area.width as usize)), area);
}

/// Key hints as `key 描述` pairs, as many as fit, never cutting one in half.
fn draw_hints(frame: &mut Frame, area: Rect, hints: &[(&str, &str)], theme: &Theme) {
    let mut spans = Vec::new();
    let mut used = 1;
    spans.push(Span::raw(" "));
    for (key, desc) in hints {
        let w = text::width(key) + 1 + text::width(desc) + 2;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(*key, theme.key()));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    let now = app.clock().now().format("%Y-%m-%d %H:%M").to_string();
    let session = app.session();
    let left = match app.notice() {
        Some(n) => format!(" {}", n.text),
        None => format!(" {} | 登记人：{}", session.office, session.operator),
    };
    // A job beside the desk (the day's backup) is said before the database's name.
    let job = session.background.status();
    // A case or profile being read is said first: the clerk just asked for it.
    let opening = app.opening().map(|o| format!("{o}{} | ", text::ELLIPSIS));
    let right = match &job {
        Some((said, _)) => format!("{}{said} | {} | {} ", opening.unwrap_or_default(), session.db_label, now),
        None => format!("{}{} | {} ", opening.unwrap_or_default(), session.db_label, now),
    };
    // The database label gives way first: it is the least urgent thing on
    // the line; a notice that needs the whole line takes it.
    let room = width.saturating_sub(text::width(&left) + 1);
    let right = match app.notice() {
        Some(_) if room < now.len() + 2 => std::borrow::Cow::Borrowed(""),
        _ => text::truncate(&right, room.max(now.len() + 2)),
    };
    let gap = width.saturating_sub(text::width(&left) + text::width(&right));
    let line = format!("{}{}{}", text::truncate(&text::sanitize_line(&left), width), " ".repeat(gap), right);
    let style = match (app.notice(), &job) {
        (Some(n), _) if n.is_error => theme.danger().patch(theme.status_bar()),
        (_, Some((_, true))) => theme.danger().patch(theme.status_bar()),
        _ => theme.status_bar(),
    };
    frame.render_widget(Paragraph::new(text::pad(&line, width)).style(style), area);
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
