//! Petitioners: create, update and read, with their phones and key-person flags.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, StoreError, person_history, reversed, timestamp};
use crate::domain::id_card::Sex;
use crate::domain::identity::{self, Change, ProfileField};
use crate::domain::phone::{self, PhoneKind};
use crate::domain::{Coded, IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner};
use crate::domain::{mask, name};

/// Store `p` for a registration: the person it names (by id, else by ID
/// number; a merged record resolves to the one kept) gets only the typed
/// values that are not empty and differ, each as a history row; someone new
/// is inserted. A different name under a stored ID is refused unless the
/// clerk confirmed it is the same person (`rename_reason`). Phones and flags
/// are added, never dropped: an old number still recognises a returning petitioner.
pub fn save(
    tx: &Transaction,
    p: &Petitioner,
    rename_reason: Option<&str>,
    actor: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let existing = match (p.id, &p.id_number) {
        (Some(id), _) => Some(resolve(tx, id)?),
        (None, Some(number)) => find_by_id_number(tx, number)?,
        (None, None) => None,
    };
    let Some(id) = existing else { return insert(tx, p, None, now) };
    let stored = get(tx, id)?.ok_or_else(|| StoreError::Invalid(format!("信访人档案 {id} 不存在")))?;
    let changes = identity::changes(&stored, p);
    let rename = rename_reason.map(str::trim).filter(|r| !r.is_empty());
    if changes.iter().any(|c| c.field == ProfileField::Name) && rename.is_none() {
        return Err(StoreError::Invalid(format!(
            "证件号 {} 已登记为「{}」，与填写的「{}」不同：请确认是同一人（并说明原因）或改正证件号",
            stored.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
            stored.name,
            p.name
        )));
    }
    refuse_taken_id(tx, id, &changes)?;
    let reason = |f: ProfileField| match f {
        ProfileField::Name => rename.unwrap_or_default().to_string(),
        _ => "来访登记时填写".to_string(),
    };
    write_changes(tx, id, &stored, p, &changes, &reason, actor, now)?;
    Ok(id)
}

/// A new ID number must not be another person's (that is a merge, not an edit).
pub(crate) fn refuse_taken_id(tx: &Transaction, id: i64, changes: &[Change]) -> Result<()> {
    let Some(c) = changes.iter().find(|c| c.field == ProfileField::IdNumber) else { return Ok(()) };
    match find_by_id_number(tx, &c.new)? {
        Some(other) if other != id => Err(StoreError::Invalid(format!(
            "证件号 {} 已属于另一名信访人（档案 {other}）：如是同一人，请在档案中合并",
            mask::id_number(&c.new)
        ))),
        _ => Ok(()),
    }
}

/// Write `changes` of `typed` over `stored` (row `id`) and one history row each.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_changes(
    tx: &Transaction,
    id: i64,
    stored: &Petitioner,
    typed: &Petitioner,
    changes: &[Change],
    reason: &dyn Fn(ProfileField) -> String,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    write_fields(tx, id, stored, typed, changes, now)?;
    for c in changes {
        person_history::record(tx, id, c, &reason(c.field), actor, now)?;
    }
    Ok(())
}

/// Write `changes` of `typed` over `stored` into row `id` (the caller records the history).
pub(crate) fn write_fields(
    tx: &Transaction,
    id: i64,
    stored: &Petitioner,
    typed: &Petitioner,
    changes: &[Change],
    now: NaiveDateTime,
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let merged = identity::apply(stored, typed, changes);
    let values = Row::of(&merged, now);
    tx.prepare_cached(
        "UPDATE petitioners SET name = :name, name_pinyin = :pinyin, name_initials = :initials,
                id_type = :id_type, id_number = :id_number, id_rev = :id_rev, id_override_reason = :override,
                sex = :sex, birth_date = :birth, address = :address, street_code = :street,
                workplace = :workplace, updated_at = :now
         WHERE id = :id",
    )?
    .execute(values.named(Some(id)).as_slice())?;
    add_phones(tx, id, &merged.phones)?;
    add_key_flags(tx, id, &merged.key_person)
}

/// The record that stands for `id`: itself, or the one it was merged into.
pub fn resolve(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(merged_into, id) FROM petitioners WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(id))
}

