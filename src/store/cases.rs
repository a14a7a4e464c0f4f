//! Cases: registration (with its number), status changes and the trail.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, petitioners, timestamp};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::Deadline;
use crate::domain::deadline::Rule;
use crate::domain::triage::{self, Procedure, SimpleFacts, Triage};
use crate::domain::{Case, CaseClass, CaseEvent, CaseFlags, CaseStatus, Petitioner, RepeatKind, numbering};

/// Everything one registration writes: the petitioners (first = representative)
/// and the case. The case's `id`, `number`, `status` and `petitioner_ids` are
/// assigned here.
#[derive(Debug, Clone)]
pub struct Registration {
    pub petitioners: Vec<Petitioner>,
    pub case: Case,
    pub number_prefix: String,
    /// Per petitioner: the clerk's reason when a stored ID's different name
    /// was confirmed as the same person ("是同一人"); see `petitioners::save`.
    pub same_person: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub case_id: i64,
    pub number: String,
    pub petitioner_ids: Vec<i64>,
}

/// Register a case in one transaction: petitioners created or updated, the
/// number allocated, the case, its links and its first trail event written.
pub fn register(store: &mut Store, reg: &Registration) -> Result<Registered> {
    store.require(crate::domain::access::Permission::Register)?;
    store.write(|tx| register_in(tx, reg))
}

pub fn register_in(tx: &Transaction, reg: &Registration) -> Result<Registered> {
    register_with(tx, reg, Procedure::Ordinary)
}

/// [`register_in`] under `procedure`, whose clocks the case runs from now.
fn register_with(tx: &Transaction, reg: &Registration, procedure: Procedure) -> Result<Registered> {
    if reg.petitioners.is_empty() {
        return Err(StoreError::Invalid("至少需要一名信访人".into()));
    }
    let c = &reg.case;
    let at = c.registered_at;
    let petitioner_ids = reg
        .petitioners
        .iter()
        .enumerate()
        .map(|(i, p)| petitioners::save(tx, p, reg.same_person.get(i).and_then(|r| r.as_deref()), &c.clerk, at))
        .collect::<Result<Vec<_>>>()?;
    let letter: String = tx
        .query_row("SELECT letter FROM forms WHERE code = ?1", [&c.form_code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("未知的信访形式：{}", c.form_code)))?;
    let number = allocate_number(tx, &reg.number_prefix, at.date(), letter.chars().next().unwrap_or('X'))?;
    let case_id = insert_case(tx, None, c, &number, CaseStatus::Registered)?;
    if procedure != Procedure::Ordinary {
        tx.execute("UPDATE cases SET procedure = ?2 WHERE id = ?1", params![case_id, procedure.code()])?;
    }
    link_petitioners(tx, case_id, &petitioner_ids)?;
    super::search_index::index_new_case(tx, case_id, c)?;
    for r in &c.external_refs {
        tx.execute(
            "INSERT OR IGNORE INTO case_external_refs (case_id, system, number) VALUES (?1, ?2, ?3)",
            params![case_id, r.system, r.number],
        )?;
    }
    let cal = super::calendar::load(tx)?;
    super::deadlines::start(tx, case_id, procedure.clock(Rule::Relay), at.date(), None, at, &cal)?;
    add_event(tx, &CaseEvent::registration(c, case_id, at))?;
    Ok(Registered { case_id, number, petitioner_ids })
}

/// What the desk decided or proposed at registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskTriage {
    pub triage: Triage,
    /// The proposed responsible unit (转送/交办).
    pub unit: Option<String>,
    /// The statutory reason (不予受理).
    pub reason: Option<String>,
    /// 简易办理 where the desk chose it for an eligible matter.
    pub procedure: Procedure,
}

