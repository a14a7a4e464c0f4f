//! 电话督促 on a real SQLite file: sequence numbers, promises, retries, the
//! ladder, unit records and the export.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use xfdesk::app::popups::reminder_call::F;
use xfdesk::domain::calendar::builtin;
use xfdesk::domain::lifecycle::{Action, Outcome};
use xfdesk::domain::reminder::{CallResult, DueReason, Escalation, Method, ReminderRules};
use xfdesk::store::reminders::{self, NewReminder};
use xfdesk::store::{Store, cases, lifecycle};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    format!("{s}T10:00:00").parse().unwrap()
}

fn call(case_id: i64, unit: &str, when: &str, result: CallResult, committed: Option<&str>) -> NewReminder {
    NewReminder {
        case_id,
        unit: unit.into(),
        at: at(when),
        caller: "周敏".into(),
        method: Method::Phone,
        contact: "刘建国".into(),
        contact_post: "科长".into(),
        phone: "0391-3921001".into(),
        result,
        asked: "办理进度".into(),
        answer: "正在调查".into(),
        committed: committed.map(d),
        next: None,
        escalation: Escalation::None,
        note: String::new(),
    }
}

/// A case registered on `registered` and assigned to 区住房和城乡建设局 that day.
fn assigned_case(store: &mut Store, name_id: &str, registered: &str) -> i64 {
    let cal = builtin();
    let mut reg = registration(petitioner("督促测试", &valid_id(name_id)), "物业问题");
    reg.case.registered_at = at(registered);
    let id = cases::register(store, &reg).unwrap().case_id;
    let assign = Action::Assign { unit: "区住房和城乡建设局".into(), due: None, received: None };
    lifecycle::apply(store, id, &assign, "周敏", at(registered), &cal).unwrap();
    id
}

#[test]
fn sequence_numbers_per_case_and_unit_and_the_trail() {
    let (_d, mut store) = temp_store();
    let a = assigned_case(&mut store, "41080319700101011", "2026-11-02");
    let b = assigned_case(&mut store, "41080319700101021", "2026-11-02");
    let seq = |r: reminders::Reminder| r.seq;
    assert_eq!(
        seq(reminders::log(
            &mut store,
            &call(a, "区住房和城乡建设局", "2026-11-10", CallResult::Connected, None),
            "0391"
        )
        .unwrap()),
        1
    );
    assert_eq!(
        seq(reminders::log(&mut store, &call(a, "区住房和城乡建设局", "2026-11-12", CallResult::Busy, None), "0391")
            .unwrap()),
        2
    );
    assert_eq!(
        seq(reminders::log(&mut store, &call(a, "朝阳街道办事处", "2026-11-12", CallResult::Connected, None), "0391")
            .unwrap()),
        1
    );
    assert_eq!(
        seq(reminders::log(
            &mut store,
            &call(b, "区住房和城乡建设局", "2026-11-12", CallResult::Connected, None),
            "0391"
        )
        .unwrap()),
        1
    );
    let trail: Vec<String> =
        cases::events(store.conn(), a).unwrap().into_iter().filter(|e| e.action == "督促").map(|e| e.note).collect();
    assert_eq!(trail.len(), 3);
    assert!(trail[1].starts_with("第2次督促区住房和城乡建设局（电话，占线）"), "{}", trail[1]);
    let bad = NewReminder {
        phone: "12345".into(),
        ..call(a, "区住房和城乡建设局", "2026-11-12", CallResult::Connected, None)
    };
    let err = reminders::log(&mut store, &bad, "0391").unwrap_err();
    assert!(err.to_string().contains("手机号无效"), "{err}");
    assert_eq!(reminders::of_case(store.conn(), a).unwrap().len(), 3, "a refused call writes nothing");
}

