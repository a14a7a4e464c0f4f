//! Saving the intake: everything the form holds becomes one registration,
//! written in one transaction.

use chrono::NaiveDateTime;

use super::{Flag, IntakeForm, Key, PersonField, options};
use crate::app::env::Env;
use crate::domain::triage::{Procedure, Triage};
use crate::domain::{
    Case, CaseFlags, CaseStatus, IdType, Petitioner, PetitionerPhone, PhoneOwner, RepeatKind, id_card, phone,
};
use crate::store::cases::{self, DeskTriage, Registration};
use crate::store::reference::ReferenceData;
use crate::store::{StoreError, drafts};

/// A registration just saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub number: String,
    pub case_id: i64,
    /// Triaged to 领导接谈: the petitioner goes into today's reception queue.
    pub to_leader: bool,
}

/// Who registers: the clerk, the desk (whose draft this is) and the number prefix.
#[derive(Debug, Clone)]
pub struct Desk {
    pub clerk: String,
    pub desk: String,
    pub number_prefix: String,
}

impl IntakeForm {
    /// Ctrl-S: validate, then save everything as one transaction. `None` when
    /// a field is wrong (the form says which); on any problem nothing is
    /// written and the form stays.
    pub fn register(&mut self, env: &mut Env) -> Result<Option<Saved>, StoreError> {
        self.leave_field();
        if !self.check_all() {
            return Ok(None);
        }
        let now = env.now();
        let who = Desk {
            clerk: env.operator(),
            desk: env.session.desk.clone(),
            number_prefix: env.session.number_prefix.clone(),
        };
        let (reg, triage) = self.registration(&env.reference, &who.clerk, &who.number_prefix, now);
        let done = cases::register_at_desk(&mut env.store, &reg, triage.as_ref())?;
        let to_leader = triage.as_ref().is_some_and(|t| t.triage == Triage::LeaderReception);
        drafts::discard(&mut env.store, &who.desk)?;
        let kept: Vec<(Key, String)> = self
            .defaults
            .iter()
            .map(|(k, _)| (*k, self.value(*k).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        self.defaults = kept;
        self.reset(now);
        self.message = Some((crate::app::strings::intake::registered(&done.number), false));
        self.last_saved = Some((done.case_id, done.number.clone()));
        Ok(Some(Saved { number: done.number, case_id: done.case_id, to_leader }))
    }

    /// Ctrl-P after saving: the 登记回执 (with the 查询码) and the 来访登记表
    /// for the registration just saved, each issued on its own.
    pub(super) fn issue_papers(&mut self, env: &mut Env) {
        use crate::domain::document::DocumentKind as K;
        let Some((case_id, number)) = self.last_saved.clone() else {
            self.message = Some((crate::app::strings::intake::SAVE_BEFORE_PAPERS.into(), true));
            return;
        };
        let now = env.now();
        let mut said = Vec::new();
        let mut failed = false;
        for kind in [K::Receipt, K::RegistrationForm] {
            match crate::app::popups::papers::issue(env, case_id, kind, None, now) {
                Ok(w) => said.push(crate::app::popups::papers::issued(kind, &w)),
                Err(e) => {
                    failed = true;
                    said.push(format!("{}未出具：{e}", kind.label()));
                }
            }
        }
        self.message = Some((format!("{number}：{}", said.join("；")), failed));
    }

    /// The marks ticked on the form.
    pub(super) fn flags(&self) -> CaseFlags {
        let flag = |f: Flag| !self.value(Key::Flag(f)).is_empty();
        CaseFlags {
            litigation: flag(Flag::Litigation),
            skip_level: flag(Flag::SkipLevel),
            joint: flag(Flag::Joint),
            anonymous: flag(Flag::Anonymous),
            threat: flag(Flag::Threat),
            urgent: flag(Flag::Urgent),
            confidential: flag(Flag::Confidential),
        }
    }

    /// 重件 when the clerk linked an earlier case of the same matter.
    pub(super) fn repeat_kind(&self) -> RepeatKind {
        if self.linked_case.is_some() { RepeatKind::Repeat } else { RepeatKind::First }
    }

    fn registration(
        &self,
        refs: &ReferenceData,
        clerk: &str,
        prefix: &str,
        now: NaiveDateTime,
    ) -> (Registration, Option<DeskTriage>) {
        let v = |k: Key| self.value(k).trim().to_string();
        let opt_code = |k: Key| options(k, refs).into_iter().find(|o| o.label == self.value(k)).map(|o| o.code);
        let people: u32 = v(Key::People).parse().unwrap_or(1);
        let petitioners = (0..self.rows).map(|r| self.typed_person(r, refs)).collect();
        let purpose = refs.purposes.iter().find(|p| p.name == v(Key::Purpose));
        let registered_at = NaiveDateTime::parse_from_str(&v(Key::VisitTime), "%Y-%m-%d %H:%M").unwrap_or(now);
        let case = Case {
            id: None,
            number: String::new(),
            registered_at,
            clerk: clerk.to_string(),
            window: v(Key::Window),
            form_code: opt_code(Key::Form).unwrap_or_else(|| "LF".into()),
            source: "群众来访".into(),
            people_count: people.max(1),
            involved_count: v(Key::Involved).parse().ok(),
            category_code: opt_code(Key::Category),
            purpose_code: purpose.map(|p| p.code.clone()),
            class: purpose.map_or(crate::domain::CaseClass::Other, |p| p.class),
            problem_street_code: opt_code(Key::ProblemStreet),
            problem_address: v(Key::ProblemAddress),
            title: v(Key::Title),
            content: self.value(Key::Content).to_string(),
            demands: v(Key::Demands),
            respondent: v(Key::Respondent),
            flags: self.flags(),
            repeat_kind: self.repeat_kind(),
            linked_case_id: self.linked_case.as_ref().map(|(id, _)| *id),
            status: CaseStatus::Registered,
            external_refs: Vec::new(),
            petitioner_ids: Vec::new(),
        };
        let triage = Triage::from_label(&v(Key::Triage)).map(|t| DeskTriage {
            triage: t,
            unit: Some(v(Key::Unit)).filter(|u| !u.is_empty()),
            reason: Some(v(Key::Reason)).filter(|r| !r.is_empty() && t == Triage::NotAccepted),
            procedure: match self.is_visible(Key::Simple) && !v(Key::Simple).is_empty() {
                true => Procedure::Simple,
                false => Procedure::Ordinary,
            },
        });
        let same_person = (0..self.rows).map(|r| self.confirmed_reason(r)).collect();
        (Registration { petitioners, case, number_prefix: prefix.to_string(), same_person }, triage)
    }

    /// Row `r` of the form as a petitioner (not yet stored; `id` when taken over).
    pub(super) fn typed_person(&self, r: usize, refs: &ReferenceData) -> Petitioner {
        let v = |k: Key| self.value(k).trim().to_string();
        let opt_code = |k: Key| options(k, refs).into_iter().find(|o| o.label == self.value(k)).map(|o| o.code);
        let p = |f| v(Key::Person(r, f));
        let id_type = IdType::from_label(&p(PersonField::IdType)).unwrap_or(IdType::ResidentId);
        let number = id_card::normalize(&p(PersonField::IdNumber));
        let derived = id_card::validate(&number, self.today).ok();
        let phones = phone::normalize(&p(PersonField::Phone), &self.phone_area)
            .map(|ph| {
                vec![PetitionerPhone { number: ph.number, kind: ph.kind, owner: PhoneOwner::Own, note: String::new() }]
            })
            .unwrap_or_default();
        let override_reason = Some(p(PersonField::IdOverride)).filter(|s| !s.is_empty() && derived.is_none());
        Petitioner {
            id: self.person_ids.get(r).copied().flatten(),
            name: if p(PersonField::Name).is_empty() { "匿名".into() } else { p(PersonField::Name) },
            id_type: (!number.is_empty()).then_some(id_type),
            id_number: (!number.is_empty()).then_some(number),
            id_override_reason: override_reason,
            sex: derived.as_ref().map(|d| d.sex),
            birth_date: derived.as_ref().map(|d| d.birth_date),
            phones,
            address: p(PersonField::Address),
            street_code: opt_code(Key::Person(r, PersonField::Street)),
            workplace: p(PersonField::Workplace),
            key_person: Vec::new(),
        }
    }
}
