//! Staff accounts: Argon2id password hashes, sign-in with a lockout after
//! repeated failures, and the administrator's changes — each one
//! transaction with its audit row. A failed sign-in says only "用户名或密码
//!错误" whatever the cause; the audit log records the real one.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use chrono::{NaiveDateTime, TimeDelta};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, parse_timestamp, timestamp};
use crate::domain::access::{self, Permission, Role, SignInRules};

/// What every failed sign-in says, whatever went wrong (no account enumeration).
pub const WRONG: &str = "用户名或密码错误";

/// Argon2id with the RustCrypto defaults (OWASP's minimum): 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, Params::default())
}

/// A new password's hash (PHC string: algorithm, parameters, salt, hash).
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("无法计算密码摘要：{e}")))
}

/// Whether `password` matches `stored` (a malformed hash never matches).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

/// Hashed for a name that has no account, so a failure takes as long either way.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("xfdesk-no-such-account").unwrap_or_default())
}

/// Who acts: the signed-in account as it was at sign-in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Actor {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
}

impl Actor {
    /// How trail and audit rows name the account: its display name then and its id (`周敏#3`).
    pub fn label(&self) -> String {
        format!("{}#{}", self.name, self.id)
    }

    pub fn can(&self, p: Permission) -> bool {
        access::permits(&self.roles, p)
    }

    /// Refused unless the account holds `p` (the store's own check, whatever the screen offered).
    pub fn require(&self, p: Permission) -> Result<()> {
        match self.can(p) {
            true => Ok(()),
            false => Err(StoreError::Denied(p.label().to_string())),
        }
    }
}

/// An account as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub failed_attempts: u32,
    pub locked_until: Option<NaiveDateTime>,
    pub must_change: bool,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor { id: self.id, login: self.login.clone(), name: self.name.clone(), roles: self.roles.clone() }
    }
}

const SELECT: &str =
    "SELECT id, login, display_name, status, failed_attempts, locked_until, must_change, password_hash FROM accounts";

fn row(conn: &Connection, r: &rusqlite::Row) -> rusqlite::Result<(Account, String)> {
    let id: i64 = r.get(0)?;
    let roles = roles_of(conn, id)?;
    let locked: Option<String> = r.get(5)?;
    Ok((
        Account {
            id,
            login: r.get(1)?,
            name: r.get(2)?,
            roles,
            active: r.get::<_, String>(3)? == "active",
            failed_attempts: r.get(4)?,
            locked_until: locked.as_deref().and_then(parse_timestamp),
            must_change: r.get(6)?,
        },
        r.get(7)?,
    ))
}

fn roles_of(conn: &Connection, id: i64) -> rusqlite::Result<Vec<Role>> {
    let codes: Vec<String> = conn
        .prepare_cached("SELECT role FROM account_roles WHERE account_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // In the domain's order, whatever order they were given in.
    Ok(Role::ALL.iter().copied().filter(|r| codes.iter().any(|c| c == r.code())).collect())
}

fn by_login(conn: &Connection, login: &str) -> Result<Option<(Account, String)>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE login = ?1"))?;
    Ok(stmt.query_row([login], |r| row(conn, r)).optional()?)
}

pub fn get(conn: &Connection, login: &str) -> Result<Option<Account>> {
    Ok(by_login(conn, login)?.map(|(a, _)| a))
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY id"))?;
    let rows = stmt.query_map([], |r| row(conn, r))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().map(|(a, _)| a).collect())
}

/// No account yet: the first start asks for the administrator.
pub fn none_yet(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))?)
}

/// A new account, as one transaction with its audit row. `by` is the
/// administrator; `None` only for the first administrator of a database
/// without accounts.
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
    pub password: &'a str,
    /// Must choose a new password at the first sign-in.
    pub must_change: bool,
}

