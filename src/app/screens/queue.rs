//! 接访队列: today's reception day and its live queue — who is with the
//! leader, who is next, how long people have waited. Its forms, the day list
//! and the appointments are popups.

use chrono::NaiveDateTime;

use crate::app::Action;
use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::popups::Popup;
use crate::app::popups::appointments::Appointments;
use crate::app::popups::day_list::DayList;
use crate::app::popups::queue_form::QueueForm;
use crate::domain::queue::{self, DayStats, QueueRules, TicketMove, TicketStatus};
use crate::store::StoreError;
use crate::store::queue::{self as q, BoardRow, LedgerRow, ReceptionDay, Ticket};

use crate::app::strings::queue as say;

#[derive(Debug, Default)]
pub struct QueueState {
    /// Today's reception day, or the latest one when none is scheduled today.
    pub day: Option<ReceptionDay>,
    /// The tickets in display order (see [`QueueState::arrange`]).
    pub rows: Vec<BoardRow>,
    pub selected: usize,
    /// Place in line (1 = next) by ticket id, for the waiting ones.
    pub positions: std::collections::HashMap<i64, usize>,
    pub message: Option<(String, bool)>,
    /// `t`: the day's ledger (台账) instead of the live queue.
    pub ledger: Option<Vec<LedgerRow>>,
    /// A day the clerk chose (`d`); otherwise today's, or the latest.
    pub pinned_day: Option<i64>,
}

