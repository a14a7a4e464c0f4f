//! Saving stopped: the typed ID is stored under another name. The clerk
//! answers "是同一人" (the name is updated; the reason goes into the person's
//! history) or "证件号输错了" (back to the ID field). Nothing is saved until then.

use tui_input::{Input, InputRequest};

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::edit_input;
use crate::app::pane::{Focus, Pane, PaneKind};

/// The two answers, in the order shown.
pub const CHOICES: [&str; 2] = ["是同一人（更新姓名，记录原因）", "证件号输错了"];

#[derive(Debug, Clone)]
pub struct SamePerson {
    pub row: usize,
    /// The ID, masked.
    pub id: String,
    pub stored_name: String,
    pub typed_name: String,
    /// 0: the same person; 1: the ID was mistyped.
    pub choice: usize,
    pub reason: Input,
    pub message: Option<String>,
}

impl SamePerson {
    pub fn new(row: usize, id: String, stored_name: String, typed_name: String) -> SamePerson {
        SamePerson { row, id, stored_name, typed_name, choice: 0, reason: Input::default(), message: None }
    }

    fn answer(&mut self) -> Vec<Effect> {
        if self.choice == 1 {
            return vec![Effect::Pop, Effect::SamePerson { row: self.row, reason: None }];
        }
        let reason = self.reason.value().trim().to_string();
        if reason.is_empty() {
            self.message = Some(crate::app::strings::intake::GIVE_SAME_PERSON_REASON.into());
            return Vec::new();
        }
        vec![Effect::Pop, Effect::SamePerson { row: self.row, reason: Some(reason) }]
    }
}

impl Pane for SamePerson {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::SamePerson, self.choice == 0)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        Some(match action {
            Action::SelectNext | Action::SelectPrev => {
                self.choice = 1 - self.choice;
                self.message = None;
                Vec::new()
            }
            Action::Open | Action::Save => self.answer(),
            Action::Back => vec![Effect::Pop],
            Action::Quit => return None,
            _ => Vec::new(),
        })
    }

    fn on_input(&mut self, req: InputRequest, _env: &mut Env) -> Vec<Effect> {
        if self.choice == 0 {
            edit_input(&mut self.reason, req);
            self.message = None;
        }
        Vec::new()
    }

    fn on_paste(&mut self, text: &str, _env: &mut Env) -> Vec<Effect> {
        if self.choice == 0 {
            for c in crate::text::pasted(text, false).chars() {
                edit_input(&mut self.reason, InputRequest::InsertChar(c));
            }
        }
        Vec::new()
    }
}
