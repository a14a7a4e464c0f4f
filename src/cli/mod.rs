//! The command line: arguments (clap), configuration and the subcommands.
//! Everything that can fail plainly (arguments, config, opening the database)
//! happens here, before the terminal is switched to the full-screen UI.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::paths::Paths;
use crate::store::{self, Store, bulk, check, demo, reference::ReferenceData};
use crate::synth;

mod reports;
pub use reports::{MetricsFormat, ReportCommand, WeeklyFormat};

#[derive(Debug, Parser)]
#[command(name = "xfdesk", version, about = "信访接待台：区信访局来访接待终端")]
pub struct Cli {
    /// 数据库文件（默认在用户数据目录下）
    #[arg(long, env = "XFDESK_DB", global = true)]
    pub db: Option<PathBuf>,
    /// 配置文件（默认在用户配置目录下的 config.toml）
    #[arg(long, env = "XFDESK_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// 登记人（默认取配置文件，其次为系统用户名）
    #[arg(long, env = "XFDESK_OPERATOR", global = true)]
    pub operator: Option<String>,
    /// 本窗口的名称：未保存的登记草稿按窗口保存（默认与登记人相同）
    #[arg(long, env = "XFDESK_DESK", global = true)]
    pub desk: Option<String>,
    /// 使用演示数据库（与正式数据库分开）
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库（不进入界面）
    Init,
    /// 生成用于压力测试的合成数据
    Gen {
        /// 信访人数
        #[arg(long, default_value_t = 1000)]
        petitioners: usize,
        /// 信访事项数
        #[arg(long, default_value_t = 3000)]
        cases: usize,
        /// 随机种子（相同种子生成相同数据）
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 每个事务写入的行数
        #[arg(long, default_value_t = crate::synth::BATCH)]
        batch: usize,
    },
    /// 查询信访人和事项（与界面中的查询相同）
    Search {
        /// 查询内容：姓名、拼音首字母、证件号或尾号、电话或尾号、编号、反映内容；可加 状态: 街道: 分类: 从: 到:
        query: Vec<String>,
        /// 每类结果最多几条
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// 只看在办事项
        #[arg(long)]
        open: bool,
        /// 输出 JSON（证件号、电话已脱敏）
        #[arg(long)]
        json: bool,
    },
    /// 计算法定期限：到期日及理由（节假日按数据库中的节假日表）
    Deadline {
        /// relay（转送交办15日）accept（受理告知15日）objection（异议5个工作日）handle（办结60日）
        /// review-request（申请复查30日）review（复查意见30日）recheck-request（申请复核30日）
        /// recheck（复核意见30日）simple-accept（简易受理3个工作日）simple-answer（简易答复10个工作日）
        rule: String,
        /// 起算日（收到、受理、答复之日），YYYY-MM-DD
        #[arg(long)]
        from: chrono::NaiveDate,
        /// 经批准延期的天数（仅办结期限，最多30日）
        #[arg(long, default_value_t = 0)]
        extend: u32,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 列出即将到期和已超期的期限（已超期、今天到期、数日内到期、7天内到期）
    Due {
        /// 列出多少天内到期的（默认7天）
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 事项
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// 电话督促：今天该督促的事项、导出督促记录
    Reminders {
        #[command(subcommand)]
        command: ReminderCommand,
    },
    /// 领导干部公开接访日：安排接访日、列出接访日
    Reception {
        #[command(subcommand)]
        command: ReceptionCommand,
    },
    /// 报表：每周排查上报、工作指标、预警列表
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// 从其他系统导入事项和信访人（每行一件；列名见 README 和 seeds/import-example.csv）
    Import {
        /// csv（带表头，UTF-8）或 json（对象数组，键与 CSV 列名相同）
        #[arg(long, value_enum)]
        format: crate::import::ImportFormat,
        /// 要导入的文件
        file: PathBuf,
        /// 只导入正确的行，有误的行写入拒绝文件（默认：有一行有误就全部不导入）
        #[arg(long)]
        skip_bad: bool,
        /// 拒绝文件（默认为 文件名.rejects.csv）
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
    /// 备份数据库（在线备份，其他窗口可同时使用；备份后校验）
    Backup {
        /// 备份文件
        #[arg(long)]
        out: PathBuf,
    },
    /// 用备份替换数据库：先校验备份，原数据库改名保留（请先关闭所有窗口）
    Restore {
        /// 备份文件
        file: PathBuf,
    },
    /// 检查数据库完整性（integrity_check、外键、版本）
    Check {
        /// 只做快速检查（quick_check）
        #[arg(long)]
        quick: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReceptionCommand {
    /// 安排一个领导接访日（界面"接访队列"显示当天的接访日）
    AddDay {
        /// 日期 YYYY-MM-DD
        #[arg(long)]
        date: chrono::NaiveDate,
        /// 接访领导姓名
        #[arg(long)]
        leader: String,
        /// 职务，如"区委书记"
        #[arg(long)]
        post: String,
        /// 接访地点
        #[arg(long)]
        place: String,
        /// 时段
        #[arg(long, default_value = "上午 9:00-12:00")]
        slot: String,
        /// 分管工作
        #[arg(long, default_value = "")]
        portfolio: String,
        /// 参加接访的单位（用顿号分隔）
        #[arg(long, default_value = "")]
        units: String,
    },
    /// 列出接访日（最近的在前）
    Days,
    /// 实名预约某个接访日（校验身份证号，显示既往事项数）
    Book {
        /// 接访日 YYYY-MM-DD
        #[arg(long)]
        date: chrono::NaiveDate,
        /// 预约时间 HH:MM
        #[arg(long)]
        time: chrono::NaiveTime,
        #[arg(long)]
        name: String,
        /// 身份证号
        #[arg(long)]
        id: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// 反映问题摘要
        #[arg(long, default_value = "")]
        summary: String,
        /// 所属街道/镇
        #[arg(long, default_value = "")]
        street: String,
        /// 内容分类名称，如"物业管理"
        #[arg(long)]
        category: Option<String>,
    },
    /// 列出某个接访日的预约（按预约时间）
    Appointments {
        #[arg(long)]
        date: chrono::NaiveDate,
    },
    /// 处理一条预约：confirm（确认）、cancel（取消）、no-show（未到）、check-in（到场取号，预约号段）
    Appointment {
        /// 预约编号（见 appointments 列表）
        id: i64,
        #[arg(value_enum)]
        action: AppointmentAction,
    },
    /// 接访日台账：每个号一行（姓名、住址、反映问题、问题属地、领导意见、责任单位、结果）及当天统计
    Ledger {
        /// 日期 YYYY-MM-DD
        #[arg(long)]
        date: chrono::NaiveDate,
        /// 导出格式（与 --out 同用）
        #[arg(long, value_enum, default_value = "xlsx")]
        format: crate::export::Format,
        /// 导出到文件；不给时在终端显示（姓名脱敏）
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AppointmentAction {
    Confirm,
    Cancel,
    NoShow,
    CheckIn,
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// 显示一件事项：基本情况、期限及理由、办理记录（证件号、电话脱敏；检举控告和保密件不显示内容）
    Show {
        /// 事项编号
        number: String,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReminderCommand {
    /// 今天该督促的事项及原因（规则见配置文件 [reminders]）
    Due {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 导出一段时间内的督促记录
    Export {
        /// 开始日期 YYYY-MM-DD
        #[arg(long)]
        from: chrono::NaiveDate,
        /// 结束日期 YYYY-MM-DD（含）
        #[arg(long)]
        to: chrono::NaiveDate,
        /// csv（UTF-8 带 BOM，Excel 可直接打开）或 xlsx
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// 输出文件
        #[arg(long)]
        out: PathBuf,
    },
}

/// What every command needs: resolved paths, configuration, operator.
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
    pub operator: String,
    pub desk: String,
    pub demo: bool,
}

/// Exit codes: 0 ok, 1 the command failed, 2 bad configuration or arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match context(&cli) {
        Ok(ctx) => ctx,
        Err(msg) => {
            eprintln!("xfdesk: {msg}");
            return ExitCode::from(2);
        }
    };
    let _log = crate::logging::init(&ctx.db);
    let result = match cli.command {
        None => crate::tui::run(&ctx),
        Some(Command::Init) => init(&ctx),
        Some(Command::Gen { petitioners, cases, seed, batch }) => generate(&ctx, petitioners, cases, seed, batch),
        Some(Command::Check { quick }) => return check(&ctx, quick),
        Some(Command::Search { query, limit, open, json }) => search(&ctx, &query.join(" "), limit, open, json),
        Some(Command::Deadline { rule, from, extend, json }) => deadline(&ctx, &rule, from, extend, json),
        Some(Command::Due { days, json }) => due(&ctx, days, json),
        Some(Command::Case { command: CaseCommand::Show { number, json } }) => case_show(&ctx, &number, json),
        Some(Command::Reminders { command: ReminderCommand::Due { json } }) => reminders_due(&ctx, json),
        Some(Command::Backup { out }) => backup(&ctx, &out),
        Some(Command::Report { command }) => reports::report(&ctx, command),
        Some(Command::Import { format, file, skip_bad, rejects }) => {
            reports::import_file(&ctx, &file, format, skip_bad, rejects.as_deref())
        }
        Some(Command::Reception { command }) => reception(&ctx, command),
        Some(Command::Restore { file }) => restore(&ctx, &file),
        Some(Command::Reminders { command: ReminderCommand::Export { from, to, format, out } }) => {
            reminders_export(&ctx, from, to, format, &out)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("xfdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn context(cli: &Cli) -> Result<Context, String> {
    let paths = Paths::discover();
    let config = match &cli.config {
        Some(p) => Config::load(p, true),
        None => Config::load(&paths.config_file, false),
    }
    .map_err(|e| e.to_string())?;
    let db = match (&cli.db, cli.demo) {
        (Some(p), _) => p.clone(),
        (None, true) => paths.demo_db(),
        (None, false) => paths.default_db(),
    };
    let operator = cli
        .operator
        .clone()
        .or_else(|| config.operator.clone())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| "登记员".to_string());
    let desk = cli.desk.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| operator.clone());
    Ok(Context { db, config, operator, desk, demo: cli.demo })
}

/// Open the database of `ctx`, filling a demo database on first use.
pub fn open_store(ctx: &Context) -> anyhow::Result<Store> {
    let busy = std::time::Duration::from_millis(ctx.config.store.busy_timeout_ms);
    let mut store = Store::open_with(&ctx.db, busy)?;
    if ctx.demo {
        let now = chrono::Local::now().naive_local();
        demo::load_if_empty(&mut store, ctx.config.case_number_prefix(), now)?;
    }
    Ok(store)
}

fn init(ctx: &Context) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let counts = store::cases::counts(store.conn(), chrono::Local::now().date_naive())?;
    println!("数据库已就绪：{}（版本 {}，事项 {} 件）", store.path().display(), store.schema_version()?, counts.total);
    Ok(())
}

fn generate(ctx: &Context, petitioners: usize, cases: usize, seed: u64, batch: usize) -> anyhow::Result<()> {
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
        end: chrono::Local::now().naive_local(),
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
    println!(
        "已生成 {petitioners} 名信访人、{cases} 件事项，用时 {secs:.1} 秒，数据库 {size:.0} MiB：{}",
        ctx.db.display()
    );
    tracing::info!(petitioners, cases, seed, secs, size_mib = size, "generated synthetic data");
    Ok(())
}

fn search(ctx: &Context, query: &str, limit: usize, open: bool, json: bool) -> anyhow::Result<()> {
    anyhow::ensure!(limit > 0, "--limit 至少为 1");
    let store = open_store(ctx)?;
    let q = crate::domain::query::parse(query, open);
    let cal = store::calendar::load(store.conn())?;
    let results = store::search::search(store.conn(), &q, limit, &cal)?;
    let listing = crate::listing::SearchListing::from(&results);
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&listing)?))?;
    } else {
        emit(&listing.to_text())?;
    }
    if let Some(n) = &results.notice {
        eprintln!("提示：{}", crate::text::sanitize_line(n));
    }
    Ok(())
}

fn deadline(ctx: &Context, rule: &str, from: chrono::NaiveDate, extend: u32, json: bool) -> anyhow::Result<()> {
    use crate::domain::deadline::{Rule, compute};
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let rule =
        Rule::from_code(rule).ok_or_else(|| anyhow::anyhow!("未知的期限「{rule}」，可用：{}", codes.join("、")))?;
    let store = open_store(ctx)?;
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
        emit(&format!("{}\n", serde_json::to_string_pretty(&out)?))
    } else {
        let mut text = format!("{}：{}\n", rule.label(), d.due);
        for line in &d.explanation {
            text.push_str(&format!("  {line}\n"));
        }
        emit(&text)
    }
}

fn due(ctx: &Context, days: u32, json: bool) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let today = chrono::Local::now().date_naive();
    let soon = i64::from(ctx.config.deadlines.due_soon_days);
    let groups = store::deadlines::worklist(store.conn(), today, days, soon, 10_000)?;
    let listing = crate::listing::DueListing::new(groups, today, soon);
    if json { emit(&format!("{}\n", serde_json::to_string_pretty(&listing)?)) } else { emit(&listing.to_text()) }
}

fn case_show(ctx: &Context, number: &str, json: bool) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let number = number.trim().to_uppercase();
    let id = store::cases::id_by_number(store.conn(), &number)?
        .ok_or_else(|| anyhow::anyhow!("没有编号为 {number} 的事项"))?;
    let refs = store::reference::ReferenceData::load(store.conn())?;
    let cal = store::calendar::load(store.conn())?;
    let dossier = store::dossier::load(store.conn(), id, &refs, &cal)?
        .ok_or_else(|| anyhow::anyhow!("事项 {number} 已不存在"))?;
    let report = crate::listing::CaseReport::new(&dossier, chrono::Local::now().date_naive());
    if json { emit(&format!("{}\n", serde_json::to_string_pretty(&report)?)) } else { emit(&report.to_text()) }
}

