//! How a clock reads on the desk: days left or overdue, how urgent that
//! is, and the worklist bucket it falls in.

use chrono::NaiveDate;
use serde::Serialize;

use super::deadline::Rule;

/// How a due date reads today: 剩N天 / 今天到期 / 超期N天.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Countdown {
    Left(i64),
    Today,
    Overdue(i64),
}

impl Countdown {
    pub fn of(due: NaiveDate, today: NaiveDate) -> Countdown {
        let left = (due - today).num_days();
        match left {
            0 => Countdown::Today,
            n if n > 0 => Countdown::Left(n),
            n => Countdown::Overdue(-n),
        }
    }

    pub fn label(self) -> String {
        match self {
            Countdown::Left(n) => format!("剩{n}天"),
            Countdown::Today => "今天到期".into(),
            Countdown::Overdue(n) => format!("超期{n}天"),
        }
    }

    /// The label for a clock of `rule`: a petitioner's window that has passed
    /// reads "已过N天，可办结", not as if someone were late.
    pub fn label_for(self, rule: Rule) -> String {
        match self {
            Countdown::Overdue(n) if rule.is_petitioner_window() => format!("已过{n}天可办结"),
            other => other.label(),
        }
    }

    /// How pressing a clock of `rule` is, for colour and the "!" mark.
    pub fn urgency(self, rule: Rule, soon_days: i64) -> Urgency {
        match self {
            Countdown::Overdue(_) if rule.is_petitioner_window() => Urgency::Closable,
            Countdown::Overdue(_) | Countdown::Today => Urgency::Pressing,
            c if c.is_soon(soon_days) => Urgency::Soon,
            _ => Urgency::Calm,
        }
    }

    /// A short form for narrow cells: a passed window just reads "可办结".
    pub fn short_label_for(self, rule: Rule) -> String {
        match self {
            Countdown::Overdue(_) if rule.is_petitioner_window() => "可办结".into(),
            other => other.label(),
        }
    }

    /// Due within `soon_days` days (today included), not yet overdue.
    pub fn is_soon(self, soon_days: i64) -> bool {
        matches!(self, Countdown::Today) || matches!(self, Countdown::Left(n) if n <= soon_days)
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Countdown::Overdue(_))
    }
}

/// How a running clock should catch the eye.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Overdue or due today: someone must act now.
    Pressing,
    /// Due within the configured "due soon" days.
    Soon,
    Calm,
    /// A petitioner's 复查/复核 window has passed: the case may be closed.
    Closable,
}

impl Urgency {
    /// The mark that carries urgency without colour (NO_COLOR, monochrome terminals).
    pub fn mark(self) -> &'static str {
        match self {
            Urgency::Pressing => "!",
            _ => " ",
        }
    }
}

/// Where an open clock falls on the worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Overdue,
    Today,
    /// Within the configured "due soon" days.
    Soon,
    /// Within seven days.
    Week,
    Later,
    /// A petitioner's 复查/复核 window has passed: nobody is late, the case
    /// may be closed. Listed last so late work comes first.
    Closable,
}

impl Bucket {
    pub const LISTED: [Bucket; 5] = [Bucket::Overdue, Bucket::Today, Bucket::Soon, Bucket::Week, Bucket::Closable];

    pub fn of(rule: Rule, due: NaiveDate, today: NaiveDate, soon_days: i64) -> Bucket {
        match (due - today).num_days() {
            n if n < 0 && rule.is_petitioner_window() => Bucket::Closable,
            n if n < 0 => Bucket::Overdue,
            0 => Bucket::Today,
            n if n <= soon_days => Bucket::Soon,
            n if n <= 7 => Bucket::Week,
            _ => Bucket::Later,
        }
    }

    pub fn label(self, soon_days: i64) -> String {
        match self {
            Bucket::Overdue => "已超期".into(),
            Bucket::Today => "今天到期".into(),
            Bucket::Soon => format!("{soon_days}天内到期"),
            Bucket::Week => "7天内到期".into(),
            Bucket::Later => "以后到期".into(),
            Bucket::Closable => "申请期已过，可办结".into(),
        }
    }

    /// The label in the one-line summary, where room is short.
    pub fn short_label(self, soon_days: i64) -> String {
        match self {
            Bucket::Closable => "可办结".into(),
            other => other.label(soon_days),
        }
    }
}
