//! The small defects a clerk trips on at the desk (issue "desk speed"): each
//! test failed before its fix.

mod common;

use chrono::Duration;
use common::*;
use crossterm::event::{Event, KeyCode};
use xfdesk::app::form::{Field, Opt};
use xfdesk::app::intake::{Key, PersonField};
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
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::Name));
    typ(&mut app, "欧阳无此人");
    let text = screen_text(&render(&mut app, 120, 40));
    assert!(text.contains("没有找到：姓名「欧阳无此人」"), "{text}");
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("没有找到"), "also on a narrow screen:\n{text}");
}
