//! A screen's data read on a worker thread with its own read-only
//! connection (WAL lets it read while desks write), so a key or another
//! desk's commit never waits for a query over a million cases. The screen
//! starts a load, keeps what it showed meanwhile, says "计算中", and takes
//! the result when `poll` finds it on a later frame.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use rusqlite::Connection;

use crate::store::{Store, StoreError};

type Outcome<T> = Result<T, StoreError>;

/// One screen's loads: at most one in flight; a newer one replaces it (the
/// older result is dropped unread).
pub struct Loader<T> {
    rx: Option<Receiver<Outcome<T>>>,
    /// What the running load reads, for the screen to say.
    step: &'static str,
}

impl<T> Default for Loader<T> {
    fn default() -> Self {
        Loader { rx: None, step: "" }
    }
}

impl<T> std::fmt::Debug for Loader<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader").field("busy", &self.rx.as_ref().map(|_| self.step)).finish()
    }
}

/// What a worker that died without an answer leaves.
fn lost() -> StoreError {
    StoreError::Invalid(crate::app::strings::app::LOAD_LOST.into())
}

impl<T: Send + 'static> Loader<T> {
    /// Read with `read` on a worker; `step` says what it reads meanwhile.
    pub fn start(
        &mut self,
        store: &Store,
        step: &'static str,
        read: impl FnOnce(&Connection) -> Outcome<T> + Send + 'static,
    ) -> Outcome<()> {
        // The worker opens its own connection: opening reads the schema, a
        // few milliseconds the UI thread (reloading on every other desk's
        // commit) should not spend.
        let source = store.reader_source();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name(format!("xfdesk {step}")).spawn(move || {
            let _ = tx.send(source.open().and_then(|conn| read(&conn)));
        });
        spawned.map_err(|e| StoreError::Invalid(format!("{}（{e}）", crate::app::strings::app::LOAD_LOST)))?;
        self.rx = Some(rx);
        self.step = step;
        Ok(())
    }

    /// What the load in flight reads, if one is.
    pub fn busy(&self) -> Option<&'static str> {
        self.rx.as_ref().map(|_| self.step)
    }

    /// The result, once the worker sent it.
    pub fn poll(&mut self) -> Option<Outcome<T>> {
        let got = match self.rx.as_ref()?.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(lost()),
        };
        self.rx = None;
        Some(got)
    }

    /// Block until the load in flight ends (tests and benchmarks).
    pub fn wait(&mut self) -> Option<Outcome<T>> {
        let got = self.rx.as_ref()?.recv_timeout(Duration::from_secs(120)).unwrap_or_else(|_| Err(lost()));
        self.rx = None;
        Some(got)
    }
}
