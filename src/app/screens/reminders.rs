//! 督促: the list of cases due a reminder call and the units' records; the
//! call form is a popup (`popups::reminder_call`).

use chrono::NaiveDate;

use crate::app::Action;
use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::loader::Loader;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::strings::reminders as say;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::reminder::ReminderRules;
use crate::store::StoreError;
use crate::store::reminders::{self, DueCall, DueEntry, UnitRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Due,
    Units,
}

/// Rows of the due list read at a time (each is a few indexed reads).
pub const PAGE_ROWS: usize = 100;

/// What a load brings back.
pub enum Loaded {
    /// The whole list's entries and the page shown (from entry `start`).
    All { entries: Vec<DueEntry>, start: usize, page: Vec<DueCall> },
    /// Another page of the same list, from entry `start`.
    Page { start: usize, rows: Vec<DueCall>, select_last: bool },
}

#[derive(Debug, Default)]
pub struct RemindersState {
    pub view: View,
    /// Every case due a call today (only the chosen unit's when filtered), most pressing first.
    pub entries: Vec<DueEntry>,
    /// The unfiltered list (the unit view's `r` finds a unit's first case in it).
    everyone: Vec<DueEntry>,
    /// The rows shown: entries `page_start..` as the list draws them.
    pub due: Vec<DueCall>,
    pub page_start: usize,
    pub units: Vec<UnitRecord>,
    pub selected: usize,
    /// Only this unit's cases (chosen in the unit view).
    pub unit_filter: Option<String>,
    pub message: Option<(String, bool)>,
    /// Loaded yet: before the first result the screen says it is reading.
    pub loaded: bool,
    loader: Loader<Loaded>,
    /// The units' records, read beside the list (they take longer).
    units_loader: Loader<Vec<UnitRecord>>,
}

/// The entries of one unit's cases, or all of them.
fn of_unit(entries: &[DueEntry], unit: Option<&str>) -> Vec<DueEntry> {
    entries.iter().filter(|e| unit.is_none_or(|u| e.unit == u)).cloned().collect()
}

/// What a load needs, owned, so it runs beside the desk.
fn params(env: &Env) -> (NaiveDate, ReminderRules, HolidayCalendar) {
    (env.today(), env.session.reminder_rules.clone(), env.calendar.clone())
}

