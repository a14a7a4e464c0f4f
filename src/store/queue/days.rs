//! Reception days: scheduling, changing and reading them.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::*;
use crate::store::{Result, Store, StoreError, timestamp};

pub fn create_day(store: &mut Store, d: &NewReceptionDay, now: NaiveDateTime) -> Result<i64> {
    store.write(|tx| create_day_in(tx, d, now))
}

/// Change a scheduled day (a substitute leader, another place …); the
/// day keeps its tickets.
pub fn update_day(store: &mut Store, id: i64, d: &NewReceptionDay) -> Result<()> {
    check_day(d)?;
    store.write(|tx| {
        refuse_taken_date(tx, d, Some(id))?;
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

/// The queue shows one day per date: a second one (new, or another moved
/// onto it) would hide the first's tickets.
fn refuse_taken_date(tx: &Transaction, d: &NewReceptionDay, moving: Option<i64>) -> Result<()> {
    let taken: Option<(String, String)> = tx
        .query_row(
            "SELECT leader, time_slot FROM reception_days WHERE date = ?1 AND id IS NOT ?2",
            params![d.date.to_string(), moving],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match taken {
        Some((leader, slot)) => Err(StoreError::Invalid(format!(
            "{} 已安排接访日（{leader}，{slot}）：一天只安排一个接访日，请修改原安排或另选日期",
            d.date
        ))),
        None => Ok(()),
    }
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
    refuse_taken_date(tx, d, None)?;
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

pub(super) const DAY_COLUMNS: &str =
    "id, date, time_slot, place, leader, leader_post, portfolio, units, announcement, calls_made";

pub(super) fn day_from_row(r: &Row) -> rusqlite::Result<ReceptionDay> {
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
