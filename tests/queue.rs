//! The reception-day queue in the store: numbers per series, the calling
//! order, skip and recall, refused moves, and "call next" from two desks at
//! the same moment.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use chrono::{Duration, NaiveDateTime};
use common::reception::*;
use common::*;
use xfdesk::domain::queue::{InstructionKind, LeaderInstruction, QueueRules, TicketMove, TicketStatus};
use xfdesk::store::queue::{self, CheckIn, NewReceptionDay, Priority};
use xfdesk::store::{Store, StoreError, cases};

fn walk_in(store: &mut Store, day: i64, i: usize, at: NaiveDateTime, rules: &QueueRules) -> queue::Ticket {
    let c = arrive(store, day, i, at);
    queue::check_in(store, &c, rules).unwrap()
}

fn minutes(m: i64) -> NaiveDateTime {
    now() + Duration::minutes(m)
}

#[test]
fn walk_ins_and_appointments_number_in_their_own_series() {
    let (_d, mut store) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut store);
    let a1 = walk_in(&mut store, day, 1, minutes(0), &rules);
    let mut booked = arrive(&mut store, day, 2, minutes(1));
    booked.booked_at = Some(minutes(30));
    let y1 = queue::check_in(&mut store, &booked, &rules).unwrap();
    let a2 = walk_in(&mut store, day, 3, minutes(2), &rules);
    assert_eq!([a1.number.as_str(), y1.number.as_str(), a2.number.as_str()], ["A001", "Y001", "A002"]);
    assert_eq!(a1.status, TicketStatus::Waiting);
    let trail = cases::events(store.conn(), a1.case_id).unwrap();
    assert_eq!(trail.last().unwrap().action, "接访取号");
    assert_eq!(trail.last().unwrap().note, "A001号");
    // A second day (one day per date) starts again at 001.
    let other = reception_day_on(&mut store, now().date().succ_opt().unwrap());
    let first = walk_in(&mut store, other, 4, minutes(3), &rules);
    assert_eq!(first.number, "A001");
}

#[test]
fn calls_follow_priority_appointments_and_arrival() {
    let (_d, mut store) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut store);
    let early = walk_in(&mut store, day, 1, minutes(0), &rules);
    let late = walk_in(&mut store, day, 2, minutes(5), &rules);
    let mut old = arrive(&mut store, day, 3, minutes(10));
    old.priority = Some(Priority { reason: "年老".into(), granted_by: "周敏".into() });
    let old = queue::check_in(&mut store, &old, &rules).unwrap();
    let mut booked = arrive(&mut store, day, 4, minutes(11));
    booked.booked_at = Some(minutes(20));
    let booked = queue::check_in(&mut store, &booked, &rules).unwrap();

    let mut called = Vec::new();
    while let Some(t) = queue::call_next(&mut store, day, "周敏", minutes(12), &rules).unwrap() {
        called.push(t.id);
        queue::apply(&mut store, t.id, TicketMove::Start, "周敏", minutes(12)).unwrap();
        queue::apply(&mut store, t.id, TicketMove::Finish, "周敏", minutes(13)).unwrap();
    }
    assert_eq!(called, [old.id, booked.id, early.id, late.id]);
    let seen = queue::tickets(store.conn(), day).unwrap();
    assert!(seen.iter().all(|t| t.status == TicketStatus::Done && t.finished_at == Some(minutes(13))));
    assert_eq!(queue::day(store.conn(), day).unwrap().calls_made, 4);
    let priority_note = &cases::events(store.conn(), old.case_id).unwrap()[1].note;
    assert!(priority_note.contains("优先（年老，周敏准予）"), "{priority_note}");
}

#[test]
fn a_skipped_ticket_comes_back_after_n_calls_or_on_recall() {
    let (_d, mut store) = temp_store();
    let rules = QueueRules { skip_returns_after_calls: 2, ..QueueRules::default() };
    let day = reception_day(&mut store);
    let ids: Vec<i64> = (0..4).map(|i| walk_in(&mut store, day, i, minutes(i as i64), &rules).id).collect();
    let first = queue::call_next(&mut store, day, "周敏", minutes(10), &rules).unwrap().unwrap();
    assert_eq!(first.id, ids[0]);
    let skipped = queue::apply(&mut store, first.id, TicketMove::Skip, "周敏", minutes(11)).unwrap();
    assert_eq!((skipped.status, skipped.skipped_at_call), (TicketStatus::Skipped, Some(1)));
    let next = |store: &mut Store| queue::call_next(store, day, "周敏", minutes(12), &rules).unwrap().unwrap().id;
    assert_eq!(next(&mut store), ids[1]);
    assert_eq!(next(&mut store), ids[2]);
    assert_eq!(next(&mut store), ids[0], "two calls later the skipped ticket is back, in its arrival place");
    assert_eq!(next(&mut store), ids[3]);
    assert!(queue::call_next(&mut store, day, "周敏", minutes(12), &rules).unwrap().is_none());

    // Recall brings a skipped ticket straight back.
    queue::apply(&mut store, ids[3], TicketMove::Skip, "周敏", minutes(13)).unwrap();
    let back = queue::apply(&mut store, ids[3], TicketMove::Recall, "周敏", minutes(14)).unwrap();
    assert_eq!((back.status, back.called_at), (TicketStatus::Called, Some(minutes(14))));
    let trail = cases::events(store.conn(), back.case_id).unwrap();
    let last = trail.last().unwrap();
    assert_eq!((last.action.as_str(), last.note.as_str()), ("接访重呼", "A004号：过号→已叫号"));
    assert_eq!((last.old_value.as_deref(), last.new_value.as_deref()), (None, None), "the case status did not change");
}

