//! Stored clocks: started, extended and met by case actions; listed for the
//! 工作台 and `xfdesk due`.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, StoreError, cases, parse_timestamp, timestamp};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, Bucket, Deadline, MAX_EXTENSION_DAYS, Rule, assigned_due};
use crate::domain::{CaseClass, CaseStatus};

/// One clock as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDeadline {
    pub id: i64,
    pub case_id: i64,
    pub rule: Rule,
    pub base: NaiveDate,
    pub extension_days: u32,
    pub assigned_due: Option<NaiveDate>,
    pub due: NaiveDate,
    pub met_at: Option<NaiveDateTime>,
}

impl StoredDeadline {
    /// The reasoning behind the stored date, recomputed from its inputs.
    pub fn explain(&self, cal: &HolidayCalendar) -> Deadline {
        // The statutory reasoning; an extension is explained below (it adds to the effective date).
        let mut d = deadline::compute(self.rule, self.base, 0, cal).unwrap_or(Deadline {
            rule: self.rule,
            from: self.base,
            days: self.rule.days(),
            unit: self.rule.unit(),
            extension_days: self.extension_days,
            due: self.due,
            explanation: Vec::new(),
        });
        if let Some(a) = self.assigned_due
            && a < d.due
        {
            d.explanation.push(format!("交办指定期限{a}早于法定期限{}，以{a}为准", d.due));
        }
        if self.extension_days > 0 && self.rule == Rule::Recheck {
            d.explanation.push(format!("听证{}日不计入（第三十六条），期限至{}", self.extension_days, self.due));
        } else if self.extension_days > 0 {
            d.explanation.push(format!(
                "经批准延期{}日，自原期限起加{}日（不超过法定60日加30日），期限至{}",
                self.extension_days, self.extension_days, self.due
            ));
        }
        d.due = self.due;
        d.extension_days = self.extension_days;
        if let Some(mark) = crate::domain::calendar::missing_year_mark(cal, self.base, self.due) {
            d.explanation.push(format!("{mark}该年的节假日安排尚未录入，到期日只按周末计算（xfdesk holidays add）"));
        }
        d
    }
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<StoredDeadline> {
    let rule: String = r.get(2)?;
    let date = super::day;
    Ok(StoredDeadline {
        id: r.get(0)?,
        case_id: r.get(1)?,
        rule: Rule::from_code(&rule).unwrap_or(Rule::Handle),
        base: date(r.get(3)?).unwrap_or_default(),
        extension_days: r.get(4)?,
        assigned_due: date(r.get(5)?),
        due: date(r.get(6)?).unwrap_or_default(),
        met_at: r.get::<_, Option<String>>(7)?.as_deref().and_then(parse_timestamp),
    })
}

const COLUMNS: &str = "id, case_id, rule, base_date, extension_days, assigned_due, due_date, met_at";

/// Start a clock on a case.
pub fn start(
    tx: &Transaction,
    case_id: i64,
    rule: Rule,
    from: NaiveDate,
    assigned: Option<NaiveDate>,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<()> {
    let d = deadline::compute(rule, from, 0, cal).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let due = assigned.map_or(d.due, |a| assigned_due(d.due, a));
    tx.prepare_cached(
        "INSERT INTO case_deadlines (case_id, rule, base_date, assigned_due, due_date, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        case_id,
        rule.code(),
        from.to_string(),
        assigned.map(|a| a.to_string()),
        due.to_string(),
        timestamp(at)
    ])?;
    Ok(())
}

/// Store a clock that ran and was met (bulk loads of past cases).
pub fn insert_met(tx: &Transaction, case_id: i64, c: &deadline::MetClock, cal: &HolidayCalendar) -> Result<()> {
    let d = deadline::compute(c.rule, c.from, c.extension_days, cal).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO case_deadlines (case_id, rule, base_date, extension_days, due_date, started_at, met_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        case_id,
        c.rule.code(),
        c.from.to_string(),
        c.extension_days,
        d.due.to_string(),
        timestamp(c.from.and_hms_opt(0, 0, 0).unwrap_or_default()),
        timestamp(c.met)
    ])?;
    Ok(())
}

/// The clocks running on a case stop: their step was taken.
pub fn meet_all(tx: &Transaction, case_id: i64, at: NaiveDateTime) -> Result<()> {
    tx.prepare_cached("UPDATE case_deadlines SET met_at = ?2 WHERE case_id = ?1 AND met_at IS NULL")?
        .execute(params![case_id, timestamp(at)])?;
    // A unit's promise (soft deadline) is kept or broken by the same step.
    tx.prepare_cached("UPDATE case_commitments SET met_at = ?2 WHERE case_id = ?1 AND met_at IS NULL")?
        .execute(params![case_id, timestamp(at)])?;
    Ok(())
}

