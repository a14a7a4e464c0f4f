//! 来访登记 driven by key and paste events on a real SQLite file, checked in
//! the database.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use xfdesk::app::intake::{Key, PersonField};
use xfdesk::app::popups::confirm::Confirm as Dialog;
use xfdesk::app::{App, Clock, Screen, Session};
use xfdesk::store::Store;

fn ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    app.settle();
    app.finish_loads();
}

fn paste(app: &mut App, s: &str) {
    app.handle_event(&Event::Paste(s.into()));
    app.settle();
}

/// Tab (or Shift-Tab) until the focus is on `k`, the clerk's way through the form.
fn tab_to(app: &mut App, k: Key) {
    for _ in 0..80 {
        if app.intake().focused().key == k {
            return;
        }
        let back = app.intake().index(k).is_some_and(|i| i < app.intake().focus());
        if back {
            app.handle_event(&Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
            app.settle();
        } else {
            key(app, KeyCode::Tab);
        }
    }
    panic!("never reached {k:?}");
}

/// Pick a choice by typing a filter and Enter.
fn pick(app: &mut App, k: Key, filter: &str) {
    tab_to(app, k);
    typ(app, filter);
    assert!(app.picker().is_some(), "typing on a choice opens its picker");
    key(app, KeyCode::Enter);
    assert!(app.picker().is_none());
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn intake_app() -> (tempfile::TempDir, App) {
    let (dir, mut app) = demo_app();
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.screen(), Screen::Intake);
    assert_eq!(app.intake().focused().key, Key::Lookup, "the form opens on the lookup line");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::Name), "Tab goes on to the name");
    (dir, app)
}

/// The matter: category, purpose, title, a pasted complaint.
fn fill_matter(app: &mut App, title: &str) {
    pick(app, Key::Category, "wygl");
    assert_eq!(app.intake().value(Key::Category), "城乡建设/物业管理");
    pick(app, Key::Purpose, "qj");
    assert_eq!(app.intake().value(Key::Purpose), "求决");
    tab_to(app, Key::Title);
    typ(app, title);
    tab_to(app, Key::Content);
    paste(app, "小区物业擅自上调物业费，\n电梯长期故障。q?1 Ctrl-S 都不应被当作快捷键。");
}

#[test]
fn a_new_petitioner_is_registered_in_one_go() {
    let (_d, mut app) = intake_app();
    let before = count(app.store(), "SELECT count(*) FROM cases");
    typ(&mut app, "甄宝玉");
    let id = valid_id("41080319900315002");
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, &id.to_lowercase());
    key(&mut app, KeyCode::Tab);
    let idf = &app.intake().fields()[app.intake().index(Key::Person(0, PersonField::IdNumber)).unwrap()];
    assert_eq!(idf.error, None);
    assert!(idf.note.as_deref().unwrap().starts_with("女 1990-03-15 河南省"), "{:?}", idf.note);
    typ(&mut app, "+86 138-0391-2345");
    fill_matter(&mut app, "物业乱涨价");
    pick(&mut app, Key::Triage, "jb");
    pick(&mut app, Key::Unit, "qzf");
    assert_eq!(app.intake().value(Key::Unit), "区住房和城乡建设局");
    ctrl(&mut app, 's');
    let msg = app.intake().message.clone().unwrap();
    assert!(!msg.1 && msg.0.starts_with("已登记，事项编号 41080320261128F"), "{msg:?}");

    let s = app.store();
    assert_eq!(count(s, "SELECT count(*) FROM cases"), before + 1);
    let case = "(SELECT max(id) FROM cases)";
    assert_eq!(
        text(s, &format!("SELECT category_code || purpose_code || status || repeat_kind FROM cases WHERE id = {case}")),
        "60201502601003registeredfirst"
    );
    assert_eq!(
        text(s, &format!("SELECT content FROM cases WHERE id = {case}")),
        "小区物业擅自上调物业费，\n电梯长期故障。q?1 Ctrl-S 都不应被当作快捷键。"
    );
    assert_eq!(
        text(
            s,
            "SELECT p.sex || p.birth_date || ph.number FROM petitioners p JOIN petitioner_phones ph ON ph.petitioner_id = p.id WHERE p.name = '甄宝玉'"
        ),
        "female1990-03-1513803912345"
    );
    assert_eq!(
        text(s, &format!("SELECT group_concat(action, ',') FROM case_events WHERE case_id = {case}")),
        "登记,拟办"
    );
    assert!(
        text(s, &format!("SELECT note FROM case_events WHERE case_id = {case} AND action = '拟办'"))
            .contains("交办，拟办单位：区住房和城乡建设局")
    );
    assert_eq!(count(s, "SELECT count(*) FROM intake_drafts"), 0, "the draft is gone once saved");
    // The form is ready for the next person, the clerk's defaults kept.
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "");
    assert_eq!(app.intake().value(Key::Form), "来访");
    assert!(!app.intake().has_unsaved_input());
    assert_eq!(app.home().counts.total, before + 1, "the home screen sees the new case");
}

