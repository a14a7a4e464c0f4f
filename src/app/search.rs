//! The 查询 screen's state: the query box, the ranked results, and the
//! petitioner profile or case summary opened from them.
//!
//! Typing only marks the query dirty; the query runs once in `settle`, after
//! the event loop has drained every pending key, so fast typing costs one
//! query per frame, not one per key.

use tui_input::{Input, InputRequest};

use crate::domain::Petitioner;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::Deadline;
use crate::domain::query;
use crate::store::cases::{self, CaseSummary};
use crate::store::search::{self, Hit, Results};
use crate::store::{Store, StoreError, petitioners};

/// Rows per probe kind.
pub const RESULT_LIMIT: usize = 50;

/// A petitioner's profile: who they are and every case, newest first.
#[derive(Debug, Clone)]
pub struct Profile {
    pub petitioner: Petitioner,
    /// Every case, newest first, with the clock running on it.
    pub cases: Vec<(CaseSummary, Option<Deadline>)>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Profile(Box<Profile>),
}

#[derive(Debug, Default)]
pub struct SearchState {
    pub input: Input,
    pub open_only: bool,
    pub results: Results,
    pub selected: usize,
    /// The query changed since the last search.
    pub dirty: bool,
    /// Popups opened from the results, topmost last.
    pub popups: Vec<Popup>,
    /// The highlight words of the query the results belong to.
    pub terms: Vec<String>,
}

impl SearchState {
    pub fn new() -> SearchState {
        SearchState { dirty: true, ..SearchState::default() }
    }

    pub fn edit(&mut self, req: InputRequest) {
        if super::fields::edit_input(&mut self.input, req).is_some_and(|r| r.value) {
            self.dirty = true;
        }
    }

    /// A paste arrives whole: line breaks become spaces, escape sequences and
    /// control characters go.
    pub fn paste(&mut self, text: &str) {
        for c in crate::text::pasted(text, false).chars() {
            super::fields::edit_input(&mut self.input, InputRequest::InsertChar(c));
        }
        self.dirty = true;
    }

    pub fn clear(&mut self) {
        self.input.reset();
        self.dirty = true;
    }

    pub fn toggle_open_only(&mut self) {
        self.open_only = !self.open_only;
        self.dirty = true;
    }

    /// Run the query if it changed. Returns an error for the status bar.
    pub fn settle(
        &mut self,
        store: &Store,
        cal: &HolidayCalendar,
        today: chrono::NaiveDate,
        refs: &crate::store::reference::ReferenceData,
        rules: &crate::domain::warning::WarningRules,
    ) -> Result<(), StoreError> {
        if !self.dirty {
            return Ok(());
        }
        self.dirty = false;
        let q = query::parse(self.input.value(), self.open_only);
        self.terms = q.highlight_terms();
        self.results = search::search(store.conn(), &q, RESULT_LIMIT, cal)?;
        let people = self.results.hits.iter_mut().filter_map(|h| match h {
            Hit::Petitioner(p) => Some(p),
            Hit::Case(_) => None,
        });
        crate::store::warnings::attach(store.conn(), people, today, rules)?;
        let found = self.results.hits.iter_mut().filter_map(|h| match h {
            Hit::Case(c) => Some(c),
            Hit::Petitioner(_) => None,
        });
        crate::store::warnings::attach_cases(store.conn(), refs, found, rules)?;
        self.selected = 0;
        Ok(())
    }

    pub fn move_selection(&mut self, delta: isize) {
        match self.popups.last_mut() {
            Some(Popup::Profile(p)) => p.selected = step(p.selected, delta, p.cases.len()),
            None => self.selected = step(self.selected, delta, self.results.hits.len()),
        }
    }

    /// Enter: a petitioner opens their profile; a case (in the results or
    /// in a profile) is returned for the detail pane.
    pub fn open_selected(&mut self, store: &Store, cal: &HolidayCalendar) -> Result<Option<i64>, StoreError> {
        match self.popups.last() {
            Some(Popup::Profile(p)) => Ok(p.cases.get(p.selected).map(|(c, _)| c.id)),
            None => match self.results.hits.get(self.selected) {
                Some(Hit::Petitioner(p)) => {
                    if let Some(profile) = profile(store, p.id, cal)? {
                        self.popups.push(profile);
                    }
                    Ok(None)
                }
                Some(Hit::Case(c)) => Ok(Some(c.id)),
                None => Ok(None),
            },
        }
    }

    /// Esc: close the topmost popup, else clear the query. Returns false when
    /// there was nothing to close or clear (the caller then leaves the screen).
    pub fn back(&mut self) -> bool {
        if self.popups.pop().is_some() {
            return true;
        }
        if !self.input.value().is_empty() {
            self.clear();
            return true;
        }
        false
    }
}

fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    current.saturating_add_signed(delta).min(len - 1)
}

fn profile(store: &Store, petitioner_id: i64, cal: &HolidayCalendar) -> Result<Option<Popup>, StoreError> {
    let Some(petitioner) = petitioners::get(store.conn(), petitioner_id)? else { return Ok(None) };
    let cases = cases::of_petitioner(store.conn(), petitioner_id)?
        .into_iter()
        .map(|c| {
            let clock = cases::running_deadline(store.conn(), c.id, cal)?;
            Ok((c, clock))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(Popup::Profile(Box::new(Profile { petitioner, cases, selected: 0 }))))
}
