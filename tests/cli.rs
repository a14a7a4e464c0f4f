//! The real binary: subcommands, exit codes and plain error messages.

use std::path::Path;
use std::process::{Command, Output};

mod common;

fn xfdesk(home: &Path, args: &[&str]) -> Output {
    let signed: Vec<String> = common::sign_in_for(home, args);
    let all: Vec<&str> = signed.iter().map(String::as_str).chain(args.iter().copied()).collect();
    xfdesk_raw(home, &all)
}

/// The binary with exactly `args` (no sign-in added).
fn xfdesk_raw(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xfdesk"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("XFDESK_DB")
        .env_remove("XFDESK_CONFIG")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_creates_the_default_database_in_the_data_dir() {
    let home = tempfile::tempdir().unwrap();
    let out = xfdesk(home.path(), &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("数据库已就绪"));
    let db = home.path().join("data").join("xfdesk").join("xfdesk.db");
    assert!(db.exists(), "default database at {}", db.display());
    assert!(home.path().join("data/xfdesk/logs").is_dir(), "logs live next to the database");
}

#[test]
fn demo_init_fills_a_separate_database() {
    let home = tempfile::tempdir().unwrap();
    let out = xfdesk(home.path(), &["--demo", "init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("事项 124 件"), "{}", stdout(&out));
    assert!(home.path().join("data/xfdesk/demo.db").exists());
    assert!(!home.path().join("data/xfdesk/xfdesk.db").exists());
}

#[test]
fn an_invalid_config_is_refused_with_file_line_and_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("bad.toml");
    std::fs::write(&cfg, "office_name = \"中站区信访局\"\narea_code = \"41080\"\n").unwrap();
    let db = home.path().join("x.db");
    let out = xfdesk(home.path(), &["--config", cfg.to_str().unwrap(), "--db", db.to_str().unwrap(), "init"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("配置文件 {} 第2行有误", cfg.display())), "{err}");
    assert!(err.contains("区划代码应为6位数字"), "{err}");
    assert!(!db.exists(), "nothing is created when the config is bad");

    let out = xfdesk(home.path(), &["--config", "/nonexistent/xfdesk.toml", "init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("无法读取配置文件"), "{}", stderr(&out));
}

#[test]
fn gen_then_check_passes() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("gen.db");
    let db = db.to_str().unwrap();
    let out = xfdesk(home.path(), &["--db", db, "gen", "--petitioners", "200", "--cases", "600", "--seed", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("已生成 200 名信访人、600 件事项"), "{}", stdout(&out));
    let out = xfdesk(home.path(), &["--db", db, "check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("完整性检查：正常") && text.contains("外键检查：正常"), "{text}");
}

#[test]
fn check_fails_plainly_on_a_file_that_is_not_a_database() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("junk.db");
    std::fs::write(&db, vec![0x5a_u8; 8192]).unwrap();
    let out = xfdesk(home.path(), &["--db", db.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不是 xfdesk 数据库"), "{}", stderr(&out));
}

#[test]
fn a_newer_database_is_refused_on_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("new.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk(home.path(), &["--db", dbs, "init"]).status.success());
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let out = xfdesk(home.path(), &["--db", dbs, "init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("更新版本的 xfdesk"), "{}", stderr(&out));
}

#[test]
fn the_tui_without_a_terminal_says_so_instead_of_garbling() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    let out = xfdesk(home.path(), &["--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("界面需要在终端中运行"), "{}", stderr(&out));
}

#[test]
fn deadline_prints_the_due_date_and_why() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    let db = db.to_str().unwrap();
    let out = xfdesk(home.path(), &["--db", db, "deadline", "relay", "--from", "2026-02-05", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["rule"].as_str(), v["from"].as_str(), v["due"].as_str()),
        (Some("relay"), Some("2026-02-05"), Some("2026-02-24"))
    );
    assert!(v["explanation"].as_str().unwrap().contains("春节假期"));
    let out = xfdesk(home.path(), &["--db", db, "deadline", "handle", "--from", "2026-06-01", "--extend", "30"]);
    assert!(stdout(&out).starts_with("办结：2026-08-31"), "{}", stdout(&out));
    let out = xfdesk(home.path(), &["--db", db, "deadline", "handle", "--from", "2026-06-01", "--extend", "31"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("延期最多30日"));
    let out = xfdesk(home.path(), &["--db", db, "deadline", "soon", "--from", "2026-06-01"]);
    assert!(stderr(&out).contains("未知的期限「soon」"), "{}", stderr(&out));
}

#[test]
fn due_and_case_show_on_the_demo_desk() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let db = db.to_str().unwrap();
    let out = xfdesk(home.path(), &["--demo", "--db", db, "due", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups[0]["label"], "已超期");
    let overdue = groups[0]["items"].as_array().unwrap();
    assert!(!overdue.is_empty(), "the demo has overdue cases");
    // Overdue is the bureau's own late work; a petitioner's passed 复查/复核
    // window is listed last, as a case that may now be closed.
    assert!(overdue.iter().all(|i| i["countdown"].as_str().unwrap().starts_with("超期")));
    let closable = groups.last().unwrap();
    assert_eq!(closable["label"], "申请期已过，可办结");
    for item in closable["items"].as_array().unwrap() {
        assert!(item["clock"].as_str().unwrap().starts_with("申请"), "{item}");
        let countdown = item["countdown"].as_str().unwrap();
        assert!(countdown.starts_with("已过") && countdown.ends_with("可办结"), "{countdown}");
    }
    let first = &overdue[0];
    assert!(first["petitioner"].as_str().unwrap().contains('*'), "names masked");
    let number = first["number"].as_str().unwrap().to_string();

    let out = xfdesk(home.path(), &["--db", db, "case", "show", &number, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["number"], number.as_str());
    assert!(v["petitioners"][0]["id_number"].as_str().unwrap().contains("********"));
    let clocks = v["deadlines"].as_array().unwrap();
    assert!(clocks.iter().any(|d| d["state"].as_str().unwrap().starts_with("超期")));
    assert!(clocks.iter().all(|d| d["explanation"].as_str().unwrap().contains("首日不计入")));
    assert_eq!(v["trail"].as_array().unwrap().last().unwrap()["action"], "登记", "oldest last");

    let text = stdout(&xfdesk(home.path(), &["--db", db, "case", "show", &number]));
    assert!(text.starts_with(&format!("事项 {number}")) && text.contains("期限：") && text.contains("办理记录"));
    let out = xfdesk(home.path(), &["--db", db, "case", "show", "41080320990101F9999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("没有编号为 41080320990101F9999 的事项"));
}

#[test]
fn case_show_never_prints_accusation_content() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let db = db.to_str().unwrap();
    assert!(xfdesk(home.path(), &["--demo", "--db", db, "init"]).status.success());
    let (number, content): (String, String) = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT number, content FROM cases WHERE class = 'accusation' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let text = stdout(&xfdesk(home.path(), &["--db", db, "case", "show", &number]));
    assert!(text.contains("（内容保密）"));
    assert!(!text.contains(&content.chars().take(8).collect::<String>()), "{text}");
}

#[test]
fn check_reports_a_tampered_trail_and_fails() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk(home.path(), &["--demo", "--db", dbs, "init"]).status.success());
    let out = xfdesk(home.path(), &["--db", dbs, "check", "--quick"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("办理记录校验链：正常"), "{}", stdout(&out));
    let raw = rusqlite::Connection::open(&db).unwrap();
    raw.execute_batch("DROP TRIGGER case_events_append_only_delete;").unwrap();
    raw.execute("DELETE FROM case_events WHERE id = (SELECT min(id) FROM case_events)", []).unwrap();
    drop(raw);
    let out = xfdesk(home.path(), &["--db", dbs, "check", "--quick"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("办理记录校验链：发现 1 处问题") && stdout(&out).contains("之前的记录被删除"),
        "{}",
        stdout(&out)
    );
}

/// A damaged b-tree page is found by the quick check as by the full one;
/// the quick check says what it leaves to the full one, and both say their
/// parts on stderr as they finish.
#[test]
fn check_finds_a_damaged_page_quick_or_full_and_says_its_parts() {
    use std::io::{Seek, SeekFrom, Write};
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk(home.path(), &["--demo", "--db", dbs, "init"]).status.success());
    let out = xfdesk(home.path(), &["--db", dbs, "check", "--quick"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("外键检查：未做（完整检查时做）"), "{}", stdout(&out));
    for part in ["文件结构", "办理记录校验链", "事项封记"] {
        assert!(stderr(&out).contains(&format!("已检查：{part}（")), "{part}: {}", stderr(&out));
    }
    let (root, page): (i64, i64) = {
        let raw = rusqlite::Connection::open(&db).unwrap();
        raw.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        let root = raw.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'cases'", [], |r| r.get(0));
        (root.unwrap(), raw.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap())
    };
    let mut file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    file.seek(SeekFrom::Start(((root - 1) * page) as u64)).unwrap();
    file.write_all(&[0xFF; 8]).unwrap(); // no valid page type
    drop(file);
    for quick in [true, false] {
        let args: Vec<&str> = if quick { vec!["--db", dbs, "check", "--quick"] } else { vec!["--db", dbs, "check"] };
        let out = xfdesk(home.path(), &args);
        assert_eq!(out.status.code(), Some(1), "quick {quick}: {} {}", stdout(&out), stderr(&out));
        let kind = if quick { "快速检查：发现" } else { "完整性检查：发现" };
        assert!(stdout(&out).contains(kind), "quick {quick}: {} {}", stdout(&out), stderr(&out));
        assert!(stdout(&out).contains("未检查校验链"), "quick {quick}: {}", stdout(&out));
    }
}

#[test]
fn reception_days_are_scheduled_and_listed_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    let db = db.to_str().unwrap();
    let out = xfdesk(home.path(), &["--db", db, "reception", "days"]);
    assert_eq!(stdout(&out), "还没有安排接访日\n");
    let add = |leader: &str| {
        xfdesk(
            home.path(),
            &["--db", db, "reception", "add-day", "--date", "2026-12-07", "--leader", leader, "--post", "区长"]
                .into_iter()
                .chain(["--place", "区信访局接待大厅"])
                .collect::<Vec<_>>(),
        )
    };
    let out = add("王建设");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("已安排 2026-12-07 上午 9:00-12:00 王建设（区长）接访"), "{}", stdout(&out));
    let out = xfdesk(home.path(), &["--db", db, "reception", "days"]);
    assert_eq!(stdout(&out), "2026-12-07 上午 9:00-12:00 王建设（区长） 区信访局接待大厅 取号 0 人\n");
    let out = add("  ");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("请填写接访领导"), "{}", stderr(&out));
    let out = xfdesk(home.path(), &["--db", db, "reception", "add-day", "--date", "2026-13-01", "--leader", "王"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses a bad date and missing options");
}

#[test]
fn appointments_are_booked_listed_and_handled_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.db");
    let db = db.to_str().unwrap();
    let day = ["--db", db, "reception", "add-day", "--date", "2026-12-07", "--leader", "王建设", "--post", "区长"];
    assert!(xfdesk(home.path(), &[&day[..], &["--place", "大厅"]].concat()).status.success());
    let book = |id: &str| {
        let args = ["--db", db, "reception", "book", "--date", "2026-12-07", "--time", "09:30", "--name", "张三"];
        xfdesk(home.path(), &[&args[..], &["--id", id]].concat())
    };
    let out = book("410803198502140030");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("证件号："), "{}", stderr(&out));
    let out = book("410803198502140034");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "已预约（编号 1）：2026-12-07 09:30 张*，无既往事项\n");
    let out = xfdesk(home.path(), &["--db", db, "reception", "appointments", "--date", "2026-12-07"]);
    assert_eq!(stdout(&out), "   1 09:30 张* 410803********0034 已预约 既往0件 \n");
    let out = xfdesk(home.path(), &["--db", db, "reception", "appointment", "1", "no-show"]);
    assert_eq!(stdout(&out), "预约 1：未到\n");
    let out = xfdesk(home.path(), &["--db", db, "reception", "appointment", "1", "check-in"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("请先在来访登记中登记"), "{}", stderr(&out));
}

#[test]
fn report_commands_export_masked_and_audit_an_unmasked_export() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("r.db");
    let db = db.to_str().unwrap();
    assert!(xfdesk(home.path(), &["--db", db, "--demo", "init"]).status.success());
    // The weekly report of 2026-11-27 by the demo's 审批人 刘建华, in `format`, to `out`, with `extra` flags.
    let approver = common::password_args(home.path(), "shenpi", "shenpi-2026");
    let weekly = |format: &str, out: &Path, extra: &[&str]| {
        let mut args: Vec<&str> = approver.iter().map(String::as_str).collect();
        args.extend(["--db", db, "report", "weekly", "--week-ending", "2026-11-27"]);
        args.extend(["--format", format, "--out", out.to_str().unwrap()]);
        args.extend(extra);
        xfdesk_raw(home.path(), &args)
    };
    let out_csv = home.path().join("week.csv");
    let o = weekly("csv", &out_csv, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2026-11-21 至 2026-11-27 的周报"), "{}", stdout(&o));
    let text = std::fs::read_to_string(&out_csv).unwrap();
    assert!(text.contains("身份证号、电话已脱敏") && text.contains("********"), "masked by default");
    // Unmasked: a second 审批人 signs with their own password (双人复核).
    {
        use xfdesk::domain::access::Role;
        use xfdesk::store::accounts::{self, NewAccount};
        let mut store = xfdesk::store::Store::open(Path::new(db)).unwrap();
        let admin = accounts::get(store.conn(), "admin").unwrap().unwrap().actor();
        let new = NewAccount {
            login: "wangfu",
            name: "王副局长",
            roles: &[Role::Approver],
            password: "wangfu-2026",
            must_change: false,
        };
        accounts::create(&mut store, &new, Some(&admin), common::now()).unwrap();
    }
    let second = common::password_args(home.path(), "wangfu", "wangfu-2026");
    let (approver, approver_file) = (second[1].as_str(), second[3].as_str());
    let o = weekly(
        "xlsx",
        &home.path().join("self.xlsx"),
        &["--unmasked", "--approver", "shenpi", "--approver-password-file", &approver[..0]],
    );
    assert_ne!(o.status.code(), Some(0), "an empty password file name is refused");
    let own = common::password_args(home.path(), "shenpi2", "shenpi-2026");
    let o = weekly(
        "xlsx",
        &home.path().join("self.xlsx"),
        &["--unmasked", "--approver", "shenpi", "--approver-password-file", &own[3]],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("批准人须是申请人以外"), "{}", stderr(&o));
    let o = weekly(
        "xlsx",
        &home.path().join("week.xlsx"),
        &["--unmasked", "--approver", approver, "--approver-password-file", approver_file],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let conn = rusqlite::Connection::open(db).unwrap();
    let (op, action, detail): (String, String, String) = conn
        .query_row("SELECT operator, action, detail FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((op.as_str(), action.as_str()), ("刘建华#3", "导出周报（未脱敏）"), "the signed-in account");
    assert!(detail.ends_with("批准人王副局长#4"), "and the approver: {detail}");
    // A 接待员 may not export full numbers: refused with the permission's name.
    let clerk = common::password_args(home.path(), "jiedai", "jiedai-2026");
    let mut args: Vec<&str> = clerk.iter().map(String::as_str).collect();
    let out_file = home.path().join("clerk.xlsx");
    args.extend([
        "--db",
        db,
        "report",
        "weekly",
        "--format",
        "xlsx",
        "--out",
        out_file.to_str().unwrap(),
        "--unmasked",
    ]);
    args.extend(["--approver", approver, "--approver-password-file", approver_file]);
    let o = xfdesk_raw(home.path(), &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有权限：导出完整号码"), "{}", stderr(&o));
    assert!(!out_file.exists());

    let o = xfdesk(home.path(), &["--db", db, "report", "metrics", "--from", "2026-01-01", "--to", "2026-11-27"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("及时受理率（信访部门）") && text.contains("公式与口径"), "{text}");
    let o = xfdesk(
        home.path(),
        &["--db", db, "report", "metrics", "--from", "2026-01-01", "--to", "2026-11-27", "--format", "xlsx"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("需要 --out"), "{}", stderr(&o));
    let o = xfdesk(home.path(), &["--db", db, "report", "metrics", "--from", "2026-11-27", "--to", "2026-01-01"]);
    assert!(stderr(&o).contains("晚于结束日期"), "{}", stderr(&o));
    let o = xfdesk(home.path(), &["--db", db, "report", "warnings", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn import_refuses_a_file_with_bad_rows_and_skip_bad_writes_the_rejects() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("i.db");
    let db = db.to_str().unwrap();
    let file = home.path().join("in.csv");
    let example = std::fs::read_to_string("seeds/import-example.csv").unwrap();
    std::fs::write(&file, example.replace("410803197811051516", "410803197811051517")).unwrap();
    let f = file.to_str().unwrap();
    let o = xfdesk(home.path(), &["--db", db, "import", "--format", "csv", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("第3行：身份证号校验码错误"), "{}", stderr(&o));
    assert!(stderr(&o).contains("未导入任何数据"), "{}", stderr(&o));
    let o = xfdesk(home.path(), &["--db", db, "import", "--format", "csv", f, "--skip-bad"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已导入 2 件；1 行有误未导入"), "{}", stdout(&o));
    assert!(home.path().join("in.rejects.csv").exists());
    let o = xfdesk(home.path(), &["--db", db, "import", "--format", "json", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("JSON 格式有误"), "{}", stderr(&o));
}

#[test]
fn numbers_and_dates_outside_their_range_are_refused_not_panicked_on() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let cfg = h.join("x.toml");
    std::fs::write(&cfg, "[store]\nbusy_timeout_ms = 2147483648\n").unwrap();
    for (args, said) in [
        (vec!["--config", cfg.to_str().unwrap(), "check"], "第2行"),
        (vec!["due", "--days", "100000000"], "0..=3650"),
        (vec!["deadline", "handle", "--from", "+262142-12-31"], "1949-10-01 至 2199-12-31"),
        (vec!["search", "--limit", "0", "张"], "1..=10000"),
    ] {
        let o = xfdesk(h, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(said) && !stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

/// `--operator` is gone; a command that reads personal data needs an
/// account; the administrator's `user` commands; a password file others
/// can read is refused; no terminal and no file is said plainly.
#[test]
fn sign_in_on_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("u.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk_raw(home.path(), &["--db", dbs, "init"]).status.success(), "init needs no account");
    let o = xfdesk_raw(home.path(), &["--db", dbs, "--operator", "区委书记李明华", "search", "王"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--operator（XFDESK_OPERATOR）已取消") && stderr(&o).contains("--user"),
        "{}",
        stderr(&o)
    );
    let o = xfdesk_raw(home.path(), &["--db", dbs, "search", "王"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("此命令需要登录：请用 --user"), "{}", stderr(&o));

    // The first account is made without signing in, and must be an administrator.
    let pw = home.path().join("admin.pw");
    std::fs::write(&pw, "管理员的密码-2026").unwrap();
    std::fs::set_permissions(&pw, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let pws = pw.to_str().unwrap();
    let add = ["--db", dbs, "user", "add", "admin", "--name", "王磊", "--role", "admin", "--new-password-file", pws];
    let o = xfdesk_raw(home.path(), &add);
    assert!(o.status.success(), "{}", stderr(&o));
    // Then only an administrator adds more: without signing in, refused.
    let clerk =
        ["--db", dbs, "user", "add", "zhoumin", "--name", "周敏", "--role", "clerk", "--new-password-file", pws];
    let o = xfdesk_raw(home.path(), &clerk);
    assert_eq!(o.status.code(), Some(1));
    let admin = ["--user", "admin", "--password-file", pws];
    let o = xfdesk_raw(home.path(), &[&admin[..], &clerk[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = xfdesk_raw(home.path(), &[&admin[..], &["--db", dbs, "user", "list"][..]].concat());
    let listed = stdout(&o);
    assert!(
        listed
            .lines()
            .any(|l| l.contains("zhoumin") && l.contains("周敏") && l.contains("接待员") && l.contains("正常")),
        "{listed}"
    );
    // The administrator does no casework.
    let o = xfdesk_raw(home.path(), &[&admin[..], &["--db", dbs, "search", "王"][..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有权限：查阅（脱敏）"), "{}", stderr(&o));
    // The clerk does; a wrong password gets the one answer.
    let clerk_in = ["--user", "zhoumin", "--password-file", pws];
    let o = xfdesk_raw(home.path(), &[&clerk_in[..], &["--db", dbs, "search", "王"][..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&pw, "不对的密码-2026").unwrap();
    let o = xfdesk_raw(home.path(), &[&clerk_in[..], &["--db", dbs, "search", "王"][..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("用户名或密码错误"), "{}", stderr(&o));
    // A password file others can read is refused before it is read.
    std::fs::set_permissions(&pw, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let o = xfdesk_raw(home.path(), &[&clerk_in[..], &["--db", dbs, "search", "王"][..]].concat());
    assert!(stderr(&o).contains("应只允许本人读取（chmod 600）"), "{}", stderr(&o));
    // A reset password is changed at the desk before the command line takes it.
    std::fs::set_permissions(&pw, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    std::fs::write(&pw, "管理员的密码-2026").unwrap();
    let reset = ["--db", dbs, "user", "reset-password", "zhoumin", "--new-password-file", pws];
    assert!(xfdesk_raw(home.path(), &[&admin[..], &reset[..]].concat()).status.success());
    let o = xfdesk_raw(home.path(), &[&clerk_in[..], &["--db", dbs, "search", "王"][..]].concat());
    assert!(stderr(&o).contains("密码已被重置：请先在界面中登录并设置新密码"), "{}", stderr(&o));
    // No terminal and no file: said, not waited for.
    let o = xfdesk_raw(home.path(), &["--user", "zhoumin", "--db", dbs, "search", "王"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有可输入密码的终端：请用 --password-file"), "{}", stderr(&o));
}
