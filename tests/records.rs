//! Records you can trust: no write lost or doubled. A day past 9999 cases
//! keeps numbering after a bulk load; one file imported twice at once is
//! stored once; an import while `gen` runs is refused in words.

use std::path::Path;
use std::process::Command;

use rusqlite::Connection;
use xfdesk::domain::CaseEvent;
use xfdesk::store::bulk::{Batch, BulkLoad};
use xfdesk::store::{Store, bulk, cases};

mod common;
use common::*;

#[test]
fn a_day_past_9999_cases_keeps_counting_after_a_bulk_load() {
    let (_dir, mut store) = temp_store();
    let series = "41080320261128F";
    let reg =
        |n: usize| registration(petitioner(&format!("第{n}位"), &valid_id(&format!("4108031990010{n:04}"))), "物业");
    cases::register(&mut store, &reg(1)).unwrap();
    store.conn().execute("UPDATE case_number_series SET last = 9999 WHERE series = ?1", [series]).unwrap();
    let a = cases::register(&mut store, &reg(2)).unwrap();
    let b = cases::register(&mut store, &reg(3)).unwrap();
    assert_eq!((a.number.as_str(), b.number.as_str()), ("41080320261128F10000", "41080320261128F10001"));

    // A bulk load (what `gen` and big imports do) writes three more numbers of that day.
    let (_, first) = bulk::next_ids(&store).unwrap();
    let mut batch = Batch::default();
    for (i, seq) in (10002..=10004).enumerate() {
        let id = first + i as i64;
        let c = xfdesk::domain::Case { number: format!("{series}{seq}"), ..case("批量") };
        let trail = vec![CaseEvent::registration(&c, id, c.registered_at)];
        batch.cases.push((id, c, trail));
    }
    let mut load = BulkLoad::begin(&mut store).unwrap();
    load.insert(&batch).unwrap();
    load.finish().unwrap();

    let next = cases::register(&mut store, &reg(4)).unwrap();
    assert_eq!(next.number, "41080320261128F10005", "past every stored number, not a raw UNIQUE failure");
    let report = xfdesk::store::check::run(store.conn(), false).unwrap();
    assert!(report.is_ok(), "{report:?}");
}