/// Add an approved extension to the running handling clock (30 days at most in all).
pub fn extend(tx: &Transaction, case_id: i64, days: u32, cal: &HolidayCalendar) -> Result<()> {
    add_days(tx, case_id, Rule::Handle, days, cal, "没有正在计时的办结期限，无法延期", |already| {
        format!("已延期{already}日，再延期{days}日将超过{MAX_EXTENSION_DAYS}日上限（《信访工作条例》第三十四条）")
    })
}

/// Days added to the running `rule` clock (kept in `extension_days`, 30 at
/// most in all), its due date recomputed; `none` and `too_many(already)` say
/// why not.
fn add_days(
    tx: &Transaction,
    case_id: i64,
    rule: Rule,
    days: u32,
    cal: &HolidayCalendar,
    none: &str,
    too_many: impl Fn(u32) -> String,
) -> Result<()> {
    let Some(d) = running(tx, case_id)?.filter(|d| d.rule == rule) else {
        return Err(StoreError::Invalid(none.into()));
    };
    let total = d.extension_days + days;
    if total > MAX_EXTENSION_DAYS {
        return Err(StoreError::Invalid(too_many(d.extension_days)));
    }
    let due = due_under(&StoredDeadline { extension_days: total, ..d.clone() }, cal)?;
    tx.execute(
        "UPDATE case_deadlines SET extension_days = ?2, due_date = ?3 WHERE id = ?1",
        params![d.id, total, due.to_string()],
    )?;
    Ok(())
}

/// 简易办理 becomes the ordinary procedure: the running 简易 clock is met and
/// its ordinary counterpart runs from the same starting day (an assigning
/// body's date kept).
pub fn to_ordinary(tx: &Transaction, case_id: i64, at: NaiveDateTime, cal: &HolidayCalendar) -> Result<()> {
    let Some(d) = running(tx, case_id)?.filter(|d| d.rule.ordinary() != d.rule) else { return Ok(()) };
    meet_all(tx, case_id, at)?;
    start(tx, case_id, d.rule.ordinary(), d.base, d.assigned_due, at, cal)
}

/// A date set by a leader (or an assigning body) for a case already being
/// handled: the running 办结 clock takes it where it is earlier.
pub fn impose(tx: &Transaction, case_id: i64, due: NaiveDate, cal: &HolidayCalendar) -> Result<()> {
    let Some(d) = running(tx, case_id)?.filter(|d| d.rule.ordinary() == Rule::Handle) else { return Ok(()) };
    let assigned = Some(d.assigned_due.map_or(due, |a| a.min(due)));
    let new_due = due_under(&StoredDeadline { assigned_due: assigned, ..d.clone() }, cal)?;
    tx.execute(
        "UPDATE case_deadlines SET assigned_due = ?2, due_date = ?3 WHERE id = ?1",
        params![d.id, assigned.map(|a| a.to_string()), new_due.to_string()],
    )?;
    Ok(())
}

/// Hearing days (听证) are not counted in the running 复核意见 clock
/// (Art. 36(2)): they are kept with the clock and its due date moves.
pub fn exclude_hearing(tx: &Transaction, case_id: i64, days: u32, cal: &HolidayCalendar) -> Result<()> {
    add_days(
        tx,
        case_id,
        Rule::Recheck,
        days,
        cal,
        "没有正在计时的复核意见期限，听证时间无从扣除",
        |already| format!("听证累计{}日，超过{MAX_EXTENSION_DAYS}日，请核实日期", already + days),
    )
}

/// A running clock's due date under `cal`: the statutory date, or the
/// assigning body's earlier date; for 办结, approved extension days added to
/// that effective date within 60 + 30 — what `start` and `extend` store.
fn due_under(d: &StoredDeadline, cal: &HolidayCalendar) -> Result<NaiveDate> {
    if d.rule == Rule::Handle {
        return Ok(deadline::extended_handle_due(d.base, d.assigned_due, d.extension_days, cal));
    }
    if d.rule == Rule::Recheck && d.extension_days > 0 {
        // The hearing's days are not counted: the 30 days run that much longer.
        return Ok(deadline::recheck_due_after_hearing(d.base, d.extension_days, cal));
    }
    let computed = deadline::compute(d.rule, d.base, 0, cal).map_err(|e| StoreError::Invalid(e.to_string()))?.due;
    Ok(d.assigned_due.map_or(computed, |a| assigned_due(computed, a)))
}

