//! A reader that stays: one worker thread with its own read-only connection,
//! kept open between requests so its page cache stays warm. The search asks
//! it once per frame while the clerk types; a fresh connection per query
//! (as [`super::loader::Loader`] opens for a screen's one load) would read
//! every page of a million-case file from disk again each time.
//!
//! Only the newest request counts: the worker skips requests that a newer
//! one overtook before it started, and an answer to an older request is
//! dropped unread.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::store::{Store, StoreError};

type Outcome<T> = Result<T, StoreError>;
type Job<T> = Box<dyn FnOnce(&Connection) -> Outcome<T> + Send>;

/// The worker, started by the first request.
struct Worker<T> {
    jobs: Sender<(u64, Job<T>)>,
    answers: Receiver<(u64, Outcome<T>)>,
}

pub struct Standing<T> {
    worker: Option<Worker<T>>,
    /// The number of the newest request, and of the newest taken answer.
    asked: u64,
    answered: u64,
    /// What the worker reads, for its thread's name.
    name: &'static str,
}

impl<T> std::fmt::Debug for Standing<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Standing").field("asked", &self.asked).field("answered", &self.answered).finish()
    }
}

/// What a worker that died without an answer leaves.
fn lost() -> StoreError {
    StoreError::Invalid(crate::app::strings::app::LOAD_LOST.into())
}

