//! Commands that keep the database: init, gen, backup, restore, check,
//! repair-triggers; the anchors they record.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::{Context, emit, open_reading, open_store, record_anchor};
use crate::anchors::{self, Anchor};
use crate::store::encrypt::{Key, Lock};
use crate::store::{self, Store, bulk, check, reference::ReferenceData};
use crate::synth;

pub fn init(ctx: &Context) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let counts = store::cases::counts(store.conn(), ctx.today())?;
    emit(&format!(
        "数据库已就绪：{}（版本 {}，事项 {} 件）\n",
        store.path().display(),
        store.schema_version()?,
        counts.total
    ))?;
    Ok(())
}

pub fn generate(ctx: &Context, petitioners: usize, cases: usize, seed: u64, batch: usize) -> anyhow::Result<()> {
    anyhow::ensure!(petitioners > 0 || cases == 0, "生成事项需要至少一名信访人");
    let started = Instant::now();
    let mut store = Store::open(&ctx.db)?;
    let refs = ReferenceData::load(store.conn())?;
    let (first_pid, first_cid) = bulk::next_ids(&store)?;
    let taken = synth::Taken { id_numbers: bulk::existing_id_numbers(&store)?, series: bulk::existing_series(&store)? };
    let opts = synth::GenOptions {
        petitioners,
        cases,
        seed,
        number_prefix: ctx.config.case_number_prefix().to_string(),
        end: ctx.now(),
        batch,
    };
    let generator = synth::Generator::new(opts, &refs, first_pid, first_cid, taken);
    // Off a terminal (a script, a test), one line per committed batch instead of the bar.
    let lines = !std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new((petitioners + cases) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec} 剩余 {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("写入");
    let mut load = bulk::BulkLoad::begin(&mut store)?;
    generator.each_batch(|batch, (p, c)| -> anyhow::Result<()> {
        load.insert(batch)?;
        bar.set_position((p + c) as u64);
        if lines {
            emit(&format!("已提交：信访人 {p}，事项 {c}\n"))?;
        }
        Ok(())
    })?;
    bar.set_message("建索引");
    load.finish()?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let size = file_size_mib(&ctx.db);
    emit(&format!(
        "已生成 {petitioners} 名信访人、{cases} 件事项，用时 {secs:.1} 秒，数据库 {size:.0} MiB：{}\n",
        ctx.db.display()
    ))?;
    tracing::info!(petitioners, cases, seed, secs, size_mib = size, "generated synthetic data");
    Ok(())
}

/// `backup --encrypt`: a passphrase (file or terminal) or recipients' keys.
pub struct BackupLock {
    pub passphrase_file: Option<PathBuf>,
    pub recipients: Vec<String>,
}

pub fn backup(ctx: &Context, out: &Path, lock: Option<BackupLock>) -> anyhow::Result<()> {
    let shown = crate::text::sanitize_line(&out.display().to_string()).into_owned();
    anyhow::ensure!(!same_file(out, &ctx.db), "{shown} 就是数据库本身，不能备份到它");
    anyhow::ensure!(ctx.force || std::fs::symlink_metadata(out).is_err(), "{shown} 已存在；要替换它请加 --force");
    let lock = match lock {
        None => None,
        Some(l) if !l.recipients.is_empty() => Some(Lock::Recipients(store::encrypt::recipients(&l.recipients)?)),
        Some(l) => Some(Lock::Passphrase(super::secret::passphrase(l.passphrase_file.as_deref(), true)?)),
    };
    let store = open_reading(ctx)?;
    let v = store::backup::backup(&store, out, lock.as_ref())?;
    let database = store::database_id(store.conn())?;
    drop(store);
    let now = ctx.now();
    let anchor = Anchor::of_copy(&v, database, now, format!("备份 {shown}"));
    record_anchor(ctx, &anchor);
    let detail = format!("{shown}（{}）", anchor.paper_mark());
    match open_store(ctx).and_then(|mut s| Ok(store::backup::audit(&mut s, &ctx.operator, "备份", &detail, now)?)) {
        Ok(()) => {}
        Err(e) => super::say(&format!("备份已完成，但未能记入审计日志：{e:#}")),
    }
    let locked = if lock.is_some() { "，已加密" } else { "" };
    emit(&format!(
        "已备份到 {shown}（校验通过：结构版本 {}，事项 {} 件{locked}；{}）\n",
        v.version,
        v.cases,
        anchor.paper_mark()
    ))
}

pub fn restore(
    ctx: &Context,
    file: &Path,
    passphrase_file: Option<&Path>,
    identity: Option<&Path>,
) -> anyhow::Result<()> {
    let now = ctx.now();
    let key = match (store::encrypt::is_encrypted(file), identity) {
        (false, _) => None,
        (true, Some(id)) => Some(Key::Identities(store::encrypt::identities(id)?)),
        (true, None) => Some(Key::Passphrase(super::secret::passphrase(passphrase_file, false)?)),
    };
    let anchors = read_anchors(ctx)?;
    let request = store::restore::Request { target: &ctx.db, from: file, key: key.as_ref(), anchors: &anchors, now };
    let done = store::restore::restore(&request)?;
    let shown = crate::text::sanitize_line(&file.display().to_string()).into_owned();
    let database = store::database_id(Store::open_read_only(&ctx.db, store::BUSY_TIMEOUT)?.conn())?;
    let marker = Anchor::of_copy(&done.verified, database, now, format!("{}{shown}", anchors::RESTORED_FROM));
    record_anchor(ctx, &marker);
    let mut store = Store::open(&ctx.db)?;
    store::backup::audit(&mut store, &ctx.operator, "恢复", &shown, now)?;
    let mut text = format!(
        "已用 {shown} 恢复数据库 {}（完整校验通过：事项 {} 件；{}）\n",
        ctx.db.display(),
        done.verified.cases,
        marker.paper_mark()
    );
    if let Some(k) = done.kept {
        text.push_str(&format!("原数据库已保留为 {}\n", k.display()));
    }
    emit(&text)
}

/// `repair-triggers`: put back the append-only guards, audited.
pub fn repair_triggers(ctx: &Context) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    let now = ctx.now();
    let fixed = store.write(|tx| {
        let fixed = store::guards::restore(tx)?;
        if !fixed.is_empty() {
            store::backup::audit_in(tx, &ctx.operator, "修复触发器", &fixed.join("、"), now)?;
        }
        Ok(fixed)
    })?;
    match fixed.is_empty() {
        true => emit("只追加保护触发器齐全，无需修复\n"),
        false => emit(&format!("已重建 {} 个只追加保护触发器：{}（已记入审计日志）\n", fixed.len(), fixed.join("、"))),
    }
}

