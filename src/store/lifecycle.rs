//! Case actions as transactions: the status machine checked, the trail
//! written, the assignment recorded, the clocks stopped, started or extended.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, cases, deadlines, timestamp};
use crate::domain::CaseEvent;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::lifecycle::{self, Action, AssignmentKind};
use crate::domain::statute;
use crate::domain::triage::Procedure;

/// Why a 延期 without a second person's signature is refused.
pub const NEEDS_APPROVER: &str =
    "延期须由申请人以外、有审批权限的人员用自己的密码签批（双人复核，《信访工作条例》第三十四条）";

/// Apply `action` to a case as one transaction. A refused action writes
/// nothing and says why.
pub fn apply(
    store: &mut Store,
    case_id: i64,
    action: &Action,
    actor: &str,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<()> {
    store.require(crate::domain::access::Permission::CaseWork)?;
    store.write(|tx| apply_in(tx, case_id, action, actor, at, cal))
}

/// [`apply`] inside a transaction the caller holds. 延期 is refused here:
/// it needs a second person's approval (`approvals::extend`).
pub fn apply_in(
    tx: &rusqlite::Transaction,
    case_id: i64,
    action: &Action,
    actor: &str,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<()> {
    checked(tx, case_id, action, actor, at, cal, false)
}

/// The action checked and written; `approved`: a 延期 whose approver
/// `approvals` has signed in and checked.
pub(super) fn checked(
    tx: &rusqlite::Transaction,
    case_id: i64,
    action: &Action,
    actor: &str,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
    approved: bool,
) -> Result<()> {
    let (plan, procedure) = allowed(tx, case_id, action, at, cal)?;
    if matches!(action, Action::Extend { .. }) && !approved {
        return Err(StoreError::Invalid(NEEDS_APPROVER.into()));
    }
    let label = action.kind().label();
    let note = action.note();
    match plan.path.split_last() {
        Some((last, before)) => {
            for step in before {
                cases::change_status(tx, case_id, *step, step.entry_action(), actor, "", at)?;
            }
            cases::change_status(tx, case_id, *last, label, actor, &note, at)?;
        }
        None => {
            let event = CaseEvent::new(case_id, at, actor, label, note.clone());
            cases::add_event(tx, &event)?;
        }
    }
    if let Action::Forward { unit, received } | Action::Assign { unit, received, .. } = action {
        let (kind, due) = match action {
            Action::Assign { due, .. } => (AssignmentKind::Assign, due.map(|d| d.to_string())),
            _ => (AssignmentKind::Forward, None),
        };
        let received = received.unwrap_or(at.date()).to_string();
        tx.execute(
            "INSERT INTO assignments (case_id, kind, unit, due_date, created_at, created_by, received_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![case_id, kind.code(), unit, due, timestamp(at), actor, received],
        )?;
    }
    if let Action::FollowUp { bureau, unit, .. } = action {
        super::evaluations::record(tx, case_id, *bureau, *unit, actor, at)?;
    }
    super::leader_cases::record(tx, case_id, action, actor, at)?;
    if plan.to_ordinary {
        deadlines::to_ordinary(tx, case_id, at, cal)?;
        tx.execute("UPDATE cases SET procedure = ?2 WHERE id = ?1", params![case_id, Procedure::Ordinary.code()])?;
    }
    if plan.stop_clocks {
        deadlines::meet_all(tx, case_id, at)?;
    }
    if let Some(days) = plan.hearing {
        deadlines::exclude_hearing(tx, case_id, days, cal)?;
    }
    if let Some(days) = plan.extend {
        deadlines::extend(tx, case_id, days, cal)?;
    }
    if let Some(start) = plan.start {
        let rule = procedure.clock(start.rule);
        deadlines::start(tx, case_id, rule, start.from, start.assigned_due, at, cal)?;
    }
    Ok(())
}

/// Whether `action` may be taken on the case now — the status machine, the
/// order of dates, the statute — and what it would do; nothing is written
/// (the 延期 form asks this before the approver is asked to sign).
pub fn allowed(
    conn: &Connection,
    case_id: i64,
    action: &Action,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<(lifecycle::Plan, Procedure)> {
    let status = cases::status_of(conn, case_id)?;
    let assigned = assigned_due(conn, case_id)?;
    if let Some(since) = last_status_change(conn, case_id)? {
        lifecycle::check_order(action, since).map_err(|r| StoreError::Invalid(r.0))?;
    }
    let plan = lifecycle::plan(status, action, at.date(), assigned).map_err(|r| StoreError::Invalid(r.0))?;
    let procedure = cases::procedure_of(conn, case_id)?;
    let facts = statute::Facts {
        running: deadlines::running(conn, case_id)?.map(|d| statute::Running { rule: d.rule, due: d.due }),
        rated: super::evaluations::of_case(conn, case_id)?.is_some(),
        received: received_on(conn, case_id)?,
        procedure,
    };
    statute::check(action, status, &facts, cal, at.date()).map_err(|r| StoreError::Invalid(r.0))?;
    Ok((plan, procedure))
}

/// The day of the case's latest change of status (its registration at least).
fn last_status_change(conn: &Connection, case_id: i64) -> Result<Option<chrono::NaiveDate>> {
    let at: Option<String> = conn.query_row(
        "SELECT max(at) FROM case_events WHERE case_id = ?1 AND new_value IS NOT NULL",
        [case_id],
        |r| r.get(0),
    )?;
    Ok(super::day(at))
}

/// The day the unit signed for the latest 转送/交办 (the day sent where no
/// 签收 day was recorded).
pub fn received_on(conn: &Connection, case_id: i64) -> Result<Option<chrono::NaiveDate>> {
    let day: Option<String> = conn
        .prepare_cached(
            "SELECT coalesce(received_on, substr(created_at, 1, 10)) FROM assignments
             WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([case_id], |r| r.get(0))
        .optional()?;
    Ok(super::day(day))
}

/// The deadline of the latest 交办, if the assigning body set one.
pub fn assigned_due(conn: &Connection, case_id: i64) -> Result<Option<chrono::NaiveDate>> {
    let due: Option<Option<String>> = conn
        .query_row(
            "SELECT due_date FROM assignments WHERE case_id = ?1 AND kind = 'assign' ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .ok();
    Ok(due.flatten().and_then(|d| d.parse().ok()))
}

/// A unit a case was sent to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    pub kind: String,
    pub unit: String,
    pub due: Option<String>,
    pub at: String,
    pub by: String,
}

pub fn assignments(conn: &Connection, case_id: i64) -> Result<Vec<Assignment>> {
    Ok(conn
        .prepare_cached(
            "SELECT kind, unit, due_date, created_at, created_by FROM assignments WHERE case_id = ?1 ORDER BY id",
        )?
        .query_map([case_id], |r| {
            let kind: String = r.get(0)?;
            let kind = AssignmentKind::from_code(&kind).map_or(kind, |k| k.label().to_string());
            Ok(Assignment { kind, unit: r.get(1)?, due: r.get(2)?, at: r.get(3)?, by: r.get(4)? })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
