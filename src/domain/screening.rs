//! 每周排查上报 (domain.md §5.3): the weekly report of key persons (Table A)
//! and key groups / disputes (Table B), each row built from the case data
//! plus what staff keep by hand. Pure: the store fills these types; the
//! screen and the exports read the same rows.

use chrono::NaiveDate;
use serde::Serialize;

use super::CaseStatus;
use super::KeyPersonKind;
use super::warning::{Warning, WarningKind};

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    RiskLevel { High = "high" => "高", Medium = "medium" => "中", Low = "low" => "低" }
);
coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    DisputeState { Resolving = "resolving" => "化解中", Controlled = "controlled" => "稳控中", Resolved = "resolved" => "已化解" }
);
coded!(
    /// 最近一次信访去向: the level the person last went to (Table A).
    #[derive(serde::Serialize, serde::Deserialize)]
    Destination { District = "district" => "区", City = "city" => "市", Province = "province" => "省", Capital = "capital" => "京" }
);

/// 信访事项程序状态 as the report names it.
pub fn procedure_state(status: CaseStatus, litigation: bool) -> &'static str {
    use CaseStatus::*;
    match status {
        _ if litigation => "涉法涉诉",
        ChannelledToLegal => "涉法涉诉",
        UnderReview | ReviewReplied => "复查",
        UnderRecheck => "复核",
        Concluded | NoLongerAccepted => "终结",
        Replied | Closed | Informed | NotAccepted => "已办结",
        _ => "在办",
    }
}

/// 人员类别 of a key person: the hand-set flags and what the rules found.
pub fn person_categories(flags: &[KeyPersonKind], warnings: &[Warning]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut add = |s: &'static str| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for w in warnings {
        match w.kind {
            WarningKind::LongTerm => add("长期访(≥2年)"),
            WarningKind::Threat => add("扬言极端"),
            WarningKind::SkipLevel => add("越级进京访"),
            _ => {}
        }
    }
    for f in flags {
        add(match f {
            KeyPersonKind::LongTerm => "长期访(≥2年)",
            KeyPersonKind::ThreatenedExtreme => "扬言极端",
            KeyPersonKind::Violent => "暴力倾向",
            KeyPersonKind::SkipLevel => "越级进京访",
            KeyPersonKind::Disruptive | KeyPersonKind::AfterConclusion => "其他",
        });
    }
    out
}

/// The risk level when nobody has set one: threats and violence are high,
/// skip-level and repeat visitors medium, the rest low.
pub fn default_risk(categories: &[&str], warnings: &[Warning]) -> RiskLevel {
    if categories.iter().any(|c| *c == "扬言极端" || *c == "暴力倾向") {
        RiskLevel::High
    } else if categories.contains(&"越级进京访") || warnings.iter().any(|w| w.kind == WarningKind::Repeat) {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    }
}

/// What staff keep by hand about a key person (Table A).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PersonWatch {
    /// 户籍地: its own field, not the address.
    pub household: String,
    /// 最近一次信访去向 as staff know it (`None`: this district, as recorded here).
    pub destination: Option<Destination>,
    pub risk: Option<RiskLevel>,
    pub situation: String,
    pub measures: String,
    pub keeper: String,
    pub keeper_phone: String,
    pub leader: String,
    pub unit: String,
    pub resolve_by: Option<NaiveDate>,
    pub progress: String,
    pub resolved_on: Option<NaiveDate>,
    pub note: String,
    /// The day the person was first put under control (first edit).
    pub since: Option<NaiveDate>,
}

/// What staff keep by hand about a matter (Table B).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DisputeWatch {
    pub group: String,
    pub name: String,
    pub measures: String,
    pub difficulties: String,
    pub risk: String,
    pub leader: String,
    pub lead_unit: String,
    pub co_units: String,
    pub keeper: String,
    pub resolve_by: Option<NaiveDate>,
    pub progress: String,
    pub state: Option<DisputeState>,
    pub resolved_on: Option<NaiveDate>,
    pub since: Option<NaiveDate>,
}

