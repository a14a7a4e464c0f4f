//! Search on a seeded database: every query kind, ranking, polyphonic
//! surnames, 1-4 character Chinese, short tails, special characters, the
//! restricted cases, filters, the screen and the JSON output.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use xfdesk::app::{Action, App, Screen};
use xfdesk::domain::CaseClass;
use xfdesk::domain::query::parse;
use xfdesk::store::search::{Hit, MatchKind, Results, search};
use xfdesk::store::{Store, cases};
use xfdesk::ui::{self, Theme};

fn find(store: &Store, q: &str) -> Results {
    search(store.conn(), &parse(q, false), 50).unwrap()
}

fn people(r: &Results) -> Vec<String> {
    r.hits
        .iter()
        .filter_map(|h| match h {
            Hit::Petitioner(p) => Some(p.name.clone()),
            _ => None,
        })
        .collect()
}

fn case_numbers(r: &Results) -> Vec<String> {
    r.hits
        .iter()
        .filter_map(|h| match h {
            Hit::Case(c) => Some(c.number.clone()),
            _ => None,
        })
        .collect()
}

fn value(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The demo desk plus three cases whose words the tests know.
fn seeded() -> (tempfile::TempDir, Store, [String; 3]) {
    let (dir, mut store) = demo_store();
    let mut numbers = Vec::new();
    for (name, first17, title, content) in [
        ("甄士隐", "41080319600101001", "葫芦庙火灾", "甄家被葫芦庙大火殃及，房屋烧毁。"),
        ("贾雨村", "41080319600101003", "拆迁补偿", "拆迁补偿款迟迟未到位，50%_\"'\\ 的款项被扣。"),
        ("林如海", "41080319600101005", "盐课", "鹾政问题反映，盐课亏空。"),
    ] {
        let mut reg = registration(petitioner(name, &valid_id(first17)), title);
        reg.case.content = content.into();
        numbers.push(cases::register(&mut store, &reg).unwrap().number);
    }
    (dir, store, numbers.try_into().unwrap())
}

#[test]
fn exact_id_and_legacy_id_find_the_person_first() {
    let (_d, store, _) = seeded();
    let id = value(&store, "SELECT id_number FROM petitioners WHERE name = '王秀兰'");
    let r = find(&store, &id.to_lowercase());
    assert_eq!(people(&r), vec!["王秀兰"]);
    assert_eq!(r.hits[0].matched(), MatchKind::IdExact);
    // A legacy 15-digit number of an 18-digit ID born in the 1900s.
    let legacy = format!("{}{}", &id[..6], &id[8..17]);
    assert_eq!(people(&find(&store, &legacy))[0], "王秀兰");
}

#[test]
fn id_and_phone_tails() {
    let (_d, store, _) = seeded();
    let id = value(&store, "SELECT id_number FROM petitioners WHERE name = '陈桂英'");
    let r = find(&store, &id[12..]);
    assert!(people(&r).contains(&"陈桂英".to_string()));
    assert!(
        r.hits.iter().all(|h| matches!(h, Hit::Petitioner(p) if p.id_number.as_deref().unwrap().ends_with(&id[12..])
        || p.matched == MatchKind::PhoneTail))
    );
    let phone = value(
        &store,
        "SELECT number FROM petitioner_phones p JOIN petitioners x ON x.id = p.petitioner_id WHERE x.name = '张建国' AND owner = 'own'",
    );
    assert_eq!(people(&find(&store, &phone))[0], "张建国");
    assert_eq!(find(&store, &phone).hits[0].matched(), MatchKind::PhoneExact);
    assert!(people(&find(&store, &phone[7..])).contains(&"张建国".to_string()));
}

#[test]
fn tails_shorter_than_four_are_refused_without_a_scan() {
    let (_d, store, _) = seeded();
    let r = find(&store, "002");
    assert!(r.hits.is_empty());
    assert_eq!(r.notice.as_deref(), Some("证件号或电话尾号至少输入4位"));
}

#[test]
fn case_number_and_external_reference() {
    let (_d, store, numbers) = seeded();
    let r = find(&store, &numbers[1]);
    assert_eq!(case_numbers(&r), vec![numbers[1].clone()]);
    assert_eq!(r.hits[0].matched(), MatchKind::CaseNumber);
    let ext = value(&store, "SELECT number FROM case_external_refs LIMIT 1");
    let r = find(&store, &ext);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].matched(), MatchKind::ExternalRef);
}

