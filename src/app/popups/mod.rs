//! The popups: panes pushed on the focus stack over a screen. Each is one file;
//! a new popup adds its file, a variant here and its keys in the keymap.

pub mod appointments;
pub mod case_action;
pub mod confirm;
pub mod day_list;
pub mod detail;
pub mod help;
pub mod picker;
pub mod profile;
pub mod queue_form;
pub mod reminder_call;
pub mod reveal;
pub mod watch_form;

use super::pane::Pane;

#[derive(Debug)]
pub enum Popup {
    Detail(Box<detail::Detail>),
    CaseAction(case_action::CaseAction),
    Reveal(reveal::RevealPrompt),
    ReminderCall(reminder_call::ReminderCall),
    QueueForm(queue_form::QueueForm),
    DayList(day_list::DayList),
    Appointments(appointments::Appointments),
    WatchForm(watch_form::WatchForm),
    Profile(Box<profile::Profile>),
    Picker(picker::Picker),
    Confirm(confirm::Confirm),
    Help(help::Help),
}

impl Popup {
    pub fn pane(&self) -> &dyn Pane {
        match self {
            Popup::Detail(p) => &**p,
            Popup::CaseAction(p) => p,
            Popup::Reveal(p) => p,
            Popup::ReminderCall(p) => p,
            Popup::QueueForm(p) => p,
            Popup::DayList(p) => p,
            Popup::Appointments(p) => p,
            Popup::WatchForm(p) => p,
            Popup::Profile(p) => &**p,
            Popup::Picker(p) => p,
            Popup::Confirm(p) => p,
            Popup::Help(p) => p,
        }
    }

    pub fn pane_mut(&mut self) -> &mut dyn Pane {
        match self {
            Popup::Detail(p) => &mut **p,
            Popup::CaseAction(p) => p,
            Popup::Reveal(p) => p,
            Popup::ReminderCall(p) => p,
            Popup::QueueForm(p) => p,
            Popup::DayList(p) => p,
            Popup::Appointments(p) => p,
            Popup::WatchForm(p) => p,
            Popup::Profile(p) => &mut **p,
            Popup::Picker(p) => p,
            Popup::Confirm(p) => p,
            Popup::Help(p) => p,
        }
    }
}

/// A key typed into a small form: a refused character is said in the form.
pub(crate) fn form_edit<K: Copy + Eq + std::fmt::Debug>(
    form: &mut super::form::Form<K>,
    req: tui_input::InputRequest,
) -> bool {
    match form.edit(req) {
        super::form::Edited::Refused(why) | super::form::Edited::Cut(why) => {
            form.error = Some(why);
            false
        }
        super::form::Edited::Changed => true,
        _ => false,
    }
}

/// What a key means to a small form popup.
pub(crate) enum FormKey {
    /// Enter or Ctrl-S: save.
    Submit,
    /// Handled here (Esc closes, the rest move between fields and options).
    Done(Vec<super::effect::Effect>),
    /// Not the form's (quit): the global keys decide.
    Pass,
}

/// The keys every small form takes alike.
pub(crate) fn form_key<K: Copy + Eq + std::fmt::Debug>(
    form: &mut super::form::Form<K>,
    action: super::Action,
) -> FormKey {
    use super::Action;
    match action {
        Action::Open | Action::Save => FormKey::Submit,
        Action::Back => FormKey::Done(vec![super::effect::Effect::Pop]),
        Action::Quit => FormKey::Pass,
        other => {
            form.navigate(other);
            FormKey::Done(Vec::new())
        }
    }
}

/// ↑/↓ in a list popup; whether `action` was one of them.
pub(crate) fn step_selection(selected: &mut usize, len: usize, action: super::Action) -> bool {
    use super::Action;
    match action {
        Action::SelectNext => *selected = (*selected + 1).min(len.saturating_sub(1)),
        Action::SelectPrev => *selected = selected.saturating_sub(1),
        _ => return false,
    }
    true
}
