//! Every popup over every screen it can appear on: `q`, `Esc`, `?`, a typed
//! letter and a paste go to the topmost pane, never to what is beneath it.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode};
use xfdesk::app::intake::Key;
use xfdesk::app::pane::PaneKind;
use xfdesk::app::popups::Popup;
use xfdesk::app::popups::confirm::Confirm;
use xfdesk::app::popups::day_list::DayList;
use xfdesk::app::popups::help::Help;
use xfdesk::app::popups::picker::Picker;
use xfdesk::app::popups::queue_form::QueueForm;
use xfdesk::app::{App, Effect, Screen};

/// A case of the demo desk with a petitioner and a unit.
fn some_case(app: &App) -> i64 {
    app.store().conn().query_row("SELECT min(id) FROM cases", [], |r| r.get(0)).unwrap()
}

/// The weekly report's hand-field form, as the clerk opens it: Enter on a Table A row.
fn watch_form(app: &mut App) -> Popup {
    use xfdesk::app::reports::ReportTab;
    app.update(xfdesk::app::Action::GoTo(Screen::Reports));
    app.update(xfdesk::app::Action::ShowReport(ReportTab::Weekly));
    app.reports_mut().wait();
    app.update(xfdesk::app::Action::Open);
    let Some(Popup::WatchForm(f)) = app.top() else { panic!("the weekly report has a row to fill in") };
    let form = f.clone();
    key(app, KeyCode::Esc);
    Popup::WatchForm(form)
}

/// Every popup, each pushed the way the app pushes it.
fn popups(app: &mut App) -> Vec<(&'static str, Vec<Effect>)> {
    use xfdesk::app::popups::appointments::Appointments;
    use xfdesk::app::popups::case_action::CaseAction;
    use xfdesk::app::popups::profile::Profile;
    use xfdesk::app::popups::reveal::{Reveal, RevealPrompt};
    let case = some_case(app);
    let options = xfdesk::app::intake::options(Key::Category, app.reference());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let action = CaseAction::new(case, xfdesk::domain::lifecycle::ActionKind::Inform, today, today, app.reference());
    let person: i64 = app.store().conn().query_row("SELECT min(id) FROM petitioners", [], |r| r.get(0)).unwrap();
    let cx = xfdesk::app::opening::ReadContext::of(app.env());
    let profile = Profile::read(app.store().conn(), &cx, person).unwrap().unwrap();
    let day = xfdesk::store::queue::days(app.store().conn()).unwrap().remove(0);
    let appointments = Appointments::open(app.env(), day).unwrap();
    let watch = watch_form(app);
    vec![
        ("case action", vec![Effect::OpenCase(case), Effect::Push(Popup::CaseAction(action))]),
        ("reveal", vec![Effect::Push(Popup::Reveal(RevealPrompt::new(case, Reveal::Content, String::new())))]),
        ("profile", vec![Effect::Push(Popup::Profile(Box::new(profile)))]),
        ("appointments", vec![Effect::Push(Popup::Appointments(appointments))]),
        ("watch form", vec![Effect::Push(watch)]),
        ("detail", vec![Effect::OpenCase(case)]),
        ("reminder call", vec![Effect::OpenReminder { case_id: case, failed: false }]),
        ("queue form", vec![Effect::Push(Popup::QueueForm(QueueForm::priority(1, "A001", &[])))]),
        ("day list", vec![Effect::Push(Popup::DayList(DayList { days: Vec::new(), selected: 0 }))]),
        ("picker", vec![Effect::Push(Popup::Picker(Picker::new(Key::Category, options, None)))]),
        ("confirm", vec![Effect::Push(Popup::Confirm(Confirm::Leave { quit: false }))]),
        ("help", vec![Effect::Push(Popup::Help(Help { over: PaneKind::Home, notes: Vec::new() }))]),
    ]
}

/// What beneath the popup must not change: the intake's name, the query.
fn beneath(app: &App) -> (String, String) {
    (
        app.intake().value(Key::Person(0, xfdesk::app::intake::PersonField::Name)).to_string(),
        app.search().input.value().to_string(),
    )
}

