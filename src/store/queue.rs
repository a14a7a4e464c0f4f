//! Reception days and their queue: check-in numbers, "call next" (atomic
//! across desks: it runs in one `BEGIN IMMEDIATE` transaction, so two desks
//! pressing it at once are served one after the other and never get the same
//! ticket), and every move on a ticket, each written to the case trail.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, cases, lifecycle, parse_timestamp, timestamp};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, Rule};
use crate::domain::lifecycle::Action;
use crate::domain::queue::{
    self, AppointmentStatus, InstructionKind, LeaderInstruction, QueuePlace, QueueRules, TicketMove, TicketStatus,
    TicketTimes,
};
use crate::domain::{CaseEvent, CaseStatus};

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

pub fn create_day(store: &mut Store, d: &NewReceptionDay, now: NaiveDateTime) -> Result<i64> {
    store.write(|tx| create_day_in(tx, d, now))
}

/// Change a scheduled day (a substitute leader, another place …); the
/// day keeps its tickets.
pub fn update_day(store: &mut Store, id: i64, d: &NewReceptionDay) -> Result<()> {
    check_day(d)?;
    store.write(|tx| {
        let changed = tx.execute(
            "UPDATE reception_days SET date = ?2, time_slot = ?3, place = ?4, leader = ?5, leader_post = ?6,
                 portfolio = ?7, units = ?8, announcement = ?9
             WHERE id = ?1",
            params![
                id,
                d.date.to_string(),
                d.time_slot.trim(),
                d.place.trim(),
                d.leader.trim(),
                d.leader_post.trim(),
                d.portfolio.trim(),
                d.units.trim(),
                d.announcement
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("没有编号为 {id} 的接访日")));
        }
        Ok(())
    })
}

fn check_day(d: &NewReceptionDay) -> Result<()> {
    for (value, what) in [(&d.leader, "接访领导"), (&d.place, "接访地点"), (&d.time_slot, "接访时段")] {
        if value.trim().is_empty() {
            return Err(StoreError::Invalid(format!("请填写{what}")));
        }
    }
    Ok(())
}

