//! The store against real SQLite files in temp dirs.

mod common;

use std::collections::HashSet;
use std::thread;

use common::*;
use rusqlite::Connection;
use xfdesk::domain::phone::PhoneKind;
use xfdesk::domain::{CaseStatus, PetitionerPhone, PhoneOwner, RepeatKind};
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{Store, StoreError, cases, check, migrations, petitioners};

#[test]
fn fresh_database_is_migrated_seeded_and_in_wal_mode() {
    let (_dir, store) = temp_store();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let conn = store.conn();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert!(fk);
    let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let refs = ReferenceData::load(conn).unwrap();
    assert_eq!(refs.forms.len(), 6);
    assert_eq!(refs.streets.len(), 10);
    assert_eq!(refs.category_path("60201501"), "城乡建设/房屋征收拆迁安置");
    assert_eq!(refs.purpose_by_name("检举控告").unwrap().class.label(), "检举控告类");
    assert_eq!(refs.category_by_name("城乡建设").unwrap().initials, "cxjs");
}

#[test]
fn reopening_neither_remigrates_nor_reseeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    drop(Store::open(&path).unwrap());
    // The bureau edits its reference data; a reopen must keep the edit.
    Connection::open(&path).unwrap().execute("DELETE FROM sources WHERE name = '群众来信'", []).unwrap();
    let store = Store::open(&path).unwrap();
    let n: i64 = store.conn().query_row("SELECT count(*) FROM forms", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 6);
    let refs = ReferenceData::load(store.conn()).unwrap();
    assert!(!refs.sources.iter().any(|s| s == "群众来信"));
}

#[test]
fn a_database_from_a_newer_xfdesk_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    drop(Store::open(&path).unwrap());
    let newer = migrations::LATEST + 1;
    Connection::open(&path).unwrap().pragma_update(None, "user_version", newer).unwrap();
    match Store::open(&path) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (newer, migrations::LATEST));
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer database must be refused"),
    }
    let v: u32 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, newer, "never downgraded");
    let msg = StoreError::NewerSchema { found: newer, supported: migrations::LATEST }.to_string();
    assert!(msg.contains("请升级 xfdesk"), "{msg}");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "这不是数据库，只是一份笔记。".repeat(200)).unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::NotADatabase { .. }) => assert!(e.to_string().contains("不是 xfdesk 数据库")),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("must refuse"),
    }
}

#[cfg(unix)]
#[test]
fn database_file_and_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("xfdesk.db");
    drop(Store::open(&path).unwrap());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
}

#[test]
fn registering_writes_case_number_links_and_trail_in_one_go() {
    let (_dir, mut store) = temp_store();
    let id = valid_id("41080319650708001");
    let mut p = petitioner("张建国", &id);
    p.phones = vec![
        PetitionerPhone {
            number: "13903910001".into(),
            kind: PhoneKind::Mobile,
            owner: PhoneOwner::Own,
            note: "".into(),
        },
        PetitionerPhone {
            number: "13803910002".into(),
            kind: PhoneKind::Mobile,
            owner: PhoneOwner::Relative,
            note: "儿子".into(),
        },
    ];
    let done = cases::register(&mut store, &registration(p, "物业乱收费")).unwrap();
    assert_eq!(done.number, "41080320261128F0001");
    let case = cases::get(store.conn(), done.case_id).unwrap().unwrap();
    assert_eq!(case.status, CaseStatus::Registered);
    assert_eq!(case.petitioner_ids, done.petitioner_ids);
    let events = cases::events(store.conn(), done.case_id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].action.as_str(), events[0].actor.as_str()), ("登记", "周敏"));
    let saved = petitioners::get(store.conn(), done.petitioner_ids[0]).unwrap().unwrap();
    assert_eq!(saved.phones.len(), 2);
    assert_eq!(saved.phones[1].owner, PhoneOwner::Relative, "a relative's phone stays the relative's");
    let (initials, rev): (String, String) = store
        .conn()
        .query_row("SELECT name_initials, id_rev FROM petitioners WHERE id = ?1", [done.petitioner_ids[0]], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(initials, "zjg");
    assert_eq!(rev, id.chars().rev().collect::<String>());
}

