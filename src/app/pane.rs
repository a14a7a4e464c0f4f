//! A pane is one screen or one popup. Every pane answers the same four
//! questions — which key context it offers, what an action does, what a typed
//! key or a paste does — and is drawn by its own function in `ui`. `App` keeps
//! the screens and a stack of popups over them; the topmost pane gets every
//! event first, and what it cannot use falls to `App`'s global keys.

use tui_input::InputRequest;

use super::effect::Effect;
use super::env::Env;
use super::{Action, Screen};

/// The kind of the pane with the keyboard: the keymap's context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneKind {
    Home,
    Intake,
    Queue,
    Search,
    Reminders,
    Reports,
    /// 事项详情, over any screen.
    Detail,
    /// A small form: case actions, reminder calls, queue forms, booking,
    /// the weekly report's hand fields.
    Form,
    /// The intake's choice list, filtered by typing.
    Picker,
    /// A yes/no question (restore a draft, leave unsaved input).
    Confirm,
    /// Taking an earlier petitioner over: the same matter again, or a new one.
    TakeOver,
    /// The reason asked before restricted content or a full ID is shown.
    Reveal,
    /// Saving stopped: the typed ID is stored under another name.
    SamePerson,
    /// The list of reception days.
    DayList,
    /// The shown day's appointments.
    Appointments,
    /// A petitioner's profile, opened from the search results.
    Profile,
    /// 文书: the papers a case allows and has.
    Papers,
    /// A paper's text before it is issued or reprinted.
    Preview,
    Help,
}

impl PaneKind {
    /// Every kind, for the names `[keys]` takes.
    pub const ALL: [PaneKind; 19] = [
        PaneKind::Home,
        PaneKind::Intake,
        PaneKind::Queue,
        PaneKind::Search,
        PaneKind::Reminders,
        PaneKind::Reports,
        PaneKind::Detail,
        PaneKind::Form,
        PaneKind::Picker,
        PaneKind::Confirm,
        PaneKind::TakeOver,
        PaneKind::Reveal,
        PaneKind::SamePerson,
        PaneKind::DayList,
        PaneKind::Appointments,
        PaneKind::Profile,
        PaneKind::Papers,
        PaneKind::Preview,
        PaneKind::Help,
    ];

    /// The tab screens are panes at the bottom of the stack.
    pub fn of_screen(s: Screen) -> PaneKind {
        match s {
            Screen::Home => PaneKind::Home,
            Screen::Intake => PaneKind::Intake,
            Screen::Queue => PaneKind::Queue,
            Screen::Search => PaneKind::Search,
            Screen::Reminders => PaneKind::Reminders,
            Screen::Reports => PaneKind::Reports,
        }
    }

    pub fn is_screen(self) -> bool {
        Screen::ALL.iter().any(|s| PaneKind::of_screen(*s) == self)
    }

    /// Where the global keys (digits to switch tabs, `q`, `?`) work: the
    /// screens and the detail pane, which stands in for a screen.
    pub fn takes_global_keys(self) -> bool {
        self.is_screen() || self == PaneKind::Detail
    }

    /// The pane and the popups it opens, for the help screen.
    pub fn family(self) -> &'static [PaneKind] {
        use PaneKind::*;
        match self {
            Home => &[Home],
            Intake => &[Intake, Picker, Confirm, TakeOver, SamePerson],
            Queue => &[Queue, DayList, Appointments, Form],
            Search => &[Search, Profile, Form],
            Reminders => &[Reminders, Form],
            Reports => &[Reports, Form],
            Detail => &[Detail, Form, Reveal, Papers, Preview],
            Form => &[Form],
            Picker => &[Picker],
            Confirm => &[Confirm],
            TakeOver => &[TakeOver],
            Reveal => &[Reveal],
            SamePerson => &[SamePerson],
            DayList => &[DayList],
            Appointments => &[Appointments, Form],
            Profile => &[Profile, Form],
            Papers => &[Papers, Preview],
            Preview => &[Preview],
            Help => &[Help],
        }
    }
}

/// Where the keyboard is: the pane's kind, and whether a text field in it
/// takes plain keys (then letters and digits type instead of acting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus {
    pub pane: PaneKind,
    pub typing: bool,
}

impl Focus {
    pub fn new(pane: PaneKind, typing: bool) -> Focus {
        Focus { pane, typing }
    }
}

pub trait Pane {
    /// The key context this pane offers.
    fn focus(&self) -> Focus;

    /// An action the keymap found in this pane's context. `None`: not this
    /// pane's (quit, help, another tab …) — `App` handles it.
    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>>;

    /// A key no binding took, for the field that has the keyboard.
    fn on_input(&mut self, _req: InputRequest, _env: &mut Env) -> Vec<Effect> {
        Vec::new()
    }

    /// A paste, whole: it never acts as keys.
    fn on_paste(&mut self, _text: &str, _env: &mut Env) -> Vec<Effect> {
        Vec::new()
    }

    /// Deferred work once every pending event was handled (a search, a draft).
    fn settle(&mut self, _env: &mut Env) -> Vec<Effect> {
        Vec::new()
    }

    /// When the pane has deferred work due even if no key comes (a draft to
    /// write): the event loop wakes then.
    fn wake_at(&self) -> Option<chrono::NaiveDateTime> {
        None
    }

    /// Whether the help bar should offer `action` in the pane's state.
    fn offers(&self, _action: Action) -> bool {
        true
    }

    /// A message for the clerk; `false` when this pane shows none (the pane
    /// beneath is asked next).
    fn tell(&mut self, _text: String, _is_error: bool) -> bool {
        false
    }
}
