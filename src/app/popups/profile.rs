//! A petitioner's profile, opened from the search results: who they are and
//! every case, newest first; Enter opens a case.

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::opening::ReadContext;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::popups::Popup;
use crate::app::popups::person_form::PersonForm;
use crate::domain::Petitioner;
use crate::domain::deadline::Deadline;
use crate::store::cases::{self, CaseSummary};
use crate::store::{StoreError, petitioners};
use rusqlite::Connection;

#[derive(Debug, Clone)]
pub struct Profile {
    pub petitioner: Petitioner,
    /// Every case, newest first, with the clock running on it.
    pub cases: Vec<(CaseSummary, Option<Deadline>)>,
    pub selected: usize,
    /// The person's history (全程可溯), oldest first, numbers masked.
    pub history: Vec<crate::store::person_history::HistoryRow>,
}

impl Profile {
    /// The person and their cases, read on `conn` (a worker's: see `app::opening`).
    pub fn read(conn: &Connection, cx: &ReadContext, petitioner_id: i64) -> Result<Option<Profile>, StoreError> {
        let Some(petitioner) = petitioners::get(conn, petitioner_id)? else { return Ok(None) };
        let summaries = cases::of_petitioner(conn, petitioner_id)?;
        // Every case's running clock in one statement (a person may have dozens).
        let ids: Vec<i64> = summaries.iter().map(|c| c.id).collect();
        let mut clocks = crate::store::deadlines::running_of(conn, &ids)?;
        let cases = summaries
            .into_iter()
            .map(|c| {
                let clock = clocks.remove(&c.id).map(|d| d.explain(&cx.calendar));
                (c, clock)
            })
            .collect();
        let history = crate::store::person_history::of(conn, petitioner_id)?;
        Ok(Some(Profile { petitioner, cases, selected: 0, history }))
    }
}

impl Pane for Profile {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Profile, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let last = self.cases.len().saturating_sub(1);
        Some(match action {
            Action::SelectNext | Action::PageDown => {
                let step = if action == Action::PageDown { crate::app::PAGE as usize } else { 1 };
                self.selected = (self.selected + step).min(last);
                Vec::new()
            }
            Action::SelectPrev | Action::PageUp => {
                let step = if action == Action::PageUp { crate::app::PAGE as usize } else { 1 };
                self.selected = self.selected.saturating_sub(step);
                Vec::new()
            }
            Action::Open => {
                self.cases.get(self.selected).map(|(c, _)| vec![Effect::OpenCase(c.id)]).unwrap_or_default()
            }
            Action::EditPerson => {
                vec![Effect::Push(Popup::PersonForm(Box::new(PersonForm::edit(self.petitioner.clone(), env))))]
            }
            Action::MergePerson => {
                vec![Effect::Push(Popup::PersonForm(Box::new(PersonForm::merge_which(self.petitioner.clone()))))]
            }
            Action::Back => vec![Effect::Pop],
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => Vec::new(),
        })
    }
}