#[test]
fn a_move_the_status_does_not_allow_is_refused_and_changes_nothing() {
    let (_d, mut store) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut store);
    let t = walk_in(&mut store, day, 1, minutes(0), &rules);
    let events = cases::events(store.conn(), t.case_id).unwrap().len();
    let err = queue::apply(&mut store, t.id, TicketMove::Finish, "周敏", minutes(1)).unwrap_err();
    assert!(matches!(&err, StoreError::Invalid(m) if m == "A001号当前为「等候」，不能结束接谈"), "{err}");
    assert_eq!(queue::ticket(store.conn(), t.id).unwrap(), t);
    assert_eq!(cases::events(store.conn(), t.case_id).unwrap().len(), events, "no trail entry");

    let mut no_reason = arrive(&mut store, day, 2, minutes(2));
    no_reason.priority = Some(Priority { reason: "  ".into(), granted_by: "周敏".into() });
    let err = queue::check_in(&mut store, &no_reason, &rules).unwrap_err();
    assert_eq!(err.to_string(), "优先接谈须说明理由");
    assert_eq!(queue::tickets(store.conn(), day).unwrap().len(), 1);
}

#[test]
fn two_desks_calling_next_at_the_same_moment_never_get_the_same_ticket() {
    const TICKETS: usize = 40;
    let (dir, mut store) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut store);
    for i in 0..TICKETS {
        walk_in(&mut store, day, i, minutes(i as i64), &rules);
    }
    drop(store);
    let path = dir.path().join("xfdesk.db");
    let start = Arc::new(Barrier::new(2));
    let desks: Vec<_> = (0..2)
        .map(|desk| {
            let (path, start, rules) = (path.clone(), start.clone(), rules.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                start.wait();
                let mut called = Vec::new();
                while let Some(t) =
                    queue::call_next(&mut store, day, &format!("窗口{desk}"), minutes(60), &rules).unwrap()
                {
                    called.push(t.id);
                }
                called
            })
        })
        .collect();
    let called: Vec<Vec<i64>> = desks.into_iter().map(|d| d.join().unwrap()).collect();
    let all: Vec<i64> = called.concat();
    assert_eq!(all.len(), TICKETS, "every ticket called once: {called:?}");
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), TICKETS, "no ticket called twice");
    let store = Store::open(&path).unwrap();
    assert_eq!(queue::day(store.conn(), day).unwrap().calls_made as usize, TICKETS);
}

#[test]
fn another_desks_check_in_changes_the_data_version_this_desk_watches() {
    let (dir, mut caller) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut caller);
    let seen = caller.data_version().unwrap();
    let mut front = Store::open(&dir.path().join("xfdesk.db")).unwrap();
    walk_in(&mut front, day, 1, minutes(0), &rules);
    assert_ne!(caller.data_version().unwrap(), seen, "the caller's next tick sees a change");
    assert_eq!(queue::tickets(caller.conn(), day).unwrap().len(), 1);
}

mod screen {
    use super::*;
    use crossterm::event::KeyCode;
    use xfdesk::app::popups::queue_form::F;
    use xfdesk::app::{App, Clock, Screen};

    /// The demo's reception day, on the queue screen, at the frozen 10:30.
    fn queue_app() -> (tempfile::TempDir, App) {
        let (dir, mut app) = demo_app();
        key(&mut app, KeyCode::Char('3'));
        assert_eq!(app.screen(), Screen::Queue);
        (dir, app)
    }

    #[test]
    fn queue_snapshots_80x24_and_120x40() {
        let (_d, mut app) = queue_app();
        insta::assert_snapshot!("queue_120x40", render(&mut app, 120, 40).backend());
        insta::assert_snapshot!("queue_80x24", render(&mut app, 80, 24).backend());
    }

    #[test]
    fn the_line_shows_who_is_with_the_leader_and_who_is_next() {
        let (_d, mut app) = queue_app();
        let text = screen_text(&render(&mut app, 120, 40));
        let lines: Vec<&str> = text.lines().collect();
        let row = |number: &str| {
            *lines.iter().find(|l| l.contains(number) && !l.contains("下一位")).unwrap_or_else(|| panic!("{text}"))
        };
        // The priority ticket was called first although it came sixth.
        assert!(row("A006").contains("已接谈") && row("A006").contains("优先：年老"), "{text}");
        assert!(row("A001").contains("过号"));
        assert!(row("A002").contains("接谈中"));
        assert!(row("A003").contains("  1   A003"), "A003 is next: {}", row("A003"));
        assert!(text.contains("下一位：A003"));
        // Names are masked; every row's status starts in the same column.
        assert!(!text.contains("田德福") && text.contains("田*福"), "{text}");
        let col = |l: &str| xfdesk::text::width(&l[..l.find("A00").unwrap()]);
        assert!(["A001", "A002", "A003", "A004", "A006"].iter().all(|n| col(row(n)) == col(row("A003"))));
    }

