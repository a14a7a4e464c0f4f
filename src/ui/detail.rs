//! 事项详情: header, petitioners, the matter, units, clocks and the timeline;
//! and the reveal prompt drawn over it.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::widgets::fit;
use super::{Theme, strings};
use crate::app::App;
use crate::app::popups::detail::Detail;
use crate::app::popups::reveal::RevealPrompt;
use crate::domain::deadline::Countdown;
use crate::domain::{mask, query_code};
use crate::text;

/// From this width the clocks and the timeline stand beside the matter.
const TWO_COLUMNS_MIN: u16 = 100;
const RIGHT_W: u16 = 52;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, d: &Detail, theme: &Theme) {
    let case = &d.dossier.case;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} {} ", strings::DETAIL_TITLE, case.number), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    let [msg, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let (m, style) = match &d.message {
        Some((m, true)) => (m.clone(), theme.danger()),
        Some((m, false)) => (m.clone(), theme.ok()),
        None => (strings::DETAIL_HINT.to_string(), theme.muted()),
    };
    frame.render_widget(
        Line::styled(text::truncate(&text::sanitize_line(&m), msg.width as usize).into_owned(), style),
        msg,
    );

    let today = app.clock().now().date();
    let soon = i64::from(app.session().due_soon_days);
    if body.width >= TWO_COLUMNS_MIN {
        let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(RIGHT_W)]).areas(body);
        let info = info_lines(d, left.width as usize - 1, theme);
        frame.render_widget(Paragraph::new(info), left);
        let mut lines = clock_lines(d, right.width as usize, today, soon, theme);
        lines.extend(timeline_lines(d, right.width as usize, theme).into_iter().skip(d.scroll));
        frame.render_widget(Paragraph::new(lines), right);
    } else {
        let w = body.width as usize;
        let mut lines = info_lines(d, w, theme);
        lines.extend(clock_lines(d, w, today, soon, theme));
        lines.extend(timeline_lines(d, w, theme));
        frame.render_widget(Paragraph::new(lines.into_iter().skip(d.scroll).collect::<Vec<_>>()), body);
    }
}