/// A running clock whose due date a calendar change moved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    pub case_number: String,
    pub clock: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// After the calendar changed: every running clock it moves gets its new due
/// date and a trail entry ("节假日安排更新：办结期限 2027-02-10 → 2027-02-18").
pub fn recompute_running(
    tx: &Transaction,
    cal: &HolidayCalendar,
    actor: &str,
    at: NaiveDateTime,
) -> Result<Vec<Moved>> {
    let sql = format!("SELECT {COLUMNS} FROM case_deadlines WHERE met_at IS NULL ORDER BY id");
    let open: Vec<StoredDeadline> = tx.prepare(&sql)?.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
    let mut moved = Vec::new();
    for d in open {
        let due = due_under(&d, cal)?;
        if due == d.due {
            continue;
        }
        tx.execute("UPDATE case_deadlines SET due_date = ?2 WHERE id = ?1", params![d.id, due.to_string()])?;
        let note = format!("{}期限 {} → {due}", d.rule.label(), d.due);
        cases::add_event(tx, &crate::domain::CaseEvent::new(d.case_id, at, actor, "节假日安排更新", note))?;
        let case_number = tx.query_row("SELECT number FROM cases WHERE id = ?1", [d.case_id], |r| r.get(0))?;
        moved.push(Moved { case_number, clock: d.rule.label(), from: d.due, to: due });
    }
    Ok(moved)
}

/// The clock running on a case now.
pub fn running(conn: &Connection, case_id: i64) -> Result<Option<StoredDeadline>> {
    let sql =
        format!("SELECT {COLUMNS} FROM case_deadlines WHERE case_id = ?1 AND met_at IS NULL ORDER BY due_date LIMIT 1");
    Ok(conn.prepare_cached(&sql)?.query_row([case_id], row).optional()?)
}

/// The running clock of each of `ids` that has one, in one statement (the
/// earliest due where a case runs two).
pub fn running_of(conn: &Connection, ids: &[i64]) -> Result<std::collections::HashMap<i64, StoredDeadline>> {
    earliest_open(conn, COLUMNS, ids, |r| row(r).map(|d| (d.case_id, d)))
}

/// What a list shows of the clock running on each of `ids`: its rule and
/// due day, read from the open clocks' index alone.
pub fn running_dues(conn: &Connection, ids: &[i64]) -> Result<std::collections::HashMap<i64, (Rule, NaiveDate)>> {
    earliest_open(conn, "case_id, rule, due_date", ids, |r| {
        let rule = Rule::from_code(r.get_ref(1)?.as_str()?).unwrap_or(Rule::Handle);
        Ok((r.get(0)?, (rule, super::day(r.get(2)?).unwrap_or_default())))
    })
}

/// The earliest open clock of each of `ids`, as `read` makes it of its
/// `columns`. The open clocks' index (version 25) gives a case's clocks
/// earliest first; the met ones are not read.
fn earliest_open<T>(
    conn: &Connection,
    columns: &str,
    ids: &[i64],
    read: impl FnMut(&rusqlite::Row) -> rusqlite::Result<(i64, T)>,
) -> Result<std::collections::HashMap<i64, T>> {
    let sql = format!(
        "SELECT {columns} FROM case_deadlines INDEXED BY case_deadlines_running
         WHERE case_id IN (SELECT value FROM json_each(?1)) AND met_at IS NULL ORDER BY case_id, due_date"
    );
    let ids = serde_json::to_string(ids).unwrap_or_default();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = std::collections::HashMap::new();
    for clock in stmt.query_map([ids], read)? {
        let (case, clock) = clock?;
        out.entry(case).or_insert(clock); // the first of a case is its earliest
    }
    Ok(out)
}

/// Every clock of a case, oldest first.
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<StoredDeadline>> {
    let sql = format!("SELECT {COLUMNS} FROM case_deadlines WHERE case_id = ?1 ORDER BY id");
    Ok(conn.prepare_cached(&sql)?.query_map([case_id], row)?.collect::<rusqlite::Result<_>>()?)
}

/// An open clock on the worklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DueItem {
    pub case_id: i64,
    pub rule: Rule,
    pub number: String,
    pub status: CaseStatus,
    pub clock: &'static str,
    pub due: NaiveDate,
    pub representative: String,
    pub title: String,
}

