//! `xfdesk check`: is the database file sound, and has nobody altered it
//! behind the program's back? The same check runs on a backup before it may
//! replace the database.

use std::time::Duration;

use rusqlite::Connection;

use super::beside::side_by_side;
use super::chain::{self, Head, Sequence};
use super::{Result, guards, migrations, seal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: u32,
    pub supported_version: u32,
    /// Messages of `integrity_check` (or `quick_check`) other than "ok".
    pub integrity: Vec<String>,
    /// One line per row that breaks a foreign key.
    pub foreign_keys: Vec<String>,
    /// Tables and indexes the schema has and the file lacks, one line each.
    pub missing_objects: Vec<String>,
    /// The first place where the case trail does not hold (per case or globally).
    pub trail: Option<super::trail::BrokenLink>,
    /// The first audit row whose place in its sequence does not hold.
    pub audit: Option<String>,
    /// The first person-history row whose place in its chain does not hold.
    pub people: Option<String>,
    /// Cases whose row differs from the seal in their trail.
    pub cases: seal::Unsealed,
    /// Append-only guards that are missing or altered.
    pub missing_guards: Vec<&'static str>,
    /// People whose counted cases (`petitioner_visits`) differ from a
    /// recount, and links whose copied case day or category differ from the
    /// case (full check only), one line each.
    pub counts: Vec<String>,
    /// The heads of the two sequences (what an anchor records).
    pub trail_head: Head,
    pub audit_head: Head,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.missing_objects.is_empty()
            && self.trail.is_none()
            && self.audit.is_none()
            && self.people.is_none()
            && self.cases.count == 0
            && self.missing_guards.is_empty()
            && self.counts.is_empty()
            && self.schema_version == self.supported_version
    }

    /// The first reason the database is not sound, for a one-line refusal.
    pub fn first_problem(&self) -> Option<String> {
        if self.schema_version != self.supported_version {
            return Some(format!("结构版本为 {}，本程序为 {}", self.schema_version, self.supported_version));
        }
        let problems = [
            self.integrity.first().map(|m| format!("完整性检查未通过（{m}）")),
            self.foreign_keys.first().map(|m| format!("外键检查未通过（{m}）")),
            self.missing_objects.first().cloned(),
            self.trail.as_ref().map(|b| format!("办理记录校验链断裂（{b}）")),
            self.audit.clone().map(|m| format!("审计记录校验链断裂（{m}）")),
            self.people.clone().map(|m| format!("信访人档案变更记录校验链断裂（{m}）")),
            self.cases.lines.first().cloned(),
            self.missing_guards.first().map(|g| format!("只追加保护触发器 {g} 缺失")),
            self.counts.first().cloned(),
        ];
        problems.into_iter().flatten().next()
    }
}

/// What the check is doing, as each part starts and ends (the CLI shows it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    Started(&'static str),
    Finished(&'static str, Duration),
}

/// The parts, by what they are called on the progress line.
pub mod part {
    pub const STRUCTURE: &str = "文件结构";
    pub const FOREIGN_KEYS: &str = "外键";
    pub const TRAIL: &str = "办理记录校验链";
    pub const SEALS: &str = "事项封记";
    pub const OTHER_CHAINS: &str = "审计与档案校验链";
    pub const COUNTS: &str = "来访统计";
}

/// [`run_with`] with no progress shown.
pub fn run(conn: &Connection, quick: bool) -> Result<CheckReport> {
    run_with(conn, quick, &|_| {})
}

