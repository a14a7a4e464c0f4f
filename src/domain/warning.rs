//! 研判预警: the early-warning rules. Each rule looks at facts the store
//! gathered (a person's history, one case, a count series) and, when it
//! fires, says why in words a clerk can check. Every threshold is config.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    WarningKind {
    Repeat = "repeat" => "重复访",
    Group = "group" => "集体访",
    SkipLevel = "skip_level" => "越级",
    Threat = "threat" => "扬言",
    KeyGroup = "key_group" => "重点群体",
    LongTerm = "long_term" => "长期访",
    Spike = "spike" => "异常增多",
}
);

impl WarningKind {
    /// Most pressing first: the order badges and the 预警 list use.
    pub fn rank(self) -> u8 {
        match self {
            WarningKind::Threat => 0,
            WarningKind::Group => 1,
            WarningKind::SkipLevel => 2,
            WarningKind::Spike => 3,
            WarningKind::KeyGroup => 4,
            WarningKind::LongTerm => 5,
            WarningKind::Repeat => 6,
        }
    }
}

/// The thresholds (config `[warnings]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WarningRules {
    /// 重复访: at least this many cases …
    pub repeat_cases: u32,
    /// … registered within this many days.
    pub repeat_days: u32,
    /// 集体访: this many people or more.
    pub group_size: u32,
    /// 长期访: first visit at least this many years ago …
    pub long_term_years: u32,
    /// … and a visit within this many days (still petitioning).
    pub long_term_active_days: u32,
    /// 异常增多: this week's count above `spike_factor` × the average of the
    /// previous `spike_weeks` weeks …
    pub spike_factor: f64,
    pub spike_weeks: u32,
    /// … and at least this many this week (three cases are never a spike).
    pub spike_min: u32,
    /// The 预警 list covers people who came within this many days.
    pub list_days: u32,
}

impl Default for WarningRules {
    fn default() -> Self {
        WarningRules {
            repeat_cases: 3,
            repeat_days: 90,
            group_size: 5,
            long_term_years: 2,
            long_term_active_days: 365,
            spike_factor: 2.0,
            spike_weeks: 8,
            spike_min: 5,
            list_days: 7,
        }
    }
}

/// One rule that fired, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// For 重点群体: the group (问题楼盘 …); the badge shows it.
    pub detail: String,
    pub reason: String,
}

impl Warning {
    fn new(kind: WarningKind, detail: impl Into<String>, reason: String) -> Warning {
        Warning { kind, detail: detail.into(), reason }
    }

    /// The short mark shown beside a name or case ("扬言", "群体:问题楼盘").
    pub fn badge(&self) -> String {
        match self.kind {
            WarningKind::KeyGroup if !self.detail.is_empty() => format!("群体:{}", self.detail),
            k => k.label().to_string(),
        }
    }
}

/// What a person's cases say, gathered in one query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonHistory {
    pub total_cases: u32,
    /// Cases registered in the last `repeat_days` days.
    pub recent_cases: u32,
    pub first_visit: Option<NaiveDate>,
    pub last_visit: Option<NaiveDate>,
    pub skip_level_cases: u32,
    pub threat_cases: u32,
    /// Key groups of the person's cases' categories, each once.
    pub key_groups: Vec<String>,
}

/// The person rules: 重复访, 越级 and 扬言 history, 长期访, 重点群体.
pub fn assess_person(h: &PersonHistory, today: NaiveDate, rules: &WarningRules) -> Vec<Warning> {
    let mut out = Vec::new();
    if rules.repeat_cases > 0 && h.recent_cases >= rules.repeat_cases {
        out.push(Warning::new(
            WarningKind::Repeat,
            "",
            format!("近{}天信访{}次（阈值{}次）", rules.repeat_days, h.recent_cases, rules.repeat_cases),
        ));
    }
    if h.threat_cases > 0 {
        out.push(Warning::new(WarningKind::Threat, "", format!("有扬言记录（{}件事项）", h.threat_cases)));
    }
    if h.skip_level_cases > 0 {
        out.push(Warning::new(WarningKind::SkipLevel, "", format!("有越级访记录（{}件事项）", h.skip_level_cases)));
    }
    if let Some(w) = long_term(h, today, rules) {
        out.push(w);
    }
    for g in &h.key_groups {
        out.push(Warning::new(WarningKind::KeyGroup, g.clone(), format!("事项属重点群体「{g}」")));
    }
    sorted(out)
}