/// An import started in its own process; `sign_in` is the tester's
/// arguments, written once before both starts (writing the password file
/// again while the first process reads it gave that one an empty password).
fn import(home: &Path, db: &Path, file: &Path, sign_in: &[String]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .arg("--db")
        .arg(db)
        .args(sign_in)
        .args(["import", "--format", "csv"])
        .arg(file)
        .env("HOME", home)
        .env_remove("XFDESK_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn one_file_imported_twice_at_once_is_stored_once() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    assert!(xfdesk_on(home.path(), &db, &["init"]).status.success());
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/import-example.csv");
    let rows = std::fs::read_to_string(&file).unwrap().lines().skip(1).filter(|l| !l.trim().is_empty()).count() as i64;
    for round in 0..3 {
        let db = home.path().join(format!("r{round}.db"));
        assert!(xfdesk_on(home.path(), &db, &["init"]).status.success());
        let sign_in = tester(home.path(), &db);
        let (a, b) = (import(home.path(), &db, &file, &sign_in), import(home.path(), &db, &file, &sign_in));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert_eq!(ok, 1, "round {round}: exactly one import succeeds\n{}\n{}", err_text(&a), err_text(&b));
        let refused = if a.status.success() { &b } else { &a };
        let why = err_text(refused);
        assert!(why.contains("已导入过") && !why.contains("UNIQUE"), "round {round}: {why}");
        let c = Connection::open(&db).unwrap();
        let stored: i64 = c.query_row("SELECT count(*) FROM case_external_refs", [], |r| r.get(0)).unwrap();
        let distinct: i64 = c
            .query_row("SELECT count(*) FROM (SELECT DISTINCT system, number FROM case_external_refs)", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!((stored, distinct), (rows, rows), "round {round}: every external number once");
    }
}

#[test]
fn an_import_while_a_bulk_load_runs_is_refused_in_words() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    assert!(xfdesk_on(home.path(), &db, &["init"]).status.success());
    // A bulk load in progress (as `gen` leaves it between batches).
    let mut store = Store::open(&db).unwrap();
    let load = BulkLoad::begin(&mut store).unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/import-example.csv");
    let out = xfdesk_as(home.path(), &db, &["import", "--format", "csv", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let why = err_text(&out);
    assert!(why.contains("正在批量写入") && !why.contains("UNIQUE"), "{why}");
    load.finish().unwrap();
    drop(store);
    let out = xfdesk_as(home.path(), &db, &["import", "--format", "csv", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
}

/// A database where two imports already raced (duplicates stored before
/// version 13) upgrades without failing, keeps its rows, and takes no more.
#[test]
fn duplicates_stored_before_version_13_survive_the_upgrade_and_no_more_are_taken() {
    let (_dir, db) = common::old_database(
        12,
        &(OLD_CASE_ROWS.to_owned()
            + "
             INSERT INTO cases (id, number, registered_at, clerk, form_code, class, title, content, repeat_kind, status, updated_at)
                 VALUES (2, '41080320261120F0002', '2026-11-20 09:05:00', '周敏', 'LF', '申诉求决类', '老数据',
                         '同一外部编号', '初件', 'registered', '2026-11-20 09:05:00');
             INSERT INTO case_external_refs (case_id, system, number) VALUES (1, '市平台', 'SZ-1'), (2, '市平台', 'SZ-1');"),
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), xfdesk::store::migrations::LATEST);
    let c = store.conn();
    let n: i64 =
        c.query_row("SELECT count(*) FROM case_external_refs WHERE number = 'SZ-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2, "the old rows are kept");
    let again = c.execute(
        "INSERT INTO case_external_refs (case_id, system, number) VALUES (1, '市平台', 'SZ-2'), (2, '市平台', 'SZ-2')",
        [],
    );
    assert!(again.is_err(), "a new duplicate is refused by the schema");
}

/// Every way a case concludes at the desk or later counts as concluded in
/// the metrics and in the weekly 办结 figure (domain.md §6): 当场答复 was
/// missing while the SQL compared labels.
#[test]
fn the_metrics_count_every_way_a_case_concludes() {
    use xfdesk::domain::lifecycle::{Action, Outcome};
    use xfdesk::domain::triage::Triage;
    use xfdesk::store::cases::DeskTriage;
    let (_dir, mut store) = temp_store();
    let cal = xfdesk::store::calendar::load(store.conn()).unwrap();
    let desk = [
        Triage::AnswerOnSpot,
        Triage::Inform,
        Triage::NotAccepted,
        Triage::LegalArbitration,
        Triage::LegalReconsideration,
    ];
    let mut concluded = Vec::new();
    for (i, triage) in desk.iter().enumerate() {
        let reg = registration(petitioner(&format!("结{i}"), &valid_id(&format!("4108031980010{i:04}"))), "当场处理");
        let reason = (*triage == Triage::NotAccepted).then(|| "已经或者依法应当通过诉讼解决".to_string());
        let t = DeskTriage { triage: *triage, unit: None, reason, procedure: Default::default() };
        concluded.push(cases::register_at_desk(&mut store, &reg, Some(&t)).unwrap().case_id);
    }
    // A written answer, and a case still open.
    let written =
        cases::register(&mut store, &registration(petitioner("书面", &valid_id("41080319800109001")), "书面答复"))
            .unwrap();
    let at = now();
    for action in [
        Action::Assign { unit: "区住建局".into(), due: None, received: None },
        Action::Accept { on: at.date() },
        Action::Reply { outcome: Outcome::Support, on: at.date(), served: None },
    ] {
        xfdesk::store::lifecycle::apply(&mut store, written.case_id, &action, "周敏", at, &cal).unwrap();
    }
    concluded.push(written.case_id);
    let open =
        cases::register(&mut store, &registration(petitioner("在办", &valid_id("41080319800109002")), "在办")).unwrap();

    let day = at.date();
    let records = xfdesk::store::metrics::records(store.conn(), day, day, &Default::default()).unwrap();
    assert_eq!(records.len(), concluded.len() + 1);
    let done = records.iter().filter(|r| r.concluded.is_some()).count();
    assert_eq!(done, concluded.len(), "every concluded case counts, the open one does not");
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT DISTINCT event_kind FROM case_events ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(kinds.contains(&"answer_on_spot".to_string()) && !kinds.contains(&"other".to_string()), "{kinds:?}");
    let _ = open;
}

fn cases_in(db: &Path) -> i64 {
    Connection::open(db).unwrap().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap()
}

const HEADER: &str = "外部编号,来源系统,登记时间,姓名,身份证号,性别,联系电话,住址,信访形式,来访人数,内容分类,信访目的,问题属地,问题地址,标题,内容,诉求,被反映单位,越级,扬言,涉法涉诉,保密";

fn row(number: &str, title: &str) -> String {
    format!(
        "{number},市信访信息系统,2026-10-08 09:20,赵桂兰,,,,,来访,1,物业管理,求决,新华街道,,{title},小区物业以停水停电方式催缴物业费。,,,否,否,否,否"
    )
}

#[test]
fn import_edge_cases_are_refused_whole_or_row_by_row_never_half_written() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    assert!(xfdesk_on(home.path(), &db, &["init"]).status.success());
    let file = home.path().join("in.csv");
    let long_title = "长".repeat(xfdesk::domain::case::TITLE_LIMIT + 1);
    std::fs::write(&file, format!("{HEADER}\n{}\n{}\n", row("A-1", "停水停电"), row("A-2", &long_title))).unwrap();
    let f = file.to_str().unwrap();

    // The rejects file cannot be written: nothing is imported, and it says why.
    let nowhere = home.path().join("no-such-dir").join("r.csv");
    let out = xfdesk_as(
        home.path(),
        &db,
        &["import", "--format", "csv", f, "--skip-bad", "--rejects", nowhere.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", out_text(&out));
    assert!(err_text(&out).contains("本次未导入任何内容"), "{}", err_text(&out));
    assert_eq!(cases_in(&db), 0, "the good row was not committed without its rejects file");

    // A title longer than the form allows is refused with its length, not cut.
    let rejects = home.path().join("r.csv");
    let out = xfdesk_as(
        home.path(),
        &db,
        &["import", "--format", "csv", f, "--skip-bad", "--rejects", rejects.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(out_text(&out).contains("标题有 201 个字，最多 200 个"), "{}", out_text(&out));
    assert_eq!(cases_in(&db), 1);
    assert!(std::fs::read_to_string(&rejects).unwrap().contains("A-2"));

    // JSON: an unknown key is refused as an unknown column is; numbers and
    // true/false are taken as the text they stand for.
    let json = home.path().join("in.json");
    let item = |extra: &str| {
        format!(
            r#"{{"外部编号": "J-1", "登记时间": "2026-10-09 10:00", "姓名": "孙丽", "信访形式": "来访", "来访人数": 6,
                "标题": "拖欠工资", "内容": "工程完工拖欠工资。", "越级": true{extra}}}"#
        )
    };
    std::fs::write(&json, format!("[{}]", item(r#", "备注": "多余""#))).unwrap();
    let out = xfdesk_as(home.path(), &db, &["import", "--format", "json", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("未知的键：备注"), "{}", err_text(&out));
    std::fs::write(&json, format!("[{}]", item(""))).unwrap();
    let out = xfdesk_as(home.path(), &db, &["import", "--format", "json", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
    let (people, skip): (i64, bool) = Connection::open(&db)
        .unwrap()
        .query_row("SELECT people_count, skip_level FROM cases WHERE title = '拖欠工资'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((people, skip), (6, true));
}

#[test]
fn one_reception_day_per_date_and_a_booking_phone_checked_like_the_form() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    let day = [
        "reception",
        "add-day",
        "--date",
        "2026-12-20",
        "--leader",
        "李明华",
        "--post",
        "区委书记",
        "--place",
        "区信访局",
    ];
    assert!(xfdesk_as(home.path(), &db, &day).status.success());
    let mut again = day.to_vec();
    again[5] = "王副区长";
    let out = xfdesk_as(home.path(), &db, &again);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("2026-12-20 已安排接访日（李明华"), "{}", err_text(&out));
    let n: i64 =
        Connection::open(&db).unwrap().query_row("SELECT count(*) FROM reception_days", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    // Nor can another day be moved onto a taken date (its own date is fine).
    {
        use xfdesk::store::queue::{self, NewReceptionDay};
        let mut store = Store::open(&db).unwrap();
        let d = |date: &str| NewReceptionDay {
            date: date.parse().unwrap(),
            time_slot: "下午".into(),
            place: "区信访局".into(),
            leader: "王副区长".into(),
            ..NewReceptionDay::default()
        };
        let other = queue::create_day(&mut store, &d("2026-12-21"), now()).unwrap();
        let err = queue::update_day(&mut store, other, &d("2026-12-20")).unwrap_err();
        assert!(err.to_string().contains("2026-12-20 已安排接访日"), "{err}");
        queue::update_day(&mut store, other, &d("2026-12-21")).unwrap();
    }

    let id = valid_id("41080319800109003");
    let book = |phone: &str| {
        xfdesk_as(
            home.path(),
            &db,
            &[
                "reception",
                "book",
                "--date",
                "2026-12-20",
                "--time",
                "09:30",
                "--name",
                "孙丽",
                "--id",
                &id,
                "--phone",
                phone,
            ],
        )
    };
    let out = book("1380391");
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).starts_with("xfdesk: 电话："), "{}", err_text(&out));
    let out = book("+86 138-0391-2345");
    assert!(out.status.success(), "{}", err_text(&out));
    let stored: String =
        Connection::open(&db).unwrap().query_row("SELECT phone FROM appointments", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, "13803912345");
}

#[test]
fn an_action_dated_before_the_step_it_answers_is_refused_and_writes_nothing() {
    use xfdesk::domain::lifecycle::Action;
    let (_dir, mut store) = temp_store();
    let cal = xfdesk::store::calendar::load(store.conn()).unwrap();
    let done =
        cases::register(&mut store, &registration(petitioner("次序", &valid_id("41080319800109004")), "次序")).unwrap();
    let assign = Action::Assign { unit: "区住建局".into(), due: None, received: None };
    xfdesk::store::lifecycle::apply(&mut store, done.case_id, &assign, "周敏", now(), &cal).unwrap();
    let events = |store: &Store| cases::events(store.conn(), done.case_id).unwrap().len();
    let before = events(&store);
    let early = Action::Accept { on: now().date().pred_opt().unwrap() };
    let err = xfdesk::store::lifecycle::apply(&mut store, done.case_id, &early, "周敏", now(), &cal).unwrap_err();
    assert!(err.to_string().contains("受理日期 2026-11-27 早于上一步办理的日期 2026-11-28"), "{err}");
    assert_eq!(events(&store), before, "nothing written");
    let on_time = Action::Accept { on: now().date() };
    xfdesk::store::lifecycle::apply(&mut store, done.case_id, &on_time, "周敏", now(), &cal).unwrap();
}

/// A version-11 database built by the old migrations (labels in every
/// enumerated column, a trail chained and sealed over them) upgrades to codes, and `check`
/// still verifies its chains and seals: the seals read class and 初重件 by
/// their label, the trail's words are never rewritten.
#[test]
fn labels_stored_by_an_old_version_become_codes_and_the_chains_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let mut c = Connection::open(&db).unwrap();
        xfdesk::store::migrations::migrate_to(&mut c, 6).unwrap();
        c.execute_batch(
            &(OLD_CASE_ROWS.to_owned()
                + "
            UPDATE petitioners SET sex = '女' WHERE id = 1;
            UPDATE cases SET source = '领导接访' WHERE id = 1;
            INSERT INTO petitioner_phones (petitioner_id, number, number_rev, kind, owner, note)
                VALUES (1, '13800000001', '10000000831', 'mobile', '本人', ''),
                       (1, '13800000002', '20000000831', 'mobile', '亲属', '儿子');
            INSERT INTO petitioner_key_flags (petitioner_id, kind) VALUES (1, '长期访');
            INSERT INTO assignments (case_id, kind, unit, created_at, created_by)
                VALUES (1, '交办', '区住房和城乡建设局', '2026-11-20 10:00:00', '周敏');
            INSERT INTO case_events (case_id, at, actor, action, note)
                VALUES (1, '2026-11-20 09:00:00', '周敏', '登记', ''),
                       (1, '2026-11-20 09:01:00', '周敏', '拟办', '领导接谈');
            INSERT INTO reminders (case_id, unit, at, caller, method, result, seq)
                VALUES (1, '区住房和城乡建设局', '2026-11-25 09:00:00', '周敏', '电话', '未接通', 1);"),
        )
        .unwrap();
        // On to version 11 as it shipped, and what only version 11 stores.
        xfdesk::store::migrations::migrate_to(&mut c, 11).unwrap();
        c.execute_batch(
            "INSERT INTO case_evaluations (case_id, bureau, unit, at, by) VALUES (1, '满意', '不满意', '2026-11-26 09:00:00', '周敏');
             INSERT INTO key_person_watch (petitioner_id, risk, since, updated_at, updated_by)
                 VALUES (1, '高', '2026-11-23', '2026-11-26 09:00:00', '周敏');
             INSERT INTO dispute_watch (case_id, grp, name, state, since, updated_at, updated_by)
                 VALUES (1, '拆迁安置', '安置房', '化解中', '2026-11-23', '2026-11-26 09:00:00', '周敏');",
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    let c = store.conn();
    let row = |sql: &str| -> String { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(row("SELECT class || '/' || repeat_kind FROM cases"), "appeal/first");
    assert_eq!(row("SELECT sex FROM petitioners"), "female");
    assert_eq!(
        row("SELECT group_concat(owner, ',') FROM (SELECT owner FROM petitioner_phones ORDER BY id)"),
        "own,relative"
    );
    assert_eq!(row("SELECT kind FROM petitioner_key_flags"), "long_term");
    assert_eq!(row("SELECT kind FROM assignments"), "assign");
    assert_eq!(row("SELECT method || '/' || result || '/' || escalation FROM reminders"), "phone/no_answer/none");
    assert_eq!(row("SELECT triage FROM case_triage WHERE case_id = 1"), "leader_reception");
    assert_eq!(row("SELECT bureau || '/' || unit FROM case_evaluations"), "satisfied/unsatisfied");
    assert_eq!(row("SELECT risk FROM key_person_watch"), "high");
    assert_eq!(row("SELECT state FROM dispute_watch"), "resolving");
    // The words in the trail stay as written.
    assert_eq!(row("SELECT note FROM case_events WHERE event_kind = 'triage'"), "领导接谈");
    // The CHECK lists now hold codes: a label is refused, a code accepted.
    assert!(c.execute("UPDATE cases SET class = '其他' WHERE id = 1", []).is_err());
    let report = xfdesk::store::check::run(c, false).unwrap();
    assert!(report.is_ok(), "{:?}", report.first_problem());
    // What is read back is the label again.
    let p = xfdesk::store::petitioners::get(c, 1).unwrap().unwrap();
    assert_eq!(p.sex.map(|s| s.label()), Some("女"));
    assert_eq!(p.phones[1].owner.label(), "亲属");
}
