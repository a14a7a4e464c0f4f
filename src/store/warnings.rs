//! The facts the early-warning rules look at, gathered in a few queries, and
//! the 预警 list: everyone who came recently and fired a rule, plus the
//! streets and categories whose counts jumped this week.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::Result;
use super::reference::ReferenceData;
use crate::domain::warning::{self, CaseFacts, CountSeries, PersonHistory, Warning, WarningRules};

/// The histories of `ids`: the all-time counts from `petitioner_visits`,
/// then the windowed ones (see [`add_windowed`]).
pub fn person_histories(
    conn: &Connection,
    ids: &[i64],
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<HashMap<i64, PersonHistory>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut out: HashMap<i64, PersonHistory> = conn
        .prepare_cached(
            "SELECT petitioner_id, case_count, first_visit, last_visit, skip_level_cases, threat_cases
             FROM petitioner_visits WHERE petitioner_id IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([serde_json::to_string(ids).unwrap_or_default()], |r| {
            let day = |i: usize| -> rusqlite::Result<Option<NaiveDate>> { Ok(super::day(r.get(i)?)) };
            let h = PersonHistory {
                total_cases: r.get(1)?,
                recent_cases: 0,
                first_visit: day(2)?,
                last_visit: day(3)?,
                skip_level_cases: r.get(4)?,
                threat_cases: r.get(5)?,
                key_groups: Vec::new(),
            };
            Ok((r.get::<_, i64>(0)?, h))
        })?
        .collect::<rusqlite::Result<_>>()?;
    add_windowed(conn, out.iter_mut().map(|(id, h)| (*id, h)), today, rules)?;
    Ok(out)
}

/// Fill in the windowed parts of histories whose all-time part is known:
/// the recent cases and the key groups of the active period, from the cases
/// of those who came within the window only — most people of an archive did
/// not, and their cases are never read. The links carry each case's day and
/// category (migration 24): one index range per person, no case row.
pub fn add_windowed<'a>(
    conn: &Connection,
    histories: impl IntoIterator<Item = (i64, &'a mut PersonHistory)>,
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<()> {
    let recent = today - Days::new(u64::from(rules.repeat_days.saturating_sub(1)));
    let active = today - Days::new(u64::from(rules.long_term_active_days));
    let window = recent.min(active);
    let came: HashMap<i64, &mut PersonHistory> =
        histories.into_iter().filter(|(_, h)| h.last_visit.is_some_and(|d| d >= window)).collect();
    if came.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&came.keys().collect::<Vec<_>>()).unwrap_or_default();
    // The links alone (their index holds the day and the category): the key
    // groups are matched here, for the categories met, not by joins per case.
    let mut stmt = conn.prepare_cached(
        "SELECT petitioner_id, case_id, registered_at >= ?2, registered_at >= ?3, category_code
         FROM case_petitioners WHERE petitioner_id IN (SELECT value FROM json_each(?1)) AND registered_at >= ?4",
    )?;
    let mut rows = stmt.query(params![ids, recent.to_string(), active.to_string(), window.to_string()])?;
    let mut recent_cases: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut active_categories: HashMap<i64, HashSet<String>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (person, case): (i64, i64) = (r.get(0)?, r.get(1)?);
        if r.get(2)? {
            recent_cases.entry(person).or_default().insert(case);
        }
        if r.get(3)?
            && let Some(category) = r.get::<_, Option<String>>(4)?
        {
            active_categories.entry(person).or_default().insert(category);
        }
    }
    let met: BTreeSet<&str> = active_categories.values().flatten().map(String::as_str).collect();
    let groups = groups_by_category(conn, &met)?;
    for (id, h) in came {
        // A person listed twice on one case counts it once.
        h.recent_cases = recent_cases.get(&id).map_or(0, |c| c.len() as u32);
        let named: BTreeSet<&str> = active_categories
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|c| groups.get(c.as_str()))
            .flatten()
            .map(String::as_str)
            .collect();
        h.key_groups = named.into_iter().map(str::to_string).collect();
    }
    Ok(())
}