/// Glyph-wrapped lines of `label` + `value`, cleaned.
fn wrapped(label: &str, value: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    text::wrap(&text::sanitize_multiline(&format!("{label}{value}")), width.max(1))
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

fn info_lines(d: &Detail, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let dos = &d.dossier;
    let c = &dos.case;
    let mut out = Vec::new();
    let link = dos.linked_number.as_deref().map(|n| format!("（关联 {n}）")).unwrap_or_default();
    let code = dos.query_code.as_deref().map(|q| format!("  查询码 {}", query_code::printed(q))).unwrap_or_default();
    out.extend(wrapped(
        "",
        &format!("{}  {}  {}{link}{code}", c.status.label(), c.class.label(), c.repeat_kind.label()),
        w,
        theme.header(),
    ));
    let flags = c.flags.labels();
    if !flags.is_empty() {
        out.extend(wrapped("标记：", &flags.join("、"), w, theme.danger()));
    }
    for warning in &d.warnings {
        out.extend(wrapped(&format!("预警（{}）：", warning.badge()), &warning.reason, w, theme.warning()));
    }
    out.extend(wrapped(
        "登记：",
        &format!(
            "{} {}  {} {}人  {}",
            c.registered_at.format("%Y-%m-%d %H:%M"),
            c.clerk,
            dos.form,
            c.people_count,
            c.window
        ),
        w,
        theme.base(),
    ));
    for (i, p) in dos.petitioners.iter().enumerate() {
        let revealed = d.identity_revealed.contains(&i);
        let (id, phones) = if revealed {
            (p.id_number.clone().unwrap_or_default(), p.phones.iter().map(|ph| ph.number.clone()).collect::<Vec<_>>())
        } else {
            (
                p.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
                p.phones.iter().map(|ph| mask::phone(&ph.number)).collect(),
            )
        };
        let owners: Vec<String> =
            p.phones.iter().zip(phones).map(|(ph, n)| format!("{n}（{}）", ph.owner.label())).collect();
        let name = if revealed { p.name.clone() } else { mask::name(&p.name) };
        let role = if i == 0 { "信访人：" } else { "　　　　" };
        out.extend(wrapped(role, &format!("{name} {id} {}", owners.join(" ")), w, theme.base()));
    }
    out.extend(wrapped(
        "分类：",
        &format!("{}  目的：{}  属地：{} {}", dos.category, dos.purpose, dos.street, c.problem_address),
        w,
        theme.base(),
    ));
    if c.content_is_restricted() && !d.content_revealed {
        out.extend(wrapped("", strings::DETAIL_RESTRICTED, w, theme.muted()));
    } else {
        out.extend(wrapped("标题：", &c.title, w, theme.header()));
        out.extend(wrapped("反映问题：", &c.content, w, theme.base()));
        out.extend(wrapped("诉求：", &c.demands, w, theme.base()));
        out.extend(wrapped("被反映单位/人：", &c.respondent, w, theme.base()));
    }
    for a in &dos.assignments {
        let due = a.due.as_deref().map(|d| format!("，期限{d}")).unwrap_or_default();
        out.extend(wrapped("责任单位：", &format!("{} {}{due}", a.kind, a.unit), w, theme.base()));
    }
    for r in &c.external_refs {
        out.extend(wrapped("外部编号：", &format!("{} {}", r.system, r.number), w, theme.muted()));
    }
    out
}

fn clock_lines(d: &Detail, w: usize, today: NaiveDate, soon: i64, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(strings::DETAIL_CLOCKS, theme.header())];
    if d.dossier.procedure == crate::domain::triage::Procedure::Simple {
        out.extend(wrapped("", strings::DETAIL_SIMPLE, w, theme.base()));
    }
    if let Some((received, until)) = d.dossier.objection {
        out.extend(wrapped("", &strings::objection_window(received, until), w, theme.base()));
    }
    if let Some(p) = &d.dossier.pending_instruction {
        let waited = (today - p.on).num_days();
        out.extend(wrapped("", &strings::awaiting_feedback(&p.leader, p.on, &p.unit, waited), w, theme.warning()));
    }
    if let Some(o) = &d.dossier.ownership {
        out.extend(wrapped("", &strings::ownership_running(&o.leader, o.since), w, theme.base()));
    }
    if let Some((unit, due)) = &d.dossier.promise {
        let cd = Countdown::of(*due, today);
        let style = if cd.is_overdue() { theme.danger() } else { theme.warning() };
        let mark = if cd.is_overdue() { "! " } else { "  " };
        let line = Line::styled(format!("{mark}承诺办结（{unit}）至{due} {}", cd.label()), style);
        out.push(Line::from(fit(line.spans, w)));
    }
    let mut clocks: Vec<_> = d.dossier.deadlines.iter().collect();
    // Running clocks first, then the history newest first.
    clocks.sort_by_key(|(s, _)| (s.met_at.is_some(), std::cmp::Reverse(s.id)));
    for (s, _) in clocks {
        let line = match s.met_at {
            None => {
                let cd = Countdown::of(s.due, today);
                let urgency = cd.urgency(s.rule, soon);
                let style = theme.urgency(urgency, theme.ok());
                Line::styled(
                    format!("{} {} 至{} {}", urgency.mark(), s.rule.label(), s.due, cd.label_for(s.rule)),
                    style,
                )
            }
            Some(t) => {
                Line::styled(format!("  {} 至{} 已完成 {}", s.rule.label(), s.due, t.format("%Y-%m-%d")), theme.muted())
            }
        };
        out.push(Line::from(fit(line.spans, w)));
    }
    if d.dossier.deadlines.is_empty() {
        out.push(Line::styled("  （无）", theme.muted()));
    }
    out
}

fn timeline_lines(d: &Detail, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(strings::TRAIL_TITLE, theme.header())];
    let restricted = d.dossier.case.content_is_restricted() && !d.content_revealed;
    for e in &d.dossier.events {
        let change = match (&e.old_value, &e.new_value) {
            (Some(a), Some(b)) => format!(" {a}->{b}"),
            (None, Some(b)) if !b.chars().all(|c| c.is_ascii_digit()) => format!(" {b}"),
            _ => String::new(),
        };
        let note = if restricted || e.note.is_empty() { String::new() } else { format!(" {}", e.note) };
        let line = format!("{} {} {}{change}{note}", e.at.format("%Y-%m-%d %H:%M"), e.actor, e.action);
        out.extend(wrapped("", &line, w, theme.base()));
    }
    out
}

pub fn draw_reveal(frame: &mut Frame, area: Rect, r: &RevealPrompt, theme: &Theme) {
    let subject = &r.subject;
    let title = if subject.is_empty() { r.what.label().to_string() } else { format!("{} {subject}", r.what.label()) };
    let inner = super::widgets::popup(frame, area, 56, 7, &title, theme);
    let w = inner.width as usize;
    let mut lines = wrapped("", strings::REVEAL_BODY, w, theme.base());
    if let Some(m) = &r.message {
        lines.extend(wrapped("", m, w, theme.danger()));
    }
    let prompt = "理由：";
    lines.push(Line::from(vec![
        Span::styled(prompt, theme.header()),
        Span::raw(text::truncate(&text::sanitize_line(r.reason.value()), w.saturating_sub(6)).into_owned()),
    ]));
    let y = inner.y + lines.len() as u16 - 1;
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x as usize + text::width(prompt) + r.reason.visual_cursor();
    frame.set_cursor_position((x.min((inner.x + inner.width - 1) as usize) as u16, y));
}
