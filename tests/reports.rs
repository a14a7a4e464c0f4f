//! 报表与预警: metrics and warning rules on a small fixed dataset with
//! hand-computed answers, the weekly report cell by cell, exports re-read,
//! imports all-or-nothing and with --skip-bad, and the 报表 screen.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use xfdesk::domain::lifecycle::{Action as CaseAction, Outcome, Satisfaction};
use xfdesk::domain::metrics::{MetricRules, Rate};
use xfdesk::domain::screening::{Destination, DisputeState, DisputeWatch, PersonWatch, RiskLevel};
use xfdesk::domain::warning::{WarningKind, WarningRules};
use xfdesk::domain::{CaseClass, KeyPersonKind, RepeatKind};
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::screening::{self, WeekParams};
use xfdesk::store::{Store, cases, lifecycle};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn apply(store: &mut Store, case_id: i64, action: CaseAction, when: &str) {
    let cal = xfdesk::store::calendar::load(store.conn()).unwrap();
    lifecycle::apply(store, case_id, &action, "周敏", at(when), &cal).unwrap();
}

/// Register a case for `p` at `when`; returns (case id, petitioner id).
fn register(store: &mut Store, p: xfdesk::domain::Petitioner, title: &str, when: &str) -> (i64, i64) {
    let mut reg = registration(p, title);
    reg.case.registered_at = at(when);
    let r = cases::register(store, &reg).unwrap();
    (r.case_id, r.petitioner_ids[0])
}

fn rate(n: u64, d: u64) -> Rate {
    Rate { numerator: n, denominator: d }
}

/// Six cases in November 2026 (no holidays), judged on 2026-11-28.
///
/// | case | registered | relay (15 d)          | accept (15 d)        | handle (60 d) | other |
/// |------|------------|-----------------------|----------------------|---------------|-------|
/// | A    | 11-02      | due 11-17, met 11-05  | due 11-20, met 11-10 | met 11-20     | 满意/基本满意 |
/// | B    | 11-03      | due 11-18, met 11-20  | due 12-05, running   | —             |       |
/// | F    | 11-04      | due 11-19, met 11-06  | due 11-21, met 11-08 | met 11-12     | 检举控告类 |
/// | C    | 11-05      | due 11-20, running    | —                    | —             |       |
/// | D    | 11-20      | due 12-05, running    | —                    | —             |       |
/// | E    | 11-25      | due 12-10, running    | —                    | —             | 重件 of A |
fn metrics_dataset(store: &mut Store) -> (i64, i64) {
    let pa = petitioner("张桂兰", &valid_id("41080319650312402"));
    let (a, _) = register(store, pa.clone(), "甲", "2026-11-02 09:00");
    apply(
        store,
        a,
        CaseAction::Assign { unit: "区住房和城乡建设局".into(), due: None, received: None },
        "2026-11-05 10:00",
    );
    apply(store, a, CaseAction::Accept { on: d("2026-11-10") }, "2026-11-10 10:00");
    apply(
        store,
        a,
        CaseAction::Reply { outcome: Outcome::Support, on: d("2026-11-20"), served: None },
        "2026-11-20 10:00",
    );
    let follow =
        CaseAction::FollowUp {
            bureau: Satisfaction::Satisfied, unit: Satisfaction::Basic, note: "电话回访".into()
        };
    apply(store, a, follow, "2026-11-21 10:00");

    let (b, _) = register(store, petitioner("李建国", &valid_id("41080319781105151")), "乙", "2026-11-03 09:00");
    apply(store, b, CaseAction::Forward { unit: "区人力资源和社会保障局".into(), received: None }, "2026-11-20 10:00");

    let mut reg = registration(petitioner("王秀英", &valid_id("41080319900620302")), "丙");
    reg.case.registered_at = at("2026-11-04 09:00");
    reg.case.class = CaseClass::Accusation;
    reg.case.purpose_code = Some("601004".into());
    let f = cases::register(store, &reg).unwrap().case_id;
    apply(store, f, CaseAction::Assign { unit: "区纪委监委".into(), due: None, received: None }, "2026-11-06 10:00");
    apply(store, f, CaseAction::Accept { on: d("2026-11-08") }, "2026-11-08 10:00");
    apply(
        store,
        f,
        CaseAction::Reply { outcome: Outcome::Explain, on: d("2026-11-12"), served: None },
        "2026-11-12 10:00",
    );

    register(store, petitioner("赵强", &valid_id("41080319800101101")), "丁", "2026-11-05 09:00");
    register(store, petitioner("钱芳", &valid_id("41080319820202202")), "戊", "2026-11-20 09:00");
    let mut reg = registration(pa, "己");
    reg.case.registered_at = at("2026-11-25 09:00");
    reg.case.repeat_kind = RepeatKind::Repeat;
    reg.case.linked_case_id = Some(a);
    let e = cases::register(store, &reg).unwrap().case_id;
    (a, e)
}

