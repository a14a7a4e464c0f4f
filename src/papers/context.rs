//! The fields a template may print, built from what the store holds about
//! the case. Every section and key is always there (a template that names
//! one that is not is a template error); what this case lacks, or what this
//! account may not print, is a gap (`template::missing`/`withheld`). Every
//! value is cleaned of control characters and escapes first.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use minijinja::value::Value;

use super::template::{missing, withheld};
use crate::domain::document::{Addressee, DocumentKind};
use crate::domain::event_kind::EventKind;
use crate::domain::{CaseEvent, mask, query_code};
use crate::store::documents::CaseFacts;

/// Who issues, when, and what the account may print.
#[derive(Debug, Clone)]
pub struct Issuer<'a> {
    pub number: &'a str,
    pub date: NaiveDate,
    pub office: &'a str,
    pub office_phone: &'a str,
    pub clerk: &'a str,
    pub replaces: Option<&'a str>,
    /// The account holds 查看完整证件号 (a unit's paper may then print the full ID).
    pub may_reveal_identity: bool,
    /// The account holds 查看检举控告、保密内容.
    pub may_open_restricted: bool,
}

/// `2026年12月1日`: the date in Arabic numerals (GB/T 9704-2012 7.3.5.1).
pub fn cn_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

type Map = BTreeMap<&'static str, Value>;

/// A stored text, cleaned; a gap named `field` when empty.
fn text(s: &str, field: &str) -> Value {
    let clean = crate::text::sanitize_line(s.trim());
    if clean.trim().is_empty() { missing(field) } else { Value::from(clean.trim().to_string()) }
}

fn date(d: Option<NaiveDate>, field: &str) -> Value {
    d.map_or_else(|| missing(field), |d| Value::from(cn_date(d)))
}

pub fn build(kind: DocumentKind, f: &CaseFacts, who: &Issuer) -> Value {
    let mut top = Map::new();
    top.insert("title", Value::from(kind.label()));
    top.insert("number", Value::from(who.number));
    top.insert("article", Value::from(kind.article()));
    top.insert("date", Value::from(cn_date(who.date)));
    top.insert("office", text(who.office, "本局名称"));
    top.insert("office_phone", text(who.office_phone, "本局联系电话"));
    top.insert("clerk", text(who.clerk, "经办人"));
    top.insert("replaces", who.replaces.map_or(Value::from(()), Value::from));
    top.insert("case", Value::from(case_section(f, who)));
    top.insert("petitioner", Value::from(petitioner_section(kind, f, who)));
    top.insert("decision", Value::from(decision_section(kind, f)));
    top.insert("unit", Value::from(unit_section(f)));
    top.insert("instruction", Value::from(instruction_section(f)));
    top.insert("supervision", Value::from(supervision_section(f)));
    top.insert("clock", Value::from(clock_section(f)));
    Value::from(top)
}

fn case_section(f: &CaseFacts, who: &Issuer) -> Map {
    let d = &f.dossier;
    let c = &d.case;
    let content = match c.content_is_restricted() && !who.may_open_restricted {
        true => withheld("反映问题", "检举控告或保密事项的内容，须由有查看权限的人员出具"),
        false => Value::from(crate::text::sanitize_multiline(c.content.trim()).replace('\n', " ")),
    };
    let mut m = Map::new();
    m.insert("number", Value::from(c.number.clone()));
    m.insert(
        "query_code",
        f.query_code.as_deref().map_or_else(|| missing("查询码"), |q| query_code::printed(q).into()),
    );
    m.insert("registered", Value::from(cn_date(c.registered_at.date())));
    m.insert("form", text(&d.form, "信访形式"));
    m.insert("class", Value::from(c.class.label()));
    m.insert("category", text(&d.category, "内容分类"));
    m.insert("title", text(crate::domain::case::listed_title(c.class, c.flags.confidential, &c.title), "标题"));
    m.insert("content", content);
    m.insert("demands", text(&c.demands, "诉求"));
    m.insert("respondent", text(&c.respondent, "被反映单位或个人"));
    m.insert("address", text(&c.problem_address, "问题属地"));
    m.insert("street", text(&d.street, "所属街道"));
    m.insert("people_count", Value::from(c.people_count));
    m.insert("status", Value::from(c.status.label()));
    m
}

fn petitioner_section(kind: DocumentKind, f: &CaseFacts, who: &Issuer) -> Map {
    let mut m = Map::new();
    let Some(p) = f.dossier.petitioners.first() else {
        for key in ["name", "id_number", "id_number_full", "phone", "phone_full", "address"] {
            m.insert(key, missing("信访人"));
        }
        m.insert("others", Value::from(0));
        return m;
    };
    // The petitioner's own paper carries their own numbers; a unit's paper
    // the masked ones, unless the template asks and the account may.
    let full_allowed = kind.addressee() == Addressee::Petitioner || who.may_reveal_identity;
    let denied = |field: &str| withheld(field, "发给责任单位的文书只印脱敏号码，完整号码须由有查看权限的人员出具");
    let id = p.id_number.as_deref().unwrap_or_default();
    let phone = p.own_phones().next().map(|ph| ph.number.as_str()).unwrap_or_default();
    let full = |value: &str, field: &str| match (value.is_empty(), full_allowed) {
        (true, _) => missing(field),
        (false, true) => text(value, field),
        (false, false) => denied(field),
    };
    m.insert("name", text(&p.name, "信访人姓名"));
    m.insert("id_number", if id.is_empty() { missing("证件号码") } else { Value::from(mask::id_number(id)) });
    m.insert("id_number_full", full(id, "证件号码"));
    m.insert("phone", if phone.is_empty() { missing("联系电话") } else { Value::from(mask::phone(phone)) });
    m.insert("phone_full", full(phone, "联系电话"));
    m.insert("address", text(&p.address, "信访人的通信地址"));
    m.insert("others", Value::from(f.dossier.petitioners.len().saturating_sub(1)));
    m
}

