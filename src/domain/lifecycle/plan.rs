//! Whether an action may be taken, and what it does to the status and the
//! clocks: the status machine's table (domain.md §2.4.8) applied to what the
//! clerk entered.

use chrono::NaiveDate;

use super::{Action, ActionKind, Rule};
use crate::domain::deadline::MAX_EXTENSION_DAYS;
use crate::domain::status::CaseStatus;

/// Why an action was refused, in words for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// A clock the action starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockStart {
    pub rule: Rule,
    pub from: NaiveDate,
    /// A deadline the assigning body set; the due date is the earlier of it and the statutory one.
    pub assigned_due: Option<NaiveDate>,
}

/// What an allowed action does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The statuses passed through, in order (empty: the status stays).
    pub path: Vec<CaseStatus>,
    /// The clocks running now stop (met) before any new one starts.
    pub stop_clocks: bool,
    pub start: Option<ClockStart>,
    /// Days added to the running handling clock.
    pub extend: Option<u32>,
    /// Hearing days not counted in the running 复核意见 clock.
    pub hearing: Option<u32>,
    /// 简易办理 becomes the ordinary procedure: the running clock is replaced
    /// by its ordinary counterpart.
    pub to_ordinary: bool,
}

impl Action {
    /// The day the action says it happened on, for those that carry one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Action::Accept { on }
            | Action::Reply { on, .. }
            | Action::RequestReview { on }
            | Action::ReviewOpinion { on, .. }
            | Action::RequestRecheck { on }
            | Action::RecheckOpinion { on, .. } => Some(*on),
            Action::Extend { notified_on, .. } => Some(*notified_on),
            _ => None,
        }
    }
}

/// Dates keep their order: an action is not dated before the step it
/// answers (受理 before the 交办 it accepts, a 复查 request before the reply).
/// `since` is the day of the case's latest change of status.
pub fn check_order(action: &Action, since: NaiveDate) -> Result<(), Refusal> {
    match action.date() {
        Some(d) if d < since => {
            Err(Refusal(format!("{}日期 {d} 早于上一步办理的日期 {since}，请核对", action.kind().label())))
        }
        _ => Ok(()),
    }
}

