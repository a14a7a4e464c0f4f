//! 指标 (domain.md §6): the rates the bureau is judged on and the counts
//! behind them, computed from one record per case. Pure: the store gathers
//! the records, this module counts. Each formula is written once, in
//! [`FORMULAS`], and shown in the README, the report footer and the screen.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lifecycle::Satisfaction;

/// The choices domain.md leaves local (config `[metrics]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricRules {
    /// 基本满意 counts as satisfied.
    pub basic_counts_as_satisfied: bool,
    /// 一次性化解率: days after conclusion in which a new visit on the same
    /// matter (a case linked to it) or a 复查 request undoes "resolved once".
    pub one_time_window_days: u32,
    /// 按期办结率: not-yet-due open cases (未答复) enter the denominator, as in
    /// the literal formula `aqdf/(aqdf+cqdf+wdf+cqwdf)`. Off by default: a
    /// case still inside its time is not a failure.
    pub count_pending_in_on_time: bool,
}

impl Default for MetricRules {
    fn default() -> Self {
        MetricRules { basic_counts_as_satisfied: true, one_time_window_days: 90, count_pending_in_on_time: false }
    }
}

/// One statutory clock as the metrics need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRecord {
    pub due: NaiveDate,
    pub met: Option<NaiveDate>,
}

/// One case, as the metrics need it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseRecord {
    pub registered: NaiveDate,
    // The names a tally groups by are shared between the cases that have
    // them (a year is 200 k records; one string each was a third of reading them).
    pub form: Arc<str>,
    pub class: Arc<str>,
    /// Top-level 内容分类.
    pub category: Arc<str>,
    pub street: Arc<str>,
    /// The unit it was last forwarded or assigned to ("" if none).
    pub unit: Arc<str>,
    /// 初件 (not 重件).
    pub first: bool,
    /// Within the satisfaction-evaluation scope: not 涉法涉诉, not 保密, not
    /// 检举控告, not channelled into a legal procedure.
    pub evaluable: bool,
    /// The day it was answered or closed (办结).
    pub concluded: Option<NaiveDate>,
    /// The bureau's 15-day 转送/交办 clock.
    pub relay: Option<ClockRecord>,
    /// The unit's 15-day 受理告知 clock.
    pub accept: Option<ClockRecord>,
    /// The 60-day (+extension) handling clock.
    pub handle: Option<ClockRecord>,
    pub bureau_rating: Option<Satisfaction>,
    pub unit_rating: Option<Satisfaction>,
    /// A case linked to this one was registered within the observation window
    /// after its conclusion.
    pub came_back: bool,
    pub review_requested: bool,
}

/// A rate with its parts, so a reader can check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
}

impl Rate {
    pub fn percent(self) -> Option<f64> {
        (self.denominator > 0).then(|| 100.0 * self.numerator as f64 / self.denominator as f64)
    }

    /// "95.2%（120/126）", or "—（无应计件）".
    pub fn display(self) -> String {
        match self.percent() {
            Some(p) => format!("{p:.1}%（{}/{}）", self.numerator, self.denominator),
            None => "-（无应计件）".into(),
        }
    }

    pub fn count(&mut self, yes: bool) {
        self.denominator += 1;
        self.numerator += u64::from(yes);
    }
}

/// Every metric of a period.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Metrics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Clocks are judged as of this day (due dates after it are not yet due).
    pub as_of: NaiveDate,
    pub total: u64,
    pub timely_bureau: Rate,
    pub timely_unit: Rate,
    pub on_time: Rate,
    pub participation_bureau: Rate,
    pub participation_unit: Rate,
    pub satisfaction_bureau: Rate,
    pub satisfaction_unit: Rate,
    pub repeat: Rate,
    pub one_time: Rate,
    /// 包案: 息诉罢访 and 化解 (see `leader_metrics`).
    pub stopped: Rate,
    pub resolved: Rate,
    pub by_form: Vec<(String, u64)>,
    pub by_class: Vec<(String, u64)>,
    pub by_category: Vec<(String, u64)>,
    pub by_street: Vec<(String, u64)>,
    pub by_unit: Vec<(String, u64)>,
    /// Cases registered in each week of the period, by the week's last day.
    pub weekly: Vec<(NaiveDate, u64)>,
}

