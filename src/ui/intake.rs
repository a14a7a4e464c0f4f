//! 来访登记: the form, the prior-case panel, the picker and the dialogs.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::widgets::{fit, popup};
use super::{Theme, strings};
use crate::app::App;
use crate::app::form::{Buffer, Kind};
use crate::app::intake::{CONTENT_LIMIT, IntakeForm, Key, PersonField, PriorPanel};
use crate::app::popups::confirm::Confirm;
use crate::app::popups::picker::Picker;
use crate::app::popups::same_person::{CHOICES as SAME_PERSON_CHOICES, SamePerson};
use crate::app::popups::take_over::TakeOver;
use crate::domain::deadline::Countdown;
use crate::domain::mask;
use crate::store::reference::ReferenceData;
use crate::text;

/// Display columns of the label column.
const LABEL_W: usize = 12;
/// Lines the 反映问题 box shows: at least, and at most (it scrolls beyond).
const CONTENT_LINES: usize = 4;
const CONTENT_MAX_LINES: usize = 8;
/// The panel sits beside the form from this width on, below it otherwise.
const SIDE_PANEL_MIN_WIDTH: u16 = 110;
const PANEL_W: u16 = 50;

/// The form's area and the prior-case panel's: beside it on a wide screen,
/// below it on a narrow one when it has something to show (three lines for
/// "nobody found", ten for people and their cases).
fn split(area: Rect, p: &PriorPanel) -> (Rect, Option<Rect>) {
    if area.width >= SIDE_PANEL_MIN_WIDTH {
        let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(PANEL_W)]).areas(area);
        (a, Some(b))
    } else if p.has_content() || p.identity.is_some() {
        let h = if p.people.is_empty() { 3 } else { 10 };
        let [a, b] = Layout::vertical([Constraint::Fill(1), Constraint::Length(h)]).areas(area);
        (a, Some(b))
    } else {
        (area, None)
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let f = app.intake();
    let (form_area, panel_area) = split(area, &f.prior);
    draw_form(frame, form_area, f, theme, app.screen_has_focus(crate::app::Screen::Intake));
    if let Some(p) = panel_area {
        let clocks = (app.clock().now().date(), i64::from(app.session().due_soon_days));
        draw_panel(frame, p, &f.prior, app.reference(), theme, clocks);
    }
}

/// One line of the form and the field it belongs to (for scrolling and the cursor).
struct FormLine {
    line: Line<'static>,
    field: Option<usize>,
}

fn draw_form(frame: &mut Frame, area: Rect, f: &IntakeForm, theme: &Theme, typing: bool) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::screen_title(crate::app::Screen::Intake)), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width as usize <= LABEL_W + 4 {
        return;
    }
    let [msg, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let (text, style) = match &f.message {
        Some((m, true)) => (m.clone(), theme.danger()),
        Some((m, false)) => (m.clone(), theme.ok()),
        None => (strings::INTAKE_HINT.to_string(), theme.muted()),
    };
    frame.render_widget(
        Line::styled(text::truncate(&text::sanitize_line(&text), msg.width as usize).into_owned(), style),
        msg,
    );

    let value_w = body.width as usize - LABEL_W;
    let (lines, cursor) = layout_lines(f, value_w, theme);
    // Scroll so the whole focused field is visible.
    let first = lines.iter().position(|l| l.field == Some(f.focus())).unwrap_or(0);
    let last = lines.iter().rposition(|l| l.field == Some(f.focus())).unwrap_or(first);
    let h = body.height as usize;
    let offset = if last >= h { (last + 1 - h).min(first) } else { 0 };
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(h).map(|l| l.line).collect();
    frame.render_widget(Paragraph::new(shown), body);
    if let Some((line, col)) = cursor
        && typing
        && line >= offset
        && line < offset + h
    {
        let x = body.x as usize + LABEL_W + col;
        frame.set_cursor_position((x.min((body.x + body.width - 1) as usize) as u16, body.y + (line - offset) as u16));
    }
}

