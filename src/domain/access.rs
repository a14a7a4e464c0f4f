//! Who may do what: staff roles as sets of permissions, one permission per
//! kind of action (the way Zammad/Znuny model it), and the rules a sign-in
//! name and password must keep. Pure: the store checks an account against
//! these in its write functions, the keymap hides what a role lacks.

use serde::{Deserialize, Serialize};

coded!(
    /// What an account may do. Each action that needs more than being
    /// signed in names exactly one of these.
    #[derive(Serialize, Deserialize)]
    Permission {
        Register = "register" => "来访登记",
        Queue = "queue" => "接访队列",
        Remind = "remind" => "电话督促",
        CaseWork = "case_work" => "办理事项",
        ReadMasked = "read_masked" => "查阅（脱敏）",
        RevealIdentity = "reveal_identity" => "查看完整证件号（说明理由）",
        ApproveExtension = "approve_extension" => "批准延期",
        OpenRestricted = "open_restricted" => "查看检举控告、保密内容",
        ExportUnmasked = "export_unmasked" => "导出完整号码",
        EditWeekly = "edit_weekly" => "编辑周报人工字段",
        ManageAccounts = "manage_accounts" => "管理账号",
        EditHolidays = "edit_holidays" => "维护节假日",
        EditReference = "edit_reference" => "维护参考数据",
        Backup = "backup" => "备份与恢复",
    }
);

coded!(
    /// A set of permissions an account is given (an account may hold several).
    #[derive(Serialize, Deserialize)]
    Role {
        Clerk = "clerk" => "接待员",
        Approver = "approver" => "审批人",
        Admin = "admin" => "管理员",
        BackupOperator = "backup" => "备份员",
    }
);

use Permission as P;

/// The front desk's daily work.
const CLERK: &[Permission] = &[P::Register, P::Queue, P::Remind, P::CaseWork, P::ReadMasked, P::RevealIdentity];

/// 审批人/科室负责人: a clerk's work and the approvals.
const APPROVER: &[Permission] = &[
    P::Register,
    P::Queue,
    P::Remind,
    P::CaseWork,
    P::ReadMasked,
    P::RevealIdentity,
    P::ApproveExtension,
    P::OpenRestricted,
    P::ExportUnmasked,
    P::EditWeekly,
];

/// 管理员: the system, no casework (give a casework role as well if needed).
const ADMIN: &[Permission] = &[P::ManageAccounts, P::EditHolidays, P::EditReference, P::Backup];

/// For scheduled backups: nothing else.
const BACKUP: &[Permission] = &[P::Backup];

impl Role {
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Role::Clerk => CLERK,
            Role::Approver => APPROVER,
            Role::Admin => ADMIN,
            Role::BackupOperator => BACKUP,
        }
    }
}

/// Whether any of `roles` carries `p`.
pub fn permits(roles: &[Role], p: Permission) -> bool {
    roles.iter().any(|r| r.permissions().contains(&p))
}

/// The longest name or password taken (bytes): anything longer is refused, not cut.
pub const MAX_SECRET_BYTES: usize = 1024;

/// The shortest password a new or changed one may be.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A sign-in name: not empty, not over 64 characters, no controls or spaces.
pub fn check_login(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("请输入用户名".into());
    }
    if name.len() > MAX_SECRET_BYTES || name.chars().count() > 64 {
        return Err("用户名太长（最多 64 个字）".into());
    }
    if name.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("用户名不能含空格或控制字符".into());
    }
    Ok(())
}

/// A password as typed at sign-in: not empty, not over 1 KiB, no controls.
pub fn check_password(pw: &str) -> Result<(), String> {
    if pw.is_empty() {
        return Err("请输入密码".into());
    }
    if pw.len() > MAX_SECRET_BYTES {
        return Err(format!("密码太长（最多 {MAX_SECRET_BYTES} 字节）"));
    }
    if pw.chars().any(char::is_control) {
        return Err("密码不能含控制字符".into());
    }
    Ok(())
}

/// A new password: what sign-in takes, at least 8 characters, not the name.
pub fn check_new_password(pw: &str, login: &str) -> Result<(), String> {
    check_password(pw)?;
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"));
    }
    if pw == login {
        return Err("密码不能与用户名相同".into());
    }
    Ok(())
}

/// The sign-in rules (config `[accounts]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignInRules {
    /// Failed attempts in a row that lock the account.
    pub max_failures: u32,
    pub lock_minutes: u32,
    /// No key for this long: the screen hides everything and asks for the password.
    pub idle_lock_minutes: u32,
}

impl Default for SignInRules {
    fn default() -> Self {
        SignInRules { max_failures: 5, lock_minutes: 15, idle_lock_minutes: 10 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every permission against every role, as the README's table states it.
    #[test]
    fn the_permission_table_every_action_by_every_role() {
        // permission: clerk, approver, admin, backup
        let table: [(Permission, [bool; 4]); 14] = [
            (P::Register, [true, true, false, false]),
            (P::Queue, [true, true, false, false]),
            (P::Remind, [true, true, false, false]),
            (P::CaseWork, [true, true, false, false]),
            (P::ReadMasked, [true, true, false, false]),
            (P::RevealIdentity, [true, true, false, false]),
            (P::ApproveExtension, [false, true, false, false]),
            (P::OpenRestricted, [false, true, false, false]),
            (P::ExportUnmasked, [false, true, false, false]),
            (P::EditWeekly, [false, true, false, false]),
            (P::ManageAccounts, [false, false, true, false]),
            (P::EditHolidays, [false, false, true, false]),
            (P::EditReference, [false, false, true, false]),
            (P::Backup, [false, false, true, true]),
        ];
        assert_eq!(table.len(), Permission::ALL.len(), "every permission is in the table");
        for (p, by_role) in table {
            for (role, want) in Role::ALL.iter().zip(by_role) {
                assert_eq!(permits(&[*role], p), want, "{} × {}", role.label(), p.label());
            }
        }
        assert!(permits(&[Role::Admin, Role::Clerk], P::Register), "roles add up");
        assert!(!permits(&[], P::ReadMasked), "no role, nothing");
    }

    #[test]
    fn names_and_passwords_outside_the_rules_are_refused_with_a_reason() {
        let long = "密".repeat(400);
        let cases: [(&str, Result<(), &str>); 5] = [
            ("zhoumin", Ok(())),
            ("", Err("请输入用户名")),
            ("zhou min", Err("不能含空格")),
            ("zhou\u{1b}[2J", Err("控制字符")),
            (&long, Err("太长")),
        ];
        for (name, want) in cases {
            match (check_login(name), want) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(w)) => assert!(e.contains(w), "{name:?}: {e}"),
                (got, want) => panic!("{name:?}: {got:?}, wanted {want:?}"),
            }
        }
        assert!(check_password("").is_err());
        assert!(check_password(&"x".repeat(1025)).unwrap_err().contains("太长"));
        assert!(check_password("ab\ncd").unwrap_err().contains("控制字符"));
        assert!(check_new_password("short", "zhoumin").unwrap_err().contains("至少 8"));
        assert!(check_new_password("zhoumin1", "zhoumin1").unwrap_err().contains("不能与用户名相同"));
        assert!(check_new_password("信访接待台2026", "zhoumin").is_ok());
    }
}