#[test]
fn names_exact_then_prefix_and_pinyin() {
    let (_d, store, _) = seeded();
    let r = find(&store, "王秀兰");
    assert_eq!(r.hits[0].matched(), MatchKind::NameExact);
    let r = find(&store, "王");
    assert!(people(&r).contains(&"王秀兰".to_string()));
    assert!(r.hits.iter().any(|h| h.matched() == MatchKind::NamePrefix));
    assert_eq!(people(&find(&store, "wxl")), vec!["王秀兰"]);
    assert_eq!(people(&find(&store, "wangxiulan")), vec!["王秀兰"]);
    assert!(people(&find(&store, "WX")).contains(&"王秀兰".to_string()));
}

#[test]
fn polyphonic_and_compound_surnames_by_their_surname_reading() {
    let (_d, store, _) = seeded();
    for (q, name) in [
        ("syz", "单玉珍"),
        ("shanyuzhen", "单玉珍"),
        ("zxw", "曾宪文"),
        ("xhm", "解红梅"),
        ("xiehongmei", "解红梅"),
        ("qyf", "仇永福"),
        ("ozm", "区志明"),
        ("ouzhiming", "区志明"),
        ("oym", "欧阳明"),
    ] {
        assert!(people(&find(&store, q)).contains(&name.to_string()), "{q} should find {name}");
    }
    assert!(!people(&find(&store, "dyz")).contains(&"单玉珍".to_string()), "单 as a surname is shàn");
}

