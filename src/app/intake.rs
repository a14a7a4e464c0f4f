//! 来访登记: the intake form's state and editing rules.
//!
//! The form is a flat list of fields (sections are a matter of drawing).
//! Text fields are `tui_input::Input`s; choice fields keep the chosen label and
//! are set through a picker that filters by Chinese text or pinyin initials.
//! A field is validated as the clerk leaves it. The prior-case lookup and the
//! draft are deferred to `settle`, once per frame, however fast the typing.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use tui_input::{Input, InputRequest};

use super::choice::{self, Opt};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::case::{MAX_REPRESENTATIVES, is_group_visit};
use crate::domain::deadline::Deadline;
use crate::domain::query::{Filters, Probe, SearchQuery, is_cjk};
use crate::domain::triage::{NOT_ACCEPTED_REASONS, Triage};
use crate::domain::{
    Case, CaseFlags, CaseStatus, IdType, Petitioner, PetitionerPhone, PhoneOwner, RepeatKind, id_card, phone,
};
use crate::store::cases::{self, CaseSummary, DeskTriage, Registration};
use crate::store::reference::ReferenceData;
use crate::store::search::{self, Hit, PetitionerHit};
use crate::store::{Store, StoreError, drafts, petitioners};

/// Longest 反映问题 the form takes (characters).
pub const CONTENT_LIMIT: usize = 2000;
/// Drafts are written at most this often while typing (and on every field change).
const DRAFT_EVERY: Duration = Duration::from_millis(500);
/// Petitioners the prior-case panel lists.
const PANEL_LIMIT: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonField {
    Name,
    IdType,
    IdNumber,
    IdOverride,
    Phone,
    Address,
    Street,
    Workplace,
}

const PERSON_FIELDS: [PersonField; 8] = [
    PersonField::Name,
    PersonField::IdType,
    PersonField::IdNumber,
    PersonField::IdOverride,
    PersonField::Phone,
    PersonField::Address,
    PersonField::Street,
    PersonField::Workplace,
];

/// Which field: the identity survives rebuilding the list (adding a person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Key {
    VisitTime,
    Window,
    Form,
    People,
    Involved,
    Person(usize, PersonField),
    ProblemStreet,
    ProblemAddress,
    Category,
    Purpose,
    Title,
    Content,
    Demands,
    Respondent,
    Flag(usize),
    Triage,
    Reason,
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Multi,
    Number,
    Choice,
    Toggle,
}

impl Key {
    pub fn label(self) -> &'static str {
        match self {
            Key::VisitTime => "来访时间",
            Key::Window => "接待窗口",
            Key::Form => "信访形式",
            Key::People => "来访人数",
            Key::Involved => "涉及人数",
            Key::Person(_, f) => match f {
                PersonField::Name => "姓名",
                PersonField::IdType => "证件类型",
                PersonField::IdNumber => "证件号码",
                PersonField::IdOverride => "异常说明",
                PersonField::Phone => "手机/电话",
                PersonField::Address => "住址",
                PersonField::Street => "所属街道",
                PersonField::Workplace => "工作单位",
            },
            Key::ProblemStreet => "问题属地",
            Key::ProblemAddress => "问题地址",
            Key::Category => "内容分类",
            Key::Purpose => "信访目的",
            Key::Title => "标题",
            Key::Content => "反映问题",
            Key::Demands => "诉求",
            Key::Respondent => "被反映方",
            Key::Flag(i) => CaseFlags::default().entries()[i].0,
            Key::Triage => "拟办方式",
            Key::Reason => "不予受理理由",
            Key::Unit => "拟办单位",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Key::Form | Key::Category | Key::Purpose | Key::Triage | Key::Reason | Key::Unit | Key::ProblemStreet => {
                Kind::Choice
            }
            Key::Person(_, PersonField::IdType | PersonField::Street) => Kind::Choice,
            Key::People | Key::Involved => Kind::Number,
            Key::Content => Kind::Multi,
            Key::Flag(_) => Kind::Toggle,
            _ => Kind::Text,
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Key::VisitTime
                | Key::Form
                | Key::People
                | Key::Person(_, PersonField::Name)
                | Key::Category
                | Key::Purpose
                | Key::Title
                | Key::Content
        )
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: Key,
    pub input: Input,
    /// What is wrong, shown under the field (in red).
    pub error: Option<String>,
    /// What was derived from the value (e.g. sex and birth date from an ID).
    pub note: Option<String>,
}

