//! Application state and its update step: events in, state changes out.
//! No drawing here (see `ui`) and no SQL (see `store`).

mod action;
pub mod keymap;
mod screen;

pub use action::Action;
pub use screen::Screen;

use chrono::NaiveDateTime;
use crossterm::event::{Event, KeyEventKind};

use crate::store::cases::{self, CaseSummary, Counts};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};

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

/// Facts about the session shown in the status bar.
#[derive(Debug, Clone)]
pub struct Session {
    pub office: String,
    pub operator: String,
    pub db_label: String,
    pub demo: bool,
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
    pub session: Session,
    pub clock: Clock,
    pub screen: Screen,
    pub help_open: bool,
    pub home: Home,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// The database's `data_version` at the last load: when another process
    /// commits, it changes, and we reload.
    seen_data_version: i64,
}

impl App {
    pub fn new(store: Store, session: Session, clock: Clock) -> Result<App, StoreError> {
        let reference = ReferenceData::load(store.conn())?;
        let mut app = App {
            store,
            reference,
            session,
            clock,
            screen: Screen::Home,
            help_open: false,
            home: Home::default(),
            notice: None,
            should_quit: false,
            seen_data_version: 0,
        };
        app.reload()?;
        Ok(app)
    }

    fn keymap_context(&self) -> keymap::Context {
        keymap::Context { screen: self.screen, help_open: self.help_open, typing: false }
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
                }
            }
            // A paste never triggers shortcuts; screens with text fields take it.
            Event::Paste(_) => {}
            _ => {}
        }
    }

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.should_quit = true,
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::CloseOverlay => self.help_open = false,
            Action::GoTo(screen) => self.screen = screen,
            Action::NextScreen => self.screen = self.screen.next(),
            Action::PrevScreen => self.screen = self.screen.prev(),
            Action::SelectNext | Action::SelectPrev | Action::SelectFirst | Action::SelectLast => {
                self.home.select(action);
            }
            Action::Refresh => self.reload_or_notify(),
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
