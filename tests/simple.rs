//! 简易办理 on a real file: offered only for what the rules allow, its 1/3/10
//! working-day clocks across 国庆 2026, never extended, converted to the
//! ordinary procedure with its clocks; and a leader's casework followed
//! through — the unit's feedback on a 批示 and the 息诉罢访 that ends a 包案 —
//! into the metrics, by keys where the clerk does it.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::reception::instructed;
use common::*;
use crossterm::event::KeyCode;
use xfdesk::domain::deadline::Rule;
use xfdesk::domain::lifecycle::{self as l, Action};
use xfdesk::domain::metrics::MetricRules;
use xfdesk::domain::queue::{InstructionKind, LeaderInstruction};
use xfdesk::domain::triage::{Procedure, Triage};
use xfdesk::store::cases::{self, DeskTriage, Registration};
use xfdesk::store::{Store, deadlines, dossier, lifecycle};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    format!("{s}T10:00:00").parse().unwrap()
}

fn apply(store: &mut Store, case: i64, a: Action, on: &str) -> Result<(), String> {
    let cal = xfdesk::domain::calendar::builtin();
    lifecycle::apply(store, case, &a, "周敏", at(on), &cal).map_err(|e| e.to_string())
}

fn clock(store: &Store, case: i64) -> (Rule, String) {
    let d = deadlines::running(store.conn(), case).unwrap().unwrap();
    (d.rule, d.due.to_string())
}

fn simple(triage: Triage) -> DeskTriage {
    DeskTriage { triage, unit: Some("区住建局".into()), reason: None, procedure: Procedure::Simple }
}

fn on_eve_of_national_day() -> Registration {
    let mut reg = registration(petitioner("林黛玉", &valid_id("41080319950101002")), "楼道灯坏了");
    reg.case.registered_at = "2026-09-30T09:00:00".parse().unwrap();
    reg
}

#[test]
fn a_simple_matter_runs_one_three_and_ten_working_days_and_is_never_extended() {
    let (_d, mut store) = temp_store();
    let case =
        cases::register_at_desk(&mut store, &on_eve_of_national_day(), Some(&simple(Triage::Forward))).unwrap().case_id;
    assert_eq!(cases::procedure_of(store.conn(), case).unwrap(), Procedure::Simple);
    // One working day from 09-30: the 国庆 week off, then Thursday 10-08.
    assert_eq!(clock(&store, case), (Rule::SimpleRelay, "2026-10-08".into()));
    let triage = cases::events(store.conn(), case).unwrap().into_iter().find(|e| e.action == "拟办").unwrap();
    assert!(triage.note.contains("（简易办理）"), "{}", triage.note);

    apply(&mut store, case, Action::Forward { unit: "区住建局".into(), received: None }, "2026-10-08").unwrap();
    // Three working days: Friday 10-09, the make-up Saturday 10-10, Monday 10-12.
    assert_eq!(clock(&store, case), (Rule::SimpleAccept, "2026-10-12".into()));
    apply(&mut store, case, Action::Accept { on: d("2026-10-12") }, "2026-10-12").unwrap();
    assert_eq!(clock(&store, case), (Rule::SimpleAnswer, "2026-10-26".into()));

    let before = cases::events(store.conn(), case).unwrap().len();
    let extend = Action::Extend { days: 10, approved_by: "王局长".into(), notified_on: d("2026-10-20") };
    let refused = apply(&mut store, case, extend, "2026-10-20").unwrap_err();
    assert!(refused.starts_with("简易办理的事项不能延期"), "{refused}");
    assert_eq!(cases::events(store.conn(), case).unwrap().len(), before, "nothing written");

    // Converted: the ordinary 60 days run from the same 受理 day (10-12 + 60 = Friday 12-11).
    apply(&mut store, case, Action::ToOrdinary { reason: "涉及多个部门".into() }, "2026-10-20").unwrap();
    assert_eq!(clock(&store, case), (Rule::Handle, "2026-12-11".into()));
    assert_eq!(cases::procedure_of(store.conn(), case).unwrap(), Procedure::Ordinary);
    let again = apply(&mut store, case, Action::ToOrdinary { reason: "再转".into() }, "2026-10-21").unwrap_err();
    assert_eq!(again, l::NOT_SIMPLE);
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT rule FROM case_deadlines WHERE case_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([case], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["simple-relay", "simple-accept", "simple-answer", "handle"], "the history keeps every clock");
}