impl Field {
    fn new(key: Key, value: &str) -> Field {
        Field { key, input: Input::new(value.to_string()), error: None, note: None }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn is_required(&self) -> bool {
        self.key.required()
    }
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub field: usize,
    pub filter: Input,
    pub options: Vec<Opt>,
    /// Indexes into `options` that pass the filter, best first.
    pub shown: Vec<usize>,
    pub selected: usize,
}

impl Picker {
    fn refilter(&mut self) {
        self.shown = choice::filter(&self.options, self.filter.value());
        self.selected = 0;
    }

    pub fn chosen(&self) -> Option<&Opt> {
        self.shown.get(self.selected).map(|i| &self.options[*i])
    }
}

/// The prior-case panel: people matching what is typed, and the selected
/// person's history.
#[derive(Debug, Clone, Default)]
pub struct PriorPanel {
    pub people: Vec<PetitionerHit>,
    pub selected: usize,
    pub cases: Vec<(CaseSummary, Option<Deadline>)>,
    /// Which of `cases` a take-over links the new case to.
    pub link: usize,
    pub warnings: Vec<String>,
}

/// A question the form asks before going on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// A draft from an earlier session: restore it?
    Recover { saved_at: String },
    /// Unsaved input: really leave (quit the app, or go to another screen)?
    Leave { quit: bool },
}

/// The form's content as stored in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub rows: usize,
    pub values: Vec<(Key, String)>,
    pub person_ids: Vec<Option<i64>>,
    pub linked_case: Option<(i64, String)>,
}

/// A registration just saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub number: String,
    pub case_id: i64,
    /// Triaged to 领导接谈: the petitioner goes into today's reception queue.
    pub to_leader: bool,
}

pub struct IntakeForm {
    pub fields: Vec<Field>,
    pub focus: usize,
    pub rows: usize,
    /// Existing petitioners taken over into each row.
    pub person_ids: Vec<Option<i64>>,
    /// The earlier case this one repeats (重件).
    pub linked_case: Option<(i64, String)>,
    pub picker: Option<Picker>,
    pub dialog: Option<Dialog>,
    pub prior: PriorPanel,
    /// Something was typed since the form was last cleared or saved.
    pub changed: bool,
    pub message: Option<(String, bool)>,
    lookup_dirty: bool,
    draft_dirty: bool,
    last_draft: Option<Instant>,
    pending_draft: Option<Draft>,
    /// Values kept from one registration to the next.
    defaults: Vec<(Key, String)>,
    /// Today (IDs born later are impossible), from the app's clock.
    pub today: chrono::NaiveDate,
    /// 区号 for landlines typed without one.
    pub phone_area: String,
}

impl IntakeForm {
    pub fn new(now: NaiveDateTime, phone_area: &str) -> IntakeForm {
        let defaults = vec![
            (Key::Window, "1号窗口".to_string()),
            (Key::Form, "来访".to_string()),
            (Key::People, "1".to_string()),
            (Key::Person(0, PersonField::IdType), IdType::ResidentId.label().to_string()),
        ];
        let mut form = IntakeForm {
            fields: Vec::new(),
            focus: 0,
            rows: 1,
            person_ids: vec![None],
            linked_case: None,
            picker: None,
            dialog: None,
            prior: PriorPanel::default(),
            changed: false,
            message: None,
            lookup_dirty: false,
            draft_dirty: false,
            last_draft: None,
            pending_draft: None,
            defaults,
            today: now.date(),
            phone_area: phone_area.to_string(),
        };
        form.reset(now);
        form
    }

    /// Empty the form for the next person, keeping the clerk's defaults.
    fn reset(&mut self, now: NaiveDateTime) {
        self.rows = 1;
        self.person_ids = vec![None];
        self.linked_case = None;
        let mut values = self.defaults.clone();
        values.push((Key::VisitTime, now.format("%Y-%m-%d %H:%M").to_string()));
        self.rebuild(&values);
        self.focus = self.index(Key::Person(0, PersonField::Name)).unwrap_or(0);
        self.prior = PriorPanel::default();
        self.changed = false;
        self.draft_dirty = false;
    }

    fn keys(rows: usize) -> Vec<Key> {
        let mut keys = vec![Key::VisitTime, Key::Window, Key::Form, Key::People, Key::Involved];
        for r in 0..rows {
            keys.extend(PERSON_FIELDS.iter().map(|f| Key::Person(r, *f)));
        }
        keys.extend([
            Key::ProblemStreet,
            Key::ProblemAddress,
            Key::Category,
            Key::Purpose,
            Key::Title,
            Key::Content,
            Key::Demands,
            Key::Respondent,
        ]);
        keys.extend((0..7).map(Key::Flag));
        keys.extend([Key::Triage, Key::Reason, Key::Unit]);
        keys
    }