#[test]
fn every_metric_matches_the_hand_count() {
    let (_dir, mut store) = temp_store();
    metrics_dataset(&mut store);
    let rules = MetricRules::default();
    let r = xfdesk::reports::metrics_report(
        store.conn(),
        "中站区信访局",
        (d("2026-11-01"), d("2026-11-28"), d("2026-11-28")),
        chrono::Weekday::Fri,
        &rules,
    )
    .unwrap();
    let m = &r.metrics;
    assert_eq!(m.total, 6);
    // Relay: A and F in time, B late, C overdue unmet; D and E not yet due.
    assert_eq!(m.timely_bureau, rate(2, 4));
    // Accept: A and F in time; B's is not yet due.
    assert_eq!(m.timely_unit, rate(2, 2));
    assert_eq!(m.on_time, rate(2, 2));
    // Only A is concluded and within the evaluation scope (F is 检举控告).
    assert_eq!(m.participation_bureau, rate(1, 1));
    assert_eq!(m.participation_unit, rate(1, 1));
    assert_eq!(m.satisfaction_bureau, rate(1, 1));
    assert_eq!(m.satisfaction_unit, rate(1, 1), "基本满意 counts by default");
    assert_eq!(m.repeat, rate(1, 6));
    // No 90-day observation window has closed by 11-28: nothing counts yet.
    assert_eq!(m.one_time, rate(0, 0));
    let later = xfdesk::reports::metrics_report(
        store.conn(),
        "中站区信访局",
        (d("2026-11-01"), d("2026-11-28"), d("2027-03-01")),
        chrono::Weekday::Fri,
        &rules,
    )
    .unwrap();
    // By 2027-03-01 both windows closed. 初件 concluded: A (came back on 11-25, within 90 days) and F.
    assert_eq!(later.metrics.one_time, rate(1, 2));
    assert_eq!(m.by_form, [("来访".to_string(), 6)]);
    assert_eq!(m.by_class, [("申诉求决类".to_string(), 5), ("检举控告类".to_string(), 1)]);
    assert_eq!(m.by_street, [("朝阳街道".to_string(), 6)]);
    let mut units = m.by_unit.clone();
    units.sort();
    assert_eq!(
        units,
        [
            ("区人力资源和社会保障局".to_string(), 1),
            ("区住房和城乡建设局".to_string(), 1),
            ("区纪委监委".to_string(), 1)
        ]
    );
    // Weeks ending Fri 11-06 (A B F C), 11-13, 11-20 (D), 11-27 (E), 12-04.
    let weekly: Vec<u64> = m.weekly.iter().map(|(_, n)| *n).collect();
    assert_eq!(weekly, [4, 0, 1, 1, 0]);
    // Overdue now: C's relay clock (unit unknown) and B's accept clock is not due yet.
    assert_eq!(r.overdue_by_unit, [("（未转送交办）".to_string(), 1)]);

    // The local choices: 基本满意 not satisfied.
    let strict = MetricRules { basic_counts_as_satisfied: false, ..rules };
    let r = xfdesk::reports::metrics_report(
        store.conn(),
        "中站区信访局",
        (d("2026-11-01"), d("2026-11-28"), d("2026-11-28")),
        chrono::Weekday::Fri,
        &strict,
    )
    .unwrap();
    assert_eq!(r.metrics.satisfaction_unit, rate(0, 1));
    assert!(r.to_text().contains("满意件（不含基本满意）"), "the footer states the choice");
}

