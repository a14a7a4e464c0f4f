//! 事项详情: one case on one screen, its actions (each a small form) and the
//! recorded reveals of restricted content and full identity numbers.

use chrono::{NaiveDate, NaiveDateTime};
use tui_input::Input;

use super::choice::Opt;
pub use super::fields::{FieldForm, FieldKind, FormField};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::lifecycle::{Action, ActionKind, LEGAL_ROUTES, NO_LONGER_ACCEPTED_REASONS, Outcome, Satisfaction};
use crate::domain::triage::NOT_ACCEPTED_REASONS;
use crate::store::dossier::{self, Dossier};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError, cases, lifecycle};

/// The small form an action opens.
#[derive(Debug, Clone)]
pub struct ActionForm {
    pub kind: ActionKind,
    pub form: FieldForm,
}

fn keyed(labels: &[&str]) -> Vec<Opt> {
    labels.iter().map(|l| Opt::keyed(l, l)).collect()
}

impl ActionForm {
    pub fn new(kind: ActionKind, today: NaiveDate, default_assign_due: NaiveDate, refs: &ReferenceData) -> ActionForm {
        use FieldKind::*;
        let day = today.to_string();
        let units: Vec<Opt> =
            refs.units.iter().map(|u| Opt { initials: u.initials.clone(), ..Opt::keyed(&u.name, &u.name) }).collect();
        let outcomes = keyed(&Outcome::ALL.map(Outcome::label));
        let satisfaction = keyed(&Satisfaction::ALL.map(Satisfaction::label));
        let fields = match kind {
            ActionKind::Forward => vec![FormField::choice("转送单位", units)],
            ActionKind::Assign => vec![
                FormField::choice("交办单位", units),
                FormField::new("指定期限", Date, &default_assign_due.to_string(), false),
            ],
            ActionKind::Objection => vec![FormField::new("异议理由", Text, "", true)],
            ActionKind::Accept => vec![FormField::new("受理告知日期", Date, &day, true)],
            ActionKind::NotAccept => vec![FormField::choice("不予受理理由", keyed(NOT_ACCEPTED_REASONS))],
            ActionKind::NoLongerAccept => vec![FormField::choice("不再受理理由", keyed(NO_LONGER_ACCEPTED_REASONS))],
            ActionKind::Inform => vec![FormField::new("告知内容", Text, "", true)],
            ActionKind::ChannelToLegal => vec![FormField::choice("导入程序", keyed(LEGAL_ROUTES))],
            ActionKind::Extend => vec![
                FormField::new("延期天数", Number, "30", true),
                FormField::new("批准人", Text, "", true),
                FormField::new("告知信访人日期", Date, &day, true),
            ],
            ActionKind::Reply | ActionKind::ReviewOpinion | ActionKind::RecheckOpinion => {
                vec![FormField::choice("结果", outcomes), FormField::new("日期", Date, &day, true)]
            }
            ActionKind::RequestReview | ActionKind::RequestRecheck => {
                vec![FormField::new("申请日期", Date, &day, true)]
            }
            ActionKind::Close => vec![FormField::new("办结说明", Text, "", false)],
            ActionKind::FollowUp => vec![
                FormField::choice("对信访部门", satisfaction.clone()),
                FormField::choice("对责任单位", satisfaction),
                FormField::new("回访情况", Text, "", false),
            ],
        };
        ActionForm { kind, form: FieldForm::new(kind.label(), fields) }
    }

