//! 回访 results (满意度) as the metrics read them: one row per case, written
//! in the same transaction as the follow-up's trail entry.

use chrono::NaiveDateTime;
use rusqlite::{Transaction, params};

use super::{Result, timestamp};
use crate::domain::lifecycle::Satisfaction;

/// Record a follow-up's ratings (the latest follow-up of a case wins).
pub fn record(
    tx: &Transaction,
    case_id: i64,
    bureau: Satisfaction,
    unit: Satisfaction,
    by: &str,
    at: NaiveDateTime,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO case_evaluations (case_id, bureau, unit, at, by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, bureau.code(), unit.code(), timestamp(at), by],
    )?;
    Ok(())
}

/// Migration step: follow-ups recorded before this table existed are read
/// back from their trail notes ("回访：对信访部门满意，对责任单位基本满意。…").
/// It runs at version 11, before trail events had a kind code (version 14),
/// so the written action is all there is to find them by.
pub fn migrate(tx: &Transaction) -> Result<()> {
    let rows: Vec<(i64, String, String, String)> = tx
        .prepare("SELECT case_id, note, at, actor FROM case_events WHERE action = '回访' ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (case_id, note, at, actor) in rows {
        if let Some((bureau, unit)) = parse_note(&note) {
            tx.execute(
                "INSERT OR REPLACE INTO case_evaluations (case_id, bureau, unit, at, by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![case_id, bureau.label(), unit.label(), at, actor],
            )?;
        }
    }
    Ok(())
}

/// The petitioner's rating of a case, when a follow-up recorded one
/// (未评价 on both counts is no rating).
pub fn of_case(conn: &rusqlite::Connection, case_id: i64) -> Result<Option<(Satisfaction, Satisfaction)>> {
    use rusqlite::OptionalExtension;
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT bureau, unit FROM case_evaluations WHERE case_id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row
        .and_then(|(b, u)| Some((Satisfaction::from_code(&b)?, Satisfaction::from_code(&u)?)))
        .filter(|(b, u)| !(*b == Satisfaction::NotRated && *u == Satisfaction::NotRated)))
}

fn parse_note(note: &str) -> Option<(Satisfaction, Satisfaction)> {
    let rest = note.strip_prefix("回访：对信访部门")?;
    let (bureau, rest) = rest.split_once("，对责任单位")?;
    let unit = rest.split('。').next()?;
    Some((Satisfaction::from_label(bureau)?, Satisfaction::from_label(unit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_notes_parse_back() {
        let note = crate::domain::lifecycle::Action::FollowUp {
            bureau: Satisfaction::Satisfied,
            unit: Satisfaction::Basic,
            note: "电话回访".into(),
        }
        .note();
        assert_eq!(parse_note(&note), Some((Satisfaction::Satisfied, Satisfaction::Basic)));
        assert_eq!(parse_note("回访：随便说说"), None);
    }
}
