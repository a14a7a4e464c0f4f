//! 来访登记: the intake form's state and editing rules.
//!
//! The form is a `Form<Key>` (the one form component) whose choices open a
//! picker popup; sections are a matter of drawing. A field is validated as the
//! clerk leaves it (`validation`). The prior-case lookup (`prior`) and the
//! draft (`draft`) are deferred to `settle`, once per frame, however fast the
//! typing; saving builds one registration (`registration`).

mod draft;
mod fields;
mod identity;
mod prior;
mod registration;
mod validation;

use chrono::{NaiveDate, NaiveDateTime};
use tui_input::InputRequest;

pub use draft::Draft;
pub use fields::{CONTENT_LIMIT, Flag, Key, PersonField, options};
pub use identity::{Confirmed, IdentityMatch};
pub use prior::PriorPanel;
pub use registration::{Desk, Saved};

use crate::app::Action;
use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::form::{ChoiceStyle, Edited, Field, Form, Kind, Opt};
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::popups::Popup;
use crate::app::popups::confirm::Confirm;
use crate::app::popups::picker::Picker;
use crate::app::strings::intake as say;
use crate::domain::IdType;
use crate::domain::case::MAX_REPRESENTATIVES;
use crate::domain::triage::Triage;

pub struct IntakeForm {
    pub form: Form<Key>,
    pub rows: usize,
    /// Existing petitioners taken over into each row.
    pub person_ids: Vec<Option<i64>>,
    /// Per row: the clerk's "是同一人" answer for a stored ID under another name.
    pub confirmed: Vec<Option<Confirmed>>,
    /// The earlier case this one repeats (重件).
    pub linked_case: Option<(i64, String)>,
    pub prior: PriorPanel,
    /// Something was typed since the form was last cleared or saved.
    pub changed: bool,
    pub message: Option<(String, bool)>,
    lookup_dirty: bool,
    drafts: draft::Schedule,
    /// Values kept from one registration to the next.
    defaults: Vec<(Key, String)>,
    /// Today (IDs born later are impossible), from the app's clock.
    pub today: NaiveDate,
    /// The clock's time when the form last settled: a visit cannot be later.
    pub now: NaiveDateTime,
    /// 区号 for landlines typed without one.
    pub phone_area: String,
    /// The registration saved last (Ctrl-P issues its receipt and 登记表).
    pub last_saved: Option<(i64, String)>,
}

impl IntakeForm {
    pub fn new(now: NaiveDateTime, phone_area: &str) -> IntakeForm {
        let defaults = vec![
            (Key::Window, "1号窗口".to_string()),
            (Key::Form, "来访".to_string()),
            (Key::People, "1".to_string()),
            (Key::Person(0, PersonField::IdType), IdType::ResidentId.label().to_string()),
        ];
        let mut form = Form::new("来访登记", Vec::new());
        form.choices = ChoiceStyle::Picker;
        let mut intake = IntakeForm {
            form,
            rows: 1,
            person_ids: vec![None],
            confirmed: Vec::new(),
            linked_case: None,
            prior: PriorPanel::default(),
            changed: false,
            message: None,
            lookup_dirty: false,
            drafts: draft::Schedule::default(),
            defaults,
            today: now.date(),
            now,
            phone_area: phone_area.to_string(),
            last_saved: None,
        };
        intake.reset(now);
        intake
    }

    /// Empty the form for the next person, keeping the clerk's defaults.
    fn reset(&mut self, now: NaiveDateTime) {
        self.rows = 1;
        self.person_ids = vec![None];
        self.confirmed.clear();
        self.linked_case = None;
        let mut values = self.defaults.clone();
        values.push((Key::VisitTime, now.format("%Y-%m-%d %H:%M").to_string()));
        self.rebuild(&values);
        self.form.focus_on(Key::Lookup);
        self.prior = PriorPanel::default();
        self.changed = false;
        self.drafts.clean();
    }

