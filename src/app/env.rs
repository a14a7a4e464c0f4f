//! What every pane may use: the store, the reference data, the calendar, the
//! session's settings and the one clock. Panes borrow it for one step.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::calendar::HolidayCalendar;
use crate::store::Store;
use crate::store::reference::ReferenceData;

/// Where "now" comes from: the wall clock, or a fixed instant in tests and
/// snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Facts about the session (shown in the status bar) and the settings views need.
#[derive(Debug, Clone)]
pub struct Session {
    pub office: String,
    /// How this session's rows name who acted (the account's label, `周敏#3`).
    pub operator: String,
    /// The signed-in account (`None` only where tests build a session by hand).
    pub actor: Option<crate::store::accounts::Actor>,
    pub db_label: String,
    pub demo: bool,
    /// A clock this many days from its end shows as due soon.
    pub due_soon_days: u32,
    /// Default 交办 deadline, in working days.
    pub assign_working_days: u32,
    /// When reminder calls are due.
    pub reminder_rules: crate::domain::reminder::ReminderRules,
    /// Ticket series and calling rules of reception days.
    pub queue_rules: crate::domain::queue::QueueRules,
    /// Early-warning thresholds (badges and the 预警 list).
    pub warning_rules: crate::domain::warning::WarningRules,
    /// The local choices in the metrics' formulas.
    pub metric_rules: crate::domain::metrics::MetricRules,
    /// The weekday report weeks end on.
    pub week_end: chrono::Weekday,
    /// 审核领导 on the weekly report.
    pub reviewer: String,
    /// Whose intake draft this process keeps (one per desk).
    pub desk: String,
    pub number_prefix: String,
    pub phone_area: String,
    /// The bindings in force (the config file's `[keys]` over the built-in ones).
    pub keymap: super::keymap::Keymap,
    /// Where printed reports record their anchor (none: the mark is printed only).
    pub anchors: Option<std::path::PathBuf>,
    /// Sign-in lockout and the idle lock.
    pub accounts: crate::domain::access::SignInRules,
    /// 文书: the office's details, number prefixes, where the templates are.
    pub papers: crate::papers::Settings,
    /// Work running beside the desk (the day's first backup), for the status bar.
    pub background: super::background::Background,
}

impl Session {
    /// The settings of `c` for `operator` at `desk`; `db_label` is shown in the status bar.
    pub fn from_config(c: &crate::config::Config, operator: &str, desk: &str, db_label: &str) -> Session {
        Session {
            office: c.office_name.clone(),
            operator: operator.into(),
            actor: None,
            db_label: db_label.into(),
            demo: false,
            due_soon_days: c.deadlines.due_soon_days,
            assign_working_days: c.deadlines.assign_working_days,
            reminder_rules: c.reminders.clone(),
            queue_rules: c.queue.clone(),
            warning_rules: c.warnings.clone(),
            metric_rules: c.metrics.clone(),
            week_end: c.reports.week_end(),
            reviewer: c.reports.reviewer.clone(),
            desk: desk.into(),
            number_prefix: c.case_number_prefix().to_string(),
            phone_area: c.phone_area_code.clone(),
            // `Config::parse` refused a file whose keys do not apply.
            keymap: super::keymap::Keymap::customized(&c.keys).unwrap_or_default(),
            anchors: c.backup.anchors.clone(),
            accounts: c.accounts.clone(),
            papers: crate::papers::Settings::from_config(c, None),
            background: Default::default(),
        }
    }
}

impl Default for Session {
    /// The built-in configuration's session (what `Config::default()` gives).
    fn default() -> Self {
        Session::from_config(&crate::config::Config::default(), "登记员", "1号窗口", "")
    }
}

/// The environment a pane acts in.
pub struct Env {
    pub store: Store,
    pub reference: ReferenceData,
    pub calendar: HolidayCalendar,
    pub session: Session,
    pub clock: Clock,
}

impl Env {
    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.now().date()
    }

    /// Who acts: written on every trail row this session makes.
    pub fn operator(&self) -> String {
        self.session.operator.clone()
    }

    /// The default 交办 deadline counted from today (config `assign_working_days`).
    pub fn assign_due(&self) -> NaiveDate {
        crate::domain::deadline::working_days_after(self.today(), self.session.assign_working_days, &self.calendar)
    }
}
