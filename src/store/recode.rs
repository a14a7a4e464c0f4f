//! Version 15: the enumerated columns that held display labels now hold the
//! stable codes of `domain::Coded` lists, and nothing is found by a label or
//! a note any more.
//!
//! SQLite cannot alter a CHECK constraint, and rebuilding `cases` would copy
//! a million rows, so the label lists in the CHECK and DEFAULT clauses are
//! rewritten in the stored table definitions (SQLite's documented
//! `writable_schema` procedure for changes that leave the file format
//! alone), inside the migration's transaction, and the rows follow. The
//! trail is not touched: its words are hashed as written; seals read the
//! two sealed columns by their label (see `seal::as_sealed`).

use rusqlite::{Transaction, params};

use super::{Result, StoreError};
use crate::domain::lifecycle::{AssignmentKind, Satisfaction};
use crate::domain::queue::{AppointmentStatus, InstructionKind, OwnershipStatus, TicketStatus};
use crate::domain::reminder::{CallResult, Escalation, Method};
use crate::domain::screening::{DisputeState, RiskLevel};
use crate::domain::triage::Triage;
use crate::domain::{CaseClass, Coded, KeyPersonKind, PhoneOwner, RepeatKind, id_card::Sex};

/// One column and the list it holds: (code, label) pairs.
struct Column {
    table: &'static str,
    column: &'static str,
    pairs: Vec<(&'static str, &'static str)>,
}

fn col<T: Coded>(table: &'static str, column: &'static str) -> Column {
    Column { table, column, pairs: T::all().iter().map(|v| (v.code(), v.label())).collect() }
}

fn columns() -> Vec<Column> {
    vec![
        col::<CaseClass>("purposes", "class"),
        col::<CaseClass>("cases", "class"),
        col::<RepeatKind>("cases", "repeat_kind"),
        col::<Sex>("petitioners", "sex"),
        col::<PhoneOwner>("petitioner_phones", "owner"),
        col::<KeyPersonKind>("petitioner_key_flags", "kind"),
        col::<AssignmentKind>("assignments", "kind"),
        col::<Method>("reminders", "method"),
        col::<CallResult>("reminders", "result"),
        col::<Escalation>("reminders", "escalation"),
        col::<TicketStatus>("queue_tickets", "status"),
        col::<AppointmentStatus>("appointments", "status"),
        col::<InstructionKind>("reception_sessions", "instruction_kind"),
        col::<OwnershipStatus>("case_ownerships", "status"),
        col::<Satisfaction>("case_evaluations", "bureau"),
        col::<Satisfaction>("case_evaluations", "unit"),
        col::<RiskLevel>("key_person_watch", "risk"),
        col::<DisputeState>("dispute_watch", "state"),
    ]
}

pub(crate) fn migrate(tx: &Transaction) -> Result<()> {
    let columns = columns();
    let mut tables: Vec<&str> = columns.iter().map(|c| c.table).collect();
    tables.dedup();
    for table in &tables {
        let of_table: Vec<&Column> = columns.iter().filter(|c| c.table == *table).collect();
        rewrite_definition(tx, table, &of_table)?;
    }
    for table in &tables {
        let sets: Vec<String> = columns.iter().filter(|c| c.table == *table).map(case_expression).collect();
        tx.execute(&format!("UPDATE {table} SET {}", sets.join(", ")), [])?;
    }
    leader_sources(tx)?;
    triage_backfill(tx)
}

/// `col = CASE col WHEN 'label' THEN 'code' … ELSE col END`, from the
/// compile-time lists (no input reaches this SQL).
fn case_expression(c: &Column) -> String {
    let whens: String = c.pairs.iter().map(|(code, label)| format!(" WHEN '{label}' THEN '{code}'")).collect();
    format!("{0} = CASE {0}{whens} ELSE {0} END", c.column)
}