    #[test]
    fn waiting_time_ticks_with_the_clock() {
        let (_d, mut app) = queue_app();
        let waited = |app: &mut App| {
            let text = screen_text(&render(app, 120, 40));
            let line = text.lines().find(|l| l.contains("A005")).unwrap().to_string();
            line.split_whitespace().find(|w| w.ends_with('分')).unwrap().to_string()
        };
        let before = waited(&mut app);
        app.set_clock(Clock::Fixed(now() + Duration::minutes(7)));
        app.tick();
        let after = waited(&mut app);
        let minutes = |s: &str| s.trim_end_matches('分').parse::<i64>().unwrap();
        assert_eq!(minutes(&after) - minutes(&before), 7, "{before} → {after}");
    }

    /// Check in from the case pane, call, talk, finish — all by keys — and
    /// find each step in the database and the case trail.
    #[test]
    fn a_petitioner_checked_in_from_the_case_pane_is_called_seen_and_finished_by_keys() {
        let (_d, mut app) = queue_app();
        let case_id = app
            .store()
            .conn()
            .query_row("SELECT id FROM cases WHERE status = 'registered' LIMIT 1", [], |r| r.get(0))
            .unwrap();
        app.open_case(case_id);
        key(&mut app, KeyCode::Char('a'));
        assert_eq!(app.notice().unwrap().text, "已取号 A008，请到候谈区等候叫号");
        key(&mut app, KeyCode::Char('a'));
        assert!(app.notice().unwrap().text.contains("该事项今天已取号 A008（等候）"), "no second number");
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('3'));
        // Finish the talk under way, then call until A008 comes up.
        let mut guard = 0;
        loop {
            key(&mut app, KeyCode::Char('n'));
            let msg = app.queue().message.clone().unwrap().0;
            if msg == "请 A008 号到接谈室" {
                break;
            }
            assert!(msg.starts_with("请 A"), "{msg}");
            key(&mut app, KeyCode::Enter);
            key(&mut app, KeyCode::Char('f'));
            guard += 1;
            assert!(guard < 10, "A008 never called");
        }
        assert_eq!(app.queue().selected_row().unwrap().ticket.number, "A008", "the called ticket is selected");
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Char('f'));
        let (status, started, finished): (String, Option<String>, Option<String>) = app
            .store()
            .conn()
            .query_row("SELECT status, started_at, finished_at FROM queue_tickets WHERE case_id = ?1", [case_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!((status.as_str(), started.is_some(), finished.is_some()), ("done", true, true));
        let actions: Vec<String> =
            cases::events(app.store().conn(), case_id).unwrap().into_iter().map(|e| e.action).collect();
        assert!(
            actions.ends_with(&["接访取号", "接访叫号", "接访开始接谈", "接访结束接谈"].map(String::from)),
            "{actions:?}"
        );
        // A move the ticket cannot make says so and changes nothing.
        key(&mut app, KeyCode::Char('f'));
        assert_eq!(app.queue().message.clone().unwrap(), ("A008号当前为「已接谈」，不能结束接谈".to_string(), true));
    }

    #[test]
    fn priority_is_granted_by_key_with_a_reason_and_moves_the_ticket_to_the_front() {
        let (_d, mut app) = queue_app();
        let last = app.queue().rows.iter().position(|r| r.ticket.number == "A007").unwrap();
        select_queue_row(&mut app, last);
        key(&mut app, KeyCode::Char('y'));
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right); // 其他
        key(&mut app, KeyCode::Enter);
        let form = app.queue_form().unwrap();
        assert_eq!(form.form.error.as_deref(), Some("理由为\"其他\"时请写明说明"));
        key(&mut app, KeyCode::Down);
        typ(&mut app, "携带婴儿");
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none());
        assert_eq!(app.queue().message.clone().unwrap(), ("A007号优先接谈（携带婴儿）".to_string(), false));
        assert_eq!(app.queue().next().unwrap().ticket.number, "A007", "priority goes first");
        let by: String = app
            .store()
            .conn()
            .query_row("SELECT priority_by FROM queue_tickets WHERE prefix = 'A' AND seq = 7", [], |r| r.get(0))
            .unwrap();
        assert_eq!(by, "周敏", "the clerk who granted it");
        // A ticket in talk cannot be given priority.
        let talking = app.queue().rows.iter().position(|r| r.ticket.status == TicketStatus::InTalk).unwrap();
        select_queue_row(&mut app, talking);
        key(&mut app, KeyCode::Char('y'));
        assert!(app.queue_form().is_none() && app.queue().message.as_ref().unwrap().1);
    }

    #[test]
    fn another_desks_call_shows_on_this_desks_queue_at_the_next_tick() {
        let (_d, mut app) = queue_app();
        let mut other = Store::open(app.store().path()).unwrap();
        let day = app.queue().day.as_ref().unwrap().id;
        let called = queue::call_next(&mut other, day, "2号窗口", now(), &QueueRules::default()).unwrap().unwrap();
        let status = |app: &App| app.queue().rows.iter().find(|r| r.ticket.id == called.id).unwrap().ticket.status;
        assert_eq!(status(&app), TicketStatus::Waiting, "not before the tick");
        app.tick();
        assert_eq!(status(&app), TicketStatus::Called);
    }

    #[test]
    fn a_day_is_scheduled_by_keys_and_any_day_can_be_shown_from_the_list() {
        let (_d, store) = temp_store();
        let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
        key(&mut app, KeyCode::Char('3'));
        key(&mut app, KeyCode::Char('c'));
        let form = &app.queue_form().unwrap().form;
        assert_eq!(
            (form.value(F::Date), form.value(F::Leader)),
            ("2026-11-28".to_string(), "李明华".to_string()),
            "today, first leader"
        );
        // Next Monday, with another place.
        for _ in 0..10 {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "2026-11-30");
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Down);
        for _ in 0..20 {
            key(&mut app, KeyCode::Backspace);
        }
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.queue_form().unwrap().form.error.as_deref(), Some("请填写地点"));
        typ(&mut app, "北山镇便民服务中心");
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none());
        assert_eq!(app.queue().day.as_ref().unwrap().day.place, "北山镇便民服务中心", "the new day is shown");
        // Today's day too; the list shows both, latest first, and Enter shows the chosen one.
        queue::create_day(app.store_mut(), &NewReceptionDay { date: now().date(), ..day_template() }, now()).unwrap();
        key(&mut app, KeyCode::Char('d'));
        let text = screen_text(&render(&mut app, 100, 30));
        let first = text.find("2026-11-30").unwrap();
        let second = text.find("2026-11-28 上午").unwrap_or_else(|| panic!("{text}"));
        assert!(first < second, "latest first:\n{text}");
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.queue().day.as_ref().unwrap().day.date, now().date());
        // The leader cannot come: a substitute, changed on the day itself.
        key(&mut app, KeyCode::Char('e'));
        for _ in 0..3 {
            key(&mut app, KeyCode::Down);
        }
        for _ in 0..5 {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "王建设");
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none());
        let day = app.queue().day.as_ref().unwrap();
        assert_eq!((day.day.date, day.day.leader.as_str()), (now().date(), "王建设"));
        assert_eq!(queue::days(app.store().conn()).unwrap().len(), 2, "changed, not added");
    }

    #[test]
    fn appointments_are_booked_listed_and_checked_in_by_keys() {
        let (_d, mut app) = queue_app();
        key(&mut app, KeyCode::Char('b'));
        assert!(screen_text(&render(&mut app, 100, 30)).contains("这一天还没有预约"));
        app.handle_event(&crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('n'),
            crossterm::event::KeyModifiers::CONTROL,
        )));
        // A004's petitioner has come many times: the booking says so.
        let case_id = app.queue().rows.iter().find(|r| r.ticket.number == "A004").unwrap().ticket.case_id;
        let (name, id): (String, String) = app
            .store()
            .conn()
            .query_row(
                "SELECT p.name, p.id_number FROM petitioners p JOIN case_petitioners cp ON cp.petitioner_id = p.id
                 WHERE cp.case_id = ?1 AND cp.seq = 1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        typ(&mut app, &name);
        key(&mut app, KeyCode::Down);
        typ(&mut app, &id);
        // The prior-case lookup runs as the ID is typed, as at intake.
        let title = app.queue_form().unwrap().form.title.clone();
        assert!(title.starts_with("预约 2026-11-28；既往事项") && title.contains("最近 41080320"), "{title}");
        // The same ID under another name is pointed out before saving.
        key(&mut app, KeyCode::Up);
        typ(&mut app, "甲");
        key(&mut app, KeyCode::Down);
        typ(&mut app, " ");
        key(&mut app, KeyCode::Backspace);
        let title = app.queue_form().unwrap().form.title.clone();
        assert!(title.contains("证件号登记的姓名为") && title.contains("与所填不符"), "{title}");
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Backspace);
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Down);
        for _ in 0..5 {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "1130");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.queue_form().unwrap().form.error.as_deref(), Some("预约时间应写成 09:30"));
        for _ in 0..4 {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "11:30");
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none());
        let (msg, _) = app.queue().message.clone().unwrap();
        assert!(msg.starts_with("已预约，既往事项") && msg.ends_with("件（重复访）"), "{msg}");
        let text = screen_text(&render(&mut app, 100, 30));
        assert!(text.contains("11:30") && text.contains("单*珍") && text.contains("已预约"), "{text}");
        key(&mut app, KeyCode::Right);
        assert_eq!(app.appointments().and_then(|a| a.selected_appointment()).unwrap().status, "已确认");
        // She already holds A004 today: one number a day, the reason shown.
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.queue().message.clone().unwrap(), ("该预约人今天已取号 A004（等候）".to_string(), true));
        key(&mut app, KeyCode::Esc);
        assert!(app.appointments().is_none());
    }

    #[test]
    fn the_ledger_keeps_the_ticket_under_the_highlight() {
        let (_d, mut app) = queue_app();
        let a003 = app.queue().rows.iter().position(|r| r.ticket.number == "A003").unwrap();
        assert_eq!(a003, 1, "calling order: A002 in talk, then A003");
        select_queue_row(&mut app, a003);
        key(&mut app, KeyCode::Char('t'));
        assert_eq!(app.queue().selected, 2, "the ledger is in ticket order: A001, A002, A003");
        assert_eq!(app.queue().selected_row().unwrap().ticket.number, "A003");
        let case = app.queue().selected_row().unwrap().ticket.case_id;
        key(&mut app, KeyCode::Char('o'));
        assert_eq!(app.detail().unwrap().case_id, case, "o opens the highlighted row's case");
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('t'));
        assert_eq!(app.queue().selected_row().unwrap().ticket.number, "A003", "and back");
    }

    #[test]
    fn the_help_shows_the_calling_order() {
        let (_d, mut app) = queue_app();
        key(&mut app, KeyCode::Char('?'));
        let text = screen_text(&render(&mut app, 120, 50));
        assert!(
            text.contains("叫号顺序") && text.contains("预约时间前 15 分钟") && text.contains("再叫 3 个号后"),
            "{text}"
        );
    }

    fn day_template() -> NewReceptionDay {
        NewReceptionDay {
            date: now().date(),
            time_slot: "上午 9:00-12:00".into(),
            place: "区信访局接待大厅".into(),
            leader: "王建国".into(),
            leader_post: "区委书记".into(),
            ..NewReceptionDay::default()
        }
    }

    #[test]
    fn without_a_reception_day_the_screen_says_how_to_schedule_one() {
        let (_d, store) = temp_store();
        let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
        key(&mut app, KeyCode::Char('3'));
        let text = screen_text(&render(&mut app, 120, 30));
        assert!(text.contains("还没有安排领导接访日"), "{text}");
        key(&mut app, KeyCode::Char('n'));
        assert!(app.queue().message.as_ref().unwrap().1, "calling without a day is an error message");
        let text = screen_text(&render(&mut app, 120, 30));
        assert!(text.contains("还没有接访日：按 c 安排"), "the message is on screen:\n{text}");
    }
}