fn open(app: &mut App, screen: Screen, effects: Vec<Effect>) -> usize {
    app.update(xfdesk::app::Action::GoTo(screen));
    // One at a time: a case opened on a worker is in before what goes over it.
    for e in effects {
        app.apply(vec![e]);
        app.finish_loads();
    }
    app.settle();
    app.stack().len()
}

#[test]
fn every_key_goes_to_the_topmost_pane() {
    let (_dir, mut app) = demo_app();
    for screen in Screen::ALL {
        for (name, effects) in popups(&mut app) {
            let depth = open(&mut app, screen, effects);
            assert!(depth >= 1, "{name} over {screen:?} did not open");
            let kind = app.focus().pane;
            let typing = app.is_typing();
            let before = beneath(&app);

            // A letter and a paste: into the popup's field, or nowhere.
            key(&mut app, KeyCode::Char('x'));
            app.handle_event(&Event::Paste("粘贴".into()));
            app.settle();
            assert_eq!(beneath(&app), before, "{name} over {screen:?}: typing reached the screen beneath");
            assert_eq!(app.stack().len(), depth, "{name} over {screen:?}: typing closed or opened a pane");
            assert_eq!(app.focus().pane, kind);

            // q: types, closes the help, or does nothing — it never quits from a
            // popup. (The detail pane keeps the screens' q; see the test below.)
            if kind != PaneKind::Detail {
                key(&mut app, KeyCode::Char('q'));
                assert!(!app.should_quit(), "{name} over {screen:?}: q quit");
                if kind == PaneKind::Help {
                    assert_eq!(app.stack().len(), depth - 1, "q closes the help");
                    continue;
                }
                assert_eq!(beneath(&app), before, "{name} over {screen:?}: q reached the screen beneath");
            }

            // ?: types into a field, or opens the help over this pane (the detail pane keeps the global keys).
            key(&mut app, KeyCode::Char('?'));
            if kind == PaneKind::Detail {
                assert!(app.help_open(), "{name} over {screen:?}: ? opens help on the detail pane");
                key(&mut app, KeyCode::Esc);
            } else {
                assert!(!app.help_open(), "{name} over {screen:?}: ? opened help (typing: {typing})");
            }
            assert_eq!(app.stack().len(), depth, "{name} over {screen:?}");

            // Esc closes the topmost pane only.
            key(&mut app, KeyCode::Esc);
            assert_eq!(app.stack().len(), depth - 1, "{name} over {screen:?}: Esc closes the popup");
            assert_eq!(app.screen(), screen, "{name} over {screen:?}: Esc kept the screen");
            assert_eq!(beneath(&app), before);
        }
    }
}

#[test]
fn leaving_with_unsaved_intake_asks_over_the_detail_pane() {
    let (_dir, mut app) = demo_app();
    key(&mut app, KeyCode::Char('2'));
    typ(&mut app, "张三");
    assert!(app.intake().has_unsaved_input());
    let case = some_case(&app);
    app.open_case(case);
    assert!(app.detail().is_some());
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit(), "asked first");
    assert!(matches!(app.top(), Some(Popup::Confirm(Confirm::Leave { quit: true }))), "the question is on top");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("未保存"), "the question is drawn over the detail pane:\n{screen}");
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit(), "a second q does not quit past the question");
    key(&mut app, KeyCode::Esc);
    assert!(app.detail().is_some(), "No: back on the detail pane");
    assert_eq!(app.intake().value(Key::Lookup), "张三", "what was typed is still there");
}

/// Scripted events for the real event loop: `None` is a tick with no input.
struct Script(std::collections::VecDeque<Option<Event>>);

impl xfdesk::tui::Events for Script {
    fn poll(&mut self, _: std::time::Duration) -> std::io::Result<bool> {
        match self.0.front() {
            Some(Some(_)) => Ok(true),
            Some(None) => {
                self.0.pop_front();
                Ok(false)
            }
            // The script ran out: quit, so the loop ends.
            None => {
                self.0.push_back(Some(ctrl_c()));
                Ok(true)
            }
        }
    }

