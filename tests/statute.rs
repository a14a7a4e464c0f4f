//! The statute's guards on a real file: an extension only before its clock is
//! due and never past 60 + 30 days; 复查 requests only inside the window that
//! runs from 送达; 办结 after a reply only once the window passed or the
//! petitioner's rating is recorded. A refusal writes nothing.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use xfdesk::domain::deadline::Rule;
use xfdesk::domain::lifecycle::{Action, Outcome, Satisfaction};
use xfdesk::store::{Store, approvals, cases, deadlines, lifecycle};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    format!("{s}T10:00:00").parse().unwrap()
}

/// A case accepted on 2026-03-10 (its 办结 clock: 05-09, a make-up Saturday).
fn accepted(store: &mut Store) -> i64 {
    let mut reg = registration(petitioner("贾宝玉", &valid_id("41080319900101009")), "大观园拆迁");
    reg.case.registered_at = "2026-03-02T09:00:00".parse().unwrap();
    let case = cases::register(store, &reg).unwrap().case_id;
    let cal = xfdesk::domain::calendar::builtin();
    lifecycle::apply(
        store,
        case,
        &Action::Forward { unit: "区住建局".into(), received: None },
        "周敏",
        at("2026-03-05"),
        &cal,
    )
    .unwrap();
    lifecycle::apply(store, case, &Action::Accept { on: d("2026-03-10") }, "周敏", at("2026-03-10"), &cal).unwrap();
    case
}

/// An action on `on`; a 延期 as the statute has it, asked by a 接待员 and signed by an 审批人.
fn apply(store: &mut Store, case: i64, a: Action, on: &str) -> Result<(), String> {
    let cal = xfdesk::domain::calendar::builtin();
    let done = match a {
        Action::Extend { days, notified_on, .. } => {
            let (clerk, approval) = two_people(store);
            let rules = Default::default();
            approvals::extend(store, case, days, notified_on, &clerk, &approval, &rules, at(on), &cal)
        }
        a => lifecycle::apply(store, case, &a, "周敏", at(on), &cal),
    };
    done.map_err(|e| e.to_string())
}

fn clock(store: &Store, case: i64) -> (Rule, String) {
    let d = deadlines::running(store.conn(), case).unwrap().unwrap();
    (d.rule, d.due.to_string())
}

fn events(store: &Store, case: i64) -> usize {
    cases::events(store.conn(), case).unwrap().len()
}

fn extend(days: u32, on: &str) -> Action {
    Action::Extend { days, approved_by: "王局长".into(), notified_on: d(on) }
}

#[test]
fn an_extension_after_the_due_date_is_refused_and_writes_nothing() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    assert_eq!(clock(&store, case), (Rule::Handle, "2026-05-09".into()));
    let before = events(&store, case);
    let late = apply(&mut store, case, extend(30, "2026-05-11"), "2026-05-11").unwrap_err();
    assert!(late.contains("已届满，不能再延期"), "{late}");
    assert_eq!(events(&store, case), before, "nothing written");
    assert_eq!(clock(&store, case), (Rule::Handle, "2026-05-09".into()), "超期 stays 超期");
}

#[test]
fn extensions_add_to_the_due_date_and_never_pass_sixty_plus_thirty() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    apply(&mut store, case, extend(30, "2026-05-08"), "2026-05-08").unwrap();
    // 05-09 + 30 = 06-08 (Monday), which is also the cap of 60 + 30 days from 03-10.
    assert_eq!(clock(&store, case), (Rule::Handle, "2026-06-08".into()));
    let more = apply(&mut store, case, extend(1, "2026-05-20"), "2026-05-20").unwrap_err();
    assert!(!more.is_empty(), "no 31st day: {more}");
}

#[test]
fn the_review_window_runs_from_service_and_a_late_request_is_refused() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    let reply = Action::Reply { outcome: Outcome::Explain, on: d("2026-04-01"), served: Some(d("2026-04-03")) };
    apply(&mut store, case, reply, "2026-04-03").unwrap();
    // 30 days from the 送达 day 04-03, not from the reply's 04-01.
    assert_eq!(clock(&store, case), (Rule::ReviewRequest, "2026-05-06".into()));
    let trail = cases::events(store.conn(), case).unwrap();
    assert!(trail.iter().any(|e| e.note.contains("2026-04-03送达")), "the trail names the service day");
    let late = apply(&mut store, case, Action::RequestReview { on: d("2026-05-07") }, "2026-05-07").unwrap_err();
    assert!(late.contains("已超过申请期限 2026-05-06") && late.contains("第三十五条"), "{late}");
    apply(&mut store, case, Action::RequestReview { on: d("2026-05-06") }, "2026-05-06").unwrap();
}

