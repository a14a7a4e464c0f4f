//! The records the metrics count, read in two queries over a period (cases
//! by registration date, then their statutory clocks), and the open clocks
//! overdue now, by responsible unit.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::Result;
use crate::domain::deadline::Rule;
use crate::domain::event_kind::EventKind;
use crate::domain::lifecycle::Satisfaction;
use crate::domain::metrics::{CaseRecord, ClockRecord, MetricRules};
use crate::domain::{CaseClass, Coded};

/// One record per case registered from `from` to `to` (both days included).
/// Four reads, each an index range (on a million cases, a year's 200 k
/// records): the cases on this thread; beside it, on a connection of its
/// own, the conclusions and 复查 requests since the period began, the later
/// cases linked to them, and the clocks.
pub fn records(conn: &Connection, from: NaiveDate, to: NaiveDate, rules: &MetricRules) -> Result<Vec<CaseRecord>> {
    let (start, end) = (from.to_string(), (to + Days::new(1)).to_string());
    // The returns go with the cases: the two sides then take about as long.
    let here = |c: &Connection| -> Result<_> { Ok((cases(c, &start, &end)?, returns(c, &start)?)) };
    let facts = |c: &Connection| -> Result<Facts> { Ok((outcomes(c, &start)?, clocks(c, &start, &end)?)) };
    let (here, facts) = super::beside::side_by_side(conn, here, facts);
    let ((mut records, ids), returns) = here?;
    let (outcomes, clocks) = facts?;
    let window = u64::from(rules.one_time_window_days) + 1;
    for (rec, id) in records.iter_mut().zip(&ids) {
        if let Some((concluded, review)) = outcomes.get(id) {
            rec.concluded = date_of(concluded);
            rec.review_requested = *review;
            rec.came_back = returns.get(id).is_some_and(|linked| came_back(concluded, window, linked));
        }
        if let Some(c) = clocks.get(id) {
            (rec.relay, rec.accept, rec.handle) = *c;
        }
    }
    Ok(records)
}

/// What is read beside the cases: outcomes and clocks (each by case id).
type Facts = (FxHashMap<i64, (String, bool)>, FxHashMap<i64, Clocks>);

/// The period's cases with what they say themselves, and their ids.
fn cases(conn: &Connection, start: &str, end: &str) -> Result<(Vec<CaseRecord>, Vec<i64>)> {
    let mut names = Names::read(conn)?;
    // INDEXED BY: the report's covering index, which holds every column read
    // here; left to itself SQLite 3.54 skip-scans the category index and
    // reads each case's row (0.64 s instead of 0.21 s for a year of 1 M).
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.registered_at, c.form_code, c.class, c.category_code, c.problem_street_code,
                coalesce((SELECT a.unit FROM assignments a WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1), ''),
                c.repeat_kind = 'first',
                NOT (c.litigation OR c.confidential OR c.class = 'accusation' OR c.status = 'channelled_to_legal'),
                v.bureau, v.unit
         FROM cases c INDEXED BY cases_report
         LEFT JOIN case_evaluations v ON v.case_id = c.id
         WHERE c.registered_at >= ?1 AND c.registered_at < ?2",
    )?;
    let rating = |s: Option<&str>| s.and_then(Satisfaction::from_code);
    let (mut ids, mut records) = (Vec::new(), Vec::new());
    let mut rows = stmt.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str_or_null()?.unwrap_or_default()) };
        ids.push(r.get::<_, i64>(0)?);
        records.push(CaseRecord {
            registered: date_of(text(1)?).unwrap_or_default(),
            form: names.form(text(2)?),
            class: names.class(text(3)?),
            category: names.category(text(4)?),
            street: names.street(text(5)?),
            unit: names.unit(text(6)?),
            first: r.get(7)?,
            evaluable: r.get(8)?,
            bureau_rating: rating(r.get_ref(9)?.as_str_or_null().map_err(rusqlite::Error::from)?),
            unit_rating: rating(r.get_ref(10)?.as_str_or_null().map_err(rusqlite::Error::from)?),
            ..Default::default()
        });
    }
    Ok((records, ids))
}

/// The names the metrics group by, read once (the lists are small; a join
/// per case cost four index seeks each on a year's 200 k cases), each kept
/// once and shared by the records that name it.
struct Names {
    forms: HashMap<String, Arc<str>>,
    /// Category → the name of its top-level category (its own at the top).
    categories: HashMap<String, Arc<str>>,
    streets: HashMap<String, Arc<str>>,
    /// Class code → label, as they are met.
    classes: HashMap<String, Arc<str>>,
    /// Units and unlisted form codes, as they are met.
    seen: HashMap<String, Arc<str>>,
    none: Arc<str>,
}