    fn rebuild(&mut self, values: &[(Key, String)]) {
        let focus_key = self.fields.get(self.focus).map(|f| f.key);
        self.fields = Self::keys(self.rows)
            .into_iter()
            .map(|k| {
                let v = values.iter().find(|(key, _)| *key == k).map_or("", |(_, v)| v.as_str());
                Field::new(k, v)
            })
            .collect();
        if let Some(k) = focus_key {
            self.focus = self.index(k).unwrap_or(0);
        }
    }

    fn values(&self) -> Vec<(Key, String)> {
        self.fields.iter().filter(|f| !f.value().is_empty()).map(|f| (f.key, f.value().to_string())).collect()
    }

    pub fn index(&self, key: Key) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn value(&self, key: Key) -> &str {
        self.index(key).map_or("", |i| self.fields[i].value())
    }

    fn set(&mut self, key: Key, value: &str) {
        if let Some(i) = self.index(key) {
            self.fields[i].input = Input::new(value.to_string());
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus]
    }

    /// Fields the clerk can reach now: the ID exception only after a bad ID,
    /// the refusal reason only for 不予受理.
    pub fn is_visible(&self, key: Key) -> bool {
        match key {
            Key::Person(r, PersonField::IdOverride) => {
                self.index(Key::Person(r, PersonField::IdNumber)).is_some_and(|i| self.fields[i].error.is_some())
                    || !self.value(key).is_empty()
            }
            Key::Reason => self.value(Key::Triage) == Triage::NotAccepted.label(),
            _ => true,
        }
    }

    /// Move the focus by `step` visible fields, validating the field left.
    pub fn move_focus(&mut self, step: isize) {
        self.leave_field();
        let n = self.fields.len() as isize;
        let mut i = self.focus as isize;
        loop {
            i += step.signum();
            if i < 0 || i >= n {
                return;
            }
            if self.is_visible(self.fields[i as usize].key) {
                self.focus = i as usize;
                return;
            }
        }
    }

    /// Validation as the clerk leaves a field; a draft is written on every field change.
    fn leave_field(&mut self) {
        let i = self.focus;
        self.validate(i);
        if self.draft_dirty {
            self.last_draft = None;
        }
    }

    fn mark_changed(&mut self) {
        self.changed = true;
        self.draft_dirty = true;
        if matches!(self.focused().key, Key::Person(_, PersonField::Name | PersonField::IdNumber | PersonField::Phone))
        {
            self.lookup_dirty = true;
        }
    }

    /// Keys typed into the focused field (text, number) or acting on it (toggle, choice).
    pub fn edit(&mut self, req: InputRequest) {
        let key = self.focused().key;
        match key.kind() {
            Kind::Toggle => {
                if matches!(req, InputRequest::InsertChar(_)) {
                    self.toggle();
                }
            }
            Kind::Choice => {
                // Typing on a choice field opens its picker with what was typed.
                if let InputRequest::InsertChar(c) = req {
                    self.open_picker(Some(c));
                } else if matches!(req, InputRequest::DeletePrevChar | InputRequest::DeleteLine) {
                    self.fields[self.focus].input.reset();
                    self.mark_changed();
                }
            }
            Kind::Number => {
                if matches!(req, InputRequest::InsertChar(c) if !c.is_ascii_digit()) {
                    return;
                }
                self.apply(req);
            }
            Kind::Multi => {
                if matches!(req, InputRequest::InsertChar(_)) && self.focused().value().chars().count() >= CONTENT_LIMIT
                {
                    self.message = Some((format!("反映问题最多{CONTENT_LIMIT}字"), true));
                    return;
                }
                self.apply(req);
            }
            Kind::Text => self.apply(req),
        }
    }

    fn apply(&mut self, req: InputRequest) {
        let i = self.focus;
        if super::fields::edit_input(&mut self.fields[i].input, req).is_some_and(|r| r.value) {
            self.fields[i].error = None;
            self.mark_changed();
        }
    }