fn long_term(h: &PersonHistory, today: NaiveDate, rules: &WarningRules) -> Option<Warning> {
    let (first, last) = (h.first_visit?, h.last_visit?);
    let since = today.checked_sub_months(Months::new(12 * rules.long_term_years))?;
    let active = (today - last).num_days() <= i64::from(rules.long_term_active_days);
    (first <= since && active).then(|| {
        Warning::new(
            WarningKind::LongTerm,
            "",
            format!("首次信访{first}，已逾{}年，最近一次{last}仍在信访", rules.long_term_years),
        )
    })
}

/// What one case says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFacts {
    pub people_count: u32,
    pub skip_level: bool,
    pub threat: bool,
    pub key_group: Option<String>,
}

/// The case rules: 集体访, 越级, 扬言, 重点群体.
pub fn assess_case(c: &CaseFacts, rules: &WarningRules) -> Vec<Warning> {
    let mut out = Vec::new();
    if c.people_count >= rules.group_size {
        out.push(Warning::new(
            WarningKind::Group,
            "",
            format!("来访{}人（{}人以上为集体访）", c.people_count, rules.group_size),
        ));
    }
    if c.threat {
        out.push(Warning::new(WarningKind::Threat, "", "登记时记录扬言".into()));
    }
    if c.skip_level {
        out.push(Warning::new(WarningKind::SkipLevel, "", "本次为越级访".into()));
    }
    if let Some(g) = &c.key_group {
        out.push(Warning::new(WarningKind::KeyGroup, g.clone(), format!("事项属重点群体「{g}」")));
    }
    sorted(out)
}

/// One street's or category's weekly counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CountSeries {
    /// "街道：东风街道" or "类别：问题楼盘/房地产".
    pub label: String,
    pub this_week: u32,
    /// The previous weeks, oldest first (`spike_weeks` of them).
    pub previous: Vec<u32>,
}

/// 异常增多: this week well above the previous weeks' average.
pub fn spike(s: &CountSeries, rules: &WarningRules) -> Option<Warning> {
    if s.this_week < rules.spike_min || s.previous.is_empty() {
        return None;
    }
    let average = f64::from(s.previous.iter().sum::<u32>()) / s.previous.len() as f64;
    (f64::from(s.this_week) > rules.spike_factor * average).then(|| {
        Warning::new(
            WarningKind::Spike,
            s.label.clone(),
            format!(
                "{}本周{}件，前{}周平均{:.1}件（超过{}倍）",
                s.label,
                s.this_week,
                s.previous.len(),
                average,
                rules.spike_factor
            ),
        )
    })
}

/// Most pressing first, then by what they say (stable for snapshots).
pub fn sorted(mut w: Vec<Warning>) -> Vec<Warning> {
    w.sort_by(|a, b| a.kind.rank().cmp(&b.kind.rank()).then_with(|| a.detail.cmp(&b.detail)));
    w
}

/// Person and case warnings together, each kind once (a case's 扬言 and the
/// person's 扬言 history are one badge).
pub fn merge(person: &[Warning], case: &[Warning]) -> Vec<Warning> {
    let mut out: Vec<Warning> = case.to_vec();
    for w in person {
        if !out.iter().any(|o| o.kind == w.kind && o.detail == w.detail) {
            out.push(w.clone());
        }
    }
    sorted(out)
}

