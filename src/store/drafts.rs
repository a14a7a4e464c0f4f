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

pub fn discard(store: &mut Store, desk: &str) -> Result<()> {
    store.write(|tx| {
        tx.execute("DELETE FROM intake_drafts WHERE desk = ?1", [desk])?;
        Ok(())
    })
}