/// All lines of the form, and where the caret of the focused field is (line, column in the value area).
fn layout_lines(f: &IntakeForm, value_w: usize, theme: &Theme) -> (Vec<FormLine>, Option<(usize, usize)>) {
    let mut out: Vec<FormLine> = Vec::new();
    let mut cursor = None;
    let mut flags_done = false;
    for (i, field) in f.fields().iter().enumerate() {
        let key = field.key;
        if !f.is_visible(key) {
            continue;
        }
        if let Some(title) = section_title(key, f) {
            out.push(FormLine { line: Line::styled(title, theme.header()), field: None });
        }
        if let Key::Flag(_) = key {
            if !flags_done {
                flags_done = true;
                push_flags(&mut out, f, value_w, theme);
            }
            continue;
        }
        let focused = i == f.focus();
        let label_style = if focused { theme.selected() } else { theme.base() };
        let mark = if field.required { "*" } else { " " };
        let label = Span::styled(text::pad(&format!("{mark}{}", key.label()), LABEL_W - 1), label_style);
        let start = out.len();
        match &field.buffer {
            Buffer::Lines(editor) => {
                // The editor moves its caret along the lines drawn here.
                editor.set_width(value_w);
                let value = editor.value();
                let wrapped: Vec<String> =
                    editor.lines().into_iter().map(|r| text::sanitize_line(&value[r]).into_owned()).collect();
                let count = format!(" {}/{CONTENT_LIMIT}", value.chars().count());
                // A window of lines that follows the caret through a long text.
                let window = wrapped.len().clamp(CONTENT_LINES, CONTENT_MAX_LINES);
                let caret = focused.then(|| editor.caret_position());
                let offset = caret.map_or(0, |(line, _)| line.saturating_sub(window - 1));
                for n in 0..window {
                    let head = match n {
                        0 => vec![label.clone(), Span::raw(" ")],
                        1 => vec![Span::styled(text::pad(&count, LABEL_W), theme.muted())],
                        _ => vec![Span::raw(" ".repeat(LABEL_W))],
                    };
                    let mut spans = head;
                    let l = wrapped.get(offset + n).cloned().unwrap_or_default();
                    spans.push(Span::styled(text::pad(&l, value_w), theme.base()));
                    out.push(FormLine { line: Line::from(spans), field: Some(i) });
                }
                if let Some((line, col)) = caret {
                    cursor = Some((start + line - offset, col));
                }
            }
            Buffer::Line(input) => {
                let kind = field.kind;
                let (value, style) = match kind {
                    Kind::Choice if input.value().is_empty() => (strings::CHOOSE_HINT.to_string(), theme.muted()),
                    Kind::Toggle => {
                        let mark = if input.value().is_empty() { "[ ]" } else { "[x]" };
                        (format!("{mark}{}", strings::SIMPLE_HINT), theme.base())
                    }
                    _ => {
                        let scroll = if focused { input.visual_scroll(value_w) } else { 0 };
                        let clean = text::sanitize_line(input.value());
                        (text::split_at_width(&clean, scroll).1.to_string(), theme.base())
                    }
                };
                let value = text::truncate(&value, value_w).into_owned();
                out.push(FormLine {
                    line: Line::from(vec![label, Span::raw(" "), Span::styled(value, style)]),
                    field: Some(i),
                });
                if focused && matches!(kind, Kind::Text | Kind::Number) {
                    let col = input.visual_cursor() - input.visual_scroll(value_w);
                    cursor = Some((start, col));
                }
            }
        }
        let stored = f.prior.identity.as_ref().filter(|m| key == Key::Person(m.row, PersonField::Name));
        let stored = stored.map(|m| {
            let style = if m.blocks() { theme.danger() } else { theme.muted() };
            (format!("  {}", strings::identity_head(m.by_phone, &m.stored_name)), style)
        });
        let extra = field.error.as_ref().map(|e| (format!("! {e}"), theme.danger()));
        let extra = extra.or(stored);
        let extra = extra.or(field.note.as_ref().map(|n| (format!("  {n}"), theme.muted())));
        if let Some((t, style)) = extra {
            let t = text::truncate(&t, value_w).into_owned();
            out.push(FormLine {
                line: Line::from(vec![Span::raw(" ".repeat(LABEL_W)), Span::styled(t, style)]),
                field: Some(i),
            });
        }
    }
    (out, cursor)
}

fn section_title(key: Key, f: &IntakeForm) -> Option<String> {
    match key {
        Key::VisitTime => Some(strings::SECTION_VISIT.into()),
        Key::Person(r, PersonField::Name) => {
            let tail = if r == 0 { "（代表）" } else { "" };
            let taken = if f.person_ids.get(r).copied().flatten().is_some() { "  已带入" } else { "" };
            Some(format!("{} {}{tail}{taken}", strings::SECTION_PERSON, r + 1))
        }
        Key::ProblemStreet => Some(strings::SECTION_MATTER.into()),
        Key::Triage => {
            let link = f.linked_case.as_ref().map_or(String::new(), |(_, n)| format!("  重件，关联 {n}"));
            Some(format!("{}{link}", strings::SECTION_TRIAGE))
        }
        _ => None,
    }
}

