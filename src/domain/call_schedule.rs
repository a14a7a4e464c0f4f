//! When a case is due a reminder call, as spans of days. The rules in
//! `reminder::due_reasons` compare today with a handful of dates (the
//! clock's start and due date, its thresholds, the last call, a promise);
//! between two of those dates their answer cannot change. So the days a
//! case is due can be worked out once, when its facts change, and stored:
//! the 督促 list is then a range read, whatever the size of the archive.

use chrono::{Days, NaiveDate};

use super::reminder::{CaseClock, DueReason, PastCall, ReminderRules, due_reasons};

/// Days on which a case is due a call: `from` up to and including `until`
/// (open-ended when `None`). `pressing`: a missed date or a broken promise
/// among the reasons (those come first on the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueSpan {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub pressing: bool,
}

impl DueSpan {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

/// The first day a span can start: "always", for a case due before any of its dates.
pub fn always() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

/// Whether the reasons put the case first on the list.
pub fn pressing(reasons: &[DueReason]) -> bool {
    reasons.iter().any(|r| matches!(r, DueReason::Missed { .. } | DueReason::PromiseBroken { .. }))
}

/// Every span of days on which `due_reasons` gives a reason, for these facts.
pub fn due_spans(c: &CaseClock, calls: &[PastCall], rules: &ReminderRules) -> Vec<DueSpan> {
    let mut points = change_points(c, calls, rules);
    points.retain(|d| *d > always());
    points.insert(0, always());
    points.sort();
    points.dedup();
    let mut spans: Vec<DueSpan> = Vec::new();
    for (i, day) in points.iter().enumerate() {
        let reasons = due_reasons(c, calls, *day, rules);
        let next = points.get(i + 1).and_then(|n| n.pred_opt());
        if reasons.is_empty() {
            continue;
        }
        let pressing = pressing(&reasons);
        match spans.last_mut() {
            // The same state carried on from the day before: one span.
            Some(last) if last.pressing == pressing && last.until.and_then(|u| u.succ_opt()) == Some(*day) => {
                last.until = next;
            }
            _ => spans.push(DueSpan { from: *day, until: next, pressing }),
        }
    }
    spans
}

/// The days on which the answer of `due_reasons` may change: each date it
/// compares today with, in the form "from this day on".
fn change_points(c: &CaseClock, calls: &[PastCall], rules: &ReminderRules) -> Vec<NaiveDate> {
    let add = |d: NaiveDate, n: i64| match n >= 0 {
        true => d.checked_add_days(Days::new(n as u64)),
        false => d.checked_sub_days(Days::new(n.unsigned_abs())),
    };
    let mut out = Vec::new();
    if let (Some(base), Some(due)) = (c.base, c.due) {
        out.extend(add(base, rules.accept_notice_day));
        out.extend(add(due, 1));
        out.extend(rules.before_handling_deadline.iter().filter_map(|t| add(due, -t)));
    }
    if let Some(promised) = calls.iter().rev().find_map(|k| k.committed) {
        out.extend(add(promised, 1));
    }
    if let Some(last_ok) = calls.iter().rev().find(|k| !k.result.failed()) {
        out.extend(add(last_ok.at.date(), rules.leader_case_every_days));
    }
    if let Some(last) = calls.last() {
        out.push(last.at.date());
        out.extend(add(last.at.date(), 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadline::Rule;
    use crate::domain::reminder::CallResult;
    use crate::domain::reminder::tests::{call, d};
    use crate::domain::status::CaseStatus;

    fn clock(status: CaseStatus, rule: Option<Rule>, base: &str, due: &str, leader: bool) -> CaseClock {
        CaseClock {
            status,
            rule,
            base: rule.map(|_| d(base)),
            due: rule.map(|_| d(due)),
            leader_case: leader,
            followed_up: false,
        }
    }

    /// Facts of every shape the rules know, with and without calls.
    fn fixtures() -> Vec<(CaseClock, Vec<PastCall>)> {
        use CallResult::*;
        use CaseStatus::*;
        let clocks = [
            clock(Assigned, Some(Rule::Accept), "2026-11-02", "2026-11-17", false),
            clock(InProgress, Some(Rule::Handle), "2026-09-20", "2026-11-19", false),
            clock(InProgress, Some(Rule::Handle), "2026-09-20", "2026-11-19", true),
            clock(Replied, Some(Rule::ReviewRequest), "2026-11-01", "2026-12-01", false),
            clock(UnderReview, Some(Rule::Review), "2026-10-20", "2026-11-19", false),
            clock(Registered, Some(Rule::Relay), "2026-11-01", "2026-11-06", false),
            clock(InProgress, None, "", "", true),
            clock(Closed, None, "", "", false),
        ];
        let histories = [
            vec![],
            vec![call("2026-11-09", Connected, None)],
            vec![call("2026-11-12", Busy, None)],
            vec![call("2026-11-05", Connected, Some("2026-11-14")), call("2026-11-16", NoAnswer, None)],
            vec![
                call("2026-11-01", NoAnswer, None),
                call("2026-11-10", Connected, None),
                call("2026-11-21", Busy, None),
            ],
        ];
        clocks.iter().flat_map(|c| histories.iter().map(move |h| (c.clone(), h.clone()))).collect()
    }

    #[test]
    fn the_spans_say_what_the_rules_say_on_every_day() {
        let rules = [
            ReminderRules::default(),
            ReminderRules {
                accept_notice_day: 5,
                before_handling_deadline: vec![20, 3],
                leader_case_every_days: 3,
                ..Default::default()
            },
        ];
        for r in &rules {
            for (c, calls) in fixtures() {
                let spans = due_spans(&c, &calls, r);
                let mut day = d("2026-08-01");
                while day < d("2027-02-01") {
                    let reasons = due_reasons(&c, &calls, day, r);
                    let span = spans.iter().find(|s| s.covers(day));
                    assert_eq!(span.is_some(), !reasons.is_empty(), "{day} {c:?} {calls:?}");
                    if let Some(s) = span {
                        assert_eq!(s.pressing, pressing(&reasons), "{day} {c:?} {calls:?}");
                    }
                    day = day.succ_opt().unwrap();
                }
                // Spans never overlap and run in order.
                for w in spans.windows(2) {
                    assert!(w[0].until.is_some_and(|u| u < w[1].from), "{spans:?}");
                }
            }
        }
    }

    #[test]
    fn a_missed_clock_is_due_from_the_day_after_until_a_call() {
        let c = clock(CaseStatus::InProgress, Some(Rule::Handle), "2026-09-20", "2026-11-19", false);
        let spans = due_spans(&c, &[], &ReminderRules::default());
        let last = spans.last().unwrap();
        assert_eq!((last.from, last.until, last.pressing), (d("2026-11-20"), None, true));
        assert_eq!(spans[0].from, d("2026-11-09"), "ten days before the deadline");
        let called = due_spans(&c, &[call("2026-11-25", CallResult::Connected, None)], &ReminderRules::default());
        assert!(called.iter().all(|s| s.until.is_some()), "a call ends the open span: {called:?}");
        let closed = clock(CaseStatus::Closed, None, "", "", false);
        assert!(due_spans(&closed, &[], &ReminderRules::default()).is_empty());
    }
}
