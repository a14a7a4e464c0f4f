//! What leaves the program on the command line (JSON and plain text):
//! search results, the due list, one case. Masked, sanitised, one shape for
//! both formats.

use serde::Serialize;

use crate::domain::mask;
use crate::store::search::{Hit, Results};
use crate::text;

#[derive(Debug, Serialize)]
pub struct SearchListing {
    pub petitioners: Vec<PetitionerRow>,
    pub cases: Vec<CaseRow>,
    /// More matches exist than were returned (the newest are shown).
    pub capped: bool,
}

#[derive(Debug, Serialize)]
pub struct PetitionerRow {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub case_count: i64,
    pub open_cases: i64,
    pub first_visit: String,
    pub last_visit: String,
    pub flags: Vec<String>,
    pub matched: String,
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub number: String,
    pub registered_at: String,
    pub status: String,
    pub petitioner: String,
    pub summary: String,
    pub matched: String,
}

const DAY: &str = "%Y-%m-%d";

impl From<&Results> for SearchListing {
    fn from(r: &Results) -> Self {
        let mut petitioners = Vec::new();
        let mut cases = Vec::new();
        for hit in &r.hits {
            match hit {
                Hit::Petitioner(p) => petitioners.push(PetitionerRow {
                    name: mask::name(&p.name),
                    id_number: p.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
                    phone: p.phone.as_deref().map(mask::phone).unwrap_or_default(),
                    case_count: p.case_count,
                    open_cases: p.open_cases,
                    first_visit: p.first_visit.map(|t| t.format(DAY).to_string()).unwrap_or_default(),
                    last_visit: p.last_visit.map(|t| t.format(DAY).to_string()).unwrap_or_default(),
                    flags: petitioner_flags(p),
                    matched: p.matched.label().into(),
                }),
                Hit::Case(c) => cases.push(CaseRow {
                    number: c.number.clone(),
                    registered_at: c.registered_at.format(DAY).to_string(),
                    status: c.status.label().into(),
                    petitioner: mask::name(&c.representative),
                    summary: text::sanitize_line(&c.summary).into_owned(),
                    matched: c.matched.label().into(),
                }),
            }
        }
        SearchListing { petitioners, cases, capped: r.capped }
    }
}

/// Badges of a petitioner: key-person kinds, early warnings, a history of threats.
pub fn petitioner_flags(p: &crate::store::search::PetitionerHit) -> Vec<String> {
    let mut flags: Vec<String> = p.key_person.iter().map(|k| format!("重点:{k}")).collect();
    flags.extend(p.warnings.iter().map(|w| w.badge()));
    let warned_threat = p.warnings.iter().any(|w| w.kind == crate::domain::warning::WarningKind::Threat);
    if p.threat_history && !warned_threat {
        flags.push("有扬言记录".into());
    }
    flags
}

impl SearchListing {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.petitioners.is_empty() && self.cases.is_empty() {
            out.push_str("没有找到。\n");
        }
        for p in &self.petitioners {
            out.push_str(&format!(
                "人  {} {} {} 共{}件(在办{}) {}至{} {}\n",
                text::pad(&p.name, 8),
                text::pad(&p.id_number, 18),
                text::pad(&p.phone, 13),
                p.case_count,
                p.open_cases,
                p.first_visit,
                p.last_visit,
                p.flags.join(" ")
            ));
        }
        for c in &self.cases {
            out.push_str(&format!(
                "件  {} {} {} {} {}\n",
                c.number,
                c.registered_at,
                text::pad(&c.status, 10),
                text::pad(&c.petitioner, 8),
                c.summary
            ));
        }
        if self.capped {
            out.push_str("（结果较多，仅列出最新的部分）\n");
        }
        out
    }
}

/// The due list (`xfdesk due`).
#[derive(Debug, Serialize)]
pub struct DueListing {
    pub today: String,
    pub groups: Vec<DueGroup>,
}

#[derive(Debug, Serialize)]
pub struct DueGroup {
    pub bucket: crate::domain::deadline::Bucket,
    pub label: String,
    pub items: Vec<DueRow>,
}

