//! 拟办方式: what the desk proposes for a registered matter (domain.md §2.2
//! item 8, §2.4.6), and the statutory reasons for refusing acceptance.

use super::status::CaseStatus;

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
}