impl QueueState {
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        let conn = env.store.conn();
        let (today, now) = (env.today(), env.now());
        self.day = match self.pinned_day {
            Some(id) => Some(q::day(conn, id)?),
            None => match q::day_on(conn, today)? {
                Some(d) => Some(d),
                None => q::days(conn)?.into_iter().next(),
            },
        };
        let selected = self.selected_ticket();
        self.rows = match &self.day {
            Some(d) => q::board(conn, d.id)?,
            None => Vec::new(),
        };
        let ids: Vec<i64> = self.rows.iter().filter_map(|r| r.petitioner_id).collect();
        let mut warnings = crate::store::warnings::person_warnings(conn, &ids, today, &env.session.warning_rules)?;
        for r in &mut self.rows {
            r.warnings = r.petitioner_id.and_then(|id| warnings.remove(&id)).unwrap_or_default();
        }
        self.arrange(now, &env.session.queue_rules);
        if self.ledger.is_some() {
            self.ledger = Some(self.load_ledger(env)?);
        }
        // Stay on the same ticket when others move around it.
        self.selected =
            selected.and_then(|id| self.index_of(id)).unwrap_or(self.selected).min(self.rows.len().saturating_sub(1));
        Ok(())
    }
    /// Where a ticket is in the list shown (the queue or the ledger).
    pub fn index_of(&self, ticket_id: i64) -> Option<usize> {
        match &self.ledger {
            Some(ledger) => {
                let number = &self.rows.iter().find(|r| r.ticket.id == ticket_id)?.ticket.number;
                ledger.iter().position(|l| &l.number == number)
            }
            None => self.rows.iter().position(|r| r.ticket.id == ticket_id),
        }
    }

    /// Display order: with the leader and called first, then the line in the
    /// order it will be called, then the skipped, then those already done.
    /// The line depends on the time (appointment windows open), so this runs
    /// on every tick too.
    pub fn arrange(&mut self, now: NaiveDateTime, rules: &QueueRules) {
        let calls = self.day.as_ref().map_or(0, |d| d.calls_made);
        let places: Vec<_> = self.rows.iter().map(|r| r.ticket.place()).collect();
        self.positions =
            queue::line(&places, now, calls, rules).iter().enumerate().map(|(i, p)| (p.id, i + 1)).collect();
        let group = |r: &BoardRow| match r.ticket.status {
            TicketStatus::InTalk => 0,
            TicketStatus::Called => 1,
            TicketStatus::Waiting | TicketStatus::Skipped if self.positions.contains_key(&r.ticket.id) => 2,
            TicketStatus::Skipped | TicketStatus::Waiting => 3,
            _ => 4,
        };
        let positions = &self.positions;
        self.rows.sort_by_key(|r| (group(r), positions.get(&r.ticket.id).copied().unwrap_or(0), r.ticket.id));
    }

    fn load_ledger(&self, env: &Env) -> Result<Vec<LedgerRow>, StoreError> {
        match &self.day {
            Some(d) => q::ledger(env.store.conn(), d.id),
            None => Ok(Vec::new()),
        }
    }

    /// Show this day from now on.
    pub fn show_day(&mut self, id: i64) {
        self.pinned_day = Some(id);
        self.selected = 0;
    }

    /// Between the live queue and the day's ledger, on the same ticket.
    pub fn toggle_ledger(&mut self, env: &Env) -> Result<(), StoreError> {
        let ticket = self.selected_ticket();
        self.ledger = match self.ledger {
            Some(_) => None,
            None => Some(self.load_ledger(env)?),
        };
        self.selected = ticket.and_then(|id| self.index_of(id)).unwrap_or(0);
        Ok(())
    }

    /// The ticket under the highlight: in the ledger the rows are in the
    /// order the numbers were given, in the queue in calling order.
    pub fn selected_row(&self) -> Option<&BoardRow> {
        match &self.ledger {
            Some(ledger) => {
                let number = &ledger.get(self.selected)?.number;
                self.rows.iter().find(|r| &r.ticket.number == number)
            }
            None => self.rows.get(self.selected),
        }
    }

    fn selected_ticket(&self) -> Option<i64> {
        self.selected_row().map(|r| r.ticket.id)
    }

    pub fn move_selection(&mut self, step: isize) {
        self.selected = self.selected.saturating_add_signed(step).min(self.rows.len().saturating_sub(1));
    }

    /// Who "call next" would call now.
    pub fn next(&self) -> Option<&BoardRow> {
        self.positions.iter().find(|(_, p)| **p == 1).and_then(|(id, _)| self.rows.iter().find(|r| r.ticket.id == *id))
    }

    pub fn stats(&self, now: NaiveDateTime) -> DayStats {
        DayStats::of(self.rows.iter().map(|r| r.ticket.times()), now)
    }

    /// `Call` calls whoever is next; every other move acts on the selected ticket.
    fn move_ticket(&mut self, m: TicketMove, env: &mut Env) -> Result<Vec<Effect>, StoreError> {
        let Some(day) = self.day.as_ref().map(|d| d.id) else {
            self.message = Some((say::NO_DAY.into(), true));
            return Ok(Vec::new());
        };
        let (clerk, now) = (env.operator(), env.now());
        let result = match (m, self.selected_row().map(|r| r.ticket.id)) {
            (TicketMove::Call, _) => q::call_next(&mut env.store, day, &clerk, now, &env.session.queue_rules),
            (_, Some(id)) => q::apply(&mut env.store, id, m, &clerk, now).map(Some),
            (_, None) => Ok(None),
        };
        self.message = Some(match result {
            Ok(Some(t)) => {
                let text = match m {
                    TicketMove::Call | TicketMove::Recall => say::please_come(&t.number),
                    _ => say::moved(&t.number, t.status.label()),
                };
                self.reload(env)?;
                if let Some(i) = self.index_of(t.id) {
                    self.selected = i;
                }
                (text, false)
            }
            Ok(None) if m == TicketMove::Call => (say::NOBODY_WAITING.into(), false),
            Ok(None) => return Ok(Vec::new()),
            Err(e) => (e.to_string(), true),
        });
        Ok(vec![Effect::Reload])
    }

    /// `p` on a ticket in talk: the 批示 form.
    fn open_instruction(&mut self, env: &Env) -> Vec<Effect> {
        let Some(row) = self.selected_row() else { return Vec::new() };
        if row.ticket.status != TicketStatus::InTalk {
            let text = say::not_in_talk(&row.ticket.number, row.ticket.status.label());
            self.message = Some((text, true));
            return Vec::new();
        }
        let leader = self.day.as_ref().map(|d| d.day.leader.clone()).unwrap_or_default();
        let form = QueueForm::instruction(row.ticket.id, &row.ticket.number, &leader, env.assign_due());
        vec![Effect::Push(Popup::QueueForm(form))]
    }

    /// `y` on a waiting ticket: grant priority, with a reason.
    fn open_priority(&mut self, env: &Env) -> Vec<Effect> {
        let Some(row) = self.selected_row() else { return Vec::new() };
        if !matches!(row.ticket.status, TicketStatus::Waiting | TicketStatus::Skipped) {
            let text = say::not_waiting(&row.ticket.number, row.ticket.status.label());
            self.message = Some((text, true));
            return Vec::new();
        }
        let reasons = &env.session.queue_rules.priority_reasons;
        vec![Effect::Push(Popup::QueueForm(QueueForm::priority(row.ticket.id, &row.ticket.number, reasons)))]
    }

    /// A popup that needs the shown day, or the reason there is none.
    fn with_day(&mut self, open: impl FnOnce(&ReceptionDay) -> Result<Popup, StoreError>) -> Vec<Effect> {
        match &self.day {
            Some(d) => match open(d) {
                Ok(p) => vec![Effect::Push(p)],
                Err(e) => vec![Effect::Failed(e)],
            },
            None => {
                self.message = Some((say::NO_DAY.into(), true));
                Vec::new()
            }
        }
    }
}

