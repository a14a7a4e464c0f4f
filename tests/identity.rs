//! A petitioner is never overwritten by accident: blank fields never erase,
//! a different name under a stored ID is asked about (and each answer does
//! what it says), every change is a hash-chained history row; checked in a
//! real SQLite file, by keys where the desk is involved.

mod common;

use common::*;
use crossterm::event::KeyCode;
use rusqlite::Connection;
use xfdesk::app::intake::{Key, PersonField};
use xfdesk::app::{App, Clock};
use xfdesk::store::{Store, cases, check, person_history, petitioners};

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// 王秀兰 with every field filled, registered once.
fn known_person(store: &mut Store) -> (String, i64) {
    let id = valid_id("41080319580312002");
    let mut p = petitioner("王秀兰", &id);
    p.address = "府前路12号院".into();
    p.workplace = "区纺织厂".into();
    p.street_code = Some("410803002".into());
    let done = cases::register(store, &registration(p, "安置房")).unwrap();
    (id, done.petitioner_ids[0])
}

#[test]
fn blank_fields_never_erase_and_a_new_value_is_a_recorded_change() {
    let (_d, mut store) = temp_store();
    let (id, pid) = known_person(&mut store);
    // The returning petitioner typed with name and ID only.
    cases::register(&mut store, &registration(petitioner("王秀兰", &id), "再次来访")).unwrap();
    let p = petitioners::get(store.conn(), pid).unwrap().unwrap();
    assert_eq!((p.address.as_str(), p.workplace.as_str()), ("府前路12号院", "区纺织厂"));
    assert_eq!(p.street_code.as_deref(), Some("410803002"));
    assert!(person_history::of(store.conn(), pid).unwrap().is_empty(), "nothing changed, nothing recorded");

    let mut moved = petitioner("王秀兰", &id);
    moved.address = "朝阳路88号".into();
    cases::register(&mut store, &registration(moved, "搬家后再访")).unwrap();
    let p = petitioners::get(store.conn(), pid).unwrap().unwrap();
    assert_eq!((p.address.as_str(), p.workplace.as_str()), ("朝阳路88号", "区纺织厂"));
    let h = person_history::of(store.conn(), pid).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].field.as_str(), h[0].old.as_str(), h[0].new.as_str()), ("住址", "府前路12号院", "朝阳路88号"));
    assert_eq!((h[0].actor.as_str(), h[0].reason.as_str()), ("周敏", "来访登记时填写"));
}

#[test]
fn a_different_name_under_a_stored_id_needs_a_reason_and_then_is_recorded() {
    let (_d, mut store) = temp_store();
    let (id, pid) = known_person(&mut store);
    let cases_before = count(store.conn(), "SELECT count(*) FROM cases");
    let err = cases::register(&mut store, &registration(petitioner("王秀英", &id), "改名?")).unwrap_err();
    assert!(err.to_string().contains("已登记为「王秀兰」"), "{err}");
    assert_eq!(count(store.conn(), "SELECT count(*) FROM cases"), cases_before, "nothing written");
    assert_eq!(petitioners::get(store.conn(), pid).unwrap().unwrap().name, "王秀兰");

    let mut reg = registration(petitioner("王秀英", &id), "改名后来访");
    reg.same_person = vec![Some("户籍改名，见户口本".into())];
    cases::register(&mut store, &reg).unwrap();
    assert_eq!(petitioners::get(store.conn(), pid).unwrap().unwrap().name, "王秀英");
    let h = person_history::of(store.conn(), pid).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].old.as_str(), h[0].new.as_str(), h[0].reason.as_str()),
        ("王秀兰", "王秀英", "户籍改名，见户口本")
    );
    assert_eq!(petitioners::count(store.conn()).unwrap(), 1, "the same person, not a second one");
}

#[test]
fn the_person_history_is_append_only_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    let (id, _) = known_person(&mut store);
    for (n, addr) in ["朝阳路1号", "朝阳路2号", "朝阳路3号"].iter().enumerate() {
        let mut p = petitioner("王秀兰", &id);
        p.address = (*addr).into();
        cases::register(&mut store, &registration(p, &format!("第{n}次"))).unwrap();
    }
    assert!(check::run(store.conn(), true).unwrap().is_ok());
    let c = Connection::open(&db).unwrap();
    let refused = c.execute("UPDATE petitioner_history SET new_value = '伪造' WHERE seq = 2", []);
    assert!(refused.unwrap_err().to_string().contains("只能追加"));
    assert!(c.execute("DELETE FROM petitioner_history WHERE seq = 2", []).is_err());
    // Someone who drops the guard and edits a row is caught by the chain.
    c.execute_batch("DROP TRIGGER petitioner_history_append_only_update").unwrap();
    c.execute("UPDATE petitioner_history SET new_value = '伪造' WHERE seq = 2", []).unwrap();
    let report = check::run(store.conn(), true).unwrap();
    let problem = report.first_problem().unwrap_or_default();
    assert!(report.people.as_deref().unwrap_or_default().contains("第 2 条"), "{:?}", report.people);
    assert!(!report.is_ok() && !problem.is_empty());
    assert_eq!(report.missing_guards, vec!["petitioner_history_append_only_update"]);
}

