//! The small defects a clerk trips on at the desk (issue "desk speed"): each
//! test failed before its fix.

mod common;

use chrono::Duration;
use common::*;
use crossterm::event::{Event, KeyCode};
use xfdesk::app::form::{Field, Opt};
use xfdesk::app::intake::Key;
use xfdesk::app::{Action, App, Clock, Screen};

fn to_field(app: &mut App, k: Key) {
    for _ in 0..60 {
        if app.intake().focused().key == k {
            return;
        }
        let back = app.intake().index(k).is_some_and(|i| i < app.intake().focus());
        if back {
            use crossterm::event::{KeyEvent, KeyModifiers};
            app.handle_event(&Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
        } else {
            key(app, KeyCode::Tab);
        }
    }
    panic!("{k:?} not reached");
}

fn draft(app: &App) -> String {
    xfdesk::store::drafts::load(app.store().conn(), &app.session().desk).unwrap().map(|(_, d)| d).unwrap_or_default()
}

#[test]
fn a_choice_matches_labels_with_capital_latin_letters() {
    let unit =
        Field::choice((), "转送单位", vec![Opt::keyed("区住房和城乡建设局", "a"), Opt::keyed("区CBD管理委员会", "b")]);
    let mut f = xfdesk::app::form::Form::new("转送", vec![unit]);
    for c in "cbd".chars() {
        f.edit(tui_input::InputRequest::InsertChar(c));
    }
    assert_eq!(f.value(()), "区CBD管理委员会");
    assert_eq!(xfdesk::app::form::choice::filter(&f.fields[0].options, "CBD"), vec![1]);
}

#[test]
fn a_paste_into_the_head_count_goes_through_the_same_rule_as_typing() {
    let (_dir, mut app) = demo_app();
    app.update(Action::GoTo(Screen::Intake));
    to_field(&mut app, Key::People);
    app.handle_event(&Event::Paste("张三5人".into()));
    app.settle();
    assert_eq!(app.intake().value(Key::People), "1", "refused whole");
    let (msg, is_error) = app.intake().message.clone().unwrap();
    assert!(is_error && msg.contains("只能填写数字"), "{msg}");
    app.handle_event(&Event::Paste("2".into()));
    assert_eq!(app.intake().value(Key::People), "12");
}

#[test]
fn the_draft_is_written_within_half_a_second_of_the_last_key() {
    let (_dir, store) = demo_store();
    let t0 = now();
    let mut app = App::new(store, session(), Clock::Fixed(t0)).unwrap();
    app.update(Action::GoTo(Screen::Intake));
    typ(&mut app, "张");
    assert!(draft(&app).contains("张"), "the first key is written at once");
    typ(&mut app, "三");
    assert!(!draft(&app).contains("张三"), "not on every key");
    let wait = app.wake_in().expect("the loop is told to wake for the draft");
    assert!(wait <= std::time::Duration::from_millis(500), "{wait:?}");
    app.set_clock(Clock::Fixed(t0 + Duration::milliseconds(500)));
    app.tick();
    app.settle();
    assert!(draft(&app).contains("张三"), "written 0.5 s after the last key, with no key since");
    assert_eq!(app.wake_in(), None, "nothing pending");
}

#[test]
fn a_restored_draft_keeps_the_purpose_note() {
    let (dir, store) = demo_store();
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    app.update(Action::GoTo(Screen::Intake));
    typ(&mut app, "张三");
    to_field(&mut app, Key::Purpose);
    typ(&mut app, "qj");
    key(&mut app, KeyCode::Enter);
    let note = app.intake().form.field(Key::Purpose).unwrap().note.clone();
    assert!(note.as_deref().is_some_and(|n| n.starts_with("事项类别：")), "{note:?}");
    drop(app);
    let store = xfdesk::store::Store::open(&dir.path().join("xfdesk.db")).unwrap();
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    key(&mut app, KeyCode::Enter); // 恢复
    assert_eq!(app.intake().value(Key::Purpose), "求决");
    assert_eq!(app.intake().form.field(Key::Purpose).unwrap().note, note, "the note comes back with the draft");
}

#[test]
fn the_prior_panel_says_when_nobody_matches() {
    let (_dir, mut app) = demo_app();
    app.update(Action::GoTo(Screen::Intake));
    assert_eq!(app.intake().focused().key, Key::Lookup);
    typ(&mut app, "欧阳无此人");
    let text = screen_text(&render(&mut app, 120, 40));
    assert!(text.contains("没有找到：姓名「欧阳无此人」"), "{text}");
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("没有找到"), "also on a narrow screen:\n{text}");
}

/// Keys pressed, counted: each one through the real event path.
struct Keys<'a> {
    app: &'a mut App,
    count: usize,
}

