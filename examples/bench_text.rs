//! Full-text lookups on the million-case file: the search page's path
//! (`search::search`, hits assembled) beside the minimal FTS5 lookup that
//! answers the same words (`SELECT rowid … MATCH … ORDER BY rowid DESC LIMIT
//! 50`), median and p99 each and their ratio. With `--optimize` the index is
//! merged first (`INSERT INTO case_text(case_text) VALUES('optimize')`, what
//! a bulk load now ends with) and that merge is timed.
//!
//! ```sh
//! cargo run --release --example bench_text -- /tmp/big/m.db [--optimize]
//! ```

use std::time::{Duration, Instant};

use xfdesk::domain::query;
use xfdesk::store::{Store, search, search_index};

const RUNS: usize = 100;

fn stats(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[(times.len() * 99 / 100).min(times.len() - 1)]))
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "/tmp/xfdesk-bench.db".into());
    let optimize = args.any(|a| a == "--optimize");
    let store = Store::open(std::path::Path::new(&path))?;
    let conn = store.conn();
    let segments: i64 = conn.query_row("SELECT count(*) FROM case_text_data", [], |r| r.get(0))?;
    println!("{path}: case_text_data rows {segments}");
    if optimize {
        let t = Instant::now();
        conn.execute("INSERT INTO case_text(case_text) VALUES('optimize')", [])?;
        let after: i64 = conn.query_row("SELECT count(*) FROM case_text_data", [], |r| r.get(0))?;
        println!("optimize: {:.1} s, case_text_data rows {after}", t.elapsed().as_secs_f64());
    }
    let kinds: [(&str, &[&str]); 4] = [
        ("内容2字", &["拆迁", "欠薪", "物业", "工资", "低保"]),
        ("内容3字", &["过渡费", "安置房", "养老金", "开发商", "不存在"]),
        ("内容4字", &["物业公司", "拖欠工资", "征收补偿", "停水停电", "无此内容"]),
        ("两个词", &["拆迁 补偿", "物业 停水", "工资 春节"]),
    ];
    println!(
        "{:<10} {:>12} {:>12} {:>12} {:>12} {:>8}",
        "kind", "path p50 ms", "path p99 ms", "min p50 ms", "min p99 ms", "ratio"
    );
    for (kind, inputs) in kinds {
        let (mut path_t, mut min_t) = (Vec::new(), Vec::new());
        for i in 0..RUNS {
            let input = inputs[i % inputs.len()];
            let q = query::parse(input, false);
            let t = Instant::now();
            std::hint::black_box(search::search(conn, &q, 50)?);
            path_t.push(t.elapsed());
            let words: Vec<String> = input.split_whitespace().map(str::to_string).collect();
            let expr = search_index::match_expression(&words).unwrap_or_default();
            let t = Instant::now();
            let ids: Vec<i64> = conn
                .prepare_cached("SELECT rowid FROM case_text WHERE case_text MATCH ?1 ORDER BY rowid DESC LIMIT 50")?
                .query_map([&expr], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            min_t.push(t.elapsed());
            std::hint::black_box(ids);
        }
        let ((p50, p99), (m50, m99)) = (stats(&mut path_t), stats(&mut min_t));
        println!("{kind:<10} {p50:>12.2} {p99:>12.2} {m50:>12.2} {m99:>12.2} {:>8.1}", p50 / m50.max(1e-6));
    }
    Ok(())
}
