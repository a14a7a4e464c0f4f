//! 拟办方式: what the desk proposes for a registered matter (domain.md §2.2
//! item 8, §2.4.6), and the statutory reasons for refusing acceptance.

use super::deadline::Rule;
use super::status::CaseStatus;
use super::{CaseFlags, RepeatKind};

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    Triage {
        AnswerOnSpot = "answer_on_spot" => "当场答复",
        Forward = "forward" => "转送",
        Assign = "assign" => "交办",
        Inform = "inform" => "告知",
        LegalToPolitical = "legal_political" => "导入法定程序：转政法部门",
        LegalArbitration = "legal_arbitration" => "导入法定程序：仲裁",
        LegalReconsideration = "legal_reconsideration" => "导入法定程序：行政复议",
        LegalPartyAppeal = "legal_party_appeal" => "导入法定程序：党员申诉",
        ToDiscipline = "to_discipline" => "转纪检监察",
        NotAccepted = "not_accepted" => "不予受理",
        LeaderReception = "leader_reception" => "领导接谈",
    }
);

impl Triage {
    /// Decided at the desk: the case moves to this status when saved.
    /// Proposals (转送, 交办, 转纪检监察, 领导接谈) leave it 已登记 for the
    /// handling steps that follow.
    pub fn status_on_save(self) -> Option<CaseStatus> {
        match self {
            Triage::AnswerOnSpot => Some(CaseStatus::Closed),
            Triage::Inform => Some(CaseStatus::Informed),
            Triage::LegalToPolitical
            | Triage::LegalArbitration
            | Triage::LegalReconsideration
            | Triage::LegalPartyAppeal => Some(CaseStatus::ChannelledToLegal),
            Triage::NotAccepted => Some(CaseStatus::NotAccepted),
            Triage::Forward | Triage::Assign | Triage::ToDiscipline | Triage::LeaderReception => None,
        }
    }

    /// A responsible unit must be named.
    pub fn needs_unit(self) -> bool {
        matches!(self, Triage::Forward | Triage::Assign)
    }
}

coded!(
    /// 办理程序 (domain.md §2.4.7): which clocks a case runs.
    #[derive(Default, serde::Serialize, serde::Deserialize)]
    Procedure {
        #[default]
        Ordinary = "ordinary" => "普通程序",
        Simple = "simple" => "简易办理",
    }
);

impl Procedure {
    /// The clock the case runs where the ordinary procedure would run `rule`.
    pub fn clock(self, rule: Rule) -> Rule {
        match self {
            Procedure::Ordinary => rule,
            Procedure::Simple => rule.simple(),
        }
    }
}

/// What decides whether a matter may be handled simply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimpleFacts {
    pub triage: Triage,
    pub repeat: RepeatKind,
    pub flags: CaseFlags,
    /// The matter came 交办 from a higher level (the source says so).
    pub from_above: bool,
}

/// Why a matter may not go by 简易办理 (《信访事项简易办理办法》: first-time
/// matters that go to a unit; not 联名, not 交办 from above, not Art. 31
/// items 1–5, not major or complex), or `None` when it may.
pub fn simple_refusal(f: &SimpleFacts) -> Option<&'static str> {
    if !f.triage.needs_unit() {
        Some("简易办理的事项须转送或交办责任单位")
    } else if f.repeat != RepeatKind::First {
        Some("简易办理只适用于初次信访事项")
    } else if f.flags.joint {
        Some("联名信访事项不适用简易办理")
    } else if f.from_above {
        Some("上级机关交办的事项不适用简易办理")
    } else if f.flags.litigation {
        Some("涉法涉诉事项（《信访工作条例》第三十一条第一至五项）不适用简易办理")
    } else if f.flags.urgent {
        Some("重大紧急事项不适用简易办理")
    } else {
        None
    }
}

/// Statutory reasons for 不予受理 (条例 Art. 19, 20, 31, 36; the 2014 rules on walk-ins).
pub const NOT_ACCEPTED_REASONS: &[&str] = &[
    "属于人大、法院、检察院职权范围（应依法定途径解决）",
    "越级走访，未向本级或上一级机关提出",
    "已受理或正在办理，在规定期限内向上级机关再次提出",
    "对处理意见不服，未申请复查（复核）即向上级机关提出",
    "无正当理由超过复查（复核）申请期限",
    "已审核认定办结或复查复核终结备案",
    "集体访拒不推选代表",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_at_the_desk_are_legal_moves_from_registered() {
        for &t in Triage::ALL {
            if let Some(s) = t.status_on_save() {
                assert!(CaseStatus::Registered.can_move_to(s), "{t:?}");
            }
            assert_eq!(Triage::from_label(t.label()), Some(t));
        }
        assert!(Triage::Assign.needs_unit() && !Triage::Inform.needs_unit());
    }

    #[test]
    fn simple_handling_is_for_plain_first_time_matters_sent_to_a_unit() {
        let plain = SimpleFacts {
            triage: Triage::Forward,
            repeat: RepeatKind::First,
            flags: CaseFlags::default(),
            from_above: false,
        };
        let with = |f: fn(&mut SimpleFacts)| {
            let mut x = plain;
            f(&mut x);
            x
        };
        // why, the facts, words of the refusal (None: eligible)
        let cases = [
            ("plain 转送", plain, None),
            ("交办 by this bureau", with(|x| x.triage = Triage::Assign), None),
            ("answered on the spot", with(|x| x.triage = Triage::AnswerOnSpot), Some("转送或交办")),
            ("repeat", with(|x| x.repeat = RepeatKind::Repeat), Some("初次")),
            ("联名", with(|x| x.flags.joint = true), Some("联名")),
            ("from above", with(|x| x.from_above = true), Some("上级")),
            ("涉法涉诉", with(|x| x.flags.litigation = true), Some("第三十一条")),
            ("重大紧急", with(|x| x.flags.urgent = true), Some("重大")),
        ];
        for (why, facts, want) in cases {
            let got = simple_refusal(&facts);
            match want {
                None => assert_eq!(got, None, "{why}"),
                Some(w) => assert!(got.is_some_and(|g| g.contains(w)), "{why}: {got:?}"),
            }
        }
        assert_eq!(Procedure::Simple.clock(Rule::Handle), Rule::SimpleAnswer);
        assert_eq!(Procedure::Simple.clock(Rule::Review), Rule::Review);
        assert_eq!(Procedure::Ordinary.clock(Rule::Accept), Rule::Accept);
        for r in Rule::ALL {
            assert_eq!(r.simple().ordinary(), r.ordinary(), "{r:?}");
        }
    }
}
