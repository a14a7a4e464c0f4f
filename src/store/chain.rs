//! The global sequences: every trail event (across all cases) and every audit
//! row carries a sequence number and a hash that links it to the row before
//! it, so a deleted, reordered or inserted row anywhere breaks the sequence.
//! The head of each sequence is what an anchor records (see `crate::anchors`).

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::Result;

/// The newest row of a sequence: number and hash (0 and "" before the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        feed(&mut h, p);
    }
    hex_of(&h.finalize().into())
}

/// A digest as 64 hex digits (through a buffer: `hex::encode` goes char by
/// char, a tenth of the trail check's time on a million cases).
pub(super) fn hex_of(digest: &[u8; 32]) -> String {
    let mut out = [0u8; 64];
    match hex::encode_to_slice(digest, &mut out).map(|()| std::str::from_utf8(&out)) {
        Ok(Ok(hex)) => hex.to_owned(),
        _ => hex::encode(digest),
    }
}

/// One part of a hashed record, length-prefixed (`12:` and the bytes) so
/// that no two different records serialise alike. Every hash of the trail,
/// the audit log and the seals is made of these.
pub(super) fn feed(h: &mut Sha256, bytes: &[u8]) {
    h.update(itoa::Buffer::new().format(bytes.len()).as_bytes());
    h.update(b":");
    h.update(bytes);
}

/// The head after a trail event: its own (per-case) hash and its seal are
/// linked to the previous head.
pub fn link_event(prev: &Head, event_hash: &str, seal: &str) -> Head {
    let seq = prev.seq + 1;
    let s = seq.to_string();
    Head { seq, hash: digest(&[prev.hash.as_bytes(), s.as_bytes(), event_hash.as_bytes(), seal.as_bytes()]) }
}

/// One audit row's fields, as hashed.
pub struct AuditFields<'a> {
    pub at: &'a str,
    pub operator: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

/// The head after an audit row.
pub fn link_audit(prev: &Head, row: &AuditFields) -> Head {
    let seq = prev.seq + 1;
    let s = seq.to_string();
    let parts: [&[u8]; 6] = [
        prev.hash.as_bytes(),
        s.as_bytes(),
        row.at.as_bytes(),
        row.operator.as_bytes(),
        row.action.as_bytes(),
        row.detail.as_bytes(),
    ];
    Head { seq, hash: digest(&parts) }
}

/// One person-history row's fields, as hashed.
pub struct PersonFields<'a> {
    pub petitioner_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub field: &'a str,
    pub old: &'a str,
    pub new: &'a str,
    pub reason: &'a str,
}

/// The head after a person-history row.
pub fn link_person(prev: &Head, row: &PersonFields) -> Head {
    let seq = prev.seq + 1;
    let (s, id) = (seq.to_string(), row.petitioner_id.to_string());
    let parts: [&[u8]; 9] = [
        prev.hash.as_bytes(),
        s.as_bytes(),
        id.as_bytes(),
        row.at.as_bytes(),
        row.actor.as_bytes(),
        row.field.as_bytes(),
        row.old.as_bytes(),
        row.new.as_bytes(),
        row.reason.as_bytes(),
    ];
    Head { seq, hash: digest(&parts) }
}

/// Which sequence: the case trail, the audit log or the person history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    Trail,
    Audit,
    People,
}

impl Sequence {
    fn table(self) -> &'static str {
        match self {
            Sequence::Trail => "case_events",
            Sequence::Audit => "audit_log",
            Sequence::People => "petitioner_history",
        }
    }

    fn hash_column(self) -> &'static str {
        match self {
            Sequence::Trail => "chain_hash",
            Sequence::Audit | Sequence::People => "hash",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sequence::Trail => "办理记录",
            Sequence::Audit => "审计记录",
            Sequence::People => "信访人档案变更记录",
        }
    }
}

/// The newest row of `which` (rows are appended in id order).
pub fn head(conn: &Connection, which: Sequence) -> Result<Head> {
    let sql = format!("SELECT seq, {} FROM {} ORDER BY id DESC LIMIT 1", which.hash_column(), which.table());
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([], |r| Ok(Head { seq: r.get(0)?, hash: r.get(1)? }))
        .optional()?
        .unwrap_or_default())
}

/// The hash stored at sequence number `seq` of `which`, if that row exists.
pub fn hash_at(conn: &Connection, which: Sequence, seq: i64) -> Result<Option<String>> {
    let sql = format!("SELECT {} FROM {} WHERE seq = ?1", which.hash_column(), which.table());
    Ok(conn.prepare_cached(&sql)?.query_row([seq], |r| r.get(0)).optional()?)
}

