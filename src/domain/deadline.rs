//! The statutory clocks of 《信访工作条例》 as data, and how a due date is
//! counted: the first day is not counted; calendar days unless the rule says
//! working days; a calendar-day deadline that ends on a rest day moves to the
//! next working day (民法典 Art. 203 practice); working days skip weekends and
//! holidays but count make-up days.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::calendar::HolidayCalendar;
use super::status::CaseStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Calendar,
    Working,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Rule {
    /// 转送/交办 within 15 days of registration (Art. 22).
    #[serde(rename = "relay")]
    Relay,
    /// 受理告知 within 15 days of receipt (Art. 23).
    #[serde(rename = "accept")]
    Accept,
    /// 异议 within 5 working days (Art. 23).
    #[serde(rename = "objection")]
    Objection,
    /// 办理 within 60 days of 受理 (Art. 34), +30 at most by extension.
    #[serde(rename = "handle")]
    Handle,
    /// 申请复查 within 30 days of the reply (Art. 35).
    #[serde(rename = "review-request")]
    ReviewRequest,
    /// 复查意见 within 30 days (Art. 35).
    #[serde(rename = "review")]
    Review,
    /// 申请复核 within 30 days of the review opinion (Art. 36).
    #[serde(rename = "recheck-request")]
    RecheckRequest,
    /// 复核意见 within 30 days, hearing time excluded (Art. 36).
    #[serde(rename = "recheck")]
    Recheck,
    /// 简易办理: each relaying level passes it on within 1 working day.
    #[serde(rename = "simple-relay")]
    SimpleRelay,
    /// 简易办理: decide acceptance within 3 working days.
    #[serde(rename = "simple-accept")]
    SimpleAccept,
    /// 简易办理: answer within 10 working days of acceptance.
    #[serde(rename = "simple-answer")]
    SimpleAnswer,
}

/// The most an approved extension may add to the handling clock (Art. 34).
pub const MAX_EXTENSION_DAYS: u32 = 30;

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::Relay,
        Rule::Accept,
        Rule::Objection,
        Rule::Handle,
        Rule::ReviewRequest,
        Rule::Review,
        Rule::RecheckRequest,
        Rule::Recheck,
        Rule::SimpleRelay,
        Rule::SimpleAccept,
        Rule::SimpleAnswer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::Relay => "relay",
            Rule::Accept => "accept",
            Rule::Objection => "objection",
            Rule::Handle => "handle",
            Rule::ReviewRequest => "review-request",
            Rule::Review => "review",
            Rule::RecheckRequest => "recheck-request",
            Rule::Recheck => "recheck",
            Rule::SimpleRelay => "simple-relay",
            Rule::SimpleAccept => "simple-accept",
            Rule::SimpleAnswer => "simple-answer",
        }
    }

    pub fn from_code(code: &str) -> Option<Rule> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// (days, unit, name, basis)
    fn spec(self) -> (u32, Unit, &'static str, &'static str) {
        match self {
            Rule::Relay => (15, Unit::Calendar, "转送交办", "《信访工作条例》第二十二条"),
            Rule::Accept => (15, Unit::Calendar, "受理告知", "《信访工作条例》第二十三条"),
            Rule::Objection => (5, Unit::Working, "提出异议", "《信访工作条例》第二十三条"),
            Rule::Handle => (60, Unit::Calendar, "办结", "《信访工作条例》第三十四条"),
            Rule::ReviewRequest => (30, Unit::Calendar, "申请复查", "《信访工作条例》第三十五条"),
            Rule::Review => (30, Unit::Calendar, "复查意见", "《信访工作条例》第三十五条"),
            Rule::RecheckRequest => (30, Unit::Calendar, "申请复核", "《信访工作条例》第三十六条"),
            Rule::Recheck => (30, Unit::Calendar, "复核意见", "《信访工作条例》第三十六条（听证时间不计入）"),
            Rule::SimpleRelay => (1, Unit::Working, "简易转送", "《信访事项简易办理办法》"),
            Rule::SimpleAccept => (3, Unit::Working, "简易受理", "《信访事项简易办理办法》"),
            Rule::SimpleAnswer => (10, Unit::Working, "简易答复", "《信访事项简易办理办法》"),
        }
    }

    pub fn days(self) -> u32 {
        self.spec().0
    }

    pub fn unit(self) -> Unit {
        self.spec().1
    }

    /// The clock's name as staff say it: 受理告知, 办结 …
    pub fn label(self) -> &'static str {
        self.spec().2
    }

    pub fn basis(self) -> &'static str {
        self.spec().3
    }

    /// The clock 简易办理 runs in place of this ordinary one (转送交办,
    /// 受理告知, 办结); the others are the same under both procedures.
    pub fn simple(self) -> Rule {
        match self {
            Rule::Relay => Rule::SimpleRelay,
            Rule::Accept => Rule::SimpleAccept,
            Rule::Handle => Rule::SimpleAnswer,
            other => other,
        }
    }

    /// The ordinary clock a 简易办理 clock stands for: what reminders and
    /// metrics count it as (a 简易答复 is the case's 办结 clock).
    pub fn ordinary(self) -> Rule {
        match self {
            Rule::SimpleRelay => Rule::Relay,
            Rule::SimpleAccept => Rule::Accept,
            Rule::SimpleAnswer => Rule::Handle,
            other => other,
        }
    }

    /// The petitioner's own window to ask for 复查/复核: when it passes,
    /// nobody is late — the case can be closed.
    pub fn is_petitioner_window(self) -> bool {
        matches!(self, Rule::ReviewRequest | Rule::RecheckRequest)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub rule: Rule,
    pub from: NaiveDate,
    pub days: u32,
    pub unit: Unit,
    pub extension_days: u32,
    pub due: NaiveDate,
    /// Why the date is what it is, one step per line.
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineError {
    ExtensionTooLong(u32),
    ExtensionNotAllowed(Rule),
}

impl std::fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeadlineError::ExtensionTooLong(n) => {
                write!(f, "延期最多{MAX_EXTENSION_DAYS}日（《信访工作条例》第三十四条），不能延期{n}日")
            }
            DeadlineError::ExtensionNotAllowed(r) => write!(f, "「{}」期限不能延期，只有办结期限可以延期", r.label()),
        }
    }
}

