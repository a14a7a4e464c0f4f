//! 信访人: a person (or organisation) who petitions, with identity and contacts.

use serde::{Deserialize, Serialize};

use super::id_card::Sex;
use super::phone::PhoneKind;

/// 证件类型 with the public-security codes (111 = 居民身份证).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdType {
    ResidentId,
    TemporaryResidentId,
    Passport,
    HkMacaoPermit,
    TaiwanPermit,
    HmtResidencePermit,
    ForeignPermanentResident,
    Other,
}

impl IdType {
    pub const ALL: [IdType; 8] = [
        IdType::ResidentId,
        IdType::TemporaryResidentId,
        IdType::Passport,
        IdType::HkMacaoPermit,
        IdType::TaiwanPermit,
        IdType::HmtResidencePermit,
        IdType::ForeignPermanentResident,
        IdType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdType::ResidentId => "111",
            IdType::TemporaryResidentId => "112",
            IdType::Passport => "414",
            IdType::HkMacaoPermit => "516",
            IdType::TaiwanPermit => "511",
            IdType::HmtResidencePermit => "554",
            IdType::ForeignPermanentResident => "553",
            IdType::Other => "990",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentId => "居民身份证",
            IdType::TemporaryResidentId => "临时居民身份证",
            IdType::Passport => "护照",
            IdType::HkMacaoPermit => "港澳居民来往内地通行证",
            IdType::TaiwanPermit => "台湾居民来往大陆通行证",
            IdType::HmtResidencePermit => "港澳台居民居住证",
            IdType::ForeignPermanentResident => "外国人永久居留身份证",
            IdType::Other => "其他证件",
        }
    }

    pub fn from_code(code: &str) -> Option<IdType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn from_label(label: &str) -> Option<IdType> {
        Self::ALL.into_iter().find(|t| t.label() == label)
    }

    /// Documents whose numbers follow GB 11643 and its check character.
    pub fn is_checksummed(self) -> bool {
        matches!(self, IdType::ResidentId | IdType::TemporaryResidentId | IdType::HmtResidencePermit)
    }
}

/// Whose phone a number is: a relative's number stays a relative's, it is
/// never merged into the petitioner's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneOwner {
    #[serde(rename = "本人")]
    Own,
    #[serde(rename = "亲属")]
    Relative,
    #[serde(rename = "其他")]
    Other,
}

impl PhoneOwner {
    pub fn label(self) -> &'static str {
        match self {
            PhoneOwner::Own => "本人",
            PhoneOwner::Relative => "亲属",
            PhoneOwner::Other => "其他",
        }
    }
    pub fn from_label(s: &str) -> Option<PhoneOwner> {
        [PhoneOwner::Own, PhoneOwner::Relative, PhoneOwner::Other].into_iter().find(|o| o.label() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionerPhone {
    pub number: String,
    pub kind: PhoneKind,
    pub owner: PhoneOwner,
    /// e.g. "儿子" for a relative's number.
    pub note: String,
}

/// 重点人员 categories (domain.md §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyPersonKind {
    #[serde(rename = "长期访")]
    LongTerm,
    #[serde(rename = "扬言极端")]
    ThreatenedExtreme,
    #[serde(rename = "暴力倾向")]
    Violent,
    #[serde(rename = "越级进京访")]
    SkipLevel,
    #[serde(rename = "缠访闹访")]
    Disruptive,
    #[serde(rename = "终结后仍信访")]
    AfterConclusion,
}

impl KeyPersonKind {
    pub const ALL: [KeyPersonKind; 6] = [
        KeyPersonKind::LongTerm,
        KeyPersonKind::ThreatenedExtreme,
        KeyPersonKind::Violent,
        KeyPersonKind::SkipLevel,
        KeyPersonKind::Disruptive,
        KeyPersonKind::AfterConclusion,
    ];

    pub fn label(self) -> &'static str {
        match self {
            KeyPersonKind::LongTerm => "长期访",
            KeyPersonKind::ThreatenedExtreme => "扬言极端",
            KeyPersonKind::Violent => "暴力倾向",
            KeyPersonKind::SkipLevel => "越级进京访",
            KeyPersonKind::Disruptive => "缠访闹访",
            KeyPersonKind::AfterConclusion => "终结后仍信访",
        }
    }

    pub fn from_label(s: &str) -> Option<KeyPersonKind> {
        Self::ALL.into_iter().find(|k| k.label() == s)
    }
}

/// A petitioner as the desk knows them. `id` is `None` until stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Petitioner {
    pub id: Option<i64>,
    pub name: String,
    pub id_type: Option<IdType>,
    /// Normalised (see `id_card::normalize`); `None` when unknown (anonymous, letters).
    pub id_number: Option<String>,
    /// Set when the clerk registered an ID that failed validation.
    pub id_override_reason: Option<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub phones: Vec<PetitionerPhone>,
    pub address: String,
    pub street_code: Option<String>,
    pub workplace: String,
    pub key_person: Vec<KeyPersonKind>,
}

impl Petitioner {
    pub fn is_key_person(&self) -> bool {
        !self.key_person.is_empty()
    }

    /// The petitioner's own phones first; relatives' after.
    pub fn own_phones(&self) -> impl Iterator<Item = &PetitionerPhone> {
        self.phones.iter().filter(|p| p.owner == PhoneOwner::Own)
    }
}
