//! `xfdesk import`: cases and their petitioners from another system, one
//! row per case (CSV with a header row, or a JSON array of objects with the
//! same keys). Every row is checked first; then either the whole file goes
//! in as one transaction or nothing does (`--skip-bad` imports the good rows
//! and writes the bad ones, with the reason, to a reject file).

use std::collections::HashSet;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::case::{Case, CaseFlags, ExternalRef, RepeatKind};
use crate::domain::petitioner::{PetitionerPhone, PhoneOwner};
use crate::domain::{CaseClass, CaseStatus, IdType, Petitioner, id_card, phone};
use crate::store::cases::{self, Registration};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError, petitioners};

/// One row as written in the file. Every value is text, so a wrong value is
/// reported with its column rather than as a parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportRow {
    #[serde(rename = "外部编号")]
    pub external_number: String,
    #[serde(rename = "来源系统")]
    pub system: String,
    #[serde(rename = "登记时间")]
    pub registered_at: String,
    #[serde(rename = "姓名")]
    pub name: String,
    #[serde(rename = "身份证号")]
    pub id_number: String,
    #[serde(rename = "性别")]
    pub sex: String,
    #[serde(rename = "联系电话")]
    pub phone: String,
    #[serde(rename = "住址")]
    pub address: String,
    #[serde(rename = "信访形式")]
    pub form: String,
    #[serde(rename = "来访人数")]
    pub people: String,
    #[serde(rename = "内容分类")]
    pub category: String,
    #[serde(rename = "信访目的")]
    pub purpose: String,
    #[serde(rename = "问题属地")]
    pub street: String,
    #[serde(rename = "问题地址")]
    pub problem_address: String,
    #[serde(rename = "标题")]
    pub title: String,
    #[serde(rename = "内容")]
    pub content: String,
    #[serde(rename = "诉求")]
    pub demands: String,
    #[serde(rename = "被反映单位")]
    pub respondent: String,
    #[serde(rename = "越级")]
    pub skip_level: String,
    #[serde(rename = "扬言")]
    pub threat: String,
    #[serde(rename = "涉法涉诉")]
    pub litigation: String,
    #[serde(rename = "保密")]
    pub confidential: String,
}

/// The documented columns, in order (the header of the example file).
pub const COLUMNS: [&str; 22] = [
    "外部编号",
    "来源系统",
    "登记时间",
    "姓名",
    "身份证号",
    "性别",
    "联系电话",
    "住址",
    "信访形式",
    "来访人数",
    "内容分类",
    "信访目的",
    "问题属地",
    "问题地址",
    "标题",
    "内容",
    "诉求",
    "被反映单位",
    "越级",
    "扬言",
    "涉法涉诉",
    "保密",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Csv,
    Json,
}

/// A row that cannot go in: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The line in a CSV file (the header is line 1), the item number in JSON.
    pub line: u64,
    pub reason: String,
    pub row: ImportRow,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取 {path}：{source}")]
    Read { path: String, source: std::io::Error },
    #[error("{0}")]
    Format(String),
    #[error("{} 行有误，未导入任何数据（可加 --skip-bad 只导入正确的行）：\n{}", .0.len(), describe(.0))]
    BadRows(Vec<Rejected>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
}

/// "第3行：身份证号校验位错误" lines, one per rejected row.
pub fn describe(rejected: &[Rejected]) -> String {
    rejected.iter().map(|r| format!("  {}：{}", place(r.line), r.reason)).collect::<Vec<_>>().join("\n")
}

fn place(line: u64) -> String {
    format!("第{line}行")
}

/// The objects of a JSON array as rows: keys are the CSV columns (an unknown
/// key is refused, as an unknown column is); a number or true/false is taken
/// as the text it stands for (`"来访人数": 3`, `"越级": true`).
fn json_rows(text: &str) -> Result<Vec<(u64, ImportRow)>, ImportError> {
    use serde_json::Value;
    let bad = |why: String| ImportError::Format(format!("JSON 格式有误：{why}"));
    let items: Vec<serde_json::Map<String, Value>> = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let n = i as u64 + 1;
        let unknown: Vec<&str> = item.keys().map(String::as_str).filter(|k| !COLUMNS.contains(k)).collect();
        if !unknown.is_empty() {
            return Err(ImportError::Format(format!(
                "第{n}条：未知的键：{}（键名与 CSV 列名相同，见 README）",
                unknown.join("、")
            )));
        }
        let text: serde_json::Map<String, Value> = item
            .into_iter()
            .map(|(k, v)| {
                let t = match v {
                    Value::String(s) => s,
                    Value::Number(x) => x.to_string(),
                    Value::Bool(b) => if b { "是" } else { "否" }.to_string(),
                    Value::Null => String::new(),
                    other => return Err(bad(format!("第{n}条的“{k}”应为文字或数字，现为 {other}"))),
                };
                Ok((k, Value::String(t)))
            })
            .collect::<Result<_, _>>()?;
        rows.push((n, serde_json::from_value(Value::Object(text)).map_err(|e| bad(e.to_string()))?));
    }
    Ok(rows)
}