mod instruction {
    use super::*;
    use crossterm::event::KeyCode;
    use xfdesk::app::Screen;
    use xfdesk::domain::CaseStatus;

    /// `case_id` checked in today (first in line), called and in talk.
    fn into_talk(app: &mut xfdesk::app::App, case_id: i64) -> queue::Ticket {
        let day = queue::day_on(app.store().conn(), now().date()).unwrap().unwrap().id;
        let mut c = arrive(app.store_mut(), day, 90, now());
        c.case_id = case_id;
        c.priority = Some(Priority { reason: "急症".into(), granted_by: "周敏".into() });
        let t = queue::check_in(app.store_mut(), &c, &QueueRules::default()).unwrap();
        queue::call_next(app.store_mut(), day, "周敏", now(), &QueueRules::default()).unwrap();
        queue::apply(app.store_mut(), t.id, TicketMove::Start, "周敏", now()).unwrap();
        t
    }

    /// A registered case checked in, called and in talk, on the queue screen.
    fn in_talk() -> (tempfile::TempDir, xfdesk::app::App, i64) {
        let (dir, mut app) = demo_app();
        let case_id: i64 = app
            .store()
            .conn()
            .query_row("SELECT id FROM cases WHERE status = 'registered' ORDER BY id LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let t = into_talk(&mut app, case_id);
        key(&mut app, KeyCode::Char('3'));
        assert_eq!(app.screen(), Screen::Queue);
        let at = app.queue().rows.iter().position(|r| r.ticket.id == t.id).unwrap();
        select_queue_row(&mut app, at);
        (dir, app, case_id)
    }

    #[test]
    fn the_leaders_assignment_is_recorded_the_case_assigned_and_the_ticket_finished() {
        let (_d, mut app, case_id) = in_talk();
        key(&mut app, KeyCode::Char('p'));
        assert!(app.queue_form().is_some(), "{:?}", app.queue().message);
        insta::assert_snapshot!("instruction_form_80x24", render(&mut app, 80, 24).backend());
        key(&mut app, KeyCode::Right); // 交办
        key(&mut app, KeyCode::Down);
        typ(&mut app, "请区住建局核实并答复");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.queue_form().unwrap().form.error.as_deref(), Some("请填写责任单位"));
        for _ in 0..3 {
            key(&mut app, KeyCode::Down);
        }
        typ(&mut app, "区住房和城乡建设局");
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none(), "{:?}", app.queue_form().map(|f| f.form.error.clone()));
        assert!(app.queue().message.as_ref().unwrap().0.ends_with("号接谈结束；按 P 出具批示单"));

