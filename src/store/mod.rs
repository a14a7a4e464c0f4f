//! The store: the only place in xfdesk that speaks SQL.
//!
//! One SQLite file in WAL mode, shared by every xfdesk process on the machine.
//! Every user action is one `BEGIN IMMEDIATE` transaction (a deferred
//! transaction that reads then writes gets SQLITE_BUSY the busy timeout cannot
//! absorb). Values only ever travel as bound parameters.

pub mod accounts;
pub mod approvals;
pub mod backup;
pub mod beside;
pub mod bulk;
pub mod calendar;
pub mod call_spans;
pub mod cases;
pub mod chain;
pub mod check;
pub mod deadlines;
pub mod demo;
pub mod documents;
pub mod dossier;
pub mod drafts;
pub mod encrypt;
pub mod evaluations;
pub mod guards;
mod identity;
pub mod leader_cases;
pub mod lifecycle;
pub mod metrics;
pub mod migrations;
pub mod person_edit;
pub mod person_history;
pub mod person_merge;
pub mod petitioners;
pub mod query_codes;
pub mod queue;
pub mod recode;
pub mod reference;
pub mod reminders;
pub mod restore;
pub mod screening;
pub mod seal;
pub mod search;
pub mod search_index;
pub mod trail;
pub mod visits;
pub mod warnings;
pub mod windows;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// How long a writer waits for another desk's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库由更新版本的 xfdesk 写入（版本 {found}，本程序支持到 {supported}），请升级 xfdesk 后再打开")]
    NewerSchema { found: u32, supported: u32 },
    #[error("{path} 不是 xfdesk 数据库（不是 SQLite 文件或文件已损坏）")]
    NotADatabase { path: PathBuf },
    #[error("无法创建数据目录 {path}：{source}")]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("参考数据有误：{0}")]
    Seed(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{path} 不是 xfdesk 数据库（{why}），未做任何改动")]
    Foreign { path: PathBuf, why: String },
    #[error("无法打开或创建数据库文件 {path}（所在目录不存在、不是目录或没有权限）")]
    CannotOpen { path: PathBuf },
    #[error("数据库正被其他窗口或程序占用，等待超时，本次操作未写入任何内容，请稍后再试")]
    Busy,
    #[error("磁盘空间不足（或数据库已达上限），本次操作未写入任何内容")]
    Full,
    #[error("数据库文件只读（没有写入权限），无法保存")]
    ReadOnly,
    /// The acting account lacks the permission (its name).
    #[error("没有权限：{0}（请由有此权限的人员办理）")]
    Denied(String),
    #[error("数据库错误：{0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// The failures a clerk can act on get their own words.
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => StoreError::Busy,
            Some(DiskFull) => StoreError::Full,
            Some(ReadOnly) => StoreError::ReadOnly,
            // Only a writer that bypassed the number series (a bulk load
            // started before it) can collide here; say so, not the raw SQL.
            Some(ConstraintViolation) if e.to_string().contains("cases.number") => StoreError::Invalid(
                "事项编号与另一程序同时写入的事项冲突（例如正在运行的 xfdesk gen），本次未写入任何内容，请稍后再试"
                    .into(),
            ),
            Some(ConstraintViolation) if e.to_string().contains("case_external_refs") => {
                StoreError::Invalid("外部编号已导入过（另一次导入刚刚写入），本次未写入任何内容".into())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The account signed in on this connection: the casework write
    /// functions check it (`require`); `None` only before sign-in and in
    /// tests that build a store by hand.
    actor: Option<accounts::Actor>,
    /// The reminder rules this desk runs with: each write works out the
    /// 督促 spans of the cases it touched with them (see `call_spans`).
    call_rules: crate::domain::reminder::ReminderRules,
    /// A bulk load is running: spans are worked out once at its end.
    spans_deferred: bool,
}

impl Store {
    /// From now on this connection writes as `actor`.
    pub fn act_as(&mut self, actor: accounts::Actor) {
        self.actor = Some(actor);
    }

    /// Refused unless the signed-in account holds `p` — whatever the screen
    /// offered or the command line parsed (no account yet: the gate's own writes).
    pub fn require(&self, p: crate::domain::access::Permission) -> Result<()> {
        self.actor.as_ref().map_or(Ok(()), |a| a.require(p))
    }

    /// Whether the signed-in account holds `p` (no account: the gate's own
    /// work and hand-built test stores, as in [`Store::require`]).
    pub fn may(&self, p: crate::domain::access::Permission) -> bool {
        self.actor.as_ref().is_none_or(|a| a.can(p))
    }

    /// The account signed in on this connection.
    pub fn actor(&self) -> Option<&accounts::Actor> {
        self.actor.as_ref()
    }

    /// How rows this connection writes name who acted (`周敏#2`).
    pub fn actor_name(&self) -> String {
        self.actor.as_ref().map_or_else(|| "系统".to_string(), accounts::Actor::label)
    }

    /// Open (creating if needed) the database at `path`, migrate it to the
    /// current schema and seed the reference data on first open.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, BUSY_TIMEOUT)
    }

    /// [`Store::open`] waiting at most `busy` for other desks' transactions.
    pub fn open_with(path: &Path, busy: Duration) -> Result<Store> {
        let created = prepare_location(path)?;
        let store = Self::open_new_or_existing(path, busy);
        if store.is_err() && created {
            // A failed first open (a full disk, a bad folder) leaves no empty file behind.
            identity::remove_with_sidecars(path);
        }
        store
    }

    fn open_new_or_existing(path: &Path, busy: Duration) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_at(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            actor: None,
            call_rules: Default::default(),
            spans_deferred: false,
        };
        // Before anything is written (even the journal mode): is this ours?
        store.conn.busy_timeout(busy).map_err(|e| store.classify(e))?;
        identity::ensure_ours(&store.conn, path).map_err(|e| store.lift(e))?;
        store.configure().map_err(|e| store.classify(e))?;
        migrations::migrate(&mut store.conn).map_err(|e| match e {
            StoreError::Sqlite(e) => store.classify(e),
            other => other,
        })?;
        reference::seed_if_empty(&mut store)?;
        bulk::recover(&mut store)?;
        Ok(store)
    }

    /// Open an existing database for reading only: nothing is written, not
    /// even the journal mode, so a read-only file (or folder) still serves
    /// `search`, `case show`, `due`, `check` and `backup`.
    pub fn open_read_only(path: &Path, busy: Duration) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Invalid(format!(
                "数据库文件 {} 不存在，请先运行 xfdesk init",
                crate::text::sanitize_line(&path.display().to_string())
            )));
        }
        let conn = reader_at(path).map_err(|e| classify_at(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            actor: None,
            call_rules: Default::default(),
            spans_deferred: false,
        };
        store.conn.busy_timeout(busy).map_err(|e| store.classify(e))?;
        identity::ensure_ours(&store.conn, path).map_err(|e| store.lift(e))?;
        store.conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| store.classify(e))?;
        Ok(store)
    }

    /// Like [`Store::open_read_only`], but refusing a file of another schema
    /// version (an old one must be upgraded by a writable open first).
    pub fn open_for_reading(path: &Path, busy: Duration) -> Result<Store> {
        let store = Self::open_read_only(path, busy)?;
        let found = store.schema_version()?;
        if found > migrations::LATEST {
            return Err(StoreError::NewerSchema { found, supported: migrations::LATEST });
        }
        if found < migrations::LATEST {
            return Err(StoreError::Invalid(format!(
                "数据库结构版本为 {found}，需要先升级到 {}：请用有写权限的账户运行 xfdesk init",
                migrations::LATEST
            )));
        }
        Ok(store)
    }

    fn lift(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Sqlite(e) => self.classify(e),
            other => other,
        }
    }

    /// A second, read-only connection to this store's file, for long reads
    /// off the UI thread (reports): WAL lets it read while desks write.
    pub fn reader(&self) -> Result<Connection> {
        self.reader_source().open()
    }

    /// What opens [`Store::reader`] connections, for a worker thread to open
    /// its own there (opening reads the schema: milliseconds on a big file).
    pub fn reader_source(&self) -> ReaderSource {
        ReaderSource(self.path.clone())
    }

    fn configure(&self) -> rusqlite::Result<()> {
        // journal_mode answers with the mode in force; a read-only or odd file fails here.
        let mode: String = self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "database is not in WAL mode");
        }
        // A registered case must survive a power cut.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        tune_reads(&self.conn)
    }

    fn classify(&self, e: rusqlite::Error) -> StoreError {
        classify_at(&self.path, e)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access. Reads outside a transaction see the latest committed state.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f` as one write transaction (`BEGIN IMMEDIATE`): all of it is
    /// committed, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let lift = move |e: StoreError| match e {
            StoreError::Sqlite(e) => classify_at(&path, e),
            other => other,
        };
        self.write_with(|tx| f(tx).map_err(&lift)).map_err(&lift)
    }

    /// [`Store::write`] for work whose own errors say more than the store's
    /// (issuing a paper: a template error rolls the transaction back too).
    pub fn write_with<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let value = f(&tx)?;
        if !self.spans_deferred {
            call_spans::drain(&tx, &self.call_rules)?;
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Run with these reminder rules from now on; if the stored 督促 spans
    /// were made with others, work them all out again first (one
    /// transaction; seconds on a million cases). Returns whether it did.
    pub fn use_call_rules(&mut self, rules: &crate::domain::reminder::ReminderRules) -> Result<bool> {
        self.call_rules = rules.clone();
        if !call_spans::needs_rebuild(&self.conn, rules)? {
            return Ok(false);
        }
        let rules = rules.clone();
        self.write(|tx| call_spans::rebuild(tx, &rules))?;
        Ok(true)
    }

    /// The reminder rules the store works spans out with.
    pub fn call_rules(&self) -> &crate::domain::reminder::ReminderRules {
        &self.call_rules
    }

    /// During a bulk load: spans are worked out once, at its end.
    pub(crate) fn defer_spans(&mut self, deferred: bool) {
        self.spans_deferred = deferred;
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Changes whenever another connection commits (cheap change detection
    /// for live screens shared between desks).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(migrations::current_version(&self.conn)?)
    }
}

/// An SQLite error on the file at `path`, in the words a clerk can act on.
fn classify_at(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.to_path_buf() },
        Some(rusqlite::ErrorCode::CannotOpen) => StoreError::CannotOpen { path: path.to_path_buf() },
        // SQLite reports a full disk as an I/O error when the WAL or its
        // shared memory cannot grow: ask the file system.
        Some(rusqlite::ErrorCode::SystemIoFailure) if disk_full(path) => StoreError::Full,
        _ => StoreError::from(e),
    }
}

/// Whether the file system holding `db` has (next to) no room left.
fn disk_full(db: &Path) -> bool {
    #[cfg(unix)]
    {
        let dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if let Ok(fs) = rustix::fs::statvfs(dir) {
            return fs.f_bavail.saturating_mul(fs.f_frsize) < 1 << 20;
        }
    }
    let _ = db;
    false
}

/// `file:<path>?immutable=1`, every byte a URI could misread percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri + "?immutable=1"
}

/// The identity xfdesk leaves in the database's meta table, named by its anchors.
pub fn database_id(conn: &Connection) -> Result<String> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'database_id'", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// Create the folder (owner-only) and the file (0600) before SQLite does, so
/// petitioners' data is never readable by other users of the machine.
/// Returns whether the file was created here.
fn prepare_location(path: &Path) -> Result<bool> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir { path: dir.to_path_buf(), source })?;
        set_mode(dir, 0o700);
    }
    if !path.exists() {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        // A race with another process creating it is fine; SQLite opens it next.
        return Ok(opts.open(path).is_ok());
    }
    Ok(false)
}

fn set_mode(_path: &Path, _mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(_path, std::fs::Permissions::from_mode(_mode));
    }
}

/// Reverse a string of ASCII digits/letters: the key for tail lookups.
pub fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// Local time as stored: `YYYY-MM-DD HH:MM:SS`.
/// `('concluded', 'closed', …)`: the final status codes as an SQL list. Built
/// from the compile-time codes of [`crate::domain::CaseStatus`], never from input.
pub(crate) fn final_statuses_sql() -> String {
    let codes: Vec<String> =
        crate::domain::CaseStatus::ALL.iter().filter(|s| s.is_final()).map(|s| format!("'{}'", s.code())).collect();
    format!("({})", codes.join(", "))
}

pub fn timestamp(t: chrono::NaiveDateTime) -> String {
    t.format(TIMESTAMP_FORMAT).to_string()
}

/// The day of a stored date (`YYYY-MM-DD`) or timestamp (`YYYY-MM-DD HH:MM:SS`).
pub fn day(s: Option<String>) -> Option<chrono::NaiveDate> {
    s.and_then(|s| s.get(..10).and_then(|d| d.parse().ok()))
}

/// A stored timestamp (`YYYY-MM-DD HH:MM:SS`). The format is read once:
/// `parse_from_str` re-reads it for every value, which was a tenth of
/// listing 50 cases.
pub fn parse_timestamp(s: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::format::{Item, Parsed, StrftimeItems, parse};
    static FORMAT: std::sync::LazyLock<Vec<Item<'static>>> =
        std::sync::LazyLock::new(|| StrftimeItems::new(TIMESTAMP_FORMAT).collect());
    let mut parsed = Parsed::new();
    parse(&mut parsed, s, FORMAT.iter()).ok()?;
    parsed.to_naive_datetime_with_offset(0).ok()
}

const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Pages a connection keeps in memory: 64 MiB instead of SQLite's 2 MiB.
/// A search or a profile reads a few hundred scattered pages of the case
/// table; with the default cache the next lookup reads most of them from
/// the file again (1 M cases: assembling a page of 50 people 4.9 ms -> 1.0 ms).
/// The memory is taken only as pages are read.
const CACHE_KIB: i64 = 64 * 1024;

/// Settings every connection reads with: the page cache above, and plans
/// that do not depend on bound values (SQLite's query planner stability
/// guarantee). Without it a statement whose range or equality SQLite can
/// estimate from `sqlite_stat4` is compiled again each time a new value is
/// bound: a search for other initials re-prepared its probes, ~70,000
/// instructions each, more than the lookups themselves.
fn tune_reads(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// A read-only connection to the file at `path`, on read-only media too.
/// The file a read-only connection is opened on (see [`Store::reader_source`]).
#[derive(Debug, Clone)]
pub struct ReaderSource(PathBuf);

impl ReaderSource {
    pub fn open(&self) -> Result<Connection> {
        let conn = reader_at(&self.0)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(conn)
    }
}

pub(crate) fn reader_at(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
        .and_then(|c| c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map(|()| c))
        .or_else(|e| match e.sqlite_error_code() {
            // Read-only media: SQLite cannot create the WAL's shared-memory
            // file there. With no WAL beside it nobody is writing this
            // file, and it can be read as immutable.
            Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                if !identity::sidecar(path, "-wal").exists() =>
            {
                Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
            }
            _ => Err(e),
        })
        .and_then(|c| tune_reads(&c).map(|()| c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_timestamp_is_read_as_written_and_nothing_else_is() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 30, 5).unwrap();
        assert_eq!(parse_timestamp(&timestamp(t)), Some(t));
        for bad in ["2026-12-01 09:30", "2026-13-01 00:00:00", "2026-12-01T09:30:05", "2026-12-01 09:30:05x", ""] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