impl Metrics {
    /// The rates in display order, with their names.
    pub fn rates(&self) -> Vec<(&'static str, Rate)> {
        vec![
            ("及时受理率（信访部门）", self.timely_bureau),
            ("及时受理率（责任单位）", self.timely_unit),
            ("按期办结率", self.on_time),
            ("参评率（信访部门）", self.participation_bureau),
            ("参评率（责任单位）", self.participation_unit),
            ("满意率（信访部门）", self.satisfaction_bureau),
            ("满意率（责任单位）", self.satisfaction_unit),
            ("重复信访率", self.repeat),
            ("一次性化解率", self.one_time),
            ("息访率（包案）", self.stopped),
            ("化解率（包案）", self.resolved),
        ]
    }
}

/// Did a clock end in time? `None`: it does not count yet (not due, not met).
fn timely(clock: &ClockRecord, as_of: NaiveDate) -> Option<bool> {
    match clock.met {
        Some(met) => Some(met <= clock.due),
        None if clock.due < as_of => Some(false),
        None => None,
    }
}

/// Count the metrics of `records` (cases registered from `from` to `to`).
/// `week_end` is the weekday weekly counts end on.
pub fn compute(
    records: &[CaseRecord],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    week_end: chrono::Weekday,
    rules: &MetricRules,
) -> Metrics {
    let mut m = Metrics { from, to, as_of, ..Default::default() };
    let mut tallies: [BTreeMap<String, u64>; 5] = Default::default();
    let mut weekly: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let satisfied =
        |s: Satisfaction| s == Satisfaction::Satisfied || (rules.basic_counts_as_satisfied && s == Satisfaction::Basic);
    for r in records {
        m.total += 1;
        for (tally, key) in tallies.iter_mut().zip([&r.form, &r.class, &r.category, &r.street, &r.unit]) {
            let key = if key.is_empty() { "（未填）" } else { key };
            match tally.get_mut(key) {
                Some(n) => *n += 1,
                None => drop(tally.insert(key.to_string(), 1)),
            }
        }
        *weekly.entry(week_ending(r.registered, week_end)).or_default() += 1;
        if let Some(t) = r.relay.as_ref().and_then(|c| timely(c, as_of)) {
            m.timely_bureau.count(t);
        }
        if let Some(t) = r.accept.as_ref().and_then(|c| timely(c, as_of)) {
            m.timely_unit.count(t);
        }
        if let Some(c) = &r.handle {
            match timely(c, as_of) {
                Some(t) => m.on_time.count(t),
                None if rules.count_pending_in_on_time => m.on_time.count(false),
                None => {}
            }
        }
        if r.concluded.is_some() && r.evaluable {
            // The bureau and the unit are rated separately, by the same rule.
            let evaluate = |participation: &mut Rate, satisfaction: &mut Rate, rating: Option<Satisfaction>| {
                let rating = rating.filter(|s| *s != Satisfaction::NotRated);
                participation.count(rating.is_some());
                if let Some(s) = rating {
                    satisfaction.count(satisfied(s));
                }
            };
            evaluate(&mut m.participation_bureau, &mut m.satisfaction_bureau, r.bureau_rating);
            evaluate(&mut m.participation_unit, &mut m.satisfaction_unit, r.unit_rating);
        }
        m.repeat.count(!r.first);
        // Only once its observation window has closed can a case count as resolved at once.
        let window = chrono::Days::new(u64::from(rules.one_time_window_days));
        if r.first && r.concluded.is_some_and(|c| c + window < as_of) {
            m.one_time.count(!r.came_back && !r.review_requested);
        }
    }
    let [form, class, category, street, unit] = tallies.map(ranked);
    (m.by_form, m.by_class, m.by_category, m.by_street, m.by_unit) = (form, class, category, street, unit);
    // Every week of the period, also the empty ones (a chart has no gaps).
    let mut week = week_ending(from, week_end);
    while week <= week_ending(to, week_end) {
        m.weekly.push((week, weekly.get(&week).copied().unwrap_or(0)));
        week = week + chrono::Days::new(7);
    }
    m.by_unit.retain(|(u, _)| u != "（未填）");
    m
}