#[test]
fn closing_after_a_reply_waits_for_the_window_or_the_petitioners_rating() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    let reply = Action::Reply { outcome: Outcome::Support, on: d("2026-04-01"), served: None };
    apply(&mut store, case, reply, "2026-04-01").unwrap();
    let close = || Action::Close { note: "已办结".into() };
    let early = apply(&mut store, case, close(), "2026-04-10").unwrap_err();
    assert!(early.contains("须待申请复查期限 2026-05-06"), "{early}"); // 05-01 falls in 劳动节
    let follow =
        Action::FollowUp { bureau: Satisfaction::Satisfied, unit: Satisfaction::Basic, note: "电话回访".into() };
    apply(&mut store, case, follow, "2026-04-10").unwrap();
    apply(&mut store, case, close(), "2026-04-10").unwrap();
}

#[test]
fn a_case_whose_window_passed_closes_without_a_rating() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    apply(
        &mut store,
        case,
        Action::Reply { outcome: Outcome::Support, on: d("2026-04-01"), served: None },
        "2026-04-01",
    )
    .unwrap();
    let served_early =
        Action::ReviewOpinion { outcome: Outcome::Support, on: d("2026-04-01"), served: Some(d("2026-03-30")) };
    assert!(apply(&mut store, case, served_early, "2026-04-02").is_err(), "not a review case yet, and served before");
    apply(&mut store, case, Action::Close { note: String::new() }, "2026-05-07").unwrap();
}

#[test]
fn the_units_clocks_run_from_its_signing_and_a_late_objection_is_refused() {
    let (_d, mut store) = temp_store();
    let mut reg = registration(petitioner("贾宝玉", &valid_id("41080319900101009")), "大观园拆迁");
    reg.case.registered_at = "2026-09-21T09:00:00".parse().unwrap();
    let case = cases::register(&mut store, &reg).unwrap().case_id;
    let sent = Action::Forward { unit: "区住建局".into(), received: Some(d("2026-09-25")) };
    apply(&mut store, case, sent, "2026-09-25").unwrap();
    // 受理告知 15 days from the 签收 day 09-25: 10-10 (a make-up Saturday, a working day).
    assert_eq!(clock(&store, case), (Rule::Accept, "2026-10-10".into()));
    let cal = xfdesk::domain::calendar::builtin();
    let refs = xfdesk::store::reference::ReferenceData::load(store.conn()).unwrap();
    let dossier = xfdesk::store::dossier::load(store.conn(), case, &refs, &cal).unwrap().unwrap();
    assert_eq!(dossier.objection, Some((d("2026-09-25"), d("2026-10-09"))), "shown on the detail pane");
    let before = events(&store, case);
    let late =
        apply(&mut store, case, Action::Objection { reason: "不属本单位职责".into() }, "2026-10-10").unwrap_err();
    assert!(late.contains("5个工作日内") && late.contains("期限至2026-10-09"), "{late}");
    assert_eq!(events(&store, case), before);
    apply(&mut store, case, Action::Objection { reason: "不属本单位职责".into() }, "2026-10-09").unwrap();
}

#[test]
fn hearing_days_are_not_counted_in_the_recheck_clock() {
    let (_d, mut store) = temp_store();
    let case = accepted(&mut store);
    let steps = [
        (Action::Reply { outcome: Outcome::Explain, on: d("2026-04-01"), served: None }, "2026-04-01"),
        (Action::RequestReview { on: d("2026-04-10") }, "2026-04-10"),
        (Action::ReviewOpinion { outcome: Outcome::NotSupport, on: d("2026-05-08"), served: None }, "2026-05-08"),
        (Action::RequestRecheck { on: d("2026-05-20") }, "2026-05-20"),
    ];
    for (a, on) in steps {
        apply(&mut store, case, a, on).unwrap();
    }
    // 30 days from 05-20: 06-19, in the 端午 holiday: 06-22.
    assert_eq!(clock(&store, case), (Rule::Recheck, "2026-06-22".into()));
    let wrong = apply(&mut store, case, Action::Hearing { from: d("2026-06-03"), to: d("2026-06-02") }, "2026-06-03");
    assert!(wrong.unwrap_err().contains("听证日期"));
    apply(&mut store, case, Action::Hearing { from: d("2026-06-02"), to: d("2026-06-03") }, "2026-06-03").unwrap();
    // Two hearing days not counted: 32 days from 05-20 is 06-21, still in 端午, so 06-22.
    assert_eq!(clock(&store, case), (Rule::Recheck, "2026-06-22".into()));
    let cal = xfdesk::domain::calendar::builtin();
    let d3 = apply(&mut store, case, Action::Hearing { from: d("2026-06-04"), to: d("2026-06-06") }, "2026-06-06");
    d3.unwrap();
    assert_eq!(clock(&store, case).1, "2026-06-24", "five hearing days: 35 days from 05-20");
    let dossier = xfdesk::store::dossier::load(
        store.conn(),
        case,
        &xfdesk::store::reference::ReferenceData::load(store.conn()).unwrap(),
        &cal,
    )
    .unwrap()
    .unwrap();
    let why = dossier.deadlines.iter().rev().find(|(s, _)| s.rule == Rule::Recheck).unwrap().1.explanation.join("；");
    assert!(why.contains("听证5日不计入"), "{why}");
    let trail = cases::events(store.conn(), case).unwrap();
    assert!(trail.iter().any(|e| e.action == "听证" && e.note.contains("2026-06-04 至 2026-06-06，共3日")));
}