#[test]
fn a_promise_sets_a_soft_deadline_that_the_next_step_clears() {
    let (_d, mut store) = temp_store();
    let cal = builtin();
    let rules = ReminderRules::default();
    let id = assigned_case(&mut store, "41080319700101031", "2026-10-01");
    lifecycle::apply(&mut store, id, &Action::Accept { on: d("2026-10-05") }, "周敏", at("2026-10-05"), &cal).unwrap();
    reminders::log(
        &mut store,
        &call(id, "区住房和城乡建设局", "2026-11-10", CallResult::Connected, Some("2026-11-20")),
        "0391",
    )
    .unwrap();
    let due = reminders::due(store.conn(), d("2026-11-19"), &rules, &cal).unwrap();
    assert!(due.iter().all(|c| c.case_id != id), "not due before the promised date");
    let due = reminders::due(store.conn(), d("2026-11-23"), &rules, &cal).unwrap();
    let row = due.iter().find(|c| c.case_id == id).expect("due after the promise passed");
    assert_eq!(row.reasons, vec![DueReason::PromiseBroken { promised: d("2026-11-20") }]);
    assert_eq!(row.promised, Some(d("2026-11-20")));
    assert_eq!(row.unit, "区住房和城乡建设局");
    // Replying meets the clocks and the promise (late: broken).
    lifecycle::apply(
        &mut store,
        id,
        &Action::Reply { outcome: Outcome::Support, on: d("2026-11-23"), served: None },
        "周敏",
        at("2026-11-23"),
        &cal,
    )
    .unwrap();
    let open: i64 =
        store.conn().query_row("SELECT count(*) FROM case_commitments WHERE met_at IS NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(open, 0, "the soft deadline is cleared");
    let rec = reminders::unit_records(store.conn(), d("2026-11-28")).unwrap();
    let unit = rec.iter().find(|u| u.unit == "区住房和城乡建设局").unwrap();
    assert_eq!((unit.promises_kept, unit.promises_broken), (0, 1));
}

#[test]
fn failed_calls_are_retried_the_same_day_and_escalate_after_three() {
    let (_d, mut store) = temp_store();
    let cal = builtin();
    let rules = ReminderRules::default();
    let id = assigned_case(&mut store, "41080319700101041", "2026-11-10");
    // Day 12 of the 受理告知 window with no notice: due.
    let due = reminders::due(store.conn(), d("2026-11-22"), &rules, &cal).unwrap();
    assert_eq!(due.iter().find(|c| c.case_id == id).unwrap().reasons, vec![DueReason::AcceptNotice { day: 12 }]);
    reminders::log(&mut store, &call(id, "区住房和城乡建设局", "2026-11-22", CallResult::NoAnswer, None), "0391")
        .unwrap();
    let due = reminders::due(store.conn(), d("2026-11-22"), &rules, &cal).unwrap();
    let row = due.iter().find(|c| c.case_id == id).unwrap();
    assert_eq!(row.reasons[0], DueReason::Retry);
    assert!(row.escalation.is_none());
    reminders::log(&mut store, &call(id, "区住房和城乡建设局", "2026-11-23", CallResult::Busy, None), "0391").unwrap();
    reminders::log(&mut store, &call(id, "区住房和城乡建设局", "2026-11-24", CallResult::NoAnswer, None), "0391")
        .unwrap();
    let due = reminders::due(store.conn(), d("2026-11-24"), &rules, &cal).unwrap();
    let (rung, why) = due.iter().find(|c| c.case_id == id).unwrap().escalation.clone().unwrap();
    assert_eq!(rung, Escalation::WrittenNotice);
    assert!(why.contains("连续3次未能接通"));
    // A connected call covers the window.
    reminders::log(&mut store, &call(id, "区住房和城乡建设局", "2026-11-24", CallResult::Connected, None), "0391")
        .unwrap();
    assert!(reminders::due(store.conn(), d("2026-11-24"), &rules, &cal).unwrap().iter().all(|c| c.case_id != id));
}

#[test]
fn unit_records_rank_the_units_that_need_chasing_most() {
    let (_d, mut store) = temp_store();
    let today = d("2026-11-28");
    // Two cases at 区住建局, both overdue for 受理告知 (due 11-17 and 11-20); one at 朝阳街道, not yet due.
    let a = assigned_case(&mut store, "41080319700101051", "2026-11-02");
    let b = assigned_case(&mut store, "41080319700101061", "2026-11-05");
    let c = assigned_case(&mut store, "41080319700101071", "2026-11-27");
    store
        .write(|tx| {
            tx.execute("UPDATE assignments SET unit = '朝阳街道办事处' WHERE case_id = ?1", [c])?;
            Ok(())
        })
        .unwrap();
    reminders::log(
        &mut store,
        &call(a, "区住房和城乡建设局", "2026-11-18", CallResult::Connected, Some("2026-11-25")),
        "0391",
    )
    .unwrap();
    reminders::log(&mut store, &call(b, "区住房和城乡建设局", "2026-11-21", CallResult::Busy, None), "0391").unwrap();
    let rec = reminders::unit_records(store.conn(), today).unwrap();
    assert_eq!(rec[0].unit, "区住房和城乡建设局", "{rec:?}");
    assert_eq!((rec[0].open_cases, rec[0].overdue_cases, rec[0].calls), (2, 2, 2));
    // Overdue by 11 days (11-17) and 8 days (11-20): 9.5 on average.
    assert!((rec[0].average_days_overdue - 9.5).abs() < 1e-9, "{}", rec[0].average_days_overdue);
    assert_eq!((rec[0].promises_kept, rec[0].promises_broken), (0, 1), "11-25 passed, nothing done");
    let chaoyang = rec.iter().find(|u| u.unit == "朝阳街道办事处").unwrap();
    assert_eq!((chaoyang.open_cases, chaoyang.overdue_cases, chaoyang.calls), (1, 0, 0));
}

#[test]
fn export_csv_with_bom_and_xlsx_that_excel_reads() {
    use calamine::{Reader, Xlsx, open_workbook};
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("r.db");
    let mut store = Store::open(&db).unwrap();
    let id = assigned_case(&mut store, "41080319700101081", "2026-11-02");
    let mut hostile = call(id, "区住房和城乡建设局", "2026-11-10", CallResult::Connected, Some("2026-11-30"));
    hostile.answer = "=HYPERLINK(\"http://x\")，已在办理".into();
    reminders::log(&mut store, &hostile, "0391").unwrap();
    drop(store);
    let run = |format: &str, out: &std::path::Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
            .args(tester(home.path(), &db))
            .args(["--db", db.to_str().unwrap(), "reminders", "export", "--from", "2026-11-01", "--to", "2026-11-30"])
            .args(["--format", format, "--out", out.to_str().unwrap()])
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let csv = home.path().join("r.csv");
    run("csv", &csv);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("督促编号,信访件编号,督促时间"));
    assert!(text.contains("'=HYPERLINK"), "formula neutralised: {text}");
    let xlsx = home.path().join("r.xlsx");
    run("xlsx", &xlsx);
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("督促记录").unwrap();
    assert_eq!(range.get_value((0, 5)).unwrap().to_string(), "被督促单位");
    assert_eq!(range.get_value((1, 5)).unwrap().to_string(), "区住房和城乡建设局");
    assert_eq!(range.get_value((1, 12)).unwrap().to_string(), "2026-11-30");
    assert_eq!(range.get_value((1, 14)).unwrap().to_string(), "第1次");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&xlsx).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