#[test]
fn chinese_text_of_one_to_four_characters() {
    let (_d, store, numbers) = seeded();
    assert!(case_numbers(&find(&store, "甄")).contains(&numbers[0]), "1 character");
    assert!(case_numbers(&find(&store, "拆迁")).contains(&numbers[1]), "2 characters");
    assert!(case_numbers(&find(&store, "葫芦庙")).contains(&numbers[0]), "3 characters");
    assert!(case_numbers(&find(&store, "盐课亏空")).contains(&numbers[2]), "4 characters");
    // The last character of a run is findable alone too.
    assert!(case_numbers(&find(&store, "毁")).contains(&numbers[0]));
    // Bigrams present but not adjacent are not a match.
    assert!(!case_numbers(&find(&store, "庙火烧")).contains(&numbers[0]));
    // Newest first.
    let r = find(&store, "物业");
    let dates: Vec<_> =
        r.hits.iter().filter_map(|h| if let Hit::Case(c) = h { Some(c.registered_at) } else { None }).collect();
    assert!(dates.len() > 3 && dates.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn text_hits_show_an_excerpt_with_the_words() {
    let (_d, store, numbers) = seeded();
    let r = find(&store, "殃及");
    let Hit::Case(c) = &r.hits[0] else { panic!("a case") };
    assert_eq!(c.number, numbers[0]);
    assert!(c.summary.starts_with("葫芦庙火灾：") && c.summary.contains("殃及"), "{}", c.summary);
}

#[test]
fn special_characters_are_searched_literally() {
    let (_d, store, numbers) = seeded();
    assert_eq!(case_numbers(&find(&store, "50%_\"'\\")), vec![numbers[1].clone()]);
    for q in ["%", "_", "'", "\"", "\\", "😀", "\u{1b}[2J", "\u{0}", "') OR 1=1 --", "a\"b", "张*", "NEAR(张 三)"]
    {
        let r = find(&store, q);
        assert!(r.hits.len() <= 50, "{q:?}");
    }
    assert!(find(&store, "%").hits.is_empty(), "% is not a wildcard");
}

#[test]
fn no_results() {
    let (_d, store, _) = seeded();
    let r = find(&store, "这个词语绝不会出现");
    assert!(r.hits.is_empty() && !r.capped);
}

#[test]
fn accusations_and_confidential_cases_never_match_by_their_content() {
    let (_d, store, _) = seeded();
    assert!(find(&store, "虚报工程量").hits.is_empty());
    let r = find(&store, "状态:已转送");
    let restricted: Vec<_> = r
        .hits
        .iter()
        .filter_map(|h| match h {
            Hit::Case(c) if c.restricted => Some(c.summary.clone()),
            _ => None,
        })
        .collect();
    assert!(!restricted.is_empty() && restricted.iter().all(|s| s == "（内容保密）"), "{restricted:?}");
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM cases WHERE class = ?1", [CaseClass::Accusation.code()], |r| r.get(0))
        .unwrap();
    assert!(n > 0);
}

#[test]
fn empty_query_lists_the_newest_cases_and_filters_narrow_them() {
    let (_d, store, numbers) = seeded();
    let r = find(&store, "");
    assert_eq!(r.hits.len(), 50);
    assert!(r.capped);
    assert_eq!(case_numbers(&r)[0], numbers[2]);
    let r = find(&store, "状态:办理中");
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| matches!(h, Hit::Case(c) if c.status.label() == "办理中")));
    let r = search(store.conn(), &parse("", true), 50).unwrap();
    assert!(r.hits.iter().all(|h| matches!(h, Hit::Case(c) if c.status.is_open())));
    let r = find(&store, "街道:朝阳 物业");
    assert!(!r.hits.is_empty());
    let streets: i64 = store
        .conn()
        .query_row(
            "SELECT count(DISTINCT problem_street_code) FROM cases WHERE number IN (SELECT value FROM json_each(?1))",
            [serde_json::to_string(&case_numbers(&r)).unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(streets, 1);
    let r = find(&store, "分类:物业 从:2026-11-01 到:2026-11-30");
    assert!(
        r.hits.iter().all(|h| matches!(h, Hit::Case(c) if c.registered_at.format("%Y-%m").to_string() == "2026-11"))
    );
    assert!(!r.hits.is_empty());
}

#[test]
fn ranking_puts_exact_matches_before_names_before_text() {
    let (_d, mut store, _) = seeded();
    // A case whose complaint mentions a petitioner's name.
    let mut reg = registration(petitioner("路人", &valid_id("41080319700101007")), "代人反映");
    reg.case.content = "替邻居王秀兰反映安置问题。".into();
    cases::register(&mut store, &reg).unwrap();
    let kinds: Vec<MatchKind> = find(&store, "王秀兰").hits.iter().map(Hit::matched).collect();
    assert_eq!(kinds.first(), Some(&MatchKind::NameExact));
    assert_eq!(kinds.last(), Some(&MatchKind::Text));
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn typing_coalesces_into_one_query_and_enter_opens_the_profile() {
    let (_d, mut app) = demo_app();
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(app.screen(), Screen::Search);
    type_text(&mut app, "q1?wxl");
    assert!(app.search().dirty, "keys only mark the query");
    assert_eq!(app.screen(), Screen::Search, "digits and letters type, they do not switch screens");
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "wxl");
    app.settle();
    assert!(!app.search().dirty);
    assert_eq!(app.search().input.value(), "q1wxl");
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "wxl");
    app.settle();
    assert_eq!(people(&app.search().results), vec!["王秀兰"]);
    key(&mut app, KeyCode::Enter);
    app.finish_loads(); // the profile is read on a worker
    let Some(p) = app.profile() else { panic!("profile open") };
    let p_second_case = |app: &App| match app.profile() {
        Some(p) => p.cases[1].0.id,
        None => panic!("profile closed"),
    };
    assert_eq!(p.petitioner.name, "王秀兰");
    assert!(p.cases.len() >= 8, "every case of a returning petitioner");
    assert!(p.petitioner.phones.iter().any(|ph| ph.owner.label() == "亲属"));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    app.finish_loads();
    assert_eq!(app.detail().map(|d| d.case_id), Some(p_second_case(&app)), "Enter opens the case's detail pane");
    key(&mut app, KeyCode::Esc);
    assert!(app.detail().is_none());
    key(&mut app, KeyCode::Esc);
    assert!(app.profile().is_none());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.search().input.value(), "", "Esc clears the query");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Home, "Esc on an empty query leaves");
}

