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

coded!(
    /// Whose phone a number is: a relative's number stays a relative's, it is
    /// never merged into the petitioner's own.
    #[derive(Serialize, Deserialize)]
    PhoneOwner {
        #[serde(rename = "本人")]
        Own = "own" => "本人",
        #[serde(rename = "亲属")]
        Relative = "relative" => "亲属",
        #[serde(rename = "其他")]
        Other = "other" => "其他",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionerPhone {
    pub number: String,
    pub kind: PhoneKind,
    pub owner: PhoneOwner,
    /// e.g. "儿子" for a relative's number.
    pub note: String,
}

coded!(
    /// 重点人员 categories (domain.md §5.2).
    #[derive(Serialize, Deserialize)]
    KeyPersonKind {
        #[serde(rename = "长期访")]
        LongTerm = "long_term" => "长期访",
        #[serde(rename = "扬言极端")]
        ThreatenedExtreme = "threatened_extreme" => "扬言极端",
        #[serde(rename = "暴力倾向")]
        Violent = "violent" => "暴力倾向",
        #[serde(rename = "越级进京访")]
        SkipLevel = "skip_level" => "越级进京访",
        #[serde(rename = "缠访闹访")]
        Disruptive = "disruptive" => "缠访闹访",
        #[serde(rename = "终结后仍信访")]
        AfterConclusion = "after_conclusion" => "终结后仍信访",
    }
);

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
