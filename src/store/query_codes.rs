//! 查询码 storage: one unique code per case, made in the transaction that
//! writes the case (desk, import, `gen` and the version-20 upgrade alike).

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::Result;
use crate::domain::query_code;

/// Give `case_id` a fresh code (a collision with another case's is retried).
pub(crate) fn assign(tx: &Transaction, case_id: i64, rng: &mut fastrand::Rng) -> Result<String> {
    let mut insert = tx
        .prepare_cached("INSERT INTO case_query_codes (code, case_id) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING")?;
    loop {
        let code = query_code::generate(rng);
        if insert.execute(rusqlite::params![code, case_id])? == 1 {
            return Ok(code);
        }
    }
}

/// Codes for every case that has none (the upgrade to version 20).
pub(crate) fn backfill(tx: &Transaction) -> Result<()> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM case_query_codes) ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rng = fastrand::Rng::new();
    for id in ids {
        assign(tx, id, &mut rng)?;
    }
    Ok(())
}

/// The case's code (`None` only for a case written behind xfdesk's back).
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT code FROM case_query_codes WHERE case_id = ?1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// The case a code belongs to.
pub fn case_of(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT case_id FROM case_query_codes WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?)
}
