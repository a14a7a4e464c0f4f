//! Logging goes to a daily file next to the database, never to the terminal
//! (it would tear the full-screen UI).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::paths::Paths;

/// Start file logging. Keep the guard alive until exit so the last lines are
/// flushed. Logging is best effort: a log folder we cannot create is no
/// reason to refuse to register a petitioner.
pub fn init(db: &Path) -> Option<WorkerGuard> {
    let dir = Paths::log_dir(db);
    std::fs::create_dir_all(&dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    // The builder reports a log file that cannot be created instead of panicking.
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("xfdesk.log")
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("XFDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}

/// Where the log of this database is written (shown after a crash).
pub fn location(db: &Path) -> std::path::PathBuf {
    Paths::log_dir(db).join("xfdesk.log.<日期>")
}
