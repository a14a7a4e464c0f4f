//! The case trail is append-only and hash-chained: each event holds the hash
//! of the event before it (of the same case) and of its own content, so an
//! edit made behind the program's back breaks the chain where it was made.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::chain::{self, Head, Sequence};
use super::{Result, timestamp};
use crate::domain::CaseEvent;
use crate::domain::event_kind::EventKind;

/// An event's hashed fields as they are stored (text).
pub struct EventText<'a> {
    pub case_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub note: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
}

/// The hash of an event given the hash of the one before it.
pub fn event_hash(prev: &str, e: &CaseEvent) -> String {
    let at = timestamp(e.at);
    text_hash(
        prev,
        &EventText {
            case_id: e.case_id,
            at: &at,
            actor: &e.actor,
            action: &e.action,
            note: &e.note,
            old_value: e.old_value.as_deref(),
            new_value: e.new_value.as_deref(),
        },
    )
}

/// [`event_hash`] of the stored text. Every field is length-prefixed, so no
/// two different events serialise alike.
pub fn text_hash(prev: &str, e: &EventText) -> String {
    chain::hex_of(&text_digest(prev, e))
}

/// [`text_hash`] as bytes (what `verify` compares, with no hex string per event).
fn text_digest(prev: &str, e: &EventText) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut case = itoa::Buffer::new();
    let case = case.format(e.case_id);
    let none = "\u{0}";
    let fields =
        [prev, case, e.at, e.actor, e.action, e.note, e.old_value.unwrap_or(none), e.new_value.unwrap_or(none)];
    for f in fields {
        chain::feed(&mut h, f.as_bytes());
    }
    h.finalize().into()
}

/// The hash of a case's newest event ("" before its first).
pub fn last_hash(conn: &Connection, case_id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT hash FROM case_events WHERE case_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub case_number: String,
    pub event_id: i64,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "事项 {} 的办理记录（编号 {}）{}", self.case_number, self.event_id, self.reason)
    }
}

/// The columns `event_from_row` reads, in order.
pub(crate) const EVENT_COLUMNS: &str = "id, case_id, at, actor, action, note, old_value, new_value";

/// One trail entry from a row whose first columns are `EVENT_COLUMNS`.
pub(crate) fn event_from_row(r: &rusqlite::Row) -> rusqlite::Result<CaseEvent> {
    let at: String = r.get(2)?;
    Ok(CaseEvent {
        id: r.get(0)?,
        case_id: r.get(1)?,
        at: super::parse_timestamp(&at).unwrap_or_default(),
        actor: r.get(3)?,
        action: r.get(4)?,
        note: r.get(5)?,
        old_value: r.get(6)?,
        new_value: r.get(7)?,
    })
}

/// Walk the whole trail in the order it was written; report the first row
/// whose link does not hold: to the case's previous event, to the global
/// sequence (number and hash), or to its own content.
pub fn verify(conn: &Connection) -> Result<Option<BrokenLink>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.case_id, e.at, e.actor, e.action, e.note, e.old_value, e.new_value, e.prev_hash, e.hash,
                e.seq, e.case_digest, e.chain_hash, e.event_kind
         FROM case_events e ORDER BY e.id",
    )?;
    let mut rows = stmt.query([])?;
    // The last hash of each case, as bytes: a million cases fit in tens of MiB.
    // Keys are case ids (not attacker-chosen in a way that matters here): Fx hashing.
    let mut case_heads: rustc_hash::FxHashMap<i64, [u8; 32]> = Default::default();
    let mut head = Head::default();
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
        let maybe = |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let (id, case_id): (i64, i64) = (r.get(0)?, r.get(1)?);
        let e = EventText {
            case_id,
            at: text(2)?,
            actor: text(3)?,
            action: text(4)?,
            note: text(5)?,
            old_value: maybe(6)?,
            new_value: maybe(7)?,
        };
        let (stored_prev, stored, seq, seal, chained) =
            (text(8)?, text(9)?, r.get::<_, i64>(10)?, text(11)?, text(12)?);
        // The case's number only where the chain breaks: no join per event.
        let broken = |reason: String| -> rusqlite::Result<Option<BrokenLink>> {
            let number: Option<String> =
                conn.query_row("SELECT number FROM cases WHERE id = ?1", [case_id], |r| r.get(0)).optional()?;
            Ok(Some(BrokenLink { case_number: number.unwrap_or_else(|| format!("#{case_id}")), event_id: id, reason }))
        };
        let follows = match case_heads.get(&case_id) {
            Some(head) => is_hex_of(stored_prev, head),
            None => stored_prev.is_empty(),
        };
        if !follows {
            return Ok(broken("之前的记录被删除或改动（前一条的校验值不符）".into())?);
        }
        let digest = text_digest(stored_prev, &e);
        if !is_hex_of(stored, &digest) {
            return Ok(broken("的内容被改动（校验值不符）".into())?);
        }
        if seq != head.seq + 1 {
            return Ok(broken(format!("：{}", chain::gap(Sequence::Trail, id, head.seq, seq)))?);
        }
        // The code is not hashed; it must be the one its hashed label gives.
        if EventKind::of_label(e.action).code() != text(13)? {
            return Ok(broken("的事件类别被改动（与记录的动作不符）".into())?);
        }
        let next = chain::link_event(&head, stored, seal);
        if next.hash != chained {
            return Ok(broken(format!("（第 {seq} 条）与全局序列不符：记录被改动、插入或伪造"))?);
        }
        head = next;
        case_heads.insert(case_id, digest);
    }
    Ok(None)
}

/// Whether a stored hash is `digest` in the lowercase hex it was written in
/// (encoding ours is cheaper than decoding theirs, twice per event).
fn is_hex_of(stored: &str, digest: &[u8; 32]) -> bool {
    let mut ours = [0u8; 64];
    hex::encode_to_slice(digest, &mut ours).is_ok() && stored.as_bytes() == ours
}

const GUARDS: &str = "
CREATE TRIGGER IF NOT EXISTS case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能修改'); END;
CREATE TRIGGER IF NOT EXISTS case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能删除'); END;";

/// Migration step: chain the events already stored, then guard the table.
pub fn migrate(tx: &Transaction) -> Result<()> {
    let mut prev: (i64, String) = (0, String::new());
    let events: Vec<CaseEvent> = {
        let mut stmt = tx.prepare(&format!("SELECT {EVENT_COLUMNS} FROM case_events ORDER BY case_id, id"))?;
        stmt.query_map([], event_from_row)?.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE case_events SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for e in events {
        if prev.0 != e.case_id {
            prev = (e.case_id, String::new());
        }
        let hash = event_hash(&prev.1, &e);
        update.execute(params![e.id, prev.1, hash])?;
        prev.1 = hash;
    }
    tx.execute_batch(GUARDS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(note: &str) -> CaseEvent {
        CaseEvent {
            id: None,
            case_id: 7,
            at: "2026-11-28T10:00:00".parse().unwrap(),
            actor: "周敏".into(),
            action: "登记".into(),
            note: note.into(),
            old_value: None,
            new_value: Some("已登记".into()),
        }
    }

    #[test]
    fn hashes_depend_on_every_field_and_the_chain() {
        let a = event_hash("", &event("初件"));
        assert_eq!(a.len(), 64);
        assert_eq!(a, event_hash("", &event("初件")), "deterministic");
        assert_ne!(a, event_hash("", &event("初件 ")));
        assert_ne!(a, event_hash("x", &event("初件")));
        let mut moved = event("初件");
        moved.new_value = None;
        assert_ne!(a, event_hash("", &moved), "None differs from any text");
    }
}
