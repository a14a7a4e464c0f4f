//! Real-name bookings (预约) for a day, their status and their check-in.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::*;
use crate::domain::Coded;
use crate::domain::queue::{AppointmentStatus, QueueRules};
use crate::store::{Result, Store, StoreError, parse_timestamp, timestamp};

/// A real-name booking (预约) for a reception day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub day_id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub summary: String,
    pub category_code: Option<String>,
    pub street: String,
    pub booked_time: NaiveDateTime,
}

/// What the prior-case lookup at booking found for an ID.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriorCases {
    pub count: i64,
    /// The latest case's number and title (title withheld for restricted cases).
    pub latest: Option<(String, String)>,
    /// The name the ID was registered under.
    pub registered_name: Option<String>,
}

/// The prior-case lookup at booking: the ID's earlier cases.
pub fn prior_cases(conn: &Connection, id_number: &str) -> Result<PriorCases> {
    let number = crate::domain::id_card::normalize(id_number);
    let registered_name: Option<String> =
        conn.query_row("SELECT name FROM petitioners WHERE id_number = ?1", [&number], |r| r.get(0)).optional()?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.number, c.title, c.class, c.confidential FROM cases c
         JOIN case_petitioners cp ON cp.case_id = c.id JOIN petitioners p ON p.id = cp.petitioner_id
         WHERE p.id_number = ?1 ORDER BY c.registered_at DESC",
    )?;
    let rows: Vec<(String, String, String, bool)> = stmt
        .query_map([&number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let latest = rows.first().map(|(n, title, class, confidential)| {
        let class = crate::domain::CaseClass::from_code(class).unwrap_or(crate::domain::CaseClass::Other);
        (n.clone(), crate::domain::case::listed_title(class, *confidential, title).to_string())
    });
    Ok(PriorCases { count: rows.len() as i64, latest, registered_name })
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub summary: String,
    pub street: String,
    pub booked_time: String,
    pub status: String,
    /// How many cases the petitioner has brought before (the prior-case lookup at booking).
    pub prior_cases: i64,
}

/// Book a petitioner for a day; the ID number is checked as at intake.
pub fn book(store: &mut Store, b: &Booking, now: NaiveDateTime) -> Result<i64> {
    let id = crate::domain::id_card::validate(&b.id_number, now.date())
        .map_err(|e| StoreError::Invalid(format!("证件号：{e}")))?;
    if b.name.trim().is_empty() {
        return Err(StoreError::Invalid("请填写姓名".into()));
    }
    store.write(|tx| {
        let d = day(tx, b.day_id)?;
        if b.booked_time.date() != d.day.date {
            return Err(StoreError::Invalid(format!("预约时间应在接访日 {} 当天", d.day.date)));
        }
        tx.execute(
            "INSERT INTO appointments (day_id, name, id_number, phone, summary, category_code, street, booked_time,
                                       status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                b.day_id,
                b.name.trim(),
                id.number,
                b.phone.trim(),
                b.summary.trim(),
                b.category_code,
                b.street.trim(),
                timestamp(b.booked_time),
                AppointmentStatus::Booked.code(),
                timestamp(now)
            ],
        )?;
        Ok(tx.last_insert_rowid())
    })
}

/// The day's appointments by booked time, each with the petitioner's earlier cases counted.
pub fn appointments(conn: &Connection, day_id: i64) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.name, a.id_number, a.phone, a.summary, a.street, a.booked_time, a.status,
                (SELECT count(*) FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                 WHERE p.id_number = a.id_number)
         FROM appointments a WHERE a.day_id = ?1 ORDER BY a.booked_time, a.id",
    )?;
    let rows = stmt.query_map([day_id], |r| {
        Ok(Appointment {
            id: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            phone: r.get(3)?,
            summary: r.get(4)?,
            street: r.get(5)?,
            booked_time: r.get(6)?,
            status: AppointmentStatus::label_of(&r.get::<_, String>(7)?),
            prior_cases: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Confirm, cancel or mark a no-show.
pub fn set_appointment(store: &mut Store, id: i64, status: AppointmentStatus) -> Result<()> {
    store.write(|tx| {
        let current: Option<String> =
            tx.query_row("SELECT status FROM appointments WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let current = current.ok_or_else(|| StoreError::Invalid(format!("没有编号为 {id} 的预约")))?;
        if current == AppointmentStatus::Cancelled.code() || current == AppointmentStatus::CheckedIn.code() {
            return Err(StoreError::Invalid(format!(
                "该预约为「{}」，不能改为「{}」",
                AppointmentStatus::label_of(&current),
                status.label()
            )));
        }
        tx.execute("UPDATE appointments SET status = ?2 WHERE id = ?1", params![id, status.code()])?;
        Ok(())
    })
}

/// The petitioner with an appointment has arrived: a Y-series ticket for
/// their latest open case, at the booked time's place in line. A petitioner
/// with no case yet is registered at intake first.
pub fn check_in_appointment(
    store: &mut Store,
    appointment_id: i64,
    clerk: &str,
    now: NaiveDateTime,
    rules: &QueueRules,
) -> Result<Ticket> {
    store.write(|tx| {
        let (day_id, id_number, booked, status): (i64, String, String, String) = tx
            .query_row(
                "SELECT day_id, id_number, booked_time, status FROM appointments WHERE id = ?1",
                [appointment_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("没有编号为 {appointment_id} 的预约")))?;
        if status == AppointmentStatus::Cancelled.code() || status == AppointmentStatus::CheckedIn.code() {
            return Err(StoreError::Invalid(format!(
                "该预约为「{}」，不能再取号",
                AppointmentStatus::label_of(&status)
            )));
        }
        let sql = format!(
            "SELECT c.id FROM cases c JOIN case_petitioners cp ON cp.case_id = c.id
             JOIN petitioners p ON p.id = cp.petitioner_id
             WHERE p.id_number = ?1 AND c.status NOT IN {}
             ORDER BY c.registered_at DESC LIMIT 1",
            crate::store::final_statuses_sql()
        );
        let case_id: Option<i64> = tx.query_row(&sql, [&id_number], |r| r.get(0)).optional()?;
        let case_id = case_id.ok_or_else(|| {
            StoreError::Invalid("该预约人还没有在办事项：请先在来访登记中登记，再从事项详情取号".into())
        })?;
        // One person, one number a day, whichever of their cases it is for.
        let theirs: Vec<i64> = tx
            .prepare_cached(
                "SELECT cp.case_id FROM case_petitioners cp JOIN petitioners p ON p.id = cp.petitioner_id
                 WHERE p.id_number = ?1",
            )?
            .query_map([&id_number], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(t) = tickets(tx, day_id)?.into_iter().find(|t| t.status.is_active() && theirs.contains(&t.case_id))
        {
            return Err(StoreError::Invalid(format!("该预约人今天已取号 {}（{}）", t.number, t.status.label())));
        }
        let c = CheckIn {
            day_id,
            case_id,
            at: now,
            booked_at: parse_timestamp(&booked),
            priority: None,
            group_size: 1,
            clerk: clerk.to_string(),
        };
        let t = check_in_in(tx, &c, rules)?;
        tx.execute(
            "UPDATE appointments SET status = ?2 WHERE id = ?1",
            params![appointment_id, AppointmentStatus::CheckedIn.code()],
        )?;
        tx.execute("UPDATE queue_tickets SET appointment_id = ?2 WHERE id = ?1", params![t.id, appointment_id])?;
        Ok(t)
    })
}
