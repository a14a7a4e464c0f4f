//! The holiday calendar in the database.

use rusqlite::{Connection, Transaction, params};

use super::Result;
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

/// Replace the days of the years `cal` covers with its entries.
pub fn store(tx: &Transaction, cal: &HolidayCalendar) -> Result<usize> {
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

/// Migration step: seed the calendar shipped with the program.
pub fn seed(tx: &Transaction) -> Result<()> {
    store(tx, &calendar::builtin())?;
    Ok(())
}
