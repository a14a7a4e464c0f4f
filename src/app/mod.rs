//! Application state and its update step: events in, state changes out.
//! No drawing here (see `ui`) and no SQL (see `store`).
//!
//! The event path: a terminal event goes to the topmost pane of the focus
//! stack (the popups over the current tab screen; the screen itself when
//! none is open). The keymap is asked in that pane's context; the pane turns
//! the action, typed key or paste into state changes and `Effect`s; what it
//! leaves (quit, help, another tab) falls to the global keys here. Effects are
//! handled in one place, `App::apply`.

mod action;
pub mod background;
pub mod effect;
pub mod env;
pub mod form;
pub mod gate;
pub mod keymap;
pub mod loader;
mod lock;
pub mod opening;
pub mod pane;
mod permits;
pub mod popups;
mod refresh;
mod screen;
pub mod screens;
pub mod standing;
pub mod strings;

pub use action::Action;
pub use effect::Effect;
pub use env::{Clock, Env, Session};
pub use screen::Screen;
pub use screens::home::HomeRow;
pub use screens::{intake, reports, search};

use std::collections::VecDeque;

use crossterm::event::{Event, KeyEventKind};

use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};
use pane::{Focus, Pane, PaneKind};
use popups::Popup;
use popups::confirm::Confirm;
use popups::detail::Detail;
use popups::help::Help;
use popups::reminder_call::ReminderCall;
use screens::Screens;

/// Rows moved by PageUp/PageDown.
pub const PAGE: isize = 10;

/// A one-line message for the status bar (e.g. a failed refresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    env: Env,
    screens: Screens,
    screen: Screen,
    /// The popups over the screen, topmost last.
    stack: Vec<Popup>,
    notice: Option<Notice>,
    should_quit: bool,
    /// The database's `data_version` at the last load: when another process
    /// commits, it changes, and we reload.
    seen_data_version: i64,
    /// Locked (idle or `Ctrl-L`): the gate hides everything (see `lock`).
    gate: Option<gate::Gate>,
    /// Someone else signed in at the lock screen: their desk comes next.
    next_account: Option<crate::store::accounts::Account>,
    last_key: std::time::Instant,
    /// A case or profile being read on a worker, pushed when it is in.
    opening: opening::Opening,
}

impl App {
    pub fn new(store: Store, session: Session, clock: Clock) -> Result<App, StoreError> {
        let reference = ReferenceData::load(store.conn())?;
        let calendar = crate::store::calendar::load(store.conn())?;
        let now = clock.now();
        let screens = Screens {
            home: Default::default(),
            intake: intake::IntakeForm::new(now, &session.phone_area),
            queue: Default::default(),
            search: search::SearchState::new(),
            reminders: Default::default(),
            reports: Default::default(),
        };
        let env = Env { store, reference, calendar, session, clock };
        let mut app = App {
            env,
            screens,
            screen: Screen::Home,
            stack: Vec::new(),
            notice: None,
            should_quit: false,
            seen_data_version: 0,
            gate: None,
            next_account: None,
            last_key: std::time::Instant::now(),
            opening: Default::default(),
        };
        app.reload()?;
        if let Some(ask) = app.screens.intake.offer_draft(&app.env)? {
            app.screen = Screen::Intake;
            app.stack.push(Popup::Confirm(ask));
        }
        Ok(app)
    }

    // --- what the views and tests read ---

    pub fn env(&self) -> &Env {
        &self.env
    }

    pub fn store(&self) -> &Store {
        &self.env.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.env.store
    }

    pub fn session(&self) -> &Session {
        &self.env.session
    }

    pub fn reference(&self) -> &ReferenceData {
        &self.env.reference
    }

    pub fn calendar(&self) -> &crate::domain::calendar::HolidayCalendar {
        &self.env.calendar
    }

    pub fn clock(&self) -> Clock {
        self.env.clock
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.env.clock = clock;
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn screens(&self) -> &Screens {
        &self.screens
    }

    pub fn home(&self) -> &screens::home::Home {
        &self.screens.home
    }

    pub fn intake(&self) -> &intake::IntakeForm {
        &self.screens.intake
    }

    pub fn queue(&self) -> &screens::queue::QueueState {
        &self.screens.queue
    }

    pub fn search(&self) -> &search::SearchState {
        &self.screens.search
    }

    pub fn search_mut(&mut self) -> &mut search::SearchState {
        &mut self.screens.search
    }

    pub fn reminders(&self) -> &screens::reminders::RemindersState {
        &self.screens.reminders
    }

    pub fn reports(&self) -> &reports::ReportsState {
        &self.screens.reports
    }

    pub fn reports_mut(&mut self) -> &mut reports::ReportsState {
        &mut self.screens.reports
    }

    /// The popups over the screen, bottom first.
    pub fn stack(&self) -> &[Popup] {
        &self.stack
    }

    pub fn top(&self) -> Option<&Popup> {
        self.stack.last()
    }

    /// The topmost popup `pick` accepts.
    pub fn find<'a, T>(&'a self, pick: impl Fn(&'a Popup) -> Option<&'a T>) -> Option<&'a T> {
        self.stack.iter().rev().find_map(pick)
    }

