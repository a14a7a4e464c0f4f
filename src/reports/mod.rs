//! The reports as documents: the metrics of a period and the weekly
//! screening report, as workbook sheets (XLSX/CSV), plain text and JSON.
//! The screen and the command line print the same tables.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::leader_metrics::{self, UnitFeedback};
use crate::domain::metrics::{self, MetricRules, Metrics};
use crate::domain::screening::{DISPUTE_HEADERS, PERSON_HEADERS, WeeklyReport};
use crate::export::Sheet;
use crate::store::Result;
use crate::store::leader_cases;
use crate::text;

pub mod worker;

/// A metrics run with the parameters it was computed with (they travel with
/// every export, so a figure can always be traced to its definition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsReport {
    pub office: String,
    pub metrics: Metrics,
    /// Open clocks overdue on `as_of`, by the unit responsible.
    pub overdue_by_unit: Vec<(String, u64)>,
    /// 领导批示件办理反馈时长, by unit, the slowest first.
    pub feedback: Vec<UnitFeedback>,
    pub formulas: Vec<(&'static str, String)>,
    pub scope: &'static str,
    pub basic_counts_as_satisfied: bool,
    pub one_time_window_days: u32,
    pub count_pending_in_on_time: bool,
}

/// Compute the metrics of cases registered from `from` to `to`, clocks
/// judged on `as_of`.
pub fn metrics_report(
    conn: &rusqlite::Connection,
    office: &str,
    (from, to, as_of): (NaiveDate, NaiveDate, NaiveDate),
    week_end: chrono::Weekday,
    rules: &MetricRules,
) -> Result<MetricsReport> {
    let records = crate::store::metrics::records(conn, from, to, rules)?;
    let mut metrics = metrics::compute(&records, from, to, as_of, week_end, rules);
    let ownerships = leader_cases::ownership_records(conn, to)?;
    (metrics.stopped, metrics.resolved) = leader_metrics::ownership_rates(&ownerships, from, to);
    let instructions = leader_cases::instruction_records(conn, from, to)?;
    let mut formulas = metrics::formulas(rules);
    formulas.extend(leader_metrics::FORMULAS.iter().map(|(n, f)| (*n, f.to_string())));
    Ok(MetricsReport {
        office: office.into(),
        metrics,
        overdue_by_unit: crate::store::metrics::overdue_by_unit(conn, as_of)?,
        feedback: leader_metrics::feedback_by_unit(&instructions, as_of),
        formulas,
        scope: metrics::SCOPE,
        basic_counts_as_satisfied: rules.basic_counts_as_satisfied,
        one_time_window_days: rules.one_time_window_days,
        count_pending_in_on_time: rules.count_pending_in_on_time,
    })
}

/// The columns of the 批示反馈时长 table.
pub const FEEDBACK_HEADERS: [&str; 6] = ["责任单位", "已反馈", "中位数(日)", "最长(日)", "未反馈", "未反馈最久(日)"];

fn counted(items: &[(String, u64)]) -> Vec<Vec<String>> {
    items.iter().map(|(k, n)| vec![k.clone(), n.to_string()]).collect()
}

impl MetricsReport {
    fn period(&self) -> String {
        format!("{} 至 {}（期限判断截至 {}）", self.metrics.from, self.metrics.to, self.metrics.as_of)
    }

