//! The small form a case action (转送, 受理, 答复 …) opens over the detail pane.

use chrono::NaiveDate;

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind, Opt};
use crate::app::strings::detail as say;
use crate::domain::lifecycle::{Action, ActionKind, LEGAL_ROUTES, NO_LONGER_ACCEPTED_REASONS, Outcome, Satisfaction};
use crate::domain::triage::NOT_ACCEPTED_REASONS;
use crate::store::lifecycle;

use super::approval::{ApprovalForm, Purpose};

/// The fields a case action can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Unit,
    Due,
    Reason,
    On,
    Note,
    Route,
    Days,
    NotifiedOn,
    Outcome,
    Served,
    Bureau,
    UnitRating,
    Resolved,
}

#[derive(Debug, Clone)]
pub struct CaseAction {
    pub case_id: i64,
    pub kind: ActionKind,
    pub form: Form<F>,
}

/// 息诉罢访: whether the problem itself was resolved (化解) or the petitioner
/// only stopped.
const RESOLVED: [&str; 2] = ["已化解", "未完全化解"];

fn keyed(labels: &[&str]) -> Vec<Opt> {
    labels.iter().map(|l| Opt::keyed(l, l)).collect()
}

impl CaseAction {
    pub fn new(
        case_id: i64,
        kind: ActionKind,
        today: NaiveDate,
        default_assign_due: NaiveDate,
        refs: &crate::store::reference::ReferenceData,
    ) -> CaseAction {
        use Kind::*;
        let day = today.to_string();
        let units: Vec<Opt> =
            refs.units.iter().map(|u| Opt { initials: u.initials.clone(), ..Opt::keyed(&u.name, &u.name) }).collect();
        let outcomes = keyed(&Outcome::ALL.iter().map(|o| o.label()).collect::<Vec<_>>());
        let satisfaction = keyed(&Satisfaction::ALL.iter().map(|s| s.label()).collect::<Vec<_>>());
        let fields = match kind {
            // The unit's 签收 day starts its clocks (empty: the day sent).
            ActionKind::Forward => {
                vec![Field::choice(F::Unit, "转送单位", units), Field::new(F::Served, "签收日期", Date, "")]
            }
            ActionKind::Assign => vec![
                Field::choice(F::Unit, "交办单位", units),
                Field::new(F::Due, "指定期限", Date, &default_assign_due.to_string()),
                Field::new(F::Served, "签收日期", Date, ""),
            ],
            ActionKind::Objection => vec![Field::new(F::Reason, "异议理由", Text, "").required()],
            ActionKind::Accept => vec![Field::new(F::On, "受理告知日期", Date, &day).required()],
            ActionKind::NotAccept => vec![Field::choice(F::Reason, "不予受理理由", keyed(NOT_ACCEPTED_REASONS))],
            ActionKind::NoLongerAccept => {
                vec![Field::choice(F::Reason, "不再受理理由", keyed(NO_LONGER_ACCEPTED_REASONS))]
            }
            ActionKind::Inform => vec![Field::new(F::Note, "告知内容", Text, "").required()],
            ActionKind::ChannelToLegal => vec![Field::choice(F::Route, "导入程序", keyed(LEGAL_ROUTES))],
            // The approver signs in the next popup with their own password.
            ActionKind::Extend => vec![
                Field::new(F::Days, "延期天数", Number, "30").required(),
                Field::new(F::NotifiedOn, "告知信访人日期", Date, &day).required(),
            ],
            ActionKind::Reply | ActionKind::ReviewOpinion => vec![
                Field::choice(F::Outcome, "结果", outcomes),
                Field::new(F::On, "日期", Date, &day).required(),
                // The 复查/复核 window runs from the day the petitioner received it (empty: the same day).
                Field::new(F::Served, "送达日期", Date, ""),
            ],
            ActionKind::RecheckOpinion => {
                vec![Field::choice(F::Outcome, "结果", outcomes), Field::new(F::On, "日期", Date, &day).required()]
            }
            ActionKind::RequestReview | ActionKind::RequestRecheck => {
                vec![Field::new(F::On, "申请日期", Date, &day).required()]
            }
            ActionKind::Hearing => vec![
                Field::new(F::On, "听证开始", Date, &day).required(),
                Field::new(F::Due, "听证结束", Date, &day).required(),
            ],
            ActionKind::Close => vec![Field::new(F::Note, "办结说明", Text, "")],
            ActionKind::FollowUp => vec![
                Field::choice(F::Bureau, "对信访部门", satisfaction.clone()),
                Field::choice(F::UnitRating, "对责任单位", satisfaction),
                Field::new(F::Note, "回访情况", Text, ""),
            ],
            ActionKind::ToOrdinary => vec![Field::new(F::Reason, "转普通程序理由", Text, "").required()],
            ActionKind::Feedback => vec![
                Field::new(F::On, "反馈日期", Date, &day).required(),
                Field::new(F::Note, "办理情况", Text, "").required(),
            ],
            ActionKind::StopPetitioning => vec![
                Field::new(F::On, "息诉罢访日期", Date, &day).required(),
                Field::new(F::Reason, "依据", Text, "").required(),
                Field::choice(F::Resolved, "问题是否化解", keyed(&RESOLVED)),
            ],
        };
        CaseAction { case_id, kind, form: Form::new(kind.label(), fields) }
    }

