//! Search benchmark: median and p99 per query kind, and keystroke-to-frame
//! time, on a generated database.
//!
//! ```sh
//! cargo run --release --example bench_search -- /tmp/xfdesk-bench.db
//! ```
//! The database is generated first if the file does not exist
//! (300,000 petitioners, 1,000,000 cases; `XFDESK_BENCH_CASES` to change).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use xfdesk::app::{Action, App, Clock, Screen, Session};
use xfdesk::domain::query;
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{Store, bulk, search};
use xfdesk::synth::{GenOptions, Generator};
use xfdesk::ui::{self, Theme};

const RUNS: usize = 200;

fn main() -> anyhow::Result<()> {
    let path = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/xfdesk-bench.db".into()));
    if !path.exists() {
        generate(&path)?;
    }
    let store = Store::open(&path)?;
    let conn = store.conn();
    let sample = |sql: &str| -> anyhow::Result<Vec<String>> {
        Ok(conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?)
    };
    let ids = sample("SELECT id_number FROM petitioners WHERE id % 1500 = 7 LIMIT 200")?;
    let phones = sample("SELECT number FROM petitioner_phones WHERE id % 1500 = 7 AND kind = 'mobile' LIMIT 200")?;
    let numbers = sample("SELECT number FROM cases WHERE id % 5000 = 3 LIMIT 200")?;
    let names = sample("SELECT name FROM petitioners WHERE id % 1500 = 11 LIMIT 200")?;
    let initials = sample("SELECT name_initials FROM petitioners WHERE id % 1500 = 11 LIMIT 200")?;
    let pinyin = sample("SELECT name_pinyin FROM petitioners WHERE id % 1500 = 11 LIMIT 200")?;
    let tail = |v: &[String], n: usize| -> Vec<String> {
        v.iter().map(|s| s.chars().rev().take(n).collect::<Vec<_>>().into_iter().rev().collect()).collect()
    };
    let words = |w: &[&str]| -> Vec<String> { w.iter().map(|s| s.to_string()).collect() };
    let kinds: Vec<(&str, Vec<String>)> = vec![
        ("空查询(最近)", vec![String::new()]),
        ("证件号", ids.clone()),
        ("证件尾号4位", tail(&ids, 4)),
        ("证件尾号6位", tail(&ids, 6)),
        ("手机号", phones.clone()),
        ("电话尾号4位", tail(&phones, 4)),
        ("事项编号", numbers),
        ("姓名", names.clone()),
        ("姓氏(1字)", words(&["王", "李", "欧阳", "单", "曾"])),
        ("拼音首字母", initials),
        ("全拼", pinyin),
        ("内容1字", words(&["拆", "薪", "房", "楼", "债"])),
        ("内容2字", words(&["拆迁", "欠薪", "物业", "工资", "低保"])),
        ("内容3字", words(&["过渡费", "安置房", "养老金", "开发商", "不存在"])),
        ("内容4字", words(&["物业公司", "拖欠工资", "征收补偿", "停水停电", "无此内容"])),
        ("两个词", words(&["拆迁 补偿", "物业 停水", "工资 春节"])),
        ("带条件", words(&["状态:办理中 物业", "街道:朝阳 拆迁", "分类:物业 从:2025-01-01"])),
        ("特殊字符", words(&["%", "_", "'\"", "\\", "😀", "\u{1b}[2J"])),
    ];
    println!("查询基准：{}（每类 {RUNS} 次；查询页完整路径：结果、期限与预警标记）", path.display());
    println!(
        "最简查找：同一查询只做索引查找、不装配结果，同一次运行中、在它之前计时；再查：两者再各做一次（页面已在内存）"
    );
    header();
    let refs = ReferenceData::load(conn)?;
    let (today, rules) = (chrono::Local::now().date_naive(), xfdesk::domain::warning::WarningRules::default());
    for (kind, inputs) in &kinds {
        // Each input: the minimal lookup first (its pages not read yet), then
        // the page, then both again with every page they read in memory.
        let mut first = Beside::default();
        let mut again = Beside::default();
        for i in 0..RUNS {
            let q = query::parse(&inputs[i % inputs.len()], false);
            for beside in [&mut first, &mut again] {
                let t = Instant::now();
                std::hint::black_box(search::lookups_only(conn, &q, 50)?);
                beside.floor.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(search::page(conn, &refs, &q, 50, today, &rules)?);
                beside.times.push(t.elapsed());
            }
        }
        report_beside(kind, &mut first, &mut again);
    }
    drop(store);
    keystrokes(&path)?;
    Ok(())
}

fn header() {
    use xfdesk::text::{pad, pad_left};
    let cols =
        ["中位数ms", "p99ms", "最大ms", "最简中位ms", "最简p99ms", "倍数", "再查中位ms", "再查最简ms", "再查倍数"]
            .map(|c| pad_left(c, 10));
    println!("{} {}", pad("类别", 16), cols.join(" "));
}

/// A kind's page times beside its minimal lookup's, in the same order.
#[derive(Default)]
struct Beside {
    times: Vec<Duration>,
    floor: Vec<Duration>,
}

