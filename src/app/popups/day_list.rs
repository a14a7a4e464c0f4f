//! `d` on the queue: every reception day, upcoming and past, to show another.

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::store::StoreError;
use crate::store::queue::ReceptionDay;

#[derive(Debug, Clone)]
pub struct DayList {
    pub days: Vec<ReceptionDay>,
    pub selected: usize,
}

impl DayList {
    /// The list of days, on the one shown.
    pub fn open(env: &Env, shown: Option<i64>) -> Result<DayList, StoreError> {
        let days = crate::store::queue::days(env.store.conn())?;
        let selected = shown.and_then(|id| days.iter().position(|x| x.id == id)).unwrap_or(0);
        Ok(DayList { days, selected })
    }
}

impl Pane for DayList {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::DayList, false)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        if super::step_selection(&mut self.selected, self.days.len(), action) {
            return Some(Vec::new());
        }
        Some(match action {
            Action::Open => match self.days.get(self.selected) {
                Some(d) => vec![Effect::Pop, Effect::ShowDay(d.id)],
                None => vec![Effect::Pop],
            },
            Action::Back => vec![Effect::Pop],
            // Quitting and another tab are the global keys' (the popup closes with the tab).
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => Vec::new(),
        })
    }
}