#[test]
fn a_returning_petitioner_is_found_by_id_tail_phone_tail_name_and_initials() {
    let (_d, mut app) = intake_app();
    let id = text(app.store(), "SELECT id_number FROM petitioners WHERE name = '王秀兰'");
    let phone = text(
        app.store(),
        "SELECT number FROM petitioner_phones ph JOIN petitioners p ON p.id = ph.petitioner_id WHERE p.name = '王秀兰' AND owner = 'own'",
    );
    let found = |app: &App| app.intake().prior.people.iter().any(|p| p.name == "王秀兰");
    for (field, input) in [
        (PersonField::IdNumber, id[14..].to_string()),
        (PersonField::Phone, phone[7..].to_string()),
        (PersonField::Name, "王秀兰".to_string()),
        (PersonField::Name, "wxl".to_string()),
    ] {
        tab_to(&mut app, Key::Person(0, field));
        ctrl(&mut app, 'u');
        typ(&mut app, &input);
        assert!(found(&app), "{field:?} {input}");
        assert!(!app.intake().prior.cases.is_empty(), "the history shows at once");
        ctrl(&mut app, 'u');
    }
    // Three characters of a tail are too few to look up.
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, &id[15..]);
    assert!(app.intake().prior.people.is_empty());
    ctrl(&mut app, 'u');
    typ(&mut app, &id[12..]);
    assert!(found(&app));
    let warnings = app.intake().prior.warnings.join("\n");
    assert!(warnings.contains("重点人员：长期访") && warnings.contains("已终结"), "{warnings}");
    let link = app.intake().prior.cases[app.intake().prior.link].0.id;

    let people_before = count(app.store(), "SELECT count(*) FROM petitioners");
    ctrl(&mut app, 't');
    assert!(matches!(app.top(), Some(xfdesk::app::popups::Popup::TakeOver(_))), "same matter or a new one?");
    key(&mut app, KeyCode::Enter); // 同一事项再次来访
    assert_eq!(app.intake().focused().key, Key::Content, "on to the complaint: the matter is copied");
    assert!(!app.intake().value(Key::Category).is_empty() && !app.intake().value(Key::Title).is_empty());
    // The copied title is cleared and written anew below.
    tab_to(&mut app, Key::Title);
    ctrl(&mut app, 'u');
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "王秀兰");
    assert_eq!(app.intake().value(Key::Person(0, PersonField::IdNumber)), id);
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Phone)), phone, "own phone, not the relative's");
    fill_matter(&mut app, "安置房仍未交付");
    ctrl(&mut app, 's');
    assert!(!app.intake().message.as_ref().unwrap().1, "{:?}", app.intake().message);
    let s = app.store();
    assert_eq!(count(s, "SELECT count(*) FROM petitioners"), people_before, "updated, not duplicated");
    assert_eq!(text(s, "SELECT repeat_kind FROM cases WHERE id = (SELECT max(id) FROM cases)"), "repeat");
    assert_eq!(count(s, "SELECT linked_case_id FROM cases WHERE id = (SELECT max(id) FROM cases)"), link);
    assert_eq!(
        count(
            s,
            "SELECT count(*) FROM petitioner_phones ph JOIN petitioners p ON p.id = ph.petitioner_id WHERE p.name = '王秀兰' AND owner = 'relative'"
        ),
        1,
        "the relative's phone stays a relative's"
    );
}

