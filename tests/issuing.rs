//! Issuing at the desk: `P` in the case detail by keys, `xfdesk doc` on the
//! command line, and the 查询码 the receipt carries and the search box finds.

mod common;

use common::papers::*;
use common::*;
use xfdesk::store::Store;

#[test]
fn every_case_has_its_own_query_code_that_the_search_box_finds() {
    let (_d, mut store) = demo_store();
    let (cases, codes) = (
        count(&store, "SELECT count(*) FROM cases"),
        count(&store, "SELECT count(DISTINCT code) FROM case_query_codes"),
    );
    assert!(cases > 100);
    assert_eq!(codes, cases, "one code per case, none shared");
    let bad = count(&store, "SELECT count(*) FROM case_query_codes WHERE code GLOB '*[01OIL]*' OR length(code) <> 8");
    assert_eq!(bad, 0, "no 0/O, 1/I/L; eight characters");
    // A case registered at the desk gets one in the same transaction.
    let case = fresh_case(&mut store, 9);
    let code = xfdesk::store::query_codes::of_case(store.conn(), case).unwrap().expect("a code");
    // Read out by a caller: lower case, in two groups.
    let spoken = format!("{} {}", code[..4].to_lowercase(), &code[4..]);
    for query in [code.clone(), spoken] {
        let q = xfdesk::domain::query::parse(&query, false);
        let r = xfdesk::store::search::search(store.conn(), &q, 20).unwrap();
        let first = r.hits.first().expect("a hit");
        match first {
            xfdesk::store::search::Hit::Case(h) => {
                assert_eq!(h.id, case, "{query}");
                assert_eq!(h.matched, xfdesk::store::search::MatchKind::QueryCode);
            }
            other => panic!("{query}: {other:?}"),
        }
    }
}

#[test]
fn an_old_database_gets_a_code_for_each_case_on_upgrade() {
    let (_dir, db) = common::old_database(1, OLD_CASE_ROWS);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), xfdesk::store::migrations::LATEST);
    let code = xfdesk::store::query_codes::of_case(store.conn(), 1).unwrap().expect("backfilled");
    assert!(xfdesk::domain::query_code::normalize(&code).is_some(), "{code}");
    // The papers are guarded like the trail.
    assert!(xfdesk::store::guards::missing(store.conn()).unwrap().is_empty());
}

#[test]
fn p_in_the_case_detail_previews_issues_and_reprints_by_keys() {
    use crossterm::event::KeyCode;
    let (dir, mut app) = demo_app();
    let case = case_in(app.store(), "accepted");
    app.open_case(case);
    key(&mut app, KeyCode::Char('P'));
    let list = screen_text(&render(&mut app, 80, 24));
    assert!(list.contains("文书") && list.contains("可出具") && list.contains("受理告知书"), "{list}");
    assert!(!list.contains("不予受理告知书"), "only what the state allows: {list}");
    // The 登记表 prints the petitioner's own numbers; the screen shows them masked.
    key(&mut app, KeyCode::Enter);
    let id = first_id_number(app.store(), case);
    let form = screen_text(&render(&mut app, 120, 40));
    assert!(form.contains("来访登记表") && !form.contains(&id), "{form}");
    assert!(form.contains(&xfdesk::domain::mask::id_number(&id)), "{form}");
    key(&mut app, KeyCode::Esc);
    // 来访登记表, 登记回执, 受理告知书: the third.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let preview = screen_text(&render(&mut app, 80, 24));
    assert!(preview.contains("预览：受理告知书") && preview.contains("（出具时编号）"), "{preview}");
    assert!(preview.contains("依法受理"), "the rendered text, wrapped: {preview}");
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Enter);
    let file = dir.path().join("documents").join("中信受告〔2026〕1号.docx");
    assert!(file.is_file(), "the file is on disk");
    let detail = screen_text(&render(&mut app, 80, 24));
    assert!(detail.contains("已出具 受理告知书 中信受告〔2026〕1号"), "{detail}");
    let trail: String = app
        .store()
        .conn()
        .query_row("SELECT note FROM case_events WHERE case_id = ?1 AND event_kind = 'issue_document'", [case], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(trail, "受理告知书 中信受告〔2026〕1号（致信访人）", "the trail names no petitioner");
    // The issued paper is listed; Enter shows it as issued and reprints it.
    std::fs::remove_file(&file).unwrap();
    key(&mut app, KeyCode::Char('P'));
    let list = screen_text(&render(&mut app, 120, 40));
    assert!(list.contains("已出具") && list.contains("中信受告〔2026〕1号"), "{list}");
    for _ in 0..10 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let shown = screen_text(&render(&mut app, 120, 40));
    assert!(shown.contains("已出具：中信受告〔2026〕1号") && !shown.contains("（出具时编号）"), "{shown}");
    key(&mut app, KeyCode::Enter);
    assert!(file.is_file(), "reprinted");
    let detail = screen_text(&render(&mut app, 120, 40));
    assert!(detail.contains("已重印 中信受告〔2026〕1号"), "{detail}");
    assert_eq!(count(app.store(), "SELECT count(*) FROM documents"), 1, "a reprint is not a new paper");
}

