//! A question the intake asks before going on: restore a draft, or leave
//! unsaved input. Enter is yes, Esc is no.

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// A draft from an earlier session: restore it?
    Recover {
        saved_at: String,
        /// Another window's draft (its window no longer runs), by its name.
        from: Option<String>,
    },
    /// Unsaved input: really leave (quit the app, or go to another screen)?
    Leave { quit: bool },
}

impl Pane for Confirm {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Confirm, false)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        let yes = match action {
            Action::Open => true,
            Action::Back => false,
            // Ctrl-C (or q) again while asked whether to quit: quit; the draft stays for next time.
            Action::Quit if *self == (Confirm::Leave { quit: true }) => return Some(vec![Effect::Quit]),
            // The question is answered first; help may be read meanwhile.
            Action::Quit | Action::ToggleHelp => return None,
            _ => return Some(Vec::new()),
        };
        Some(match (self, yes) {
            (Confirm::Recover { .. }, yes) => vec![Effect::Pop, Effect::RecoverDraft(yes)],
            (Confirm::Leave { quit: true }, true) => vec![Effect::Quit],
            (Confirm::Leave { quit: false }, true) => vec![Effect::Pop, Effect::AbandonIntake],
            (Confirm::Leave { .. }, false) => vec![Effect::Pop],
        })
    }
}