/// Read the rows of `path`, each with its line (CSV) or item number (JSON).
pub fn read(path: &Path, format: ImportFormat) -> Result<Vec<(u64, ImportRow)>, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read { path: path.display().to_string(), source })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| ImportError::Format(format!("文件不是 UTF-8 编码：{e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        ImportFormat::Json => json_rows(text),
        ImportFormat::Csv => {
            // The header is read as a plain record: the reader's line count is
            // then that of the file (the header is line 1).
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
            let mut headers = csv::StringRecord::new();
            if !reader.read_record(&mut headers).map_err(|e| ImportError::Format(format!("CSV 表头有误：{e}")))? {
                return Ok(Vec::new());
            }
            headers.trim();
            let unknown: Vec<&str> = headers.iter().filter(|h| !COLUMNS.contains(&h.trim())).collect();
            if !unknown.is_empty() {
                return Err(ImportError::Format(format!("未知的列：{}（列名见 README）", unknown.join("、"))));
            }
            let mut out = Vec::new();
            let mut record = csv::StringRecord::new();
            let (body, mut line, mut counted) = (text, 1u64, 0usize);
            loop {
                let more =
                    reader.read_record(&mut record).map_err(|e| ImportError::Format(format!("CSV 格式有误：{e}")))?;
                if !more {
                    break;
                }
                // The line the record starts on, counted from its byte offset
                // (the reader's own count is off by one after CRLF lines, where
                // the offset points at the line break before the record).
                let mut byte = record.position().map_or(0, |p| p.byte() as usize).min(body.len());
                while body.as_bytes().get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
                    byte += 1;
                }
                line += body.as_bytes()[counted..byte].iter().filter(|b| **b == b'\n').count() as u64;
                counted = byte;
                let row: ImportRow = record
                    .deserialize(Some(&headers))
                    .map_err(|e| ImportError::Format(format!("{}：{e}", place(line))))?;
                out.push((line, row));
            }
            Ok(out)
        }
    }
}

/// What a good row becomes.
#[derive(Debug, Clone)]
pub struct Checked {
    pub petitioner: Petitioner,
    pub case: Case,
}

fn yes(v: &str, column: &str) -> Result<bool, String> {
    match v.trim() {
        "" | "否" | "0" | "false" => Ok(false),
        "是" | "1" | "true" => Ok(true),
        other => Err(format!("{column}应为“是”或“否”，现为“{other}”")),
    }
}

fn timestamp(v: &str) -> Result<NaiveDateTime, String> {
    let v = v.trim();
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, f) {
            return Ok(t);
        }
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(9, 0, 0).unwrap_or_default())
        .map_err(|_| format!("登记时间应写成 2026-11-02 09:30，现为“{v}”"))
}

