//! Files that are not ours, or not writable, or on a full disk: another
//! application's SQLite file and a newer xfdesk's file are left byte for byte
//! as they were; a read-only database still serves the reading commands; a
//! full file system says so in words, and a failed `init` leaves no file.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output};

use rusqlite::Connection;

mod common;
use common::{err_text, tester, xfdesk_on};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_xfdesk")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn another_applications_file_and_a_newer_xfdesk_file_are_left_exactly_as_they_were() {
    let home = tempfile::tempdir().unwrap();
    let other = home.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    let marked = home.path().join("marked.db");
    Connection::open(&marked).unwrap().execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);").unwrap();
    let newer = home.path().join("newer.db");
    {
        let out = xfdesk_on(home.path(), &newer, &["init"]);
        assert!(out.status.success());
        let c = Connection::open(&newer).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;").unwrap();
    }
    let cases = [
        (&other, "不是 xfdesk 数据库（其中已有 1 张其他程序的数据表），未做任何改动"),
        (&marked, "由其他程序创建，application_id 为 42"),
        (&newer, "由更新版本的 xfdesk 写入（版本 99"),
    ];
    for (file, why) in cases {
        let before = std::fs::read(file).unwrap();
        let listing = files_in(home.path());
        for args in [&["init"][..], &["search", "王"], &["check"], &["backup", "--out", "b.db"]] {
            let out = xfdesk_on(home.path(), file, args);
            assert_eq!(out.status.code(), Some(1), "{args:?} on {}", file.display());
            assert!(err_text(&out).contains(why), "{args:?}: {}", err_text(&out));
            assert_eq!(std::fs::read(file).unwrap(), before, "{args:?}: byte for byte");
            assert_eq!(files_in(home.path()), listing, "{args:?}: no -wal, no -shm, no backup");
        }
    }
}

/// Whether this machine lets a test mount in its own namespace (as root or
/// in a user namespace). On CI it must.
fn can_mount() -> bool {
    let ok = Command::new("unshare").args(["-rm", "true"]).status().is_ok_and(|s| s.success());
    assert!(ok || std::env::var("CI").is_err(), "CI must be able to run `unshare -rm` for these tests");
    if !ok {
        eprintln!("skipped: `unshare -rm` is not available here");
    }
    ok
}

/// Run `script` in a private mount namespace (with `$X` the binary).
fn in_namespace(home: &Path, script: &str) -> Output {
    Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("X", bin())
        .env("HOME", home)
        .env_remove("XFDESK_CONFIG")
        .env_remove("XFDESK_DB")
        .output()
        .unwrap()
}

#[test]
fn a_read_only_database_still_serves_the_reading_commands() {
    if !can_mount() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("ro");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("x.db");
    assert!(xfdesk_on(home.path(), &db, &["--demo", "init"]).status.success());
    let number: String =
        Connection::open(&db).unwrap().query_row("SELECT number FROM cases LIMIT 1", [], |r| r.get(0)).unwrap();
    let d = dir.display();
    // Signed in as the tester: checked against the read-only file, not recorded.
    let who = tester(home.path(), &db).join(" ");
    let out = in_namespace(
        home.path(),
        &format!(
            "mount --bind {d} {d} && mount -o remount,ro,bind {d} || exit 99
             for cmd in 'search 王' 'case show {number}' 'due' 'check' 'backup --out {h}/b.db'; do
               echo \"== $cmd\"; $X {who} --db {d}/x.db $cmd; echo \"rc=$?\"
             done
             echo '== register'; $X {who} --db {d}/x.db reception add-day --date 2026-12-20 --leader 李 --post 区长 --place 信访局; echo \"rc=$?\"",
            h = home.path().display()
        ),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = err_text(&out);
    assert_ne!(out.status.code(), Some(99), "could not mount: {stderr}");
    let sections: Vec<&str> = text.split("== ").skip(1).collect();
    assert_eq!(sections.len(), 6, "{text}{stderr}");
    for s in &sections[..5] {
        assert!(s.trim_end().ends_with("rc=0"), "a reading command failed on a read-only file:\n{s}\n{stderr}");
    }
    assert!(sections[0].contains("王"), "{}", sections[0]);
    assert!(sections[1].contains(&number));
    assert!(sections[3].contains("办理记录校验链：正常"));
    assert!(sections[4].contains("已备份到"));
    assert!(home.path().join("b.db").exists());
    assert!(sections[5].trim_end().ends_with("rc=1"), "a write is refused: {}", sections[5]);
    assert!(!stderr.contains("disk I/O error") && !stderr.contains("数据库错误"), "{stderr}");
}

#[test]
fn a_full_disk_is_named_and_a_failed_init_leaves_no_file() {
    if !can_mount() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mnt = home.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let m = mnt.display();
    let out = in_namespace(
        home.path(),
        &format!(
            "mount -t tmpfs -o size=64k none {m} || exit 99
             echo '== init'; $X --db {m}/new.db init; echo \"rc=$?\"; ls {m}
             mount -o remount,size=2m {m}
             $X --db {m}/x.db init >/dev/null || exit 98
             dd if=/dev/zero of={m}/fill bs=1k 2>/dev/null
             echo '== import'; $X --db {m}/x.db import --format csv seeds/import-example.csv; echo \"rc=$?\"
             echo '== check'; $X --db {m}/x.db check; echo \"rc=$?\"
             echo '== day'; $X --db {m}/x.db reception add-day --date 2026-12-20 --leader 李 --post 区长 --place 信访局; echo \"rc=$?\"
             rm {m}/fill; echo '== after'; $X --db {m}/x.db check >/dev/null; echo \"rc=$?\""
        ),
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = err_text(&out);
    assert!(out.status.code().is_some_and(|c| c < 98), "{text}{stderr}");
    assert!(text.contains("== init\nrc=1\nlogs\n"), "the failed init leaves no database file:\n{text}");
    for step in ["import", "check", "day"] {
        let part = text.split(&format!("== {step}\n")).nth(1).unwrap_or_default();
        assert!(part.starts_with("rc=1"), "{step}: {part}");
    }
    assert_eq!(stderr.matches("磁盘空间不足").count(), 4, "{stderr}");
    assert!(!stderr.contains("disk I/O error"), "{stderr}");
    assert!(text.trim_end().ends_with("== after\nrc=0"), "the database is sound once room is made:\n{text}");
}
