//! Issued papers: what a case holds that its papers print, the number
//! series, and the append-only record of every paper issued.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::dossier::{self, Dossier};
use super::reference::ReferenceData;
use super::{Result, StoreError, day, timestamp};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::document::{self, DocumentKind, PaperFacts};
use crate::domain::event_kind::EventKind;
use crate::domain::reminder::ReminderRules;

/// A leader's talk and 批示 (`reception_sessions`), the newest of the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderSession {
    pub leader: String,
    pub instruction: String,
    pub unit: String,
    pub contact: String,
    pub due: Option<NaiveDate>,
    pub on: NaiveDate,
}

/// Everything a paper about the case may print or depend on.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub dossier: Dossier,
    pub query_code: Option<String>,
    pub session: Option<LeaderSession>,
    /// The 包案领导 (leader and person) of the newest ownership.
    pub owner: Option<String>,
    /// Reminder calls made on the case.
    pub calls: usize,
    /// The facts the domain rule reads.
    pub paper: PaperFacts,
    /// The unit a unit-addressed paper of the asked kind goes to.
    pub unit: Option<String>,
}

/// Load the case's facts; `None` if there is no such case.
pub fn facts(
    conn: &Connection,
    case_id: i64,
    refs: &ReferenceData,
    cal: &HolidayCalendar,
    today: NaiveDate,
    rules: &ReminderRules,
) -> Result<Option<CaseFacts>> {
    let Some(dossier) = dossier::load(conn, case_id, refs, cal)? else { return Ok(None) };
    let session = latest_session(conn, case_id)?;
    let unit_of = |kind: &str| dossier.assignments.iter().rev().find(|a| a.kind == kind).map(|a| a.unit.clone());
    let calls = super::reminders::of_case(conn, case_id)?.len();
    let paper = PaperFacts {
        status: Some(dossier.case.status),
        events: dossier.events.iter().map(|e| EventKind::of_label(&e.action)).collect(),
        forwarded_to: unit_of(crate::domain::lifecycle::AssignmentKind::Forward.label()),
        assigned_to: unit_of(crate::domain::lifecycle::AssignmentKind::Assign.label()),
        instruction_unit: session.as_ref().map(|s| s.unit.clone()).filter(|u| !u.trim().is_empty()),
        has_instruction: session.is_some(),
        escalation: super::reminders::written_supervision(conn, case_id, today, rules, cal)?,
        class: Some(dossier.case.class),
        respondent: dossier.case.respondent.clone(),
    };
    Ok(Some(CaseFacts {
        query_code: dossier.query_code.clone(),
        owner: owner(conn, case_id)?,
        calls,
        session,
        paper,
        unit: None,
        dossier,
    }))
}

fn latest_session(conn: &Connection, case_id: i64) -> Result<Option<LeaderSession>> {
    Ok(conn
        .prepare_cached(
            "SELECT leader, instruction, unit, contact, due_date, at FROM reception_sessions
             WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([case_id], |r| {
            Ok(LeaderSession {
                leader: r.get(0)?,
                instruction: r.get(1)?,
                unit: r.get(2)?,
                contact: r.get(3)?,
                due: day(r.get(4)?),
                on: day(Some(r.get::<_, String>(5)?)).unwrap_or_default(),
            })
        })
        .optional()?)
}

fn owner(conn: &Connection, case_id: i64) -> Result<Option<String>> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT leader, person FROM case_ownerships WHERE case_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(leader, person)| match person.trim().is_empty() || person == leader {
        true => leader,
        false => format!("{leader}（责任人{person}）"),
    }))
}

/// The next number of a series in `year`, inside the issuing transaction
/// (`BEGIN IMMEDIATE` serialises desks, so two never take the same one and
/// a paper that is not issued leaves no gap: nothing was written).
pub fn next_seq(tx: &Transaction, series: &str, year: i32) -> Result<u32> {
    Ok(tx
        .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM documents WHERE series = ?1 AND year = ?2")?
        .query_row(params![series, year], |r| r.get(0))?)
}