fn reminders_due(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let store = open_store(ctx)?;
    let cal = store::calendar::load(store.conn())?;
    let today = chrono::Local::now().date_naive();
    let due = store::reminders::due(store.conn(), today, &ctx.config.reminders, &cal)?;
    let rows: Vec<crate::listing::ReminderDueRow> = due.iter().map(crate::listing::ReminderDueRow::from).collect();
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&rows)?))
    } else {
        emit(&crate::listing::ReminderDueRow::to_text(&rows))
    }
}

fn reception(ctx: &Context, command: ReceptionCommand) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    match command {
        ReceptionCommand::AddDay { date, leader, post, place, slot, portfolio, units } => {
            let day = store::queue::NewReceptionDay {
                date,
                time_slot: slot,
                place,
                leader,
                leader_post: post,
                portfolio,
                units,
                announcement: String::new(),
            };
            let now = chrono::Local::now().naive_local();
            store::queue::create_day(&mut store, &day, now)?;
            emit(&format!(
                "已安排 {date} {} {}（{}）接访，地点：{}\n",
                day.time_slot, day.leader, day.leader_post, day.place
            ))
        }
        ReceptionCommand::Ledger { date, format, out } => reception_ledger(ctx, &mut store, date, format, out),
        ReceptionCommand::Book { date, time, name, id, phone, summary, street, category } => {
            let day =
                store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
            let refs = store::reference::ReferenceData::load(store.conn())?;
            let category_code = match category {
                Some(c) => Some(
                    refs.category_by_name(c.trim())
                        .ok_or_else(|| anyhow::anyhow!("未知的内容分类「{c}」"))?
                        .code
                        .clone(),
                ),
                None => None,
            };
            let b = store::queue::Booking {
                day_id: day.id,
                name,
                id_number: id,
                phone,
                summary,
                category_code,
                street,
                booked_time: date.and_time(time),
            };
            let n = store::queue::book(&mut store, &b, chrono::Local::now().naive_local())?;
            let prior = store::queue::appointments(store.conn(), day.id)?
                .into_iter()
                .find(|a| a.id == n)
                .map_or(0, |a| a.prior_cases);
            let history = if prior > 0 {
                format!("，既往事项 {prior} 件（重复访）")
            } else {
                "，无既往事项".into()
            };
            emit(&format!(
                "已预约（编号 {n}）：{date} {} {}{history}\n",
                time.format("%H:%M"),
                crate::domain::mask::name(&b.name)
            ))
        }
        ReceptionCommand::Appointments { date } => {
            let day =
                store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
            let mut text = String::new();
            for a in store::queue::appointments(store.conn(), day.id)? {
                let line = format!(
                    "{:>4} {} {} {} {} 既往{}件 {}",
                    a.id,
                    a.booked_time.get(11..16).unwrap_or_default(),
                    crate::domain::mask::name(&a.name),
                    crate::domain::mask::id_number(&a.id_number),
                    a.status,
                    a.prior_cases,
                    a.summary
                );
                text.push_str(&crate::text::sanitize_line(&line));
                text.push('\n');
            }
            emit(if text.is_empty() { "没有预约\n" } else { &text })
        }
        ReceptionCommand::Appointment { id, action } => {
            use crate::domain::queue::AppointmentStatus as A;
            let status = match action {
                AppointmentAction::Confirm => A::Confirmed,
                AppointmentAction::Cancel => A::Cancelled,
                AppointmentAction::NoShow => A::NoShow,
                AppointmentAction::CheckIn => {
                    let now = chrono::Local::now().naive_local();
                    let t = store::queue::check_in_appointment(&mut store, id, &ctx.operator, now, &ctx.config.queue)?;
                    return emit(&format!("已取号 {}（预约）\n", t.number));
                }
            };
            store::queue::set_appointment(&mut store, id, status)?;
            emit(&format!("预约 {id}：{}\n", status.label()))
        }
        ReceptionCommand::Days => {
            let mut text = String::new();
            let counts = store::queue::ticket_counts(store.conn())?;
            for d in store::queue::days(store.conn())? {
                let n = counts.get(&d.id).copied().unwrap_or(0);
                let d = d.day;
                let line =
                    format!("{} {} {}（{}） {} 取号 {n} 人", d.date, d.time_slot, d.leader, d.leader_post, d.place);
                text.push_str(&crate::text::sanitize_line(&line));
                text.push('\n');
            }
            if text.is_empty() {
                text = "还没有安排接访日\n".into();
            }
            emit(&text)
        }
    }
}

