//! `xfdesk gen` at small scale: bulk load, rebuilt indexes, a sound database
//! that later registrations continue without clashes.

mod common;

use common::*;
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{bulk, cases, check};

#[test]
fn bulk_generation_leaves_a_sound_indexed_database() {
    let (_dir, mut store) = temp_store();
    let before = index_names(store.conn());
    let triggers = |store: &xfdesk::store::Store| -> Vec<String> {
        let mut stmt =
            store.conn().prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let triggers_before = triggers(&store);
    let refs = ReferenceData::load(store.conn()).unwrap();
    let mut generator = generator(&store, &refs, 500, 2_000, 42, 100);
    let path = store.path().to_path_buf();
    let mut load = bulk::BulkLoad::begin(&mut store).unwrap();
    while let Some(batch) = generator.next_batch() {
        load.insert(&batch).unwrap();
    }
    let beside = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(fts_settings(&beside), (0, 256 << 20), "no merging while loading, one segment a batch");
    load.finish().unwrap();

    assert_eq!(fts_settings(store.conn()), (4, 1 << 20), "the full-text index back to SQLite's defaults");
    assert_eq!(index_names(store.conn()), before, "every index is back");
    assert_eq!(triggers(&store), triggers_before, "the derived tables' triggers are back");
    assert_eq!(
        xfdesk::store::visits::mismatches(store.conn(), 5).unwrap(),
        Vec::<i64>::new(),
        "counted once at the end"
    );
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM petitioners"), 500);
    assert_eq!(count("SELECT count(*) FROM cases"), 2_000);
    assert!(count("SELECT count(*) FROM case_events") > 2_000);
    assert!(count("SELECT count(*) FROM petitioner_phones WHERE owner = 'relative'") > 0);
    // Past cases carry the clocks they ran and met, and follow-up ratings, so
    // the metrics have a history to count.
    assert!(count("SELECT count(*) FROM case_deadlines WHERE met_at IS NOT NULL AND rule = 'handle'") > 100);
    assert!(count("SELECT count(*) FROM case_deadlines WHERE met_at > due_date") > 0, "some were late");
    assert!(count("SELECT count(*) FROM case_evaluations") > 100);
    assert_eq!(
        count(
            "SELECT count(*) FROM case_evaluations v WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = v.case_id AND e.action IN ('答复', '办结'))"
        ),
        0,
        "only concluded cases are rated"
    );
    let sync: i64 = count("PRAGMA synchronous");
    assert_eq!(sync, 2, "full durability restored");
    assert!(check::run(store.conn(), false).unwrap().is_ok());

    // Today's series continues after the generated numbers.
    let today_max = count(
        "SELECT coalesce(max(CAST(substr(number, -4) AS INTEGER)), 0) FROM cases WHERE number LIKE '41080320261128F%'",
    );
    let done =
        cases::register(&mut store, &registration(petitioner("新来访", &valid_id("41080319900101005")), "x")).unwrap();
    assert_eq!(done.number, format!("41080320261128F{:04}", today_max + 1));
}

/// The full-text index's `automerge` and `hashsize` as stored (absent: 4 and 1 MiB).
fn fts_settings(conn: &rusqlite::Connection) -> (i64, i64) {
    let get = |k: &str, default: i64| -> i64 {
        conn.query_row("SELECT v FROM case_text_config WHERE k = ?1", [k], |r| r.get(0)).unwrap_or(default)
    };
    (get("automerge", 4), get("hashsize", 1 << 20))
}

/// A load that dies half-way: the next open puts back what the load changed,
/// the full-text index's settings too.
#[test]
fn an_interrupted_load_is_put_back_on_the_next_open() {
    let (dir, mut store) = temp_store();
    let before = index_names(store.conn());
    let refs = ReferenceData::load(store.conn()).unwrap();
    let mut generator = generator(&store, &refs, 50, 200, 7, 100);
    let mut load = bulk::BulkLoad::begin(&mut store).unwrap();
    load.insert(&generator.next_batch().unwrap()).unwrap();
    drop(load);
    let path = store.path().to_path_buf();
    drop(store);
    assert_ne!(index_names(&rusqlite::Connection::open(&path).unwrap()), before, "the load had dropped indexes");
    let store = xfdesk::store::Store::open(&path).unwrap();
    assert_eq!(index_names(store.conn()), before);
    assert_eq!(fts_settings(store.conn()), (4, 1 << 20));
    drop(dir);
}
