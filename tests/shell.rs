//! The TUI shell rendered into ratatui's TestBackend and driven by key events.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use xfdesk::app::{Action, App, Screen};
use xfdesk::store::{Store, cases};
use xfdesk::ui::{self, Theme};

fn render(app: &App, w: u16, h: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
    terminal
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
}

#[test]
fn home_80x24() {
    let (_dir, app) = demo_app();
    insta::assert_snapshot!(render(&app, 80, 24, Theme::new(true)).backend());
}

#[test]
fn home_120x40() {
    let (_dir, app) = demo_app();
    insta::assert_snapshot!(render(&app, 120, 40, Theme::new(true)).backend());
}

#[test]
fn help_overlay_over_chinese_text_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    assert!(app.help_open());
    insta::assert_snapshot!(render(&app, 80, 24, Theme::new(true)).backend());
}

#[test]
fn below_the_minimum_size_a_clear_message() {
    let (_dir, app) = demo_app();
    let text = screen_text(&render(&app, 50, 12, Theme::new(true)));
    assert!(text.contains("窗口太小"), "{text}");
    assert!(text.contains("至少需要 60x16，当前 50x12"), "{text}");
}

#[test]
fn every_size_from_1x1_to_400x120_renders_without_panic() {
    let (_dir, app) = demo_app();
    for (w, h) in [(1, 1), (2, 1), (1, 2), (3, 3), (59, 16), (60, 15), (60, 16), (61, 17), (81, 25), (400, 120)] {
        render(&app, w, h, Theme::new(true));
        render(&app, w, h, Theme::new(false));
    }
    for w in (1..200).step_by(7) {
        for h in (1..60).step_by(5) {
            render(&app, w, h, Theme::new(true));
        }
    }
}

#[test]
fn without_colour_the_selection_stays_visible() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(app.home().selected, 2, "row 0 is the group title, 1 the first case");
    let t = render(&app, 120, 40, Theme::new(false));
    let buf = t.backend().buffer();
    // Row 0 is the tabs, 1 the missing-2027-holidays line (the clock says 2026-11-28), 2 the counts,
    // 3 the border, 4 the group title, 5 the first case: selection at 6.
    assert_eq!(buf[(1, 6)].symbol(), ">");
    assert!(buf[(3, 6)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(3, 5)].modifier.contains(Modifier::REVERSED));
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset), "no colour at all");
}

#[test]
fn keys_switch_screens_open_help_and_quit() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'), KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Intake);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Intake, "Tab moves between the form's fields");
    press(&mut app, KeyCode::F(3), KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Queue);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Search);
    press(&mut app, KeyCode::F(6), KeyModifiers::NONE);
    press(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(app.screen(), Screen::Reminders);
    press(&mut app, KeyCode::F(1), KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Home);
    press(&mut app, KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert!(app.help_open());
    press(&mut app, KeyCode::Char('3'), KeyModifiers::NONE);
    assert_eq!(app.screen(), Screen::Home, "help swallows screen keys");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!app.help_open());
    press(&mut app, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(app.home().selected, app.home().rows.len() - 1, "End: the oldest recent case");
    press(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(app.should_quit());
}

#[test]
fn ctrl_c_quits_and_releases_and_pastes_do_nothing() {
    let (_dir, mut app) = demo_app();
    let release = KeyEvent {
        code: KeyCode::Char('q'),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    };
    app.handle_event(&Event::Key(release));
    app.handle_event(&Event::Paste("q2?".into()));
    assert!(!app.should_quit() && !app.help_open() && app.screen() == Screen::Home);
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.should_quit());
}

#[test]
fn status_bar_names_office_operator_and_database() {
    let (_dir, app) = demo_app();
    let text = screen_text(&render(&app, 120, 40, Theme::new(true)));
    let last = text.lines().last().unwrap();
    assert!(last.contains("中站区信访局") && last.contains("登记人：周敏"), "{last}");
    assert!(last.contains("/srv/xfdesk/xfdesk.db") && last.contains("2026-11-28 10:30"), "{last}");
}

#[test]
fn hostile_text_never_reaches_the_terminal_and_columns_stay_aligned() {
    let (_dir, mut app) = demo_app();
    let mut reg = registration(petitioner("张\u{1b}[2J三", &valid_id("41080319850214003")), "");
    reg.case.title = "\u{1b}]0;pwned\u{7}标题\u{1b}[31m红字\u{9b}2J\u{202e}倒序\ttab\r回车".into();
    let id = cases::register(app.store_mut(), &reg).unwrap().case_id;
    app.update(Action::Refresh);
    app.finish_loads();
    // Scroll the list to the new case (the newest registration, below the worklists).
    for _ in 0..app.home().rows.len() {
        if app.home().rows[app.home().selected].case_id() == Some(id) {
            break;
        }
        app.update(Action::SelectNext);
    }
    assert_eq!(app.home().rows[app.home().selected].case_id(), Some(id));
    let t = render(&app, 120, 50, Theme::new(true));
    let text = screen_text(&t);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "control characters reached the buffer");
    assert!(!text.contains("[31m") && !text.contains("pwned") && !text.contains('\u{202e}'));
    let lines: Vec<&str> = text.lines().collect();
    let at =
        lines.iter().position(|l| l.contains("标题")).unwrap_or_else(|| panic!("hostile case not listed:\n{text}"));
    let row = lines[at];
    // A neighbouring row of the same list (below it, or above when it is the last one shown).
    let ok_row = [at + 1, at - 1]
        .into_iter()
        .map(|i| lines[i])
        .find(|l| l.contains("41080"))
        .unwrap_or_else(|| panic!("{text}"));
    // The status column starts where the layout puts it (border, marker, number, time) in both rows.
    let col = |line: &str, needle: &str| xfdesk::text::width(&line[..line.find(needle).unwrap()]);
    assert_eq!(col(row, "已登记"), 1 + 2 + 19 + 1 + 11 + 1, "{row}");
    // Longest labels first: "复查已答复" must not be found as "已答复".
    let mut labels: Vec<&str> = xfdesk::domain::status::CaseStatus::ALL.iter().map(|s| s.label()).collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    let status_col =
        labels.iter().find_map(|s| ok_row.find(s).map(|_| col(ok_row, s))).unwrap_or_else(|| panic!("{ok_row}"));
    assert_eq!(status_col, col(row, "已登记"), "{row}\n{ok_row}");
}

