//! 查询: the query box and the ranked results; a petitioner opens their
//! profile (a popup), a case the detail pane.
//!
//! Typing only marks the query dirty; the query is asked for once in
//! `settle`, after the event loop has drained every pending key, so fast
//! typing costs one query per frame, not one per key. It runs on a standing
//! worker with its own connection: the frame waits a few milliseconds for
//! it (most answers are in by then, and land with the key that asked), and
//! a slower one arrives on a later frame while the typed text is shown.

use std::time::Duration;

use rusqlite::Connection;
use tui_input::{Input, InputRequest};

use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::form::edit_input;
use crate::app::opening::ReadContext;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::standing::Standing;
use crate::app::{Action, PAGE};
use crate::domain::query::{self, SearchQuery};
use crate::store::StoreError;
use crate::store::search::{self, Hit, Results};

/// Rows per probe kind.
pub const RESULT_LIMIT: usize = 50;
/// How long a frame waits for the search it asked for: well within a frame,
/// so a key is drawn at once even when the answer is slow.
const SAME_FRAME: Duration = Duration::from_millis(6);
/// How long Enter waits for the answer to the query as typed: it opens a
/// row of that answer, never one left from the query before.
const ENTER_PATIENCE: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct SearchState {
    pub input: Input,
    pub open_only: bool,
    pub results: Results,
    pub selected: usize,
    /// The query changed since the last search.
    pub dirty: bool,
    /// The highlight words of the query the results belong to.
    pub terms: Vec<String>,
    /// Those of the query asked for, taken with its answer.
    asked_terms: Vec<String>,
    worker: Standing<Results>,
    /// What the worker runs for a query (a slower one in tests).
    read: ReadPage,
}

type ReadPage = fn(&Connection, &ReadContext, &SearchQuery) -> Result<Results, StoreError>;

/// The search page's whole answer to `q`.
fn read_page(conn: &Connection, cx: &ReadContext, q: &SearchQuery) -> Result<Results, StoreError> {
    search::page(conn, &cx.reference, q, RESULT_LIMIT, cx.today, &cx.warning_rules)
}

impl Default for SearchState {
    fn default() -> Self {
        SearchState::new()
    }
}

impl SearchState {
    pub fn new() -> SearchState {
        SearchState {
            input: Input::default(),
            open_only: false,
            results: Results::default(),
            selected: 0,
            dirty: true,
            terms: Vec::new(),
            asked_terms: Vec::new(),
            worker: Standing::new("查询"),
            read: read_page,
        }
    }

    pub fn clear(&mut self) {
        self.input.reset();
        self.dirty = true;
    }

    /// Ask the worker for the query as it stands, and take its answer if
    /// it comes within [`SAME_FRAME`].
    fn ask(&mut self, env: &Env) -> Result<(), StoreError> {
        let q = query::parse(self.input.value(), self.open_only);
        self.asked_terms = q.highlight_terms();
        let (cx, read) = (ReadContext::of(env), self.read);
        self.worker.ask(&env.store, move |conn| read(conn, &cx, &q))?;
        self.take(|w| w.wait_for(SAME_FRAME)).map_or(Ok(()), Err)
    }

    /// The answer, once in (an error, if the search failed).
    fn take(
        &mut self,
        get: impl FnOnce(&mut Standing<Results>) -> Option<Result<Results, StoreError>>,
    ) -> Option<StoreError> {
        match get(&mut self.worker)? {
            Ok(results) => {
                self.results = results;
                self.terms = std::mem::take(&mut self.asked_terms);
                self.selected = 0;
                None
            }
            Err(e) => Some(e),
        }
    }

    /// Take the answer if the worker has sent it.
    pub fn poll(&mut self) -> Option<StoreError> {
        self.take(Standing::poll)
    }

    /// Block until the search asked for is answered (tests and benchmarks).
    pub fn wait(&mut self) -> Option<StoreError> {
        self.take(Standing::wait)
    }

    /// A search is running and its answer is not shown yet.
    pub fn busy(&self) -> bool {
        self.worker.busy()
    }

    fn move_selection(&mut self, delta: isize) {
        let len = self.results.hits.len();
        self.selected = if len == 0 { 0 } else { self.selected.saturating_add_signed(delta).min(len - 1) };
    }