/// Registration at the desk, as one transaction: the case and its links, the
/// 拟办 event, and the status change of a decision taken on the spot.
pub fn register_at_desk(store: &mut Store, reg: &Registration, triage: Option<&DeskTriage>) -> Result<Registered> {
    store.require(crate::domain::access::Permission::Register)?;
    store.write(|tx| {
        let c = &reg.case;
        let procedure = triage.map_or(Procedure::Ordinary, |t| t.procedure);
        if let (Some(t), Procedure::Simple) = (triage, procedure) {
            let facts =
                SimpleFacts { triage: t.triage, repeat: c.repeat_kind, flags: c.flags, from_above: from_above(tx, c)? };
            if let Some(why) = triage::simple_refusal(&facts) {
                return Err(StoreError::Invalid(why.into()));
            }
        }
        let done = register_with(tx, reg, procedure)?;
        for (p, id) in reg.petitioners.iter().zip(&done.petitioner_ids) {
            if let Some(reason) = &p.id_override_reason {
                let note = format!("{} 的证件号未通过校验，按登记人说明登记：{reason}", p.name);
                add_event(
                    tx,
                    &CaseEvent::new(done.case_id, c.registered_at, &c.clerk, "证件号异常登记", note)
                        .changing(None, Some(&id.to_string())),
                )?;
            }
        }
        if let Some(t) = triage {
            let mut note = t.triage.label().to_string();
            if t.procedure == Procedure::Simple {
                note.push_str("（简易办理）");
            }
            if let Some(u) = &t.unit {
                note.push_str(&format!("，拟办单位：{u}"));
            }
            if let Some(r) = &t.reason {
                note.push_str(&format!("，理由：{r}"));
            }
            add_event(tx, &CaseEvent::new(done.case_id, c.registered_at, &c.clerk, "拟办", note.clone()))?;
            tx.execute(
                "INSERT INTO case_triage (case_id, triage, at) VALUES (?1, ?2, ?3)",
                params![done.case_id, t.triage.code(), timestamp(c.registered_at)],
            )?;
            if let Some(to) = t.triage.status_on_save() {
                change_status(tx, done.case_id, to, t.triage.label(), &c.clerk, &note, c.registered_at)?;
                super::deadlines::meet_all(tx, done.case_id, c.registered_at)?;
            }
        }
        Ok(done)
    })
}

/// Whether the case's source is one a higher level 交办s through.
fn from_above(conn: &Connection, c: &Case) -> Result<bool> {
    let flag: Option<bool> =
        conn.query_row("SELECT from_above FROM sources WHERE name = ?1", [&c.source], |r| r.get(0)).optional()?;
    Ok(flag.unwrap_or(false))
}

/// Which procedure's clocks a case runs.
pub fn procedure_of(conn: &Connection, case_id: i64) -> Result<Procedure> {
    let code: String =
        conn.prepare_cached("SELECT procedure FROM cases WHERE id = ?1")?.query_row([case_id], |r| r.get(0))?;
    Ok(Procedure::from_code(&code).unwrap_or(Procedure::Ordinary))
}

/// Next number of the day's series for this form. Runs inside the caller's
/// IMMEDIATE transaction, so two desks can never draw the same number.
pub fn allocate_number(tx: &Transaction, prefix: &str, day: chrono::NaiveDate, letter: char) -> Result<String> {
    let series = numbering::series_key(prefix, day, letter);
    let seq: u32 = tx.query_row(
        "INSERT INTO case_number_series (series, last) VALUES (?1, 1)
         ON CONFLICT (series) DO UPDATE SET last = last + 1 RETURNING last",
        [&series],
        |r| r.get(0),
    )?;
    Ok(numbering::format(prefix, day, letter, seq))
}

pub(crate) fn insert_case(
    tx: &Transaction,
    id: Option<i64>,
    c: &Case,
    number: &str,
    status: CaseStatus,
) -> Result<i64> {
    let f = &c.flags;
    tx.prepare_cached(
        "INSERT INTO cases (number, registered_at, clerk, window, form_code, source, people_count, involved_count,
                category_code, purpose_code, class, problem_street_code, problem_address, title, content, demands,
                respondent, litigation, skip_level, joint, anonymous, threat, urgent, confidential, repeat_kind,
                linked_case_id, status, updated_at, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?2, ?28)",
    )?
    .execute(params![
        number,
        timestamp(c.registered_at),
        c.clerk,
        c.window,
        c.form_code,
        c.source,
        c.people_count,
        c.involved_count,
        c.category_code,
        c.purpose_code,
        c.class.code(),
        c.problem_street_code,
        c.problem_address,
        c.title,
        c.content,
        c.demands,
        c.respondent,
        f.litigation,
        f.skip_level,
        f.joint,
        f.anonymous,
        f.threat,
        f.urgent,
        f.confidential,
        c.repeat_kind.code(),
        c.linked_case_id,
        status.code(),
        id
    ])?;
    let case_id = tx.last_insert_rowid();
    super::query_codes::assign(tx, case_id, &mut fastrand::Rng::new())?;
    Ok(case_id)
}

