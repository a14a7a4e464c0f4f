//! Ctrl-T on the intake: take the selected earlier petitioner over, either as
//! the same matter again (重件: the earlier case's category, purpose, place,
//! respondent and title copied) or as a new matter (the person only).

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeOver {
    /// Who is taken over (masked).
    pub person: String,
    /// The earlier case a same-matter visit repeats: number and title.
    pub case: Option<(String, String)>,
}

impl Pane for TakeOver {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::TakeOver, false)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        Some(match action {
            Action::Open if self.case.is_some() => vec![Effect::Pop, Effect::TakeOver { same_matter: true }],
            Action::Open | Action::NewMatter => vec![Effect::Pop, Effect::TakeOver { same_matter: false }],
            Action::Back => vec![Effect::Pop],
            Action::Quit => return None,
            _ => Vec::new(),
        })
    }
}
