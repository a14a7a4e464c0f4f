//! 办理状态: the status machine of domain.md §2.4.8.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Registered,
    Forwarded,
    Assigned,
    Accepted,
    InProgress,
    Extended,
    Replied,
    UnderReview,
    ReviewReplied,
    UnderRecheck,
    Concluded,
    Informed,
    ChannelledToLegal,
    NotAccepted,
    NoLongerAccepted,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 16] = [
        CaseStatus::Registered,
        CaseStatus::Forwarded,
        CaseStatus::Assigned,
        CaseStatus::Accepted,
        CaseStatus::InProgress,
        CaseStatus::Extended,
        CaseStatus::Replied,
        CaseStatus::UnderReview,
        CaseStatus::ReviewReplied,
        CaseStatus::UnderRecheck,
        CaseStatus::Concluded,
        CaseStatus::Informed,
        CaseStatus::ChannelledToLegal,
        CaseStatus::NotAccepted,
        CaseStatus::NoLongerAccepted,
        CaseStatus::Closed,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Registered => "registered",
            CaseStatus::Forwarded => "forwarded",
            CaseStatus::Assigned => "assigned",
            CaseStatus::Accepted => "accepted",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Extended => "extended",
            CaseStatus::Replied => "replied",
            CaseStatus::UnderReview => "under_review",
            CaseStatus::ReviewReplied => "review_replied",
            CaseStatus::UnderRecheck => "under_recheck",
            CaseStatus::Concluded => "concluded",
            CaseStatus::Informed => "informed",
            CaseStatus::ChannelledToLegal => "channelled_to_legal",
            CaseStatus::NotAccepted => "not_accepted",
            CaseStatus::NoLongerAccepted => "no_longer_accepted",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Registered => "已登记",
            CaseStatus::Forwarded => "已转送",
            CaseStatus::Assigned => "已交办",
            CaseStatus::Accepted => "已受理",
            CaseStatus::InProgress => "办理中",
            CaseStatus::Extended => "已延期",
            CaseStatus::Replied => "已答复",
            CaseStatus::UnderReview => "复查中",
            CaseStatus::ReviewReplied => "复查已答复",
            CaseStatus::UnderRecheck => "复核中",
            CaseStatus::Concluded => "终结",
            CaseStatus::Informed => "已告知",
            CaseStatus::ChannelledToLegal => "已导入法定程序",
            CaseStatus::NotAccepted => "不予受理",
            CaseStatus::NoLongerAccepted => "不再受理",
            CaseStatus::Closed => "已办结",
        }
    }

    pub fn from_label(label: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.label() == label)
    }

    /// Statuses a case may move to from here (§2.4.8).
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Registered => &[Forwarded, Assigned, Informed, ChannelledToLegal, NotAccepted, NoLongerAccepted, Closed],
            Forwarded | Assigned => &[Accepted, Registered],
            Accepted => &[InProgress],
            InProgress => &[Extended, Replied],
            Extended => &[Replied],
            Replied => &[Closed, UnderReview],
            UnderReview => &[ReviewReplied],
            ReviewReplied => &[Closed, UnderRecheck],
            UnderRecheck => &[Concluded],
            Concluded | Informed | ChannelledToLegal | NotAccepted | NoLongerAccepted | Closed => &[],
        }
    }

    pub fn can_move_to(self, to: CaseStatus) -> bool {
        self.next().contains(&to)
    }

    /// Terminal for the 信访 track: nothing further happens to this case.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// The trail action that moves a case into `status`.
    pub fn entry_action(self) -> &'static str {
        match self {
            CaseStatus::Registered => "异议退回",
            CaseStatus::Forwarded => "转送",
            CaseStatus::Assigned => "交办",
            CaseStatus::Accepted => "受理",
            CaseStatus::InProgress => "办理",
            CaseStatus::Extended => "延期",
            CaseStatus::Replied => "答复",
            CaseStatus::UnderReview => "申请复查",
            CaseStatus::ReviewReplied => "复查意见",
            CaseStatus::UnderRecheck => "申请复核",
            CaseStatus::Concluded => "复核意见",
            CaseStatus::Informed => "告知",
            CaseStatus::ChannelledToLegal => "导入法定程序",
            CaseStatus::NotAccepted => "不予受理",
            CaseStatus::NoLongerAccepted => "不再受理",
            CaseStatus::Closed => "办结",
        }
    }

    /// The shortest sequence of moves from 已登记 to `self` (empty for 已登记).
    pub fn path_from_registered(self) -> Vec<CaseStatus> {
        let mut queue = std::collections::VecDeque::from([vec![CaseStatus::Registered]]);
        while let Some(path) = queue.pop_front() {
            let last = path[path.len() - 1];
            if last == self {
                return path[1..].to_vec();
            }
            for next in last.next() {
                if !path.contains(next) {
                    let mut p = path.clone();
                    p.push(*next);
                    queue.push_back(p);
                }
            }
        }
        unreachable!("every status is reachable from 已登记 (tested)")
    }

    /// 在办: still moving through the bureau or the responsible unit.
    pub fn is_open(self) -> bool {
        !self.is_final()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(s.code()), Some(s));
            assert_eq!(CaseStatus::from_label(s.label()), Some(s));
        }
    }

    #[test]
    fn every_status_is_reachable_from_registered() {
        for s in CaseStatus::ALL {
            let path = s.path_from_registered();
            let mut at = CaseStatus::Registered;
            for step in &path {
                assert!(at.can_move_to(*step));
                at = *step;
            }
            assert_eq!(at, s);
        }
        assert_eq!(CaseStatus::Accepted.path_from_registered(), vec![CaseStatus::Forwarded, CaseStatus::Accepted]);
    }

    #[test]
    fn transitions_follow_the_table() {
        use CaseStatus::*;
        assert!(Registered.can_move_to(Assigned));
        assert!(Assigned.can_move_to(Registered), "异议退回 goes back to 已登记");
        assert!(!Registered.can_move_to(Accepted));
        assert!(!Accepted.can_move_to(Replied), "must be 办理中 first");
        assert!(Replied.can_move_to(UnderReview));
        assert!(UnderRecheck.can_move_to(Concluded));
        assert!(Concluded.is_final() && Closed.is_final() && NotAccepted.is_final());
        assert!(InProgress.is_open());
    }
}
