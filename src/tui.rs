//! The terminal: set up, run the event loop, restore — also after a panic.

use std::io::{IsTerminal, stdout};
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;

use crate::app::gate::{Gate, Passed};
use crate::app::{App, Session};
use crate::cli::{self, Context};
use crate::store::accounts::Account;
use crate::ui::{self, Theme};

pub fn run(ctx: &Context) -> anyhow::Result<()> {
    // Everything that can fail plainly happens before the screen is taken over.
    let store = cli::open_store(ctx)?;
    let background = crate::app::background::Background::default();
    daily_backup(ctx, &background);
    // Said on start (and kept on the home screen): next year's holidays are missing.
    let calendar = crate::store::calendar::load(store.conn())?;
    if let Some(notice) = crate::domain::calendar::next_year_notice(&calendar, ctx.today()) {
        eprintln!("xfdesk: {notice}");
    }
    install_panic_report(ctx);
    if !stdout().is_terminal() {
        anyhow::bail!("界面需要在终端中运行；不进入界面可使用子命令，例如 xfdesk check");
    }
    // try_init enters the alternate screen and raw mode, and installs a panic
    // hook that restores the terminal before the report is printed.
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(anyhow::anyhow!("无法初始化终端：{e}"));
        }
    };
    let _ = execute!(stdout(), EnableBracketedPaste);
    let result = desk(&mut terminal, &mut Terminal, ctx, store, &background);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}

/// The gate, then the desk of whoever signed in; when another person signs
/// in at the lock screen, a desk of their own (the first one's unsaved
/// intake stays as that person's draft).
pub fn desk<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    events: &mut impl Events,
    ctx: &Context,
    mut store: crate::store::Store,
    background: &crate::app::background::Background,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let theme = Theme::from_env(ctx.config.ui.color);
    let tick = Duration::from_millis(ctx.config.ui.tick_ms);
    let mut gate = Gate::open(&store)?;
    let Some(mut account) = pass(terminal, events, &mut gate, &mut store, ctx, &theme)? else { return Ok(()) };
    // Every desk this process opened stays claimed until it ends: a draft
    // left by the person before is theirs, not an orphan for the next one.
    let mut claimed = Vec::new();
    loop {
        let name = ctx.desk.clone().unwrap_or_else(|| cli::default_desk(&account.name));
        // This window's own draft: held for as long as it runs (see store::windows).
        let (desk, window) = crate::store::windows::claim(&ctx.db, &name)?;
        let actor = account.actor();
        store.act_as(actor.clone());
        let session = Session {
            demo: ctx.demo,
            anchors: Some(ctx.anchors.clone()),
            actor: Some(actor.clone()),
            papers: ctx.papers.clone(),
            background: background.clone(),
            ..Session::from_config(&ctx.config, &actor.label(), &desk, &ctx.db.display().to_string())
        };
        let mut app = App::new(store, session, ctx.clock)?;
        event_loop(terminal, events, &mut app, &theme, tick)?;
        claimed.push(window);
        let next = app.take_next_account();
        store = app.into_store();
        match next {
            Some(a) => account = a,
            None => return Ok(()),
        }
    }
}

/// Show the gate until someone signs in (or the desk is quit).
fn pass<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    events: &mut impl Events,
    gate: &mut Gate,
    store: &mut crate::store::Store,
    ctx: &Context,
    theme: &Theme,
) -> anyhow::Result<Option<Account>>
where
    B::Error: Send + Sync + 'static,
{
    loop {
        terminal.draw(|frame| ui::gate::draw(frame, gate, ctx.demo, theme))?;
        match gate.on_event(&events.read()?, store, &ctx.config.accounts, ctx.now()) {
            Some(Passed::In(a)) => return Ok(Some(a)),
            Some(Passed::Quit) => return Ok(None),
            None => {}
        }
    }
}

/// What the status bar says while the day's backup runs.
pub const BACKING_UP: &str = "每日备份进行中";

