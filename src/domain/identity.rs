//! Who a petitioner is, and how a stored record may change (domain.md §2.3:
//! always confirm with the ID number). A typed value replaces a stored one
//! only when it is not empty and differs; every such replacement is a
//! recorded change. A different name under a known ID is never taken on
//! trust: the clerk confirms it is the same person, with a reason.

use super::id_card;
use super::petitioner::{IdType, Petitioner, PetitionerPhone};

coded!(
    /// A petitioner's fields that person history records.
    #[derive(serde::Serialize)]
    ProfileField {
        Name = "name" => "姓名",
        IdType = "id_type" => "证件类型",
        IdNumber = "id_number" => "证件号码",
        Phone = "phone" => "电话",
        Address = "address" => "住址",
        Street = "street" => "所属街道",
        Workplace = "workplace" => "工作单位",
        KeyPerson = "key_person" => "重点人员",
        MergedFrom = "merged_from" => "合并入本档案",
        MergedInto = "merged_into" => "并入其他档案",
    }
);

impl ProfileField {
    /// Fields whose values are personal numbers, masked wherever shown.
    pub fn is_number(self) -> bool {
        matches!(self, ProfileField::IdNumber | ProfileField::Phone)
    }
}

/// One field's change: the old value, the new one (as stored, unmasked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: ProfileField,
    pub old: String,
    pub new: String,
}

/// The text of a scalar field (street by its code, ID type by its code).
pub fn value(p: &Petitioner, field: ProfileField) -> String {
    match field {
        ProfileField::Name => p.name.clone(),
        ProfileField::IdType => p.id_type.map(|t| t.code().to_string()).unwrap_or_default(),
        ProfileField::IdNumber => p.id_number.clone().unwrap_or_default(),
        ProfileField::Address => p.address.clone(),
        ProfileField::Street => p.street_code.clone().unwrap_or_default(),
        ProfileField::Workplace => p.workplace.clone(),
        _ => String::new(),
    }
}

/// The scalar fields a desk types and a merge chooses between.
pub const SCALAR_FIELDS: [ProfileField; 6] = [
    ProfileField::Name,
    ProfileField::IdType,
    ProfileField::IdNumber,
    ProfileField::Address,
    ProfileField::Street,
    ProfileField::Workplace,
];

/// What saving `typed` over `stored` changes: every typed, non-empty value
/// that differs, phones and key-person flags that are new. An empty typed
/// value never erases a stored one. The "匿名" placeholder is not a name.
pub fn changes(stored: &Petitioner, typed: &Petitioner) -> Vec<Change> {
    let mut out: Vec<Change> = SCALAR_FIELDS
        .iter()
        .filter(|f| !(**f == ProfileField::Name && typed.name == "匿名"))
        .filter_map(|&field| {
            let (old, new) = (value(stored, field), value(typed, field));
            (!new.trim().is_empty() && new != old).then_some(Change { field, old, new })
        })
        .filter(|c| !(c.field == ProfileField::IdType && typed.id_number.is_none()))
        .collect();
    for ph in &typed.phones {
        if !stored.phones.iter().any(|s| s.number == ph.number) {
            out.push(Change { field: ProfileField::Phone, old: String::new(), new: ph.number.clone() });
        }
    }
    for k in &typed.key_person {
        if !stored.key_person.contains(k) {
            out.push(Change { field: ProfileField::KeyPerson, old: String::new(), new: k.label().to_string() });
        }
    }
    out
}

/// What an edit of the profile changes: every field whose value differs
/// (an edit may clear an address, a street or a workplace, never the name,
/// the ID type or the ID number), and a phone that is new.
pub fn edits(stored: &Petitioner, edited: &Petitioner) -> Vec<Change> {
    let keeps = |f: ProfileField| matches!(f, ProfileField::Name | ProfileField::IdType | ProfileField::IdNumber);
    let mut out: Vec<Change> = SCALAR_FIELDS
        .iter()
        .map(|&field| Change { field, old: value(stored, field), new: value(edited, field) })
        .filter(|c| c.old != c.new && !(c.new.trim().is_empty() && keeps(c.field)))
        .collect();
    out.extend(changes(stored, &Petitioner { phones: edited.phones.clone(), ..Petitioner::default() }));
    out
}

/// `stored` with `changes` applied (phones and flags are added, never dropped;
/// sex and birth date follow a new resident ID).
pub fn apply(stored: &Petitioner, typed: &Petitioner, changes: &[Change]) -> Petitioner {
    let mut p = stored.clone();
    for c in changes {
        match c.field {
            ProfileField::Name => p.name = c.new.clone(),
            ProfileField::IdType => p.id_type = IdType::from_code(&c.new),
            ProfileField::IdNumber => {
                p.id_number = Some(c.new.clone());
                p.id_override_reason = typed.id_override_reason.clone();
                p.sex = typed.sex.or(p.sex);
                p.birth_date = typed.birth_date.or(p.birth_date);
            }
            ProfileField::Address => p.address = c.new.clone(),
            ProfileField::Street => p.street_code = Some(c.new.clone()).filter(|s| !s.is_empty()),
            ProfileField::Workplace => p.workplace = c.new.clone(),
            ProfileField::Phone => {
                if let Some(ph) = typed.phones.iter().find(|ph| ph.number == c.new) {
                    p.phones.push(PetitionerPhone { ..ph.clone() });
                }
            }
            ProfileField::KeyPerson => {
                p.key_person.extend(typed.key_person.iter().filter(|k| k.label() == c.new));
            }
            ProfileField::MergedFrom | ProfileField::MergedInto => {}
        }
    }
    p.sex = p.sex.or(typed.sex);
    p.birth_date = p.birth_date.or(typed.birth_date);
    p
}

