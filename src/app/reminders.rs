//! 督促: the list of cases due a reminder call, the units' records, and the
//! call form (also opened from a case's detail pane).

use chrono::{NaiveDate, NaiveDateTime};

use super::choice::Opt;
use super::fields::{FieldForm, FieldKind, FormField};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::reminder::{CallResult, DueReason, Escalation, Method, ReminderRules};
use crate::store::reference::ReferenceData;
use crate::store::reminders::{self, DueCall, NewReminder, UnitRecord};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Due,
    Units,
}

#[derive(Debug)]
pub struct RemindersState {
    pub view: View,
    pub due: Vec<DueCall>,
    pub units: Vec<UnitRecord>,
    pub selected: usize,
    /// Only this unit's cases (chosen in the unit view).
    pub unit_filter: Option<String>,
    pub message: Option<(String, bool)>,
}

impl Default for RemindersState {
    fn default() -> Self {
        RemindersState {
            view: View::Due,
            due: Vec::new(),
            units: Vec::new(),
            selected: 0,
            unit_filter: None,
            message: None,
        }
    }
}

impl RemindersState {
    pub fn reload(
        &mut self,
        store: &Store,
        today: NaiveDate,
        rules: &ReminderRules,
        cal: &HolidayCalendar,
    ) -> Result<(), StoreError> {
        self.due = reminders::due(store.conn(), today, rules, cal)?;
        if let Some(u) = &self.unit_filter {
            self.due.retain(|d| &d.unit == u);
        }
        self.units = reminders::unit_records(store.conn(), today)?;
        self.selected = self.selected.min(self.len().saturating_sub(1));
        Ok(())
    }

    fn len(&self) -> usize {
        match self.view {
            View::Due => self.due.len(),
            View::Units => self.units.len(),
        }
    }

    pub fn move_selection(&mut self, step: isize) {
        self.selected = self.selected.saturating_add_signed(step).min(self.len().saturating_sub(1));
    }

    pub fn selected_due(&self) -> Option<&DueCall> {
        (self.view == View::Due).then(|| self.due.get(self.selected)).flatten()
    }

    /// `u`: between the due list and the units; back to all units' cases.
    pub fn toggle_view(&mut self) {
        self.view = match self.view {
            View::Due => View::Units,
            View::Units => View::Due,
        };
        self.unit_filter = None;
        self.selected = 0;
    }

    /// Enter in the unit view: that unit's due cases.
    pub fn choose_unit(&mut self) {
        if let Some(u) = self.units.get(self.selected) {
            self.unit_filter = Some(u.unit.clone());
            self.view = View::Due;
            self.selected = 0;
        }
    }
}

/// The call form, for one case.
#[derive(Debug, Clone)]
pub struct ReminderForm {
    pub case_id: i64,
    pub form: FieldForm,
}

const AT: usize = 0;
const METHOD: usize = 1;
const UNIT: usize = 2;
const CONTACT: usize = 3;
const POST: usize = 4;
const PHONE: usize = 5;
const RESULT: usize = 6;
const ASKED: usize = 7;
const ANSWER: usize = 8;
const COMMITTED: usize = 9;
const NEXT: usize = 10;
const ESCALATION: usize = 11;
const NOTE: usize = 12;

fn labelled<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, first: T) -> Vec<Opt> {
    let mut opts: Vec<Opt> = all.iter().map(|v| Opt::keyed(label(*v), label(*v))).collect();
    // The default first, so the choice starts on it.
    if let Some(i) = opts.iter().position(|o| o.label == label(first)) {
        let o = opts.remove(i);
        opts.insert(0, o);
    }
    opts
}

impl ReminderForm {
    /// A form with the case's unit, contact and number from its last call or
    /// its 转送/交办. `failed` prepares a failed call: 未接通, retry today.
    pub fn open(
        store: &Store,
        case_id: i64,
        number: &str,
        reason: Option<&DueReason>,
        now: NaiveDateTime,
        failed: bool,
        refs: &ReferenceData,
    ) -> Result<ReminderForm, StoreError> {
        let (unit, contact, post, phone) = reminders::prefill(store.conn(), case_id)?;
        let mut units: Vec<Opt> =
            refs.units.iter().map(|u| Opt { initials: u.initials.clone(), ..Opt::keyed(&u.name, &u.name) }).collect();
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
            FormField::new("督促时间", FieldKind::Text, &now.format("%Y-%m-%d %H:%M").to_string(), true),
            FormField::choice("督促方式", labelled(Method::ALL, Method::label, Method::Phone)),
            FormField::choice("被督促单位", units),
            FormField::new("联系人", FieldKind::Text, &contact, false),
            FormField::new("职务", FieldKind::Text, &post, false),
            FormField::new("联系电话", FieldKind::Text, &phone, false),
            FormField::choice("通话结果", labelled(CallResult::ALL, CallResult::label, result)),
            FormField::new("督促内容", FieldKind::Text, &asked, false),
            FormField::new("答复/进展", FieldKind::Text, "", false),
            FormField::new("承诺办结时间", FieldKind::Date, "", false),
            FormField::new("下次督促日期", FieldKind::Date, &next, false),
            FormField::choice("是否升级", labelled(Escalation::ALL, Escalation::label, Escalation::None)),
            FormField::new("备注", FieldKind::Text, "", false),
        ];
        let mut form = FieldForm::new(format!("电话督促 {number}"), fields);
        // A failed call: only the result matters; Enter saves at once.
        form.focus = if failed { RESULT } else { ANSWER };
        Ok(ReminderForm { case_id, form })
    }

    /// Read the form, or say which field is wrong.
    pub fn reminder(&self, caller: &str) -> Result<NewReminder, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        let at = NaiveDateTime::parse_from_str(&f.value(AT), "%Y-%m-%d %H:%M")
            .map_err(|_| "督促时间应写成 2026-11-28 09:30".to_string())?;
        Ok(NewReminder {
            case_id: self.case_id,
            unit: f.value(UNIT),
            at,
            caller: caller.to_string(),
            method: Method::from_label(&f.value(METHOD)).unwrap_or(Method::Phone),
            contact: f.value(CONTACT),
            contact_post: f.value(POST),
            phone: f.value(PHONE),
            result: CallResult::from_label(&f.value(RESULT)).unwrap_or(CallResult::Connected),
            asked: f.value(ASKED),
            answer: f.value(ANSWER),
            committed: f.date(COMMITTED)?,
            next: f.date(NEXT)?,
            escalation: Escalation::from_label(&f.value(ESCALATION)).unwrap_or(Escalation::None),
            note: f.value(NOTE),
        })
    }

    /// Save the call; on a refusal the form stays open with the reason.
    /// Returns whether it was saved.
    pub fn submit(&mut self, store: &mut Store, caller: &str, phone_area: &str) -> Result<bool, StoreError> {
        let r = match self.reminder(caller) {
            Ok(r) => r,
            Err(e) => {
                self.form.error = Some(e);
                return Ok(false);
            }
        };
        match reminders::log(store, &r, phone_area) {
            Ok(_) => Ok(true),
            Err(StoreError::Invalid(why)) => {
                self.form.error = Some(why);
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
}