/// The whole check. Its three long parts — the file's structure, the case
/// trail and the case seals — run side by side, each on a read-only
/// connection of its own (each reads one snapshot; on a million cases they
/// take seconds each, and the machine has two cores).
///
/// `quick` checks each table and its indexes with `quick_check` and leaves
/// out what only the full check does: `integrity_check` (every index entry
/// against its row, every page of the file accounted for, the full-text
/// index rebuilt and compared — SQLite does that since 3.44, most of its
/// time), `foreign_key_check` (every write runs with foreign keys on) and
/// the recount of each person's cases. Both walk every hash chain and seal.
/// A file of another schema version or with a broken structure is
/// reported, not walked further.
pub fn run_with(conn: &Connection, quick: bool, progress: &(dyn Fn(Step) + Sync)) -> Result<CheckReport> {
    let schema_version = migrations::current_version(conn)?;
    let mut report = CheckReport {
        schema_version,
        supported_version: migrations::LATEST,
        integrity: Vec::new(),
        foreign_keys: Vec::new(),
        missing_objects: Vec::new(),
        trail: None,
        audit: None,
        people: None,
        cases: seal::Unsealed::default(),
        missing_guards: Vec::new(),
        counts: Vec::new(),
        trail_head: Head::default(),
        audit_head: Head::default(),
    };
    if schema_version != migrations::LATEST {
        (report.integrity, report.foreign_keys) = structure(conn, quick, progress)?;
        return Ok(report);
    }
    report.missing_objects = missing_objects(conn)?;
    if report.missing_objects.iter().any(|m| m.starts_with("缺少数据表")) {
        (report.integrity, report.foreign_keys) = structure(conn, quick, progress)?;
        return Ok(report);
    }
    let shape = |c: &Connection| structure(c, quick, progress);
    let seals = |c: &Connection| timed(progress, part::SEALS, || seal::verify_cases(c));
    let trail = |c: &Connection| timed(progress, part::TRAIL, || super::trail::verify(c));
    let chains = |c: &Connection| Ok(side_by_side(c, trail, seals));
    let (chains, shape) = side_by_side(conn, chains, shape);
    let (trail, seals) = chains?;
    (report.integrity, report.foreign_keys) = shape?;
    // A damaged file is named as such: what the chains said of it is not the point.
    if !report.integrity.is_empty() {
        return Ok(report);
    }
    report.trail = trail?;
    report.cases = seals?;
    timed(progress, part::OTHER_CHAINS, || -> Result<()> {
        report.audit = chain::verify_audit(conn)?;
        report.people = super::person_history::verify(conn)?;
        report.missing_guards = guards::missing(conn)?;
        Ok(())
    })?;
    if !quick {
        report.counts = timed(progress, part::COUNTS, || counts(conn))?;
    }
    report.trail_head = chain::head(conn, Sequence::Trail)?;
    report.audit_head = chain::head(conn, Sequence::Audit)?;
    Ok(report)
}

/// The derived per-person facts that differ from their cases, one line each.
fn counts(conn: &Connection) -> Result<Vec<String>> {
    let people =
        super::visits::mismatches(conn, 20)?.into_iter().map(|id| format!("信访人档案 {id} 的来访统计与其事项不符"));
    let links = super::visits::link_copy_mismatches(conn, 20)?
        .into_iter()
        .map(|id| format!("事项 {id} 的信访人关联所记登记时间或分类与事项不符"));
    Ok(people.chain(links).collect())
}

fn timed<T>(progress: &(dyn Fn(Step) + Sync), name: &'static str, f: impl FnOnce() -> T) -> T {
    progress(Step::Started(name));
    let started = std::time::Instant::now();
    let out = f();
    progress(Step::Finished(name, started.elapsed()));
    out
}

/// Messages of the structure check other than "ok", and the foreign-key
/// problems (full check only).
fn structure(conn: &Connection, quick: bool, progress: &(dyn Fn(Step) + Sync)) -> Result<(Vec<String>, Vec<String>)> {
    let integrity = timed(progress, part::STRUCTURE, || -> Result<Vec<String>> {
        let pragmas = match quick {
            false => vec![("".to_string(), "PRAGMA integrity_check".to_string())],
            true => ordinary_tables(conn)?
                .into_iter()
                .map(|t| (format!("{t}："), format!("PRAGMA quick_check(\"{t}\")")))
                .collect(),
        };
        let mut out = Vec::new();
        for (table, sql) in pragmas {
            // A page too damaged to walk fails the statement instead of
            // answering: that is a finding, not an error of the check.
            let found = conn.prepare(&sql).and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
            });
            match found {
                Ok(messages) => out.extend(messages.into_iter().filter(|m| m != "ok").map(|m| format!("{table}{m}"))),
                Err(e) if is_damage(&e) => out.push(format!("{table}文件已损坏，无法读完")),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    })?;
    if quick || !integrity.is_empty() {
        return Ok((integrity, Vec::new()));
    }
    let foreign_keys = timed(progress, part::FOREIGN_KEYS, || -> Result<Vec<String>> {
        Ok(conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(format!("{table} 第 {} 行引用的 {parent} 记录不存在", rowid.unwrap_or_default()))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok((integrity, foreign_keys))
}

/// SQLite's answer for a file whose pages do not hold together.
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// Every table stored as a b-tree (the full-text index's own tables
/// included; the virtual table over them is not one).
fn ordinary_tables(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
             AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Tables and indexes the schema has and the file lacks, one line each.
fn missing_objects(conn: &Connection) -> Result<Vec<String>> {
    let present = migrations::objects(conn)?;
    let missing: Vec<(String, String)> =
        migrations::expected_objects()?.into_iter().filter(|o| !present.contains(o)).collect();
    let interrupted: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_load_indexes')", [], |r| r.get(0))?;
    Ok(missing
        .iter()
        .map(|(kind, name)| match kind.as_str() {
            "table" => format!("缺少数据表 {name}"),
            _ if interrupted => format!("缺少索引 {name}（批量写入被中断，运行 xfdesk init 即可重建）"),
            _ => format!("缺少索引 {name}"),
        })
        .collect())
}
