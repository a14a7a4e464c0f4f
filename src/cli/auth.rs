//! Who runs a command: commands that read personal data or write need an
//! account (`--user`, the password typed without echo or `--password-file`)
//! holding the command's permission; `init`, `check`, `keys`, `deadline`,
//! `holidays list`, `--version` and `--help` need none. And `xfdesk user …`,
//! the administrator's account commands.

use super::args::UserCommand;
use super::{Command, Context, HolidayCommand, ReportCommand, emit, open_store, secret};
use crate::domain::access;
use crate::domain::access::{Permission, Role};
use crate::store::StoreError;
use crate::store::accounts::{self, Actor, Change, NewAccount};

/// What replaced `--operator`, said when it (or `XFDESK_OPERATOR`) is still given.
pub const OPERATOR_GONE: &str = "--operator（XFDESK_OPERATOR）已取消：办理人是登录的账号。请用 --user 用户名 登录\
（密码在终端输入，定时任务用 --password-file），账号由管理员用 xfdesk user add 建立（见 README「账号与权限」）";

/// The permission a command needs, or `None` when it runs without signing in.
pub fn required(command: &Command) -> Option<Permission> {
    use Permission as P;
    Some(match command {
        Command::Init | Command::Check { .. } | Command::Keys | Command::Deadline { .. } => return None,
        Command::Holidays { command: HolidayCommand::List } => return None,
        // The first administrator of a database without accounts is made without one.
        Command::User { command: UserCommand::Add { .. } } => return None,
        Command::User { .. } | Command::Gen { .. } | Command::RepairTriggers => P::ManageAccounts,
        Command::Holidays { command: HolidayCommand::Add { .. } } => P::EditHolidays,
        Command::Backup { .. } | Command::Restore { .. } => P::Backup,
        Command::Import { .. } => P::Register,
        Command::Reception { .. } => P::Queue,
        Command::Person { command: super::PersonCommand::Merge { .. } } => P::CaseWork,
        Command::Doc {
            command: super::DocCommand::Issue { preview: false, .. } | super::DocCommand::Reprint { .. },
        } => P::CaseWork,
        Command::Doc { .. } => P::ReadMasked,
        Command::Report { command: ReportCommand::Weekly { unmasked: true, .. } } => P::ExportUnmasked,
        Command::Search { .. }
        | Command::Due { .. }
        | Command::Case { .. }
        | Command::Person { .. }
        | Command::Reminders { .. }
        | Command::Report { .. } => P::ReadMasked,
    })
}

/// Sign `ctx` in as `--user` for a command needing `need`: from then on
/// every row the command writes names the account.
pub fn sign_in(ctx: &mut Context, need: Permission) -> anyhow::Result<()> {
    // What is wrong with the file is said before anything is asked.
    let store = match open_store(ctx) {
        Ok(store) => Some(store),
        Err(e) if matches!(e.downcast_ref(), Some(StoreError::ReadOnly | StoreError::CannotOpen { .. })) => None,
        Err(e) => return Err(e),
    };
    let Some(login) = ctx.user.clone().filter(|u| !u.is_empty()) else {
        anyhow::bail!("此命令需要登录：请用 --user 用户名（或环境变量 XFDESK_USER）");
    };
    let password = secret::password(ctx.password_file.as_deref(), &format!("{} 的密码：", sanitized(&login)))?;
    let account = match store {
        Some(mut store) => accounts::sign_in(&mut store, &login, &password, &ctx.config.accounts, ctx.now())?,
        None => {
            let store = super::open_reading(ctx)?;
            let a = accounts::check_read_only(store.conn(), &login, &password, ctx.now())?;
            super::say("数据库只读：本次登录已核对，但无法记入审计记录");
            a
        }
    };
    anyhow::ensure!(!account.must_change, "{} 的密码已被重置：请先在界面中登录并设置新密码", account.login);
    let actor = account.actor();
    actor.require(need)?;
    ctx.operator = actor.label();
    ctx.actor = Some(actor);
    Ok(())
}

fn sanitized(s: &str) -> String {
    crate::text::sanitize_line(s).into_owned()
}

fn roles(codes: &[String]) -> anyhow::Result<Vec<Role>> {
    codes
        .iter()
        .map(|c| {
            Role::from_code(c.trim()).ok_or_else(|| {
                let known: Vec<String> = Role::ALL.iter().map(|r| format!("{}（{}）", r.code(), r.label())).collect();
                anyhow::anyhow!("未知的角色 {}：可用 {}", sanitized(c), known.join("、"))
            })
        })
        .collect()
}

/// `xfdesk user …`.
pub fn user(ctx: &mut Context, command: UserCommand) -> anyhow::Result<()> {
    let now = ctx.now();
    match command {
        UserCommand::Add { login, name, role, new_password_file } => {
            access::check_login(&login).map_err(|e| anyhow::anyhow!(e))?;
            let roles = roles(&role)?;
            let mut store = open_store(ctx)?;
            // Only the very first account is made without signing in.
            if !accounts::none_yet(store.conn())? {
                drop(store);
                sign_in(ctx, Permission::ManageAccounts)?;
                store = open_store(ctx)?;
            }
            let password = secret::new_password(new_password_file.as_deref(), &login)?;
            let new = NewAccount { login: &login, name: &name, roles: &roles, password: &password, must_change: false };
            let a = accounts::create(&mut store, &new, ctx.actor.as_ref(), now)?;
            emit(&format!("已建立账号 {}（{}）\n", a.login, a.name))
        }
        UserCommand::List => {
            let store = open_store(ctx)?;
            let mut out = String::new();
            for a in accounts::list(store.conn())? {
                let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
                let state = match (a.active, a.locked_until.filter(|u| *u > now)) {
                    (false, _) => "已停用".to_string(),
                    (true, Some(u)) => format!("锁定至{u}"),
                    (true, None) => "正常".to_string(),
                };
                let change = if a.must_change { "，下次登录须改密码" } else { "" };
                out.push_str(&format!("{}\t{}\t{}\t{state}{change}\n", a.login, a.name, roles.join("、")));
            }
            emit(&out)
        }
        UserCommand::Disable { login } => change(ctx, &login, Change::Disable),
        UserCommand::Enable { login } => change(ctx, &login, Change::Enable),
        UserCommand::ResetPassword { login, new_password_file } => {
            let pw = secret::new_password(new_password_file.as_deref(), &login)?;
            change(ctx, &login, Change::ResetPassword(pw))
        }
        UserCommand::SetRole { login, role } => change(ctx, &login, Change::SetRoles(roles(&role)?)),
    }
}

fn change(ctx: &Context, login: &str, c: Change) -> anyhow::Result<()> {
    let by: &Actor = ctx.actor.as_ref().ok_or_else(|| anyhow::anyhow!("此命令需要管理员登录"))?;
    let mut store = open_store(ctx)?;
    let a = accounts::change(&mut store, login, &c, by, ctx.now())?;
    let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
    emit(&format!("已修改账号 {}（{}）：{}\n", a.login, a.name, roles.join("、")))
}
