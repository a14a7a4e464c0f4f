//! Backups taken while other desks write, restore that checks first and keeps
//! what it replaces, the daily rotation, and the audit log.

mod common;

use common::*;
use xfdesk::store::{Store, backup, cases, check};

fn count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_taken_while_another_desk_writes_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    drop(Store::open(&db).unwrap());
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&writer_db).unwrap();
        for i in 0..300 {
            let id = valid_id(&format!("4108031980{:02}{:02}{:03}", i % 12 + 1, i % 28 + 1, i));
            cases::register(&mut store, &registration(petitioner("备份中", &id), "边写边备份")).unwrap();
        }
    });
    let copy = dir.path().join("copy.db");
    let store = Store::open(&db).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let v = backup::backup(&store, &copy, None).unwrap();
    writer.join().unwrap();
    let copied = Store::open(&copy).unwrap();
    let report = check::run(copied.conn(), false).unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(count(&copy, "SELECT count(*) FROM cases"), v.cases);
    // Every copied case has its whole registration: its trail and its clock.
    assert_eq!(
        count(
            &copy,
            "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)"
        ),
        0
    );
    assert!(v.cases <= 300);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
        let wal = db.with_extension("db-wal");
        assert_eq!(std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777, 0o600, "the WAL is owner-only too");
    }
}

#[test]
fn restore_checks_the_file_first_and_keeps_what_it_replaces() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk_home(home.path(), &["--demo", "--db", dbs, "init"]).status.success());
    let bak = home.path().join("bak.db");
    let out = xfdesk_home(home.path(), &["--db", dbs, "backup", "--out", bak.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("校验通过"));
    // The desk goes on: one more case after the backup.
    let mut store = Store::open(&db).unwrap();
    cases::register(&mut store, &registration(petitioner("备份后", &valid_id("41080319900101099")), "备份后登记"))
        .unwrap();
    drop(store);
    let after = count(&db, "SELECT count(*) FROM cases");

    // A file that is not a database is refused and nothing changes.
    let junk = home.path().join("junk.db");
    std::fs::write(&junk, "不是数据库".repeat(500)).unwrap();
    let out = xfdesk_home(home.path(), &["--db", dbs, "restore", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("未通过校验，没有恢复：不是 SQLite 数据库文件"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), after);

    // A desk still has the database open: restoring under it would send its
    // next registrations into the replaced file, so it is refused.
    let desk = Store::open(&db).unwrap();
    let out = xfdesk_home(home.path(), &["--db", dbs, "restore", bak.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("正被其他 xfdesk 窗口使用"));
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), after, "nothing replaced");
    drop(desk);

    let out = xfdesk_home(home.path(), &["--db", dbs, "restore", bak.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), after - 1, "back to the backup");
    let kept: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains("replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    assert_eq!(count(&kept[0], "SELECT count(*) FROM cases"), after);
    assert_eq!(count(&db, "SELECT count(*) FROM audit_log WHERE action = '恢复'"), 1);
    assert!(xfdesk_home(home.path(), &["--db", dbs, "check"]).status.success());
}

#[test]
fn daily_backups_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("d.db")).unwrap();
    let backups = dir.path().join("backups");
    let day = |d: &str| -> chrono::NaiveDateTime { format!("{d}T08:00:00").parse().unwrap() };
    assert!(backup::daily(&store, &backups, 2, day("2026-11-26")).unwrap().is_some());
    assert!(backup::daily(&store, &backups, 2, day("2026-11-26")).unwrap().is_none(), "once a day");
    assert!(backup::daily(&store, &backups, 2, day("2026-11-27")).unwrap().is_some());
    assert!(backup::daily(&store, &backups, 2, day("2026-11-28")).unwrap().is_some());
    let mut names: Vec<String> =
        std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["xfdesk-20261127.db", "xfdesk-20261128.db"]);
}

#[test]
fn the_audit_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut store = Store::open(&path).unwrap();
    backup::audit(&mut store, "周敏", "导出督促记录", "2026-11", now()).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    assert!(raw.execute("UPDATE audit_log SET operator = 'x'", []).unwrap_err().to_string().contains("只能追加"));
    assert!(raw.execute("DELETE FROM audit_log", []).unwrap_err().to_string().contains("只能追加"));
}
