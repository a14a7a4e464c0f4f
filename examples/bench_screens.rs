//! Every screen of the desk on a large database, as the clerk meets it:
//! the first frame after start, each screen's key → frame (what the UI
//! thread spends before it can draw again) and key → data (until its
//! worker's answer is drawn), the popups with data (a case, the profile
//! of the petitioner with the most cases, the papers list), and another
//! desk's commit on each screen (tick → frame, tick → data). Beside each,
//! the minimal SQL for the same answer, timed in the same run.
//!
//! ```sh
//! cp big.db /tmp/screens.db        # the foreign commits write: use a copy
//! cargo run --release --example bench_screens -- /tmp/screens.db [RUNS]
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::Connection;
use xfdesk::app::{App, Clock, Session};
use xfdesk::store::Store;
use xfdesk::ui::{self, Theme};

type Sample = Vec<Duration>;

fn main() -> anyhow::Result<()> {
    let path = PathBuf::from(std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bench_screens DB [RUNS]"))?);
    let runs: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let store = Store::open(&path)?;
    let actor = actor(&store)?;
    let cases: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    println!("界面基准：{}（{cases} 件，每项 {runs} 次，200×50）", path.display());
    println!("{:<34}{:>10}{:>10}{:>10}   {:>10}{:>8}", "", "中位数ms", "p99ms", "最大ms", "最简SQLms", "倍数");

    // Start: App::new and its first frame, then the frame with the home data.
    let (mut first, mut first_data) = (Vec::new(), Vec::new());
    let mut app = None;
    for _ in 0..runs.min(5) {
        let mut store = Store::open(&path)?;
        store.act_as(actor.clone());
        let t = Instant::now();
        let mut a = App::new(store, session(&actor), Clock::System)?;
        draw(&mut a)?;
        first.push(t.elapsed());
        until_loaded(&mut a)?;
        first_data.push(t.elapsed());
        app = Some(a);
    }
    let mut app = app.ok_or_else(|| anyhow::anyhow!("no run"))?;
    let conn = store.conn();
    let today = chrono::Local::now().date_naive().to_string();
    let home_min = time(runs, || minimal_home(conn, &today))?;
    row("启动到第一帧", &first, None);
    row("启动到工作台数据", &first_data, Some(&home_min));

    let mut foreign = Store::open(&path)?;
    foreign.act_as(actor.clone());
    for (key, name) in
        [('1', "工作台"), ('2', "来访登记"), ('3', "接访队列"), ('4', "查询"), ('5', "督促"), ('6', "报表")]
    {
        let (mut frame, mut data) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            // F1-F6 switch screens even where a box takes typing (查询, 来访登记).
            let f = key.to_digit(10).unwrap_or(1) as u8;
            press(&mut app, KeyCode::F(if f == 1 { 2 } else { 1 }))?;
            until_loaded(&mut app)?;
            let t = Instant::now();
            press(&mut app, KeyCode::F(f))?;
            frame.push(t.elapsed());
            until_loaded(&mut app)?;
            data.push(t.elapsed());
        }
        let min = match key {
            '1' => Some(home_min.clone()),
            '5' => Some(time(runs, || minimal_reminders(conn, &today))?),
            _ => None,
        };
        if key == '5' {
            let rules = &app.session().reminder_rules;
            let direct = xfdesk::store::reminders::due_list(conn, chrono::Local::now().date_naive(), rules)?.len();
            println!("（页面 {:?}，直接读 {direct} 件）", app.screen());
            let r = app.reminders();
            println!("（督促清单 {} 件，本页 {} 行，单位 {} 个）", r.entries.len(), r.due.len(), r.units.len());
            if let Some(n) = app.notice() {
                println!("（状态栏：{}）", n.text);
            }
        }
        if key == '5' {
            parts_of_reminders(conn, runs.min(5), &app.session().reminder_rules)?;
        }
        row(&format!("按 F{key} {name}：到第一帧"), &frame, None);
        row(&format!("按 F{key} {name}：到数据"), &data, min.as_ref());
        // Another desk commits while this screen is shown.
        let (tick, tick_data) = after_commits(&mut app, &mut foreign, runs, until_loaded)?;
        row(&format!("  {name}：他人提交后到第一帧"), &tick, None);
        row(&format!("  {name}：他人提交后到数据"), &tick_data, None);
    }

    // Popups with data: the busiest petitioner's profile, a case, its papers.
    let (pid, id_number): (i64, String) = conn.query_row(
        "SELECT p.id, p.id_number FROM petitioners p JOIN case_petitioners cp ON cp.petitioner_id = p.id
         GROUP BY p.id ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let n: i64 =
        conn.query_row("SELECT count(*) FROM case_petitioners WHERE petitioner_id = ?1", [pid], |r| r.get(0))?;
    press(&mut app, KeyCode::F(4))?;
    for c in id_number.chars() {
        press(&mut app, KeyCode::Char(c))?;
    }
    // Enter → the frame drawn at once (the status bar says what opens), and
    // Enter → the frame with the popup (read on a worker).
    let (mut profile, mut profile_shown, mut detail, mut detail_shown, mut papers) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        until_loaded(&mut app)?; // the reload after the last Esc is not this open's
        let t = Instant::now();
        press(&mut app, KeyCode::Enter)?;
        profile.push(t.elapsed());
        until_shown(&mut app, |a| a.profile().is_some())?;
        profile_shown.push(t.elapsed());
        let t = Instant::now();
        press(&mut app, KeyCode::Enter)?;
        detail.push(t.elapsed());
        until_shown(&mut app, |a| a.detail().is_some())?;
        detail_shown.push(t.elapsed());
        let t = Instant::now();
        press(&mut app, KeyCode::Char('P'))?;
        papers.push(t.elapsed());
        for _ in 0..3 {
            press(&mut app, KeyCode::Esc)?;
        }
    }
    // Another desk commits while the case is open: the detail reads afresh.
    press(&mut app, KeyCode::Enter)?;
    until_loaded(&mut app)?;
    press(&mut app, KeyCode::Enter)?;
    until_loaded(&mut app)?;
    let (tick, tick_data) = after_commits(&mut app, &mut foreign, runs, |a| {
        until_shown(a, |a| a.detail().is_some_and(|d| !d.is_loading()))
    })?;
    let open = app.detail().map(|d| d.dossier.events.len()).unwrap_or_default();
    for _ in 0..2 {
        press(&mut app, KeyCode::Esc)?;
    }
    let profile_min = time(runs, || {
        count(
            conn,
            "SELECT c.id, c.number, c.status FROM case_petitioners cp JOIN cases c ON c.id = cp.case_id WHERE cp.petitioner_id = ?1",
            pid,
        )
    })?;
    row(&format!("档案（{n} 件）Enter：到第一帧"), &profile, None);
    row("  档案：到数据", &profile_shown, Some(&profile_min));
    let case_min = time(runs, || {
        count(
            conn,
            "SELECT e.id FROM case_events e WHERE e.case_id = (SELECT max(case_id) FROM case_petitioners WHERE petitioner_id = ?1)",
            pid,
        )
    })?;
    row("事项详情（Enter）：到第一帧", &detail, None);
    row("  事项详情：到数据", &detail_shown, Some(&case_min));
    row("文书列表（P）", &papers, None);
    row(&format!("  详情（{open} 条）：他人提交后到第一帧"), &tick, None);
    row("  详情：他人提交后到数据", &tick_data, None);
    Ok(())
}