        let conn = app.store().conn();
        let (kind, unit, due): (String, String, Option<String>) = conn
            .query_row(
                "SELECT instruction_kind, unit, due_date FROM reception_sessions WHERE case_id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), unit.as_str()), ("assign", "区住房和城乡建设局"));
        assert!(due.is_some(), "default deadline from config");
        assert_eq!(cases::status_of(conn, case_id).unwrap(), CaseStatus::Assigned, "已登记 → 已交办");
        let unit_row: String =
            conn.query_row("SELECT unit FROM assignments WHERE case_id = ?1", [case_id], |r| r.get(0)).unwrap();
        assert_eq!(unit_row, "区住房和城乡建设局");
        let status: String =
            conn.query_row("SELECT status FROM queue_tickets WHERE case_id = ?1", [case_id], |r| r.get(0)).unwrap();
        assert_eq!(status, "done");
        let trail: Vec<String> = cases::events(conn, case_id).unwrap().into_iter().map(|e| e.action).collect();
        let at = trail.iter().position(|a| a == "领导批示").unwrap();
        assert_eq!(trail[at + 1..], ["交办", "接访结束接谈"].map(String::from), "{trail:?}");
        // A leader's 交办 is chased every week by phone (电话督促).
        let rules = xfdesk::domain::reminder::ReminderRules::default();
        let week_later = now().date() + chrono::Days::new(8);
        let due = xfdesk::store::reminders::due(conn, week_later, &rules, app.calendar()).unwrap();
        let call = due.iter().find(|d| d.case_id == case_id).expect("the leader's case is due a call");
        assert!(call.reasons.iter().any(|r| r.label().contains("领导")), "{:?}", call.reasons);
        // P on the finished ticket: its 批示单 and 交办单 are offered.
        let at =
            app.queue().rows.iter().position(|r| r.ticket.case_id == case_id).expect("the finished ticket is listed");
        select_queue_row(&mut app, at);
        key(&mut app, KeyCode::Char('P'));
        let list = screen_text(&render(&mut app, 120, 40));
        assert!(list.contains("领导接访批示单") && list.contains("交办单"), "{list}");
    }

