//! Tamper evidence, tried as someone who can open the file: every way of
//! altering the trail, the audit log or a case row behind the program's back
//! (triggers dropped first) is found by `xfdesk check`, named by case or row.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, params};
use xfdesk::domain::CaseEvent;
use xfdesk::store::{chain, trail};

mod common;
use common::{err_text, out_text, xfdesk_as, xfdesk_on};

/// A demo database with two audit rows (two backups), checked once (so
/// anchors exist).
fn desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    assert!(xfdesk_on(home.path(), &db, &["--demo", "init"]).status.success());
    for name in ["first.bak", "second.bak"] {
        let bak = home.path().join(name);
        let out = xfdesk_as(home.path(), &db, &["backup", "--out", bak.to_str().unwrap()]);
        assert!(out.status.success(), "{}", err_text(&out));
    }
    let out = xfdesk_on(home.path(), &db, &["check"]);
    assert!(out.status.success(), "{}", out_text(&out));
    (home, db)
}

/// Open the file as an intruder would: guards dropped.
fn intruder(db: &Path) -> Connection {
    let c = Connection::open(db).unwrap();
    c.execute_batch(
        "DROP TRIGGER case_events_append_only_update; DROP TRIGGER case_events_append_only_delete;
         DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;",
    )
    .unwrap();
    c
}

fn event_at(c: &Connection, id: i64) -> CaseEvent {
    c.query_row(
        "SELECT id, case_id, at, actor, action, note, old_value, new_value FROM case_events WHERE id = ?1",
        [id],
        |r| {
            let at: String = r.get(2)?;
            Ok(CaseEvent {
                id: r.get(0)?,
                case_id: r.get(1)?,
                at: xfdesk::store::parse_timestamp(&at).unwrap(),
                actor: r.get(3)?,
                action: r.get(4)?,
                note: r.get(5)?,
                old_value: r.get(6)?,
                new_value: r.get(7)?,
            })
        },
    )
    .unwrap()
}

