//! The search engine: takes a parsed query, returns ranked rows. The UI never
//! builds SQL; this module builds it only from fixed fragments, with every
//! value bound as a parameter.
//!
//! Every lookup is an index range: ID and phone tails through the reversed
//! columns, names and pinyin through their indexes (a range, never `LIKE`,
//! which skips the index), complaint words through the bigram FTS index,
//! newest first with a cap instead of a count.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use serde::Serialize;

use super::{Result, cases, parse_timestamp, reversed, search_index};
use crate::domain::deadline::Rule;
use crate::domain::query::{Filters, Probe, SearchQuery};
use crate::domain::warning::PersonHistory;
use crate::domain::{CaseStatus, Coded, KeyPersonKind, phone};
use crate::text;

/// How a row was found; the order is the ranking (exact matches first, then
/// names, then text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    IdExact,
    PhoneExact,
    CaseNumber,
    QueryCode,
    ExternalRef,
    NameExact,
    IdTail,
    PhoneTail,
    NamePrefix,
    Pinyin,
    Text,
    Recent,
}

impl MatchKind {
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::IdExact => "证件号",
            MatchKind::PhoneExact => "电话",
            MatchKind::CaseNumber => "编号",
            MatchKind::QueryCode => "查询码",
            MatchKind::ExternalRef => "外部编号",
            MatchKind::NameExact => "姓名",
            MatchKind::IdTail => "证件尾号",
            MatchKind::PhoneTail => "电话尾号",
            MatchKind::NamePrefix => "姓名",
            MatchKind::Pinyin => "拼音",
            MatchKind::Text => "内容",
            MatchKind::Recent => "最近",
        }
    }
}

/// A petitioner row. Values are unmasked here; views and exports mask them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PetitionerHit {
    pub id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub case_count: i64,
    pub open_cases: i64,
    pub first_visit: Option<NaiveDateTime>,
    pub last_visit: Option<NaiveDateTime>,
    pub key_person: Vec<String>,
    pub threat_history: bool,
    pub matched: MatchKind,
    /// The all-time facts of the person's cases the warnings look at; the
    /// windowed ones are added by `warnings::attach`.
    #[serde(skip)]
    pub history: PersonHistory,
    /// Early warnings about the person (filled by the caller: see `warnings::attach`).
    pub warnings: Vec<crate::domain::warning::Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseHit {
    pub id: i64,
    pub number: String,
    pub registered_at: NaiveDateTime,
    pub status: CaseStatus,
    pub representative: String,
    /// Title, or for a text match an excerpt around the words; `（内容保密）`
    /// for 检举控告 and 保密 cases.
    pub summary: String,
    pub restricted: bool,
    /// The statutory clock running now, if the case is open.
    pub next_deadline: Option<NextDeadline>,
    pub matched: MatchKind,
    /// What the case's early warnings look at, read with its row.
    #[serde(skip)]
    pub facts: CaseWarningFacts,
    /// The case's early warnings (filled by the caller: see `warnings::attach_cases`).
    pub warnings: Vec<crate::domain::warning::Warning>,
}

/// A case's registered facts the early-warning rules look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseWarningFacts {
    pub people_count: u32,
    pub skip_level: bool,
    pub threat: bool,
    pub category_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextDeadline {
    /// 转送交办, 受理告知, 办结 …
    pub clock: &'static str,
    #[serde(skip)]
    pub rule: Rule,
    pub due: NaiveDate,
}

