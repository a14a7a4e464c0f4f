//! The reminder-call form (电话督促), for one case, over the 督促 list or a
//! case's detail pane.

use chrono::NaiveDateTime;

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind, Opt};
use crate::domain::reminder::{CallResult, DueReason, Escalation, Method};
use crate::store::reminders::{self, NewReminder};
use crate::store::{StoreError, cases};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    At,
    Method,
    Unit,
    Contact,
    Post,
    Phone,
    Result,
    Asked,
    Answer,
    Committed,
    Next,
    Escalation,
    Note,
}

#[derive(Debug, Clone)]
pub struct ReminderCall {
    pub case_id: i64,
    pub form: Form<F>,
}

fn labelled<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, first: T) -> Vec<Opt> {
    let mut opts: Vec<Opt> = all.iter().map(|v| Opt::keyed(label(*v), label(*v))).collect();
    // The default first, so the choice starts on it.
    if let Some(i) = opts.iter().position(|o| o.label == label(first)) {
        let o = opts.remove(i);
        opts.insert(0, o);
    }
    opts
}

impl ReminderCall {
    /// A form with the case's unit, contact and number from its last call or
    /// its 转送/交办. `failed` prepares a failed call: 未接通, retry today.
    pub fn open(env: &Env, case_id: i64, reason: Option<&DueReason>, failed: bool) -> Result<ReminderCall, StoreError> {
        let conn = env.store.conn();
        let number = cases::summary(conn, case_id).map(|s| s.number).unwrap_or_default();
        let now = env.now();
        let (unit, contact, post, phone) = reminders::prefill(conn, case_id)?;
        let mut units: Vec<Opt> = env
            .reference
            .units
            .iter()
            .map(|u| Opt { initials: u.initials.clone(), ..Opt::keyed(&u.name, &u.name) })
            .collect();
        if let Some(i) = units.iter().position(|o| o.label == unit) {
            let o = units.remove(i);
            units.insert(0, o);
        } else if !unit.is_empty() {
            units.insert(0, Opt::keyed(&unit, &unit));
        }
        let result = if failed { CallResult::NoAnswer } else { CallResult::Connected };
        let asked = reason.map_or_else(|| "办理进度".to_string(), DueReason::label);
        let next = if failed { now.date().to_string() } else { String::new() };
        let fields = vec![
            Field::new(F::At, "督促时间", Kind::Text, &now.format("%Y-%m-%d %H:%M").to_string()).required(),
            Field::choice(F::Method, "督促方式", labelled(Method::ALL, Method::label, Method::Phone)),
            Field::choice(F::Unit, "被督促单位", units),
            Field::new(F::Contact, "联系人", Kind::Text, &contact),
            Field::new(F::Post, "职务", Kind::Text, &post),
            Field::new(F::Phone, "联系电话", Kind::Text, &phone),
            Field::choice(F::Result, "通话结果", labelled(CallResult::ALL, CallResult::label, result)),
            Field::new(F::Asked, "督促内容", Kind::Text, &asked),
            Field::new(F::Answer, "答复/进展", Kind::Text, ""),
            Field::new(F::Committed, "承诺办结时间", Kind::Date, ""),
            Field::new(F::Next, "下次督促日期", Kind::Date, &next),
            Field::choice(F::Escalation, "是否升级", labelled(Escalation::ALL, Escalation::label, Escalation::None)),
            Field::new(F::Note, "备注", Kind::Text, ""),
        ];
        let mut form = Form::new(format!("电话督促 {number}"), fields);
        // A failed call: only the result matters; Enter saves at once.
        form.focus_on(if failed { F::Result } else { F::Answer });
        Ok(ReminderCall { case_id, form })
    }

    /// Read the form, or say which field is wrong.
    pub fn reminder(&self, caller: &str) -> Result<NewReminder, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        let at = NaiveDateTime::parse_from_str(&f.value(F::At), "%Y-%m-%d %H:%M")
            .map_err(|_| "督促时间应写成 2026-11-28 09:30".to_string())?;
        Ok(NewReminder {
            case_id: self.case_id,
            unit: f.value(F::Unit),
            at,
            caller: caller.to_string(),
            method: Method::from_label(&f.value(F::Method)).unwrap_or(Method::Phone),
            contact: f.value(F::Contact),
            contact_post: f.value(F::Post),
            phone: f.value(F::Phone),
            result: CallResult::from_label(&f.value(F::Result)).unwrap_or(CallResult::Connected),
            asked: f.value(F::Asked),
            answer: f.value(F::Answer),
            committed: f.date(F::Committed)?,
            next: f.date(F::Next)?,
            escalation: Escalation::from_label(&f.value(F::Escalation)).unwrap_or(Escalation::None),
            note: f.value(F::Note),
        })
    }
}

impl super::FormPopup for ReminderCall {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    /// Save the call; on a refusal the form stays open with the reason.
    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        let r = match self.reminder(&env.operator()) {
            Ok(r) => r,
            Err(e) => {
                self.form.error = Some(e);
                return Vec::new();
            }
        };
        // Escalated to 书面督办 or 通报: the paper is one key away.
        let said = match r.escalation {
            Escalation::WrittenNotice | Escalation::Circular => crate::app::strings::reminders::LOGGED_WRITTEN,
            _ => crate::app::strings::reminders::LOGGED,
        };
        let done = reminders::log(&mut env.store, &r, &env.session.phone_area)
            .map(|_| vec![Effect::Pop, Effect::ReloadReminders, Effect::Reload, Effect::Tell(said.into(), false)]);
        super::saved(&mut self.form, done)
    }
}