/// Link the people of a stored case to it, in order (the first is the
/// representative). Each link carries the case's registration time and
/// category (migration 24: the badges read a person's recent cases from the
/// links alone).
pub(crate) fn link_petitioners(tx: &Transaction, case_id: i64, ids: &[i64]) -> Result<()> {
    // Read first and inserted as values: an `INSERT … SELECT` opens a
    // statement savepoint, and at each savepoint the full-text index writes
    // out what it holds in memory (`gen` took 1.7 times as long).
    let (at, category): (String, Option<String>) = tx
        .prepare_cached("SELECT registered_at, category_code FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO case_petitioners (case_id, seq, petitioner_id, is_representative, registered_at, category_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, pid) in ids.iter().enumerate() {
        stmt.execute(params![case_id, i as i64 + 1, pid, i == 0, at, category])?;
    }
    Ok(())
}

/// Append an event to its case's trail, chained to the one before it, to the
/// global sequence, and sealing the case row when it changed.
pub fn add_event(tx: &Transaction, e: &CaseEvent) -> Result<i64> {
    let prev = super::trail::last_hash(tx, e.case_id)?;
    let head = super::chain::head(tx, super::chain::Sequence::Trail)?;
    let seal = super::seal::for_new_event(tx, e.case_id)?;
    add_chained(tx, e, &Links { case_prev: &prev, head: &head, seal: &seal }).map(|(id, ..)| id)
}

/// What a new event links to: its case's previous hash, the global head, and
/// the seal it carries ("" for none).
pub struct Links<'a> {
    pub case_prev: &'a str,
    pub head: &'a super::chain::Head,
    pub seal: &'a str,
}

/// Append with known links (the bulk loader chains a new case's trail and the
/// global sequence in memory); returns the id, the event's own hash and the
/// new global head.
pub fn add_chained(tx: &Transaction, e: &CaseEvent, links: &Links) -> Result<(i64, String, super::chain::Head)> {
    let hash = super::trail::event_hash(links.case_prev, e);
    let head = super::chain::link_event(links.head, &hash, links.seal);
    tx.prepare_cached(
        "INSERT INTO case_events (case_id, at, actor, action, note, old_value, new_value, prev_hash, hash,
                                  seq, case_digest, chain_hash, event_kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        e.case_id,
        timestamp(e.at),
        e.actor,
        e.action,
        e.note,
        e.old_value,
        e.new_value,
        links.case_prev,
        &hash,
        head.seq,
        links.seal,
        head.hash,
        crate::domain::event_kind::EventKind::of_label(&e.action).code()
    ])?;
    Ok((tx.last_insert_rowid(), hash, head))
}

/// Record an event that changes nothing else (a reveal, a note), as its own transaction.
pub fn record(store: &mut Store, case_id: i64, action: &str, note: &str, actor: &str, at: NaiveDateTime) -> Result<()> {
    store.write(|tx| {
        let e = CaseEvent::new(case_id, at, actor, action, note);
        add_event(tx, &e)?;
        Ok(())
    })
}

/// Move a case to `to` if the status machine allows it, recording the change.
pub fn change_status(
    tx: &Transaction,
    case_id: i64,
    to: CaseStatus,
    action: &str,
    actor: &str,
    note: &str,
    at: NaiveDateTime,
) -> Result<()> {
    let from: String = tx.query_row("SELECT status FROM cases WHERE id = ?1", [case_id], |r| r.get(0))?;
    let from = CaseStatus::from_code(&from).ok_or_else(|| StoreError::Invalid(format!("未知状态 {from}")))?;
    if !from.can_move_to(to) {
        return Err(StoreError::Invalid(format!("事项状态为「{}」，不能变为「{}」", from.label(), to.label())));
    }
    tx.execute(
        "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![case_id, to.code(), timestamp(at)],
    )?;
    add_event(tx, &CaseEvent::new(case_id, at, actor, action, note).changing(Some(from.label()), Some(to.label())))?;
    Ok(())
}

