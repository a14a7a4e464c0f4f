//! The holiday calendar in the database.

use chrono::NaiveDateTime;
use rusqlite::{Connection, Transaction, params};

use super::{Result, Store};
use crate::domain::calendar::{self, DayKind, HolidayCalendar};

pub fn load(conn: &Connection) -> Result<HolidayCalendar> {
    let mut cal = HolidayCalendar::new();
    let mut stmt = conn.prepare("SELECT date, kind, name FROM holidays")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (date, kind, name) = row?;
        if let Ok(d) = date.parse() {
            cal.insert(d, if kind == "workday" { DayKind::Workday } else { DayKind::Rest }, &name);
        }
    }
    Ok(cal)
}

/// Write the days of `cal` (a day already there is replaced).
pub fn store_days(tx: &Transaction, cal: &HolidayCalendar) -> Result<usize> {
    let mut n = 0;
    for (date, kind, name) in cal.entries() {
        let kind = match kind {
            DayKind::Rest => "rest",
            DayKind::Workday => "workday",
        };
        tx.prepare_cached("INSERT OR REPLACE INTO holidays (date, kind, name) VALUES (?1, ?2, ?3)")?
            .execute(params![date.to_string(), kind, name])?;
        n += 1;
    }
    Ok(n)
}

/// `xfdesk holidays add`: the days of `year` replaced by `days`, and every
/// running clock the change moves recomputed with a trail entry — one
/// transaction, audited.
pub fn replace_year(
    store: &mut Store,
    year: i32,
    days: &HolidayCalendar,
    by: &super::accounts::Actor,
    now: NaiveDateTime,
) -> Result<Vec<super::deadlines::Moved>> {
    by.require(crate::domain::access::Permission::EditHolidays)?;
    let actor = &by.label();
    store.write(|tx| {
        let (first, last) = (format!("{year}-01-01"), format!("{year}-12-31"));
        tx.execute("DELETE FROM holidays WHERE date BETWEEN ?1 AND ?2", params![first, last])?;
        store_days(tx, days)?;
        let cal = load(tx)?;
        let moved = super::deadlines::recompute_running(tx, &cal, actor, now)?;
        let rest = days.entries().filter(|(_, k, _)| *k == DayKind::Rest).count();
        let detail = format!(
            "{year}年：放假{rest}天、调休上班{}天；{}个期限随之改变",
            days.entries().count() - rest,
            moved.len()
        );
        super::backup::audit_in(tx, actor, "节假日安排", &detail, now)?;
        Ok(moved)
    })
}

/// Days per year: rest days and make-up working days.
pub fn years(conn: &Connection) -> Result<Vec<(i32, i64, i64)>> {
    Ok(conn
        .prepare(
            "SELECT CAST(substr(date, 1, 4) AS INTEGER), sum(kind = 'rest'), sum(kind = 'workday')
             FROM holidays GROUP BY 1 ORDER BY 1",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Migration step: seed the calendar shipped with the program.
pub fn seed(tx: &Transaction) -> Result<()> {
    store_days(tx, &calendar::builtin())?;
    Ok(())
}