/// A paper as issued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issued {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub kind: String,
    pub number: String,
    pub addressee: String,
    pub body: String,
    pub sha256: String,
    pub template: String,
    pub replaces: Option<String>,
    pub issued_at: String,
    pub issued_by: String,
    pub file_name: String,
}

impl Issued {
    pub fn kind(&self) -> Option<DocumentKind> {
        DocumentKind::from_code(&self.kind)
    }
}

/// A paper to record (the number already allocated).
pub struct NewPaper<'a> {
    pub case_id: i64,
    pub kind: DocumentKind,
    pub series: &'a str,
    pub seq: u32,
    pub number: &'a str,
    pub addressee: &'a str,
    pub body: &'a str,
    pub template: &'a str,
    pub replaces: Option<i64>,
    pub at: NaiveDateTime,
    pub by: &'a str,
    pub file_name: &'a str,
}

/// Record the paper and its trail row ("出具文书 受理告知书 中信受告〔2026〕15号").
pub fn record(tx: &Transaction, p: &NewPaper) -> Result<i64> {
    use sha2::{Digest, Sha256};
    let sha = hex::encode(Sha256::digest(p.body.as_bytes()));
    tx.prepare_cached(
        "INSERT INTO documents (case_id, kind, series, year, seq, number, addressee, body, sha256, template,
                                replaces, issued_at, issued_by, file_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        p.case_id,
        p.kind.code(),
        p.series,
        p.at.year(),
        p.seq,
        p.number,
        p.addressee,
        p.body,
        sha,
        p.template,
        p.replaces,
        timestamp(p.at),
        p.by,
        p.file_name
    ])?;
    let id = tx.last_insert_rowid();
    // The trail names a unit; a petitioner only as such (the trail is shown unmasked).
    let to = match p.kind.addressee() {
        document::Addressee::Unit => p.addressee,
        document::Addressee::Petitioner => document::Addressee::Petitioner.label(),
    };
    let mut note = format!("{} {}（致{to}）", p.kind.label(), p.number);
    if let Some(old) = p.replaces.map(|r| number_of(tx, r)).transpose()? {
        note.push_str(&format!("，更正{old}"));
    }
    let event = crate::domain::CaseEvent::new(p.case_id, p.at, p.by, EventKind::IssueDocument.label(), note);
    super::cases::add_event(tx, &event)?;
    Ok(id)
}

fn number_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row("SELECT number FROM documents WHERE id = ?1", [id], |r| r.get(0))?)
}

const SELECT: &str = "SELECT d.id, d.case_id, c.number, d.kind, d.number, d.addressee, d.body, d.sha256, d.template,
        (SELECT o.number FROM documents o WHERE o.id = d.replaces), d.issued_at, d.issued_by, d.file_name
    FROM documents d JOIN cases c ON c.id = d.case_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Issued> {
    Ok(Issued {
        id: r.get(0)?,
        case_id: r.get(1)?,
        case_number: r.get(2)?,
        kind: r.get(3)?,
        number: r.get(4)?,
        addressee: r.get(5)?,
        body: r.get(6)?,
        sha256: r.get(7)?,
        template: r.get(8)?,
        replaces: r.get(9)?,
        issued_at: r.get(10)?,
        issued_by: r.get(11)?,
        file_name: r.get(12)?,
    })
}

/// The case's papers, oldest first.
pub fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Issued>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE d.case_id = ?1 ORDER BY d.id"))?
        .query_map([case_id], row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn by_number(conn: &Connection, number: &str) -> Result<Option<Issued>> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE d.number = ?1"))?.query_row([number], row).optional()?)
}

/// The case's number's id, for the command line's `CASE` argument.
pub fn case_id(conn: &Connection, case_number: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM cases WHERE number = ?1")?
        .query_row([case_number], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {} 的事项", crate::text::sanitize_line(case_number))))
}

/// Whether the kind may be issued now (the domain rule over the stored facts).
pub fn allowed(f: &CaseFacts, kind: DocumentKind) -> Result<(), String> {
    document::allowed(kind, &f.paper)
}