/// One line of a case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub registered_at: NaiveDateTime,
    pub status: CaseStatus,
    pub class: CaseClass,
    pub confidential: bool,
    pub title: String,
    pub representative: String,
    pub category_code: Option<String>,
    pub people_count: u32,
    /// 越级 and 扬言 as registered (with the two above, what the case's
    /// early warnings look at).
    pub skip_level: bool,
    pub threat: bool,
}

impl CaseSummary {
    /// 检举控告 and 保密 cases never show their title in a list.
    pub fn display_title(&self) -> &str {
        crate::domain::case::listed_title(self.class, self.confidential, &self.title)
    }
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.number, c.registered_at, c.status, c.class, c.confidential, c.title,
        coalesce((SELECT p.name FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                  WHERE cp.case_id = c.id AND cp.seq = 1), ''),
        c.category_code, c.people_count, c.skip_level, c.threat
     FROM cases c";

fn summary_row(r: &Row) -> rusqlite::Result<CaseSummary> {
    let at: String = r.get(2)?;
    let status: String = r.get(3)?;
    let class: String = r.get(4)?;
    Ok(CaseSummary {
        id: r.get(0)?,
        number: r.get(1)?,
        registered_at: super::parse_timestamp(&at).unwrap_or_default(),
        status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Registered),
        class: CaseClass::from_code(&class).unwrap_or(CaseClass::Other),
        confidential: r.get(5)?,
        title: r.get(6)?,
        representative: r.get(7)?,
        category_code: r.get(8)?,
        people_count: r.get(9)?,
        skip_level: r.get(10)?,
        threat: r.get(11)?,
    })
}

/// The newest cases first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<CaseSummary>> {
    let sql = format!("{SUMMARY_SELECT} ORDER BY c.registered_at DESC, c.id DESC LIMIT ?1");
    Ok(conn.prepare_cached(&sql)?.query_map([limit as i64], summary_row)?.collect::<rusqlite::Result<_>>()?)
}