/// One row of Table A.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRow {
    pub petitioner_id: i64,
    /// The person's latest case up to the week's end (opened with `o`).
    pub latest_case: Option<i64>,
    pub name: String,
    pub sex: String,
    /// Masked unless the report was asked for unmasked.
    pub id_number: String,
    pub phone: String,
    pub household: String,
    pub address: String,
    pub street: String,
    pub categories: Vec<&'static str>,
    pub demand: String,
    pub first_visit: Option<NaiveDate>,
    pub visits: u32,
    pub last_visit: Option<NaiveDate>,
    pub destination: Destination,
    pub procedure: &'static str,
    pub risk: RiskLevel,
    pub situation: String,
    pub leader: String,
    pub unit: String,
    pub keeper: String,
    pub measures: String,
    pub resolve_by: Option<NaiveDate>,
    pub progress: String,
    pub resolved: bool,
    pub note: String,
    /// First reported this week.
    pub new: bool,
    pub warnings: Vec<Warning>,
}

/// One row of Table B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputeRow {
    /// The matter's first case.
    pub case_id: i64,
    pub case_number: String,
    pub involved: u32,
    pub representative: String,
    pub origin: String,
    pub new: bool,
    /// The columns staff keep by hand, blanks filled from the data where it
    /// has something to say (group, name, risk, owners, this week's visits).
    pub shown: DisputeWatch,
}

impl DisputeRow {
    pub fn state(&self) -> DisputeState {
        self.shown.state.unwrap_or(DisputeState::Resolving)
    }
}

/// The week's figures under the tables.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WeekFigures {
    pub group_batches: u32,
    pub group_people: u32,
    pub skip_level: u32,
    pub threats: u32,
    pub concluded: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReport {
    pub office: String,
    pub week_start: NaiveDate,
    pub week_ending: NaiveDate,
    pub filled_by: String,
    pub reviewer: String,
    pub new_count: u32,
    pub resolved_count: u32,
    pub in_control: u32,
    /// Nothing new this week: the report says so (零报告) and is still sent.
    pub zero_report: bool,
    pub figures: WeekFigures,
    pub persons: Vec<PersonRow>,
    pub disputes: Vec<DisputeRow>,
    /// Whether IDs and phones are shown in full.
    pub unmasked: bool,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub const PERSON_HEADERS: [&str; 22] = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "户籍地/现居住地",
    "所属街道(镇)",
    "人员类别",
    "主要诉求",
    "首次信访时间",
    "累计信访次数",
    "最近一次信访时间、去向",
    "信访事项程序状态",
    "风险等级",
    "本周动态",
    "包案领导",
    "责任单位",
    "稳控责任人(电话)",
    "化解稳控措施",
    "化解时限/进展",
    "是否化解(息访)",
    "备注",
];

pub const DISPUTE_HEADERS: [&str; 19] = [
    "序号",
    "排查日期",
    "排查单位/人员",
    "群体类别",
    "事项名称",
    "涉及人数",
    "牵头人/代表",
    "问题由来及主要诉求",
    "已采取措施",
    "存在困难",
    "风险研判",
    "包案领导",
    "牵头单位",
    "配合单位",
    "责任人",
    "化解时限",
    "本周进展",
    "状态",
    "事项编号",
];

