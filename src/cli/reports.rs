//! `xfdesk report …` and `xfdesk import`: thin wrappers over `reports`,
//! `store::screening` and `import`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Subcommand;

use super::{Context, emit, emit_json, open_store};
use crate::export::Format;
use crate::import::{self, ImportFormat};
use crate::store::{self, reference::ReferenceData, screening::WeekParams};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WeeklyFormat {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsFormat {
    Text,
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 每周排查上报：表A重点人员、表B重点群体/矛盾纠纷（身份证号、电话默认脱敏）
    Weekly {
        /// 截止日 YYYY-MM-DD（默认：最近一个周报截止日，见配置 [reports] week_ends_on）
        #[arg(long, value_parser = super::args::day)]
        week_ending: Option<NaiveDate>,
        /// csv（UTF-8 带 BOM）、xlsx 或 json
        #[arg(long, value_enum)]
        format: WeeklyFormat,
        /// 输出文件
        #[arg(long)]
        out: PathBuf,
        /// 身份证号、电话不脱敏（须另一名审批人 --approver 签批；记入审计日志）
        #[arg(long, requires = "approver")]
        unmasked: bool,
        /// 签批未脱敏导出的审批人（申请人以外；其密码在终端输入，或 --approver-password-file）
        #[arg(long)]
        approver: Option<String>,
        /// 审批人的密码文件（权限 600）
        #[arg(long)]
        approver_password_file: Option<PathBuf>,
    },
    /// 工作指标：及时受理率、按期办结率、参评率、满意率、重复信访率、一次性化解率及分类统计
    Metrics {
        /// 开始日期 YYYY-MM-DD（按登记日期）
        #[arg(long, value_parser = super::args::day)]
        from: NaiveDate,
        /// 结束日期 YYYY-MM-DD（含）
        #[arg(long, value_parser = super::args::day)]
        to: NaiveDate,
        /// text（终端显示）、csv、xlsx 或 json
        #[arg(long, value_enum, default_value = "text")]
        format: MetricsFormat,
        /// 输出文件（csv、xlsx 必填；text、json 不给时显示在终端）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 预警列表：最近来访并触发预警规则的人员，及本周件数异常增多的街道和类别
    Warnings {
        /// 输出 JSON（姓名脱敏）
        #[arg(long)]
        json: bool,
    },
}

pub fn report(ctx: &Context, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Weekly { week_ending, format, out, unmasked, approver, approver_password_file } => {
            let approval = match (unmasked, approver) {
                (true, Some(login)) => {
                    let prompt = format!("审批人 {} 的密码：", crate::text::sanitize_line(&login));
                    let password = super::secret::password(approver_password_file.as_deref(), &prompt)?;
                    Some(crate::store::approvals::Approval { login, password })
                }
                _ => None,
            };
            weekly(ctx, week_ending, format, &out, approval.as_ref())
        }
        ReportCommand::Metrics { from, to, format, out } => metrics(ctx, from, to, format, out.as_deref()),
        ReportCommand::Warnings { json } => warnings(ctx, json),
    }
}

fn weekly(
    ctx: &Context,
    week_ending: Option<NaiveDate>,
    format: WeeklyFormat,
    out: &Path,
    approval: Option<&crate::store::approvals::Approval>,
) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    // Full numbers leave the building only with a second person's signature.
    let approver = match (approval, &ctx.actor) {
        (Some(a), Some(me)) => {
            let rules = &ctx.config.accounts;
            let perm = crate::domain::access::Permission::ExportUnmasked;
            Some(crate::store::approvals::approve(&mut store, me, a, perm, rules, ctx.now())?)
        }
        _ => None,
    };
    let unmasked = approver.is_some();
    let refs = ReferenceData::load(store.conn())?;
    let week_end = ctx.config.reports.week_end();
    let params = WeekParams {
        week_ending: week_ending.unwrap_or_else(|| crate::domain::metrics::last_week_ending(ctx.today(), week_end)),
        office: ctx.config.office_name.clone(),
        filled_by: ctx.operator.clone(),
        reviewer: ctx.config.reports.reviewer.clone(),
        unmasked,
    };
    let report = store::screening::weekly(store.conn(), &refs, &params, &ctx.config.warnings)?;
    let mark = super::stamp(ctx, &store, &format!("周报 截止{}", params.week_ending))?;
    let sheets = || -> Vec<crate::export::Sheet> {
        crate::reports::weekly_sheets(&report).into_iter().map(|s| s.with_footer(&mark)).collect()
    };
    match format {
        WeeklyFormat::Json => {
            crate::export::write_owner_only(out, serde_json::to_string_pretty(&report)?.as_bytes(), ctx.force)?
        }
        WeeklyFormat::Csv => crate::export::write_book(out, Format::Csv, &sheets(), ctx.force)?,
        WeeklyFormat::Xlsx => crate::export::write_book(out, Format::Xlsx, &sheets(), ctx.force)?,
    }
    let action = if unmasked { "导出周报（未脱敏）" } else { "导出周报" };
    let approved = approver.map(|a| format!("，批准人{}", a.label())).unwrap_or_default();
    let detail = format!(
        "截止{}，表A {} 人，表B {} 项，{}{approved}",
        params.week_ending,
        report.persons.len(),
        report.disputes.len(),
        out.display()
    );
    store::backup::audit(&mut store, &ctx.operator, action, &detail, ctx.now())?;
    let zero = if report.zero_report { "，零报告" } else { "" };
    emit(&format!(
        "已导出 {} 至 {} 的周报{zero}：表A {} 人，表B {} 项 → {}（{mark}）\n",
        report.week_start,
        report.week_ending,
        report.persons.len(),
        report.disputes.len(),
        out.display()
    ))
}

