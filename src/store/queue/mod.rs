//! Reception days and their queue: check-in numbers, "call next" (atomic
//! across desks: it runs in one `BEGIN IMMEDIATE` transaction, so two desks
//! pressing it at once are served one after the other and never get the same
//! ticket), and every move on a ticket, each written to the case trail.

//!
//! One module per aggregate: days, tickets, the board, instructions, the
//! ledger and appointments; the types they share are here.

mod appointments;
mod board;
mod days;
mod instructions;
mod ledger;
mod tickets;

pub use appointments::*;
pub use board::*;
pub use days::*;
pub use instructions::*;
pub use ledger::*;
pub use tickets::*;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::queue::{QueuePlace, TicketStatus, TicketTimes};

/// A 领导干部公开接访日 as it is scheduled and announced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewReceptionDay {
    pub date: NaiveDate,
    pub time_slot: String,
    pub place: String,
    pub leader: String,
    pub leader_post: String,
    pub portfolio: String,
    pub units: String,
    pub announcement: String,
}

impl NewReceptionDay {
    /// "2026-11-28 上午 9:00-12:00 李明华（区长） 区信访局接待大厅": the same on
    /// the queue screen, in the list of days and on the command line.
    pub fn headline(&self) -> String {
        format!("{} {} {}（{}） {}", self.date, self.time_slot, self.leader, self.leader_post, self.place)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceptionDay {
    pub id: i64,
    pub day: NewReceptionDay,
    pub calls_made: u32,
}

/// Why someone goes first, and which clerk granted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priority {
    pub reason: String,
    pub granted_by: String,
}

/// A petitioner checked in for the day's queue, with the case they came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub day_id: i64,
    pub case_id: i64,
    pub at: NaiveDateTime,
    /// The booked time when the petitioner has an appointment (Y series).
    pub booked_at: Option<NaiveDateTime>,
    pub priority: Option<Priority>,
    /// A group visit is one ticket with its head count.
    pub group_size: u32,
    pub clerk: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub day_id: i64,
    pub number: String,
    pub case_id: i64,
    pub status: TicketStatus,
    pub arrived_at: NaiveDateTime,
    pub booked_at: Option<NaiveDateTime>,
    pub priority_reason: Option<String>,
    pub group_size: u32,
    pub skipped_at_call: Option<u32>,
    pub called_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

impl Ticket {
    pub fn times(&self) -> TicketTimes {
        TicketTimes {
            status: self.status,
            arrived_at: self.arrived_at,
            called_at: self.called_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
        }
    }

    pub fn place(&self) -> QueuePlace {
        QueuePlace {
            id: self.id,
            status: self.status,
            arrived_at: self.arrived_at,
            booked_at: self.booked_at,
            priority: self.priority_reason.is_some(),
            skipped_at_call: self.skipped_at_call,
        }
    }
}
