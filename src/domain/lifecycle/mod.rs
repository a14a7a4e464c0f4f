//! What can be done to a case, from which status, and what each action does
//! to the status and to the statutory clocks (domain.md §2.4.6-§2.4.9).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::deadline::Rule;
use super::status::CaseStatus;

mod plan;
pub use plan::{ClockStart, Plan, Refusal, check_order, plan};

coded!(
    /// 答复 / 复查 / 复核 results (条例 Art. 32).
    #[derive(Serialize, Deserialize)]
    Outcome {
        Support = "support" => "予以支持",
        Explain = "explain" => "解释说明",
        NotSupport = "not_support" => "不予支持",
    }
);

coded!(
    /// 满意度, rated separately for the bureau and the responsible unit.
    #[derive(Serialize, Deserialize)]
    Satisfaction {
        Satisfied = "satisfied" => "满意",
        Basic = "basic" => "基本满意",
        Unsatisfied = "unsatisfied" => "不满意",
        NotRated = "not_rated" => "未评价",
    }
);

coded!(
    /// How a case went to a responsible unit (the `assignments` rows).
    AssignmentKind { Forward = "forward" => "转送", Assign = "assign" => "交办" }
);

/// The trail's words for a 签收 day other than the day sent.
fn received_note(received: Option<NaiveDate>) -> String {
    received.map(|r| format!("，{r}签收")).unwrap_or_default()
}

/// The trail's words for a 送达 day other than the paper's own.
fn served_note(on: NaiveDate, served: Option<NaiveDate>) -> String {
    served.filter(|s| *s != on).map(|s| format!("，{s}送达")).unwrap_or_default()
}

/// Why a follow-up action has nothing to follow (the detail pane says so at
/// the key; the store refuses with the same words).
pub const NOT_SIMPLE: &str = "本事项按普通程序办理，无需转换";
pub const NO_PENDING_INSTRUCTION: &str = "本事项没有待反馈的领导批示";
pub const NO_RUNNING_OWNERSHIP: &str = "本事项没有正在进行的包案";

/// Fixed reasons for 不再受理 (Art. 36(3) and the 2014 rules).
pub const NO_LONGER_ACCEPTED_REASONS: &[&str] =
    &["复核终结后以同一事实和理由再次提出", "已审核认定办结或复查复核终结备案", "无正当理由超过复查（复核）申请期限"];

/// Routes into a legal procedure (Art. 31 items 1-4).
pub const LEGAL_ROUTES: &[&str] =
    &["转政法部门（诉讼、检察、公安程序）", "仲裁", "行政复议", "党员申诉、申请复审", "其他行政程序"];

/// An action and what the clerk entered for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// 转送; `received`: the unit's 签收 day (`None`: the day sent), from
    /// which its acceptance and objection clocks run (Art. 23(3)).
    Forward {
        unit: String,
        received: Option<NaiveDate>,
    },
    /// 交办, with the deadline the assigning body sets (never beyond the statutory one).
    Assign {
        unit: String,
        due: Option<NaiveDate>,
        received: Option<NaiveDate>,
    },
    /// 异议退回: the unit objects within 5 working days; back to 已登记.
    Objection {
        reason: String,
    },
    /// 受理, on the day written notice was given.
    Accept {
        on: NaiveDate,
    },
    NotAccept {
        reason: String,
    },
    NoLongerAccept {
        reason: String,
    },
    Inform {
        note: String,
    },
    ChannelToLegal {
        route: String,
    },
    /// 延期: approved extension, the petitioner told of the reason.
    Extend {
        days: u32,
        approved_by: String,
        notified_on: NaiveDate,
    },
    Reply {
        outcome: Outcome,
        on: NaiveDate,
        /// 送达: the day the petitioner received the written reply (the
        /// 复查 window runs from it); `None` is the reply's own date.
        served: Option<NaiveDate>,
    },
    RequestReview {
        on: NaiveDate,
    },
    ReviewOpinion {
        outcome: Outcome,
        on: NaiveDate,
        /// 送达 of the opinion (the 复核 window runs from it); `None` is its own date.
        served: Option<NaiveDate>,
    },
    RequestRecheck {
        on: NaiveDate,
    },
    RecheckOpinion {
        outcome: Outcome,
        on: NaiveDate,
    },
    /// 听证 during 复核: its days are not counted in the 复核意见 clock (Art. 36(2)).
    Hearing {
        from: NaiveDate,
        to: NaiveDate,
    },
    Close {
        note: String,
    },
    FollowUp {
        bureau: Satisfaction,
        unit: Satisfaction,
        note: String,
    },
    /// 转为普通程序: a 简易办理 matter that proves unsuitable runs the
    /// ordinary clocks from the same starting days.
    ToOrdinary {
        reason: String,
    },
    /// 办理情况反馈: the unit reports back on a leader's 批示 (the feedback
    /// time is counted from the 批示 to `on`).
    Feedback {
        on: NaiveDate,
        note: String,
    },
    /// 息诉罢访: the petitioner has stopped; the leader's 包案 ends, with its
    /// basis and whether the problem itself was resolved (化解).
    StopPetitioning {
        on: NaiveDate,
        basis: String,
        resolved: bool,
    },
}

