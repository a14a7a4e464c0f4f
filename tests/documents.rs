//! 文书: every kind issued from a case and read back out of its DOCX, the
//! number series across desks and years, reprints and corrections, and the
//! rules the papers keep (the accused, full numbers, restricted content,
//! broken templates, what a paper lacks, an unwritable folder, hostile text).

mod common;

use common::papers::*;
use common::*;
use xfdesk::domain::CaseClass;
use xfdesk::domain::document::DocumentKind as K;
use xfdesk::domain::lifecycle::Action;
use xfdesk::papers::template::Templates;
use xfdesk::papers::{self, PaperError};
use xfdesk::store::{Store, cases, documents};

type Row<'a> = (xfdesk::domain::document::DocumentKind, i64, &'a str, &'a str, &'a [&'a str]);

/// Issue each row's paper and read it back: title, number, the petitioner's
/// name, the date, the article, the office, and the row's own words; the
/// stored text's hash; the trail row; the file's mode.
fn issued_and_read_back(store: &mut Store, p: &Parts, table: &[Row]) {
    for (kind, case, title, number, words) in table.iter().copied() {
        let w = issue_at(store, p, case, kind, now()).unwrap_or_else(|e| panic!("{}: {e}", kind.label()));
        assert_eq!(w.paper.number, number);
        let text = docx_text(&w.path);
        let dossier = xfdesk::store::dossier::load(store.conn(), case, &p.refs, &p.cal).unwrap().unwrap();
        let name = &dossier.petitioners[0].name;
        for want in [title, number, name.as_str(), "2026年11月28日", kind.article(), "中站区信访局"].iter().chain(words)
        {
            assert!(text.contains(want), "{} lacks {want}: {text}", kind.label());
        }
        assert!(!text.contains("周敏#"), "a paper prints the person, not the account: {text}");
        let stored = documents::by_number(store.conn(), number).unwrap().unwrap();
        assert_eq!(stored.issued_by, "周敏#9999", "the record names the account");
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(stored.body.as_bytes()));
        assert_eq!(stored.sha256, sha, "the hash is of the stored text");
        let trail: String = store
            .conn()
            .query_row(
                "SELECT action || ' ' || note FROM case_events WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
                [case],
                |r| r.get(0),
            )
            .unwrap();
        assert!(trail.starts_with(&format!("出具文书 {} {number}", kind.label())), "{trail}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&w.path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    let report = xfdesk::store::check::run(store.conn(), false).unwrap();
    assert!(report.is_ok(), "the trail still verifies: {:?}", report.first_problem());
}

#[test]
fn the_demo_cases_papers_read_back_from_their_docx() {
    let (_d, mut store) = demo_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let (accepted, extended, forwarded, assigned) = (
        case_in(&store, "accepted"),
        case_in(&store, "extended"),
        case_in(&store, "forwarded"),
        case_in(&store, "assigned"),
    );
    issued_and_read_back(
        &mut store,
        &p,
        &[
            (K::RegistrationForm, accepted, "来访登记表", "中信登〔2026〕1号", &["第二十二条", "信访人（签名）"]),
            (K::Receipt, accepted, "来访登记回执", "中信回〔2026〕1号", &["查询码", "0391-2345678"]),
            (K::AcceptNotice, accepted, "受理告知书", "中信受告〔2026〕1号", &["依法受理", "送达地址"]),
            (K::ExtensionNotice, extended, "延期告知书", "中信延告〔2026〕1号", &["延长30日"]),
            (K::ForwardLetter, forwarded, "转送函", "中信转〔2026〕1号", &["五个工作日", "联系人：周敏，"]),
            (K::AssignSheet, assigned, "交办单", "中信交〔2026〕1号", &["办结报告"]),
        ],
    );
}

#[test]
fn the_decisions_supervision_and_leaders_papers_read_back() {
    let (_d, mut store) = temp_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let not_accepted = fresh_case(&mut store, 1);
    act(&mut store, not_accepted, Action::NotAccept { reason: "不属于本机关职权范围".into() });
    let no_longer = fresh_case(&mut store, 2);
    act(&mut store, no_longer, Action::NoLongerAccept { reason: "复核终结后以同一事实和理由再次提出".into() });
    let legal = fresh_case(&mut store, 3);
    act(&mut store, legal, Action::ChannelToLegal { route: "仲裁".into() });
    let supervised = fresh_case(&mut store, 4);
    act(&mut store, supervised, Action::Forward { unit: "区城市管理局".into(), received: None });
    failed_calls(&mut store, supervised, "区城市管理局");
    let led = fresh_case(&mut store, 5);
    let instruction = xfdesk::domain::queue::LeaderInstruction {
        kind: xfdesk::domain::queue::InstructionKind::Assign,
        text: "请区住建局十日内拿出解决方案".into(),
        unit: "区住房和城乡建设局".into(),
        contact: "刘建国".into(),
        due: Some("2026-12-10".parse().unwrap()),
        record: "听取来访人陈述".into(),
        attendees: "区住建局".into(),
        owner_leader: String::new(),
        owner_person: String::new(),
    };
    common::reception::instructed(&mut store, led, &instruction);
    issued_and_read_back(
        &mut store,
        &p,
        &[
            (K::NotAcceptNotice, not_accepted, "不予受理告知书", "中信不受告〔2026〕1号", &["不属于本机关职权范围"]),
            (K::NoLongerNotice, no_longer, "不再受理告知书", "中信不再告〔2026〕1号", &["同一事实和理由"]),
            (K::LegalRouteNotice, legal, "导入法定程序告知书", "中信导告〔2026〕1号", &["仲裁"]),
            (K::SupervisionNotice, supervised, "督办通知书", "中信督〔2026〕1号", &["连续3次未能接通", "区城市管理局"]),
            (K::LeaderSheet, led, "领导接访批示单", "中信批〔2026〕1号", &["王建国", "请区住建局十日内拿出解决方案"]),
            (K::AssignSheet, led, "交办单", "中信交〔2026〕1号", &["请区住建局十日内拿出解决方案", "2026年12月10日"]),
        ],
    );
}

#[test]
fn numbers_run_per_series_and_year_without_gaps_across_two_desks() {
    let (dir, mut store) = demo_store();
    let db = dir.path().join("xfdesk.db");
    let cases: Vec<i64> = store
        .conn()
        .prepare("SELECT id FROM cases ORDER BY id LIMIT 20")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    store.act_as(approver());
    drop(store);
    // Two desks, each its own connection, issuing receipts at the same time.
    let desks: Vec<_> = [0, 1]
        .into_iter()
        .map(|desk| {
            let (db, cases) = (db.clone(), cases.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&db).unwrap();
                store.act_as(approver());
                let p = Parts::of(&store, None);
                let mut numbers = Vec::new();
                for case in cases.iter().skip(desk).step_by(2) {
                    numbers.push(issue_at(&mut store, &p, *case, K::Receipt, now()).unwrap().paper.number);
                }
                numbers
            })
        })
        .collect();
    let mut numbers: Vec<String> = desks.into_iter().flat_map(|h| h.join().unwrap()).collect();
    numbers.sort_by_key(|n| n.trim_start_matches("中信回〔2026〕").trim_end_matches('号').parse::<u32>().unwrap());
    let want: Vec<String> = (1..=20).map(|i| format!("中信回〔2026〕{i}号")).collect();
    assert_eq!(numbers, want, "every number once, none skipped");
    // A new year starts its own series; another kind has its own.
    let mut store = Store::open(&db).unwrap();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let new_year = "2027-01-04T09:00:00".parse().unwrap();
    assert_eq!(issue_at(&mut store, &p, cases[0], K::Receipt, new_year).unwrap().paper.number, "中信回〔2027〕1号");
    assert_eq!(
        issue_at(&mut store, &p, cases[0], K::RegistrationForm, now()).unwrap().paper.number,
        "中信登〔2026〕1号"
    );
    // A prefix from the configuration names the series.
    let mut configured = Parts::of(&store, None);
    configured.settings.prefixes.insert("receipt".into(), "中信访回".into());
    assert_eq!(
        issue_at(&mut store, &configured, cases[1], K::Receipt, now()).unwrap().paper.number,
        "中信访回〔2026〕1号"
    );
}

