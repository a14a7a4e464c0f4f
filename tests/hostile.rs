//! Hostile text — escape sequences, C0/C1 controls, bidi overrides, zero-width
//! characters, NUL, huge lines, lone combining marks, formulas — stored as
//! typed and put in every field of every screen, rendered through the real
//! crossterm backend into a byte buffer: no escape of ours reaches the terminal.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use xfdesk::app::{Action, App, Screen};
use xfdesk::domain::lifecycle::Action as CaseAction;
use xfdesk::domain::phone::PhoneKind;
use xfdesk::domain::reminder::{CallResult, Escalation, Method};
use xfdesk::domain::{ExternalRef, PetitionerPhone, PhoneOwner};
use xfdesk::store::reminders::{self, NewReminder};
use xfdesk::store::{cases, lifecycle};
use xfdesk::ui::{self, Theme};

/// The strings tried, each in every text field.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J\u{1b}[H清屏",
    "\u{1b}]0;pwned\u{7}改标题",
    "\u{1b}]8;;http://evil.example\u{1b}\\超链接\u{1b}]8;;\u{1b}\\",
    "\u{9b}31mC1控制\u{9c}",
    "\u{1b}P+q\u{1b}\\DCS",
    "\u{202e}倒序覆盖\u{202c}\u{2066}隔离\u{2069}",
    "零\u{200b}宽\u{2060}字\u{feff}符",
    "NUL\u{0}字\u{7}响铃\u{8}退格",
    "行一\r\n行二\t制表\u{b}\u{c}",
    "\u{301}\u{302}孤立组合符",
    "=cmd|' /C calc'!A0",
    "👨‍👩‍👧家庭😀",
];

fn all_hostile() -> String {
    let mut s: String = HOSTILE.concat();
    s.push_str(&"长".repeat(3000));
    s
}

/// What the terminal receives, kept to be read after the draw.
#[derive(Clone, Default)]
struct Captured(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn render_bytes(app: &mut App, w: u16, h: u16) -> String {
    app.settle();
    let out = Captured::default();
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) };
    let mut t = Terminal::with_options(CrosstermBackend::new(out.clone()), options).unwrap();
    t.draw(|f| ui::draw(f, app, &Theme::new(true))).unwrap();
    drop(t);
    String::from_utf8(out.0.borrow().clone()).expect("UTF-8 to the terminal")
}

/// Only our own CSI sequences (cursor moves, colours) may carry ESC.
fn assert_clean(out: &str, what: &str) {
    let bytes = out.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == 0x1b {
            assert_eq!(bytes.get(i + 1), Some(&b'['), "{what}: an ESC that is not CSI at byte {i}");
        }
    }
    for bad in ['\u{7}', '\u{0}', '\u{8}', '\u{b}', '\u{c}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}'] {
        assert!(!out.contains(bad), "{what}: {:?} reached the terminal", bad);
    }
    assert!(!out.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)), "{what}: a C1 control reached the terminal");
    for payload in ["pwned", "]8;;", "[2J", "31mC1"] {
        assert!(!out.contains(payload), "{what}: {payload} reached the terminal");
    }
}

