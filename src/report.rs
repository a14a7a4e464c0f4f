//! Search results as they leave the program (JSON and plain text on the
//! command line): masked, sanitised, one shape for both.

use serde::Serialize;

use crate::domain::mask;
use crate::store::search::{Hit, Results};
use crate::text;

#[derive(Debug, Serialize)]
pub struct SearchListing {
    pub petitioners: Vec<PetitionerRow>,
    pub cases: Vec<CaseRow>,
    /// More matches exist than were returned (the newest are shown).
    pub capped: bool,
}

#[derive(Debug, Serialize)]
pub struct PetitionerRow {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub case_count: i64,
    pub open_cases: i64,
    pub first_visit: String,
    pub last_visit: String,
    pub flags: Vec<String>,
    pub matched: String,
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub number: String,
    pub registered_at: String,
    pub status: String,
    pub petitioner: String,
    pub summary: String,
    pub matched: String,
}

const DAY: &str = "%Y-%m-%d";

impl From<&Results> for SearchListing {
    fn from(r: &Results) -> Self {
        let mut petitioners = Vec::new();
        let mut cases = Vec::new();
        for hit in &r.hits {
            match hit {
                Hit::Petitioner(p) => petitioners.push(PetitionerRow {
                    name: mask::name(&p.name),
                    id_number: p.id_number.as_deref().map(mask::id_number).unwrap_or_default(),
                    phone: p.phone.as_deref().map(mask::phone).unwrap_or_default(),
                    case_count: p.case_count,
                    open_cases: p.open_cases,
                    first_visit: p.first_visit.map(|t| t.format(DAY).to_string()).unwrap_or_default(),
                    last_visit: p.last_visit.map(|t| t.format(DAY).to_string()).unwrap_or_default(),
                    flags: petitioner_flags(p),
                    matched: p.matched.label().into(),
                }),
                Hit::Case(c) => cases.push(CaseRow {
                    number: c.number.clone(),
                    registered_at: c.registered_at.format(DAY).to_string(),
                    status: c.status.label().into(),
                    petitioner: mask::name(&c.representative),
                    summary: text::sanitize_line(&c.summary).into_owned(),
                    matched: c.matched.label().into(),
                }),
            }
        }
        SearchListing { petitioners, cases, capped: r.capped }
    }
}

/// Badges of a petitioner: key-person kinds and a history of threats.
pub fn petitioner_flags(p: &crate::store::search::PetitionerHit) -> Vec<String> {
    let mut flags: Vec<String> = p.key_person.iter().map(|k| format!("重点:{k}")).collect();
    if p.threat_history {
        flags.push("有扬言记录".into());
    }
    flags
}

impl SearchListing {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.petitioners.is_empty() && self.cases.is_empty() {
            out.push_str("没有找到。\n");
        }
        for p in &self.petitioners {
            out.push_str(&format!(
                "人  {} {} {} 共{}件(在办{}) {}至{} {}\n",
                text::pad(&p.name, 8),
                text::pad(&p.id_number, 18),
                text::pad(&p.phone, 13),
                p.case_count,
                p.open_cases,
                p.first_visit,
                p.last_visit,
                p.flags.join(" ")
            ));
        }
        for c in &self.cases {
            out.push_str(&format!(
                "件  {} {} {} {} {}\n",
                c.number,
                c.registered_at,
                text::pad(&c.status, 10),
                text::pad(&c.petitioner, 8),
                c.summary
            ));
        }
        if self.capped {
            out.push_str("（结果较多，仅列出最新的部分）\n");
        }
        out
    }
}
