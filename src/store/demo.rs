//! The demo desk: `seeds/demo.toml` loaded into a separate database so a
//! newcomer sees living data at once. Dates in the file are relative to today.

use std::collections::HashMap;

use chrono::{Days, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use super::reference::ReferenceData;
use super::{Result, Store, StoreError, cases};
use crate::domain::access::Role;
use crate::domain::deadline;
use crate::domain::lifecycle::Satisfaction;
use crate::domain::{
    Case, CaseFlags, CaseStatus, ExternalRef, IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner,
    RepeatKind, id_card, phone,
};

pub const SEED: &str = include_str!("../../seeds/demo.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    petitioners: Vec<DemoPetitioner>,
    cases: Vec<DemoCase>,
    units_by_category: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPetitioner {
    key: String,
    name: String,
    id_number: String,
    /// `[number, owner, note]`
    phones: Vec<[String; 3]>,
    address: String,
    street: String,
    workplace: String,
    key_person: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCase {
    key: String,
    petitioners: Vec<String>,
    days_ago: u64,
    time: String,
    form: String,
    source: String,
    people: u32,
    category: String,
    purpose: String,
    street: String,
    address: String,
    title: String,
    content: String,
    demands: String,
    respondent: String,
    flags: Vec<String>,
    status: String,
    clerk: String,
    repeat_of: Option<String>,
    /// `[system, number]`
    external: Option<Vec<[String; 2]>>,
}

/// The demo desk's accounts (login, name, roles, password): for trying
/// xfdesk out only — the README lists them and the banner says 演示.
pub const DEMO_ACCOUNTS: [(&str, &str, &[Role], &str); 3] = [
    ("jiedai", "周敏", &[Role::Clerk], "jiedai-2026"),
    ("shenpi", "刘建华", &[Role::Approver], "shenpi-2026"),
    ("admin", "王磊", &[Role::Admin], "admin-2026"),
];

fn demo_accounts(store: &mut Store, now: NaiveDateTime) -> Result<()> {
    if !super::accounts::none_yet(store.conn())? {
        return Ok(());
    }
    let (login, name, roles, password) = DEMO_ACCOUNTS[2];
    let new =
        |login, name, roles, password| super::accounts::NewAccount { login, name, roles, password, must_change: false };
    let admin = super::accounts::create(store, &new(login, name, roles, password), None, now)?.actor();
    for (login, name, roles, password) in &DEMO_ACCOUNTS[..2] {
        super::accounts::create(store, &new(login, name, roles, password), Some(&admin), now)?;
    }
    Ok(())
}

/// Load the demo cases (and the demo accounts) unless the database already
/// holds cases. Returns the number of cases loaded.
pub fn load_if_empty(store: &mut Store, number_prefix: &str, now: NaiveDateTime) -> Result<usize> {
    demo_accounts(store, now)?;
    let has_cases: bool = store.conn().query_row("SELECT EXISTS (SELECT 1 FROM cases)", [], |r| r.get(0))?;
    if has_cases {
        return Ok(0);
    }
    let file: DemoFile = toml::from_str(SEED).map_err(|e| StoreError::Seed(format!("demo.toml: {e}")))?;
    let refs = ReferenceData::load(store.conn())?;
    let people = file
        .petitioners
        .iter()
        .map(|p| Ok((p.key.clone(), petitioner(p, &refs, now)?)))
        .collect::<Result<HashMap<_, _>>>()?;
    // Oldest first, so case numbers and links follow the order of events.
    let mut order: Vec<&DemoCase> = file.cases.iter().collect();
    order.sort_by_key(|c| std::cmp::Reverse(c.days_ago));
    store.write(|tx| {
        let cal = super::calendar::load(tx)?;
        let mut ids: HashMap<&str, i64> = HashMap::new();
        for (k, dc) in order.iter().enumerate() {
            let mut case = case(dc, &refs, now)?;
            case.linked_case_id = dc.repeat_of.as_deref().and_then(|k| ids.get(k).copied());
            let petitioners = dc
                .petitioners
                .iter()
                .map(|k| people.get(k).cloned().ok_or_else(|| StoreError::Seed(format!("未知信访人 {k}"))))
                .collect::<Result<Vec<_>>>()?;
            let reg = cases::Registration {
                petitioners,
                case: case.clone(),
                number_prefix: number_prefix.into(),
                same_person: Vec::new(),
            };
            let done = cases::register_in(tx, &reg)?;
            ids.insert(&dc.key, done.case_id);
            let path = case.status.path_from_registered();
            let step = (dc.days_ago / (path.len() as u64 + 1)).max(1);
            let at = |i: usize| (case.registered_at + Days::new(step * (i as u64 + 1))).min(now);
            for (i, to) in path.iter().enumerate() {
                cases::change_status(tx, done.case_id, *to, to.entry_action(), &dc.clerk, "", at(i))?;
                if matches!(to, CaseStatus::Forwarded | CaseStatus::Assigned) {
                    let top = case.category_code.as_deref().map(|c| refs.category_path(c)).unwrap_or_default();
                    let top = top.split('/').next().unwrap_or_default();
                    let unit = file.units_by_category.get(top).cloned().unwrap_or_else(|| {
                        if dc.street.ends_with('镇') { format!("{}人民政府", dc.street) } else { format!("{}办事处", dc.street) }
                    });
                    tx.execute(
                        "INSERT INTO assignments (case_id, kind, unit, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![done.case_id, assignment_kind(*to).code(), unit, super::timestamp(at(i)), dc.clerk],
                    )?;
                }
            }
            if !path.is_empty() {
                // The history is replayed: the registration clock closed at the
                // first step; the running clock is derived below from the trail.
                super::deadlines::meet_all(tx, done.case_id, at(0))?;
                history(tx, done.case_id, k, &dc.clerk, now, &cal)?;
            }
        }
        super::deadlines::backfill(tx, &cal)?;
        reception_day(tx, now)?;
        Ok(order.len())
    })
}

/// Follow-up answers of the concluded demo cases, in turn (`None`: not reached).
const RATINGS: [Option<(Satisfaction, Satisfaction)>; 6] = [
    Some((Satisfaction::Satisfied, Satisfaction::Satisfied)),
    Some((Satisfaction::Satisfied, Satisfaction::Basic)),
    None,
    Some((Satisfaction::Satisfied, Satisfaction::Satisfied)),
    Some((Satisfaction::Basic, Satisfaction::Unsatisfied)),
    Some((Satisfaction::Satisfied, Satisfaction::Satisfied)),
];

/// The clocks a replayed history met after registration, and the follow-up
/// of a concluded case, so the demo's metrics have something to count.
fn history(
    tx: &rusqlite::Transaction,
    case_id: i64,
    k: usize,
    clerk: &str,
    now: NaiveDateTime,
    cal: &crate::domain::calendar::HolidayCalendar,
) -> Result<()> {
    let trail = cases::events(tx, case_id)?;
    // The registration clock was met by the first step already.
    for c in deadline::met_clocks(&trail).iter().filter(|c| c.rule != deadline::Rule::Relay) {
        super::deadlines::insert_met(tx, case_id, c, cal)?;
    }
    let concluded = trail.iter().find(|e| e.action == "答复" || e.action == "办结");
    if let (Some(e), Some((bureau, unit))) = (concluded, RATINGS[k % RATINGS.len()]) {
        super::evaluations::record(tx, case_id, bureau, unit, clerk, (e.at + Days::new(3)).min(now))?;
    }
    Ok(())
}

/// Today's open-reception day, under way: the newest open cases have taken
/// numbers since 8:30; the first was seen, one is with the leader, one was
/// skipped, the rest wait (one with priority).
fn reception_day(tx: &rusqlite::Transaction, now: NaiveDateTime) -> Result<()> {
    use super::queue as q;
    use crate::domain::queue::{QueueRules, TicketMove};
    let (name, post, portfolio): (String, String, String) =
        tx.query_row("SELECT name, post, portfolio FROM leaders ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let day = q::NewReceptionDay {
        date: now.date(),
        time_slot: "上午 8:30-12:00".into(),
        place: "区信访局一楼接待大厅".into(),
        leader: name,
        leader_post: post,
        portfolio,
        units: "区住建局、区人社局、区自然资源局".into(),
        announcement: String::new(),
    };
    let start = now.date().and_hms_opt(8, 30, 0).expect("a valid time");
    let day_id = q::create_day_in(tx, &day, start.min(now))?;
    let cases: Vec<i64> = tx
        .prepare(
            "SELECT id FROM cases WHERE status NOT IN ('closed', 'registered') ORDER BY registered_at DESC LIMIT 7",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rules = QueueRules::default();
    let at = |minutes: i64| (start + chrono::Duration::minutes(minutes)).min(now);
    for (i, case_id) in cases.into_iter().enumerate() {
        let c = q::CheckIn {
            day_id,
            case_id,
            at: at(i as i64 * 6),
            booked_at: None,
            priority: (i == 5).then(|| q::Priority { reason: "年老".into(), granted_by: "李静".into() }),
            group_size: if i == 3 { 5 } else { 1 },
            clerk: "李静".into(),
        };
        q::check_in_in(tx, &c, &rules)?;
    }
    // Who is called is the queue's rule (the priority ticket first); then
    // the talk starts, ends, or the person is not there.
    // (call at, then, at): a Finish goes on with the ticket already called.
    let script = [
        (40, TicketMove::Start, 41),
        (41, TicketMove::Finish, 58),
        (60, TicketMove::Skip, 62),
        (63, TicketMove::Start, 64),
    ];
    let mut called = None;
    for (call_at, then, then_at) in script {
        if then != TicketMove::Finish {
            called = q::call_next_in(tx, day_id, "李静", at(call_at), &rules)?;
        }
        let Some(t) = &called else { break };
        q::apply_in(tx, t.id, then, "李静", at(then_at))?;
    }
    Ok(())
}

fn petitioner(p: &DemoPetitioner, refs: &ReferenceData, now: NaiveDateTime) -> Result<Petitioner> {
    let id = id_card::validate(&p.id_number, now.date())
        .map_err(|e| StoreError::Seed(format!("{} 的身份证号：{e}", p.name)))?;
    let phones = p
        .phones
        .iter()
        .map(|[number, owner, note]| {
            let ph = phone::normalize(number, "0391").map_err(|e| StoreError::Seed(format!("{}：{e}", p.name)))?;
            Ok(PetitionerPhone {
                number: ph.number,
                kind: ph.kind,
                owner: PhoneOwner::from_label(owner).unwrap_or(PhoneOwner::Other),
                note: note.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Petitioner {
        id: None,
        name: p.name.clone(),
        id_type: Some(IdType::ResidentId),
        id_number: Some(id.number),
        id_override_reason: None,
        sex: Some(id.sex),
        birth_date: Some(id.birth_date),
        phones,
        address: p.address.clone(),
        street_code: refs.street_by_name(&p.street).map(|s| s.code.clone()),
        workplace: p.workplace.clone(),
        key_person: p.key_person.iter().filter_map(|k| KeyPersonKind::from_label(k)).collect(),
    })
}

fn case(c: &DemoCase, refs: &ReferenceData, now: NaiveDateTime) -> Result<Case> {
    let bad = |what: &str, v: &str| StoreError::Seed(format!("{}: 未知{what} {v}", c.key));
    let time = NaiveTime::parse_from_str(&c.time, "%H:%M").map_err(|_| bad("时间", &c.time))?;
    let day = now.date() - Days::new(c.days_ago);
    let purpose = refs.purpose_by_name(&c.purpose).ok_or_else(|| bad("信访目的", &c.purpose))?;
    let flag = |label: &str| c.flags.iter().any(|f| f == label);
    Ok(Case {
        id: None,
        number: String::new(),
        registered_at: day.and_time(time).min(now),
        clerk: c.clerk.clone(),
        window: "1号窗口".into(),
        form_code: refs.form_by_name(&c.form).ok_or_else(|| bad("信访形式", &c.form))?.code.clone(),
        source: c.source.clone(),
        people_count: c.people,
        involved_count: None,
        category_code: Some(
            refs.category_by_name(&c.category).ok_or_else(|| bad("内容分类", &c.category))?.code.clone(),
        ),
        purpose_code: Some(purpose.code.clone()),
        class: purpose.class,
        problem_street_code: refs.street_by_name(&c.street).map(|s| s.code.clone()),
        problem_address: c.address.clone(),
        title: c.title.clone(),
        content: c.content.clone(),
        demands: c.demands.clone(),
        respondent: c.respondent.clone(),
        flags: CaseFlags {
            litigation: flag("涉法涉诉"),
            skip_level: flag("越级"),
            joint: flag("联名"),
            anonymous: flag("匿名"),
            threat: flag("扬言"),
            urgent: flag("重大紧急"),
            confidential: flag("保密"),
        },
        repeat_kind: if c.repeat_of.is_some() { RepeatKind::Repeat } else { RepeatKind::First },
        linked_case_id: None,
        status: CaseStatus::from_label(&c.status).ok_or_else(|| bad("状态", &c.status))?,
        external_refs: c
            .external
            .iter()
            .flatten()
            .map(|[system, number]| ExternalRef { system: system.clone(), number: number.clone() })
            .collect(),
        petitioner_ids: Vec::new(),
    })
}

fn assignment_kind(to: CaseStatus) -> crate::domain::lifecycle::AssignmentKind {
    use crate::domain::lifecycle::AssignmentKind;
    if to == CaseStatus::Forwarded { AssignmentKind::Forward } else { AssignmentKind::Assign }
}
