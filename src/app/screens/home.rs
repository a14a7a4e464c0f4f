//! 工作台: the worklists of running clocks, then the newest registrations.

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::{Action, PAGE};
use crate::domain::deadline::Bucket;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::app::loader::Loader;
use crate::app::strings::home as say;
use crate::store::StoreError;
use crate::store::cases::{self, CaseSummary, Counts};
use crate::store::deadlines::DueItem;

/// How many recent cases the home screen lists.
const RECENT_LIMIT: usize = 100;
/// Open clocks the worklists show at most, and how far ahead (days).
const WORKLIST_LIMIT: usize = 500;
const WORKLIST_DAYS: u32 = 7;

/// One line of the 工作台 list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeRow {
    /// A group title: "已超期（3件）：受理告知 1、办结 2".
    Header(String),
    Due(DueItem),
    Recent(CaseSummary),
}

impl HomeRow {
    pub fn case_id(&self) -> Option<i64> {
        match self {
            HomeRow::Header(_) => None,
            HomeRow::Due(d) => Some(d.case_id),
            HomeRow::Recent(c) => Some(c.id),
        }
    }
}

#[derive(Debug, Default)]
pub struct Home {
    pub counts: Counts,
    /// How many open clocks fall in each worklist group.
    pub due_counts: Vec<(Bucket, usize)>,
    pub rows: Vec<HomeRow>,
    /// Index into `rows`, never on a header.
    pub selected: usize,
    /// Next year's holidays are missing (from 1 November): the one line that says so.
    pub calendar_notice: Option<String>,
    /// Loaded yet: before the first result the screen says it is reading.
    pub loaded: bool,
    /// The counts and worklists are read on a worker (about 0.1 s on a
    /// million cases, on every other desk's commit).
    loader: Loader<HomeData>,
    soon_days: i64,
}

/// What the worker reads for the 工作台.
#[derive(Debug)]
pub struct HomeData {
    counts: Counts,
    groups: Vec<(Bucket, Vec<DueItem>)>,
    recent: Vec<CaseSummary>,
    due_counts: Vec<(Bucket, usize)>,
}

impl HomeData {
    /// Everything the 工作台 shows on `today` (`soon`: the "due soon" days).
    pub fn read(conn: &Connection, today: NaiveDate, soon: i64) -> Result<HomeData, StoreError> {
        Ok(HomeData {
            counts: cases::counts(conn, today)?,
            groups: crate::store::deadlines::worklist(conn, today, WORKLIST_DAYS, soon, WORKLIST_LIMIT)?,
            recent: cases::recent(conn, RECENT_LIMIT)?,
            due_counts: crate::store::deadlines::bucket_counts(conn, today, soon)?,
        })
    }
}

impl Home {
    /// Read the counts and lists afresh on a worker; what is shown stays until it answers.
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        let today = env.today();
        let soon = i64::from(env.session.due_soon_days);
        self.soon_days = soon;
        self.calendar_notice = crate::domain::calendar::next_year_notice(&env.calendar, today);
        self.loader.start(&env.store, say::READING, move |conn| HomeData::read(conn, today, soon))
    }

    /// What the worker is reading, while it is.
    pub fn busy(&self) -> Option<&'static str> {
        self.loader.busy()
    }

    /// Take a finished load (every frame).
    pub fn poll(&mut self) -> Option<StoreError> {
        let done = self.loader.poll()?;
        self.accept(done)
    }

    /// Block until the load in flight is in (tests and benchmarks).
    pub fn wait(&mut self) -> Option<StoreError> {
        let done = self.loader.wait()?;
        self.accept(done)
    }

    fn accept(&mut self, done: Result<HomeData, StoreError>) -> Option<StoreError> {
        match done {
            Ok(d) => {
                self.counts = d.counts;
                self.due_counts = d.due_counts;
                self.fill(d.groups, d.recent, self.soon_days);
                self.loaded = true;
                None
            }
            Err(e) => Some(e),
        }
    }

    fn select(&mut self, action: Action) {
        let selectable: Vec<usize> =
            self.rows.iter().enumerate().filter(|(_, r)| r.case_id().is_some()).map(|(i, _)| i).collect();
        let Some(pos) = selectable.iter().position(|i| *i >= self.selected).or(selectable.len().checked_sub(1)) else {
            return;
        };
        let last = selectable.len() - 1;
        let pos = match action {
            Action::SelectNext => (pos + 1).min(last),
            Action::SelectPrev => pos.saturating_sub(1),
            Action::PageDown => (pos + PAGE as usize).min(last),
            Action::PageUp => pos.saturating_sub(PAGE as usize),
            Action::SelectFirst => 0,
            Action::SelectLast => last,
            _ => pos,
        };
        self.selected = selectable[pos];
    }

    pub fn selected_case(&self) -> Option<i64> {
        self.rows.get(self.selected).and_then(HomeRow::case_id)
    }

    /// Rebuild the rows from the worklist groups and the recent cases.
    fn fill(&mut self, groups: Vec<(Bucket, Vec<DueItem>)>, recent: Vec<CaseSummary>, soon_days: i64) {
        let selected = self.selected_case();
        self.rows.clear();
        for (bucket, items) in groups.into_iter().filter(|(_, items)| !items.is_empty()) {
            let mut kinds: Vec<(&str, usize)> = Vec::new();
            for i in &items {
                match kinds.iter_mut().find(|(k, _)| *k == i.clock) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((i.clock, 1)),
                }
            }
            let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            self.rows.push(HomeRow::Header(format!(
                "{}（{}件）：{}",
                bucket.label(soon_days),
                items.len(),
                kinds.join("、")
            )));
            self.rows.extend(items.into_iter().map(HomeRow::Due));
        }
        self.rows.push(HomeRow::Header(format!("最近登记（{}件）", recent.len())));
        self.rows.extend(recent.into_iter().map(HomeRow::Recent));
        self.selected = selected.and_then(|id| self.rows.iter().position(|r| r.case_id() == Some(id))).unwrap_or(0);
        if self.rows.get(self.selected).is_some_and(|r| r.case_id().is_none()) {
            // Onto the first case at or after a group title.
            self.select(Action::Refresh);
        }
    }
}

impl Pane for Home {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Home, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        Some(match action {
            Action::SelectNext
            | Action::SelectPrev
            | Action::PageDown
            | Action::PageUp
            | Action::SelectFirst
            | Action::SelectLast => {
                self.select(action);
                Vec::new()
            }
            Action::Open => self.selected_case().map(|id| vec![Effect::OpenCase(id)]).unwrap_or_default(),
            Action::Refresh => vec![Effect::Reload],
            Action::EditHolidays => {
                let form = crate::app::popups::holiday_form::HolidayForm::open(env);
                vec![Effect::Push(crate::app::popups::Popup::HolidayForm(Box::new(form)))]
            }
            _ => return None,
        })
    }
}
