//! Checking the intake's fields: a wrong value is flagged as the clerk leaves
//! the field; a required field left empty only when saving.

use chrono::NaiveDateTime;

use super::{Flag, IntakeForm, Key, PersonField};
use crate::app::strings::intake as say;
use crate::domain::case::is_group_visit;
use crate::domain::triage::{self, Triage};
use crate::domain::{IdType, id_card, phone};

impl IntakeForm {
    pub(super) fn validate(&mut self, i: usize) {
        self.check_field(i, false);
    }

    /// Check one field; sets its error or its derived note.
    pub(super) fn check_field(&mut self, i: usize, saving: bool) {
        let key = self.form.fields[i].key;
        let v = self.form.fields[i].raw().trim().to_string();
        let (mut error, mut note) = (None, None);
        if v.is_empty() {
            if saving && key.required() && !(matches!(key, Key::Person(_, PersonField::Name)) && self.is_anonymous()) {
                error = Some(say::REQUIRED.to_string());
            }
        } else {
            match key {
                Key::VisitTime => match NaiveDateTime::parse_from_str(&v, "%Y-%m-%d %H:%M") {
                    Err(_) => error = Some(say::BAD_VISIT_TIME.into()),
                    // The number and every clock run from this time.
                    Ok(t) if t > self.now + chrono::Duration::minutes(1) => error = Some(say::future_visit(self.now)),
                    Ok(_) => {}
                },
                Key::People => match v.parse::<u32>() {
                    Ok(0) | Err(_) => error = Some(say::AT_LEAST_ONE.into()),
                    Ok(n) if is_group_visit(n) => note = Some(say::group_visit(n)),
                    Ok(_) => {}
                },
                Key::Person(r, PersonField::IdNumber) => {
                    let checked = IdType::from_label(self.value(Key::Person(r, PersonField::IdType)))
                        .unwrap_or(IdType::ResidentId)
                        .is_checksummed();
                    if checked {
                        match id_card::validate(&v, self.today) {
                            Ok(id) => {
                                note = Some(format!("{} {} {}", id.sex.label(), id.birth_date, id.province));
                                self.form.fields[i].set(&id.number);
                            }
                            Err(e) => error = Some(e.to_string()),
                        }
                    }
                }
                Key::Person(_, PersonField::Phone) => match phone::normalize(&v, &self.phone_area) {
                    Ok(p) => self.form.fields[i].set(&p.number),
                    Err(e) => error = Some(e.to_string()),
                },
                _ => {}
            }
        }
        let field = &mut self.form.fields[i];
        field.error = error;
        // A choice keeps the detail its picker gave it.
        if field.kind != crate::app::form::Kind::Choice {
            field.note = note;
        }
    }

    pub(super) fn is_anonymous(&self) -> bool {
        !self.value(Key::Flag(Flag::Anonymous)).is_empty()
    }

    /// Validate everything; on failure focus the first bad field and say why.
    pub(super) fn check_all(&mut self) -> bool {
        for i in 0..self.form.fields.len() {
            self.check_field(i, true);
        }
        // A bad ID needs an explanation to be registered anyway.
        for r in 0..self.rows {
            let explained = !self.value(Key::Person(r, PersonField::IdOverride)).trim().is_empty();
            if let Some(f) = self.form.field_mut(Key::Person(r, PersonField::IdNumber))
                && f.error.is_some()
                && explained
            {
                let e = f.error.take();
                f.note = e.map(|e| say::explained(&e));
            }
        }
        let triage = Triage::from_label(self.value(Key::Triage));
        if triage == Some(Triage::NotAccepted) && self.value(Key::Reason).is_empty() {
            self.set_error(Key::Reason, say::NEEDS_REASON);
        }
        if triage.is_some_and(Triage::needs_unit) && self.value(Key::Unit).is_empty() {
            self.set_error(Key::Unit, say::NEEDS_UNIT);
        }
        if let Some(why) = self.simple_refusal() {
            self.set_error(Key::Simple, why);
        }
        match self.form.fields.iter().position(|f| f.error.is_some() && self.is_visible(f.key)) {
            Some(i) => {
                self.form.focus = i;
                let f = &self.form.fields[i];
                let hint = match f.key {
                    Key::Person(_, PersonField::IdNumber) => say::BAD_ID_HINT,
                    _ => "",
                };
                self.message =
                    Some((format!("{}：{}{hint}", f.key.label(), f.error.clone().unwrap_or_default()), true));
                false
            }
            None => true,
        }
    }

    /// Why the 简易办理 the clerk ticked cannot be had (the store asks again,
    /// with the source's own flag).
    fn simple_refusal(&self) -> Option<&'static str> {
        let triage = Triage::from_label(self.value(Key::Triage))?;
        if !self.is_visible(Key::Simple) || self.value(Key::Simple).is_empty() {
            return None;
        }
        let (repeat, flags) = (self.repeat_kind(), self.flags());
        triage::simple_refusal(&triage::SimpleFacts { triage, repeat, flags, from_above: false })
    }

    fn set_error(&mut self, key: Key, e: &str) {
        if let Some(f) = self.form.field_mut(key) {
            f.error = Some(e.to_string());
        }
    }
}
