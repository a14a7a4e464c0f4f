//! Opening a case (事项详情) or a person's profile: on a million cases the
//! busiest petitioner's file or a long trail takes more than a frame to read,
//! so it is read on a worker with its own read-only connection and pushed
//! onto the focus stack when it is in. Meanwhile the status bar says what is
//! being opened and the keyboard stays with the pane beneath.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::env::Env;
use super::loader::Loader;
use super::popups::Popup;
use super::popups::detail::Detail;
use super::popups::profile::Profile;
use super::strings::app as say;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::warning::WarningRules;
use crate::store::StoreError;
use crate::store::reference::ReferenceData;

/// What a read on a worker needs besides its connection: copies, since the
/// worker may outlive the step that started it.
#[derive(Debug, Clone)]
pub struct ReadContext {
    pub reference: ReferenceData,
    pub calendar: HolidayCalendar,
    pub warning_rules: WarningRules,
    pub today: NaiveDate,
}

impl ReadContext {
    pub fn of(env: &Env) -> ReadContext {
        ReadContext {
            reference: env.reference.clone(),
            calendar: env.calendar.clone(),
            warning_rules: env.session.warning_rules.clone(),
            today: env.today(),
        }
    }
}

/// What can be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Case(i64),
    Person(i64),
}

impl Target {
    fn read(self, conn: &Connection, cx: &ReadContext) -> Result<Option<Popup>, StoreError> {
        Ok(match self {
            Target::Case(id) => Detail::read(conn, cx, id)?.map(|d| Popup::Detail(Box::new(d))),
            Target::Person(id) => Profile::read(conn, cx, id)?.map(|p| Popup::Profile(Box::new(p))),
        })
    }

    fn step(self) -> &'static str {
        match self {
            Target::Case(_) => say::OPENING_CASE,
            Target::Person(_) => say::OPENING_PERSON,
        }
    }
}

/// At most one open in flight: a second Enter before the first is in opens
/// the newer choice only.
#[derive(Debug, Default)]
pub struct Opening {
    loader: Loader<Option<Popup>>,
}

impl Opening {
    pub fn start(&mut self, env: &Env, target: Target) -> Result<(), StoreError> {
        let cx = ReadContext::of(env);
        self.loader.start(&env.store, target.step(), move |conn| target.read(conn, &cx))
    }

    /// What is being opened, for the status bar.
    pub fn busy(&self) -> Option<&'static str> {
        self.loader.busy()
    }

    /// The popup once it is read (`Ok(None)`: the record is gone).
    pub fn poll(&mut self) -> Option<Result<Option<Popup>, StoreError>> {
        self.loader.poll()
    }

    /// Block until the open in flight is in (tests and benchmarks).
    pub fn wait(&mut self) -> Option<Result<Option<Popup>, StoreError>> {
        self.loader.wait()
    }
}
