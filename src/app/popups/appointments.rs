//! `b` on the queue: the shown day's appointments. ↑↓ choose, ←→ change the
//! status (已预约/已确认/已取消/未到), Enter takes a number, Ctrl-N books.

use super::Popup;
use super::queue_form::QueueForm;
use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::strings::queue as say;
use crate::domain::queue::AppointmentStatus as A;
use crate::store::StoreError;
use crate::store::queue::{self as q, Appointment, ReceptionDay};

#[derive(Debug, Clone)]
pub struct Appointments {
    pub day: ReceptionDay,
    pub list: Vec<Appointment>,
    pub selected: usize,
}

impl Appointments {
    pub fn open(env: &Env, day: ReceptionDay) -> Result<Appointments, StoreError> {
        let list = q::appointments(env.store.conn(), day.id)?;
        Ok(Appointments { day, list, selected: 0 })
    }

    /// Read the list again, staying on the same place.
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        self.list = q::appointments(env.store.conn(), self.day.id)?;
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected_appointment(&self) -> Option<&Appointment> {
        self.list.get(self.selected)
    }

    fn change(&mut self, action: Action, env: &mut Env) -> Result<Option<String>, StoreError> {
        let Some((id, status)) = self.selected_appointment().map(|a| (a.id, a.status.clone())) else {
            return Ok(None);
        };
        match action {
            Action::OptionNext | Action::OptionPrev => {
                let cycle = [A::Booked, A::Confirmed, A::Cancelled, A::NoShow];
                let i = cycle.iter().position(|s| s.label() == status).unwrap_or(0);
                let step = if action == Action::OptionNext { 1 } else { cycle.len() - 1 };
                let next = cycle[(i + step) % cycle.len()];
                q::set_appointment(&mut env.store, id, next)?;
                Ok(Some(say::appointment_now(next.label())))
            }
            _ => {
                let (clerk, now) = (env.operator(), env.now());
                let t = q::check_in_appointment(&mut env.store, id, &clerk, now, &env.session.queue_rules)?;
                Ok(Some(say::appointment_checked_in(&t.number)))
            }
        }
    }
}

impl Pane for Appointments {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Appointments, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        if super::step_selection(&mut self.selected, self.list.len(), action) {
            return Some(Vec::new());
        }
        Some(match action {
            Action::OptionNext | Action::OptionPrev | Action::Open => match self.change(action, env) {
                Ok(Some(text)) => vec![Effect::QueueChanged { pin_day: None }, Effect::Tell(text, false)],
                Ok(None) => Vec::new(),
                Err(StoreError::Invalid(why)) => vec![Effect::Tell(why, true)],
                Err(e) => vec![Effect::Failed(e)],
            },
            Action::AddPerson => vec![Effect::Push(Popup::QueueForm(QueueForm::book(&self.day, &env.reference)))],
            Action::Back => vec![Effect::Pop],
            // Quitting and another tab are the global keys' (the popup closes with the tab).
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => Vec::new(),
        })
    }
}
