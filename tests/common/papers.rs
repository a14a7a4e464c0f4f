//! What the papers' tests share: the desk's settings, issuing at a given
//! instant, reading a DOCX back, demo cases in a given state.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use xfdesk::domain::calendar::HolidayCalendar;
use xfdesk::domain::lifecycle::Action;
use xfdesk::domain::reminder::ReminderRules;
use xfdesk::papers::template::Templates;
use xfdesk::papers::{self, Desk, PaperError, Settings};
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{Store, cases, lifecycle};

use super::*;

pub fn settings(templates: Option<PathBuf>) -> Settings {
    Settings {
        office: "中站区信访局".into(),
        phone: "0391-2345678".into(),
        prefixes: Default::default(),
        templates: Templates::new(templates),
    }
}

/// What issuing reads from the store, loaded once per test.
pub struct Parts {
    pub refs: ReferenceData,
    pub cal: HolidayCalendar,
    pub rules: ReminderRules,
    pub settings: Settings,
}

impl Parts {
    pub fn of(store: &Store, templates: Option<PathBuf>) -> Parts {
        Parts {
            refs: ReferenceData::load(store.conn()).unwrap(),
            cal: xfdesk::store::calendar::load(store.conn()).unwrap(),
            rules: ReminderRules::default(),
            settings: settings(templates),
        }
    }

    pub fn desk(&self) -> Desk<'_> {
        Desk { refs: &self.refs, calendar: &self.cal, rules: &self.rules, settings: &self.settings }
    }
}

pub fn issue_at(
    store: &mut Store,
    p: &Parts,
    case: i64,
    kind: xfdesk::domain::document::DocumentKind,
    at: NaiveDateTime,
) -> Result<papers::Written, PaperError> {
    papers::issue(store, &p.desk(), case, kind, None, at)
}

/// The text of a DOCX's `word/document.xml`, tags dropped.
pub fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

pub fn case_in(store: &Store, status: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM cases WHERE status = ?1 ORDER BY id LIMIT 1", [status], |r| r.get(0))
        .unwrap_or_else(|_| panic!("the demo has a {status} case"))
}

pub fn fresh_case(store: &mut Store, i: usize) -> i64 {
    let id = valid_id(&format!("4108031962{:02}15{:03}", i % 12 + 1, i));
    let mut p = petitioner("赵桂英", &id);
    p.address = "朝阳路8号院3单元201".into();
    cases::register(store, &registration(p, "物业费上调")).unwrap().case_id
}

pub fn act(store: &mut Store, case: i64, action: Action) {
    let cal = xfdesk::domain::calendar::builtin();
    lifecycle::apply(store, case, &action, "周敏", now(), &cal).unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

pub fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Three calls in a row that did not get through: the ladder proposes 书面督办.
pub fn failed_calls(store: &mut Store, case: i64, unit: &str) {
    for hour in [9, 10, 11] {
        let call = xfdesk::store::reminders::NewReminder {
            case_id: case,
            unit: unit.into(),
            at: now().date().and_hms_opt(hour, 0, 0).unwrap(),
            caller: "周敏".into(),
            method: xfdesk::domain::reminder::Method::Phone,
            contact: "刘建国".into(),
            contact_post: "科长".into(),
            phone: "0391-3921001".into(),
            result: xfdesk::domain::reminder::CallResult::NoAnswer,
            asked: "办理进度".into(),
            answer: String::new(),
            committed: None,
            next: None,
            escalation: xfdesk::domain::reminder::Escalation::None,
            note: String::new(),
        };
        xfdesk::store::reminders::log(store, &call, "0391").unwrap();
    }
}

/// The ID number of the case's representative, as stored.
pub fn first_id_number(store: &Store, case: i64) -> String {
    store
        .conn()
        .query_row(
            "SELECT p.id_number FROM petitioners p JOIN case_petitioners cp ON cp.petitioner_id = p.id
             WHERE cp.case_id = ?1 AND cp.seq = 1",
            [case],
            |r| r.get(0),
        )
        .unwrap()
}
