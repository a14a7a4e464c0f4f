//! 接访队列: today's reception day and its live queue — who is with the
//! leader, who is next, how long people have waited.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::queue::{self, QueueRules, TicketStatus};
use crate::store::queue::{BoardRow, ReceptionDay};
use crate::store::{Store, StoreError};

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
}

/// The header's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    pub waiting: usize,
    pub seen: usize,
    pub no_shows: usize,
    /// Average wait (arrival → called) of those called, in minutes.
    pub average_wait: Option<i64>,
    /// The longest wait of anyone still waiting, in minutes.
    pub longest_wait: Option<i64>,
}

impl QueueState {
    pub fn reload(
        &mut self,
        store: &Store,
        today: NaiveDate,
        now: NaiveDateTime,
        rules: &QueueRules,
    ) -> Result<(), StoreError> {
        let conn = store.conn();
        self.day = match crate::store::queue::day_on(conn, today)? {
            Some(d) => Some(d),
            None => crate::store::queue::days(conn)?.into_iter().next(),
        };
        let selected = self.selected_ticket();
        self.rows = match &self.day {
            Some(d) => crate::store::queue::board(conn, d.id)?,
            None => Vec::new(),
        };
        self.arrange(now, rules);
        // Stay on the same ticket when others move around it.
        self.selected = selected
            .and_then(|id| self.rows.iter().position(|r| r.ticket.id == id))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
        Ok(())
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

    pub fn selected_row(&self) -> Option<&BoardRow> {
        self.rows.get(self.selected)
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

    pub fn stats(&self, now: NaiveDateTime) -> QueueStats {
        let mut s = QueueStats::default();
        let mut waits = Vec::new();
        for r in &self.rows {
            let t = &r.ticket;
            match t.status {
                TicketStatus::Waiting | TicketStatus::Skipped => {
                    s.waiting += 1;
                    let w = now.signed_duration_since(t.arrived_at).num_minutes();
                    s.longest_wait = Some(s.longest_wait.map_or(w, |m| m.max(w)));
                }
                TicketStatus::Done => s.seen += 1,
                TicketStatus::Left => s.no_shows += 1,
                _ => {}
            }
            if let Some(c) = t.called_at {
                waits.push((c - t.arrived_at).num_minutes());
            }
        }
        s.average_wait = (!waits.is_empty()).then(|| waits.iter().sum::<i64>() / waits.len() as i64);
        s
    }
}