#[test]
fn a_returning_petitioner_is_updated_not_duplicated() {
    let (_dir, mut store) = temp_store();
    let id = valid_id("41080319580312002");
    let first = cases::register(&mut store, &registration(petitioner("王秀兰", &id), "安置房")).unwrap();
    let mut again = petitioner("王秀兰", &id);
    again.address = "朝阳路88号".into();
    let mut reg = registration(again, "安置房仍未交付");
    reg.case.repeat_kind = RepeatKind::Repeat;
    reg.case.linked_case_id = Some(first.case_id);
    let second = cases::register(&mut store, &reg).unwrap();
    assert_eq!(first.petitioner_ids, second.petitioner_ids);
    assert_eq!(second.number, "41080320261128F0002");
    assert_eq!(petitioners::count(store.conn()).unwrap(), 1);
    let p = petitioners::get(store.conn(), first.petitioner_ids[0]).unwrap().unwrap();
    assert_eq!(p.address, "朝阳路88号");
    let history = cases::of_petitioner(store.conn(), p.id.unwrap()).unwrap();
    assert_eq!(history.len(), 2);
    let linked = cases::get(store.conn(), second.case_id).unwrap().unwrap();
    assert_eq!((linked.repeat_kind, linked.linked_case_id), (RepeatKind::Repeat, Some(first.case_id)));
}

#[test]
fn a_failed_registration_leaves_nothing_behind() {
    let (_dir, mut store) = temp_store();
    let mut reg = registration(petitioner("李四", &valid_id("41080319700101003")), "x");
    reg.case.category_code = Some("no-such-category".into());
    assert!(cases::register(&mut store, &reg).is_err(), "foreign key must refuse");
    let conn = store.conn();
    for table in ["petitioners", "cases", "case_events", "case_number_series"] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{table} must be empty after a rolled-back registration");
    }
}

#[test]
fn status_changes_follow_the_machine_and_are_trailed() {
    let (_dir, mut store) = temp_store();
    let done =
        cases::register(&mut store, &registration(petitioner("赵六", &valid_id("41080319800101004")), "x")).unwrap();
    let err = store
        .write(|tx| cases::change_status(tx, done.case_id, CaseStatus::Replied, "答复", "周敏", "", now()))
        .unwrap_err();
    assert!(err.to_string().contains("不能变为「已答复」"), "{err}");
    store.write(|tx| cases::change_status(tx, done.case_id, CaseStatus::Assigned, "交办", "周敏", "", now())).unwrap();
    let events = cases::events(store.conn(), done.case_id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].old_value.as_deref(), Some("已登记"));
    assert_eq!(events[1].new_value.as_deref(), Some("已交办"));
}

/// Two desks registering at the same moment never draw the same number.
#[test]
fn concurrent_writers_get_unique_contiguous_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    drop(Store::open(&path).unwrap());
    const PER_DESK: usize = 150;
    let desks: Vec<_> = (0..2)
        .map(|desk| {
            let path = path.clone();
            thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                (0..PER_DESK)
                    .map(|i| {
                        let id = valid_id(&format!("4108031970{desk:02}{:02}{:03}", i % 28 + 1, i));
                        cases::register(&mut store, &registration(petitioner("并发", &id), "并发登记")).unwrap().number
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let numbers: Vec<String> = desks.into_iter().flat_map(|d| d.join().unwrap()).collect();
    let unique: HashSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), 2 * PER_DESK);
    let expected: HashSet<String> = (1..=2 * PER_DESK).map(|n| format!("41080320261128F{n:04}")).collect();
    assert_eq!(numbers.into_iter().collect::<HashSet<_>>(), expected, "no gaps, no duplicates");
}

#[test]
fn demo_data_loads_once_with_links_groups_and_key_persons() {
    let (_dir, mut store) = demo_store();
    let conn = store.conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert!(count("SELECT count(*) FROM petitioners") >= 40);
    assert!(count("SELECT count(*) FROM cases") >= 120);
    assert!(count("SELECT count(*) FROM cases WHERE repeat_kind = 'repeat' AND linked_case_id IS NOT NULL") >= 20);
    assert!(count("SELECT count(*) FROM cases WHERE is_group") >= 2);
    assert_eq!(count("SELECT max(n) FROM (SELECT count(*) n FROM case_petitioners GROUP BY case_id)"), 5);
    assert!(count("SELECT count(DISTINCT petitioner_id) FROM petitioner_key_flags") >= 5);
    assert!(count("SELECT max(n) FROM (SELECT count(*) n FROM case_petitioners GROUP BY petitioner_id)") >= 8);
    assert!(count("SELECT count(*) FROM cases WHERE threat") >= 1);
    // Every case's trail starts with 登记 and ends in its current status
    // (after it, only the reception queue's entries, which change no status).
    let bad = count(
        "SELECT count(*) FROM cases c WHERE (SELECT new_value FROM case_events e WHERE e.case_id = c.id
         AND e.action NOT LIKE '接访%' ORDER BY id DESC LIMIT 1) IS NULL",
    );
    assert_eq!(count("SELECT count(*) FROM queue_tickets"), 7, "today's reception day is under way");
    assert_eq!(bad, 0);
    let loaded_again = xfdesk::store::demo::load_if_empty(&mut store, "410803", now()).unwrap();
    assert_eq!(loaded_again, 0, "a desk with cases is never refilled");
    assert!(check::run(store.conn(), false).unwrap().is_ok());
}