/// [`resolve`] for many records in one statement: each merged id → the
/// record kept (an id not in the map stands for itself). Read from the
/// merged records' index alone (version 25), not from each person's row.
pub fn resolve_all(conn: &Connection, ids: &[i64]) -> Result<std::collections::HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(conn
        .prepare_cached(
            "SELECT id, merged_into FROM petitioners INDEXED BY petitioners_merged
             WHERE merged_into IS NOT NULL AND id IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([serde_json::to_string(ids).unwrap_or_default()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Insert `p` as a new row (with `id` when the caller allocates ids, as the
/// bulk generator does), with its phones and flags.
pub fn insert(tx: &Transaction, p: &Petitioner, id: Option<i64>, now: NaiveDateTime) -> Result<i64> {
    let values = Row::of(p, now);
    tx.prepare_cached(
        "INSERT INTO petitioners (id, name, name_pinyin, name_initials, id_type, id_number, id_rev,
                id_override_reason, sex, birth_date, address, street_code, workplace, created_at, updated_at)
         VALUES (:id, :name, :pinyin, :initials, :id_type, :id_number, :id_rev, :override, :sex, :birth,
                 :address, :street, :workplace, :now, :now)",
    )?
    .execute(values.named(id).as_slice())?;
    let id = tx.last_insert_rowid();
    add_phones(tx, id, &p.phones)?;
    add_key_flags(tx, id, &p.key_person)?;
    Ok(id)
}

/// A petitioner's column values, with the search keys derived from them.
struct Row<'a> {
    p: &'a Petitioner,
    keys: name::NameKeys,
    id_type: Option<&'static str>,
    id_rev: Option<String>,
    sex: Option<&'static str>,
    birth: Option<String>,
    now: String,
}

impl<'a> Row<'a> {
    fn of(p: &'a Petitioner, now: NaiveDateTime) -> Row<'a> {
        Row {
            p,
            keys: name::keys(&p.name),
            id_type: p.id_type.map(IdType::code),
            id_rev: p.id_number.as_deref().map(reversed),
            sex: p.sex.map(Sex::code),
            birth: p.birth_date.map(|d| d.to_string()),
            now: timestamp(now),
        }
    }

    fn named<'b>(&'b self, id: Option<i64>) -> Vec<(&'static str, Box<dyn rusqlite::ToSql + 'b>)> {
        let p = self.p;
        vec![
            (":id", Box::new(id)),
            (":name", Box::new(&p.name)),
            (":pinyin", Box::new(&self.keys.full)),
            (":initials", Box::new(&self.keys.initials)),
            (":id_type", Box::new(self.id_type)),
            (":id_number", Box::new(&p.id_number)),
            (":id_rev", Box::new(&self.id_rev)),
            (":override", Box::new(&p.id_override_reason)),
            (":sex", Box::new(self.sex)),
            (":birth", Box::new(&self.birth)),
            (":address", Box::new(&p.address)),
            (":street", Box::new(&p.street_code)),
            (":workplace", Box::new(&p.workplace)),
            (":now", Box::new(&self.now)),
        ]
    }
}

fn add_phones(tx: &Transaction, petitioner_id: i64, phones: &[PetitionerPhone]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO petitioner_phones (petitioner_id, number, number_rev, kind, owner, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (petitioner_id, number) DO UPDATE SET owner = excluded.owner, note = excluded.note",
    )?;
    for ph in phones {
        let rev = reversed(&phone::digits_only(&ph.number));
        stmt.execute(params![petitioner_id, ph.number, rev, kind_code(ph.kind), ph.owner.code(), ph.note])?;
    }
    Ok(())
}

fn add_key_flags(tx: &Transaction, petitioner_id: i64, kinds: &[KeyPersonKind]) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO petitioner_key_flags (petitioner_id, kind) VALUES (?1, ?2)")?;
    for k in kinds {
        stmt.execute(params![petitioner_id, k.code()])?;
    }
    Ok(())
}

pub fn kind_code(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile => "mobile",
        PhoneKind::Landline => "landline",
    }
}

/// A record by 档案号 (its id, as `person show` prints it) or by ID number;
/// a merged record resolves to the one kept.
pub fn find_record(conn: &Connection, what: &str) -> Result<Option<i64>> {
    let what = what.trim();
    match what.parse::<i64>() {
        Ok(id) if what.len() < 15 => Ok(conn
            .prepare_cached("SELECT coalesce(merged_into, id) FROM petitioners WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?),
        _ => find_by_id_number(conn, &crate::domain::id_card::normalize(what)),
    }
}

/// The person an ID number names (a merged record resolves to the one kept).
pub fn find_by_id_number(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT coalesce(merged_into, id) FROM petitioners WHERE id_number = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

/// The person whose own phone `number` is (the first registered; a merged
/// record resolves to the one kept).
pub fn find_by_phone(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(p.merged_into, p.id) FROM petitioner_phones ph JOIN petitioners p ON p.id = ph.petitioner_id
             WHERE ph.number = ?1 AND ph.owner = 'own' ORDER BY p.id LIMIT 1",
        )?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Petitioner>> {
    let p = conn
        .query_row(
            "SELECT name, id_type, id_number, id_override_reason, sex, birth_date, address, street_code, workplace
             FROM petitioners WHERE id = ?1",
            [id],
            |r| {
                let id_type: Option<String> = r.get(1)?;
                let sex: Option<String> = r.get(4)?;
                let birth: Option<String> = r.get(5)?;
                Ok(Petitioner {
                    id: Some(id),
                    name: r.get(0)?,
                    id_type: id_type.as_deref().and_then(IdType::from_code),
                    id_number: r.get(2)?,
                    id_override_reason: r.get(3)?,
                    sex: sex.as_deref().and_then(Sex::from_code),
                    birth_date: birth.and_then(|b| b.parse().ok()),
                    phones: Vec::new(),
                    address: r.get(6)?,
                    street_code: r.get(7)?,
                    workplace: r.get(8)?,
                    key_person: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut p) = p else { return Ok(None) };
    p.phones = conn
        .prepare_cached("SELECT number, kind, owner, note FROM petitioner_phones WHERE petitioner_id = ?1 ORDER BY id")?
        .query_map([id], |r| {
            let kind: String = r.get(1)?;
            let owner: String = r.get(2)?;
            Ok(PetitionerPhone {
                number: r.get(0)?,
                kind: if kind == "mobile" { PhoneKind::Mobile } else { PhoneKind::Landline },
                owner: PhoneOwner::from_code(&owner).unwrap_or(PhoneOwner::Other),
                note: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    p.key_person = conn
        .prepare_cached("SELECT kind FROM petitioner_key_flags WHERE petitioner_id = ?1 ORDER BY kind")?
        .query_map([id], |r| r.get::<_, String>(0))?
        .filter_map(|k| k.map(|k| KeyPersonKind::from_code(&k)).transpose())
        .collect::<rusqlite::Result<_>>()?;
    // In the order of the domain's list (§5.2), whatever the codes sort to.
    p.key_person.sort_by_key(|k| k.rank());
    Ok(Some(p))
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM petitioners", [], |r| r.get(0))?)
}
