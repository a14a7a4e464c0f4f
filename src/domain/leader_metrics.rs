//! The figures of a leader's casework (domain.md §6): 息访率 and 化解率 over
//! the 包案 that ran in a period, and 领导批示件办理反馈时长 — the days from a
//! leader's 批示 to the unit's 办理情况反馈 — by unit. Pure: the store gathers
//! the records.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::metrics::Rate;

/// One 包案 as the rates need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnershipRecord {
    pub started: NaiveDate,
    /// The 息诉罢访 day that ended it.
    pub ended: Option<NaiveDate>,
    /// The problem was resolved (化解), not only the petitioning stopped.
    pub resolved: bool,
}

/// One 批示 that named a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionRecord {
    pub unit: String,
    pub on: NaiveDate,
    pub fed_back: Option<NaiveDate>,
}

/// (息访率, 化解率) over the 包案 running at some time from `from` to `to`
/// (started by its end, not ended before its start): those ended by 息诉罢访
/// within the period, and of them those whose problem was resolved.
pub fn ownership_rates(records: &[OwnershipRecord], from: NaiveDate, to: NaiveDate) -> (Rate, Rate) {
    let (mut stopped, mut resolved) = (Rate::default(), Rate::default());
    for r in records.iter().filter(|r| r.started <= to && r.ended.is_none_or(|e| e >= from)) {
        let ended_in_period = r.ended.is_some_and(|e| e <= to);
        stopped.count(ended_in_period);
        resolved.count(ended_in_period && r.resolved);
    }
    (stopped, resolved)
}

/// One unit's feedback on the leaders' 批示 of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFeedback {
    pub unit: String,
    /// 批示 fed back, and the median and longest days they took.
    pub fed_back: u64,
    pub median_days: Option<i64>,
    pub worst_days: Option<i64>,
    /// Still waiting on `as_of`, and the longest wait so far.
    pub waiting: u64,
    pub longest_wait: Option<i64>,
}

/// Feedback times by unit, the slowest (longest worst case) first.
pub fn feedback_by_unit(records: &[InstructionRecord], as_of: NaiveDate) -> Vec<UnitFeedback> {
    let mut by_unit: BTreeMap<&str, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for r in records {
        let (done, waiting) = by_unit.entry(r.unit.as_str()).or_default();
        match r.fed_back {
            Some(f) => done.push((f - r.on).num_days()),
            None => waiting.push((as_of - r.on).num_days().max(0)),
        }
    }
    let mut out: Vec<UnitFeedback> = by_unit
        .into_iter()
        .map(|(unit, (mut done, waiting))| {
            done.sort_unstable();
            UnitFeedback {
                unit: unit.to_string(),
                fed_back: done.len() as u64,
                median_days: median(&done),
                worst_days: done.last().copied(),
                waiting: waiting.len() as u64,
                longest_wait: waiting.iter().max().copied(),
            }
        })
        .collect();
    let slowest = |u: &UnitFeedback| u.worst_days.max(u.longest_wait);
    out.sort_by(|a, b| slowest(b).cmp(&slowest(a)).then_with(|| a.unit.cmp(&b.unit)));
    out
}

/// The median of sorted days (the lower middle of an even count: a whole day).
fn median(sorted: &[i64]) -> Option<i64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The formulas, for the README, the report footer and the screen.
pub const FORMULAS: [(&str, &str); 3] = [
    ("息访率", "统计期内息诉罢访（包案结束）的包案件数 / 统计期内在包的包案件数（期末前开始、期初前未结束）"),
    ("化解率", "统计期内息诉罢访且问题已化解的包案件数 / 统计期内在包的包案件数"),
    (
        "批示反馈时长",
        "统计期内领导批示（指定责任单位）至该单位办理情况反馈的天数，按责任单位取中位数与最长；未反馈的计至统计截止日",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ownership_rates_count_what_ran_in_the_period_by_hand() {
        let own = |started: &str, ended: Option<&str>, resolved: bool| OwnershipRecord {
            started: d(started),
            ended: ended.map(d),
            resolved,
        };
        let records = [
            own("2026-09-01", Some("2026-11-10"), true),  // ended in the period, resolved
            own("2026-10-01", Some("2026-11-20"), false), // ended in the period, only stopped
            own("2026-11-05", None, false),               // still running
            own("2026-06-01", Some("2026-10-15"), true),  // ended before the period: outside
            own("2026-12-02", None, false),               // started after it: outside
            own("2026-08-01", Some("2026-12-05"), true),  // ran through, ended after: not yet
        ];
        let (stopped, resolved) = ownership_rates(&records, d("2026-11-01"), d("2026-11-30"));
        assert_eq!((stopped.numerator, stopped.denominator), (2, 4));
        assert_eq!((resolved.numerator, resolved.denominator), (1, 4));
    }

    #[test]
    fn feedback_times_by_unit_with_median_worst_and_waits() {
        let i = |unit: &str, on: &str, back: Option<&str>| InstructionRecord {
            unit: unit.into(),
            on: d(on),
            fed_back: back.map(d),
        };
        let records = [
            i("区住建局", "2026-11-01", Some("2026-11-04")), // 3
            i("区住建局", "2026-11-02", Some("2026-11-12")), // 10
            i("区住建局", "2026-11-03", Some("2026-11-08")), // 5
            i("区住建局", "2026-11-20", None),               // waiting 10 on 11-30
            i("区人社局", "2026-11-10", Some("2026-11-12")), // 2
            i("区人社局", "2026-11-11", Some("2026-11-15")), // 4
        ];
        let got = feedback_by_unit(&records, d("2026-11-30"));
        let view: Vec<_> = got
            .iter()
            .map(|u| (u.unit.as_str(), u.fed_back, u.median_days, u.worst_days, u.waiting, u.longest_wait))
            .collect();
        assert_eq!(
            view,
            [("区住建局", 3, Some(5), Some(10), 1, Some(10)), ("区人社局", 2, Some(3), Some(4), 0, None)],
            "the slowest unit first; an even count's median is the lower middle's mean"
        );
    }
}