    /// A paste arrives whole into the focused field; it never acts as keys.
    pub fn paste(&mut self, text: &str) {
        let multi = self.focused().key.kind() == Kind::Multi;
        if !matches!(self.focused().key.kind(), Kind::Text | Kind::Multi | Kind::Number) {
            return;
        }
        for c in crate::text::pasted(text, multi).chars() {
            if multi && self.focused().value().chars().count() >= CONTENT_LIMIT {
                self.message = Some((format!("反映问题最多{CONTENT_LIMIT}字，粘贴的其余部分未加入"), true));
                break;
            }
            super::fields::edit_input(&mut self.fields[self.focus].input, InputRequest::InsertChar(c));
        }
        self.fields[self.focus].error = None;
        self.mark_changed();
    }

    /// A new line inside 反映问题.
    pub fn newline(&mut self) {
        if self.focused().key.kind() == Kind::Multi {
            self.apply(InputRequest::InsertChar('\n'));
        }
    }

    pub fn toggle(&mut self) {
        if self.focused().key.kind() == Kind::Toggle {
            let on = self.focused().value().is_empty();
            self.fields[self.focus].input = Input::new(if on { "是".into() } else { String::new() });
            self.mark_changed();
        }
    }

    /// Enter: a choice field opens its picker, a toggle flips, others advance.
    pub fn confirm_field(&mut self) {
        match self.focused().key.kind() {
            Kind::Choice => self.open_picker(None),
            Kind::Toggle => self.toggle(),
            _ => self.move_focus(1),
        }
    }

    pub fn open_picker(&mut self, first: Option<char>) {
        self.picker = Some(Picker {
            field: self.focus,
            filter: Input::new(first.map(String::from).unwrap_or_default()),
            options: Vec::new(),
            shown: Vec::new(),
            selected: 0,
        });
    }

    /// Fill the picker's options (they come from reference data the form does not own).
    pub fn load_picker(&mut self, refs: &ReferenceData) {
        if let Some(p) = &mut self.picker
            && p.options.is_empty()
        {
            p.options = options(self.fields[p.field].key, refs);
            p.refilter();
        }
    }

    pub fn picker_edit(&mut self, req: InputRequest) {
        if let Some(p) = &mut self.picker
            && super::fields::edit_input(&mut p.filter, req).is_some_and(|r| r.value)
        {
            p.refilter();
        }
    }

    pub fn picker_move(&mut self, step: isize) {
        if let Some(p) = &mut self.picker
            && !p.shown.is_empty()
        {
            p.selected = p.selected.saturating_add_signed(step).min(p.shown.len() - 1);
        }
    }

    pub fn picker_choose(&mut self) {
        let Some(p) = self.picker.take() else { return };
        if let Some(o) = p.chosen() {
            self.fields[p.field].input = Input::new(o.label.clone());
            self.fields[p.field].error = None;
            self.fields[p.field].note = o.detail.clone();
            self.focus = p.field;
            self.mark_changed();
            self.move_focus(1);
        }
    }

    /// Add a representative row (a group visit elects at most five).
    pub fn add_person(&mut self) {
        if self.rows >= MAX_REPRESENTATIVES {
            self.message =
                Some((format!("集体访最多推选{MAX_REPRESENTATIVES}名代表（《信访工作条例》第二十条）"), true));
            return;
        }
        let values = self.values();
        self.rows += 1;
        self.person_ids.push(None);
        self.rebuild(&values);
        self.set(Key::Person(self.rows - 1, PersonField::IdType), IdType::ResidentId.label());
        self.focus = self.index(Key::Person(self.rows - 1, PersonField::Name)).unwrap_or(self.focus);
        self.mark_changed();
    }