impl std::error::Error for DeadlineError {}

/// A statutory clock that ran from `from` and was met at `met`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetClock {
    pub rule: Rule,
    pub from: NaiveDate,
    pub met: chrono::NaiveDateTime,
    pub extension_days: u32,
}

/// The clocks a case's history ran and met, read from its trail (oldest
/// first): 转送/交办 within 15 days of registration, 受理 within 15 days of
/// that, 答复/办结 within 60 (+30 if extended) of 受理. For histories written
/// before clocks were stored (generated and demo data).
pub fn met_clocks(trail: &[super::CaseEvent]) -> Vec<MetClock> {
    let Some(registered) = trail.first() else { return Vec::new() };
    let find = |actions: &[&str]| trail.iter().find(|e| actions.contains(&e.action.as_str()));
    let mut out = Vec::new();
    let Some(sent) = find(&["转送", "交办"]) else { return out };
    out.push(MetClock { rule: Rule::Relay, from: registered.at.date(), met: sent.at, extension_days: 0 });
    let Some(accepted) = find(&["受理"]) else { return out };
    out.push(MetClock { rule: Rule::Accept, from: sent.at.date(), met: accepted.at, extension_days: 0 });
    if let Some(replied) = find(&["答复", "办结"]).filter(|e| e.at >= accepted.at) {
        let extension_days = if find(&["延期"]).is_some() { MAX_EXTENSION_DAYS } else { 0 };
        out.push(MetClock { rule: Rule::Handle, from: accepted.at.date(), met: replied.at, extension_days });
    }
    out
}