    /// The case open in a detail pane (the topmost one).
    pub fn detail(&self) -> Option<&Detail> {
        self.find(|p| if let Popup::Detail(d) = p { Some(&**d) } else { None })
    }

    pub fn queue_form(&self) -> Option<&popups::queue_form::QueueForm> {
        self.find(|p| if let Popup::QueueForm(f) = p { Some(f) } else { None })
    }

    pub fn reminder_form(&self) -> Option<&ReminderCall> {
        self.find(|p| if let Popup::ReminderCall(f) = p { Some(f) } else { None })
    }

    pub fn case_action(&self) -> Option<&popups::case_action::CaseAction> {
        self.find(|p| if let Popup::CaseAction(f) = p { Some(f) } else { None })
    }

    pub fn approval(&self) -> Option<&popups::approval::ApprovalForm> {
        self.find(|p| if let Popup::Approval(f) = p { Some(f) } else { None })
    }

    pub fn watch_form(&self) -> Option<&popups::watch_form::WatchForm> {
        self.find(|p| if let Popup::WatchForm(f) = p { Some(f) } else { None })
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.find(|p| if let Popup::Confirm(c) = p { Some(c) } else { None })
    }

    pub fn person_form(&self) -> Option<&popups::person_form::PersonForm> {
        self.find(|p| if let Popup::PersonForm(f) = p { Some(&**f) } else { None })
    }

    pub fn same_person(&self) -> Option<&popups::same_person::SamePerson> {
        self.find(|p| if let Popup::SamePerson(s) = p { Some(s) } else { None })
    }

    pub fn picker(&self) -> Option<&popups::picker::Picker> {
        self.find(|p| if let Popup::Picker(k) = p { Some(k) } else { None })
    }

    pub fn profile(&self) -> Option<&popups::profile::Profile> {
        self.find(|p| if let Popup::Profile(pr) = p { Some(&**pr) } else { None })
    }

    pub fn appointments(&self) -> Option<&popups::appointments::Appointments> {
        self.find(|p| if let Popup::Appointments(a) = p { Some(a) } else { None })
    }

    pub fn reveal(&self) -> Option<&popups::reveal::RevealPrompt> {
        self.find(|p| if let Popup::Reveal(r) = p { Some(r) } else { None })
    }

    /// Open a case in the detail pane, as Enter on a list does, and wait
    /// until its worker has read it (tests and benchmarks: a key never waits).
    pub fn open_case(&mut self, case_id: i64) {
        self.apply(vec![Effect::OpenCase(case_id)]);
        self.finish_loads();
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    pub fn help_open(&self) -> bool {
        matches!(self.top(), Some(Popup::Help(_)))
    }

    /// The pane with the keyboard.
    fn top_pane(&self) -> &dyn Pane {
        match self.stack.last() {
            Some(p) => p.pane(),
            None => self.screens.pane(self.screen),
        }
    }

    pub fn focus(&self) -> Focus {
        self.top_pane().focus()
    }

    /// A text field has the keyboard (the IME's candidate window follows its cursor).
    pub fn is_typing(&self) -> bool {
        self.focus().typing
    }

    /// Whether `screen` itself has the keyboard (no popup over it).
    pub fn screen_has_focus(&self, screen: Screen) -> bool {
        self.stack.is_empty() && self.screen == screen
    }

    /// The bindings the help bar shows right now.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        let pane = self.top_pane();
        self.env.session.keymap.bar_hints(pane.focus(), |a| pane.offers(a) && self.permits(a))
    }

    // --- the event path ---