fn metrics(
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
    format: MetricsFormat,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    anyhow::ensure!(from <= to, "开始日期 {from} 晚于结束日期 {to}");
    let mut store = open_store(ctx)?;
    let as_of = ctx.today().min(to + chrono::Days::new(1)).max(from);
    let report = crate::reports::metrics_report(
        store.conn(),
        &ctx.config.office_name,
        (from, to, as_of),
        ctx.config.reports.week_end(),
        &ctx.config.metrics,
    )?;
    let text = match format {
        MetricsFormat::Text => Some(report.to_text()),
        MetricsFormat::Json => Some(crate::text::json_safe(&serde_json::to_string_pretty(&report)?) + "\n"),
        MetricsFormat::Csv | MetricsFormat::Xlsx => None,
    };
    match (text, out) {
        (Some(t), None) => return emit(&t),
        (Some(t), Some(path)) => crate::export::write_owner_only(path, t.as_bytes(), ctx.force)?,
        (None, None) => anyhow::bail!("导出 csv 或 xlsx 需要 --out 文件"),
        (None, Some(path)) => {
            let f = if format == MetricsFormat::Csv { Format::Csv } else { Format::Xlsx };
            crate::export::write_book(path, f, &report.sheets(), ctx.force)?
        }
    }
    let path = out.map(|p| p.display().to_string()).unwrap_or_default();
    let detail = format!("{from} 至 {to}，{path}");
    store::backup::audit(&mut store, &ctx.operator, "导出指标", &detail, ctx.now())?;
    emit(&format!("已导出 {from} 至 {to} 的指标（{} 件）→ {path}\n", report.metrics.total))
}

fn warnings(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let refs = ReferenceData::load(store.conn())?;
    let list = store::warnings::warning_list(store.conn(), &refs, ctx.today(), &ctx.config.warnings)?;
    let rows = crate::listing::warning_rows(&list);
    if json {
        return emit_json(&rows);
    }
    let cells: Vec<Vec<String>> =
        rows.iter().map(|r| vec![r.subject.clone(), r.case.clone(), r.badges.clone(), r.reasons.clone()]).collect();
    emit(&crate::reports::aligned(&["对象", "事项", "预警", "原因"], &cells))
}

pub fn import_file(
    ctx: &Context,
    file: &Path,
    format: ImportFormat,
    skip_bad: bool,
    rejects: Option<&Path>,
) -> anyhow::Result<()> {
    let rows = import::read(file, format)?;
    let mut store = open_store(ctx)?;
    let now = ctx.now();
    let prefix = ctx.config.case_number_prefix().to_string();
    let reject_path = rejects.map(Path::to_path_buf).unwrap_or_else(|| file.with_extension("rejects.csv"));
    let mut keep = |rejected: &[import::Rejected]| import::write_rejects(&reject_path, rejected, ctx.force);
    let context = (now, ctx.config.phone_area_code.as_str(), ctx.operator.as_str(), prefix.as_str());
    let outcome = import::run(&mut store, rows, skip_bad, context, &mut keep)?;
    let mut text = format!("已导入 {} 件", outcome.imported);
    if !outcome.rejected.is_empty() {
        text.push_str(&format!(
            "；{} 行有误未导入，已写入 {}：\n{}",
            outcome.rejected.len(),
            reject_path.display(),
            import::describe(&outcome.rejected)
        ));
    }
    emit(&format!("{text}\n"))
}
