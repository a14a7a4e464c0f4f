//! Merging two records of one human (imports and typos make them): the kept
//! record takes the chosen fields of the other, all its cases, phones, flags
//! and watch entry; the other stays as a tombstone pointing at the kept one,
//! so old references, exports and searches still resolve. One transaction,
//! one history row on each record.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Transaction, params};

use super::{Result, Store, StoreError, person_history, petitioners};
use crate::domain::Petitioner;
use crate::domain::identity::{self, Change, ProfileField};

/// What the clerk chose: which record stays, and the fields taken from the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub keep: i64,
    pub other: i64,
    /// Scalar fields whose value comes from `other` (the rest stay as `keep` has them).
    pub take: Vec<ProfileField>,
    pub reason: String,
}

pub fn merge(store: &mut Store, m: &Merge, actor: &str, now: NaiveDateTime, today: NaiveDate) -> Result<()> {
    store.require(crate::domain::access::Permission::CaseWork)?;
    store.write(|tx| merge_in(tx, m, actor, now, today))
}

fn live(tx: &Transaction, id: i64) -> Result<Petitioner> {
    if petitioners::resolve(tx, id)? != id {
        return Err(StoreError::Invalid(format!("信访人档案 {id} 已并入其他档案")));
    }
    petitioners::get(tx, id)?.ok_or_else(|| StoreError::Invalid(format!("信访人档案 {id} 不存在")))
}

fn merge_in(tx: &Transaction, m: &Merge, actor: &str, now: NaiveDateTime, today: NaiveDate) -> Result<()> {
    let reason = m.reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("合并档案须写明原因".into()));
    }
    if m.keep == m.other {
        return Err(StoreError::Invalid("不能把档案与自己合并".into()));
    }
    let (keep, other) = (live(tx, m.keep)?, live(tx, m.other)?);
    if let Some(why) = identity::merge_refusal(&keep, &other, today) {
        return Err(StoreError::Invalid(why));
    }
    let taken: Vec<Change> = m
        .take
        .iter()
        .filter(|f| identity::SCALAR_FIELDS.contains(f))
        .map(|&field| Change { field, old: identity::value(&keep, field), new: identity::value(&other, field) })
        .filter(|c| c.old != c.new && !c.new.is_empty())
        .collect();
    if taken.iter().any(|c| c.field == ProfileField::IdNumber) {
        // The number moves to the kept record (it is unique).
        tx.execute("UPDATE petitioners SET id_number = NULL, id_rev = NULL WHERE id = ?1", [m.other])?;
    }
    petitioners::write_fields(tx, m.keep, &keep, &other, &taken, now)?;
    move_belongings(tx, m.keep, m.other)?;
    tx.execute("UPDATE petitioners SET merged_into = ?1 WHERE id = ?2 OR merged_into = ?2", params![m.keep, m.other])?;
    let fields: Vec<&str> = taken.iter().map(|c| c.field.label()).collect();
    let fields = if fields.is_empty() { "无".to_string() } else { fields.join("、") };
    let into_keep = Change {
        field: ProfileField::MergedFrom,
        old: String::new(),
        new: format!("档案 {}（{}）；取用：{}", m.other, other.name, fields),
    };
    person_history::record(tx, m.keep, &into_keep, reason, actor, now)?;
    let into_other = Change {
        field: ProfileField::MergedInto,
        old: String::new(),
        new: format!("档案 {}（{}）", m.keep, keep.name),
    };
    person_history::record(tx, m.other, &into_other, reason, actor, now)
}

/// Cases, phones, flags and the watch entry of `other` become `keep`'s.
fn move_belongings(tx: &Transaction, keep: i64, other: i64) -> Result<()> {
    tx.execute_batch(&format!(
        "UPDATE OR IGNORE case_petitioners SET petitioner_id = {keep} WHERE petitioner_id = {other};
         DELETE FROM case_petitioners WHERE petitioner_id = {other};
         INSERT OR IGNORE INTO petitioner_phones (petitioner_id, number, number_rev, kind, owner, note)
             SELECT {keep}, number, number_rev, kind, owner, note FROM petitioner_phones WHERE petitioner_id = {other};
         DELETE FROM petitioner_phones WHERE petitioner_id = {other};
         INSERT OR IGNORE INTO petitioner_key_flags (petitioner_id, kind)
             SELECT {keep}, kind FROM petitioner_key_flags WHERE petitioner_id = {other};
         DELETE FROM petitioner_key_flags WHERE petitioner_id = {other};
         UPDATE OR IGNORE key_person_watch SET petitioner_id = {keep} WHERE petitioner_id = {other};
         DELETE FROM key_person_watch WHERE petitioner_id = {other};"
    ))?;
    Ok(())
}
