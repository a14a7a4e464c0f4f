//! Petitioners: create, update and read, with their phones and key-person flags.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, reversed, timestamp};
use crate::domain::id_card::Sex;
use crate::domain::name;
use crate::domain::phone::{self, PhoneKind};
use crate::domain::{IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner};

/// Store `p`: update the row it names (by id, else by ID number), or insert a
/// new one. Phones and key-person flags are added, never dropped: an old
/// number is still a way to recognise a returning petitioner.
pub fn upsert(tx: &Transaction, p: &Petitioner, now: NaiveDateTime) -> Result<i64> {
    let existing = match (p.id, &p.id_number) {
        (Some(id), _) => Some(id),
        (None, Some(number)) => find_by_id_number(tx, number)?,
        (None, None) => None,
    };
    let Some(id) = existing else { return insert(tx, p, None, now) };
    let values = Row::of(p, now);
    tx.prepare_cached(
        "UPDATE petitioners SET name = :name, name_pinyin = :pinyin, name_initials = :initials,
                id_type = :id_type, id_number = :id_number, id_rev = :id_rev, id_override_reason = :override,
                sex = :sex, birth_date = :birth, address = :address, street_code = :street,
                workplace = :workplace, updated_at = :now
         WHERE id = :id",
    )?
    .execute(values.named(Some(id)).as_slice())?;
    add_phones(tx, id, &p.phones)?;
    add_key_flags(tx, id, &p.key_person)?;
    Ok(id)
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
            sex: p.sex.map(Sex::label),
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
        stmt.execute(params![petitioner_id, ph.number, rev, kind_code(ph.kind), ph.owner.label(), ph.note])?;
    }
    Ok(())
}

fn add_key_flags(tx: &Transaction, petitioner_id: i64, kinds: &[KeyPersonKind]) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO petitioner_key_flags (petitioner_id, kind) VALUES (?1, ?2)")?;
    for k in kinds {
        stmt.execute(params![petitioner_id, k.label()])?;
    }
    Ok(())
}

pub fn kind_code(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile => "mobile",
        PhoneKind::Landline => "landline",
    }
}

pub fn find_by_id_number(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM petitioners WHERE id_number = ?1", [number], |r| r.get(0)).optional()?)
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
                    sex: sex.as_deref().and_then(Sex::from_label),
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
                owner: PhoneOwner::from_label(&owner).unwrap_or(PhoneOwner::Other),
                note: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    p.key_person = conn
        .prepare_cached("SELECT kind FROM petitioner_key_flags WHERE petitioner_id = ?1 ORDER BY kind")?
        .query_map([id], |r| r.get::<_, String>(0))?
        .filter_map(|k| k.map(|k| KeyPersonKind::from_label(&k)).transpose())
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(p))
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM petitioners", [], |r| r.get(0))?)
}
