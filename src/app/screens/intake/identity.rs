//! Is this the person we already know? When a typed ID (or a full phone)
//! matches a stored petitioner, the form shows the stored name beside the
//! typed one and every field that differs; a different name under a stored
//! ID blocks saving until the clerk answers (domain.md §2.3): the same
//! person (the name is updated, with a reason), or the ID was mistyped.

use super::{IntakeForm, Key, PersonField};
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::popups::Popup;
use crate::app::popups::same_person::SamePerson;
use crate::app::strings::intake as say;
use crate::domain::identity::{self, ProfileField};
use crate::domain::{Petitioner, id_card, mask, phone};
use crate::store::reference::ReferenceData;
use crate::store::{StoreError, petitioners};

/// A stored petitioner the typed row names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityMatch {
    pub row: usize,
    /// Matched by a full phone number only (a relative may share it): a note, never a block.
    pub by_phone: bool,
    pub stored_name: String,
    pub typed_name: String,
    /// Field, stored value, typed value — as shown (numbers masked, street by name).
    pub differs: Vec<(&'static str, String, String)>,
}

impl IdentityMatch {
    /// The stored ID's name differs from the typed one: saving must ask.
    pub fn blocks(&self) -> bool {
        !self.by_phone && self.differs.iter().any(|(f, _, _)| *f == ProfileField::Name.label())
    }
}

/// The clerk's answer "是同一人" for one row, valid while ID and name stay as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    pub id_number: String,
    pub name: String,
    pub reason: String,
}

fn shown(field: ProfileField, v: &str, refs: &ReferenceData) -> String {
    match field {
        _ if v.is_empty() => "（空）".into(),
        ProfileField::IdNumber => mask::id_number(v),
        ProfileField::Phone => mask::phone(v),
        ProfileField::Street => refs.street(v).map_or(v.to_string(), |s| s.name.clone()),
        ProfileField::IdType => crate::domain::IdType::from_code(v).map_or(v.to_string(), |t| t.label().into()),
        _ => v.to_string(),
    }
}

impl IntakeForm {
    /// The stored person row `r`'s full ID (else full mobile) names, if any.
    fn stored_match(&self, r: usize, env: &Env) -> Result<Option<(Petitioner, bool)>, StoreError> {
        let conn = env.store.conn();
        let id = id_card::normalize(self.value(Key::Person(r, PersonField::IdNumber)));
        if id.len() == 18
            && let Some(pid) = petitioners::find_by_id_number(conn, &id)?
        {
            return Ok(petitioners::get(conn, pid)?.map(|p| (p, false)));
        }
        let digits = phone::digits_only(self.value(Key::Person(r, PersonField::Phone)));
        if digits.len() == 11
            && digits.starts_with('1')
            && let Some(pid) = petitioners::find_by_phone(conn, &digits)?
        {
            return Ok(petitioners::get(conn, pid)?.map(|p| (p, true)));
        }
        Ok(None)
    }

    /// What the form shows about row `r` and the stored person it names.
    pub(super) fn match_identity(&self, r: usize, env: &Env) -> Result<Option<IdentityMatch>, StoreError> {
        let Some((stored, by_phone)) = self.stored_match(r, env)? else { return Ok(None) };
        let typed = self.typed_person(r, &env.reference);
        let differs = identity::changes(&stored, &typed)
            .into_iter()
            .filter(|c| c.field != ProfileField::Phone)
            .map(|c| (c.field.label(), shown(c.field, &c.old, &env.reference), shown(c.field, &c.new, &env.reference)))
            .collect();
        Ok(Some(IdentityMatch { row: r, by_phone, stored_name: stored.name, typed_name: typed.name, differs }))
    }

    /// The reason to pass for row `r`: the clerk's confirmation, if ID and name are still those confirmed.
    pub(super) fn confirmed_reason(&self, r: usize) -> Option<String> {
        let c = self.confirmed.get(r)?.as_ref()?;
        let id = id_card::normalize(self.value(Key::Person(r, PersonField::IdNumber)));
        let name = self.value(Key::Person(r, PersonField::Name)).trim();
        (c.id_number == id && c.name == name).then(|| c.reason.clone())
    }

    /// Before saving: the first row whose stored ID carries another name and
    /// has no valid answer yet asks its question.
    pub(super) fn identity_question(&self, env: &Env) -> Result<Option<Effect>, StoreError> {
        for r in 0..self.rows {
            if self.confirmed_reason(r).is_some() {
                continue;
            }
            if let Some(m) = self.match_identity(r, env)?
                && m.blocks()
            {
                let id = id_card::normalize(self.value(Key::Person(r, PersonField::IdNumber)));
                let popup = SamePerson::new(r, mask::id_number(&id), m.stored_name, m.typed_name);
                return Ok(Some(Effect::Push(Popup::SamePerson(popup))));
            }
        }
        Ok(None)
    }

    /// The answer to the question: the same person (with the reason) and the
    /// save goes on, or the ID was mistyped and the caret goes back to it.
    pub fn answer_same_person(&mut self, row: usize, reason: Option<String>, env: &mut Env) -> Vec<Effect> {
        match reason {
            Some(reason) => {
                if self.confirmed.len() < self.rows {
                    self.confirmed.resize(self.rows, None);
                }
                self.confirmed[row] = Some(Confirmed {
                    id_number: id_card::normalize(self.value(Key::Person(row, PersonField::IdNumber))),
                    name: self.value(Key::Person(row, PersonField::Name)).trim().to_string(),
                    reason,
                });
                self.save(env)
            }
            None => {
                self.form.focus_on(Key::Person(row, PersonField::IdNumber));
                self.message = Some((say::FIX_ID.into(), true));
                Vec::new()
            }
        }
    }
}