#[test]
fn follow_up_ratings_are_stored_as_codes() {
    let (_dir, mut store) = temp_store();
    let (a, _) = metrics_dataset(&mut store);
    let rows: (String, String) = store
        .conn()
        .query_row("SELECT bureau, unit FROM case_evaluations WHERE case_id = ?1", [a], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(rows, ("satisfied".to_string(), "basic".to_string()));
}

/// A database from before version 11 has its follow-ups only in the trail:
/// the upgrade reads the ratings back (and stores them as codes since 15).
#[test]
fn follow_up_ratings_in_an_old_trail_are_read_back_on_upgrade() {
    let (_dir, db) = common::old_database(
        6,
        &(common::OLD_CASE_ROWS.to_owned()
            + "INSERT INTO case_events (case_id, at, actor, action, note)
                   VALUES (1, '2026-11-25 10:00:00', '周敏', '回访', '回访：对信访部门满意，对责任单位基本满意。电话回访');"),
    );
    let store = Store::open(&db).unwrap();
    let rows: (String, String) = store
        .conn()
        .query_row("SELECT bureau, unit FROM case_evaluations WHERE case_id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(rows, ("satisfied".to_string(), "basic".to_string()));
}

/// People and cases for the warning rules, seen on 2026-11-28.
fn warnings_dataset(store: &mut Store) -> (i64, i64, i64) {
    // 重复访 (3 cases within 90 days) and 长期访 (first visit 2024-06-01).
    let p = petitioner("孙丽", &valid_id("41080319700303303"));
    register(store, p.clone(), "旧事", "2024-06-01 09:00");
    register(store, p.clone(), "再访", "2026-10-10 09:00");
    register(store, p.clone(), "三访", "2026-11-02 09:00");
    let (_, repeat_person) = register(store, p, "四访", "2026-11-26 09:00");
    // 扬言 and 越级 on one case.
    let mut reg = registration(petitioner("周明", &valid_id("41080319880808808")), "扬言");
    reg.case.registered_at = at("2026-11-27 09:00");
    reg.case.flags.threat = true;
    reg.case.flags.skip_level = true;
    let threat_case = cases::register(store, &reg).unwrap().case_id;
    // 集体访 in a 问题楼盘 category.
    let mut reg = registration(petitioner("吴刚", &valid_id("41080319750505505")), "楼盘");
    reg.case.registered_at = at("2026-11-27 10:00");
    reg.case.people_count = 8;
    reg.case.category_code = Some("60201503".into());
    let group_case = cases::register(store, &reg).unwrap().case_id;
    // Five cases this week in 新华街道, none in the eight weeks before: a spike.
    for (i, day) in ["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"].iter().enumerate() {
        let mut reg = registration(petitioner(&format!("郑{i}"), &valid_id(&format!("4108031991010100{i}"))), "街道");
        reg.case.registered_at = at(&format!("{day} 11:00"));
        reg.case.problem_street_code = Some("410803003".into());
        reg.case.category_code = Some("60200701".into());
        cases::register(store, &reg).unwrap();
    }
    (repeat_person, threat_case, group_case)
}

#[test]
fn every_warning_rule_fires_as_counted_by_hand() {
    let (_dir, mut store) = temp_store();
    let (repeat_person, threat_case, group_case) = warnings_dataset(&mut store);
    let refs = ReferenceData::load(store.conn()).unwrap();
    let rules = WarningRules::default();
    let today = d("2026-11-28");
    let h = xfdesk::store::warnings::person_histories(store.conn(), &[repeat_person], today, &rules).unwrap();
    let h = &h[&repeat_person];
    assert_eq!((h.total_cases, h.recent_cases), (4, 3), "11-02 and 11-26 and 10-10 are within 90 days");
    assert_eq!(h.first_visit, Some(d("2024-06-01")));

    let list = xfdesk::store::warnings::warning_list(store.conn(), &refs, today, &rules).unwrap();
    let reasons: Vec<(String, Vec<WarningKind>)> =
        list.iter().map(|e| (e.subject.clone(), e.warnings.iter().map(|w| w.kind).collect())).collect();
    // The spike first (街道 and its category), then the most pressing.
    assert_eq!(reasons[0].0, "类别：教育");
    assert_eq!(reasons[1].0, "街道：新华街道");
    assert_eq!(list[1].reasons(), "街道：新华街道本周5件，前8周平均0.0件（超过2倍）");
    let find = |name: &str| reasons.iter().find(|(n, _)| n == name).map(|(_, k)| k.clone()).unwrap();
    assert_eq!(find("周明"), [WarningKind::Threat, WarningKind::SkipLevel]);
    assert_eq!(find("吴刚"), [WarningKind::Group, WarningKind::KeyGroup]);
    assert_eq!(find("孙丽"), [WarningKind::LongTerm, WarningKind::Repeat]);
    let sun = list.iter().find(|e| e.subject == "孙丽").unwrap();
    assert_eq!(sun.reasons(), "首次信访2024-06-01，已逾2年，最近一次2026-11-26仍在信访；近90天信访3次（阈值3次）");
    // Nobody else: the five 郑 came once each.
    assert_eq!(list.len(), 5);

    let of_case = |id: i64| {
        let case = cases::get(store.conn(), id).unwrap().unwrap();
        xfdesk::store::warnings::of_case(store.conn(), &refs, &case, today, &rules).unwrap()
    };
    let case_w = of_case(group_case);
    assert_eq!(xfdesk::domain::warning::badges(&case_w), "集体访 群体:问题楼盘");
    let case_w = of_case(threat_case);
    assert_eq!(xfdesk::domain::warning::badges(&case_w), "扬言 越级");

    // Thresholds are configuration: four cases needed, 孙丽 is no longer a repeat visitor.
    let strict = WarningRules { repeat_cases: 4, ..rules };
    let list = xfdesk::store::warnings::warning_list(store.conn(), &refs, today, &strict).unwrap();
    let sun = list.iter().find(|e| e.subject == "孙丽").unwrap();
    assert!(sun.warnings.iter().all(|w| w.kind != WarningKind::Repeat));
}

fn week_params(week_ending: &str) -> WeekParams {
    WeekParams {
        week_ending: d(week_ending),
        office: "中站区信访局".into(),
        filled_by: "周敏".into(),
        reviewer: "刘建华".into(),
        unmasked: false,
    }
}

/// The week 2026-11-21 to 11-27: a threat (kept under control by hand), a
/// violent key person, an ordinary visitor (not listed), and one 问题楼盘
/// matter visited twice (a group of 8, then 12).
fn weekly_dataset(store: &mut Store) -> (i64, i64) {
    let mut reg = registration(petitioner("周明", &valid_id("41080319880808808")), "扬言跳楼");
    reg.petitioners[0].phones = vec![xfdesk::domain::PetitionerPhone {
        number: "13903910001".into(),
        kind: xfdesk::domain::phone::PhoneKind::Mobile,
        owner: xfdesk::domain::PhoneOwner::Own,
        note: String::new(),
    }];
    reg.petitioners[0].address = "朝阳路1号".into();
    reg.petitioners[0].sex = Some(xfdesk::domain::id_card::Sex::Female);
    reg.petitioners[0].street_code = Some("410803002".into());
    reg.case.registered_at = at("2026-11-23 09:00");
    reg.case.flags.threat = true;
    reg.case.demands = "退还押金".into();
    let threat = cases::register(store, &reg).unwrap();
    apply(
        store,
        threat.case_id,
        CaseAction::Assign { unit: "区市场监督管理局".into(), due: None, received: None },
        "2026-11-24 09:00",
    );

    let mut violent = petitioner("吴刚", &valid_id("41080319750505505"));
    violent.key_person = vec![KeyPersonKind::Violent];
    register(store, violent, "讨说法", "2026-11-25 09:00");
    register(store, petitioner("郑平", &valid_id("41080319910101001")), "普通", "2026-11-26 09:00");

    let mut reg = registration(petitioner("冯楼", &valid_id("41080319660606606")), "安置房逾期交付");
    reg.case.registered_at = at("2026-11-24 10:00");
    reg.case.people_count = 8;
    reg.case.category_code = Some("60201503".into());
    reg.case.problem_address = "朝阳路棚改项目".into();
    reg.case.demands = "按期交房".into();
    let root = cases::register(store, &reg).unwrap().case_id;
    let mut reg = registration(petitioner("冯楼", &valid_id("41080319660606606")), "安置房逾期交付");
    reg.case.registered_at = at("2026-11-27 10:00");
    reg.case.people_count = 12;
    reg.case.category_code = Some("60201503".into());
    reg.case.repeat_kind = RepeatKind::Repeat;
    reg.case.linked_case_id = Some(root);
    reg.case.demands = "尽快交房并赔偿".into();
    cases::register(store, &reg).unwrap();
    (threat.petitioner_ids[0], root)
}

#[test]
fn the_weekly_report_cell_by_cell_then_a_zero_report() {
    let (_dir, mut store) = temp_store();
    let (threat_person, root) = weekly_dataset(&mut store);
    let watch = PersonWatch {
        risk: Some(RiskLevel::High),
        situation: "本周两次到区政府".into(),
        measures: "街道每日见面".into(),
        keeper: "陈军".into(),
        keeper_phone: "13903919999".into(),
        resolve_by: Some(d("2026-12-31")),
        progress: "已约谈".into(),
        since: Some(d("2026-11-21")),
        // 户籍地 is its own field; the last visit went to the city (by hand).
        household: "新乡市卫滨区".into(),
        destination: Some(Destination::City),
        ..Default::default()
    };
    screening::save_person_watch(&mut store, threat_person, &watch, &approver(), now()).unwrap();
    let refs = ReferenceData::load(store.conn()).unwrap();
    let rules = WarningRules::default();
    let r = screening::weekly(store.conn(), &refs, &week_params("2026-11-27"), &rules).unwrap();

    let header: Vec<(&str, String)> = r.header();
    let h = |k: &str| header.iter().find(|(l, _)| *l == k).unwrap().1.clone();
    assert_eq!(h("报送日期"), "2026-11-27");
    assert_eq!(h("排查周期"), "2026-11-21 至 2026-11-27");
    assert_eq!(h("审核领导"), "刘建华");
    assert_eq!(h("本周新增"), "3", "two persons and one matter, all first listed this week");
    assert_eq!(h("在控"), "3");
    assert_eq!(h("零报告"), "否");
    let figures = r.figure_cells();
    let values: Vec<&str> = figures.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(values, ["2", "20", "0", "1", "0"], "两批集体访 8+12 人，一件扬言");

    let a = r.person_cells();
    assert_eq!(a.len(), 2, "the ordinary visitor is not a key person");
    assert_eq!(
        a[0],
        [
            "1",
            "周明",
            "女",
            "410803********8080",
            "139****0001",
            "新乡市卫滨区/朝阳路1号",
            "朝阳街道",
            "扬言极端",
            "退还押金",
            "2026-11-23",
            "1",
            "2026-11-23、市",
            "在办",
            "高",
            "本周两次到区政府",
            "",
            "区市场监督管理局",
            "陈军(139****9999)",
            "街道每日见面",
            "2026-12-31；已约谈",
            "否",
            ""
        ]
    );
    assert_eq!(a[1][1], "吴刚");
    assert!(a[1][11].ends_with("、区"), "without a hand value: this district, {}", a[1][11]);
    assert_eq!(a[1][7], "暴力倾向");
    assert_eq!(a[1][13], "高", "violence defaults to high risk");
    assert_eq!(a[1][14], "本周来访1次", "filled from the data until someone writes it");

    let b = r.dispute_cells();
    assert_eq!(b.len(), 1, "two visits on one matter are one row");
    let case_number: String =
        store.conn().query_row("SELECT number FROM cases WHERE id = ?1", [root], |r| r.get(0)).unwrap();
    assert_eq!(
        b[0],
        [
            "1",
            "2026-11-27",
            "中站区信访局/周敏",
            "问题楼盘",
            "安置房逾期交付（朝阳路棚改项目）",
            "12",
            "冯楼",
            "安置房逾期交付：尽快交房并赔偿",
            "",
            "",
            "可能集体访",
            "",
            "",
            "",
            "",
            "",
            "本周来访2批20人",
            "化解中",
            case_number.as_str()
        ]
    );

    // The matter is taken under control and resolved by hand the next week.
    let w = DisputeWatch {
        group: "问题楼盘".into(),
        name: "朝阳路棚改安置房".into(),
        state: Some(DisputeState::Resolved),
        resolved_on: Some(d("2026-12-02")),
        since: Some(d("2026-11-21")),
        ..Default::default()
    };
    let later = d("2026-12-02").and_hms_opt(9, 0, 0).unwrap();
    screening::save_dispute_watch(&mut store, root, &w, &approver(), later).unwrap();
    // The next week: no visits at all. The person under control is still
    // listed (not new), the matter shows as resolved this week: a 零报告.
    let next = screening::weekly(store.conn(), &refs, &week_params("2026-12-04"), &rules).unwrap();
    assert!(next.zero_report);
    assert_eq!(next.new_count, 0);
    assert_eq!(next.resolved_count, 1);
    assert_eq!(next.persons.len(), 1);
    assert!(!next.persons[0].new);
    assert_eq!(next.persons[0].situation, "本周两次到区政府");
    assert_eq!(next.disputes.len(), 1);
    assert_eq!(next.disputes[0].state(), DisputeState::Resolved);
    assert_eq!(next.disputes[0].shown.name, "朝阳路棚改安置房");
    assert_eq!(next.in_control, 1, "the resolved matter is no longer under control");
    let audit: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE action LIKE '编辑周报%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audit, 2, "every hand edit is audited");
}

#[test]
fn unmasked_reports_show_the_full_id() {
    let (_dir, mut store) = temp_store();
    weekly_dataset(&mut store);
    let refs = ReferenceData::load(store.conn()).unwrap();
    let params = WeekParams { unmasked: true, ..week_params("2026-11-27") };
    let r = screening::weekly(store.conn(), &refs, &params, &WarningRules::default()).unwrap();
    assert_eq!(r.person_cells()[0][3], valid_id("41080319880808808"));
    assert_eq!(r.person_cells()[0][4], "13903910001");
}

#[test]
fn exports_reread_xlsx_csv_with_bom_and_json() {
    use calamine::{Reader, Xlsx, open_workbook};
    let (dir, mut store) = temp_store();
    weekly_dataset(&mut store);
    let refs = ReferenceData::load(store.conn()).unwrap();
    let r = screening::weekly(store.conn(), &refs, &week_params("2026-11-27"), &WarningRules::default()).unwrap();
    let sheets = xfdesk::reports::weekly_sheets(&r);
    let xlsx = dir.path().join("周报.xlsx");
    xfdesk::export::write_book(&xlsx, xfdesk::export::Format::Xlsx, &sheets, false).unwrap();
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["周报", "表A重点人员", "表B矛盾纠纷"]);
    let a = book.worksheet_range("表A重点人员").unwrap();
    assert_eq!(a.get_value((0, 1)).unwrap().to_string(), "姓名");
    assert_eq!(a.get_value((1, 1)).unwrap().to_string(), "周明");
    assert_eq!(a.get_value((1, 3)).unwrap().to_string(), "410803********8080");
    assert_eq!(a.height(), 3);
    let head = book.worksheet_range("周报").unwrap();
    assert_eq!(head.get_value((1, 1)).unwrap().to_string(), "中站区信访局");

    let csv = dir.path().join("周报.csv");
    xfdesk::export::write_book(&csv, xfdesk::export::Format::Csv, &sheets, false).unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the BOM");
    assert_eq!(bytes.windows(3).filter(|w| *w == b"\xEF\xBB\xBF").count(), 1, "one BOM, at the start");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("周报\n项目,内容\n报送单位,中站区信访局\n"), "{text}");
    assert!(text.contains("\n\n表A重点人员\n序号,姓名,"), "{text}");
    assert!(text.contains("\n\n表B矛盾纠纷\n序号,排查日期,"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Metrics: three sheets, the formulas with them.
    let m = xfdesk::reports::metrics_report(
        store.conn(),
        "中站区信访局",
        (d("2026-11-01"), d("2026-11-28"), d("2026-11-28")),
        chrono::Weekday::Fri,
        &MetricRules::default(),
    )
    .unwrap();
    let path = dir.path().join("指标.xlsx");
    xfdesk::export::write_book(&path, xfdesk::export::Format::Xlsx, &m.sheets(), false).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["指标", "分类统计", "批示反馈时长", "公式与口径"]);
    let rates = book.worksheet_range("指标").unwrap();
    assert_eq!(rates.get_value((1, 0)).unwrap().to_string(), "信访总件数");
    assert_eq!(rates.get_value((1, 1)).unwrap().to_string(), "5");
    let formulas = book.worksheet_range("公式与口径").unwrap();
    assert_eq!(formulas.get_value((1, 0)).unwrap().to_string(), "及时受理率");
    let json: serde_json::Value = serde_json::to_value(&m).unwrap();
    assert_eq!(json["metrics"]["total"], 5);
    assert_eq!(json["one_time_window_days"], 90, "the parameters travel with the report");
}

fn import_csv(dir: &std::path::Path, rows: &[&str]) -> std::path::PathBuf {
    let path = dir.join("in.csv");
    let mut text = String::from(
        "\u{feff}外部编号,来源系统,登记时间,姓名,身份证号,联系电话,信访形式,来访人数,内容分类,标题,内容\r\n",
    );
    for r in rows {
        text.push_str(r);
        text.push_str("\r\n");
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn import_is_all_or_nothing_and_skip_bad_keeps_the_good_rows() {
    use xfdesk::import::{self, ImportError, ImportFormat};
    let (dir, mut store) = temp_store();
    let good1 = format!(
        "X1,市系统,2026-10-08 09:20,赵桂兰,{},13803910001,来访,1,物业管理,停水,物业停水",
        valid_id("41080319650312402")
    );
    let good2 = format!("X2,市系统,2026-10-20,赵桂兰,{},,来信,,,再反映,仍停水", valid_id("41080319650312402"));
    let bad_id = "X3,市系统,2026-10-21 10:00,钱国强,410803197811051517,,来访,1,,欠薪,工资".to_string();
    let bad_form = "X4,市系统,2026-10-22 10:00,孙丽,,,上访,1,,标题,内容".to_string();
    let path = import_csv(dir.path(), &[&good1, &bad_id, &good2, &bad_form]);
    let ctx = (now(), "0391", "周敏", "410803");
    let rows = import::read(&path, ImportFormat::Csv).unwrap();
    let before = count(&store, "SELECT count(*) FROM cases");
    let err = import::run(&mut store, rows.clone(), false, ctx, &mut |_| Ok(())).unwrap_err();
    let ImportError::BadRows(bad) = &err else { panic!("{err}") };
    let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 5], "the header is line 1");
    assert!(bad[0].reason.starts_with("身份证号"), "{}", bad[0].reason);
    assert_eq!(bad[1].reason, "未知的信访形式“上访”");
    assert!(err.to_string().contains("第3行：身份证号"), "{err}");
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), before, "nothing written");

    let outcome = import::run(&mut store, rows, true, ctx, &mut |_| Ok(())).unwrap();
    assert_eq!(outcome.imported, 2);
    assert_eq!(outcome.rejected.len(), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), before + 2);
    // The second case of the same person is a repeat linked to the first.
    let (repeat, linked): (String, Option<i64>) = store
        .conn()
        .query_row(
            "SELECT c.repeat_kind, c.linked_case_id FROM cases c JOIN case_external_refs r ON r.case_id = c.id
             WHERE r.number = 'X2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(repeat, "repeat");
    assert!(linked.is_some());
    let rejects = dir.path().join("rejects.csv");
    import::write_rejects(&rejects, &outcome.rejected, false).unwrap();
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.starts_with("\u{feff}行号,错误原因,外部编号"), "{text}");
    assert!(text.contains("\n5,未知的信访形式“上访”,X4,"), "{text}");

    // Importing the same file again: every row is already in.
    let rows = import::read(&path, ImportFormat::Csv).unwrap();
    let err = import::run(&mut store, rows, false, ctx, &mut |_| Ok(())).unwrap_err().to_string();
    assert!(err.contains("外部编号 X1 已导入过"), "{err}");
}

