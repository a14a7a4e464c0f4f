//! The weekly screening report (每周排查上报) read from the database, and the
//! fields staff keep by hand for it (key_person_watch, dispute_watch).

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::reference::ReferenceData;
use super::{Result, warnings};
use crate::domain::event_kind::EventKind;
use crate::domain::screening::{
    self, DisputeRow, DisputeState, DisputeWatch, PersonRow, PersonWatch, RiskLevel, WeekFigures, WeeklyReport,
};
use crate::domain::warning::{self, WarningRules};
use crate::domain::{CaseStatus, Coded, KeyPersonKind, id_card::Sex, mask};

mod watch;
pub use watch::{dispute_watch, person_watch, save_dispute_watch, save_person_watch};
use watch::{dispute_watches, person_watches};

/// Who reports, for which week, and whether IDs and phones are shown in full.
#[derive(Debug, Clone)]
pub struct WeekParams {
    pub week_ending: NaiveDate,
    pub office: String,
    pub filled_by: String,
    pub reviewer: String,
    pub unmasked: bool,
}

/// A case registered in the week, as the report needs it.
struct WeekCase {
    id: i64,
    people: u32,
    skip_level: bool,
    threat: bool,
    category: Option<String>,
}

/// Build the report of the week ending `p.week_ending` (seven days).
pub fn weekly(conn: &Connection, refs: &ReferenceData, p: &WeekParams, rules: &WarningRules) -> Result<WeeklyReport> {
    let start = p.week_ending - Days::new(6);
    let (from, to) = (start.to_string(), (p.week_ending + Days::new(1)).to_string());
    let cases: Vec<WeekCase> = conn
        .prepare_cached(
            "SELECT id, people_count, skip_level, threat, category_code FROM cases
             WHERE registered_at >= ?1 AND registered_at < ?2 ORDER BY registered_at, id",
        )?
        .query_map(params![from, to], |r| {
            Ok(WeekCase {
                id: r.get(0)?,
                people: r.get(1)?,
                skip_level: r.get(2)?,
                threat: r.get(3)?,
                category: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let groups: Vec<&WeekCase> = cases.iter().filter(|c| c.people >= rules.group_size).collect();
    let figures = WeekFigures {
        group_batches: groups.len() as u32,
        group_people: groups.iter().map(|c| c.people).sum(),
        skip_level: cases.iter().filter(|c| c.skip_level).count() as u32,
        threats: cases.iter().filter(|c| c.threat).count() as u32,
        concluded: conn.query_row(
            &format!(
                "SELECT count(DISTINCT case_id) FROM case_events WHERE event_kind IN {} AND at >= ?1 AND at < ?2",
                EventKind::sql_list(EventKind::concludes)
            ),
            params![from, to],
            |r| r.get(0),
        )?,
    };
    let persons = person_rows(conn, &cases, start, p, rules)?;
    let disputes = dispute_rows(conn, refs, &cases, start, p.week_ending, rules)?;
    let new_count = (persons.iter().filter(|r| r.new).count() + disputes.iter().filter(|r| r.new).count()) as u32;
    let resolved_count = resolved_in_week(conn, &from, &to)?;
    let in_control = (persons.iter().filter(|r| !r.resolved).count()
        + disputes.iter().filter(|r| r.state() != DisputeState::Resolved).count()) as u32;
    Ok(WeeklyReport {
        office: p.office.clone(),
        week_start: start,
        week_ending: p.week_ending,
        filled_by: p.filled_by.clone(),
        reviewer: p.reviewer.clone(),
        new_count,
        resolved_count,
        in_control,
        zero_report: new_count == 0,
        figures,
        persons,
        disputes,
        unmasked: p.unmasked,
    })
}

fn resolved_in_week(conn: &Connection, from: &str, to: &str) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM key_person_watch WHERE resolved_on >= ?1 AND resolved_on < ?2)
              + (SELECT count(*) FROM dispute_watch WHERE resolved_on >= ?1 AND resolved_on < ?2)",
        params![from, to],
        |r| r.get(0),
    )?)
}

