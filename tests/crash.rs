//! Crash safety: the real binary writing cases is killed with SIGKILL at
//! random moments; after each kill the database passes `xfdesk check` and
//! holds every case the process reported as committed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::index_names;

fn count(db: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn killed_writers_leave_a_sound_database_with_every_committed_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let xfdesk = env!("CARGO_BIN_EXE_xfdesk");
    let run =
        |args: &[&str]| Command::new(xfdesk).arg("--db").arg(&db).args(args).env("HOME", dir.path()).output().unwrap();
    assert!(run(&["init"]).status.success());
    let who = common::tester(dir.path(), &db);
    let expected_indexes = index_names(&rusqlite::Connection::open(&db).unwrap());
    let mut rng = fastrand::Rng::with_seed(20261128);
    let mut kills = 0;
    for round in 0..20u64 {
        let before = count(&db, "SELECT count(*) FROM cases");
        let seed = (round + 1).to_string();
        let mut child = Command::new(xfdesk)
            .arg("--db")
            .arg(&db)
            .args(&who)
            .args(["gen", "--petitioners", "300", "--cases", "40000", "--batch", "500", "--seed", &seed])
            .env("HOME", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            // The last batch the writer reported as committed.
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.split("事项 ").nth(1).and_then(|n| n.trim().parse::<i64>().ok()))
                .last()
                .unwrap_or(0)
        });
        std::thread::sleep(Duration::from_millis(rng.u64(20..600)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        let committed = reader.join().unwrap();
        // The next writable open finishes an interrupted load (check only reads).
        assert!(run(&["init"]).status.success(), "round {round}: init after the kill");
        let check = run(&["check", "--quick"]);
        let report = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success(), "round {round}: {report}{}", String::from_utf8_lossy(&check.stderr));
        let after = count(&db, "SELECT count(*) FROM cases");
        assert!(after >= before + committed, "round {round}: {after} cases, {before} + {committed} reported committed");
        assert_eq!(
            index_names(&rusqlite::Connection::open(&db).unwrap()),
            expected_indexes,
            "round {round}: the indexes are back"
        );
        assert_eq!(count(&db, "SELECT count(*) FROM meta WHERE key = 'bulk_load_indexes'"), 0);
        assert_eq!(
            count(&db, "SELECT count(*) FROM (SELECT number FROM cases GROUP BY number HAVING count(*) > 1)"),
            0
        );
    }
    let total = count(&db, "SELECT count(*) FROM cases");
    eprintln!("kill loop: {kills} SIGKILLs in 20 rounds, {total} cases committed and intact");
    assert!(kills >= 10, "most rounds were killed mid-write ({kills})");
}
