//! Bulk loading for `xfdesk gen`: large batches with explicit ids, secondary
//! indexes dropped during the load and rebuilt once at the end.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, cases, petitioners, search_index};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::MetClock;
use crate::domain::lifecycle::Satisfaction;
use crate::domain::{Case, CaseEvent, Petitioner};

/// Tables whose secondary indexes are rebuilt after a bulk load.
const DATA_TABLES: &[&str] =
    &["petitioners", "petitioner_phones", "petitioner_key_flags", "cases", "case_petitioners", "case_events"];

#[derive(Debug, Default)]
pub struct Batch {
    pub petitioners: Vec<(i64, Petitioner, NaiveDateTime)>,
    /// Each case with its id and its trail (the case id in events is set here).
    pub cases: Vec<(i64, Case, Vec<CaseEvent>)>,
    /// 转送/交办 of the cases: case id, kind (转送/交办), unit, when.
    pub assignments: Vec<(i64, &'static str, String, NaiveDateTime)>,
    /// Clocks the cases' histories ran and met (running ones are stored by `finish`).
    pub clocks: Vec<(i64, MetClock)>,
    /// 回访 ratings: case id, bureau, unit, when.
    pub evaluations: Vec<(i64, Satisfaction, Satisfaction, NaiveDateTime)>,
}

pub struct BulkLoad<'a> {
    store: &'a mut Store,
    /// Due dates of historic clocks roll over the holidays in the database.
    calendar: HolidayCalendar,
    /// The trail's global head, carried from batch to batch.
    head: super::chain::Head,
    /// Held for the whole load: another process opening the database sees
    /// a load in progress, not an interrupted one to repair.
    _lock: std::fs::File,
}

/// The full-text index's in-memory buffer while loading: a batch's terms
/// (20,000 cases) fit, so each batch writes one segment.
const FTS_LOAD_HASH_BYTES: i64 = 256 << 20;
/// SQLite's own buffer size (`FTS5_DEFAULT_HASHSIZE`).
const FTS_DEFAULT_HASH_BYTES: i64 = 1 << 20;

/// The lock file beside the database that a running load holds.
fn lock_file(store: &Store) -> Result<std::fs::File> {
    let path = super::identity::sidecar(store.path(), "-bulk.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| super::StoreError::Invalid(format!("无法创建批量写入锁文件：{e}")))
}

/// After a load: indexes back (as recorded when they were dropped), number
/// series past the loaded numbers, running clocks stored. One transaction.
fn restore(store: &mut Store) -> Result<()> {
    store.defer_spans(false);
    let rules = store.call_rules().clone();
    store.write(|tx| {
        let recorded: Option<String> =
            tx.query_row("SELECT value FROM meta WHERE key = 'bulk_load_indexes'", [], |r| r.get(0)).optional()?;
        let sqls: Vec<String> = recorded.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
        for sql in &sqls {
            let sql = sql
                .replacen("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1)
                .replacen("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                .replacen("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1);
            tx.execute_batch(&sql)?;
        }
        restore_series(tx)?;
        let cal = super::calendar::load(tx)?;
        super::deadlines::backfill(tx, &cal)?;
        super::call_spans::rebuild(tx, &rules)?;
        super::visits::recount_all(tx)?;
        // The full-text index back to SQLite's defaults for a desk's writes.
        tx.execute("INSERT INTO case_text(case_text, rank) VALUES('hashsize', ?1)", [FTS_DEFAULT_HASH_BYTES])?;
        tx.execute("INSERT INTO case_text(case_text, rank) VALUES('automerge', 4)", [])?;
        tx.execute("DELETE FROM meta WHERE key = 'bulk_load_indexes'", [])?;
        Ok(())
    })
}

/// Bring every number series past the highest number stored in it. The
/// sequence is read after the form letter, so a day past 9999 cases keeps
/// counting (`…F10001`), never restarting at a number already taken.
fn restore_series(tx: &rusqlite::Transaction) -> Result<()> {
    let mut last: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT number FROM cases")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some((series, seq)) =
                crate::domain::numbering::split(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)
            {
                let entry = last.entry(series.to_string()).or_default();
                *entry = (*entry).max(seq);
            }
        }
    }
    let mut upsert = tx.prepare(
        "INSERT INTO case_number_series (series, last) VALUES (?1, ?2)
         ON CONFLICT (series) DO UPDATE SET last = max(last, excluded.last)",
    )?;
    for (series, seq) in last {
        upsert.execute(params![series, seq])?;
    }
    Ok(())
}

/// Whether a bulk load has begun and not finished (or was killed).
pub fn in_progress(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_load_indexes')", [], |r| r.get(0))?)
}

/// On open: finish a bulk load that was killed before it ended.
pub fn recover(store: &mut Store) -> Result<bool> {
    // A load another process is running holds the lock: leave it alone.
    let interrupted = in_progress(store.conn())? && lock_file(store)?.try_lock().is_ok();
    if interrupted {
        tracing::warn!("a bulk load was interrupted; restoring its indexes");
        restore(store)?;
    }
    Ok(interrupted)
}