/// The first start of the day makes a verified backup — on a thread of its
/// own with a read-only connection, so the desk opens at once and writes on
/// (WAL: the backup's one read transaction blocks no writer). The status bar
/// says so while it runs; a failure stays on the status bar and in the log.
fn daily_backup(ctx: &Context, background: &crate::app::background::Background) {
    let b = &ctx.config.backup;
    if !b.daily {
        return;
    }
    let dir = b.dir.clone().unwrap_or_else(|| crate::paths::Paths::backup_dir(&ctx.db));
    let (db, keep, now, anchors) = (ctx.db.clone(), b.keep, ctx.now(), ctx.anchors.clone());
    let busy = Duration::from_millis(ctx.config.store.busy_timeout_ms);
    background.start(BACKING_UP, move || {
        let failed = |e: &dyn std::fmt::Display| {
            let said = format!("今日自动备份失败：{e}");
            tracing::error!("{}", crate::domain::mask::redact_numbers(&said));
            said
        };
        let store = crate::store::Store::open_read_only(&db, busy).map_err(|e| failed(&e))?;
        let Some((file, verified)) = crate::store::backup::daily(&store, &dir, keep, now).map_err(|e| failed(&e))?
        else {
            return Ok(String::new());
        };
        tracing::info!(file = %file.display(), "daily backup");
        let database = crate::store::database_id(store.conn()).unwrap_or_default();
        let reason = format!("每日备份 {}", file.display());
        let anchor = crate::anchors::Anchor::of_copy(&verified, database, now, reason);
        crate::anchors::append(&anchors, &anchor).map_err(|e| failed(&format!("未能写入锚点文件：{e}")))?;
        Ok(file.display().to_string())
    });
}

/// Where events come from: the terminal, or a script in tests.
pub trait Events {
    /// Whether an event is ready within `timeout`.
    fn poll(&mut self, timeout: Duration) -> std::io::Result<bool>;
    fn read(&mut self) -> std::io::Result<crossterm::event::Event>;
}

/// The real terminal's events.
pub struct Terminal;

impl Events for Terminal {
    fn poll(&mut self, timeout: Duration) -> std::io::Result<bool> {
        event::poll(timeout)
    }

    fn read(&mut self) -> std::io::Result<crossterm::event::Event> {
        event::read()
    }
}

/// How often the loop looks for a worker's answer while one reads.
const LOADING_POLL: Duration = Duration::from_millis(15);

/// Draw, wait for input (or a tick), update; repeat until the app quits.
/// All pending events are handled before the next frame, so fast typing or a
/// burst of resizes costs one draw, not one per event. Generic over the
/// backend and the event source, so a test drives this very loop.
pub fn event_loop<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    events: &mut impl Events,
    app: &mut App,
    theme: &Theme,
    tick: Duration,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    while !app.should_quit() {
        app.settle();
        terminal.draw(|frame| ui::draw(frame, app, theme))?;
        // While a worker reads for the screen (a report, a case being opened),
        // wake often enough to show its progress and its answer at once.
        let wait = if app.is_loading() { tick.min(LOADING_POLL) } else { tick };
        // A draft (or other deferred work) due sooner wakes the loop for it.
        let wait = app.wake_in().map_or(wait, |w| w.min(wait));
        if !events.poll(wait)? {
            app.tick();
            continue;
        }
        loop {
            app.handle_event(&events.read()?);
            if app.should_quit() || !events.poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
}

/// ratatui's panic hook leaves the alternate screen and raw mode; the paste
/// mode we turned on must go too, or the shell receives pastes wrapped in
/// escape codes.
fn leave_paste_mode(out: &mut impl std::io::Write) {
    let _ = execute!(out, DisableBracketedPaste);
}

/// After the default report, say where the log is; log the panic too.
fn install_panic_report(ctx: &Context) {
    let log = crate::logging::location(&ctx.db);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A thread beside the desk (the day's backup, a report) only logs:
        // its owner says the failure, and the desk's terminal stays as it is.
        if std::thread::current().name() != Some("main") {
            tracing::error!("panic off the desk: {}", crate::domain::mask::redact_numbers(&info.to_string()));
            return;
        }
        leave_paste_mode(&mut stdout());
        tracing::error!("panic: {}", crate::domain::mask::redact_numbers(&info.to_string()));
        previous(info);
        eprintln!("xfdesk 意外退出，已恢复终端。详细信息见日志：{}", log.display());
    }));
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_panic_hook_turns_bracketed_paste_off() {
        let mut out = Vec::new();
        super::leave_paste_mode(&mut out);
        assert_eq!(out, b"\x1b[?2004l");
    }
}
