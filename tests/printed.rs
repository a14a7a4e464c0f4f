//! Every printed line is safe: after hostile text is registered, no command
//! prints an escape sequence, a C1 or bidi control or a bare control byte on
//! stdout or stderr, in text or JSON; failing commands log no full ID.

mod common;

use std::process::{Command, Output};

use common::*;
use xfdesk::domain::ExternalRef;
use xfdesk::store::{Store, cases};

const HOSTILE: &str =
    "\u{1b}]2;pwned\u{7}\u{1b}[31m红\u{9b}2J\u{202e}倒\u{2066}\u{8}\r\u{1b}]8;;http://x\u{1b}\\链\u{1b}]52;c;aGk=\u{7}";

fn run(db: &std::path::Path, args: &[&str]) -> Output {
    let dbs = db.to_str().unwrap();
    Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .arg("--db")
        .arg(db)
        .args(sign_in_for(db.parent().unwrap(), &[&["--db", dbs][..], args].concat()))
        .args(args)
        .env("HOME", db.parent().unwrap())
        .env_remove("XFDESK_DB")
        .env_remove("XFDESK_CONFIG")
        .output()
        .unwrap()
}

/// What must never reach a terminal from our output.
fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}')
        })
        .collect()
}

#[test]
fn no_command_prints_a_control_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("xfdesk.db");
    {
        let mut store = Store::open(&db).unwrap();
        xfdesk::store::demo::load_if_empty(&mut store, "410803", now()).unwrap();
        let mut reg = registration(petitioner(&format!("张{HOSTILE}三"), &valid_id("41080319850214003")), HOSTILE);
        reg.case.external_refs = vec![ExternalRef { system: HOSTILE.into(), number: HOSTILE.into() }];
        reg.case.content = HOSTILE.into();
        cases::register(&mut store, &reg).unwrap();
    }
    let number: String = Store::open(&db)
        .unwrap()
        .conn()
        .query_row("SELECT number FROM cases WHERE id = (SELECT max(id) FROM cases)", [], |r| r.get(0))
        .unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["search", "张"],
        vec!["search", "张", "--json"],
        vec!["search", "红"],
        vec!["due"],
        vec!["due", "--json"],
        vec!["case", "show", &number],
        vec!["case", "show", &number, "--json"],
        vec!["reminders", "due"],
        vec!["reminders", "due", "--json"],
        vec!["report", "warnings"],
        vec!["report", "warnings", "--json"],
        vec!["reception", "days"],
        vec!["check"],
    ];
    for args in &commands {
        let o = run(&db, args);
        for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(unsafe_chars(&text).is_empty(), "{args:?} {what}: {:?}\n{text}", unsafe_chars(&text));
        }
    }
    // JSON keeps the data: the controls are escaped, not dropped.
    let o = run(&db, &["case", "show", &number, "--json"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("\\u001b") && text.contains("\\u009b") && text.contains("\\u202e"), "{text}");
}

#[test]
fn a_failing_command_logs_and_says_no_full_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("xfdesk.db");
    let o = run(&db, &["case", "show", "410803196503124029"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("410803196503124029") && err.contains("410803********4029"), "{err}");
    let logs = dir.path().join("logs");
    let mut all = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
    }
    assert!(!all.is_empty(), "something was logged");
    assert!(!all.contains("410803196503124029"), "the log holds the full ID:\n{all}");
}
