//! 文书: the papers the statute asks the desk to hand out or send — which
//! exist, to whom each goes, the article each relies on, when a case's state
//! allows it, and how its number reads (GB/T 9704-2012: `机关代字〔2026〕15号`).

use std::collections::HashSet;

use super::case::CaseClass;
use super::event_kind::EventKind;
use super::status::CaseStatus;

coded!(
    /// The kinds of paper, in the order the case detail lists them.
    DocumentKind {
        RegistrationForm = "registration_form" => "来访登记表",
        Receipt = "receipt" => "登记回执",
        AcceptNotice = "accept_notice" => "受理告知书",
        NotAcceptNotice = "not_accept_notice" => "不予受理告知书",
        NoLongerNotice = "no_longer_notice" => "不再受理告知书",
        LegalRouteNotice = "legal_route_notice" => "导入法定程序告知书",
        ExtensionNotice = "extension_notice" => "延期告知书",
        ForwardLetter = "forward_letter" => "转送函",
        AssignSheet = "assign_sheet" => "交办单",
        SupervisionNotice = "supervision_notice" => "督办通知书",
        LeaderSheet = "leader_sheet" => "领导接访批示单",
    }
);

/// Whom a paper is addressed to: the petitioner, or a responsible unit
/// (which never sees the full ID number unless the template asks for it and
/// the issuing account may reveal it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    Petitioner,
    Unit,
}

impl Addressee {
    pub fn label(self) -> &'static str {
        match self {
            Addressee::Petitioner => "信访人",
            Addressee::Unit => "责任单位",
        }
    }
}

impl DocumentKind {
    pub fn addressee(self) -> Addressee {
        use DocumentKind::*;
        match self {
            ForwardLetter | AssignSheet | SupervisionNotice | LeaderSheet => Addressee::Unit,
            _ => Addressee::Petitioner,
        }
    }

    /// The addressee as screens and listings show it: a petitioner masked, a unit as it is.
    pub fn shown_addressee(self, addressee: &str) -> String {
        match self.addressee() {
            Addressee::Petitioner => super::mask::name(addressee),
            Addressee::Unit => addressee.to_string(),
        }
    }

    /// The article of 《信访工作条例》 (2022) the paper relies on; every
    /// paper prints it (a template that leaves it out is refused).
    pub fn article(self) -> &'static str {
        use DocumentKind::*;
        match self {
            RegistrationForm => "《信访工作条例》第二十二条",
            Receipt => "《信访工作条例》第二十一条、第二十二条",
            AcceptNotice => "《信访工作条例》第二十三条",
            NotAcceptNotice => "《信访工作条例》第二十三条",
            NoLongerNotice => "《信访工作条例》第三十六条第三款",
            LegalRouteNotice => "《信访工作条例》第二十八条第二款、第三十一条",
            ExtensionNotice => "《信访工作条例》第三十四条",
            ForwardLetter => "《信访工作条例》第二十二条",
            AssignSheet => "《信访工作条例》第二十二条",
            SupervisionNotice => "《信访工作条例》第四十条",
            LeaderSheet => "《信访工作条例》第二十二条",
        }
    }

    /// The 机关代字 of the kind's number series when the configuration names none.
    pub fn default_prefix(self) -> &'static str {
        use DocumentKind::*;
        match self {
            RegistrationForm => "中信登",
            Receipt => "中信回",
            AcceptNotice => "中信受告",
            NotAcceptNotice => "中信不受告",
            NoLongerNotice => "中信不再告",
            LegalRouteNotice => "中信导告",
            ExtensionNotice => "中信延告",
            ForwardLetter => "中信转",
            AssignSheet => "中信交",
            SupervisionNotice => "中信督",
            LeaderSheet => "中信批",
        }
    }
}