    /// Read the fields into an action, or say which one is wrong.
    pub fn action(&self) -> Result<Action, String> {
        let f = &self.form;
        let v = |k: F| f.value(k);
        if let Some(missing) = f.missing() {
            return Err(missing);
        }
        let outcome = || Outcome::from_label(&v(F::Outcome)).ok_or_else(|| say::CHOOSE_OUTCOME.to_string());
        let sat = |k: F| Satisfaction::from_label(&v(k)).ok_or_else(|| say::CHOOSE_SATISFACTION.to_string());
        Ok(match self.kind {
            ActionKind::Forward => Action::Forward { unit: v(F::Unit), received: f.date(F::Served)? },
            ActionKind::Assign => {
                Action::Assign { unit: v(F::Unit), due: f.date(F::Due)?, received: f.date(F::Served)? }
            }
            ActionKind::Objection => Action::Objection { reason: v(F::Reason) },
            ActionKind::Accept => Action::Accept { on: f.required_date(F::On)? },
            ActionKind::NotAccept => Action::NotAccept { reason: v(F::Reason) },
            ActionKind::NoLongerAccept => Action::NoLongerAccept { reason: v(F::Reason) },
            ActionKind::Inform => Action::Inform { note: v(F::Note) },
            ActionKind::ChannelToLegal => Action::ChannelToLegal { route: v(F::Route) },
            ActionKind::Extend => Action::Extend {
                days: v(F::Days).parse().map_err(|_| say::DAYS_NOT_A_NUMBER.to_string())?,
                approved_by: String::new(),
                notified_on: f.required_date(F::NotifiedOn)?,
            },
            ActionKind::Reply => {
                Action::Reply { outcome: outcome()?, on: f.required_date(F::On)?, served: f.date(F::Served)? }
            }
            ActionKind::ReviewOpinion => {
                Action::ReviewOpinion { outcome: outcome()?, on: f.required_date(F::On)?, served: f.date(F::Served)? }
            }
            ActionKind::RecheckOpinion => Action::RecheckOpinion { outcome: outcome()?, on: f.required_date(F::On)? },
            ActionKind::RequestReview => Action::RequestReview { on: f.required_date(F::On)? },
            ActionKind::RequestRecheck => Action::RequestRecheck { on: f.required_date(F::On)? },
            ActionKind::Hearing => Action::Hearing { from: f.required_date(F::On)?, to: f.required_date(F::Due)? },
            ActionKind::Close => Action::Close { note: v(F::Note) },
            ActionKind::FollowUp => {
                Action::FollowUp { bureau: sat(F::Bureau)?, unit: sat(F::UnitRating)?, note: v(F::Note) }
            }
            ActionKind::ToOrdinary => Action::ToOrdinary { reason: v(F::Reason) },
            ActionKind::Feedback => Action::Feedback { on: f.required_date(F::On)?, note: v(F::Note) },
            ActionKind::StopPetitioning => Action::StopPetitioning {
                on: f.required_date(F::On)?,
                basis: v(F::Reason),
                resolved: v(F::Resolved) == RESOLVED[0],
            },
        })
    }
}

impl super::FormPopup for CaseAction {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    /// One transaction; on refusal the form stays open with the reason.
    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        let action = match self.action() {
            Ok(a) => a,
            Err(e) => {
                self.form.error = Some(e);
                return Vec::new();
            }
        };
        // 延期: a second person signs for it (双人复核) before anything is
        // written — once the statute allows it, so nobody signs in vain.
        if let Action::Extend { days, notified_on, .. } = action {
            let ask = Action::Extend { days, approved_by: "（待签批）".into(), notified_on };
            if let Err(e) = lifecycle::allowed(env.store.conn(), self.case_id, &ask, env.now(), &env.calendar) {
                self.form.error = Some(e.to_string());
                return Vec::new();
            }
            let purpose = Purpose::Extend { case_id: self.case_id, days, notified_on };
            return vec![Effect::Push(super::Popup::Approval(ApprovalForm::new(purpose)))];
        }
        let (actor, now) = (env.operator(), env.now());
        let done = lifecycle::apply(&mut env.store, self.case_id, &action, &actor, now, &env.calendar).map(|()| {
            vec![Effect::Pop, Effect::CaseChanged(self.case_id), Effect::Tell(say::done(action.kind().label()), false)]
        });
        super::saved(&mut self.form, done)
    }
}
