//! The approver signs on the requester's screen (双人复核): their user name
//! and their own password, for a 延期 or for opening restricted content.
//! Over the form that asked for it; both close when it is recorded.

use chrono::NaiveDate;

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind};
use crate::app::popups::reveal::Reveal;
use crate::store::StoreError;
use crate::store::approvals::{self, Approval};

/// What the approver signs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Extend { case_id: i64, days: u32, notified_on: NaiveDate },
    Reveal { case_id: i64, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum A {
    Login,
    Password,
}

#[derive(Debug, Clone)]
pub struct ApprovalForm {
    pub purpose: Purpose,
    pub form: Form<A>,
}

impl ApprovalForm {
    pub fn new(purpose: Purpose) -> ApprovalForm {
        let title = match &purpose {
            Purpose::Extend { days, .. } => format!("双人复核：延期{days}日须由审批人签批"),
            Purpose::Reveal { .. } => "双人复核：查看保密内容须由审批人签批".to_string(),
        };
        let fields = vec![
            Field::new(A::Login, "审批人用户名", Kind::Text, "").required(),
            Field::new(A::Password, "审批人密码", Kind::Secret, "").required(),
        ];
        ApprovalForm {
            purpose,
            form: Form::new(title, fields).with_keys("Enter 签批  Esc 取消  Tab 换项（审批人本人输入密码）"),
        }
    }

    fn record(&self, env: &mut Env) -> Result<Vec<Effect>, StoreError> {
        let requester = env.session.actor.clone().ok_or_else(|| StoreError::Invalid("请先登录".into()))?;
        let approval = Approval { login: self.form.value(A::Login), password: self.form.value(A::Password) };
        let (rules, now) = (env.session.accounts.clone(), env.now());
        match &self.purpose {
            Purpose::Extend { case_id, days, notified_on } => {
                let cal = env.calendar.clone();
                approvals::extend(
                    &mut env.store,
                    *case_id,
                    *days,
                    *notified_on,
                    &requester,
                    &approval,
                    &rules,
                    now,
                    &cal,
                )?;
                let said = crate::app::strings::detail::done("延期");
                // This form and the 延期 form under it.
                Ok(vec![Effect::Pop, Effect::Pop, Effect::CaseChanged(*case_id), Effect::Tell(said, false)])
            }
            Purpose::Reveal { case_id, reason } => {
                approvals::reveal_content(&mut env.store, *case_id, reason, &requester, Some(&approval), &rules, now)?;
                let said = crate::app::strings::detail::recorded(Reveal::Content.label());
                Ok(vec![
                    Effect::Pop,
                    Effect::Pop,
                    Effect::Revealed(Reveal::Content),
                    Effect::Reload,
                    Effect::Tell(said, false),
                ])
            }
        }
    }
}

impl super::FormPopup for ApprovalForm {
    type Key = A;

    fn form(&mut self) -> &mut Form<A> {
        &mut self.form
    }

    /// Refused (wrong password, no permission, the requester themselves):
    /// the form stays, the password is cleared, the reason shown.
    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        if let Some(missing) = self.form.missing() {
            self.form.error = Some(missing);
            return Vec::new();
        }
        match self.record(env) {
            Ok(effects) => effects,
            Err(e) => {
                self.form.set(A::Password, "");
                self.form.error = Some(e.to_string());
                Vec::new()
            }
        }
    }
}
