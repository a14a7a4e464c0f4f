//! `xfdesk person show`: one petitioner's record, cases and history, masked
//! as everywhere (a full number needs the TUI's reveal with a reason).

use serde::Serialize;

use super::{Context, emit, emit_json, open_reading};
use crate::domain::identity::{self, ProfileField};
use crate::domain::{id_card, mask};
use crate::store::{self, person_history::HistoryRow, person_merge, petitioners};

#[derive(Debug, Serialize)]
struct PersonReport {
    /// 档案号: what `person merge` takes.
    record: i64,
    name: String,
    id_number: String,
    phones: Vec<String>,
    address: String,
    street: String,
    workplace: String,
    key_person: Vec<String>,
    /// The numbers of the person's cases, newest first.
    cases: Vec<String>,
    history: Vec<HistoryRow>,
}

impl PersonReport {
    fn to_text(&self) -> String {
        let mut out = format!("档案 {}：{}  证件：{}\n", self.record, self.name, self.id_number);
        out.push_str(&format!("电话：{}\n", self.phones.join("  ")));
        out.push_str(&format!("住址：{}  街道：{}  工作单位：{}\n", self.address, self.street, self.workplace));
        if !self.key_person.is_empty() {
            out.push_str(&format!("重点人员：{}\n", self.key_person.join("、")));
        }
        out.push_str(&format!("事项（{}件）：{}\n", self.cases.len(), self.cases.join(" ")));
        out.push_str(&format!("档案变更记录（{}条）：\n", self.history.len()));
        for h in &self.history {
            out.push_str(&format!("  {}\n", h.line()));
        }
        out
    }
}

pub fn show(ctx: &Context, id_number: &str, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let conn = store.conn();
    let id = find(conn, id_number)?;
    let p = petitioners::get(conn, id)?.ok_or_else(|| anyhow::anyhow!("信访人档案 {id} 已不存在"))?;
    let refs = store::reference::ReferenceData::load(conn)?;
    let report = PersonReport {
        record: id,
        name: p.name.clone(),
        id_number: p.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
        phones: p.phones.iter().map(|ph| format!("{}（{}）", mask::phone(&ph.number), ph.owner.label())).collect(),
        address: p.address.clone(),
        street: p.street_code.as_deref().and_then(|c| refs.street(c)).map(|s| s.name.clone()).unwrap_or_default(),
        workplace: p.workplace.clone(),
        key_person: p.key_person.iter().map(|k| k.label().to_string()).collect(),
        cases: store::cases::of_petitioner(conn, id)?.into_iter().map(|c| c.number).collect(),
        history: store::person_history::of(conn, id)?,
    };
    if json { emit_json(&report) } else { emit(&report.to_text()) }
}

/// A record by 档案号 or by ID number (a merged record resolves to the one kept).
fn find(conn: &rusqlite::Connection, what: &str) -> anyhow::Result<i64> {
    petitioners::find_record(conn, what)?.ok_or_else(|| {
        anyhow::anyhow!("没有证件号为 {} 的信访人（也没有这个档案号）", mask::id_number(&id_card::normalize(what)))
    })
}

pub fn merge(ctx: &Context, keep: &str, other: &str, take: &[String], reason: &str) -> anyhow::Result<()> {
    let mut store = super::open_store(ctx)?;
    let (keep, other) = (find(store.conn(), keep)?, find(store.conn(), other)?);
    let take = take
        .iter()
        .map(|t| {
            ProfileField::from_label(t.trim())
                .filter(|f| identity::SCALAR_FIELDS.contains(f))
                .ok_or_else(|| anyhow::anyhow!("--take 中的「{}」不是可取用的字段", crate::text::sanitize_line(t)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let m = person_merge::Merge { keep, other, take, reason: reason.to_string() };
    person_merge::merge(&mut store, &m, &ctx.operator, ctx.now(), ctx.today())?;
    emit(&format!("已将档案 {other} 并入档案 {keep}\n"))
}
