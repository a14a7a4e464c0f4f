//! Helpers shared by the integration tests: real SQLite files in temp dirs,
//! a frozen clock, the demo desk.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use tempfile::TempDir;
use xfdesk::app::{App, Clock, Session};
use xfdesk::domain::{Case, CaseClass, CaseFlags, CaseStatus, IdType, Petitioner, RepeatKind};
use xfdesk::store::Store;
use xfdesk::store::cases::Registration;

pub mod papers;
pub mod reception;

/// 2026-11-28 10:30, a Saturday: the instant every frozen test lives in.
pub fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(10, 30, 0).unwrap()
}

pub fn temp_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("xfdesk.db")).unwrap();
    (dir, store)
}

pub fn demo_store() -> (TempDir, Store) {
    let (dir, mut store) = temp_store();
    xfdesk::store::demo::load_if_empty(&mut store, "410803", now()).unwrap();
    (dir, store)
}

/// The demo data in a database file at `db`.
pub fn demo_db(db: &std::path::Path) {
    let mut store = Store::open(db).unwrap();
    xfdesk::store::demo::load_if_empty(&mut store, "410803", now()).unwrap();
}

/// The desk's signed-in account in these tests: a clerk who also approves.
pub fn approver() -> xfdesk::store::accounts::Actor {
    xfdesk::store::accounts::Actor {
        id: 9999,
        login: "zhoumin".into(),
        name: "周敏".into(),
        roles: vec![xfdesk::domain::access::Role::Clerk, xfdesk::domain::access::Role::Approver],
    }
}

pub fn session() -> Session {
    Session {
        office: "中站区信访局".into(),
        operator: "周敏".into(),
        // A desk signed in as an approving clerk (the approvals' tests sign in their own).
        actor: Some(approver()),
        accounts: Default::default(),
        db_label: "/srv/xfdesk/xfdesk.db".into(),
        demo: false,
        due_soon_days: 3,
        assign_working_days: 15,
        reminder_rules: Default::default(),
        queue_rules: Default::default(),
        warning_rules: Default::default(),
        metric_rules: Default::default(),
        week_end: chrono::Weekday::Fri,
        reviewer: "刘建华".into(),
        desk: "1号窗口".into(),
        number_prefix: "410803".into(),
        phone_area: "0391".into(),
        keymap: Default::default(),
        anchors: None,
        papers: xfdesk::papers::Settings { office: "中站区信访局".into(), ..Default::default() },
        background: Default::default(),
    }
}

pub fn demo_app() -> (TempDir, App) {
    let (dir, store) = demo_store();
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    app.finish_loads();
    (dir, app)
}

pub fn petitioner(name: &str, id: &str) -> Petitioner {
    Petitioner {
        name: name.into(),
        id_type: Some(IdType::ResidentId),
        id_number: Some(id.into()),
        ..Default::default()
    }
}

pub fn case(title: &str) -> Case {
    Case {
        id: None,
        number: String::new(),
        registered_at: now(),
        clerk: "周敏".into(),
        window: "1号窗口".into(),
        form_code: "LF".into(),
        source: "群众来访".into(),
        people_count: 1,
        involved_count: None,
        category_code: Some("60201502".into()),
        purpose_code: Some("601003".into()),
        class: CaseClass::Appeal,
        problem_street_code: Some("410803002".into()),
        problem_address: "朝阳路12号".into(),
        title: title.into(),
        content: "小区物业擅自上调物业费。".into(),
        demands: "撤销涨价".into(),
        respondent: "某物业服务有限公司".into(),
        flags: CaseFlags::default(),
        repeat_kind: RepeatKind::First,
        linked_case_id: None,
        status: CaseStatus::Registered,
        external_refs: Vec::new(),
        petitioner_ids: Vec::new(),
    }
}

pub fn registration(p: Petitioner, title: &str) -> Registration {
    Registration { petitioners: vec![p], case: case(title), number_prefix: "410803".into(), same_person: Vec::new() }
}

/// A valid resident ID with the given first 17 characters.
pub fn valid_id(first17: &str) -> String {
    format!("{first17}{}", xfdesk::domain::id_card::check_char(first17).unwrap())
}

/// One key press, then let the app finish any work it deferred.
pub fn key(app: &mut App, code: crossterm::event::KeyCode) {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    app.settle();
    app.finish_loads();
}

