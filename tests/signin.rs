//! Who is at the desk, by keys: the first administrator, the idle lock that
//! hides everything and gives the same person their form back intact,
//! another person's sign-in at the lock, keys a role lacks, the 接待员
//! refused each approval-only step in the store itself, and an older
//! database upgraded with its trail's operator text kept.

mod common;

use std::time::Duration;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use xfdesk::app::gate::{Gate, Mode, Passed};
use xfdesk::app::intake::{Key, PersonField};
use xfdesk::app::{App, Clock, Session};
use xfdesk::domain::access::{Role, SignInRules};
use xfdesk::store::accounts::{self, Actor};
use xfdesk::store::{Store, StoreError, approvals, screening};

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Type `text` then Enter into the gate; what it ended with.
fn into_gate(gate: &mut Gate, store: &mut Store, keys: &[&str]) -> Option<Passed> {
    let rules = SignInRules::default();
    let mut last = None;
    for (i, k) in keys.iter().enumerate() {
        for c in k.chars() {
            gate.on_event(&press(KeyCode::Char(c)), store, &rules, now());
        }
        let code = if i + 1 == keys.len() { KeyCode::Enter } else { KeyCode::Tab };
        last = gate.on_event(&press(code), store, &rules, now());
    }
    last
}

#[test]
fn the_first_start_makes_the_administrator_before_anything_else() {
    let (_d, mut store) = temp_store();
    let mut gate = Gate::open(&store).unwrap();
    assert_eq!(gate.mode, Mode::FirstRun);
    let typed = ["admin", "刘建华", "一个足够长的密码呀", "另一个不同的密码"];
    assert_eq!(into_gate(&mut gate, &mut store, &typed), None);
    assert_eq!(gate.form.error.as_deref(), Some("两次输入的密码不一致"));
    assert!(accounts::none_yet(store.conn()).unwrap(), "nothing made");
    // The passwords were cleared; the name stays.
    gate.form.focus = 2;
    let passed = into_gate(&mut gate, &mut store, &["一个足够长的密码呀", "一个足够长的密码呀", ""]);
    let Some(Passed::In(a)) = passed else { panic!("{passed:?} {:?}", gate.form.error) };
    assert_eq!((a.login.as_str(), a.roles.as_slice()), ("admin", &[Role::Approver, Role::Admin][..]));
    assert_eq!(Gate::open(&store).unwrap().mode, Mode::SignIn, "from now on, the sign-in");
}

/// The demo desk signed in as its 接待员.
fn clerk_desk() -> (tempfile::TempDir, App, Actor) {
    let (dir, mut store) = demo_store();
    let a = accounts::sign_in(&mut store, "jiedai", "jiedai-2026", &SignInRules::default(), now()).unwrap();
    let session = Session { actor: Some(a.actor()), operator: a.actor().label(), ..session() };
    let app = App::new(store, session, Clock::Fixed(now())).unwrap();
    (dir, app, a.actor())
}

#[test]
fn the_idle_lock_hides_everything_and_the_same_person_continues_exactly_there() {
    let (_d, mut app, _) = clerk_desk();
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "贾探春");
    let before = screen_text(&render(&mut app, 80, 24));
    assert!(before.contains("贾探春"));
    app.idle_for(Duration::from_secs(9 * 60));
    app.tick();
    assert!(app.gate().is_none(), "nine minutes is not ten");
    app.idle_for(Duration::from_secs(10 * 60));
    app.tick();
    let locked = screen_text(&render(&mut app, 80, 24));
    assert!(locked.contains("已锁定（周敏）"), "{locked}");
    for hidden in ["贾探春", "来访登记", "登记人", "xfdesk.db"] {
        assert!(!locked.contains(hidden), "{hidden} is hidden while locked");
    }
    // The draft already holds the typing.
    let drafts = xfdesk::store::drafts::all(app.store().conn()).unwrap();
    assert!(drafts.iter().any(|(_, _, d)| d.contains("贾探春")));
    typ(&mut app, "wrong-password");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.gate().unwrap().form.error.as_deref(), Some("用户名或密码错误"));
    typ(&mut app, "jiedai-2026");
    key(&mut app, KeyCode::Enter);
    assert!(app.gate().is_none());
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "贾探春", "the form intact");
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::Name), "the focus where it was");
    assert_eq!(screen_text(&render(&mut app, 80, 24)), before, "exactly as it was");
    // Ctrl-K locks at once, from any field.
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)));
    assert!(app.gate().is_some());
}

