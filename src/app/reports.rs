//! 报表 screen state: the metrics of a period, the weekly screening report
//! and the 预警 list. Each is computed on a worker thread with its own
//! read-only connection, so typing never waits for a report; the screen
//! shows the step the worker is on until the result arrives.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};

use super::fields::{FieldForm, FieldKind, FormField};
use super::{Action, App};
use crate::app::choice::Opt;
use crate::domain::screening::{
    DisputeRow, DisputeState, DisputeWatch, PersonRow, PersonWatch, RiskLevel, WeeklyReport,
};
use crate::reports::MetricsReport;
use crate::store::reference::ReferenceData;
use crate::store::screening::{self, WeekParams};
use crate::store::warnings::WarningEntry;
use crate::store::{Store, StoreError};

/// The three views of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReportTab {
    #[default]
    Metrics,
    Weekly,
    Warnings,
}

impl ReportTab {
    pub const ALL: [ReportTab; 3] = [ReportTab::Metrics, ReportTab::Weekly, ReportTab::Warnings];

    pub fn label(self) -> &'static str {
        match self {
            ReportTab::Metrics => "工作指标",
            ReportTab::Weekly => "每周排查上报",
            ReportTab::Warnings => "预警",
        }
    }
}

/// The metrics period presets, stepped with `p`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
    #[default]
    LastYear,
}

impl PeriodKind {
    const ALL: [PeriodKind; 5] =
        [PeriodKind::LastYear, PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year];

    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Week => "本周",
            PeriodKind::Month => "本月",
            PeriodKind::Quarter => "本季度",
            PeriodKind::Year => "本年",
            PeriodKind::LastYear => "近一年",
        }
    }

    /// The first and last day of the period that contains `day`.
    pub fn range(self, day: NaiveDate, week_end: chrono::Weekday) -> (NaiveDate, NaiveDate) {
        let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day);
        match self {
            PeriodKind::Week => {
                let end = crate::domain::metrics::week_ending(day, week_end);
                (end - Days::new(6), end)
            }
            PeriodKind::Month => {
                let start = first_of(day.year(), day.month());
                (start, start + Months::new(1) - Days::new(1))
            }
            PeriodKind::Quarter => {
                let start = first_of(day.year(), (day.month0() / 3) * 3 + 1);
                (start, start + Months::new(3) - Days::new(1))
            }
            PeriodKind::Year => (first_of(day.year(), 1), first_of(day.year() + 1, 1) - Days::new(1)),
            PeriodKind::LastYear => (day - Months::new(12) + Days::new(1), day),
        }
    }

    /// The same kind of period one step earlier or later.
    fn shift(self, day: NaiveDate, forward: bool) -> NaiveDate {
        let step = |d: NaiveDate, m: u32| if forward { d + Months::new(m) } else { d - Months::new(m) };
        match self {
            PeriodKind::Week if forward => day + Days::new(7),
            PeriodKind::Week => day - Days::new(7),
            PeriodKind::Month => step(day, 1),
            PeriodKind::Quarter => step(day, 3),
            PeriodKind::Year | PeriodKind::LastYear => step(day, 12),
        }
    }
}

/// What a worker sends back.
pub enum JobResult {
    Metrics(Result<Box<MetricsReport>, StoreError>),
    Weekly(Result<Box<WeeklyReport>, StoreError>),
    Warnings(Result<Vec<WarningEntry>, StoreError>),
}

enum JobMessage {
    Step(&'static str),
    Done(JobResult),
}

/// A report being computed off the UI thread.
pub struct Job {
    pub tab: ReportTab,
    pub started: Instant,
    /// The worker's current step ("读取事项").
    pub step: &'static str,
    rx: Receiver<JobMessage>,
}

/// Which table of the weekly report has the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeeklyTable {
    #[default]
    Persons,
    Disputes,
}