    fn rebuild(&mut self, values: &[(Key, String)]) {
        let focus_key = self.form.fields.get(self.form.focus).map(|f| f.key);
        self.form.fields = Key::all(self.rows)
            .into_iter()
            .map(|k| k.field(values.iter().find(|(key, _)| *key == k).map_or("", |(_, v)| v.as_str())))
            .collect();
        self.form.focus = 0;
        if let Some(k) = focus_key {
            self.form.focus_on(k);
        }
    }

    fn values(&self) -> Vec<(Key, String)> {
        self.form.fields.iter().filter(|f| !f.raw().is_empty()).map(|f| (f.key, f.raw().to_string())).collect()
    }

    pub fn fields(&self) -> &[Field<Key>] {
        &self.form.fields
    }

    pub fn focus(&self) -> usize {
        self.form.focus
    }

    pub fn index(&self, key: Key) -> Option<usize> {
        self.form.index(key)
    }

    pub fn value(&self, key: Key) -> &str {
        self.form.raw(key)
    }

    fn set(&mut self, key: Key, value: &str) {
        self.form.set(key, value);
    }

    pub fn focused(&self) -> &Field<Key> {
        self.form.focused()
    }

    /// Fields the clerk can reach now: the ID exception only after a bad ID,
    /// the refusal reason only for 不予受理, 简易办理 only for 转送/交办.
    pub fn is_visible(&self, key: Key) -> bool {
        match key {
            Key::Person(r, PersonField::IdOverride) => {
                self.form.field(Key::Person(r, PersonField::IdNumber)).is_some_and(|f| f.error.is_some())
                    || !self.value(key).is_empty()
            }
            Key::Reason => self.value(Key::Triage) == Triage::NotAccepted.label(),
            Key::Simple => Triage::from_label(self.value(Key::Triage)).is_some_and(Triage::needs_unit),
            _ => true,
        }
    }

    /// Move the focus by `step` visible fields, validating the field left.
    pub fn move_focus(&mut self, step: isize) {
        self.leave_field();
        let visible: Vec<bool> = self.form.fields.iter().map(|f| self.is_visible(f.key)).collect();
        let keys: Vec<Key> = self.form.fields.iter().map(|f| f.key).collect();
        self.form.move_focus(step, |k| keys.iter().position(|x| *x == k).is_some_and(|i| visible[i]));
    }

    /// Validation as the clerk leaves a field; a draft is written on every field change.
    fn leave_field(&mut self) {
        let i = self.form.focus;
        self.validate(i);
        self.drafts.on_field_change();
    }

    fn mark_changed(&mut self) {
        self.changed = true;
        self.drafts.touch();
        if matches!(
            self.focused().key,
            Key::Lookup | Key::Person(_, PersonField::Name | PersonField::IdNumber | PersonField::Phone)
        ) {
            self.lookup_dirty = true;
        }
    }

    /// Keys typed into the focused field (text, number) or acting on it (toggle, choice).
    fn edit(&mut self, req: InputRequest, env: &Env) -> Vec<Effect> {
        match self.form.edit(req) {
            Edited::Changed => self.mark_changed(),
            Edited::Unchanged => {}
            Edited::OpenPicker(first) => return self.open_picker(first, env),
            Edited::Refused(why) | Edited::Cut(why) => self.message = Some((why, true)),
        }
        Vec::new()
    }

    /// A paste arrives whole into the focused field; it never acts as keys.
    fn paste(&mut self, text: &str) {
        match self.form.paste(text) {
            Edited::Changed => self.mark_changed(),
            Edited::Refused(why) => {
                self.form.error = None;
                self.message = Some((why, true));
            }
            Edited::Cut(why) => {
                self.form.error = None;
                self.mark_changed();
                self.message = Some((why, true));
            }
            _ => {}
        }
    }