/// Open clocks due on or before `until`, earliest first.
pub fn due_until(conn: &Connection, until: NaiveDate, limit: usize) -> Result<Vec<DueItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.case_id, c.number, c.status, d.rule, d.due_date, c.title, c.class, c.confidential,
                coalesce((SELECT p.name FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                          WHERE cp.case_id = c.id AND cp.seq = 1), '')
         FROM case_deadlines d JOIN cases c ON c.id = d.case_id
         WHERE d.met_at IS NULL AND d.due_date <= ?1
         ORDER BY d.due_date, d.case_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![until.to_string(), limit as i64], |r| {
        let status: String = r.get(2)?;
        let rule: String = r.get(3)?;
        let due: String = r.get(4)?;
        let class = CaseClass::from_code(&r.get::<_, String>(6)?).unwrap_or(CaseClass::Other);
        let title: String = r.get(5)?;
        Ok(DueItem {
            rule: Rule::from_code(&rule).unwrap_or(Rule::Handle),
            case_id: r.get(0)?,
            number: r.get(1)?,
            status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Registered),
            clock: Rule::from_code(&rule).unwrap_or(Rule::Handle).label(),
            due: due.parse().unwrap_or_default(),
            title: crate::domain::case::listed_title(class, r.get(7)?, &title).to_string(),
            representative: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many open clocks fall in each worklist group (true counts, however
/// many rows the list shows).
pub fn bucket_counts(conn: &Connection, today: NaiveDate, soon_days: i64) -> Result<Vec<(Bucket, usize)>> {
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    // `window`: only the petitioners' own 复查/复核 windows (Some(true)), only
    // the bureau's clocks (Some(false)) or both (None).
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM case_deadlines WHERE met_at IS NULL AND due_date >= ?1 AND due_date < ?2
           AND (?3 IS NULL OR (rule IN (?4, ?5)) = ?3)",
    )?;
    let windows = [Rule::ReviewRequest.code(), Rule::RecheckRequest.code()];
    let mut count = |from: String, to: String, window: Option<bool>| -> Result<usize> {
        Ok(stmt.query_row(params![from, to, window, windows[0], windows[1]], |r| r.get::<_, i64>(0))? as usize)
    };
    Ok(vec![
        (Bucket::Overdue, count(String::new(), day(0), Some(false))?),
        (Bucket::Today, count(day(0), day(1), None)?),
        (Bucket::Soon, count(day(1), day(soon_days + 1), None)?),
        (Bucket::Week, count(day(soon_days + 1), day(8), None)?),
        (Bucket::Closable, count(String::new(), day(0), Some(true))?),
    ])
}

/// The worklist: open clocks due within `days` days, grouped (overdue, today,
/// due soon, this week), earliest first in each group.
pub fn worklist(
    conn: &Connection,
    today: NaiveDate,
    days: u32,
    soon_days: i64,
    limit: usize,
) -> Result<Vec<(Bucket, Vec<DueItem>)>> {
    let until = today + chrono::Days::new(u64::from(days));
    let mut groups: Vec<(Bucket, Vec<DueItem>)> = Bucket::LISTED.iter().map(|b| (*b, Vec::new())).collect();
    for item in due_until(conn, until, limit)? {
        let b = Bucket::of(item.rule, item.due, today, soon_days);
        if let Some((_, items)) = groups.iter_mut().find(|(g, _)| *g == b) {
            items.push(item);
        }
    }
    Ok(groups)
}

/// Give every open case without a clock the one its status implies, counted
/// from its trail (for data written before clocks were stored, the demo and
/// the generator).
pub fn backfill(tx: &Transaction, cal: &HolidayCalendar) -> Result<usize> {
    let open: Vec<(i64, String)> = tx
        .prepare(
            "SELECT c.id, c.status FROM cases c
             WHERE NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.met_at IS NULL)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    for (id, status) in open {
        let Some(status) = CaseStatus::from_code(&status) else { continue };
        let Some(rule) = deadline::running_rule(status) else { continue };
        let (since, accepted) = cases::clock_start(tx, id, status)?;
        let from = if rule == Rule::Handle { accepted.unwrap_or(since) } else { since };
        start(tx, id, rule, from, None, from.and_hms_opt(0, 0, 0).unwrap_or_default(), cal)?;
        if status == CaseStatus::Extended {
            extend(tx, id, MAX_EXTENSION_DAYS, cal)?;
        }
        n += 1;
    }
    Ok(n)
}

/// Migration step: store the running clock of every case already registered.
pub fn migrate(tx: &Transaction) -> Result<()> {
    let cal = super::calendar::load(tx)?;
    backfill(tx, &cal)?;
    Ok(())
}