/// The form for the hand-kept fields of a Table A or Table B row.
#[derive(Debug, Clone)]
pub struct WatchForm {
    pub form: FieldForm,
    pub target: WatchTarget,
    /// The first day of the report's week: a first save puts the row under
    /// control from that week (even when the report is filled in later).
    pub week_start: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchTarget {
    Person(i64),
    Dispute(i64),
}

#[derive(Default)]
pub struct ReportsState {
    pub tab: ReportTab,
    pub period: PeriodKind,
    /// A day inside the metrics period.
    pub period_day: Option<NaiveDate>,
    pub week_ending: Option<NaiveDate>,
    pub metrics: Option<MetricsReport>,
    pub weekly: Option<WeeklyReport>,
    pub warnings: Option<Vec<WarningEntry>>,
    pub table: WeeklyTable,
    pub selected: usize,
    pub job: Option<Job>,
    pub form: Option<WatchForm>,
    pub message: Option<(String, bool)>,
    /// Something the shown report reads changed since it was computed.
    pub stale: bool,
    /// `store::metrics::data_mark` when the shown report was started.
    mark: String,
}

impl ReportsState {
    /// Whether the help bar should offer `action` on the current view (the
    /// weekly table's keys mean nothing on the metrics).
    pub fn offers(&self, action: Action) -> bool {
        match action {
            Action::ToggleTable | Action::Open => self.tab == ReportTab::Weekly,
            Action::CyclePeriod => self.tab == ReportTab::Metrics,
            Action::OpenCase => self.selected_case().is_some(),
            Action::Export | Action::PageUp | Action::PageDown => self.tab != ReportTab::Warnings,
            _ => true,
        }
    }

    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// Rows in the selectable list of the current view.
    fn row_count(&self) -> usize {
        match (self.tab, self.table) {
            (ReportTab::Weekly, WeeklyTable::Persons) => self.weekly.as_ref().map_or(0, |w| w.persons.len()),
            (ReportTab::Weekly, WeeklyTable::Disputes) => self.weekly.as_ref().map_or(0, |w| w.disputes.len()),
            (ReportTab::Warnings, _) => self.warnings.as_ref().map_or(0, Vec::len),
            (ReportTab::Metrics, _) => 0,
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let n = self.row_count();
        self.selected = if n == 0 { 0 } else { self.selected.saturating_add_signed(delta).min(n - 1) };
    }

    pub fn selected_person(&self) -> Option<&PersonRow> {
        (self.tab == ReportTab::Weekly && self.table == WeeklyTable::Persons)
            .then(|| self.weekly.as_ref()?.persons.get(self.selected))
            .flatten()
    }

    pub fn selected_dispute(&self) -> Option<&DisputeRow> {
        (self.tab == ReportTab::Weekly && self.table == WeeklyTable::Disputes)
            .then(|| self.weekly.as_ref()?.disputes.get(self.selected))
            .flatten()
    }

    /// The case the selected row is about, for `o`.
    fn selected_case(&self) -> Option<i64> {
        match self.tab {
            ReportTab::Warnings => self.warnings.as_ref()?.get(self.selected)?.case_id,
            ReportTab::Weekly => {
                self.selected_dispute().map(|d| d.case_id).or_else(|| self.selected_person()?.latest_case)
            }
            ReportTab::Metrics => None,
        }
    }

    /// Take what the worker sent; true when a result arrived.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &mut self.job else { return false };
        loop {
            match job.rx.try_recv() {
                Ok(JobMessage::Step(s)) => job.step = s,
                Ok(JobMessage::Done(result)) => {
                    self.job = None;
                    self.accept(result);
                    return true;
                }
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => {
                    self.job = None;
                    self.message = Some(("计算中断（后台线程意外结束），请按 r 重试".into(), true));
                    return true;
                }
            }
        }
    }

