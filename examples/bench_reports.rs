//! Reports benchmark on a generated database: the weekly screening report,
//! a one-year metrics run and the 预警 list (in-process, warm, 5 runs each),
//! then typing on the search screen while the 报表 screen's worker computes
//! a year of metrics: keystroke → frame times, and the worker's time.
//!
//! ```sh
//! cargo run --release -- --db /tmp/big/gen.db gen --petitioners 300000 --cases 1000000 --seed 1
//! cargo run --release --example bench_reports -- /tmp/big/gen.db
//! ```

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use xfdesk::app::reports::ReportTab;
use xfdesk::app::{Action, App, Clock, Screen, Session};
use xfdesk::domain::metrics::{MetricRules, last_week_ending};
use xfdesk::domain::warning::WarningRules;
use xfdesk::store::Store;
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::screening::{self, WeekParams};
use xfdesk::ui::{self, Theme};

const RUNS: usize = 5;

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        anyhow::bail!("用法：cargo run --release --example bench_reports -- 数据库文件（先用 xfdesk gen 生成）");
    };
    let store = Store::open(std::path::Path::new(&path))?;
    let cases: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    let newest: String = store.conn().query_row("SELECT max(registered_at) FROM cases", [], |r| r.get(0))?;
    let today: chrono::NaiveDate = newest[..10].parse()?;
    println!("报表基准：{path}（{cases} 件，最新登记 {today}；每项热身 1 次后计时 {RUNS} 次）");
    let refs = ReferenceData::load(store.conn())?;
    let week = last_week_ending(today, chrono::Weekday::Fri);
    let params = WeekParams {
        week_ending: week,
        office: "中站区信访局".into(),
        filled_by: "bench".into(),
        reviewer: String::new(),
        unmasked: false,
    };
    let rules = WarningRules::default();
    let from = today - chrono::Months::new(12) + chrono::Days::new(1);
    time("每周排查上报", || {
        let r = screening::weekly(store.conn(), &refs, &params, &rules)?;
        Ok(format!("表A {} 人，表B {} 项", r.persons.len(), r.disputes.len()))
    })?;
    time("一年指标", || {
        let r = xfdesk::reports::metrics_report(
            store.conn(),
            "中站区信访局",
            (from, today, today),
            chrono::Weekday::Fri,
            &MetricRules::default(),
        )?;
        Ok(format!("{} 件，及时受理率 {}", r.metrics.total, r.metrics.timely_bureau.display()))
    })?;
    time("  其中：读取记录", || {
        let r = xfdesk::store::metrics::records(store.conn(), from, today, &MetricRules::default())?;
        Ok(format!("{} 条", r.len()))
    })?;
    time("  其中：超期按单位", || {
        let r = xfdesk::store::metrics::overdue_by_unit(store.conn(), today)?;
        Ok(format!("{} 个单位", r.len()))
    })?;
    time("预警列表", || {
        let r = xfdesk::store::warnings::warning_list(store.conn(), &refs, today, &rules)?;
        Ok(format!("{} 条", r.len()))
    })?;
    typing_while_computing(store, today)
}

fn time(label: &str, mut f: impl FnMut() -> anyhow::Result<String>) -> anyhow::Result<()> {
    let what = f()?;
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}  中位数 {:>7.1} ms  最大 {:>7.1} ms  （{what}）",
        xfdesk::text::pad(label, 20),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
    Ok(())
}

/// Open the 报表 screen (its worker starts on a year of metrics), go to the
/// search screen and type while it runs; every key is handled and drawn at
/// once. Then wait for the worker and say how long it took.
fn typing_while_computing(store: Store, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let now = today.and_hms_opt(16, 0, 0).unwrap_or_default();
    let session = Session { operator: "bench".into(), desk: "bench".into(), ..Session::default() };
    let mut app = App::new(store, session, Clock::Fixed(now))?;
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    app.update(Action::GoTo(Screen::Reports));
    app.update(Action::ShowReport(ReportTab::Metrics));
    let started = Instant::now();
    app.update(Action::GoTo(Screen::Search));
    let keys = ['张', '三', '\u{8}', '\u{8}', '拆', '迁', '\u{8}', '\u{8}'];
    let mut times = Vec::new();
    let mut during = 0;
    while app.reports().is_busy() {
        for k in keys {
            let code = if k == '\u{8}' { KeyCode::Backspace } else { KeyCode::Char(k) };
            let t = Instant::now();
            app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
            app.settle();
            terminal.draw(|f| ui::draw(f, &app, &theme))?;
            times.push(t.elapsed());
            during += usize::from(app.reports().is_busy());
        }
    }
    let worker = started.elapsed();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p99 = times[((times.len() as f64 * 0.99) as usize).min(times.len() - 1)];
    println!(
        "计算一年指标期间在查询页输入：{} 次按键（{during} 次在后台计算时），按键→画面 中位数 {:.2} ms，p99 {:.2} ms，最大 {:.2} ms；后台计算用时 {:.0} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(p99),
        ms(times[times.len() - 1]),
        ms(worker)
    );
    anyhow::ensure!(app.reports().metrics.is_some(), "后台计算未得到结果：{:?}", app.reports().message);
    Ok(())
}