#[test]
fn paste_goes_into_the_box_whole() {
    let (_d, mut app) = demo_app();
    app.update(Action::GoTo(Screen::Search));
    app.handle_event(&Event::Paste("王秀兰\nq".into()));
    assert_eq!(app.search().input.value(), "王秀兰 q");
    assert!(!app.should_quit());
}

fn screen(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.settle();
    app.finish_loads();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::draw(f, app, &Theme::new(true))).unwrap();
    t
}

#[test]
fn search_screen_80x24_and_120x40() {
    let (_d, mut app) = demo_app();
    app.update(Action::GoTo(Screen::Search));
    type_text(&mut app, "安置");
    let mut t = screen(&mut app, 80, 24);
    insta::assert_snapshot!("search_80x24", t.backend());
    // The real cursor sits after "安置" in display columns: border 1 + "查询：" 6 + 4.
    t.backend_mut().assert_cursor_position((11, 2));
    app.search_mut().clear();
    type_text(&mut app, "王");
    let t = screen(&mut app, 120, 40);
    insta::assert_snapshot!("search_120x40", t.backend());
}

#[test]
fn profile_popup_snapshot() {
    let (_d, mut app) = demo_app();
    app.update(Action::GoTo(Screen::Search));
    type_text(&mut app, "chengui");
    app.settle();
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("profile_80x24", screen(&mut app, 80, 24).backend());
}