    /// Block until the running job is done (tests and benchmarks).
    pub fn wait(&mut self) {
        while let Some(job) = &self.job {
            match job.rx.recv_timeout(Duration::from_secs(60)) {
                Ok(JobMessage::Step(_)) => {}
                Ok(JobMessage::Done(result)) => {
                    self.job = None;
                    self.accept(result);
                }
                Err(_) => {
                    self.job = None;
                    self.message = Some(("计算中断，请按 r 重试".into(), true));
                }
            }
        }
    }

    fn accept(&mut self, result: JobResult) {
        let failed = |e: StoreError| Some((format!("计算失败：{e}"), true));
        self.stale = false;
        match result {
            JobResult::Metrics(Ok(m)) => self.metrics = Some(*m),
            JobResult::Weekly(Ok(w)) => self.weekly = Some(*w),
            JobResult::Warnings(Ok(w)) => self.warnings = Some(w),
            JobResult::Metrics(Err(e)) | JobResult::Weekly(Err(e)) | JobResult::Warnings(Err(e)) => {
                self.message = failed(e)
            }
        }
        self.move_selection(0);
    }
}

/// What a worker needs, cloned from the app so it owns it.
struct JobInput {
    conn: rusqlite::Connection,
    refs: ReferenceData,
    session: super::Session,
    today: NaiveDate,
}

fn spawn(input: JobInput, tab: ReportTab, period: (NaiveDate, NaiveDate), week: NaiveDate) -> Job {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let step = |s| {
            let _ = tx.send(JobMessage::Step(s));
        };
        let s = &input.session;
        let result = match tab {
            ReportTab::Metrics => {
                step("统计期内事项、期限与回访");
                let as_of = input.today.min(period.1 + Days::new(1)).max(period.0);
                JobResult::Metrics(
                    crate::reports::metrics_report(
                        &input.conn,
                        &s.office,
                        (period.0, period.1, as_of),
                        s.week_end,
                        &s.metric_rules,
                    )
                    .map(Box::new),
                )
            }
            ReportTab::Weekly => {
                step("本周事项、重点人员与矛盾纠纷");
                let params = WeekParams {
                    week_ending: week,
                    office: s.office.clone(),
                    filled_by: s.operator.clone(),
                    reviewer: s.reviewer.clone(),
                    unmasked: false,
                };
                JobResult::Weekly(screening::weekly(&input.conn, &input.refs, &params, &s.warning_rules).map(Box::new))
            }
            ReportTab::Warnings => {
                step("近期来访人员与各街道、类别件数");
                JobResult::Warnings(crate::store::warnings::warning_list(
                    &input.conn,
                    &input.refs,
                    input.today,
                    &s.warning_rules,
                ))
            }
        };
        let _ = tx.send(JobMessage::Done(result));
    });
    Job { tab, started: Instant::now(), step: "准备", rx }
}

fn text_field(label: &'static str, value: &str) -> FormField {
    FormField::new(label, FieldKind::Text, value, false)
}

fn date_field(label: &'static str, value: Option<NaiveDate>) -> FormField {
    FormField::new(label, FieldKind::Date, &value.map(|d| d.to_string()).unwrap_or_default(), false)
}

fn choice_field(label: &'static str, labels: &[&str], current: &str) -> FormField {
    let mut f = FormField::choice(label, labels.iter().map(|l| Opt::keyed(l, l)).collect());
    f.input = tui_input::Input::new(current.to_string());
    f
}