#[test]
fn import_reads_json_and_the_example_file_in_seeds() {
    use xfdesk::import::{self, ImportFormat};
    let (dir, mut store) = temp_store();
    let ctx = (now(), "0391", "周敏", "410803");
    let rows = import::read(std::path::Path::new("seeds/import-example.csv"), ImportFormat::Csv).unwrap();
    assert_eq!(import::run(&mut store, rows, false, ctx, &mut |_| Ok(())).unwrap().imported, 3);
    let path = dir.path().join("in.json");
    let json = format!(
        r#"[{{"外部编号": "J1", "登记时间": "2026-11-02 09:00", "姓名": "何静", "身份证号": "{}", "信访形式": "来访",
             "标题": "噪声", "内容": "夜间施工", "扬言": "是"}},
            {{"外部编号": "J2", "登记时间": "2026-11-03", "姓名": "", "信访形式": "来访", "标题": "x", "内容": "y"}}]"#,
        valid_id("41080319930303303")
    );
    std::fs::write(&path, json).unwrap();
    let rows = import::read(&path, ImportFormat::Json).unwrap();
    let outcome = import::run(&mut store, rows, true, ctx, &mut |_| Ok(())).unwrap();
    assert_eq!(outcome.imported, 1);
    assert_eq!((outcome.rejected[0].line, outcome.rejected[0].reason.as_str()), (2, "姓名不能为空"));
    assert_eq!(count(&store, "SELECT count(*) FROM cases WHERE threat = 1"), 1);
}