/// Check `action` against a case in `status` (with `assigned_due` from an
/// earlier 交办) and say what it does.
pub fn plan(
    status: CaseStatus,
    action: &Action,
    today: NaiveDate,
    assigned_due: Option<NaiveDate>,
) -> Result<Plan, Refusal> {
    use CaseStatus::*;
    let kind = action.kind();
    if !kind.is_allowed(status) {
        let from: Vec<&str> = kind.allowed_from().iter().map(|s| s.label()).collect();
        return Err(Refusal(format!(
            "事项状态为「{}」，不能{}（只能在「{}」时{}）",
            status.label(),
            kind.label(),
            from.join("、"),
            kind.label()
        )));
    }
    let date_ok = |d: NaiveDate| -> Result<NaiveDate, Refusal> {
        if d > today { Err(Refusal(format!("日期 {d} 晚于今天"))) } else { Ok(d) }
    };
    // The petitioner's window runs from 送达: not before the paper was made, not in the future.
    let served_ok = |on: NaiveDate, served: Option<NaiveDate>| -> Result<NaiveDate, Refusal> {
        match served {
            Some(s) if s < on => Err(Refusal(format!("送达（签收）日期 {s} 早于文书日期 {on}"))),
            Some(s) => date_ok(s),
            None => Ok(on),
        }
    };
    let text_ok = |t: &str, what: &str| -> Result<(), Refusal> {
        if t.trim().is_empty() { Err(Refusal(format!("请填写{what}"))) } else { Ok(()) }
    };
    let to = |path: &[CaseStatus], start: Option<ClockStart>| Plan {
        path: path.to_vec(),
        stop_clocks: true,
        start,
        ..Plan::default()
    };
    // 答复 etc. from 已受理 pass through 办理中, as the status machine requires.
    let via_handling = |target: CaseStatus| -> Vec<CaseStatus> {
        if status == Accepted { vec![InProgress, target] } else { vec![target] }
    };
    Ok(match action {
        Action::Forward { unit, received } => {
            text_ok(unit, "转送单位")?;
            let from = served_ok(today, *received)?;
            to(&[Forwarded], Some(ClockStart { rule: Rule::Accept, from, assigned_due: None }))
        }
        Action::Assign { unit, due, received } => {
            text_ok(unit, "交办单位")?;
            if let Some(d) = due
                && *d < today
            {
                return Err(Refusal(format!("指定办理期限 {d} 早于今天")));
            }
            let from = served_ok(today, *received)?;
            to(&[Assigned], Some(ClockStart { rule: Rule::Accept, from, assigned_due: None }))
        }
        Action::Objection { reason } => {
            text_ok(reason, "异议理由")?;
            to(&[Registered], Some(ClockStart { rule: Rule::Relay, from: today, assigned_due: None }))
        }
        Action::Accept { on } => {
            let on = date_ok(*on)?;
            to(&[Accepted], Some(ClockStart { rule: Rule::Handle, from: on, assigned_due }))
        }
        Action::NotAccept { reason } | Action::NoLongerAccept { reason } => {
            text_ok(reason, "理由")?;
            let target = if kind == ActionKind::NotAccept { NotAccepted } else { NoLongerAccepted };
            to(&[target], None)
        }
        Action::Inform { .. } => to(&[Informed], None),
        Action::ChannelToLegal { route } => {
            text_ok(route, "导入的程序")?;
            to(&[ChannelledToLegal], None)
        }
        Action::Extend { days, approved_by, notified_on } => {
            if *days == 0 || *days > MAX_EXTENSION_DAYS {
                return Err(Refusal(format!("延期天数应为1到{MAX_EXTENSION_DAYS}日（《信访工作条例》第三十四条）")));
            }
            text_ok(approved_by, "批准人")?;
            date_ok(*notified_on)?;
            Plan { path: via_handling(Extended), extend: Some(*days), ..Plan::default() }
        }
        Action::Reply { on, served, .. } => {
            let from = served_ok(date_ok(*on)?, *served)?;
            to(&via_handling(Replied), Some(ClockStart { rule: Rule::ReviewRequest, from, assigned_due: None }))
        }
        Action::RequestReview { on } => {
            let on = date_ok(*on)?;
            to(&[UnderReview], Some(ClockStart { rule: Rule::Review, from: on, assigned_due: None }))
        }
        Action::ReviewOpinion { on, served, .. } => {
            let from = served_ok(date_ok(*on)?, *served)?;
            to(&[ReviewReplied], Some(ClockStart { rule: Rule::RecheckRequest, from, assigned_due: None }))
        }
        Action::RequestRecheck { on } => {
            let on = date_ok(*on)?;
            to(&[UnderRecheck], Some(ClockStart { rule: Rule::Recheck, from: on, assigned_due: None }))
        }
        Action::RecheckOpinion { on, .. } => {
            date_ok(*on)?;
            to(&[Concluded], None)
        }
        Action::Close { .. } => to(&[Closed], None),
        Action::FollowUp { .. } => Plan::default(),
        Action::ToOrdinary { reason } => {
            text_ok(reason, "转为普通程序的理由")?;
            Plan { to_ordinary: true, ..Plan::default() }
        }
        Action::Feedback { on, note } => {
            text_ok(note, "反馈的办理情况")?;
            date_ok(*on)?;
            Plan::default()
        }
        Action::StopPetitioning { on, basis, .. } => {
            text_ok(basis, "息诉罢访的依据")?;
            date_ok(*on)?;
            Plan::default()
        }
        Action::Hearing { from, to } => {
            let (from, to) = (date_ok(*from)?, date_ok(*to)?);
            let days = (to - from).num_days() + 1;
            if !(1..=i64::from(MAX_EXTENSION_DAYS)).contains(&days) {
                return Err(Refusal(format!("听证日期 {from} 至 {to} 有误（止不早于起，最长{MAX_EXTENSION_DAYS}日）")));
            }
            Plan { hearing: Some(days as u32), ..Plan::default() }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{LEGAL_ROUTES, NO_LONGER_ACCEPTED_REASONS, Outcome, Satisfaction};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-28";

    fn sample(kind: ActionKind) -> Action {
        let on = d("2026-11-20");
        match kind {
            ActionKind::Forward => Action::Forward { unit: "区住建局".into(), received: None },
            ActionKind::Assign => {
                Action::Assign { unit: "区住建局".into(), due: Some(d("2026-12-20")), received: None }
            }
            ActionKind::Objection => Action::Objection { reason: "不属本单位职责".into() },
            ActionKind::Accept => Action::Accept { on },
            ActionKind::NotAccept => Action::NotAccept { reason: "越级".into() },
            ActionKind::NoLongerAccept => Action::NoLongerAccept { reason: NO_LONGER_ACCEPTED_REASONS[0].into() },
            ActionKind::Inform => Action::Inform { note: "告知向区法院提出".into() },
            ActionKind::ChannelToLegal => Action::ChannelToLegal { route: LEGAL_ROUTES[1].into() },
            ActionKind::Extend => Action::Extend { days: 30, approved_by: "局长".into(), notified_on: on },
            ActionKind::Reply => Action::Reply { outcome: Outcome::Support, on, served: None },
            ActionKind::RequestReview => Action::RequestReview { on },
            ActionKind::ReviewOpinion => Action::ReviewOpinion { outcome: Outcome::Explain, on, served: None },
            ActionKind::RequestRecheck => Action::RequestRecheck { on },
            ActionKind::RecheckOpinion => Action::RecheckOpinion { outcome: Outcome::NotSupport, on },
            ActionKind::Close => Action::Close { note: "已办结".into() },
            ActionKind::Hearing => Action::Hearing { from: on, to: on },
            ActionKind::FollowUp => {
                Action::FollowUp { bureau: Satisfaction::Satisfied, unit: Satisfaction::Basic, note: String::new() }
            }
            ActionKind::ToOrdinary => Action::ToOrdinary { reason: "涉及多个部门，情况复杂".into() },
            ActionKind::Feedback => Action::Feedback { on, note: "已约谈当事人，拟于月底前解决".into() },
            ActionKind::StopPetitioning => {
                Action::StopPetitioning { on, basis: "签订息诉罢访承诺书".into(), resolved: true }
            }
        }
    }

    /// Every action from every status: allowed exactly where the table says,
    /// and an allowed action only moves along the status machine.
    #[test]
    fn an_action_is_never_dated_before_the_step_it_answers() {
        let since = d("2026-11-20");
        let cases = [
            (Action::Accept { on: d("2026-11-19") }, Some("受理日期 2026-11-19 早于上一步办理的日期 2026-11-20")),
            (Action::Accept { on: d("2026-11-20") }, None),
            (
                Action::Reply { outcome: Outcome::Support, on: d("2026-11-18"), served: None },
                Some("答复日期 2026-11-18 早于"),
            ),
            (Action::RequestReview { on: d("2026-11-21") }, None),
            (Action::RecheckOpinion { outcome: Outcome::Explain, on: d("2026-11-01") }, Some("复核意见日期")),
            (Action::Close { note: "办结".into() }, None),
        ];
        for (action, want) in cases {
            match (check_order(&action, since), want) {
                (Ok(()), None) => {}
                (Err(r), Some(w)) => assert!(r.0.starts_with(w), "{action:?}: {}", r.0),
                (got, want) => panic!("{action:?}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn every_action_from_every_status() {
        for kind in ActionKind::ALL {
            for status in CaseStatus::ALL {
                let result = plan(status, &sample(kind), d(TODAY), None);
                assert_eq!(result.is_ok(), kind.is_allowed(status), "{kind:?} from {status:?}: {result:?}");
                match result {
                    Ok(p) => {
                        let mut at = status;
                        for s in &p.path {
                            assert!(at.can_move_to(*s), "{kind:?}: {at:?} -> {s:?}");
                            at = *s;
                        }
                    }
                    Err(r) => assert!(r.0.contains(status.label()) && r.0.contains(kind.label()), "{r}"),
                }
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        let r = plan(CaseStatus::Registered, &sample(ActionKind::Reply), d(TODAY), None).unwrap_err();
        assert_eq!(r.0, "事项状态为「已登记」，不能答复（只能在「已受理、办理中、已延期」时答复）");
        let too_long = Action::Extend { days: 31, approved_by: "局长".into(), notified_on: d(TODAY) };
        assert!(plan(CaseStatus::InProgress, &too_long, d(TODAY), None).unwrap_err().0.contains("1到30日"));
        let future = Action::Accept { on: d("2026-12-01") };
        assert!(plan(CaseStatus::Assigned, &future, d(TODAY), None).unwrap_err().0.contains("晚于今天"));
        let no_unit = Action::Forward { unit: " ".into(), received: None };
        assert_eq!(plan(CaseStatus::Registered, &no_unit, d(TODAY), None).unwrap_err().0, "请填写转送单位");
    }

    #[test]
    fn clocks_started_by_actions() {
        let p = plan(CaseStatus::Assigned, &Action::Accept { on: d("2026-11-20") }, d(TODAY), Some(d("2026-12-20")))
            .unwrap();
        assert_eq!(
            p.start,
            Some(ClockStart { rule: Rule::Handle, from: d("2026-11-20"), assigned_due: Some(d("2026-12-20")) })
        );
        let p = plan(CaseStatus::Accepted, &sample(ActionKind::Reply), d(TODAY), None).unwrap();
        assert_eq!(p.path, vec![CaseStatus::InProgress, CaseStatus::Replied], "via 办理中");
        assert_eq!(p.start.unwrap().rule, Rule::ReviewRequest);
        let p = plan(CaseStatus::InProgress, &sample(ActionKind::Extend), d(TODAY), None).unwrap();
        assert_eq!((p.extend, p.stop_clocks), (Some(30), false));
        assert!(
            plan(CaseStatus::UnderRecheck, &sample(ActionKind::RecheckOpinion), d(TODAY), None)
                .unwrap()
                .start
                .is_none()
        );
    }

    #[test]
    fn available_actions_follow_the_status() {
        use ActionKind::*;
        assert_eq!(
            ActionKind::available(CaseStatus::Assigned),
            vec![Objection, Accept, ToOrdinary, Feedback, StopPetitioning]
        );
        // A final status leaves only the follow-ups of a leader's 批示 and 包案.
        assert_eq!(ActionKind::available(CaseStatus::NotAccepted), vec![Feedback, StopPetitioning]);
    }
}