/// The first query of each input (median, p99, max) beside its minimal
/// lookup, and the same query again with its pages in memory; the ratios
/// are of the medians.
fn report_beside(kind: &str, first: &mut Beside, again: &mut Beside) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |v: &mut [Duration], q: f64| {
        v.sort();
        ms(v[((v.len() as f64 * q) as usize).min(v.len() - 1)])
    };
    let (med, floor) = (p(&mut first.times, 0.5), p(&mut first.floor, 0.5));
    let (med2, floor2) = (p(&mut again.times, 0.5), p(&mut again.floor, 0.5));
    let label = xfdesk::text::pad(kind, 16);
    // A query with no lookup to make (only characters search ignores) has no ratio.
    let ratio =
        |page: f64, floor: f64| if floor < 0.000_5 { "-".to_string() } else { format!("{:.1}×", page / floor) };
    println!(
        "{label} {med:>10.3} {:>10.3} {:>10.3} {floor:>10.3} {:>10.3} {:>10} {med2:>10.3} {floor2:>10.3} {:>10}",
        p(&mut first.times, 0.99),
        p(&mut first.times, 1.0),
        p(&mut first.floor, 0.99),
        ratio(med, floor),
        ratio(med2, floor2)
    );
}

fn report(kind: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    // Display-width padding: the labels are Chinese.
    let label = xfdesk::text::pad(kind, 16);
    println!("{label} {:>10.3} {:>10.3} {:>10.3}", ms(p(0.5)), ms(p(0.99)), ms(times[times.len() - 1]));
}

/// Keystroke to updated frame: handle the key, run the deferred work (the
/// coalesced query or prior-case lookup, the draft), draw into a 120x40 buffer.
fn keystrokes(path: &std::path::Path) -> anyhow::Result<()> {
    let store = Store::open(path)?;
    let id: String = store.conn().query_row("SELECT id_number FROM petitioners WHERE id = 4242", [], |r| r.get(0))?;
    let session = Session { operator: "bench".into(), desk: "bench".into(), ..Session::default() };
    let mut app = App::new(store, session, Clock::System)?;
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let backspace = "\u{8}";
    let search_keys: Vec<String> =
        ["张", "三", backspace, backspace, "拆", "迁", backspace, backspace, "1", "3", "8", "0", backspace]
            .iter()
            .map(|s| s.to_string())
            .collect();
    // The intake form: an ID typed digit by digit (tail lookups from the 4th),
    // erased, then a name.
    let mut intake_keys: Vec<String> = id.chars().map(String::from).collect();
    intake_keys.extend(std::iter::repeat_n(backspace.to_string(), id.len()));
    for (screen, keys, label) in [(Screen::Search, &search_keys, "查询页"), (Screen::Intake, &intake_keys, "来访登记")]
    {
        app.update(Action::GoTo(screen));
        if screen == Screen::Intake {
            // Focus the ID field of the first petitioner.
            for _ in 0..2 {
                app.update(Action::NextField);
            }
        }
        let (mut times, mut shown, mut late) = (Vec::new(), Vec::new(), 0);
        for _ in 0..20 {
            for k in keys {
                let code = if k == backspace { KeyCode::Backspace } else { KeyCode::Char(k.chars().next().unwrap()) };
                let t = Instant::now();
                app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                app.settle();
                terminal.draw(|f| ui::draw(f, &app, &theme))?;
                times.push(t.elapsed());
                // A search slower than the frame's wait lands on a later
                // frame (the event loop polls every 15 ms meanwhile).
                if app.search().busy() {
                    late += 1;
                    app.search_mut().wait();
                    terminal.draw(|f| ui::draw(f, &app, &theme))?;
                }
                shown.push(t.elapsed());
            }
        }
        println!();
        println!("按键到画面（{label} 120x40，{} 次按键，{late} 次结果晚于按键那一帧）", times.len());
        report("按键→画面", &mut times);
        report("按键→结果上屏", &mut shown);
    }
    xfdesk::store::drafts::discard(app.store_mut(), "bench")?;
    Ok(())
}

fn generate(path: &std::path::Path) -> anyhow::Result<()> {
    let cases: usize = std::env::var("XFDESK_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let petitioners = (cases * 3 / 10).max(1);
    eprintln!("生成 {petitioners} 名信访人、{cases} 件事项到 {} …", path.display());
    let t = Instant::now();
    let mut store = Store::open(path)?;
    let refs = ReferenceData::load(store.conn())?;
    let (p, c) = bulk::next_ids(&store)?;
    let end = chrono::Local::now().naive_local();
    let g = Generator::new(
        GenOptions { petitioners, cases, seed: 1, number_prefix: "410803".into(), end, batch: xfdesk::synth::BATCH },
        &refs,
        p,
        c,
        Default::default(),
    );
    let mut load = bulk::BulkLoad::begin(&mut store)?;
    g.each_batch(|b, _| load.insert(b))?;
    load.finish()?;
    eprintln!("生成用时 {:.1} 秒", t.elapsed().as_secs_f64());
    Ok(())
}
