//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Migrations are append-only history: never edit one that has shipped, add
//! the next. A database written by a newer xfdesk (a higher version than we
//! know) is refused, never "upgraded" backwards.

use rusqlite::{Connection, Transaction};

use super::{StoreError, calendar, chain, deadlines, evaluations, recode, reference, search_index, trail};

/// Version 11: key groups from the seed, follow-up ratings from the trail.
fn reports_migrate(tx: &Transaction) -> Result<(), StoreError> {
    reference::migrate_key_groups(tx)?;
    evaluations::migrate(tx)
}

/// Version 16: the new person history is append-only from its first row.
fn person_history_guards(tx: &Transaction) -> Result<(), StoreError> {
    super::guards::restore(tx)?;
    Ok(())
}

/// Version 12: the database's identity (named by its anchors), then the
/// global sequences and seals over the rows already stored.
fn evidence_migrate(tx: &Transaction) -> Result<(), StoreError> {
    let id = format!("{:032x}", fastrand::u128(..));
    tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?1)", [id])?;
    chain::migrate(tx)
}

/// Version 13: UNIQUE (system, number) on external references. Duplicates
/// stored before it (the first case of each number keeps it) are left out
/// of the index by a literal list, so the upgrade never fails on old data.
fn external_refs_unique(tx: &Transaction) -> Result<(), StoreError> {
    let later: Vec<(i64, String, String)> = tx
        .prepare(
            "SELECT r.case_id, r.system, r.number FROM case_external_refs r
             WHERE EXISTS (SELECT 1 FROM case_external_refs o
                           WHERE o.system = r.system AND o.number = r.number AND o.case_id < r.case_id)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // SQL literals, quotes doubled: an index's WHERE cannot take parameters.
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let outside = match later.is_empty() {
        true => String::new(),
        false => {
            tracing::warn!(count = later.len(), "external numbers imported twice before version 13");
            let rows: Vec<String> = later
                .iter()
                .map(|(id, system, number)| {
                    format!("(case_id = {id} AND system = {} AND number = {})", quoted(system), quoted(number))
                })
                .collect();
            format!(" WHERE NOT ({})", rows.join(" OR "))
        }
    };
    tx.execute_batch(&format!(
        "CREATE UNIQUE INDEX case_external_refs_unique ON case_external_refs(system, number){outside};"
    ))?;
    Ok(())
}

/// Version 14: the code of every stored event's kind, from its label.
fn event_kinds(tx: &Transaction) -> Result<(), StoreError> {
    let labels: Vec<String> = tx
        .prepare("SELECT DISTINCT action FROM case_events")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    super::guards::drop_all(tx)?;
    let mut update = tx.prepare("UPDATE case_events SET event_kind = ?2 WHERE action = ?1")?;
    for label in labels {
        update.execute([label.as_str(), crate::domain::event_kind::EventKind::of_label(&label).code()])?;
    }
    tx.execute_batch("CREATE INDEX case_events_kind_at ON case_events(event_kind, at, case_id);")?;
    super::guards::restore(tx)?;
    Ok(())
}

/// Version 20: a 查询码 for every case already stored, and the issued
/// papers guarded like the trail.
fn documents_migrate(tx: &Transaction) -> Result<(), StoreError> {
    super::query_codes::backfill(tx)?;
    super::guards::restore(tx)?;
    Ok(())
}

/// Version 21: the 督促 spans of every case, with the default rules (a desk
/// configured otherwise works them out again when it starts).
fn call_spans_migrate(tx: &Transaction) -> Result<(), StoreError> {
    super::call_spans::rebuild(tx, &Default::default())?;
    Ok(())
}

/// Version 22: each person's cases counted, and the triggers that keep it.
fn visits_migrate(tx: &Transaction) -> Result<(), StoreError> {
    super::visits::migrate(tx)
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
    Migration { sql: include_str!("migrations/012_tamper_evidence.sql"), code: Some(evidence_migrate) },
    Migration { sql: include_str!("migrations/013_external_refs_unique.sql"), code: Some(external_refs_unique) },
    Migration { sql: include_str!("migrations/014_event_kinds.sql"), code: Some(event_kinds) },
    Migration { sql: include_str!("migrations/015_codes.sql"), code: Some(recode::migrate) },
    Migration { sql: include_str!("migrations/016_person_history.sql"), code: Some(person_history_guards) },
    Migration { sql: include_str!("migrations/017_received.sql"), code: None },
    Migration { sql: include_str!("migrations/018_statute_steps.sql"), code: Some(reference::migrate_source_flags) },
    Migration { sql: include_str!("migrations/019_accounts.sql"), code: None },
    Migration { sql: include_str!("migrations/020_documents.sql"), code: Some(documents_migrate) },
    Migration { sql: include_str!("migrations/021_call_spans.sql"), code: Some(call_spans_migrate) },
    Migration { sql: include_str!("migrations/022_petitioner_visits.sql"), code: Some(visits_migrate) },
    Migration { sql: include_str!("migrations/023_report_indexes.sql"), code: None },
    Migration { sql: include_str!("migrations/024_visit_days.sql"), code: None },
    Migration { sql: include_str!("migrations/025_search_indexes.sql"), code: None },
];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

pub fn current_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Bring the database up to [`LATEST`], one transaction per version, so a
/// crash mid-way leaves a consistent earlier version behind.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, LATEST)
}

/// Bring the database up to `target` (an older version: how tests build the
/// databases earlier releases wrote).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    if found > LATEST {
        return Err(StoreError::NewerSchema { found, supported: LATEST });
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize).take(target.saturating_sub(found) as usize) {
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

/// The tables and indexes a database of version [`LATEST`] has, as
/// `(type, name)`: those a fresh in-memory database gets from the migrations
/// (so the list can never drift).
pub fn expected_objects() -> Result<Vec<(String, String)>, StoreError> {
    let mut conn = Connection::open_in_memory()?;
    migrate(&mut conn)?;
    objects(&conn)
}

/// The tables and indexes of `conn` (not SQLite's own or automatic ones).
pub fn objects(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    Ok(conn
        .prepare(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'
             ORDER BY type = 'index', name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The ordinary tables of `conn` (not SQLite's own, not the search index's shadow tables).
pub fn tables(conn: &Connection) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
