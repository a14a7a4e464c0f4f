//! Which xfdesk windows are running on a database: each holds an exclusive
//! lock on a small file beside it for as long as it runs (the OS drops the
//! lock when the process dies, also by `kill -9`). A draft whose window holds
//! no lock is an orphan, offered back at the next start.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::Result;

/// The lock a running window holds; dropped with the process.
#[derive(Debug)]
pub struct WindowLock {
    _file: File,
}

/// The lock file of `desk` beside the database (the desk name hex-encoded,
/// since it may hold a tty path).
fn lock_path(db: &Path, desk: &str) -> PathBuf {
    super::identity::sidecar(db, &format!("-window-{}.lock", hex::encode(desk.as_bytes())))
}

fn open(db: &Path, desk: &str) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(lock_path(db, desk))
        .map_err(|e| super::StoreError::Invalid(format!("无法创建窗口锁文件：{e}")))
}

/// Take the window identity `desk` for this process: itself if no other
/// running window has it, else `desk#2`, `desk#3` … (two windows never share
/// a draft). Returns the identity taken and its lock.
pub fn claim(db: &Path, desk: &str) -> Result<(String, WindowLock)> {
    for n in 1.. {
        let name = if n == 1 { desk.to_string() } else { format!("{desk}#{n}") };
        let file = open(db, &name)?;
        if file.try_lock().is_ok() {
            return Ok((name, WindowLock { _file: file }));
        }
    }
    unreachable!("some suffix is free")
}

/// Whether a running window holds `desk` now.
pub fn is_running(db: &Path, desk: &str) -> bool {
    if !lock_path(db, desk).exists() {
        return false;
    }
    match open(db, desk) {
        Ok(file) => file.try_lock().is_err(),
        Err(_) => false,
    }
}
