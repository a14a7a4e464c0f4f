//! 事项详情 and 工作台 driven by keys on a real SQLite file.

mod common;

use common::*;
use crossterm::event::KeyCode;
use xfdesk::app::{App, HomeRow};
use xfdesk::domain::CaseStatus;
use xfdesk::store::{cases, deadlines};

fn status(app: &App, id: i64) -> CaseStatus {
    cases::get(app.store().conn(), id).unwrap().unwrap().status
}

/// 交办 → 受理 → 延期 → 答复 → 复查 → 复查意见, each by its key and form.
#[test]
fn a_case_moves_through_its_lifecycle_by_keys() {
    let (_d, mut app) = demo_app();
    let id = cases::register(
        app.store_mut(),
        &registration(petitioner("贾宝玉", &valid_id("41080319900101009")), "大观园拆迁"),
    )
    .unwrap()
    .case_id;
    app.open_case(id);
    assert!(app.detail().is_some());
    assert!(
        app.hints().contains(&("j", "交办")) && !app.hints().contains(&("f", "答复")),
        "the bar lists valid actions only"
    );

    key(&mut app, KeyCode::Char('f'));
    let refusal = app.detail().unwrap().message.clone().unwrap();
    assert_eq!(refusal, ("事项状态为「已登记」，不能答复".to_string(), true));

    key(&mut app, KeyCode::Char('j'));
    typ(&mut app, "qzf"); // filter the unit by pinyin initials: 区住房和城乡建设局
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, id), CaseStatus::Assigned);
    assert_eq!(xfdesk::store::lifecycle::assignments(app.store().conn(), id).unwrap()[0].unit, "区住房和城乡建设局");

    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, id), CaseStatus::Accepted);

    // 延期 (双人复核): the approver signs with their own password; the requester cannot.
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Enter);
    let sign = |app: &mut App, login: &str, password: &str| {
        typ(app, login);
        key(app, KeyCode::Tab);
        typ(app, password);
        key(app, KeyCode::Enter);
    };
    let approval_error = |app: &App| app.approval().and_then(|f| f.form.error.clone());
    sign(&mut app, "zhoumin", "whatever-pw");
    assert_eq!(approval_error(&app).as_deref(), Some("批准人须是申请人以外、有审批权限的另一人"));
    key(&mut app, KeyCode::BackTab);
    for _ in 0.."zhoumin".len() {
        key(&mut app, KeyCode::Backspace);
    }
    sign(&mut app, "jiedai", "jiedai-2026");
    assert_eq!(approval_error(&app).as_deref(), Some("没有权限：批准延期（请由有此权限的人员办理）"), "a 接待员");
    key(&mut app, KeyCode::BackTab);
    for _ in 0.."jiedai".len() {
        key(&mut app, KeyCode::Backspace);
    }
    sign(&mut app, "shenpi", "wrong-password");
    assert_eq!(approval_error(&app).as_deref(), Some("用户名或密码错误"));
    assert_eq!(status(&app, id), CaseStatus::Accepted, "nothing recorded yet");
    typ(&mut app, "shenpi-2026");
    key(&mut app, KeyCode::Enter);
    assert!(app.approval().is_none() && app.case_action().is_none(), "both forms close");
    assert_eq!(status(&app, id), CaseStatus::Extended);

    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Right); // 解释说明
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, id), CaseStatus::Replied);

    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, id), CaseStatus::UnderReview);

    key(&mut app, KeyCode::Char('o'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, id), CaseStatus::ReviewReplied);

    let trail: Vec<(String, String)> =
        cases::events(app.store().conn(), id).unwrap().into_iter().map(|e| (e.action, e.note)).collect();
    let actions: Vec<&str> = trail.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["登记", "交办", "受理", "办理", "延期", "答复", "申请复查", "复查意见"]);
    assert!(trail[4].1.contains("延期30日，批准人刘建华#3"), "both accounts: {:?}", trail[4]);
    assert!(trail[5].1.contains("解释说明"));
    let clocks = deadlines::of_case(app.store().conn(), id).unwrap();
    assert_eq!(clocks.iter().filter(|c| c.met_at.is_none()).count(), 1);
    assert_eq!(clocks.last().unwrap().rule.label(), "申请复核");
    // The pane shows the new state at once.
    assert_eq!(app.detail().unwrap().dossier.case.status, CaseStatus::ReviewReplied);
    key(&mut app, KeyCode::Esc);
    assert!(app.detail().is_none());
}

