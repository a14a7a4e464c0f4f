//! The command line's arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::reports::ReportCommand;

/// The dates a command takes: the People's Republic's dates, not the
/// calendar's limits (a date near year 262142 would overflow the clocks).
pub fn day(s: &str) -> Result<chrono::NaiveDate, String> {
    let d: chrono::NaiveDate =
        s.trim().parse().map_err(|_| format!("日期应写成 2026-11-28，现为「{}」", crate::text::sanitize_line(s)))?;
    let (first, last) = (chrono::NaiveDate::from_ymd_opt(1949, 10, 1), chrono::NaiveDate::from_ymd_opt(2199, 12, 31));
    if first.is_some_and(|f| d < f) || last.is_some_and(|l| d > l) {
        return Err(format!("日期应在 1949-10-01 至 2199-12-31 之间，现为 {d}"));
    }
    Ok(d)
}

/// A count from 0 to `max`.
fn count(max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(0..=max)
}

/// A count from 1 to `max`.
fn positive(max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..=max)
}

#[derive(Debug, Parser)]
#[command(name = "xfdesk", version, about = "信访接待台：区信访局来访接待终端")]
pub struct Cli {
    /// 数据库文件（默认在用户数据目录下）
    #[arg(long, env = "XFDESK_DB", global = true)]
    pub db: Option<PathBuf>,
    /// 配置文件（默认在用户配置目录下的 config.toml）
    #[arg(long, env = "XFDESK_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// 已取消：登记人是登录的账号（见 --user）
    #[arg(long, env = "XFDESK_OPERATOR", global = true, hide = true)]
    pub operator: Option<String>,
    /// 登录的账号（读取个人信息或写入的命令需要；密码从终端输入，不回显）
    #[arg(long, env = "XFDESK_USER", global = true)]
    pub user: Option<String>,
    /// 从文件读取密码（文件权限须为 600，供定时任务使用）
    #[arg(long, global = true)]
    pub password_file: Option<PathBuf>,
    /// 本窗口的名称：未保存的登记草稿按窗口保存（默认为「登记人@终端」，如 周敏@pts/3）
    #[arg(long, env = "XFDESK_DESK", global = true)]
    pub desk: Option<String>,
    /// 使用演示数据库（与正式数据库分开）
    #[arg(long, global = true)]
    pub demo: bool,
    /// 输出文件已存在时替换它（数据库文件永远不会被替换）
    #[arg(long, global = true)]
    pub force: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 新建账号（数据库还没有账号时，第一个账号须为管理员，无需登录）
    Add {
        /// 用户名（登录用，不含空格）
        login: String,
        /// 姓名（写入办理记录）
        #[arg(long)]
        name: String,
        /// 角色，可多个：clerk（接待员）approver（审批人）admin（管理员）backup（备份员）
        #[arg(long, value_delimiter = ',', required = true)]
        role: Vec<String>,
        /// 从文件读取新账号的密码（权限 600）；不给时在终端输入两次
        #[arg(long)]
        new_password_file: Option<PathBuf>,
    },
    /// 列出账号
    List,
    /// 停用账号
    Disable { login: String },
    /// 启用账号（同时解除锁定）
    Enable { login: String },
    /// 重置密码：账号下次登录时须修改
    ResetPassword {
        login: String,
        #[arg(long)]
        new_password_file: Option<PathBuf>,
    },
    /// 设置角色（替换原有角色）
    SetRole {
        login: String,
        #[arg(value_delimiter = ',', required = true)]
        role: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库（不进入界面）
    Init,
    /// 生成用于压力测试的合成数据
    Gen {
        /// 信访人数
        #[arg(long, default_value_t = 1000, value_parser = count(10_000_000))]
        petitioners: usize,
        /// 信访事项数
        #[arg(long, default_value_t = 3000, value_parser = count(20_000_000))]
        cases: usize,
        /// 随机种子（相同种子生成相同数据）
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 每个事务写入的行数
        #[arg(long, default_value_t = crate::synth::BATCH, value_parser = positive(1_000_000))]
        batch: usize,
    },
    /// 查询信访人和事项（与界面中的查询相同）
    Search {
        /// 查询内容：姓名、拼音首字母、证件号或尾号、电话或尾号、编号、反映内容；可加 状态: 街道: 分类: 从: 到:
        query: Vec<String>,
        /// 每类结果最多几条
        #[arg(long, default_value_t = 50, value_parser = positive(10_000))]
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
        #[arg(long, value_parser = day)]
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
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=3650))]
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
    /// 节假日安排：列出已录入的年份，录入新一年（期限随之重新计算）
    Holidays {
        #[command(subcommand)]
        command: HolidayCommand,
    },
    /// 信访人
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// 电话督促：今天该督促的事项、导出督促记录
    Reminders {
        #[command(subcommand)]
        command: ReminderCommand,
    },
    /// 文书：出具告知书、交办单等（DOCX，写入数据库旁的 documents/），列出、查看、重印
    Doc {
        #[command(subcommand)]
        command: DocCommand,
    },
    /// 账号（管理员）：新建、列出、停用、启用、重置密码、设置角色
    User {
        #[command(subcommand)]
        command: UserCommand,
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
    /// 备份数据库（在线备份，其他窗口可同时使用；备份后校验并记录锚点）
    Backup {
        /// 备份文件
        #[arg(long)]
        out: PathBuf,
        /// 加密备份（age）：默认用口令（终端输入两次，或 --passphrase-file）
        #[arg(long)]
        encrypt: bool,
        /// 口令文件（权限须为 600），用于定时备份
        #[arg(long, requires = "encrypt")]
        passphrase_file: Option<PathBuf>,
        /// 改用接收方公钥加密（age1 开头，可给多次），恢复时用对应私钥
        #[arg(long, requires = "encrypt", conflicts_with = "passphrase_file")]
        recipient: Vec<String>,
    },
    /// 用备份替换数据库：先对备份做完整校验，原数据库改名保留（请先关闭所有窗口）
    Restore {
        /// 备份文件
        file: PathBuf,
        /// 加密备份的口令文件（权限须为 600）；不给时在终端输入
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// 加密备份的私钥文件（AGE-SECRET-KEY-1…）
        #[arg(long, conflicts_with = "passphrase_file")]
        identity: Option<PathBuf>,
    },
    /// 重建缺失的只追加保护触发器（记入审计日志）
    RepairTriggers,
    /// 列出全部按键及其在配置文件 [keys] 中的名称（含配置文件中的改动）
    Keys,
    /// 检查数据库：完整性、外键、版本与数据表、办理记录和审计记录校验链、事项封记、保护触发器、锚点
    Check {
        /// 只做快速检查（quick_check，校验链照常检查）
        #[arg(long)]
        quick: bool,
        /// 核对一个抄在纸上的锚点，如 第1024条:ab12cd34（台账、周报页脚上印的）
        #[arg(long)]
        anchor: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReceptionCommand {
    /// 安排一个领导接访日（界面"接访队列"显示当天的接访日）
    AddDay {
        /// 日期 YYYY-MM-DD
        #[arg(long, value_parser = day)]
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
        #[arg(long, value_parser = day)]
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
        #[arg(long, value_parser = day)]
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
        #[arg(long, value_parser = day)]
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
pub enum DocCommand {
    /// 出具一份文书：分配文号，保存正文并记入办理记录，写出 DOCX
    Issue {
        /// 事项编号
        case: String,
        /// 文书种类：registration_form receipt accept_notice not_accept_notice no_longer_notice
        /// legal_route_notice extension_notice forward_letter assign_sheet supervision_notice leader_sheet（也可写中文名）
        kind: String,
        /// 更正：本文书替代的原文号
        #[arg(long)]
        replaces: Option<String>,
        /// 同时用 LibreOffice 转换为 PDF
        #[arg(long)]
        pdf: bool,
        /// 只预览，不出具
        #[arg(long)]
        preview: bool,
    },
    /// 列出一件事项已出具的文书
    List {
        /// 事项编号
        case: String,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 显示一份已出具文书的正文（证件号、电话脱敏）
    Show {
        /// 文号，如 中信受告〔2026〕15号
        number: String,
    },
    /// 按保存的正文重印（文号、内容与出具时相同）
    Reprint {
        /// 文号
        number: String,
        /// 同时转换为 PDF
        #[arg(long)]
        pdf: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum HolidayCommand {
    /// 已录入的年份及放假、调休上班天数（今年 11 月起提示明年是否缺少）
    List,
    /// 录入或替换一年的安排（格式同 seeds/holidays.toml，只含这一年）；正在计时的期限随之重新计算并记入办理记录
    Add {
        /// 年份
        year: i32,
        /// TOML 文件
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// 显示一名信访人：档案、全部事项和档案变更记录（证件号、电话脱敏）
    Show {
        /// 证件号码
        id_number: String,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 合并同一人的两份档案：保留 KEEP，OTHER 的事项、电话、重点人员标记并入，OTHER 留作指向 KEEP 的记录
    Merge {
        /// 保留的档案（档案号或证件号码）
        keep: String,
        /// 并入的档案（档案号或证件号码）
        other: String,
        /// 从 OTHER 取用的字段，逗号分隔：姓名,证件类型,证件号码,住址,所属街道,工作单位
        #[arg(long, value_delimiter = ',')]
        take: Vec<String>,
        /// 合并原因（记入两份档案的变更记录）
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReminderCommand {
    /// 今天该督促的事项及原因（规则见配置文件 [reminders]），最急的在前，分页列出
    Due {
        /// 每页多少件（默认100；0 = 全部列出）
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// 跳过前多少件（翻页：--offset 100 是第二页）
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 导出一段时间内的督促记录
    Export {
        /// 开始日期 YYYY-MM-DD
        #[arg(long, value_parser = day)]
        from: chrono::NaiveDate,
        /// 结束日期 YYYY-MM-DD（含）
        #[arg(long, value_parser = day)]
        to: chrono::NaiveDate,
        /// csv（UTF-8 带 BOM，Excel 可直接打开）或 xlsx
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// 输出文件
        #[arg(long)]
        out: PathBuf,
    },
}
