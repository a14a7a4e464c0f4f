//! Restore cannot lose the database: bad backups are refused before anything
//! changes, a backup's WAL comes along, a kill at any moment leaves the live
//! file whole, the live file is never restored onto itself, two restores in
//! one second keep both replaced files, and encrypted backups open only with
//! their passphrase or key.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use xfdesk::store::{Store, cases, restore};

mod common;
use common::*;

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// What a refused restore must leave as it was: every row of every table
/// but the audit log's sign-in rows and the accounts' sign-in counters
/// (signing in to run the restore writes those, as it should).
fn rows(p: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(p).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let filter = match t.as_str() {
            "audit_log" => " WHERE action NOT LIKE '登录%'",
            "accounts" => continue,
            _ => "",
        };
        let sql = format!("SELECT * FROM \"{t}\"{filter}");
        let mut stmt = c.prepare(&sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                Ok(cells.join("|"))
            })
            .unwrap();
        for row in rows {
            out.push(format!("{t}:{}", row.unwrap()));
        }
    }
    out
}

/// A live demo database and a verified backup of it.
fn desk_and_backup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("live.db");
    assert!(xfdesk_on(home.path(), &db, &["--demo", "init"]).status.success());
    let bak = home.path().join("good.bak");
    let out = xfdesk_as(home.path(), &db, &["backup", "--out", bak.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
    (home, db, bak)
}

/// A copy of `bak`, altered by `sql` with the guards dropped.
fn spoiled(home: &Path, bak: &Path, name: &str, sql: &str) -> PathBuf {
    let copy = home.join(name);
    std::fs::copy(bak, &copy).unwrap();
    let c = Connection::open(&copy).unwrap();
    c.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER case_events_append_only_update; DROP TRIGGER case_events_append_only_delete;
         {sql}
         CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能修改'); END;
         CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能删除'); END;"
    ))
    .unwrap();
    copy
}