/// Replace the labels in the column's `CHECK (col IN (…))` list and its
/// `DEFAULT '…'` by their codes in the stored CREATE TABLE text.
fn rewrite_definition(tx: &Transaction, table: &str, columns: &[&Column]) -> Result<()> {
    let sql: String =
        tx.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
    let mut new = sql.clone();
    for c in columns {
        new = recode_clause(&new, &format!("CHECK ({} IN (", c.column), "))", &c.pairs);
        new = recode_default(&new, c.column, &c.pairs);
    }
    if new == sql {
        return Ok(());
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let updated =
        tx.execute("UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2", params![new, table]);
    tx.execute_batch(&format!("PRAGMA schema_version = {}; PRAGMA writable_schema = OFF", version + 1))?;
    match updated {
        Ok(1) => Ok(()),
        Ok(_) => Err(StoreError::Invalid(format!("升级时未找到数据表 {table} 的定义"))),
        Err(e) => Err(e.into()),
    }
}

/// Within the first `open … close` span of `sql`, each `'label'` becomes `'code'`.
fn recode_clause(sql: &str, open: &str, close: &str, pairs: &[(&str, &str)]) -> String {
    let Some(start) = sql.find(open).map(|i| i + open.len()) else { return sql.to_string() };
    let Some(len) = sql[start..].find(close) else { return sql.to_string() };
    let mut inner = sql[start..start + len].to_string();
    for (code, label) in pairs {
        inner = inner.replace(&format!("'{label}'"), &format!("'{code}'"));
    }
    format!("{}{inner}{}", &sql[..start], &sql[start + len..])
}

/// `DEFAULT 'label'` on the column's own line becomes `DEFAULT 'code'`.
fn recode_default(sql: &str, column: &str, pairs: &[(&str, &str)]) -> String {
    let recode = |line: &str| {
        pairs.iter().fold(line.to_string(), |l, (code, label)| {
            l.replace(&format!("DEFAULT '{label}'"), &format!("DEFAULT '{code}'"))
        })
    };
    sql.split('\n')
        .map(|line| match line.split_whitespace().next() == Some(column) {
            true => recode(line),
            false => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Version 15: the sources a leader sends matters through are marked by a
/// flag from the shipped seed, not recognised by their names in a query.
fn leader_sources(tx: &Transaction) -> Result<()> {
    super::reference::migrate_leader_sources(tx)
}

/// Version 15: each case's 拟办 as a code in `case_triage`, read once from the
/// trail note it was written into ("领导接谈，拟办单位：…").
fn triage_backfill(tx: &Transaction) -> Result<()> {
    let rows: Vec<(i64, String, String)> = tx
        .prepare("SELECT case_id, note, at FROM case_events WHERE event_kind = 'triage' ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert = tx.prepare("INSERT OR IGNORE INTO case_triage (case_id, triage, at) VALUES (?1, ?2, ?3)")?;
    for (case_id, note, at) in rows {
        if let Some(t) = triage_of_note(&note) {
            insert.execute(params![case_id, t.code(), at])?;
        }
    }
    Ok(())
}

/// The triage a 拟办 note begins with: the label, alone or before "，".
fn triage_of_note(note: &str) -> Option<Triage> {
    let head = note.split('，').next().unwrap_or(note);
    Triage::from_label(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_lists_and_defaults_are_recoded_in_place() {
        // An old definition, its labels taken from the lists themselves.
        let (suggestion, other, none) =
            (CaseClass::Suggestion.label(), CaseClass::Other.label(), Escalation::None.label());
        let sql = format!(
            "CREATE TABLE t (\n    class TEXT NOT NULL CHECK (class IN ('{suggestion}', '{other}')),\n    \
             escalation TEXT NOT NULL DEFAULT '{none}',\n    note TEXT NOT NULL DEFAULT '{none}'\n)"
        );
        let class = col::<CaseClass>("t", "class");
        let esc = col::<Escalation>("t", "escalation");
        let out = recode_clause(&sql, "CHECK (class IN (", "))", &class.pairs);
        let out = recode_default(&out, "escalation", &esc.pairs);
        assert!(out.contains("CHECK (class IN ('suggestion', 'other'))"), "{out}");
        assert!(out.contains("escalation TEXT NOT NULL DEFAULT 'none'"), "{out}");
        assert!(
            out.contains(&format!("note TEXT NOT NULL DEFAULT '{none}'")),
            "another column keeps its default: {out}"
        );
    }

    #[test]
    fn a_triage_is_read_from_the_head_of_its_note() {
        let cases = [
            ("领导接谈", Some(Triage::LeaderReception)),
            ("转送，拟办单位：区住建局", Some(Triage::Forward)),
            ("导入法定程序：仲裁，理由：劳动争议", Some(Triage::LegalArbitration)),
            ("领导接谈的事", None),
            ("", None),
        ];
        for (note, want) in cases {
            assert_eq!(triage_of_note(note), want, "{note}");
        }
    }
}