pub fn create(store: &mut Store, a: &NewAccount, by: Option<&Actor>, now: NaiveDateTime) -> Result<Account> {
    access::check_login(a.login).map_err(StoreError::Invalid)?;
    access::check_new_password(a.password, a.login).map_err(StoreError::Invalid)?;
    if a.name.trim().is_empty() || a.name.chars().any(char::is_control) {
        return Err(StoreError::Invalid("请填写姓名（不含控制字符）".into()));
    }
    if a.roles.is_empty() {
        return Err(StoreError::Invalid("请至少给一个角色".into()));
    }
    let hashed = hash(a.password)?;
    store.write(|tx| {
        let first = none_yet(tx)?;
        let by_label = match (by, first) {
            (Some(actor), _) => {
                actor.require(Permission::ManageAccounts)?;
                actor.label()
            }
            (None, true) if a.roles.contains(&Role::Admin) => "首次启动".to_string(),
            (None, true) => return Err(StoreError::Invalid("第一个账号须为管理员".into())),
            (None, false) => return Err(StoreError::Denied(Permission::ManageAccounts.label().into())),
        };
        if by_login(tx, a.login)?.is_some() {
            return Err(StoreError::Invalid(format!("用户名 {} 已存在", a.login)));
        }
        tx.execute(
            "INSERT INTO accounts (login, display_name, password_hash, must_change, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.login, a.name.trim(), hashed, a.must_change, timestamp(now), by_label],
        )?;
        let id = tx.last_insert_rowid();
        set_roles_in(tx, id, a.roles)?;
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        let detail = format!("{}（{}），角色：{}", a.login, a.name.trim(), roles.join("、"));
        super::backup::audit_in(tx, &by_label, "新建账号", &detail, now)?;
        Ok(())
    })?;
    get(store.conn(), a.login)?.ok_or_else(|| StoreError::Invalid("账号未写入".into()))
}

fn set_roles_in(tx: &Transaction, id: i64, roles: &[Role]) -> Result<()> {
    tx.execute("DELETE FROM account_roles WHERE account_id = ?1", [id])?;
    for r in roles {
        tx.execute("INSERT INTO account_roles (account_id, role) VALUES (?1, ?2)", params![id, r.code()])?;
    }
    Ok(())
}

/// Sign in: the account when the password is right and the account active
/// and not locked. Every outcome is audited with its real reason; the
/// caller only ever hears [`WRONG`]. `rules.max_failures` wrong passwords in
/// a row lock the account for `rules.lock_minutes`.
pub fn sign_in(
    store: &mut Store,
    login: &str,
    password: &str,
    rules: &SignInRules,
    now: NaiveDateTime,
) -> Result<Account> {
    if let Err(why) = access::check_login(login).and_then(|()| access::check_password(password)) {
        return Err(StoreError::Invalid(why));
    }
    let found = by_login(store.conn(), login)?;
    // The hash is checked before the transaction: Argon2 takes tens of
    // milliseconds and a write lock is not held for it.
    let matches = verify(password, found.as_ref().map_or(dummy_hash(), |(_, h)| h.as_str()));
    let shown = crate::text::sanitize_line(login).into_owned();
    let outcome = store.write(|tx| {
        let Some((a, _)) = &found else {
            super::backup::audit_in(tx, &shown, "登录失败", "无此账号", now)?;
            return Ok(Err(WRONG));
        };
        let who = a.actor().label();
        if !a.active {
            super::backup::audit_in(tx, &who, "登录失败", "账号已停用", now)?;
            return Ok(Err(WRONG));
        }
        if let Some(until) = a.locked_until.filter(|u| *u > now) {
            super::backup::audit_in(tx, &who, "登录失败", &format!("账号锁定中，至{until}"), now)?;
            return Ok(Err(WRONG));
        }
        if !matches {
            // A lock that has run out starts the count again.
            let before = if a.locked_until.is_some() { 0 } else { a.failed_attempts };
            let failures = before + 1;
            let locked = (failures >= rules.max_failures).then(|| now + TimeDelta::minutes(rules.lock_minutes.into()));
            tx.execute(
                "UPDATE accounts SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
                params![a.id, if locked.is_some() { 0 } else { failures }, locked.map(timestamp)],
            )?;
            super::backup::audit_in(tx, &who, "登录失败", &format!("密码错误（连续第{failures}次）"), now)?;
            if let Some(until) = locked {
                super::backup::audit_in(
                    tx,
                    &who,
                    "账号锁定",
                    &format!("连续{failures}次密码错误，锁定至{until}"),
                    now,
                )?;
            }
            return Ok(Err(WRONG));
        }
        tx.execute("UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?1", [a.id])?;
        super::backup::audit_in(tx, &who, "登录成功", "", now)?;
        Ok(Ok(()))
    })?;
    match (outcome, found) {
        (Ok(()), Some((a, _))) => Ok(Account { failed_attempts: 0, locked_until: None, ..a }),
        _ => Err(StoreError::Invalid(WRONG.into())),
    }
}