mod screen {
    use super::*;
    use crossterm::event::KeyCode;
    use xfdesk::app::Screen;
    use xfdesk::app::reports::ReportTab;

    fn settle_report(app: &mut xfdesk::app::App) {
        app.reports_mut().wait();
        app.settle();
    }

    #[test]
    fn the_reports_screen_metrics_weekly_and_warnings() {
        let (_dir, mut app) = demo_app();
        key(&mut app, KeyCode::Char('6'));
        assert_eq!(app.screen(), Screen::Reports);
        // The key returned at once: the metrics are computed by the worker.
        assert!(app.reports().is_busy(), "computed off the UI thread");
        let busy = screen_text(&render(&mut app, 120, 40));
        assert!(busy.contains("正在计算"), "{busy}");
        settle_report(&mut app);
        let m = app.reports().metrics.as_ref().expect("metrics arrived");
        assert!(m.metrics.total > 0);
        insta::assert_snapshot!("reports_metrics_120x40", screen_text(&render(&mut app, 120, 40)));
        insta::assert_snapshot!("reports_metrics_80x24", screen_text(&render(&mut app, 80, 24)));

        key(&mut app, KeyCode::Char('w'));
        settle_report(&mut app);
        assert_eq!(app.reports().tab, ReportTab::Weekly);
        insta::assert_snapshot!("reports_weekly_120x40", screen_text(&render(&mut app, 120, 40)));
        // o on a Table A row opens the person's latest case; Esc comes back.
        let latest = app.reports().weekly.as_ref().unwrap().persons[0].latest_case;
        key(&mut app, KeyCode::Char('o'));
        assert_eq!(app.detail().map(|d| d.case_id), latest);
        key(&mut app, KeyCode::Esc);
        assert!(app.detail().is_none());
        key(&mut app, KeyCode::Char('b'));
        insta::assert_snapshot!("reports_weekly_table_b_80x24", screen_text(&render(&mut app, 80, 24)));

        key(&mut app, KeyCode::Char('a'));
        settle_report(&mut app);
        insta::assert_snapshot!("reports_warnings_120x40", screen_text(&render(&mut app, 120, 40)));
        insta::assert_snapshot!("reports_warnings_80x24", screen_text(&render(&mut app, 80, 24)));
        // o opens the selected person's latest case.
        key(&mut app, KeyCode::Down);
        let expected = app.reports().warnings.as_ref().unwrap()[1].case_id;
        key(&mut app, KeyCode::Char('o'));
        assert_eq!(app.detail().map(|d| d.case_id), expected);
        let detail = screen_text(&render(&mut app, 120, 40));
        assert!(detail.contains("预警（"), "the detail pane names the warnings: {detail}");
    }