mod screen {
    use super::*;
    use crossterm::event::KeyCode;

    /// Open the due list, log a call with a promise, see it in the case's timeline.
    #[test]
    fn due_list_log_a_call_with_a_promise_and_see_it_in_the_timeline() {
        let (_d, mut app) = demo_app();
        key(&mut app, KeyCode::Char('5'));
        assert!(!app.reminders().due.is_empty(), "the demo desk has cases due a call");
        let first = app.reminders().due[0].clone();
        assert!(first.reasons.iter().any(|r| matches!(r, DueReason::Missed { .. })), "missed deadlines first");
        key(&mut app, KeyCode::Enter);
        let form = app.reminder_form().expect("the call form");
        assert_eq!(form.form.value(F::Unit), first.unit, "the unit is prefilled");
        typ(&mut app, "已调查完毕，正在起草答复");
        key(&mut app, KeyCode::Tab);
        typ(&mut app, "2026-12-05");
        key(&mut app, KeyCode::Enter);
        assert!(app.reminder_form().is_none(), "saved: {:?}", app.reminder_form().map(|f| f.form.error.clone()));
        let calls = reminders::of_case(app.store().conn(), first.case_id).unwrap();
        assert_eq!(calls.len(), 1);
        assert_eq!((calls[0].seq, calls[0].committed), (1, Some(d("2026-12-05"))));
        assert_eq!(calls[0].answer, "已调查完毕，正在起草答复");
        assert!(calls[0].overdue_days > 0, "computed at the call");
        assert!(app.reminders().due.iter().all(|c| c.case_id != first.case_id), "called: off today's list");
        // The case's timeline shows the call and the promise.
        key(&mut app, KeyCode::Char('1'));
        app.open_case(first.case_id);
        let dossier = &app.detail().unwrap().dossier;
        assert_eq!(
            dossier.promise.as_ref().map(|(u, d)| (u.as_str(), *d)),
            Some((first.unit.as_str(), d("2026-12-05"))),
            "a soft deadline on the case"
        );
        let screen = format!("{}", render(&mut app, 120, 40).backend());
        assert!(screen.contains("承诺办结"), "shown among the clocks");
        let trail = &app.detail().unwrap().dossier.events;
        assert_eq!(trail[0].action, "督促");
        assert!(trail[0].note.contains("承诺2026-12-05办结"), "{}", trail[0].note);
    }