/// What the case holds that decides which papers it allows.
#[derive(Debug, Clone, Default)]
pub struct PaperFacts {
    pub status: Option<CaseStatus>,
    /// The kinds of event in the case's trail.
    pub events: HashSet<EventKind>,
    pub forwarded_to: Option<String>,
    pub assigned_to: Option<String>,
    /// A leader's 批示 recorded in a talk (its unit, if it named one).
    pub instruction_unit: Option<String>,
    pub has_instruction: bool,
    /// The reminder ladder proposes 书面督办 now (its reason).
    pub escalation: Option<String>,
    pub class: Option<CaseClass>,
    pub respondent: String,
}

/// The unit a unit-addressed paper goes to.
pub fn unit_of(kind: DocumentKind, f: &PaperFacts) -> Option<&str> {
    use DocumentKind::*;
    match kind {
        ForwardLetter => f.forwarded_to.as_deref(),
        AssignSheet | LeaderSheet => f.instruction_unit.as_deref().or(f.assigned_to.as_deref()),
        SupervisionNotice => f.assigned_to.as_deref().or(f.forwarded_to.as_deref()),
        _ => None,
    }
}

/// Whether the case's state allows `kind`; the refusal names the state.
pub fn allowed(kind: DocumentKind, f: &PaperFacts) -> Result<(), String> {
    use DocumentKind::*;
    let has = |k: EventKind| f.events.contains(&k);
    let ok = match kind {
        RegistrationForm | Receipt => true,
        AcceptNotice => has(EventKind::Accept),
        NotAcceptNotice => has(EventKind::NotAccept),
        NoLongerNotice => has(EventKind::NoLongerAccept),
        LegalRouteNotice => has(EventKind::ChannelToLegal),
        ExtensionNotice => has(EventKind::Extend),
        ForwardLetter => f.forwarded_to.is_some(),
        AssignSheet => unit_of(kind, f).is_some(),
        SupervisionNotice => f.escalation.is_some() && unit_of(kind, f).is_some(),
        LeaderSheet => f.has_instruction,
    };
    if !ok {
        let state = f.status.map_or("未知", |s| s.label());
        return Err(format!("本事项当前为「{state}」，{}，不能出具{}", missing_step(kind), kind.label()));
    }
    if let Some(unit) = unit_of(kind, f) {
        accused_check(kind, f, unit)?;
    }
    Ok(())
}

/// What the case still lacks for `kind`.
fn missing_step(kind: DocumentKind) -> &'static str {
    use DocumentKind::*;
    match kind {
        RegistrationForm | Receipt => "",
        AcceptNotice => "尚未受理",
        NotAcceptNotice => "没有不予受理的决定",
        NoLongerNotice => "没有不再受理的决定",
        LegalRouteNotice => "没有导入法定程序",
        ExtensionNotice => "没有批准的延期",
        ForwardLetter => "没有转送",
        AssignSheet => "没有交办，也没有领导批示交办的单位",
        SupervisionNotice => "督促记录没有提出书面督办",
        LeaderSheet => "没有领导接访批示",
    }
}

/// 检举控告: the accusation never goes to the unit or person accused
/// (条例 Art. 30, Art. 46 item (5)).
fn accused_check(kind: DocumentKind, f: &PaperFacts, unit: &str) -> Result<(), String> {
    let respondent = f.respondent.trim();
    if f.class != Some(CaseClass::Accusation) || respondent.is_empty() || unit.trim().is_empty() {
        return Ok(());
    }
    if respondent.contains(unit.trim()) || unit.contains(respondent) {
        return Err(format!(
            "检举控告事项的材料不得转给被检举控告的单位或个人（《信访工作条例》第三十条、第四十六条）：{}的收件单位「{unit}」即被反映对象「{respondent}」，不能出具",
            kind.label()
        ));
    }
    Ok(())
}

/// `中信受告〔2026〕15号`: the year in full in 六角括号, the number without
/// 第 and without leading zeros (GB/T 9704-2012 7.2.4).
pub fn number(prefix: &str, year: i32, seq: u32) -> String {
    format!("{prefix}〔{year}〕{seq}号")
}