#[derive(Debug, Serialize)]
pub struct DueRow {
    pub number: String,
    pub clock: String,
    pub due: String,
    pub countdown: String,
    pub status: String,
    pub petitioner: String,
    pub title: String,
}

impl DueListing {
    pub fn new(
        groups: Vec<(crate::domain::deadline::Bucket, Vec<crate::store::deadlines::DueItem>)>,
        today: chrono::NaiveDate,
        soon_days: i64,
        cal: &crate::domain::calendar::HolidayCalendar,
    ) -> DueListing {
        use crate::domain::deadline::Countdown;
        let groups = groups
            .into_iter()
            .map(|(bucket, items)| DueGroup {
                bucket,
                label: bucket.label(soon_days),
                items: items
                    .into_iter()
                    .map(|i| DueRow {
                        number: i.number,
                        clock: format!(
                            "{}{}",
                            i.clock,
                            crate::domain::calendar::missing_year_mark(cal, i.due, i.due).unwrap_or_default()
                        ),
                        due: i.due.to_string(),
                        countdown: Countdown::of(i.due, today).label_for(i.rule),
                        status: i.status.label().into(),
                        petitioner: mask::name(&i.representative),
                        title: text::sanitize_line(&i.title).into_owned(),
                    })
                    .collect(),
            })
            .collect();
        DueListing { today: today.to_string(), groups }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for g in &self.groups {
            out.push_str(&format!("{}（{}件）\n", g.label, g.items.len()));
            for r in &g.items {
                out.push_str(&format!(
                    "  {} {} {} {} {} {} {}\n",
                    r.number,
                    text::pad(&r.clock, 8),
                    r.due,
                    text::pad(&r.countdown, 10),
                    text::pad(&r.status, 10),
                    text::pad(&r.petitioner, 8),
                    r.title
                ));
            }
        }
        out
    }
}

/// One case (`xfdesk case show`): 检举控告 and 保密 content is left out.
#[derive(Debug, Serialize)]
pub struct CaseReport {
    pub number: String,
    /// 查询码, as printed on the receipt.
    pub query_code: Option<String>,
    pub status: String,
    pub class: String,
    pub repeat_kind: String,
    pub linked_case: Option<String>,
    pub registered_at: String,
    pub clerk: String,
    pub form: String,
    pub people_count: u32,
    pub flags: Vec<String>,
    pub petitioners: Vec<PetitionerBrief>,
    pub category: String,
    pub purpose: String,
    pub place: String,
    pub title: String,
    pub content: String,
    pub demands: String,
    pub respondent: String,
    pub assignments: Vec<String>,
    pub external_refs: Vec<String>,
    pub deadlines: Vec<DeadlineRow>,
    pub trail: Vec<TrailRow>,
}

#[derive(Debug, Serialize)]
pub struct PetitionerBrief {
    pub name: String,
    pub id_number: String,
    pub phones: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DeadlineRow {
    pub rule: String,
    pub clock: String,
    pub from: String,
    pub due: String,
    pub state: String,
    pub explanation: String,
}

#[derive(Debug, Serialize)]
pub struct TrailRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub change: String,
    pub note: String,
}

/// 检举控告 and 保密 content never leaves through a report.
pub const RESTRICTED: &str = crate::domain::case::RESTRICTED_TITLE;

