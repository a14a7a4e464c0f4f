//! The prior-case panel (既往信访): people matching what is typed, the selected
//! person's history, and taking a returning petitioner over into the form.

use super::fields::PERSON_FIELDS;
use super::{IntakeForm, Key, PersonField, options};
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::popups::Popup;
use crate::app::popups::take_over::TakeOver;
use crate::app::strings::intake as say;
use crate::domain::deadline::Deadline;
use crate::domain::query::{Filters, Probe, SearchQuery, is_cjk};
use crate::domain::{CaseStatus, IdType, id_card, phone};
use crate::store::cases::{self, CaseSummary};
use crate::store::search::{self, Hit, PetitionerHit};
use crate::store::{StoreError, petitioners};

/// Petitioners the prior-case panel lists.
const PANEL_LIMIT: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct PriorPanel {
    pub people: Vec<PetitionerHit>,
    pub selected: usize,
    pub cases: Vec<(CaseSummary, Option<Deadline>)>,
    /// Which of `cases` a take-over links the new case to.
    pub link: usize,
    pub warnings: Vec<String>,
    /// What the last lookup searched for ("姓名「王五」"), when it found nobody.
    pub not_found: Option<String>,
    /// The stored person the typed full ID (or mobile) names, and how the typed row differs.
    pub identity: Option<super::IdentityMatch>,
}

impl PriorPanel {
    /// Something to show: people found, or that nobody was.
    pub fn has_content(&self) -> bool {
        !self.people.is_empty() || self.not_found.is_some()
    }

    /// Ctrl-L: link to the next earlier case instead.
    pub fn next_link(&mut self) {
        if !self.cases.is_empty() {
            self.link = (self.link + 1) % self.cases.len();
        }
    }
}

impl IntakeForm {
    /// The row whose values drive the prior-case lookup.
    fn lookup_row(&self) -> usize {
        match self.focused().key {
            Key::Person(r, _) => r,
            _ => 0,
        }
    }