impl WatchForm {
    fn person(row: &PersonRow, kept: Option<PersonWatch>, week_start: NaiveDate) -> WatchForm {
        let w = kept.unwrap_or_default();
        let risks: Vec<&str> = RiskLevel::ALL.iter().map(|r| r.label()).collect();
        let fields = vec![
            choice_field("风险等级", &risks, w.risk.unwrap_or(row.risk).label()),
            text_field("本周动态", &w.situation),
            text_field("化解稳控措施", &w.measures),
            text_field("稳控责任人", &w.keeper),
            text_field("责任人电话", &w.keeper_phone),
            text_field("包案领导", &w.leader),
            text_field("责任单位", &w.unit),
            date_field("化解时限", w.resolve_by),
            text_field("进展", &w.progress),
            date_field("化解(息访)日期", w.resolved_on),
            text_field("备注", &w.note),
        ];
        let title = format!("表A 重点人员：{}", crate::domain::mask::name(&row.name));
        WatchForm { form: FieldForm::new(title, fields), target: WatchTarget::Person(row.petitioner_id), week_start }
    }

    fn dispute(row: &DisputeRow, kept: Option<DisputeWatch>, groups: &[&str], week_start: NaiveDate) -> WatchForm {
        let w = kept.unwrap_or_default();
        let states: Vec<&str> = DisputeState::ALL.iter().map(|s| s.label()).collect();
        let group = if w.group.is_empty() { row.shown.group.clone() } else { w.group.clone() };
        let fields = vec![
            choice_field("群体类别", groups, &group),
            text_field("事项名称", if w.name.is_empty() { &row.shown.name } else { &w.name }),
            text_field("已采取措施", &w.measures),
            text_field("存在困难", &w.difficulties),
            text_field("风险研判", &w.risk),
            text_field("包案领导", &w.leader),
            text_field("牵头单位", &w.lead_unit),
            text_field("配合单位", &w.co_units),
            text_field("责任人", &w.keeper),
            date_field("化解时限", w.resolve_by),
            text_field("本周进展", &w.progress),
            choice_field("状态", &states, w.state.unwrap_or(row.state()).label()),
        ];
        let title = format!("表B 矛盾纠纷：{}", row.case_number);
        WatchForm { form: FieldForm::new(title, fields), target: WatchTarget::Dispute(row.case_id), week_start }
    }

    /// Save the fields; the error says which field is wrong and nothing is written.
    fn save(&self, store: &mut Store, by: &str, at: NaiveDateTime) -> Result<(), String> {
        let f = &self.form;
        match self.target {
            WatchTarget::Person(id) => {
                let w = PersonWatch {
                    risk: RiskLevel::from_label(&f.value(0)),
                    situation: f.value(1),
                    measures: f.value(2),
                    keeper: f.value(3),
                    keeper_phone: f.value(4),
                    leader: f.value(5),
                    unit: f.value(6),
                    resolve_by: f.date(7)?,
                    progress: f.value(8),
                    resolved_on: f.date(9)?,
                    note: f.value(10),
                    since: Some(self.week_start),
                };
                screening::save_person_watch(store, id, &w, by, at).map_err(|e| e.to_string())
            }
            WatchTarget::Dispute(id) => {
                let state = DisputeState::from_label(&f.value(11));
                let w = DisputeWatch {
                    group: f.value(0),
                    name: f.value(1),
                    measures: f.value(2),
                    difficulties: f.value(3),
                    risk: f.value(4),
                    leader: f.value(5),
                    lead_unit: f.value(6),
                    co_units: f.value(7),
                    keeper: f.value(8),
                    resolve_by: f.date(9)?,
                    progress: f.value(10),
                    // Marked 已化解: resolved today (kept if it was already).
                    resolved_on: (state == Some(DisputeState::Resolved)).then(|| at.date()),
                    state,
                    since: Some(self.week_start),
                };
                screening::save_dispute_watch(store, id, &w, by, at).map_err(|e| e.to_string())
            }
        }
    }
}

/// The key groups a Table B row can be put in.
const GROUPS: [&str; 7] = ["问题楼盘", "拆迁安置", "双拖欠", "投资利益受损", "企业改制", "退役军人", "其他"];

