//! The environment failing: a database locked by a long transaction, a full
//! disk, a read-only file, a path that cannot be created. Each gives a clear
//! message, a non-zero exit where it ends the program, and no partial write;
//! a form keeps everything typed.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use xfdesk::app::intake::Key;
use xfdesk::app::{Action, App, Clock, Screen};
use xfdesk::store::Store;

fn count(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap()
}

/// An intake form filled and ready to save.
fn filled_form(app: &mut App) {
    app.update(Action::GoTo(Screen::Intake));
    let key = |app: &mut App, code| {
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        app.settle();
    };
    app.handle_event(&Event::Paste("林如海".into()));
    while app.intake().focused().key != Key::Category {
        key(app, KeyCode::Tab);
    }
    for c in "wygl".chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
    for c in "qj".chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
    app.handle_event(&Event::Paste("盐课亏空".into()));
    key(app, KeyCode::Tab);
    app.handle_event(&Event::Paste("反映盐课亏空问题。".repeat(50)));
}

fn save(app: &mut App) {
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    app.settle();
}

#[test]
fn a_database_locked_by_a_long_transaction_elsewhere() {
    let (dir, store) = demo_store();
    let path = store.path().to_path_buf();
    drop(store);
    let store = Store::open_with(&path, Duration::from_millis(200)).unwrap();
    let mut app = App::new(store, session(), Clock::Fixed(now())).unwrap();
    let before = count(app.store());
    filled_form(&mut app);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('long', 'transaction');").unwrap();
    save(&mut app);
    let (msg, is_error) = app.intake().message.clone().unwrap();
    assert!(is_error && msg.contains("数据库正被其他窗口或程序占用"), "{msg}");
    assert_eq!(app.intake().value(Key::Title), "盐课亏空", "nothing typed is lost");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(app.store()), before, "no partial write");
    save(&mut app);
    assert_eq!(count(app.store()), before + 1, "saved once the other desk let go");

    // On the command line: a clear message and exit 1.
    let cfg = dir.path().join("busy.toml");
    std::fs::write(&cfg, "[store]\nbusy_timeout_ms = 200\n").unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('long', 'again');").unwrap();
    let out = xfdesk_home(dir.path(), &["--config", cfg.to_str().unwrap(), "--db", path.to_str().unwrap(), "init"]);
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("数据库正被其他窗口或程序占用"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_full_disk_while_saving() {
    let (_d, mut app) = demo_app();
    let before = count(app.store());
    filled_form(&mut app);
    let pages: i64 = app.store().conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    app.store().conn().pragma_update(None, "max_page_count", pages).unwrap();
    save(&mut app);
    let (msg, is_error) = app.intake().message.clone().unwrap();
    assert!(is_error && msg.contains("磁盘空间不足"), "{msg}");
    assert_eq!(count(app.store()), before, "no partial write");
    assert_eq!(app.intake().value(Key::Title), "盐课亏空", "nothing typed is lost");
    app.store().conn().pragma_update(None, "max_page_count", pages * 10).unwrap();
    save(&mut app);
    assert_eq!(count(app.store()), before + 1);
}

#[test]
fn a_path_that_cannot_be_created_or_written() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let db = file.join("xfdesk.db");
    let out = xfdesk_home(home.path(), &["--db", db.to_str().unwrap(), "init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("无法打开或创建数据库文件"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Owner-only permissions do not stop root, so the program runs as `nobody`
/// against a database it may read but not write.
#[cfg(unix)]
#[test]
fn a_read_only_database_file() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = home.path().join("ro.db");
    drop(Store::open(&db).unwrap());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    // A log folder the program cannot write to either: logging gives way, it never panics.
    std::fs::create_dir_all(home.path().join("logs")).unwrap();
    std::fs::set_permissions(home.path().join("logs"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let me_is_root = unsafe { libc_geteuid() } == 0;
    if !me_is_root {
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xfdesk"));
    cmd.args(["--db", db.to_str().unwrap(), "init"]).env("HOME", home.path());
    if me_is_root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    if me_is_root {
        assert!(err.contains("数据库文件只读"), "{err}");
    } else {
        assert!(err.contains("只读") || err.contains("无法打开"), "{err}");
    }
    assert!(!err.contains("panicked"));
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn the_log_never_holds_a_full_id_or_phone() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk_home(home.path(), &["--demo", "--db", dbs, "init"]).status.success());
    let id: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id_number FROM petitioners LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let out = xfdesk_home(home.path(), &["--db", dbs, "search", &id, "--json"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&id), "masked in the output too");
    xfdesk_home(
        home.path(),
        &[
            "--db",
            dbs,
            "reminders",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "csv",
            "--out",
            home.path().join("r.csv").to_str().unwrap(),
        ],
    );
    let logs = home.path().join("logs");
    let mut text = String::new();
    for e in std::fs::read_dir(&logs).unwrap() {
        text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    assert!(!text.is_empty(), "something was logged");
    let re_id = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.len() == 18 && w[..17].bytes().all(|b| b.is_ascii_digit()));
    let re_phone = text.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 11 && w.starts_with('1'));
    assert!(!re_id && !re_phone, "a full ID or mobile number in the log:\n{text}");
}