impl RemindersState {
    /// Read the list and the units afresh, on a worker; the shown rows stay until it answers.
    /// The page being read stays the page shown (another desk's commit does
    /// not send the clerk back to the first page).
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        let (today, rules, cal) = params(env);
        let (filter, at) = (self.unit_filter.clone(), self.page_start);
        self.units_loader.start(&env.store, say::READING_UNITS, move |conn| reminders::unit_records(conn, today))?;
        self.loader.start(&env.store, say::READING, move |conn| {
            let entries = reminders::due_list(conn, today, &rules)?;
            let listed = of_unit(&entries, filter.as_deref());
            let start = at.min(listed.len().saturating_sub(1) / PAGE_ROWS * PAGE_ROWS);
            let shown: Vec<DueEntry> = listed.into_iter().skip(start).take(PAGE_ROWS).collect();
            let page = reminders::due_calls(conn, &shown, today, &rules, &cal)?;
            Ok(Loaded::All { entries, start, page })
        })
    }

    /// Read the page of the list that starts at entry `start`.
    fn load_page(&mut self, env: &Env, start: usize, select_last: bool) -> Result<(), StoreError> {
        let (today, rules, cal) = params(env);
        let shown: Vec<DueEntry> = self.entries.iter().skip(start).take(PAGE_ROWS).cloned().collect();
        self.loader.start(&env.store, say::READING_PAGE, move |conn| {
            let rows = reminders::due_calls(conn, &shown, today, &rules, &cal)?;
            Ok(Loaded::Page { start, rows, select_last })
        })
    }

    /// What a worker is reading, while one is (the list first).
    pub fn busy(&self) -> Option<&'static str> {
        self.loader.busy().or(self.units_loader.busy())
    }

    /// Take finished loads (every frame).
    pub fn poll(&mut self) -> Option<StoreError> {
        let units = self.units_loader.poll().and_then(|u| self.accept_units(u));
        let list = self.loader.poll().and_then(|done| self.accept(done));
        list.or(units)
    }

    /// Block until the loads in flight are in (tests and benchmarks).
    pub fn wait(&mut self) -> Option<StoreError> {
        let units = self.units_loader.wait().and_then(|u| self.accept_units(u));
        let list = self.loader.wait().and_then(|done| self.accept(done));
        list.or(units)
    }

    fn accept_units(&mut self, units: Result<Vec<UnitRecord>, StoreError>) -> Option<StoreError> {
        match units {
            Ok(u) => self.units = u,
            Err(e) => return Some(e),
        }
        self.selected = self.selected.min(self.len().saturating_sub(1));
        None
    }

    fn accept(&mut self, done: Result<Loaded, StoreError>) -> Option<StoreError> {
        match done {
            Ok(Loaded::All { entries, start, page }) => {
                let kept = self.selected_due().map(|d| d.case_id);
                self.entries = of_unit(&entries, self.unit_filter.as_deref());
                self.everyone = entries;
                self.due = page;
                self.page_start = start;
                self.loaded = true;
                // The highlight stays on its case while it is listed.
                if let Some(at) = kept.and_then(|id| self.due.iter().position(|d| d.case_id == id)) {
                    self.selected = at;
                }
            }
            Ok(Loaded::Page { start, rows, select_last }) => {
                self.page_start = start;
                self.due = rows;
                self.selected = if select_last { self.due.len().saturating_sub(1) } else { 0 };
            }
            Err(e) => return Some(e),
        }
        self.selected = self.selected.min(self.len().saturating_sub(1));
        None
    }

    fn len(&self) -> usize {
        match self.view {
            View::Due => self.due.len(),
            View::Units => self.units.len(),
        }
    }

    /// ↑/↓: within the page, and past its ends onto the next or previous page.
    pub fn move_selection(&mut self, step: isize, env: &Env) -> Result<(), StoreError> {
        let at = self.selected.saturating_add_signed(step);
        let page_end = self.page_start + self.due.len();
        if self.view == View::Due && self.busy().is_none() {
            if step > 0 && at >= self.due.len() && page_end < self.entries.len() {
                return self.load_page(env, page_end, false);
            }
            if step < 0 && self.selected == 0 && self.page_start > 0 {
                return self.load_page(env, self.page_start.saturating_sub(PAGE_ROWS), true);
            }
        }
        self.selected = at.min(self.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected_due(&self) -> Option<&DueCall> {
        (self.view == View::Due).then(|| self.due.get(self.selected)).flatten()
    }

    /// `u`: between the due list and the units; back to all units' cases.
    pub fn toggle_view(&mut self, env: &Env) -> Result<(), StoreError> {
        self.view = match self.view {
            View::Due => View::Units,
            View::Units => View::Due,
        };
        self.selected = 0;
        if self.unit_filter.take().is_some() {
            self.entries = self.everyone.clone();
            return self.load_page(env, 0, false);
        }
        Ok(())
    }

    /// Enter in the unit view: that unit's due cases.
    pub fn choose_unit(&mut self, env: &Env) -> Result<(), StoreError> {
        let Some(u) = self.units.get(self.selected) else { return Ok(()) };
        self.unit_filter = Some(u.unit.clone());
        self.entries = of_unit(&self.everyone, Some(&u.unit));
        // Not the other units' rows under this unit's title meanwhile.
        self.due.clear();
        self.view = View::Due;
        self.selected = 0;
        self.load_page(env, 0, false)
    }

    /// The due call about a case, if it is listed (its reason prefills the form).
    pub fn due_for(&self, case_id: i64) -> Option<&DueCall> {
        self.due.iter().find(|d| d.case_id == case_id)
    }

    /// The unit's most pressing case due a call today.
    fn first_case_of(&self, unit: &str) -> Option<i64> {
        self.everyone.iter().find(|e| e.unit == unit).map(|e| e.case_id)
    }
}

impl Pane for RemindersState {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Reminders, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let selected = self.selected_due().map(|d| d.case_id);
        Some(match action {
            Action::SelectNext => or_failed(self.move_selection(1, env).map(|()| Vec::new())),
            Action::SelectPrev => or_failed(self.move_selection(-1, env).map(|()| Vec::new())),
            Action::ToggleUnits => or_failed(self.toggle_view(env).map(|()| Vec::new())),
            Action::Refresh => or_failed(self.reload(env).map(|()| Vec::new())),
            Action::Open if self.view == View::Units => or_failed(self.choose_unit(env).map(|()| Vec::new())),
            Action::Open | Action::FailedCall => selected
                .map(|case_id| vec![Effect::OpenReminder { case_id, failed: action == Action::FailedCall }])
                .unwrap_or_default(),
            Action::OpenCase => selected.map(|id| vec![Effect::OpenCase(id)]).unwrap_or_default(),
            // 督办通知书 when the ladder proposes 书面督办.
            Action::Papers => selected.map(|id| crate::app::popups::papers::open_list(env, id)).unwrap_or_default(),
            // From a unit's line: a call about that unit's most pressing case.
            Action::Remind => {
                let case = self.units.get(self.selected).and_then(|u| self.first_case_of(&u.unit));
                match case {
                    Some(case_id) if self.view == View::Units => {
                        vec![Effect::OpenReminder { case_id, failed: false }]
                    }
                    _ => {
                        self.message = Some((crate::app::strings::reminders::UNIT_HAS_NONE.into(), true));
                        Vec::new()
                    }
                }
            }
            _ => return None,
        })
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}