#[test]
fn hostile_text_in_every_field_of_every_screen() {
    let (_d, mut app) = demo_app();
    let h = all_hostile();
    let id = valid_id("41080319900101019");
    let mut p = petitioner(&h, &id);
    p.address = h.clone();
    p.workplace = h.clone();
    p.phones = vec![PetitionerPhone {
        number: "13912345678".into(),
        kind: PhoneKind::Mobile,
        owner: PhoneOwner::Relative,
        note: h.clone(),
    }];
    let mut reg = registration(p, &h);
    reg.case.content = h.clone();
    reg.case.demands = h.clone();
    reg.case.respondent = h.clone();
    reg.case.problem_address = h.clone();
    reg.case.window = h.clone();
    reg.case.external_refs = vec![ExternalRef { system: h.clone(), number: "JZXF2026000001".into() }];
    let case = cases::register(app.store_mut(), &reg).unwrap();
    let cal = xfdesk::domain::calendar::builtin();
    lifecycle::apply(
        app.store_mut(),
        case.case_id,
        &CaseAction::Assign { unit: h.clone(), due: None, received: None },
        &h,
        now(),
        &cal,
    )
    .unwrap();
    let call = NewReminder {
        case_id: case.case_id,
        unit: h.clone(),
        at: now(),
        caller: h.clone(),
        method: Method::Phone,
        contact: h.clone(),
        contact_post: h.clone(),
        phone: String::new(),
        result: CallResult::Connected,
        asked: h.clone(),
        answer: h.clone(),
        committed: Some(now().date()),
        next: None,
        escalation: Escalation::None,
        note: h.clone(),
    };
    reminders::log(app.store_mut(), &call, "0391").unwrap();
    app.update(Action::Refresh);

    for (w, hgt) in [(80, 24), (120, 40), (200, 50)] {
        assert_clean(&render_bytes(&mut app, w, hgt), &format!("工作台 {w}x{hgt}"));
    }
    // 查询: by case number, by the ID; the profile.
    app.update(Action::GoTo(Screen::Search));
    app.handle_event(&Event::Paste(case.number.clone()));
    assert_clean(&render_bytes(&mut app, 120, 40), "查询（编号）");
    app.search_mut().clear();
    app.handle_event(&Event::Paste(id.clone()));
    assert_clean(&render_bytes(&mut app, 120, 40), "查询（证件号）");
    key(&mut app, KeyCode::Enter);
    assert_clean(&render_bytes(&mut app, 120, 40), "信访人档案");
    key(&mut app, KeyCode::Esc);
    // 事项详情, with the identity revealed (reason hostile too) and an action form.
    app.open_case(case.case_id);
    assert_clean(&render_bytes(&mut app, 120, 40), "事项详情");
    key(&mut app, KeyCode::Char('m'));
    app.handle_event(&Event::Paste(h.clone()));
    key(&mut app, KeyCode::Enter);
    assert_clean(&render_bytes(&mut app, 120, 40), "事项详情（显示证件号）");
    assert_clean(&render_bytes(&mut app, 80, 24), "事项详情 80x24");
    key(&mut app, KeyCode::Char('s'));
    assert_clean(&render_bytes(&mut app, 120, 40), "受理表单");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    // 来访登记: hostile text pasted into the fields; the prior-case panel shows the hostile petitioner.
    app.update(Action::GoTo(Screen::Intake));
    app.handle_event(&Event::Paste(h.clone()));
    for _ in 0..2 {
        key(&mut app, KeyCode::Tab);
    }
    app.handle_event(&Event::Paste(id.clone()));
    assert_clean(&render_bytes(&mut app, 120, 40), "来访登记");
    assert_clean(&render_bytes(&mut app, 80, 24), "来访登记 80x24");
    // 督促: the due list, the units and the call form.
    app.update(Action::GoTo(Screen::Reminders));
    assert_clean(&render_bytes(&mut app, 120, 40), "督促");
    key(&mut app, KeyCode::Char('u'));
    assert_clean(&render_bytes(&mut app, 120, 40), "单位督促情况");
    key(&mut app, KeyCode::Char('u'));
    app.open_case(case.case_id);
    key(&mut app, KeyCode::Char('r'));
    assert_clean(&render_bytes(&mut app, 120, 40), "督促表单");
    key(&mut app, KeyCode::Esc);
    app.update(Action::ToggleHelp);
    assert_clean(&render_bytes(&mut app, 120, 40), "帮助");
    app.update(Action::ToggleHelp);
    // 接访队列: a hostile day, a ticket for the hostile case with a hostile
    // priority reason, its instruction, the ledger and a hostile booking.
    let day = xfdesk::store::queue::NewReceptionDay {
        date: now().date(),
        time_slot: h.clone(),
        place: h.clone(),
        leader: h.clone(),
        leader_post: h.clone(),
        portfolio: h.clone(),
        units: h.clone(),
        announcement: h.clone(),
    };
    // The demo's own day of today gets the hostile text (one day per date).
    let day_id = match xfdesk::store::queue::day_on(app.store().conn(), now().date()).unwrap() {
        Some(d) => {
            xfdesk::store::queue::update_day(app.store_mut(), d.id, &day).unwrap();
            d.id
        }
        None => xfdesk::store::queue::create_day(app.store_mut(), &day, now()).unwrap(),
    };
    let rules = xfdesk::domain::queue::QueueRules::default();
    let prio = xfdesk::store::queue::Priority { reason: h.clone(), granted_by: h.clone() };
    let c = xfdesk::store::queue::CheckIn {
        day_id,
        case_id: case.case_id,
        at: now(),
        booked_at: None,
        priority: Some(prio),
        group_size: 3,
        clerk: h.clone(),
    };
    xfdesk::store::queue::check_in(app.store_mut(), &c, &rules).unwrap();
    let booking = xfdesk::store::queue::Booking {
        day_id,
        name: h.clone(),
        id_number: id.clone(),
        phone: h.clone(),
        summary: h.clone(),
        category_code: None,
        street: h.clone(),
        booked_time: now(),
    };
    xfdesk::store::queue::book(app.store_mut(), &booking, now()).unwrap();
    app.update(Action::GoTo(Screen::Queue));
    assert_clean(&render_bytes(&mut app, 120, 40), "接访队列");
    assert_clean(&render_bytes(&mut app, 80, 24), "接访队列 80x24");
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Down);
    app.handle_event(&Event::Paste(h.clone()));
    assert_clean(&render_bytes(&mut app, 120, 40), "批示表单");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('t'));
    assert_clean(&render_bytes(&mut app, 120, 40), "台账");
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('b'));
    assert_clean(&render_bytes(&mut app, 120, 40), "预约");
    app.update(Action::AddPerson);
    key(&mut app, KeyCode::Down);
    app.handle_event(&Event::Paste(id.clone()));
    assert!(app.queue_form().unwrap().form.title.contains("既往事项 1 件"), "the lookup ran");
    assert_clean(&render_bytes(&mut app, 120, 40), "预约表单（既往事项）");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    assert_clean(&render_bytes(&mut app, 120, 40), "接访日列表");
    key(&mut app, KeyCode::Esc);

    // 报表: the hostile person is a key person (a threat) in this week's
    // Table A and the 预警 list; the unit of the assignment is in the metrics.
    app.store_mut()
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE cases SET threat = 1, registered_at = '2026-11-27 09:00:00' WHERE id = ?1",
                [case.case_id],
            )?)
        })
        .unwrap();
    app.update(Action::GoTo(Screen::Reports));
    for tab in ['m', 'w', 'a'] {
        key(&mut app, KeyCode::Char(tab));
        app.reports_mut().wait();
        assert_clean(&render_bytes(&mut app, 120, 40), &format!("报表 {tab}"));
        assert_clean(&render_bytes(&mut app, 80, 24), &format!("报表 {tab} 80x24"));
    }
    let week = app.reports().weekly.as_ref().unwrap();
    assert!(week.persons.iter().any(|p| p.name == h), "the hostile person is in Table A");
    key(&mut app, KeyCode::Char('w'));
    let at = app.reports().weekly.as_ref().unwrap().persons.iter().position(|p| p.name == h).unwrap();
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    app.handle_event(&Event::Paste(h.clone()));
    assert_clean(&render_bytes(&mut app, 120, 40), "周报人工字段");
    key(&mut app, KeyCode::Esc);

    // Stored as typed: the database keeps exactly what was entered.
    let stored: String =
        app.store().conn().query_row("SELECT title FROM cases WHERE id = ?1", [case.case_id], |r| r.get(0)).unwrap();
    assert_eq!(stored, h);
}

#[test]
fn a_storm_of_resizes_and_odd_sizes_never_panics() {
    let (_d, mut app) = demo_app();
    let mut rng = fastrand::Rng::with_seed(7);
    for screen in [Screen::Home, Screen::Intake, Screen::Search, Screen::Reminders, Screen::Queue, Screen::Reports] {
        app.update(Action::GoTo(screen));
        app.reports_mut().wait();
        for _ in 0..60 {
            let (w, h) = (rng.u16(1..=400), rng.u16(1..=120));
            app.handle_event(&Event::Resize(w, h));
            render_bytes(&mut app, w, h);
        }
    }
}