pub fn summary(conn: &Connection, id: i64) -> Result<CaseSummary> {
    let sql = format!("{SUMMARY_SELECT} WHERE c.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], summary_row)?)
}

/// The day the case's current status began and the day it was accepted,
/// from the trail: what its running clock counts from (used to backfill
/// clocks for cases written before clocks were stored).
pub fn clock_start(conn: &Connection, case_id: i64, status: CaseStatus) -> Result<(NaiveDate, Option<NaiveDate>)> {
    let day = |label: &str| -> Result<Option<NaiveDate>> {
        let at: Option<String> = conn
            .prepare_cached("SELECT max(at) FROM case_events WHERE case_id = ?1 AND new_value = ?2")?
            .query_row(params![case_id, label], |r| r.get(0))?;
        Ok(at.as_deref().and_then(super::parse_timestamp).map(|t| t.date()))
    };
    let since = match day(status.label())? {
        Some(d) => d,
        None => conn
            .query_row("SELECT registered_at FROM cases WHERE id = ?1", [case_id], |r| r.get::<_, String>(0))
            .map(|s| super::parse_timestamp(&s).unwrap_or_default().date())?,
    };
    Ok((since, day(CaseStatus::Accepted.label())?))
}

/// The deadline running on a case now, if any, with its reasoning.
/// The summaries of `ids` in one statement (a search page's cases), by id.
pub fn summaries(conn: &Connection, ids: &[i64]) -> Result<std::collections::HashMap<i64, CaseSummary>> {
    let sql = format!("{SUMMARY_SELECT} WHERE c.id IN (SELECT value FROM json_each(?1))");
    let ids = serde_json::to_string(ids).unwrap_or_default();
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([ids], summary_row)?;
    Ok(rows.map(|r| r.map(|s| (s.id, s))).collect::<rusqlite::Result<_>>()?)
}

pub fn running_deadline(conn: &Connection, case_id: i64, cal: &HolidayCalendar) -> Result<Option<Deadline>> {
    Ok(super::deadlines::running(conn, case_id)?.map(|d| d.explain(cal)))
}

/// A petitioner's cases, newest first.
pub fn of_petitioner(conn: &Connection, petitioner_id: i64) -> Result<Vec<CaseSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE c.id IN (SELECT case_id FROM case_petitioners WHERE petitioner_id = ?1)
         ORDER BY c.registered_at DESC, c.id DESC"
    );
    Ok(conn.prepare_cached(&sql)?.query_map([petitioner_id], summary_row)?.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Case>> {
    let case = conn
        .query_row(
            "SELECT number, registered_at, clerk, window, form_code, source, people_count, involved_count,
                    category_code, purpose_code, class, problem_street_code, problem_address, title, content,
                    demands, respondent, litigation, skip_level, joint, anonymous, threat, urgent, confidential,
                    repeat_kind, linked_case_id, status
             FROM cases WHERE id = ?1",
            [id],
            |r| {
                let at: String = r.get(1)?;
                let class: String = r.get(10)?;
                let repeat: String = r.get(24)?;
                let status: String = r.get(26)?;
                Ok(Case {
                    id: Some(id),
                    number: r.get(0)?,
                    registered_at: super::parse_timestamp(&at).unwrap_or_default(),
                    clerk: r.get(2)?,
                    window: r.get(3)?,
                    form_code: r.get(4)?,
                    source: r.get(5)?,
                    people_count: r.get(6)?,
                    involved_count: r.get(7)?,
                    category_code: r.get(8)?,
                    purpose_code: r.get(9)?,
                    class: CaseClass::from_code(&class).unwrap_or(CaseClass::Other),
                    problem_street_code: r.get(11)?,
                    problem_address: r.get(12)?,
                    title: r.get(13)?,
                    content: r.get(14)?,
                    demands: r.get(15)?,
                    respondent: r.get(16)?,
                    flags: CaseFlags {
                        litigation: r.get(17)?,
                        skip_level: r.get(18)?,
                        joint: r.get(19)?,
                        anonymous: r.get(20)?,
                        threat: r.get(21)?,
                        urgent: r.get(22)?,
                        confidential: r.get(23)?,
                    },
                    repeat_kind: RepeatKind::from_code(&repeat).unwrap_or(RepeatKind::First),
                    linked_case_id: r.get(25)?,
                    status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Registered),
                    external_refs: Vec::new(),
                    petitioner_ids: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut case) = case else {
        return Ok(None);
    };
    case.petitioner_ids = conn
        .prepare_cached("SELECT petitioner_id FROM case_petitioners WHERE case_id = ?1 ORDER BY seq")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    case.external_refs = conn
        .prepare_cached("SELECT system, number FROM case_external_refs WHERE case_id = ?1 ORDER BY system")?
        .query_map([id], |r| Ok(crate::domain::ExternalRef { system: r.get(0)?, number: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(case))
}

pub fn id_by_number(conn: &Connection, number: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM cases WHERE number = ?1", [number], |r| r.get(0)).optional()?)
}

/// The case's current status.
pub fn status_of(conn: &Connection, case_id: i64) -> Result<CaseStatus> {
    let code: String = conn
        .query_row("SELECT status FROM cases WHERE id = ?1", [case_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {case_id} 的事项")))?;
    CaseStatus::from_code(&code).ok_or_else(|| StoreError::Invalid(format!("未知状态 {code}")))
}

/// The trail of a case, oldest first.
pub fn events(conn: &Connection, case_id: i64) -> Result<Vec<CaseEvent>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM case_events WHERE case_id = ?1 ORDER BY id",
            super::trail::EVENT_COLUMNS
        ))?
        .query_map([case_id], super::trail::event_from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Counts for the home screen header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub open: i64,
    pub today: i64,
}

pub fn counts(conn: &Connection, today: chrono::NaiveDate) -> Result<Counts> {
    let finals: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_final()).map(|s| s.code()).collect();
    let total: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    let closed: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE status IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(&finals).unwrap_or_default()],
        |r| r.get(0),
    )?;
    let day = today.format("%Y-%m-%d").to_string();
    let next = (today + chrono::Days::new(1)).format("%Y-%m-%d").to_string();
    let today_count: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE registered_at >= ?1 AND registered_at < ?2",
        params![day, next],
        |r| r.get(0),
    )?;
    Ok(Counts { total, open: total - closed, today: today_count })
}

/// Whether a case with this number in another system is already here.
pub fn external_ref_exists(conn: &Connection, system: &str, number: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM case_external_refs WHERE number = ?2 AND system = ?1)")?
        .query_row(params![system, number], |r| r.get(0))?)
}
