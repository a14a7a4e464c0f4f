//! Drafts per window: two real xfdesk windows on one database (in pseudo
//! terminals made by `script`), typing into the intake, are killed with
//! SIGKILL; each had its own draft, and the next start offers them back —
//! its own first, then the orphans, newest first — and a "no" goes on to
//! the next one.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::KeyCode;
use xfdesk::app::intake::{Key, PersonField};
use xfdesk::app::popups::confirm::Confirm;
use xfdesk::app::{App, Clock, Session};
use xfdesk::store::{Store, drafts, windows};

/// `xfdesk --db DB --desk DESK` in a pseudo terminal of 120x40; `None` where
/// there is no `script` (util-linux), which CI must have.
fn window(home: &Path, db: &Path, desk: &str) -> Option<Child> {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs `script` (util-linux) for the window tests");
        eprintln!("skipped: no `script` on this machine");
        return None;
    }
    let cmd =
        format!("stty rows 40 cols 120; exec {} --db {} --desk {desk}", env!("CARGO_BIN_EXE_xfdesk"), db.display());
    let child = Command::new("script")
        .args(["-qfec", &cmd, "/dev/null"])
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = child;
    // The sign-in comes first: the demo's 接待员 (its window is claimed after
    // it), typed once the program has the terminal in raw mode.
    xfdesk_pid(&child);
    std::thread::sleep(Duration::from_millis(1500));
    type_into(&mut child, "jiedai\tjiedai-2026\r");
    Some(child)
}

fn type_into(child: &mut Child, text: &str) {
    let input = child.stdin.as_mut().unwrap();
    input.write_all(text.as_bytes()).unwrap();
    input.flush().unwrap();
}

/// The xfdesk process `script` runs (its only child).
fn xfdesk_pid(script: &Child) -> i32 {
    let path = format!("/proc/{0}/task/{0}/children", script.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let children = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "script started no child");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn drafts_of(db: &Path) -> Vec<(String, String)> {
    let store = Store::open(db).unwrap();
    drafts::all(store.conn()).unwrap().into_iter().map(|(desk, _, data)| (desk, data)).collect()
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_windows_keep_their_own_drafts_through_kill_9_and_both_are_offered_back() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    demo_db(&db);
    // The same --desk twice (a copied shortcut): the second window becomes 前台#2.
    let Some(mut first) = window(home.path(), &db, "前台") else { return };
    wait_for("the first window", || windows::is_running(&db, "前台"));
    let mut second = window(home.path(), &db, "前台").unwrap();
    wait_for("the second window", || windows::is_running(&db, "前台#2"));
    type_into(&mut first, "2\t王窗口甲");
    wait_for("the first draft", || drafts_of(&db).iter().any(|(_, d)| d.contains("王窗口甲")));
    type_into(&mut second, "2\t李窗口乙");
    wait_for("the second draft", || drafts_of(&db).iter().any(|(_, d)| d.contains("李窗口乙")));
    for w in [&first, &second] {
        let pid = xfdesk_pid(w);
        assert!(Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    }
    for mut w in [first, second] {
        let _ = w.kill();
        let _ = w.wait();
    }
    wait_for("the locks to go", || !windows::is_running(&db, "前台") && !windows::is_running(&db, "前台#2"));
    let kept = drafts_of(&db);
    let desks: Vec<&str> = kept.iter().map(|(d, _)| d.as_str()).collect();
    assert!(desks.contains(&"前台") && desks.contains(&"前台#2"), "one draft per window: {desks:?}");
    assert!(kept.iter().any(|(d, data)| d == "前台" && data.contains("王窗口甲")));
    assert!(kept.iter().any(|(d, data)| d == "前台#2" && data.contains("李窗口乙")));

    // 前台 starts again: its own draft first; "no" goes on to the orphan of 前台#2.
    let session = Session { desk: "前台".into(), ..session() };
    let mut app = App::new(Store::open(&db).unwrap(), session, Clock::Fixed(now())).unwrap();
    assert!(matches!(app.confirm(), Some(Confirm::Recover { from: None, .. })), "{:?}", app.confirm());
    key(&mut app, KeyCode::Esc);
    assert!(
        matches!(app.confirm(), Some(Confirm::Recover { from: Some(w), .. }) if w == "前台#2"),
        "the orphan is offered next: {:?}",
        app.confirm()
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.intake().value(Key::Person(0, PersonField::Name)), "李窗口乙");
    let left: Vec<String> = drafts_of(&db).into_iter().map(|(d, _)| d).collect();
    assert_eq!(left, vec!["前台".to_string()], "the orphan is now this window's draft");
}

/// A draft of a window that still runs is never offered to another.
#[test]
fn a_running_windows_draft_is_not_offered_to_another() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    demo_db(&db);
    let Some(mut running) = window(home.path(), &db, "甲窗口") else { return };
    wait_for("the window", || windows::is_running(&db, "甲窗口"));
    type_into(&mut running, "2\t正在写");
    wait_for("its draft", || drafts_of(&db).iter().any(|(_, d)| d.contains("正在写")));
    let session = Session { desk: "乙窗口".into(), ..session() };
    let app = App::new(Store::open(&db).unwrap(), session, Clock::Fixed(now())).unwrap();
    assert!(app.confirm().is_none(), "{:?}", app.confirm());
    let _ = Command::new("kill").args(["-9", &xfdesk_pid(&running).to_string()]).status();
    let _ = running.kill();
    let _ = running.wait();
}
