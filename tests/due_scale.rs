//! The 督促 list on a generated database of tens of thousands of cases:
//! every case the rules find due is listed (none cut off, as a cap of
//! 1,000 candidates once did), and the stored spans stay right through
//! the writes a desk makes.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use xfdesk::domain::reminder::{CallResult, Escalation, Method, ReminderRules, due_reasons};
use xfdesk::store::reminders::{self, NewReminder};
use xfdesk::store::{Store, call_spans};

/// The cases due a call on each of `days`, worked out case by case from their facts.
fn recount(store: &Store, days: &[NaiveDate], rules: &ReminderRules) -> Vec<Vec<i64>> {
    let ids: Vec<i64> = store
        .conn()
        .prepare("SELECT id FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = vec![Vec::new(); days.len()];
    for id in ids {
        let f = call_spans::facts(store.conn(), id).unwrap().unwrap();
        for (i, day) in days.iter().enumerate() {
            if !due_reasons(&f.clock, &f.calls, *day, rules).is_empty() {
                out[i].push(id);
            }
        }
    }
    out
}

fn listed(store: &Store, day: NaiveDate, rules: &ReminderRules) -> Vec<i64> {
    let mut ids: Vec<i64> =
        reminders::due_list(store.conn(), day, rules).unwrap().into_iter().map(|e| e.case_id).collect();
    ids.sort();
    ids
}

#[test]
fn every_due_case_of_a_generated_archive_is_listed() {
    let (_dir, mut store) = temp_store();
    generate(&mut store, 6_000, 20_000, 7, 2_000);
    let rules = ReminderRules::default();
    let today = now().date();

    let days = [today, today + Days::new(5), today + Days::new(40)];
    for (day, want) in days.iter().zip(recount(&store, &days, &rules)) {
        assert!(want.len() > 1_000, "{day}: a list longer than the old cap of 1,000 ({})", want.len());
        assert_eq!(listed(&store, *day, &rules), want, "{day}");
    }
    // Most pressing first: every missed date or broken promise before the rest.
    let list = reminders::due_list(store.conn(), today, &rules).unwrap();
    let first_calm = list.iter().position(|e| !e.pressing).unwrap_or(list.len());
    assert!(first_calm > 0 && list[first_calm..].iter().all(|e| !e.pressing));

    // A desk's writes keep the spans: a call takes its case off today's list.
    let first = list[0].clone();
    let (clerk, _) = two_people(&mut store);
    store.act_as(clerk);
    let call = NewReminder {
        case_id: first.case_id,
        unit: first.unit.clone(),
        at: now(),
        caller: "周敏".into(),
        method: Method::Phone,
        contact: "王科长".into(),
        contact_post: String::new(),
        phone: String::new(),
        result: CallResult::Connected,
        asked: "进展".into(),
        answer: "本周答复".into(),
        committed: Some(today + Days::new(3)),
        next: None,
        escalation: Escalation::None,
        note: String::new(),
    };
    reminders::log(&mut store, &call, "0391").unwrap();
    let after = listed(&store, today, &rules);
    assert!(!after.contains(&first.case_id), "called today: off the list");
    // The promise broken four days later puts it back, first.
    let later = today + Days::new(4);
    let want = recount(&store, &[today, later], &rules);
    assert_eq!((after, listed(&store, later, &rules)), (want[0].clone(), want[1].clone()));
    let again = reminders::due_list(store.conn(), later, &rules).unwrap();
    assert!(again.iter().any(|e| e.case_id == first.case_id && e.pressing), "the broken promise is pressing");

    // Other rules: a desk configured otherwise reads them live, then rebuilds.
    let other =
        ReminderRules { before_handling_deadline: vec![20, 5], leader_case_every_days: 3, ..Default::default() };
    let want = recount(&store, &[today], &other).remove(0);
    assert_eq!(listed(&store, today, &other), want, "live, before the rebuild");
    assert!(store.use_call_rules(&other).unwrap(), "rebuilt");
    assert!(!store.use_call_rules(&other).unwrap(), "once");
    assert_eq!(listed(&store, today, &other), want, "from the rebuilt spans");

    // The desk lists them all, a page at a time, read on a worker.
    assert!(store.use_call_rules(&rules).unwrap());
    let total = listed(&store, today, &rules).len();
    let mut app = xfdesk::app::App::new(store, session(), xfdesk::app::Clock::Fixed(now())).unwrap();
    key(&mut app, crossterm::event::KeyCode::F(5));
    let page = xfdesk::app::screens::reminders::PAGE_ROWS;
    assert_eq!((app.reminders().entries.len(), app.reminders().due.len()), (total, page));
    let head = screen_text(&render(&mut app, 120, 30));
    assert!(head.contains(&format!("共 {total} 件，第 1 至 {page} 件")), "{head}");
    for _ in 0..page {
        key(&mut app, crossterm::event::KeyCode::Down);
    }
    assert_eq!((app.reminders().page_start, app.reminders().selected), (page, 0), "onto the second page");
    let second = app.reminders().due[0].case_id;
    let entries = &app.reminders().entries;
    assert_eq!(second, entries[page].case_id);
    key(&mut app, crossterm::event::KeyCode::Up);
    assert_eq!((app.reminders().page_start, app.reminders().selected), (0, page - 1), "back, on its last row");
    // Reading afresh (another desk's commit) keeps the page and the highlighted case.
    key(&mut app, crossterm::event::KeyCode::Down);
    key(&mut app, crossterm::event::KeyCode::Down);
    let on = app.reminders().selected_due().unwrap().case_id;
    app.update(xfdesk::app::Action::Refresh);
    app.finish_loads();
    assert_eq!(app.reminders().page_start, page, "still the second page");
    assert_eq!(app.reminders().selected_due().unwrap().case_id, on);
}
