//! `xfdesk holidays`: the years the calendar knows, and adding one. A year's
//! file is checked whole before anything is written; the running clocks it
//! moves are recomputed in the same transaction, each with a trail entry.

use std::path::Path;

use super::{Context, emit, open_reading, open_store};
use crate::domain::calendar;
use crate::store;

pub fn list(ctx: &Context) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let mut out = String::new();
    for (year, rest, work) in store::calendar::years(store.conn())? {
        out.push_str(&format!("{year}年：放假 {rest} 天，调休上班 {work} 天\n"));
    }
    if let Some(notice) = calendar::next_year_notice(&store::calendar::load(store.conn())?, ctx.today()) {
        out.push_str(&format!("{notice}\n"));
    }
    emit(&out)
}

pub fn add(ctx: &Context, year: i32, file: &Path) -> anyhow::Result<()> {
    let shown = crate::text::sanitize_line(&file.display().to_string()).into_owned();
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("无法读取 {shown}：{e}"))?;
    let days = calendar::parse_year(&text, year)
        .map_err(|e| anyhow::anyhow!("{shown}：{}（未写入任何内容）", crate::text::sanitize_line(&e)))?;
    let mut store = open_store(ctx)?;
    let by = ctx.actor.as_ref().ok_or_else(|| anyhow::anyhow!("此命令需要管理员登录"))?;
    let moved = store::calendar::replace_year(&mut store, year, &days, by, ctx.now())?;
    let mut out =
        format!("已录入{year}年节假日安排：{} 天；{} 个正在计时的期限随之改变\n", days.entries().count(), moved.len());
    for m in &moved {
        out.push_str(&format!("  {} {}期限 {} → {}\n", m.case_number, m.clock, m.from, m.to));
    }
    emit(&out)
}