/// Why two records cannot be one person: both hold a valid resident ID and
/// the IDs differ. `None` when a merge may go ahead.
pub fn merge_refusal(a: &Petitioner, b: &Petitioner, today: chrono::NaiveDate) -> Option<String> {
    let valid =
        |p: &Petitioner| p.id_number.as_deref().filter(|n| id_card::validate(n, today).is_ok()).map(str::to_string);
    match (valid(a), valid(b)) {
        (Some(x), Some(y)) if x != y => Some("两份档案都有有效且不同的居民身份证号，不是同一人，不能合并".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PhoneOwner;
    use crate::domain::phone::PhoneKind;

    fn stored() -> Petitioner {
        Petitioner {
            id: Some(7),
            name: "王秀兰".into(),
            id_type: Some(IdType::ResidentId),
            id_number: Some("410803198502140034".into()),
            address: "解放路12号".into(),
            street_code: Some("410803001".into()),
            workplace: "纺织厂".into(),
            phones: vec![phone("13800000001")],
            ..Petitioner::default()
        }
    }

    fn phone(n: &str) -> PetitionerPhone {
        PetitionerPhone { number: n.into(), kind: PhoneKind::Mobile, owner: PhoneOwner::Own, note: String::new() }
    }

    #[test]
    fn what_a_typed_record_changes() {
        let fields = |c: &[Change]| c.iter().map(|c| (c.field, c.new.clone())).collect::<Vec<_>>();
        let only_name_and_id = Petitioner {
            name: "王秀兰".into(),
            id_type: Some(IdType::ResidentId),
            id_number: Some("410803198502140034".into()),
            ..Petitioner::default()
        };
        type Case = (&'static str, Petitioner, Vec<(ProfileField, String)>);
        let cases: Vec<Case> = vec![
            ("blank fields never erase", only_name_and_id.clone(), vec![]),
            (
                "a different name is a change",
                Petitioner { name: "王秀英".into(), ..only_name_and_id.clone() },
                vec![(ProfileField::Name, "王秀英".into())],
            ),
            ("匿名 is not a name", Petitioner { name: "匿名".into(), ..only_name_and_id.clone() }, vec![]),
            (
                "a new address and a new phone",
                Petitioner {
                    address: "建设路3号".into(),
                    phones: vec![phone("13800000002")],
                    ..only_name_and_id.clone()
                },
                vec![(ProfileField::Address, "建设路3号".into()), (ProfileField::Phone, "13800000002".into())],
            ),
            (
                "a known phone is no change",
                Petitioner { phones: vec![phone("13800000001")], ..only_name_and_id.clone() },
                vec![],
            ),
        ];
        for (why, typed, want) in cases {
            assert_eq!(fields(&changes(&stored(), &typed)), want, "{why}");
        }
    }

    #[test]
    fn applying_changes_keeps_everything_else() {
        let typed = Petitioner {
            name: "王秀兰".into(),
            address: "建设路3号".into(),
            phones: vec![phone("13800000002")],
            ..Petitioner::default()
        };
        let c = changes(&stored(), &typed);
        let p = apply(&stored(), &typed, &c);
        assert_eq!(p.address, "建设路3号");
        assert_eq!(p.workplace, "纺织厂", "not typed, kept");
        assert_eq!(p.street_code.as_deref(), Some("410803001"));
        assert_eq!(p.phones.len(), 2, "phones are added, never dropped");
    }

    #[test]
    fn an_edit_may_clear_an_address_never_the_name() {
        let edited =
            Petitioner { name: String::new(), address: String::new(), workplace: "纺织厂".into(), ..stored() };
        let c = edits(&stored(), &edited);
        assert_eq!(c.iter().map(|c| c.field).collect::<Vec<_>>(), vec![ProfileField::Address]);
        let p = apply(&stored(), &edited, &c);
        assert_eq!((p.name.as_str(), p.address.as_str()), ("王秀兰", ""));
    }

    #[test]
    fn two_valid_different_resident_ids_are_two_people() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let other = |id: Option<&str>| Petitioner { id_number: id.map(str::to_string), ..stored() };
        let cases = [
            (Some("410803198502140034"), false),
            (Some("410803198001010012"), true),
            (Some("12345"), false),
            (None, false),
        ];
        for (id, refused) in cases {
            assert_eq!(merge_refusal(&stored(), &other(id), today).is_some(), refused, "{id:?}");
        }
    }
}