impl Keys<'_> {
    fn press(&mut self, code: KeyCode) {
        key(self.app, code);
        self.count += 1;
    }

    fn ctrl(&mut self, c: char) {
        use crossterm::event::{KeyEvent, KeyModifiers};
        self.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
        self.app.settle();
        self.count += 1;
    }

    /// Typing that does not count: the values the clerk has to write anyway.
    fn value(&mut self, s: &str) {
        typ(self.app, s);
    }

    fn letters(&mut self, s: &str) {
        for c in s.chars() {
            self.press(KeyCode::Char(c));
        }
    }
}

fn newest_case(app: &App) -> (String, Option<i64>, String, Option<String>) {
    app.store()
        .conn()
        .query_row(
            "SELECT repeat_kind, linked_case_id, title, category_code FROM cases WHERE id = (SELECT max(id) FROM cases)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

const COMPLAINT: &str = "上次反映的问题至今没有解决，物业仍按上调后的标准收费。";

#[test]
fn a_returning_petitioner_on_the_same_matter_in_ten_keys() {
    let (_dir, mut app) = demo_app();
    let id: String = app
        .store()
        .conn()
        .query_row("SELECT id_number FROM petitioners WHERE name = '王秀兰'", [], |r| r.get(0))
        .unwrap();
    let cases_before: i64 = app.store().conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('2'));
    k.letters(&id[12..]); // the last six of the ID, read off the card
    assert_eq!(k.app.intake().prior.people.first().map(|p| p.name.as_str()), Some("王秀兰"));
    let earlier = k.app.intake().prior.cases[k.app.intake().prior.link].0.clone();
    k.ctrl('t');
    k.press(KeyCode::Enter); // 同一事项再次来访
    assert_eq!(k.app.intake().focused().key, Key::Content, "straight to the complaint");
    k.value(COMPLAINT);
    k.ctrl('s');
    let saved = k.app.intake().message.clone().unwrap();
    assert!(!saved.1, "{saved:?}");
    assert!(k.count <= 10, "{} keys beyond the complaint", k.count);
    let count = k.count;
    let (repeat, linked, title, category) = newest_case(&app);
    let total: i64 = app.store().conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    assert_eq!(total, cases_before + 1);
    assert_eq!((repeat.as_str(), linked), ("repeat", Some(earlier.id)), "a repeat of the earlier case");
    assert_eq!(title, earlier.title, "the matter's title copied");
    assert_eq!(category, earlier.category_code);
    eprintln!("returning petitioner, same matter: {count} keys beyond the complaint");
}

#[test]
fn a_new_petitioner_in_twelve_keys_beyond_what_is_written() {
    let (_dir, mut app) = demo_app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('2'));
    k.value("赵新来");
    k.press(KeyCode::Enter); // the name into 姓名, on to the ID
    assert_eq!(k.app.intake().focused().key, Key::Person(0, xfdesk::app::intake::PersonField::IdNumber));
    k.value(&valid_id("41080319800101001"));
    k.press(KeyCode::Tab);
    k.value("13912345678");
    k.press(KeyCode::Enter); // on to the next field still needed: 内容分类
    assert_eq!(k.app.intake().focused().key, Key::Category);
    k.letters("wy");
    k.press(KeyCode::Enter);
    assert_eq!(k.app.intake().value(Key::Category), "城乡建设/物业管理");
    k.letters("qj");
    k.press(KeyCode::Enter);
    assert_eq!(k.app.intake().focused().key, Key::Title);
    k.value("物业费上调");
    k.press(KeyCode::Enter);
    assert_eq!(k.app.intake().focused().key, Key::Content);
    k.value(COMPLAINT);
    k.ctrl('s');
    let saved = k.app.intake().message.clone().unwrap();
    assert!(!saved.1, "{saved:?}");
    assert!(k.count <= 12, "{} keys beyond the typed values", k.count);
    let count = k.count;
    let (repeat, linked, title, _) = newest_case(&app);
    assert_eq!((repeat.as_str(), linked, title.as_str()), ("first", None, "物业费上调"));
    eprintln!("new petitioner: {count} keys beyond the typed values");
}

#[test]
fn call_next_is_one_key_and_a_failed_call_two() {
    let (_dir, mut app) = demo_app();
    let before: i64 = app.store().conn().query_row("SELECT count(*) FROM reminders", [], |r| r.get(0)).unwrap();
    key(&mut app, KeyCode::Char('5'));
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('x'));
    k.press(KeyCode::Enter);
    assert_eq!(k.count, 2);
    let after: i64 = app.store().conn().query_row("SELECT count(*) FROM reminders", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before + 1, "the failed call is logged");
    key(&mut app, KeyCode::Char('3'));
    let message_before = app.queue().message.clone();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('n'));
    assert_eq!(k.count, 1);
    let said = app.queue().message.clone().unwrap().0;
    assert!(said.starts_with("请 ") || said == "没有等候的来访人", "{said} (before: {message_before:?})");
}