    /// Remove the row the focus is in (never the last one).
    pub fn remove_person(&mut self) {
        let Key::Person(row, _) = self.focused().key else {
            self.message = Some(("请先把光标移到要删除的信访人".into(), true));
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
        self.rows -= 1;
        self.focus = 0;
        self.rebuild(&values);
        self.focus = self.index(Key::Person(row.min(self.rows - 1), PersonField::Name)).unwrap_or(0);
        self.mark_changed();
    }

    /// The row whose values drive the prior-case lookup.
    fn lookup_row(&self) -> usize {
        match self.focused().key {
            Key::Person(r, _) => r,
            _ => 0,
        }
    }

    /// What to look up from the row: full or tail ID, full or tail phone, name or pinyin.
    fn lookup_query(&self) -> SearchQuery {
        let r = self.lookup_row();
        let mut probes = Vec::new();
        let id = id_card::normalize(self.value(Key::Person(r, PersonField::IdNumber)));
        if id.len() == 18 {
            probes.push(Probe::IdExact(id));
        } else if id.len() >= 4 && id.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
            probes.push(Probe::IdTail(id));
        }
        let digits = phone::digits_only(self.value(Key::Person(r, PersonField::Phone)));
        if digits.len() == 11 && digits.starts_with('1') {
            probes.push(Probe::PhoneExact(digits));
        } else if digits.len() >= 4 {
            probes.push(Probe::PhoneTail(digits));
        }
        let n = self.value(Key::Person(r, PersonField::Name)).trim().to_string();
        if n.chars().any(is_cjk) {
            probes.push(Probe::Name(n));
        } else if !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphabetic()) {
            probes.push(Probe::Pinyin(n.to_ascii_lowercase()));
        }
        SearchQuery { probes, filters: Filters::default(), notice: None }
    }

    /// Run the deferred work: the prior-case lookup (one query per frame, not
    /// per key) and the draft.
    pub fn settle(
        &mut self,
        store: &mut Store,
        refs: &ReferenceData,
        cal: &HolidayCalendar,
        desk: &str,
        now: NaiveDateTime,
        rules: &crate::domain::warning::WarningRules,
    ) -> Result<(), StoreError> {
        if self.lookup_dirty {
            self.lookup_dirty = false;
            let q = self.lookup_query();
            self.prior = PriorPanel::default();
            if !q.probes.is_empty() {
                let r = search::search(store.conn(), &q, PANEL_LIMIT, cal)?;
                self.prior.people = r
                    .hits
                    .into_iter()
                    .filter_map(|h| match h {
                        Hit::Petitioner(p) => Some(p),
                        Hit::Case(_) => None,
                    })
                    .collect();
                crate::store::warnings::attach(store.conn(), &mut self.prior.people, now.date(), rules)?;
                self.load_history(store, refs, cal)?;
            }
        }
        let due = self.last_draft.is_none_or(|t| t.elapsed() >= DRAFT_EVERY);
        if self.draft_dirty && due {
            let data = serde_json::to_string(&self.draft()).unwrap_or_default();
            drafts::save(store, desk, &data, now)?;
            self.draft_dirty = false;
            self.last_draft = Some(Instant::now());
        }
        Ok(())
    }

    fn load_history(&mut self, store: &Store, refs: &ReferenceData, cal: &HolidayCalendar) -> Result<(), StoreError> {
        self.prior.cases.clear();
        self.prior.warnings.clear();
        self.prior.link = 0;
        let Some(p) = self.prior.people.get(self.prior.selected) else { return Ok(()) };
        for c in cases::of_petitioner(store.conn(), p.id)? {
            let clock = cases::running_deadline(store.conn(), c.id, cal)?;
            self.prior.cases.push((c, clock));
        }
        let category = options(Key::Category, refs).into_iter().find(|o| o.label == self.value(Key::Category));
        self.prior.warnings = warnings(p, &self.prior.cases, category.as_ref().map(|o| o.code.as_str()));
        // Link to the newest open case by default: the matter is most likely the same.
        self.prior.link = self.prior.cases.iter().position(|(c, _)| c.status.is_open()).unwrap_or(0);
        Ok(())
    }

    /// PageUp/PageDown in the panel: choose another matching person.
    pub fn select_prior(
        &mut self,
        step: isize,
        store: &Store,
        refs: &ReferenceData,
        cal: &HolidayCalendar,
    ) -> Result<(), StoreError> {
        if self.prior.people.is_empty() {
            return Ok(());
        }
        self.prior.selected = self.prior.selected.saturating_add_signed(step).min(self.prior.people.len() - 1);
        self.load_history(store, refs, cal)
    }

    /// Ctrl-L: link to the next earlier case instead.
    pub fn next_link(&mut self) {
        if !self.prior.cases.is_empty() {
            self.prior.link = (self.prior.link + 1) % self.prior.cases.len();
        }
    }

    /// Ctrl-T: the selected person's details fill the row, the case becomes
    /// 重件 linked to the chosen earlier case. Relatives' phones stay theirs.
    pub fn take_over(&mut self, store: &Store, refs: &ReferenceData) -> Result<(), StoreError> {
        let Some(hit_id) = self.prior.people.get(self.prior.selected).map(|h| h.id) else {
            self.message = Some(("没有可带入的信访人".into(), true));
            return Ok(());
        };
        let Some(p) = petitioners::get(store.conn(), hit_id)? else { return Ok(()) };
        let r = self.lookup_row();
        let own_phone = p.own_phones().next().map(|ph| ph.number.clone()).unwrap_or_default();
        let street = p.street_code.as_deref().and_then(|c| refs.street(c)).map(|s| s.name.clone()).unwrap_or_default();
        for (f, v) in [
            (PersonField::Name, p.name.clone()),
            (PersonField::IdType, p.id_type.unwrap_or(IdType::ResidentId).label().to_string()),
            (PersonField::IdNumber, p.id_number.clone().unwrap_or_default()),
            (PersonField::Phone, own_phone),
            (PersonField::Address, p.address.clone()),
            (PersonField::Street, street),
            (PersonField::Workplace, p.workplace.clone()),
        ] {
            self.set(Key::Person(r, f), &v);
        }
        for f in PERSON_FIELDS {
            if let Some(i) = self.index(Key::Person(r, f)) {
                self.validate(i);
            }
        }
        self.person_ids[r] = Some(hit_id);
        self.linked_case = self.prior.cases.get(self.prior.link).map(|(c, _)| (c.id, c.number.clone()));
        let linked = self.linked_case.as_ref().map_or(String::new(), |(_, n)| format!("，关联 {n}"));
        self.message = Some((format!("已带入信访人（重件{linked}）"), false));
        self.changed = true;
        self.draft_dirty = true;
        Ok(())
    }

    /// Check one field as the clerk leaves it: a value that is wrong is
    /// flagged now; a required field left empty only when saving.
    fn validate(&mut self, i: usize) {
        self.check_field(i, false);
    }

    /// Check one field; sets its error or its derived note.
    fn check_field(&mut self, i: usize, saving: bool) {
        let key = self.fields[i].key;
        let v = self.fields[i].value().trim().to_string();
        let (mut error, mut note) = (None, None);
        if v.is_empty() {
            if saving && key.required() && !(matches!(key, Key::Person(_, PersonField::Name)) && self.is_anonymous()) {
                error = Some("必填".to_string());
            }
        } else {
            match key {
                Key::VisitTime if NaiveDateTime::parse_from_str(&v, "%Y-%m-%d %H:%M").is_err() => {
                    error = Some("时间格式应为 2026-11-28 09:30".into());
                }
                Key::People => match v.parse::<u32>() {
                    Ok(0) | Err(_) => error = Some("人数至少为1".into()),
                    Ok(n) if is_group_visit(n) => note = Some(format!("集体访（{n}人），最多推选5名代表")),
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
                                self.fields[i].input = Input::new(id.number);
                            }
                            Err(e) => error = Some(e.to_string()),
                        }
                    }
                }
                Key::Person(_, PersonField::Phone) => match phone::normalize(&v, &self.phone_area) {
                    Ok(p) => {
                        self.fields[i].input = Input::new(p.number);
                    }
                    Err(e) => error = Some(e.to_string()),
                },
                _ => {}
            }
        }
        self.fields[i].error = error;
        // A choice keeps the detail its picker gave it.
        if key.kind() != Kind::Choice {
            self.fields[i].note = note;
        }
    }

    fn is_anonymous(&self) -> bool {
        !self.value(Key::Flag(3)).is_empty()
    }

    /// Validate everything; on failure focus the first bad field and say why.
    fn check_all(&mut self) -> bool {
        for i in 0..self.fields.len() {
            self.check_field(i, true);
        }
        // A bad ID needs an explanation to be registered anyway.
        for r in 0..self.rows {
            if let Some(i) = self.index(Key::Person(r, PersonField::IdNumber))
                && self.fields[i].error.is_some()
                && !self.value(Key::Person(r, PersonField::IdOverride)).trim().is_empty()
            {
                let e = self.fields[i].error.take();
                self.fields[i].note = e.map(|e| format!("{e}（已说明理由）"));
            }
        }
        let triage = Triage::from_label(self.value(Key::Triage));
        if triage == Some(Triage::NotAccepted) && self.value(Key::Reason).is_empty() {
            self.set_error(Key::Reason, "不予受理须选择理由");
        }
        if triage.is_some_and(Triage::needs_unit) && self.value(Key::Unit).is_empty() {
            self.set_error(Key::Unit, "转送、交办须选择拟办单位");
        }
        match self.fields.iter().position(|f| f.error.is_some() && self.is_visible(f.key)) {
            Some(i) => {
                self.focus = i;
                let f = &self.fields[i];
                let hint = match f.key {
                    Key::Person(_, PersonField::IdNumber) => "；确需登记请在“异常说明”中写明理由",
                    _ => "",
                };
                self.message =
                    Some((format!("{}：{}{hint}", f.key.label(), f.error.clone().unwrap_or_default()), true));
                false
            }
            None => true,
        }
    }

    fn set_error(&mut self, key: Key, e: &str) {
        if let Some(i) = self.index(key) {
            self.fields[i].error = Some(e.to_string());
        }
    }

    /// Ctrl-S: validate, then save everything as one transaction. Returns the
    /// new case number; on any problem nothing is written and the form stays.
    /// Save the registration in one transaction; `None` when a field is wrong
    /// (the form says which).
    pub fn save(
        &mut self,
        store: &mut Store,
        refs: &ReferenceData,
        who: &Desk,
        now: NaiveDateTime,
    ) -> Result<Option<Saved>, StoreError> {
        self.leave_field();
        if !self.check_all() {
            return Ok(None);
        }
        let (reg, triage) = self.registration(refs, &who.clerk, &who.number_prefix, now);
        let done = cases::register_at_desk(store, &reg, triage.as_ref())?;
        let to_leader = triage.as_ref().is_some_and(|t| t.triage == Triage::LeaderReception);
        drafts::discard(store, &who.desk)?;
        let kept: Vec<(Key, String)> = self
            .defaults
            .iter()
            .map(|(k, _)| (*k, self.value(*k).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        self.defaults = kept;
        self.reset(now);
        self.message = Some((format!("已登记，事项编号 {}", done.number), false));
        Ok(Some(Saved { number: done.number, case_id: done.case_id, to_leader }))
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
        let petitioners = (0..self.rows)
            .map(|r| {
                let p = |f| v(Key::Person(r, f));
                let id_type = IdType::from_label(&p(PersonField::IdType)).unwrap_or(IdType::ResidentId);
                let number = id_card::normalize(&p(PersonField::IdNumber));
                let derived = id_card::validate(&number, self.today).ok();
                let phones = phone::normalize(&p(PersonField::Phone), &self.phone_area)
                    .map(|ph| {
                        vec![PetitionerPhone {
                            number: ph.number,
                            kind: ph.kind,
                            owner: PhoneOwner::Own,
                            note: String::new(),
                        }]
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
            })
            .collect();
        let purpose = refs.purposes.iter().find(|p| p.name == v(Key::Purpose));
        let flag = |i: usize| !self.value(Key::Flag(i)).is_empty();
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
            flags: CaseFlags {
                litigation: flag(0),
                skip_level: flag(1),
                joint: flag(2),
                anonymous: flag(3),
                threat: flag(4),
                urgent: flag(5),
                confidential: flag(6),
            },
            repeat_kind: if self.linked_case.is_some() { RepeatKind::Repeat } else { RepeatKind::First },
            linked_case_id: self.linked_case.as_ref().map(|(id, _)| *id),
            status: CaseStatus::Registered,
            external_refs: Vec::new(),
            petitioner_ids: Vec::new(),
        };
        let triage = Triage::from_label(&v(Key::Triage)).map(|t| DeskTriage {
            triage: t,
            unit: Some(v(Key::Unit)).filter(|u| !u.is_empty()),
            reason: Some(v(Key::Reason)).filter(|r| !r.is_empty() && t == Triage::NotAccepted),
        });
        (Registration { petitioners, case, number_prefix: prefix.to_string() }, triage)
    }

    pub fn draft(&self) -> Draft {
        Draft {
            rows: self.rows,
            values: self.values(),
            person_ids: self.person_ids.clone(),
            linked_case: self.linked_case.clone(),
        }
    }

    /// Offer a stored draft back (called at start).
    pub fn offer_draft(&mut self, store: &Store, desk: &str) -> Result<(), StoreError> {
        if let Some((saved_at, data)) = drafts::load(store.conn(), desk)?
            && let Ok(d) = serde_json::from_str::<Draft>(&data)
        {
            self.pending_draft = Some(d);
            self.dialog = Some(Dialog::Recover { saved_at });
        }
        Ok(())
    }

    /// Answer to the recover dialog.
    pub fn recover(&mut self, yes: bool, store: &mut Store, desk: &str) -> Result<(), StoreError> {
        self.dialog = None;
        let Some(d) = self.pending_draft.take() else { return Ok(()) };
        if yes {
            self.rows = d.rows.clamp(1, MAX_REPRESENTATIVES);
            self.person_ids = d.person_ids;
            self.person_ids.resize(self.rows, None);
            self.linked_case = d.linked_case;
            self.rebuild(&d.values);
            for i in 0..self.fields.len() {
                if !self.fields[i].value().is_empty() {
                    self.validate(i);
                }
            }
            self.changed = true;
            self.lookup_dirty = true;
            self.message = Some(("已恢复未保存的登记".into(), false));
        } else {
            drafts::discard(store, desk)?;
        }
        Ok(())
    }

    /// Something typed has not been registered yet.
    pub fn has_unsaved_input(&self) -> bool {
        self.changed
    }
}

/// Who registers: the clerk, the desk (whose draft this is) and the number prefix.
#[derive(Debug, Clone)]
pub struct Desk {
    pub clerk: String,
    pub desk: String,
    pub number_prefix: String,
}

/// The options of a choice field.
pub fn options(key: Key, refs: &ReferenceData) -> Vec<Opt> {
    let opt = |label: &str, code: &str, initials: String| Opt {
        label: label.into(),
        code: code.into(),
        initials,
        detail: None,
    };
    let keyed = Opt::keyed;
    match key {
        Key::Form => refs.forms.iter().map(|f| keyed(&f.name, &f.code)).collect(),
        Key::Purpose => refs
            .purposes
            .iter()
            .map(|p| Opt { detail: Some(format!("事项类别：{}", p.class.label())), ..keyed(&p.name, &p.code) })
            .collect(),
        Key::Category => refs
            .categories
            .iter()
            .map(|c| {
                let path = refs.category_path(&c.code);
                let parent = c.parent.as_deref().and_then(|p| refs.category(p)).map(|p| p.initials.clone());
                let initials = match parent {
                    Some(pi) => format!("{} {pi} {pi}{}", c.initials, c.initials),
                    None => c.initials.clone(),
                };
                opt(&path, &c.code, initials)
            })
            .collect(),
        Key::ProblemStreet | Key::Person(_, PersonField::Street) => {
            refs.streets.iter().map(|s| opt(&s.name, &s.code, s.initials.clone())).collect()
        }
        Key::Unit => refs.units.iter().map(|u| opt(&u.name, &u.code, u.initials.clone())).collect(),
        Key::Person(_, PersonField::IdType) => IdType::ALL.iter().map(|t| keyed(t.label(), t.code())).collect(),
        Key::Triage => Triage::ALL.iter().map(|t| keyed(t.label(), t.label())).collect(),
        Key::Reason => NOT_ACCEPTED_REASONS.iter().map(|r| keyed(r, r)).collect(),
        _ => Vec::new(),
    }
}

/// Warnings about a returning petitioner (domain.md §1.7, §2.3).
/// `category` is the form's content category: an open case of the same
/// category is most likely the same matter.
pub fn warnings(p: &PetitionerHit, cases: &[(CaseSummary, Option<Deadline>)], category: Option<&str>) -> Vec<String> {
    let mut w = Vec::new();
    let open: Vec<&CaseSummary> = cases.iter().map(|(c, _)| c).filter(|c| c.status.is_open()).collect();
    let same: Vec<&&CaseSummary> =
        open.iter().filter(|c| category.is_some() && c.category_code.as_deref() == category).collect();
    if let Some(c) = same.first() {
        w.push(format!("同类事项在办：{}（{}），同一事项办理期间重复来访", c.number, c.status.label()));
    } else if !open.is_empty() {
        w.push(format!("在办事项{}件", open.len()));
    }
    if cases.iter().any(|(c, _)| matches!(c.status, CaseStatus::Replied | CaseStatus::UnderReview)) {
        w.push("有事项处于答复后复查期（可申请复查/复查中）".into());
    }
    if cases.iter().any(|(c, _)| matches!(c.status, CaseStatus::ReviewReplied | CaseStatus::UnderRecheck)) {
        w.push("有事项处于复核期（可申请复核/复核中）".into());
    }
    if cases.iter().any(|(c, _)| c.status == CaseStatus::Concluded) {
        w.push("有已终结事项：同一事实和理由复核后不再受理（第三十六条）".into());
    }
    if !p.key_person.is_empty() {
        w.push(format!("重点人员：{}", p.key_person.join("、")));
    }
    let warned_threat = p.warnings.iter().any(|x| x.kind == crate::domain::warning::WarningKind::Threat);
    if p.threat_history && !warned_threat {
        w.push("有扬言记录".into());
    }
    w.extend(p.warnings.iter().map(|x| format!("预警·{}：{}", x.kind.label(), x.reason)));
    w
}
