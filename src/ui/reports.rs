//! 报表: the metrics of a period with charts, the weekly screening report
//! (Table A / Table B) and the 预警 list. Drawing only, from `app.reports`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, ListItem, Paragraph, Sparkline, Tabs};

use super::Theme;
use super::widgets::{cell, fit, row_width, selectable, spaced};
use crate::app::App;
use crate::app::reports::{ReportTab, ReportsState, WeeklyTable};
use crate::domain::{mask, warning};
use crate::reports::MetricsReport;
use crate::text;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// Chart bars in characters every terminal paints one column wide (the
/// block elements ▁▂▃… are East-Asian ambiguous and go double on some).
const BARS: ratatui::symbols::bar::Set = ratatui::symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "=",
    five_eighths: "=",
    half: "-",
    three_eighths: "-",
    one_quarter: ".",
    one_eighth: ".",
    empty: " ",
};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let r = app.reports();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(" 报表 ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    let [tabs, status, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let titles: Vec<Line> = ReportTab::ALL.iter().map(|t| Line::raw(t.label())).collect();
    let index = ReportTab::ALL.iter().position(|t| *t == r.tab).unwrap_or(0);
    frame.render_widget(
        Tabs::new(titles).select(index).style(theme.tab()).highlight_style(theme.tab_active()).divider("|"),
        tabs,
    );
    draw_status(frame, status, r, theme);
    match r.tab {
        ReportTab::Metrics => match &r.metrics {
            Some(m) => draw_metrics(frame, body, m, r, theme),
            None => waiting(frame, body, r, theme),
        },
        ReportTab::Weekly => draw_weekly(frame, body, r, theme),
        ReportTab::Warnings => draw_warnings(frame, body, r, theme),
    }
}

/// The worker's progress, a message, or a note that the data moved on.
fn draw_status(frame: &mut Frame, area: Rect, r: &ReportsState, theme: &Theme) {
    let w = area.width as usize;
    let (msg, style) = match (&r.job, &r.message) {
        (Some(job), _) => {
            let secs = job.started.elapsed().as_secs_f64();
            let spin = SPINNER[(secs * 8.0) as usize % SPINNER.len()];
            (format!("{spin} 正在计算：{}（{secs:.1}秒，可继续操作）", job.step), theme.warning())
        }
        (None, Some((m, true))) => (m.clone(), theme.danger()),
        (None, Some((m, false))) => (m.clone(), theme.ok()),
        (None, None) if r.stale => ("数据已有更新，按 r 重新计算".into(), theme.muted()),
        (None, None) => (String::new(), theme.muted()),
    };
    frame.render_widget(Line::styled(text::truncate(&text::sanitize_line(&msg), w).into_owned(), style), area);
}

fn waiting(frame: &mut Frame, area: Rect, r: &ReportsState, theme: &Theme) {
    let msg = if r.job.is_some() { "正在计算，请稍候" } else { "按 r 计算" };
    frame.render_widget(Line::styled(msg, theme.muted()), area);
}

fn rate_line(name: &str, shown: String, w: usize, theme: &Theme) -> Line<'static> {
    Line::from(fit(vec![cell(name, 22, theme.base()), Span::styled(shown, theme.header())], w))
}

fn draw_metrics(frame: &mut Frame, area: Rect, rep: &MetricsReport, r: &ReportsState, theme: &Theme) {
    let m = &rep.metrics;
    // The formulas take what the charts leave: all of them on a tall screen.
    let footer_h = if area.height >= 30 { 6 } else { 3 };
    let [head, main, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(footer_h)]).areas(area);
    let title =
        format!("统计期（{}）：{} 至 {}，共 {} 件；期限判断截至 {}", r.period.label(), m.from, m.to, m.total, m.as_of);
    frame.render_widget(Line::styled(text::truncate(&title, head.width as usize).into_owned(), theme.header()), head);
    // Wide enough for six-digit counts on a wide screen ("84.9%（86809/102189）").
    let left_w = if main.width >= 140 { 50 } else { 42 };
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(main);
    let w = left.width as usize;
    let mut lines: Vec<Line> = m.rates().into_iter().map(|(n, rate)| rate_line(n, rate.display(), w, theme)).collect();
    // A short screen gives the blank line to the overdue units' bars.
    if left.height >= lines.len() as u16 + 4 {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("超期未办（当前，按责任单位）", theme.header()));
    let used = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), left);
    if left.height > used {
        let rest = Rect { y: left.y + used, height: left.height - used, ..left };
        bars(frame, rest, &rep.overdue_by_unit, theme.danger(), theme);
    }
    draw_charts(frame, right, rep, theme);
    let formulas: Vec<String> = rep.formulas.iter().map(|(n, f)| format!("{n}={f}")).collect();
    let note = format!("公式：{}。口径：{}", formulas.join("；"), rep.scope);
    let lines: Vec<Line> = text::wrap(&note, footer.width.max(1) as usize)
        .into_iter()
        .take(footer.height as usize)
        .map(|l| Line::styled(l, theme.muted()))
        .collect();
    frame.render_widget(Paragraph::new(lines), footer);
}