fn reception_ledger(
    ctx: &Context,
    store: &mut Store,
    date: chrono::NaiveDate,
    format: crate::export::Format,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let day = store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
    let rows = store::queue::ledger(store.conn(), day.id)?;
    let now = chrono::Local::now().naive_local();
    let times: Vec<_> = store::queue::tickets(store.conn(), day.id)?.iter().map(|t| t.times()).collect();
    let s = crate::domain::queue::DayStats::of(times, now);
    let minutes = |m: Option<i64>| m.map_or("—".to_string(), |m| format!("{m}分钟"));
    let stats = format!(
        "{date} {}（{}）接访：取号 {} 人，已接谈 {}，过号离开 {}，平均等候 {}，最长等候 {}，平均接谈 {}",
        day.day.leader,
        day.day.leader_post,
        s.arrived,
        s.seen,
        s.no_shows,
        minutes(s.average_wait),
        minutes(s.longest_wait),
        minutes(s.average_talk)
    );
    let stats = crate::text::sanitize_line(&stats).into_owned() + "\n";
    let Some(out) = out else {
        let mut text = stats + "\n";
        for r in &rows {
            let line = format!(
                "{} {} {} {} | {} | {} {}",
                r.number,
                crate::domain::mask::name(&r.name),
                r.problem,
                r.place,
                if r.opinion.is_empty() { "（未批示）" } else { &r.opinion },
                r.unit,
                r.result
            );
            text.push_str(&crate::text::sanitize_line(&line));
            text.push('\n');
        }
        return emit(&text);
    };
    let cells: Vec<Vec<String>> = rows.iter().map(store::queue::LedgerRow::cells).collect();
    crate::export::write(&out, format, "接访台账", store::queue::LEDGER_HEADERS, &cells)?;
    let detail = format!("{date} 接访台账，{} 行，{}", rows.len(), out.display());
    store::backup::audit(store, &ctx.operator, "导出接访台账", &detail, now)?;
    emit(&format!("{stats}已导出接访台账 {} 行：{}\n", rows.len(), out.display()))
}

