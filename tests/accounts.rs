//! Staff accounts on a real file: Argon2id hashes, the first administrator,
//! sign-in with its lockout on a frozen clock, the same answer for every
//! failure with the real reason in the audit log, the administrator's
//! changes, and a busy database that never locks anyone out.

mod common;

use chrono::{NaiveDateTime, TimeDelta};
use common::*;
use xfdesk::domain::access::{Role, SignInRules};
use xfdesk::store::StoreError;
use xfdesk::store::accounts::{self, Actor, Change, NewAccount};

const PW: &str = "接待台-2026-春";

fn admin(store: &mut xfdesk::store::Store) -> Actor {
    let a = NewAccount { login: "admin", name: "刘建华", roles: &[Role::Admin], password: PW, must_change: false };
    accounts::create(store, &a, None, now()).unwrap().actor()
}

fn clerk(store: &mut xfdesk::store::Store, by: &Actor) -> Actor {
    let a = NewAccount { login: "zhoumin", name: "周敏", roles: &[Role::Clerk], password: PW, must_change: false };
    accounts::create(store, &a, Some(by), now()).unwrap().actor()
}

fn audit(store: &xfdesk::store::Store) -> Vec<(String, String, String)> {
    store
        .conn()
        .prepare("SELECT operator, action, detail FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_password_is_kept_as_an_argon2id_hash_and_only_it_verifies() {
    let h = accounts::hash(PW).unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
    assert!(!h.contains(PW));
    assert!(accounts::verify(PW, &h));
    assert!(!accounts::verify("接待台-2026-夏", &h));
    assert!(!accounts::verify(PW, "not a hash"));
    assert_ne!(accounts::hash(PW).unwrap(), h, "a new salt each time");
}

#[test]
fn the_first_account_is_the_administrator_and_only_an_administrator_adds_more() {
    let (_d, mut store) = temp_store();
    assert!(accounts::none_yet(store.conn()).unwrap());
    let not_admin =
        NewAccount { login: "zhoumin", name: "周敏", roles: &[Role::Clerk], password: PW, must_change: false };
    let first = accounts::create(&mut store, &not_admin, None, now()).unwrap_err();
    assert_eq!(first.to_string(), "第一个账号须为管理员");
    let boss = admin(&mut store);
    let again = accounts::create(&mut store, &not_admin, None, now()).unwrap_err();
    assert!(matches!(again, StoreError::Denied(_)), "{again}");
    let zhou = clerk(&mut store, &boss);
    let other = NewAccount { login: "lijing", name: "李静", roles: &[Role::Clerk], password: PW, must_change: false };
    let refused = accounts::create(&mut store, &other, Some(&zhou), now()).unwrap_err();
    assert_eq!(refused.to_string(), "没有权限：管理账号（请由有此权限的人员办理）");
    let trail = audit(&store);
    assert_eq!(trail[0], ("首次启动".into(), "新建账号".into(), "admin（刘建华），角色：管理员".into()));
    assert_eq!(trail[1].0, "刘建华#1", "the acting account, by name and id");
    let stored: String =
        store.conn().query_row("SELECT group_concat(password_hash) FROM accounts", [], |r| r.get(0)).unwrap();
    assert!(!stored.contains(PW), "never the password itself");
}

#[test]
fn five_wrong_passwords_lock_for_fifteen_minutes_and_every_failure_says_the_same() {
    let (_d, mut store) = temp_store();
    let boss = admin(&mut store);
    clerk(&mut store, &boss);
    let rules = SignInRules::default();
    let at = |minutes: i64| now() + TimeDelta::minutes(minutes);
    let try_in = |store: &mut xfdesk::store::Store, pw: &str, t: NaiveDateTime| {
        accounts::sign_in(store, "zhoumin", pw, &rules, t).map(|a| a.login).map_err(|e| e.to_string())
    };
    for i in 1..=4 {
        assert_eq!(try_in(&mut store, "wrong-password", at(i)), Err(accounts::WRONG.into()));
    }
    assert_eq!(accounts::get(store.conn(), "zhoumin").unwrap().unwrap().failed_attempts, 4);
    assert_eq!(try_in(&mut store, "wrong-password", at(5)), Err(accounts::WRONG.into()));
    let locked = accounts::get(store.conn(), "zhoumin").unwrap().unwrap();
    assert_eq!(locked.locked_until, Some(at(20)), "15 minutes from the fifth failure");
    // Locked: the right password gets the same answer.
    assert_eq!(try_in(&mut store, PW, at(19)), Err(accounts::WRONG.into()));
    // After the period it opens, and the count starts again.
    assert_eq!(try_in(&mut store, PW, at(21)), Ok("zhoumin".into()));
    let open = accounts::get(store.conn(), "zhoumin").unwrap().unwrap();
    assert_eq!((open.failed_attempts, open.locked_until), (0, None));

    accounts::change(&mut store, "zhoumin", &Change::Disable, &boss, at(22)).unwrap();
    assert_eq!(try_in(&mut store, PW, at(23)), Err(accounts::WRONG.into()), "disabled: the same words");
    let nobody = accounts::sign_in(&mut store, "nobody", PW, &rules, at(24)).unwrap_err();
    assert_eq!(nobody.to_string(), accounts::WRONG, "no account: the same words");

    let reasons: Vec<(String, String)> = audit(&store)
        .into_iter()
        .filter(|(_, a, _)| a.starts_with("登录") || a == "账号锁定")
        .map(|(_, a, d)| (a, d))
        .collect();
    let want = [
        ("登录失败", "密码错误（连续第1次）"),
        ("登录失败", "密码错误（连续第2次）"),
        ("登录失败", "密码错误（连续第3次）"),
        ("登录失败", "密码错误（连续第4次）"),
        ("登录失败", "密码错误（连续第5次）"),
        ("账号锁定", "连续5次密码错误，锁定至2026-11-28 10:50:00"),
        ("登录失败", "账号锁定中，至2026-11-28 10:50:00"),
        ("登录成功", ""),
        ("登录失败", "账号已停用"),
        ("登录失败", "无此账号"),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(a, d)| (a.to_string(), d.to_string())).collect();
    assert_eq!(reasons, want, "the audit log has the real reason");
}

#[test]
fn bad_names_and_passwords_are_refused_before_anything_is_looked_up() {
    let (_d, mut store) = temp_store();
    admin(&mut store);
    let rules = SignInRules::default();
    let long = "x".repeat(1025);
    for (login, pw, words) in [
        ("", PW, "请输入用户名"),
        ("admin", "", "请输入密码"),
        ("admin", long.as_str(), "太长"),
        ("ad\u{7}min", PW, "控制字符"),
        ("admin", "a\u{1b}[31mb", "控制字符"),
    ] {
        let err = accounts::sign_in(&mut store, login, pw, &rules, now()).unwrap_err().to_string();
        assert!(err.contains(words), "{login:?}: {err}");
    }
    let failures = audit(&store).iter().filter(|(_, a, _)| a == "登录失败").count();
    assert_eq!(failures, 0, "input refused as input, not counted against anyone");
}

#[test]
fn a_reset_forces_a_change_and_the_administrator_cannot_lock_themselves_out() {
    let (_d, mut store) = temp_store();
    let boss = admin(&mut store);
    clerk(&mut store, &boss);
    let reset = accounts::change(&mut store, "zhoumin", &Change::ResetPassword("临时密码-12345".into()), &boss, now());
    assert!(reset.unwrap().must_change);
    let rules = SignInRules::default();
    let zhou = accounts::sign_in(&mut store, "zhoumin", "临时密码-12345", &rules, now()).unwrap();
    assert!(zhou.must_change);
    let weak = accounts::change_password(&mut store, &zhou.actor(), "临时密码-12345", "short", now()).unwrap_err();
    assert!(weak.to_string().contains("至少 8"), "{weak}");
    accounts::change_password(&mut store, &zhou.actor(), "临时密码-12345", "我的新密码-2026", now()).unwrap();
    assert!(!accounts::get(store.conn(), "zhoumin").unwrap().unwrap().must_change);
    let roles = Change::SetRoles(vec![Role::Clerk, Role::Approver]);
    assert_eq!(
        accounts::change(&mut store, "zhoumin", &roles, &boss, now()).unwrap().roles,
        [Role::Clerk, Role::Approver]
    );
    let self_out = accounts::change(&mut store, "admin", &Change::Disable, &boss, now()).unwrap_err();
    assert!(self_out.to_string().contains("不能停用自己的账号"), "{self_out}");
    let zhou = accounts::get(store.conn(), "zhoumin").unwrap().unwrap().actor();
    let denied = accounts::change(&mut store, "admin", &Change::Disable, &zhou, now()).unwrap_err();
    assert!(matches!(denied, StoreError::Denied(_)));
}

#[test]
fn a_busy_database_never_counts_as_a_failed_sign_in() {
    let (dir, mut store) = temp_store();
    let boss = admin(&mut store);
    clerk(&mut store, &boss);
    drop(store);
    let path = dir.path().join("xfdesk.db");
    let mut busy = xfdesk::store::Store::open_with(&path, std::time::Duration::from_millis(50)).unwrap();
    // Another desk holds the write lock for longer than this desk waits.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = accounts::sign_in(&mut busy, "zhoumin", "wrong-password", &SignInRules::default(), now()).unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(accounts::get(busy.conn(), "zhoumin").unwrap().unwrap().failed_attempts, 0);
}
