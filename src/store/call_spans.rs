//! The days each case is due a reminder call, kept as data (migration 21)
//! so the 督促 list is a range read: triggers note the cases a write
//! touched (`call_spans_dirty`), and every `Store::write` works their spans
//! out again before it commits. The spans depend on the reminder rules; the
//! rules they were worked out with are kept in `meta`, and a desk with
//! other rules works the list out live rather than read wrong spans.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, deadlines};
use crate::domain::CaseStatus;
use crate::domain::call_schedule::{self, DueSpan};
use crate::domain::event_kind::EventKind;
use crate::domain::reminder::{CallResult, CaseClock, PastCall, ReminderRules, due_reasons};

/// A leader's case (领导交办/包案), chased weekly: it came through a leader's
/// reception or instruction, was triaged to 领导接谈, or a leader assigned or
/// owns it at a reception day. An SQL condition on `cases c`.
pub(crate) const LEADER_CASE: &str = "(c.source IN (SELECT name FROM sources WHERE leader)
    OR EXISTS (SELECT 1 FROM case_triage t WHERE t.case_id = c.id AND t.triage = 'leader_reception')
    OR EXISTS (SELECT 1 FROM reception_sessions s WHERE s.case_id = c.id AND s.instruction_kind IN ('assign', 'ownership')))";

const RULES_KEY: &str = "call_span_rules";

/// What the reminder rules read of one case: its clock and its calls, oldest first.
#[derive(Debug, Clone)]
pub struct CallFacts {
    pub clock: CaseClock,
    pub calls: Vec<PastCall>,
}

/// The rules as stored beside the spans they made.
fn fingerprint(rules: &ReminderRules) -> String {
    serde_json::to_string(rules).unwrap_or_default()
}

/// One case's facts, or `None` if there is no such case.
pub fn facts(conn: &Connection, case_id: i64) -> Result<Option<CallFacts>> {
    let sql = format!(
        "SELECT c.status, {LEADER_CASE},
                EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.event_kind = '{}')
         FROM cases c WHERE c.id = ?1",
        EventKind::FollowUp.code()
    );
    let head: Option<(String, bool, bool)> =
        conn.prepare_cached(&sql)?.query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let Some((status, leader_case, followed_up)) = head else { return Ok(None) };
    let running = deadlines::running(conn, case_id)?;
    let calls = conn
        .prepare_cached("SELECT at, result, committed_date FROM reminders WHERE case_id = ?1 ORDER BY id")?
        .query_map([case_id], |r| {
            let at: String = r.get(0)?;
            Ok(PastCall {
                at: super::parse_timestamp(&at).unwrap_or_default(),
                result: CallResult::from_code(&r.get::<_, String>(1)?).unwrap_or(CallResult::Connected),
                committed: super::day(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let clock = CaseClock {
        status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Registered),
        rule: running.as_ref().map(|d| d.rule),
        base: running.as_ref().map(|d| d.base),
        due: running.as_ref().map(|d| d.due),
        leader_case,
        followed_up,
    };
    Ok(Some(CallFacts { clock, calls }))
}

/// Work one case's spans out again from its facts.
fn refresh(conn: &Connection, case_id: i64, rules: &ReminderRules) -> Result<()> {
    conn.prepare_cached("DELETE FROM call_spans WHERE case_id = ?1")?.execute([case_id])?;
    let Some(f) = facts(conn, case_id)? else { return Ok(()) };
    let mut insert =
        conn.prepare_cached("INSERT INTO call_spans (case_id, from_day, until_day, pressing) VALUES (?1, ?2, ?3, ?4)")?;
    for s in call_schedule::due_spans(&f.clock, &f.calls, rules) {
        insert.execute(params![case_id, s.from.to_string(), s.until.map(|u| u.to_string()), s.pressing])?;
    }
    Ok(())
}

/// In a writing transaction, before it commits: the spans of every case it
/// touched. Spans made with other rules than the stored ones are not
/// written (a rebuild with those rules is what makes them right).
pub fn drain(conn: &Connection, rules: &ReminderRules) -> Result<usize> {
    let dirty: Vec<i64> = conn
        .prepare_cached("SELECT case_id FROM call_spans_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if dirty.is_empty() || !rules_match(conn, rules)? {
        return Ok(0);
    }
    for id in &dirty {
        refresh(conn, *id, rules)?;
    }
    conn.prepare_cached("DELETE FROM call_spans_dirty")?.execute([])?;
    Ok(dirty.len())
}

/// Every case's spans, with `rules` (after a bulk load, or when the rules
/// in the configuration changed). One transaction; returns the cases seen.
pub fn rebuild(conn: &Connection, rules: &ReminderRules) -> Result<usize> {
    // Only the cases the rules could find due (a bulk load noted every case it wrote).
    conn.execute_batch(&format!(
        "DELETE FROM call_spans; DELETE FROM call_spans_dirty; INSERT INTO call_spans_dirty {};",
        candidates()
    ))?;
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![RULES_KEY, fingerprint(rules)])?;
    drain(conn, rules)
}

/// Every case the rules could find due: open, or with a running clock or a call.
fn candidates() -> String {
    format!(
        "SELECT id FROM cases WHERE status NOT IN {}
         UNION SELECT case_id FROM case_deadlines WHERE met_at IS NULL UNION SELECT case_id FROM reminders",
        super::final_statuses_sql()
    )
}

/// Whether the stored spans were made with these rules.
fn rules_match(conn: &Connection, rules: &ReminderRules) -> Result<bool> {
    let stored: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [RULES_KEY], |r| r.get(0)).optional()?;
    Ok(stored.as_deref() == Some(fingerprint(rules).as_str()))
}

/// Whether the stored spans must be rebuilt before this desk's rules read them.
pub fn needs_rebuild(conn: &Connection, rules: &ReminderRules) -> Result<bool> {
    Ok(!rules_match(conn, rules)?)
}

/// A case due a call today, and whether it comes first (a missed date or a
/// broken promise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueToday {
    pub case_id: i64,
    pub pressing: bool,
}