/// The seven yes/no marks on as few lines as fit: `[x]涉法涉诉 [ ]越级 …`.
fn push_flags(out: &mut Vec<FormLine>, f: &IntakeForm, value_w: usize, theme: &Theme) {
    let mut line: Vec<Span<'static>> = vec![Span::raw(text::pad(&format!(" {}", strings::FLAGS_LABEL), LABEL_W))];
    let mut used = 0;
    let mut owner = None;
    for (i, field) in f.fields().iter().enumerate() {
        let Key::Flag(_) = field.key else { continue };
        let mark = if field.raw().is_empty() { "[ ]" } else { "[x]" };
        let item = format!("{mark}{} ", field.key.label());
        let w = text::width(&item);
        if used + w > value_w && used > 0 {
            out.push(FormLine { line: Line::from(std::mem::take(&mut line)), field: owner.take() });
            line.push(Span::raw(" ".repeat(LABEL_W)));
            used = 0;
        }
        let style = if i == f.focus() { theme.selected() } else { theme.base() };
        if i == f.focus() {
            owner = Some(i);
        }
        line.push(Span::styled(item, style));
        used += w;
    }
    out.push(FormLine { line: Line::from(line), field: owner });
}

fn draw_panel(
    frame: &mut Frame,
    area: Rect,
    p: &PriorPanel,
    refs: &ReferenceData,
    theme: &Theme,
    (today, soon): (NaiveDate, i64),
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::PRIOR_TITLE), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = identity_lines(p, w, theme);
    match (&p.not_found, p.people.is_empty()) {
        (Some(searched), true) => lines
            .extend(text::wrap(&text::sanitize_line(searched), w).into_iter().map(|l| Line::styled(l, theme.header()))),
        (None, true) => {
            lines.extend(text::wrap(strings::PRIOR_EMPTY, w).into_iter().map(|l| Line::styled(l, theme.muted())))
        }
        _ => {}
    }
    for (i, person) in p.people.iter().enumerate() {
        let marker = if i == p.selected { "> " } else { "  " };
        let flags = crate::listing::petitioner_flags(person).join(" ");
        let s = format!(
            "{marker}{} {} {}件(在办{}) {}",
            text::pad(&mask::name(&person.name), 8),
            person.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
            person.case_count,
            person.open_cases,
            flags
        );
        let style = if i == p.selected { theme.selected() } else { theme.base() };
        lines.push(Line::styled(text::pad(&s, w), style));
    }
    for warning in &p.warnings {
        for l in text::wrap(&format!("! {warning}"), w) {
            lines.push(Line::styled(l, theme.danger()));
        }
    }
    if !p.cases.is_empty() {
        lines.push(Line::styled(text::truncate(strings::PRIOR_KEYS, w).into_owned(), theme.muted()));
    }
    for (i, (c, clock)) in p.cases.iter().enumerate() {
        let link = if i == p.link { "关联>" } else { "     " };
        let first = format!("{link}{} {} {}", c.number, c.registered_at.format("%y-%m-%d"), c.status.label());
        lines.push(Line::styled(
            text::truncate(&first, w).into_owned(),
            if i == p.link { theme.header() } else { theme.base() },
        ));
        let (clock_text, clock_style) = match clock {
            Some(d) => {
                let cd = Countdown::of(d.due, today);
                let style = theme.urgency(cd.urgency(d.rule, soon), theme.muted());
                (format!("{}{} ", d.rule.label(), cd.label_for(d.rule)), style)
            }
            None => (String::new(), theme.muted()),
        };
        let category = c.category_code.as_deref().and_then(|code| refs.category(code)).map_or("", |c| c.name.as_str());
        let spans = vec![
            Span::raw("     "),
            Span::styled(format!("{} ", text::sanitize_line(category)), theme.muted()),
            Span::styled(clock_text, clock_style),
            Span::raw(text::sanitize_line(c.display_title()).into_owned()),
        ];
        lines.push(Line::from(fit(spans, w)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The stored person the typed ID (or mobile) names, and each field that differs.
fn identity_lines(p: &PriorPanel, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(m) = &p.identity else { return Vec::new() };
    let head = strings::identity_head(m.by_phone, &m.stored_name);
    let style = if m.blocks() { theme.danger() } else { theme.header() };
    let mut out: Vec<Line> =
        text::wrap(&text::sanitize_line(&head), w).into_iter().map(|l| Line::styled(l, style)).collect();
    for (field, old, new) in &m.differs {
        let line = strings::identity_differs(field, old, new);
        out.extend(text::wrap(&text::sanitize_line(&line), w).into_iter().map(|l| Line::styled(l, theme.base())));
    }
    if m.blocks() {
        out.extend(text::wrap(strings::IDENTITY_BLOCKS, w).into_iter().map(|l| Line::styled(l, theme.muted())));
    }
    out
}

/// The picker, over the form (not the prior-case panel beside it).
pub fn draw_picker(frame: &mut Frame, body: Rect, app: &App, p: &Picker, theme: &Theme) {
    let (area, _) = split(body, &app.intake().prior);
    let inner = popup(frame, area, 48, 16, p.key.label(), theme);
    if inner.height < 2 {
        return;
    }
    let w = inner.width as usize;
    let prompt = strings::PICKER_PROMPT;
    let filter = text::sanitize_line(p.filter.value());
    frame.render_widget(
        Line::from(vec![
            Span::styled(prompt, theme.header()),
            Span::raw(text::truncate(&filter, w.saturating_sub(text::width(prompt))).into_owned()),
        ]),
        inner,
    );
    let x = inner.x as usize + text::width(prompt) + p.filter.visual_cursor();
    frame.set_cursor_position((x.min((inner.x + inner.width - 1) as usize) as u16, inner.y));
    let list = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
    let h = list.height as usize;
    let offset = p.selected.saturating_sub(h.saturating_sub(1));
    let mut lines: Vec<Line> = p
        .shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(h)
        .map(|(n, i)| {
            let style = if n == p.selected { theme.selected() } else { theme.base() };
            let marker = if n == p.selected { "> " } else { "  " };
            Line::styled(text::pad(&format!("{marker}{}", p.options[*i].label), w), style)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(strings::PICKER_NONE, theme.muted()));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// Ctrl-T: the same matter again, or a new one.
pub fn draw_take_over(frame: &mut Frame, area: Rect, t: &TakeOver, theme: &Theme) {
    let w = 56u16.min(area.width.saturating_sub(2));
    let inner_w = w.saturating_sub(2) as usize;
    let mut body: Vec<(String, ratatui::style::Style)> = Vec::new();
    match &t.case {
        Some((number, title)) => {
            body.push((strings::take_over_same(number, title), theme.base()));
        }
        None => body.push((strings::TAKE_OVER_NO_CASE.into(), theme.muted())),
    }
    body.push((strings::TAKE_OVER_NEW.into(), theme.base()));
    let lines: Vec<Line> = body
        .iter()
        .flat_map(|(t, style)| {
            text::wrap(&text::sanitize_line(t), inner_w).into_iter().map(|l| Line::styled(l, *style))
        })
        .collect();
    let title = strings::take_over_title(&t.person);
    let inner = popup(frame, area, w, lines.len() as u16 + 2, &title, theme);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Saving stopped: the typed ID is stored under another name.
pub fn draw_same_person(frame: &mut Frame, area: Rect, s: &SamePerson, theme: &Theme) {
    let w = 60u16.min(area.width.saturating_sub(2));
    let inner_w = w.saturating_sub(2) as usize;
    let body = strings::same_person_body(&s.id, &s.stored_name, &s.typed_name);
    let mut lines: Vec<Line> =
        text::wrap(&text::sanitize_line(&body), inner_w).into_iter().map(|l| Line::styled(l, theme.base())).collect();
    for (i, choice) in SAME_PERSON_CHOICES.iter().enumerate() {
        let (mark, style) = if i == s.choice { ("> ", theme.selected()) } else { ("  ", theme.base()) };
        lines.push(Line::styled(text::pad(&format!("{mark}{choice}"), inner_w), style));
    }
    let prompt = "原因：";
    let reason_line = (s.choice == 0).then_some(lines.len());
    if s.choice == 0 {
        let value = text::truncate(&text::sanitize_line(s.reason.value()), inner_w.saturating_sub(6)).into_owned();
        lines.push(Line::from(vec![Span::styled(prompt, theme.header()), Span::raw(value)]));
    }
    if let Some(m) = &s.message {
        lines.extend(text::wrap(m, inner_w).into_iter().map(|l| Line::styled(l, theme.danger())));
    }
    let inner = popup(frame, area, w, lines.len() as u16 + 2, strings::SAME_PERSON_TITLE, theme);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(y) = reason_line {
        let x = inner.x as usize + text::width(prompt) + s.reason.visual_cursor();
        let x = x.min((inner.x + inner.width).saturating_sub(1) as usize) as u16;
        frame.set_cursor_position((x, inner.y + y as u16));
    }
}

pub fn draw_dialog(frame: &mut Frame, area: Rect, d: &Confirm, theme: &Theme) {
    let (title, body) = match d {
        Confirm::Recover { saved_at, from } => {
            (strings::RECOVER_TITLE, strings::recover_body(saved_at, from.as_deref()))
        }
        Confirm::Leave { quit: true } => (strings::LEAVE_TITLE, strings::QUIT_BODY.to_string()),
        Confirm::Leave { quit: false } => (strings::LEAVE_TITLE, strings::ABANDON_BODY.to_string()),
    };
    let w = 44u16.min(area.width.saturating_sub(2));
    let wrapped = text::wrap(&body, w.saturating_sub(2) as usize);
    let inner = popup(frame, area, w, wrapped.len() as u16 + 4, title, theme);
    let mut lines: Vec<Line> = wrapped.into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(strings::DIALOG_KEYS, theme.key()));
    frame.render_widget(Paragraph::new(lines), inner);
}