/// The newest event of `kind` in the trail (the dossier holds it newest first).
fn latest(events: &[CaseEvent], kind: EventKind) -> Option<&CaseEvent> {
    events.iter().find(|e| EventKind::of_label(&e.action) == kind)
}

fn decision_section(kind: DocumentKind, f: &CaseFacts) -> Map {
    let events = &f.dossier.events;
    let event_kind = match kind {
        DocumentKind::AcceptNotice => Some(EventKind::Accept),
        DocumentKind::NotAcceptNotice => Some(EventKind::NotAccept),
        DocumentKind::NoLongerNotice => Some(EventKind::NoLongerAccept),
        DocumentKind::LegalRouteNotice => Some(EventKind::ChannelToLegal),
        DocumentKind::ExtensionNotice => Some(EventKind::Extend),
        _ => None,
    };
    let event = event_kind.and_then(|k| latest(events, k));
    let note = event.map(|e| e.note.as_str()).unwrap_or_default();
    let after = |prefix: &str| note.strip_prefix(prefix).unwrap_or_default();
    let mut m = Map::new();
    m.insert("on", date(event.map(|e| e.at.date()), "决定日期"));
    m.insert("reason", text(after("理由："), "决定理由"));
    m.insert("route", text(after("导入："), "导入的法定程序"));
    let extended = f.dossier.deadlines.iter().rev().map(|(d, _)| d).find(|d| d.extension_days > 0);
    m.insert("days", extended.map_or_else(|| missing("延长天数"), |d| Value::from(d.extension_days)));
    m.insert("new_due", date(extended.map(|d| d.due), "延长后的办结日期"));
    m
}

fn unit_section(f: &CaseFacts) -> Map {
    let latest = f.dossier.assignments.last();
    let mut m = Map::new();
    m.insert("name", text(f.unit.as_deref().unwrap_or_default(), "收件单位"));
    m.insert("kind", text(latest.map(|a| a.kind.as_str()).unwrap_or_default(), "转交方式"));
    // The deadline the leader or the 交办 set; without one, the statutory clock running.
    let running = running(f).map(|d| d.due);
    let due = f
        .session
        .as_ref()
        .and_then(|s| s.due)
        .or_else(|| latest.and_then(|a| a.due.as_deref()).and_then(|d| d.parse().ok()))
        .or(running);
    m.insert("due", date(due, "交办的办理期限"));
    m.insert("sent", date(latest.and_then(|a| crate::store::day(Some(a.at.clone()))), "转交日期"));
    m
}

fn instruction_section(f: &CaseFacts) -> Map {
    let s = f.session.as_ref();
    let mut m = Map::new();
    m.insert("leader", text(s.map(|s| s.leader.as_str()).unwrap_or_default(), "接访领导"));
    m.insert("text", text(s.map(|s| s.instruction.as_str()).unwrap_or_default(), "领导批示"));
    m.insert("unit", text(s.map(|s| s.unit.as_str()).unwrap_or_default(), "批示的责任单位"));
    m.insert("contact", text(s.map(|s| s.contact.as_str()).unwrap_or_default(), "责任单位联系人"));
    m.insert("due", date(s.and_then(|s| s.due), "批示的办理期限"));
    m.insert("date", date(s.map(|s| s.on), "接访日期"));
    m.insert("owner", text(f.owner.as_deref().unwrap_or_default(), "包案领导"));
    m
}

fn supervision_section(f: &CaseFacts) -> Map {
    let mut m = Map::new();
    m.insert("reason", text(f.paper.escalation.as_deref().unwrap_or_default(), "督办理由"));
    m.insert("calls", Value::from(f.calls));
    m
}

/// The case's clock still running, if any.
fn running(f: &CaseFacts) -> Option<&crate::store::deadlines::StoredDeadline> {
    f.dossier.deadlines.iter().map(|(d, _)| d).find(|d| d.met_at.is_none())
}

fn clock_section(f: &CaseFacts) -> Map {
    let running = running(f);
    let mut m = Map::new();
    m.insert("due", date(running.map(|d| d.due), "期限"));
    m.insert("rule", text(running.map(|d| d.rule.label()).unwrap_or_default(), "期限种类"));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_arabic_numerals_without_leading_zeros() {
        assert_eq!(cn_date("2026-12-01".parse().unwrap()), "2026年12月1日");
        assert_eq!(cn_date("2027-01-09".parse().unwrap()), "2027年1月9日");
    }
}