impl Pane for QueueState {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Queue, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        Some(match action {
            Action::Instruct => self.open_instruction(env),
            Action::GrantPriority => self.open_priority(env),
            Action::NewDay => match q::first_leader(env.store.conn()) {
                Ok(leader) => vec![Effect::Push(Popup::QueueForm(QueueForm::new_day(env.today(), &leader)))],
                Err(e) => vec![Effect::Failed(e)],
            },
            Action::Appointments => self.with_day(|d| Appointments::open(env, d.clone()).map(Popup::Appointments)),
            Action::EditDay => self.with_day(|d| Ok(Popup::QueueForm(QueueForm::edit_day(d)))),
            Action::ChooseDay => match DayList::open(env, self.day.as_ref().map(|d| d.id)) {
                Ok(list) => vec![Effect::Push(Popup::DayList(list))],
                Err(e) => vec![Effect::Failed(e)],
            },
            Action::ToggleLedger => or_failed(self.toggle_ledger(env).map(|()| Vec::new())),
            Action::SelectNext => {
                self.move_selection(1);
                Vec::new()
            }
            Action::SelectPrev => {
                self.move_selection(-1);
                Vec::new()
            }
            Action::Ticket(m) => or_failed(self.move_ticket(m, env)),
            Action::OpenCase => {
                self.selected_row().map(|r| vec![Effect::OpenCase(r.ticket.case_id)]).unwrap_or_default()
            }
            // The 批示单 once the leader's instruction is recorded.
            Action::Papers => self
                .selected_row()
                .map(|r| crate::app::popups::papers::open_list(env, r.ticket.case_id))
                .unwrap_or_default(),
            _ => return None,
        })
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}

/// A walk-in number in today's reception queue for this case; a group
/// visit is one ticket with the case's head count.
pub fn take_number(env: &mut Env, case_id: i64) -> Result<Ticket, StoreError> {
    let now = env.now();
    let Some(day) = q::day_on(env.store.conn(), now.date())? else {
        return Err(StoreError::Invalid(say::NO_DAY_TODAY.into()));
    };
    let people = crate::store::cases::summary(env.store.conn(), case_id)?.people_count;
    let c = q::CheckIn {
        day_id: day.id,
        case_id,
        at: now,
        booked_at: None,
        priority: None,
        group_size: people,
        clerk: env.operator(),
    };
    q::check_in(&mut env.store, &c, &env.session.queue_rules)
}
