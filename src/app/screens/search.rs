//! 查询: the query box and the ranked results; a petitioner opens their
//! profile (a popup), a case the detail pane.
//!
//! Typing only marks the query dirty; the query runs once in `settle`, after
//! the event loop has drained every pending key, so fast typing costs one
//! query per frame, not one per key.

use tui_input::{Input, InputRequest};

use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::form::edit_input;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::{Action, PAGE};
use crate::domain::query;
use crate::store::StoreError;
use crate::store::search::{self, Hit, Results};

/// Rows per probe kind.
pub const RESULT_LIMIT: usize = 50;

#[derive(Debug, Default)]
pub struct SearchState {
    pub input: Input,
    pub open_only: bool,
    pub results: Results,
    pub selected: usize,
    /// The query changed since the last search.
    pub dirty: bool,
    /// The highlight words of the query the results belong to.
    pub terms: Vec<String>,
}

impl SearchState {
    pub fn new() -> SearchState {
        SearchState { dirty: true, ..SearchState::default() }
    }

    pub fn clear(&mut self) {
        self.input.reset();
        self.dirty = true;
    }

    fn run(&mut self, env: &Env) -> Result<(), StoreError> {
        let (conn, today, rules) = (env.store.conn(), env.today(), &env.session.warning_rules);
        let q = query::parse(self.input.value(), self.open_only);
        self.terms = q.highlight_terms();
        self.results = search::page(conn, &env.reference, &q, RESULT_LIMIT, &env.calendar, today, rules)?;
        self.selected = 0;
        Ok(())
    }

    fn move_selection(&mut self, delta: isize) {
        let len = self.results.hits.len();
        self.selected = if len == 0 { 0 } else { self.selected.saturating_add_signed(delta).min(len - 1) };
    }

    /// Enter: a petitioner opens their profile, a case the detail pane.
    fn open_selected(&self) -> Vec<Effect> {
        match self.results.hits.get(self.selected) {
            Some(Hit::Petitioner(p)) => vec![Effect::OpenProfile(p.id)],
            Some(Hit::Case(c)) => vec![Effect::OpenCase(c.id)],
            None => Vec::new(),
        }
    }
}

impl Pane for SearchState {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Search, true)
    }

    fn on_action(&mut self, action: Action, _env: &mut Env) -> Option<Vec<Effect>> {
        let delta = match action {
            Action::SelectNext => 1,
            Action::SelectPrev => -1,
            Action::PageDown => PAGE,
            Action::PageUp => -PAGE,
            Action::Open => return Some(self.open_selected()),
            Action::ToggleOpenOnly => {
                self.open_only = !self.open_only;
                self.dirty = true;
                return Some(Vec::new());
            }
            // Esc clears the query; on an empty one it leaves the screen.
            Action::Back if !self.input.value().is_empty() => {
                self.clear();
                return Some(Vec::new());
            }
            Action::Back => return Some(vec![Effect::GoTo(crate::app::Screen::Home)]),
            _ => return None,
        };
        self.move_selection(delta);
        Some(Vec::new())
    }

    fn on_input(&mut self, req: InputRequest, _env: &mut Env) -> Vec<Effect> {
        if edit_input(&mut self.input, req).is_some_and(|r| r.value) {
            self.dirty = true;
        }
        Vec::new()
    }

    /// A paste arrives whole: line breaks become spaces, escape sequences and
    /// control characters go.
    fn on_paste(&mut self, text: &str, _env: &mut Env) -> Vec<Effect> {
        for c in crate::text::pasted(text, false).chars() {
            edit_input(&mut self.input, InputRequest::InsertChar(c));
        }
        self.dirty = true;
        Vec::new()
    }

    fn settle(&mut self, env: &mut Env) -> Vec<Effect> {
        if !self.dirty {
            return Vec::new();
        }
        self.dirty = false;
        or_failed(self.run(env).map(|()| Vec::new()))
    }
}