#[test]
fn xfdesk_doc_issues_lists_shows_and_reprints_on_the_command_line() {
    use chrono::Datelike;
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    demo_db(&db);
    let (accepted, registered) = {
        let store = Store::open(&db).unwrap();
        let number = |status: &str| -> String {
            store
                .conn()
                .query_row("SELECT number FROM cases WHERE status = ?1 ORDER BY id LIMIT 1", [status], |r| r.get(0))
                .unwrap()
        };
        (number("accepted"), number("registered"))
    };
    let year = chrono::Local::now().year();
    let out = xfdesk_as(home.path(), &db, &["doc", "issue", &accepted, "accept_notice"]);
    assert!(out.status.success(), "{}", err_text(&out));
    let number = format!("中信受告〔{year}〕1号");
    assert!(err_text(&out).contains(&format!("已出具 受理告知书 {number}")), "{}", err_text(&out));
    assert!(home.path().join("documents").join(format!("{number}.docx")).is_file());
    // By its Chinese name too; a preview writes nothing.
    let out = xfdesk_as(home.path(), &db, &["doc", "issue", &accepted, "登记回执", "--preview"]);
    assert!(out.status.success() && out_text(&out).contains("（出具时编号）"), "{}", err_text(&out));
    let out = xfdesk_as(home.path(), &db, &["doc", "list", &accepted]);
    assert!(out_text(&out).contains(&number) && !out_text(&out).contains("中信回"), "{}", out_text(&out));
    let out = xfdesk_as(home.path(), &db, &["doc", "show", &number]);
    let shown = out_text(&out);
    assert!(shown.contains("受理告知书") && shown.contains("SHA-256"), "{shown}");
    // Refused with the state, exit 1; an unknown kind names the kinds there are.
    let out = xfdesk_as(home.path(), &db, &["doc", "issue", &registered, "accept_notice"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("尚未受理，不能出具受理告知书"), "{}", err_text(&out));
    let out = xfdesk_as(home.path(), &db, &["doc", "issue", &accepted, "告知书\u{1b}[31m"]);
    assert!(
        err_text(&out).contains("没有「告知书」这种文书") && err_text(&out).contains("receipt（登记回执）"),
        "{}",
        err_text(&out)
    );
    // --pdf without LibreOffice: the DOCX alone, and how to get a PDF.
    let empty = tempfile::tempdir().unwrap();
    let mut args = tester(home.path(), &db);
    args.extend([
        "--db".into(),
        db.display().to_string(),
        "doc".into(),
        "reprint".into(),
        number.clone(),
        "--pdf".into(),
    ]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(&args)
        .env("HOME", home.path())
        .env("PATH", empty.path())
        .env_remove("XFDESK_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(err_text(&out).contains("已重印") && err_text(&out).contains("未找到 LibreOffice"), "{}", err_text(&out));
}

/// On 督促, a case whose calls keep failing is proposed for 书面督办: `P`
/// offers its 督办通知书, and Enter twice issues it to the unit.
#[test]
fn the_reminder_ladder_offers_the_supervision_notice_by_keys() {
    use crossterm::event::KeyCode;
    let (dir, mut app) = demo_app();
    let case = case_in(app.store(), "forwarded");
    let unit: String =
        app.store().conn().query_row("SELECT unit FROM assignments WHERE case_id = ?1", [case], |r| r.get(0)).unwrap();
    failed_calls(app.store_mut(), case, &unit);
    key(&mut app, KeyCode::Char('5'));
    let at = app.reminders().due.iter().position(|d| d.case_id == case).expect("the case is due a call");
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.reminders().due[app.reminders().selected].case_id, case);
    key(&mut app, KeyCode::Char('P'));
    let list = screen_text(&render(&mut app, 120, 40));
    assert!(list.contains("督办通知书"), "{list}");
    let row = list.lines().filter(|l| l.contains("可出具")).position(|l| l.contains("督办通知书")).unwrap();
    for _ in 0..row {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let file = dir.path().join("documents").join("中信督〔2026〕1号.docx");
    assert!(file.is_file(), "{}", screen_text(&render(&mut app, 120, 40)));
    let text = docx_text(&file);
    assert!(text.contains(&unit) && text.contains("连续3次未能接通"), "{text}");
}

/// A very long complaint scrolls to its end in the preview: the signature
/// and date under it are reached.
#[test]
fn a_long_complaint_scrolls_to_the_end_of_the_preview() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = demo_app();
    let mut reg = registration(petitioner("周长文", &valid_id("41080319700101123")), "长篇反映");
    reg.case.content = "我家位于朝阳路北侧棚户区，安置房至今未交付，过渡费停发。".repeat(150);
    let case = xfdesk::store::cases::register(app.store_mut(), &reg).unwrap().case_id;
    app.open_case(case);
    key(&mut app, KeyCode::Char('P'));
    key(&mut app, KeyCode::Enter);
    let first = screen_text(&render(&mut app, 80, 24));
    assert!(first.contains("来访登记表") && !first.contains("信访人（签名）"), "{first}");
    for _ in 0..40 {
        key(&mut app, KeyCode::PageDown);
    }
    let last = screen_text(&render(&mut app, 80, 24));
    assert!(last.contains("信访人（签名）") && last.contains("中站区信访局"), "the end is reached:\n{last}");
}
