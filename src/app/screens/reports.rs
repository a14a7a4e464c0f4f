//! 报表: the metrics of a period, the weekly screening report and the 预警
//! list. Each is computed by a worker (`reports::worker`) with its own
//! read-only connection, so typing never waits for a report; the screen shows
//! the step the worker is on until the result arrives.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::popups::Popup;
use crate::app::popups::watch_form::WatchForm;
use crate::app::strings::reports as say;
use crate::domain::screening::{DisputeRow, PersonRow, WeeklyReport};
use crate::reports::MetricsReport;
use crate::reports::worker::{self, Job, JobResult, Poll};
use crate::store::StoreError;
use crate::store::warnings::WarningEntry;

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

/// Which table of the weekly report has the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeeklyTable {
    #[default]
    Persons,
    Disputes,
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
    pub message: Option<(String, bool)>,
    /// Something the shown report reads changed since it was computed.
    pub stale: bool,
    /// `store::metrics::data_mark` when the shown report was started.
    mark: String,
}

/// The view a worker's report is shown in.
fn tab_of(kind: worker::Kind) -> ReportTab {
    match kind {
        worker::Kind::Metrics { .. } => ReportTab::Metrics,
        worker::Kind::Weekly { .. } => ReportTab::Weekly,
        worker::Kind::Warnings => ReportTab::Warnings,
    }
}