#[test]
fn a_reprint_is_the_paper_as_issued_whatever_the_template_says_now() {
    let (dir, mut store) = demo_store();
    store.act_as(approver());
    let templates = dir.path().join("templates");
    let p = Parts::of(&store, Some(templates.clone()));
    let case = case_in(&store, "accepted");
    let first = issue_at(&mut store, &p, case, K::Receipt, now()).unwrap();
    let before = docx_text(&first.path);
    // The bureau rewords the receipt.
    std::fs::create_dir_all(&templates).unwrap();
    let reworded = xfdesk::papers::template::Templates::default()
        .source(K::Receipt)
        .unwrap()
        .text
        .replace("请妥善保管", "请务必保存好本回执");
    std::fs::write(templates.join("receipt.txt"), reworded).unwrap();
    std::fs::remove_file(&first.path).unwrap();
    let again = papers::reprint(&mut store, &first.paper.number, now()).unwrap();
    let audited: String =
        store.conn().query_row("SELECT detail FROM audit_log WHERE action = '重印文书'", [], |r| r.get(0)).unwrap();
    assert!(audited.starts_with("中信回〔2026〕1号"), "{audited}");
    assert_eq!(again.path, first.path);
    assert_eq!(docx_text(&again.path), before, "same number, same words");
    assert!(before.contains("请妥善保管"));
    // A new paper takes the new wording; a correction names the one it replaces.
    let fixed = papers::issue(&mut store, &p.desk(), case, K::Receipt, Some(&first.paper.number), now()).unwrap();
    let text = docx_text(&fixed.path);
    assert!(text.contains("请务必保存好本回执") && text.contains("本件更正中信回〔2026〕1号"), "{text}");
    assert_eq!(fixed.paper.replaces.as_deref(), Some("中信回〔2026〕1号"));
    assert!(fixed.paper.template.starts_with(&templates.join("receipt.txt").display().to_string()));
    // A correction must be of the same case and kind.
    let other = case_in(&store, "extended");
    let refused =
        papers::issue(&mut store, &p.desk(), other, K::Receipt, Some(&first.paper.number), now()).unwrap_err();
    assert!(refused.to_string().contains("不是本事项的登记回执"), "{refused}");
}

