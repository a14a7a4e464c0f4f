//! 电话督促 (条例 Art. 40, domain.md §4): what a reminder call records, when a
//! case is due one, and when the ladder (书面督办, 通报) should be proposed.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::calendar::HolidayCalendar;
use super::deadline::{Rule, working_days_after};
use super::status::CaseStatus;

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    Method { Phone = "phone" => "电话", Sms = "sms" => "短信", Written = "written" => "书面", Interview = "interview" => "约谈", OnSite = "on_site" => "实地" }
);
coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    CallResult { Connected = "connected" => "接通", NoAnswer = "no_answer" => "未接通", Busy = "busy" => "占线", Invalid = "invalid" => "空号", Transferred = "transferred" => "转接" }
);
coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    Escalation { None = "none" => "无", WrittenNotice = "written_notice" => "书面督办", Circular = "circular" => "通报", Summons = "summons" => "约谈" }
);

impl CallResult {
    /// Nobody was reached: the call is to be tried again.
    pub fn failed(self) -> bool {
        matches!(self, CallResult::NoAnswer | CallResult::Busy | CallResult::Invalid)
    }
}

/// When reminders are due (domain.md §4.3). Every threshold is configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderRules {
    /// No 受理告知 by this day of the 15-day window: call the unit.
    pub accept_notice_day: i64,
    /// Days before the handling deadline when a progress call is due.
    pub before_handling_deadline: Vec<i64>,
    /// Days between calls on a leader-assigned case (领导交办/包案).
    pub leader_case_every_days: i64,
    /// Working days after a missed promise before 书面督办/通报 is proposed.
    pub escalate_after_working_days: u32,
    /// Failed calls in a row before escalation is proposed.
    pub escalate_after_failed_calls: usize,
}

impl Default for ReminderRules {
    fn default() -> Self {
        ReminderRules {
            accept_notice_day: 12,
            before_handling_deadline: vec![10, 5, 2],
            leader_case_every_days: 7,
            escalate_after_working_days: 5,
            escalate_after_failed_calls: 3,
        }
    }
}

/// A call already made, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastCall {
    pub at: NaiveDateTime,
    pub result: CallResult,
    pub committed: Option<NaiveDate>,
}

/// What the rules look at for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseClock {
    pub status: CaseStatus,
    /// The running statutory clock, its start and its due date.
    pub rule: Option<Rule>,
    pub base: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub leader_case: bool,
    pub followed_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DueReason {
    /// No 受理告知 by day N of 15.
    AcceptNotice { day: i64 },
    /// N days before the handling deadline.
    BeforeDeadline { days: i64 },
    /// The deadline passed N days ago without the step.
    Missed { days: i64 },
    /// The unit's promised date passed.
    PromiseBroken { promised: NaiveDate },
    /// A leader-assigned case: the weekly call.
    LeaderWeekly,
    /// Replied: call the petitioner back (回访).
    FollowUp,
    /// A failed call to try again.
    Retry,
}

impl DueReason {
    pub fn label(&self) -> String {
        match self {
            DueReason::AcceptNotice { day } => format!("第{day}天仍未受理告知"),
            DueReason::BeforeDeadline { days } => format!("办结期限前{days}天"),
            DueReason::Missed { days } => format!("期限已过{days}天"),
            DueReason::PromiseBroken { promised } => format!("承诺{promised}办结，已过期"),
            DueReason::LeaderWeekly => "领导交办件，每周督促".into(),
            DueReason::FollowUp => "已答复，回访信访人".into(),
            DueReason::Retry => "上次未接通，再次拨打".into(),
        }
    }
}