/// Every case due a call on `today`, the pressing ones first, then by case.
/// A range read of the stored spans; cases a write left unworked, or every
/// case when the stored spans were made with other rules, are worked out live.
pub fn due_today(conn: &Connection, today: NaiveDate, rules: &ReminderRules) -> Result<Vec<DueToday>> {
    let mut out: Vec<DueToday> = Vec::new();
    let live: Vec<i64> = if rules_match(conn, rules)? {
        let sql = "SELECT case_id, pressing FROM call_spans WHERE until_day IS NULL AND from_day <= ?1
                   UNION ALL
                   SELECT case_id, pressing FROM call_spans WHERE until_day >= ?1 AND from_day <= ?1";
        let day = today.to_string();
        out = conn
            .prepare_cached(sql)?
            .query_map([&day], |r| Ok(DueToday { case_id: r.get(0)?, pressing: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let dirty: Vec<i64> = conn
            .prepare_cached("SELECT case_id FROM call_spans_dirty")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.retain(|d| dirty.binary_search(&d.case_id).is_err());
        dirty
    } else {
        tracing::warn!("reminder rules differ from the stored spans': the 督促 list is worked out live");
        conn.prepare_cached(&candidates())?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for id in live {
        if let Some(f) = facts(conn, id)? {
            let reasons = due_reasons(&f.clock, &f.calls, today, rules);
            if !reasons.is_empty() {
                out.push(DueToday { case_id: id, pressing: call_schedule::pressing(&reasons) });
            }
        }
    }
    out.sort_by_key(|d| (!d.pressing, d.case_id));
    Ok(out)
}

/// The stored spans of one case (for `check` and tests).
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<DueSpan>> {
    Ok(conn
        .prepare_cached("SELECT from_day, until_day, pressing FROM call_spans WHERE case_id = ?1 ORDER BY from_day")?
        .query_map([case_id], |r| {
            let from: String = r.get(0)?;
            let until: Option<String> = r.get(1)?;
            Ok(DueSpan {
                from: from.parse().unwrap_or_else(|_| call_schedule::always()),
                until: until.and_then(|u| u.parse().ok()),
                pressing: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
