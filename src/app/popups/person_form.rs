//! The profile's two record forms. `e` edits the person (each changed field
//! is recorded with the reason given); `m` merges another record of the same
//! human into this one: first which record, then, field by field, whose value
//! is kept — both values side by side in each choice — and the reason.

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind, Opt};
use crate::app::popups::Popup;
use crate::app::strings::person as say;
use crate::domain::identity::{self, ProfileField, SCALAR_FIELDS};
use crate::domain::{Petitioner, PetitionerPhone, PhoneOwner, id_card, mask, phone};
use crate::store::{StoreError, person_edit, person_merge, petitioners};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Name,
    IdNumber,
    Address,
    Street,
    Workplace,
    Phone,
    Other,
    Take(ProfileField),
    Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Edit,
    /// Which record to merge in.
    MergeWhich,
    /// Field by field, then the reason.
    Merge {
        other: i64,
    },
}

#[derive(Debug, Clone)]
pub struct PersonForm {
    pub form: Form<F>,
    pub person: Petitioner,
    pub mode: Mode,
}

/// "（无）" stands for no street.
const NO_STREET: &str = "（无）";

fn text(key: F, label: &'static str, value: &str) -> Field<F> {
    Field::new(key, label, Kind::Text, value)
}

impl PersonForm {
    pub fn edit(p: Petitioner, env: &Env) -> PersonForm {
        let mut streets = vec![Opt::keyed(NO_STREET, "")];
        streets.extend(
            env.reference.streets.iter().map(|s| Opt { initials: s.initials.clone(), ..Opt::keyed(&s.name, &s.code) }),
        );
        let mut street = Field::choice(F::Street, "所属街道", streets);
        let current = p.street_code.as_deref().and_then(|c| env.reference.street(c)).map(|s| s.name.clone());
        street.set(current.as_deref().unwrap_or(NO_STREET));
        let fields = vec![
            text(F::Name, "姓名", &p.name).required().limit(crate::domain::case::NAME_LIMIT),
            text(F::IdNumber, "证件号码", p.id_number.as_deref().unwrap_or_default()),
            text(F::Address, "住址", &p.address),
            street,
            text(F::Workplace, "工作单位", &p.workplace),
            text(F::Phone, "新增本人电话", ""),
            text(F::Reason, "变更原因", "").required(),
        ];
        let title = format!("修改档案：{}", mask::name(&p.name));
        PersonForm { form: Form::new(title, fields), person: p, mode: Mode::Edit }
    }

    pub fn merge_which(p: Petitioner) -> PersonForm {
        let fields = vec![text(F::Other, "并入的档案（档案号或证件号）", "").required()];
        let title = format!("合并档案到：{}", mask::name(&p.name));
        PersonForm { form: Form::new(title, fields), person: p, mode: Mode::MergeWhich }
    }

    /// Each field that differs, as a choice between the two values.
    fn merge(p: Petitioner, other: &Petitioner, other_id: i64, env: &Env) -> PersonForm {
        let shown = |f: ProfileField, q: &Petitioner| {
            let v = identity::value(q, f);
            match f {
                _ if v.is_empty() => "（空）".to_string(),
                ProfileField::IdNumber => mask::id_number(&v),
                ProfileField::Street => env.reference.street(&v).map_or(v, |s| s.name.clone()),
                ProfileField::IdType => crate::domain::IdType::from_code(&v).map_or(v, |t| t.label().into()),
                _ => v,
            }
        };
        let mut fields: Vec<Field<F>> = SCALAR_FIELDS
            .iter()
            .filter(|f| identity::value(&p, **f) != identity::value(other, **f))
            .map(|&f| {
                let (mine, theirs) = (shown(f, &p), shown(f, other));
                let options = vec![
                    Opt::keyed(&say::keep_this(&mine, &theirs), "keep"),
                    Opt::keyed(&say::take_other(&theirs, &mine), "take"),
                ];
                Field::choice(F::Take(f), f.label(), options)
            })
            .collect();
        fields.push(text(F::Reason, "合并原因", "").required());
        let title = say::merge_title(&mask::name(&p.name), other_id);
        PersonForm { form: Form::new(title, fields), person: p, mode: Mode::Merge { other: other_id } }
    }

    /// The edited record, as typed.
    fn edited(&self, env: &Env) -> Petitioner {
        let f = &self.form;
        let number = id_card::normalize(&f.value(F::IdNumber));
        let street = f.field(F::Street).and_then(|s| s.selected_code()).filter(|c| !c.is_empty());
        let phones = phone::normalize(&f.value(F::Phone), &env.session.phone_area)
            .map(|ph| {
                vec![PetitionerPhone { number: ph.number, kind: ph.kind, owner: PhoneOwner::Own, note: String::new() }]
            })
            .unwrap_or_default();
        Petitioner {
            name: f.value(F::Name),
            id_number: (!number.is_empty()).then_some(number),
            address: f.value(F::Address),
            street_code: street,
            workplace: f.value(F::Workplace),
            phones,
            ..self.person.clone()
        }
    }

    fn save(&mut self, env: &mut Env) -> Result<Vec<Effect>, StoreError> {
        let id = self.person.id.unwrap_or_default();
        let reason = self.form.value(F::Reason);
        let (actor, at) = (env.operator(), (env.now(), env.today()));
        match self.mode.clone() {
            Mode::Edit => {
                if !self.form.value(F::Phone).is_empty() && self.edited(env).phones.is_empty() {
                    return Err(StoreError::Invalid(say::BAD_PHONE.into()));
                }
                let edited = self.edited(env);
                let n = person_edit::edit(&mut env.store, id, &edited, &reason, &actor, at)?;
                Ok(reopened(id, say::edited(n)))
            }
            Mode::MergeWhich => {
                let other = find(env, &self.form.value(F::Other))?;
                if other == id {
                    return Err(StoreError::Invalid(say::SAME_RECORD.into()));
                }
                let theirs = petitioners::get(env.store.conn(), other)?
                    .ok_or_else(|| StoreError::Invalid(say::NO_SUCH_RECORD.into()))?;
                // Two people, said before the fields are chosen.
                if let Some(why) = identity::merge_refusal(&self.person, &theirs, env.today()) {
                    return Err(StoreError::Invalid(why));
                }
                let next = PersonForm::merge(self.person.clone(), &theirs, other, env);
                Ok(vec![Effect::Pop, Effect::Push(Popup::PersonForm(Box::new(next)))])
            }
            Mode::Merge { other } => {
                let take = self
                    .form
                    .fields
                    .iter()
                    .filter_map(|f| match f.key {
                        F::Take(field) if f.selected_code().as_deref() == Some("take") => Some(field),
                        _ => None,
                    })
                    .collect();
                let m = person_merge::Merge { keep: id, other, take, reason };
                person_merge::merge(&mut env.store, &m, &actor, at.0, at.1)?;
                Ok(reopened(id, say::merged(other)))
            }
        }
    }
}

/// A record by 档案号 or ID number (a merged record resolves to the one kept).
fn find(env: &Env, what: &str) -> Result<i64, StoreError> {
    petitioners::find_record(env.store.conn(), what)?.ok_or_else(|| StoreError::Invalid(say::NO_SUCH_RECORD.into()))
}

/// Close the form and the stale profile, show the profile again, say what happened.
fn reopened(id: i64, said: String) -> Vec<Effect> {
    vec![Effect::Pop, Effect::Pop, Effect::OpenProfile(id), Effect::Reload, Effect::Tell(said, false)]
}

impl super::FormPopup for PersonForm {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        let r = self.save(env);
        super::saved(&mut self.form, r)
    }
}
