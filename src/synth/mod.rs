//! Deterministic synthetic data for scale tests (`xfdesk gen`): realistic
//! Chinese names (compound and polyphonic surnames included), valid resident
//! IDs with real area codes, phones, five years of cases with a realistic
//! category mix and 50-800 character complaints, repeat petitioners (some
//! with 30+ cases), group visits and key persons.
//!
//! The same seed and sizes give the same data: the generator draws from one
//! seeded RNG and produces batches in a fixed order.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::deadline;
use crate::domain::id_card::{self, Sex};
use crate::domain::lifecycle::{AssignmentKind, Satisfaction};
use crate::domain::phone::PhoneKind;
use crate::domain::{
    Case, CaseEvent, CaseFlags, CaseStatus, ExternalRef, IdType, KeyPersonKind, Petitioner, PetitionerPhone,
    PhoneOwner, RepeatKind, numbering,
};
use crate::store::bulk::Batch;
use crate::store::reference::ReferenceData;

/// Rows per batch (one transaction each) unless the caller says otherwise.
pub const BATCH: usize = 20_000;
/// Share of petitioners who come back again and again, and their share of all cases.
const HEAVY_SHARE: f64 = 0.01;
const HEAVY_CASES: f64 = 0.12;
/// Share of cases that are group visits.
const GROUP_SHARE: f64 = 0.02;
const YEARS: u64 = 5;

mod vocabulary;
use vocabulary::*;

/// ID numbers and case-number series already used in the database.
#[derive(Debug, Clone, Default)]
pub struct Taken {
    pub id_numbers: HashSet<String>,
    /// Series key → last sequence number.
    pub series: HashMap<String, u32>,
}

pub struct GenOptions {
    pub petitioners: usize,
    pub cases: usize,
    pub seed: u64,
    pub number_prefix: String,
    /// The newest case is registered just before this moment.
    pub end: NaiveDateTime,
    /// Rows per batch (one transaction each).
    pub batch: usize,
}

pub struct Generator<'r> {
    opts: GenOptions,
    refs: &'r ReferenceData,
    rng: fastrand::Rng,
    first_pid: i64,
    first_cid: i64,
    petitioners_done: usize,
    cases_done: usize,
    used_ids: HashSet<String>,
    last_case_of: Vec<Option<i64>>,
    series: HashMap<String, u32>,
    topic_weights: u32,
    surname_weights: u32,
    paths: HashMap<CaseStatus, Vec<CaseStatus>>,
}

impl<'r> Generator<'r> {
    /// What the database already holds, so generated rows never clash with it.
    pub fn new(opts: GenOptions, refs: &'r ReferenceData, first_pid: i64, first_cid: i64, taken: Taken) -> Self {
        let rng = fastrand::Rng::with_seed(opts.seed);
        let n = opts.petitioners;
        Generator {
            opts,
            refs,
            rng,
            first_pid,
            first_cid,
            petitioners_done: 0,
            cases_done: 0,
            used_ids: taken.id_numbers,
            last_case_of: vec![None; n],
            series: taken.series,
            topic_weights: TOPICS.iter().map(|t| t.weight).sum(),
            surname_weights: SURNAMES.iter().map(|s| s.1).sum(),
            paths: CaseStatus::ALL.iter().map(|s| (*s, s.path_from_registered())).collect(),
        }
    }

    /// Petitioners and cases produced so far.
    pub fn produced(&self) -> (usize, usize) {
        (self.petitioners_done, self.cases_done)
    }