/// Check one row against the rules the intake form applies.
pub fn check(
    row: &ImportRow,
    refs: &ReferenceData,
    now: NaiveDateTime,
    area: &str,
    clerk: &str,
) -> Result<Checked, String> {
    let required = |v: &str, column: &str| {
        if v.trim().is_empty() { Err(format!("{column}不能为空")) } else { Ok(v.trim().to_string()) }
    };
    let capped = |v: String, column: &str, limit: usize| {
        let n = v.chars().count();
        if n > limit {
            Err(format!("{column}有 {n} 个字，最多 {limit} 个（登记表同样限制），请在原文件中删减"))
        } else {
            Ok(v)
        }
    };
    let external = required(&row.external_number, "外部编号")?;
    let name = capped(required(&row.name, "姓名")?, "姓名", crate::domain::case::NAME_LIMIT)?;
    let title = capped(required(&row.title, "标题")?, "标题", crate::domain::case::TITLE_LIMIT)?;
    let content = capped(required(&row.content, "内容")?, "内容", crate::domain::case::CONTENT_LIMIT)?;
    let registered_at = timestamp(&required(&row.registered_at, "登记时间")?)?;
    if registered_at > now {
        return Err(format!("登记时间 {registered_at} 晚于现在"));
    }
    let form = refs.form_by_name(row.form.trim()).ok_or_else(|| format!("未知的信访形式“{}”", row.form.trim()))?;
    let mut p = Petitioner { name: name.clone(), address: row.address.trim().into(), ..Default::default() };
    if !row.id_number.trim().is_empty() {
        let id = id_card::validate(&row.id_number, registered_at.date()).map_err(|e| format!("身份证号{e}"))?;
        p.id_type = Some(IdType::ResidentId);
        p.id_number = Some(id.number);
        p.sex = Some(id.sex);
        p.birth_date = Some(id.birth_date);
    }
    match row.sex.trim() {
        "" => {}
        s => match crate::domain::id_card::Sex::from_label(s) {
            Some(sex) if p.sex.is_none_or(|x| x == sex) => p.sex = Some(sex),
            Some(_) => return Err(format!("性别“{s}”与身份证号不符")),
            None => return Err(format!("性别应为“男”或“女”，现为“{s}”")),
        },
    }
    if !row.phone.trim().is_empty() {
        let ph = phone::normalize(&row.phone, area).map_err(|e| e.to_string())?;
        p.phones.push(PetitionerPhone {
            number: ph.number,
            kind: ph.kind,
            owner: PhoneOwner::Own,
            note: String::new(),
        });
    }
    let category = match row.category.trim() {
        "" => None,
        c => Some(refs.category_by_name(c).ok_or_else(|| format!("未知的内容分类“{c}”"))?.code.clone()),
    };
    let purpose = match row.purpose.trim() {
        "" => None,
        c => Some(refs.purpose_by_name(c).ok_or_else(|| format!("未知的信访目的“{c}”"))?.clone()),
    };
    let street = match row.street.trim() {
        "" => None,
        s => Some(refs.street_by_name(s).ok_or_else(|| format!("未知的问题属地“{s}”"))?.code.clone()),
    };
    let people: u32 = match row.people.trim() {
        "" => 1,
        n => n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| format!("来访人数应为正整数，现为“{n}”"))?,
    };
    let system = if row.system.trim().is_empty() { "外部系统".to_string() } else { row.system.trim().to_string() };
    let case = Case {
        id: None,
        number: String::new(),
        registered_at,
        clerk: clerk.into(),
        window: String::new(),
        form_code: form.code.clone(),
        source: format!("导入：{system}"),
        people_count: people,
        involved_count: (people > 1).then_some(people),
        category_code: category,
        purpose_code: purpose.as_ref().map(|p| p.code.clone()),
        class: purpose.map_or(CaseClass::Other, |p| p.class),
        problem_street_code: street,
        problem_address: row.problem_address.trim().into(),
        title,
        content,
        demands: row.demands.trim().into(),
        respondent: row.respondent.trim().into(),
        flags: CaseFlags {
            skip_level: yes(&row.skip_level, "越级")?,
            threat: yes(&row.threat, "扬言")?,
            litigation: yes(&row.litigation, "涉法涉诉")?,
            confidential: yes(&row.confidential, "保密")?,
            ..Default::default()
        },
        repeat_kind: RepeatKind::First,
        linked_case_id: None,
        status: CaseStatus::Registered,
        external_refs: vec![ExternalRef { system, number: external }],
        petitioner_ids: Vec::new(),
    };
    Ok(Checked { petitioner: p, case })
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub imported: usize,
    pub rejected: Vec<Rejected>,
}