/// Type `s` one character at a time, as a clerk would.
pub fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, crossterm::event::KeyCode::Char(c));
    }
}

/// The settled app drawn into a `w`×`h` test terminal, without colour.
pub fn render(app: &mut App, w: u16, h: u16) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    app.settle();
    app.finish_loads();
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| xfdesk::ui::draw(f, app, &xfdesk::ui::Theme::new(true))).unwrap();
    t
}

/// The names of the indexes the schema declares (not SQLite's automatic ones).
pub fn index_names(conn: &rusqlite::Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The text a user would read on the test terminal, one line per row.
pub fn screen_text(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            // A wide glyph's second cell is padding, not text.
            x += xfdesk::text::width(symbol).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Move the queue's highlight to row `index` with ↑/↓, as a clerk would.
pub fn select_queue_row(app: &mut App, index: usize) {
    for _ in 0..app.queue().rows.len() + 1 {
        let at = app.queue().selected;
        let step = match at.cmp(&index) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => xfdesk::app::Action::SelectNext,
            std::cmp::Ordering::Greater => xfdesk::app::Action::SelectPrev,
        };
        app.update(step);
    }
    assert_eq!(app.queue().selected, index, "row {index} cannot be reached");
}

/// A 接待员 who asks (周敏) and the sign-in of an 审批人 who approves (刘建华),
/// as accounts in `store` (made once; an administrator first if none).
pub fn two_people(store: &mut Store) -> (xfdesk::store::accounts::Actor, xfdesk::store::approvals::Approval) {
    use xfdesk::domain::access::Role;
    use xfdesk::store::accounts::{self, NewAccount};
    let make = |store: &mut Store, login: &str, name: &str, roles: &[Role], by: Option<&accounts::Actor>| {
        let new = NewAccount { login, name, roles, password: "password-2026", must_change: false };
        accounts::create(store, &new, by, now()).unwrap().actor()
    };
    if accounts::get(store.conn(), "zhoumin").unwrap().is_none() {
        let admin = match accounts::list(store.conn()).unwrap().into_iter().find(|a| a.roles.contains(&Role::Admin)) {
            Some(a) => a.actor(),
            None => make(store, "boss", "管理员", &[Role::Admin], None),
        };
        make(store, "zhoumin", "周敏", &[Role::Clerk], Some(&admin));
        make(store, "liujh", "刘建华", &[Role::Approver], Some(&admin));
    }
    let clerk = accounts::get(store.conn(), "zhoumin").unwrap().unwrap().actor();
    (clerk, xfdesk::store::approvals::Approval { login: "liujh".into(), password: "password-2026".into() })
}

/// The account the command-line tests sign in as: every role.
pub const TESTER: &str = "tester";
const TESTER_PASSWORD: &str = "tester-password-1";

/// Make sure `db` (created if need be) has the tester's account, and write
/// its password file (0600) in `home`: the arguments that sign in as it.
pub fn tester(home: &std::path::Path, db: &std::path::Path) -> Vec<String> {
    use xfdesk::domain::access::Role;
    use xfdesk::store::accounts::{self, NewAccount};
    let mut store = Store::open(db).unwrap();
    if accounts::get(store.conn(), TESTER).unwrap().is_none() {
        let roles = [Role::Clerk, Role::Approver, Role::Admin, Role::BackupOperator];
        let new =
            NewAccount {
                login: TESTER, name: "测试员", roles: &roles, password: TESTER_PASSWORD, must_change: false
            };
        // The first account of a new file, or made by an administrator already there (the demo's).
        let admin = accounts::list(store.conn()).unwrap().into_iter().find(|a| a.roles.contains(&Role::Admin));
        accounts::create(&mut store, &new, admin.map(|a| a.actor()).as_ref(), now()).unwrap();
    }
    password_args(home, TESTER, TESTER_PASSWORD)
}

/// `--user LOGIN --password-file F`, the file (0600) holding `password`.
pub fn password_args(home: &std::path::Path, login: &str, password: &str) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let file = home.join(format!(".{login}.pw"));
    std::fs::write(&file, password).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    vec!["--user".into(), login.into(), "--password-file".into(), file.display().to_string()]
}

