//! `xfdesk check`: is the database file sound?

use super::{Result, Store, migrations};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: u32,
    pub supported_version: u32,
    /// Messages of `integrity_check` (or `quick_check`) other than "ok".
    pub integrity: Vec<String>,
    /// One line per row that breaks a foreign key.
    pub foreign_keys: Vec<String>,
    /// The first place where the case trail's hash chain does not hold.
    pub trail: Option<super::trail::BrokenLink>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.trail.is_none()
            && self.schema_version == self.supported_version
    }
}

/// `quick` runs `quick_check` (seconds on a million cases) instead of the full
/// `integrity_check` (which also verifies every index against its table).
pub fn run(store: &Store, quick: bool) -> Result<CheckReport> {
    let conn = store.conn();
    let pragma = if quick { "quick_check" } else { "integrity_check" };
    let integrity = conn
        .prepare(&format!("PRAGMA {pragma}"))?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|m| m != "ok")
        .collect();
    let foreign_keys = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            Ok(format!("{table} 第 {} 行引用的 {parent} 记录不存在", rowid.unwrap_or_default()))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(CheckReport {
        schema_version: store.schema_version()?,
        supported_version: migrations::LATEST,
        integrity,
        foreign_keys,
        trail: super::trail::verify(conn)?,
    })
}