#[test]
fn a_group_visit_with_five_representatives_and_thirty_people() {
    let (_d, mut app) = intake_app();
    tab_to(&mut app, Key::People);
    ctrl(&mut app, 'u');
    typ(&mut app, "30");
    key(&mut app, KeyCode::Tab);
    let note = app.intake().fields()[app.intake().index(Key::People).unwrap()].note.clone();
    assert_eq!(note.as_deref(), Some("集体访（30人），最多推选5名代表"));
    let names = ["欧阳春晓", "单玉珍", "曾国华", "解红", "仇永福"];
    tab_to(&mut app, Key::Person(0, PersonField::Name));
    typ(&mut app, names[0]);
    for (i, n) in names.iter().enumerate().skip(1) {
        ctrl(&mut app, 'n');
        assert_eq!(app.intake().focused().key, Key::Person(i, PersonField::Name));
        typ(&mut app, n);
    }
    ctrl(&mut app, 'n');
    assert_eq!(app.intake().rows, 5);
    assert!(app.intake().message.as_ref().unwrap().0.contains("最多推选5名代表"));
    fill_matter(&mut app, "集体反映物业问题");
    ctrl(&mut app, 's');
    assert!(!app.intake().message.as_ref().unwrap().1, "{:?}", app.intake().message);
    let s = app.store();
    let case = "(SELECT max(id) FROM cases)";
    assert_eq!(count(s, &format!("SELECT people_count FROM cases WHERE id = {case}")), 30);
    assert_eq!(count(s, &format!("SELECT is_group FROM cases WHERE id = {case}")), 1);
    assert_eq!(count(s, &format!("SELECT count(*) FROM case_petitioners WHERE case_id = {case}")), 5);
    assert_eq!(
        text(
            s,
            &format!(
                "SELECT p.name FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id WHERE cp.case_id = {case} AND cp.is_representative"
            )
        ),
        "欧阳春晓"
    );
}

#[test]
fn an_invalid_id_blocks_saving_until_the_clerk_gives_a_reason() {
    let (_d, mut app) = intake_app();
    let before = count(app.store(), "SELECT count(*) FROM cases");
    typ(&mut app, "贾代善");
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, "110101199003077777");
    key(&mut app, KeyCode::Tab);
    let err = app.intake().fields()[app.intake().index(Key::Person(0, PersonField::IdNumber)).unwrap()].error.clone();
    assert_eq!(err.as_deref(), Some("校验码错误：末位应为 4，现为 7"));
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::IdOverride), "the reason field appears next");
    fill_matter(&mut app, "证件号有误");
    ctrl(&mut app, 's');
    assert_eq!(count(app.store(), "SELECT count(*) FROM cases"), before, "nothing saved");
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::IdNumber), "the cursor is on the bad field");
    assert!(app.intake().message.as_ref().unwrap().0.contains("校验码错误"));
    tab_to(&mut app, Key::Person(0, PersonField::IdOverride));
    typ(&mut app, "身份证原件磨损，末位无法辨认");
    ctrl(&mut app, 's');
    assert_eq!(count(app.store(), "SELECT count(*) FROM cases"), before + 1);
    let s = app.store();
    assert_eq!(
        text(s, "SELECT id_override_reason FROM petitioners WHERE name = '贾代善'"),
        "身份证原件磨损，末位无法辨认"
    );
    assert_eq!(
        count(
            s,
            "SELECT count(*) FROM case_events WHERE action = '证件号异常登记' AND case_id = (SELECT max(id) FROM cases)"
        ),
        1
    );
}