/// Why a case is due a call today, if it is. `calls` are this case's calls,
/// oldest first. One reason is enough to put it on the list; the most
/// pressing comes first.
pub fn due_reasons(c: &CaseClock, calls: &[PastCall], today: NaiveDate, rules: &ReminderRules) -> Vec<DueReason> {
    let mut out = Vec::new();
    let called_since = |d: NaiveDate| calls.iter().any(|k| k.at.date() >= d && !k.result.failed());
    if let Some(last) = calls.last()
        && last.result.failed()
        && last.at.date() == today
    {
        out.push(DueReason::Retry);
    }
    if let (Some(rule), Some(base), Some(due)) = (c.rule, c.base, c.due) {
        let day = (today - base).num_days();
        // A 简易办理 clock is chased as the ordinary one it stands for.
        let rule = rule.ordinary();
        match rule {
            Rule::Accept
                if day >= rules.accept_notice_day
                    && today <= due
                    && !called_since(base + chrono::Days::new(rules.accept_notice_day as u64)) =>
            {
                out.push(DueReason::AcceptNotice { day });
            }
            Rule::Handle if today <= due => {
                // The nearest threshold already reached and not yet covered by a call.
                let left = (due - today).num_days();
                if let Some(t) = rules.before_handling_deadline.iter().copied().filter(|t| left <= *t).min()
                    && !called_since(due - chrono::Days::new(t as u64))
                {
                    out.push(DueReason::BeforeDeadline { days: t });
                }
            }
            _ => {}
        }
        let unit_clock = matches!(rule, Rule::Relay | Rule::Accept | Rule::Handle | Rule::Review | Rule::Recheck);
        if unit_clock && today > due && !called_since(due + chrono::Days::new(1)) {
            out.push(DueReason::Missed { days: (today - due).num_days() });
        }
    }
    if let Some(promised) = calls.iter().rev().find_map(|k| k.committed)
        && today > promised
        && c.status.is_open()
        && !called_since(promised + chrono::Days::new(1))
    {
        out.push(DueReason::PromiseBroken { promised });
    }
    let last_ok = calls.iter().rev().find(|k| !k.result.failed()).map(|k| k.at.date());
    if c.leader_case
        && c.status.is_open()
        && last_ok.is_none_or(|d| (today - d).num_days() >= rules.leader_case_every_days)
    {
        out.push(DueReason::LeaderWeekly);
    }
    if c.status == CaseStatus::Replied && !c.followed_up {
        out.push(DueReason::FollowUp);
    }
    out
}

