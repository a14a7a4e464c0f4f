//! 查询: the query box, ranked results, and the profile / case popups.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, ListItem, Paragraph};

use super::widgets::{MARKER, cell, countdown_cell, fit, highlighted, row_width, selectable, spaced};
use super::{Theme, centered, strings};
use crate::app::App;
use crate::app::popups::profile::Profile;
use crate::app::search::SearchState;
use crate::domain::deadline::{Countdown, Rule};
use crate::domain::mask;
use crate::store::search::{CaseHit, Hit, PetitionerHit};
use crate::text;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.search();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::screen_title(crate::app::Screen::Search)), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [input, info, list] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    draw_input(frame, input, s, theme, app.screen_has_focus(crate::app::Screen::Search));
    draw_info(frame, info, s, theme);
    let clocks = Clocks { today: app.clock().now().date(), soon: i64::from(app.session().due_soon_days) };
    draw_results(frame, list, s, theme, clocks);
}

/// Today, and how many days before its end a clock counts as due soon.
#[derive(Debug, Clone, Copy)]
struct Clocks {
    today: NaiveDate,
    soon: i64,
}

fn draw_input(frame: &mut Frame, area: Rect, s: &SearchState, theme: &Theme, focused: bool) {
    let prompt = strings::SEARCH_PROMPT;
    let prompt_w = text::width(prompt);
    let field_w = (area.width as usize).saturating_sub(prompt_w + 1).max(1);
    let scroll = s.input.visual_scroll(field_w);
    let shown = text::sanitize_line(s.input.value());
    // Skip the scrolled-off columns without cutting a glyph.
    let (_, visible) = text::split_at_width(&shown, scroll);
    let mut spans = vec![Span::styled(prompt, theme.header())];
    if s.input.value().is_empty() {
        spans.push(Span::styled(text::truncate(strings::SEARCH_PLACEHOLDER, field_w).into_owned(), theme.muted()));
    } else {
        spans.push(Span::raw(text::truncate(visible, field_w).into_owned()));
    }
    frame.render_widget(Line::from(spans), area);
    if focused {
        // The real cursor, in display columns: the IME draws its candidates here.
        let x = area.x as usize + prompt_w + s.input.visual_cursor() - scroll;
        frame.set_cursor_position((x.min((area.x + area.width).saturating_sub(1) as usize) as u16, area.y));
    }
}

fn draw_info(frame: &mut Frame, area: Rect, s: &SearchState, theme: &Theme) {
    let q = crate::domain::query::parse(s.input.value(), s.open_only);
    let mut parts = q.filters.describe();
    let people = s.results.hits.iter().filter(|h| matches!(h, Hit::Petitioner(_))).count();
    let cases = s.results.hits.len() - people;
    parts.push(strings::search_counts(people, cases, s.results.capped));
    if s.busy() {
        // The rows below are the previous query's until the answer is in.
        parts.push(strings::SEARCHING.into());
    }
    let mut spans = vec![Span::styled(parts.join("  "), theme.muted())];
    if let Some(n) = &s.results.notice {
        spans.push(Span::styled(format!("  {n}"), theme.warning()));
    }
    frame.render_widget(Line::from(fit(spans, area.width as usize)), area);
}

fn draw_results(frame: &mut Frame, area: Rect, s: &SearchState, theme: &Theme, clocks: Clocks) {
    if s.results.hits.is_empty() {
        let msg = if s.dirty || s.busy() { "" } else { strings::SEARCH_NOTHING };
        frame.render_widget(Paragraph::new(Line::styled(msg, theme.muted())), area);
        return;
    }
    let width = row_width(area.width);
    let items: Vec<ListItem> = s
        .results
        .hits
        .iter()
        .map(|h| {
            ListItem::new(Line::from(match h {
                Hit::Petitioner(p) => petitioner_row(p, width, theme),
                Hit::Case(c) => case_row(c, &s.terms, width, theme, clocks),
            }))
        })
        .collect();
    selectable(frame, area, items, s.selected, theme);
}

/// Spans of fixed cells separated by one space, the last taking what is left.
fn row(cells: Vec<(String, usize)>, rest: Vec<Span<'static>>, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = spaced(cells.into_iter().map(|(value, w)| cell(&value, w, theme.base())).collect());
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    spans.extend(rest);
    spans
}

fn petitioner_row(p: &PetitionerHit, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let visits = match (p.first_visit, p.last_visit) {
        (Some(a), Some(b)) => format!("{}~{}", a.format("%y-%m-%d"), b.format("%y-%m-%d")),
        _ => String::new(),
    };
    let cells = vec![
        (strings::BADGE_PERSON.to_string(), 2),
        (mask::name(&p.name), 8),
        (p.id_number.as_deref().map(mask::id_number).unwrap_or_default(), 18),
        (p.phone.as_deref().map(mask::phone).unwrap_or_default(), 11),
        (strings::case_count(p.case_count, p.open_cases), 13),
        (visits, 17),
    ];
    let used: usize = cells.iter().map(|(_, w)| w + 1).sum();
    let flags = crate::listing::petitioner_flags(p).join(" ");
    let rest = vec![cell(&flags, width.saturating_sub(used), theme.danger())];
    fit(row(cells, rest, theme), width)
}