/// Where a 机关代字 can be refused before any paper carries it.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    let bad = prefix.trim().is_empty()
        || prefix.chars().count() > 12
        || prefix.chars().any(|c| c.is_control() || c.is_whitespace() || "〔〕[]/\\".contains(c));
    match bad {
        true => Err(format!("文号的机关代字「{prefix}」应为1到12个字，不含空白、括号或斜杠")),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(events: &[EventKind]) -> PaperFacts {
        PaperFacts {
            status: Some(CaseStatus::Registered),
            events: events.iter().copied().collect(),
            ..PaperFacts::default()
        }
    }

    #[test]
    fn which_papers_each_state_allows() {
        use DocumentKind::*;
        use EventKind as E;
        let with_unit = |mut f: PaperFacts| {
            f.assigned_to = Some("区住建局".into());
            f
        };
        let table: Vec<(DocumentKind, PaperFacts, bool)> = vec![
            (Receipt, facts(&[]), true),
            (RegistrationForm, facts(&[]), true),
            (AcceptNotice, facts(&[]), false),
            (AcceptNotice, facts(&[E::Accept]), true),
            (NotAcceptNotice, facts(&[E::Accept]), false),
            (NotAcceptNotice, facts(&[E::NotAccept]), true),
            (NoLongerNotice, facts(&[E::NoLongerAccept]), true),
            (LegalRouteNotice, facts(&[E::ChannelToLegal]), true),
            (ExtensionNotice, facts(&[E::Accept]), false),
            (ExtensionNotice, facts(&[E::Extend]), true),
            (ForwardLetter, facts(&[]), false),
            (AssignSheet, facts(&[]), false),
            (AssignSheet, with_unit(facts(&[])), true),
            (SupervisionNotice, with_unit(facts(&[])), false),
            (
                SupervisionNotice,
                PaperFacts { escalation: Some("连续3次未能接通".into()), ..with_unit(facts(&[])) },
                true,
            ),
            (LeaderSheet, facts(&[]), false),
            (LeaderSheet, PaperFacts { has_instruction: true, ..facts(&[]) }, true),
        ];
        for (kind, f, want) in table {
            assert_eq!(allowed(kind, &f).is_ok(), want, "{} with {:?}", kind.label(), f.events);
        }
        let refused = allowed(AcceptNotice, &facts(&[])).unwrap_err();
        assert_eq!(refused, "本事项当前为「已登记」，尚未受理，不能出具受理告知书");
    }

    #[test]
    fn an_accusation_never_goes_to_the_accused() {
        let accused = |unit: &str, class: CaseClass| PaperFacts {
            class: Some(class),
            respondent: "区城管局".into(),
            assigned_to: Some(unit.into()),
            ..facts(&[])
        };
        let refused = allowed(DocumentKind::AssignSheet, &accused("区城管局", CaseClass::Accusation)).unwrap_err();
        assert!(refused.contains("不得转给被检举控告的单位") && refused.contains("区城管局"), "{refused}");
        assert!(allowed(DocumentKind::AssignSheet, &accused("区纪委监委", CaseClass::Accusation)).is_ok());
        assert!(
            allowed(DocumentKind::AssignSheet, &accused("区城管局", CaseClass::Appeal)).is_ok(),
            "not an accusation"
        );
    }

    #[test]
    fn numbers_follow_gb_t_9704() {
        assert_eq!(number("中信受告", 2026, 15), "中信受告〔2026〕15号");
        assert_eq!(number("X信交", 2024, 1), "X信交〔2024〕1号");
        assert!(check_prefix("中信交").is_ok());
        for bad in ["", " ", "中信〔交", "中信 交", "一二三四五六七八九十一二三"] {
            assert!(check_prefix(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_kind_relies_on_an_article_and_has_its_own_series() {
        let prefixes: HashSet<_> = DocumentKind::ALL.iter().map(|k| k.default_prefix()).collect();
        assert_eq!(prefixes.len(), DocumentKind::ALL.len());
        for k in DocumentKind::ALL {
            assert!(k.article().starts_with("《信访工作条例》第"), "{}", k.label());
            assert!(check_prefix(k.default_prefix()).is_ok());
        }
    }
}