/// The next rung of the ladder, proposed (never taken silently): after a
/// broken promise and N more working days, or after N failed calls in a row.
pub fn escalation(
    calls: &[PastCall],
    today: NaiveDate,
    rules: &ReminderRules,
    cal: &HolidayCalendar,
) -> Option<(Escalation, String)> {
    let failed_in_row = calls.iter().rev().take_while(|k| k.result.failed()).count();
    if failed_in_row >= rules.escalate_after_failed_calls {
        return Some((Escalation::WrittenNotice, format!("连续{failed_in_row}次未能接通，建议书面督办")));
    }
    let promised = calls.iter().rev().find_map(|k| k.committed)?;
    let limit = working_days_after(promised, rules.escalate_after_working_days, cal);
    (today > limit).then(|| {
        (
            Escalation::Circular,
            format!("承诺{promised}办结，逾期已超过{}个工作日，建议书面督办并通报", rules.escalate_after_working_days),
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::calendar::builtin;

    pub(crate) fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A call made at 10:00 on `day`.
    pub(crate) fn call(day: &str, result: CallResult, committed: Option<&str>) -> PastCall {
        PastCall { at: d(day).and_hms_opt(10, 0, 0).unwrap(), result, committed: committed.map(d) }
    }

    fn clock(status: CaseStatus, rule: Rule, base: &str, due: &str) -> CaseClock {
        CaseClock {
            status,
            rule: Some(rule),
            base: Some(d(base)),
            due: Some(d(due)),
            leader_case: false,
            followed_up: false,
        }
    }

    const TODAY: &str = "2026-11-28";

    #[test]
    fn accept_notice_from_day_12_until_a_call() {
        let r = ReminderRules::default();
        let c = clock(CaseStatus::Assigned, Rule::Accept, "2026-11-16", "2026-12-01");
        assert_eq!(due_reasons(&c, &[], d(TODAY), &r), vec![DueReason::AcceptNotice { day: 12 }]);
        let early = clock(CaseStatus::Assigned, Rule::Accept, "2026-11-17", "2026-12-02");
        assert!(due_reasons(&early, &[], d(TODAY), &r).is_empty(), "day 11");
        let called = [call("2026-11-28", CallResult::Connected, None)];
        assert!(due_reasons(&c, &called, d(TODAY), &r).is_empty());
    }

    #[test]
    fn handling_deadline_minus_10_5_2() {
        let r = ReminderRules::default();
        let due = |left: u64| (d(TODAY) + chrono::Days::new(left)).to_string();
        let at = |left| clock(CaseStatus::InProgress, Rule::Handle, "2026-10-01", &due(left));
        assert!(due_reasons(&at(11), &[], d(TODAY), &r).is_empty());
        assert_eq!(due_reasons(&at(10), &[], d(TODAY), &r), vec![DueReason::BeforeDeadline { days: 10 }]);
        assert_eq!(due_reasons(&at(4), &[], d(TODAY), &r), vec![DueReason::BeforeDeadline { days: 5 }]);
        assert_eq!(due_reasons(&at(2), &[], d(TODAY), &r), vec![DueReason::BeforeDeadline { days: 2 }]);
        // A call at the 5-day mark covers it until the 2-day mark.
        let called = [call("2026-11-27", CallResult::Connected, None)];
        assert!(due_reasons(&at(4), &called, d(TODAY), &r).is_empty());
        assert_eq!(due_reasons(&at(2), &called, d(TODAY), &r), vec![DueReason::BeforeDeadline { days: 2 }]);
    }

    #[test]
    fn the_day_after_a_missed_deadline() {
        let r = ReminderRules::default();
        let c = clock(CaseStatus::InProgress, Rule::Handle, "2026-09-01", "2026-11-27");
        assert_eq!(due_reasons(&c, &[], d(TODAY), &r), vec![DueReason::Missed { days: 1 }]);
        let called = [call("2026-11-28", CallResult::Connected, None)];
        assert!(due_reasons(&c, &called, d(TODAY), &r).is_empty());
        // A petitioner's own window (申请复查) is not the unit's to miss.
        let window = clock(CaseStatus::Replied, Rule::ReviewRequest, "2026-10-01", "2026-10-31");
        assert!(!due_reasons(&window, &[], d(TODAY), &r).iter().any(|x| matches!(x, DueReason::Missed { .. })));
    }

    #[test]
    fn a_broken_promise_and_the_ladder() {
        let r = ReminderRules::default();
        let cal = builtin();
        let c = clock(CaseStatus::InProgress, Rule::Handle, "2026-10-20", "2026-12-21");
        let calls = [call("2026-11-10", CallResult::Connected, Some("2026-11-20"))];
        assert_eq!(due_reasons(&c, &calls, d(TODAY), &r), vec![DueReason::PromiseBroken { promised: d("2026-11-20") }]);
        // 5 working days after 11-20 is 11-27: on 11-28 the ladder is proposed.
        let (rung, why) = escalation(&calls, d(TODAY), &r, &cal).unwrap();
        assert_eq!(rung, Escalation::Circular);
        assert!(why.contains("超过5个工作日"));
        assert!(escalation(&calls, d("2026-11-27"), &r, &cal).is_none());
    }

    #[test]
    fn failed_calls_are_retried_and_escalate() {
        let r = ReminderRules::default();
        let cal = builtin();
        let c = clock(CaseStatus::InProgress, Rule::Handle, "2026-09-01", "2026-11-27");
        let one = [call(TODAY, CallResult::Busy, None)];
        let reasons = due_reasons(&c, &one, d(TODAY), &r);
        assert_eq!(reasons[0], DueReason::Retry, "retry later the same day");
        assert!(reasons.contains(&DueReason::Missed { days: 1 }), "a failed call does not count as done");
        let three = [
            call("2026-11-26", CallResult::NoAnswer, None),
            call("2026-11-27", CallResult::Busy, None),
            call(TODAY, CallResult::Invalid, None),
        ];
        assert_eq!(escalation(&three, d(TODAY), &r, &cal).unwrap().0, Escalation::WrittenNotice);
    }

    #[test]
    fn leader_cases_weekly_and_follow_up_after_reply() {
        let r = ReminderRules::default();
        let mut c = clock(CaseStatus::InProgress, Rule::Handle, "2026-11-01", "2026-12-31");
        c.leader_case = true;
        assert_eq!(due_reasons(&c, &[], d(TODAY), &r), vec![DueReason::LeaderWeekly]);
        assert!(due_reasons(&c, &[call("2026-11-23", CallResult::Connected, None)], d(TODAY), &r).is_empty());
        assert_eq!(
            due_reasons(&c, &[call("2026-11-21", CallResult::Connected, None)], d(TODAY), &r),
            vec![DueReason::LeaderWeekly]
        );
        let replied = clock(CaseStatus::Replied, Rule::ReviewRequest, "2026-11-20", "2026-12-21");
        assert_eq!(due_reasons(&replied, &[], d(TODAY), &r), vec![DueReason::FollowUp]);
    }
}