    /// Enter: a choice field opens its picker, a toggle flips; the lookup line
    /// hands what was typed to its field; others go on to the next required
    /// field still empty (Tab goes to the very next one).
    fn confirm_field(&mut self, env: &Env) -> Vec<Effect> {
        match self.focused().kind {
            Kind::Choice => return self.open_picker(None, env),
            Kind::Toggle => {
                self.form.toggle();
                self.mark_changed();
            }
            _ if self.focused().key == Key::Lookup => self.take_lookup(),
            _ => self.next_needed(),
        }
        Vec::new()
    }

    /// The lookup line's text into the field it is: a name, a full ID, a mobile
    /// number (a tail stays in the lookup only); then the first identity field
    /// still empty.
    fn take_lookup(&mut self) {
        let typed = self.value(Key::Lookup).trim().to_string();
        let digits = crate::domain::id_card::normalize(&typed);
        let target = if typed.chars().any(crate::domain::query::is_cjk) {
            Some(PersonField::Name)
        } else if digits.len() == 18 {
            Some(PersonField::IdNumber)
        } else if digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()) {
            Some(PersonField::Phone)
        } else {
            None
        };
        if let Some(f) = target
            && self.value(Key::Person(0, f)).is_empty()
        {
            self.set(Key::Person(0, f), &typed);
            if let Some(i) = self.index(Key::Person(0, f)) {
                self.validate(i);
            }
            self.mark_changed();
        }
        let next = [PersonField::Name, PersonField::IdNumber, PersonField::Phone]
            .into_iter()
            .find(|f| self.value(Key::Person(0, *f)).is_empty())
            .unwrap_or(PersonField::Phone);
        self.leave_field();
        self.form.focus_on(Key::Person(0, next));
    }

    /// Enter on a text field: the next required field still empty after this
    /// one, or simply the next field when none is.
    fn next_needed(&mut self) {
        let from = self.form.focus;
        let needed = self.form.fields[from + 1..]
            .iter()
            .find(|f| f.required && f.raw().trim().is_empty() && self.is_visible(f.key))
            .map(|f| f.key);
        match needed {
            Some(k) => {
                self.leave_field();
                self.form.focus_on(k);
            }
            None => self.move_focus(1),
        }
    }

    fn open_picker(&mut self, first: Option<char>, env: &Env) -> Vec<Effect> {
        let key = self.focused().key;
        vec![Effect::Push(Popup::Picker(Picker::new(key, options(key, &env.reference), first)))]
    }

    /// The picker chose `o` for `key`.
    pub fn pick(&mut self, key: Key, o: &Opt) {
        self.form.focus_on(key);
        let f = self.form.focused_mut();
        f.set(&o.label);
        f.error = None;
        f.note = o.detail.clone();
        self.mark_changed();
        self.move_focus(1);
    }

    /// Add a representative row (a group visit elects at most five).
    fn add_person(&mut self) {
        if self.rows >= MAX_REPRESENTATIVES {
            self.message = Some((say::too_many_representatives(MAX_REPRESENTATIVES), true));
            return;
        }
        let values = self.values();
        self.rows += 1;
        self.person_ids.push(None);
        self.rebuild(&values);
        self.set(Key::Person(self.rows - 1, PersonField::IdType), IdType::ResidentId.label());
        self.form.focus_on(Key::Person(self.rows - 1, PersonField::Name));
        self.mark_changed();
    }

    /// Remove the row the focus is in (never the last one).
    fn remove_person(&mut self) {
        let Key::Person(row, _) = self.focused().key else {
            self.message = Some((say::CURSOR_ON_PERSON.into(), true));
            return;
        };
        if self.rows == 1 {
            return;
        }
        let mut values: Vec<(Key, String)> = Vec::new();
        for (k, v) in self.values() {
            match k {
                Key::Person(r, _) if r == row => {}
                Key::Person(r, f) if r > row => values.push((Key::Person(r - 1, f), v)),
                other => values.push((other, v)),
            }
        }
        self.person_ids.remove(row);
        if row < self.confirmed.len() {
            self.confirmed.remove(row);
        }
        self.rows -= 1;
        self.form.focus = 0;
        self.rebuild(&values);
        self.form.focus_on(Key::Person(row.min(self.rows - 1), PersonField::Name));
        self.mark_changed();
    }

    /// ↑/↓: inside 反映问题 they move between its lines; elsewhere (and past
    /// its first or last line) between fields.
    fn vertical(&mut self, step: isize) {
        if let crate::app::form::Buffer::Lines(editor) = &mut self.form.focused_mut().buffer
            && editor.vertical(step)
        {
            return;
        }
        self.move_focus(step);
    }

    /// Something typed has not been registered yet.
    pub fn has_unsaved_input(&self) -> bool {
        self.changed
    }

    /// Give up the registration in progress: form and draft are cleared.
    pub fn abandon(&mut self, env: &mut Env) -> Vec<Effect> {
        *self = IntakeForm::new(env.now(), &env.session.phone_area);
        or_failed(crate::store::drafts::discard(&mut env.store, &env.session.desk).map(|()| Vec::new()))
    }

    fn save(&mut self, env: &mut Env) -> Vec<Effect> {
        self.leave_field();
        if self.check_all() {
            match self.identity_question(env) {
                Ok(Some(ask)) => return vec![ask],
                Ok(None) => {}
                Err(e) => return vec![Effect::Failed(e)],
            }
        }
        match self.register(env) {
            Ok(Some(saved)) if saved.to_leader => {
                vec![Effect::Reload, Effect::TakeNumber { case_id: saved.case_id, case_number: saved.number }]
            }
            Ok(Some(_)) => vec![Effect::Reload],
            Ok(None) => Vec::new(),
            Err(e) => {
                // Nothing was written (one transaction); the form keeps every value.
                self.message = Some((say::save_failed(&e.to_string()), true));
                Vec::new()
            }
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        if self.has_unsaved_input() {
            vec![Effect::Push(Popup::Confirm(Confirm::Leave { quit: false }))]
        } else {
            vec![Effect::GoTo(crate::app::Screen::Home)]
        }
    }
}

