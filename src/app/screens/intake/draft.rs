//! The intake's draft: what is typed is kept in the database (per desk) so a
//! crash or a closed window loses nothing; at start it is offered back.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::{IntakeForm, Key, options};
use crate::app::env::Env;
use crate::app::popups::confirm::Confirm;
use crate::domain::case::MAX_REPRESENTATIVES;
use crate::store::{StoreError, drafts, windows};

/// Drafts are written at most this often while typing (and on every field
/// change); the last key is in a draft at most this long after it was typed.
pub const DRAFT_EVERY: TimeDelta = TimeDelta::milliseconds(500);

/// The form's content as stored in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub rows: usize,
    pub values: Vec<(Key, String)>,
    pub person_ids: Vec<Option<i64>>,
    pub linked_case: Option<(i64, String)>,
}

/// When the next draft is due, by the app's clock (so a test can freeze it).
#[derive(Debug, Default)]
pub(super) struct Schedule {
    dirty: bool,
    last: Option<NaiveDateTime>,
    /// The draft offered back, and whose window it was.
    pending: Option<(String, Draft)>,
}

impl Schedule {
    pub fn touch(&mut self) {
        self.dirty = true;
    }

    pub fn clean(&mut self) {
        self.dirty = false;
    }

    /// A field was left: write at once.
    pub fn on_field_change(&mut self) {
        if self.dirty {
            self.last = None;
        }
    }

    fn due(&self, now: NaiveDateTime) -> bool {
        self.dirty && self.last.is_none_or(|t| now - t >= DRAFT_EVERY)
    }

    /// When unsaved typing must be written, if there is any.
    pub fn wake_at(&self) -> Option<NaiveDateTime> {
        self.dirty.then(|| self.last.map_or(NaiveDateTime::MIN, |t| t + DRAFT_EVERY))
    }
}

impl IntakeForm {
    pub fn draft(&self) -> Draft {
        Draft {
            rows: self.rows,
            values: self.values(),
            person_ids: self.person_ids.clone(),
            linked_case: self.linked_case.clone(),
        }
    }

    /// Write unsaved typing to the draft now (the desk is being locked).
    pub fn settle_now(&mut self, env: &mut Env) -> Vec<crate::app::effect::Effect> {
        self.drafts.last = None;
        match self.save_draft_when_due(env) {
            Ok(()) => Vec::new(),
            Err(e) => vec![crate::app::effect::Effect::Failed(e)],
        }
    }

    pub(super) fn save_draft_when_due(&mut self, env: &mut Env) -> Result<(), StoreError> {
        let now = env.now();
        if self.drafts.due(now) {
            // Counted as an attempt even if it fails (another desk holding the
            // database): the next try is half a second later, not at once.
            self.drafts.last = Some(now);
            let data = serde_json::to_string(&self.draft()).unwrap_or_default();
            drafts::save(&mut env.store, &env.session.desk, &data, now)?;
            self.drafts.dirty = false;
        }
        Ok(())
    }

    /// A stored draft to offer back at start: this window's own first, then
    /// the orphans (their window no longer runs — crashed, killed or closed),
    /// newest first. A draft of a running window is that window's, never offered.
    pub fn offer_draft(&mut self, env: &Env) -> Result<Option<Confirm>, StoreError> {
        let own = &env.session.desk;
        let mut all = drafts::all(env.store.conn())?;
        all.sort_by_key(|(desk, _, _)| desk != own);
        for (desk, saved_at, data) in all {
            let mine = desk == *own;
            if !mine && windows::is_running(env.store.path(), &desk) {
                continue;
            }
            if let Ok(d) = serde_json::from_str::<Draft>(&data) {
                self.drafts.pending = Some((desk.clone(), d));
                return Ok(Some(Confirm::Recover { saved_at, from: (!mine).then_some(desk) }));
            }
        }
        Ok(None)
    }

    /// The answer to the recover question; a "no" discards that draft and
    /// offers the next one, if any.
    pub fn recover(&mut self, yes: bool, env: &mut Env) -> Result<Option<Confirm>, StoreError> {
        let Some((desk, d)) = self.drafts.pending.take() else { return Ok(None) };
        if !yes {
            drafts::discard(&mut env.store, &desk)?;
            return self.offer_draft(env);
        }
        if desk != env.session.desk {
            drafts::adopt(&mut env.store, &desk, &env.session.desk)?;
        }
        self.rows = d.rows.clamp(1, MAX_REPRESENTATIVES);
        self.person_ids = d.person_ids;
        self.person_ids.resize(self.rows, None);
        self.linked_case = d.linked_case;
        self.rebuild(&d.values);
        for i in 0..self.form.fields.len() {
            if !self.form.fields[i].raw().is_empty() {
                self.validate(i);
            }
        }
        // A choice's note came from its option (信访目的 → 事项类别): find it again.
        for f in &mut self.form.fields {
            if f.kind == crate::app::form::Kind::Choice && !f.raw().is_empty() {
                f.note = options(f.key, &env.reference).into_iter().find(|o| o.label == f.raw()).and_then(|o| o.detail);
            }
        }
        self.changed = true;
        self.lookup_dirty = true;
        self.message = Some((crate::app::strings::intake::DRAFT_RESTORED.into(), false));
        Ok(None)
    }
}
