//! `xfdesk check`: is the database file sound, and has nobody altered it
//! behind the program's back? The same check runs on a backup before it may
//! replace the database.

use rusqlite::Connection;

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
    /// recount (full check only), one line each.
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

/// `quick` runs `quick_check` (seconds on a million cases) instead of the full
/// `integrity_check` (which also verifies every index against its table).
/// A file of another schema version is reported, not walked further.
pub fn run(conn: &Connection, quick: bool) -> Result<CheckReport> {
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
    let schema_version = migrations::current_version(conn)?;
    let mut report = CheckReport {
        schema_version,
        supported_version: migrations::LATEST,
        integrity,
        foreign_keys,
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
    if schema_version != migrations::LATEST || !report.integrity.is_empty() {
        return Ok(report);
    }
    let present = migrations::objects(conn)?;
    let missing: Vec<(String, String)> =
        migrations::expected_objects()?.into_iter().filter(|o| !present.contains(o)).collect();
    let interrupted: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_load_indexes')", [], |r| r.get(0))?;
    report.missing_objects = missing
        .iter()
        .map(|(kind, name)| match kind.as_str() {
            "table" => format!("缺少数据表 {name}"),
            _ if interrupted => format!("缺少索引 {name}（批量写入被中断，运行 xfdesk init 即可重建）"),
            _ => format!("缺少索引 {name}"),
        })
        .collect();
    if missing.iter().any(|(kind, _)| kind == "table") {
        return Ok(report);
    }
    report.trail = super::trail::verify(conn)?;
    report.audit = chain::verify_audit(conn)?;
    report.people = super::person_history::verify(conn)?;
    report.cases = seal::verify_cases(conn)?;
    report.missing_guards = guards::missing(conn)?;
    if !quick {
        report.counts = super::visits::mismatches(conn, 20)?
            .into_iter()
            .map(|id| format!("信访人档案 {id} 的来访统计与其事项不符"))
            .collect();
    }
    report.trail_head = chain::head(conn, Sequence::Trail)?;
    report.audit_head = chain::head(conn, Sequence::Audit)?;
    Ok(report)
}