    /// A failed call: `x` then Enter, and a retry proposed the same day.
    #[test]
    fn a_failed_call_in_two_keystrokes() {
        let (_d, mut app) = demo_app();
        key(&mut app, KeyCode::Char('5'));
        let id = app.reminders().due[0].case_id;
        key(&mut app, KeyCode::Char('x'));
        key(&mut app, KeyCode::Enter);
        let calls = reminders::of_case(app.store().conn(), id).unwrap();
        assert_eq!((calls[0].result.as_str(), calls[0].next), ("未接通", Some(now().date())));
        let row = app.reminders().due.iter().find(|c| c.case_id == id).expect("still due");
        assert_eq!(row.reasons[0], DueReason::Retry);
    }

    #[test]
    fn the_unit_view_and_from_a_case() {
        let (_d, mut app) = demo_app();
        key(&mut app, KeyCode::Char('5'));
        key(&mut app, KeyCode::Char('u'));
        assert!(!app.reminders().units.is_empty());
        let unit = app.reminders().units[0].unit.clone();
        assert!(app.reminders().units[0].overdue_cases > 0, "the unit that needs chasing most first");
        // One key from the unit's line: the call form, for that unit.
        key(&mut app, KeyCode::Char('r'));
        assert_eq!(app.reminder_form().map(|f| f.form.value(F::Unit)), Some(unit.clone()));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        assert!(app.reminders().due.iter().all(|c| c.unit == unit));
        // From a case's detail pane, `r` opens the form for it.
        let id = app.reminders().due[0].case_id;
        key(&mut app, KeyCode::Char('o'));
        assert_eq!(app.detail().map(|d| d.case_id), Some(id));
        key(&mut app, KeyCode::Char('r'));
        assert_eq!(app.reminder_form().map(|f| f.case_id), Some(id));
        key(&mut app, KeyCode::Esc);
        assert!(app.reminder_form().is_none() && app.detail().is_some());
    }

    #[test]
    fn the_due_list_gives_its_columns_the_width_the_window_has() {
        let (_d, mut app) = demo_app();
        key(&mut app, KeyCode::Char('5'));
        // A failed call: the case stays on the list with its last call.
        key(&mut app, KeyCode::Char('x'));
        key(&mut app, KeyCode::Enter);
        let due = app.reminders().due.clone();
        assert!(!due.is_empty());
        let longest = due.iter().max_by_key(|d| xfdesk::text::width(&d.unit)).unwrap().unit.clone();
        let called = due.iter().find(|d| d.last_call.is_some()).expect("a case with an earlier call");
        let (at, result) = called.last_call.clone().unwrap();
        let last = format!("上次{} {result}", at.format("%m-%d"));
        for (w, h) in [(120, 40), (200, 50)] {
            let text = screen_text(&render(&mut app, w, h));
            assert!(text.contains(&longest), "{w}: the whole unit name {longest}:\n{text}");
            assert!(text.contains(&last), "{w}: the whole last call {last}:\n{text}");
            assert!(!text.contains("...  上次"), "{w}: nothing cut before the reasons");
        }
        // 80 columns: the rows still fit, the reasons keep their room.
        let text = screen_text(&render(&mut app, 80, 24));
        let row = text.lines().find(|l| l.contains(&due[0].number)).unwrap();
        assert!(xfdesk::text::width(row) <= 80 && row.contains("上次未接通"), "{row}");
    }

    #[test]
    fn snapshots_of_the_due_list_and_the_form() {
        let (_d, mut app) = demo_app();
        key(&mut app, KeyCode::Char('5'));
        insta::assert_snapshot!("due_list_120x40", render(&mut app, 120, 40).backend());
        insta::assert_snapshot!("due_list_80x24", render(&mut app, 80, 24).backend());
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!("call_form_120x40", render(&mut app, 120, 40).backend());
        insta::assert_snapshot!("call_form_80x24", render(&mut app, 80, 24).backend());
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('u'));
        insta::assert_snapshot!("units_120x40", render(&mut app, 120, 40).backend());
    }
}

#[test]
fn reminders_due_on_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(tester(home.path(), &db))
        .args(["--demo", "--db", db.to_str().unwrap(), "reminders", "due", "--json"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows[0]["reasons"][0].as_str().unwrap().starts_with("期限已过"));
    assert!(rows[0]["unit"].as_str().unwrap().starts_with('区'));
}