impl App {
    /// Start computing the current view (any job already running is left
    /// to finish; its result is dropped if it is for another view).
    pub fn start_report(&mut self) {
        let r = &mut self.reports;
        let tab = r.tab;
        let today = self.clock.now().date();
        let week_end = self.session.week_end;
        let day = *r.period_day.get_or_insert(today);
        let period = r.period.range(day, week_end);
        let week = *r.week_ending.get_or_insert_with(|| crate::domain::metrics::last_week_ending(today, week_end));
        let conn = match self.store.reader() {
            Ok(c) => c,
            Err(e) => {
                r.message = Some((format!("无法打开数据库：{e}"), true));
                return;
            }
        };
        let input = JobInput { conn, refs: self.reference.clone(), session: self.session.clone(), today };
        r.message = None;
        r.stale = false;
        r.mark = crate::store::metrics::data_mark(self.store.conn()).unwrap_or_default();
        r.job = Some(spawn(input, tab, period, week));
    }

    /// Called every tick and after events: pick up a finished report.
    pub fn poll_reports(&mut self) {
        self.reports.poll();
    }

    /// Open the screen's current view, computing it if it was never shown.
    pub(super) fn show_reports(&mut self) {
        let r = &self.reports;
        let missing = match r.tab {
            ReportTab::Metrics => r.metrics.is_none(),
            ReportTab::Weekly => r.weekly.is_none(),
            ReportTab::Warnings => r.warnings.is_none(),
        };
        // A worker busy on another view is left behind (its result is dropped).
        let busy_here = r.job.as_ref().is_some_and(|j| j.tab == r.tab);
        if (missing || r.stale) && !busy_here {
            self.start_report();
        }
    }

    /// Keys on the 报表 screen.
    pub(super) fn update_reports(&mut self, action: Action) -> bool {
        if self.reports.form.is_some() {
            return self.update_watch_form(action);
        }
        let today = self.clock.now().date();
        let r = &mut self.reports;
        match action {
            Action::ShowReport(tab) => {
                r.tab = tab;
                r.selected = 0;
                self.show_reports();
            }
            Action::OptionNext | Action::OptionPrev => {
                let i = ReportTab::ALL.iter().position(|t| *t == r.tab).unwrap_or(0);
                let step = if action == Action::OptionNext { 1 } else { ReportTab::ALL.len() - 1 };
                r.tab = ReportTab::ALL[(i + step) % ReportTab::ALL.len()];
                r.selected = 0;
                self.show_reports();
            }
            Action::PageUp | Action::PageDown => {
                let forward = action == Action::PageDown;
                match r.tab {
                    ReportTab::Metrics => {
                        let day = r.period_day.unwrap_or(today);
                        r.period_day = Some(r.period.shift(day, forward));
                    }
                    ReportTab::Weekly => {
                        let week = r.week_ending.unwrap_or(today);
                        r.week_ending = Some(if forward { week + Days::new(7) } else { week - Days::new(7) });
                    }
                    ReportTab::Warnings => return true,
                }
                self.start_report();
            }
            Action::CyclePeriod if r.tab == ReportTab::Metrics => {
                let i = PeriodKind::ALL.iter().position(|p| *p == r.period).unwrap_or(0);
                r.period = PeriodKind::ALL[(i + 1) % PeriodKind::ALL.len()];
                r.period_day = Some(today);
                self.start_report();
            }
            Action::ToggleTable if r.tab == ReportTab::Weekly => {
                r.table = match r.table {
                    WeeklyTable::Persons => WeeklyTable::Disputes,
                    WeeklyTable::Disputes => WeeklyTable::Persons,
                };
                r.selected = 0;
            }
            Action::SelectNext => r.move_selection(1),
            Action::SelectPrev => r.move_selection(-1),
            Action::Refresh => self.start_report(),
            Action::Open => self.open_watch_form(),
            Action::OpenCase => {
                if let Some(id) = self.reports.selected_case() {
                    self.open_case(id);
                }
            }
            Action::Export => self.export_report(),
            _ => return false,
        }
        true
    }

