//! The command line: arguments (`args`), configuration and the subcommands,
//! one file per group (`admin`, `cases`, `reception`, `reports`). Everything
//! that can fail plainly (arguments, config, opening the database) happens
//! here, before the terminal is switched to the full-screen UI. Every command
//! takes "now" from the context's one `Clock`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::app::Clock;
use crate::config::Config;
use crate::paths::Paths;
use crate::store::{Store, demo};

mod admin;
mod args;
mod auth;
mod cases;
mod documents;
mod holidays;
mod person;
mod reception;
mod reports;
mod secret;
use admin::*;
pub use args::{
    AppointmentAction, CaseCommand, Cli, Command, DocCommand, HolidayCommand, PersonCommand, ReceptionCommand,
    ReminderCommand,
};
use cases::*;
use reception::*;
pub use reports::{MetricsFormat, ReportCommand, WeeklyFormat};

/// What every command needs: resolved paths, configuration, who acts.
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
    /// How rows this command writes name who acted: the signed-in account's
    /// label (`周敏#3`), or `系统` for the commands that need no account.
    pub operator: String,
    /// `--user` and `--password-file`, for signing in.
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    /// The account signed in for this command.
    pub actor: Option<crate::store::accounts::Actor>,
    /// `--desk`, if given (else the window is named after the account).
    pub desk: Option<String>,
    pub demo: bool,
    /// Where the anchors of the database's sequences are appended.
    pub anchors: PathBuf,
    /// Papers: the office's details, number prefixes and where templates are.
    pub papers: crate::papers::Settings,
    /// `--force`: an output file that exists is replaced.
    pub force: bool,
    /// The one clock every command reads "now" from.
    pub clock: Clock,
}

impl Context {
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.now().date()
    }
}

/// Exit codes: 0 ok, 1 the command failed, 2 bad configuration or arguments.
pub fn main() -> ExitCode {
    // Every file and folder xfdesk creates — the database and its WAL, logs,
    // backups while they are written, exports — is the owner's alone from its
    // first byte, whatever umask the session had.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    let mut ctx = match context(&cli) {
        Ok(ctx) => ctx,
        Err(msg) => {
            say(&msg);
            return ExitCode::from(2);
        }
    };
    let _log = crate::logging::init(&ctx.db);
    let signed_in = match cli.command.as_ref().and_then(auth::required) {
        Some(need) => auth::sign_in(&mut ctx, need),
        None => Ok(()),
    };
    if let Err(e) = signed_in {
        say(&format!("{e:#}"));
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        None => crate::tui::run(&ctx),
        Some(Command::Init) => init(&ctx),
        Some(Command::Gen { petitioners, cases, seed, batch }) => generate(&ctx, petitioners, cases, seed, batch),
        Some(Command::Check { quick, anchor }) => return check(&ctx, quick, anchor.as_deref()),
        Some(Command::RepairTriggers) => repair_triggers(&ctx),
        Some(Command::Keys) => keys(&ctx),
        Some(Command::Search { query, limit, open, json }) => search(&ctx, &query.join(" "), limit, open, json),
        Some(Command::Deadline { rule, from, extend, json }) => deadline(&ctx, &rule, from, extend, json),
        Some(Command::Due { days, json }) => due(&ctx, days, json),
        Some(Command::Case { command: CaseCommand::Show { number, json } }) => case_show(&ctx, &number, json),
        Some(Command::Holidays { command: HolidayCommand::List }) => holidays::list(&ctx),
        Some(Command::Holidays { command: HolidayCommand::Add { year, file } }) => holidays::add(&ctx, year, &file),
        Some(Command::Person { command: PersonCommand::Show { id_number, json } }) => {
            person::show(&ctx, &id_number, json)
        }
        Some(Command::Person { command: PersonCommand::Merge { keep, other, take, reason } }) => {
            person::merge(&ctx, &keep, &other, &take, &reason)
        }
        Some(Command::Reminders { command: ReminderCommand::Due { limit, offset, json } }) => {
            reminders_due(&ctx, Page { limit, offset }, json)
        }
        Some(Command::Doc { command }) => documents::run(&ctx, command),
        Some(Command::Backup { out, encrypt, passphrase_file, recipient }) => {
            backup(&ctx, &out, encrypt.then_some(BackupLock { passphrase_file, recipients: recipient }))
        }
        Some(Command::Report { command }) => reports::report(&ctx, command),
        Some(Command::Import { format, file, skip_bad, rejects }) => {
            reports::import_file(&ctx, &file, format, skip_bad, rejects.as_deref())
        }
        Some(Command::Reception { command }) => reception(&ctx, command),
        Some(Command::User { command }) => auth::user(&mut ctx, command),
        Some(Command::Restore { file, passphrase_file, identity }) => {
            restore(&ctx, &file, passphrase_file.as_deref(), identity.as_deref())
        }
        Some(Command::Reminders { command: ReminderCommand::Export { from, to, format, out } }) => {
            reminders_export(&ctx, from, to, format, &out)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = format!("{e:#}");
            tracing::error!("{}", crate::domain::mask::redact_numbers(&text));
            say(&text);
            ExitCode::FAILURE
        }
    }
}