impl ReportsState {
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// The view the running job computes.
    pub fn busy_tab(&self) -> Option<ReportTab> {
        self.job.as_ref().map(|j| tab_of(j.kind))
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

    /// Called every tick and after events: pick up a finished report.
    pub fn poll(&mut self) {
        let Some(job) = &mut self.job else { return };
        match job.poll() {
            Poll::Running => {}
            Poll::Done(result) => {
                self.job = None;
                self.accept(result);
            }
            Poll::Lost => {
                self.job = None;
                self.message = Some((say::WORKER_DIED.into(), true));
            }
        }
    }

    /// Block until the running job is done (tests and benchmarks).
    pub fn wait(&mut self) {
        let Some(mut job) = self.job.take() else { return };
        match job.wait() {
            Poll::Done(result) => self.accept(result),
            _ => self.message = Some((say::WORKER_LOST.into(), true)),
        }
    }

    fn accept(&mut self, result: JobResult) {
        let failed = |e: StoreError| Some((say::failed(&e.to_string()), true));
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

    /// Start computing the current view (any job already running is left
    /// to finish; its result is dropped if it is for another view).
    pub fn start(&mut self, env: &Env) {
        let today = env.today();
        let s = &env.session;
        let day = *self.period_day.get_or_insert(today);
        let (from, to) = self.period.range(day, s.week_end);
        let week = *self.week_ending.get_or_insert_with(|| crate::domain::metrics::last_week_ending(today, s.week_end));
        let kind = match self.tab {
            ReportTab::Metrics => worker::Kind::Metrics { from, to },
            ReportTab::Weekly => worker::Kind::Weekly { week_ending: week },
            ReportTab::Warnings => worker::Kind::Warnings,
        };
        let params = worker::Params {
            refs: env.reference.clone(),
            office: s.office.clone(),
            operator: s.operator.clone(),
            reviewer: s.reviewer.clone(),
            week_end: s.week_end,
            metric_rules: s.metric_rules.clone(),
            warning_rules: s.warning_rules.clone(),
            today,
        };
        match Job::start(&env.store, kind, params) {
            Ok(job) => {
                self.message = None;
                self.stale = false;
                self.mark = crate::store::metrics::data_mark(env.store.conn()).unwrap_or_default();
                self.job = Some(job);
            }
            Err(e) => self.message = Some((say::cannot_open(&e.to_string()), true)),
        }
    }

    /// Open the screen's current view, computing it if it was never shown.
    pub fn show(&mut self, env: &Env) {
        let missing = match self.tab {
            ReportTab::Metrics => self.metrics.is_none(),
            ReportTab::Weekly => self.weekly.is_none(),
            ReportTab::Warnings => self.warnings.is_none(),
        };
        // A worker busy on another view is left behind (its result is dropped).
        let busy_here = self.busy_tab() == Some(self.tab);
        if (missing || self.stale) && !busy_here {
            self.start(env);
        }
    }

    /// After a reload: if what the reports read has changed, the shown
    /// report is out of date. It is recomputed when the screen is next
    /// opened, or with `r` (not on every other desk's write: a year's
    /// metrics is a second of work).
    pub fn mark_stale(&mut self, env: &Env) {
        let mark = crate::store::metrics::data_mark(env.store.conn()).unwrap_or_default();
        if mark != self.mark {
            self.stale = true;
        }
    }

    fn open_watch_form(&mut self, env: &Env) -> Vec<Effect> {
        let Some(week_start) = self.weekly.as_ref().map(|w| w.week_start) else { return Vec::new() };
        match WatchForm::open(env, self.selected_person(), self.selected_dispute(), week_start) {
            Ok(Some(f)) => vec![Effect::Push(Popup::WatchForm(f))],
            Ok(None) => Vec::new(),
            Err(e) => vec![Effect::Failed(e)],
        }
    }

    /// Write the view on screen to an XLSX file beside the database (masked).
    fn export(&mut self, env: &mut Env) -> Vec<Effect> {
        let dir = env.store.path().parent().map(|p| p.join("exports")).unwrap_or_default();
        let (name, sheets) = match self.tab {
            ReportTab::Metrics => match &self.metrics {
                Some(m) => (format!("指标-{}至{}.xlsx", m.metrics.from, m.metrics.to), m.sheets()),
                None => return Vec::new(),
            },
            ReportTab::Weekly => match &self.weekly {
                Some(w) => (format!("周报-{}.xlsx", w.week_ending), crate::reports::weekly_sheets(w)),
                None => return Vec::new(),
            },
            ReportTab::Warnings => return Vec::new(),
        };
        let path = dir.join(name);
        let (operator, now) = (env.operator(), env.now());
        let stamped = crate::anchors::stamp(env.store.conn(), env.session.anchors.as_deref(), now, "导出报表");
        let sheets: Vec<_> = match &stamped {
            Ok((mark, _)) => sheets.into_iter().map(|s| s.with_footer(mark)).collect(),
            Err(_) => sheets,
        };
        let result = std::fs::create_dir_all(&dir).map_err(|e| e.to_string()).and_then(|()| {
            // The desk's own exports folder: a report exported again replaces its older copy.
            crate::export::write_book(&path, crate::export::Format::Xlsx, &sheets, true).map_err(|e| e.to_string())
        });
        let mut effects = Vec::new();
        match stamped {
            Err(e) => effects.push(Effect::Failed(e)),
            Ok((_, Some(why))) => effects.push(Effect::Failed(crate::store::StoreError::Invalid(why))),
            Ok(_) => {}
        }
        self.message = Some(match result {
            Ok(()) => {
                let detail = path.display().to_string();
                if let Err(e) = crate::store::backup::audit(&mut env.store, &operator, "导出报表", &detail, now) {
                    effects.push(Effect::Failed(e));
                }
                (say::exported(&path.display().to_string()), false)
            }
            Err(e) => (say::export_failed(&e), true),
        });
        effects
    }
}

impl Pane for ReportsState {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Reports, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let today = env.today();
        match action {
            Action::ShowReport(tab) => {
                self.tab = tab;
                self.selected = 0;
                self.show(env);
            }
            Action::OptionNext | Action::OptionPrev => {
                let i = ReportTab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let step = if action == Action::OptionNext { 1 } else { ReportTab::ALL.len() - 1 };
                self.tab = ReportTab::ALL[(i + step) % ReportTab::ALL.len()];
                self.selected = 0;
                self.show(env);
            }
            Action::PageUp | Action::PageDown => {
                let forward = action == Action::PageDown;
                match self.tab {
                    ReportTab::Metrics => {
                        let day = self.period_day.unwrap_or(today);
                        self.period_day = Some(self.period.shift(day, forward));
                    }
                    ReportTab::Weekly => {
                        let week = self.week_ending.unwrap_or(today);
                        self.week_ending = Some(if forward { week + Days::new(7) } else { week - Days::new(7) });
                    }
                    ReportTab::Warnings => return Some(Vec::new()),
                }
                self.start(env);
            }
            Action::CyclePeriod if self.tab == ReportTab::Metrics => {
                let i = PeriodKind::ALL.iter().position(|p| *p == self.period).unwrap_or(0);
                self.period = PeriodKind::ALL[(i + 1) % PeriodKind::ALL.len()];
                self.period_day = Some(today);
                self.start(env);
            }
            Action::ToggleTable if self.tab == ReportTab::Weekly => {
                self.table = match self.table {
                    WeeklyTable::Persons => WeeklyTable::Disputes,
                    WeeklyTable::Disputes => WeeklyTable::Persons,
                };
                self.selected = 0;
            }
            Action::SelectNext => self.move_selection(1),
            Action::SelectPrev => self.move_selection(-1),
            Action::Refresh => self.start(env),
            Action::Open => return Some(self.open_watch_form(env)),
            Action::OpenCase => {
                return Some(self.selected_case().map(|id| vec![Effect::OpenCase(id)]).unwrap_or_default());
            }
            Action::Export => return Some(self.export(env)),
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The weekly table's keys mean nothing on the metrics.
    fn offers(&self, action: Action) -> bool {
        match action {
            Action::ToggleTable | Action::Open => self.tab == ReportTab::Weekly,
            Action::CyclePeriod => self.tab == ReportTab::Metrics,
            Action::OpenCase => self.selected_case().is_some(),
            Action::Export | Action::PageUp | Action::PageDown => self.tab != ReportTab::Warnings,
            _ => true,
        }
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
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
