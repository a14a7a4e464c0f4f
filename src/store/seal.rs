//! A case's own row is sealed into its trail. Every trail event written when
//! the case row differs from its last seal carries a digest of the row as it
//! stands; `check` recomputes the digest of every case row and compares it
//! with the newest seal, so an edit of the row behind the program's back
//! (title, content, status…) is found and named by case number and field.
//!
//! A seal is `1:<overall>:<tags>`: the version, 16 bytes of SHA-256 over all
//! sealed fields (what proves the row), and one byte per field (only to name
//! which field changed; a changed field has a 1 in 256 chance of keeping its
//! tag, and is then reported as "字段无法确定").

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::Result;
use super::chain::feed;

/// The sealed columns of `cases` in version 1, with the names `check` reports.
/// Never reorder or edit: a new column needs a new seal version.
pub const SEALED: &[(&str, &str)] = &[
    ("number", "编号"),
    ("registered_at", "登记时间"),
    ("clerk", "登记人"),
    ("window", "窗口"),
    ("form_code", "信访形式"),
    ("source", "来源"),
    ("people_count", "人数"),
    ("involved_count", "涉及人数"),
    ("category_code", "内容分类"),
    ("purpose_code", "信访目的"),
    ("class", "事项类别"),
    ("problem_street_code", "问题属地"),
    ("problem_address", "问题发生地"),
    ("title", "标题"),
    ("content", "反映内容"),
    ("demands", "诉求"),
    ("respondent", "被反映人"),
    ("litigation", "涉法涉诉"),
    ("skip_level", "越级"),
    ("joint", "联名"),
    ("anonymous", "匿名"),
    ("threat", "扬言"),
    ("urgent", "紧急"),
    ("confidential", "保密"),
    ("repeat_kind", "初重件"),
    ("linked_case_id", "关联事项"),
    ("status", "状态"),
    ("updated_at", "更新时间"),
];

const VERSION: &str = "1";

/// `c.number, c.registered_at, …`: the sealed columns of alias `c`, in order.
pub fn sealed_columns(alias: &str) -> String {
    SEALED.iter().map(|(c, _)| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// One field's value as typed bytes into `out`: NULL, integer 1 and text "1" all differ.
fn typed(v: ValueRef, out: &mut Vec<u8>) {
    out.clear();
    match v {
        ValueRef::Null => out.push(b'n'),
        ValueRef::Integer(i) => {
            out.push(b'i');
            out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
        }
        ValueRef::Real(f) => {
            out.push(b'r');
            out.extend_from_slice(itoa::Buffer::new().format(f.to_bits()).as_bytes());
        }
        ValueRef::Text(t) => {
            out.push(b't');
            out.extend_from_slice(t);
        }
        ValueRef::Blob(b) => {
            out.push(b'b');
            out.extend_from_slice(b);
        }
    }
}

/// Seal version 1 was defined when `class` and `repeat_kind` held labels;
/// since version 15 they hold codes and are sealed by their label still, so
/// every seal written before the change verifies after it.
fn as_sealed<'a>(name: &str, v: ValueRef<'a>) -> ValueRef<'a> {
    use crate::domain::{CaseClass, RepeatKind};
    // Only these two are decoded: checking every content's UTF-8 was a
    // sixth of `check`'s time on a million cases.
    let (ValueRef::Text(t), "class" | "repeat_kind") = (v, name) else { return v };
    let code = std::str::from_utf8(t).unwrap_or_default();
    let label = match name {
        "class" => CaseClass::from_code(code).map(CaseClass::label),
        _ => RepeatKind::from_code(code).map(RepeatKind::label),
    };
    label.map_or(v, |l| ValueRef::Text(l.as_bytes()))
}

/// The seal of a row whose columns `first..first + SEALED.len()` are the
/// sealed ones. The per-field tags only name a changed field, so a CRC is
/// enough there; the overall SHA-256 is what proves the row.
pub(crate) fn of_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<String> {
    let mut overall = Sha256::new();
    let mut tags = [0u8; SEALED.len()];
    let mut value = Vec::with_capacity(256);
    for (i, (name, _)) in SEALED.iter().enumerate() {
        typed(as_sealed(name, r.get_ref(first + i)?), &mut value);
        feed(&mut overall, name.as_bytes());
        feed(&mut overall, &value);
        let mut tag = crc32fast::Hasher::new();
        tag.update(name.as_bytes());
        tag.update(b"=");
        tag.update(&value);
        tags[i] = tag.finalize().to_le_bytes()[0];
    }
    // Hex through buffers: a million of these are made by every `check`.
    let (mut sum, mut named) = ([0u8; 32], [0u8; SEALED.len() * 2]);
    let hexed = hex::encode_to_slice(&overall.finalize()[..16], &mut sum).and(hex::encode_to_slice(tags, &mut named));
    let as_text = |b: &[u8]| std::str::from_utf8(b).unwrap_or_default().to_owned();
    match hexed {
        Ok(()) => Ok([VERSION, ":", &as_text(&sum), ":", &as_text(&named)].concat()),
        Err(_) => Ok(String::new()),
    }
}