/// The kinds of action, for menus and keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Forward,
    Assign,
    Objection,
    Accept,
    NotAccept,
    NoLongerAccept,
    Inform,
    ChannelToLegal,
    Extend,
    Reply,
    RequestReview,
    ReviewOpinion,
    RequestRecheck,
    RecheckOpinion,
    Hearing,
    Close,
    FollowUp,
    ToOrdinary,
    Feedback,
    StopPetitioning,
}

impl ActionKind {
    pub const ALL: [ActionKind; 20] = [
        ActionKind::Forward,
        ActionKind::Assign,
        ActionKind::Objection,
        ActionKind::Accept,
        ActionKind::NotAccept,
        ActionKind::NoLongerAccept,
        ActionKind::Inform,
        ActionKind::ChannelToLegal,
        ActionKind::Extend,
        ActionKind::Reply,
        ActionKind::RequestReview,
        ActionKind::ReviewOpinion,
        ActionKind::RequestRecheck,
        ActionKind::RecheckOpinion,
        ActionKind::Hearing,
        ActionKind::Close,
        ActionKind::FollowUp,
        ActionKind::ToOrdinary,
        ActionKind::Feedback,
        ActionKind::StopPetitioning,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Forward => "转送",
            ActionKind::Assign => "交办",
            ActionKind::Objection => "异议退回",
            ActionKind::Accept => "受理",
            ActionKind::NotAccept => "不予受理",
            ActionKind::NoLongerAccept => "不再受理",
            ActionKind::Inform => "告知",
            ActionKind::ChannelToLegal => "导入法定程序",
            ActionKind::Extend => "延期",
            ActionKind::Reply => "答复",
            ActionKind::RequestReview => "申请复查",
            ActionKind::ReviewOpinion => "复查意见",
            ActionKind::RequestRecheck => "申请复核",
            ActionKind::RecheckOpinion => "复核意见",
            ActionKind::Hearing => "听证",
            ActionKind::Close => "办结",
            ActionKind::FollowUp => "回访",
            ActionKind::ToOrdinary => "转普通程序",
            ActionKind::Feedback => "批示办理反馈",
            ActionKind::StopPetitioning => "息诉罢访",
        }
    }

    /// The statuses the action may be taken from.
    pub fn allowed_from(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            ActionKind::Forward | ActionKind::Assign => &[Registered],
            ActionKind::Objection => &[Forwarded, Assigned],
            ActionKind::Accept => &[Forwarded, Assigned],
            ActionKind::NotAccept | ActionKind::NoLongerAccept | ActionKind::Inform | ActionKind::ChannelToLegal => {
                &[Registered]
            }
            ActionKind::Extend => &[Accepted, InProgress],
            ActionKind::Reply => &[Accepted, InProgress, Extended],
            ActionKind::RequestReview => &[Replied],
            ActionKind::ReviewOpinion => &[UnderReview],
            ActionKind::RequestRecheck => &[ReviewReplied],
            ActionKind::RecheckOpinion | ActionKind::Hearing => &[UnderRecheck],
            ActionKind::Close => &[Registered, Replied, ReviewReplied],
            ActionKind::FollowUp => &[Replied, ReviewReplied, Concluded, Closed],
            ActionKind::ToOrdinary => &[Registered, Forwarded, Assigned, Accepted, InProgress],
            // Whether there is a 批示 awaiting feedback or a 包案 running is the store's to say.
            ActionKind::Feedback | ActionKind::StopPetitioning => &CaseStatus::ALL,
        }
    }

    pub fn is_allowed(self, status: CaseStatus) -> bool {
        self.allowed_from().contains(&status)
    }

    /// The actions a case in `status` allows, in menu order.
    pub fn available(status: CaseStatus) -> Vec<ActionKind> {
        Self::ALL.into_iter().filter(|k| k.is_allowed(status)).collect()
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Forward { .. } => ActionKind::Forward,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Objection { .. } => ActionKind::Objection,
            Action::Accept { .. } => ActionKind::Accept,
            Action::NotAccept { .. } => ActionKind::NotAccept,
            Action::NoLongerAccept { .. } => ActionKind::NoLongerAccept,
            Action::Inform { .. } => ActionKind::Inform,
            Action::ChannelToLegal { .. } => ActionKind::ChannelToLegal,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Reply { .. } => ActionKind::Reply,
            Action::RequestReview { .. } => ActionKind::RequestReview,
            Action::ReviewOpinion { .. } => ActionKind::ReviewOpinion,
            Action::RequestRecheck { .. } => ActionKind::RequestRecheck,
            Action::RecheckOpinion { .. } => ActionKind::RecheckOpinion,
            Action::Close { .. } => ActionKind::Close,
            Action::FollowUp { .. } => ActionKind::FollowUp,
            Action::Hearing { .. } => ActionKind::Hearing,
            Action::ToOrdinary { .. } => ActionKind::ToOrdinary,
            Action::Feedback { .. } => ActionKind::Feedback,
            Action::StopPetitioning { .. } => ActionKind::StopPetitioning,
        }
    }

    /// The trail note of the action: what was entered, in words.
    pub fn note(&self) -> String {
        match self {
            Action::Forward { unit, received } => format!("转送至{unit}{}", received_note(*received)),
            Action::Assign { unit, due, received } => match due {
                Some(d) => format!("交办至{unit}，指定办理期限{d}{}", received_note(*received)),
                None => format!("交办至{unit}{}", received_note(*received)),
            },
            Action::Objection { reason } => format!("责任单位提出异议：{reason}"),
            Action::Accept { on } => format!("{on}书面告知受理"),
            Action::NotAccept { reason } | Action::NoLongerAccept { reason } => format!("理由：{reason}"),
            Action::Inform { note } | Action::Close { note } => note.clone(),
            Action::ChannelToLegal { route } => format!("导入：{route}"),
            Action::Extend { days, approved_by, notified_on } => {
                format!("延期{days}日，批准人{approved_by}，{notified_on}已告知信访人延期理由")
            }
            Action::Reply { outcome, on, served } => {
                format!("{on}答复：{}{}", outcome.label(), served_note(*on, *served))
            }
            Action::RequestReview { on } => format!("{on}申请复查"),
            Action::ReviewOpinion { outcome, on, served } => {
                format!("{on}复查意见：{}{}", outcome.label(), served_note(*on, *served))
            }
            Action::RequestRecheck { on } => format!("{on}申请复核"),
            Action::RecheckOpinion { outcome, on } => format!("{on}复核意见：{}，事项终结", outcome.label()),
            Action::Hearing { from, to } => {
                format!("听证 {from} 至 {to}，共{}日，不计入复核期限", (*to - *from).num_days() + 1)
            }
            Action::FollowUp { bureau, unit, note } => {
                format!("回访：对信访部门{}，对责任单位{}。{note}", bureau.label(), unit.label())
            }
            Action::ToOrdinary { reason } => format!("简易办理转为普通程序：{reason}"),
            Action::Feedback { on, note } => format!("{on}责任单位反馈批示办理情况：{note}"),
            Action::StopPetitioning { on, basis, resolved } => {
                let how = if *resolved { "问题已化解" } else { "问题未完全化解" };
                format!("{on}息诉罢访，包案结束（{how}）。依据：{basis}")
            }
        }
    }
}
