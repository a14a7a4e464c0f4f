//! Work that runs beside the desk on a thread of its own, with its own
//! connection: today the first start of the day's backup (a 3.6 GB file took
//! 20.8 s, which used to come before the first frame). The status bar reads
//! its state on every frame; the desk never waits for it.

use std::sync::{Arc, Mutex};

/// Where a background job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Running: what the status bar says meanwhile.
    Running(&'static str),
    /// Done: what it made (logged; the status bar says nothing more).
    Done(String),
    /// Failed: the status bar says so, in the danger style, until the desk ends.
    Failed(String),
}

/// A handle shared by the job and the desk (cloned into the session).
#[derive(Debug, Clone, Default)]
pub struct Background(Arc<Mutex<Option<JobState>>>);

impl Background {
    /// Run `job` on its own thread; `running` is said until it ends.
    pub fn start(
        &self,
        running: &'static str,
        job: impl FnOnce() -> Result<String, String> + Send + 'static,
    ) -> std::thread::JoinHandle<()> {
        self.set(JobState::Running(running));
        let shared = self.clone();
        let thread = std::thread::Builder::new().name(format!("xfdesk {running}"));
        let spawned = thread.spawn(move || {
            // A job that panics is a failure said on the status bar, not a job running forever.
            let done = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
                Ok(Ok(what)) => JobState::Done(what),
                Ok(Err(why)) => JobState::Failed(why),
                Err(_) => JobState::Failed(format!("{running}：内部错误，详见日志")),
            };
            shared.set(done);
        });
        spawned.unwrap_or_else(|e| {
            self.set(JobState::Failed(format!("{running}：无法启动（{e}）")));
            std::thread::spawn(|| {})
        })
    }

    fn set(&self, s: JobState) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(s);
    }

    pub fn state(&self) -> Option<JobState> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The status bar's words for the job, and whether they are an error.
    pub fn status(&self) -> Option<(String, bool)> {
        match self.state()? {
            JobState::Running(what) => Some((what.to_string(), false)),
            JobState::Failed(why) => Some((why, true)),
            JobState::Done(_) => None,
        }
    }
}