impl CaseReport {
    pub fn new(d: &crate::store::dossier::Dossier, today: chrono::NaiveDate) -> CaseReport {
        use crate::domain::deadline::Countdown;
        let c = &d.case;
        let restricted = c.content_is_restricted();
        let hide = |s: &str| if restricted { RESTRICTED.to_string() } else { text::sanitize_multiline(s).into_owned() };
        CaseReport {
            number: c.number.clone(),
            query_code: d.query_code.as_deref().map(crate::domain::query_code::printed),
            status: c.status.label().into(),
            class: c.class.label().into(),
            repeat_kind: c.repeat_kind.label().into(),
            linked_case: d.linked_number.clone(),
            registered_at: c.registered_at.format("%Y-%m-%d %H:%M").to_string(),
            clerk: c.clerk.clone(),
            form: d.form.clone(),
            people_count: c.people_count,
            flags: c.flags.labels().into_iter().map(String::from).collect(),
            petitioners: d
                .petitioners
                .iter()
                .map(|p| PetitionerBrief {
                    name: mask::name(&p.name),
                    id_number: p.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
                    phones: p
                        .phones
                        .iter()
                        .map(|ph| format!("{}（{}）", mask::phone(&ph.number), ph.owner.label()))
                        .collect(),
                })
                .collect(),
            category: d.category.clone(),
            purpose: d.purpose.clone(),
            place: format!("{} {}", d.street, text::sanitize_line(&c.problem_address)),
            title: hide(&c.title),
            content: hide(&c.content),
            demands: hide(&c.demands),
            respondent: hide(&c.respondent),
            assignments: d
                .assignments
                .iter()
                .map(|a| {
                    let due = a.due.as_deref().map(|d| format!("，期限{d}")).unwrap_or_default();
                    format!("{} {}{due}（{} {}）", a.kind, a.unit, &a.at[..10.min(a.at.len())], a.by)
                })
                .collect(),
            external_refs: c.external_refs.iter().map(|r| format!("{} {}", r.system, r.number)).collect(),
            deadlines: d
                .deadlines
                .iter()
                .map(|(s, why)| DeadlineRow {
                    rule: s.rule.code().into(),
                    clock: s.rule.label().into(),
                    from: s.base.to_string(),
                    due: s.due.to_string(),
                    state: match s.met_at {
                        Some(t) => format!("已完成（{}）", t.format("%Y-%m-%d")),
                        None => Countdown::of(s.due, today).label_for(s.rule),
                    },
                    explanation: why.explanation.join("；"),
                })
                .collect(),
            trail: d
                .events
                .iter()
                .map(|e| TrailRow {
                    at: e.at.format("%Y-%m-%d %H:%M").to_string(),
                    actor: e.actor.clone(),
                    action: e.action.clone(),
                    change: match (&e.old_value, &e.new_value) {
                        (Some(a), Some(b)) => format!("{a}→{b}"),
                        (None, Some(b)) => b.clone(),
                        _ => String::new(),
                    },
                    note: if restricted { String::new() } else { text::sanitize_line(&e.note).into_owned() },
                })
                .collect(),
        }
    }

    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let link = self.linked_case.as_deref().map(|n| format!("，关联 {n}")).unwrap_or_default();
        o.push_str(&format!("事项 {}  {}  {}  {}{link}\n", self.number, self.status, self.class, self.repeat_kind));
        if let Some(code) = &self.query_code {
            o.push_str(&format!("查询码 {code}\n"));
        }
        o.push_str(&format!("登记：{} {}  {}  {}人\n", self.registered_at, self.clerk, self.form, self.people_count));
        if !self.flags.is_empty() {
            o.push_str(&format!("标记：{}\n", self.flags.join("、")));
        }
        for p in &self.petitioners {
            o.push_str(&format!("信访人：{} {} {}\n", p.name, p.id_number, p.phones.join(" ")));
        }
        o.push_str(&format!("内容分类：{}  信访目的：{}  问题属地：{}\n", self.category, self.purpose, self.place));
        o.push_str(&format!(
            "标题：{}\n反映问题：{}\n诉求：{}\n被反映单位/人：{}\n",
            self.title, self.content, self.demands, self.respondent
        ));
        for a in &self.assignments {
            o.push_str(&format!("转送/交办：{a}\n"));
        }
        for r in &self.external_refs {
            o.push_str(&format!("外部编号：{r}\n"));
        }
        o.push_str("期限：\n");
        for d in &self.deadlines {
            o.push_str(&format!("  {} 自{} 至{} {}\n    {}\n", d.clock, d.from, d.due, d.state, d.explanation));
        }
        o.push_str("办理记录（最新在前）：\n");
        for t in &self.trail {
            o.push_str(&format!("  {} {} {} {} {}\n", t.at, t.actor, t.action, t.change, t.note));
        }
        o
    }
}