/// Recompute every per-case hash (and, with `global`, the global sequence)
/// from the rows as they now stand: the forger who knows the algorithm.
fn recompute(c: &Connection, global: bool) {
    let ids: Vec<i64> = c
        .prepare("SELECT id FROM case_events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut case_prev: HashMap<i64, String> = HashMap::new();
    let mut head = chain::Head::default();
    for id in ids {
        let e = event_at(c, id);
        let prev = case_prev.get(&e.case_id).cloned().unwrap_or_default();
        let hash = trail::event_hash(&prev, &e);
        let seal: String =
            c.query_row("SELECT case_digest FROM case_events WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        c.execute("UPDATE case_events SET prev_hash = ?2, hash = ?3 WHERE id = ?1", params![id, prev, hash]).unwrap();
        if global {
            head = chain::link_event(&head, &hash, &seal);
            c.execute(
                "UPDATE case_events SET seq = ?2, chain_hash = ?3 WHERE id = ?1",
                params![id, head.seq, head.hash],
            )
            .unwrap();
        }
        case_prev.insert(e.case_id, hash);
    }
}

fn one(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A case with several events whose last event is not the newest of all.
fn busy_case(c: &Connection) -> i64 {
    one(
        c,
        "SELECT case_id FROM case_events GROUP BY case_id HAVING count(*) > 1
         AND max(id) < (SELECT max(id) FROM case_events) ORDER BY case_id LIMIT 1",
    )
}

fn number_of(c: &Connection, case_id: i64) -> String {
    c.query_row("SELECT number FROM cases WHERE id = ?1", [case_id], |r| r.get(0)).unwrap()
}

#[test]
fn every_alteration_behind_the_programs_back_is_found_and_named() {
    type Tamper = fn(&Connection) -> Vec<String>;
    let cases: Vec<(&str, Tamper)> = vec![
        ("delete the last event of a case", |c| {
            let case = busy_case(c);
            c.execute(
                "DELETE FROM case_events WHERE id = (SELECT max(id) FROM case_events WHERE case_id = ?1)",
                [case],
            )
            .unwrap();
            vec!["办理记录校验链：发现 1 处问题".into(), "缺失（被删除）".into()]
        }),
        ("delete every event of a case", |c| {
            let case = busy_case(c);
            c.execute("DELETE FROM case_events WHERE case_id = ?1", [case]).unwrap();
            vec![format!("事项 {} 没有办理记录封记", number_of(c, case)), "缺失（被删除）".into()]
        }),
        ("empty the whole trail", |c| {
            let cases = one(c, "SELECT count(*) FROM cases");
            let head = one(c, "SELECT max(seq) FROM case_events");
            c.execute("DELETE FROM case_events", []).unwrap();
            vec![format!("事项封记：发现 {cases} 处问题"), format!("办理记录第 {head} 条已不存在（记录被截断或删除）")]
        }),
        ("append a forged event with a correct per-case hash", |c| {
            let case = busy_case(c);
            let mut e = event_at(c, one(c, &format!("SELECT max(id) FROM case_events WHERE case_id = {case}")));
            e.note = "伪造的答复".into();
            e.action = "答复".into();
            let prev = trail::last_hash(c, case).unwrap();
            let hash = trail::event_hash(&prev, &e);
            let seq = one(c, "SELECT max(seq) FROM case_events") + 1;
            c.execute(
                "INSERT INTO case_events (case_id, at, actor, action, note, old_value, new_value, prev_hash, hash,
                                          seq, chain_hash, event_kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'f00d', 'reply')",
                params![
                    case,
                    xfdesk::store::timestamp(e.at),
                    e.actor,
                    e.action,
                    e.note,
                    e.old_value,
                    e.new_value,
                    prev,
                    hash,
                    seq
                ],
            )
            .unwrap();
            vec![format!("（第 {seq} 条）与全局序列不符")]
        }),
        ("edit an event and recompute its case's chain", |c| {
            let case = busy_case(c);
            let first = one(c, &format!("SELECT min(id) FROM case_events WHERE case_id = {case}"));
            c.execute("UPDATE case_events SET note = '改过的记录' WHERE id = ?1", [first]).unwrap();
            recompute(c, false);
            vec![format!("事项 {} 的办理记录（编号 {first}）", number_of(c, case)), "与全局序列不符".into()]
        }),
        ("edit an event and recompute every chain (only the anchors know)", |c| {
            let case = busy_case(c);
            let first = one(c, &format!("SELECT min(id) FROM case_events WHERE case_id = {case}"));
            c.execute("UPDATE case_events SET note = '改过的记录' WHERE id = ?1", [first]).unwrap();
            recompute(c, true);
            vec!["锚点：发现".into(), "的校验值与锚点不符（记录被改写）".into()]
        }),
        ("recode an event's kind (the code is not hashed)", |c| {
            let case = busy_case(c);
            let first = one(c, &format!("SELECT min(id) FROM case_events WHERE case_id = {case}"));
            c.execute("UPDATE case_events SET event_kind = 'close' WHERE id = ?1", [first]).unwrap();
            vec![format!("（编号 {first}）的事件类别被改动")]
        }),
        ("edit the case row itself", |c| {
            let case = busy_case(c);
            c.execute("UPDATE cases SET title = '改过的标题', status = 'closed' WHERE id = ?1", [case]).unwrap();
            vec![format!("事项 {} 的记录被直接改动：", number_of(c, case)), "标题".into(), "状态".into()]
        }),
        ("delete an audit row", |c| {
            c.execute("DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)", []).unwrap();
            vec!["审计记录校验链：发现 1 处问题".into(), "审计记录第 1 至 1 条缺失（被删除）".into()]
        }),
        ("forge an audit row", |c| {
            let seq = one(c, "SELECT max(seq) FROM audit_log") + 1;
            c.execute(
                "INSERT INTO audit_log (at, operator, action, detail, seq, hash) VALUES ('2026-12-01 09:00:00', '某人', '导出', '', ?1, 'beef')",
                [seq],
            )
            .unwrap();
            vec![format!("审计记录第 {seq} 条")]
        }),
        ("leave the guards dropped", |_| {
            vec!["只追加保护触发器：发现 4 处问题".into(), "xfdesk repair-triggers".into()]
        }),
    ];
    for (name, tamper) in cases {
        let (home, db) = desk();
        let expected = tamper(&intruder(&db));
        let out = xfdesk_on(home.path(), &db, &["check"]);
        let text = out_text(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: check must fail\n{text}");
        for want in expected {
            assert!(text.contains(&want), "{name}: expected 「{want}」 in\n{text}");
        }
    }
}

#[test]
fn a_paper_anchor_is_verified_against_the_trail() {
    let (home, db) = desk();
    let c = Connection::open(&db).unwrap();
    let (seq, hash): (i64, String) = c
        .query_row("SELECT seq, chain_hash FROM case_events ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    drop(c);
    let paper = format!("第{seq}条:{}", &hash[..12]);
    let out = xfdesk_on(home.path(), &db, &["check", "--anchor", &paper]);
    assert!(out.status.success(), "{}", out_text(&out));
    assert!(out_text(&out).contains("与数据库一致"));

    let wrong = format!("第{seq}条:{}", "0".repeat(12));
    let out = xfdesk_on(home.path(), &db, &["check", "--anchor", &wrong]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out_text(&out).contains(&format!("纸面锚点 第{seq}条")), "{}", out_text(&out));

    let out = xfdesk_on(home.path(), &db, &["check", "--anchor", "第5条"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(err_text(&out).contains("锚点应写成"));

    // The forger who recomputes everything is caught by the paper anchor
    // even when the anchors file is deleted too.
    let c = intruder(&db);
    let first = one(&c, "SELECT min(id) FROM case_events");
    c.execute("UPDATE case_events SET note = '改过' WHERE id = ?1", [first]).unwrap();
    recompute(&c, true);
    c.execute_batch(
        &xfdesk::store::guards::GUARDS
            .iter()
            .map(|(n, b)| format!("CREATE TRIGGER IF NOT EXISTS {n} {b};"))
            .collect::<String>(),
    )
    .unwrap();
    drop(c);
    std::fs::remove_file(home.path().join(".config/xfdesk/anchors.log")).unwrap();
    let out = xfdesk_on(home.path(), &db, &["check", "--anchor", &paper]);
    assert_eq!(out.status.code(), Some(1), "{}", out_text(&out));
    assert!(out_text(&out).contains("的校验值与锚点不符"), "{}", out_text(&out));
}

#[test]
fn repair_triggers_puts_the_guards_back_and_is_audited() {
    let (home, db) = desk();
    drop(intruder(&db));
    let out = xfdesk_as(home.path(), &db, &["repair-triggers"]);
    assert!(out.status.success(), "{}", err_text(&out));
    assert!(out_text(&out).contains("已重建 4 个"));
    let out = xfdesk_on(home.path(), &db, &["check"]);
    assert!(out.status.success(), "{}", out_text(&out));
    let c = Connection::open(&db).unwrap();
    assert_eq!(one(&c, "SELECT count(*) FROM audit_log WHERE action = '修复触发器'"), 1);
    assert!(c.execute("DELETE FROM case_events", []).is_err(), "the guard holds again");
    let out = xfdesk_as(home.path(), &db, &["repair-triggers"]);
    assert!(out_text(&out).contains("无需修复"));
}

#[test]
fn the_anchors_file_is_owner_only_and_names_the_database() {
    let (home, _db) = desk();
    let file = home.path().join(".config/xfdesk/anchors.log");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one for each backup, one for the check:\n{text}");
    assert!(lines[0].contains("备份") && lines[2].ends_with("检查"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn the_weekly_reports_footer_is_an_anchor_that_check_accepts() {
    let (home, db) = desk();
    let out_file = home.path().join("周报.csv");
    let out =
        xfdesk_as(home.path(), &db, &["report", "weekly", "--format", "csv", "--out", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err_text(&out));
    let text = std::fs::read_to_string(&out_file).unwrap();
    let footer = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    let mark =
        footer.trim_matches(|c| c == '"' || c == ',').strip_prefix("校验：").unwrap_or_else(|| panic!("{footer}"));
    let (seq, hash) = mark.split_once(' ').unwrap();
    assert_eq!(hash.len(), 16, "{mark}");
    let paper = format!("{seq}:{hash}");
    let out = xfdesk_on(home.path(), &db, &["check", "--anchor", &paper]);
    assert!(out.status.success(), "{}", out_text(&out));
    assert!(out_text(&out).contains("与数据库一致"));
    let anchors = std::fs::read_to_string(home.path().join(".config/xfdesk/anchors.log")).unwrap();
    assert!(anchors.contains("周报 截止"), "{anchors}");
}

/// A database as version 11 wrote it (per-case chain, audit rows without a
/// sequence) is numbered, linked and sealed by version 12; its per-case
/// hashes are kept byte for byte and still verify, and tampering after the
/// upgrade is found.
#[test]
fn a_version_11_database_keeps_its_chain_and_gains_the_sequences() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("v11.db");
    {
        let mut c = Connection::open(&db).unwrap();
        xfdesk::store::migrations::migrate_to(&mut c, 11).unwrap();
        c.execute_batch(
            &(common::OLD_CASE_ROWS.to_owned()
                + "
             INSERT INTO audit_log (at, operator, action, detail) VALUES ('2026-11-21 09:00:00', '周敏', '备份', 'a.db');
             INSERT INTO audit_log (at, operator, action, detail) VALUES ('2026-11-22 09:00:00', '周敏', '备份', 'b.db');"),
        )
        .unwrap();
        let mut prev = String::new();
        for (at, action) in [("2026-11-20 09:00:00", "登记"), ("2026-11-21 10:00:00", "拟办")] {
            let e = CaseEvent::new(1, xfdesk::store::parse_timestamp(at).unwrap(), "周敏", action, "旧记录");
            let hash = trail::event_hash(&prev, &e);
            c.execute(
                "INSERT INTO case_events (case_id, at, actor, action, note, prev_hash, hash) VALUES (1, ?1, '周敏', ?2, '旧记录', ?3, ?4)",
                params![at, action, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
    }
    let hashes = |db: &Path| -> Vec<String> {
        let c = Connection::open(db).unwrap();
        c.prepare("SELECT hash FROM case_events ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = hashes(&db);
    let out = xfdesk_on(home.path(), &db, &["init"]);
    assert!(out.status.success(), "{}", err_text(&out));
    assert_eq!(hashes(&db), before, "the per-case hashes are the stored bytes, unchanged");
    let c = Connection::open(&db).unwrap();
    let seqs: String = c
        .query_row("SELECT group_concat(seq) FROM (SELECT seq FROM case_events ORDER BY id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seqs, "1,2");
    assert_eq!(one(&c, "SELECT count(*) FROM audit_log WHERE hash <> ''"), 2);
    assert_eq!(one(&c, "PRAGMA application_id"), 0x5846_4453);
    drop(c);
    let out = xfdesk_on(home.path(), &db, &["check"]);
    assert!(out.status.success(), "{}", out_text(&out));
    Connection::open(&db).unwrap().execute("UPDATE cases SET title = '改过' WHERE id = 1", []).unwrap();
    let out = xfdesk_on(home.path(), &db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out_text(&out).contains("事项 41080320261120F0001 的记录被直接改动：标题"), "{}", out_text(&out));
}