#[test]
fn another_desks_registration_shows_up_on_the_next_tick() {
    let (_dir, mut app) = demo_app();
    let before = app.home().counts.total;
    let mut other = Store::open(app.store().path()).unwrap();
    cases::register(&mut other, &registration(petitioner("隔壁窗口", &valid_id("41080319900101006")), "另一窗口登记"))
        .unwrap();
    // The tick sees the other desk's commit and reads on a worker; the
    // frames after it take the result (the desk never waits for it).
    app.tick();
    assert!(app.home().busy().is_some(), "read off the UI thread");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.home().counts.total == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
    assert_eq!(app.home().counts.total, before + 1);
    let newest = app.home().rows.iter().find_map(|r| match r {
        xfdesk::app::HomeRow::Recent(c) => Some(c.title.clone()),
        _ => None,
    });
    assert_eq!(newest.as_deref(), Some("另一窗口登记"));
}

/// Ticks (as the event loop makes them when no key comes) until `seen`,
/// or ten seconds: the screens read on workers, the desk never waits.
fn tick_until(app: &mut App, seen: impl Fn(&App) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen(app) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
        app.settle();
    }
    seen(app)
}

#[test]
fn another_desks_commit_reaches_every_screen() {
    use xfdesk::store::reminders::{self, NewReminder};
    let (_dir, mut app) = demo_app();
    let mut other = Store::open(app.store().path()).unwrap();
    let (clerk, _) = two_people(&mut other);
    other.act_as(clerk);

    // 查询: a case another desk registers that matches the query on screen.
    key(&mut app, KeyCode::F(4));
    typ(&mut app, "隔壁窗口");
    assert!(app.search().results.hits.is_empty());
    cases::register(&mut other, &registration(petitioner("隔壁窗口", &valid_id("41080319900101006")), "另一窗口登记"))
        .unwrap();
    assert!(tick_until(&mut app, |a| !a.search().results.hits.is_empty()), "the search sees the new case");

    // 督促: a call another desk logs takes its case off today's list.
    key(&mut app, KeyCode::F(5));
    let first = app.reminders().due[0].clone();
    let call = NewReminder {
        case_id: first.case_id,
        unit: first.unit.clone(),
        at: now(),
        caller: "周敏".into(),
        method: xfdesk::domain::reminder::Method::Phone,
        contact: "王科长".into(),
        contact_post: String::new(),
        phone: String::new(),
        result: xfdesk::domain::reminder::CallResult::Connected,
        asked: "进展".into(),
        answer: "本周答复".into(),
        committed: None,
        next: None,
        escalation: xfdesk::domain::reminder::Escalation::None,
        note: String::new(),
    };
    reminders::log(&mut other, &call, "0391").unwrap();
    assert!(
        tick_until(&mut app, |a| a.reminders().busy().is_none()
            && a.reminders().due.iter().all(|d| d.case_id != first.case_id)),
        "the 督促 list sees the call"
    );

    // 事项详情: another call on the open case shows in its trail (read afresh on a worker).
    app.open_case(first.case_id);
    let events = app.detail().unwrap().dossier.events.len();
    reminders::log(&mut other, &call, "0391").unwrap();
    assert!(
        tick_until(&mut app, |a| a.detail().is_some_and(|d| d.dossier.events.len() > events)),
        "the open case sees the other desk's call"
    );
    key(&mut app, KeyCode::Esc);

    // 工作台: the counts, whichever screen is shown.
    let total = app.home().counts.total;
    cases::register(&mut other, &registration(petitioner("第三窗口", &valid_id("41080319900101014")), "第三窗口登记"))
        .unwrap();
    assert!(tick_until(&mut app, |a| a.home().counts.total == total + 1), "the home counts");

    // 报表: a report on screen says it is out of date.
    key(&mut app, KeyCode::F(6));
    app.reports_mut().wait();
    assert!(!app.reports().stale);
    cases::register(&mut other, &registration(petitioner("第四窗口", &valid_id("41080319900101022")), "第四窗口登记"))
        .unwrap();
    assert!(tick_until(&mut app, |a| a.reports().stale), "the report is marked out of date");
}

#[test]
fn the_home_screen_says_it_is_reading_until_its_worker_answers() {
    let (_dir, store) = demo_store();
    // No frame has taken the worker's answer yet: the desk draws at once and says so.
    let mut app = App::new(store, session(), xfdesk::app::Clock::Fixed(now())).unwrap();
    let before = screen_text(&render(&app, 100, 30, Theme::new(true)));
    assert!(before.contains("统计中") && before.contains("正在计算：读取今日统计与待办期限"), "{before}");
    assert!(!before.contains("累计 0 件"), "no zeros before the counts: {before}");
    app.finish_loads();
    let after = screen_text(&render(&app, 100, 30, Theme::new(true)));
    let total = app.home().counts.total;
    assert!(total > 0 && after.contains(&format!("累计 {total} 件")), "{after}");
}
