//! Tickets: check-in numbers, "call next" and every move on a ticket, each
//! written to the case trail; priority with its reason.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::*;
use crate::domain::CaseEvent;
use crate::domain::queue::{self, QueuePlace, QueueRules, TicketMove, TicketStatus};
use crate::store::{Result, Store, StoreError, cases, parse_timestamp, timestamp};

/// Give the petitioner the next number of their series for the day.
pub fn check_in(store: &mut Store, c: &CheckIn, rules: &QueueRules) -> Result<Ticket> {
    store.require(crate::domain::access::Permission::Queue)?;
    store.write(|tx| check_in_in(tx, c, rules))
}

/// [`check_in`] inside a transaction the caller holds.
pub fn check_in_in(tx: &Transaction, c: &CheckIn, rules: &QueueRules) -> Result<Ticket> {
    if let Some(p) = &c.priority
        && p.reason.trim().is_empty()
    {
        return Err(StoreError::Invalid("优先接谈须说明理由".into()));
    }
    let prefix = if c.booked_at.is_some() { &rules.appointment_prefix } else { &rules.walk_in_prefix };
    day(tx, c.day_id)?;
    let active: Option<Ticket> =
        tickets(tx, c.day_id)?.into_iter().find(|t| t.case_id == c.case_id && t.status.is_active());
    if let Some(t) = active {
        return Err(StoreError::Invalid(format!("该事项今天已取号 {}（{}）", t.number, t.status.label())));
    }
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM queue_tickets WHERE day_id = ?1 AND prefix = ?2",
        params![c.day_id, prefix],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO queue_tickets (day_id, prefix, seq, case_id, status, arrived_at, booked_at, priority_reason,
                                        priority_by, group_size, clerk)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            c.day_id,
            prefix,
            seq,
            c.case_id,
            TicketStatus::Waiting.code(),
            timestamp(c.at),
            c.booked_at.map(timestamp),
            c.priority.as_ref().map(|p| p.reason.trim()),
            c.priority.as_ref().map(|p| p.granted_by.as_str()),
            c.group_size.max(1),
            c.clerk
        ],
    )?;
    let ticket = ticket(tx, tx.last_insert_rowid())?;
    let mut note = format!("{}号", ticket.number);
    if let Some(p) = &c.priority {
        note.push_str(&format!("，优先（{}，{}准予）", p.reason.trim(), p.granted_by));
    }
    cases::add_event(tx, &CaseEvent::new(c.case_id, c.at, &c.clerk, "接访取号", note))?;
    Ok(ticket)
}

pub(super) const TICKET_COLUMNS: &str =
    "id, day_id, prefix, seq, case_id, status, arrived_at, booked_at, priority_reason,
    group_size, skipped_at_call, called_at, started_at, finished_at";

pub(super) fn ticket_from_row(r: &Row) -> rusqlite::Result<Ticket> {
    let time = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| parse_timestamp(&s)))
    };
    let prefix: String = r.get(2)?;
    let status: String = r.get(5)?;
    Ok(Ticket {
        id: r.get(0)?,
        day_id: r.get(1)?,
        number: queue::ticket_number(&prefix, r.get(3)?),
        case_id: r.get(4)?,
        status: TicketStatus::from_code(&status).unwrap_or(TicketStatus::Waiting),
        arrived_at: time(6)?.unwrap_or_default(),
        booked_at: time(7)?,
        priority_reason: r.get(8)?,
        group_size: r.get(9)?,
        skipped_at_call: r.get(10)?,
        called_at: time(11)?,
        started_at: time(12)?,
        finished_at: time(13)?,
    })
}

pub fn ticket(conn: &Connection, id: i64) -> Result<Ticket> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE id = ?1");
    conn.query_row(&sql, [id], ticket_from_row)
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {id} 的排队号")))
}

/// The day's tickets in the order they were given.
pub fn tickets(conn: &Connection, day_id: i64) -> Result<Vec<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE day_id = ?1 ORDER BY id");
    Ok(conn.prepare_cached(&sql)?.query_map([day_id], ticket_from_row)?.collect::<rusqlite::Result<_>>()?)
}

/// Call whoever is next in line; `None` when nobody is waiting.
pub fn call_next(
    store: &mut Store,
    day_id: i64,
    clerk: &str,
    now: NaiveDateTime,
    rules: &QueueRules,
) -> Result<Option<Ticket>> {
    store.require(crate::domain::access::Permission::Queue)?;
    store.write(|tx| call_next_in(tx, day_id, clerk, now, rules))
}