#[test]
fn check_reports_broken_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    drop(Store::open(&path).unwrap());
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch("PRAGMA foreign_keys = OFF; INSERT INTO case_events (case_id, at, actor, action) VALUES (999, '2026-01-01 00:00:00', 'x', '登记');").unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    // The quick check leaves foreign keys to the full one (every write runs with them on).
    assert!(check::run(store.conn(), true).unwrap().foreign_keys.is_empty());
    let report = check::run(store.conn(), false).unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.foreign_keys.len(), 1);
    assert!(report.foreign_keys[0].contains("case_events"));
}

/// A database written by the first release (schema 1) gains the search index
/// (filled from its cases), the holiday calendar, its clocks and its trail's
/// chain when a newer xfdesk opens it.
#[test]
fn a_version_1_database_is_upgraded_with_its_cases_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // Exactly what the first release wrote: its schema and one registered case.
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(include_str!("../src/store/migrations/001_initial.sql")).unwrap();
    raw.execute_batch(
        &(OLD_CASE_ROWS.to_owned()
            + "
         INSERT INTO case_events (case_id, at, actor, action, note, new_value)
             VALUES (1, '2026-11-20 09:00:00', '周敏', '登记', '初件，老数据', '已登记');
         PRAGMA user_version = 1;"),
    )
    .unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let q = xfdesk::domain::query::parse("拆迁安置", false);
    let cal = xfdesk::store::calendar::load(store.conn()).unwrap();
    assert!(cal.covers(2026));
    let r = xfdesk::store::search::search(store.conn(), &q, 50).unwrap();
    assert_eq!(r.hits.len(), 1, "the old case was indexed by the migration");
    let clock: (String, String) = store
        .conn()
        .query_row("SELECT rule, due_date FROM case_deadlines WHERE met_at IS NULL", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(clock, ("relay".to_string(), "2026-12-07".to_string()), "its running clock was stored");
    assert!(xfdesk::store::trail::verify(store.conn()).unwrap().is_none(), "its trail was chained");
    assert!(check::run(store.conn(), false).unwrap().is_ok());
}

/// The trail cannot be edited through SQLite, and an edit made by removing
/// the guard is found by the check, at the event where it was made.
#[test]
fn the_trail_is_append_only_and_tampering_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = Store::open(&path).unwrap();
    let id = cases::register(&mut store, &registration(petitioner("链条", &valid_id("41080319700101091")), "校验链"))
        .unwrap();
    store
        .write(|tx| cases::change_status(tx, id.case_id, CaseStatus::Assigned, "交办", "周敏", "交办区住建局", now()))
        .unwrap();
    assert!(check::run(store.conn(), true).unwrap().trail.is_none());
    let raw = Connection::open(&path).unwrap();
    let err = raw.execute("UPDATE case_events SET note = '改过' WHERE case_id = ?1", [id.case_id]).unwrap_err();
    assert!(err.to_string().contains("只能追加"), "{err}");
    assert!(raw.execute("DELETE FROM case_events", []).unwrap_err().to_string().contains("只能追加"));
    raw.execute_batch("DROP TRIGGER case_events_append_only_update;").unwrap();
    let second: i64 =
        raw.query_row("SELECT max(id) FROM case_events WHERE case_id = ?1", [id.case_id], |r| r.get(0)).unwrap();
    raw.execute("UPDATE case_events SET note = '交办区教育局' WHERE id = ?1", [second]).unwrap();
    drop(raw);
    let report = check::run(store.conn(), true).unwrap();
    assert!(!report.is_ok());
    let broken = report.trail.expect("the edit is found");
    assert_eq!((broken.case_number.as_str(), broken.event_id), (id.number.as_str(), second));
    assert!(broken.to_string().contains("内容被改动"), "{broken}");
}

