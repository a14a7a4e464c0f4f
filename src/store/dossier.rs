//! Everything about one case, loaded once: for the detail pane and `xfdesk case show`.

use rusqlite::Connection;

use super::deadlines::{self, StoredDeadline};
use super::lifecycle::{self, Assignment};
use super::reference::ReferenceData;
use super::{Result, cases, petitioners};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::Deadline;
use crate::domain::{Case, CaseEvent, Petitioner};

#[derive(Debug, Clone)]
pub struct Dossier {
    pub case: Case,
    pub petitioners: Vec<Petitioner>,
    /// Newest first (the timeline reads backwards from today).
    pub events: Vec<CaseEvent>,
    /// Every clock, oldest first, with its reasoning.
    pub deadlines: Vec<(StoredDeadline, Deadline)>,
    pub assignments: Vec<Assignment>,
    /// 转送/交办 not yet accepted: the unit's 签收 day and the last day it may object.
    pub objection: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// A unit's open promise (承诺办结时间): a soft deadline on the case.
    pub promise: Option<(String, chrono::NaiveDate)>,
    pub linked_number: Option<String>,
    /// 查询码 given to the petitioner.
    pub query_code: Option<String>,
    /// 简易办理 or the ordinary procedure.
    pub procedure: crate::domain::triage::Procedure,
    /// A leader's 批示 still waiting for the unit's 办理情况反馈.
    pub pending_instruction: Option<super::leader_cases::PendingInstruction>,
    /// A leader's 包案 not yet ended by 息诉罢访.
    pub ownership: Option<super::leader_cases::ActiveOwnership>,
    pub category: String,
    pub purpose: String,
    pub street: String,
    pub form: String,
}

pub fn load(conn: &Connection, case_id: i64, refs: &ReferenceData, cal: &HolidayCalendar) -> Result<Option<Dossier>> {
    let Some(case) = cases::get(conn, case_id)? else { return Ok(None) };
    let petitioners = case
        .petitioner_ids
        .iter()
        .filter_map(|id| petitioners::get(conn, *id).transpose())
        .collect::<Result<Vec<_>>>()?;
    let mut events = cases::events(conn, case_id)?;
    events.reverse();
    let deadlines = deadlines::of_case(conn, case_id)?.into_iter().map(|d| {
        let why = d.explain(cal);
        (d, why)
    });
    let linked_number = match case.linked_case_id {
        Some(id) => cases::get(conn, id)?.map(|c| c.number),
        None => None,
    };
    Ok(Some(Dossier {
        category: case.category_code.as_deref().map(|c| refs.category_path(c)).unwrap_or_default(),
        purpose: refs
            .purposes
            .iter()
            .find(|p| Some(&p.code) == case.purpose_code.as_ref())
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        street: case
            .problem_street_code
            .as_deref()
            .and_then(|c| refs.street(c))
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        form: refs.form(&case.form_code).map(|f| f.name.clone()).unwrap_or_default(),
        assignments: lifecycle::assignments(conn, case_id)?,
        promise: promise(conn, case_id)?,
        objection: match case.status {
            crate::domain::CaseStatus::Forwarded | crate::domain::CaseStatus::Assigned => {
                lifecycle::received_on(conn, case_id)?.map(|r| (r, crate::domain::statute::objection_until(r, cal)))
            }
            _ => None,
        },
        deadlines: deadlines.collect(),
        procedure: cases::procedure_of(conn, case_id)?,
        pending_instruction: super::leader_cases::pending_instruction(conn, case_id)?,
        ownership: super::leader_cases::active_ownership(conn, case_id)?,
        petitioners,
        events,
        linked_number,
        query_code: super::query_codes::of_case(conn, case_id)?,
        case,
    }))
}

fn promise(conn: &Connection, case_id: i64) -> Result<Option<(String, chrono::NaiveDate)>> {
    use rusqlite::OptionalExtension;
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT unit, due_date FROM case_commitments WHERE case_id = ?1 AND met_at IS NULL",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(u, d)| d.parse().ok().map(|d| (u, d))))
}