/// The due date of `rule` counted from `from` (the day of receipt, reply …).
pub fn compute(
    rule: Rule,
    from: NaiveDate,
    extension_days: u32,
    cal: &HolidayCalendar,
) -> Result<Deadline, DeadlineError> {
    if extension_days > 0 && rule != Rule::Handle {
        return Err(DeadlineError::ExtensionNotAllowed(rule));
    }
    if extension_days > MAX_EXTENSION_DAYS {
        return Err(DeadlineError::ExtensionTooLong(extension_days));
    }
    let mut why = vec![format!("{}：{}，自{}起算，首日不计入", rule.label(), rule.basis(), from)];
    let due = match rule.unit() {
        Unit::Calendar => {
            let n = rule.days() + extension_days;
            let raw = from + Days::new(u64::from(n));
            if extension_days > 0 {
                why.push(format!("{}日，经批准延期{}日，共{}日，第{}日为{}", rule.days(), extension_days, n, n, raw));
            } else {
                why.push(format!("{n}日（自然日），第{n}日为{raw}"));
            }
            roll_forward(raw, cal, &mut why)
        }
        Unit::Working => {
            let d = working_days_after(from, rule.days(), cal);
            why.push(format!(
                "{}个工作日（跳过周末和节假日，调休上班日计入），第{}个工作日为{}",
                rule.days(),
                rule.days(),
                d
            ));
            d
        }
    };
    if !cal.covers(due.format("%Y").to_string().parse().unwrap_or(0)) {
        why.push(format!("注意：节假日表中没有{}年的安排，只按周末计算", due.format("%Y")));
    }
    why.push(format!("期限至{due}（当日24时）"));
    Ok(Deadline { rule, from, days: rule.days(), unit: rule.unit(), extension_days, due, explanation: why })
}

/// The `n`th working day after `from` (`from` itself not counted).
pub fn working_days_after(from: NaiveDate, n: u32, cal: &HolidayCalendar) -> NaiveDate {
    let mut d = from;
    let mut counted = 0;
    while counted < n {
        d = d + Days::new(1);
        if cal.is_working_day(d) {
            counted += 1;
        }
    }
    d
}

/// A 办结 clock's due date after `total` approved extension days (条例第三十四
/// 条): the days are added to the clock's effective due date — the 交办 date
/// where the assigning body set an earlier one, else the statutory 60 days —
/// a last day on a rest day rolls forward, and never beyond the statutory
/// 60 + 30 days.
pub fn extended_handle_due(
    base: NaiveDate,
    assigned: Option<NaiveDate>,
    total: u32,
    cal: &HolidayCalendar,
) -> NaiveDate {
    let mut why = Vec::new();
    let statutory = roll_forward(base + Days::new(u64::from(Rule::Handle.days())), cal, &mut why);
    let effective = assigned.map_or(statutory, |a| assigned_due(statutory, a));
    if total == 0 {
        return effective;
    }
    let cap = roll_forward(base + Days::new(u64::from(Rule::Handle.days() + MAX_EXTENSION_DAYS)), cal, &mut why);
    roll_forward(effective + Days::new(u64::from(total)), cal, &mut why).min(cap)
}

/// The 复核意见 due date when `hearing` days of 听证 are not counted (Art. 36(2)).
pub fn recheck_due_after_hearing(base: NaiveDate, hearing: u32, cal: &HolidayCalendar) -> NaiveDate {
    roll_forward(base + Days::new(u64::from(Rule::Recheck.days() + hearing)), cal, &mut Vec::new())
}

/// A last day that is a rest day (a holiday or a weekend that is not a
/// make-up working day) moves to the next working day.
fn roll_forward(mut d: NaiveDate, cal: &HolidayCalendar, why: &mut Vec<String>) -> NaiveDate {
    let first = d;
    while !cal.is_working_day(d) {
        d = d + Days::new(1);
    }
    if d != first {
        let reason = cal.holiday_name(first).map_or_else(|| "休息日".to_string(), |n| format!("{n}假期"));
        why.push(format!("{first}是{reason}，顺延至其后第一个工作日{d}"));
    }
    d
}

/// A 交办 deadline set by the assigning body overrides the statutory one but
/// never exceeds it.
pub fn assigned_due(statutory: NaiveDate, assigned: NaiveDate) -> NaiveDate {
    assigned.min(statutory)
}

/// Which clock runs while a case is in `status`. `Handle` runs from the
/// acceptance date, every other clock from the day the status began.
pub fn running_rule(status: CaseStatus) -> Option<Rule> {
    use CaseStatus::*;
    match status {
        Registered => Some(Rule::Relay),
        Forwarded | Assigned => Some(Rule::Accept),
        Accepted | InProgress | Extended => Some(Rule::Handle),
        Replied => Some(Rule::ReviewRequest),
        UnderReview => Some(Rule::Review),
        ReviewReplied => Some(Rule::RecheckRequest),
        UnderRecheck => Some(Rule::Recheck),
        Concluded | Informed | ChannelledToLegal | NotAccepted | NoLongerAccepted | Closed => None,
    }
}

