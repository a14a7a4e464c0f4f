//! `xfdesk check` on a large file, step by step, each beside the minimal SQL
//! that reads the same rows (the floor the step cannot go under).
//!
//! ```sh
//! xfdesk --db /tmp/big/m.db gen --petitioners 300000 --cases 1000000
//! cargo run --release --example bench_check -- /tmp/big/m.db [--full]
//! ```

use std::time::Instant;

use rusqlite::{Connection, OpenFlags};
use xfdesk::store::{chain, check, seal, trail};

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    println!("{label:<44} {:>8.2} s", started.elapsed().as_secs_f64());
    value
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bench_check DB [--full]"))?;
    let full = std::env::args().any(|a| a == "--full");
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // The floors: the fewest rows and columns each part must read.
    timed("  floor: read every event's hashed columns", || {
        count(
            &conn,
            "SELECT sum(length(e.note) + length(e.hash) + length(e.chain_hash) + length(e.at)) FROM case_events e",
        )
    });
    timed("  floor: read every case row and its newest seal", || {
        count(
            &conn,
            "SELECT sum(length(s) + length(title) + length(content) + length(number)) FROM (SELECT c.title, c.content, c.number,
                 (SELECT e.case_digest FROM case_events e WHERE e.case_id = c.id AND e.case_digest <> ''
                  ORDER BY e.id DESC LIMIT 1) AS s FROM cases c)",
        )
    });
    // Each part alone, one after another.
    let broken = timed("trail::verify (per case + global sequence)", || trail::verify(&conn).unwrap());
    assert!(broken.is_none(), "{broken:?}");
    let unsealed = timed("seal::verify_cases", || seal::verify_cases(&conn).unwrap());
    assert_eq!(unsealed.count, 0);
    timed("chain::verify_audit", || chain::verify_audit(&conn).unwrap());
    // The whole check as `xfdesk check [--quick]` runs it: parts side by side.
    let parts = |step: check::Step| {
        if let check::Step::Finished(part, took) = step {
            println!("    {part:<40} {:>8.2} s", took.as_secs_f64());
        }
    };
    let quick = timed("check --quick (parts side by side)", || check::run_with(&conn, true, &parts).unwrap());
    assert!(quick.is_ok(), "{:?}", quick.first_problem());
    if full {
        let report = timed("check (full, parts side by side)", || check::run_with(&conn, false, &parts).unwrap());
        assert!(report.is_ok(), "{:?}", report.first_problem());
    }
    Ok(())
}