/// The 督促 worker's parts, each timed alone.
fn parts_of_reminders(
    conn: &Connection,
    runs: usize,
    rules: &xfdesk::domain::reminder::ReminderRules,
) -> anyhow::Result<()> {
    use xfdesk::store::{call_spans, reminders};
    let today = chrono::Local::now().date_naive();
    let cal = xfdesk::store::calendar::load(conn)?;
    let spans = time(runs, || call_spans::due_today(conn, today, rules).map_err(to_sql))?;
    row("  督促：到期范围读取（due_today）", &spans, None);
    let list = time(runs, || reminders::due_list(conn, today, rules).map_err(to_sql))?;
    row("  督促：清单含单位（due_list）", &list, None);
    let units = time(runs, || reminders::unit_records(conn, today).map_err(to_sql))?;
    row("  督促：各单位情况（unit_records）", &units, None);
    let first: Vec<_> = reminders::due_list(conn, today, rules)?.into_iter().take(100).collect();
    let page = time(runs, || reminders::due_calls(conn, &first, today, rules, &cal).map_err(to_sql))?;
    row("  督促：一页100行（due_calls）", &page, None);
    Ok(())
}

fn to_sql(e: xfdesk::store::StoreError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e.to_string())))
}

/// The account the desk runs as: the database's first administrator-capable one.
fn actor(store: &Store) -> anyhow::Result<xfdesk::store::accounts::Actor> {
    let accounts = xfdesk::store::accounts::list(store.conn())?;
    let best = accounts.iter().filter(|a| a.active).max_by_key(|a| a.roles.len());
    best.map(|a| a.actor()).ok_or_else(|| anyhow::anyhow!("no account: run xfdesk once to make the administrator"))
}