    /// Turn a terminal event into state changes.
    pub fn handle_event(&mut self, event: &Event) {
        if self.gate.is_some() {
            return self.gate_event(event);
        }
        if matches!(event, Event::Key(_) | Event::Paste(_)) {
            self.last_key = std::time::Instant::now();
        }
        let effects = match event {
            // Key releases and repeats (kitty protocol, Windows) must not act twice.
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                match self.env.session.keymap.lookup(key, self.focus()) {
                    Some(action) => return self.update(action),
                    None => match tui_input::backend::crossterm::to_input_request(event) {
                        Some(req) if self.is_typing() => self.with_top(|pane, env| pane.on_input(req, env)),
                        _ => Vec::new(),
                    },
                }
            }
            // A paste arrives whole and never triggers shortcuts.
            Event::Paste(text) if self.is_typing() => self.with_top(|pane, env| pane.on_paste(text, env)),
            _ => Vec::new(),
        };
        self.apply(effects);
    }

    /// An action: the topmost pane first, then the global keys.
    pub fn update(&mut self, action: Action) {
        if self.refuse(action) {
            return;
        }
        let handled = self.with_top(|pane, env| pane.on_action(action, env));
        match handled {
            Some(effects) => self.apply(effects),
            None => self.global(action),
        }
    }

    fn with_top<R>(&mut self, f: impl FnOnce(&mut dyn Pane, &mut Env) -> R) -> R {
        let pane = match self.stack.last_mut() {
            Some(p) => p.pane_mut(),
            None => self.screens.pane_mut(self.screen),
        };
        f(pane, &mut self.env)
    }

    /// The keys no pane took.
    fn global(&mut self, action: Action) {
        match action {
            Action::Quit if self.screens.intake.has_unsaved_input() => {
                // Ask first, on top of whatever shows; the draft is kept either way.
                if self.stack.is_empty() {
                    self.screen = Screen::Intake;
                }
                self.stack.push(Popup::Confirm(Confirm::Leave { quit: true }));
            }
            Action::Quit => self.should_quit = true,
            Action::ToggleHelp => {
                let over = self.focus().pane;
                let notes = if over == PaneKind::Queue { self.env.session.queue_rules.describe() } else { Vec::new() };
                self.stack.push(Popup::Help(Help { over, notes }));
            }
            Action::GoTo(screen) => self.go_to(screen),
            Action::LockNow => self.lock(),
            Action::NextScreen => self.go_to(self.screen.next()),
            Action::PrevScreen => self.go_to(self.screen.prev()),
            _ => {}
        }
    }

    /// Handle effects, and those they lead to, in order.
    pub fn apply(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut told: Option<(String, bool)> = None;
        while let Some(effect) = queue.pop_front() {
            let more = self.apply_one(effect, &mut told);
            for e in more.into_iter().rev() {
                queue.push_front(e);
            }
        }
        // A message goes to the pane the clerk sees now (or the nearest beneath that shows one).
        if let Some((text, is_error)) = told {
            self.tell(text, is_error);
        }
    }

    fn apply_one(&mut self, effect: Effect, told: &mut Option<(String, bool)>) -> Vec<Effect> {
        match effect {
            Effect::Push(p) => self.stack.push(p),
            Effect::Pop => {
                if let Some(Popup::Detail(_)) = self.stack.pop() {
                    // The case may have moved on: the search runs afresh.
                    self.screens.search.dirty = true;
                }
            }
            Effect::ReloadReminders => self.reload_reminders(),
            Effect::OpenCase(id) => return self.open(opening::Target::Case(id)),
            Effect::OpenProfile(id) => return self.open(opening::Target::Person(id)),
            Effect::OpenReminder { case_id, failed } => {
                let reason = self.screens.reminders.due_for(case_id).and_then(|d| d.reasons.first().cloned());
                match ReminderCall::open(&self.env, case_id, reason.as_ref(), failed) {
                    Ok(f) => self.stack.push(Popup::ReminderCall(f)),
                    Err(e) => return vec![Effect::Failed(e)],
                }
            }
            Effect::CheckIn(case_id) => {
                self.notice = Some(match screens::queue::take_number(&mut self.env, case_id) {
                    Ok(t) => Notice { text: strings::app::checked_in(&t.number), is_error: false },
                    Err(e) => Notice { text: e.to_string(), is_error: true },
                });
                return vec![Effect::Reload];
            }
            Effect::TakeNumber { case_id, case_number } => {
                let said = match screens::queue::take_number(&mut self.env, case_id) {
                    Ok(t) => (strings::app::registered_and_numbered(&case_number, &t.number), false),
                    Err(e) => (strings::app::registered_not_numbered(&case_number, &e.to_string()), true),
                };
                self.screens.intake.message = Some(said);
                return vec![Effect::Reload];
            }
            Effect::Tell(text, is_error) => *told = Some((text, is_error)),
            Effect::Notice(text) => self.notice = Some(Notice { text, is_error: false }),
            Effect::Failed(e) => self.notify_error(&e),
            Effect::Reload => self.reload_or_notify(),
            Effect::CaseChanged(id) => {
                for p in &mut self.stack {
                    if let Popup::Detail(d) = p
                        && d.case_id == id
                    {
                        d.scroll = 0;
                    }
                }
                self.reload_or_notify();
            }
            Effect::Quit => self.should_quit = true,
            Effect::GoTo(screen) => self.go_to(screen),
            Effect::Picked(key, option) => self.screens.intake.pick(key, &option),
            Effect::TakeOver { same_matter } => {
                if let Err(e) = self.screens.intake.take_over(&self.env, same_matter) {
                    return vec![Effect::Failed(e)];
                }
            }
            Effect::SamePerson { row, reason } => {
                return self.screens.intake.answer_same_person(row, reason, &mut self.env);
            }
            Effect::RecoverDraft(yes) => match self.screens.intake.recover(yes, &mut self.env) {
                Ok(Some(next)) => return vec![Effect::Push(Popup::Confirm(next))],
                Ok(None) => {}
                Err(e) => return vec![Effect::Failed(e)],
            },
            Effect::AbandonIntake => {
                let more = self.screens.intake.abandon(&mut self.env);
                self.screen = Screen::Home;
                return more;
            }
            Effect::ShowDay(id) => {
                self.screens.queue.show_day(id);
                self.reload_queue();
            }
            Effect::QueueChanged { pin_day } => {
                if let Some(id) = pin_day {
                    self.screens.queue.pinned_day = Some(id);
                }
                for p in &mut self.stack {
                    if let Popup::Appointments(a) = p
                        && let Err(e) = a.reload(&self.env)
                    {
                        return vec![Effect::Failed(e)];
                    }
                }
                self.reload_queue();
            }
            Effect::Revealed(what) => {
                if let Some(Popup::Detail(d)) = self.stack.iter_mut().rev().find(|p| matches!(p, Popup::Detail(_))) {
                    d.revealed(what);
                }
            }
            Effect::ReportEdited => {
                self.screens.reports.start(&self.env);
                return vec![Effect::Tell(strings::app::REPORT_SAVED.into(), false)];
            }
        }
        Vec::new()
    }

    /// Start reading a case or a profile; `take_loads` pushes it when it is in.
    fn open(&mut self, target: opening::Target) -> Vec<Effect> {
        match self.opening.start(&self.env, target) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Effect::Failed(e)],
        }
    }

    /// A message for the topmost pane that shows messages.
    fn tell(&mut self, text: String, is_error: bool) {
        for p in self.stack.iter_mut().rev() {
            if p.pane_mut().tell(text.clone(), is_error) {
                return;
            }
        }
        if !self.screens.pane_mut(self.screen).tell(text.clone(), is_error) {
            self.notice = Some(Notice { text, is_error });
        }
    }

    /// Another tab: the popups over this one close.
    fn go_to(&mut self, screen: Screen) {
        self.stack.clear();
        if screen == Screen::Search && self.screen != Screen::Search {
            // Other desks may have registered since: search afresh.
            self.screens.search.dirty = true;
        }
        self.screen = screen;
        match screen {
            Screen::Reminders => self.reload_reminders(),
            Screen::Queue => self.reload_queue(),
            Screen::Reports => self.screens.reports.show(&self.env),
            _ => {}
        }
    }

    fn reload_reminders(&mut self) {
        if let Err(e) = self.screens.reminders.reload(&self.env) {
            self.notify_error(&e);
        }
    }

    fn reload_queue(&mut self) {
        if let Err(e) = self.screens.queue.reload(&self.env) {
            self.notify_error(&e);
        }
    }

    /// Work deferred until every pending event has been handled: the search
    /// runs once per frame, however fast the clerk types.
    pub fn settle(&mut self) {
        self.take_loads();
        let mut effects = self.screens.pane_mut(self.screen).settle(&mut self.env);
        if self.screen != Screen::Intake {
            // Unsaved typing reaches its draft whichever tab is shown.
            effects.extend(self.screens.intake.settle(&mut self.env));
        }
        for p in &mut self.stack {
            effects.extend(p.pane_mut().settle(&mut self.env));
        }
        self.apply(effects);
    }

    /// How long the event loop may wait before a pane's deferred work is due
    /// (the intake's draft within half a second of the last key).
    pub fn wake_in(&self) -> Option<std::time::Duration> {
        let now = self.env.now();
        let screens = Screen::ALL.iter().map(|s| self.screens.pane(*s));
        let at = screens.chain(self.stack.iter().map(Popup::pane)).filter_map(|p| p.wake_at()).min()?;
        Some((at - now).to_std().unwrap_or_default())
    }
}