#[test]
fn restricted_content_is_shown_only_after_a_recorded_reveal() {
    let (_d, mut app) = demo_app();
    let (id, content): (i64, String) = app
        .store()
        .conn()
        .query_row("SELECT id, content FROM cases WHERE class = 'accusation' ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let words: String = content.chars().take(6).collect();
    app.open_case(id);
    let screen = format!("{}", render(&mut app, 120, 40).backend());
    assert!(screen.contains("检举控告或保密件") && !screen.contains(&words), "content hidden");
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Enter);
    assert!(app.reveal().is_some(), "a reason is required");
    typ(&mut app, "纪检监察室来函核查");
    key(&mut app, KeyCode::Enter);
    let screen = format!("{}", render(&mut app, 120, 40).backend());
    assert!(screen.contains(&words), "content shown after the reveal:\n{screen}");
    let note: String = app
        .store()
        .conn()
        .query_row(
            "SELECT actor || '|' || note FROM case_events WHERE case_id = ?1 AND action = '查看保密内容'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, "周敏#9999|纪检监察室来函核查");
}

#[test]
fn home_worklists_open_cases_with_enter() {
    let (_d, mut app) = demo_app();
    let HomeRow::Header(first) = &app.home().rows[0] else { panic!("a group title first") };
    assert!(first.starts_with("已超期（") && first.contains("办结"), "{first}");
    let selected = app.home().rows[app.home().selected].case_id().unwrap();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.detail().map(|d| d.case_id), Some(selected));
    let overdue =
        app.detail().unwrap().dossier.deadlines.iter().any(|(d, _)| d.met_at.is_none() && d.due < now().date());
    assert!(overdue, "the first row of 工作台 is an overdue case");
}

#[test]
fn detail_snapshots_80x24_and_120x40() {
    let (_d, mut app) = demo_app();
    let id: i64 = app
        .store()
        .conn()
        .query_row("SELECT id FROM cases WHERE status = 'extended' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    // Query codes are random: the snapshot shows a fixed one.
    app.store().conn().execute("UPDATE case_query_codes SET code = 'DEMO2345' WHERE case_id = ?1", [id]).unwrap();
    app.open_case(id);
    insta::assert_snapshot!("detail_120x40", render(&mut app, 120, 40).backend());
    insta::assert_snapshot!("detail_80x24", render(&mut app, 80, 24).backend());
    key(&mut app, KeyCode::Char('f'));
    insta::assert_snapshot!("detail_reply_form_80x24", render(&mut app, 80, 24).backend());
}

#[test]
fn identity_is_revealed_one_petitioner_at_a_time_with_a_recorded_reason() {
    let (_d, mut app) = demo_app();
    let id: i64 = app
        .store()
        .conn()
        .query_row("SELECT case_id FROM case_petitioners GROUP BY case_id HAVING count(*) = 5 LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    app.open_case(id);
    let id_of = |seq: i64| -> String {
        app.store()
            .conn()
            .query_row(
                "SELECT p.id_number FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                 WHERE cp.case_id = ?1 AND cp.seq = ?2",
                [id, seq],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (full, second) = (id_of(1), id_of(2));
    assert!(!format!("{}", render(&mut app, 120, 40).backend()).contains(&full), "masked at first");
    key(&mut app, KeyCode::Char('m'));
    typ(&mut app, "核对代表身份");
    key(&mut app, KeyCode::Enter);
    let screen = format!("{}", render(&mut app, 120, 40).backend());
    assert!(screen.contains(&full), "the first petitioner's number is shown");
    assert!(!screen.contains(&second), "the others stay masked");
    let notes: Vec<String> = app
        .store()
        .conn()
        .prepare("SELECT note FROM case_events WHERE case_id = ?1 AND action = '查看完整证件号码和电话'")
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].ends_with("：核对代表身份") && notes[0].contains('*'), "{notes:?}");
}

/// A case and a profile are read on a worker: until they are in, the status
/// bar says what is being opened and the keys stay with the list beneath.
#[test]
fn cases_and_profiles_open_from_a_worker_without_taking_the_keyboard() {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let (_d, mut app) = demo_app();
    let selected = app.home().rows[app.home().selected].case_id().unwrap();
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(app.detail().is_none(), "nothing is pushed before the worker answers");
    assert_eq!(app.opening(), Some("正在打开事项"));
    assert!(app.is_loading(), "the event loop wakes for the answer");
    let bar = render_without_waiting(&mut app);
    assert!(bar.contains("正在打开事项..."), "{bar}");
    app.finish_loads();
    assert_eq!(app.detail().map(|d| d.case_id), Some(selected));
    assert_eq!(app.opening(), None);

    // A profile from the search results, the same way.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(4));
    let name: String =
        app.store().conn().query_row("SELECT name FROM petitioners ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    typ(&mut app, &name);
    let person = app.search().results.hits.iter().position(|h| matches!(h, xfdesk::store::search::Hit::Petitioner(_)));
    for _ in 0..person.expect("a petitioner hit for the name") {
        key(&mut app, KeyCode::Down);
    }
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(app.profile().is_none());
    assert_eq!(app.opening(), Some("正在打开信访人档案"));
    app.finish_loads();
    assert!(app.profile().is_some());
}

/// The screen as drawn now, with no worker waited for.
fn render_without_waiting(app: &mut App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).unwrap();
    t.draw(|f| xfdesk::ui::draw(f, app, &xfdesk::ui::Theme::new(true))).unwrap();
    screen_text(&t)
}