    /// A case being handled (its 办结 clock running) in talk with the leader.
    fn handled_case_in_talk() -> (tempfile::TempDir, xfdesk::app::App, i64, i64) {
        let (dir, mut app) = demo_app();
        let case_id: i64 = app
            .store()
            .conn()
            .query_row(
                "SELECT c.id FROM cases c JOIN case_deadlines d ON d.case_id = c.id
                 WHERE c.status = 'in_progress' AND d.rule = 'handle' AND d.met_at IS NULL
                   AND d.due_date > '2026-12-10' ORDER BY c.id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let t = into_talk(&mut app, case_id);
        (dir, app, case_id, t.id)
    }

    #[test]
    fn a_leaders_date_on_a_case_being_handled_becomes_its_running_clock_capped_by_that_clock() {
        let (_d, mut app, case_id, ticket) = handled_case_in_talk();
        let clock = xfdesk::store::deadlines::running(app.store().conn(), case_id).unwrap().unwrap();
        let mut i = LeaderInstruction {
            kind: InstructionKind::Assign,
            text: "限期办结".into(),
            record: String::new(),
            attendees: String::new(),
            unit: "区住建局".into(),
            contact: String::new(),
            due: Some(clock.due + chrono::Days::new(1)),
            owner_leader: String::new(),
            owner_person: String::new(),
        };
        let cal = app.calendar().clone();
        // The cap is the case's own 办结 clock, not 60 days from today.
        let err = queue::record_instruction(app.store_mut(), ticket, &i, "周敏", now(), &cal).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("办理期限 {} 超过法定办结期限 {}", clock.due + chrono::Days::new(1), clock.due)
        );
        let leaders = now().date() + chrono::Days::new(10);
        i.due = Some(leaders);
        queue::record_instruction(app.store_mut(), ticket, &i, "周敏", now(), &cal).unwrap();
        let after = xfdesk::store::deadlines::running(app.store().conn(), case_id).unwrap().unwrap();
        assert_eq!(
            (after.rule, after.due, after.assigned_due),
            (clock.rule, leaders, Some(leaders)),
            "a real clock now"
        );
    }