/// Weekly counts (sparkline over the whole period, bars for the latest
/// weeks), then the top categories and streets.
fn draw_charts(frame: &mut Frame, area: Rect, rep: &MetricsReport, theme: &Theme) {
    let m = &rep.metrics;
    let [spark, weeks, tops] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(7), Constraint::Fill(1)]).areas(area);
    let data: Vec<u64> = m.weekly.iter().map(|(_, n)| *n).collect();
    frame.render_widget(
        Sparkline::default()
            .block(Block::default().title(Line::styled(format!("每周登记件数（{}周）", data.len()), theme.header())))
            .data(&data)
            .bar_set(BARS)
            .style(theme.ok()),
        spark,
    );
    // As many recent weeks as fit, five columns each.
    let fit_weeks = (weeks.width as usize / 6).max(1);
    let recent: Vec<Bar> = m
        .weekly
        .iter()
        .rev()
        .take(fit_weeks)
        .rev()
        .map(|(d, n)| Bar::default().value(*n).label(Line::raw(d.format("%m-%d").to_string())))
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(Block::default().title(Line::styled("最近各周（截止日）", theme.header())))
            .data(BarGroup::default().bars(&recent))
            .bar_width(5)
            .bar_gap(1)
            .bar_set(BARS)
            .bar_style(theme.ok())
            .value_style(theme.selected()),
        weeks,
    );
    let [cats, streets] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(tops);
    titled_bars(frame, cats, "内容分类前列", &m.by_category, theme);
    titled_bars(frame, streets, "问题属地前列", &m.by_street, theme);
}

fn titled_bars(frame: &mut Frame, area: Rect, title: &str, items: &[(String, u64)], theme: &Theme) {
    if area.height < 2 {
        return;
    }
    frame.render_widget(Line::styled(title.to_string(), theme.header()), area);
    bars(frame, Rect { y: area.y + 1, height: area.height - 1, ..area }, items, theme.ok(), theme);
}

/// A horizontal bar chart of the largest `items` that fit, labels cut to width.
fn bars(frame: &mut Frame, area: Rect, items: &[(String, u64)], style: Style, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    if items.is_empty() {
        frame.render_widget(Line::styled("（无）", theme.muted()), area);
        return;
    }
    let label_w = 12.min(area.width as usize / 2);
    let shown: Vec<Bar> = items
        .iter()
        .take(area.height as usize)
        .map(|(k, n)| {
            let label = text::truncate(&text::sanitize_line(k), label_w).into_owned();
            Bar::default().value(*n).label(Line::raw(label)).text_value(n.to_string())
        })
        .collect();
    frame.render_widget(
        BarChart::horizontal(shown)
            .bar_width(1)
            .bar_gap(0)
            .bar_set(BARS)
            .bar_style(style)
            .value_style(theme.selected()),
        area,
    );
}

