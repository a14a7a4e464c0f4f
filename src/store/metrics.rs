//! The records the metrics count, read in two queries over a period (cases
//! by registration date, then their statutory clocks), and the open clocks
//! overdue now, by responsible unit.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::{Result, day};
use crate::domain::deadline::Rule;
use crate::domain::event_kind::EventKind;
use crate::domain::lifecycle::Satisfaction;
use crate::domain::metrics::{CaseRecord, ClockRecord, MetricRules};
use crate::domain::{CaseClass, Coded};

/// One record per case registered from `from` to `to` (both days included).
pub fn records(conn: &Connection, from: NaiveDate, to: NaiveDate, rules: &MetricRules) -> Result<Vec<CaseRecord>> {
    let (start, end) = (from.to_string(), (to + Days::new(1)).to_string());
    // The conclusions and 复查 requests come from one pass over the events
    // index (events of those kinds since the period began), not a lookup per case.
    let concluding = EventKind::sql_list(EventKind::concludes);
    let counted = EventKind::sql_list(|k| k.concludes() || k == EventKind::RequestReview);
    let review = EventKind::RequestReview.code();
    let mut stmt = conn.prepare_cached(&format!(
        "WITH ev AS MATERIALIZED (
             SELECT case_id, min(at) FILTER (WHERE event_kind IN {concluding}) AS concluded,
                    max(event_kind = '{review}') AS review
             FROM case_events WHERE event_kind IN {counted} AND at >= ?1
             GROUP BY case_id)
         SELECT c.id, c.registered_at, coalesce(f.name, c.form_code), c.class,
                coalesce(parent.name, cat.name, ''), coalesce(s.name, ''),
                coalesce((SELECT a.unit FROM assignments a WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1), ''),
                c.repeat_kind = 'first',
                NOT (c.litigation OR c.confidential OR c.class = 'accusation' OR c.status = 'channelled_to_legal'),
                ev.concluded, v.bureau, v.unit,
                ev.concluded IS NOT NULL AND EXISTS (
                    SELECT 1 FROM cases r WHERE r.linked_case_id = c.id AND r.registered_at >= ev.concluded
                    AND r.registered_at < date(ev.concluded, '+' || (?3 + 1) || ' days')),
                coalesce(ev.review, 0)
         FROM cases c
         LEFT JOIN ev ON ev.case_id = c.id
         LEFT JOIN forms f ON f.code = c.form_code
         LEFT JOIN categories cat ON cat.code = c.category_code
         LEFT JOIN categories parent ON parent.code = cat.parent_code
         LEFT JOIN streets s ON s.code = c.problem_street_code
         LEFT JOIN case_evaluations v ON v.case_id = c.id
         WHERE c.registered_at >= ?1 AND c.registered_at < ?2"
    ))?;
    let rating = |s: Option<String>| s.as_deref().and_then(Satisfaction::from_code);
    let mut ids = Vec::new();
    let mut records: Vec<CaseRecord> = stmt
        .query_map(params![start, end, rules.one_time_window_days], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                CaseRecord {
                    registered: day(r.get(1)?).unwrap_or_default(),
                    form: r.get(2)?,
                    class: CaseClass::label_of(&r.get::<_, String>(3)?),
                    category: r.get(4)?,
                    street: r.get(5)?,
                    unit: r.get(6)?,
                    first: r.get(7)?,
                    evaluable: r.get(8)?,
                    concluded: day(r.get(9)?),
                    bureau_rating: rating(r.get(10)?),
                    unit_rating: rating(r.get(11)?),
                    came_back: r.get(12)?,
                    review_requested: r.get(13)?,
                    ..Default::default()
                },
            ))
        })?
        .map(|row| {
            row.map(|(id, rec)| {
                ids.push(id);
                rec
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    let clocks = clocks(conn, &start, &end)?;
    for (rec, id) in records.iter_mut().zip(&ids) {
        if let Some(c) = clocks.get(id) {
            (rec.relay, rec.accept, rec.handle) = *c;
        }
    }
    Ok(records)
}

type Clocks = (Option<ClockRecord>, Option<ClockRecord>, Option<ClockRecord>);

/// The latest relay, accept and handle clock of each case of the period (a
/// 简易办理 clock counted as the ordinary one it stands for).
fn clocks(conn: &Connection, start: &str, end: &str) -> Result<HashMap<i64, Clocks>> {
    let rules = [Rule::Relay, Rule::Accept, Rule::Handle];
    let codes: Vec<String> =
        rules.iter().flat_map(|r| [r.code(), r.simple().code()]).map(|c| format!("'{c}'")).collect();
    let mut stmt = conn.prepare_cached(&format!(
        // CROSS JOIN: the period's cases first, then their clocks by case.
        "SELECT d.case_id, d.rule, d.due_date, d.met_at FROM cases c
         CROSS JOIN case_deadlines d ON d.case_id = c.id
         WHERE c.registered_at >= ?1 AND c.registered_at < ?2 AND d.rule IN ({})
         ORDER BY d.id",
        codes.join(", ")
    ))?;
    let mut out: HashMap<i64, Clocks> = HashMap::new();
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
    })?;
    for row in rows {
        let (id, rule, due, met) = row?;
        let Some(due) = day(Some(due)) else { continue };
        let clock = Some(ClockRecord { due, met: day(met) });
        let slot = out.entry(id).or_default();
        match Rule::from_code(&rule).map(Rule::ordinary) {
            Some(Rule::Relay) => slot.0 = clock,
            Some(Rule::Accept) => slot.1 = clock,
            Some(Rule::Handle) => slot.2 = clock,
            _ => {}
        }
    }
    Ok(out)
}

/// Open clocks past their due date on `today`, by the unit the case was last
/// sent to (a petitioner's own 复查/复核 window is not the unit's delay).
pub fn overdue_by_unit(conn: &Connection, today: NaiveDate) -> Result<Vec<(String, u64)>> {
    let rules: Vec<String> =
        Rule::ALL.iter().filter(|r| !r.is_petitioner_window()).map(|r| format!("'{}'", r.code())).collect();
    let sql = format!(
        "SELECT coalesce((SELECT a.unit FROM assignments a WHERE a.case_id = d.case_id ORDER BY a.id DESC LIMIT 1),
                         '（未转送交办）'), count(DISTINCT d.case_id)
         FROM case_deadlines d
         WHERE d.met_at IS NULL AND d.due_date < ?1 AND d.rule IN ({})
         GROUP BY 1 ORDER BY 2 DESC, 1",
        rules.join(", ")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([today.to_string()], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A mark that changes whenever something the reports read changes: every
/// case change writes a trail event, and hand edits stamp their watch rows.
pub fn data_mark(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT coalesce((SELECT max(id) FROM case_events), 0) || '/' ||
                coalesce((SELECT max(updated_at) FROM key_person_watch), '') || '/' ||
                coalesce((SELECT max(updated_at) FROM dispute_watch), '')",
        [],
        |r| r.get(0),
    )?)
}