/// Largest first, then by name.
fn ranked(t: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = t.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The last day of the week `day` falls in, weeks ending on `end`.
pub fn week_ending(day: NaiveDate, end: chrono::Weekday) -> NaiveDate {
    let ahead = (7 + end.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    day + chrono::Days::new(u64::from(ahead))
}

use chrono::Datelike;

/// The latest week end on or before `day`.
pub fn last_week_ending(day: NaiveDate, end: chrono::Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - end.num_days_from_monday()) % 7;
    day - chrono::Days::new(u64::from(back))
}

/// Name, formula and scope of each metric, for the README, the report footer
/// and the screen.
pub fn formulas(rules: &MetricRules) -> Vec<(&'static str, String)> {
    let basic = if rules.basic_counts_as_satisfied { "（含基本满意）" } else { "（不含基本满意）" };
    let pending = if rules.count_pending_in_on_time { "+未到期未答复" } else { "" };
    vec![
        (
            "及时受理率",
            "及时件 / (及时件+超期办理件+超期未办件)；信访部门按15日转送/交办时钟，责任单位按15日受理告知时钟；\
             只计已到期或已完成的时钟"
                .into(),
        ),
        (
            "按期办结率",
            format!("按期答复 / (按期答复+超期答复+超期未答复{pending})；办理时钟60日，经批准延期的按延期后"),
        ),
        ("参评率", "已评价件 / 应评件；应评件=已办结且不涉法涉诉、不保密、非检举控告、未导入法定程序".into()),
        ("满意率", format!("满意件{basic} / 已评价件；信访部门与责任单位分别计算")),
        ("重复信访率", "重件 / 信访总件数（按件计）".into()),
        (
            "一次性化解率",
            format!(
                "初件中已办结、办结后{0}日内未就同一事项再信访且未申请复查的件数 / 办结已满{0}日的初件数（观察期未满的不计）",
                rules.one_time_window_days
            ),
        ),
    ]
}

/// The scope line every report prints under the formulas.
pub const SCOPE: &str = "统计期内登记的信访事项（按登记日期）；期限时钟以统计截止日判断是否到期。";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn clock(due: &str, met: Option<&str>) -> Option<ClockRecord> {
        Some(ClockRecord { due: d(due), met: met.map(d) })
    }

    fn rec() -> CaseRecord {
        CaseRecord {
            registered: d("2026-11-02"),
            form: "来访".into(),
            class: "申诉求决类".into(),
            category: "城乡建设".into(),
            street: "东风街道".into(),
            first: true,
            evaluable: true,
            ..Default::default()
        }
    }

    /// The four cases the rates are counted on by hand.
    fn by_hand() -> Vec<CaseRecord> {
        vec![
            // Relay met in time; accept met late; handle met in time; both rated 满意.
            CaseRecord {
                relay: clock("2026-11-17", Some("2026-11-10")),
                accept: clock("2026-11-25", Some("2026-11-26")),
                handle: clock("2027-01-25", Some("2026-11-27")),
                concluded: Some(d("2026-11-27")),
                bureau_rating: Some(Satisfaction::Satisfied),
                unit_rating: Some(Satisfaction::Basic),
                ..rec()
            },
            // Relay passed unmet (overdue); handle not yet due.
            CaseRecord {
                relay: clock("2026-11-20", None),
                handle: clock("2027-01-30", None),
                first: false,
                street: "新华街道".into(),
                ..rec()
            },
            // Relay not yet due: not counted; concluded, not rated; came back.
            CaseRecord {
                relay: clock("2026-12-01", None),
                concluded: Some(d("2026-11-20")),
                bureau_rating: Some(Satisfaction::NotRated),
                came_back: true,
                form: "来信".into(),
                ..rec()
            },
            // Out of evaluation scope, concluded, rated 不满意 by the unit: ignored for 参评.
            CaseRecord {
                evaluable: false,
                concluded: Some(d("2026-11-21")),
                unit_rating: Some(Satisfaction::Unsatisfied),
                handle: clock("2026-11-26", Some("2026-11-27")),
                ..rec()
            },
        ]
    }

    #[test]
    fn rates_by_hand() {
        let as_of = d("2026-11-28");
        let records = by_hand();
        let m = compute(&records, d("2026-11-01"), d("2026-11-28"), as_of, Weekday::Fri, &MetricRules::default());
        assert_eq!(m.total, 4);
        assert_eq!(m.timely_bureau, Rate { numerator: 1, denominator: 2 });
        assert_eq!(m.timely_unit, Rate { numerator: 0, denominator: 1 });
        // In time and late; the one still inside its time is outside the rate by default.
        assert_eq!(m.on_time, Rate { numerator: 1, denominator: 2 });
        // 应评: records 1 and 3. 参评: bureau 1 of 2; unit 1 of 2.
        assert_eq!(m.participation_bureau, Rate { numerator: 1, denominator: 2 });
        assert_eq!(m.participation_unit, Rate { numerator: 1, denominator: 2 });
        assert_eq!(m.satisfaction_bureau, Rate { numerator: 1, denominator: 1 });
        assert_eq!(m.satisfaction_unit, Rate { numerator: 1, denominator: 1 });
        assert_eq!(m.repeat, Rate { numerator: 1, denominator: 4 });
        // Concluded on 11-20 … 11-27: no 90-day window has closed by 11-28, nothing counts yet.
        assert_eq!(m.one_time, Rate::default());
        assert_eq!(m.by_form, [("来访".to_string(), 3), ("来信".to_string(), 1)]);
        assert_eq!(m.by_street, [("东风街道".to_string(), 3), ("新华街道".to_string(), 1)]);
        assert_eq!(m.timely_bureau.display(), "50.0%（1/2）");
        // Weeks ending Fri 11-06, 11-13, 11-20, 11-27, 12-04 (11-28 is a Saturday).
        assert_eq!(m.weekly.len(), 5);
        assert_eq!(m.weekly[0], (d("2026-11-06"), 4));
        assert!(m.weekly[1..].iter().all(|(_, n)| *n == 0));
    }

    #[test]
    fn one_time_resolution_counts_once_the_window_has_closed() {
        let records = by_hand();
        let rules = MetricRules::default();
        let m = |as_of: &str| compute(&records, d("2026-11-01"), d("2026-11-28"), d(as_of), Weekday::Fri, &rules);
        // 11-20 + 90 = 02-18, 11-21 + 90 = 02-19, 11-27 + 90 = 02-25.
        assert_eq!(m("2027-02-19").one_time, Rate { numerator: 0, denominator: 1 }, "only 3 (came back) closed");
        assert_eq!(m("2027-02-20").one_time, Rate { numerator: 1, denominator: 2 });
        // 初件 concluded: 1, 3 (came back), 4 → 2 of 3.
        assert_eq!(m("2027-03-01").one_time, Rate { numerator: 2, denominator: 3 });
    }

    #[test]
    fn local_choices_change_the_rates() {
        let records = vec![CaseRecord {
            handle: clock("2027-01-30", None),
            concluded: Some(d("2026-11-20")),
            unit_rating: Some(Satisfaction::Basic),
            ..rec()
        }];
        let strict =
            MetricRules { basic_counts_as_satisfied: false, count_pending_in_on_time: false, ..Default::default() };
        let as_of = d("2026-11-28");
        let m = compute(&records, d("2026-11-01"), as_of, as_of, Weekday::Fri, &strict);
        assert_eq!(m.satisfaction_unit, Rate { numerator: 0, denominator: 1 });
        assert_eq!(m.on_time, Rate::default());
        assert_eq!(m.on_time.display(), "-（无应计件）");
        let literal = MetricRules { count_pending_in_on_time: true, ..Default::default() };
        let m = compute(&records, d("2026-11-01"), as_of, as_of, Weekday::Fri, &literal);
        assert_eq!(m.satisfaction_unit, Rate { numerator: 1, denominator: 1 });
        assert_eq!(m.on_time, Rate { numerator: 0, denominator: 1 }, "the literal formula counts it as not on time");
    }

    #[test]
    fn weeks_end_on_the_configured_day() {
        assert_eq!(week_ending(d("2026-11-28"), Weekday::Fri), d("2026-12-04"));
        assert_eq!(week_ending(d("2026-11-27"), Weekday::Fri), d("2026-11-27"));
        assert_eq!(last_week_ending(d("2026-11-28"), Weekday::Fri), d("2026-11-27"));
        assert_eq!(last_week_ending(d("2026-11-27"), Weekday::Fri), d("2026-11-27"));
        assert_eq!(last_week_ending(d("2026-11-28"), Weekday::Sun), d("2026-11-22"));
    }
}