impl NextDeadline {
    /// The stored due date is the one in force (extensions and a leader's
    /// earlier date already applied): no calendar is needed to list it.
    fn of((rule, due): (Rule, NaiveDate)) -> Self {
        NextDeadline { clock: rule.label(), rule, due }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hit {
    Petitioner(PetitionerHit),
    Case(CaseHit),
}

impl Hit {
    pub fn matched(&self) -> MatchKind {
        match self {
            Hit::Petitioner(p) => p.matched,
            Hit::Case(c) => c.matched,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Some probe hit its cap: there are more (older) matches than shown.
    pub capped: bool,
    pub notice: Option<String>,
}

/// Run every probe of `q`, merge and rank. `limit` caps each probe.
pub fn search(conn: &Connection, q: &SearchQuery, limit: usize) -> Result<Results> {
    let mut people: Vec<(i64, MatchKind)> = Vec::new();
    let mut found: Vec<(i64, MatchKind)> = Vec::new();
    let mut capped = false;
    let mut groups = Vec::new();
    for probe in &q.probes {
        groups.extend(run_probe(conn, probe, &q.filters, limit)?);
    }
    // A merged record's hit is its kept record's (all looked up at once).
    let person_ids: Vec<i64> =
        groups.iter().filter(|(_, kind)| !is_case_kind(*kind)).flat_map(|(ids, _)| ids.iter().copied()).collect();
    let kept = super::petitioners::resolve_all(conn, &person_ids)?;
    for (ids, kind) in groups {
        capped |= ids.len() >= limit;
        let target = if is_case_kind(kind) { &mut found } else { &mut people };
        for id in ids {
            let id = if is_case_kind(kind) { id } else { kept.get(&id).copied().unwrap_or(id) };
            if !target.iter().any(|(seen, _)| *seen == id) {
                target.push((id, kind));
            }
        }
    }
    people.sort_by_key(|(_, k)| *k);
    people.truncate(limit);
    found.truncate(limit);
    let mut hits: Vec<Hit> = Vec::with_capacity(people.len() + found.len());
    hits.extend(petitioner_hits(conn, &people)?.into_iter().map(Hit::Petitioner));
    hits.extend(case_hits(conn, &found, &q.highlight_terms())?.into_iter().map(Hit::Case));
    hits.sort_by_key(Hit::matched);
    Ok(Results { hits, capped, notice: q.notice.clone() })
}

/// The search page's whole path: the ranked rows with their clocks, and
/// the early-warning badges of the people and cases listed.
pub fn page(
    conn: &Connection,
    refs: &super::reference::ReferenceData,
    q: &SearchQuery,
    limit: usize,
    today: NaiveDate,
    rules: &crate::domain::warning::WarningRules,
) -> Result<Results> {
    let mut results = search(conn, q, limit)?;
    let people = results.hits.iter_mut().filter_map(|h| match h {
        Hit::Petitioner(p) => Some(p),
        Hit::Case(_) => None,
    });
    super::warnings::attach(conn, people, today, rules)?;
    let found = results.hits.iter_mut().filter_map(|h| match h {
        Hit::Case(c) => Some(c),
        Hit::Petitioner(_) => None,
    });
    super::warnings::attach_cases(refs, found, rules);
    Ok(results)
}

/// Only the index lookups of `q`'s probes, nothing assembled: the floor a
/// search is measured against (`examples/bench_search`). The number of ids.
pub fn lookups_only(conn: &Connection, q: &SearchQuery, limit: usize) -> Result<usize> {
    let mut n = 0;
    for probe in &q.probes {
        n += run_probe(conn, probe, &q.filters, limit)?.iter().map(|(ids, _)| ids.len()).sum::<usize>();
    }
    Ok(n)
}

fn is_case_kind(kind: MatchKind) -> bool {
    matches!(
        kind,
        MatchKind::CaseNumber | MatchKind::QueryCode | MatchKind::ExternalRef | MatchKind::Text | MatchKind::Recent
    )
}

/// The ids one probe finds, in groups by how they were found.
fn run_probe(conn: &Connection, probe: &Probe, f: &Filters, limit: usize) -> Result<Vec<(Vec<i64>, MatchKind)>> {
    let lim = limit as i64;
    let ids = |sql: &str, params: Vec<Value>| -> Result<Vec<i64>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map(params_from_iter(params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    };
    // Tails are stored reversed: "the ID ends in 002X" is "id_rev starts with X200".
    // '~' sorts after every digit and letter, so [rev, rev~) is the prefix range.
    let tail_range = |tail: &str| -> Vec<Value> {
        let rev = reversed(tail);
        vec![rev.clone().into(), format!("{rev}~").into(), lim.into()]
    };
    Ok(match probe {
        Probe::Recent => vec![(recent_cases(conn, f, lim)?, MatchKind::Recent)],
        Probe::IdExact(id) => {
            vec![(ids("SELECT id FROM petitioners WHERE id_number = ?1", vec![id.clone().into()])?, MatchKind::IdExact)]
        }
        Probe::IdTail(tail) => {
            let sql = "SELECT id FROM petitioners WHERE id_rev >= ?1 AND id_rev < ?2 ORDER BY id DESC LIMIT ?3";
            vec![(ids(sql, tail_range(tail))?, MatchKind::IdTail)]
        }
        Probe::PhoneExact(number) => {
            let sql = "SELECT DISTINCT petitioner_id FROM petitioner_phones WHERE number = ?1 LIMIT ?2";
            vec![(ids(sql, vec![number.clone().into(), lim.into()])?, MatchKind::PhoneExact)]
        }
        Probe::PhoneTail(tail) => {
            let sql = "SELECT DISTINCT petitioner_id FROM petitioner_phones
                       WHERE number_rev >= ?1 AND number_rev < ?2 LIMIT ?3";
            vec![(ids(sql, tail_range(&phone::digits_only(tail)))?, MatchKind::PhoneTail)]
        }
        Probe::CaseNumber(n) => {
            vec![(ids("SELECT id FROM cases WHERE number = ?1", vec![n.clone().into()])?, MatchKind::CaseNumber)]
        }
        Probe::QueryCode(code) => {
            let sql = "SELECT case_id FROM case_query_codes WHERE code = ?1";
            vec![(ids(sql, vec![code.clone().into()])?, MatchKind::QueryCode)]
        }
        Probe::ExternalRef(n) => {
            let sql = "SELECT case_id FROM case_external_refs WHERE number = ?1 LIMIT ?2";
            vec![(ids(sql, vec![n.clone().into(), lim.into()])?, MatchKind::ExternalRef)]
        }
        Probe::Name(name) => {
            let exact =
                ids("SELECT id FROM petitioners WHERE name = ?1 LIMIT ?2", vec![name.clone().into(), lim.into()])?;
            let sql = "SELECT id FROM petitioners WHERE name > ?1 AND name < ?2 ORDER BY name LIMIT ?3";
            let prefix = ids(sql, vec![name.clone().into(), prefix_end(name).into(), lim.into()])?;
            vec![(exact, MatchKind::NameExact), (prefix, MatchKind::NamePrefix)]
        }
        Probe::Pinyin(p) => {
            let end = format!("{p}{{");
            let sql = "SELECT id FROM petitioners WHERE name_initials >= ?1 AND name_initials < ?2
                       ORDER BY name_initials LIMIT ?3";
            let mut found = ids(sql, vec![p.clone().into(), end.clone().into(), lim.into()])?;
            if found.len() < limit && p.len() >= 2 {
                let sql = "SELECT id FROM petitioners WHERE name_pinyin >= ?1 AND name_pinyin < ?2
                           ORDER BY name_pinyin LIMIT ?3";
                found.extend(ids(sql, vec![p.clone().into(), end.into(), lim.into()])?);
            }
            vec![(found, MatchKind::Pinyin)]
        }
        Probe::Text(words) => match search_index::match_expression(words) {
            Some(expr) => vec![(text_cases(conn, &expr, words, f, lim)?, MatchKind::Text)],
            None => Vec::new(),
        },
    })
}

/// The first string that sorts after every string starting with `s`.
fn prefix_end(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

/// Filter conditions on `cases c`, from fixed SQL fragments; values bound.
fn filter_sql(f: &Filters, params: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if let Some(from) = f.from {
        params.push(from.format("%Y-%m-%d").to_string().into());
        sql.push_str(&format!(" AND c.registered_at >= ?{}", params.len()));
    }
    if let Some(to) = f.to {
        params.push((to + Days::new(1)).format("%Y-%m-%d").to_string().into());
        sql.push_str(&format!(" AND c.registered_at < ?{}", params.len()));
    }
    if !f.statuses.is_empty() {
        let codes: Vec<&str> = f.statuses.iter().map(|s| s.code()).collect();
        params.push(serde_json::to_string(&codes).unwrap_or_default().into());
        sql.push_str(&format!(" AND c.status IN (SELECT value FROM json_each(?{}))", params.len()));
    }
    if f.open_only {
        let finals: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_final()).map(|s| s.code()).collect();
        params.push(serde_json::to_string(&finals).unwrap_or_default().into());
        sql.push_str(&format!(" AND c.status NOT IN (SELECT value FROM json_each(?{}))", params.len()));
    }
    if let Some(street) = &f.street {
        params.push(street.clone().into());
        params.push(prefix_end(street).into());
        let (a, b) = (params.len() - 1, params.len());
        sql.push_str(&format!(
            " AND c.problem_street_code IN (SELECT code FROM streets WHERE name >= ?{a} AND name < ?{b})"
        ));
    }
    if let Some(cat) = &f.category {
        params.push(cat.clone().into());
        let n = params.len();
        sql.push_str(&format!(
            " AND c.category_code IN (SELECT code FROM categories WHERE instr(name, ?{n}) > 0
              OR parent_code IN (SELECT code FROM categories WHERE instr(name, ?{n}) > 0))"
        ));
    }
    sql
}

fn recent_cases(conn: &Connection, f: &Filters, limit: i64) -> Result<Vec<i64>> {
    let mut params = Vec::new();
    let filters = filter_sql(f, &mut params);
    params.push(limit.into());
    let sql = format!(
        "SELECT c.id FROM cases c WHERE 1{filters} ORDER BY c.registered_at DESC, c.id DESC LIMIT ?{}",
        params.len()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Newest first: case ids grow with registration, and FTS5 walks rowids
/// backwards natively, so `LIMIT` stops early even for very common words.
/// The index (no positions) proposes the cases holding every bigram of a
/// word; each word is then confirmed in the fields the index was built from.
fn text_cases(conn: &Connection, expr: &str, words: &[String], f: &Filters, limit: i64) -> Result<Vec<i64>> {
    let mut params: Vec<Value> = vec![expr.to_string().into()];
    let mut verify = String::new();
    for w in words {
        params.push(w.to_lowercase().into());
        let n = params.len();
        verify.push_str(&format!(
            " AND (instr(lower(c.problem_address), ?{n}) > 0 OR (c.class <> 'accusation' AND NOT c.confidential AND (
                 instr(lower(c.title), ?{n}) > 0 OR instr(lower(c.content), ?{n}) > 0
                 OR instr(lower(c.demands), ?{n}) > 0 OR instr(lower(c.respondent), ?{n}) > 0)))"
        ));
    }
    let filters = filter_sql(f, &mut params);
    params.push(limit.into());
    let sql = format!(
        "SELECT t.rowid FROM case_text t JOIN cases c ON c.id = t.rowid
         WHERE case_text MATCH ?1{verify}{filters} ORDER BY t.rowid DESC LIMIT ?{}",
        params.len()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The petitioner rows of `found`, in its order, with the all-time history
/// their warnings need (kept in `petitioner_visits`): one statement.
fn petitioner_hits(conn: &Connection, found: &[(i64, MatchKind)]) -> Result<Vec<PetitionerHit>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(&found.iter().map(|(id, _)| *id).collect::<Vec<_>>()).unwrap_or_default();
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.id_number,
                (SELECT number FROM petitioner_phones WHERE petitioner_id = p.id AND owner = 'own' ORDER BY id LIMIT 1),
                (SELECT group_concat(kind, ',') FROM petitioner_key_flags WHERE petitioner_id = p.id),
                coalesce(v.case_count, 0), coalesce(v.open_cases, 0), v.first_visit, v.last_visit,
                coalesce(v.skip_level_cases, 0), coalesce(v.threat_cases, 0)
         FROM petitioners p LEFT JOIN petitioner_visits v ON v.petitioner_id = p.id
         WHERE p.id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut people: std::collections::HashMap<i64, PetitionerHit> = stmt
        .query_map([&ids], |r| {
            let (first_at, last_at): (Option<String>, Option<String>) = (r.get(7)?, r.get(8)?);
            let (first_visit, last_visit) =
                (first_at.as_deref().and_then(parse_timestamp), last_at.as_deref().and_then(parse_timestamp));
            // The day from the time read, not parsed a second time.
            let day_of =
                |at: Option<NaiveDateTime>, text: Option<String>| at.map(|t| t.date()).or_else(|| super::day(text));
            let key_flags: Option<String> = r.get(4)?;
            let case_count: i64 = r.get(5)?;
            // Read as `person_histories` reads them, so both give the same badges.
            let history = PersonHistory {
                total_cases: u32::try_from(case_count).unwrap_or(u32::MAX),
                first_visit: day_of(first_visit, first_at),
                last_visit: day_of(last_visit, last_at),
                skip_level_cases: r.get(9)?,
                threat_cases: r.get(10)?,
                ..PersonHistory::default()
            };
            Ok(PetitionerHit {
                id: r.get(0)?,
                name: r.get(1)?,
                id_number: r.get(2)?,
                phone: r.get(3)?,
                case_count,
                open_cases: r.get(6)?,
                first_visit,
                last_visit,
                key_person: key_flags.map(|k| k.split(',').map(KeyPersonKind::label_of).collect()).unwrap_or_default(),
                threat_history: history.threat_cases > 0,
                matched: MatchKind::Recent,
                history,
                warnings: Vec::new(),
            })
        })?
        .map(|hit| hit.map(|h| (h.id, h)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(found
        .iter()
        .filter_map(|(id, matched)| people.remove(id).map(|p| PetitionerHit { matched: *matched, ..p }))
        .collect())
}

/// Characters of context kept before the first matched word in an excerpt.
const EXCERPT_LEAD: usize = 6;
const EXCERPT_CHARS: usize = 80;

/// The case rows of `found`, in its order: their summaries and running
/// clocks in one statement each; the complaint read only for an excerpt.
fn case_hits(conn: &Connection, found: &[(i64, MatchKind)], terms: &[String]) -> Result<Vec<CaseHit>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let mut summaries = cases::summaries(conn, &ids)?;
    let mut clocks = super::deadlines::running_dues(conn, &ids)?;
    let mut content = conn.prepare_cached("SELECT content FROM cases WHERE id = ?1")?;
    let mut out = Vec::with_capacity(found.len());
    for (id, matched) in found {
        let Some(s) = summaries.remove(id) else { continue };
        let restricted = crate::domain::case::is_restricted(s.class, s.confidential);
        let summary = if restricted {
            s.display_title().to_string()
        } else if *matched == MatchKind::Text && !terms.iter().any(|t| s.title.contains(t.as_str())) {
            let content: String = content.query_row([id], |r| r.get(0))?;
            format!("{}：{}", s.title, text::excerpt(&content, terms, EXCERPT_LEAD, EXCERPT_CHARS))
        } else {
            s.title.clone()
        };
        out.push(CaseHit {
            id: *id,
            next_deadline: clocks.remove(id).map(NextDeadline::of),
            number: s.number,
            registered_at: s.registered_at,
            status: s.status,
            representative: s.representative,
            summary,
            restricted,
            matched: *matched,
            facts: CaseWarningFacts {
                people_count: s.people_count,
                skip_level: s.skip_level,
                threat: s.threat,
                category_code: s.category_code,
            },
            warnings: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_end_sorts_after_every_extension() {
        assert_eq!(prefix_end("张"), "弡");
        assert!(*"张三丰" < *prefix_end("张"));
        assert!(prefix_end("ab").as_str() > "abzzzz");
    }
}
