//! Each person's counted cases (`petitioner_visits`) equal a recount of
//! their cases, and each link's copy of its case's day and category equals
//! the case, after every kind of write: a generated archive, a desk's
//! registration, a step that closes a case, a merge of two records and an
//! import; and a count or copy put wrong by hand is found.

mod common;

use common::papers::act;
use common::*;
use xfdesk::domain::lifecycle::Action;
use xfdesk::store::person_merge::{self, Merge};
use xfdesk::store::reference::ReferenceData;
use xfdesk::store::{Store, cases, visits};

fn counted(store: &Store, person: i64) -> (i64, i64) {
    store
        .conn()
        .query_row("SELECT case_count, open_cases FROM petitioner_visits WHERE petitioner_id = ?1", [person], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

fn right(store: &Store, after: &str) {
    assert_eq!(visits::mismatches(store.conn(), 10).unwrap(), Vec::<i64>::new(), "after {after}");
    assert_eq!(visits::link_copy_mismatches(store.conn(), 10).unwrap(), Vec::<i64>::new(), "links after {after}");
    let unset: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM case_petitioners WHERE registered_at IS NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(unset, 0, "every link carries its case's day after {after}");
}

#[test]
fn the_counts_stay_a_recount_through_every_write() {
    let (dir, mut store) = temp_store();
    generate(&mut store, 400, 1_500, 3, 200);
    right(&store, "gen");
    let people: i64 =
        store.conn().query_row("SELECT count(DISTINCT petitioner_id) FROM case_petitioners", [], |r| r.get(0)).unwrap();
    let rows: i64 = store.conn().query_row("SELECT count(*) FROM petitioner_visits", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, people);

    let (clerk, _) = two_people(&mut store);
    store.act_as(clerk);
    let first =
        cases::register(&mut store, &registration(petitioner("甲某", &valid_id("41080319800101001")), "一")).unwrap();
    let person = first.petitioner_ids[0];
    assert_eq!(counted(&store, person), (1, 1));
    let mut again = registration(petitioner("甲某", &valid_id("41080319800101001")), "二");
    again.petitioners[0].id = Some(person);
    let second = cases::register(&mut store, &again).unwrap();
    assert_eq!(counted(&store, person), (2, 2));
    right(&store, "registration");

    act(&mut store, second.case_id, Action::NotAccept { reason: "不属于信访事项".into() });
    assert_eq!(counted(&store, person), (2, 1), "closed: one open");
    right(&store, "a step that ends the case");

    // A record made without the ID (the same person, as a merge finds).
    let unnamed = xfdesk::domain::Petitioner { name: "甲某".into(), ..Default::default() };
    let other = cases::register(&mut store, &registration(unnamed, "三")).unwrap().petitioner_ids[0];
    assert_ne!(other, person);
    let merge = Merge { keep: person, other, take: Vec::new(), reason: "同一人".into() };
    person_merge::merge(&mut store, &merge, "周敏", now(), now().date()).unwrap();
    assert_eq!(counted(&store, person), (3, 2));
    let gone: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM petitioner_visits WHERE petitioner_id = ?1", [other], |r| r.get(0))
        .unwrap();
    assert_eq!(gone, 0, "the merged record counts nothing");
    right(&store, "a merge");

    let csv = dir.path().join("in.csv");
    let id = valid_id("41080319650312402");
    let text = format!(
        "\u{feff}外部编号,来源系统,登记时间,姓名,身份证号,联系电话,信访形式,来访人数,内容分类,标题,内容\r\n\
         X1,市系统,2026-10-08 09:20,赵桂兰,{id},13803910001,来访,1,物业管理,停水,物业停水\r\n\
         X2,市系统,2026-10-20,赵桂兰,{id},,来信,,,再反映,仍停水\r\n"
    );
    std::fs::write(&csv, text).unwrap();
    let rows = xfdesk::import::read(&csv, xfdesk::import::ImportFormat::Csv).unwrap();
    xfdesk::import::run(&mut store, rows, false, (now(), "0391", "周敏", "410803"), &mut |_| Ok(())).unwrap();
    right(&store, "an import");

    // A case recoded (as a migration of the category list would): its links follow.
    let recode = |code: &str| {
        store.conn().execute("UPDATE cases SET category_code = ?1 WHERE id = ?2", (code, first.case_id)).unwrap();
        let copied: String = store
            .conn()
            .query_row("SELECT category_code FROM case_petitioners WHERE case_id = ?1", [first.case_id], |r| r.get(0))
            .unwrap();
        assert_eq!(copied, code);
        right(&store, "a recoded case");
    };
    recode("60201501");
    // Back as registered (its seal holds again).
    recode(common::case("").category_code.as_deref().unwrap());

    // A link's copy put wrong outside the desk is found.
    store
        .conn()
        .execute("UPDATE case_petitioners SET registered_at = '2001-01-01' WHERE case_id = ?1", [second.case_id])
        .unwrap();
    assert_eq!(visits::link_copy_mismatches(store.conn(), 10).unwrap(), vec![second.case_id]);
    let report = xfdesk::store::check::run(store.conn(), false).unwrap();
    assert_eq!(
        report.first_problem().unwrap(),
        format!("事项 {} 的信访人关联所记登记时间或分类与事项不符", second.case_id)
    );
    store
        .conn()
        .execute("UPDATE case_petitioners SET registered_at = (SELECT registered_at FROM cases WHERE id = case_id)", [])
        .unwrap();

    // A count put wrong outside the desk is found.
    store.conn().execute("UPDATE petitioner_visits SET case_count = 99 WHERE petitioner_id = ?1", [person]).unwrap();
    assert_eq!(visits::mismatches(store.conn(), 10).unwrap(), vec![person]);
    let report = xfdesk::store::check::run(store.conn(), false).unwrap();
    assert!(!report.is_ok());
    assert_eq!(report.first_problem().unwrap(), format!("信访人档案 {person} 的来访统计与其事项不符"));
}

/// The search page builds a person's badges from the history its own row
/// read and a windowed read of those who came recently; the 预警 list and the
/// case detail build them from `person_warnings`. Both give the same badges
/// for everyone of a generated archive, with rules loose enough to fire.
#[test]
fn the_search_page_badges_equal_the_warnings_worked_out_afresh() {
    let (_dir, mut store) = temp_store();
    generate(&mut store, 150, 900, 5, 300);
    let refs = ReferenceData::load(store.conn()).unwrap();
    let conn = store.conn();
    let today = now().date();
    let rules = xfdesk::domain::warning::WarningRules {
        repeat_cases: 2,
        repeat_days: 400,
        long_term_years: 1,
        ..Default::default()
    };
    let people: Vec<(i64, String)> = conn
        .prepare("SELECT id, id_number FROM petitioners WHERE id_number IS NOT NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut fired = 0;
    for (id, number) in &people {
        let q = xfdesk::domain::query::parse(number, false);
        let page = xfdesk::store::search::page(conn, &refs, &q, 50, today, &rules).unwrap();
        let hit = page
            .hits
            .iter()
            .find_map(|h| match h {
                xfdesk::store::search::Hit::Petitioner(p) if p.id == *id => Some(p),
                _ => None,
            })
            .expect("the person is found by their ID number");
        let afresh = xfdesk::store::warnings::person_warnings(conn, &[*id], today, &rules).unwrap();
        assert_eq!(hit.warnings, afresh.get(id).cloned().unwrap_or_default(), "person {id}");
        fired += usize::from(!hit.warnings.is_empty());
    }
    assert!(fired > people.len() / 4, "the rules fire for many ({fired} of {})", people.len());
}

/// A petitioner and a case linked to them, as version 23 stored them (the
/// link without its case's day and category).
const V23_ROWS: &str = "PRAGMA foreign_keys = OFF; -- the reference lists are seeded by the first open
     INSERT INTO petitioners (id, name, name_pinyin, name_initials, created_at, updated_at)
         VALUES (1, '旧库', 'jiuku', 'jk', '2026-11-20 09:00:00', '2026-11-20 09:00:00');
     INSERT INTO cases (id, number, registered_at, clerk, form_code, class, title, content, repeat_kind,
                        status, updated_at, category_code)
         VALUES (1, '41080320261120F0001', '2026-11-20 09:00:00', '周敏', 'LF', 'appeal', '老数据',
                 '早年登记的拆迁安置问题', 'first', 'registered', '2026-11-20 09:00:00', '60201502');
     INSERT INTO case_petitioners (case_id, seq, petitioner_id, is_representative) VALUES (1, 1, 1, 1);";

/// A database as version 23 wrote it gets each link's copy of its case's
/// day and category from migration 24, and the index the badges read.
#[test]
fn a_version_23_database_gets_the_links_copies() {
    let (_dir, db) = common::old_database(23, V23_ROWS);
    let store = Store::open(&db).unwrap();
    let copy: (String, String) = store
        .conn()
        .query_row("SELECT registered_at, category_code FROM case_petitioners WHERE case_id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(copy, ("2026-11-20 09:00:00".to_string(), "60201502".to_string()));
    right(&store, "the migration");
    assert!(index_names(store.conn()).contains(&"case_petitioners_visits".to_string()));
}

/// A case whose category and its parent category both name a key group
/// joins the group list twice; it is still one case of the person's recent
/// ones (the repeat-visit count), and each group is named once.
#[test]
fn a_case_in_two_named_categories_counts_once() {
    let (_dir, mut store) = temp_store();
    store
        .conn()
        .execute_batch(
            "INSERT OR REPLACE INTO key_groups (category_code, grp) VALUES ('60201502', '问题楼盘');
             INSERT OR REPLACE INTO key_groups (category_code, grp) VALUES ('602015', '物业纠纷');",
        )
        .unwrap();
    let p = petitioner("乙某", &valid_id("41080319800101002"));
    let person = cases::register(&mut store, &registration(p.clone(), "一")).unwrap().petitioner_ids[0];
    for title in ["二", "三"] {
        let mut again = registration(p.clone(), title);
        again.petitioners[0].id = Some(person);
        cases::register(&mut store, &again).unwrap();
    }
    let rules = xfdesk::domain::warning::WarningRules::default();
    let h = xfdesk::store::warnings::person_histories(store.conn(), &[person], now().date(), &rules).unwrap();
    let h = &h[&person];
    assert_eq!(h.recent_cases, 3, "{h:?}");
    assert_eq!(h.key_groups, vec!["物业纠纷".to_string(), "问题楼盘".to_string()]);
}