impl Names {
    fn read(conn: &Connection) -> Result<Names> {
        let pairs = |sql: &str| -> Result<HashMap<String, Arc<str>>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, Arc::from(r.get::<_, String>(1)?))))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Names {
            forms: pairs("SELECT code, name FROM forms")?,
            categories: pairs(
                "SELECT cat.code, coalesce(parent.name, cat.name) FROM categories cat
                 LEFT JOIN categories parent ON parent.code = cat.parent_code",
            )?,
            streets: pairs("SELECT code, name FROM streets")?,
            classes: HashMap::new(),
            seen: HashMap::new(),
            none: Arc::from(""),
        })
    }

    /// A form's name, or its code where the list lacks it.
    fn form(&mut self, code: &str) -> Arc<str> {
        match self.forms.get(code) {
            Some(name) => name.clone(),
            None => self.shared(code),
        }
    }

    fn category(&self, code: &str) -> Arc<str> {
        self.categories.get(code).unwrap_or(&self.none).clone()
    }

    fn street(&self, code: &str) -> Arc<str> {
        self.streets.get(code).unwrap_or(&self.none).clone()
    }

    fn class(&mut self, code: &str) -> Arc<str> {
        match self.classes.get(code) {
            Some(label) => label.clone(),
            None => {
                let label: Arc<str> = Arc::from(CaseClass::label_of(code));
                self.classes.insert(code.to_string(), label.clone());
                label
            }
        }
    }

    fn unit(&mut self, unit: &str) -> Arc<str> {
        self.shared(unit)
    }

    /// `text` as one shared string however often it comes.
    fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(s) = self.seen.get(text) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(text);
        self.seen.insert(text.to_string(), s.clone());
        s
    }
}

/// Whether a later case linked to this one was registered from its
/// conclusion up to `window` days after (the day the window ends excluded).
/// The stored times compare as text, as they sort.
fn came_back(concluded: &str, window: u64, linked: &[String]) -> bool {
    let Some(until) = date_of(concluded).and_then(|d| d.checked_add_days(Days::new(window))) else {
        return false;
    };
    let until = until.to_string();
    linked.iter().any(|at| at.as_str() >= concluded && *at < until)
}

/// Each case concluded or asked for 复查 since `start`: when it was first
/// concluded (empty when only 复查 was asked) and whether 复查 was asked.
/// One pass over the events index (events of those kinds since then).
fn outcomes(conn: &Connection, start: &str) -> Result<FxHashMap<i64, (String, bool)>> {
    let concluding = EventKind::sql_list(EventKind::concludes);
    let counted = EventKind::sql_list(|k| k.concludes() || k == EventKind::RequestReview);
    let review = EventKind::RequestReview.code();
    // INDEXED BY: left to itself the planner walks all events in case order
    // to skip the GROUP BY sort (0.83 s instead of 0.08 s on a million cases).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT case_id, coalesce(min(at) FILTER (WHERE event_kind IN {concluding}), ''), max(event_kind = '{review}')
         FROM case_events INDEXED BY case_events_kind_at WHERE event_kind IN {counted} AND at >= ?1
         GROUP BY case_id"
    ))?;
    let rows = stmt.query_map([start], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The registration times of the cases linked to an earlier one, registered
/// since `start` (a later visit about a concluded matter), by that earlier case.
fn returns(conn: &Connection, start: &str) -> Result<FxHashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT linked_case_id, registered_at FROM cases INDEXED BY cases_linked
         WHERE linked_case_id IS NOT NULL AND registered_at >= ?1",
    )?;
    let mut out: FxHashMap<i64, Vec<String>> = FxHashMap::default();
    for row in stmt.query_map([start], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (linked, at) = row?;
        out.entry(linked).or_default().push(at);
    }
    Ok(out)
}

type Clocks = (Option<ClockRecord>, Option<ClockRecord>, Option<ClockRecord>);

/// The latest relay, accept and handle clock of each case of the period (a
/// 简易办理 clock counted as the ordinary one it stands for). Read from the
/// clocks' index alone; the highest id of a slot is its latest clock.
fn clocks(conn: &Connection, start: &str, end: &str) -> Result<FxHashMap<i64, Clocks>> {
    let rules = [Rule::Relay, Rule::Accept, Rule::Handle];
    let codes: Vec<String> =
        rules.iter().flat_map(|r| [r.code(), r.simple().code()]).map(|c| format!("'{c}'")).collect();
    let mut stmt = conn.prepare_cached(&format!(
        // CROSS JOIN: the period's cases first, then their clocks by case; `+d.rule`:
        // the rule filtered as read, not six index seeks per case (0.45 s → 0.22 s).
        // INDEXED BY: the period as one range of the day index, not a skip-scan
        // of the category index (0.29–0.39 s → 0.14 s on 1 M).
        "SELECT d.case_id, d.id, d.rule, d.due_date, d.met_at FROM cases c INDEXED BY cases_registered_at
         CROSS JOIN case_deadlines d ON d.case_id = c.id
         WHERE c.registered_at >= ?1 AND c.registered_at < ?2 AND +d.rule IN ({})",
        codes.join(", ")
    ))?;
    // Each slot's clock with its id: a higher id is a later clock.
    let mut out: FxHashMap<i64, (Clocks, [i64; 3])> = FxHashMap::default();
    let mut rows = stmt.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let slot = match text(2)?.and_then(Rule::from_code).map(Rule::ordinary) {
            Some(Rule::Relay) => 0,
            Some(Rule::Accept) => 1,
            Some(Rule::Handle) => 2,
            _ => continue,
        };
        let Some(due) = text(3)?.and_then(date_of) else { continue };
        let (case, id): (i64, i64) = (r.get(0)?, r.get(1)?);
        let (clocks, ids) = out.entry(case).or_default();
        if ids[slot] > id {
            continue;
        }
        ids[slot] = id;
        let clock = Some(ClockRecord { due, met: text(4)?.and_then(date_of) });
        match slot {
            0 => clocks.0 = clock,
            1 => clocks.1 = clock,
            _ => clocks.2 = clock,
        }
    }
    Ok(out.into_iter().map(|(case, (clocks, _))| (case, clocks)).collect())
}

/// The day of a stored date or time (its first ten characters).
fn date_of(s: &str) -> Option<NaiveDate> {
    s.get(..10)?.parse().ok()
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
