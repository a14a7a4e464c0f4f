//! Restore: a backup replaces the database only after the full check passes
//! on it, and never in a way that can lose the database it replaces.
//!
//! 1. Refuse the live file itself, and a file other windows hold open.
//! 2. Decrypt (if locked) into a temporary file in the target's folder.
//! 3. Run the same check as `xfdesk check` on it (integrity, foreign keys,
//!    version and tables, both sequences, seals, guards, the anchors up to
//!    its heads). Refused: nothing has been touched.
//! 4. Copy it through SQLite's backup API from a read-only connection (so a
//!    backup's `-wal` is honoured), fsync.
//! 5. Keep the old database under a name no other restore can take (a hard
//!    link), then rename the copy over the target: one atomic step, so a kill
//!    at any moment leaves either the old or the new database in place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::backup::{Verified, create_owner_only, sibling};
use super::chain::{self, Sequence};
use super::encrypt::Key;
use super::identity::{self, sidecar};
use super::{Result, StoreError, check};
use crate::anchors::Anchor;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub verified: Verified,
    /// Where the database it replaced was kept.
    pub kept: Option<PathBuf>,
}

fn shown(p: &Path) -> String {
    crate::text::sanitize_line(&p.display().to_string()).into_owned()
}

/// What to restore, from where, and with what.
pub struct Request<'a> {
    /// The database to replace.
    pub target: &'a Path,
    /// The backup.
    pub from: &'a Path,
    /// The passphrase or key of an encrypted backup.
    pub key: Option<&'a Key>,
    /// The anchors recorded so far (those up to the backup's heads must hold).
    pub anchors: &'a [Anchor],
    pub now: NaiveDateTime,
}

/// Replace the database at `req.target` with the backup `req.from`.
pub fn restore(req: &Request) -> Result<Restored> {
    let (target, from, now) = (req.target, req.from, req.now);
    if !from.is_file() {
        return Err(StoreError::Invalid(format!("备份文件 {} 不存在", shown(from))));
    }
    if same_file(target, from) {
        return Err(StoreError::Invalid(format!(
            "{} 就是正在使用的数据库，不能用它自己恢复；未做任何改动",
            shown(from)
        )));
    }
    if target.exists() && in_use(target) {
        return Err(StoreError::Invalid(format!(
            "{} 正被其他 xfdesk 窗口使用：请先关闭所有窗口再恢复（否则这些窗口随后的登记会写进被替换的旧文件）",
            shown(target)
        )));
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stamp = format!("{}-{}", std::process::id(), now.format("%Y%m%d%H%M%S"));
    let work = Work {
        plain: dir.join(format!(".xfdesk-restore-{stamp}.plain")),
        copy: sibling(target, &format!("restore-{stamp}.partial")),
    };
    let result = work.run(req);
    work.clean();
    result
}

/// The temporary files of one restore, removed whatever happens.
struct Work {
    plain: PathBuf,
    copy: PathBuf,
}

impl Work {
    fn run(&self, req: &Request) -> Result<Restored> {
        let (target, from) = (req.target, req.from);
        let source = match (super::encrypt::is_encrypted(from), req.key) {
            (true, None) => {
                return Err(StoreError::Invalid("这是加密的备份：请给出口令（或 --identity 私钥文件）".into()));
            }
            (true, Some(key)) => {
                super::encrypt::unlock(from, &self.plain, key)?;
                self.plain.as_path()
            }
            (false, _) => from,
        };
        let verified = full_check(source, req.anchors)?;
        copy_through_backup_api(source, &self.copy)?;
        let kept = match target.exists() {
            true => Some(keep_aside(target, req.now)?),
            false => None,
        };
        std::fs::rename(&self.copy, target).map_err(|e| {
            StoreError::Invalid(format!("无法把恢复的数据库放到 {}：{e}（原数据库未动）", shown(target)))
        })?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(target, suffix));
        }
        sync_dir(target);
        Ok(Restored { verified, kept })
    }

    fn clean(&self) {
        for p in [&self.plain, &self.copy] {
            let _ = std::fs::remove_file(p);
            let _ = std::fs::remove_file(sidecar(p, "-journal"));
        }
    }
}

/// The check `xfdesk check` runs, on the backup (opened read-only).
fn full_check(path: &Path, anchors: &[Anchor]) -> Result<Verified> {
    let refused = |why: String| StoreError::Invalid(format!("备份 {} 未通过校验，没有恢复：{why}", shown(path)));
    let unreadable = |e: StoreError| match e {
        StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            refused("不是 SQLite 数据库文件，或文件已损坏".into())
        }
        other => refused(other.to_string()),
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| refused(e.to_string()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    identity::ensure_ours(&conn, path).map_err(unreadable)?;
    let report = check::run(&conn, false).map_err(unreadable)?;
    if let Some(why) = report.first_problem() {
        return Err(refused(why));
    }
    if let Some(why) = crate::anchors::verify(&conn, anchors, true)?.into_iter().next() {
        return Err(refused(why));
    }
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    Ok(Verified {
        version: report.schema_version,
        cases,
        trail: chain::head(&conn, Sequence::Trail)?,
        audit: chain::head(&conn, Sequence::Audit)?,
    })
}

/// A self-contained copy of `source` (with whatever its WAL holds) in the new
/// file `out`, flushed to disk.
fn copy_through_backup_api(source: &Path, out: &Path) -> Result<()> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let _ = std::fs::remove_file(out);
    create_owner_only(out).map_err(|e| StoreError::Invalid(format!("无法在 {} 创建临时文件：{e}", shown(out))))?;
    {
        let mut dst = Connection::open(out)?;
        rusqlite::backup::Backup::new(&src, &mut dst)?.run_to_completion(1024, Duration::ZERO, None)?;
        let _: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    }
    std::fs::File::open(out)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Invalid(format!("无法写入 {}：{e}", shown(out))))
}

/// Keep the database at `target` under `*.replaced-<time>[-N].db`, a name
/// that did not exist (two restores in one second never share one). A hard
/// link: the target stays in place until the rename replaces it.
fn keep_aside(target: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let base = format!("replaced-{}", now.format("%Y%m%d%H%M%S"));
    for n in 1..1000 {
        let ext = if n == 1 { format!("{base}.db") } else { format!("{base}-{n}.db") };
        let kept = target.with_extension(ext);
        match std::fs::hard_link(target, &kept) {
            Ok(()) => return Ok(kept),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // No hard links on this file system: a copy, flushed.
                if create_owner_only(&kept).is_err() {
                    continue;
                }
                std::fs::copy(target, &kept)
                    .and_then(|_| std::fs::File::open(&kept)?.sync_all())
                    .map_err(|e| StoreError::Invalid(format!("无法保留原数据库：{e}（未做任何改动）")))?;
                return Ok(kept);
            }
        }
    }
    Err(StoreError::Invalid("无法为原数据库找到可用的保留文件名（未做任何改动）".into()))
}

/// The same file, by any path (a symlink, `./`, a hard link).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

/// Whether another connection has `db` open. Our own connection folds the
/// WAL into the main file; when the last connection closes SQLite deletes the
/// WAL, so a WAL still there after we close means someone else holds the file.
fn in_use(db: &Path) -> bool {
    match Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        Ok(conn) => {
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            drop(conn);
        }
        Err(_) => return false,
    }
    sidecar(db, "-wal").exists()
}