fn reminders_export(
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
    crate::export::write(out, format, "督促记录", crate::listing::REMINDER_HEADERS, &rows)?;
    let mut store = store;
    let detail = format!("{from} 至 {to}，{} 条，{}", rows.len(), out.display());
    store::backup::audit(&mut store, &ctx.operator, "导出督促记录", &detail, chrono::Local::now().naive_local())?;
    emit(&format!("已导出 {} 条督促记录：{}\n", rows.len(), out.display()))
}

fn backup(ctx: &Context, out: &Path) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    let v = store::backup::backup(&store, out)?;
    let now = chrono::Local::now().naive_local();
    store::backup::audit(&mut store, &ctx.operator, "备份", &out.display().to_string(), now)?;
    emit(&format!("已备份到 {}（校验通过：结构版本 {}，事项 {} 件）\n", out.display(), v.version, v.cases))
}

fn restore(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let now = chrono::Local::now().naive_local();
    let kept = store::backup::restore(&ctx.db, file, now)?;
    let mut store = Store::open(&ctx.db)?;
    store::backup::audit(&mut store, &ctx.operator, "恢复", &file.display().to_string(), now)?;
    let mut text = format!("已用 {} 恢复数据库 {}\n", file.display(), ctx.db.display());
    if let Some(k) = kept {
        text.push_str(&format!("原数据库已保留为 {}\n", k.display()));
    }
    emit(&text)
}

/// Write command output; a reader that went away (`xfdesk due | head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn file_size_mib(db: &Path) -> f64 {
    let wal = db.with_extension("db-wal");
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    (bytes(db) + bytes(&wal)) as f64 / 1024.0 / 1024.0
}

fn check(ctx: &Context, quick: bool) -> ExitCode {
    let report = match Store::open(&ctx.db).and_then(|s| check::run(&s, quick)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xfdesk: {e}");
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