    /// Enter on a query typed a moment ago: its answer first (asked for
    /// now if the keys came in the same burst), then the selected row.
    fn open_when_answered(&mut self, env: &Env) -> Vec<Effect> {
        if self.dirty {
            self.dirty = false;
            if let Err(e) = self.ask(env) {
                return vec![Effect::Failed(e)];
            }
        }
        if let Some(e) = self.take(|w| w.wait_for(ENTER_PATIENCE)) {
            return vec![Effect::Failed(e)];
        }
        if self.busy() {
            return vec![Effect::Tell(crate::app::strings::app::SEARCH_STILL_RUNNING.into(), true)];
        }
        self.open_selected()
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

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let delta = match action {
            Action::SelectNext => 1,
            Action::SelectPrev => -1,
            Action::PageDown => PAGE,
            Action::PageUp => -PAGE,
            Action::Open => return Some(self.open_when_answered(env)),
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
        or_failed(self.ask(env).map(|()| Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::{Clock, Session};
    use crate::store::Store;

    fn env() -> (tempfile::TempDir, Env) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
        crate::store::demo::load_if_empty(&mut store, "410803", at).unwrap();
        let reference = crate::store::reference::ReferenceData::load(store.conn()).unwrap();
        let calendar = crate::domain::calendar::builtin();
        (dir, Env { store, reference, calendar, session: Session::default(), clock: Clock::Fixed(at) })
    }

    fn slow_page(conn: &Connection, cx: &ReadContext, q: &SearchQuery) -> Result<Results, StoreError> {
        std::thread::sleep(Duration::from_millis(400));
        read_page(conn, cx, q)
    }

    /// A search whose reads take 400 ms, showing its first answer (the latest cases).
    fn slow_search(env: &mut Env) -> SearchState {
        let mut s = SearchState { read: slow_page, ..SearchState::new() };
        s.settle(env);
        assert!(s.wait().is_none());
        s
    }

    fn type_in(s: &mut SearchState, text: &str, env: &mut Env) {
        for c in text.chars() {
            s.on_input(InputRequest::InsertChar(c), env);
        }
    }

    /// Enter pressed while the answer to what was typed is still coming
    /// opens a row of that answer, not the row shown from before.
    #[test]
    fn enter_waits_for_the_answer_to_what_was_typed() {
        let (_dir, mut env) = env();
        let mut s = slow_search(&mut env);
        let (id, name): (i64, String) = env
            .store
            .conn()
            .query_row("SELECT id, name FROM petitioners ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        type_in(&mut s, &name, &mut env);
        // The keys and Enter in one burst: no frame asked for the query yet.
        let effects = s.on_action(Action::Open, &mut env).unwrap();
        let opened = effects.iter().find_map(|e| if let Effect::OpenProfile(p) = e { Some(*p) } else { None });
        assert_eq!(opened, Some(id), "{effects:?}");
    }

    /// The answer for what was typed comes (in the frame of the key on a
    /// machine that answers within `SAME_FRAME`, a frame later otherwise).
    #[test]
    fn the_answer_for_what_was_typed_comes() {
        let (_dir, mut env) = env();
        let mut s = SearchState::new();
        let name: String =
            env.store.conn().query_row("SELECT name FROM petitioners LIMIT 1", [], |r| r.get(0)).unwrap();
        type_in(&mut s, &name, &mut env);
        assert!(s.settle(&mut env).is_empty());
        if s.busy() {
            // A machine too loaded to answer within the frame: the answer still comes.
            assert!(s.wait().is_none());
        }
        assert!(s.results.hits.iter().any(|h| matches!(h, Hit::Petitioner(p) if p.name == name)));
    }

    /// A slow search does not hold the key: `settle` returns with the
    /// typed text and the previous rows, the answer is taken on a later
    /// frame, and an answer overtaken by newer typing is never shown.
    #[test]
    fn a_slow_search_does_not_hold_the_key() {
        let (_dir, mut env) = env();
        let mut s = slow_search(&mut env);
        let latest = s.results.clone();
        assert!(!latest.hits.is_empty(), "the latest cases");
        type_in(&mut s, "物业", &mut env);
        s.settle(&mut env);
        assert!(s.busy(), "the frame waited for the whole search");
        assert_eq!(s.results, latest, "the previous rows stay until the answer is in");
        assert!(s.poll().is_none() && s.busy());
        type_in(&mut s, "费", &mut env);
        s.settle(&mut env);
        assert!(s.wait().is_none());
        let newest = query::parse("物业费", false).highlight_terms();
        assert_eq!(s.terms, newest, "the newest query's answer is shown");
        assert!(!s.busy());
        assert!(s.results.hits.iter().all(|h| matches!(h, Hit::Case(_))));
    }
}