fn context(cli: &Cli) -> Result<Context, String> {
    let paths = Paths::discover();
    let config = match &cli.config {
        Some(p) => Config::load(p, true, crate::app::keymap::Keymap::check),
        None => Config::load(&paths.config_file, false, crate::app::keymap::Keymap::check),
    }
    .map_err(|e| e.to_string())?;
    let db = match (&cli.db, cli.demo) {
        (Some(p), _) => p.clone(),
        (None, true) => paths.demo_db(),
        (None, false) => paths.default_db(),
    };
    if cli.operator.is_some() || config.operator.is_some() {
        return Err(auth::OPERATOR_GONE.into());
    }
    let desk = cli.desk.clone().filter(|d| !d.trim().is_empty());
    let anchors = config.backup.anchors.clone().unwrap_or_else(|| paths.anchors_file());
    let templates = cli.config.as_ref().unwrap_or(&paths.config_file).with_file_name("templates");
    let papers = crate::papers::Settings::from_config(&config, Some(templates));
    Ok(Context {
        db,
        config,
        operator: "系统".into(),
        user: cli.user.clone(),
        password_file: cli.password_file.clone(),
        actor: None,
        desk,
        demo: cli.demo,
        force: cli.force,
        anchors,
        papers,
        clock: Clock::System,
    })
}

/// Every binding in force, as `[keys]` names it.
fn keys(ctx: &Context) -> anyhow::Result<()> {
    let km =
        crate::app::keymap::Keymap::customized(&ctx.config.keys).map_err(|(k, why)| anyhow::anyhow!("{k}：{why}"))?;
    emit(&km.listing())
}

/// Open the database of `ctx`, filling a demo database on first use.
pub fn open_store(ctx: &Context) -> anyhow::Result<Store> {
    let busy = std::time::Duration::from_millis(ctx.config.store.busy_timeout_ms);
    let mut store = Store::open_with(&ctx.db, busy)?;
    if crate::store::call_spans::needs_rebuild(store.conn(), &ctx.config.reminders)? {
        eprintln!("xfdesk: 督促规则与上次不同，正在按新规则重新计算各事项的督促日期");
    }
    store.use_call_rules(&ctx.config.reminders)?;
    if let Some(actor) = &ctx.actor {
        store.act_as(actor.clone());
    }
    if ctx.demo {
        let now = ctx.now();
        demo::load_if_empty(&mut store, ctx.config.case_number_prefix(), now)?;
    }
    Ok(store)
}

/// Open the database of `ctx` for a command that only reads: nothing is
/// written, so a read-only file serves too (a demo fills itself first).
pub fn open_reading(ctx: &Context) -> anyhow::Result<Store> {
    use crate::store::StoreError;
    let busy = std::time::Duration::from_millis(ctx.config.store.busy_timeout_ms);
    let first = match Store::open_for_reading(&ctx.db, busy) {
        Ok(store) if !ctx.demo => return Ok(store),
        Ok(_) => None,
        Err(e @ (StoreError::NewerSchema { .. } | StoreError::Foreign { .. } | StoreError::NotADatabase { .. })) => {
            return Err(e.into());
        }
        Err(e) => Some(e),
    };
    // A new file, an older version, or the demo: create, upgrade or fill it
    // (this writes), then read. A file we may not write keeps the first reason.
    match (open_store(ctx), first) {
        (Ok(store), _) => drop(store),
        (Err(_), Some(first)) => return Err(first.into()),
        (Err(e), None) => return Err(e),
    }
    Ok(Store::open_for_reading(&ctx.db, busy)?)
}

/// Append an anchor; a failure is said (the work it anchors is done).
pub(crate) fn record_anchor(ctx: &Context, anchor: &crate::anchors::Anchor) {
    if let Err(e) = crate::anchors::append(&ctx.anchors, anchor) {
        say(&format!("未能写入锚点文件 {}：{e}", crate::text::sanitize_line(&ctx.anchors.display().to_string())));
    }
}

/// The anchor mark for a paper about to be printed, recorded in the anchors file.
pub(crate) fn stamp(ctx: &Context, store: &Store, what: &str) -> anyhow::Result<String> {
    let (mark, failed) = crate::anchors::stamp(store.conn(), Some(&ctx.anchors), ctx.now(), what)?;
    if let Some(why) = failed {
        say(&why);
    }
    Ok(mark)
}

/// Write command output. Every line goes through the same cleaning as the
/// screen (escape sequences, C1 and bidi controls, zero-width characters go);
/// a reader that went away (`xfdesk due | head`) is not an error.
/// A window's identity when `--desk` is not given: the account and the
/// terminal (`周敏@pts/3`), which a window restarted in the same terminal
/// keeps, so it finds its own draft again.
pub fn default_desk(operator: &str) -> String {
    use std::io::IsTerminal;
    let tty = std::io::stdin()
        .is_terminal()
        .then(|| std::fs::read_link("/proc/self/fd/0").ok())
        .flatten()
        .map(|p| p.to_string_lossy().trim_start_matches("/dev/").to_string());
    match tty {
        Some(t) => format!("{operator}@{t}"),
        None => operator.to_string(),
    }
}

pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    write_out(&crate::text::sanitize_multiline(text))
}

/// A value as JSON on standard output: controls escaped as `\uXXXX`, so the
/// data stays whole and the terminal safe.
pub(crate) fn emit_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    write_out(&(crate::text::json_safe(&serde_json::to_string_pretty(value)?) + "\n"))
}

fn write_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A message on standard error: cleaned like every printed line, personal
/// numbers masked; the log gets the same masked text.
pub(crate) fn say(text: &str) {
    let safe = crate::domain::mask::redact_numbers(&crate::text::sanitize_multiline(text));
    eprintln!("xfdesk: {safe}");
}