/// The anchors recorded for this database's file (all databases share one file).
fn read_anchors(ctx: &Context) -> anyhow::Result<Vec<Anchor>> {
    let (found, bad) = anchors::read(&ctx.anchors).map_err(|e| {
        anyhow::anyhow!("无法读取锚点文件 {}：{e}", crate::text::sanitize_line(&ctx.anchors.display().to_string()))
    })?;
    if !bad.is_empty() {
        super::say(&format!(
            "锚点文件第 {} 行不是锚点，已跳过",
            bad.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("、")
        ));
    }
    Ok(anchors::effective(found))
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

fn file_size_mib(db: &Path) -> f64 {
    let wal = db.with_extension("db-wal");
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    (bytes(db) + bytes(&wal)) as f64 / 1024.0 / 1024.0
}

pub fn check(ctx: &Context, quick: bool, paper: Option<&str>) -> ExitCode {
    match check_report(ctx, quick, paper) {
        Ok((text, ok)) => {
            let _ = emit(&text);
            if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            super::say(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

fn check_report(ctx: &Context, quick: bool, paper: Option<&str>) -> anyhow::Result<(String, bool)> {
    let paper = paper.map(anchors::parse_paper).transpose().map_err(anyhow::Error::msg)?;
    let store = Store::open_read_only(&ctx.db, std::time::Duration::from_millis(ctx.config.store.busy_timeout_ms))?;
    let report = check_showing_progress(store.conn(), quick)?;
    let mut lines = vec![
        format!("数据库：{}", ctx.db.display()),
        format!("结构版本：{}（本程序 {}）", report.schema_version, report.supported_version),
    ];
    let kind = if quick { "快速检查" } else { "完整性检查" };
    section(&mut lines, kind, &report.integrity, report.integrity.len());
    match quick {
        true => lines.push("外键检查：未做（完整检查时做）".into()),
        false => section(&mut lines, "外键检查", &report.foreign_keys, report.foreign_keys.len()),
    }
    if report.schema_version != report.supported_version || !report.integrity.is_empty() {
        lines.push("（结构版本不符或文件损坏，未检查校验链）".into());
        return Ok((lines.join("\n") + "\n", false));
    }
    section(&mut lines, "数据表和索引", &report.missing_objects, report.missing_objects.len());
    if report.missing_objects.iter().any(|m| m.starts_with("缺少数据表")) {
        return Ok((lines.join("\n") + "\n", false));
    }
    let trail: Vec<String> = report.trail.iter().map(|b| b.to_string()).collect();
    section(&mut lines, "办理记录校验链", &trail, trail.len());
    let audit: Vec<String> = report.audit.iter().cloned().collect();
    section(&mut lines, "审计记录校验链", &audit, audit.len());
    let people: Vec<String> = report.people.iter().cloned().collect();
    section(&mut lines, "信访人档案变更记录校验链", &people, people.len());
    section(&mut lines, "事项封记", &report.cases.lines, report.cases.count);
    let guards: Vec<String> = report
        .missing_guards
        .iter()
        .map(|g| format!("{g} 缺失或被改动（管理员可运行 xfdesk repair-triggers）"))
        .collect();
    section(&mut lines, "只追加保护触发器", &guards, guards.len());
    if !quick {
        section(&mut lines, "信访人来访统计", &report.counts, report.counts.len());
    }
    let mut anchor_problems = anchors::verify(store.conn(), &read_anchors(ctx)?, false)?;
    if let Some(head) = &paper
        && let Some(why) = anchors::holds(store.conn(), store::chain::Sequence::Trail, head, true)?
    {
        anchor_problems.push(format!("纸面锚点 第{}条:{}：{why}", head.seq, head.hash));
    }
    section(&mut lines, "锚点", &anchor_problems, anchor_problems.len());
    let ok = report.is_ok() && anchor_problems.is_empty();
    let now = Anchor {
        at: ctx.now(),
        database: store::database_id(store.conn())?,
        trail: report.trail_head.clone(),
        audit: report.audit_head.clone(),
        reason: "检查".into(),
    };
    if let Some(head) = &paper.filter(|_| anchor_problems.is_empty()) {
        lines.push(format!("纸面锚点 第{}条:{} 与数据库一致", head.seq, head.hash));
    }
    lines.push(format!("当前链头：{}（审计记录第{}条）", now.paper_mark(), now.audit.seq));
    if ok {
        record_anchor(ctx, &now);
    }
    Ok((lines.join("\n") + "\n", ok))
}

/// The check with its parts said on stderr as they run: a spinner naming
/// them on a terminal, one line per finished part otherwise.
fn check_showing_progress(conn: &rusqlite::Connection, quick: bool) -> store::Result<check::CheckReport> {
    let lines = !std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let started = Instant::now();
    let running = std::sync::Mutex::new(Vec::<&str>::new());
    let progress = |step: check::Step| {
        let Ok(mut running) = running.lock() else { return };
        match step {
            check::Step::Started(part) => running.push(part),
            check::Step::Finished(part, took) => {
                running.retain(|p| *p != part);
                let done = format!("已检查：{part}（{:.1} 秒）", took.as_secs_f64());
                if lines { eprintln!("{done}") } else { bar.println(done) }
            }
        }
        bar.set_message(format!("正在检查：{}（已用 {} 秒）", running.join("、"), started.elapsed().as_secs()));
    };
    let report = check::run_with(conn, quick, &progress);
    bar.finish_and_clear();
    report
}

/// `名称：正常` or `名称：发现 N 处问题` with the first lines under it.
fn section(lines: &mut Vec<String>, name: &str, problems: &[String], count: usize) {
    if count == 0 {
        lines.push(format!("{name}：正常"));
        return;
    }
    lines.push(format!("{name}：发现 {count} 处问题"));
    lines.extend(problems.iter().take(20).map(|m| format!("  {}", crate::text::sanitize_line(m))));
}
