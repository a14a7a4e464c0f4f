//! The fields staff keep by hand for the weekly report (key_person_watch,
//! dispute_watch): read for a week or one row, and saved with an audit entry.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::accounts::Actor;
use super::super::{Result, Store, day, timestamp};
use crate::domain::access::Permission;
use crate::domain::screening::{Destination, DisputeState, DisputeWatch, PersonWatch, RiskLevel};

/// Watch rows still under control during the week (made by its end, not
/// resolved before its start).
pub(super) fn person_watches(conn: &Connection, start: NaiveDate, end: NaiveDate) -> Result<HashMap<i64, PersonWatch>> {
    let sql = format!("{PERSON_WATCH_SELECT} WHERE since <= ?2 AND (resolved_on IS NULL OR resolved_on >= ?1)");
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![start.to_string(), end.to_string()], |r| Ok((r.get(0)?, person_watch_row(r)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

pub(super) fn dispute_watches(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<HashMap<i64, DisputeWatch>> {
    let sql = format!("{DISPUTE_WATCH_SELECT} WHERE since <= ?2 AND (resolved_on IS NULL OR resolved_on >= ?1)");
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![start.to_string(), end.to_string()], |r| Ok((r.get(0)?, dispute_watch_row(r)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

const PERSON_WATCH_SELECT: &str = "SELECT petitioner_id, risk, situation, measures, keeper, keeper_phone, leader,
        unit, resolve_by, progress, resolved_on, note, since, household, destination FROM key_person_watch";

fn person_watch_row(r: &rusqlite::Row) -> rusqlite::Result<PersonWatch> {
    Ok(PersonWatch {
        risk: RiskLevel::from_code(&r.get::<_, String>(1)?),
        situation: r.get(2)?,
        measures: r.get(3)?,
        keeper: r.get(4)?,
        keeper_phone: r.get(5)?,
        leader: r.get(6)?,
        unit: r.get(7)?,
        resolve_by: day(r.get(8)?),
        progress: r.get(9)?,
        resolved_on: day(r.get(10)?),
        note: r.get(11)?,
        since: day(r.get(12)?),
        household: r.get(13)?,
        destination: r.get::<_, Option<String>>(14)?.as_deref().and_then(Destination::from_code),
    })
}

const DISPUTE_WATCH_SELECT: &str = "SELECT case_id, grp, name, measures, difficulties, risk, leader, lead_unit,
        co_units, keeper, resolve_by, progress, state, resolved_on, since FROM dispute_watch";

fn dispute_watch_row(r: &rusqlite::Row) -> rusqlite::Result<DisputeWatch> {
    Ok(DisputeWatch {
        group: r.get(1)?,
        name: r.get(2)?,
        measures: r.get(3)?,
        difficulties: r.get(4)?,
        risk: r.get(5)?,
        leader: r.get(6)?,
        lead_unit: r.get(7)?,
        co_units: r.get(8)?,
        keeper: r.get(9)?,
        resolve_by: day(r.get(10)?),
        progress: r.get(11)?,
        state: DisputeState::from_code(&r.get::<_, String>(12)?),
        resolved_on: day(r.get(13)?),
        since: day(r.get(14)?),
    })
}

/// The hand-kept fields of one person, if any were kept.
pub fn person_watch(conn: &Connection, petitioner_id: i64) -> Result<Option<PersonWatch>> {
    let sql = format!("{PERSON_WATCH_SELECT} WHERE petitioner_id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([petitioner_id], person_watch_row).optional()?)
}

pub fn dispute_watch(conn: &Connection, case_id: i64) -> Result<Option<DisputeWatch>> {
    let sql = format!("{DISPUTE_WATCH_SELECT} WHERE case_id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([case_id], dispute_watch_row).optional()?)
}

/// Keep a person's hand fields (one transaction, with an audit entry). The
/// first save puts the person under control from `at`'s day.
pub fn save_person_watch(
    store: &mut Store,
    petitioner_id: i64,
    w: &PersonWatch,
    actor: &Actor,
    at: NaiveDateTime,
) -> Result<()> {
    actor.require(Permission::EditWeekly)?;
    let by = &actor.label();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO key_person_watch (petitioner_id, risk, situation, measures, keeper, keeper_phone, leader, unit,
                 resolve_by, progress, resolved_on, note, since, updated_at, updated_by, household, destination)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (petitioner_id) DO UPDATE SET risk = ?2, situation = ?3, measures = ?4, keeper = ?5,
                 keeper_phone = ?6, leader = ?7, unit = ?8, resolve_by = ?9, progress = ?10, resolved_on = ?11,
                 note = ?12, updated_at = ?14, updated_by = ?15, household = ?16, destination = ?17",
            params![
                petitioner_id,
                w.risk.unwrap_or(RiskLevel::Medium).code(),
                w.situation,
                w.measures,
                w.keeper,
                w.keeper_phone,
                w.leader,
                w.unit,
                w.resolve_by.map(|d| d.to_string()),
                w.progress,
                w.resolved_on.map(|d| d.to_string()),
                w.note,
                w.since.unwrap_or(at.date()).to_string(),
                timestamp(at),
                by,
                w.household.trim(),
                w.destination.map(|d| d.code())
            ],
        )?;
        super::super::backup::audit_in(tx, by, "编辑周报重点人员", &format!("信访人#{petitioner_id}"), at)
    })
}

/// Keep a matter's hand fields (one transaction, with an audit entry).
pub fn save_dispute_watch(
    store: &mut Store,
    case_id: i64,
    w: &DisputeWatch,
    actor: &Actor,
    at: NaiveDateTime,
) -> Result<()> {
    actor.require(Permission::EditWeekly)?;
    let by = &actor.label();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO dispute_watch (case_id, grp, name, measures, difficulties, risk, leader, lead_unit, co_units,
                 keeper, resolve_by, progress, state, resolved_on, since, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (case_id) DO UPDATE SET grp = ?2, name = ?3, measures = ?4, difficulties = ?5, risk = ?6,
                 leader = ?7, lead_unit = ?8, co_units = ?9, keeper = ?10, resolve_by = ?11, progress = ?12,
                 state = ?13,
                 resolved_on = CASE WHEN ?18 THEN coalesce(dispute_watch.resolved_on, ?14) END,
                 updated_at = ?16, updated_by = ?17",
            params![
                case_id,
                w.group,
                w.name,
                w.measures,
                w.difficulties,
                w.risk,
                w.leader,
                w.lead_unit,
                w.co_units,
                w.keeper,
                w.resolve_by.map(|d| d.to_string()),
                w.progress,
                w.state.unwrap_or(DisputeState::Resolving).code(),
                w.resolved_on.map(|d| d.to_string()),
                w.since.unwrap_or(at.date()).to_string(),
                timestamp(at),
                by,
                w.state == Some(DisputeState::Resolved)
            ],
        )?;
        super::super::backup::audit_in(tx, by, "编辑周报矛盾纠纷", &format!("事项#{case_id}"), at)
    })
}