/// Check every row, then write the good ones in one transaction. Without
/// `skip_bad`, one bad row means nothing is written. With it, `keep_rejects`
/// gets the refused rows inside that transaction, before anything commits:
/// when they cannot be kept (the rejects file cannot be written), nothing is
/// imported either.
pub fn run(
    store: &mut Store,
    rows: Vec<(u64, ImportRow)>,
    skip_bad: bool,
    (now, area, clerk, prefix): (NaiveDateTime, &str, &str, &str),
    keep_rejects: &mut dyn FnMut(&[Rejected]) -> Result<(), ImportError>,
) -> Result<Outcome, ImportError> {
    let refs = ReferenceData::load(store.conn())?;
    let mut good = Vec::new();
    let mut rejected = Vec::new();
    let mut seen = HashSet::new();
    for (line, row) in rows {
        let checked = check(&row, &refs, now, area, clerk).and_then(|c| {
            let r = &c.case.external_refs[0];
            if !seen.insert((r.system.clone(), r.number.clone())) {
                return Err(format!("外部编号 {} 在文件中重复", r.number));
            }
            match cases::external_ref_exists(store.conn(), &r.system, &r.number) {
                Ok(true) => Err(format!("外部编号 {} 已导入过", r.number)),
                Ok(false) => Ok(c),
                Err(e) => Err(e.to_string()),
            }
        });
        match checked {
            Ok(c) => good.push(c),
            Err(reason) => rejected.push(Rejected { line, reason, row }),
        }
    }
    if !rejected.is_empty() && !skip_bad {
        return Err(ImportError::BadRows(rejected));
    }
    // Oldest first, so a person's later case links to the earlier one.
    good.sort_by_key(|c| c.case.registered_at);
    let imported = good.len();
    store.write(|tx| {
        // Checked again inside the write transaction: another import of the
        // same file may have committed since the rows were read.
        refuse_while_bulk_loading(tx)?;
        if !rejected.is_empty() {
            keep_rejects(&rejected).map_err(|e| StoreError::Invalid(format!("{e}；本次未导入任何内容")))?;
        }
        let taken: Vec<String> = good
            .iter()
            .flat_map(|c| &c.case.external_refs)
            .map(|r| cases::external_ref_exists(tx, &r.system, &r.number).map(|e| e.then(|| r.number.clone())))
            .filter_map(|found| found.transpose())
            .collect::<Result<_, _>>()?;
        if !taken.is_empty() {
            let shown: Vec<&str> = taken.iter().take(10).map(String::as_str).collect();
            return Err(StoreError::Invalid(format!(
                "外部编号 {} 等 {} 个已导入过（另一次导入刚刚写入），本次未导入任何内容",
                shown.join("、"),
                taken.len()
            )));
        }
        for c in good {
            let mut case = c.case;
            if let Some(number) = &c.petitioner.id_number
                && let Some(pid) = petitioners::find_by_id_number(tx, number)?
                && let Some(prev) =
                    cases::of_petitioner(tx, pid)?.into_iter().find(|s| s.registered_at <= case.registered_at)
            {
                case.repeat_kind = RepeatKind::Repeat;
                case.linked_case_id = Some(prev.id);
            }
            let reg = Registration {
                petitioners: vec![c.petitioner],
                case,
                number_prefix: prefix.into(),
                same_person: Vec::new(),
            };
            cases::register_in(tx, &reg)?;
        }
        let detail = format!("导入{imported}件，拒绝{}行", rejected.len());
        crate::store::backup::audit_in(tx, clerk, "导入事项", &detail, now)
    })?;
    Ok(Outcome { imported, rejected })
}

/// A bulk load (`xfdesk gen`) numbers its cases from the series it read when
/// it began: writing beside it would take the same numbers.
fn refuse_while_bulk_loading(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    if crate::store::bulk::in_progress(tx)? {
        return Err(StoreError::Invalid(
            "数据库正在批量写入（xfdesk gen），请等它结束后再导入；本次未导入任何内容".into(),
        ));
    }
    Ok(())
}

/// Write the rejected rows, each with its line and reason, as CSV (BOM, owner-only).
pub fn write_rejects(path: &Path, rejected: &[Rejected], replace: bool) -> Result<(), ImportError> {
    let mut headers = vec!["行号", "错误原因"];
    headers.extend(COLUMNS);
    let rows: Vec<Vec<String>> = rejected
        .iter()
        .map(|r| {
            let fields = serde_json::to_value(&r.row).unwrap_or_default();
            let mut cells = vec![r.line.to_string(), r.reason.clone()];
            cells.extend(COLUMNS.iter().map(|c| fields[c].as_str().unwrap_or_default().to_string()));
            cells
        })
        .collect();
    crate::export::write(path, crate::export::Format::Csv, "拒绝导入", &headers, &rows, replace)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_carry_the_line_they_start_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        for eol in ["\n", "\r\n"] {
            let text = format!("\u{feff}外部编号,标题{eol}A1,一{eol}A2,\"两\n行\"{eol}A3,三{eol}");
            std::fs::write(&path, text).unwrap();
            let rows = read(&path, ImportFormat::Csv).unwrap();
            let lines: Vec<(u64, &str)> = rows.iter().map(|(l, r)| (*l, r.external_number.as_str())).collect();
            assert_eq!(lines, [(2, "A1"), (3, "A2"), (5, "A3")], "{eol:?}");
        }
        std::fs::write(&path, "外部编号,编号X\nA1,1\n").unwrap();
        let e = read(&path, ImportFormat::Csv).unwrap_err().to_string();
        assert!(e.contains("未知的列：编号X"), "{e}");
    }
}