fn draw_weekly(frame: &mut Frame, area: Rect, r: &ReportsState, theme: &Theme) {
    let Some(rep) = &r.weekly else { return waiting(frame, area, r, theme) };
    let [head, figures, which, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(detail_height(area)),
    ])
    .areas(area);
    let w = area.width as usize;
    let zero = if rep.zero_report { "  零报告（本周无新增）" } else { "" };
    let title = format!(
        "截止 {}（{} 至 {}） 本周新增 {}  化解 {}  在控 {}{zero}",
        rep.week_ending, rep.week_start, rep.week_ending, rep.new_count, rep.resolved_count, rep.in_control
    );
    let title_style = if rep.zero_report { theme.ok() } else { theme.header() };
    frame.render_widget(Line::styled(text::truncate(&title, w).into_owned(), title_style), head);
    let f = &rep.figures;
    let figs = format!(
        "本周：集体访 {} 批 {} 人  越级访 {}  扬言 {}  办结 {}",
        f.group_batches, f.group_people, f.skip_level, f.threats, f.concluded
    );
    frame.render_widget(Line::styled(text::truncate(&figs, w).into_owned(), theme.muted()), figures);
    let (a_style, b_style) = match r.table {
        WeeklyTable::Persons => (theme.tab_active(), theme.tab()),
        WeeklyTable::Disputes => (theme.tab(), theme.tab_active()),
    };
    let tabs = vec![
        Span::styled(format!("表A 重点人员 {}人", rep.persons.len()), a_style),
        Span::raw("  "),
        Span::styled(format!("表B 重点群体/矛盾纠纷 {}项", rep.disputes.len()), b_style),
    ];
    frame.render_widget(Line::from(fit(tabs, w)), which);
    let lw = row_width(list.width);
    let (items, lines): (Vec<ListItem>, Vec<String>) = match r.table {
        WeeklyTable::Persons => (
            rep.persons
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let new = if p.new { "新" } else { "" };
                    let resolved = if p.resolved { "已化解" } else { &p.situation };
                    ListItem::new(Line::from(fit(
                        spaced(vec![
                            cell(&(i + 1).to_string(), 3, theme.muted()),
                            cell(new, 2, theme.warning()),
                            cell(&mask::name(&p.name), 8, theme.base()),
                            cell(p.risk.label(), 2, risk_style(p.risk.label(), theme)),
                            cell(&p.categories.join("、"), if lw >= 140 { 34 } else { 20 }, theme.base()),
                            cell(&format!("{}次", p.visits), 5, theme.muted()),
                            cell(p.procedure, 8, theme.muted()),
                            Span::styled(text::sanitize_line(resolved).into_owned(), theme.base()),
                        ]),
                        lw,
                    )))
                })
                .collect(),
            r.selected_person()
                .map(|p| {
                    vec![
                        format!("诉求：{}", p.demand),
                        format!(
                            "责任单位：{}  包案领导：{}  稳控责任人：{}  措施：{}",
                            dash(&p.unit),
                            dash(&p.leader),
                            dash(&p.keeper),
                            dash(&p.measures)
                        ),
                    ]
                })
                .unwrap_or_default(),
        ),
        WeeklyTable::Disputes => (
            rep.disputes
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let new = if d.new { "新" } else { "" };
                    ListItem::new(Line::from(fit(
                        spaced(vec![
                            cell(&(i + 1).to_string(), 3, theme.muted()),
                            cell(new, 2, theme.warning()),
                            cell(&d.shown.group, 12, theme.base()),
                            cell(&format!("{}人", d.involved), 5, theme.muted()),
                            cell(d.state().label(), 6, theme.muted()),
                            Span::styled(text::sanitize_line(&d.shown.name).into_owned(), theme.base()),
                        ]),
                        lw,
                    )))
                })
                .collect(),
            r.selected_dispute()
                .map(|d| {
                    vec![
                        format!("{}  风险研判：{}", d.origin, dash(&d.shown.risk)),
                        format!(
                            "牵头单位：{}  包案领导：{}  本周进展：{}",
                            dash(&d.shown.lead_unit),
                            dash(&d.shown.leader),
                            dash(&d.shown.progress)
                        ),
                    ]
                })
                .unwrap_or_default(),
        ),
    };
    if items.is_empty() {
        frame.render_widget(Line::styled("（本表本周无内容）", theme.muted()), list);
    } else {
        selectable(frame, list, items, r.selected, theme);
    }
    draw_detail(frame, detail, &lines, theme);
}

/// The selected row's details under a list: four lines on a tall screen.
fn detail_height(area: Rect) -> u16 {
    if area.height >= 30 { 4 } else { 3 }
}

/// `paragraphs` wrapped by glyph to the area's width, as many lines as fit
/// (long Chinese text wraps rather than losing its end to "…").
fn draw_detail(frame: &mut Frame, area: Rect, paragraphs: &[String], theme: &Theme) {
    let w = (area.width as usize).max(1);
    let lines: Vec<Line> = paragraphs
        .iter()
        .flat_map(|p| text::wrap(&text::sanitize_line(p), w))
        .take(area.height as usize)
        .map(|l| Line::styled(l, theme.muted()))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn dash(s: &str) -> &str {
    if s.is_empty() { text::EMPTY } else { s }
}

fn risk_style(label: &str, theme: &Theme) -> Style {
    match label {
        "高" => theme.danger(),
        "中" => theme.warning(),
        _ => theme.base(),
    }
}

fn draw_warnings(frame: &mut Frame, area: Rect, r: &ReportsState, theme: &Theme) {
    let Some(list) = &r.warnings else { return waiting(frame, area, r, theme) };
    let [head, body, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(detail_height(area))])
            .areas(area);
    let w = area.width as usize;
    let people = list.iter().filter(|e| e.petitioner_id.is_some()).count();
    let title = format!("近期来访触发预警 {} 人，异常增多 {} 项", people, list.len() - people);
    frame.render_widget(Line::styled(text::truncate(&title, w).into_owned(), theme.header()), head);
    if list.is_empty() {
        frame.render_widget(Line::styled("（没有触发预警的人员或事项）", theme.muted()), body);
        return;
    }
    let lw = row_width(body.width);
    let items: Vec<ListItem> = list
        .iter()
        .map(|e| {
            let who = e.masked_subject();
            let case = e.registered_on.map(|d| format!("{} {}", e.case_number, d.format("%m-%d"))).unwrap_or_default();
            let style = match e.warnings.first().map(|w| w.kind) {
                Some(warning::WarningKind::Threat | warning::WarningKind::Group) => theme.danger(),
                _ => theme.warning(),
            };
            ListItem::new(Line::from(fit(
                spaced(vec![
                    cell(&who, 18, theme.base()),
                    cell(&case, 25, theme.muted()),
                    Span::styled(warning::badges(&e.warnings), style),
                ]),
                lw,
            )))
        })
        .collect();
    selectable(frame, body, items, r.selected, theme);
    if let Some(e) = list.get(r.selected) {
        draw_detail(frame, detail, &[format!("原因：{}", e.reasons())], theme);
    }
}