/// Sign-in on a database that cannot be written (a read-only copy): the
/// same checks, nothing recorded — there is nowhere to record it.
pub fn check_read_only(conn: &Connection, login: &str, password: &str, now: NaiveDateTime) -> Result<Account> {
    access::check_login(login).and_then(|()| access::check_password(password)).map_err(StoreError::Invalid)?;
    let found = by_login(conn, login)?;
    let matches = verify(password, found.as_ref().map_or(dummy_hash(), |(_, h)| h.as_str()));
    match found {
        Some((a, _)) if matches && a.active && a.locked_until.is_none_or(|u| u <= now) => Ok(a),
        _ => Err(StoreError::Invalid(WRONG.into())),
    }
}

/// The account signs in with `old` and chooses `new` (a forced change after a reset too).
pub fn change_password(store: &mut Store, actor: &Actor, old: &str, new: &str, now: NaiveDateTime) -> Result<()> {
    let (_, stored) = by_login(store.conn(), &actor.login)?.ok_or_else(|| StoreError::Invalid(WRONG.into()))?;
    if !verify(old, &stored) {
        return Err(StoreError::Invalid("原密码不正确".into()));
    }
    access::check_new_password(new, &actor.login).map_err(StoreError::Invalid)?;
    if new == old {
        return Err(StoreError::Invalid("新密码不能与原密码相同".into()));
    }
    let hashed = hash(new)?;
    store.write(|tx| {
        tx.execute(
            "UPDATE accounts SET password_hash = ?2, must_change = 0, changed_at = ?3, changed_by = ?4 WHERE id = ?1",
            params![actor.id, hashed, timestamp(now), actor.label()],
        )?;
        super::backup::audit_in(tx, &actor.label(), "修改密码", "", now)
    })
}

/// What the administrator changes on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Disable,
    Enable,
    /// A new password chosen by the administrator; the owner must change it at sign-in.
    ResetPassword(String),
    SetRoles(Vec<Role>),
}

pub fn change(store: &mut Store, login: &str, c: &Change, by: &Actor, now: NaiveDateTime) -> Result<Account> {
    by.require(Permission::ManageAccounts)?;
    let (a, _) =
        by_login(store.conn(), login)?.ok_or_else(|| StoreError::Invalid(format!("没有用户名为 {login} 的账号")))?;
    let hashed = match c {
        Change::ResetPassword(pw) => {
            access::check_new_password(pw, login).map_err(StoreError::Invalid)?;
            Some(hash(pw)?)
        }
        _ => None,
    };
    // An administrator never locks the last door behind them.
    let locks_self_out = match c {
        Change::Disable => true,
        Change::SetRoles(roles) => !roles.contains(&Role::Admin),
        _ => false,
    };
    if a.id == by.id && locks_self_out {
        return Err(StoreError::Invalid("不能停用自己的账号或去掉自己的管理员角色".into()));
    }
    store.write(|tx| {
        let (sql, detail) = match c {
            Change::Disable => ("UPDATE accounts SET status = 'disabled' WHERE id = ?1", "停用".to_string()),
            Change::Enable => (
                "UPDATE accounts SET status = 'active', failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                "启用".to_string(),
            ),
            Change::ResetPassword(_) => (
                "UPDATE accounts SET password_hash = ?2, must_change = 1, failed_attempts = 0, locked_until = NULL
                 WHERE id = ?1",
                "重置密码（下次登录须修改）".to_string(),
            ),
            Change::SetRoles(roles) => {
                if roles.is_empty() {
                    return Err(StoreError::Invalid("请至少给一个角色".into()));
                }
                set_roles_in(tx, a.id, roles)?;
                let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
                ("UPDATE accounts SET status = status WHERE id = ?1", format!("角色改为：{}", names.join("、")))
            }
        };
        match &hashed {
            Some(h) => tx.execute(sql, params![a.id, h])?,
            None => tx.execute(sql, [a.id])?,
        };
        tx.execute(
            "UPDATE accounts SET changed_at = ?2, changed_by = ?3 WHERE id = ?1",
            params![a.id, timestamp(now), by.label()],
        )?;
        super::backup::audit_in(tx, &by.label(), "修改账号", &format!("{login}：{detail}"), now)
    })?;
    get(store.conn(), login)?.ok_or_else(|| StoreError::Invalid("账号未找到".into()))
}
