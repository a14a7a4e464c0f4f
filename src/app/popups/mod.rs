//! The popups: panes pushed on the focus stack over a screen. Each is one file;
//! a new popup adds its file, a variant here and its keys in the keymap.

pub mod appointments;
pub mod approval;
pub mod case_action;
pub mod confirm;
pub mod day_list;
pub mod detail;
pub mod help;
pub mod holiday_form;
pub mod papers;
pub mod person_form;
pub mod picker;
pub mod profile;
pub mod queue_form;
pub mod reminder_call;
pub mod reveal;
pub mod same_person;
pub mod take_over;
pub mod watch_form;

use super::Action;
use super::effect::Effect;
use super::env::Env;
use super::form::Form;
use super::pane::{Focus, Pane, PaneKind};
use crate::store::StoreError;

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
    TakeOver(take_over::TakeOver),
    SamePerson(same_person::SamePerson),
    PersonForm(Box<person_form::PersonForm>),
    HolidayForm(Box<holiday_form::HolidayForm>),
    Approval(approval::ApprovalForm),
    Papers(Box<papers::PaperList>),
    PaperPreview(Box<papers::PaperPreview>),
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
            Popup::TakeOver(p) => p,
            Popup::SamePerson(p) => p,
            Popup::PersonForm(p) => &**p,
            Popup::HolidayForm(p) => &**p,
            Popup::Approval(p) => p,
            Popup::Papers(p) => &**p,
            Popup::PaperPreview(p) => &**p,
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
            Popup::TakeOver(p) => p,
            Popup::SamePerson(p) => p,
            Popup::PersonForm(p) => &mut **p,
            Popup::HolidayForm(p) => &mut **p,
            Popup::Approval(p) => p,
            Popup::Papers(p) => &mut **p,
            Popup::PaperPreview(p) => &mut **p,
            Popup::Help(p) => p,
        }
    }
}

/// A key typed into a small form: a refused character is said in the form.
pub(crate) fn form_edit<K: Copy + Eq + std::fmt::Debug>(form: &mut Form<K>, req: tui_input::InputRequest) -> bool {
    match form.edit(req) {
        super::form::Edited::Refused(why) | super::form::Edited::Cut(why) => {
            form.error = Some(why);
            false
        }
        super::form::Edited::Changed => true,
        _ => false,
    }
}

/// A small form in a popup: the keys, typing and pasting are the same for
/// every one of them; each says only how it saves.
pub(crate) trait FormPopup {
    type Key: Copy + Eq + std::fmt::Debug;

    fn form(&mut self) -> &mut Form<Self::Key>;

    /// Enter or Ctrl-S: save, or keep the form open with the reason.
    fn submit(&mut self, env: &mut Env) -> Vec<Effect>;

    /// After a key or a paste changed a field (the booking's prior-case lookup).
    fn after_edit(&mut self, _env: &Env) -> Vec<Effect> {
        Vec::new()
    }
}

impl<T: FormPopup> Pane for T {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Form, true)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        match action {
            Action::Open | Action::Save => Some(self.submit(env)),
            Action::Back => Some(vec![Effect::Pop]),
            Action::Quit => None,
            other => {
                self.form().navigate(other);
                Some(Vec::new())
            }
        }
    }

    fn on_input(&mut self, req: tui_input::InputRequest, env: &mut Env) -> Vec<Effect> {
        form_edit(self.form(), req);
        self.after_edit(env)
    }

    fn on_paste(&mut self, text: &str, env: &mut Env) -> Vec<Effect> {
        self.form().paste(text);
        self.after_edit(env)
    }
}

/// A write's result for a form: a refusal stays in the form with its reason.
pub(crate) fn saved<K: Copy + Eq + std::fmt::Debug>(
    form: &mut Form<K>,
    r: Result<Vec<Effect>, StoreError>,
) -> Vec<Effect> {
    match r {
        Ok(effects) => effects,
        Err(StoreError::Invalid(why)) => {
            form.error = Some(why);
            Vec::new()
        }
        Err(e) => vec![Effect::Failed(e)],
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
