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

/// Scripted events: each poll says whether an event is waiting; `on_poll`
/// runs before every poll (the loop has drawn a frame by then).
struct Script<F: FnMut()> {
    events: std::collections::VecDeque<Option<crossterm::event::Event>>,
    on_poll: F,
}

impl<F: FnMut()> xfdesk::tui::Events for Script<F> {
    fn poll(&mut self, _: std::time::Duration) -> std::io::Result<bool> {
        (self.on_poll)();
        match self.events.front() {
            Some(Some(_)) => Ok(true),
            Some(None) => {
                self.events.pop_front();
                Ok(false)
            }
            None => Ok(true),
        }
    }

    fn read(&mut self) -> std::io::Result<crossterm::event::Event> {
        use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        let quit = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        Ok(self.events.pop_front().flatten().unwrap_or(quit))
    }
}

/// A slow daily backup (a job that waits until the desk has drawn) never
/// holds up the first frame: the desk draws and takes keys while it runs,
/// the status bar says so, and says nothing more once it is done.
#[test]
fn the_days_backup_runs_beside_the_desk_and_never_delays_the_first_frame() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, mpsc};
    use xfdesk::app::background::{Background, JobState};
    let (_dir, mut app) = demo_app();
    let background: Background = app.session().background.clone();
    let (release, wait) = mpsc::channel::<()>();
    let released_by_the_desk = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&released_by_the_desk);
    let job = background.start(xfdesk::tui::BACKING_UP, move || {
        // Slow: it ends only when the desk, already drawing, lets it.
        let by_desk = wait.recv_timeout(std::time::Duration::from_secs(20)).is_ok();
        flag.store(by_desk, Ordering::SeqCst);
        Ok("xfdesk-20261128.db".into())
    });
    let shown = screen_text(&render(&mut app, 120, 40));
    assert!(shown.contains("每日备份进行中"), "the status bar says the backup runs:\n{shown}");
    let mut polls = 0;
    let mut script = Script {
        events: vec![
            None,
            Some(crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char('4'),
                crossterm::event::KeyModifiers::NONE,
            ))),
        ]
        .into(),
        on_poll: || {
            polls += 1;
            if polls == 1 {
                // The first frame is drawn and the backup still runs.
                assert_eq!(background.state(), Some(JobState::Running(xfdesk::tui::BACKING_UP)));
                release.send(()).unwrap();
            }
        },
    };
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let theme = xfdesk::ui::Theme::new(true);
    xfdesk::tui::event_loop(&mut terminal, &mut script, &mut app, &theme, std::time::Duration::ZERO).unwrap();
    job.join().unwrap();
    assert!(released_by_the_desk.load(Ordering::SeqCst), "the desk drew and polled before the backup ended");
    assert_eq!(app.screen(), xfdesk::app::Screen::Search, "keys were taken meanwhile");
    assert_eq!(app.session().background.state(), Some(JobState::Done("xfdesk-20261128.db".into())));
    let shown = screen_text(&render(&mut app, 120, 40));
    assert!(!shown.contains("每日备份进行中"), "done: nothing more is said\n{shown}");
    // A failure stays on the status bar.
    app.session()
        .background
        .start(xfdesk::tui::BACKING_UP, || Err("今日自动备份失败：磁盘空间不足".into()))
        .join()
        .unwrap();
    let shown = screen_text(&render(&mut app, 120, 40));
    assert!(shown.contains("今日自动备份失败：磁盘空间不足"), "{shown}");
}
