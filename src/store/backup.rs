//! Backups: SQLite's online backup (a consistent copy while other desks
//! write), verified before it counts; restore checks the file first and keeps
//! the database it replaces; a rotating daily backup at start-up.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, params};

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
    tx.execute(
        "INSERT INTO audit_log (at, operator, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![timestamp(at), operator, action, detail],
    )?;
    Ok(())
}

/// What a verified copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub version: u32,
    pub cases: i64,
}

fn set_owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    let _ = path;
}

/// Is `path` a sound xfdesk database this program can open?
pub fn verify(path: &Path) -> Result<Verified> {
    let bad = |why: String| StoreError::Invalid(format!("{} 不是可用的 xfdesk 数据库：{why}", path.display()));
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(e.to_string()))?;
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    if ok != "ok" {
        return Err(bad(format!("完整性检查未通过（{ok}）")));
    }
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == 0 {
        return Err(bad("没有 xfdesk 的数据结构".into()));
    }
    if version > migrations::LATEST {
        return Err(StoreError::NewerSchema { found: version, supported: migrations::LATEST });
    }
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    Ok(Verified { version, cases })
}

/// Copy the database to `out` while others may be writing, then verify the copy.
pub fn backup(store: &Store, out: &Path) -> Result<Verified> {
    let tmp = out.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    {
        let mut dst = Connection::open(&tmp)?;
        {
            let b = rusqlite::backup::Backup::new(store.conn(), &mut dst)?;
            b.run_to_completion(1024, Duration::from_millis(5), None)?;
        }
        // A single self-contained file: no -wal/-shm beside the copy.
        let _: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    }
    set_owner_only(&tmp);
    let verified = verify(&tmp)?;
    std::fs::rename(&tmp, out).map_err(|e| StoreError::Invalid(format!("无法写入 {}：{e}", out.display())))?;
    Ok(verified)
}

/// Replace the database at `target` with `from`, after checking `from`. The
/// replaced database is kept beside it; its path is returned.
pub fn restore(target: &Path, from: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    verify(from)?;
    let kept = if target.exists() {
        if in_use(target) {
            return Err(StoreError::Invalid(format!(
                "{} 正被其他 xfdesk 窗口使用：请先关闭所有窗口再恢复（否则这些窗口随后的登记会写进被替换的旧文件）",
                target.display()
            )));
        }
        let kept = target.with_extension(format!("replaced-{}.db", now.format("%Y%m%d%H%M%S")));
        std::fs::rename(target, &kept).map_err(|e| StoreError::Invalid(format!("无法保留原数据库：{e}")))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(target, suffix));
        }
        Some(kept)
    } else {
        None
    };
    std::fs::copy(from, target).map_err(|e| StoreError::Invalid(format!("无法复制 {}：{e}", from.display())))?;
    set_owner_only(target);
    Ok(kept)
}

/// SQLite's companion file of `db` (`-wal`, `-shm`): the name with the suffix appended.
fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether another connection has `db` open. Our own connection folds the
/// WAL into the main file; when the last connection closes SQLite deletes the
/// WAL, so a WAL still there after we close means someone else holds the file.
fn in_use(db: &Path) -> bool {
    match Connection::open(db) {
        Ok(conn) => {
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            drop(conn);
        }
        Err(_) => return false,
    }
    sidecar(db, "-wal").exists()
}

/// Once a day at start-up: a backup into `dir`, keeping the newest `keep`.
/// Returns the new file, or `None` when today's exists already.
pub fn daily(store: &Store, dir: &Path, keep: usize, now: NaiveDateTime) -> Result<Option<PathBuf>> {
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
    backup(store, &file)?;
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
    Ok(Some(file))
}