/// [`call_next`] inside a transaction the caller holds (it must be `IMMEDIATE`).
pub fn call_next_in(
    tx: &Transaction,
    day_id: i64,
    clerk: &str,
    now: NaiveDateTime,
    rules: &QueueRules,
) -> Result<Option<Ticket>> {
    let calls_made = day(tx, day_id)?.calls_made;
    let all = tickets(tx, day_id)?;
    let places: Vec<QueuePlace> = all.iter().map(Ticket::place).collect();
    let Some(next) = queue::next_in_line(&places, now, calls_made, rules) else { return Ok(None) };
    tx.execute("UPDATE reception_days SET calls_made = calls_made + 1 WHERE id = ?1", [day_id])?;
    let t = all.iter().find(|t| t.id == next.id).expect("the line is drawn from these tickets");
    Ok(Some(record_move(tx, t, TicketMove::Call, clerk, now, calls_made)?))
}

/// Any other move on one ticket (recall, skip, start, finish, leave, reschedule).
pub fn apply(store: &mut Store, ticket_id: i64, m: TicketMove, clerk: &str, now: NaiveDateTime) -> Result<Ticket> {
    store.require(crate::domain::access::Permission::Queue)?;
    store.write(|tx| apply_in(tx, ticket_id, m, clerk, now))
}

/// [`apply`] inside a transaction the caller holds.
pub fn apply_in(tx: &Transaction, ticket_id: i64, m: TicketMove, clerk: &str, now: NaiveDateTime) -> Result<Ticket> {
    let t = ticket(tx, ticket_id)?;
    let calls_made = day(tx, t.day_id)?.calls_made;
    record_move(tx, &t, m, clerk, now, calls_made)
}

/// Move `t` and write the trail entry, refusing a move its status does not allow.
pub(super) fn record_move(
    tx: &Transaction,
    t: &Ticket,
    m: TicketMove,
    clerk: &str,
    now: NaiveDateTime,
    calls_made: u32,
) -> Result<Ticket> {
    let Some(to) = t.status.after(m) else {
        return Err(StoreError::Invalid(format!("{}号当前为「{}」，不能{}", t.number, t.status.label(), m.label())));
    };
    let at = Some(timestamp(now));
    let none = None::<String>;
    let (called, started, finished) = match m {
        TicketMove::Call | TicketMove::Recall => (at, none.clone(), none),
        TicketMove::Start => (none.clone(), at, none),
        TicketMove::Finish => (none.clone(), none, at),
        _ => (none.clone(), none.clone(), none),
    };
    let skipped_at = (m == TicketMove::Skip).then_some(calls_made);
    tx.execute(
        "UPDATE queue_tickets SET status = ?2, skipped_at_call = coalesce(?3, skipped_at_call),
             called_at = coalesce(?4, called_at), started_at = coalesce(?5, started_at),
             finished_at = coalesce(?6, finished_at)
         WHERE id = ?1",
        params![t.id, to.code(), skipped_at, called, started, finished],
    )?;
    // The ticket's change goes in the note: the trail's from/to values are
    // the case's own status (clocks are counted from them).
    let note = format!("{}号：{}→{}", t.number, t.status.label(), to.label());
    let event = CaseEvent::new(t.case_id, now, clerk, &format!("接访{}", m.label()), note);
    cases::add_event(tx, &event)?;
    ticket(tx, t.id)
}

/// Priority for a waiting ticket, with the reason and the clerk who granted
/// it, in the case trail too.
pub fn grant_priority(store: &mut Store, ticket_id: i64, p: &Priority, now: NaiveDateTime) -> Result<Ticket> {
    let reason = p.reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("优先接谈须说明理由".into()));
    }
    store.write(|tx| {
        let t = ticket(tx, ticket_id)?;
        if !matches!(t.status, TicketStatus::Waiting | TicketStatus::Skipped) {
            return Err(StoreError::Invalid(format!(
                "{}号当前为「{}」，等候中的号才能优先",
                t.number,
                t.status.label()
            )));
        }
        tx.execute(
            "UPDATE queue_tickets SET priority_reason = ?2, priority_by = ?3 WHERE id = ?1",
            params![t.id, reason, p.granted_by],
        )?;
        let note = format!("{}号：优先（{reason}，{}准予）", t.number, p.granted_by);
        cases::add_event(tx, &CaseEvent::new(t.case_id, now, &p.granted_by, "接访优先", note))?;
        ticket(tx, t.id)
    })
}