    /// The rates with numerator and denominator.
    pub fn rate_rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![vec!["信访总件数".into(), self.metrics.total.to_string(), String::new(), String::new()]];
        for (name, r) in self.metrics.rates() {
            let shown = r.percent().map(|p| format!("{p:.1}%")).unwrap_or_else(|| crate::text::EMPTY.into());
            rows.push(vec![name.into(), shown, r.numerator.to_string(), r.denominator.to_string()]);
        }
        rows
    }

    /// The breakdowns: dimension, item, count.
    pub fn count_rows(&self) -> Vec<Vec<String>> {
        let m = &self.metrics;
        let weekly: Vec<(String, u64)> = m.weekly.iter().map(|(d, n)| (format!("截至{d}"), *n)).collect();
        let mut rows = Vec::new();
        for (dim, items) in [
            ("信访形式", &m.by_form),
            ("事项类别", &m.by_class),
            ("内容分类", &m.by_category),
            ("问题属地", &m.by_street),
            ("责任单位", &m.by_unit),
            ("每周件数", &weekly),
            ("超期未办（当前）", &self.overdue_by_unit),
        ] {
            rows.extend(counted(items).into_iter().map(|r| [vec![dim.to_string()], r].concat()));
        }
        rows
    }

    /// Formulas, scope and parameters.
    pub fn footer_rows(&self) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = self.formulas.iter().map(|(n, f)| vec![n.to_string(), f.clone()]).collect();
        rows.push(vec!["口径".into(), self.scope.into()]);
        rows.push(vec!["统计期".into(), self.period()]);
        rows.push(vec!["报送单位".into(), self.office.clone()]);
        rows
    }

    /// 批示反馈时长 by unit: fed back, median and longest days, still waiting.
    pub fn feedback_rows(&self) -> Vec<Vec<String>> {
        let days = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_else(|| crate::text::EMPTY.into());
        self.feedback
            .iter()
            .map(|u| {
                vec![
                    u.unit.clone(),
                    u.fed_back.to_string(),
                    days(u.median_days),
                    days(u.worst_days),
                    u.waiting.to_string(),
                    days(u.longest_wait),
                ]
            })
            .collect()
    }

    pub fn sheets(&self) -> Vec<Sheet> {
        vec![
            Sheet::new("指标", &["指标", "数值", "分子", "分母"], self.rate_rows()),
            Sheet::new("分类统计", &["维度", "项目", "件数"], self.count_rows()),
            Sheet::new("批示反馈时长", &FEEDBACK_HEADERS, self.feedback_rows()),
            Sheet::new("公式与口径", &["项目", "说明"], self.footer_rows()),
        ]
    }

    /// The report for a terminal: aligned columns, formulas underneath.
    pub fn to_text(&self) -> String {
        let mut out = format!("{} 信访工作指标\n统计期：{}\n\n", self.office, self.period());
        out.push_str(&aligned(&["指标", "数值", "分子", "分母"], &self.rate_rows()));
        out.push('\n');
        out.push_str(&aligned(&["维度", "项目", "件数"], &self.count_rows()));
        out.push_str("\n领导批示件办理反馈时长（日）：\n");
        out.push_str(&aligned(&FEEDBACK_HEADERS, &self.feedback_rows()));
        out.push_str("\n公式与口径：\n");
        for row in self.footer_rows() {
            out.push_str(&format!("  {}：{}\n", row[0], row[1]));
        }
        out
    }
}

/// Columns padded by display width (Chinese is two columns wide).
pub fn aligned(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| text::width(h)).collect();
    let rows: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| text::sanitize_line(c).into_owned()).collect()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(text::width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| text::pad(c, *w)).collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// What every weekly report says under its tables.
pub const WEEKLY_NOTES: &[&str] = &[
    "表A：本周来访的重点人员（人工标记或预警规则认定：长期访、扬言、越级）及在控人员；表B：本周集体访或重点群体事项（同一事项的重复来访合并为一行）及在控事项。",
    "本周新增：本周首次列入的人员和事项；化解：本周标记化解的；在控：表中未化解的。本周无新增时为零报告。",
];

/// The weekly report as sheets: header, Table A, Table B.
pub fn weekly_sheets(r: &WeeklyReport) -> Vec<Sheet> {
    let mut header: Vec<Vec<String>> = r.header().into_iter().map(|(k, v)| vec![k.into(), v]).collect();
    header.extend(r.figure_cells().into_iter().map(|(k, v)| vec![k.into(), v]));
    header.extend(WEEKLY_NOTES.iter().map(|n| vec!["说明".into(), n.to_string()]));
    if !r.unmasked {
        header.push(vec!["说明".into(), "身份证号、电话已脱敏".into()]);
    }
    vec![
        Sheet::new("周报", &["项目", "内容"], header),
        Sheet::new("表A重点人员", &PERSON_HEADERS, r.person_cells()),
        Sheet::new("表B矛盾纠纷", &DISPUTE_HEADERS, r.dispute_cells()),
    ]
}
