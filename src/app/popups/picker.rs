//! The intake's choice list: typing filters it by Chinese text or pinyin
//! initials, ↑↓ choose, Enter takes the option into the field.

use tui_input::{Input, InputRequest};

use crate::app::Action;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Opt, choice, edit_input};
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::screens::intake::Key;

#[derive(Debug, Clone)]
pub struct Picker {
    /// The intake field the choice is for.
    pub key: Key,
    pub filter: Input,
    pub options: Vec<Opt>,
    /// Indexes into `options` that pass the filter, best first.
    pub shown: Vec<usize>,
    pub selected: usize,
}

impl Picker {
    pub fn new(key: Key, options: Vec<Opt>, first: Option<char>) -> Picker {
        let mut p = Picker {
            key,
            filter: Input::new(first.map(String::from).unwrap_or_default()),
            options,
            shown: Vec::new(),
            selected: 0,
        };
        p.refilter();
        p
    }

    fn refilter(&mut self) {
        self.shown = choice::filter(&self.options, self.filter.value());
        self.selected = 0;
    }

    pub fn chosen(&self) -> Option<&Opt> {
        self.shown.get(self.selected).map(|i| &self.options[*i])
    }
}

impl Pane for Picker {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Picker, true)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        if super::step_selection(&mut self.selected, self.shown.len(), action) {
            return Some(Vec::new());
        }
        Some(match action {
            Action::Open => match self.chosen() {
                Some(o) => vec![Effect::Pop, Effect::Picked(self.key, o.clone())],
                None => Vec::new(),
            },
            Action::Back => vec![Effect::Pop],
            // Quitting and another tab are the global keys' (the popup closes with the tab).
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => Vec::new(),
        })
    }

    fn on_input(&mut self, req: InputRequest, _env: &mut Env) -> Vec<Effect> {
        if edit_input(&mut self.filter, req).is_some_and(|r| r.value) {
            self.refilter();
        }
        Vec::new()
    }

    fn on_paste(&mut self, text: &str, _env: &mut Env) -> Vec<Effect> {
        for c in crate::text::pasted(text, false).chars() {
            edit_input(&mut self.filter, InputRequest::InsertChar(c));
        }
        self.refilter();
        Vec::new()
    }
}