impl Pane for IntakeForm {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Intake, true)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        match action {
            // Tab on the lookup line goes on to the person, with what was typed.
            Action::NextField if self.focused().key == Key::Lookup => self.take_lookup(),
            Action::NextField => self.move_focus(1),
            Action::PrevField => self.move_focus(-1),
            Action::CaretDown => self.vertical(1),
            Action::CaretUp => self.vertical(-1),
            Action::AddPerson => self.add_person(),
            Action::RemovePerson => self.remove_person(),
            Action::LinkNext => self.prior.next_link(),
            Action::NewLine if self.focused().kind == Kind::Multi => {
                return Some(self.edit(InputRequest::InsertChar('\n'), env));
            }
            Action::NewLine => {}
            Action::Open => return Some(self.confirm_field(env)),
            Action::Back => return Some(self.back()),
            Action::Save => return Some(self.save(env)),
            // The prior-case panel reads the database.
            Action::PageDown => return Some(or_failed(self.select_prior(1, env).map(|()| Vec::new()))),
            Action::PageUp => return Some(or_failed(self.select_prior(-1, env).map(|()| Vec::new()))),
            Action::TakeOver => return Some(self.offer_take_over()),
            Action::Papers => self.issue_papers(env),
            _ => return None,
        }
        Some(Vec::new())
    }

    fn on_input(&mut self, req: InputRequest, env: &mut Env) -> Vec<Effect> {
        self.edit(req, env)
    }

    fn on_paste(&mut self, text: &str, _env: &mut Env) -> Vec<Effect> {
        self.paste(text);
        Vec::new()
    }

    fn settle(&mut self, env: &mut Env) -> Vec<Effect> {
        self.today = env.today();
        self.now = env.now();
        or_failed(self.settle_lookup_and_draft(env).map(|()| Vec::new()))
    }

    fn wake_at(&self) -> Option<NaiveDateTime> {
        self.drafts.wake_at()
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}
