//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Migrations are append-only history: never edit one that has shipped, add
//! the next. A database written by a newer xfdesk (a higher version than we
//! know) is refused, never "upgraded" backwards.

use rusqlite::{Connection, Transaction};

use super::{StoreError, calendar, deadlines, evaluations, reference, search_index, trail};

/// Version 11: key groups from the seed, follow-up ratings from the trail.
fn reports_migrate(tx: &Transaction) -> Result<(), StoreError> {
    reference::migrate_key_groups(tx)?;
    evaluations::migrate(tx)
}

/// One version's change: plain SQL, or SQL followed by code (for data that
/// only Rust can compute, such as the tokenised search index).
type MigrationCode = fn(&Transaction) -> Result<(), StoreError>;

struct Migration {
    sql: &'static str,
    code: Option<MigrationCode>,
}

/// Each version, in order: index 0 brings a database to version 1.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("migrations/001_initial.sql"), code: None },
    Migration { sql: include_str!("migrations/002_search.sql"), code: Some(search_index::create_and_backfill) },
    Migration { sql: include_str!("migrations/003_holidays.sql"), code: Some(calendar::seed) },
    Migration { sql: include_str!("migrations/004_drafts.sql"), code: None },
    Migration { sql: include_str!("migrations/005_deadlines.sql"), code: Some(deadlines::migrate) },
    Migration { sql: include_str!("migrations/006_reminders.sql"), code: None },
    Migration { sql: include_str!("migrations/007_trail_chain.sql"), code: Some(trail::migrate) },
    Migration { sql: include_str!("migrations/008_audit.sql"), code: None },
    Migration { sql: include_str!("migrations/009_reception.sql"), code: None },
    Migration { sql: include_str!("migrations/010_reception_sessions.sql"), code: None },
    Migration { sql: include_str!("migrations/011_reports.sql"), code: Some(reports_migrate) },
];

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
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as u32 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        if current_version(&tx)? >= version {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(step.sql)?;
        if let Some(code) = step.code {
            code(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "migrated schema");
    }
    Ok(())
}