impl WeeklyReport {
    /// Table A as text cells, in [`PERSON_HEADERS`] order.
    pub fn person_cells(&self) -> Vec<Vec<String>> {
        self.persons
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let progress = match (p.resolve_by, p.progress.is_empty()) {
                    (Some(d), false) => format!("{d}；{}", p.progress),
                    (Some(d), true) => d.to_string(),
                    (None, _) => p.progress.clone(),
                };
                vec![
                    (i + 1).to_string(),
                    p.name.clone(),
                    p.sex.clone(),
                    p.id_number.clone(),
                    p.phone.clone(),
                    match p.household.is_empty() {
                        true => p.address.clone(),
                        false => format!("{}/{}", p.household, p.address),
                    },
                    p.street.clone(),
                    p.categories.join("、"),
                    p.demand.clone(),
                    date(p.first_visit),
                    p.visits.to_string(),
                    p.last_visit.map(|d| format!("{d}、{}", p.destination.label())).unwrap_or_default(),
                    p.procedure.into(),
                    p.risk.label().into(),
                    p.situation.clone(),
                    p.leader.clone(),
                    p.unit.clone(),
                    p.keeper.clone(),
                    p.measures.clone(),
                    progress,
                    if p.resolved { "是" } else { "否" }.into(),
                    p.note.clone(),
                ]
            })
            .collect()
    }

    /// Table B as text cells, in [`DISPUTE_HEADERS`] order.
    pub fn dispute_cells(&self) -> Vec<Vec<String>> {
        self.disputes
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let d = &row.shown;
                vec![
                    (i + 1).to_string(),
                    self.week_ending.to_string(),
                    format!("{}/{}", self.office, self.filled_by),
                    d.group.clone(),
                    d.name.clone(),
                    row.involved.to_string(),
                    row.representative.clone(),
                    row.origin.clone(),
                    d.measures.clone(),
                    d.difficulties.clone(),
                    d.risk.clone(),
                    d.leader.clone(),
                    d.lead_unit.clone(),
                    d.co_units.clone(),
                    d.keeper.clone(),
                    date(d.resolve_by),
                    d.progress.clone(),
                    row.state().label().into(),
                    row.case_number.clone(),
                ]
            })
            .collect()
    }

    /// The header lines (报送单位 … 零报告) as label/value pairs.
    pub fn header(&self) -> Vec<(&'static str, String)> {
        vec![
            ("报送单位", self.office.clone()),
            ("报送日期", self.week_ending.to_string()),
            ("排查周期", format!("{} 至 {}", self.week_start, self.week_ending)),
            ("填报人", self.filled_by.clone()),
            ("审核领导", self.reviewer.clone()),
            ("本周新增", self.new_count.to_string()),
            ("本周化解", self.resolved_count.to_string()),
            ("在控", self.in_control.to_string()),
            ("零报告", if self.zero_report { "是（本周无新增重点人员和矛盾纠纷）" } else { "否" }.into()),
        ]
    }

    /// The week's figures as label/value pairs.
    pub fn figure_cells(&self) -> Vec<(&'static str, String)> {
        let f = &self.figures;
        vec![
            ("新增集体访批次", f.group_batches.to_string()),
            ("新增集体访人数", f.group_people.to_string()),
            ("越级访件数", f.skip_level.to_string()),
            ("扬言件数", f.threats.to_string()),
            ("本周办结件数", f.concluded.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(kind: WarningKind) -> Warning {
        Warning { kind, detail: String::new(), reason: String::new() }
    }

    #[test]
    fn categories_from_rules_and_flags_each_once() {
        let cats = person_categories(
            &[KeyPersonKind::ThreatenedExtreme, KeyPersonKind::Violent, KeyPersonKind::Disruptive],
            &[w(WarningKind::Threat), w(WarningKind::LongTerm), w(WarningKind::Repeat)],
        );
        assert_eq!(cats, ["扬言极端", "长期访(≥2年)", "暴力倾向", "其他"]);
        assert!(person_categories(&[], &[w(WarningKind::Repeat), w(WarningKind::Group)]).is_empty());
    }

    #[test]
    fn default_risk_levels() {
        assert_eq!(default_risk(&["暴力倾向"], &[]), RiskLevel::High);
        assert_eq!(default_risk(&["越级进京访"], &[]), RiskLevel::Medium);
        assert_eq!(default_risk(&["长期访(≥2年)"], &[w(WarningKind::Repeat)]), RiskLevel::Medium);
        assert_eq!(default_risk(&["长期访(≥2年)"], &[]), RiskLevel::Low);
    }

    #[test]
    fn procedure_states() {
        assert_eq!(procedure_state(CaseStatus::InProgress, false), "在办");
        assert_eq!(procedure_state(CaseStatus::InProgress, true), "涉法涉诉");
        assert_eq!(procedure_state(CaseStatus::UnderRecheck, false), "复核");
        assert_eq!(procedure_state(CaseStatus::Concluded, false), "终结");
        assert_eq!(procedure_state(CaseStatus::Closed, false), "已办结");
    }
}