    #[test]
    fn a_leader_who_owns_the_case_needs_the_unit_and_the_person() {
        let (_d, mut app, case_id) = in_talk();
        let ticket = app.queue().selected_row().unwrap().ticket.id;
        let mut i = LeaderInstruction {
            kind: InstructionKind::Ownership,
            text: "包案化解".into(),
            record: "来访人诉求已记录".into(),
            attendees: "区住建局张局长".into(),
            unit: "区住建局".into(),
            contact: String::new(),
            due: Some(now().date() + chrono::Days::new(20)),
            owner_leader: "王建设".into(),
            owner_person: String::new(),
        };
        let cal = app.calendar().clone();
        let err = queue::record_instruction(app.store_mut(), ticket, &i, "周敏", now(), &cal).unwrap_err();
        assert_eq!(err.to_string(), "请填写责任人");
        assert_eq!(queue::ticket(app.store().conn(), ticket).unwrap().status, TicketStatus::InTalk, "nothing written");
        i.owner_person = "张科长".into();
        queue::record_instruction(app.store_mut(), ticket, &i, "周敏", now(), &cal).unwrap();
        let owner: (String, String, String) = app
            .store()
            .conn()
            .query_row("SELECT leader, unit, person FROM case_ownerships WHERE case_id = ?1", [case_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(owner, ("王建设".into(), "区住建局".into(), "张科长".into()));
        let err = queue::record_instruction(app.store_mut(), ticket, &i, "周敏", now(), &cal).unwrap_err();
        assert!(err.to_string().contains("接谈中才能记录批示"), "{err}");
    }
}

/// A whole reception day by keys: ten people take numbers from their case
/// panes, each is called, talks with the leader and gets an instruction;
/// the day's ledger holds all ten and exports to Excel.
#[test]
fn a_full_reception_day_driven_by_keys_ends_in_the_ledger() {
    use crossterm::event::KeyCode;
    use xfdesk::app::{App, Clock};
    let (dir, mut store) = temp_store();
    let day = reception_day(&mut store);
    let cases: Vec<i64> = (0..10).map(|i| case_for(&mut store, i)).collect();
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    for (i, id) in cases.iter().enumerate() {
        app.set_clock(Clock::Fixed(minutes(i as i64)));
        app.open_case(*id);
        key(&mut app, KeyCode::Char('a'));
        assert_eq!(app.notice().unwrap().text, format!("已取号 A{:03}，请到候谈区等候叫号", i + 1));
        key(&mut app, KeyCode::Esc);
    }
    key(&mut app, KeyCode::Char('3'));
    for i in 0..10 {
        app.set_clock(Clock::Fixed(minutes(30 + 10 * i)));
        key(&mut app, KeyCode::Char('n'));
        key(&mut app, KeyCode::Enter);
        app.set_clock(Clock::Fixed(minutes(38 + 10 * i)));
        key(&mut app, KeyCode::Char('p'));
        key(&mut app, KeyCode::Down);
        typ(&mut app, &format!("当场答复第{}位", i + 1));
        key(&mut app, KeyCode::Enter);
        assert!(app.queue_form().is_none(), "{:?}", app.queue_form().and_then(|f| f.form.error.clone()));
    }
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.queue().message.as_ref().unwrap().0, "没有等候的来访人");

    let conn = app.store().conn();
    let seen: i64 = conn
        .query_row("SELECT count(*) FROM queue_tickets WHERE day_id = ?1 AND status = 'done'", [day], |r| r.get(0))
        .unwrap();
    assert_eq!(seen, 10);
    let ledger = queue::ledger(conn, day).unwrap();
    assert_eq!(ledger.len(), 10);
    assert_eq!(ledger[0].opinion, "当场答复第1位");
    assert_eq!((ledger[0].waited_minutes, ledger[0].talk_minutes), (Some(30), Some(8)));
    assert_eq!(ledger[9].waited_minutes, Some(30 + 90 - 9), "A010 came at minute 9, was called at 120");
    let times: Vec<_> = queue::tickets(conn, day).unwrap().iter().map(|t| t.times()).collect();
    let stats = xfdesk::domain::queue::DayStats::of(times, minutes(200));
    assert_eq!((stats.arrived, stats.seen, stats.average_talk), (10, 10, Some(8)));

    // The ledger on screen, then exported and read back.
    key(&mut app, KeyCode::Char('t'));
    let text = screen_text(&render(&mut app, 120, 40));
    assert!(text.contains("当场答复：当场答复第1位") && text.contains("来*0"), "{text}");
    let out = dir.path().join("台账.xlsx");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(tester(dir.path(), app.store().path()))
        .args(["--db", app.store().path().to_str().unwrap(), "reception", "ledger", "--date", "2026-11-28"])
        .args(["--format", "xlsx", "--out", out.to_str().unwrap()])
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("接访台账").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][..3], ["号码", "事项编号", "姓名"].map(String::from));
    assert_eq!(rows.len(), 13, "ten tickets, a blank row and the anchor footer");
    assert!(rows[12][0].starts_with("校验：第"), "{:?}", rows[12]);
    assert_eq!((rows[1][0].as_str(), rows[1][2].as_str(), rows[1][7].as_str()), ("A001", "来访人0", "当场答复第1位"));
}

