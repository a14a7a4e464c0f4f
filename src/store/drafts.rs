//! Intake drafts: the form as typed, kept per desk until it is saved or discarded.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, timestamp};

pub fn save(store: &mut Store, desk: &str, data: &str, at: chrono::NaiveDateTime) -> Result<()> {
    store.write(|tx| {
        tx.prepare_cached("INSERT OR REPLACE INTO intake_drafts (desk, saved_at, data) VALUES (?1, ?2, ?3)")?
            .execute(params![desk, timestamp(at), data])?;
        Ok(())
    })
}

/// The draft of `desk`: when it was saved and its data.
pub fn load(conn: &Connection, desk: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row("SELECT saved_at, data FROM intake_drafts WHERE desk = ?1", [desk], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Every stored draft, newest first: desk, when saved, data.
pub fn all(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    Ok(conn
        .prepare_cached("SELECT desk, saved_at, data FROM intake_drafts ORDER BY saved_at DESC, desk")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The draft of window `from` becomes window `to`'s (an orphan taken over),
/// so a crash before the next save loses nothing. Never over a draft `to`
/// still has: then the orphan stays where it is.
pub fn adopt(store: &mut Store, from: &str, to: &str) -> Result<()> {
    store.write(|tx| {
        tx.execute("UPDATE OR IGNORE intake_drafts SET desk = ?2 WHERE desk = ?1", params![from, to])?;
        Ok(())
    })
}

pub fn discard(store: &mut Store, desk: &str) -> Result<()> {
    store.write(|tx| {
        tx.execute("DELETE FROM intake_drafts WHERE desk = ?1", [desk])?;
        Ok(())
    })
}