/// ID numbers already stored, so generated petitioners never clash with them.
pub fn existing_id_numbers(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .conn()
        .prepare("SELECT id_number FROM petitioners WHERE id_number IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The last sequence number of every case-number series, so generated numbers
/// continue them.
pub fn existing_series(store: &Store) -> Result<std::collections::HashMap<String, u32>> {
    Ok(store
        .conn()
        .prepare("SELECT series, last FROM case_number_series")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The first free petitioner and case ids.
pub fn next_ids(store: &Store) -> Result<(i64, i64)> {
    let c = store.conn();
    let p: i64 = c.query_row("SELECT coalesce(max(id), 0) + 1 FROM petitioners", [], |r| r.get(0))?;
    let k: i64 = c.query_row("SELECT coalesce(max(id), 0) + 1 FROM cases", [], |r| r.get(0))?;
    Ok((p, k))
}

impl<'a> BulkLoad<'a> {
    /// Start a load: durability is relaxed until [`BulkLoad::finish`] (a crash
    /// mid-load loses the load, never earlier data: each batch is still one
    /// transaction in WAL mode).
    pub fn begin(store: &'a mut Store) -> Result<BulkLoad<'a>> {
        let lock = lock_file(store)?;
        lock.try_lock()
            .map_err(|_| super::StoreError::Invalid("另一个批量写入（xfdesk gen）正在进行，请等它结束".into()))?;
        let conn = store.conn_mut();
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "cache_size", -262_144)?; // 256 MiB
        let mut dropped = Vec::new();
        {
            // The derived tables' triggers too: they doubled a load's time;
            // `restore` puts them back and works those tables out once.
            let mut stmt = conn.prepare(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL
                 AND ((type = 'index' AND tbl_name IN (SELECT value FROM json_each(?1)))
                      OR (type = 'trigger' AND (name LIKE 'call\\_spans\\_%' ESCAPE '\\'
                                                OR name LIKE 'petitioner\\_visits\\_%' ESCAPE '\\')))",
            )?;
            let rows = stmt.query_map([serde_json::to_string(DATA_TABLES).unwrap_or_default()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                dropped.push(row?);
            }
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Remember what is dropped, in the same transaction: a load killed
        // half-way gets its indexes back on the next open (see `recover`).
        let sqls: Vec<&String> = dropped.iter().map(|(_, sql)| sql).collect();
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('bulk_load_indexes', ?1)",
            [serde_json::to_string(&sqls).unwrap_or_default()],
        )?;
        for (name, sql) in &dropped {
            let kind = if sql.starts_with("CREATE TRIGGER") { "TRIGGER" } else { "INDEX" };
            tx.execute(&format!("DROP {kind} \"{}\"", name.replace('"', "")), [])?;
        }
        // The full-text index: a batch's terms flushed as one segment, not one
        // per megabyte, and no merging while loading: `finish` merges once.
        tx.execute("INSERT INTO case_text(case_text, rank) VALUES('hashsize', ?1)", [FTS_LOAD_HASH_BYTES])?;
        tx.execute("INSERT INTO case_text(case_text, rank) VALUES('automerge', 0)", [])?;
        tx.commit()?;
        store.defer_spans(true);
        let calendar = super::calendar::load(store.conn())?;
        let head = super::chain::head(store.conn(), super::chain::Sequence::Trail)?;
        Ok(BulkLoad { store, calendar, head, _lock: lock })
    }

    /// Write one batch as one transaction.
    pub fn insert(&mut self, batch: &Batch) -> Result<()> {
        let mut head = self.head.clone();
        self.head = self.store.write(|tx| {
            for (id, p, at) in &batch.petitioners {
                petitioners::insert(tx, p, Some(*id), *at)?;
            }
            let mut ext = tx.prepare_cached(
                "INSERT OR IGNORE INTO case_external_refs (case_id, system, number) VALUES (?1, ?2, ?3)",
            )?;
            for (id, c, trail) in &batch.cases {
                cases::insert_case(tx, Some(*id), c, &c.number, c.status)?;
                cases::link_petitioners(tx, *id, &c.petitioner_ids)?;
                search_index::index_new_case(tx, *id, c)?;
                for r in &c.external_refs {
                    ext.execute(params![id, r.system, r.number])?;
                }
                // A new case's trail is chained here; no lookup of the previous
                // hash. Its newest event seals the row as the batch left it.
                let mut prev = String::new();
                for (i, e) in trail.iter().enumerate() {
                    let seal = match i + 1 == trail.len() {
                        true => super::seal::current(tx, *id)?.unwrap_or_default(),
                        false => String::new(),
                    };
                    let e = CaseEvent { case_id: *id, ..e.clone() };
                    let links = cases::Links { case_prev: &prev, head: &head, seal: &seal };
                    (_, prev, head) = cases::add_chained(tx, &e, &links)?;
                }
            }
            let mut assign = tx.prepare_cached(
                "INSERT INTO assignments (case_id, kind, unit, created_at, created_by) VALUES (?1, ?2, ?3, ?4, '生成')",
            )?;
            for (case_id, kind, unit, at) in &batch.assignments {
                assign.execute(params![case_id, kind, unit, super::timestamp(*at)])?;
            }
            for (case_id, c) in &batch.clocks {
                super::deadlines::insert_met(tx, *case_id, c, &self.calendar)?;
            }
            for (case_id, bureau, unit, at) in &batch.evaluations {
                super::evaluations::record(tx, *case_id, *bureau, *unit, "生成", *at)?;
            }
            Ok(head)
        })?;
        Ok(())
    }

    /// Rebuild the indexes, bring the number series past the loaded numbers,
    /// store the cases' clocks, restore full durability and fold the WAL back.
    pub fn finish(self) -> Result<()> {
        restore(self.store)?;
        let conn = self.store.conn_mut();
        // A bulk load leaves the full-text index in many segments; merged, a
        // lookup reads one (on 1M cases: 19.6 s once, lookups 4-7x faster;
        // examples/bench_text.rs).
        conn.execute("INSERT INTO case_text(case_text) VALUES('optimize')", [])?;
        conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
