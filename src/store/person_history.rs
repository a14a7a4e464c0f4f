//! Person history (全程可溯 for people): every change to a petitioner's
//! identity or contacts is an append-only, hash-chained row — who, when,
//! old → new, why — written in the transaction that makes the change.

use chrono::NaiveDateTime;
use rusqlite::{Connection, Transaction, params};
use serde::Serialize;

use super::chain::{self, Head, PersonFields, Sequence};
use super::{Result, timestamp};
use crate::domain::identity::{Change, ProfileField};
use crate::domain::mask;

/// Append one change of `petitioner_id`, linked to the newest row.
pub fn record(
    tx: &Transaction,
    petitioner_id: i64,
    c: &Change,
    reason: &str,
    actor: &str,
    at: NaiveDateTime,
) -> Result<()> {
    let prev = chain::head(tx, Sequence::People)?;
    let at = timestamp(at);
    let fields = PersonFields {
        petitioner_id,
        at: &at,
        actor,
        field: c.field.code(),
        old: &c.old,
        new: &c.new,
        reason: reason.trim(),
    };
    let head = chain::link_person(&prev, &fields);
    tx.prepare_cached(
        "INSERT INTO petitioner_history (seq, petitioner_id, at, actor, field, old_value, new_value, reason, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        head.seq,
        petitioner_id,
        at,
        actor,
        c.field.code(),
        c.old,
        c.new,
        fields.reason,
        head.hash
    ])?;
    Ok(())
}

/// One history row as shown: numbers masked unless the caller may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
}

impl HistoryRow {
    /// One line: when (to the minute), who, what changed and why.
    pub fn line(&self) -> String {
        let at = self.at.get(..16).unwrap_or(&self.at);
        format!("{at} {} {}：{} → {}（{}）", self.actor, self.field, self.old, self.new, self.reason)
    }
}

/// The history of `petitioner_id`, oldest first, personal numbers masked.
pub fn of(conn: &Connection, petitioner_id: i64) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, field, old_value, new_value, reason FROM petitioner_history
         WHERE petitioner_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([petitioner_id], |r| {
        let field: String = r.get(2)?;
        let kind = ProfileField::from_code(&field);
        let shown = |v: String| match kind {
            Some(ProfileField::IdNumber) if !v.is_empty() => mask::id_number(&v),
            Some(ProfileField::Phone) if !v.is_empty() => mask::phone(&v),
            _ => v,
        };
        Ok(HistoryRow {
            at: r.get(0)?,
            actor: r.get(1)?,
            field: kind.map_or(field.clone(), |k| k.label().to_string()),
            old: shown(r.get(3)?),
            new: shown(r.get(4)?),
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first person-history row whose place in the chain does not hold.
pub fn verify(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, hash, petitioner_id, at, actor, field, old_value, new_value, reason
         FROM petitioner_history ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut head = Head::default();
    while let Some(r) = rows.next()? {
        let (id, seq, stored): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if seq != head.seq + 1 {
            return Ok(Some(chain::gap(Sequence::People, id, head.seq, seq)));
        }
        let text = |i: usize| r.get::<_, String>(i);
        let (at, actor, field, old, new, reason) = (text(4)?, text(5)?, text(6)?, text(7)?, text(8)?, text(9)?);
        let fields = PersonFields {
            petitioner_id: r.get(3)?,
            at: &at,
            actor: &actor,
            field: &field,
            old: &old,
            new: &new,
            reason: &reason,
        };
        let next = chain::link_person(&head, &fields);
        if next.hash != stored {
            return Ok(Some(format!("信访人档案变更记录第 {seq} 条（编号 {id}）的内容被改动或是伪造的（校验值不符）")));
        }
        head = next;
    }
    Ok(None)
}