/// The seal of case `case_id` as its row stands now.
pub(crate) fn current(conn: &Connection, case_id: i64) -> Result<Option<String>> {
    let sql = format!("SELECT {} FROM cases c WHERE c.id = ?1", sealed_columns("c"));
    Ok(conn.prepare_cached(&sql)?.query_row([case_id], |r| of_row(r, 0)).optional()?)
}

/// The newest seal in the case's trail ("" when it has none).
pub(crate) fn last(conn: &Connection, case_id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached(
            "SELECT case_digest FROM case_events WHERE case_id = ?1 AND case_digest <> '' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([case_id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// What a new event of `case_id` seals: the row's seal when it changed since
/// the last one, else "" (events that change nothing on the row add no bytes).
pub(crate) fn for_new_event(conn: &Connection, case_id: i64) -> Result<String> {
    let now = current(conn, case_id)?.unwrap_or_default();
    Ok(if now == last(conn, case_id)? { String::new() } else { now })
}

/// The fields whose tags differ between a stored seal and the row's seal now;
/// empty when the row matches. `None` inside: changed, field not identifiable.
pub(crate) fn differing(stored: &str, now: &str) -> Option<Vec<&'static str>> {
    if stored == now {
        return None;
    }
    let tags = |s: &str| s.rsplit(':').next().map(str::to_owned).unwrap_or_default();
    let (a, b) = (tags(stored), tags(now));
    let names: Vec<&'static str> = SEALED
        .iter()
        .enumerate()
        .filter(|(i, _)| a.get(i * 2..i * 2 + 2) != b.get(i * 2..i * 2 + 2))
        .map(|(_, (_, label))| *label)
        .collect();
    Some(names)
}

/// Cases whose row no longer matches their newest seal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unsealed {
    /// How many cases differ.
    pub count: usize,
    /// The first few, one line each, naming the case and the fields.
    pub lines: Vec<String>,
}

/// How many differing cases are named one by one.
const LISTED: usize = 20;

/// Compare every case row with the newest seal in its trail.
pub fn verify_cases(conn: &Connection) -> Result<Unsealed> {
    let sql = format!(
        "SELECT c.id, c.number, (SELECT e.case_digest FROM case_events e
                 WHERE e.case_id = c.id AND e.case_digest <> '' ORDER BY e.id DESC LIMIT 1), {}
         FROM cases c ORDER BY c.id",
        sealed_columns("c")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Unsealed::default();
    while let Some(r) = rows.next()? {
        let number: String = r.get(1)?;
        let stored: Option<String> = r.get(2)?;
        let now = of_row(r, 3)?;
        let line = match stored {
            None => Some(format!("事项 {number} 没有办理记录封记（其办理记录被删除）")),
            Some(stored) => differing(&stored, &now).map(|fields| match fields.is_empty() {
                true => format!("事项 {number} 的记录被直接改动（字段无法确定）"),
                false => format!("事项 {number} 的记录被直接改动：{}", fields.join("、")),
            }),
        };
        if let Some(line) = line {
            out.count += 1;
            if out.lines.len() < LISTED {
                out.lines.push(line);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal_of(values: &[rusqlite::types::Value]) -> String {
        let conn = Connection::open_in_memory().unwrap();
        let cols: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
        conn.query_row(&format!("SELECT {}", cols.join(", ")), rusqlite::params_from_iter(values), |r| of_row(r, 0))
            .unwrap()
    }

    fn row() -> Vec<rusqlite::types::Value> {
        use rusqlite::types::Value::*;
        SEALED.iter().map(|(c, _)| if c.ends_with("_id") { Null } else { Text(format!("{c} 值")) }).collect()
    }

    #[test]
    fn a_seal_names_the_field_that_changed() {
        let before = seal_of(&row());
        assert_eq!(before, seal_of(&row()), "deterministic");
        assert_eq!(differing(&before, &before), None);
        let mut edited = row();
        let title = SEALED.iter().position(|(c, _)| *c == "title").unwrap();
        edited[title] = rusqlite::types::Value::Text("改过的标题".into());
        assert_eq!(differing(&before, &seal_of(&edited)), Some(vec!["标题"]));
    }

    #[test]
    fn a_coded_class_seals_like_the_label_it_replaced() {
        use rusqlite::types::Value::Text;
        let at = |c: &str| SEALED.iter().position(|(n, _)| *n == c).unwrap();
        let (mut labels, mut codes) = (row(), row());
        labels[at("class")] = Text("检举控告类".into());
        labels[at("repeat_kind")] = Text("重件".into());
        codes[at("class")] = Text("accusation".into());
        codes[at("repeat_kind")] = Text("repeat".into());
        assert_eq!(seal_of(&labels), seal_of(&codes));
        codes[at("class")] = Text("appeal".into());
        assert_eq!(differing(&seal_of(&labels), &seal_of(&codes)), Some(vec!["事项类别"]));
    }

    #[test]
    fn types_are_part_of_the_seal() {
        use rusqlite::types::Value::*;
        let mut a = row();
        let mut b = row();
        a[0] = Integer(1);
        b[0] = Text("1".into());
        assert_ne!(seal_of(&a), seal_of(&b));
        a[0] = Null;
        b[0] = Text(String::new());
        assert_ne!(seal_of(&a), seal_of(&b));
    }
}
