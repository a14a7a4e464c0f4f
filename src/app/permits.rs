//! What the signed-in account may do at the desk: a key whose action needs a
//! permission the account lacks is not offered in the help bar, and pressed
//! anyway it says which permission is missing. The store checks again.

use super::{Action, App, Notice, Screen};
use crate::domain::access::Permission;

/// The permission an action needs beyond being signed in.
pub fn needed(action: Action) -> Option<Permission> {
    use Permission as P;
    Some(match action {
        // Issuing a paper is casework (the store checks it again at Enter).
        Action::Case(_) | Action::EditPerson | Action::MergePerson | Action::Papers | Action::CorrectPaper => {
            P::CaseWork
        }
        Action::EditHolidays => P::EditHolidays,
        Action::GoTo(Screen::Intake) => P::Register,
        Action::GoTo(Screen::Queue) => P::Queue,
        Action::GoTo(Screen::Reminders) => P::Remind,
        _ => return None,
    })
}

impl App {
    /// Whether this desk's account may take `action` (a session without an
    /// account — tests that build one by hand — may do everything).
    pub fn permits(&self, action: Action) -> bool {
        match (needed(action), &self.env.session.actor) {
            (Some(p), Some(actor)) => actor.can(p),
            _ => true,
        }
    }

    /// Refused at the key: the status bar names the missing permission.
    pub(super) fn refuse(&mut self, action: Action) -> bool {
        if self.permits(action) {
            return false;
        }
        let p = needed(action).map(|p| p.label()).unwrap_or_default();
        self.notice =
            Some(Notice { text: format!("没有权限：{p}（请由有此权限的人员办理）"), is_error: true });
        true
    }
}
