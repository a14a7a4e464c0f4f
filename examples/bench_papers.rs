//! 文书 and 查询码 on a large database, each beside the minimal SQL that
//! answers the same question, timed in the same run:
//! - a 查询码 typed into the search box (the search page's whole path) vs the one index lookup;
//! - the `P` list (the case's facts, the kinds its state allows, its papers) vs reading the case row and its papers;
//! - a preview (facts + template) vs the same two reads;
//! - issuing (one transaction: number, text, hash, trail row, DOCX written and flushed) vs a one-row
//!   insert committed with the same durability.
//!
//! ```sh
//! cp big.db /tmp/papers-bench.db   # issuing writes: use a copy
//! cargo run --release --example bench_papers -- /tmp/papers-bench.db
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use xfdesk::domain::document::DocumentKind;
use xfdesk::domain::reminder::ReminderRules;
use xfdesk::papers::{self, Desk, Settings};
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{Store, documents, search};

const RUNS: usize = 100;

fn main() -> anyhow::Result<()> {
    let path = PathBuf::from(std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bench_papers DB"))?);
    let mut store = Store::open(&path)?;
    let conn = store.conn();
    let cal = xfdesk::store::calendar::load(conn)?;
    let refs = ReferenceData::load(conn)?;
    let rules = ReminderRules::default();
    let settings = Settings { office: "中站区信访局".into(), ..Default::default() };
    let sample: Vec<(i64, String)> = conn
        .prepare("SELECT case_id, code FROM case_query_codes WHERE case_id % 9973 = 1 LIMIT 100")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    println!("文书与查询码基准：{}（{cases} 件，每项 {RUNS} 次）", path.display());
    let head = ["中位数ms", "p99ms", "最简SQLms", "p99ms", "倍数"].map(|h| xfdesk::text::pad_left(h, 10));
    println!("{} {}", xfdesk::text::pad("", 28), head.join(" "));
    let pick = |i: usize| &sample[i % sample.len()];

    let code = time(|i| {
        let q = xfdesk::domain::query::parse(&pick(i).1, false);
        search::search(conn, &q, 50).map(|r| r.hits.len())
    })?;
    let code_min = time(|i| {
        conn.prepare_cached("SELECT case_id FROM case_query_codes WHERE code = ?1")?
            .query_row([&pick(i).1], |r| r.get::<_, i64>(0))
    })?;
    row("查询码（查询页完整路径）", code, code_min);

    // The same facts read as directly as SQL can: the case's status, class and
    // respondent, the kinds of its events, its units, its leader's unit, its
    // calls, its papers — one indexed statement each.
    let minimal_case = |i: usize| -> rusqlite::Result<usize> {
        let id = pick(i).0;
        let one = |sql: &str| -> rusqlite::Result<usize> {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map([id], |r| r.get::<_, rusqlite::types::Value>(0))?;
            Ok(rows.count())
        };
        Ok(one("SELECT status || class || respondent FROM cases WHERE id = ?1")?
            + one("SELECT DISTINCT event_kind FROM case_events WHERE case_id = ?1")?
            + one("SELECT kind || unit FROM assignments WHERE case_id = ?1")?
            + one("SELECT unit FROM reception_sessions WHERE case_id = ?1")?
            + one("SELECT result || escalation FROM reminders WHERE case_id = ?1")?
            + one("SELECT number FROM documents WHERE case_id = ?1")?)
    };
    let list = time(|i| {
        let f = documents::facts(conn, pick(i).0, &refs, &cal, chrono::Local::now().date_naive(), &rules)?
            .expect("the case");
        let allowed = DocumentKind::ALL.iter().filter(|k| documents::allowed(&f, **k).is_ok()).count();
        Ok::<_, xfdesk::store::StoreError>(allowed + documents::of_case(conn, pick(i).0)?.len())
    })?;
    let list_min = time(minimal_case)?;
    row("文书列表（P）", list, list_min.clone());

    let desk = Desk { refs: &refs, calendar: &cal, rules: &rules, settings: &settings };
    let now = chrono::Local::now().naive_local();
    let preview =
        time(|i| papers::preview(&store, &desk, pick(i).0, DocumentKind::Receipt, None, now).map(|d| d.text.len()))?;
    row("预览（登记回执）", preview, list_min);

    conn.execute_batch("CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, v TEXT) STRICT")?;
    let mut issue = Vec::new();
    let mut insert = Vec::new();
    for i in 0..RUNS {
        let t = Instant::now();
        papers::issue(&mut store, &desk, pick(i).0, DocumentKind::Receipt, None, now)?;
        issue.push(t.elapsed());
        let t = Instant::now();
        store.write(|tx| Ok(tx.execute("INSERT INTO bench_scratch (v) VALUES ('x')", [])?))?;
        insert.push(t.elapsed());
    }
    row("出具（事务+DOCX+fsync）", issue, insert);
    store.conn().execute_batch("DROP TABLE bench_scratch")?;
    Ok(())
}

fn time<T, E: std::fmt::Debug>(mut f: impl FnMut(usize) -> Result<T, E>) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        let v = f(i).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        out.push(t.elapsed());
        std::hint::black_box(v);
    }
    Ok(out)
}

fn row(what: &str, mut a: Vec<Duration>, mut b: Vec<Duration>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |v: &mut Vec<Duration>, q: f64| {
        v.sort();
        v[((v.len() as f64 * q) as usize).min(v.len() - 1)]
    };
    let (am, ap, bm, bp) = (at(&mut a, 0.5), at(&mut a, 0.99), at(&mut b, 0.5), at(&mut b, 0.99));
    println!(
        "{} {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>9.1}x",
        xfdesk::text::pad(what, 28),
        ms(am),
        ms(ap),
        ms(bm),
        ms(bp),
        ms(am) / ms(bm).max(1e-6)
    );
}