/// [`create_day`] inside a transaction the caller holds.
pub fn create_day_in(tx: &Transaction, d: &NewReceptionDay, now: NaiveDateTime) -> Result<i64> {
    check_day(d)?;
    tx.execute(
        "INSERT INTO reception_days (date, time_slot, place, leader, leader_post, portfolio, units, announcement,
                                     created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            d.date.to_string(),
            d.time_slot.trim(),
            d.place.trim(),
            d.leader.trim(),
            d.leader_post.trim(),
            d.portfolio.trim(),
            d.units.trim(),
            d.announcement,
            timestamp(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

const DAY_COLUMNS: &str = "id, date, time_slot, place, leader, leader_post, portfolio, units, announcement, calls_made";

fn day_from_row(r: &Row) -> rusqlite::Result<ReceptionDay> {
    let date: String = r.get(1)?;
    Ok(ReceptionDay {
        id: r.get(0)?,
        day: NewReceptionDay {
            date: date.parse().unwrap_or_default(),
            time_slot: r.get(2)?,
            place: r.get(3)?,
            leader: r.get(4)?,
            leader_post: r.get(5)?,
            portfolio: r.get(6)?,
            units: r.get(7)?,
            announcement: r.get(8)?,
        },
        calls_made: r.get(9)?,
    })
}

/// Every reception day, the latest first.
pub fn days(conn: &Connection) -> Result<Vec<ReceptionDay>> {
    let sql = format!("SELECT {DAY_COLUMNS} FROM reception_days ORDER BY date DESC, id DESC");
    Ok(conn.prepare_cached(&sql)?.query_map([], day_from_row)?.collect::<rusqlite::Result<_>>()?)
}

/// How many numbers each day gave, by day id (days without any are absent).
pub fn ticket_counts(conn: &Connection) -> Result<std::collections::HashMap<i64, usize>> {
    let mut stmt = conn.prepare_cached("SELECT day_id, count(*) FROM queue_tickets GROUP BY day_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn day(conn: &Connection, id: i64) -> Result<ReceptionDay> {
    let sql = format!("SELECT {DAY_COLUMNS} FROM reception_days WHERE id = ?1");
    conn.query_row(&sql, [id], day_from_row)
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {id} 的接访日")))
}

/// Give the petitioner the next number of their series for the day.
pub fn check_in(store: &mut Store, c: &CheckIn, rules: &QueueRules) -> Result<Ticket> {
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
            TicketStatus::Waiting.label(),
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

const TICKET_COLUMNS: &str = "id, day_id, prefix, seq, case_id, status, arrived_at, booked_at, priority_reason,
    group_size, skipped_at_call, called_at, started_at, finished_at";

fn ticket_from_row(r: &Row) -> rusqlite::Result<Ticket> {
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
        status: TicketStatus::from_label(&status).unwrap_or(TicketStatus::Waiting),
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
    store.write(|tx| apply_in(tx, ticket_id, m, clerk, now))
}

/// [`apply`] inside a transaction the caller holds.
pub fn apply_in(tx: &Transaction, ticket_id: i64, m: TicketMove, clerk: &str, now: NaiveDateTime) -> Result<Ticket> {
    let t = ticket(tx, ticket_id)?;
    let calls_made = day(tx, t.day_id)?.calls_made;
    record_move(tx, &t, m, clerk, now, calls_made)
}

/// Move `t` and write the trail entry, refusing a move its status does not allow.
fn record_move(
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
        params![t.id, to.label(), skipped_at, called, started, finished],
    )?;
    // The ticket's change goes in the note: the trail's from/to values are
    // the case's own status (clocks are counted from them).
    let note = format!("{}号：{}→{}", t.number, t.status.label(), to.label());
    let event = CaseEvent::new(t.case_id, now, clerk, &format!("接访{}", m.label()), note);
    cases::add_event(tx, &event)?;
    ticket(tx, t.id)
}

/// One line of the live queue: the ticket and what the desk needs to see of
/// its case and representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub ticket: Ticket,
    pub case_number: String,
    /// The representative's name, unmasked: the view masks it.
    pub name: String,
    pub category_code: Option<String>,
    pub key_person: bool,
    pub threat: bool,
    /// How many cases the representative has brought, this one included.
    pub case_count: u32,
    /// A group visit's representatives after the first (names unmasked: the view masks them).
    pub other_representatives: Vec<String>,
    pub petitioner_id: Option<i64>,
    /// The representative's early warnings (filled by the caller).
    pub warnings: Vec<crate::domain::warning::Warning>,
}

/// The day's tickets with their cases, in the order they were given.
pub fn board(conn: &Connection, day_id: i64) -> Result<Vec<BoardRow>> {
    let sql = format!(
        "WITH t AS (SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE day_id = ?1),
              rep AS (SELECT cp.case_id, cp.petitioner_id FROM case_petitioners cp WHERE cp.seq = 1)
         SELECT t.*, c.number, c.category_code, c.threat,
                coalesce(p.name, ''),
                EXISTS (SELECT 1 FROM petitioner_key_flags k WHERE k.petitioner_id = p.id),
                (SELECT count(*) FROM case_petitioners x WHERE x.petitioner_id = p.id),
                (SELECT group_concat(q.name, char(31)) FROM
                    (SELECT o.name FROM case_petitioners y JOIN petitioners o ON o.id = y.petitioner_id
                     WHERE y.case_id = c.id AND y.seq > 1 ORDER BY y.seq) q),
                p.id
         FROM t JOIN cases c ON c.id = t.case_id
         LEFT JOIN rep ON rep.case_id = c.id LEFT JOIN petitioners p ON p.id = rep.petitioner_id
         ORDER BY t.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([day_id], |r| {
        Ok(BoardRow {
            ticket: ticket_from_row(r)?,
            case_number: r.get(14)?,
            category_code: r.get(15)?,
            threat: r.get(16)?,
            name: r.get(17)?,
            key_person: r.get(18)?,
            case_count: r.get(19)?,
            // Unit separator: a name never holds one (sanitised at entry).
            other_representatives: r
                .get::<_, Option<String>>(20)?
                .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            petitioner_id: r.get(21)?,
            warnings: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The reception day on `date`, if one is scheduled (the latest made, if several).
/// A leader of the reference list, as a new reception day starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaderRef {
    pub name: String,
    pub post: String,
    pub portfolio: String,
}

/// The first leader of the reference list (empty when there is none).
pub fn first_leader(conn: &Connection) -> Result<LeaderRef> {
    let leader = conn
        .query_row("SELECT name, post, portfolio FROM leaders ORDER BY id LIMIT 1", [], |r| {
            Ok(LeaderRef { name: r.get(0)?, post: r.get(1)?, portfolio: r.get(2)? })
        })
        .optional()?;
    Ok(leader.unwrap_or_default())
}

pub fn day_on(conn: &Connection, date: NaiveDate) -> Result<Option<ReceptionDay>> {
    let sql = format!("SELECT {DAY_COLUMNS} FROM reception_days WHERE date = ?1 ORDER BY id DESC LIMIT 1");
    Ok(conn.query_row(&sql, [date.to_string()], day_from_row).optional()?)
}

/// Save what the leader decided for the ticket in talk, as one transaction:
/// the talk and the 批示 (`reception_sessions`), the trail entry, the unit's
/// 交办 (moving a 已登记 case to 已交办 and starting its clock; a case already
/// under way keeps its status and gains the unit), the 包案 owner, the 导入法定
/// 程序 move for a 已登记 case — and the ticket finishes.
pub fn record_instruction(
    store: &mut Store,
    ticket_id: i64,
    i: &LeaderInstruction,
    clerk: &str,
    now: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<Ticket> {
    let today = now.date();
    let statutory = deadline::compute(Rule::Handle, today, 0, cal).map_err(|e| StoreError::Invalid(e.to_string()))?.due;
    i.check(today, statutory).map_err(StoreError::Invalid)?;
    store.write(|tx| {
        let t = ticket(tx, ticket_id)?;
        if t.status != TicketStatus::InTalk {
            return Err(StoreError::Invalid(format!(
                "{}号当前为「{}」，接谈中才能记录批示",
                t.number,
                t.status.label()
            )));
        }
        let leader = day(tx, t.day_id)?.day.leader;
        tx.execute(
            "INSERT INTO reception_sessions (ticket_id, case_id, leader, record, attendees, instruction_kind,
                                             instruction, unit, contact, due_date, at, clerk)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                t.id,
                t.case_id,
                leader,
                i.record.trim(),
                i.attendees.trim(),
                i.kind.label(),
                i.text.trim(),
                i.unit.trim(),
                i.contact.trim(),
                i.due.map(|d| d.to_string()),
                timestamp(now),
                clerk
            ],
        )?;
        let mut note = format!("{}（{}）：{}", i.kind.label(), leader, i.text.trim());
        if !i.unit.trim().is_empty() {
            note.push_str(&format!("；责任单位：{}", i.unit.trim()));
        }
        if let Some(d) = i.due {
            note.push_str(&format!("，{d}前办理"));
        }
        cases::add_event(tx, &CaseEvent::new(t.case_id, now, clerk, "领导批示", note))?;
        let registered = cases::status_of(tx, t.case_id)? == CaseStatus::Registered;
        match i.kind {
            InstructionKind::Assign | InstructionKind::Ownership if registered => {
                let assign = Action::Assign { unit: i.unit.trim().to_string(), due: i.due };
                lifecycle::apply_in(tx, t.case_id, &assign, clerk, now, cal)?;
            }
            InstructionKind::Assign | InstructionKind::Ownership => {
                tx.execute(
                    "INSERT INTO assignments (case_id, kind, unit, due_date, created_at, created_by)
                     VALUES (?1, '交办', ?2, ?3, ?4, ?5)",
                    params![t.case_id, i.unit.trim(), i.due.map(|d| d.to_string()), timestamp(now), clerk],
                )?;
            }
            InstructionKind::Legal if registered => {
                let legal = Action::ChannelToLegal { route: i.text.trim().to_string() };
                lifecycle::apply_in(tx, t.case_id, &legal, clerk, now, cal)?;
            }
            _ => {}
        }
        if i.kind == InstructionKind::Ownership {
            tx.execute(
                "INSERT INTO case_ownerships (case_id, leader, unit, person, target_date, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    t.case_id,
                    i.owner_leader.trim(),
                    i.unit.trim(),
                    i.owner_person.trim(),
                    i.due.map(|d| d.to_string()),
                    timestamp(now)
                ],
            )?;
        }
        let calls_made = day(tx, t.day_id)?.calls_made;
        record_move(tx, &t, TicketMove::Finish, clerk, now, calls_made)
    })
}

/// One line of the day's 台账 (domain.md §3.2, phase 12).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LedgerRow {
    pub number: String,
    pub case_number: String,
    pub name: String,
    pub address: String,
    /// The case title; "（内容保密）" for 检举控告 and 保密 cases.
    pub problem: String,
    /// 问题属地: the street and address of the matter.
    pub place: String,
    pub instruction_kind: String,
    /// The leader's opinion (批示).
    pub opinion: String,
    pub unit: String,
    pub due: String,
    /// Where the ticket ended (已接谈, 离开 …).
    pub result: String,
    pub waited_minutes: Option<i64>,
    pub talk_minutes: Option<i64>,
}

pub const LEDGER_HEADERS: &[&str] = &[
    "号码",
    "事项编号",
    "姓名",
    "住址",
    "反映问题",
    "问题属地",
    "处理方式",
    "领导意见",
    "责任单位",
    "办理期限",
    "结果",
    "等候分钟",
    "接谈分钟",
];

impl LedgerRow {
    pub fn cells(&self) -> Vec<String> {
        let minutes = |m: Option<i64>| m.map(|m| m.to_string()).unwrap_or_default();
        vec![
            self.number.clone(),
            self.case_number.clone(),
            self.name.clone(),
            self.address.clone(),
            self.problem.clone(),
            self.place.clone(),
            self.instruction_kind.clone(),
            self.opinion.clone(),
            self.unit.clone(),
            self.due.clone(),
            self.result.clone(),
            minutes(self.waited_minutes),
            minutes(self.talk_minutes),
        ]
    }
}

/// The day's ledger, one row per ticket in the order they were given.
pub fn ledger(conn: &Connection, day_id: i64) -> Result<Vec<LedgerRow>> {
    // What the board does not carry, for the whole day in one query.
    type Extra =
        (String, String, bool, Option<String>, String, String, Option<(String, String, String, Option<String>)>);
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, c.title, c.class, c.confidential, st.name, c.problem_address,
                coalesce((SELECT p.address FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                          WHERE cp.case_id = c.id AND cp.seq = 1), ''),
                s.instruction_kind, s.instruction, s.unit, s.due_date
         FROM queue_tickets t JOIN cases c ON c.id = t.case_id
         LEFT JOIN streets st ON st.code = c.problem_street_code
         LEFT JOIN reception_sessions s ON s.ticket_id = t.id
         WHERE t.day_id = ?1",
    )?;
    let extras: std::collections::HashMap<i64, Extra> = stmt
        .query_map([day_id], |x| {
            let session = match x.get::<_, Option<String>>(7)? {
                Some(kind) => Some((kind, x.get(8)?, x.get(9)?, x.get(10)?)),
                None => None,
            };
            Ok((x.get(0)?, (x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?, x.get(5)?, x.get(6)?, session)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for r in board(conn, day_id)? {
        let Some((title, class, confidential, street, problem_address, address, session)) =
            extras.get(&r.ticket.id).cloned()
        else {
            continue;
        };
        let (kind, opinion, unit, due) = session.unwrap_or_default();
        let class = crate::domain::CaseClass::from_label(&class).unwrap_or(crate::domain::CaseClass::Other);
        let t = &r.ticket;
        out.push(LedgerRow {
            number: t.number.clone(),
            case_number: r.case_number,
            name: r.name,
            address,
            problem: crate::domain::case::listed_title(class, confidential, &title).to_string(),
            // The address often repeats the street's name already.
            place: match street {
                Some(s) if !problem_address.starts_with(&s) => format!("{s}{problem_address}"),
                _ => problem_address,
            },
            instruction_kind: kind,
            opinion,
            unit,
            due: due.unwrap_or_default(),
            result: t.status.label().into(),
            waited_minutes: t.called_at.map(|c| (c - t.arrived_at).num_minutes()),
            talk_minutes: t.started_at.zip(t.finished_at).map(|(a, b)| (b - a).num_minutes()),
        });
    }
    Ok(out)
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

/// A real-name booking (预约) for a reception day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub day_id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub summary: String,
    pub category_code: Option<String>,
    pub street: String,
    pub booked_time: NaiveDateTime,
}

/// What the prior-case lookup at booking found for an ID.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriorCases {
    pub count: i64,
    /// The latest case's number and title (title withheld for restricted cases).
    pub latest: Option<(String, String)>,
    /// The name the ID was registered under.
    pub registered_name: Option<String>,
}

/// The prior-case lookup at booking: the ID's earlier cases.
pub fn prior_cases(conn: &Connection, id_number: &str) -> Result<PriorCases> {
    let number = crate::domain::id_card::normalize(id_number);
    let registered_name: Option<String> =
        conn.query_row("SELECT name FROM petitioners WHERE id_number = ?1", [&number], |r| r.get(0)).optional()?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.number, c.title, c.class, c.confidential FROM cases c
         JOIN case_petitioners cp ON cp.case_id = c.id JOIN petitioners p ON p.id = cp.petitioner_id
         WHERE p.id_number = ?1 ORDER BY c.registered_at DESC",
    )?;
    let rows: Vec<(String, String, String, bool)> = stmt
        .query_map([&number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let latest = rows.first().map(|(n, title, class, confidential)| {
        let class = crate::domain::CaseClass::from_label(class).unwrap_or(crate::domain::CaseClass::Other);
        (n.clone(), crate::domain::case::listed_title(class, *confidential, title).to_string())
    });
    Ok(PriorCases { count: rows.len() as i64, latest, registered_name })
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub summary: String,
    pub street: String,
    pub booked_time: String,
    pub status: String,
    /// How many cases the petitioner has brought before (the prior-case lookup at booking).
    pub prior_cases: i64,
}

/// Book a petitioner for a day; the ID number is checked as at intake.
pub fn book(store: &mut Store, b: &Booking, now: NaiveDateTime) -> Result<i64> {
    let id = crate::domain::id_card::validate(&b.id_number, now.date())
        .map_err(|e| StoreError::Invalid(format!("证件号：{e}")))?;
    if b.name.trim().is_empty() {
        return Err(StoreError::Invalid("请填写姓名".into()));
    }
    store.write(|tx| {
        let d = day(tx, b.day_id)?;
        if b.booked_time.date() != d.day.date {
            return Err(StoreError::Invalid(format!("预约时间应在接访日 {} 当天", d.day.date)));
        }
        tx.execute(
            "INSERT INTO appointments (day_id, name, id_number, phone, summary, category_code, street, booked_time,
                                       status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                b.day_id,
                b.name.trim(),
                id.number,
                b.phone.trim(),
                b.summary.trim(),
                b.category_code,
                b.street.trim(),
                timestamp(b.booked_time),
                AppointmentStatus::Booked.label(),
                timestamp(now)
            ],
        )?;
        Ok(tx.last_insert_rowid())
    })
}

/// The day's appointments by booked time, each with the petitioner's earlier cases counted.
pub fn appointments(conn: &Connection, day_id: i64) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.name, a.id_number, a.phone, a.summary, a.street, a.booked_time, a.status,
                (SELECT count(*) FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                 WHERE p.id_number = a.id_number)
         FROM appointments a WHERE a.day_id = ?1 ORDER BY a.booked_time, a.id",
    )?;
    let rows = stmt.query_map([day_id], |r| {
        Ok(Appointment {
            id: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            phone: r.get(3)?,
            summary: r.get(4)?,
            street: r.get(5)?,
            booked_time: r.get(6)?,
            status: r.get(7)?,
            prior_cases: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Confirm, cancel or mark a no-show.
pub fn set_appointment(store: &mut Store, id: i64, status: AppointmentStatus) -> Result<()> {
    store.write(|tx| {
        let current: Option<String> =
            tx.query_row("SELECT status FROM appointments WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let current = current.ok_or_else(|| StoreError::Invalid(format!("没有编号为 {id} 的预约")))?;
        if current == AppointmentStatus::Cancelled.label() || current == AppointmentStatus::CheckedIn.label() {
            return Err(StoreError::Invalid(format!("该预约为「{current}」，不能改为「{}」", status.label())));
        }
        tx.execute("UPDATE appointments SET status = ?2 WHERE id = ?1", params![id, status.label()])?;
        Ok(())
    })
}

/// The petitioner with an appointment has arrived: a Y-series ticket for
/// their latest open case, at the booked time's place in line. A petitioner
/// with no case yet is registered at intake first.
pub fn check_in_appointment(
    store: &mut Store,
    appointment_id: i64,
    clerk: &str,
    now: NaiveDateTime,
    rules: &QueueRules,
) -> Result<Ticket> {
    store.write(|tx| {
        let (day_id, id_number, booked, status): (i64, String, String, String) = tx
            .query_row(
                "SELECT day_id, id_number, booked_time, status FROM appointments WHERE id = ?1",
                [appointment_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {appointment_id} 的预约")))?;
        if status == AppointmentStatus::Cancelled.label() || status == AppointmentStatus::CheckedIn.label() {
            return Err(StoreError::Invalid(format!("该预约为「{status}」，不能再取号")));
        }
        let sql = format!(
            "SELECT c.id FROM cases c JOIN case_petitioners cp ON cp.case_id = c.id
             JOIN petitioners p ON p.id = cp.petitioner_id
             WHERE p.id_number = ?1 AND c.status NOT IN {}
             ORDER BY c.registered_at DESC LIMIT 1",
            super::final_statuses_sql()
        );
        let case_id: Option<i64> = tx.query_row(&sql, [&id_number], |r| r.get(0)).optional()?;
        let case_id = case_id.ok_or_else(|| {
            StoreError::Invalid("该预约人还没有在办事项：请先在来访登记中登记，再从事项详情取号".into())
        })?;
        // One person, one number a day, whichever of their cases it is for.
        let theirs: Vec<i64> = tx
            .prepare_cached(
                "SELECT cp.case_id FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                 WHERE p.id_number = ?1",
            )?
            .query_map([&id_number], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(t) = tickets(tx, day_id)?.into_iter().find(|t| t.status.is_active() && theirs.contains(&t.case_id))
        {
            return Err(StoreError::Invalid(format!("该预约人今天已取号 {}（{}）", t.number, t.status.label())));
        }
        let c = CheckIn {
            day_id,
            case_id,
            at: now,
            booked_at: parse_timestamp(&booked),
            priority: None,
            group_size: 1,
            clerk: clerk.to_string(),
        };
        let t = check_in_in(tx, &c, rules)?;
        tx.execute(
            "UPDATE appointments SET status = ?2 WHERE id = ?1",
            params![appointment_id, AppointmentStatus::CheckedIn.label()],
        )?;
        tx.execute("UPDATE queue_tickets SET appointment_id = ?2 WHERE id = ?1", params![t.id, appointment_id])?;
        Ok(t)
    })
}