#[test]
fn cli_json_output_is_masked() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(tester(home.path(), &db))
        .args(["--demo", "--db", db.to_str().unwrap(), "search", "王秀兰", "--json"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["petitioners"][0];
    assert_eq!(p["name"], "王*兰");
    assert!(p["id_number"].as_str().unwrap().contains("********"));
    assert!(p["phone"].as_str().unwrap().contains("****"));
    assert!(p["case_count"].as_i64().unwrap() >= 8);
    assert!(v["cases"].as_array().unwrap().is_empty());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(tester(home.path(), &db))
        .args(["--demo", "--db", db.to_str().unwrap(), "search", "安置", "--json", "--limit", "2"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cases"].as_array().unwrap().len(), 2);
    assert_eq!(v["capped"], true);
    assert!(v["cases"][0]["number"].as_str().unwrap().starts_with("410803"));
}

/// The earliest open clock of a case, counted afresh (no index named).
fn earliest_open(store: &Store, case: i64) -> Option<(String, String)> {
    store
        .conn()
        .query_row(
            "SELECT due_date, rule FROM case_deadlines WHERE case_id = ?1 AND met_at IS NULL
             ORDER BY due_date, rule LIMIT 1",
            [case],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()
}

/// Every case a search lists shows the clock running on it — the earliest
/// open one where a case runs two — and none on a case with none open; the
/// profile's clocks (read in full) are the same ones.
#[test]
fn every_listed_case_shows_its_earliest_open_clock() {
    let (_dir, mut store) = temp_store();
    generate(&mut store, 300, 2_000, 5, 500);
    let newest = find(&store, "");
    let first = newest.hits.iter().find_map(|h| match h {
        Hit::Case(c) if c.next_deadline.is_some() => Some(c.id),
        _ => None,
    });
    let first = first.expect("a listed case runs a clock");
    // A second open clock due a day before the running one.
    store
        .conn()
        .execute(
            "INSERT INTO case_deadlines (case_id, rule, base_date, due_date, started_at)
             SELECT case_id, 'relay', base_date, date(due_date, '-1 day'), started_at FROM case_deadlines
             WHERE case_id = ?1 AND met_at IS NULL",
            [first],
        )
        .unwrap();
    let mut shown = 0;
    for q in ["", "物业", "拆迁", "状态:办理中"] {
        let r = find(&store, q);
        let cases: Vec<_> = r
            .hits
            .iter()
            .filter_map(|h| match h {
                Hit::Case(c) => Some(c),
                _ => None,
            })
            .collect();
        assert!(!cases.is_empty(), "{q}");
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let full = xfdesk::store::deadlines::running_of(store.conn(), &ids).unwrap();
        for c in cases {
            let listed = c.next_deadline.as_ref().map(|d| (d.due.to_string(), d.rule.code().to_string()));
            assert_eq!(listed, earliest_open(&store, c.id), "{q}: case {}", c.number);
            let profiled = full.get(&c.id).map(|d| (d.due.to_string(), d.rule.code().to_string()));
            assert_eq!(profiled, listed, "{q}: the profile's clock of case {}", c.number);
            shown += usize::from(listed.is_some());
        }
    }
    assert!(shown > 20, "clocks were listed ({shown})");
    let r = find(&store, "");
    let moved = r.hits.iter().find_map(|h| match h {
        Hit::Case(c) if c.id == first => c.next_deadline.as_ref(),
        _ => None,
    });
    assert_eq!(moved.map(|d| d.rule.code()), Some("relay"), "the earlier of two open clocks is shown");
}

/// A version-24 file gets the search's two indexes from migration 25, and a
/// record merged before the upgrade is still found as the one kept.
#[test]
fn a_version_24_database_gets_the_search_indexes() {
    let rows = "PRAGMA foreign_keys = OFF; -- the reference lists are seeded by the first open
        INSERT INTO petitioners (id, name, name_pinyin, name_initials, created_at, updated_at)
            VALUES (1, '留存人', 'liucunren', 'lcr', '2026-11-20 09:00:00', '2026-11-20 09:00:00');
        INSERT INTO petitioners (id, name, name_pinyin, name_initials, created_at, updated_at, merged_into)
            VALUES (2, '合并者', 'hebingzhe', 'hbz', '2026-11-20 09:00:00', '2026-11-20 09:00:00', 1);";
    let (_dir, db) = old_database(24, rows);
    let store = Store::open(&db).unwrap();
    let names = index_names(store.conn());
    for index in ["case_deadlines_running", "petitioners_merged"] {
        assert!(names.contains(&index.to_string()), "{index} in {names:?}");
    }
    let r = find(&store, "hbz");
    assert_eq!(people(&r), vec!["留存人"], "the merged record stands for the kept one");
    assert_eq!(people(&find(&store, "lcr")), vec!["留存人"]);
}

/// A probe is compiled once: binding the next value typed to a range the
/// statistics could estimate must not compile the statement again (SQLite
/// does, unless the connection keeps its plans stable) — on the desk's
/// connection and on a worker's read-only one.
#[test]
fn a_probe_is_not_compiled_again_for_each_value_typed() {
    use rusqlite::StatementStatus;
    let (_dir, mut store) = temp_store();
    generate(&mut store, 300, 1_000, 1, 500);
    let reader = store.reader_source().open().unwrap();
    for conn in [store.conn(), &reader] {
        let samples: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_stat4 WHERE idx = 'petitioners_initials'", [], |r| r.get(0))
            .unwrap();
        assert!(samples > 0, "the load leaves the per-value statistics a plan could follow");
        let sql = "SELECT id FROM petitioners WHERE name_initials >= ?1 AND name_initials < ?2 LIMIT 50";
        let mut stmt = conn.prepare(sql).unwrap();
        let mut found = 0;
        for (from, to) in [("w", "w{"), ("z", "z{"), ("l", "l{")] {
            found += stmt.query_map([from, to], |r| r.get::<_, i64>(0)).unwrap().count();
        }
        assert!(found > 0);
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "compiled again for a new value");
    }
}