    fn open_watch_form(&mut self) {
        let r = &self.reports;
        let conn = self.store.conn();
        let Some(week_start) = r.weekly.as_ref().map(|w| w.week_start) else { return };
        let form = if let Some(row) = r.selected_person() {
            screening::person_watch(conn, row.petitioner_id).map(|kept| WatchForm::person(row, kept, week_start))
        } else if let Some(row) = r.selected_dispute() {
            screening::dispute_watch(conn, row.case_id).map(|kept| WatchForm::dispute(row, kept, &GROUPS, week_start))
        } else {
            return;
        };
        match form {
            Ok(f) => self.reports.form = Some(f),
            Err(e) => self.notify_error(&e),
        }
    }

    fn update_watch_form(&mut self, action: Action) -> bool {
        let Some(f) = &mut self.reports.form else { return false };
        match action {
            Action::Open | Action::Save => {
                let now = self.clock.now();
                match f.save(&mut self.store, &self.session.operator, now) {
                    Ok(()) => {
                        self.reports.form = None;
                        self.start_report();
                        self.reports.message = Some(("已保存，周报重新计算中".into(), false));
                    }
                    // Nothing was written; the form keeps every value.
                    Err(e) => f.form.error = Some(e),
                }
            }
            Action::Back => self.reports.form = None,
            Action::Quit => return false,
            other => f.form.navigate(other),
        }
        true
    }

    /// Write the view on screen to an XLSX file beside the database (masked).
    fn export_report(&mut self) {
        let dir = self.store.path().parent().map(|p| p.join("exports")).unwrap_or_default();
        let r = &self.reports;
        let (name, sheets) = match r.tab {
            ReportTab::Metrics => match &r.metrics {
                Some(m) => (format!("指标-{}至{}.xlsx", m.metrics.from, m.metrics.to), m.sheets()),
                None => return,
            },
            ReportTab::Weekly => match &r.weekly {
                Some(w) => (format!("周报-{}.xlsx", w.week_ending), crate::reports::weekly_sheets(w)),
                None => return,
            },
            ReportTab::Warnings => return,
        };
        let path = dir.join(name);
        let result = std::fs::create_dir_all(&dir).map_err(|e| e.to_string()).and_then(|()| {
            crate::export::write_book(&path, crate::export::Format::Xlsx, &sheets).map_err(|e| e.to_string())
        });
        let now = self.clock.now();
        self.reports.message = Some(match result {
            Ok(()) => {
                let detail = path.display().to_string();
                if let Err(e) =
                    crate::store::backup::audit(&mut self.store, &self.session.operator, "导出报表", &detail, now)
                {
                    self.notify_error(&e);
                }
                (format!("已导出：{}", path.display()), false)
            }
            Err(e) => (format!("导出失败：{e}"), true),
        });
    }

    /// After a reload: if what the reports read has changed, the shown
    /// report is out of date. It is recomputed when the screen is next
    /// opened, or with `r` (not on every other desk's write: a year's
    /// metrics is a second of work).
    pub(super) fn mark_reports_stale(&mut self) {
        let mark = crate::store::metrics::data_mark(self.store.conn()).unwrap_or_default();
        if mark != self.reports.mark {
            self.reports.stale = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn period_ranges() {
        let day = d("2026-11-28");
        let fri = chrono::Weekday::Fri;
        assert_eq!(PeriodKind::Week.range(day, fri), (d("2026-11-28"), d("2026-12-04")));
        assert_eq!(PeriodKind::Month.range(day, fri), (d("2026-11-01"), d("2026-11-30")));
        assert_eq!(PeriodKind::Quarter.range(day, fri), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(PeriodKind::Year.range(day, fri), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(PeriodKind::LastYear.range(day, fri), (d("2025-11-29"), d("2026-11-28")));
        assert_eq!(PeriodKind::Quarter.shift(day, false), d("2026-08-28"));
    }
}