/// Category code → the key groups it counts for (its own and its parent's),
/// for the categories `codes` only (a page of people meets a few).
fn groups_by_category(conn: &Connection, codes: &BTreeSet<&str>) -> Result<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT cat.code, kg.grp FROM categories cat
         JOIN key_groups kg ON kg.category_code IN (cat.code, cat.parent_code)
         WHERE cat.code IN (SELECT value FROM json_each(?1))",
    )?;
    let codes = serde_json::to_string(codes).unwrap_or_default();
    for row in stmt.query_map([codes], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (code, group) = row?;
        out.entry(code).or_default().push(group);
    }
    Ok(out)
}

/// The person warnings of `ids` (people with none are left out).
pub fn person_warnings(
    conn: &Connection,
    ids: &[i64],
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<HashMap<i64, Vec<Warning>>> {
    Ok(person_histories(conn, ids, today, rules)?
        .into_iter()
        .map(|(id, h)| (id, warning::assess_person(&h, today, rules)))
        .filter(|(_, w)| !w.is_empty())
        .collect())
}

/// Fill in the person warnings of petitioner search hits, from the history
/// their search read (one more query, for those who came recently).
pub fn attach<'a>(
    conn: &Connection,
    hits: impl IntoIterator<Item = &'a mut super::search::PetitionerHit>,
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<()> {
    let mut hits: Vec<&mut super::search::PetitionerHit> = hits.into_iter().collect();
    add_windowed(conn, hits.iter_mut().map(|h| (h.id, &mut h.history)), today, rules)?;
    for h in &mut hits {
        h.warnings = warning::assess_person(&h.history, today, rules);
    }
    Ok(())
}

/// Fill in the case warnings of case search hits, from the facts their
/// search read with each row.
pub fn attach_cases<'a>(
    refs: &ReferenceData,
    hits: impl IntoIterator<Item = &'a mut super::search::CaseHit>,
    rules: &WarningRules,
) {
    for h in hits {
        let f = &h.facts;
        let facts = case_facts(refs, f.people_count, f.skip_level, f.threat, f.category_code.as_deref());
        h.warnings = warning::assess_case(&facts, rules);
    }
}

/// A case's own warnings and its representative's, each kind once (the
/// case detail's list).
pub fn of_case(
    conn: &Connection,
    refs: &ReferenceData,
    case: &crate::domain::Case,
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<Vec<Warning>> {
    let f = &case.flags;
    let facts = case_facts(refs, case.people_count, f.skip_level, f.threat, case.category_code.as_deref());
    let representative: Vec<i64> = case.petitioner_ids.iter().take(1).copied().collect();
    let person = person_warnings(conn, &representative, today, rules)?;
    let person = representative.first().and_then(|id| person.get(id)).map_or(&[][..], Vec::as_slice);
    Ok(warning::merge(person, &warning::assess_case(&facts, rules)))
}

pub fn case_facts(refs: &ReferenceData, people: u32, skip: bool, threat: bool, category: Option<&str>) -> CaseFacts {
    CaseFacts {
        people_count: people,
        skip_level: skip,
        threat,
        key_group: category.and_then(|c| refs.key_group(c)).map(str::to_string),
    }
}

/// One line of the 预警 list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningEntry {
    /// The person (masked on screen) or, for a spike, the street or category.
    pub subject: String,
    pub petitioner_id: Option<i64>,
    /// The person's latest case in the window.
    pub case_id: Option<i64>,
    pub case_number: String,
    pub registered_on: Option<NaiveDate>,
    pub warnings: Vec<Warning>,
}

impl WarningEntry {
    /// The person's name masked, or the spike's street or category as it is.
    pub fn masked_subject(&self) -> String {
        if self.petitioner_id.is_some() { crate::domain::mask::name(&self.subject) } else { self.subject.clone() }
    }

    pub fn reasons(&self) -> String {
        self.warnings.iter().map(|w| w.reason.as_str()).collect::<Vec<_>>().join("；")
    }
}

