//! The reason asked before restricted content or a petitioner's full ID is
//! shown: the reveal goes into the case's trail with it.

use tui_input::{Input, InputRequest};

use crate::app::Action;
use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::form::edit_input;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::domain::access::Permission;
use crate::store::{StoreError, approvals, cases};

use super::approval::{ApprovalForm, Purpose};

/// What a reveal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    /// The content of a 检举控告 or 保密 case.
    Content,
    /// One petitioner's full name, ID number and phones (by their place in the case).
    Identity(usize),
}

impl Reveal {
    pub fn label(self) -> &'static str {
        match self {
            Reveal::Content => "查看保密内容",
            Reveal::Identity(_) => "查看完整证件号码和电话",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RevealPrompt {
    pub case_id: i64,
    pub what: Reveal,
    /// Whose identity (masked), for the prompt and the trail.
    pub subject: String,
    pub reason: Input,
    pub message: Option<String>,
}

impl RevealPrompt {
    pub fn new(case_id: i64, what: Reveal, subject: String) -> RevealPrompt {
        RevealPrompt { case_id, what, subject, reason: Input::default(), message: None }
    }

    /// Record the reveal with its reason in the trail, then show.
    fn confirm(&mut self, env: &mut Env) -> Result<Vec<Effect>, StoreError> {
        let reason = self.reason.value().trim().to_string();
        if reason.is_empty() {
            self.message = Some(crate::app::strings::detail::GIVE_REASON.into());
            return Ok(Vec::new());
        }
        let note = if self.subject.is_empty() { reason } else { format!("{}：{reason}", self.subject) };
        let (actor, now) = (env.operator(), env.now());
        match (self.what, env.session.actor.clone()) {
            // A 接待员 opens restricted content only with an approver's signature.
            (Reveal::Content, Some(me)) if !me.can(Permission::OpenRestricted) => {
                let purpose = Purpose::Reveal { case_id: self.case_id, reason: note };
                return Ok(vec![Effect::Push(super::Popup::Approval(ApprovalForm::new(purpose)))]);
            }
            (Reveal::Content, Some(me)) => {
                let rules = env.session.accounts.clone();
                approvals::reveal_content(&mut env.store, self.case_id, &note, &me, None, &rules, now)?
            }
            (Reveal::Content, None) => return Err(StoreError::Invalid("请先登录".into())),
            (Reveal::Identity(_), _) => {
                cases::record(&mut env.store, self.case_id, self.what.label(), &note, &actor, now)?
            }
        }
        Ok(vec![
            Effect::Pop,
            Effect::Revealed(self.what),
            Effect::Reload,
            Effect::Tell(crate::app::strings::detail::recorded(self.what.label()), false),
        ])
    }
}

impl Pane for RevealPrompt {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Reveal, true)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        Some(match action {
            Action::Open | Action::Save => or_failed(self.confirm(env)),
            Action::Back => vec![Effect::Pop],
            Action::Quit => return None,
            _ => Vec::new(),
        })
    }

    fn on_input(&mut self, req: InputRequest, _env: &mut Env) -> Vec<Effect> {
        edit_input(&mut self.reason, req);
        self.message = None;
        Vec::new()
    }

    fn on_paste(&mut self, text: &str, _env: &mut Env) -> Vec<Effect> {
        for c in crate::text::pasted(text, false).chars() {
            edit_input(&mut self.reason, InputRequest::InsertChar(c));
        }
        Vec::new()
    }
}