/// The sign-in arguments a command line needs: the tester's on the `--db`
/// file when the command reads personal data or writes, none otherwise.
pub fn sign_in_for(home: &std::path::Path, args: &[&str]) -> Vec<String> {
    const FREE: [&str; 4] = ["init", "check", "keys", "deadline"];
    const COMMANDS: [&str; 19] = [
        "init",
        "gen",
        "search",
        "deadline",
        "due",
        "case",
        "holidays",
        "person",
        "reminders",
        "doc",
        "reception",
        "report",
        "import",
        "backup",
        "restore",
        "repair-triggers",
        "keys",
        "check",
        "user",
    ];
    let Some(at) = args.iter().position(|a| COMMANDS.contains(a)) else { return Vec::new() };
    let free = FREE.contains(&args[at]) || (args[at] == "holidays" && args.get(at + 1) == Some(&"list"));
    match args.iter().position(|a| *a == "--db").and_then(|i| args.get(i + 1)) {
        Some(db) if !free => tester(home, std::path::Path::new(db)),
        _ => Vec::new(),
    }
}

/// The binary with `home` as its home, signed in as the tester where the
/// command needs it (its `--db` is among `args`).
pub fn xfdesk_home(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(sign_in_for(home, args))
        .args(args)
        .env("HOME", home)
        .output()
        .unwrap()
}

/// [`xfdesk_on`] signed in as the tester.
pub fn xfdesk_as(home: &std::path::Path, db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = tester(home, db);
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    xfdesk_on(home, db, &all)
}

/// The real binary on the database `db`, with `home` as its home (so its
/// configuration and anchors folder are the test's own).
pub fn xfdesk_on(home: &std::path::Path, db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", home)
        .env_remove("XFDESK_CONFIG")
        .env_remove("XFDESK_DB")
        .output()
        .unwrap()
}

/// A command's standard output / error as text.
pub fn out_text(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err_text(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One registered case as the first releases stored it (labels, no trail
/// columns beyond version 1): for building old databases in upgrade tests.
/// A database file as xfdesk at schema `version` left it, holding `rows`
/// (SQL written at that version); opened with `Store::open` it is upgraded.
pub fn old_database(version: u32, rows: &str) -> (TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(format!("v{version}.db"));
    let mut c = rusqlite::Connection::open(&db).unwrap();
    xfdesk::store::migrations::migrate_to(&mut c, version).unwrap();
    c.execute_batch(rows).unwrap();
    (dir, db)
}

pub const OLD_CASE_ROWS: &str = "
    INSERT INTO meta (key, value) VALUES ('reference_seeded', '2026-01-01');
    INSERT INTO forms (code, name, letter) VALUES ('LF', '来访', 'F');
    INSERT INTO petitioners (id, name, name_pinyin, name_initials, created_at, updated_at)
        VALUES (1, '旧库', 'jiuku', 'jk', '2026-11-20 09:00:00', '2026-11-20 09:00:00');
    INSERT INTO cases (id, number, registered_at, clerk, form_code, class, title, content, repeat_kind, status, updated_at)
        VALUES (1, '41080320261120F0001', '2026-11-20 09:00:00', '周敏', 'LF', '申诉求决类', '老数据',
                '早年登记的拆迁安置问题', '初件', 'registered', '2026-11-20 09:00:00');
    INSERT INTO case_petitioners (case_id, seq, petitioner_id, is_representative) VALUES (1, 1, 1, 1);";

/// The generator `xfdesk gen` uses, continuing the ids of `store`, its
/// archive ending at [`now`].
pub fn generator<'r>(
    store: &Store,
    refs: &'r xfdesk::store::reference::ReferenceData,
    petitioners: usize,
    cases: usize,
    seed: u64,
    batch: usize,
) -> xfdesk::synth::Generator<'r> {
    let (pid, cid) = xfdesk::store::bulk::next_ids(store).unwrap();
    let opts =
        xfdesk::synth::GenOptions { petitioners, cases, seed, number_prefix: "410803".into(), end: now(), batch };
    xfdesk::synth::Generator::new(opts, refs, pid, cid, Default::default())
}

/// A generated archive, loaded as `xfdesk gen` loads it.
pub fn generate(store: &mut Store, petitioners: usize, cases: usize, seed: u64, batch: usize) {
    let refs = xfdesk::store::reference::ReferenceData::load(store.conn()).unwrap();
    let generator = generator(store, &refs, petitioners, cases, seed, batch);
    let mut load = xfdesk::store::bulk::BulkLoad::begin(store).unwrap();
    generator.each_batch(|b, _| load.insert(b)).unwrap();
    load.finish().unwrap();
}
