//! The day's ledger (台账): what each person raised and what the leader decided.

use rusqlite::Connection;

use super::*;
use crate::domain::Coded;
use crate::domain::queue::InstructionKind;
use crate::store::Result;

/// One line of the day's 台账 (domain.md §3.2, phase 12).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LedgerRow {
    pub number: String,
    pub case_number: String,
    pub name: String,
    pub address: String,
    /// The case title; "（内容保密）" for 检举控告 and 保密 cases.
    pub problem: String,
    /// 问题属地: the street and address of the matter.
    pub place: String,
    pub instruction_kind: String,
    /// The leader's opinion (批示).
    pub opinion: String,
    pub unit: String,
    pub due: String,
    /// Where the ticket ended (已接谈, 离开 …).
    pub result: String,
    pub waited_minutes: Option<i64>,
    pub talk_minutes: Option<i64>,
}

pub const LEDGER_HEADERS: &[&str] = &[
    "号码",
    "事项编号",
    "姓名",
    "住址",
    "反映问题",
    "问题属地",
    "处理方式",
    "领导意见",
    "责任单位",
    "办理期限",
    "结果",
    "等候分钟",
    "接谈分钟",
];

impl LedgerRow {
    pub fn cells(&self) -> Vec<String> {
        let minutes = |m: Option<i64>| m.map(|m| m.to_string()).unwrap_or_default();
        vec![
            self.number.clone(),
            self.case_number.clone(),
            self.name.clone(),
            self.address.clone(),
            self.problem.clone(),
            self.place.clone(),
            self.instruction_kind.clone(),
            self.opinion.clone(),
            self.unit.clone(),
            self.due.clone(),
            self.result.clone(),
            minutes(self.waited_minutes),
            minutes(self.talk_minutes),
        ]
    }
}

/// The day's ledger, one row per ticket in the order they were given.
pub fn ledger(conn: &Connection, day_id: i64) -> Result<Vec<LedgerRow>> {
    // What the board does not carry, for the whole day in one query.
    type Extra =
        (String, String, bool, Option<String>, String, String, Option<(String, String, String, Option<String>)>);
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, c.title, c.class, c.confidential, st.name, c.problem_address,
                coalesce((SELECT p.address FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                          WHERE cp.case_id = c.id AND cp.seq = 1), ''),
                s.instruction_kind, s.instruction, s.unit, s.due_date
         FROM queue_tickets t JOIN cases c ON c.id = t.case_id
         LEFT JOIN streets st ON st.code = c.problem_street_code
         LEFT JOIN reception_sessions s ON s.ticket_id = t.id
         WHERE t.day_id = ?1",
    )?;
    let extras: std::collections::HashMap<i64, Extra> = stmt
        .query_map([day_id], |x| {
            let session = match x.get::<_, Option<String>>(7)? {
                Some(kind) => Some((kind, x.get(8)?, x.get(9)?, x.get(10)?)),
                None => None,
            };
            Ok((x.get(0)?, (x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?, x.get(5)?, x.get(6)?, session)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for r in board(conn, day_id)? {
        let Some((title, class, confidential, street, problem_address, address, session)) =
            extras.get(&r.ticket.id).cloned()
        else {
            continue;
        };
        let (kind, opinion, unit, due) = session.unwrap_or_default();
        let class = crate::domain::CaseClass::from_code(&class).unwrap_or(crate::domain::CaseClass::Other);
        let t = &r.ticket;
        out.push(LedgerRow {
            number: t.number.clone(),
            case_number: r.case_number,
            name: r.name,
            address,
            problem: crate::domain::case::listed_title(class, confidential, &title).to_string(),
            // The address often repeats the street's name already.
            place: match street {
                Some(s) if !problem_address.starts_with(&s) => format!("{s}{problem_address}"),
                _ => problem_address,
            },
            instruction_kind: InstructionKind::label_of(&kind),
            opinion,
            unit,
            due: due.unwrap_or_default(),
            result: t.status.label().into(),
            waited_minutes: t.called_at.map(|c| (c - t.arrived_at).num_minutes()),
            talk_minutes: t.started_at.zip(t.finished_at).map(|(a, b)| (b - a).num_minutes()),
        });
    }
    Ok(out)
}