#[test]
fn a_backup_that_fails_the_full_check_is_refused_and_nothing_changes() {
    let (home, db, bak) = desk_and_backup();
    let bad = [
        ("trail.bak", "UPDATE case_events SET note = '改过' WHERE id = 3;", "办理记录校验链断裂"),
        (
            "fk.bak",
            "INSERT INTO case_petitioners (case_id, seq, petitioner_id) VALUES (1, 9, 999999);",
            "外键检查未通过",
        ),
        ("table.bak", "DROP TABLE reminders;", "缺少数据表 reminders"),
        ("row.bak", "UPDATE cases SET content = '改过' WHERE id = 2;", "的记录被直接改动：反映内容"),
    ];
    let before = rows(&db);
    for (name, sql, why) in bad {
        let file = spoiled(home.path(), &bak, name, sql);
        let out = xfdesk_as(home.path(), &db, &["restore", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            err_text(&out).contains("未通过校验，没有恢复") && err_text(&out).contains(why),
            "{name}: {}",
            err_text(&out)
        );
        assert_eq!(rows(&db), before, "{name}: the live database is untouched");
        let leftovers: Vec<_> = std::fs::read_dir(home.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("replaced-") || n.contains("partial") || n.contains(".plain"))
            .collect();
        assert!(leftovers.is_empty(), "{name}: {leftovers:?}");
    }
}

#[test]
fn a_backups_wal_is_restored_with_it() {
    let home = tempfile::tempdir().unwrap();
    let src = home.path().join("src.db");
    let mut store = Store::open(&src).unwrap();
    store.conn().execute_batch("PRAGMA wal_autocheckpoint = 0;").unwrap();
    for i in 0..8 {
        let reg = registration(petitioner(&format!("王{i}"), &valid_id(&format!("4108031990010{i:04}"))), "物业");
        cases::register(&mut store, &reg).unwrap();
    }
    // Copied while the writer is open: the cases live in the -wal beside it.
    let bak = home.path().join("copy.db");
    std::fs::copy(&src, &bak).unwrap();
    std::fs::copy(src.with_extension("db-wal"), home.path().join("copy.db-wal")).unwrap();
    assert!(std::fs::metadata(home.path().join("copy.db-wal")).unwrap().len() > 0);
    drop(store);
    let live = home.path().join("live.db");
    assert!(xfdesk_on(home.path(), &live, &["init"]).status.success());
    let out = xfdesk_as(home.path(), &live, &["restore", bak.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
    assert_eq!(count(&live, "SELECT count(*) FROM cases"), 8, "all eight, not only those checkpointed");
}

#[test]
fn the_live_file_is_never_restored_onto_itself() {
    let (home, db, _) = desk_and_backup();
    let before = rows(&db);
    let same = home.path().join(".").join("live.db");
    let out = xfdesk_as(home.path(), &db, &["restore", same.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("就是正在使用的数据库"), "{}", err_text(&out));
    assert_eq!(rows(&db), before);
    assert!(xfdesk_on(home.path(), &db, &["check"]).status.success());
}

#[test]
fn two_restores_in_one_second_keep_both_replaced_files() {
    let (home, db, bak) = desk_and_backup();
    let now = common::now();
    let request = restore::Request { target: &db, from: &bak, key: None, anchors: &[], now };
    let first = restore::restore(&request).unwrap().kept.unwrap();
    let mut store = Store::open(&db).unwrap();
    cases::register(&mut store, &registration(petitioner("其间", &valid_id("41080319900101077")), "其间登记")).unwrap();
    drop(store);
    let second = restore::restore(&request).unwrap().kept.unwrap();
    assert_ne!(first, second);
    let with_case = |p: &Path| count(p, "SELECT count(*) FROM cases WHERE title = '其间登记'");
    assert_eq!(with_case(&first), 0);
    assert_eq!(with_case(&second), 1, "the second replaced file is not lost");
    let _ = home;
}

#[test]
fn a_kill_at_any_moment_of_a_restore_leaves_the_live_database_whole() {
    let home = tempfile::tempdir().unwrap();
    let big = home.path().join("big.db");
    let out = xfdesk_as(home.path(), &big, &["gen", "--petitioners", "1000", "--cases", "4000"]);
    assert!(out.status.success(), "{}", err_text(&out));
    let bak = home.path().join("big.bak");
    assert!(xfdesk_as(home.path(), &big, &["backup", "--out", bak.to_str().unwrap()]).status.success());
    let db = home.path().join("live.db");
    assert!(xfdesk_on(home.path(), &db, &["--demo", "init"]).status.success());
    let live_cases = count(&db, "SELECT count(*) FROM cases");

    // How long one restore takes here, to spread the kills across it.
    let probe = home.path().join("probe.db");
    std::fs::copy(&db, &probe).unwrap();
    let started = Instant::now();
    assert!(xfdesk_as(home.path(), &probe, &["restore", bak.to_str().unwrap()]).status.success());
    let whole = started.elapsed();

    let mut rng = fastrand::Rng::with_seed(18);
    let mut killed = 0;
    for round in 0..8 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xfdesk"))
            .arg("--db")
            .arg(&db)
            .args(tester(home.path(), &db))
            .args(["restore", bak.to_str().unwrap()])
            .env("HOME", home.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole.mul_f64(0.05 + 0.9 * rng.f64()));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let finished = child.wait().unwrap().success();
        let n = count(&db, "SELECT count(*) FROM cases");
        assert!(n == live_cases || n == 4000, "round {round}: {n} cases: neither the old nor the restored database");
        let check = xfdesk_on(home.path(), &db, &["check", "--quick"]);
        assert!(check.status.success(), "round {round}: {}", String::from_utf8_lossy(&check.stdout));
        if finished {
            // Put the small one back for the next round.
            std::fs::remove_file(&db).unwrap();
            assert!(xfdesk_on(home.path(), &db, &["--demo", "init"]).status.success());
        }
    }
    assert!(killed >= 4, "most rounds were killed mid-restore ({killed})");
    let _ = Duration::ZERO;
}

#[cfg(unix)]
fn owner_only_file(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn an_encrypted_backup_opens_only_with_its_passphrase() {
    let (home, db, _) = desk_and_backup();
    let pass = home.path().join("pass.txt");
    owner_only_file(&pass, "正确的口令 correct horse\n", 0o644);
    let locked = home.path().join("desk.db.age");
    let args = ["backup", "--encrypt", "--passphrase-file", pass.to_str().unwrap(), "--out", locked.to_str().unwrap()];
    let out = xfdesk_as(home.path(), &db, &args);
    assert_eq!(out.status.code(), Some(1), "a passphrase file others can read is refused");
    assert!(err_text(&out).contains("应只允许本人读取"), "{}", err_text(&out));
    owner_only_file(&pass, "正确的口令 correct horse\n", 0o600);
    let out = xfdesk_as(home.path(), &db, &args);
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已加密"));
    let again = xfdesk_as(home.path(), &db, &args);
    assert_eq!(again.status.code(), Some(1), "an existing backup is replaced only with --force");
    assert!(err_text(&again).contains("已存在；要替换它请加 --force"), "{}", err_text(&again));
    let onto_db = xfdesk_as(home.path(), &db, &["--force", "backup", "--out", db.to_str().unwrap()]);
    assert_eq!(onto_db.status.code(), Some(1));
    assert!(err_text(&onto_db).contains("就是数据库本身"), "{}", err_text(&onto_db));
    let head = bytes(&locked);
    assert!(head.starts_with(b"age-encryption.org/v1"), "an age file");
    assert!(!head.windows(15).any(|w| w == b"SQLite format 3"), "no plain database inside");
    let names: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "no plain copy left behind: {names:?}");

    // The desk goes on; a wrong passphrase changes nothing.
    let mut store = Store::open(&db).unwrap();
    cases::register(&mut store, &registration(petitioner("之后", &valid_id("41080319900101055")), "加密之后")).unwrap();
    drop(store);
    let before = rows(&db);
    let wrong = home.path().join("wrong.txt");
    owner_only_file(&wrong, "不对的口令\n", 0o600);
    let out = xfdesk_as(
        home.path(),
        &db,
        &["restore", locked.to_str().unwrap(), "--passphrase-file", wrong.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("口令或私钥不对"), "{}", err_text(&out));
    assert_eq!(rows(&db), before);

    let out = xfdesk_as(
        home.path(),
        &db,
        &["restore", locked.to_str().unwrap(), "--passphrase-file", pass.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", err_text(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM cases WHERE title = '加密之后'"), 0, "back to the backup");

    // Without a terminal and without a file, it says how to give one.
    let out = xfdesk_as(home.path(), &db, &["restore", locked.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("--passphrase-file"), "{}", err_text(&out));
}

#[cfg(unix)]
#[test]
fn an_encrypted_backup_for_a_recipient_opens_with_the_key() {
    use age::secrecy::ExposeSecret;
    let (home, db, _) = desk_and_backup();
    let key = age::x25519::Identity::generate();
    let keyfile = home.path().join("key.txt");
    owner_only_file(&keyfile, &format!("{}\n", key.to_string().expose_secret()), 0o600);
    let locked = home.path().join("desk.age");
    let recipient = key.to_public().to_string();
    let out = xfdesk_as(
        home.path(),
        &db,
        &["backup", "--encrypt", "--recipient", &recipient, "--out", locked.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", err_text(&out));
    let out = xfdesk_as(home.path(), &db, &["backup", "--encrypt", "--recipient", "age1不是公钥", "--out", "x.age"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("接收方公钥应为 age1"));
    let out =
        xfdesk_as(home.path(), &db, &["restore", locked.to_str().unwrap(), "--identity", keyfile.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
}