fn session(actor: &xfdesk::store::accounts::Actor) -> Session {
    // A desk of its own: no earlier intake draft offered over the screens.
    let desk = format!("bench-{}", std::process::id());
    Session { actor: Some(actor.clone()), operator: actor.label(), desk, ..Session::default() }
}

fn draw(app: &mut App) -> anyhow::Result<()> {
    let mut t = Terminal::new(TestBackend::new(200, 50))?;
    t.draw(|f| ui::draw(f, app, &Theme::new(true)))?;
    Ok(())
}

/// One key as the event loop handles it: the event, the deferred work, a frame.
fn press(app: &mut App, code: KeyCode) -> anyhow::Result<()> {
    let mods = if code == KeyCode::Char('P') { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.handle_event(&Event::Key(KeyEvent::new(code, mods)));
    app.settle();
    draw(app)
}

/// Frames until the screens' workers have answered, then the frame with it.
fn until_loaded(app: &mut App) -> anyhow::Result<()> {
    app.finish_loads();
    app.reports_mut().wait();
    app.settle();
    draw(app)
}

/// Another desk commits `runs` times: tick → first frame, and tick → the
/// frame after `read` (then every worker is let finish).
fn after_commits(
    app: &mut App,
    foreign: &mut Store,
    runs: usize,
    read: impl Fn(&mut App) -> anyhow::Result<()>,
) -> anyhow::Result<(Sample, Sample)> {
    let (mut tick, mut data) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        foreign_commit(foreign)?;
        let t = Instant::now();
        app.tick();
        draw(app)?;
        tick.push(t.elapsed());
        read(app)?;
        data.push(t.elapsed());
        until_loaded(app)?;
    }
    Ok((tick, data))
}

/// Frames, as the event loop draws them while a worker reads, until `shown`.
fn until_shown(app: &mut App, shown: impl Fn(&App) -> bool) -> anyhow::Result<()> {
    let give_up = Instant::now() + Duration::from_secs(60);
    while !shown(app) {
        anyhow::ensure!(Instant::now() < give_up, "the popup never opened");
        std::thread::sleep(Duration::from_micros(200));
        app.settle();
        draw(app)?;
    }
    Ok(())
}

/// What another desk commits: a holiday-free write every desk sees (a call on a case).
fn foreign_commit(store: &mut Store) -> anyhow::Result<()> {
    store.write(|tx| {
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_screens', datetime('now'))", [])?;
        Ok(())
    })?;
    Ok(())
}

/// The home screen's numbers as directly as SQL can: cases, open clocks by date.
fn minimal_home(conn: &Connection, today: &str) -> rusqlite::Result<usize> {
    let total: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    let overdue: i64 =
        conn.query_row("SELECT count(*) FROM case_deadlines WHERE met_at IS NULL AND due_date < ?1", [today], |r| {
            r.get(0)
        })?;
    Ok((total + overdue) as usize)
}

/// The 督促 list as directly as SQL can: the due spans' range read, and the units.
fn minimal_reminders(conn: &Connection, today: &str) -> rusqlite::Result<usize> {
    let due: i64 = conn.query_row(
        "SELECT count(*) FROM call_spans WHERE (until_day IS NULL OR until_day >= ?1) AND from_day <= ?1",
        [today],
        |r| r.get(0),
    )?;
    let units: i64 = conn.query_row("SELECT count(DISTINCT unit) FROM assignments", [], |r| r.get(0))?;
    Ok((due + units) as usize)
}

fn count(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<usize> {
    Ok(conn.prepare_cached(sql)?.query_map([id], |_| Ok(()))?.count())
}

fn time<T>(runs: usize, mut f: impl FnMut() -> rusqlite::Result<T>) -> anyhow::Result<Sample> {
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f()?);
        out.push(t.elapsed());
    }
    Ok(out)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(s: &[Duration]) -> (Duration, Duration, Duration) {
    let mut v = s.to_vec();
    v.sort();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), v[v.len() - 1])
}

fn row(what: &str, s: &[Duration], min: Option<&Sample>) {
    let (med, p99, max) = stats(s);
    let label = xfdesk::text::pad(what, 34);
    let tail = match min {
        Some(m) => {
            let (m_med, ..) = stats(m);
            format!("   {:>10.3}{:>7.1}×", ms(m_med), ms(med) / ms(m_med).max(1e-6))
        }
        None => String::new(),
    };
    println!("{label}{:>10.3}{:>10.3}{:>10.3}{tail}", ms(med), ms(p99), ms(max));
}
