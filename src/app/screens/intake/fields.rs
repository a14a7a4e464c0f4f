//! The intake form's fields: named keys (never positions), their labels,
//! kinds and the options of its choices.

use serde::{Deserialize, Serialize};

use crate::app::form::{Field, Kind, Opt};
use crate::domain::IdType;
use crate::domain::triage::{NOT_ACCEPTED_REASONS, Triage};
use crate::store::reference::ReferenceData;

/// Longest 反映问题 the form takes (characters).
pub use crate::domain::case::CONTENT_LIMIT;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonField {
    Name,
    IdType,
    IdNumber,
    IdOverride,
    Phone,
    Address,
    Street,
    Workplace,
}

pub const PERSON_FIELDS: [PersonField; 8] = [
    PersonField::Name,
    PersonField::IdType,
    PersonField::IdNumber,
    PersonField::IdOverride,
    PersonField::Phone,
    PersonField::Address,
    PersonField::Street,
    PersonField::Workplace,
];

/// The case's yes/no marks, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    Litigation,
    SkipLevel,
    Joint,
    Anonymous,
    Threat,
    Urgent,
    Confidential,
}

impl Flag {
    pub const ALL: [Flag; 7] = [
        Flag::Litigation,
        Flag::SkipLevel,
        Flag::Joint,
        Flag::Anonymous,
        Flag::Threat,
        Flag::Urgent,
        Flag::Confidential,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Flag::Litigation => "涉法涉诉",
            Flag::SkipLevel => "越级",
            Flag::Joint => "联名",
            Flag::Anonymous => "匿名",
            Flag::Threat => "扬言",
            Flag::Urgent => "重大紧急",
            Flag::Confidential => "保密",
        }
    }
}

/// Which field: the identity survives rebuilding the list (adding a person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Key {
    /// The first line: an ID or phone tail, a name or pinyin — the prior-case
    /// lookup follows at once; Enter takes it into the right field.
    Lookup,
    VisitTime,
    Window,
    Form,
    People,
    Involved,
    Person(usize, PersonField),
    ProblemStreet,
    ProblemAddress,
    Category,
    Purpose,
    Title,
    Content,
    Demands,
    Respondent,
    Flag(Flag),
    Triage,
    Reason,
    Unit,
    /// 简易办理, for an eligible first-time matter sent to a unit.
    Simple,
}

impl Key {
    pub fn label(self) -> &'static str {
        match self {
            Key::Lookup => "查找信访人",
            Key::VisitTime => "来访时间",
            Key::Window => "接待窗口",
            Key::Form => "信访形式",
            Key::People => "来访人数",
            Key::Involved => "涉及人数",
            Key::Person(_, f) => match f {
                PersonField::Name => "姓名",
                PersonField::IdType => "证件类型",
                PersonField::IdNumber => "证件号码",
                PersonField::IdOverride => "异常说明",
                PersonField::Phone => "手机/电话",
                PersonField::Address => "住址",
                PersonField::Street => "所属街道",
                PersonField::Workplace => "工作单位",
            },
            Key::ProblemStreet => "问题属地",
            Key::ProblemAddress => "问题地址",
            Key::Category => "内容分类",
            Key::Purpose => "信访目的",
            Key::Title => "标题",
            Key::Content => "反映问题",
            Key::Demands => "诉求",
            Key::Respondent => "被反映方",
            Key::Flag(f) => f.label(),
            Key::Triage => "拟办方式",
            Key::Reason => "不予受理理由",
            Key::Unit => "拟办单位",
            Key::Simple => "简易办理",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Key::Form | Key::Category | Key::Purpose | Key::Triage | Key::Reason | Key::Unit | Key::ProblemStreet => {
                Kind::Choice
            }
            Key::Person(_, PersonField::IdType | PersonField::Street) => Kind::Choice,
            Key::People | Key::Involved => Kind::Number,
            Key::Content => Kind::Multi,
            Key::Flag(_) | Key::Simple => Kind::Toggle,
            _ => Kind::Text,
        }
    }

    pub fn required(self) -> bool {
        matches!(
            self,
            Key::VisitTime
                | Key::Form
                | Key::People
                | Key::Person(_, PersonField::Name)
                | Key::Category
                | Key::Purpose
                | Key::Title
                | Key::Content
        )
    }

    /// The field of the form for this key, holding `value`.
    pub fn field(self, value: &str) -> Field<Key> {
        let mut f = Field::new(self, self.label(), self.kind(), value);
        f.required = self.required();
        f.limit = match self {
            Key::Content => Some(CONTENT_LIMIT),
            Key::Title => Some(crate::domain::case::TITLE_LIMIT),
            Key::Person(_, PersonField::Name) => Some(crate::domain::case::NAME_LIMIT),
            _ => None,
        };
        f
    }

    /// The keys of a form with `rows` petitioners, in order.
    pub fn all(rows: usize) -> Vec<Key> {
        let mut keys = vec![Key::Lookup, Key::VisitTime, Key::Window, Key::Form, Key::People, Key::Involved];
        for r in 0..rows {
            keys.extend(PERSON_FIELDS.iter().map(|f| Key::Person(r, *f)));
        }
        keys.extend([
            Key::ProblemStreet,
            Key::ProblemAddress,
            Key::Category,
            Key::Purpose,
            Key::Title,
            Key::Content,
            Key::Demands,
            Key::Respondent,
        ]);
        keys.extend(Flag::ALL.map(Key::Flag));
        keys.extend([Key::Triage, Key::Reason, Key::Unit, Key::Simple]);
        keys
    }
}

/// The options of a choice field.
pub fn options(key: Key, refs: &ReferenceData) -> Vec<Opt> {
    let opt = |label: &str, code: &str, initials: String| Opt {
        label: label.into(),
        code: code.into(),
        initials,
        detail: None,
    };
    let keyed = Opt::keyed;
    match key {
        Key::Form => refs.forms.iter().map(|f| keyed(&f.name, &f.code)).collect(),
        Key::Purpose => refs
            .purposes
            .iter()
            .map(|p| Opt { detail: Some(purpose_note(p.class)), ..keyed(&p.name, &p.code) })
            .collect(),
        Key::Category => refs
            .categories
            .iter()
            .map(|c| {
                let path = refs.category_path(&c.code);
                let parent = c.parent.as_deref().and_then(|p| refs.category(p)).map(|p| p.initials.clone());
                let initials = match parent {
                    Some(pi) => format!("{} {pi} {pi}{}", c.initials, c.initials),
                    None => c.initials.clone(),
                };
                opt(&path, &c.code, initials)
            })
            .collect(),
        Key::ProblemStreet | Key::Person(_, PersonField::Street) => {
            refs.streets.iter().map(|s| opt(&s.name, &s.code, s.initials.clone())).collect()
        }
        Key::Unit => refs.units.iter().map(|u| opt(&u.name, &u.code, u.initials.clone())).collect(),
        Key::Person(_, PersonField::IdType) => IdType::ALL.iter().map(|t| keyed(t.label(), t.code())).collect(),
        Key::Triage => Triage::ALL.iter().map(|t| keyed(t.label(), t.label())).collect(),
        Key::Reason => NOT_ACCEPTED_REASONS.iter().map(|r| keyed(r, r)).collect(),
        _ => Vec::new(),
    }
}

/// The note under 信访目的: the class of matter its purpose belongs to.
pub fn purpose_note(class: crate::domain::CaseClass) -> String {
    format!("事项类别：{}", class.label())
}
