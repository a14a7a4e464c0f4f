//! 督促: the list of cases due a reminder call and the units' records; the
//! call form is a popup (`popups::reminder_call`).

use crate::app::Action;
use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::store::StoreError;
use crate::store::reminders::{self, DueCall, UnitRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Due,
    Units,
}

#[derive(Debug)]
pub struct RemindersState {
    pub view: View,
    pub due: Vec<DueCall>,
    pub units: Vec<UnitRecord>,
    pub selected: usize,
    /// Only this unit's cases (chosen in the unit view).
    pub unit_filter: Option<String>,
    pub message: Option<(String, bool)>,
}

impl Default for RemindersState {
    fn default() -> Self {
        RemindersState {
            view: View::Due,
            due: Vec::new(),
            units: Vec::new(),
            selected: 0,
            unit_filter: None,
            message: None,
        }
    }
}

impl RemindersState {
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        let (conn, today) = (env.store.conn(), env.today());
        self.due = reminders::due(conn, today, &env.session.reminder_rules, &env.calendar)?;
        if let Some(u) = &self.unit_filter {
            self.due.retain(|d| &d.unit == u);
        }
        self.units = reminders::unit_records(conn, today)?;
        self.selected = self.selected.min(self.len().saturating_sub(1));
        Ok(())
    }

    fn len(&self) -> usize {
        match self.view {
            View::Due => self.due.len(),
            View::Units => self.units.len(),
        }
    }

    pub fn move_selection(&mut self, step: isize) {
        self.selected = self.selected.saturating_add_signed(step).min(self.len().saturating_sub(1));
    }

    pub fn selected_due(&self) -> Option<&DueCall> {
        (self.view == View::Due).then(|| self.due.get(self.selected)).flatten()
    }

    /// `u`: between the due list and the units; back to all units' cases.
    pub fn toggle_view(&mut self) {
        self.view = match self.view {
            View::Due => View::Units,
            View::Units => View::Due,
        };
        self.unit_filter = None;
        self.selected = 0;
    }

    /// Enter in the unit view: that unit's due cases.
    pub fn choose_unit(&mut self) {
        if let Some(u) = self.units.get(self.selected) {
            self.unit_filter = Some(u.unit.clone());
            self.view = View::Due;
            self.selected = 0;
        }
    }

    /// The due call about a case, if it is listed (its reason prefills the form).
    pub fn due_for(&self, case_id: i64) -> Option<&DueCall> {
        self.due.iter().find(|d| d.case_id == case_id)
    }
}

impl Pane for RemindersState {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Reminders, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let selected = self.selected_due().map(|d| d.case_id);
        Some(match action {
            Action::SelectNext => {
                self.move_selection(1);
                Vec::new()
            }
            Action::SelectPrev => {
                self.move_selection(-1);
                Vec::new()
            }
            Action::ToggleUnits => {
                self.toggle_view();
                Vec::new()
            }
            Action::Refresh => or_failed(self.reload(env).map(|()| Vec::new())),
            Action::Open if self.view == View::Units => {
                self.choose_unit();
                or_failed(self.reload(env).map(|()| Vec::new()))
            }
            Action::Open | Action::FailedCall => selected
                .map(|case_id| vec![Effect::OpenReminder { case_id, failed: action == Action::FailedCall }])
                .unwrap_or_default(),
            Action::OpenCase => selected.map(|id| vec![Effect::OpenCase(id)]).unwrap_or_default(),
            // 督办通知书 when the ladder proposes 书面督办.
            Action::Papers => selected.map(|id| crate::app::popups::papers::open_list(env, id)).unwrap_or_default(),
            // From a unit's line: a call about that unit's most pressing case.
            Action::Remind => {
                let unit = self.units.get(self.selected).map(|u| u.unit.clone());
                let case = unit.as_ref().and_then(|u| self.due.iter().find(|d| &d.unit == u)).map(|d| d.case_id);
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