    fn read(&mut self) -> std::io::Result<Event> {
        Ok(self.0.pop_front().flatten().unwrap_or_else(ctrl_c))
    }
}

fn ctrl_c() -> Event {
    use crossterm::event::{KeyEvent, KeyModifiers};
    Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

#[test]
fn the_real_loop_draws_ticks_and_picks_up_another_desks_commit() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    let (dir, mut app) = demo_app();
    let press = |c| Some(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    let before = app.home().counts.total;
    // Another desk registers while this one sits on 工作台.
    let mut other = xfdesk::store::Store::open(&dir.path().join("xfdesk.db")).unwrap();
    xfdesk::store::cases::register(
        &mut other,
        &registration(petitioner("另一窗口", &valid_id("41080319800101001")), "另一窗口登记"),
    )
    .unwrap();
    let mut script = Script(vec![None, Some(Event::Resize(80, 24)), press('4'), press('王'), None].into());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let theme = xfdesk::ui::Theme::new(true);
    xfdesk::tui::event_loop(&mut terminal, &mut script, &mut app, &theme, std::time::Duration::ZERO).unwrap();
    // The script may end before the home worker answers: what the tick started is waited for here.
    app.finish_loads();
    assert_eq!(app.home().counts.total, before + 1, "the tick reloaded after the other desk's commit");
    assert_eq!(app.screen(), Screen::Search);
    assert_eq!(app.search().input.value(), "王", "typed into the query box through the loop");
    let shown = screen_text(&terminal);
    assert!(shown.contains("查询：王"), "the last frame shows the query:\n{shown}");
}

/// Events for the real loop that wait as a terminal would: the scripted
/// keys first, then nothing; the loop's waits are recorded, and a wait of a
/// whole tick (nothing left to pick up) ends the run.
struct Idle {
    keys: std::collections::VecDeque<Event>,
    waits: Vec<std::time::Duration>,
    quit: bool,
}

impl xfdesk::tui::Events for Idle {
    fn poll(&mut self, wait: std::time::Duration) -> std::io::Result<bool> {
        if !self.keys.is_empty() || self.quit || wait.is_zero() {
            return Ok(!self.keys.is_empty() || self.quit);
        }
        self.waits.push(wait);
        self.quit = wait >= std::time::Duration::from_secs(1) || self.waits.len() > 1000;
        std::thread::sleep(wait);
        Ok(self.quit)
    }

    fn read(&mut self) -> std::io::Result<Event> {
        Ok(self.keys.pop_front().unwrap_or_else(ctrl_c))
    }
}

/// Enter on 工作台 opens the case on a worker; with a tick of one second the
/// loop still shows it within a few frames (it wakes every 15 ms while a
/// worker reads), then goes back to waiting a whole tick.
#[test]
fn the_real_loop_shows_a_case_read_on_a_worker_without_waiting_a_tick() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    let (_dir, mut app) = demo_app();
    let case = app.home().rows[app.home().selected].case_id().unwrap();
    let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let mut events = Idle { keys: vec![enter].into(), waits: Vec::new(), quit: false };
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let theme = xfdesk::ui::Theme::new(true);
    let tick = std::time::Duration::from_secs(1);
    xfdesk::tui::event_loop(&mut terminal, &mut events, &mut app, &theme, tick).unwrap();
    assert_eq!(app.detail().map(|d| d.case_id), Some(case), "the case came up with no further key");
    let (short, last) =
        (events.waits.iter().filter(|w| **w <= std::time::Duration::from_millis(15)).count(), events.waits.last());
    assert!(short >= 1, "the loop woke early for the worker: {:?}", events.waits);
    assert_eq!(last, Some(&tick), "then back to a whole tick: {:?}", events.waits);
    let number = xfdesk::store::cases::get(app.store().conn(), case).unwrap().unwrap().number;
    let shown = screen_text(&terminal);
    assert!(shown.contains(&number), "the last frame shows the case {number}:\n{shown}");
}
