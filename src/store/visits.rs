//! Each petitioner's cases counted (`petitioner_visits`, migration 22): how
//! many, how many open, the first and last visit, the 越级 and 扬言 cases.
//! Triggers keep it in the transaction of every write, so no code path can
//! forget it; a search reads it in one indexed step per person.

use rusqlite::Connection;

use super::Result;

/// The counting of one person's cases, `who` being an SQL expression
/// (`NEW.petitioner_id`) or a `WHERE` condition on `cp` (`cp.petitioner_id IN …`).
fn recount(condition: &str) -> String {
    format!(
        "INSERT INTO petitioner_visits
             SELECT cp.petitioner_id, count(*), coalesce(sum(c.status NOT IN {}), 0),
                    min(c.registered_at), max(c.registered_at), coalesce(sum(c.skip_level), 0), coalesce(sum(c.threat), 0)
             FROM case_petitioners cp JOIN cases c ON c.id = cp.case_id
             WHERE {condition} GROUP BY cp.petitioner_id",
        super::final_statuses_sql()
    )
}

/// The triggers: a new link counted on, anything else counted again.
fn triggers() -> String {
    let finals = super::final_statuses_sql();
    let of_case = "cp.petitioner_id IN (SELECT petitioner_id FROM case_petitioners WHERE case_id = NEW.id)";
    format!(
        "CREATE TRIGGER petitioner_visits_link AFTER INSERT ON case_petitioners BEGIN
             INSERT INTO petitioner_visits
                 SELECT NEW.petitioner_id, 1, c.status NOT IN {finals}, c.registered_at, c.registered_at,
                        c.skip_level, c.threat
                 FROM cases c WHERE c.id = NEW.case_id
             ON CONFLICT (petitioner_id) DO UPDATE SET
                 case_count = case_count + 1,
                 open_cases = open_cases + excluded.open_cases,
                 first_visit = min(first_visit, excluded.first_visit),
                 last_visit = max(last_visit, excluded.last_visit),
                 skip_level_cases = skip_level_cases + excluded.skip_level_cases,
                 threat_cases = threat_cases + excluded.threat_cases;
         END;
         CREATE TRIGGER petitioner_visits_unlink AFTER DELETE ON case_petitioners BEGIN
             DELETE FROM petitioner_visits WHERE petitioner_id = OLD.petitioner_id;
             {};
         END;
         CREATE TRIGGER petitioner_visits_move AFTER UPDATE OF petitioner_id, case_id ON case_petitioners BEGIN
             DELETE FROM petitioner_visits WHERE petitioner_id IN (OLD.petitioner_id, NEW.petitioner_id);
             {};
         END;
         CREATE TRIGGER petitioner_visits_case AFTER UPDATE OF status, registered_at, skip_level, threat ON cases BEGIN
             DELETE FROM petitioner_visits
                 WHERE petitioner_id IN (SELECT petitioner_id FROM case_petitioners WHERE case_id = NEW.id);
             {};
         END;",
        recount("cp.petitioner_id = OLD.petitioner_id"),
        recount("cp.petitioner_id IN (OLD.petitioner_id, NEW.petitioner_id)"),
        recount(of_case),
    )
}

/// Version 22: the triggers, and every person's cases counted once.
pub fn migrate(conn: &Connection) -> Result<()> {
    conn.execute_batch(&triggers())?;
    recount_all(conn)
}

/// Every person's cases counted afresh (after a bulk load, which runs
/// without the triggers: 100,000 cases took 2.4 times as long with them).
pub fn recount_all(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!("DELETE FROM petitioner_visits; {};", recount("1")))?;
    Ok(())
}

/// People whose stored counts differ from a recount of their cases (for
/// `check`): their ids, at most `limit`.
pub fn mismatches(conn: &Connection, limit: usize) -> Result<Vec<i64>> {
    let sql = format!(
        "WITH fresh AS (
             SELECT cp.petitioner_id AS id, count(*) AS n, coalesce(sum(c.status NOT IN {}), 0) AS open,
                    min(c.registered_at) AS first, max(c.registered_at) AS last,
                    coalesce(sum(c.skip_level), 0) AS skip, coalesce(sum(c.threat), 0) AS threat
             FROM case_petitioners cp JOIN cases c ON c.id = cp.case_id GROUP BY cp.petitioner_id)
         SELECT coalesce(f.id, v.petitioner_id) FROM fresh f
         FULL JOIN petitioner_visits v ON v.petitioner_id = f.id
         WHERE f.id IS NULL OR v.petitioner_id IS NULL
            OR (f.n, f.open, f.first, f.last, f.skip, f.threat)
               IS NOT (v.case_count, v.open_cases, v.first_visit, v.last_visit, v.skip_level_cases, v.threat_cases)
         LIMIT ?1",
        super::final_statuses_sql()
    );
    Ok(conn.prepare(&sql)?.query_map([limit as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// Links whose copied registration time or category (migration 24) differ
/// from their case's (for `check`): the case ids, at most `limit`.
pub fn link_copy_mismatches(conn: &Connection, limit: usize) -> Result<Vec<i64>> {
    let sql = "SELECT DISTINCT cp.case_id FROM case_petitioners cp JOIN cases c ON c.id = cp.case_id
               WHERE (cp.registered_at, cp.category_code) IS NOT (c.registered_at, c.category_code)
               LIMIT ?1";
    Ok(conn.prepare(sql)?.query_map([limit as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}
