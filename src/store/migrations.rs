//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Migrations are append-only history: never edit one that has shipped, add
//! the next. A database written by a newer xfdesk (a higher version than we
//! know) is refused, never "upgraded" backwards.

use rusqlite::Connection;

use super::StoreError;

/// The SQL of each version, in order: index 0 brings a database to version 1.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_initial.sql")];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

pub fn current_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Bring the database up to [`LATEST`], one transaction per version, so a
/// crash mid-way leaves a consistent earlier version behind.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    if found > LATEST {
        return Err(StoreError::NewerSchema { found, supported: LATEST });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as u32 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        if current_version(&tx)? >= version {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "migrated schema");
    }
    Ok(())
}
