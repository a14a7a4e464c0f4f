//! 信访事项: one registered matter, its classification, flags and links.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::status::CaseStatus;

coded!(
    /// 事项类别 under the 2022 条例 (§2.4.4), plus the two purposes outside them.
    #[derive(Serialize, Deserialize)]
    CaseClass {
        #[serde(rename = "建议意见类")]
        Suggestion = "suggestion" => "建议意见类",
        #[serde(rename = "检举控告类")]
        Accusation = "accusation" => "检举控告类",
        #[serde(rename = "申诉求决类")]
        Appeal = "appeal" => "申诉求决类",
        #[serde(rename = "其他")]
        Other = "other" => "其他",
    }
);

/// What lists, snippets and exports show in place of restricted content.
pub const RESTRICTED_TITLE: &str = "（内容保密）";

/// 检举控告 and 保密 content never appears in lists, snippets or exports.
pub fn is_restricted(class: CaseClass, confidential: bool) -> bool {
    class == CaseClass::Accusation || confidential
}

/// The title a list may show: the case's own, or [`RESTRICTED_TITLE`].
pub fn listed_title(class: CaseClass, confidential: bool, title: &str) -> &str {
    if is_restricted(class, confidential) { RESTRICTED_TITLE } else { title }
}

coded!(
    /// 初件 / 重件.
    #[derive(Serialize, Deserialize)]
    RepeatKind {
        #[serde(rename = "初件")]
        First = "first" => "初件",
        #[serde(rename = "重件")]
        Repeat = "repeat" => "重件",
    }
);

/// The yes/no marks a case carries (§2.2 item 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFlags {
    /// 涉法涉诉
    pub litigation: bool,
    /// 越级
    pub skip_level: bool,
    /// 联名
    pub joint: bool,
    /// 匿名
    pub anonymous: bool,
    /// 扬言
    pub threat: bool,
    /// 重大紧急
    pub urgent: bool,
    /// 保密
    pub confidential: bool,
}

impl CaseFlags {
    /// Label and value of every flag, in display order.
    pub fn entries(&self) -> [(&'static str, bool); 7] {
        [
            ("涉法涉诉", self.litigation),
            ("越级", self.skip_level),
            ("联名", self.joint),
            ("匿名", self.anonymous),
            ("扬言", self.threat),
            ("重大紧急", self.urgent),
            ("保密", self.confidential),
        ]
    }

    pub fn labels(&self) -> Vec<&'static str> {
        self.entries().into_iter().filter(|(_, on)| *on).map(|(l, _)| l).collect()
    }
}

/// A number the same case carries in another system (省信访件编号, 市受理编号 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalRef {
    pub system: String,
    pub number: String,
}

/// 集体访: a visit by five or more people (§1.3).
pub const GROUP_VISIT_MIN_PEOPLE: u32 = 5;
/// A group visit elects at most five representatives (条例 Art. 20(3)).
pub const MAX_REPRESENTATIVES: usize = 5;

pub fn is_group_visit(people_count: u32) -> bool {
    people_count >= GROUP_VISIT_MIN_PEOPLE
}

/// A case as registered. Petitioners are linked by id, in order: the first is
/// the representative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: Option<i64>,
    pub number: String,
    pub registered_at: NaiveDateTime,
    pub clerk: String,
    pub window: String,
    pub form_code: String,
    pub source: String,
    pub people_count: u32,
    pub involved_count: Option<u32>,
    pub category_code: Option<String>,
    pub purpose_code: Option<String>,
    pub class: CaseClass,
    pub problem_street_code: Option<String>,
    pub problem_address: String,
    pub title: String,
    pub content: String,
    pub demands: String,
    pub respondent: String,
    pub flags: CaseFlags,
    pub repeat_kind: RepeatKind,
    pub linked_case_id: Option<i64>,
    pub status: CaseStatus,
    pub external_refs: Vec<ExternalRef>,
    pub petitioner_ids: Vec<i64>,
}

impl Case {
    pub fn is_group_visit(&self) -> bool {
        is_group_visit(self.people_count)
    }

    /// 检举控告 and 保密 content never appears in lists, snippets or exports.
    pub fn content_is_restricted(&self) -> bool {
        is_restricted(self.class, self.flags.confidential)
    }
}

/// The longest values a registration keeps, in characters: the intake form
/// stops typing there, and an import refuses a longer row (never truncates).
pub const NAME_LIMIT: usize = 50;
pub const TITLE_LIMIT: usize = 200;
pub const CONTENT_LIMIT: usize = 2000;

/// One entry of the append-only case trail (全程留痕).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub id: Option<i64>,
    pub case_id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    /// 办理方式 / action label, e.g. 登记, 交办, 受理.
    pub action: String,
    pub note: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl CaseEvent {
    /// A new (not yet stored) entry with no value change.
    pub fn new(case_id: i64, at: NaiveDateTime, actor: &str, action: &str, note: impl Into<String>) -> CaseEvent {
        CaseEvent {
            id: None,
            case_id,
            at,
            actor: actor.into(),
            action: action.into(),
            note: note.into(),
            old_value: None,
            new_value: None,
        }
    }

    /// The first entry of every trail: 登记, with how the case repeats and its title.
    pub fn registration(case: &Case, case_id: i64, at: NaiveDateTime) -> CaseEvent {
        let note = format!("{}，{}", case.repeat_kind.label(), case.title);
        CaseEvent::new(case_id, at, &case.clerk, "登记", note).changing(None, Some(CaseStatus::Registered.label()))
    }

    /// The value the entry changed, from → to (e.g. a status).
    pub fn changing(mut self, old: Option<&str>, new: Option<&str>) -> CaseEvent {
        self.old_value = old.map(Into::into);
        self.new_value = new.map(Into::into);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_visit_starts_at_five() {
        assert!(!is_group_visit(4));
        assert!(is_group_visit(5));
        assert!(is_group_visit(30));
    }

    #[test]
    fn flag_labels_in_order() {
        let f = CaseFlags { threat: true, litigation: true, ..Default::default() };
        assert_eq!(f.labels(), vec!["涉法涉诉", "扬言"]);
    }
}