pub use super::countdown::{Bucket, Countdown, Urgency};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replayed_history_met_its_clocks_in_order() {
        use crate::domain::CaseEvent;
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let ev = |at: &str, action: &str| CaseEvent::new(1, t(at), "周敏", action, "");
        let trail = vec![
            ev("2026-10-08 09:00", "登记"),
            ev("2026-10-10 09:00", "交办"),
            ev("2026-10-20 09:00", "受理"),
            ev("2026-11-02 09:00", "延期"),
            ev("2026-11-20 09:00", "答复"),
        ];
        let clocks = met_clocks(&trail);
        let rules: Vec<(Rule, NaiveDate, u32)> = clocks.iter().map(|c| (c.rule, c.from, c.extension_days)).collect();
        assert_eq!(
            rules,
            [
                (Rule::Relay, d("2026-10-08"), 0),
                (Rule::Accept, d("2026-10-10"), 0),
                (Rule::Handle, d("2026-10-20"), MAX_EXTENSION_DAYS)
            ]
        );
        assert_eq!(clocks[2].met, t("2026-11-20 09:00"));
        // Not yet sent on: no clock was met.
        assert!(met_clocks(&trail[..1]).is_empty());
    }
    use crate::domain::calendar::builtin;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    // Plain calendar days, first day not counted.
    #[case(Rule::Relay, "2026-03-02", 0, "2026-03-17")]
    #[case(Rule::Handle, "2026-03-02", 0, "2026-05-06")] // 05-01 is day 60: 劳动节 → after 05-05
    // Ends on an ordinary Saturday → Monday.
    #[case(Rule::Accept, "2026-11-13", 0, "2026-11-30")]
    // Across 春节 2026: day 15 is 02-20 (holiday) → 02-24.
    #[case(Rule::Relay, "2026-02-05", 0, "2026-02-24")]
    // Ends on a make-up Saturday: it is a working day, no roll.
    #[case(Rule::Accept, "2026-01-30", 0, "2026-02-14")]
    // 国庆 2025 (10-01..10-08): day 30 is 10-03.
    #[case(Rule::Review, "2025-09-03", 0, "2025-10-09")]
    // Month ends and leap day.
    #[case(Rule::Relay, "2028-02-14", 0, "2028-02-29")]
    #[case(Rule::ReviewRequest, "2027-01-30", 0, "2027-03-01")]
    // Extension: 60 + 30.
    #[case(Rule::Handle, "2026-06-01", 30, "2026-08-31")]
    // Working days across 国庆 2026 with make-up day 10-10 (Saturday) counted.
    #[case(Rule::Objection, "2026-09-29", 0, "2026-10-12")]
    // Working days across 春节 2026: 02-14 (Sat, make-up) counts.
    #[case(Rule::SimpleAccept, "2026-02-12", 0, "2026-02-24")]
    #[case(Rule::SimpleAnswer, "2026-04-01", 0, "2026-04-16")]
    // One working day from the eve of 国庆 2026: the week off, then 10-08.
    #[case(Rule::SimpleRelay, "2026-09-30", 0, "2026-10-08")]
    // From Friday 10-09 the next working day is the make-up Saturday 10-10.
    #[case(Rule::SimpleRelay, "2026-10-09", 0, "2026-10-10")]
    // Working days across 春节 2025: Sunday 01-26 and Saturday 02-08 are worked.
    #[case(Rule::Objection, "2025-01-24", 0, "2025-02-07")]
    // Day 15 falls inside 国庆 2025 (10-01..10-08): the next working day, 10-09.
    #[case(Rule::Relay, "2025-09-20", 0, "2025-10-09")]
    fn due_dates(#[case] rule: Rule, #[case] from: &str, #[case] ext: u32, #[case] due: &str) {
        let got = compute(rule, d(from), ext, &builtin()).unwrap();
        assert_eq!(got.due, d(due), "{:#?}", got.explanation);
    }

    #[test]
    fn explanation_says_why_a_date_moved() {
        let got = compute(Rule::Relay, d("2026-02-05"), 0, &builtin()).unwrap();
        let text = got.explanation.join("\n");
        assert!(text.contains("2026-02-20是春节假期，顺延至其后第一个工作日2026-02-24"), "{text}");
    }

    #[test]
    fn extensions_are_capped_and_only_for_handling() {
        let cal = builtin();
        assert_eq!(compute(Rule::Handle, d("2026-06-01"), 31, &cal), Err(DeadlineError::ExtensionTooLong(31)));
        assert_eq!(
            compute(Rule::Relay, d("2026-06-01"), 5, &cal),
            Err(DeadlineError::ExtensionNotAllowed(Rule::Relay))
        );
        assert!(DeadlineError::ExtensionTooLong(31).to_string().contains("最多30日"));
    }

    #[test]
    fn an_assigned_deadline_never_exceeds_the_statutory_one() {
        assert_eq!(assigned_due(d("2026-05-06"), d("2026-04-20")), d("2026-04-20"));
        assert_eq!(assigned_due(d("2026-05-06"), d("2026-06-20")), d("2026-05-06"));
    }

    #[test]
    fn a_year_without_holiday_data_is_flagged() {
        let got = compute(Rule::Relay, d("2027-03-01"), 0, &builtin()).unwrap();
        assert!(got.explanation.iter().any(|l| l.contains("没有2027年的安排")));
    }

    #[test]
    fn countdowns() {
        let today = d("2026-11-28");
        assert_eq!(Countdown::of(d("2026-12-01"), today).label(), "剩3天");
        assert_eq!(Countdown::of(today, today).label(), "今天到期");
        assert_eq!(Countdown::of(d("2026-11-20"), today).label(), "超期8天");
        assert!(Countdown::of(d("2026-12-01"), today).is_soon(3));
        assert!(!Countdown::of(d("2026-12-02"), today).is_soon(3));
        assert_eq!(Countdown::of(d("2026-11-20"), today).label_for(Rule::RecheckRequest), "已过8天可办结");
        assert_eq!(Countdown::of(d("2026-11-20"), today).label_for(Rule::Handle), "超期8天");
        assert_eq!(Countdown::of(d("2026-11-20"), today).short_label_for(Rule::ReviewRequest), "可办结");
    }

    #[test]
    fn urgency_separates_late_work_from_closable_windows() {
        let today = d("2026-11-28");
        let of = |due: &str, rule| Countdown::of(d(due), today).urgency(rule, 3);
        assert_eq!(of("2026-11-20", Rule::Handle), Urgency::Pressing);
        assert_eq!(of("2026-11-28", Rule::Accept), Urgency::Pressing);
        assert_eq!(of("2026-11-20", Rule::RecheckRequest), Urgency::Closable);
        assert_eq!(of("2026-11-28", Rule::RecheckRequest), Urgency::Pressing, "last day to ask is still today");
        assert_eq!(of("2026-12-01", Rule::Handle), Urgency::Soon);
        assert_eq!(of("2026-12-02", Rule::Handle), Urgency::Calm);
        assert_eq!(Urgency::Pressing.mark(), "!");
        assert_eq!(Urgency::Closable.mark(), " ");
    }

    #[test]
    fn worklist_buckets() {
        let today = d("2026-11-28");
        assert_eq!(Bucket::of(Rule::Handle, d("2026-11-27"), today, 3), Bucket::Overdue);
        assert_eq!(Bucket::of(Rule::Handle, today, today, 3), Bucket::Today);
        assert_eq!(Bucket::of(Rule::Handle, d("2026-12-01"), today, 3), Bucket::Soon);
        assert_eq!(Bucket::of(Rule::Handle, d("2026-12-05"), today, 3), Bucket::Week);
        assert_eq!(Bucket::of(Rule::Handle, d("2026-12-06"), today, 3), Bucket::Later);
        assert_eq!(Bucket::of(Rule::ReviewRequest, d("2026-11-27"), today, 3), Bucket::Closable);
        assert_eq!(Bucket::of(Rule::ReviewRequest, today, today, 3), Bucket::Today);
        assert_eq!(Bucket::Soon.label(3), "3天内到期");
    }

    #[test]
    fn every_open_status_has_a_clock() {
        for s in CaseStatus::ALL {
            assert_eq!(running_rule(s).is_some(), s.is_open(), "{s:?}");
        }
        for r in Rule::ALL {
            assert_eq!(Rule::from_code(r.code()), Some(r));
        }
    }
}
