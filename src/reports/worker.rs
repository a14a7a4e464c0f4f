//! A report computed on a worker thread with its own read-only connection,
//! so typing never waits for a report. The screen polls for the step the
//! worker is on and for its result.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};

use super::MetricsReport;
use crate::domain::screening::WeeklyReport;
use crate::store::reference::ReferenceData;
use crate::store::screening::{self, WeekParams};
use crate::store::warnings::WarningEntry;
use crate::store::{Store, StoreError};

/// Which report a worker computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The metrics of cases registered in the period.
    Metrics { from: NaiveDate, to: NaiveDate },
    /// The weekly screening report of the week ending on that day.
    Weekly { week_ending: NaiveDate },
    /// The 预警 list.
    Warnings,
}

/// What a worker sends back.
pub enum JobResult {
    Metrics(Result<Box<MetricsReport>, StoreError>),
    Weekly(Result<Box<WeeklyReport>, StoreError>),
    Warnings(Result<Vec<WarningEntry>, StoreError>),
}

impl JobResult {
    /// The answer of a `kind` job that could not run.
    fn failed(kind: Kind, e: StoreError) -> JobResult {
        match kind {
            Kind::Metrics { .. } => JobResult::Metrics(Err(e)),
            Kind::Weekly { .. } => JobResult::Weekly(Err(e)),
            Kind::Warnings => JobResult::Warnings(Err(e)),
        }
    }
}

enum JobMessage {
    Step(&'static str),
    Done(JobResult),
}

/// What a worker needs, owned, so it can run beside the UI.
#[derive(Debug, Clone)]
pub struct Params {
    pub refs: ReferenceData,
    pub office: String,
    pub operator: String,
    pub reviewer: String,
    pub week_end: chrono::Weekday,
    pub metric_rules: crate::domain::metrics::MetricRules,
    pub warning_rules: crate::domain::warning::WarningRules,
    pub today: NaiveDate,
}

/// A report being computed off the UI thread.
pub struct Job {
    pub kind: Kind,
    pub started: Instant,
    /// The worker's current step ("读取事项").
    pub step: &'static str,
    rx: Receiver<JobMessage>,
}

/// What polling a job found.
pub enum Poll {
    Running,
    Done(JobResult),
    /// The worker died without an answer.
    Lost,
}

impl Job {
    /// Start computing `kind` with a read-only connection of its own.
    pub fn start(store: &Store, kind: Kind, p: Params) -> Result<Job, StoreError> {
        // The worker opens its own connection (reading the schema is not the UI thread's work).
        let source = store.reader_source();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let step = |s| {
                let _ = tx.send(JobMessage::Step(s));
            };
            step("打开数据库");
            let conn = match source.open() {
                Ok(conn) => conn,
                Err(e) => {
                    let _ = tx.send(JobMessage::Done(JobResult::failed(kind, e)));
                    return;
                }
            };
            let result = match kind {
                Kind::Metrics { from, to } => {
                    step("统计期内事项、期限与回访");
                    let as_of = p.today.min(to + Days::new(1)).max(from);
                    let r = super::metrics_report(&conn, &p.office, (from, to, as_of), p.week_end, &p.metric_rules);
                    JobResult::Metrics(r.map(Box::new))
                }
                Kind::Weekly { week_ending } => {
                    step("本周事项、重点人员与矛盾纠纷");
                    let params = WeekParams {
                        week_ending,
                        office: p.office.clone(),
                        filled_by: p.operator.clone(),
                        reviewer: p.reviewer.clone(),
                        unmasked: false,
                    };
                    JobResult::Weekly(screening::weekly(&conn, &p.refs, &params, &p.warning_rules).map(Box::new))
                }
                Kind::Warnings => {
                    step("近期来访人员与各街道、类别件数");
                    JobResult::Warnings(crate::store::warnings::warning_list(&conn, &p.refs, p.today, &p.warning_rules))
                }
            };
            let _ = tx.send(JobMessage::Done(result));
        });
        Ok(Job { kind, started: Instant::now(), step: "准备", rx })
    }

    /// Take what the worker sent so far.
    pub fn poll(&mut self) -> Poll {
        loop {
            match self.rx.try_recv() {
                Ok(JobMessage::Step(s)) => self.step = s,
                Ok(JobMessage::Done(result)) => return Poll::Done(result),
                Err(TryRecvError::Empty) => return Poll::Running,
                Err(TryRecvError::Disconnected) => return Poll::Lost,
            }
        }
    }

    /// Block until the worker is done (tests and benchmarks).
    pub fn wait(&mut self) -> Poll {
        loop {
            match self.rx.recv_timeout(Duration::from_secs(60)) {
                Ok(JobMessage::Step(s)) => self.step = s,
                Ok(JobMessage::Done(result)) => return Poll::Done(result),
                Err(_) => return Poll::Lost,
            }
        }
    }
}
