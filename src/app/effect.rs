//! What a pane asks of the rest of the app. A pane never reaches into another
//! pane: it returns effects, and `App::apply` handles them in one place.

use super::Screen;
use super::form::Opt;
use super::popups::Popup;
use super::popups::reveal::Reveal;
use super::screens::intake::Key;
use crate::store::StoreError;

#[derive(Debug)]
pub enum Effect {
    /// Put a popup on top of the focus stack.
    Push(Popup),
    /// Close the topmost pane.
    Pop,
    /// Show a case in the detail pane, over whatever is showing.
    OpenCase(i64),
    /// Show a petitioner's profile, over whatever is showing.
    OpenProfile(i64),
    /// The reminder-call form for a case (`failed`: a failed call, ready to save).
    OpenReminder {
        case_id: i64,
        failed: bool,
    },
    /// A number in today's reception queue for the case's petitioner (`a`).
    CheckIn(i64),
    /// A registration triaged to 领导接谈 takes its number at once.
    TakeNumber {
        case_id: i64,
        case_number: String,
    },
    /// A one-line message for the pane the clerk sees once this step is done.
    Tell(String, bool),
    /// A line for the status bar itself (a paper issued: its file).
    Notice(String),
    /// A read or write failed: the status bar says so.
    Failed(StoreError),
    /// Data changed: reload what is shown.
    Reload,
    /// A reminder call was logged: the 督促 lists are read again.
    ReloadReminders,
    /// A case was changed by an action here: reload, and its detail pane
    /// shows the newest trail entry first.
    CaseChanged(i64),
    Quit,
    /// Leave for another tab (closing the popups over this one).
    GoTo(Screen),
    /// The intake picker chose an option for a field.
    Picked(Key, Opt),
    /// Take the selected earlier petitioner into the intake: the same matter
    /// again (its fields copied, 重件) or a new one.
    TakeOver {
        same_matter: bool,
    },
    /// The answer to "is this the person stored under that ID?": the clerk's
    /// reason (the same person), or `None` (the ID was mistyped).
    SamePerson {
        row: usize,
        reason: Option<String>,
    },
    /// The answer to "restore the unsaved registration?".
    RecoverDraft(bool),
    /// Give up the registration in progress (form and draft cleared).
    AbandonIntake,
    /// Show another reception day on the queue screen.
    ShowDay(i64),
    /// Something on the queue changed; `pin_day` shows that day from now on.
    QueueChanged {
        pin_day: Option<i64>,
    },
    /// A reveal was recorded in the trail: the detail pane may show it.
    Revealed(Reveal),
    /// A hand field of the weekly report was saved: recompute the report.
    ReportEdited,
}

impl From<StoreError> for Effect {
    fn from(e: StoreError) -> Self {
        Effect::Failed(e)
    }
}

/// A store result as effects: the success's effects, or the failure.
pub fn or_failed(r: Result<Vec<Effect>, StoreError>) -> Vec<Effect> {
    r.unwrap_or_else(|e| vec![Effect::Failed(e)])
}
