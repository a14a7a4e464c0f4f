//! Four processes registering cases in one database file at the same time:
//! no "database is locked" reaches anyone, nothing is lost, numbers stay unique.

mod common;

use std::collections::HashSet;
use std::process::Command;

use common::*;
use xfdesk::store::{Store, cases, check};

const WRITERS: usize = 4;
const PER_WRITER: usize = 150;
const WRITER_ENV: &str = "XFDESK_TEST_WRITER_DB";

/// In a child process: register cases as fast as possible and print their numbers.
fn writer(db: &str, n: usize) {
    let mut store = Store::open(std::path::Path::new(db)).expect("open");
    for i in 0..PER_WRITER {
        let id = valid_id(&format!("41080319{:02}0{}{:02}{:03}", 60 + n, n + 1, i % 28 + 1, i));
        let mut reg = registration(petitioner("并发窗口", &id), &format!("窗口{n}第{i}件"));
        reg.case.registered_at = chrono::Local::now().naive_local();
        let done = cases::register(&mut store, &reg).expect("a registration must not fail");
        println!("NUMBER {}", done.number);
    }
}

#[test]
fn four_processes_register_at_once() {
    if let Ok(db) = std::env::var(WRITER_ENV) {
        let n: usize = std::env::var("XFDESK_TEST_WRITER_N").unwrap().parse().unwrap();
        writer(&db, n);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    drop(Store::open(&db).unwrap());
    let me = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|n| {
            Command::new(&me)
                .args(["--exact", "four_processes_register_at_once", "--nocapture", "--test-threads", "1"])
                .env(WRITER_ENV, &db)
                .env("XFDESK_TEST_WRITER_N", n.to_string())
                .output_async()
        })
        .collect();
    let mut numbers = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
        numbers.extend(
            // The harness may print "test … " on the same line as the first number.
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| l.split("NUMBER ").nth(1))
                .map(|n| n.split_whitespace().next().unwrap_or_default().to_string()),
        );
    }
    assert_eq!(numbers.len(), WRITERS * PER_WRITER, "every writer reported every case");
    let unique: HashSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "case numbers are unique");
    let store = Store::open(&db).unwrap();
    let stored: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).unwrap();
    assert_eq!(stored as usize, WRITERS * PER_WRITER, "nothing lost");
    assert!(check::run(store.conn(), false).unwrap().is_ok());
    eprintln!("concurrency: {WRITERS} processes, {} registrations, all unique and stored", numbers.len());
}

/// `Command::spawn` with piped output, as a small extension for readability.
trait SpawnPiped {
    fn output_async(&mut self) -> std::process::Child;
}

impl SpawnPiped for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
    }
}