#[test]
fn another_person_at_the_lock_gets_their_own_desk() {
    let (_d, mut app, _) = clerk_desk();
    app.lock();
    key(&mut app, KeyCode::BackTab);
    for _ in 0.."jiedai".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "shenpi");
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "shenpi-2026");
    key(&mut app, KeyCode::Enter);
    assert!(app.should_quit(), "this desk ends");
    assert_eq!(app.take_next_account().map(|a| a.name), Some("刘建华".into()), "and the next is theirs");
}

#[test]
fn a_key_the_role_lacks_is_not_offered_and_says_so_when_pressed() {
    let (_d, mut store) = demo_store();
    let admin = accounts::sign_in(&mut store, "admin", "admin-2026", &SignInRules::default(), now()).unwrap().actor();
    let case: i64 =
        store.conn().query_row("SELECT min(id) FROM cases WHERE status = 'assigned'", [], |r| r.get(0)).unwrap();
    let session = Session { actor: Some(admin.clone()), operator: admin.label(), ..session() };
    let mut app = App::new(store, session, Clock::Fixed(now())).unwrap();
    let home = screen_text(&render(&mut app, 120, 40));
    assert!(home.contains("h 节假日安排"), "the administrator keeps the calendar");
    app.open_case(case);
    let detail = screen_text(&render(&mut app, 120, 40));
    assert!(!detail.contains("s 受理"), "no casework offered: {detail}");
    key(&mut app, KeyCode::Char('s'));
    assert!(app.case_action().is_none());
    assert!(screen_text(&render(&mut app, 120, 40)).contains("没有权限：办理事项"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('2'));
    assert!(screen_text(&render(&mut app, 120, 40)).contains("没有权限：来访登记"));

    let (_d2, mut clerk, _) = clerk_desk();
    let home = screen_text(&render(&mut clerk, 120, 40));
    assert!(!home.contains("h 节假日安排"), "a clerk does not edit the calendar");
}

#[test]
fn a_clerk_is_refused_each_approval_only_step_in_the_store() {
    let (_d, mut store) = demo_store();
    let rules = SignInRules::default();
    let clerk = accounts::sign_in(&mut store, "jiedai", "jiedai-2026", &rules, now()).unwrap().actor();
    let case: i64 =
        store.conn().query_row("SELECT min(id) FROM cases WHERE status = 'in_progress'", [], |r| r.get(0)).unwrap();
    let cal = xfdesk::domain::calendar::builtin();
    let day = now().date();
    let by_clerk = approvals::Approval { login: "jiedai".into(), password: "jiedai-2026".into() };
    let own = approvals::extend(&mut store, case, 10, day, &clerk, &by_clerk, &rules, now(), &cal).unwrap_err();
    assert_eq!(own.to_string(), "批准人须是申请人以外、有审批权限的另一人");
    let by_admin = approvals::Approval { login: "admin".into(), password: "admin-2026".into() };
    let admin = approvals::extend(&mut store, case, 10, day, &clerk, &by_admin, &rules, now(), &cal).unwrap_err();
    assert!(matches!(&admin, StoreError::Denied(p) if p == "批准延期"), "{admin}");
    let open = approvals::reveal_content(&mut store, case, "核查", &clerk, None, &rules, now()).unwrap_err();
    assert!(matches!(&open, StoreError::Denied(p) if p == "查看检举控告、保密内容"), "{open}");
    let person: i64 = store.conn().query_row("SELECT min(id) FROM petitioners", [], |r| r.get(0)).unwrap();
    let watch = xfdesk::domain::screening::PersonWatch::default();
    let weekly = screening::save_person_watch(&mut store, person, &watch, &clerk, now()).unwrap_err();
    assert!(matches!(&weekly, StoreError::Denied(p) if p == "编辑周报人工字段"), "{weekly}");
    let year = xfdesk::domain::calendar::HolidayCalendar::new();
    let holidays = xfdesk::store::calendar::replace_year(&mut store, 2027, &year, &clerk, now()).unwrap_err();
    assert!(matches!(&holidays, StoreError::Denied(p) if p == "维护节假日"), "{holidays}");
    // With an approver's signature the same reveal is recorded, naming both.
    let by_approver = approvals::Approval { login: "shenpi".into(), password: "shenpi-2026".into() };
    approvals::reveal_content(&mut store, case, "核查", &clerk, Some(&by_approver), &rules, now()).unwrap();
    let last = xfdesk::store::cases::events(store.conn(), case).unwrap().pop().unwrap();
    assert_eq!((last.actor.as_str(), last.note.as_str()), ("周敏#2", "核查（经刘建华#3批准）"));
}

#[test]
fn an_older_database_keeps_its_operators_and_asks_for_the_first_administrator() {
    let (_dir, db) = common::old_database(18, "");
    {
        let mut store = Store::open(&db).unwrap();
        // Written as an older xfdesk wrote it: the operator's name as typed.
        let mut reg = registration(petitioner("贾政", &valid_id("41080319600101005")), "旧事项");
        reg.case.clerk = "老登记员".into();
        xfdesk::store::cases::register(&mut store, &reg).unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(xfdesk::store::migrations::current_version(store.conn()).unwrap(), xfdesk::store::migrations::LATEST);
    let trail = xfdesk::store::cases::events(store.conn(), 1).unwrap();
    assert_eq!(trail[0].actor, "老登记员", "old rows keep their text");
    assert_eq!(Gate::open(&store).unwrap().mode, Mode::FirstRun);
    assert!(xfdesk::store::check::run(store.conn(), false).unwrap().is_ok());
}

/// The casework writes check the account signed in on the connection, not
/// only the keys: an administrator without a casework role is refused.
#[test]
fn the_store_refuses_casework_to_an_account_without_it() {
    let (_d, mut store) = demo_store();
    let admin = accounts::sign_in(&mut store, "admin", "admin-2026", &SignInRules::default(), now()).unwrap().actor();
    store.act_as(admin);
    let reg = registration(petitioner("贾环", &valid_id("41080319900101007")), "管理员不能登记");
    let err = xfdesk::store::cases::register(&mut store, &reg).unwrap_err();
    assert!(matches!(&err, StoreError::Denied(p) if p == "来访登记"), "{err}");
    let case: i64 =
        store.conn().query_row("SELECT min(id) FROM cases WHERE status = 'assigned'", [], |r| r.get(0)).unwrap();
    let cal = xfdesk::domain::calendar::builtin();
    let accept = xfdesk::domain::lifecycle::Action::Accept { on: now().date() };
    let err = xfdesk::store::lifecycle::apply(&mut store, case, &accept, "王磊#1", now(), &cal).unwrap_err();
    assert!(matches!(&err, StoreError::Denied(p) if p == "办理事项"), "{err}");
    let clerk = accounts::sign_in(&mut store, "jiedai", "jiedai-2026", &SignInRules::default(), now()).unwrap().actor();
    store.act_as(clerk);
    xfdesk::store::lifecycle::apply(&mut store, case, &accept, "周敏#2", now(), &cal).unwrap();
}

/// A 延期 the statute refuses (its clock already run out) is said in its own
/// form: nobody is asked to sign for it.
#[test]
fn an_extension_the_statute_refuses_never_reaches_the_approver() {
    let (_d, mut app, _) = clerk_desk();
    let case: i64 = app
        .store()
        .conn()
        .query_row(
            "SELECT c.id FROM cases c JOIN case_deadlines d ON d.case_id = c.id
             WHERE c.status = 'in_progress' AND d.rule = 'handle' AND d.met_at IS NULL AND d.due_date < '2026-11-28'
             ORDER BY c.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.open_case(case);
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Enter);
    assert!(app.approval().is_none(), "no signature asked");
    let err = app.case_action().and_then(|f| f.form.error.clone()).unwrap();
    assert!(err.contains("已届满，不能再延期"), "{err}");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("超期不能改为按期"), "the whole reason fits: {screen}");
}
