//! Is this file ours? xfdesk marks its databases with `PRAGMA application_id`
//! and looks before it writes anything (not even the journal mode): another
//! application's SQLite file, or one from a newer xfdesk, is left exactly as
//! it was.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Result, StoreError, migrations};

/// "XFDS" as a big-endian integer; set by migration 12.
pub const APPLICATION_ID: i32 = 0x5846_4453;

/// Refuse a file that is not an xfdesk database of a version we know.
pub fn ensure_ours(conn: &Connection, path: &Path) -> Result<()> {
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = migrations::current_version(conn)?;
    if version > migrations::LATEST {
        return Err(StoreError::NewerSchema { found: version, supported: migrations::LATEST });
    }
    let foreign = |why: String| Err(StoreError::Foreign { path: path.to_path_buf(), why });
    if app == APPLICATION_ID {
        return Ok(());
    }
    if app != 0 {
        return foreign(format!("由其他程序创建，application_id 为 {app}"));
    }
    let tables = migrations::tables(conn)?;
    if tables.is_empty() && version == 0 {
        return Ok(()); // a new, empty file
    }
    // Written by xfdesk before version 12 marked its files.
    let ours_before_marking =
        version >= 1 && ["meta", "cases", "case_events"].iter().all(|t| tables.iter().any(|x| x == t));
    if ours_before_marking {
        return Ok(());
    }
    foreign(format!("其中已有 {} 张其他程序的数据表", tables.len()))
}

/// After a failed first open: remove the file this process created (and
/// SQLite's companions), unless a schema was committed into it meanwhile.
pub fn remove_with_sidecars(path: &Path) {
    let committed = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| migrations::current_version(&c))
        .is_ok_and(|v| v > 0);
    if committed {
        return;
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
}

/// SQLite's companion file of `db` (`-wal`, `-shm`, `-journal`).
pub fn sidecar(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    std::path::PathBuf::from(name)
}
