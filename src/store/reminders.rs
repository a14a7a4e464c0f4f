//! Reminder calls: logged as one transaction with their trail event, their
//! sequence number per case and unit, and the soft deadline a promise sets.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, Store, StoreError, call_spans, cases, deadlines, parse_timestamp, timestamp};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::reminder::{self, CallResult, DueReason, Escalation, Method, PastCall, ReminderRules};
use crate::domain::{CaseEvent, CaseStatus, Coded, phone};

/// A call as the clerk logs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    pub case_id: i64,
    pub unit: String,
    pub at: NaiveDateTime,
    pub caller: String,
    pub method: Method,
    pub contact: String,
    pub contact_post: String,
    pub phone: String,
    pub result: CallResult,
    pub asked: String,
    pub answer: String,
    pub committed: Option<NaiveDate>,
    pub next: Option<NaiveDate>,
    pub escalation: Escalation,
    pub note: String,
}

/// A call as stored, with what was computed when it was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub unit: String,
    pub at: NaiveDateTime,
    pub caller: String,
    pub method: String,
    pub contact: String,
    pub contact_post: String,
    pub phone: String,
    pub result: String,
    pub asked: String,
    pub answer: String,
    pub committed: Option<NaiveDate>,
    pub next: Option<NaiveDate>,
    pub escalation: String,
    pub note: String,
    /// 第N次督促 of this unit on this case.
    pub seq: i64,
    /// How far the case's running clock was past its date at the call.
    pub overdue_days: i64,
}

/// Log a call: validated, numbered, trailed; a promise becomes the case's soft deadline.
pub fn log(store: &mut Store, r: &NewReminder, phone_area: &str) -> Result<Reminder> {
    store.require(crate::domain::access::Permission::Remind)?;
    if r.unit.trim().is_empty() {
        return Err(StoreError::Invalid("请填写被督促单位".into()));
    }
    let number = if r.phone.trim().is_empty() {
        String::new()
    } else {
        phone::normalize(&r.phone, phone_area).map_err(|e| StoreError::Invalid(e.to_string()))?.number
    };
    if let Some(c) = r.committed
        && c < r.at.date()
    {
        return Err(StoreError::Invalid(format!("承诺办结时间 {c} 早于督促日期")));
    }
    let id = store.write(|tx| {
        let seq: i64 = tx.query_row(
            "SELECT count(*) + 1 FROM reminders WHERE case_id = ?1 AND unit = ?2",
            params![r.case_id, r.unit],
            |row| row.get(0),
        )?;
        let overdue = deadlines::running(tx, r.case_id)?.map_or(0, |d| (r.at.date() - d.due).num_days().max(0));
        tx.execute(
            "INSERT INTO reminders (case_id, unit, at, caller, method, contact, contact_post, phone, result, asked,
                    answer, committed_date, next_date, escalation, note, seq, overdue_days)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                r.case_id,
                r.unit.trim(),
                timestamp(r.at),
                r.caller,
                r.method.code(),
                r.contact.trim(),
                r.contact_post.trim(),
                number,
                r.result.code(),
                r.asked.trim(),
                r.answer.trim(),
                r.committed.map(|d| d.to_string()),
                r.next.map(|d| d.to_string()),
                r.escalation.code(),
                r.note.trim(),
                seq,
                overdue
            ],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(c) = r.committed {
            tx.execute(
                "INSERT INTO case_commitments (case_id, unit, due_date, reminder_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (case_id) DO UPDATE SET unit = excluded.unit, due_date = excluded.due_date,
                     reminder_id = excluded.reminder_id, met_at = NULL",
                params![r.case_id, r.unit.trim(), c.to_string(), id],
            )?;
        }
        let mut note = format!("第{seq}次督促{}（{}，{}）", r.unit.trim(), r.method.label(), r.result.label());
        if !r.answer.trim().is_empty() {
            note.push_str(&format!("：{}", r.answer.trim()));
        }
        if let Some(c) = r.committed {
            note.push_str(&format!("；承诺{c}办结"));
        }
        if r.escalation != Escalation::None {
            note.push_str(&format!("；升级为{}", r.escalation.label()));
        }
        let event = CaseEvent::new(r.case_id, r.at, &r.caller, "督促", note);
        cases::add_event(tx, &event)?;
        Ok(id)
    })?;
    get(store.conn(), id)?.ok_or_else(|| StoreError::Invalid("督促记录未写入".into()))
}

