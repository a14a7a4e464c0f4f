//! Two reads at once: the second on a thread with a read-only connection of
//! its own to the same file (WAL lets both read; each sees one snapshot).
//! For the long reads over a million cases — `check`'s parts, a year's
//! metrics — on a machine with two cores.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::Connection;

use super::{Result, StoreError};

/// `here` on `conn` while `there` runs beside it; both answers. On an
/// in-memory database (no file to open again) one after the other.
pub fn side_by_side<A, B: Send>(
    conn: &Connection,
    here: impl FnOnce(&Connection) -> Result<A>,
    there: impl FnOnce(&Connection) -> Result<B> + Send,
) -> (Result<A>, Result<B>) {
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(PathBuf::from) else {
        return (here(conn), there(conn));
    };
    std::thread::scope(|scope| {
        let beside = scope.spawn(move || {
            let own = super::reader_at(&path)?;
            own.busy_timeout(Duration::from_secs(5))?;
            there(&own)
        });
        let a = here(conn);
        let b = beside.join().unwrap_or_else(|_| Err(StoreError::Invalid(LOST.into())));
        (a, b)
    })
}

const LOST: &str = "同时进行的读取意外中止";