#[test]
fn not_accepted_needs_its_statutory_reason_and_closes_the_case() {
    let (_d, mut app) = intake_app();
    typ(&mut app, "贾政");
    fill_matter(&mut app, "已终结事项再次反映");
    pick(&mut app, Key::Triage, "byl");
    assert_eq!(app.intake().value(Key::Triage), "不予受理");
    ctrl(&mut app, 's');
    assert!(app.intake().message.as_ref().unwrap().0.contains("不予受理须选择理由"));
    assert_eq!(app.intake().focused().key, Key::Reason);
    typ(&mut app, "终结");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    assert!(!app.intake().message.as_ref().unwrap().1, "{:?}", app.intake().message);
    let s = app.store();
    assert_eq!(text(s, "SELECT status FROM cases WHERE id = (SELECT max(id) FROM cases)"), "not_accepted");
    assert!(
        text(s, "SELECT note FROM case_events WHERE action = '拟办' AND case_id = (SELECT max(id) FROM cases)")
            .contains("终结")
    );
}

#[test]
fn a_draft_survives_the_app_being_dropped_and_is_offered_back() {
    let (dir, mut app) = intake_app();
    typ(&mut app, "林黛玉");
    tab_to(&mut app, Key::Content);
    paste(&mut app, "草稿中的反映内容，尚未保存。");
    key(&mut app, KeyCode::Tab); // leaving a field writes the draft
    let path = app.store().path().to_path_buf();
    // The window's process still runs (its lock held) while the app is gone.
    let (_, window) = xfdesk::store::windows::claim(&path, &session().desk).unwrap();
    drop(app); // a kill or a closed terminal: no save, no goodbye

    let other_desk = Session { desk: "2号窗口".into(), ..session() };
    let app2 = App::new(Store::open(&path).unwrap(), other_desk, Clock::Fixed(now())).unwrap();
    assert!(app2.confirm().is_none(), "a running window's draft is its own");
    drop(window);

    let mut app = App::new(Store::open(&path).unwrap(), session(), Clock::Fixed(now())).unwrap();
    assert_eq!(app.screen(), Screen::Intake);
    assert!(matches!(app.confirm(), Some(Dialog::Recover { .. })));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "林黛玉");
    assert_eq!(app.intake().value(Key::Content), "草稿中的反映内容，尚未保存。");
    drop(dir);
}

#[test]
fn quitting_or_leaving_with_unsaved_input_asks_first() {
    let (_d, mut app) = intake_app();
    typ(&mut app, "薛宝钗");
    ctrl(&mut app, 'c');
    assert!(!app.should_quit());
    assert_eq!(app.confirm(), Some(&Dialog::Leave { quit: true }));
    key(&mut app, KeyCode::Esc);
    assert!(app.confirm().is_none() && !app.should_quit());
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "薛宝钗", "nothing lost");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.confirm(), Some(&Dialog::Leave { quit: false }));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Home);
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "", "abandoned");
    assert_eq!(count(app.store(), "SELECT count(*) FROM intake_drafts"), 0);
    key(&mut app, KeyCode::Char('2'));
    typ(&mut app, "x");
    ctrl(&mut app, 'c');
    ctrl(&mut app, 'c');
    assert!(app.should_quit(), "Ctrl-C twice quits; the draft stays");
}

