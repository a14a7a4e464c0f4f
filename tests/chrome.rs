//! Our own chrome is narrow everywhere, and every small form shows its labels
//! whole, on every screen and popup at 80x24 and 120x40.

mod common;

use common::*;
use crossterm::event::KeyCode;
use xfdesk::app::popups::Popup;
use xfdesk::app::popups::case_action::CaseAction;
use xfdesk::app::popups::queue_form::QueueForm;
use xfdesk::app::{Action, App, Effect, Screen};
use xfdesk::domain::lifecycle::ActionKind;

/// Box drawing is left to ratatui's borders (see the README); everything
/// else ambiguous on screen must come from the data itself.
const BORDERS: &str = "─│┌┐└┘├┤┬┴┼";

fn ambiguous_chrome(screen: &str) -> Vec<char> {
    let data = include_str!("../seeds/demo.toml");
    let mut found: Vec<char> = screen
        .chars()
        .filter(|c| !BORDERS.contains(*c) && !data.contains(*c))
        .filter(|c| xfdesk::text::is_ambiguous_width(&c.to_string()))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

fn some_case(app: &App) -> i64 {
    app.store().conn().query_row("SELECT min(id) FROM cases", [], |r| r.get(0)).unwrap()
}

#[test]
fn no_screen_or_popup_paints_an_ambiguous_width_character_of_its_own() {
    let (_dir, mut app) = demo_app();
    let case = some_case(&app);
    for screen in Screen::ALL {
        for extra in [None, Some("detail"), Some("form"), Some("papers"), Some("preview"), Some("help")] {
            app.update(Action::GoTo(screen));
            match extra {
                Some("detail") => app.open_case(case),
                // The papers list, then the 登记表's preview (the paper's own text is data).
                Some("papers") | Some("preview") => {
                    app.open_case(case);
                    app.update(Action::Papers);
                    if extra == Some("preview") {
                        app.update(Action::Open);
                    }
                }
                Some("form") => app.apply(vec![Effect::OpenReminder { case_id: case, failed: false }]),
                Some(_) => app.update(Action::ToggleHelp),
                None => {}
            }
            for (w, h) in [(80, 24), (120, 40)] {
                let text = screen_text(&render(&mut app, w, h));
                assert!(
                    ambiguous_chrome(&text).is_empty(),
                    "{screen:?} {extra:?} {w}x{h}: {:?}\n{text}",
                    ambiguous_chrome(&text)
                );
            }
        }
    }
}

#[test]
fn every_small_form_shows_its_labels_whole_at_80x24() {
    let (_dir, mut app) = demo_app();
    let case = some_case(&app);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let mut forms: Vec<Popup> = ActionKind::ALL
        .iter()
        .map(|k| Popup::CaseAction(CaseAction::new(case, *k, today, today, app.reference())))
        .collect();
    let leader =
        xfdesk::store::queue::LeaderRef { name: "李明华".into(), post: "区长".into(), portfolio: String::new() };
    forms.push(Popup::QueueForm(QueueForm::instruction(1, "A001", "李明华", today)));
    forms.push(Popup::QueueForm(QueueForm::priority(1, "A001", &[])));
    forms.push(Popup::QueueForm(QueueForm::new_day(today, &leader)));
    for form in forms {
        app.update(Action::GoTo(Screen::Home));
        let labels: Vec<&'static str> = match &form {
            Popup::CaseAction(f) => f.form.fields.iter().map(|f| f.label).collect(),
            Popup::QueueForm(f) => f.form.fields.iter().map(|f| f.label).collect(),
            _ => unreachable!(),
        };
        app.apply(vec![Effect::Push(form)]);
        let text = screen_text(&render(&mut app, 80, 24));
        for label in labels {
            assert!(text.contains(&format!("{label}：")), "label {label} is cut:\n{text}");
        }
        key(&mut app, KeyCode::Esc);
    }
    app.apply(vec![Effect::OpenReminder { case_id: case, failed: false }]);
    let text = screen_text(&render(&mut app, 80, 24));
    for label in ["督促时间", "被督促单位", "承诺办结时间", "下次督促日期"] {
        assert!(text.contains(&format!("{label}：")), "label {label} is cut:\n{text}");
    }
}

#[test]
fn a_bad_date_is_said_as_the_field_is_left() {
    let (_dir, mut app) = demo_app();
    let case = some_case(&app);
    app.apply(vec![Effect::OpenReminder { case_id: case, failed: false }]);
    // 答复/进展 has the focus; the next field is 承诺办结时间.
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "2026-13-45");
    key(&mut app, KeyCode::Tab);
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("承诺办结时间应写成 2026-11-28"), "{text}");
    assert!(app.reminder_form().is_some(), "the form stays open");
}