/// The first audit row whose place in the sequence does not hold.
pub fn verify_audit(conn: &Connection) -> Result<Option<String>> {
    let mut stmt = conn.prepare("SELECT id, seq, hash, at, operator, action, detail FROM audit_log ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut head = Head::default();
    while let Some(r) = rows.next()? {
        let (id, seq, stored): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (at, operator, action, detail): (String, String, String, String) =
            (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
        if seq != head.seq + 1 {
            return Ok(Some(gap(Sequence::Audit, id, head.seq, seq)));
        }
        let next = link_audit(&head, &AuditFields { at: &at, operator: &operator, action: &action, detail: &detail });
        if next.hash != stored {
            return Ok(Some(format!("审计记录第 {seq} 条（编号 {id}）的内容被改动或是伪造的（校验值不符）")));
        }
        head = next;
    }
    Ok(None)
}

/// The message for a row whose sequence number does not follow the one before.
pub(crate) fn gap(which: Sequence, id: i64, before: i64, found: i64) -> String {
    let what = which.label();
    if found > before + 1 {
        format!("{what}第 {} 至 {} 条缺失（被删除），缺失处之后是编号 {id}", before + 1, found - 1)
    } else {
        format!("{what}编号 {id} 的序号为 {found}，应为 {}（记录被插入或调换了顺序）", before + 1)
    }
}

/// Migration to version 12: number and link every stored trail event and
/// audit row in the order they were written, seal each case's newest event
/// with the row as it stands, then put the guards back. The per-case hashes
/// already stored are kept byte for byte, so old chains still verify.
pub(crate) fn migrate(tx: &rusqlite::Transaction) -> Result<()> {
    super::guards::drop_all(tx)?;
    let newest: std::collections::HashSet<i64> = tx
        .prepare("SELECT max(id) FROM case_events GROUP BY case_id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    {
        let mut events = tx.prepare("SELECT id, case_id, hash FROM case_events ORDER BY id")?;
        let mut update =
            tx.prepare("UPDATE case_events SET seq = ?2, case_digest = ?3, chain_hash = ?4 WHERE id = ?1")?;
        let mut rows = events.query([])?;
        let mut head = Head::default();
        while let Some(r) = rows.next()? {
            let (id, case_id, hash): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let seal = if newest.contains(&id) {
                super::seal::current(tx, case_id)?.unwrap_or_default()
            } else {
                String::new()
            };
            head = link_event(&head, &hash, &seal);
            update.execute(rusqlite::params![id, head.seq, seal, head.hash])?;
        }
    }
    {
        let mut audit = tx.prepare("SELECT id, at, operator, action, detail FROM audit_log ORDER BY id")?;
        let mut update = tx.prepare("UPDATE audit_log SET seq = ?2, hash = ?3 WHERE id = ?1")?;
        let mut rows = audit.query([])?;
        let mut head = Head::default();
        while let Some(r) = rows.next()? {
            let (id, at, operator, action, detail): (i64, String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            head = link_audit(&head, &AuditFields { at: &at, operator: &operator, action: &action, detail: &detail });
            update.execute(rusqlite::params![id, head.seq, head.hash])?;
        }
    }
    tx.execute_batch(
        "CREATE UNIQUE INDEX case_events_seq ON case_events(seq);
         CREATE INDEX case_events_sealed ON case_events(case_id, id) WHERE case_digest <> '';
         CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);",
    )?;
    super::guards::restore(tx)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_link_depends_on_the_previous_head() {
        let first = link_event(&Head::default(), "aa", "");
        assert_eq!(first.seq, 1);
        let second = link_event(&first, "bb", "1:xx:yy");
        assert_eq!(second.seq, 2);
        assert_ne!(link_event(&first, "bb", ""), second, "the seal is linked");
        let other_first = link_event(&Head::default(), "ab", "");
        assert_ne!(link_event(&other_first, "bb", "1:xx:yy").hash, second.hash);
    }

    #[test]
    fn a_gap_names_the_missing_numbers() {
        assert_eq!(gap(Sequence::Trail, 9, 3, 6), "办理记录第 4 至 5 条缺失（被删除），缺失处之后是编号 9");
        assert!(gap(Sequence::Audit, 9, 3, 3).contains("应为 4"));
    }
}