#[test]
fn the_store_refuses_simple_handling_for_what_the_rules_exclude() {
    type Change = fn(&mut Registration);
    // why, the change to a plain first-time 转送, the triage, words of the refusal
    let cases: [(&str, Change, Triage, &str); 5] = [
        ("a repeat matter", |r| r.case.repeat_kind = xfdesk::domain::RepeatKind::Repeat, Triage::Forward, "初次"),
        ("jointly signed", |r| r.case.flags.joint = true, Triage::Forward, "联名"),
        ("交办 from the city", |r| r.case.source = "市信访局交办".into(), Triage::Assign, "上级机关交办"),
        ("major and urgent", |r| r.case.flags.urgent = true, Triage::Forward, "重大紧急"),
        ("not sent to a unit", |_| {}, Triage::Inform, "转送或交办"),
    ];
    for (why, change, triage, words) in cases {
        let (_d, mut store) = temp_store();
        let mut reg = on_eve_of_national_day();
        change(&mut reg);
        let err = cases::register_at_desk(&mut store, &reg, Some(&simple(triage))).unwrap_err().to_string();
        assert!(err.contains(words), "{why}: {err}");
        let n: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{why}: nothing registered");
    }
}

fn ownership() -> LeaderInstruction {
    LeaderInstruction {
        kind: InstructionKind::Ownership,
        text: "包案化解，限期答复".into(),
        record: "来访人反映物业费上涨".into(),
        attendees: "区住建局张局长".into(),
        unit: "区住建局".into(),
        contact: String::new(),
        due: Some(d("2026-12-18")),
        owner_leader: "王建设".into(),
        owner_person: "张科长".into(),
    }
}

/// A case whose leader gave a 包案 批示 to 区住建局 on 2026-11-28.
fn owned_case(store: &mut Store) -> i64 {
    let case = cases::register(store, &registration(petitioner("薛宝钗", &valid_id("41080319800101003")), "物业费"))
        .unwrap()
        .case_id;
    instructed(store, case, &ownership());
    case
}