/// Everyone who came in the last `list_days` days and fires a rule (their
/// latest case's and their history's warnings), then the week's spikes.
/// Spikes first, then the most pressing warning, then the newest visit.
pub fn warning_list(
    conn: &Connection,
    refs: &ReferenceData,
    today: NaiveDate,
    rules: &WarningRules,
) -> Result<Vec<WarningEntry>> {
    let since = (today - Days::new(u64::from(rules.list_days.saturating_sub(1)))).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT cp.petitioner_id, p.name, c.id, c.number, c.registered_at, c.people_count, c.skip_level, c.threat,
                c.category_code
         FROM cases c
         JOIN case_petitioners cp ON cp.case_id = c.id AND cp.seq = 1
         JOIN petitioners p ON p.id = cp.petitioner_id
         WHERE c.registered_at >= ?1
         ORDER BY c.registered_at DESC, c.id DESC",
    )?;
    let mut latest: Vec<(i64, String, i64, String, String, CaseFacts)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let rows = stmt.query_map([since], |r| {
        let category: Option<String> = r.get(8)?;
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            case_facts(refs, r.get(5)?, r.get(6)?, r.get(7)?, category.as_deref()),
        ))
    })?;
    for row in rows {
        let row = row?;
        if seen.insert(row.0) {
            latest.push(row);
        }
    }
    let ids: Vec<i64> = latest.iter().map(|r| r.0).collect();
    let people = person_warnings(conn, &ids, today, rules)?;
    let mut out: Vec<WarningEntry> = latest
        .into_iter()
        .filter_map(|(pid, name, case_id, number, at, facts)| {
            let case = warning::assess_case(&facts, rules);
            let merged = warning::merge(people.get(&pid).map_or(&[][..], Vec::as_slice), &case);
            (!merged.is_empty()).then(|| WarningEntry {
                subject: name,
                petitioner_id: Some(pid),
                case_id: Some(case_id),
                case_number: number,
                registered_on: super::day(Some(at)),
                warnings: merged,
            })
        })
        .collect();
    out.sort_by_key(|e| e.warnings.first().map_or(u8::MAX, |w| w.kind.rank()));
    let mut spikes: Vec<WarningEntry> = spike_series(conn, today, rules)?
        .iter()
        .filter_map(|s| warning::spike(s, rules))
        .map(|w| WarningEntry {
            subject: w.detail.clone(),
            petitioner_id: None,
            case_id: None,
            case_number: String::new(),
            registered_on: None,
            warnings: vec![w],
        })
        .collect();
    spikes.append(&mut out);
    Ok(spikes)
}

/// Weekly counts per street and per top-level category: this week (the
/// seven days ending `today`) and the `spike_weeks` weeks before it.
pub fn spike_series(conn: &Connection, today: NaiveDate, rules: &WarningRules) -> Result<Vec<CountSeries>> {
    let weeks = rules.spike_weeks as usize;
    let start = (today - Days::new(7 * (weeks as u64 + 1) - 1)).to_string();
    let mut series: HashMap<String, Vec<u32>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce('街道：' || s.name, '街道：（未填）'),
                '类别：' || coalesce(parent.name, cat.name, '（未填）'),
                CAST((julianday(?2) - julianday(substr(c.registered_at, 1, 10))) / 7 AS INTEGER) AS week,
                count(*)
         FROM cases c
         LEFT JOIN streets s ON s.code = c.problem_street_code
         LEFT JOIN categories cat ON cat.code = c.category_code
         LEFT JOIN categories parent ON parent.code = cat.parent_code
         WHERE c.registered_at >= ?1
         GROUP BY 1, 2, 3",
    )?;
    let rows = stmt.query_map(params![start, today.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, u32>(3)?))
    })?;
    for row in rows {
        let (street, category, week, n) = row?;
        let Ok(week) = usize::try_from(week) else { continue };
        if week > weeks {
            continue;
        }
        for key in [street, category] {
            series.entry(key).or_insert_with(|| vec![0; weeks + 1])[week] += n;
        }
    }
    let mut out: Vec<CountSeries> = series
        .into_iter()
        .map(|(label, counts)| CountSeries {
            label,
            this_week: counts[0],
            previous: counts[1..].iter().rev().copied().collect(),
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}