/// One row of `xfdesk reminders due`.
#[derive(Debug, Serialize)]
pub struct ReminderDueRow {
    pub number: String,
    pub status: String,
    pub unit: String,
    pub reasons: Vec<String>,
    pub last_call: String,
    pub promised: Option<String>,
    pub escalation: Option<String>,
}

impl From<&crate::store::reminders::DueCall> for ReminderDueRow {
    fn from(d: &crate::store::reminders::DueCall) -> Self {
        ReminderDueRow {
            number: d.number.clone(),
            status: d.status.label().into(),
            unit: d.unit.clone(),
            reasons: d.reasons.iter().map(|r| r.label()).collect(),
            last_call: d
                .last_call
                .as_ref()
                .map(|(at, r)| format!("{} {r}", at.format("%Y-%m-%d %H:%M")))
                .unwrap_or_default(),
            promised: d.promised.map(|p| p.to_string()),
            escalation: d.escalation.as_ref().map(|(e, why)| format!("{}：{why}", e.label())),
        }
    }
}

impl ReminderDueRow {
    /// The page's rows under the day's total.
    pub fn to_text(rows: &[ReminderDueRow], total: usize) -> String {
        let mut out = format!("今天该督促 {total} 件\n");
        for r in rows {
            out.push_str(&format!(
                "  {} {} {} {}",
                r.number,
                text::pad(&r.status, 10),
                text::pad(&r.unit, 20),
                r.reasons.join("；")
            ));
            if !r.last_call.is_empty() {
                out.push_str(&format!("（上次 {}）", r.last_call));
            }
            if let Some(e) = &r.escalation {
                out.push_str(&format!(" 建议{e}"));
            }
            out.push('\n');
        }
        out
    }
}

impl ReminderDueRow {
    /// Which rows of how many a page shows, and how to see the next ones.
    pub fn page_note(total: usize, from: usize, to: usize) -> String {
        match (to < total, from < to) {
            (_, false) => format!("共 {total} 件，本页没有事项"),
            (true, true) => format!("共 {total} 件，本页第 {} 至 {to} 件；下一页：--offset {to}", from + 1),
            (false, true) => format!("共 {total} 件，本页第 {} 至 {to} 件", from + 1),
        }
    }
}

/// Columns of the reminder export (domain.md §4.2).
pub const REMINDER_HEADERS: &[&str] = &[
    "督促编号",
    "信访件编号",
    "督促时间",
    "督促人",
    "督促方式",
    "被督促单位",
    "联系人",
    "职务",
    "联系电话",
    "通话结果",
    "督促内容",
    "对方答复/办理进展",
    "承诺办结时间",
    "逾期天数",
    "督促次数",
    "下次督促日期",
    "是否升级",
    "备注",
];

pub fn reminder_cells(r: &crate::store::reminders::Reminder) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.case_number.clone(),
        r.at.format("%Y-%m-%d %H:%M").to_string(),
        r.caller.clone(),
        r.method.clone(),
        r.unit.clone(),
        r.contact.clone(),
        r.contact_post.clone(),
        r.phone.clone(),
        r.result.clone(),
        r.asked.clone(),
        r.answer.clone(),
        r.committed.map(|d| d.to_string()).unwrap_or_default(),
        r.overdue_days.to_string(),
        format!("第{}次", r.seq),
        r.next.map(|d| d.to_string()).unwrap_or_default(),
        r.escalation.clone(),
        r.note.clone(),
    ]
}

/// One line of the 预警 list as it leaves the program (name masked).
#[derive(Debug, Serialize)]
pub struct WarningRow {
    pub subject: String,
    pub case: String,
    pub badges: String,
    pub reasons: String,
}

pub fn warning_rows(list: &[crate::store::warnings::WarningEntry]) -> Vec<WarningRow> {
    list.iter()
        .map(|e| WarningRow {
            subject: e.masked_subject(),
            case: match e.registered_on {
                Some(d) => format!("{} {d}", e.case_number),
                None => String::new(),
            },
            badges: crate::domain::warning::badges(&e.warnings),
            reasons: text::sanitize_line(&e.reasons()).into_owned(),
        })
        .collect()
}