#[test]
fn intake_snapshots_with_long_chinese_text_and_the_cursor_on_chinese() {
    let (_d, mut app) = intake_app();
    typ(&mut app, "欧阳春晓");
    let mut t = render(&mut app, 120, 40);
    // Border 1 + label 12 + "欧阳春晓" 8 columns: the caret after the last glyph.
    t.backend_mut().assert_cursor_position((21, 11));
    tab_to(&mut app, Key::Content);
    paste(&mut app, &"小区物业擅自上调物业费，电梯长期故障，老人上下楼非常困难，多次反映无果。".repeat(6));
    insta::assert_snapshot!("intake_120x40", render(&mut app, 120, 40).backend());
    insta::assert_snapshot!("intake_80x24", render(&mut app, 80, 24).backend());
    tab_to(&mut app, Key::Person(0, PersonField::Name));
    let mut t = render(&mut app, 80, 24);
    let pos = t.get_cursor_position().unwrap();
    assert_eq!(pos.x, 1 + 12 + 8, "the caret sits after 欧阳春晓 in display columns at 80 columns too");
    t.backend_mut().assert_cursor_position(pos);
}

#[test]
fn the_picker_filters_by_pinyin_initials() {
    let (_d, mut app) = intake_app();
    tab_to(&mut app, Key::Category);
    typ(&mut app, "cj");
    let p = app.picker().unwrap();
    let shown: Vec<&str> = p.shown.iter().map(|i| p.options[*i].label.as_str()).collect();
    assert_eq!(shown[0], "城乡建设", "{shown:?}");
    assert!(shown.iter().all(|s| s.starts_with("城乡建设")), "{shown:?}");
    insta::assert_snapshot!("picker_80x24", render(&mut app, 80, 24).backend());
}

#[test]
fn triage_to_the_leader_puts_the_petitioner_in_todays_reception_queue() {
    let (_d, mut app) = intake_app();
    typ(&mut app, "贾宝玉");
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, &valid_id("41080319880808003"));
    fill_matter(&mut app, "要求见领导");
    pick(&mut app, Key::Triage, "ldjt");
    assert_eq!(app.intake().value(Key::Triage), "领导接谈");
    ctrl(&mut app, 's');
    let (msg, is_error) = app.intake().message.clone().unwrap();
    assert!(!is_error && msg.ends_with("已取号 A008（领导接谈）"), "{msg}");
    let s = app.store();
    let case = "(SELECT max(id) FROM cases)";
    assert_eq!(
        text(s, &format!("SELECT prefix || seq || status FROM queue_tickets WHERE case_id = {case}")),
        "A8waiting"
    );
    assert_eq!(
        count(
            s,
            &format!(
                "SELECT group_size - (SELECT people_count FROM cases WHERE id = {case}) FROM queue_tickets WHERE case_id = {case}"
            )
        ),
        0,
        "a group visit is one ticket with its head count"
    );
}

/// A visit time in the future would move the case number and every clock
/// into the future: the form refuses it at the field and on saving.
#[test]
fn a_visit_time_in_the_future_is_refused() {
    let (_d, mut app) = intake_app();
    let before = count(app.store(), "SELECT count(*) FROM cases");
    typ(&mut app, "甄宝玉");
    fill_matter(&mut app, "物业乱涨价");
    tab_to(&mut app, Key::VisitTime);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2026-11-29 09:00");
    key(&mut app, KeyCode::Tab);
    let i = app.intake().index(Key::VisitTime).unwrap();
    assert_eq!(app.intake().fields()[i].error.as_deref(), Some("来访时间不能晚于现在（2026-11-28 10:30）"));
    ctrl(&mut app, 's');
    assert_eq!(count(app.store(), "SELECT count(*) FROM cases"), before, "nothing saved");
    tab_to(&mut app, Key::VisitTime);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2026-11-28 09:00");
    ctrl(&mut app, 's');
    assert_eq!(count(app.store(), "SELECT count(*) FROM cases"), before + 1, "an earlier time today is fine");
}