    /// Read the fields into an action, or say which one is wrong.
    pub fn action(&self) -> Result<Action, String> {
        let f = &self.form;
        let v = |i: usize| f.value(i);
        if let Some(missing) = f.missing() {
            return Err(missing);
        }
        let date = |i: usize| -> Result<NaiveDate, String> {
            f.date(i)?.ok_or_else(|| format!("请填写{}", f.fields[i].label))
        };
        let outcome = |i: usize| Outcome::from_label(&v(i)).ok_or_else(|| "请选择结果".to_string());
        let sat = |i: usize| Satisfaction::from_label(&v(i)).ok_or_else(|| "请选择满意度".to_string());
        Ok(match self.kind {
            ActionKind::Forward => Action::Forward { unit: v(0) },
            ActionKind::Assign => Action::Assign { unit: v(0), due: f.date(1)? },
            ActionKind::Objection => Action::Objection { reason: v(0) },
            ActionKind::Accept => Action::Accept { on: date(0)? },
            ActionKind::NotAccept => Action::NotAccept { reason: v(0) },
            ActionKind::NoLongerAccept => Action::NoLongerAccept { reason: v(0) },
            ActionKind::Inform => Action::Inform { note: v(0) },
            ActionKind::ChannelToLegal => Action::ChannelToLegal { route: v(0) },
            ActionKind::Extend => Action::Extend {
                days: v(0).parse().map_err(|_| "延期天数应为数字".to_string())?,
                approved_by: v(1),
                notified_on: date(2)?,
            },
            ActionKind::Reply => Action::Reply { outcome: outcome(0)?, on: date(1)? },
            ActionKind::ReviewOpinion => Action::ReviewOpinion { outcome: outcome(0)?, on: date(1)? },
            ActionKind::RecheckOpinion => Action::RecheckOpinion { outcome: outcome(0)?, on: date(1)? },
            ActionKind::RequestReview => Action::RequestReview { on: date(0)? },
            ActionKind::RequestRecheck => Action::RequestRecheck { on: date(0)? },
            ActionKind::Close => Action::Close { note: v(0) },
            ActionKind::FollowUp => Action::FollowUp { bureau: sat(0)?, unit: sat(1)?, note: v(2) },
        })
    }
}

/// What a reveal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    /// The content of a 检举控告 or 保密 case.
    Content,
    /// One petitioner's full name, ID number and phones (by their place in the case).
    Identity(usize),
}

