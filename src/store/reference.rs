//! Reference data (forms, purposes, sources, content categories, streets,
//! responsible units, leaders): seeded from `seeds/reference.toml` on first
//! open, kept in tables so the bureau can edit them later.

use rusqlite::{Connection, Transaction, params};
use serde::Deserialize;

use super::{Result, Store, StoreError};
use crate::domain::CaseClass;
use crate::domain::name;

/// The seed file, compiled into the binary so a fresh machine needs nothing else.
pub const SEED: &str = include_str!("../../seeds/reference.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    forms: Vec<FormSeed>,
    purposes: Vec<PurposeSeed>,
    sources: Vec<String>,
    #[serde(default)]
    leader_sources: Vec<String>,
    /// Sources through which a higher level 交办s: never 简易办理.
    #[serde(default)]
    from_above_sources: Vec<String>,
    categories: Vec<CategorySeed>,
    streets: Vec<StreetSeed>,
    units: Vec<UnitSeed>,
    leaders: Vec<LeaderSeed>,
    key_groups: Vec<KeyGroupSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyGroupSeed {
    name: String,
    categories: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormSeed {
    code: String,
    name: String,
    letter: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurposeSeed {
    code: String,
    name: String,
    class: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySeed {
    code: String,
    name: String,
    children: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StreetSeed {
    code: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitSeed {
    name: String,
    contact: String,
    phone: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaderSeed {
    name: String,
    post: String,
    portfolio: String,
}

/// Seed the reference tables unless this database was seeded before (the
/// bureau may since have edited or emptied them: never re-seed over that).
pub fn seed_if_empty(store: &mut Store) -> Result<()> {
    store.write(|tx| {
        let seeded: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'reference_seeded')", [], |r| r.get(0))?;
        if seeded {
            return Ok(());
        }
        let seed: Seed = toml::from_str(SEED).map_err(|e| StoreError::Seed(e.to_string()))?;
        insert_seed(tx, &seed)?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('reference_seeded', datetime('now', 'localtime'))", [])?;
        Ok(())
    })
}

fn insert_seed(tx: &Transaction, seed: &Seed) -> Result<()> {
    for (i, f) in seed.forms.iter().enumerate() {
        tx.execute(
            "INSERT INTO forms (code, name, letter, sort) VALUES (?1, ?2, ?3, ?4)",
            params![f.code, f.name, f.letter, i as i64],
        )?;
    }
    for (i, p) in seed.purposes.iter().enumerate() {
        let Some(class) = CaseClass::from_label(&p.class) else {
            return Err(StoreError::Seed(format!("信访目的 {} 的事项类别 {} 无效", p.name, p.class)));
        };
        tx.execute(
            "INSERT INTO purposes (code, name, class, sort) VALUES (?1, ?2, ?3, ?4)",
            params![p.code, p.name, class.code(), i as i64],
        )?;
    }
    for (i, s) in seed.sources.iter().enumerate() {
        tx.execute("INSERT INTO sources (name, sort) VALUES (?1, ?2)", params![s, i as i64])?;
    }
    mark_sources(tx, seed)?;
    let mut cat =
        tx.prepare("INSERT INTO categories (code, parent_code, name, initials, sort) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, c) in seed.categories.iter().enumerate() {
        cat.execute(params![c.code, None::<String>, c.name, name::initials(&c.name), i as i64])?;
        for (j, child) in c.children.iter().enumerate() {
            let code = format!("{}{:02}", c.code, j + 1);
            cat.execute(params![code, c.code, child, name::initials(child), j as i64])?;
        }
    }
    for (i, s) in seed.streets.iter().enumerate() {
        tx.execute(
            "INSERT INTO streets (code, name, initials, sort) VALUES (?1, ?2, ?3, ?4)",
            params![s.code, s.name, name::initials(&s.name), i as i64],
        )?;
    }
    for u in &seed.units {
        tx.execute(
            "INSERT INTO units (name, initials, contact, phone) VALUES (?1, ?2, ?3, ?4)",
            params![u.name, name::initials(&u.name), u.contact, u.phone],
        )?;
    }
    for l in &seed.leaders {
        tx.execute(
            "INSERT INTO leaders (name, post, portfolio) VALUES (?1, ?2, ?3)",
            params![l.name, l.post, l.portfolio],
        )?;
    }
    insert_key_groups(tx, seed)
}

/// The sources a leader sent a matter through (`sources.leader`) and those a
/// higher level 交办s through (`sources.from_above`).
fn mark_sources(tx: &Transaction, seed: &Seed) -> Result<()> {
    for (names, column, what) in
        [(&seed.leader_sources, "leader", "领导来源"), (&seed.from_above_sources, "from_above", "上级交办来源")]
    {
        for name in names {
            if !seed.sources.contains(name) {
                return Err(StoreError::Seed(format!("{what} {name} 不在来源列表中")));
            }
            // `column` is one of the two literals above.
            tx.execute(&format!("UPDATE sources SET {column} = 1 WHERE name = ?1"), [name])?;
        }
    }
    Ok(())
}

fn shipped_seed() -> Result<Seed> {
    toml::from_str(SEED).map_err(|e| StoreError::Seed(e.to_string()))
}

/// Version 15: mark the shipped seed's leader sources in a database seeded
/// before (its other flag did not exist yet).
pub fn migrate_leader_sources(tx: &Transaction) -> Result<()> {
    let seed = Seed { from_above_sources: Vec::new(), ..shipped_seed()? };
    mark_sources(tx, &seed)
}

/// Version 18: mark the sources a higher level 交办s through.
pub fn migrate_source_flags(tx: &Transaction) -> Result<()> {
    mark_sources(tx, &shipped_seed()?)
}

/// Map the seed's key groups onto the categories present (by name).
fn insert_key_groups(tx: &Transaction, seed: &Seed) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT OR IGNORE INTO key_groups (category_code, grp) SELECT code, ?2 FROM categories WHERE name = ?1",
    )?;
    for g in &seed.key_groups {
        for c in &g.categories {
            stmt.execute(params![c, g.name])?;
        }
    }
    Ok(())
}

/// Migration step: databases seeded before key groups existed get the seed's mapping.
pub fn migrate_key_groups(tx: &Transaction) -> Result<()> {
    let seed: Seed = toml::from_str(SEED).map_err(|e| StoreError::Seed(e.to_string()))?;
    insert_key_groups(tx, &seed)
}

/// One choice of a reference list, as pickers and lookups need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub name: String,
    pub initials: String,
    /// The parent's code for a second-level category.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub code: String,
    pub name: String,
    pub letter: char,
}

#[derive(Debug, Clone)]
pub struct Purpose {
    pub code: String,
    pub name: String,
    pub class: CaseClass,
}

/// The active reference lists, loaded once at start-up (they are small).
#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    pub forms: Vec<Form>,
    pub purposes: Vec<Purpose>,
    pub sources: Vec<String>,
    pub categories: Vec<Choice>,
    pub streets: Vec<Choice>,
    pub units: Vec<Choice>,
    /// Category code → 重点群体 (a parent's group covers its children).
    pub key_groups: std::collections::HashMap<String, String>,
}

impl ReferenceData {
    pub fn load(conn: &Connection) -> Result<ReferenceData> {
        let forms = conn
            .prepare("SELECT code, name, letter FROM forms WHERE active ORDER BY sort")?
            .query_map([], |r| {
                let letter: String = r.get(2)?;
                Ok(Form { code: r.get(0)?, name: r.get(1)?, letter: letter.chars().next().unwrap_or('X') })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let purposes = conn
            .prepare("SELECT code, name, class FROM purposes WHERE active ORDER BY sort")?
            .query_map([], |r| {
                let class: String = r.get(2)?;
                Ok(Purpose {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    class: CaseClass::from_code(&class).unwrap_or(CaseClass::Other),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let sources = conn
            .prepare("SELECT name FROM sources WHERE active ORDER BY sort")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let choices = |sql: &str| -> Result<Vec<Choice>> {
            Ok(conn
                .prepare(sql)?
                .query_map([], |r| {
                    Ok(Choice { code: r.get(0)?, name: r.get(1)?, initials: r.get(2)?, parent: r.get(3)? })
                })?
                .collect::<rusqlite::Result<_>>()?)
        };
        Ok(ReferenceData {
            forms,
            purposes,
            sources,
            categories: choices(
                "SELECT code, name, initials, parent_code FROM categories WHERE active
                 ORDER BY coalesce(parent_code, code), parent_code IS NOT NULL, sort",
            )?,
            streets: choices("SELECT code, name, initials, NULL FROM streets WHERE active ORDER BY sort")?,
            units: choices("SELECT CAST(id AS TEXT), name, initials, NULL FROM units WHERE active ORDER BY id")?,
            key_groups: conn
                .prepare("SELECT category_code, grp FROM key_groups")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?,
        })
    }

    pub fn form(&self, code: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.code == code)
    }

    pub fn form_by_name(&self, name: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.name == name)
    }

    pub fn purpose_by_name(&self, name: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.name == name)
    }

    pub fn category_by_name(&self, name: &str) -> Option<&Choice> {
        self.categories.iter().find(|c| c.name == name)
    }

    pub fn category(&self, code: &str) -> Option<&Choice> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// "城乡建设 / 物业管理" for a second-level category.
    pub fn category_path(&self, code: &str) -> String {
        match self.category(code) {
            Some(c) => match c.parent.as_deref().and_then(|p| self.category(p)) {
                Some(parent) => format!("{}/{}", parent.name, c.name),
                None => c.name.clone(),
            },
            None => String::new(),
        }
    }

    /// The key group a category belongs to, directly or through its parent.
    pub fn key_group(&self, code: &str) -> Option<&str> {
        self.key_groups
            .get(code)
            .or_else(|| self.category(code)?.parent.as_ref().and_then(|p| self.key_groups.get(p)))
            .map(String::as_str)
    }

    pub fn street_by_name(&self, name: &str) -> Option<&Choice> {
        self.streets.iter().find(|s| s.name == name)
    }

    pub fn street(&self, code: &str) -> Option<&Choice> {
        self.streets.iter().find(|s| s.code == code)
    }
}