#[test]
fn an_appointment_is_booked_checked_in_to_the_y_series_and_called_near_its_time() {
    use xfdesk::domain::queue::AppointmentStatus;
    let (_d, mut store) = temp_store();
    let rules = QueueRules::default();
    let day = reception_day(&mut store);
    // A returning petitioner (one open case) books for 11:00.
    let case_id = case_for(&mut store, 1);
    let id_number: String = store
        .conn()
        .query_row(
            "SELECT p.id_number FROM petitioners p JOIN case_petitioners cp ON cp.petitioner_id = p.id WHERE cp.case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .unwrap();
    let booking = |id: &str, at: &str| queue::Booking {
        day_id: day,
        name: "来访人1".into(),
        id_number: id.into(),
        phone: String::new(),
        summary: "物业问题".into(),
        category_code: Some("60201502".into()),
        street: String::new(),
        booked_time: NaiveDateTime::parse_from_str(&format!("2026-11-28 {at}"), "%Y-%m-%d %H:%M").unwrap(),
    };
    let err = queue::book(&mut store, &booking("410803197001010000", "11:00"), now()).unwrap_err();
    assert!(err.to_string().starts_with("证件号："), "{err}");
    let mut next_day = booking(&id_number, "11:00");
    next_day.booked_time += Duration::days(1);
    let err = queue::book(&mut store, &next_day, now()).unwrap_err();
    assert!(err.to_string().contains("预约时间应在接访日"), "{err}");
    let appt = queue::book(&mut store, &booking(&id_number, "11:00"), now()).unwrap();
    let listed = queue::appointments(store.conn(), day).unwrap();
    assert_eq!((listed[0].status.as_str(), listed[0].prior_cases), ("已预约", 1), "prior cases found at booking");
    queue::set_appointment(&mut store, appt, AppointmentStatus::Confirmed).unwrap();

    // A walk-in came first; the appointment holder arrives at 10:40 and, inside
    // the 15-minute window at 10:50, is called before the walk-in.
    walk_in(&mut store, day, 2, minutes(0), &rules);
    let y = queue::check_in_appointment(&mut store, appt, "周敏", minutes(10), &rules).unwrap();
    assert_eq!((y.number.as_str(), y.case_id), ("Y001", case_id));
    assert_eq!(queue::appointments(store.conn(), day).unwrap()[0].status, "已取号");
    let at_1030 = queue::call_next(&mut store, day, "周敏", minutes(0), &rules).unwrap().unwrap();
    assert_eq!(at_1030.number, "A001", "at 10:30 the appointment's window is not open yet");
    let at_1050 = queue::call_next(&mut store, day, "周敏", minutes(20), &rules).unwrap().unwrap();
    assert_eq!(at_1050.number, "Y001");
    // One person, one number a day: a second booking of theirs cannot take another.
    let again = queue::book(&mut store, &booking(&id_number, "11:45"), now()).unwrap();
    let err = queue::check_in_appointment(&mut store, again, "周敏", minutes(21), &rules).unwrap_err();
    assert_eq!(err.to_string(), "该预约人今天已取号 Y001（已叫号）");
    // Used appointments cannot be taken twice or cancelled.
    assert!(queue::check_in_appointment(&mut store, appt, "周敏", minutes(21), &rules).is_err());
    let err = queue::set_appointment(&mut store, appt, AppointmentStatus::Cancelled).unwrap_err();
    assert_eq!(err.to_string(), "该预约为「已取号」，不能改为「已取消」");

    // Someone with no case yet is sent to intake first.
    let stranger = valid_id("41080319991231001");
    let other = queue::book(&mut store, &booking(&stranger, "11:30"), now()).unwrap();
    let err = queue::check_in_appointment(&mut store, other, "周敏", minutes(30), &rules).unwrap_err();
    assert!(err.to_string().contains("请先在来访登记中登记"), "{err}");
    queue::set_appointment(&mut store, other, AppointmentStatus::NoShow).unwrap();
    let statuses: Vec<String> = queue::appointments(store.conn(), day).unwrap().into_iter().map(|a| a.status).collect();
    assert_eq!(statuses, ["已取号", "未到", "已预约"]);
}

#[test]
fn a_group_visit_is_one_ticket_that_names_its_representatives() {
    let (_d, mut store) = temp_store();
    let day = reception_day(&mut store);
    let mut reg = registration(petitioner("张三", &valid_id("41080319700101001")), "集体反映拖欠工资");
    reg.petitioners.push(petitioner("李四", &valid_id("41080319700101002")));
    reg.petitioners.push(petitioner("欧阳秀英", &valid_id("41080319700101003")));
    reg.case.people_count = 12;
    let case_id = cases::register(&mut store, &reg).unwrap().case_id;
    let c = CheckIn {
        day_id: day,
        case_id,
        at: now(),
        booked_at: None,
        priority: None,
        group_size: 12,
        clerk: "周敏".into(),
    };
    queue::check_in(&mut store, &c, &QueueRules::default()).unwrap();
    let board = queue::board(store.conn(), day).unwrap();
    assert_eq!(board.len(), 1, "one ticket for the group");
    assert_eq!((board[0].name.as_str(), board[0].ticket.group_size), ("张三", 12));
    assert_eq!(board[0].other_representatives, ["李四", "欧阳秀英"]);
}