/// An accusation against 区城市管理局, assigned to it.
fn accusation(store: &mut Store) -> i64 {
    let id = valid_id("41080319700101123");
    let mut reg = registration(petitioner("孙志强", &id), "举报执法人员收受财物");
    reg.case.class = CaseClass::Accusation;
    reg.case.respondent = "区城市管理局".into();
    reg.case.content = "区城市管理局执法中队有人收受摊贩财物。".into();
    reg.petitioners[0].address = "解放路5号".into();
    let case = cases::register(store, &reg).unwrap().case_id;
    act(store, case, Action::Assign { unit: "区城市管理局".into(), due: None, received: None });
    case
}

#[test]
fn an_accusation_never_goes_to_the_accused_and_restricted_content_needs_the_permission() {
    let (_d, mut store) = temp_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let case = accusation(&mut store);
    let refused = issue_at(&mut store, &p, case, K::AssignSheet, now()).unwrap_err();
    let said = refused.to_string();
    assert!(said.contains("不得转给被检举控告的单位或个人") && said.contains("区城市管理局"), "{said}");
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 0, "no number taken");
    // Its own papers: a clerk without 查看检举控告 cannot print the content.
    let clerk = xfdesk::store::accounts::Actor {
        id: 7,
        login: "jiedai".into(),
        name: "周敏".into(),
        roles: vec![xfdesk::domain::access::Role::Clerk],
    };
    store.act_as(clerk);
    let draft = papers::preview(&store, &p.desk(), case, K::RegistrationForm, None, now()).unwrap();
    assert!(draft.gaps.iter().any(|g| g.contains("反映问题") && g.contains("有查看权限")), "{:?}", draft.gaps);
    assert!(!draft.text.contains("收受摊贩财物"));
    assert!(matches!(issue_at(&mut store, &p, case, K::RegistrationForm, now()), Err(PaperError::Gaps(_))));
    // The receipt prints no content: the clerk issues it.
    assert!(issue_at(&mut store, &p, case, K::Receipt, now()).is_ok());
}

#[test]
fn a_units_paper_prints_the_full_id_only_when_asked_and_permitted() {
    let (dir, mut store) = demo_store();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let source = Templates::default().source(K::ForwardLetter).unwrap().text;
    std::fs::write(
        templates.join("forward_letter.txt"),
        source.replace("petitioner.id_number or \"未登记\"", "petitioner.id_number_full"),
    )
    .unwrap();
    let p = Parts::of(&store, Some(templates));
    let case = case_in(&store, "forwarded");
    let full = first_id_number(&store, case);
    let masked = xfdesk::domain::mask::id_number(&full);
    // The built-in letter: masked.
    let plain = Parts::of(&store, None);
    let text = papers::preview(&store, &plain.desk(), case, K::ForwardLetter, None, now()).unwrap().text;
    assert!(text.contains(&masked) && !text.contains(&full), "{text}");
    // An account without 查看完整证件号: the full number is withheld, issuing blocked.
    store.act_as(xfdesk::store::accounts::Actor {
        id: 8,
        login: "a".into(),
        name: "王磊".into(),
        roles: vec![xfdesk::domain::access::Role::Admin],
    });
    let d = papers::preview(&store, &p.desk(), case, K::ForwardLetter, None, now()).unwrap();
    assert!(d.gaps.iter().any(|g| g.contains("证件号码") && g.contains("脱敏")), "{:?}", d.gaps);
    assert!(!d.text.contains(&full));
    // With it, the template's full number is printed.
    store.act_as(approver());
    let d = papers::preview(&store, &p.desk(), case, K::ForwardLetter, None, now()).unwrap();
    assert!(d.gaps.is_empty() && d.text.contains(&full), "{:?}", d.gaps);
}