    #[test]
    fn hand_fields_typed_on_the_weekly_report_are_saved_and_shown() {
        let (dir, mut app) = demo_app();
        app.update(xfdesk::app::Action::GoTo(Screen::Reports));
        key(&mut app, KeyCode::Char('w'));
        settle_report(&mut app);
        key(&mut app, KeyCode::Char('b'));
        let row = app.reports().weekly.as_ref().unwrap().disputes[0].clone();
        key(&mut app, KeyCode::Enter);
        assert!(app.watch_form().is_some());
        for _ in 0..2 {
            key(&mut app, KeyCode::Tab);
        }
        typ(&mut app, "约谈建筑公司负责人");
        // A wrong date keeps the form and says which field.
        for _ in 0..7 {
            key(&mut app, KeyCode::Tab);
        }
        typ(&mut app, "12月底");
        key(&mut app, KeyCode::Enter);
        let f = app.watch_form().expect("still open");
        assert_eq!(f.form.error.as_deref(), Some("化解时限应写成 2026-11-28"));
        for _ in 0.."12月底".chars().count() {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "2026-12-31");
        key(&mut app, KeyCode::Enter);
        assert!(app.watch_form().is_none());
        settle_report(&mut app);
        let (measures, due): (String, String) = app
            .store()
            .conn()
            .query_row("SELECT measures, resolve_by FROM dispute_watch WHERE case_id = ?1", [row.case_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((measures.as_str(), due.as_str()), ("约谈建筑公司负责人", "2026-12-31"));
        let shown = &app.reports().weekly.as_ref().unwrap().disputes;
        let again = shown.iter().find(|d| d.case_id == row.case_id).unwrap();
        assert_eq!(again.shown.measures, "约谈建筑公司负责人");
        assert!(again.new, "first listed in the week it was edited for");

        // x writes the report beside the database, masked, and audits it.
        key(&mut app, KeyCode::Char('x'));
        let exported = dir.path().join("exports").join(format!("周报-{}.xlsx", again_week(&app)));
        assert!(exported.exists(), "{:?}", app.reports().message);
        let audits: i64 = app
            .store()
            .conn()
            .query_row("SELECT count(*) FROM audit_log WHERE action = '导出报表'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(audits, 1);
    }

    #[test]
    fn another_desks_registration_marks_the_report_out_of_date_until_r() {
        let (dir, mut app) = demo_app();
        key(&mut app, KeyCode::Char('6'));
        settle_report(&mut app);
        let before = app.reports().metrics.as_ref().unwrap().metrics.total;
        // Opening a case and coming back changes nothing: no false alarm.
        app.open_case(1);
        key(&mut app, KeyCode::Esc);
        assert!(!app.reports().stale);
        // Another desk registers a case today.
        let mut other = Store::open(&dir.path().join("xfdesk.db")).unwrap();
        register(&mut other, petitioner("何静", &valid_id("41080319930303303")), "新登记", "2026-11-28 10:00");
        app.tick();
        assert!(app.reports().stale);
        assert!(screen_text(&render(&mut app, 120, 40)).contains("数据已有更新，按 r 重新计算"));
        key(&mut app, KeyCode::Char('r'));
        settle_report(&mut app);
        assert!(!app.reports().stale);
        assert_eq!(app.reports().metrics.as_ref().unwrap().metrics.total, before + 1);
    }

    fn again_week(app: &xfdesk::app::App) -> NaiveDate {
        app.reports().weekly.as_ref().unwrap().week_ending
    }
}

#[test]
fn the_readme_states_every_formula_as_the_reports_print_it() {
    let readme = include_str!("../README.md");
    for (name, formula) in xfdesk::domain::metrics::formulas(&MetricRules::default()) {
        assert!(readme.contains(&formula), "README lacks the formula of {name}: {formula}");
    }
    assert!(readme.contains(xfdesk::domain::metrics::SCOPE));
}
