//! Editing a petitioner's record from the profile (`e`): each changed field
//! is written with the clerk's reason as its own history row, in one
//! transaction; a new ID number is validated and must not be another person's.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Store, StoreError, petitioners};
use crate::domain::identity::{self, ProfileField};
use crate::domain::{IdType, Petitioner, id_card};

/// Write `edited` over record `id`; returns how many fields changed.
pub fn edit(
    store: &mut Store,
    id: i64,
    edited: &Petitioner,
    reason: &str,
    actor: &str,
    at: (NaiveDateTime, NaiveDate),
) -> Result<usize> {
    store.require(crate::domain::access::Permission::CaseWork)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(StoreError::Invalid("请写明变更原因".into()));
    }
    let (now, today) = at;
    store.write(|tx| {
        if petitioners::resolve(tx, id)? != id {
            return Err(StoreError::Invalid(format!("信访人档案 {id} 已并入其他档案")));
        }
        let stored = petitioners::get(tx, id)?.ok_or_else(|| StoreError::Invalid(format!("信访人档案 {id} 不存在")))?;
        let mut edited = edited.clone();
        if let Some(number) = edited.id_number.as_mut() {
            *number = id_card::normalize(number);
        }
        let changes = identity::edits(&stored, &edited);
        if let Some(c) = changes.iter().find(|c| c.field == ProfileField::IdNumber)
            && edited.id_type.unwrap_or(IdType::ResidentId).is_checksummed()
        {
            let derived =
                id_card::validate(&c.new, today).map_err(|e| StoreError::Invalid(format!("证件号码：{e}")))?;
            edited.sex = Some(derived.sex);
            edited.birth_date = Some(derived.birth_date);
            edited.id_override_reason = None;
        }
        petitioners::refuse_taken_id(tx, id, &changes)?;
        let why = |_| reason.clone();
        petitioners::write_changes(tx, id, &stored, &edited, &changes, &why, actor, now)?;
        Ok(changes.len())
    })
}