/// 交办 → 受理 → 延期 → 答复 → 复查 → 复查意见: each step one transaction,
/// the trail in order, the clocks started, extended and met.
#[test]
fn a_case_through_its_lifecycle_with_its_clocks() {
    use xfdesk::domain::deadline::Rule;
    use xfdesk::domain::lifecycle::{Action, Outcome};
    use xfdesk::store::{deadlines, lifecycle};
    let (_dir, mut store) = temp_store();
    let cal = xfdesk::domain::calendar::builtin();
    let mut reg = registration(petitioner("贾宝玉", &valid_id("41080319900101009")), "大观园拆迁");
    reg.case.registered_at = "2026-03-02T09:00:00".parse().unwrap();
    let case = cases::register(&mut store, &reg).unwrap().case_id;
    let running = |s: &Store| deadlines::running(s.conn(), case).unwrap().map(|d| (d.rule, d.due.to_string()));
    assert_eq!(running(&store), Some((Rule::Relay, "2026-03-17".into())));
    let at = |s: &str| -> chrono::NaiveDateTime { format!("{s}T10:00:00").parse().unwrap() };
    let d = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };

    lifecycle::apply(
        &mut store,
        case,
        &Action::Assign { unit: "区房屋征收服务中心".into(), due: Some(d("2026-04-20")), received: None },
        "周敏",
        at("2026-03-05"),
        &cal,
    )
    .unwrap();
    assert_eq!(running(&store), Some((Rule::Accept, "2026-03-20".into())));
    // Replying before acceptance is refused, and nothing is written.
    let refused = lifecycle::apply(
        &mut store,
        case,
        &Action::Reply { outcome: Outcome::Support, on: d("2026-03-06"), served: None },
        "周敏",
        at("2026-03-06"),
        &cal,
    );
    assert!(refused.unwrap_err().to_string().contains("不能答复"));
    lifecycle::apply(&mut store, case, &Action::Accept { on: d("2026-03-10") }, "周敏", at("2026-03-10"), &cal)
        .unwrap();
    // 60 days from 03-10 is 05-09 (a make-up Saturday, a working day); the 交办 date 04-20 is earlier and wins.
    assert_eq!(running(&store), Some((Rule::Handle, "2026-04-20".into())));
    // 延期 asked by a 接待员, signed by an 审批人 (双人复核).
    let (clerk, approval) = two_people(&mut store);
    let rules = Default::default();
    let plain = Action::Extend { days: 20, approved_by: "王局长".into(), notified_on: d("2026-04-15") };
    let unsigned = lifecycle::apply(&mut store, case, &plain, "周敏", at("2026-04-15"), &cal).unwrap_err();
    assert_eq!(unsigned.to_string(), lifecycle::NEEDS_APPROVER, "a typed approver's name is not an approval");
    xfdesk::store::approvals::extend(
        &mut store,
        case,
        20,
        d("2026-04-15"),
        &clerk,
        &approval,
        &rules,
        at("2026-04-15"),
        &cal,
    )
    .unwrap();
    // Extended: the 20 days go onto the clock's effective date, the 交办 date 04-20 (not onto the
    // statutory 60 days): 05-10 is a Sunday, so 05-11.
    assert_eq!(running(&store), Some((Rule::Handle, "2026-05-11".into())));
    let err = xfdesk::store::approvals::extend(
        &mut store,
        case,
        11,
        d("2026-04-16"),
        &clerk,
        &approval,
        &rules,
        at("2026-04-16"),
        &cal,
    )
    .unwrap_err();
    assert!(err.to_string().contains("不能延期"), "{err}");
    lifecycle::apply(
        &mut store,
        case,
        &Action::Reply { outcome: Outcome::Explain, on: d("2026-05-20"), served: None },
        "周敏",
        at("2026-05-20"),
        &cal,
    )
    .unwrap();
    // 30 days from 05-20 is 06-19, in the 端午 holiday: 06-22.
    assert_eq!(running(&store), Some((Rule::ReviewRequest, "2026-06-22".into())));
    lifecycle::apply(&mut store, case, &Action::RequestReview { on: d("2026-06-01") }, "周敏", at("2026-06-01"), &cal)
        .unwrap();
    assert_eq!(running(&store), Some((Rule::Review, "2026-07-01".into())));
    lifecycle::apply(
        &mut store,
        case,
        &Action::ReviewOpinion { outcome: Outcome::NotSupport, on: d("2026-06-25"), served: None },
        "周敏",
        at("2026-06-25"),
        &cal,
    )
    .unwrap();
    assert_eq!(running(&store), Some((Rule::RecheckRequest, "2026-07-27".into())));

    let trail: Vec<String> = cases::events(store.conn(), case).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(trail, ["登记", "交办", "受理", "办理", "延期", "答复", "申请复查", "复查意见"]);
    let status = cases::get(store.conn(), case).unwrap().unwrap().status;
    assert_eq!(status, CaseStatus::ReviewReplied);
    let all = deadlines::of_case(store.conn(), case).unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all.iter().filter(|d| d.met_at.is_none()).count(), 1, "only the running clock is open");
    let why = all[2].explain(&cal).explanation.join("\n");
    assert!(why.contains("交办指定期限2026-04-20早于法定期限"), "{why}");
}