impl<T: Send + 'static> Standing<T> {
    pub fn new(name: &'static str) -> Standing<T> {
        Standing { worker: None, asked: 0, answered: 0, name }
    }

    /// Ask for `read` to run on the worker (started on the first call, with
    /// its own read-only connection to `store`'s file); any earlier request
    /// still waiting is superseded.
    pub fn ask(&mut self, store: &Store, read: impl FnOnce(&Connection) -> Outcome<T> + Send + 'static) -> Outcome<()> {
        if self.worker.is_none() {
            self.worker = Some(self.spawn(store)?);
        }
        self.asked += 1;
        let job: Job<T> = Box::new(read);
        let sent = self.worker.as_ref().map(|w| w.jobs.send((self.asked, job)));
        if !matches!(sent, Some(Ok(()))) {
            // The thread is gone (it panicked): the next request starts another.
            self.worker = None;
            self.answered = self.asked;
            return Err(lost());
        }
        Ok(())
    }

    /// The thread opens its connection itself, on the first request (a
    /// failure to open is that request's answer; the next one tries again).
    fn spawn(&self, store: &Store) -> Outcome<Worker<T>> {
        let source = store.reader_source();
        let (jobs, inbox) = mpsc::channel::<(u64, Job<T>)>();
        let (outbox, answers) = mpsc::channel();
        let spawned = std::thread::Builder::new().name(format!("xfdesk {}", self.name)).spawn(move || {
            let mut conn = None;
            while let Ok(mut job) = inbox.recv() {
                // Requests that came while the last one ran: only the newest.
                while let Ok(newer) = inbox.try_recv() {
                    job = newer;
                }
                let (seq, read) = job;
                if conn.is_none() {
                    conn = source.open().map_err(|e| outbox.send((seq, Err(e)))).ok();
                }
                if let Some(c) = &conn
                    && outbox.send((seq, read(c))).is_err()
                {
                    break;
                }
            }
        });
        spawned.map_err(|e| StoreError::Invalid(format!("{}（{e}）", crate::app::strings::app::LOAD_LOST)))?;
        Ok(Worker { jobs, answers })
    }

    /// Whether the newest request is still unanswered.
    pub fn busy(&self) -> bool {
        self.answered < self.asked
    }

    /// The answer to the newest request, if it is in (older ones are dropped).
    pub fn poll(&mut self) -> Option<Outcome<T>> {
        self.wait_for(Duration::ZERO)
    }

    /// The answer to the newest request, waiting at most `patience` for it.
    pub fn wait_for(&mut self, patience: Duration) -> Option<Outcome<T>> {
        if !self.busy() {
            return None;
        }
        let until = Instant::now() + patience;
        loop {
            let answers = &self.worker.as_ref()?.answers;
            let got = match until.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => answers.recv_timeout(left).map_err(|e| e == RecvTimeoutError::Timeout),
                _ => answers.try_recv().map_err(|e| e == TryRecvError::Empty),
            };
            match got {
                Ok((seq, outcome)) if seq == self.asked => {
                    self.answered = seq;
                    return Some(outcome);
                }
                Ok(_) => continue,
                Err(true) => return None,
                Err(false) => {
                    self.worker = None;
                    self.answered = self.asked;
                    return Some(Err(lost()));
                }
            }
        }
    }

    /// Block until the newest request is answered (tests and benchmarks).
    pub fn wait(&mut self) -> Option<Outcome<T>> {
        self.wait_for(Duration::from_secs(120)).or_else(|| self.busy().then(|| Err(lost())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        (dir, store)
    }

    fn slow(ms: u64, answer: i64) -> impl FnOnce(&Connection) -> Outcome<i64> + Send + 'static {
        move |conn| {
            std::thread::sleep(Duration::from_millis(ms));
            Ok(conn.query_row("SELECT ?1", [answer], |r| r.get(0))?)
        }
    }

    #[test]
    fn only_the_newest_answer_is_taken() {
        let (_dir, store) = store();
        let mut s = Standing::new("test");
        s.ask(&store, slow(50, 1)).unwrap();
        s.ask(&store, slow(0, 2)).unwrap();
        s.ask(&store, slow(0, 3)).unwrap();
        assert!(s.busy());
        assert_eq!(s.wait().unwrap().unwrap(), 3);
        assert!(!s.busy());
        assert!(s.poll().is_none(), "an older answer arrived after the newest");
    }

    #[test]
    fn a_slow_answer_is_not_waited_for_beyond_the_patience() {
        let (_dir, store) = store();
        let mut s = Standing::new("test");
        s.ask(&store, slow(300, 7)).unwrap();
        let t = Instant::now();
        assert!(s.wait_for(Duration::from_millis(5)).is_none());
        assert!(t.elapsed() < Duration::from_millis(250), "waited {:?}", t.elapsed());
        assert!(s.busy());
        assert_eq!(s.wait().unwrap().unwrap(), 7);
    }

    #[test]
    fn the_worker_keeps_one_connection_across_requests() {
        let (_dir, store) = store();
        let mut s = Standing::new("test");
        // A temporary table lives only as long as its connection.
        s.ask(&store, |c: &Connection| Ok(c.execute_batch("CREATE TEMP TABLE kept (x)").map(|()| 0)?)).unwrap();
        s.wait().unwrap().unwrap();
        s.ask(&store, |c: &Connection| Ok(c.query_row("SELECT count(*) FROM temp.kept", [], |r| r.get(0))?)).unwrap();
        assert_eq!(s.wait().unwrap().unwrap(), 0);
    }

    #[test]
    fn a_file_that_cannot_be_opened_is_the_answer_and_the_next_request_tries_again() {
        let (dir, store) = store();
        let path = dir.path().join("s.db");
        let mut s = Standing::new("test");
        let kept = dir.path().join("kept.db");
        std::fs::rename(&path, &kept).unwrap();
        s.ask(&store, slow(0, 1)).unwrap();
        assert!(s.wait().unwrap().is_err(), "no file: the answer is an error");
        std::fs::rename(&kept, &path).unwrap();
        s.ask(&store, slow(0, 2)).unwrap();
        assert_eq!(s.wait().unwrap().unwrap(), 2);
    }

    #[test]
    fn a_worker_that_panicked_is_replaced_by_the_next_request() {
        let (_dir, store) = store();
        let mut s: Standing<i64> = Standing::new("test");
        s.ask(&store, |_: &Connection| panic!("boom")).unwrap();
        assert!(s.wait().unwrap().is_err());
        assert!(!s.busy());
        s.ask(&store, slow(0, 5)).unwrap();
        assert_eq!(s.wait().unwrap().unwrap(), 5);
    }
}
