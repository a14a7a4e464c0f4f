//! 事项详情: one case on one screen, over whichever screen opened it. Its
//! actions open their forms (`case_action`) and reveals their prompt (`reveal`).

use super::Popup;
use super::case_action::CaseAction;
use super::reveal::{Reveal, RevealPrompt};
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::loader::Loader;
use crate::app::opening::ReadContext;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::strings::detail as say;
use crate::app::{Action, PAGE};
use crate::domain::warning::Warning;
use crate::store::StoreError;
use crate::store::dossier::{self, Dossier};
use rusqlite::Connection;

#[derive(Debug)]
pub struct Detail {
    pub case_id: i64,
    pub dossier: Dossier,
    /// First line of the timeline shown.
    pub scroll: usize,
    pub content_revealed: bool,
    /// Petitioners (by place in the case) whose identity was revealed.
    pub identity_revealed: Vec<usize>,
    pub message: Option<(String, bool)>,
    /// The case's and its representative's early warnings.
    pub warnings: Vec<Warning>,
    /// The case read afresh on a worker (another desk or an action of ours
    /// changed it); what is shown stays until it is in.
    refresh: Loader<Option<(Dossier, Vec<Warning>)>>,
}

impl Detail {
    /// The case and its warnings, read on `conn` (a worker's: see `app::opening`).
    pub fn read(conn: &Connection, cx: &ReadContext, case_id: i64) -> Result<Option<Detail>, StoreError> {
        let Some((dossier, warnings)) = read_parts(conn, cx, case_id)? else { return Ok(None) };
        Ok(Some(Detail {
            case_id,
            dossier,
            scroll: 0,
            content_revealed: false,
            warnings,
            identity_revealed: Vec::new(),
            message: None,
            refresh: Loader::default(),
        }))
    }

    /// Read the case again on a worker (another desk or an action of ours changed it).
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        let (cx, id) = (ReadContext::of(env), self.case_id);
        self.refresh.start(&env.store, say::READING, move |conn| read_parts(conn, &cx, id))
    }

    /// Take the case read afresh, once it is in.
    pub fn poll(&mut self) -> Option<StoreError> {
        let done = self.refresh.poll()?;
        self.accept(done)
    }

    /// Block until the case read afresh is in (tests and benchmarks).
    pub fn wait(&mut self) -> Option<StoreError> {
        let done = self.refresh.wait()?;
        self.accept(done)
    }

    pub fn is_loading(&self) -> bool {
        self.refresh.busy().is_some()
    }

    fn accept(&mut self, done: Result<Option<(Dossier, Vec<Warning>)>, StoreError>) -> Option<StoreError> {
        match done {
            Ok(Some((dossier, warnings))) => {
                self.dossier = dossier;
                self.warnings = warnings;
                self.scroll = self.scroll.min(self.dossier.events.len().saturating_sub(1));
                None
            }
            Ok(None) => None,
            Err(e) => Some(e),
        }
    }

    /// The actions that follow something up are offered only when there is
    /// something: a 简易办理 to convert, a 批示 awaiting feedback, a 包案 running.
    fn nothing_to_follow(&self, kind: crate::domain::lifecycle::ActionKind) -> Option<&'static str> {
        use crate::domain::lifecycle::{self as l, ActionKind as K};
        let d = &self.dossier;
        match kind {
            K::ToOrdinary if d.procedure != crate::domain::triage::Procedure::Simple => Some(l::NOT_SIMPLE),
            K::Feedback if d.pending_instruction.is_none() => Some(l::NO_PENDING_INSTRUCTION),
            K::StopPetitioning if d.ownership.is_none() => Some(l::NO_RUNNING_OWNERSHIP),
            _ => None,
        }
    }

    /// An action key: open its form, or say why it cannot be taken now.
    fn start(&mut self, kind: crate::domain::lifecycle::ActionKind, env: &Env) -> Vec<Effect> {
        let status = self.dossier.case.status;
        if !kind.is_allowed(status) {
            self.message = Some((say::not_allowed(status.label(), kind.label()), true));
            return Vec::new();
        }
        if let Some(why) = self.nothing_to_follow(kind) {
            self.message = Some((why.into(), true));
            return Vec::new();
        }
        self.message = None;
        let form = CaseAction::new(self.case_id, kind, env.today(), env.assign_due(), &env.reference);
        vec![Effect::Push(Popup::CaseAction(form))]
    }

    fn ask_reveal(&mut self, what: Reveal) -> Vec<Effect> {
        let needed = match what {
            Reveal::Content => self.dossier.case.content_is_restricted() && !self.content_revealed,
            Reveal::Identity(i) => i < self.dossier.petitioners.len() && !self.identity_revealed.contains(&i),
        };
        if !needed {
            return Vec::new();
        }
        vec![Effect::Push(Popup::Reveal(RevealPrompt::new(self.case_id, what, self.reveal_subject(what))))]
    }

    /// `m`: the next petitioner whose identity is still masked, one at a time.
    fn ask_next_identity(&mut self) -> Vec<Effect> {
        match (0..self.dossier.petitioners.len()).find(|i| !self.identity_revealed.contains(i)) {
            Some(i) => self.ask_reveal(Reveal::Identity(i)),
            None => {
                self.message = Some((say::ALL_SHOWN.into(), false));
                Vec::new()
            }
        }
    }

    /// Whose identity a prompt is about, masked, for the prompt and the trail.
    pub fn reveal_subject(&self, what: Reveal) -> String {
        match what {
            Reveal::Content => String::new(),
            Reveal::Identity(i) => {
                self.dossier.petitioners.get(i).map(|p| crate::domain::mask::name(&p.name)).unwrap_or_default()
            }
        }
    }

    /// The trail recorded a reveal: show what it was for.
    pub fn revealed(&mut self, what: Reveal) {
        match what {
            Reveal::Content => self.content_revealed = true,
            Reveal::Identity(i) => self.identity_revealed.push(i),
        }
    }

    fn scroll_by(&mut self, step: isize) {
        let max = self.dossier.events.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(step).min(max);
    }
}

