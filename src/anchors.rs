//! Anchors: the heads of the trail's and the audit log's global sequences,
//! kept outside the database (an append-only file, 0600), in every backup's
//! verification line and on the printed ledger and weekly report. Whoever
//! rewrites the database must then also rewrite every anchor, including the
//! ones on paper; `check` verifies that each recorded anchor still matches.
//!
//! One anchor per line, tab-separated:
//! `2026-12-01 09:00:00  db=<id>  trail=<seq>:<hash>  audit=<seq>:<hash>  <why>`.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDateTime;
use rusqlite::Connection;

use crate::store::chain::{self, Head, Sequence};
use crate::store::{self, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub at: NaiveDateTime,
    pub database: String,
    pub trail: Head,
    pub audit: Head,
    pub reason: String,
}

/// The anchor of `conn` as it stands now.
pub fn current(conn: &Connection, at: NaiveDateTime, reason: &str) -> Result<Anchor> {
    Ok(Anchor {
        at,
        database: store::database_id(conn)?,
        trail: chain::head(conn, Sequence::Trail)?,
        audit: chain::head(conn, Sequence::Audit)?,
        reason: reason.to_string(),
    })
}

impl Anchor {
    /// The anchor a verified copy records (a backup, a restore).
    pub fn of_copy(v: &store::backup::Verified, database: String, at: NaiveDateTime, reason: String) -> Anchor {
        Anchor { at, database, trail: v.trail.clone(), audit: v.audit.clone(), reason }
    }

    pub fn line(&self) -> String {
        let reason: String = self.reason.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        format!(
            "{}\tdb={}\ttrail={}:{}\taudit={}:{}\t{}",
            store::timestamp(self.at),
            self.database,
            self.trail.seq,
            self.trail.hash,
            self.audit.seq,
            self.audit.hash,
            reason
        )
    }

    pub fn parse(line: &str) -> Option<Anchor> {
        let mut parts = line.split('\t');
        let at = store::parse_timestamp(parts.next()?)?;
        let database = parts.next()?.strip_prefix("db=")?.to_string();
        let head = |p: Option<&str>, key: &str| -> Option<Head> {
            let (seq, hash) = p?.strip_prefix(key)?.split_once(':')?;
            Some(Head { seq: seq.parse().ok()?, hash: hash.to_string() })
        };
        let trail = head(parts.next(), "trail=")?;
        let audit = head(parts.next(), "audit=")?;
        Some(Anchor { at, database, trail, audit, reason: parts.collect::<Vec<_>>().join(" ") })
    }

    /// What goes on paper: `校验：第N条 ab12cd34ef567890`.
    pub fn paper_mark(&self) -> String {
        paper_mark(&self.trail)
    }
}

/// Anchor the database as it stands for a paper about to be printed (the
/// ledger, the weekly report): the line goes to the anchors file when one is
/// given, and the mark to print is returned, with the reason the file could
/// not be written, if any (the paper still carries its mark).
pub fn stamp(
    conn: &Connection,
    file: Option<&Path>,
    at: NaiveDateTime,
    what: &str,
) -> Result<(String, Option<String>)> {
    let anchor = current(conn, at, what)?;
    let failed = file.and_then(|f| append(f, &anchor).err()).map(|e| {
        format!(
            "未能写入锚点文件 {}：{e}",
            crate::text::sanitize_line(&file.unwrap_or(Path::new("")).display().to_string())
        )
    });
    Ok((anchor.paper_mark(), failed))
}

/// The printed form of a trail head.
pub fn paper_mark(head: &Head) -> String {
    format!("校验：第{}条 {}", head.seq, head.hash.get(..16).unwrap_or(&head.hash))
}

/// Append `anchor` to the file at `path` (created 0600, its folder 0700) and
/// flush it to disk.
pub fn append(path: &Path, anchor: &Anchor) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut file = opts.open(path)?;
    file.write_all((anchor.line() + "\n").as_bytes())?;
    file.sync_all()
}

/// Every anchor in the file (none when it does not exist yet), with the
/// numbers of lines that are not anchors.
pub fn read(path: &Path) -> std::io::Result<(Vec<Anchor>, Vec<usize>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(e),
    };
    let (mut anchors, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match Anchor::parse(line) {
            Some(a) => anchors.push(a),
            None => bad.push(i + 1),
        }
    }
    Ok((anchors, bad))
}

/// How a restore marks its anchor: the database now continues from the
/// backup's heads, so earlier anchors past them no longer apply.
pub const RESTORED_FROM: &str = "恢复自 ";