    /// What to look up from the row: full or tail ID, full or tail phone, name or pinyin.
    fn lookup_query(&self) -> SearchQuery {
        if self.focused().key == Key::Lookup {
            return lookup_line_query(self.value(Key::Lookup));
        }
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

    /// The deferred work: the prior-case lookup (one query per frame, not per
    /// key) and the draft.
    pub(super) fn settle_lookup_and_draft(&mut self, env: &mut Env) -> Result<(), StoreError> {
        if self.lookup_dirty {
            self.lookup_dirty = false;
            let q = self.lookup_query();
            self.prior = PriorPanel::default();
            if !q.probes.is_empty() {
                let conn = env.store.conn();
                let r = search::search(conn, &q, PANEL_LIMIT)?;
                self.prior.people = r
                    .hits
                    .into_iter()
                    .filter_map(|h| match h {
                        Hit::Petitioner(p) => Some(p),
                        Hit::Case(_) => None,
                    })
                    .collect();
                crate::store::warnings::attach(conn, &mut self.prior.people, env.today(), &env.session.warning_rules)?;
                if self.prior.people.is_empty() {
                    self.prior.not_found = Some(searched(&q.probes));
                }
                self.load_history(env)?;
            }
            self.prior.identity = self.match_identity(self.lookup_row(), env)?;
        }
        self.save_draft_when_due(env)
    }

    fn load_history(&mut self, env: &Env) -> Result<(), StoreError> {
        self.prior.cases.clear();
        self.prior.warnings.clear();
        self.prior.link = 0;
        let Some(p) = self.prior.people.get(self.prior.selected) else { return Ok(()) };
        let conn = env.store.conn();
        for c in cases::of_petitioner(conn, p.id)? {
            let clock = cases::running_deadline(conn, c.id, &env.calendar)?;
            self.prior.cases.push((c, clock));
        }
        let category =
            options(Key::Category, &env.reference).into_iter().find(|o| o.label == self.value(Key::Category));
        self.prior.warnings = warnings(p, &self.prior.cases, category.as_ref().map(|o| o.code.as_str()));
        // Link to the newest open case by default: the matter is most likely the same.
        self.prior.link = self.prior.cases.iter().position(|(c, _)| c.status.is_open()).unwrap_or(0);
        Ok(())
    }

    /// PageUp/PageDown in the panel: choose another matching person.
    pub(super) fn select_prior(&mut self, step: isize, env: &Env) -> Result<(), StoreError> {
        if self.prior.people.is_empty() {
            return Ok(());
        }
        self.prior.selected = self.prior.selected.saturating_add_signed(step).min(self.prior.people.len() - 1);
        self.load_history(env)
    }

    /// Ctrl-T: ask whether the selected person comes about the same matter again.
    pub(super) fn offer_take_over(&mut self) -> Vec<Effect> {
        let Some(hit) = self.prior.people.get(self.prior.selected) else {
            self.message = Some((say::NOBODY_TO_TAKE.into(), true));
            return Vec::new();
        };
        let case =
            self.prior.cases.get(self.prior.link).map(|(c, _)| (c.number.clone(), c.display_title().to_string()));
        let person = crate::domain::mask::name(&hit.name);
        vec![Effect::Push(Popup::TakeOver(TakeOver { person, case }))]
    }

    /// The selected person's details fill the row (relatives' phones stay
    /// theirs). The same matter again: the linked earlier case's category,
    /// purpose, place, respondent and title are copied (editable) and the
    /// visit is 重件 of it, the caret goes to 反映问题; a new matter: the
    /// person only, the caret on the first field still needed.
    pub fn take_over(&mut self, env: &Env, same_matter: bool) -> Result<(), StoreError> {
        let Some(hit_id) = self.prior.people.get(self.prior.selected).map(|h| h.id) else {
            self.message = Some((say::NOBODY_TO_TAKE.into(), true));
            return Ok(());
        };
        let Some(p) = petitioners::get(env.store.conn(), hit_id)? else { return Ok(()) };
        let r = self.lookup_row();
        let own_phone = p.own_phones().next().map(|ph| ph.number.clone()).unwrap_or_default();
        let refs = &env.reference;
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
        let linked = if same_matter { self.prior.cases.get(self.prior.link).map(|(c, _)| c.id) } else { None };
        self.linked_case = None;
        if let Some(id) = linked
            && let Some(earlier) = cases::get(env.store.conn(), id)?
        {
            self.copy_matter(&earlier, refs);
            self.linked_case = Some((id, earlier.number.clone()));
        }
        self.message = Some(match &self.linked_case {
            Some((_, n)) => (say::taken_over(Some(n)), false),
            None => (say::TAKEN_AS_NEW.into(), false),
        });
        self.changed = true;
        self.drafts.touch();
        // On to what is still to be written: the complaint, or the matter's fields.
        let next = if self.linked_case.is_some() { Some(Key::Content) } else { self.first_needed() };
        if let Some(k) = next {
            self.form.focus_on(k);
        }
        Ok(())
    }

    /// The earlier case's matter into the form, each copied field noted so.
    fn copy_matter(&mut self, earlier: &crate::domain::Case, refs: &crate::store::reference::ReferenceData) {
        let purpose = earlier.purpose_code.as_deref().and_then(|c| refs.purposes.iter().find(|p| p.code == c));
        let copied = [
            (Key::Category, earlier.category_code.as_deref().map(|c| refs.category_path(c))),
            (Key::Purpose, purpose.map(|p| p.name.clone())),
            (
                Key::ProblemStreet,
                earlier.problem_street_code.as_deref().and_then(|c| refs.street(c)).map(|s| s.name.clone()),
            ),
            (Key::ProblemAddress, Some(earlier.problem_address.clone())),
            (Key::Respondent, Some(earlier.respondent.clone())),
            (Key::Title, Some(earlier.title.clone())),
        ];
        for (key, value) in copied {
            let Some(v) = value.filter(|v| !v.is_empty()) else { continue };
            self.set(key, &v);
            if let Some(f) = self.form.field_mut(key) {
                f.error = None;
                f.note = Some(say::copied_from(&earlier.number));
            }
        }
        if let Some(p) = purpose
            && let Some(f) = self.form.field_mut(Key::Purpose)
        {
            f.note = Some(format!("{}；{}", super::fields::purpose_note(p.class), say::copied_from(&earlier.number)));
        }
    }

    /// The first required field still empty.
    pub(super) fn first_needed(&self) -> Option<Key> {
        self.form
            .fields
            .iter()
            .find(|f| f.required && f.raw().trim().is_empty() && self.is_visible(f.key))
            .map(|f| f.key)
    }
}

/// The lookup line: digits are an ID or a phone (whole, or a tail of 4 or
/// more), Chinese a name, letters pinyin initials.
fn lookup_line_query(typed: &str) -> SearchQuery {
    let typed = typed.trim();
    let id = id_card::normalize(typed);
    let digits = phone::digits_only(typed);
    let mut probes = Vec::new();
    if typed.chars().any(is_cjk) {
        probes.push(Probe::Name(typed.to_string()));
    } else if id.len() == 18 {
        probes.push(Probe::IdExact(id));
    } else if digits.len() == 11 && digits.starts_with('1') {
        probes.push(Probe::PhoneExact(digits));
    } else if digits.len() >= 4 && digits.len() == typed.len() {
        probes.push(Probe::IdTail(digits.clone()));
        probes.push(Probe::PhoneTail(digits));
    } else if id.len() >= 4 && id.ends_with('X') && id[..id.len() - 1].bytes().all(|b| b.is_ascii_digit()) {
        probes.push(Probe::IdTail(id));
    } else if !typed.is_empty() && typed.bytes().all(|b| b.is_ascii_alphabetic()) {
        probes.push(Probe::Pinyin(typed.to_ascii_lowercase()));
    }
    SearchQuery { probes, filters: Filters::default(), notice: None }
}

/// What a lookup searched for, in the clerk's words (a full ID masked).
fn searched(probes: &[Probe]) -> String {
    let what: Vec<String> = probes
        .iter()
        .filter_map(|p| match p {
            Probe::IdExact(id) => Some(say::searched("证件号", &crate::domain::mask::id_number(id))),
            Probe::IdTail(t) => Some(say::searched("证件尾号", t)),
            Probe::PhoneExact(n) => Some(say::searched("电话", &crate::domain::mask::phone(n))),
            Probe::PhoneTail(t) => Some(say::searched("电话尾号", t)),
            Probe::Name(n) => Some(say::searched("姓名", n)),
            Probe::Pinyin(p) => Some(say::searched("拼音首字母", p)),
            _ => None,
        })
        .collect();
    say::not_found(&what.join("、"))
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
        w.push(say::same_matter_open(&c.number, c.status.label()));
    } else if !open.is_empty() {
        w.push(say::open_cases(open.len()));
    }
    if cases.iter().any(|(c, _)| matches!(c.status, CaseStatus::Replied | CaseStatus::UnderReview)) {
        w.push(say::IN_REVIEW_WINDOW.into());
    }
    if cases.iter().any(|(c, _)| matches!(c.status, CaseStatus::ReviewReplied | CaseStatus::UnderRecheck)) {
        w.push(say::IN_RECHECK_WINDOW.into());
    }
    if cases.iter().any(|(c, _)| c.status == CaseStatus::Concluded) {
        w.push(say::CONCLUDED_BEFORE.into());
    }
    if !p.key_person.is_empty() {
        w.push(say::key_person(&p.key_person.join("、")));
    }
    let warned_threat = p.warnings.iter().any(|x| x.kind == crate::domain::warning::WarningKind::Threat);
    if p.threat_history && !warned_threat {
        w.push(say::THREAT_HISTORY.into());
    }
    w.extend(p.warnings.iter().map(|x| say::warning(x.kind.label(), &x.reason)));
    w
}