impl Reveal {
    pub fn label(self) -> &'static str {
        match self {
            Reveal::Content => "查看保密内容",
            Reveal::Identity(_) => "查看完整证件号码和电话",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RevealPrompt {
    pub what: Reveal,
    pub reason: Input,
}

pub struct Detail {
    pub case_id: i64,
    pub dossier: Dossier,
    /// First line of the timeline shown.
    pub scroll: usize,
    pub form: Option<ActionForm>,
    pub reveal: Option<RevealPrompt>,
    pub content_revealed: bool,
    /// Petitioners (by place in the case) whose identity was revealed.
    pub identity_revealed: Vec<usize>,
    pub message: Option<(String, bool)>,
    /// The case's and its representative's early warnings (set by the app).
    pub warnings: Vec<crate::domain::warning::Warning>,
}

impl Detail {
    pub fn open(
        store: &Store,
        case_id: i64,
        refs: &ReferenceData,
        cal: &HolidayCalendar,
    ) -> Result<Option<Detail>, StoreError> {
        Ok(dossier::load(store.conn(), case_id, refs, cal)?.map(|dossier| Detail {
            case_id,
            dossier,
            scroll: 0,
            form: None,
            reveal: None,
            content_revealed: false,
            warnings: Vec::new(),
            identity_revealed: Vec::new(),
            message: None,
        }))
    }

    fn reload(&mut self, store: &Store, refs: &ReferenceData, cal: &HolidayCalendar) -> Result<(), StoreError> {
        if let Some(d) = dossier::load(store.conn(), self.case_id, refs, cal)? {
            self.dossier = d;
        }
        Ok(())
    }

    pub fn has_popup(&self) -> bool {
        self.form.is_some() || self.reveal.is_some()
    }

    /// An action key: open its form, or say why it cannot be taken now.
    pub fn start(&mut self, kind: ActionKind, today: NaiveDate, assign_due: NaiveDate, refs: &ReferenceData) {
        let status = self.dossier.case.status;
        if !kind.is_allowed(status) {
            self.message = Some((format!("事项状态为「{}」，不能{}", status.label(), kind.label()), true));
            return;
        }
        self.form = Some(ActionForm::new(kind, today, assign_due, refs));
        self.message = None;
    }

    /// Submit the open form: one transaction; on refusal the form stays open with the reason.
    pub fn submit(
        &mut self,
        store: &mut Store,
        actor: &str,
        now: NaiveDateTime,
        refs: &ReferenceData,
        cal: &HolidayCalendar,
    ) -> Result<(), StoreError> {
        let Some(form) = &mut self.form else { return Ok(()) };
        let action = match form.action() {
            Ok(a) => a,
            Err(e) => {
                form.form.error = Some(e);
                return Ok(());
            }
        };
        match lifecycle::apply(store, self.case_id, &action, actor, now, cal) {
            Ok(()) => {
                self.message = Some((format!("已{}", action.kind().label()), false));
                self.form = None;
                self.scroll = 0;
                self.reload(store, refs, cal)
            }
            Err(StoreError::Invalid(why)) => {
                form.form.error = Some(why);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    pub fn ask_reveal(&mut self, what: Reveal) {
        let needed = match what {
            Reveal::Content => self.dossier.case.content_is_restricted() && !self.content_revealed,
            Reveal::Identity(i) => i < self.dossier.petitioners.len() && !self.identity_revealed.contains(&i),
        };
        if needed {
            self.reveal = Some(RevealPrompt { what, reason: Input::default() });
        }
    }

    /// `m`: the next petitioner whose identity is still masked, one at a time.
    pub fn ask_next_identity(&mut self) {
        match (0..self.dossier.petitioners.len()).find(|i| !self.identity_revealed.contains(i)) {
            Some(i) => self.ask_reveal(Reveal::Identity(i)),
            None => self.message = Some(("信访人的证件号码和电话均已显示".into(), false)),
        }
    }

    /// Whose identity a prompt is about, masked, for the prompt and the trail.
    pub fn reveal_subject(&self, what: Reveal) -> String {
        match what {
            Reveal::Content => String::new(),
            Reveal::Identity(i) => {
                self.dossier.petitioners.get(i).map(|p| crate::domain::mask::name(&p.name)).unwrap_or_default()
            }
        }
    }

    /// Record the reveal with its reason in the trail, then show.
    pub fn confirm_reveal(
        &mut self,
        store: &mut Store,
        actor: &str,
        now: NaiveDateTime,
        refs: &ReferenceData,
        cal: &HolidayCalendar,
    ) -> Result<(), StoreError> {
        let Some(p) = &self.reveal else { return Ok(()) };
        let reason = p.reason.value().trim().to_string();
        if reason.is_empty() {
            self.message = Some(("请说明查看理由（将记入办理记录）".into(), true));
            return Ok(());
        }
        let what = p.what;
        let subject = self.reveal_subject(what);
        let note = if subject.is_empty() { reason } else { format!("{subject}：{reason}") };
        cases::record(store, self.case_id, what.label(), &note, actor, now)?;
        match what {
            Reveal::Content => self.content_revealed = true,
            Reveal::Identity(i) => self.identity_revealed.push(i),
        }
        self.reveal = None;
        self.message = Some((format!("{}：已记入办理记录", what.label()), false));
        self.reload(store, refs, cal)
    }

    /// Keys inside the open form or prompt (Enter is the caller's: it writes).
    pub fn popup_key(&mut self, action: super::Action) {
        use super::Action::*;
        match (action, self.form.as_mut().map(|f| &mut f.form)) {
            (Back, _) => {
                self.form = None;
                self.reveal = None;
            }
            (other, Some(f)) => f.navigate(other),
            _ => {}
        }
    }

    pub fn scroll_by(&mut self, step: isize) {
        let max = self.dossier.events.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(step).min(max);
    }
}