/// The week's key persons: everyone who came this week and is a key person
/// (flagged by hand or by the rules), and everyone under control (a watch
/// row not resolved before the week).
fn person_rows(
    conn: &Connection,
    cases: &[WeekCase],
    start: NaiveDate,
    p: &WeekParams,
    rules: &WarningRules,
) -> Result<Vec<PersonRow>> {
    let end = p.week_ending;
    let case_ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let visits_this_week: HashMap<i64, u32> = conn
        .prepare_cached(
            "SELECT petitioner_id, count(*) FROM case_petitioners
             WHERE case_id IN (SELECT value FROM json_each(?1)) GROUP BY petitioner_id",
        )?
        .query_map([serde_json::to_string(&case_ids).unwrap_or_default()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let watched: HashMap<i64, PersonWatch> = person_watches(conn, start, end)?;
    let ids: BTreeSet<i64> = visits_this_week.keys().chain(watched.keys()).copied().collect();
    let ids: Vec<i64> = ids.into_iter().collect();
    let histories = warnings::person_histories(conn, &ids, end, rules)?;
    let flags = key_flags(conn, &ids)?;
    // Who is listed: a key person by flag or rule, or someone under control.
    let mut listed = Vec::new();
    for id in ids {
        let history = histories.get(&id).cloned().unwrap_or_default();
        let warns = warning::assess_person(&history, end, rules);
        let person_flags = flags.get(&id).map_or(&[][..], Vec::as_slice);
        let categories = screening::person_categories(person_flags, &warns);
        if !categories.is_empty() || watched.contains_key(&id) {
            listed.push((id, history, warns, categories));
        }
    }
    let listed_ids: Vec<i64> = listed.iter().map(|l| l.0).collect();
    let mut facts = person_facts(conn, &listed_ids, end)?;
    let mut rows = Vec::new();
    for (id, history, warns, categories) in listed {
        let watch = watched.get(&id).cloned().unwrap_or_default();
        let Some(facts) = facts.remove(&id) else { continue };
        let mask_id = |s: &str| if p.unmasked { s.to_string() } else { mask::id_number(s) };
        let mask_phone = |s: &str| if p.unmasked { s.to_string() } else { mask::phone(s) };
        let this_week = visits_this_week.get(&id).copied().unwrap_or(0);
        let situation = match (watch.situation.is_empty(), this_week) {
            (false, _) => watch.situation.clone(),
            (true, 0) => String::new(),
            (true, n) => format!("本周来访{n}次"),
        };
        rows.push(PersonRow {
            petitioner_id: id,
            latest_case: facts.latest_case,
            name: facts.name,
            sex: facts.sex,
            id_number: facts.id_number.as_deref().map(mask_id).unwrap_or_default(),
            phone: facts.phone.as_deref().map(mask_phone).unwrap_or_default(),
            household: watch.household.clone(),
            address: facts.address,
            street: facts.street,
            risk: watch.risk.unwrap_or_else(|| screening::default_risk(&categories, &warns)),
            categories,
            demand: facts.demand,
            first_visit: history.first_visit,
            visits: history.total_cases,
            last_visit: history.last_visit,
            destination: watch.destination.unwrap_or(screening::Destination::District),
            procedure: facts.procedure,
            situation,
            leader: or(&watch.leader, facts.leader),
            unit: or(&watch.unit, facts.unit),
            keeper: match (watch.keeper.is_empty(), watch.keeper_phone.is_empty()) {
                (false, false) => format!("{}({})", watch.keeper, mask_phone(&watch.keeper_phone)),
                _ => watch.keeper.clone(),
            },
            measures: watch.measures.clone(),
            resolve_by: watch.resolve_by,
            progress: watch.progress.clone(),
            resolved: watch.resolved_on.is_some(),
            note: watch.note.clone(),
            new: watch.since.is_none_or(|s| s >= start),
            warnings: warns,
        });
    }
    rows.sort_by(|a, b| {
        let rank = |r: RiskLevel| RiskLevel::ALL.iter().position(|x| *x == r);
        rank(a.risk).cmp(&rank(b.risk)).then_with(|| a.petitioner_id.cmp(&b.petitioner_id))
    });
    Ok(rows)
}

/// The hand value if there is one, else what the data says.
fn or(hand: &str, data: String) -> String {
    if hand.is_empty() { data } else { hand.to_string() }
}

fn key_flags(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Vec<KeyPersonKind>>> {
    let mut out: HashMap<i64, Vec<KeyPersonKind>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT petitioner_id, kind FROM petitioner_key_flags
         WHERE petitioner_id IN (SELECT value FROM json_each(?1)) ORDER BY petitioner_id, kind",
    )?;
    let rows = stmt.query_map([serde_json::to_string(ids).unwrap_or_default()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, kind) = row?;
        if let Some(k) = KeyPersonKind::from_code(&kind) {
            out.entry(id).or_default().push(k);
        }
    }
    // In the order of the domain's list (§5.2), whatever the codes sort to.
    out.values_mut().for_each(|kinds| kinds.sort_by_key(|k| k.rank()));
    Ok(out)
}

/// What Table A shows of a person: identity, locality, and their latest case.
struct PersonFacts {
    latest_case: Option<i64>,
    name: String,
    sex: String,
    id_number: Option<String>,
    phone: Option<String>,
    address: String,
    street: String,
    demand: String,
    procedure: &'static str,
    leader: String,
    unit: String,
}

/// Table A's facts of `ids`, in one query: each person with their latest
/// case up to `end`, that case's latest 包案 leader and unit.
fn person_facts(conn: &Connection, ids: &[i64], end: NaiveDate) -> Result<HashMap<i64, PersonFacts>> {
    let mut stmt = conn.prepare_cached(
        "WITH latest AS (
             SELECT j.value AS pid,
                    (SELECT c.id FROM case_petitioners cp JOIN cases c ON c.id = cp.case_id
                     WHERE cp.petitioner_id = j.value AND c.registered_at < ?2
                     ORDER BY c.registered_at DESC, c.id DESC LIMIT 1) AS case_id
             FROM json_each(?1) j)
         SELECT p.id, p.name, p.sex, p.id_number, p.address, s.name,
                (SELECT ph.number FROM petitioner_phones ph WHERE ph.petitioner_id = p.id ORDER BY ph.id LIMIT 1),
                c.id, c.title, c.demands, c.status, c.litigation,
                (SELECT o.leader FROM case_ownerships o WHERE o.case_id = c.id ORDER BY o.id DESC LIMIT 1),
                (SELECT a.unit FROM assignments a WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1)
         FROM latest
         JOIN petitioners p ON p.id = latest.pid
         LEFT JOIN streets s ON s.code = p.street_code
         LEFT JOIN cases c ON c.id = latest.case_id",
    )?;
    let rows = stmt.query_map(
        params![serde_json::to_string(ids).unwrap_or_default(), (end + Days::new(1)).to_string()],
        |r| {
            let (title, demands): (Option<String>, Option<String>) = (r.get(8)?, r.get(9)?);
            let status: Option<String> = r.get(10)?;
            let status = status.as_deref().and_then(CaseStatus::from_code).unwrap_or(CaseStatus::Registered);
            let litigation: Option<bool> = r.get(11)?;
            let demands = demands.filter(|d| !d.is_empty()).or(title).unwrap_or_default();
            Ok((
                r.get::<_, i64>(0)?,
                PersonFacts {
                    name: r.get(1)?,
                    sex: r.get::<_, Option<String>>(2)?.map(|s| Sex::label_of(&s)).unwrap_or_default(),
                    id_number: r.get(3)?,
                    address: r.get(4)?,
                    street: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    phone: r.get(6)?,
                    latest_case: r.get(7)?,
                    demand: demands,
                    procedure: screening::procedure_state(status, litigation.unwrap_or(false)),
                    leader: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                    unit: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                },
            ))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The week's matters: the first case of every chain (linked repeat visits)
/// that had a group visit or a key-group case this week, and every matter
/// under control (a watch row not resolved before the week). A handful of
/// queries for the whole table, however long it is.
fn dispute_rows(
    conn: &Connection,
    refs: &ReferenceData,
    cases: &[WeekCase],
    start: NaiveDate,
    end: NaiveDate,
    rules: &WarningRules,
) -> Result<Vec<DisputeRow>> {
    let qualifying: Vec<&WeekCase> = cases
        .iter()
        .filter(|c| c.people >= rules.group_size || c.category.as_deref().and_then(|k| refs.key_group(k)).is_some())
        .collect();
    let root_of = roots(conn, &qualifying.iter().map(|c| c.id).collect::<Vec<_>>())?;
    let mut week_by_root: HashMap<i64, Vec<&WeekCase>> = HashMap::new();
    for c in qualifying {
        week_by_root.entry(root_of.get(&c.id).copied().unwrap_or(c.id)).or_default().push(c);
    }
    let watched = dispute_watches(conn, start, end)?;
    let roots: Vec<i64> =
        week_by_root.keys().chain(watched.keys()).copied().collect::<BTreeSet<_>>().into_iter().collect();
    let chains = chains(conn, &roots, end)?;
    let facts = matter_facts(conn, &roots, &chains)?;
    let mut rows = Vec::new();
    for root in roots {
        let Some(f) = facts.get(&root) else { continue };
        let watch = watched.get(&root).cloned().unwrap_or_default();
        let this_week = week_by_root.get(&root).map_or(&[][..], Vec::as_slice);
        rows.push(dispute_row(refs, root, f, &watch, this_week, start, rules));
    }
    rows.sort_by(|a, b| b.involved.cmp(&a.involved).then_with(|| a.case_id.cmp(&b.case_id)));
    Ok(rows)
}

/// What Table B shows of a matter from the data: its first case, and of its
/// chain the most people involved, the latest visit's demands, representative
/// and unit, and the latest 包案 leader.
struct MatterFacts {
    number: String,
    title: String,
    address: String,
    category: Option<String>,
    involved: u32,
    demands: String,
    representative: String,
    unit: String,
    leader: String,
}

fn dispute_row(
    refs: &ReferenceData,
    root: i64,
    f: &MatterFacts,
    watch: &DisputeWatch,
    this_week: &[&WeekCase],
    start: NaiveDate,
    rules: &WarningRules,
) -> DisputeRow {
    let group = match (watch.group.is_empty(), f.category.as_deref().and_then(|c| refs.key_group(c))) {
        (false, _) => watch.group.clone(),
        (true, Some(g)) => g.to_string(),
        (true, None) => "其他".into(),
    };
    let name = match (watch.name.is_empty(), f.address.is_empty()) {
        (false, _) => watch.name.clone(),
        (true, true) => f.title.clone(),
        (true, false) => format!("{}（{}）", f.title, f.address),
    };
    let origin = if f.demands.is_empty() { f.title.clone() } else { format!("{}：{}", f.title, f.demands) };
    let mut risks: Vec<&str> = Vec::new();
    for c in this_week {
        for (hit, label) in
            [(c.people >= rules.group_size, "可能集体访"), (c.skip_level, "可能越级访"), (c.threat, "有扬言")]
        {
            if hit && !risks.contains(&label) {
                risks.push(label);
            }
        }
    }
    let progress = match (watch.progress.is_empty(), this_week.len()) {
        (false, _) => watch.progress.clone(),
        (true, 0) => String::new(),
        (true, n) => format!("本周来访{}批{}人", n, this_week.iter().map(|c| c.people).sum::<u32>()),
    };
    let shown = DisputeWatch {
        group,
        name,
        risk: or(&watch.risk, risks.join("；")),
        leader: or(&watch.leader, f.leader.clone()),
        lead_unit: or(&watch.lead_unit, f.unit.clone()),
        progress,
        state: Some(watch.state.unwrap_or(DisputeState::Resolving)),
        ..watch.clone()
    };
    DisputeRow {
        case_id: root,
        case_number: f.number.clone(),
        involved: f.involved,
        representative: f.representative.clone(),
        origin,
        new: watch.since.is_none_or(|s| s >= start),
        shown,
    }
}

fn json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_default()
}

/// The first case of the chain of linked repeat visits each of `ids` is in.
fn roots(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    // UNION (not UNION ALL) ends a corrupted loop of links.
    Ok(conn
        .prepare_cached(
            "WITH RECURSIVE up(start, id, prev) AS (
                 SELECT c.id, c.id, c.linked_case_id FROM cases c WHERE c.id IN (SELECT value FROM json_each(?1))
                 UNION SELECT up.start, c.id, c.linked_case_id FROM up JOIN cases c ON c.id = up.prev)
             SELECT start, id FROM up WHERE prev IS NULL",
        )?
        .query_map([json(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Each root with the cases linked to it (registered up to `end`), oldest
/// first, and the people each involved.
fn chains(conn: &Connection, roots: &[i64], end: NaiveDate) -> Result<HashMap<i64, Vec<(i64, u32)>>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE chain(root, id) AS (
             SELECT value, value FROM json_each(?1)
             UNION SELECT chain.root, c.id FROM cases c JOIN chain ON c.linked_case_id = chain.id)
         SELECT chain.root, c.id, coalesce(c.involved_count, c.people_count) FROM chain JOIN cases c ON c.id = chain.id
         WHERE c.id = chain.root OR c.registered_at < ?2
         ORDER BY chain.root, c.registered_at, c.id",
    )?;
    let mut out: HashMap<i64, Vec<(i64, u32)>> = HashMap::new();
    let rows = stmt.query_map(params![json(roots), (end + Days::new(1)).to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, u32>(2)?))
    })?;
    for row in rows {
        let (root, id, involved) = row?;
        out.entry(root).or_default().push((id, involved));
    }
    Ok(out)
}

/// The data columns of every matter, from its first and its latest case and
/// the 包案 owners anywhere in its chain.
fn matter_facts(
    conn: &Connection,
    roots: &[i64],
    chains: &HashMap<i64, Vec<(i64, u32)>>,
) -> Result<HashMap<i64, MatterFacts>> {
    let latest_of = |root: &i64| chains.get(root).and_then(|c| c.last()).map_or(*root, |(id, _)| *id);
    let latest: Vec<i64> = roots.iter().map(latest_of).collect();
    let mut latest_facts: HashMap<i64, (String, String, String)> = conn
        .prepare_cached(
            "SELECT c.id, c.demands,
                    coalesce((SELECT p.name FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                              WHERE cp.case_id = c.id AND cp.seq = 1), ''),
                    coalesce((SELECT a.unit FROM assignments a WHERE a.case_id = c.id ORDER BY a.id DESC LIMIT 1), '')
             FROM cases c WHERE c.id IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([json(&latest)], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
        .collect::<rusqlite::Result<_>>()?;
    // The latest ownership of each chain wins.
    let root_of: HashMap<i64, i64> =
        chains.iter().flat_map(|(root, c)| c.iter().map(move |(id, _)| (*id, *root))).collect();
    let members: Vec<i64> = root_of.keys().copied().collect();
    let mut leaders: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, leader FROM case_ownerships WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    for row in stmt.query_map([json(&members)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (case_id, leader) = row?;
        if let Some(root) = root_of.get(&case_id) {
            leaders.insert(*root, leader);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, number, title, problem_address, category_code FROM cases
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut out = HashMap::new();
    let rows = stmt.query_map([json(roots)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?))
    })?;
    for row in rows {
        let (root, number, title, address, category) = row?;
        let (demands, representative, unit) = latest_facts.remove(&latest_of(&root)).unwrap_or_default();
        let involved = chains.get(&root).and_then(|c| c.iter().map(|(_, n)| *n).max()).unwrap_or(1);
        let leader = leaders.remove(&root).unwrap_or_default();
        out.insert(
            root,
            MatterFacts { number, title, address, category, involved, demands, representative, unit, leader },
        );
    }
    Ok(out)
}
