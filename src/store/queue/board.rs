//! The live board of a day: each ticket with its case and petitioner.

use rusqlite::Connection;

use super::*;
use crate::store::Result;

/// One line of the live queue: the ticket and what the desk needs to see of
/// its case and representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub ticket: Ticket,
    pub case_number: String,
    /// The representative's name, unmasked: the view masks it.
    pub name: String,
    pub category_code: Option<String>,
    pub key_person: bool,
    pub threat: bool,
    /// How many cases the representative has brought, this one included.
    pub case_count: u32,
    /// A group visit's representatives after the first (names unmasked: the view masks them).
    pub other_representatives: Vec<String>,
    pub petitioner_id: Option<i64>,
    /// The representative's early warnings (filled by the caller).
    pub warnings: Vec<crate::domain::warning::Warning>,
}

/// The day's tickets with their cases, in the order they were given.
pub fn board(conn: &Connection, day_id: i64) -> Result<Vec<BoardRow>> {
    let sql = format!(
        "WITH t AS (SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE day_id = ?1),
              rep AS (SELECT cp.case_id, cp.petitioner_id FROM case_petitioners cp WHERE cp.seq = 1)
         SELECT t.*, c.number, c.category_code, c.threat,
                coalesce(p.name, ''),
                EXISTS (SELECT 1 FROM petitioner_key_flags k WHERE k.petitioner_id = p.id),
                (SELECT count(*) FROM case_petitioners x WHERE x.petitioner_id = p.id),
                (SELECT group_concat(q.name, char(31)) FROM
                    (SELECT o.name FROM case_petitioners y JOIN petitioners o ON o.id = y.petitioner_id
                     WHERE y.case_id = c.id AND y.seq > 1 ORDER BY y.seq) q),
                p.id
         FROM t JOIN cases c ON c.id = t.case_id
         LEFT JOIN rep ON rep.case_id = c.id LEFT JOIN petitioners p ON p.id = rep.petitioner_id
         ORDER BY t.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([day_id], |r| {
        Ok(BoardRow {
            ticket: ticket_from_row(r)?,
            case_number: r.get(14)?,
            category_code: r.get(15)?,
            threat: r.get(16)?,
            name: r.get(17)?,
            key_person: r.get(18)?,
            case_count: r.get(19)?,
            // Unit separator: a name never holds one (sanitised at entry).
            other_representatives: r
                .get::<_, Option<String>>(20)?
                .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            petitioner_id: r.get(21)?,
            warnings: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