/// The badges of `warnings`, joined for a list cell.
pub fn badges(warnings: &[Warning]) -> String {
    warnings.iter().map(Warning::badge).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn kinds(w: &[Warning]) -> Vec<WarningKind> {
        w.iter().map(|w| w.kind).collect()
    }

    #[test]
    fn repeat_fires_at_the_threshold_not_below() {
        let r = WarningRules::default();
        let today = d("2026-11-28");
        let h = PersonHistory { recent_cases: 2, ..Default::default() };
        assert!(assess_person(&h, today, &r).is_empty());
        let h = PersonHistory { recent_cases: 3, ..Default::default() };
        let w = assess_person(&h, today, &r);
        assert_eq!(kinds(&w), [WarningKind::Repeat]);
        assert_eq!(w[0].reason, "近90天信访3次（阈值3次）");
    }

    #[test]
    fn long_term_needs_two_years_and_a_recent_visit() {
        let r = WarningRules::default();
        let today = d("2026-11-28");
        let mut h = PersonHistory {
            first_visit: Some(d("2024-11-28")),
            last_visit: Some(d("2026-01-01")),
            ..Default::default()
        };
        assert_eq!(kinds(&assess_person(&h, today, &r)), [WarningKind::LongTerm]);
        // One day short of two years.
        h.first_visit = Some(d("2024-11-29"));
        assert!(assess_person(&h, today, &r).is_empty());
        // Two years, but quiet for more than a year: stopped petitioning.
        h.first_visit = Some(d("2020-01-01"));
        h.last_visit = Some(d("2025-11-27"));
        assert!(assess_person(&h, today, &r).is_empty());
        h.last_visit = Some(d("2025-11-28"));
        assert_eq!(kinds(&assess_person(&h, today, &r)), [WarningKind::LongTerm]);
    }

    #[test]
    fn case_rules_and_their_order() {
        let r = WarningRules::default();
        let c = CaseFacts { people_count: 4, ..Default::default() };
        assert!(assess_case(&c, &r).is_empty());
        let c = CaseFacts { people_count: 5, skip_level: true, threat: true, key_group: Some("问题楼盘".into()) };
        let w = assess_case(&c, &r);
        assert_eq!(kinds(&w), [WarningKind::Threat, WarningKind::Group, WarningKind::SkipLevel, WarningKind::KeyGroup]);
        assert_eq!(badges(&w), "扬言 集体访 越级 群体:问题楼盘");
        assert_eq!(w[1].reason, "来访5人（5人以上为集体访）");
    }

    #[test]
    fn spike_compares_with_the_average_of_previous_weeks() {
        let r = WarningRules::default();
        let s =
            CountSeries { label: "街道：东风街道".into(), this_week: 9, previous: vec![4, 4, 5, 3, 4, 4, 4, 4] };
        // Average 4.0; 9 > 8.
        let w = spike(&s, &r).unwrap();
        assert_eq!(w.reason, "街道：东风街道本周9件，前8周平均4.0件（超过2倍）");
        let s = CountSeries { this_week: 8, ..s };
        assert!(spike(&s, &r).is_none(), "8 is not above 2 × 4.0");
        // Below the minimum count, never a spike even from nothing.
        let s = CountSeries { label: "x".into(), this_week: 4, previous: vec![0; 8] };
        assert!(spike(&s, &r).is_none());
        let s = CountSeries { label: "x".into(), this_week: 5, previous: vec![0; 8] };
        assert!(spike(&s, &r).is_some());
    }

    #[test]
    fn merge_keeps_each_kind_once() {
        let r = WarningRules::default();
        let person = assess_person(&PersonHistory { threat_cases: 2, ..Default::default() }, d("2026-11-28"), &r);
        let case = assess_case(&CaseFacts { threat: true, people_count: 1, ..Default::default() }, &r);
        let m = merge(&person, &case);
        assert_eq!(kinds(&m), [WarningKind::Threat]);
        assert_eq!(m[0].reason, "登记时记录扬言");
    }
}
