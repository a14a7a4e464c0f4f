//! Reading commands: search, deadlines, due clocks, a case, reminders.

use std::path::Path;

use super::{Context, emit, emit_json, open_reading, open_store};
use crate::store;

pub fn search(ctx: &Context, query: &str, limit: usize, open: bool, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let q = crate::domain::query::parse(query, open);
    let results = store::search::search(store.conn(), &q, limit)?;
    let listing = crate::listing::SearchListing::from(&results);
    if json {
        emit_json(&listing)?;
    } else {
        emit(&listing.to_text())?;
    }
    if let Some(n) = &results.notice {
        super::say(&format!("提示：{n}"));
    }
    Ok(())
}

pub fn deadline(ctx: &Context, rule: &str, from: chrono::NaiveDate, extend: u32, json: bool) -> anyhow::Result<()> {
    use crate::domain::deadline::{Rule, compute};
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let rule =
        Rule::from_code(rule).ok_or_else(|| anyhow::anyhow!("未知的期限「{rule}」，可用：{}", codes.join("、")))?;
    let store = open_reading(ctx)?;
    let cal = store::calendar::load(store.conn())?;
    let d = compute(rule, from, extend, &cal)?;
    if json {
        let out = serde_json::json!({
            "rule": rule.code(),
            "name": rule.label(),
            "basis": rule.basis(),
            "from": d.from.to_string(),
            "days": d.days,
            "unit": d.unit,
            "extension_days": d.extension_days,
            "due": d.due.to_string(),
            "explanation": d.explanation.join("\n"),
        });
        emit_json(&out)
    } else {
        let mut text = format!("{}：{}\n", rule.label(), d.due);
        for line in &d.explanation {
            text.push_str(&format!("  {line}\n"));
        }
        emit(&text)
    }
}

pub fn due(ctx: &Context, days: u32, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let today = ctx.today();
    let soon = i64::from(ctx.config.deadlines.due_soon_days);
    let groups = store::deadlines::worklist(store.conn(), today, days, soon, 10_000)?;
    let cal = store::calendar::load(store.conn())?;
    let listing = crate::listing::DueListing::new(groups, today, soon, &cal);
    if json { emit_json(&listing) } else { emit(&listing.to_text()) }
}

pub fn case_show(ctx: &Context, number: &str, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let number = number.trim().to_uppercase();
    let id = store::cases::id_by_number(store.conn(), &number)?
        .ok_or_else(|| anyhow::anyhow!("没有编号为 {number} 的事项"))?;
    let refs = store::reference::ReferenceData::load(store.conn())?;
    let cal = store::calendar::load(store.conn())?;
    let dossier = store::dossier::load(store.conn(), id, &refs, &cal)?
        .ok_or_else(|| anyhow::anyhow!("事项 {number} 已不存在"))?;
    let report = crate::listing::CaseReport::new(&dossier, ctx.today());
    if json { emit_json(&report) } else { emit(&report.to_text()) }
}

/// A page of a long list: `limit` rows (0: all of them) after `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    fn of<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let from = self.offset.min(all.len());
        let to = match self.limit {
            0 => all.len(),
            n => from.saturating_add(n).min(all.len()),
        };
        &all[from..to]
    }
}

pub fn reminders_due(ctx: &Context, page: Page, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let cal = store::calendar::load(store.conn())?;
    let today = ctx.today();
    let (conn, rules) = (store.conn(), &ctx.config.reminders);
    let all = store::reminders::due_list(conn, today, rules)?;
    let shown = page.of(&all);
    let due = store::reminders::due_calls(conn, shown, today, rules, &cal)?;
    let rows: Vec<crate::listing::ReminderDueRow> = due.iter().map(crate::listing::ReminderDueRow::from).collect();
    let first = page.offset.min(all.len());
    let said = crate::listing::ReminderDueRow::page_note(all.len(), first, first + shown.len());
    if json {
        eprintln!("{said}");
        emit_json(&rows)
    } else {
        emit(&format!("{}{said}\n", crate::listing::ReminderDueRow::to_text(&rows, all.len())))
    }
}

pub fn reminders_export(
    ctx: &Context,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: crate::export::Format,
    out: &Path,
) -> anyhow::Result<()> {
    anyhow::ensure!(from <= to, "开始日期 {from} 晚于结束日期 {to}");
    let store = open_store(ctx)?;
    let calls = store::reminders::between(store.conn(), from, to)?;
    let rows: Vec<Vec<String>> = calls.iter().map(crate::listing::reminder_cells).collect();
    crate::export::write(out, format, "督促记录", crate::listing::REMINDER_HEADERS, &rows, ctx.force)?;
    let mut store = store;
    let detail = format!("{from} 至 {to}，{} 条，{}", rows.len(), out.display());
    store::backup::audit(&mut store, &ctx.operator, "导出督促记录", &detail, ctx.now())?;
    emit(&format!("已导出 {} 条督促记录：{}\n", rows.len(), out.display()))
}