/// The intake app on a fresh database that holds 王秀兰.
fn desk_with_known_person() -> (tempfile::TempDir, App, String, i64) {
    let (dir, mut store) = demo_store();
    let (id, pid) = known_person(&mut store);
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Tab);
    (dir, app, id, pid)
}

fn type_visit(app: &mut App, name: &str, id: &str) {
    typ(app, name);
    while app.intake().focused().key != Key::Person(0, PersonField::IdNumber) {
        key(app, KeyCode::Tab);
    }
    typ(app, id);
    key(app, KeyCode::Tab);
    for (field, filter) in [(Key::Category, "wygl"), (Key::Purpose, "qj")] {
        while app.intake().focused().key != field {
            key(app, KeyCode::Tab);
        }
        typ(app, filter);
        key(app, KeyCode::Enter);
    }
    while app.intake().focused().key != Key::Title {
        key(app, KeyCode::Tab);
    }
    typ(app, "安置房仍未交付");
    while app.intake().focused().key != Key::Content {
        key(app, KeyCode::Tab);
    }
    typ(app, "安置房逾期三年未交付。");
}

fn ctrl_s(app: &mut App) {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    app.settle();
}

#[test]
fn the_desk_sees_the_stored_name_and_saving_asks_is_this_the_same_person() {
    let (_d, mut app, id, pid) = desk_with_known_person();
    let cases_before = count(app.store().conn(), "SELECT count(*) FROM cases");
    type_visit(&mut app, "王秀英", &id);
    // Shown at once: in the prior panel and under the name, with the fields that differ.
    let m = app.intake().prior.identity.clone().expect("the typed ID matches a stored person");
    assert_eq!((m.stored_name.as_str(), m.typed_name.as_str()), ("王秀兰", "王秀英"));
    assert!(m.blocks());
    let screen = screen_text(&render(&mut app, 200, 50));
    assert!(screen.contains("证件号已登记为：王秀兰"), "{screen}");
    assert!(screen.contains("姓名：已登记「王秀兰」，本次「王秀英」"), "{screen}");

    // Saving stops and asks; 证件号输错了 goes back to the ID, nothing written.
    ctrl_s(&mut app);
    let ask = app.same_person().unwrap_or_else(|| panic!("saving asks: {:?}", app.intake().message));
    assert_eq!((ask.stored_name.as_str(), ask.typed_name.as_str()), ("王秀兰", "王秀英"));
    let popup = screen_text(&render(&mut app, 80, 24));
    assert!(popup.contains("是同一人（更新姓名，记录原因）") && popup.contains("证件号输错了"), "{popup}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(app.same_person().is_none());
    assert_eq!(app.intake().focused().key, Key::Person(0, PersonField::IdNumber));
    assert_eq!(count(app.store().conn(), "SELECT count(*) FROM cases"), cases_before);

    // Asked again: 是同一人 needs a reason, then the case is saved and the name recorded.
    ctrl_s(&mut app);
    assert!(app.same_person().is_some());
    key(&mut app, KeyCode::Enter);
    assert!(app.same_person().unwrap().message.is_some(), "no reason, no answer");
    typ(&mut app, "登记时写错，本人出示户口本");
    key(&mut app, KeyCode::Enter);
    assert!(app.same_person().is_none());
    let msg = app.intake().message.clone().unwrap();
    assert!(!msg.1 && msg.0.starts_with("已登记"), "{msg:?}");
    let conn = app.store().conn();
    assert_eq!(count(conn, "SELECT count(*) FROM cases"), cases_before + 1);
    assert_eq!(petitioners::get(conn, pid).unwrap().unwrap().name, "王秀英");
    let h = person_history::of(conn, pid).unwrap();
    assert_eq!(h.last().map(|h| h.reason.as_str()), Some("登记时写错，本人出示户口本"));
    let newest: i64 = conn
        .query_row("SELECT petitioner_id FROM case_petitioners WHERE case_id = (SELECT max(id) FROM cases)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(newest, pid, "the case is the known person's");
}

#[test]
fn a_matching_name_saves_without_asking_and_erases_nothing() {
    let (_d, mut app, id, pid) = desk_with_known_person();
    type_visit(&mut app, "王秀兰", &id);
    assert!(!app.intake().prior.identity.as_ref().unwrap().blocks());
    ctrl_s(&mut app);
    assert!(app.same_person().is_none());
    let p = petitioners::get(app.store().conn(), pid).unwrap().unwrap();
    assert_eq!((p.address.as_str(), p.workplace.as_str()), ("府前路12号院", "区纺织厂"));
}

#[test]
fn person_show_prints_the_record_and_its_history_masked() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("p.db");
    let mut store = Store::open(&db).unwrap();
    let (id, _) = known_person(&mut store);
    let mut p = petitioner("王秀兰", &id);
    p.address = "朝阳路88号".into();
    cases::register(&mut store, &registration(p, "再访")).unwrap();
    drop(store);
    let out = xfdesk_as(home.path(), &db, &["person", "show", &id]);
    let text = out_text(&out);
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(!text.contains(&id), "the ID is masked: {text}");
    assert!(text.contains("住址：府前路12号院 → 朝阳路88号（来访登记时填写）"), "{text}");
    let json = out_text(&xfdesk_as(home.path(), &db, &["person", "show", &id, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["history"][0]["new"], "朝阳路88号");
    assert_eq!(v["cases"].as_array().unwrap().len(), 2);
    let missing = xfdesk_as(home.path(), &db, &["person", "show", &valid_id("41080319900101001")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(err_text(&missing).contains("没有证件号为"));
}

#[test]
fn two_records_of_one_person_merge_into_one_and_the_other_resolves_to_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("m.db");
    let mut store = Store::open(&db).unwrap();
    let (id, keep) = known_person(&mut store);
    // An import typed the ID wrong: the same woman under a second record.
    let mut typo = petitioner("王秀兰", "4108031958031200");
    typo.address = "朝阳路88号".into();
    typo.phones = vec![xfdesk::domain::PetitionerPhone {
        number: "13800000009".into(),
        kind: xfdesk::domain::phone::PhoneKind::Mobile,
        owner: xfdesk::domain::PhoneOwner::Own,
        note: String::new(),
    }];
    typo.id_override_reason = Some("导入".into());
    let other = cases::register(&mut store, &registration(typo, "导入的旧事项")).unwrap().petitioner_ids[0];
    // Two valid, different resident IDs are two people.
    let mut second = petitioner("王秀兰", &valid_id("41080319600101001"));
    second.address = "别处".into();
    let stranger = cases::register(&mut store, &registration(second, "另一人")).unwrap().petitioner_ids[0];
    drop(store);

    let refused =
        xfdesk_as(home.path(), &db, &["person", "merge", &keep.to_string(), &stranger.to_string(), "--reason", "同名"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(err_text(&refused).contains("不是同一人"), "{}", err_text(&refused));

    let args =
        ["person", "merge", &keep.to_string(), &other.to_string(), "--take", "住址", "--reason", "导入时证件号录错"];
    let out = xfdesk_as(home.path(), &db, &args);
    assert!(out.status.success(), "{}", err_text(&out));
    let store = Store::open(&db).unwrap();
    let c = store.conn();
    let p = petitioners::get(c, keep).unwrap().unwrap();
    assert_eq!(p.address, "朝阳路88号", "the chosen field came over");
    assert_eq!(p.workplace, "区纺织厂", "the rest stayed");
    assert!(p.phones.iter().any(|ph| ph.number == "13800000009"), "phones moved");
    assert_eq!(cases::of_petitioner(c, keep).unwrap().len(), 2, "all cases moved");
    assert_eq!(petitioners::resolve(c, other).unwrap(), keep, "the tombstone points to the kept record");
    assert_eq!(petitioners::find_by_id_number(c, "4108031958031200").unwrap(), Some(keep));
    let kept = person_history::of(c, keep).unwrap();
    let gone = person_history::of(c, other).unwrap();
    assert_eq!((kept.len(), gone.len()), (1, 1), "one history row each");
    assert!(kept[0].new.contains("取用：住址") && kept[0].reason == "导入时证件号录错", "{kept:?}");
    assert!(check::run(c, true).unwrap().is_ok());
    // A search for the old record's number finds the kept person, once.
    let q = xfdesk::domain::query::parse("4108031958031200", false);
    let r = xfdesk::store::search::search(c, &q, 20).unwrap();
    let people: Vec<i64> = r
        .hits
        .iter()
        .filter_map(|h| match h {
            xfdesk::store::search::Hit::Petitioner(p) => Some(p.id),
            _ => None,
        })
        .collect();
    assert_eq!(people, vec![keep]);
    assert!(!id.is_empty());
}

/// The app on the demo data plus 王秀兰 (and, for merging, a second record
/// of her made by a typo), with her profile open from the search.
fn profile_of_known_person(with_typo: bool) -> (tempfile::TempDir, App, i64, Option<i64>) {
    let (dir, mut store) = demo_store();
    let (id, pid) = known_person(&mut store);
    let typo = with_typo.then(|| {
        let mut p = petitioner("王秀兰", "4108031958031200");
        p.id_override_reason = Some("导入".into());
        p.workplace = "区第二纺织厂".into();
        cases::register(&mut store, &registration(p, "导入的旧事项")).unwrap().petitioner_ids[0]
    });
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    app.update(xfdesk::app::Action::GoTo(xfdesk::app::Screen::Search));
    typ(&mut app, &id);
    app.settle();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.profile().map(|p| p.petitioner.id), Some(Some(pid)), "the profile is open");
    (dir, app, pid, typo)
}

fn backspaces(app: &mut App, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Backspace);
    }
}

#[test]
fn e_on_the_profile_edits_the_record_and_records_each_change_with_its_reason() {
    let (_d, mut app, pid, _) = profile_of_known_person(false);
    key(&mut app, KeyCode::Char('e'));
    assert!(app.person_form().is_some());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    backspaces(&mut app, 20);
    typ(&mut app, "朝阳路88号");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "13912345678");
    // No reason: refused in the form, nothing written.
    key(&mut app, KeyCode::Enter);
    assert!(app.person_form().unwrap().form.error.as_deref().unwrap_or_default().contains("原因"));
    assert!(person_history::of(app.store().conn(), pid).unwrap().is_empty());
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "本人来电告知搬家");
    key(&mut app, KeyCode::Enter);
    assert!(app.person_form().is_none(), "saved and closed");
    let shown = app.profile().expect("the profile shows again");
    assert_eq!(shown.petitioner.address, "朝阳路88号");
    let conn = app.store().conn();
    let p = petitioners::get(conn, pid).unwrap().unwrap();
    assert_eq!((p.address.as_str(), p.workplace.as_str()), ("朝阳路88号", "区纺织厂"));
    let h = person_history::of(conn, pid).unwrap();
    let rows: Vec<(&str, &str)> = h.iter().map(|h| (h.field.as_str(), h.reason.as_str())).collect();
    assert_eq!(rows, vec![("住址", "本人来电告知搬家"), ("电话", "本人来电告知搬家")]);
    assert_eq!(h[1].new, "139****5678", "masked when shown");
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(screen.contains("住址：府前路12号院 → 朝阳路88号（本人来电告知搬家）"), "{screen}");
}

#[test]
fn m_on_the_profile_merges_another_record_field_by_field() {
    let (_d, mut app, pid, typo) = profile_of_known_person(true);
    let other = typo.unwrap();
    key(&mut app, KeyCode::Char('m'));
    typ(&mut app, &other.to_string());
    key(&mut app, KeyCode::Enter);
    let form = &app.person_form().expect("the field-by-field form").form;
    let labels: Vec<&str> = form.fields.iter().map(|f| f.label).collect();
    assert_eq!(labels, vec!["证件号码", "住址", "所属街道", "工作单位", "合并原因"], "only the fields that differ");
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(screen.contains("保留「区纺织厂」（不用「区第二纺织厂」）"), "both values side by side: {screen}");
    // Take the other record's workplace, keep the rest.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "导入时证件号录错");
    key(&mut app, KeyCode::Enter);
    assert!(app.person_form().is_none(), "{:?}", app.person_form().map(|f| f.form.error.clone()));
    let conn = app.store().conn();
    let p = petitioners::get(conn, pid).unwrap().unwrap();
    assert_eq!((p.workplace.as_str(), p.address.as_str()), ("区第二纺织厂", "府前路12号院"));
    assert_eq!(petitioners::resolve(conn, other).unwrap(), pid);
    assert_eq!(cases::of_petitioner(conn, pid).unwrap().len(), 2);
    assert!(app.profile().unwrap().cases.len() == 2, "the profile shows the merged cases");
}