/// The case and its warnings (its own and its representative's, each kind once).
fn read_parts(
    conn: &Connection,
    cx: &ReadContext,
    case_id: i64,
) -> Result<Option<(Dossier, Vec<Warning>)>, StoreError> {
    let Some(dossier) = dossier::load(conn, case_id, &cx.reference, &cx.calendar)? else { return Ok(None) };
    let warnings = crate::store::warnings::of_case(conn, &cx.reference, &dossier.case, cx.today, &cx.warning_rules)?;
    Ok(Some((dossier, warnings)))
}

impl Pane for Detail {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Detail, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let effects = match action {
            Action::Case(kind) => self.start(kind, env),
            Action::Remind => vec![Effect::OpenReminder { case_id: self.case_id, failed: false }],
            Action::Papers => super::papers::open_list(env, self.case_id),
            Action::CheckIn => vec![Effect::CheckIn(self.case_id)],
            Action::RevealContent => self.ask_reveal(Reveal::Content),
            Action::RevealIdentity => self.ask_next_identity(),
            Action::SelectNext => {
                self.scroll_by(1);
                Vec::new()
            }
            Action::SelectPrev => {
                self.scroll_by(-1);
                Vec::new()
            }
            Action::PageDown => {
                self.scroll_by(PAGE);
                Vec::new()
            }
            Action::PageUp => {
                self.scroll_by(-PAGE);
                Vec::new()
            }
            // The case may have moved on: the lists it came from are reloaded.
            Action::Back => vec![Effect::Pop, Effect::Reload],
            _ => return None,
        };
        Some(effects)
    }

    fn offers(&self, action: Action) -> bool {
        match action {
            Action::Case(kind) => kind.is_allowed(self.dossier.case.status) && self.nothing_to_follow(kind).is_none(),
            _ => true,
        }
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}