#[test]
fn a_leaders_instruction_waits_for_feedback_and_a_ownership_ends_by_stopping() {
    let (_d, mut store) = temp_store();
    let case = owned_case(&mut store);
    let refs = xfdesk::store::reference::ReferenceData::load(store.conn()).unwrap();
    let cal = xfdesk::domain::calendar::builtin();
    let dos = dossier::load(store.conn(), case, &refs, &cal).unwrap().unwrap();
    let pending = dos.pending_instruction.expect("the 批示 awaits feedback");
    assert_eq!((pending.unit.as_str(), pending.on), ("区住建局", d("2026-11-28")));
    assert_eq!(dos.ownership.expect("the 包案 runs").leader, "王建设");

    let early = Action::Feedback { on: d("2026-11-27"), note: "已核实".into() };
    let refused = apply(&mut store, case, early, "2026-11-30").unwrap_err();
    assert_eq!(refused, "反馈日期 2026-11-27 早于批示日期 2026-11-28");
    let feedback = Action::Feedback { on: d("2026-12-01"), note: "已约谈物业，暂停涨价".into() };
    apply(&mut store, case, feedback.clone(), "2026-12-01").unwrap();
    assert_eq!(apply(&mut store, case, feedback, "2026-12-01").unwrap_err(), l::NO_PENDING_INSTRUCTION);

    let no_basis = Action::StopPetitioning { on: d("2026-12-05"), basis: " ".into(), resolved: true };
    assert_eq!(apply(&mut store, case, no_basis, "2026-12-05").unwrap_err(), "请填写息诉罢访的依据");
    let stop =
        Action::StopPetitioning { on: d("2026-12-05"), basis: "签订息诉罢访承诺书".into(), resolved: true };
    apply(&mut store, case, stop.clone(), "2026-12-05").unwrap();
    let row: (String, String, String, bool, String) = store
        .conn()
        .query_row(
            "SELECT status, ended_on, end_basis, resolved, ended_by FROM case_ownerships WHERE case_id = ?1",
            [case],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(row, ("stopped".into(), "2026-12-05".into(), "签订息诉罢访承诺书".into(), true, "周敏".into()));
    assert_eq!(apply(&mut store, case, stop, "2026-12-06").unwrap_err(), l::NO_RUNNING_OWNERSHIP);
    let trail: Vec<String> = cases::events(store.conn(), case).unwrap().into_iter().map(|e| e.action).collect();
    assert!(trail.ends_with(&["批示办理反馈".into(), "息诉罢访".into()]), "{trail:?}");

    // December: the 包案 ran and ended in 息诉罢访 with the problem resolved;
    // the 批示 of 11-28 was fed back in 3 days.
    let m = xfdesk::reports::metrics_report(
        store.conn(),
        "中站区信访局",
        (d("2026-11-01"), d("2026-12-31"), d("2026-12-31")),
        chrono::Weekday::Fri,
        &MetricRules::default(),
    )
    .unwrap();
    let rate = |r: xfdesk::domain::metrics::Rate| (r.numerator, r.denominator);
    assert_eq!((rate(m.metrics.stopped), rate(m.metrics.resolved)), ((1, 1), (1, 1)));
    assert_eq!(m.feedback_rows(), [["区住建局", "1", "3", "3", "0", "-"].map(String::from).to_vec()]);
    assert!(m.to_text().contains("息访率（包案）"), "in the export too");
}

#[test]
fn the_detail_pane_offers_feedback_and_stopping_only_when_there_is_something_to_follow() {
    let (_d, mut store) = temp_store();
    let case = owned_case(&mut store);
    let plain =
        cases::register(&mut store, &registration(petitioner("史湘云", &valid_id("41080319850101004")), "噪音"))
            .unwrap()
            .case_id;
    let mut app = xfdesk::app::App::new(store, session(), xfdesk::app::Clock::Fixed(at("2026-12-02"))).unwrap();
    app.open_case(plain);
    let bar = screen_text(&render(&mut app, 200, 50));
    assert!(!bar.contains("批示反馈") && !bar.contains("息诉罢访"), "nothing to follow on a plain case");
    key(&mut app, KeyCode::Char('x'));
    assert!(screen_text(&render(&mut app, 200, 50)).contains(l::NO_RUNNING_OWNERSHIP));
    key(&mut app, KeyCode::Esc);

    app.open_case(case);
    let screen = screen_text(&render(&mut app, 200, 50));
    assert!(screen.contains("i 批示反馈") && screen.contains("x 息诉罢访"), "{screen}");
    assert!(screen.contains("待区住建局反馈办理情况（已4"), "{screen}");
    // 息诉罢访 by keys: the date is today's, the basis typed, 已化解 chosen.
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Down);
    typ(&mut app, "双方达成和解协议");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    let (status, basis): (String, String) = app
        .store()
        .conn()
        .query_row("SELECT status, end_basis FROM case_ownerships WHERE case_id = ?1", [case], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), basis.as_str()), ("stopped", "双方达成和解协议"));
    let screen = screen_text(&render(&mut app, 200, 50));
    assert!(!screen.contains("x 息诉罢访"), "no longer offered: {screen}");
}
