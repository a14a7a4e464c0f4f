//! The help overlay: every key of the pane it was opened over (and the
//! popups that pane opens), from the keymap itself.

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};

#[derive(Debug, Clone)]
pub struct Help {
    /// The pane the help is about.
    pub over: PaneKind,
    /// Extra lines for that pane (the queue's calling order).
    pub notes: Vec<String>,
}

impl Pane for Help {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Help, false)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        match action {
            Action::CloseOverlay | Action::ToggleHelp | Action::Back => Some(vec![Effect::Pop]),
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => None,
            _ => Some(Vec::new()),
        }
    }
}
