//! Commands that keep the database: init, gen, backup, restore, check.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::{Context, emit, open_store};
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
    let mut generator = synth::Generator::new(opts, &refs, first_pid, first_cid, taken);
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
    while let Some(batch) = generator.next_batch() {
        load.insert(&batch)?;
        bar.set_position(generator.progress().0 as u64);
        if lines {
            let (p, c) = generator.produced();
            emit(&format!("已提交：信访人 {p}，事项 {c}\n"))?;
        }
    }
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

pub fn backup(ctx: &Context, out: &Path) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    let v = store::backup::backup(&store, out)?;
    let now = ctx.now();
    store::backup::audit(&mut store, &ctx.operator, "备份", &out.display().to_string(), now)?;
    emit(&format!("已备份到 {}（校验通过：结构版本 {}，事项 {} 件）\n", out.display(), v.version, v.cases))
}

pub fn restore(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let now = ctx.now();
    let kept = store::backup::restore(&ctx.db, file, now)?;
    let mut store = Store::open(&ctx.db)?;
    store::backup::audit(&mut store, &ctx.operator, "恢复", &file.display().to_string(), now)?;
    let mut text = format!("已用 {} 恢复数据库 {}\n", file.display(), ctx.db.display());
    if let Some(k) = kept {
        text.push_str(&format!("原数据库已保留为 {}\n", k.display()));
    }
    emit(&text)
}

fn file_size_mib(db: &Path) -> f64 {
    let wal = db.with_extension("db-wal");
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    (bytes(db) + bytes(&wal)) as f64 / 1024.0 / 1024.0
}

pub fn check(ctx: &Context, quick: bool) -> ExitCode {
    let report = match Store::open(&ctx.db).and_then(|s| check::run(&s, quick)) {
        Ok(r) => r,
        Err(e) => {
            super::say(&e.to_string());
            return ExitCode::FAILURE;
        }
    };
    let mut lines = vec![
        format!("数据库：{}", ctx.db.display()),
        format!("结构版本：{}（本程序 {}）", report.schema_version, report.supported_version),
    ];
    let kind = if quick { "快速检查" } else { "完整性检查" };
    if report.integrity.is_empty() {
        lines.push(format!("{kind}：正常"));
    } else {
        lines.push(format!("{kind}：发现 {} 处问题", report.integrity.len()));
        lines.extend(report.integrity.iter().map(|m| format!("  {}", crate::text::sanitize_line(m))));
    }
    if report.foreign_keys.is_empty() {
        lines.push("外键检查：正常".into());
    } else {
        lines.push(format!("外键检查：发现 {} 处问题", report.foreign_keys.len()));
        lines.extend(report.foreign_keys.iter().take(20).map(|m| format!("  {m}")));
    }
    match &report.trail {
        None => lines.push("办理记录校验链：完整".into()),
        Some(b) => lines.push(format!("办理记录校验链：断裂——{}", crate::text::sanitize_line(&b.to_string()))),
    }
    let _ = emit(&(lines.join("\n") + "\n"));
    if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