    /// The next batch: all petitioners first, then the cases in date order.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        if self.petitioners_done < self.opts.petitioners {
            let end = (self.petitioners_done + self.opts.batch.max(1)).min(self.opts.petitioners);
            for i in self.petitioners_done..end {
                let p = self.petitioner(i);
                let at = self.start();
                batch.petitioners.push((self.first_pid + i as i64, p, at));
            }
            self.petitioners_done = end;
            return Some(batch);
        }
        if self.cases_done < self.opts.cases && self.opts.petitioners > 0 {
            let end = (self.cases_done + self.opts.batch.max(1)).min(self.opts.cases);
            for k in self.cases_done..end {
                let (id, case, trail) = self.case(k);
                if let Some((e, kind)) = trail.iter().find_map(|e| Some((e, AssignmentKind::from_label(&e.action)?))) {
                    batch.assignments.push((id, kind.code(), self.unit_for(&case), e.at));
                }
                batch.clocks.extend(deadline::met_clocks(&trail).into_iter().map(|c| (id, c)));
                if let Some(done) = trail.iter().find(|e| e.action == "答复" || e.action == "办结")
                    && self.rng.u8(..10) < 7
                {
                    let bureau = self.rating();
                    let unit = self.rating();
                    batch.evaluations.push((id, bureau, unit, (done.at + Days::new(3)).min(self.opts.end)));
                }
                batch.cases.push((id, case, trail));
            }
            self.cases_done = end;
            return Some(batch);
        }
        None
    }

    /// Hand every batch to `write`, in order, while the next one is made on
    /// a thread of its own (making the rows is about a third of a load's
    /// time, which the writer need not wait for). `write` also gets what
    /// [`Generator::produced`] says as of that batch. Its first error stops
    /// both and is returned.
    pub fn each_batch<E>(mut self, mut write: impl FnMut(&Batch, (usize, usize)) -> Result<(), E>) -> Result<(), E> {
        std::thread::scope(|scope| {
            // One batch made ahead: a 20 000-case batch is ~100 MB in memory.
            let (ready, batches) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || {
                while let Some(batch) = self.next_batch() {
                    if ready.send((batch, self.produced())).is_err() {
                        break; // the writer stopped
                    }
                }
            });
            batches.into_iter().try_for_each(|(batch, produced)| write(&batch, produced))
        })
    }

    /// A follow-up's 满意度: mostly satisfied.
    fn rating(&mut self) -> Satisfaction {
        match self.rng.u8(..100) {
            0..75 => Satisfaction::Satisfied,
            75..90 => Satisfaction::Basic,
            _ => Satisfaction::Unsatisfied,
        }
    }

    fn start(&self) -> NaiveDateTime {
        self.opts.end - Days::new(365 * YEARS)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn name(&mut self) -> String {
        let mut roll = self.rng.u32(..self.surname_weights);
        let mut surname = SURNAMES[0].0;
        for (s, w) in SURNAMES {
            if roll < *w {
                surname = s;
                break;
            }
            roll -= w;
        }
        let given_len = if self.rng.u8(..10) < 3 { 1 } else { 2 };
        let mut name = surname.to_string();
        for _ in 0..given_len {
            let g = *self.pick(GIVEN);
            name.push_str(g);
        }
        name
    }

    fn resident_id(&mut self, sex: Sex) -> (String, NaiveDate) {
        loop {
            let area = *self.pick(AREAS);
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + Days::new(self.rng.u64(..23_000));
            let seq = self.rng.u32(..500) * 2 + u32::from(sex == Sex::Male);
            let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", id_card::check_char(&first17).expect("17 digits"));
            if self.used_ids.insert(id.clone()) {
                return (id, birth);
            }
        }
    }

    fn mobile(&mut self) -> String {
        let second = self.pick(&['3', '5', '7', '8', '9']);
        format!("1{second}{:09}", self.rng.u32(..1_000_000_000))
    }

    fn petitioner(&mut self, i: usize) -> Petitioner {
        let sex = if self.rng.bool() { Sex::Male } else { Sex::Female };
        let (id_number, birth) = self.resident_id(sex);
        let mut phones = vec![PetitionerPhone {
            number: self.mobile(),
            kind: PhoneKind::Mobile,
            owner: PhoneOwner::Own,
            note: String::new(),
        }];
        if self.rng.u8(..5) == 0 {
            let note = (*self.pick(&["儿子", "女儿", "配偶", "兄弟"])).to_string();
            phones.push(PetitionerPhone {
                number: self.mobile(),
                kind: PhoneKind::Mobile,
                owner: PhoneOwner::Relative,
                note,
            });
        }
        let street = self.pick(&self.refs.streets).clone();
        let heavy = self.is_heavy(i);
        let key_person = if (heavy && self.rng.u8(..10) < 3) || self.rng.u16(..200) == 0 {
            vec![*self.pick(KeyPersonKind::ALL)]
        } else {
            Vec::new()
        };
        Petitioner {
            id: None,
            name: self.name(),
            id_type: Some(IdType::ResidentId),
            id_number: Some(id_number),
            id_override_reason: None,
            sex: Some(sex),
            birth_date: Some(birth),
            phones,
            address: format!("{}{}{}号", street.name, self.pick(ROADS), self.rng.u32(1..300)),
            street_code: Some(street.code),
            workplace: String::new(),
            key_person,
        }
    }

    fn heavy_count(&self) -> usize {
        ((self.opts.petitioners as f64 * HEAVY_SHARE) as usize).max(1)
    }

    fn is_heavy(&self, i: usize) -> bool {
        i < self.heavy_count()
    }

    fn case_petitioner(&mut self) -> usize {
        if self.rng.f64() < HEAVY_CASES {
            self.rng.usize(..self.heavy_count())
        } else {
            self.rng.usize(..self.opts.petitioners)
        }
    }

    fn topic(&mut self) -> &'static Topic {
        let mut roll = self.rng.u32(..self.topic_weights);
        for t in TOPICS {
            if roll < t.weight {
                return t;
            }
            roll -= t.weight;
        }
        &TOPICS[0]
    }

    fn fill(&mut self, template: &str, place: &str) -> String {
        let year = (self.opts.end.date().format("%Y").to_string().parse::<u32>().unwrap_or(2026)) - self.rng.u32(1..25);
        template
            .replace("{year}", &year.to_string())
            .replace("{n}", &self.rng.u32(3..300).to_string())
            .replace("{money}", &(self.rng.u32(1..500) * 1000).to_string())
            .replace("{place}", place)
    }

    fn content(&mut self, topic: &Topic, place: &str, target: usize) -> String {
        let mut text = String::new();
        let mut chars = 0;
        let mut facts: Vec<&str> = topic.facts.to_vec();
        self.rng.shuffle(&mut facts);
        let mut pool = facts.into_iter();
        while chars < target {
            let sentence = match pool.next() {
                Some(f) => self.fill(f, place),
                None => (*self.pick(FILLERS)).to_string(),
            };
            chars += sentence.chars().count();
            text.push_str(&sentence);
        }
        if chars > target + 20 || chars > 800 {
            // Cut on a character, end the sentence.
            text = text.chars().take(target.min(799)).collect();
            text.push('。');
        }
        text
    }

    /// The unit a case goes to: the district body it names, else its street's office.
    fn unit_for(&self, case: &Case) -> String {
        if self.refs.units.iter().any(|u| u.name == case.respondent) {
            return case.respondent.clone();
        }
        let street = case.problem_street_code.as_deref().and_then(|c| self.refs.street(c));
        match street {
            Some(s) if s.name.ends_with('镇') => format!("{}人民政府", s.name),
            Some(s) => format!("{}办事处", s.name),
            None => "区信访联席办".into(),
        }
    }

    fn status_for(&mut self, age_days: u64) -> CaseStatus {
        use CaseStatus::*;
        let r = self.rng.u8(..100);
        let table: &[(u8, CaseStatus)] = match age_days {
            0..15 => &[(30, Registered), (60, Assigned), (80, Forwarded), (90, Accepted), (100, Closed)],
            15..90 => &[(35, InProgress), (55, Accepted), (70, Assigned), (80, Extended), (90, Replied), (100, Closed)],
            90..365 => &[
                (45, Closed),
                (60, Replied),
                (65, UnderReview),
                (70, ReviewReplied),
                (80, InProgress),
                (85, Extended),
                (95, Informed),
                (100, ChannelledToLegal),
            ],
            // A year on, every case has ended one way or another.
            _ => &[
                (72, Closed),
                (82, Concluded),
                (89, Informed),
                (94, ChannelledToLegal),
                (97, NotAccepted),
                (100, NoLongerAccepted),
            ],
        };
        table.iter().find(|(limit, _)| r < *limit).map_or(Closed, |(_, s)| *s)
    }

    fn case(&mut self, k: usize) -> (i64, Case, Vec<CaseEvent>) {
        let id = self.first_cid + k as i64;
        let span_secs = (365 * YEARS * 86_400) as f64;
        let offset = span_secs * (k as f64 + self.rng.f64()) / self.opts.cases as f64;
        let drawn_day = (self.start() + chrono::Duration::seconds(offset as i64)).date();
        let time = NaiveTime::from_hms_opt(8 + self.rng.u32(..9), self.rng.u32(..60), self.rng.u32(..60)).unwrap();
        let mut registered_at = drawn_day.and_time(time);
        if registered_at > self.opts.end {
            // Today's cases: earlier today, never in the future.
            registered_at = self.opts.end - chrono::Duration::seconds(self.rng.i64(60..4 * 3600));
        }
        let day = registered_at.date();
        let age = (self.opts.end.date() - day).num_days().max(0) as u64;

        let topic = self.topic();
        let rep = self.case_petitioner();
        let group = self.rng.f64() < GROUP_SHARE;
        let mut petitioner_ids = vec![self.first_pid + rep as i64];
        let people_count = if group {
            for _ in 0..self.rng.usize(1..5) {
                let other = self.first_pid + self.rng.usize(..self.opts.petitioners) as i64;
                if !petitioner_ids.contains(&other) {
                    petitioner_ids.push(other);
                }
            }
            self.rng.u32(5..80)
        } else {
            1
        };
        let linked = self.last_case_of[rep];
        self.last_case_of[rep] = Some(id);

        let form = if self.rng.u8(..10) < 6 { "LF" } else { *self.pick(&["LX", "WX", "WX", "LD", "YJ"]) };
        let letter = self.refs.form(form).map_or('X', |f| f.letter);
        let series = numbering::series_key(&self.opts.number_prefix, day, letter);
        let seq = self.series.entry(series).and_modify(|s| *s += 1).or_insert(1);
        let number = numbering::format(&self.opts.number_prefix, day, letter, *seq);

        let street = self.pick(&self.refs.streets).clone();
        let place = format!("{}{}", street.name, self.pick(ROADS));
        let target = self.rng.usize(50..=800);
        let content = self.content(topic, &place, target);
        let purpose = self.refs.purpose_by_name(topic.purpose).cloned();
        let status = self.status_for(age);
        let clerk = (*self.pick(CLERKS)).to_string();
        let flags = CaseFlags {
            litigation: topic.category == "涉法涉诉",
            skip_level: self.rng.u8(..100) < 3,
            joint: group && self.rng.bool(),
            anonymous: false,
            threat: self.rng.u16(..1000) < 8,
            urgent: group && self.rng.u8(..10) == 0,
            confidential: topic.purpose == "检举控告" && self.rng.bool(),
        };
        let external_refs = if self.rng.u8(..20) == 0 {
            vec![ExternalRef {
                system: "市信访局".into(),
                number: format!("JZXF{}{:06}", day.format("%Y"), id % 1_000_000),
            }]
        } else {
            Vec::new()
        };
        let case = Case {
            id: Some(id),
            number,
            registered_at,
            clerk: clerk.clone(),
            window: format!("{}号窗口", self.rng.u8(1..4)),
            form_code: form.into(),
            source: if form == "LF" { "群众来访".into() } else { "网上信访平台".into() },
            people_count,
            involved_count: group.then_some(people_count),
            category_code: self.refs.category_by_name(topic.category).map(|c| c.code.clone()),
            purpose_code: purpose.as_ref().map(|p| p.code.clone()),
            class: purpose.map_or(crate::domain::CaseClass::Other, |p| p.class),
            problem_street_code: Some(street.code),
            problem_address: place,
            title: (*self.pick(topic.titles)).to_string(),
            content,
            demands: (*self.pick(topic.demands)).to_string(),
            respondent: (*self.pick(topic.respondents)).to_string(),
            flags,
            repeat_kind: if linked.is_some() { RepeatKind::Repeat } else { RepeatKind::First },
            linked_case_id: linked,
            status,
            external_refs,
            petitioner_ids,
        };
        let trail = self.trail(&case, age);
        (id, case, trail)
    }

    fn trail(&mut self, case: &Case, age: u64) -> Vec<CaseEvent> {
        let path = &self.paths[&case.status];
        let step = (age / (path.len() as u64 + 1)).clamp(1, 20);
        let mut at = case.registered_at;
        let mut events = vec![CaseEvent::registration(case, 0, at)];
        let mut from = CaseStatus::Registered;
        for to in path {
            // Most steps are taken in time, some late (the relay clock is 15 days).
            at = (at + Days::new(self.rng.u64(1..=step))).min(self.opts.end);
            events.push(
                CaseEvent::new(0, at, &case.clerk, to.entry_action(), "")
                    .changing(Some(from.label()), Some(to.label())),
            );
            from = *to;
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> ReferenceData {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        ReferenceData::load(store.conn()).unwrap()
    }

    fn opts(seed: u64) -> GenOptions {
        GenOptions {
            petitioners: 300,
            cases: 1000,
            seed,
            number_prefix: "410803".into(),
            end: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap(),
            batch: BATCH,
        }
    }

    fn all(seed: u64, refs: &ReferenceData) -> (Vec<Petitioner>, Vec<Case>) {
        let mut g = Generator::new(opts(seed), refs, 1, 1, Taken::default());
        let (mut ps, mut cs) = (Vec::new(), Vec::new());
        while let Some(b) = g.next_batch() {
            ps.extend(b.petitioners.into_iter().map(|(_, p, _)| p));
            cs.extend(b.cases.into_iter().map(|(_, c, _)| c));
        }
        (ps, cs)
    }

    #[test]
    fn same_seed_same_data_and_every_id_valid() {
        let refs = refs();
        let (p1, c1) = all(7, &refs);
        let (p2, c2) = all(7, &refs);
        assert_eq!(p1, p2);
        assert_eq!(c1, c2);
        let (p3, _) = all(8, &refs);
        assert_ne!(p1, p3);
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for p in &p1 {
            let id = p.id_number.as_deref().unwrap();
            assert!(id_card::validate(id, today).is_ok(), "{id}");
        }
        let unique: HashSet<_> = p1.iter().map(|p| p.id_number.clone()).collect();
        assert_eq!(unique.len(), p1.len());
    }

    #[test]
    fn cases_are_realistic() {
        let refs = refs();
        let (_, cases) = all(1, &refs);
        assert_eq!(cases.len(), 1000);
        assert!(cases.iter().all(|c| (50..=800).contains(&c.content.chars().count())), "50-800 characters");
        assert!(cases.iter().any(|c| c.is_group_visit()));
        assert!(cases.iter().any(|c| c.repeat_kind == RepeatKind::Repeat && c.linked_case_id.is_some()));
        assert!(cases.windows(2).all(|w| w[0].registered_at.date() <= w[1].registered_at.date()));
        let numbers: HashSet<_> = cases.iter().map(|c| c.number.clone()).collect();
        assert_eq!(numbers.len(), cases.len(), "case numbers unique");
        let mut per_person: HashMap<i64, usize> = HashMap::new();
        for c in &cases {
            *per_person.entry(c.petitioner_ids[0]).or_default() += 1;
        }
        assert!(per_person.values().any(|n| *n >= 30), "some petitioners come back 30+ times");
    }
}