#[test]
fn a_broken_template_is_refused_with_its_file_and_line_and_nothing_is_issued() {
    let (dir, mut store) = demo_store();
    store.act_as(approver());
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let case = case_in(&store, "accepted");
    let p = Parts::of(&store, Some(templates.clone()));
    let cases = [
        ("# {{ title }}\n^ {{ number }}\n{{ article }}\n{{ petitioner.adress }}\n", "第4行", "petitioner.adress"),
        ("# {{ title }}\n{{ article }}\n{% if case.number %}\n没有结束\n", "", "语法错误"),
        ("# {{ title }}\n^ {{ number }}\n没有条款\n", "", "没有写明所依据的条款"),
    ];
    for (text, line, said) in cases {
        std::fs::write(templates.join("receipt.txt"), text).unwrap();
        let e = issue_at(&mut store, &p, case, K::Receipt, now()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("receipt.txt") && msg.contains(line) && msg.contains(said), "{msg}");
        assert!(msg.contains("未出具任何文书"), "{msg}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM case_events WHERE event_kind = 'issue_document'"), 0);
    assert!(
        !dir.path().join("documents").exists() || std::fs::read_dir(dir.path().join("documents")).unwrap().count() == 0
    );
}

#[test]
fn what_a_paper_lacks_is_named_and_blocks_issuing() {
    let (_d, mut store) = temp_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    // No address for a letter.
    let case = cases::register(&mut store, &registration(petitioner("钱七", &valid_id("41080319800101001")), "噪声"))
        .unwrap()
        .case_id;
    act(&mut store, case, Action::NotAccept { reason: "不属于信访事项".into() });
    let d = papers::preview(&store, &p.desk(), case, K::NotAcceptNotice, None, now()).unwrap();
    assert_eq!(d.gaps, vec!["缺少信访人的通信地址".to_string()]);
    assert!(d.text.contains("【缺：信访人的通信地址】"));
    let e = issue_at(&mut store, &p, case, K::NotAcceptNotice, now()).unwrap_err();
    assert_eq!(e.to_string(), "不能出具：缺少信访人的通信地址");
    // A kind the state does not allow, refused with the state.
    let e = issue_at(&mut store, &p, case, K::AcceptNotice, now()).unwrap_err();
    assert_eq!(e.to_string(), "本事项当前为「不予受理」，尚未受理，不能出具受理告知书");
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 0);
}

#[test]
fn an_unwritable_documents_folder_leaves_no_number_and_no_trail_row() {
    let (dir, mut store) = demo_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let case = case_in(&store, "accepted");
    let events = count(&store, "SELECT count(*) FROM case_events");
    // A file where the folder should be: nothing can be written into it.
    std::fs::write(dir.path().join("documents"), b"not a folder").unwrap();
    let e = issue_at(&mut store, &p, case, K::Receipt, now()).unwrap_err();
    assert!(matches!(e, PaperError::File { .. }) && e.to_string().contains("未编号，未记录"), "{e}");
    assert_eq!(count(&store, "SELECT count(*) FROM documents"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM case_events"), events);
    // Once the folder can be made, the first number is still 1.
    std::fs::remove_file(dir.path().join("documents")).unwrap();
    assert_eq!(issue_at(&mut store, &p, case, K::Receipt, now()).unwrap().paper.number, "中信回〔2026〕1号");
}

#[test]
fn hostile_text_in_the_case_never_reaches_the_document() {
    let (_d, mut store) = temp_store();
    store.act_as(approver());
    let p = Parts::of(&store, None);
    let mut reg = registration(petitioner("李\u{1b}[31m四", &valid_id("41080319800101002")), "噪声");
    reg.case.content = "夜间施工\u{1b}]0;pwned\u{7}噪声\u{0}扰民\u{202e}反转\n# 假标题".into();
    reg.case.demands = "停止\u{8}施工".into();
    let case = cases::register(&mut store, &reg).unwrap().case_id;
    let w = issue_at(&mut store, &p, case, K::RegistrationForm, now()).unwrap();
    let text = docx_text(&w.path);
    assert!(!text.chars().any(|c| c.is_control() || c == '\u{202e}'), "{text:?}");
    assert!(!text.contains("pwned") && text.contains("夜间施工噪声扰民反转"), "{text}");
    let blocks = xfdesk::papers::markup::parse(&w.paper.body);
    assert_eq!(
        blocks.iter().filter(|b| matches!(b, xfdesk::papers::markup::Block::Title(_))).count(),
        1,
        "the petitioner's words make no title"
    );
}