/// 简易办理 at triage: offered for 转送/交办 only, refused with the rule for a
/// 联名 matter (nothing saved), saved with its 1-working-day clock otherwise.
#[test]
fn simple_handling_is_chosen_at_triage_and_its_clock_runs() {
    let (_d, mut app) = intake_app();
    typ(&mut app, "甄士隐");
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, &valid_id("41080319700101003"));
    fill_matter(&mut app, "路灯不亮");
    assert!(!app.intake().is_visible(Key::Simple), "hidden until the matter goes to a unit");
    pick(&mut app, Key::Triage, "zs");
    pick(&mut app, Key::Unit, "qzf");
    assert!(app.intake().is_visible(Key::Simple));
    tab_to(&mut app, Key::Flag(xfdesk::app::screens::intake::Flag::Joint));
    typ(&mut app, " ");
    tab_to(&mut app, Key::Simple);
    typ(&mut app, " ");
    let before = count(app.store(), "SELECT count(*) FROM cases");
    ctrl(&mut app, 's');
    let msg = app.intake().message.clone().unwrap();
    assert!(msg.1 && msg.0 == "简易办理：联名信访事项不适用简易办理", "{msg:?}");
    assert_eq!(count(app.store(), "SELECT count(*) FROM cases"), before, "nothing saved");

    tab_to(&mut app, Key::Flag(xfdesk::app::screens::intake::Flag::Joint));
    typ(&mut app, " ");
    ctrl(&mut app, 's');
    assert!(!app.intake().message.clone().unwrap().1, "{:?}", app.intake().message);
    let s = app.store();
    let case = "(SELECT max(id) FROM cases)";
    assert_eq!(text(s, &format!("SELECT procedure FROM cases WHERE id = {case}")), "simple");
    // Registered on Saturday 2026-11-28: one working day is Monday 11-30.
    assert_eq!(
        text(
            s,
            &format!("SELECT rule || ' ' || due_date FROM case_deadlines WHERE case_id = {case} AND met_at IS NULL")
        ),
        "simple-relay 2026-11-30"
    );
}

/// Ctrl-P after saving: the receipt with the 查询码 and the 登记表, issued
/// and written beside the database; before any save it says what to do.
#[test]
fn ctrl_p_after_saving_issues_the_receipt_and_the_registration_form() {
    let (dir, mut app) = intake_app();
    ctrl(&mut app, 'p');
    let said = app.intake().message.clone().unwrap();
    assert!(said.1 && said.0.contains("请先保存登记"), "{said:?}");
    typ(&mut app, "甄宝玉");
    tab_to(&mut app, Key::Person(0, PersonField::IdNumber));
    typ(&mut app, &valid_id("41080319900315002"));
    tab_to(&mut app, Key::Person(0, PersonField::Address));
    typ(&mut app, "朝阳路12号院");
    fill_matter(&mut app, "物业乱涨价");
    ctrl(&mut app, 's');
    let number = text(app.store(), "SELECT number FROM cases ORDER BY id DESC LIMIT 1");
    ctrl(&mut app, 'p');
    let said = app.intake().message.clone().unwrap();
    assert!(!said.1, "{said:?}");
    assert!(said.0.contains("中信回〔2026〕1号") && said.0.contains("中信登〔2026〕1号"), "{said:?}");
    for file in ["中信回〔2026〕1号.docx", "中信登〔2026〕1号.docx"] {
        assert!(dir.path().join("documents").join(file).is_file(), "{file}");
    }
    let rows = count(
        app.store(),
        &format!(
            "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE c.number = '{number}' AND e.event_kind = 'issue_document'"
        ),
    );
    assert_eq!(rows, 2);
    let code = text(
        app.store(),
        &format!("SELECT q.code FROM case_query_codes q JOIN cases c ON c.id = q.case_id WHERE c.number = '{number}'"),
    );
    let body = text(app.store(), "SELECT body FROM documents WHERE kind = 'receipt'");
    assert!(body.contains(&xfdesk::domain::query_code::printed(&code)), "the receipt prints the code: {body}");
}
