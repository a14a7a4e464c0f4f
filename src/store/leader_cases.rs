//! A leader's 批示 and 包案 followed through: the unit's 办理情况反馈 on a
//! 批示, and the 息诉罢访 that ends a 包案 — and the figures the metrics screen
//! shows for both (domain.md §6).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, StoreError, day, timestamp};
use crate::domain::leader_metrics::{InstructionRecord, OwnershipRecord};
use crate::domain::lifecycle::{self, Action};
use crate::domain::queue::OwnershipStatus;

/// A 批示 that named a unit and has had no feedback yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PendingInstruction {
    pub session_id: i64,
    pub on: NaiveDate,
    pub unit: String,
    pub leader: String,
}

/// The oldest 批示 of the case still waiting for the unit's feedback.
pub fn pending_instruction(conn: &Connection, case_id: i64) -> Result<Option<PendingInstruction>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id, s.at, s.unit, s.leader FROM reception_sessions s
             WHERE s.case_id = ?1 AND s.unit <> ''
               AND NOT EXISTS (SELECT 1 FROM instruction_feedback f WHERE f.session_id = s.id)
             ORDER BY s.id LIMIT 1",
        )?
        .query_row([case_id], |r| {
            let at: String = r.get(1)?;
            Ok((r.get(0)?, at, r.get(2)?, r.get(3)?))
        })
        .optional()?
        .and_then(|(session_id, at, unit, leader)| {
            day(Some(at)).map(|on| PendingInstruction { session_id, on, unit, leader })
        }))
}

/// A 包案 still running.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActiveOwnership {
    pub id: i64,
    pub leader: String,
    pub since: NaiveDate,
}

pub fn active_ownership(conn: &Connection, case_id: i64) -> Result<Option<ActiveOwnership>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, leader, started_at FROM case_ownerships WHERE case_id = ?1 AND status = ?2
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![case_id, OwnershipStatus::Active.code()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
        })
        .optional()?
        .and_then(|(id, leader, at)| day(Some(at)).map(|since| ActiveOwnership { id, leader, since })))
}

/// The rows of a 批示 feedback or a 息诉罢访, inside the action's transaction;
/// refused when there is nothing for it to follow up, or when it is dated
/// before what it follows.
pub fn record(tx: &Transaction, case_id: i64, action: &Action, actor: &str, at: NaiveDateTime) -> Result<()> {
    match action {
        Action::Feedback { on, note } => {
            let Some(p) = pending_instruction(tx, case_id)? else {
                return Err(StoreError::Invalid(lifecycle::NO_PENDING_INSTRUCTION.into()));
            };
            if *on < p.on {
                return Err(StoreError::Invalid(format!("反馈日期 {on} 早于批示日期 {}", p.on)));
            }
            tx.execute(
                "INSERT INTO instruction_feedback (session_id, case_id, fed_back_on, note, at, clerk)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![p.session_id, case_id, on.to_string(), note.trim(), timestamp(at), actor],
            )?;
        }
        Action::StopPetitioning { on, basis, resolved } => {
            let Some(o) = active_ownership(tx, case_id)? else {
                return Err(StoreError::Invalid(lifecycle::NO_RUNNING_OWNERSHIP.into()));
            };
            if *on < o.since {
                return Err(StoreError::Invalid(format!("息诉罢访日期 {on} 早于包案开始日期 {}", o.since)));
            }
            tx.execute(
                "UPDATE case_ownerships SET status = ?2, ended_on = ?3, end_basis = ?4, resolved = ?5, ended_by = ?6
                 WHERE id = ?1",
                params![o.id, OwnershipStatus::Stopped.code(), on.to_string(), basis.trim(), resolved, actor],
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// The 包案 started by `to`, for 息访率 and 化解率.
pub fn ownership_records(conn: &Connection, to: NaiveDate) -> Result<Vec<OwnershipRecord>> {
    let end = (to + chrono::Days::new(1)).to_string();
    let rows = conn
        .prepare_cached("SELECT started_at, ended_on, resolved FROM case_ownerships WHERE started_at < ?1")?
        .query_map([end], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, bool>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(started, ended, resolved)| {
            day(Some(started)).map(|started| OwnershipRecord { started, ended: day(ended), resolved })
        })
        .collect())
}

/// The 批示 naming a unit given from `from` to `to`, with their feedback day.
pub fn instruction_records(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<InstructionRecord>> {
    let end = (to + chrono::Days::new(1)).to_string();
    let rows = conn
        .prepare_cached(
            "SELECT s.unit, s.at, f.fed_back_on FROM reception_sessions s
             LEFT JOIN instruction_feedback f ON f.session_id = s.id
             WHERE s.unit <> '' AND s.at >= ?1 AND s.at < ?2",
        )?
        .query_map(params![from.to_string(), end], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(unit, at, back)| day(Some(at)).map(|on| InstructionRecord { unit, on, fed_back: day(back) }))
        .collect())
}
