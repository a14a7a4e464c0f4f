//! A calendar that never runs out: a year added from a file moves the running
//! clocks it affects (each with a trail row), a bad file writes nothing, and
//! a clock counted into a year without data says so.

mod common;

use common::*;
use xfdesk::store::{Store, cases, check, deadlines};

const YEAR_2027: &str = r#"
[[years]]
year = 2027
rest = [
  { from = "2027-01-01", to = "2027-01-01", name = "元旦" },
  { from = "2027-02-06", to = "2027-02-12", name = "春节" },
]
workday = [{ date = "2027-02-13", name = "春节调休" }]
"#;

/// A case registered on 2027-01-25: its 15-day 转送交办 clock falls on 2027-02-09.
fn case_into_2027(db: &std::path::Path) -> i64 {
    let mut store = Store::open(db).unwrap();
    let mut reg = registration(petitioner("王秀兰", &valid_id("41080319580312002")), "跨年的事项");
    reg.case.registered_at = chrono::NaiveDateTime::parse_from_str("2027-01-25 09:00", "%Y-%m-%d %H:%M").unwrap();
    cases::register(&mut store, &reg).unwrap().case_id
}

#[test]
fn adding_a_year_moves_the_running_clocks_it_affects_with_a_trail_row_each() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("h.db");
    let case_id = case_into_2027(&db);
    let number: String = Store::open(&db)
        .unwrap()
        .conn()
        .query_row("SELECT number FROM cases WHERE id = ?1", [case_id], |r| r.get(0))
        .unwrap();
    let shown = out_text(&xfdesk_as(home.path(), &db, &["case", "show", &number]));
    assert!(shown.contains("（未含2027年节假日）"), "a clock counted into 2027 says so: {shown}");

    // A wrong file is refused whole, naming the problem.
    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, YEAR_2027.replace("2027-02-13", "2027-02-15")).unwrap();
    let out = xfdesk_as(home.path(), &db, &["holidays", "add", "2027", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("不是周末") && err_text(&out).contains("未写入任何内容"), "{}", err_text(&out));

    let file = home.path().join("2027.toml");
    std::fs::write(&file, YEAR_2027).unwrap();
    let out = xfdesk_as(home.path(), &db, &["holidays", "add", "2027", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(out_text(&out).contains("转送交办期限 2027-02-09 → 2027-02-13"), "{}", out_text(&out));

    let store = Store::open(&db).unwrap();
    let c = store.conn();
    let clock = deadlines::running(c, case_id).unwrap().unwrap();
    assert_eq!(clock.due.to_string(), "2027-02-13", "春节 moves it to the make-up Saturday");
    let trail: Vec<(String, String)> =
        cases::events(c, case_id).unwrap().into_iter().map(|e| (e.action, e.note)).collect();
    assert!(trail.contains(&("节假日安排更新".into(), "转送交办期限 2027-02-09 → 2027-02-13".into())), "{trail:?}");
    assert!(check::run(c, true).unwrap().is_ok(), "the trail rows are chained like any other");
    let list = out_text(&xfdesk_on(home.path(), &db, &["holidays", "list"]));
    assert!(list.contains("2027年：放假 8 天，调休上班 1 天"), "{list}");
    let shown = out_text(&xfdesk_as(home.path(), &db, &["case", "show", &number]));
    assert!(!shown.contains("未含2027年"), "{shown}");

    // The same file again moves nothing.
    let again = xfdesk_as(home.path(), &db, &["holidays", "add", "2027", file.to_str().unwrap()]);
    assert!(out_text(&again).contains("0 个正在计时的期限随之改变"), "{}", out_text(&again));
}

/// The administrator's editor on 工作台 (`h`): the same rules as the file,
/// the same recomputation, by keys; a refusal keeps everything typed.
#[test]
fn the_holiday_editor_by_keys_saves_a_year_and_moves_its_clocks() {
    use crossterm::event::KeyCode;
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("h.db");
    let case_id = case_into_2027(&db);
    let at = chrono::NaiveDateTime::parse_from_str("2027-01-26 09:00", "%Y-%m-%d %H:%M").unwrap();
    // The administrator's editor (a clerk is not offered it).
    let admin = xfdesk::store::accounts::Actor { roles: vec![xfdesk::domain::access::Role::Admin], ..approver() };
    let session = xfdesk::app::Session { actor: Some(admin), ..session() };
    let mut app = xfdesk::app::App::new(Store::open(&db).unwrap(), session, xfdesk::app::Clock::Fixed(at)).unwrap();
    key(&mut app, KeyCode::Char('h'));
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("节假日安排：2027年（尚未录入"), "the missing year first: {screen}");
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "2027-01-01");
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "2027-02-06至2027-02-12");
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "2027-02-15");
    key(&mut app, KeyCode::Enter);
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("2027-02-15 不是周末，不能作为调休上班日"), "{screen}");
    assert!(screen.contains("2027-02-06至2027-02-12"), "what was typed stays");
    assert!(!xfdesk::store::calendar::load(app.store().conn()).unwrap().covers(2027), "nothing written");

    for _ in 0.."2027-02-15".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2027-02-13");
    key(&mut app, KeyCode::Enter);
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("已保存2027年节假日安排；1个正在计时的期限随之改变"), "{screen}");
    let c = app.store().conn();
    assert_eq!(deadlines::running(c, case_id).unwrap().unwrap().due.to_string(), "2027-02-13");
    let trail: Vec<String> = cases::events(c, case_id).unwrap().into_iter().map(|e| e.note).collect();
    assert!(trail.contains(&"转送交办期限 2027-02-09 → 2027-02-13".to_string()), "{trail:?}");
    let cal = xfdesk::store::calendar::load(c).unwrap();
    let plan = xfdesk::domain::calendar::YearPlan::of(&cal, 2027);
    assert_eq!(plan.workdays, [("2027-02-13".parse().unwrap(), "春节调休".to_string())], "named after the block");
    assert!(app.calendar().covers(2027), "the desk counts with the new year at once");
    // Opened again it goes on to the next year; typing 2027 shows the stored one to correct.
    key(&mut app, KeyCode::Char('h'));
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("节假日安排：2028年"), "{screen}");
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2027");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("节假日安排：2027年") && screen.contains("2027-02-06至2027-02-12"), "{screen}");
    key(&mut app, KeyCode::Esc);
}
