//! A second person's approval (双人复核): where the statute or practice asks
//! for an approver, the store records the step only when another account
//! holding the approval permission signs it with its own password — 延期
//! (条例第三十四条), opening 检举控告/保密 content for a 接待员, an unmasked
//! export. The trail row names both accounts.

use chrono::NaiveDateTime;

use super::accounts::{self, Actor};
use super::{Result, Store, StoreError, cases, lifecycle};
use crate::domain::access::{Permission, SignInRules};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::lifecycle::Action;

/// The approver's sign-in on the requester's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub login: String,
    pub password: String,
}

/// The approver's account: signed in (audited like any sign-in), holding
/// `need`, and not the requester.
pub fn approve(
    store: &mut Store,
    requester: &Actor,
    approval: &Approval,
    need: Permission,
    rules: &SignInRules,
    now: NaiveDateTime,
) -> Result<Actor> {
    let same = || StoreError::Invalid("批准人须是申请人以外、有审批权限的另一人".into());
    if approval.login.trim() == requester.login {
        return Err(same());
    }
    let approver = accounts::sign_in(store, approval.login.trim(), &approval.password, rules, now)?.actor();
    if approver.id == requester.id {
        return Err(same());
    }
    approver.require(need)?;
    Ok(approver)
}

/// 延期, approved by another account with the approval permission: the
/// trail row is the requester's and names the approver.
#[allow(clippy::too_many_arguments)]
pub fn extend(
    store: &mut Store,
    case_id: i64,
    days: u32,
    notified_on: chrono::NaiveDate,
    requester: &Actor,
    approval: &Approval,
    rules: &SignInRules,
    at: NaiveDateTime,
    cal: &HolidayCalendar,
) -> Result<()> {
    requester.require(Permission::CaseWork)?;
    let approver = approve(store, requester, approval, Permission::ApproveExtension, rules, at)?;
    let action = Action::Extend { days, approved_by: approver.label(), notified_on };
    store.write(|tx| lifecycle::checked(tx, case_id, &action, &requester.label(), at, cal, true))
}

/// Open a 检举控告/保密 case's content: an account with the permission does
/// so with its reason; a 接待员 needs an approver's signature as well.
pub fn reveal_content(
    store: &mut Store,
    case_id: i64,
    reason: &str,
    requester: &Actor,
    approval: Option<&Approval>,
    rules: &SignInRules,
    now: NaiveDateTime,
) -> Result<()> {
    let note = match (requester.can(Permission::OpenRestricted), approval) {
        (true, _) => reason.to_string(),
        (false, Some(a)) => {
            let approver = approve(store, requester, a, Permission::OpenRestricted, rules, now)?;
            format!("{reason}（经{}批准）", approver.label())
        }
        (false, None) => return Err(StoreError::Denied(Permission::OpenRestricted.label().into())),
    };
    cases::record(store, case_id, "查看保密内容", &note, &requester.label(), now)
}
