//! Application state and its update step: events in, state changes out.
//! No drawing here (see `ui`) and no SQL (see `store`).

mod action;
pub mod keymap;
mod screen;
pub mod search;

pub use action::Action;
pub use screen::Screen;
pub use search::SearchState;

use chrono::NaiveDateTime;
use crossterm::event::{Event, KeyEventKind};

use crate::domain::calendar::HolidayCalendar;
use crate::store::cases::{self, CaseSummary, Counts};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};

/// Rows moved by PageUp/PageDown.
const PAGE: isize = 10;

/// How many recent cases the home screen lists.
const RECENT_LIMIT: usize = 200;

/// Where "now" comes from: the wall clock, or a fixed instant in tests and
/// snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Facts about the session (shown in the status bar) and the settings views need.
#[derive(Debug, Clone)]
pub struct Session {
    pub office: String,
    pub operator: String,
    pub db_label: String,
    pub demo: bool,
    /// A clock this many days from its end shows as due soon.
    pub due_soon_days: u32,
}

/// The 工作台 (home) screen's state.
#[derive(Debug, Default)]
pub struct Home {
    pub counts: Counts,
    pub recent: Vec<CaseSummary>,
    pub selected: usize,
}

impl Home {
    fn select(&mut self, action: Action) {
        let last = self.recent.len().saturating_sub(1);
        self.selected = match action {
            Action::SelectNext => (self.selected + 1).min(last),
            Action::SelectPrev => self.selected.saturating_sub(1),
            Action::SelectFirst => 0,
            Action::SelectLast => last,
            _ => self.selected,
        };
    }
}

/// A one-line message for the status bar (e.g. a failed refresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    pub store: Store,
    pub reference: ReferenceData,
    pub calendar: HolidayCalendar,
    pub session: Session,
    pub clock: Clock,
    pub screen: Screen,
    pub help_open: bool,
    pub home: Home,
    pub search: SearchState,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// The database's `data_version` at the last load: when another process
    /// commits, it changes, and we reload.
    seen_data_version: i64,
}

impl App {
    pub fn new(store: Store, session: Session, clock: Clock) -> Result<App, StoreError> {
        let reference = ReferenceData::load(store.conn())?;
        let calendar = crate::store::calendar::load(store.conn())?;
        let mut app = App {
            store,
            reference,
            calendar,
            session,
            clock,
            screen: Screen::Home,
            help_open: false,
            home: Home::default(),
            search: SearchState::new(),
            notice: None,
            should_quit: false,
            seen_data_version: 0,
        };
        app.reload()?;
        Ok(app)
    }

    fn keymap_context(&self) -> keymap::Context {
        let on_search = self.screen == Screen::Search;
        let popup = on_search && !self.search.popups.is_empty();
        keymap::Context { screen: self.screen, help_open: self.help_open, typing: on_search && !popup, popup }
    }

    /// A text field has the keyboard (the IME's candidate window follows its cursor).
    pub fn is_typing(&self) -> bool {
        let ctx = self.keymap_context();
        ctx.typing && !ctx.help_open
    }

    /// The bindings the help bar shows right now.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        keymap::bar_hints(self.keymap_context())
    }

    /// Turn a terminal event into state changes.
    pub fn handle_event(&mut self, event: &Event) {
        match event {
            // Key releases and repeats (kitty protocol, Windows) must not act twice.
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                if let Some(action) = keymap::lookup(key, self.keymap_context()) {
                    self.update(action);
                } else if self.is_typing()
                    && let Some(req) = tui_input::backend::crossterm::to_input_request(event)
                {
                    self.search.edit(req);
                }
            }
            // A paste arrives whole and never triggers shortcuts.
            Event::Paste(text) if self.is_typing() => self.search.paste(text),
            _ => {}
        }
    }

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.should_quit = true,
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::CloseOverlay => self.help_open = false,
            Action::GoTo(screen) => self.go_to(screen),
            Action::NextScreen => self.go_to(self.screen.next()),
            Action::PrevScreen => self.go_to(self.screen.prev()),
            Action::SelectNext => self.select(1),
            Action::SelectPrev => self.select(-1),
            Action::PageDown => self.select(PAGE),
            Action::PageUp => self.select(-PAGE),
            Action::SelectFirst | Action::SelectLast => self.home.select(action),
            Action::Open => {
                if let Err(e) = self.search.open_selected(&self.store, &self.calendar) {
                    self.notify_error(&e);
                }
            }
            Action::Back => {
                if !self.search.back() {
                    self.go_to(Screen::Home);
                }
            }
            Action::ToggleOpenOnly => self.search.toggle_open_only(),
            Action::Refresh => self.reload_or_notify(),
        }
    }

    fn go_to(&mut self, screen: Screen) {
        if screen == Screen::Search && self.screen != Screen::Search {
            // Other desks may have registered since: search afresh.
            self.search.dirty = true;
        }
        self.screen = screen;
    }

    fn select(&mut self, delta: isize) {
        match self.screen {
            Screen::Search => self.search.move_selection(delta),
            _ => self.home.select(if delta > 0 { Action::SelectNext } else { Action::SelectPrev }),
        }
    }

    /// Work deferred until every pending event has been handled: the search
    /// runs once per frame, however fast the clerk types.
    pub fn settle(&mut self) {
        if self.screen == Screen::Search
            && let Err(e) = self.search.settle(&self.store, &self.calendar)
        {
            self.notify_error(&e);
        }
    }

    /// Called when no event arrived for a tick: pick up other desks' changes.
    pub fn tick(&mut self) {
        match self.store.data_version() {
            Ok(v) if v != self.seen_data_version => self.reload_or_notify(),
            Ok(_) => {}
            Err(e) => self.notify_error(&e),
        }
    }

    fn reload_or_notify(&mut self) {
        if let Err(e) = self.reload() {
            self.notify_error(&e);
        }
    }

    fn notify_error(&mut self, e: &StoreError) {
        tracing::error!("{e}");
        self.notice = Some(Notice { text: format!("读取数据失败：{e}"), is_error: true });
    }

    fn reload(&mut self) -> Result<(), StoreError> {
        self.seen_data_version = self.store.data_version()?;
        let conn = self.store.conn();
        self.home.counts = cases::counts(conn, self.clock.now().date())?;
        self.home.recent = cases::recent(conn, RECENT_LIMIT)?;
        self.home.selected = self.home.selected.min(self.home.recent.len().saturating_sub(1));
        Ok(())
    }
}
