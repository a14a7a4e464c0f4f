//! The append-only guards: triggers that refuse UPDATE and DELETE on the case
//! trail, the audit log, the person history and the issued papers. Anyone who
//! can open the file can drop them, so `check` reports any that are missing
//! and `repair-triggers` puts them back.

use rusqlite::{Connection, Transaction};

use super::Result;

/// Name and body of every guard, as the current schema has them.
pub const GUARDS: &[(&str, &str)] = &[
    (
        "case_events_append_only_update",
        "BEFORE UPDATE ON case_events BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能修改'); END",
    ),
    (
        "case_events_append_only_delete",
        "BEFORE DELETE ON case_events BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能删除'); END",
    ),
    (
        "audit_log_append_only_update",
        "BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END",
    ),
    (
        "audit_log_append_only_delete",
        "BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END",
    ),
    (
        "petitioner_history_append_only_update",
        "BEFORE UPDATE ON petitioner_history BEGIN SELECT RAISE(ABORT, '信访人档案变更记录只能追加，不能修改'); END",
    ),
    (
        "petitioner_history_append_only_delete",
        "BEFORE DELETE ON petitioner_history BEGIN SELECT RAISE(ABORT, '信访人档案变更记录只能追加，不能删除'); END",
    ),
    (
        "documents_append_only_update",
        "BEFORE UPDATE ON documents BEGIN SELECT RAISE(ABORT, '已出具的文书不能修改，更正请出具新文书'); END",
    ),
    (
        "documents_append_only_delete",
        "BEFORE DELETE ON documents BEGIN SELECT RAISE(ABORT, '已出具的文书不能删除'); END",
    ),
];

/// The table a guard's body protects (`… ON table …`).
fn guarded_table(body: &str) -> &str {
    body.split(" ON ").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap_or_default()
}

fn normalized(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The guards that are missing or whose body was changed (by name).
pub fn missing(conn: &Connection) -> Result<Vec<&'static str>> {
    let mut stmt = conn.prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
    let mut table = conn.prepare_cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1")?;
    let mut out = Vec::new();
    for (name, body) in GUARDS {
        // A database older than the guarded table has nothing to guard yet.
        if table.query_row([guarded_table(body)], |r| r.get::<_, i64>(0))? == 0 {
            continue;
        }
        let sql: Option<String> = stmt.query_row([name], |r| r.get(0)).ok();
        let expected = normalized(&format!("CREATE TRIGGER {name} {body}"));
        if sql.map(|s| normalized(&s)) != Some(expected) {
            out.push(*name);
        }
    }
    Ok(out)
}

/// Drop every guard (a migration that must rewrite rows drops, then restores).
pub(crate) fn drop_all(tx: &Transaction) -> Result<()> {
    for (name, _) in GUARDS {
        tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
    }
    Ok(())
}

/// Put back the guards that are missing or altered; returns their names.
pub(crate) fn restore(tx: &Transaction) -> Result<Vec<&'static str>> {
    let gone = missing(tx)?;
    for (name, body) in GUARDS.iter().filter(|(n, _)| gone.contains(n)) {
        tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}; CREATE TRIGGER {name} {body};"))?;
    }
    Ok(gone)
}
