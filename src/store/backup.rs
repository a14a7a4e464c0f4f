//! Backups: SQLite's online backup (a consistent copy while other desks
//! write), verified before it counts, optionally encrypted; a rotating daily
//! backup at start-up; the audit log of actions on no single case.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, params};

use super::chain::{self, Head, Sequence};
use super::{Result, Store, StoreError, migrations, timestamp};

/// Record an action that concerns no single case (export, backup, restore).
pub fn audit(store: &mut Store, operator: &str, action: &str, detail: &str, at: NaiveDateTime) -> Result<()> {
    store.write(|tx| audit_in(tx, operator, action, detail, at))
}

/// [`audit`] inside a transaction the caller holds (with the change it records).
pub fn audit_in(
    tx: &rusqlite::Transaction,
    operator: &str,
    action: &str,
    detail: &str,
    at: NaiveDateTime,
) -> Result<()> {
    let at = timestamp(at);
    let prev = super::chain::head(tx, super::chain::Sequence::Audit)?;
    let head = super::chain::link_audit(&prev, &super::chain::AuditFields { at: &at, operator, action, detail });
    tx.execute(
        "INSERT INTO audit_log (at, operator, action, detail, seq, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at, operator, action, detail, head.seq, head.hash],
    )?;
    Ok(())
}

/// What a verified copy holds: its version, its cases and the heads of its
/// two sequences (the anchor the backup records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub version: u32,
    pub cases: i64,
    pub trail: Head,
    pub audit: Head,
}

/// A new file only the owner may read, from its first byte.
pub(crate) fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
}

/// Is `path` a sound xfdesk database of this version (quick check)?
pub fn verify(path: &Path) -> Result<Verified> {
    let shown = crate::text::sanitize_line(&path.display().to_string()).into_owned();
    let bad = |why: String| StoreError::Invalid(format!("{shown} 不是可用的 xfdesk 数据库：{why}"));
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(e.to_string()))?;
    super::identity::ensure_ours(&conn, path)?;
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    if ok != "ok" {
        return Err(bad(format!("完整性检查未通过（{ok}）")));
    }
    let version: u32 = migrations::current_version(&conn)?;
    if version != migrations::LATEST {
        return Err(bad(format!("结构版本为 {version}，本程序为 {}", migrations::LATEST)));
    }
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    Ok(Verified {
        version,
        cases,
        trail: chain::head(&conn, Sequence::Trail)?,
        audit: chain::head(&conn, Sequence::Audit)?,
    })
}

/// Copy the database to `out` while others may be writing, verify the copy,
/// and (with a lock) encrypt it. `out` appears only once it is complete.
pub fn backup(store: &Store, out: &Path, lock: Option<&super::encrypt::Lock>) -> Result<Verified> {
    let plain = sibling(out, "plain.partial");
    let result = copy_verified(store, &plain).and_then(|v| {
        let done = match lock {
            None => plain.clone(),
            Some(how) => {
                let locked = sibling(out, "partial");
                let _ = std::fs::remove_file(&locked);
                super::encrypt::lock(&plain, &locked, how)?;
                locked
            }
        };
        std::fs::rename(&done, out).map_err(|e| {
            let _ = std::fs::remove_file(&done);
            StoreError::Invalid(format!("无法写入 {}：{e}", crate::text::sanitize_line(&out.display().to_string())))
        })?;
        Ok(v)
    });
    let _ = std::fs::remove_file(&plain);
    result
}

/// SQLite's online backup into the new file `tmp` (0600 from its first byte),
/// made self-contained (no -wal beside it) and checked.
fn copy_verified(store: &Store, tmp: &Path) -> Result<Verified> {
    let _ = std::fs::remove_file(tmp);
    create_owner_only(tmp).map_err(|e| StoreError::Invalid(format!("无法创建备份文件：{e}")))?;
    {
        let mut dst = Connection::open(tmp)?;
        {
            let b = rusqlite::backup::Backup::new(store.conn(), &mut dst)?;
            // All pages in one step: one read transaction that writers pass in
            // WAL mode; copied in slices, each desk's commit would restart it.
            // (`run_to_completion` takes only a positive slice.)
            loop {
                match b.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        }
        let _: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    }
    verify(tmp)
}

/// `backup.db` → `backup.db.<suffix>`: a name in the same folder.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Once a day at start-up: a backup into `dir`, keeping the newest `keep`.
/// Returns the new file and what it holds, or `None` when today's exists already.
pub fn daily(store: &Store, dir: &Path, keep: usize, now: NaiveDateTime) -> Result<Option<(PathBuf, Verified)>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| StoreError::Invalid(format!("无法创建备份目录 {}：{e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    let file = dir.join(format!("xfdesk-{}.db", now.format("%Y%m%d")));
    if file.exists() {
        return Ok(None);
    }
    let verified = backup(store, &file, None)?;
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| StoreError::Invalid(e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("xfdesk-") && n.ends_with(".db"))
        })
        .collect();
    all.sort();
    let excess = all.len().saturating_sub(keep.max(1));
    for old in all.into_iter().take(excess) {
        let _ = std::fs::remove_file(old);
    }
    Ok(Some((file, verified)))
}