/// The anchors that still apply: each restore marker retires the anchors
/// recorded before it that lie past the heads it restored.
pub fn effective(anchors: Vec<Anchor>) -> Vec<Anchor> {
    let mut out: Vec<Anchor> = Vec::with_capacity(anchors.len());
    for a in anchors {
        if a.reason.starts_with(RESTORED_FROM) {
            out.retain(|b| b.database != a.database || (b.trail.seq <= a.trail.seq && b.audit.seq <= a.audit.seq));
        }
        out.push(a);
    }
    out
}

/// Does the sequence still hold `head`? `None` when it does, else why not.
/// `short` accepts a hash prefix of at least 8 digits (read off paper).
pub fn holds(conn: &Connection, which: Sequence, head: &Head, short: bool) -> Result<Option<String>> {
    if head.seq == 0 {
        return Ok(None);
    }
    let what = which.label();
    let found = chain::hash_at(conn, which, head.seq)?;
    let matches = |stored: &str| match short {
        true => head.hash.len() >= 8 && stored.starts_with(&head.hash.to_ascii_lowercase()),
        false => stored == head.hash,
    };
    Ok(match found {
        None => Some(format!("{what}第 {} 条已不存在（记录被截断或删除）", head.seq)),
        Some(stored) if !matches(&stored) => Some(format!("{what}第 {} 条的校验值与锚点不符（记录被改写）", head.seq)),
        Some(_) => None,
    })
}

/// Check every anchor of this database. `up_to_head`: anchors past the
/// file's own heads are expected (a backup is older than later anchors)
/// and skipped; otherwise they mean the sequence was cut short.
pub fn verify(conn: &Connection, anchors: &[Anchor], up_to_head: bool) -> Result<Vec<String>> {
    let id = store::database_id(conn)?;
    let heads = (chain::head(conn, Sequence::Trail)?, chain::head(conn, Sequence::Audit)?);
    let mut problems = Vec::new();
    for a in anchors.iter().filter(|a| a.database == id) {
        for (which, head, now) in [(Sequence::Trail, &a.trail, &heads.0), (Sequence::Audit, &a.audit, &heads.1)] {
            if up_to_head && head.seq > now.seq {
                continue;
            }
            if let Some(why) = holds(conn, which, head, false)? {
                problems.push(format!("{} 的锚点（{}）：{why}", store::timestamp(a.at), a.reason));
            }
        }
    }
    Ok(problems)
}

/// `第N条:HASH` (as printed, `第` and `条` optional) → sequence number and hash.
pub fn parse_paper(text: &str) -> std::result::Result<Head, String> {
    let bad = || {
        format!(
            "锚点应写成 第N条:校验值（至少8位），如 第1024条:ab12cd34，现为「{}」",
            crate::text::sanitize_line(text)
        )
    };
    let (seq, hash) = text.trim().split_once([':', '：', ' ']).ok_or_else(bad)?;
    let seq: i64 = seq.trim().trim_start_matches('第').trim_end_matches('条').parse().map_err(|_| bad())?;
    let hash = hash.trim();
    if seq < 1 || hash.len() < 8 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(Head { seq, hash: hash.to_ascii_lowercase() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_line_reads_back() {
        let a = Anchor {
            at: "2026-12-01T09:00:00".parse().unwrap(),
            database: "ab".repeat(16),
            trail: Head { seq: 42, hash: "f".repeat(64) },
            audit: Head { seq: 3, hash: "e".repeat(64) },
            reason: "备份\t/tmp/x.db\n".into(),
        };
        let back = Anchor::parse(&a.line()).unwrap();
        assert_eq!(back.trail, a.trail);
        assert_eq!(back.audit, a.audit);
        assert_eq!(back.reason, "备份 /tmp/x.db ");
        assert_eq!(a.paper_mark(), "校验：第42条 ffffffffffffffff");
    }

    #[test]
    fn paper_anchors_parse_or_say_how_to_write_them() {
        let cases = [
            ("第1024条:AB12cd34", Ok(Head { seq: 1024, hash: "ab12cd34".into() })),
            ("1024:ab12cd34ef", Ok(Head { seq: 1024, hash: "ab12cd34ef".into() })),
            ("第7条 ab12cd34", Ok(Head { seq: 7, hash: "ab12cd34".into() })),
        ];
        for (text, want) in cases {
            assert_eq!(parse_paper(text), want, "{text}");
        }
        for text in ["第0条:ab12cd34", "第5条:ab12", "第5条:xyz12345", "ab12cd34", "第五条:ab12cd34"] {
            assert!(parse_paper(text).unwrap_err().contains("锚点应写成"), "{text}");
        }
    }
}
