//! What a trail event is, as a stable code. The trail keeps the action's
//! label as it was written (it is hashed, and shown); the code beside it is
//! what every query filters on, so a reworded label never changes a metric.
//! Codes are derived from labels in this one place, for new events and for
//! the migration of old ones alike; `check` verifies each row's code against
//! its hashed label.

coded!(EventKind {
    Register = "register" => "登记",
    IdAnomaly = "id_anomaly" => "证件号异常登记",
    Triage = "triage" => "拟办",
    AnswerOnSpot = "answer_on_spot" => "当场答复",
    Forward = "forward" => "转送",
    Assign = "assign" => "交办",
    Objection = "objection" => "异议退回",
    Accept = "accept" => "受理",
    InProgress = "in_progress" => "办理",
    Extend = "extend" => "延期",
    Reply = "reply" => "答复",
    RequestReview = "request_review" => "申请复查",
    ReviewOpinion = "review_opinion" => "复查意见",
    RequestRecheck = "request_recheck" => "申请复核",
    RecheckOpinion = "recheck_opinion" => "复核意见",
    Inform = "inform" => "告知",
    ChannelToLegal = "channel_to_legal" => "导入法定程序",
    ToDiscipline = "to_discipline" => "转纪检监察",
    NotAccept = "not_accept" => "不予受理",
    NoLongerAccept = "no_longer_accept" => "不再受理",
    LeaderReception = "leader_reception" => "领导接谈",
    Close = "close" => "办结",
    FollowUp = "follow_up" => "回访",
    Reminder = "reminder" => "督促",
    Instruction = "instruction" => "领导批示",
    TicketTaken = "ticket_taken" => "接访取号",
    TicketCall = "ticket_call" => "接访叫号",
    TicketRecall = "ticket_recall" => "接访重呼",
    TicketSkip = "ticket_skip" => "接访过号",
    TalkStart = "talk_start" => "接访开始接谈",
    TalkFinish = "talk_finish" => "接访结束接谈",
    TicketLeave = "ticket_leave" => "接访离开",
    TicketReschedule = "ticket_reschedule" => "接访改期",
    TicketPriority = "ticket_priority" => "接访优先",
    RevealContent = "reveal_content" => "查看保密内容",
    RevealIdentity = "reveal_identity" => "查看完整证件号码和电话",
    CalendarUpdate = "calendar_update" => "节假日安排更新",
    Hearing = "hearing" => "听证",
    ToOrdinary = "to_ordinary" => "转普通程序",
    InstructionFeedback = "instruction_feedback" => "批示办理反馈",
    StopPetitioning = "stop_petitioning" => "息诉罢访",
    IssueDocument = "issue_document" => "出具文书",
    Other = "other" => "其他",
});

impl EventKind {
    /// The kind of an action label as written to the trail. The 导入法定程序
    /// routes carry their route after a colon (`导入法定程序：仲裁`).
    pub fn of_label(label: &str) -> EventKind {
        let head = label.split_once('：').map_or(label, |(head, _)| head);
        Self::ALL.iter().copied().find(|k| k.label() == head).unwrap_or(EventKind::Other)
    }

    /// Events that conclude a matter for the metrics (domain.md §6): an
    /// answer on the spot or in writing, a 复查/复核 opinion, a closure, and
    /// the desk's other final dispositions (不予受理, 不再受理, 告知, 导入法定程序).
    pub fn concludes(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            AnswerOnSpot
                | Reply
                | ReviewOpinion
                | RecheckOpinion
                | Close
                | NotAccept
                | NoLongerAccept
                | Inform
                | ChannelToLegal
        )
    }

    /// `('reply', 'close', …)`: the codes of `kinds` as an SQL list, built
    /// from these compile-time codes, never from input.
    pub fn sql_list(kinds: impl Fn(EventKind) -> bool) -> String {
        let codes: Vec<String> = Self::ALL.iter().filter(|k| kinds(**k)).map(|k| format!("'{}'", k.code())).collect();
        format!("({})", codes.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CaseStatus;
    use crate::domain::lifecycle::ActionKind;
    use crate::domain::triage::Triage;

    #[test]
    fn every_label_the_program_writes_has_its_own_code() {
        let labels = CaseStatus::ALL
            .iter()
            .map(|s| s.entry_action())
            .chain(ActionKind::ALL.iter().map(|a| a.label()))
            .chain(Triage::ALL.iter().map(|t| t.label()))
            .chain([
                "登记",
                "证件号异常登记",
                "拟办",
                "督促",
                "领导批示",
                "接访取号",
                "接访优先",
                "查看保密内容",
                "查看完整证件号码和电话",
                "节假日安排更新",
            ]);
        for label in labels {
            assert_ne!(EventKind::of_label(label), EventKind::Other, "{label} has no code");
        }
        use crate::domain::queue::TicketMove as M;
        let moves = [M::Call, M::Recall, M::Skip, M::Start, M::Finish, M::Leave, M::Reschedule];
        for m in moves {
            let label = format!("接访{}", m.label());
            assert_ne!(EventKind::of_label(&label), EventKind::Other, "{label} has no code");
        }
    }

    #[test]
    fn labels_map_to_codes() {
        let cases = [
            ("当场答复", "answer_on_spot", true),
            ("答复", "reply", true),
            ("办结", "close", true),
            ("导入法定程序：仲裁", "channel_to_legal", true),
            ("复核意见", "recheck_opinion", true),
            ("申请复查", "request_review", false),
            ("督促", "reminder", false),
            ("从未有过的动作", "other", false),
        ];
        for (label, code, concludes) in cases {
            let k = EventKind::of_label(label);
            assert_eq!((k.code(), k.concludes()), (code, concludes), "{label}");
            assert_eq!(EventKind::from_code(code), Some(k));
        }
        let codes: std::collections::HashSet<_> = EventKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), EventKind::ALL.len(), "codes are distinct");
    }
}
