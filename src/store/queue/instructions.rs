//! The leader's instruction (批示) recorded at the end of a talk, with the
//! lifecycle moves it makes on the case.

use chrono::NaiveDateTime;
use rusqlite::params;

use super::*;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, Rule};
use crate::domain::lifecycle::Action;
use crate::domain::queue::{InstructionKind, LeaderInstruction, TicketMove, TicketStatus};
use crate::domain::{CaseEvent, CaseStatus};
use crate::store::{Result, Store, StoreError, cases, deadlines, lifecycle, timestamp};

/// The latest date a leader may set: the case's own 办结 clock (statutory,
/// with any approved extension; a 简易办理 case's 10 working days) where it runs, else 60 days from today (the
/// clock starts on acceptance, not before).
fn legal_cap(
    tx: &rusqlite::Transaction,
    case_id: i64,
    today: chrono::NaiveDate,
    cal: &HolidayCalendar,
) -> Result<chrono::NaiveDate> {
    Ok(match deadlines::running(tx, case_id)? {
        Some(d) if d.rule == Rule::Handle => deadline::extended_handle_due(d.base, None, d.extension_days, cal),
        // 简易办理 cannot be extended: its own 10 working days are the cap.
        Some(d) if d.rule == Rule::SimpleAnswer => d.due,
        _ => deadline::compute(Rule::Handle, today, 0, cal).map_err(|e| StoreError::Invalid(e.to_string()))?.due,
    })
}

/// Save what the leader decided for the ticket in talk, as one transaction:
/// the talk and the 批示 (`reception_sessions`), the trail entry, the unit's
/// 交办 (moving a 已登记 case to 已交办 and starting its clock; a case already
/// under way keeps its status and gains the unit), the 包案 owner, the 导入法定
/// 程序 move for a 已登记 case — and the ticket finishes.
pub fn record_instruction(
    store: &mut Store,
    ticket_id: i64,
    i: &LeaderInstruction,
    clerk: &str,
    now: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<Ticket> {
    store.require(crate::domain::access::Permission::Queue)?;
    let today = now.date();
    store.write(|tx| {
        let t = ticket(tx, ticket_id)?;
        if t.status != TicketStatus::InTalk {
            return Err(StoreError::Invalid(format!(
                "{}号当前为「{}」，接谈中才能记录批示",
                t.number,
                t.status.label()
            )));
        }
        i.check(today, legal_cap(tx, t.case_id, today, cal)?).map_err(StoreError::Invalid)?;
        let leader = day(tx, t.day_id)?.day.leader;
        tx.execute(
            "INSERT INTO reception_sessions (ticket_id, case_id, leader, record, attendees, instruction_kind,
                                             instruction, unit, contact, due_date, at, clerk)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                t.id,
                t.case_id,
                leader,
                i.record.trim(),
                i.attendees.trim(),
                i.kind.code(),
                i.text.trim(),
                i.unit.trim(),
                i.contact.trim(),
                i.due.map(|d| d.to_string()),
                timestamp(now),
                clerk
            ],
        )?;
        let mut note = format!("{}（{}）：{}", i.kind.label(), leader, i.text.trim());
        if !i.unit.trim().is_empty() {
            note.push_str(&format!("；责任单位：{}", i.unit.trim()));
        }
        if let Some(d) = i.due {
            note.push_str(&format!("，{d}前办理"));
        }
        cases::add_event(tx, &CaseEvent::new(t.case_id, now, clerk, "领导批示", note))?;
        let registered = cases::status_of(tx, t.case_id)? == CaseStatus::Registered;
        match i.kind {
            InstructionKind::Assign | InstructionKind::Ownership if registered => {
                let assign = Action::Assign { unit: i.unit.trim().to_string(), due: i.due, received: None };
                lifecycle::apply_in(tx, t.case_id, &assign, clerk, now, cal)?;
            }
            InstructionKind::Assign | InstructionKind::Ownership => {
                tx.execute(
                    "INSERT INTO assignments (case_id, kind, unit, due_date, created_at, created_by)
                     VALUES (?1, 'assign', ?2, ?3, ?4, ?5)",
                    params![t.case_id, i.unit.trim(), i.due.map(|d| d.to_string()), timestamp(now), clerk],
                )?;
                // A case already being handled: the leader's date becomes its running clock's.
                if let Some(due) = i.due {
                    deadlines::impose(tx, t.case_id, due, cal)?;
                }
            }
            InstructionKind::Legal if registered => {
                let legal = Action::ChannelToLegal { route: i.text.trim().to_string() };
                lifecycle::apply_in(tx, t.case_id, &legal, clerk, now, cal)?;
            }
            _ => {}
        }
        if i.kind == InstructionKind::Ownership {
            tx.execute(
                "INSERT INTO case_ownerships (case_id, leader, unit, person, target_date, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    t.case_id,
                    i.owner_leader.trim(),
                    i.unit.trim(),
                    i.owner_person.trim(),
                    i.due.map(|d| d.to_string()),
                    timestamp(now)
                ],
            )?;
        }
        let calls_made = day(tx, t.day_id)?.calls_made;
        record_move(tx, &t, TicketMove::Finish, clerk, now, calls_made)
    })
}
