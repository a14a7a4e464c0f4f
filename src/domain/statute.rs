//! The statute's guards that depend on the clock a case runs now (《信访工作
//! 条例》 Art. 34–36, domain.md §2.4.8): an extension before its clock is due,
//! a 复查/复核 request inside its window, 办结 after a reply only when the
//! petitioner's window has passed or their satisfaction is recorded.

use chrono::NaiveDate;

use super::CaseStatus;
use super::calendar::HolidayCalendar;
use super::deadline::{Rule, working_days_after};
use super::lifecycle::{Action, Refusal};
use super::triage::Procedure;

/// The clock running on the case: which, and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub rule: Rule,
    pub due: NaiveDate,
}

/// What the guards read of a case besides its status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub running: Option<Running>,
    /// A follow-up recorded the petitioner's rating.
    pub rated: bool,
    /// The unit's 签收 day of the latest 转送/交办.
    pub received: Option<NaiveDate>,
    pub procedure: Procedure,
}

/// 异议 (Art. 23(3)): the last day a unit may object, 5 working days from its 签收.
pub fn objection_until(received: NaiveDate, cal: &HolidayCalendar) -> NaiveDate {
    working_days_after(received, Rule::Objection.days(), cal)
}

/// Whether `action`, taken `today` on a case in `status`, keeps the statute.
/// A late 异议 is refused (not recorded as late): after the 5 working days
/// the unit must accept or the matter goes to 不予受理/告知 by the bureau.
pub fn check(
    action: &Action,
    status: CaseStatus,
    facts: &Facts,
    cal: &HolidayCalendar,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let refuse = |s: String| Err(Refusal(s));
    let (running, rated) = (facts.running, facts.rated);
    if let (Action::Objection { .. }, Some(received)) = (action, facts.received) {
        let until = objection_until(received, cal);
        if today > until {
            return refuse(format!(
                "异议须在收到之日起5个工作日内提出（《信访工作条例》第二十三条）：{received}签收，期限至{until}，已过"
            ));
        }
    }
    match (action, running) {
        (Action::ToOrdinary { .. }, _) if facts.procedure != Procedure::Simple => {
            refuse(super::lifecycle::NOT_SIMPLE.into())
        }
        (Action::Extend { .. }, Some(r)) if r.rule == Rule::SimpleAnswer => {
            refuse("简易办理的事项不能延期：确需延长办理期限的，先转为普通程序（《信访事项简易办理办法》）".into())
        }
        (Action::Extend { .. }, Some(r)) if r.rule == Rule::Handle && today > r.due => refuse(format!(
            "办结期限 {} 已届满，不能再延期：延期须在期限届满前批准（《信访工作条例》第三十四条），超期不能改为按期",
            r.due
        )),
        (Action::Extend { .. }, r) if r.is_none_or(|r| r.rule != Rule::Handle) => {
            refuse("没有正在计时的办结期限，无法延期".into())
        }
        (Action::RequestReview { on }, Some(r)) if r.rule == Rule::ReviewRequest && *on > r.due => refuse(format!(
            "申请复查日期 {on} 已超过申请期限 {}（收到答复意见之日起30日，《信访工作条例》第三十五条）：应不予受理",
            r.due
        )),
        (Action::RequestRecheck { on }, Some(r)) if r.rule == Rule::RecheckRequest && *on > r.due => refuse(format!(
            "申请复核日期 {on} 已超过申请期限 {}（收到复查意见之日起30日，《信访工作条例》第三十六条）：应不予受理",
            r.due
        )),
        (Action::Close { .. }, Some(r)) if status == CaseStatus::Replied && r.rule == Rule::ReviewRequest => {
            if today > r.due || rated {
                Ok(())
            } else {
                refuse(format!(
                    "已答复的事项须待申请复查期限 {} 届满，或回访记录了信访人的满意度，才能办结（domain.md §2.4.8）",
                    r.due
                ))
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Outcome;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_objection_comes_within_five_working_days_of_receipt() {
        let cal = crate::domain::calendar::builtin();
        // Received on 2026-09-25 (中秋): the working days after it are 09-28, 09-29, 09-30, then —
        // the National Day week off — 10-08 and 10-09.
        assert_eq!(objection_until(d("2026-09-25"), &cal), d("2026-10-09"));
        let object = Action::Objection { reason: "不属本单位职责".into() };
        let facts = Facts { received: Some(d("2026-09-25")), ..Facts::default() };
        let status = CaseStatus::Assigned;
        assert!(check(&object, status, &facts, &cal, d("2026-10-09")).is_ok());
        let late = check(&object, status, &facts, &cal, d("2026-10-10")).unwrap_err();
        assert!(late.0.contains("期限至2026-10-09，已过"), "{}", late.0);
    }

    #[test]
    fn guards_allow_and_refuse_with_the_reason() {
        let handle = Some(Running { rule: Rule::Handle, due: d("2026-11-30") });
        let window = Some(Running { rule: Rule::ReviewRequest, due: d("2026-11-30") });
        let recheck = Some(Running { rule: Rule::RecheckRequest, due: d("2026-11-30") });
        let extend = Action::Extend { days: 10, approved_by: "局长".into(), notified_on: d("2026-11-28") };
        let close = Action::Close { note: String::new() };
        use CaseStatus::*;
        // why, action, status, running clock, rated, today, the refusal (None: allowed)
        type Case<'a> = (&'a str, Action, CaseStatus, Option<Running>, bool, &'a str, Option<&'a str>);
        let cases: Vec<Case> = vec![
            ("extend in time", extend.clone(), InProgress, handle, false, "2026-11-30", None),
            ("extend late", extend.clone(), InProgress, handle, false, "2026-12-01", Some("已届满，不能再延期")),
            ("extend without a handling clock", extend, Replied, window, false, "2026-11-28", Some("没有正在计时")),
            (
                "review in its window",
                Action::RequestReview { on: d("2026-11-30") },
                Replied,
                window,
                false,
                "2026-12-01",
                None,
            ),
            (
                "review late",
                Action::RequestReview { on: d("2026-12-01") },
                Replied,
                window,
                false,
                "2026-12-01",
                Some("已超过申请期限 2026-11-30"),
            ),
            (
                "recheck late",
                Action::RequestRecheck { on: d("2026-12-02") },
                ReviewReplied,
                recheck,
                false,
                "2026-12-02",
                Some("第三十六条"),
            ),
            ("close too early", close.clone(), Replied, window, false, "2026-11-28", Some("须待申请复查期限")),
            ("close once rated", close.clone(), Replied, window, true, "2026-11-28", None),
            ("close after the window", close.clone(), Replied, window, false, "2026-12-01", None),
            ("close from 已受理 is the status machine's business", close, Accepted, handle, false, "2026-11-28", None),
            (
                "a reply is not guarded here",
                Action::Reply { outcome: Outcome::Support, on: d("2026-11-28"), served: None },
                InProgress,
                handle,
                false,
                "2026-11-28",
                None,
            ),
        ];
        let cal = crate::domain::calendar::builtin();
        for (why, action, status, running, rated, today, want) in cases {
            let got = check(&action, status, &Facts { running, rated, ..Facts::default() }, &cal, d(today));
            match want {
                None => assert!(got.is_ok(), "{why}: {got:?}"),
                Some(part) => assert!(got.as_ref().is_err_and(|r| r.0.contains(part)), "{why}: {got:?}"),
            }
        }
    }

    #[test]
    fn simple_handling_is_never_extended_and_only_it_converts() {
        let cal = crate::domain::calendar::builtin();
        let today = d("2026-11-20");
        let answer = Some(Running { rule: Rule::SimpleAnswer, due: d("2026-11-27") });
        let simple = Facts { running: answer, procedure: Procedure::Simple, ..Facts::default() };
        let extend = Action::Extend { days: 10, approved_by: "局长".into(), notified_on: today };
        let convert = Action::ToOrdinary { reason: "情况复杂".into() };
        let status = CaseStatus::InProgress;
        let refused = check(&extend, status, &simple, &cal, today).unwrap_err();
        assert!(refused.0.starts_with("简易办理的事项不能延期"), "{refused}");
        assert!(check(&convert, status, &simple, &cal, today).is_ok());
        let ordinary = Facts { procedure: Procedure::Ordinary, ..simple };
        assert_eq!(
            check(&convert, status, &ordinary, &cal, today).unwrap_err().0,
            crate::domain::lifecycle::NOT_SIMPLE
        );
    }
}