fn case_row(c: &CaseHit, terms: &[String], width: usize, theme: &Theme, clocks: Clocks) -> Vec<Span<'static>> {
    let wide = width >= 100;
    let clock = c.next_deadline.as_ref().map(|d| (d.rule, d.due));
    let mut cells = vec![(strings::BADGE_CASE.to_string(), 2), (c.number.clone(), 19)];
    if wide {
        cells.push((c.registered_at.format("%Y-%m-%d").to_string(), 10));
        cells.push((c.status.label().to_string(), 10));
        cells.push((mask::name(&c.representative), 8));
    } else {
        cells.push((c.registered_at.format("%m-%d").to_string(), 5));
        cells.push((c.status.label().to_string(), 10));
    }
    let clock_w = if wide { 16 } else { 8 };
    let used: usize = cells.iter().map(|(_, w)| w + 1).sum::<usize>() + clock_w + 1;
    let style = if c.restricted { theme.muted() } else { theme.base() };
    let mut rest = vec![deadline_cell(clock, clocks, clock_w, wide, theme), Span::raw(" ")];
    let badges = crate::domain::warning::badges(&c.warnings);
    let mut used = used;
    if !badges.is_empty() {
        used += crate::text::width(&badges) + 1;
        rest.extend([Span::styled(badges, theme.warning()), Span::raw(" ")]);
    }
    rest.extend(highlighted(&c.summary, terms, width.saturating_sub(used), style, theme.matched()));
    fit(row(cells, rest, theme), width)
}

/// "办结 剩12天" (or just "剩12天" when narrow), red when overdue, yellow when due soon.
fn deadline_cell(
    clock: Option<(Rule, NaiveDate)>,
    clocks: Clocks,
    width: usize,
    with_name: bool,
    theme: &Theme,
) -> Span<'static> {
    let Some((rule, due)) = clock else { return cell("", width, theme.base()) };
    let countdown = Countdown::of(due, clocks.today);
    let style = theme.urgency(countdown.urgency(rule, clocks.soon), theme.base());
    let name = if with_name { format!("{} ", rule.label()) } else { String::new() };
    countdown_cell(&name, countdown, rule, width, style)
}

fn popup_block<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::default().borders(Borders::ALL).border_style(theme.border()).title(Line::styled(title, theme.title()))
}

/// Clear one extra column each side so no wide glyph is left cut at the edge.
fn popup_area(frame: &mut Frame, area: Rect) -> Rect {
    let outer = centered(area, area.width, area.height);
    frame.render_widget(Clear, outer);
    Rect { x: outer.x + 1, width: outer.width.saturating_sub(2), ..outer }
}

/// The profile popup, over the results (inside the screen's border).
/// The newest history rows the profile shows (`xfdesk person show` has them all).
const PROFILE_HISTORY_LINES: usize = 3;

pub fn draw_profile(frame: &mut Frame, body: Rect, p: &Profile, theme: &Theme, (today, soon): (NaiveDate, i64)) {
    let clocks = Clocks { today, soon };
    let area = popup_area(
        frame,
        Rect {
            x: body.x + 1,
            y: body.y + 1,
            width: body.width.saturating_sub(2),
            height: body.height.saturating_sub(2),
        },
    );
    let pt = &p.petitioner;
    let block = popup_block(format!(" {} {} ", strings::PROFILE_TITLE, mask::name(&pt.name)), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::raw(
        text::truncate(
            &format!(
                "证件：{}  性别：{}  出生：{}",
                pt.id_number.as_deref().map(mask::id_number).unwrap_or_else(|| "无".into()),
                pt.sex.map_or("", |s| s.label()),
                pt.birth_date.map(|d| d.format("%Y-%m").to_string()).unwrap_or_default()
            ),
            w,
        )
        .into_owned(),
    )];
    let phones: Vec<String> = pt
        .phones
        .iter()
        .map(|ph| {
            let note = if ph.note.is_empty() { String::new() } else { format!("，{}", ph.note) };
            format!("{}（{}{}）", mask::phone(&ph.number), ph.owner.label(), note)
        })
        .collect();
    lines
        .push(Line::raw(text::truncate(&text::sanitize_line(&format!("电话：{}", phones.join("  "))), w).into_owned()));
    lines.push(Line::raw(text::truncate(&text::sanitize_line(&format!("住址：{}", pt.address)), w).into_owned()));
    if pt.is_key_person() {
        let kinds: Vec<&str> = pt.key_person.iter().map(|k| k.label()).collect();
        lines.push(Line::styled(
            text::truncate(&format!("重点人员：{}", kinds.join("、")), w).into_owned(),
            theme.danger(),
        ));
    }
    if !p.history.is_empty() {
        lines.push(Line::styled(strings::profile_history(p.history.len()), theme.header()));
        for h in p.history.iter().rev().take(PROFILE_HISTORY_LINES) {
            lines.push(Line::raw(text::truncate(&text::sanitize_line(&h.line()), w).into_owned()));
        }
    }
    lines.push(Line::styled(strings::profile_cases(p.cases.len()), theme.header()));
    let head = lines.len() as u16;
    let [top, list] = Layout::vertical([Constraint::Length(head), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), top);
    let row_w = w.saturating_sub(text::width(MARKER));
    let items: Vec<ListItem> = p
        .cases
        .iter()
        .map(|(c, clock)| {
            let cells = vec![
                (c.number.clone(), 19),
                (c.registered_at.format("%Y-%m-%d").to_string(), 10),
                (c.status.label().to_string(), 10),
            ];
            let used: usize = cells.iter().map(|(_, w)| w + 1).sum::<usize>() + 17;
            let clock = clock.as_ref().map(|d| (d.rule, d.due));
            let rest = vec![
                deadline_cell(clock, clocks, 16, true, theme),
                Span::raw(" "),
                cell(c.display_title(), row_w.saturating_sub(used), theme.base()),
            ];
            ListItem::new(Line::from(fit(row(cells, rest, theme), row_w)))
        })
        .collect();
    selectable(frame, list, items, p.selected, theme);
}