const SELECT: &str = "SELECT r.id, r.case_id, c.number, r.unit, r.at, r.caller, r.method, r.contact, r.contact_post,
        r.phone, r.result, r.asked, r.answer, r.committed_date, r.next_date, r.escalation, r.note, r.seq,
        r.overdue_days
    FROM reminders r JOIN cases c ON c.id = r.case_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Reminder> {
    let at: String = r.get(4)?;
    let date = super::day;
    Ok(Reminder {
        id: r.get(0)?,
        case_id: r.get(1)?,
        case_number: r.get(2)?,
        unit: r.get(3)?,
        at: parse_timestamp(&at).unwrap_or_default(),
        caller: r.get(5)?,
        method: Method::label_of(&r.get::<_, String>(6)?),
        contact: r.get(7)?,
        contact_post: r.get(8)?,
        phone: r.get(9)?,
        result: CallResult::label_of(&r.get::<_, String>(10)?),
        asked: r.get(11)?,
        answer: r.get(12)?,
        committed: date(r.get(13)?),
        next: date(r.get(14)?),
        escalation: Escalation::label_of(&r.get::<_, String>(15)?),
        note: r.get(16)?,
        seq: r.get(17)?,
        overdue_days: r.get(18)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Reminder>> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?.query_row([id], row).optional()?)
}

/// A case's calls, oldest first.
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Reminder>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE r.case_id = ?1 ORDER BY r.id"))?
        .query_map([case_id], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Calls made between two days (inclusive), for the export.
pub fn between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Reminder>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE r.at >= ?1 AND r.at < ?2 ORDER BY r.at, r.id"))?
        .query_map(params![from.to_string(), (to + chrono::Days::new(1)).to_string()], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The unit a case's reminders go to, and whom to ask for: from the last
/// call, else from the latest 转送/交办 and the unit's reference contact.
pub fn prefill(conn: &Connection, case_id: i64) -> Result<(String, String, String, String)> {
    if let Some(last) = of_case(conn, case_id)?.pop() {
        return Ok((last.unit, last.contact, last.contact_post, last.phone));
    }
    let unit: Option<String> = conn
        .query_row("SELECT unit FROM assignments WHERE case_id = ?1 ORDER BY id DESC LIMIT 1", [case_id], |r| r.get(0))
        .optional()?;
    let Some(unit) = unit else { return Ok(Default::default()) };
    let (contact, phone): (String, String) = conn
        .query_row("SELECT contact, phone FROM units WHERE name = ?1", [&unit], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    Ok((unit, contact, String::new(), phone))
}

/// One row of the 督促 worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueCall {
    pub case_id: i64,
    pub number: String,
    pub status: CaseStatus,
    pub unit: String,
    pub reasons: Vec<DueReason>,
    pub last_call: Option<(NaiveDateTime, String)>,
    pub escalation: Option<(Escalation, String)>,
    /// The soft deadline a unit promised, if any is open.
    pub promised: Option<NaiveDate>,
}

/// A case due a call today, the unit the call goes to (the last call's, else
/// the latest 转送/交办's; empty if none), and whether it comes first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueEntry {
    pub case_id: i64,
    pub pressing: bool,
    pub unit: String,
}

/// Every case due a call today, most pressing first (missed dates and broken
/// promises), then by case: a range read of the stored spans
/// (`call_spans`), with each case's unit read in the same statement.
pub fn due_list(conn: &Connection, today: NaiveDate, rules: &ReminderRules) -> Result<Vec<DueEntry>> {
    let due = call_spans::due_today(conn, today, rules)?;
    let ids: Vec<i64> = due.iter().map(|d| d.case_id).collect();
    let mut units: std::collections::HashMap<i64, String> = conn
        .prepare_cached(
            "SELECT j.value, coalesce(
                 (SELECT r.unit FROM reminders r WHERE r.case_id = j.value ORDER BY r.id DESC LIMIT 1),
                 (SELECT a.unit FROM assignments a WHERE a.case_id = j.value ORDER BY a.id DESC LIMIT 1), '')
             FROM json_each(?1) j",
        )?
        .query_map([serde_json::to_string(&ids).unwrap_or_default()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(due
        .into_iter()
        .map(|d| DueEntry {
            case_id: d.case_id,
            pressing: d.pressing,
            unit: units.remove(&d.case_id).unwrap_or_default(),
        })
        .collect())
}

/// The rows of the 督促 list for these entries (one page of it).
pub fn due_calls(
    conn: &Connection,
    entries: &[DueEntry],
    today: NaiveDate,
    rules: &ReminderRules,
    cal: &HolidayCalendar,
) -> Result<Vec<DueCall>> {
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if let Some(d) = due_call(conn, e, today, rules, cal)? {
            out.push(d);
        }
    }
    Ok(out)
}

/// The whole 督促 list (the command line's and small databases'; the desk pages).
pub fn due(conn: &Connection, today: NaiveDate, rules: &ReminderRules, cal: &HolidayCalendar) -> Result<Vec<DueCall>> {
    due_calls(conn, &due_list(conn, today, rules)?, today, rules, cal)
}

fn due_call(
    conn: &Connection,
    entry: &DueEntry,
    today: NaiveDate,
    rules: &ReminderRules,
    cal: &HolidayCalendar,
) -> Result<Option<DueCall>> {
    let case_id = entry.case_id;
    let Some(facts) = call_spans::facts(conn, case_id)? else { return Ok(None) };
    let reasons = reminder::due_reasons(&facts.clock, &facts.calls, today, rules);
    if reasons.is_empty() {
        return Ok(None);
    }
    let s = cases::summary(conn, case_id)?;
    let unit = match reasons == [DueReason::FollowUp] || entry.unit.is_empty() {
        false => entry.unit.clone(),
        true if reasons.contains(&DueReason::FollowUp) => "信访人（回访）".into(),
        true => "（未指定责任单位）".into(),
    };
    let promised: Option<String> = conn
        .prepare_cached("SELECT due_date FROM case_commitments WHERE case_id = ?1 AND met_at IS NULL")?
        .query_row([case_id], |r| r.get(0))
        .optional()?;
    Ok(Some(DueCall {
        case_id,
        number: s.number,
        status: s.status,
        unit,
        reasons,
        last_call: facts.calls.last().map(|c| (c.at, c.result.label().to_string())),
        escalation: reminder::escalation(&facts.calls, today, rules, cal),
        promised: promised.and_then(|p| p.parse().ok()),
    }))
}

/// The calls as the reminder ladder reads them.
fn past_calls(calls: &[Reminder]) -> Vec<PastCall> {
    calls
        .iter()
        .map(|c| PastCall {
            at: c.at,
            result: CallResult::from_label(&c.result).unwrap_or(CallResult::Connected),
            committed: c.committed,
        })
        .collect()
}

/// Why a 督办通知书 may go to the unit: the ladder proposes 书面督办 now, or
/// the clerk chose 书面督办/通报 on the newest call (its words).
pub fn written_supervision(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
    rules: &ReminderRules,
    cal: &HolidayCalendar,
) -> Result<Option<String>> {
    let calls = of_case(conn, case_id)?;
    if let Some((_, why)) = reminder::escalation(&past_calls(&calls), today, rules, cal) {
        return Ok(Some(why));
    }
    let written = [Escalation::WrittenNotice.label(), Escalation::Circular.label()];
    Ok(calls
        .last()
        .filter(|c| written.contains(&c.escalation.as_str()))
        .map(|c| format!("{}第{}次督促（{}）后决定{}", c.at.date(), c.seq, c.result, c.escalation)))
}

/// A unit's record: open cases assigned, calls made, promises kept and broken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRecord {
    pub unit: String,
    pub open_cases: i64,
    pub overdue_cases: i64,
    pub average_days_overdue: f64,
    pub calls: i64,
    pub promises_kept: i64,
    pub promises_broken: i64,
}

/// Every unit with open assigned cases or calls, those needing chasing most first
/// (most overdue cases, then the longest average delay, then broken promises).
pub fn unit_records(conn: &Connection, today: NaiveDate) -> Result<Vec<UnitRecord>> {
    let final_statuses = super::final_statuses_sql();
    // Each part aggregated once, then joined per unit (on 1 M cases the
    // per-unit correlated subqueries this replaces took 4.4 s).
    let sql = format!(
        "WITH latest AS (
             SELECT case_id, unit FROM assignments WHERE id IN (SELECT max(id) FROM assignments GROUP BY case_id)
         ),
         open AS (
             SELECT l.unit, l.case_id, d.due_date FROM latest l
             JOIN cases c ON c.id = l.case_id
             LEFT JOIN case_deadlines d ON d.case_id = l.case_id AND d.met_at IS NULL
             WHERE c.status NOT IN {final_statuses}
         ),
         per_unit AS (
             SELECT unit, count(DISTINCT case_id) AS open_cases,
                    count(DISTINCT CASE WHEN due_date < ?1 THEN case_id END) AS overdue,
                    avg(CASE WHEN due_date < ?1 THEN julianday(?1) - julianday(due_date) END) AS late
             FROM open GROUP BY unit
         ),
         calls AS (SELECT unit, count(*) AS n FROM reminders GROUP BY unit),
         promises AS (
             SELECT r.unit,
                    sum(CASE WHEN cc.met_at IS NOT NULL AND substr(cc.met_at, 1, 10) <= cc.due_date THEN 1 ELSE 0 END) AS kept,
                    sum(CASE WHEN (cc.met_at IS NULL AND cc.due_date < ?1)
                              OR (cc.met_at IS NOT NULL AND substr(cc.met_at, 1, 10) > cc.due_date) THEN 1 ELSE 0 END) AS broken
             FROM case_commitments cc JOIN reminders r ON r.id = cc.reminder_id GROUP BY r.unit
         ),
         units AS (SELECT unit FROM per_unit UNION SELECT unit FROM calls)
         SELECT u.unit, coalesce(o.open_cases, 0), coalesce(o.overdue, 0), coalesce(o.late, 0.0),
                coalesce(k.n, 0), coalesce(p.kept, 0), coalesce(p.broken, 0)
         FROM units u
         LEFT JOIN per_unit o ON o.unit = u.unit
         LEFT JOIN calls k ON k.unit = u.unit
         LEFT JOIN promises p ON p.unit = u.unit",
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out: Vec<UnitRecord> = stmt
        .query_map([today.to_string()], |r| {
            Ok(UnitRecord {
                unit: r.get(0)?,
                open_cases: r.get(1)?,
                overdue_cases: r.get(2)?,
                average_days_overdue: r.get(3)?,
                calls: r.get(4)?,
                promises_kept: r.get(5)?,
                promises_broken: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.sort_by(|a, b| {
        (b.overdue_cases, b.promises_broken)
            .cmp(&(a.overdue_cases, a.promises_broken))
            .then(b.average_days_overdue.total_cmp(&a.average_days_overdue))
            .then(a.unit.cmp(&b.unit))
    });
    Ok(out)
}
