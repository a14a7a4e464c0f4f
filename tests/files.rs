//! Files xfdesk writes are the owner's alone whatever the umask, an export
//! never replaces a file without --force, and never a database.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
mod common;

use std::process::{Command, Output};

fn xfdesk_with_umask(umask: &str, home: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_xfdesk");
    let signed = common::sign_in_for(home, args);
    let quoted: Vec<String> =
        signed.iter().map(String::as_str).chain(args.iter().copied()).map(|a| format!("'{a}'")).collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec '{bin}' {}", quoted.join(" ")))
        .env("HOME", home)
        .env_remove("XFDESK_DB")
        .env_remove("XFDESK_CONFIG")
        .output()
        .unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn folders_and_files_are_owner_only_under_any_umask() {
    for umask in ["000", "022"] {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("data").join("xfdesk");
        let db = dir.join("xfdesk.db");
        let o = xfdesk_with_umask(umask, home.path(), &["--db", db.to_str().unwrap(), "init"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(mode(&dir), 0o700, "umask {umask}: the data folder");
        assert_eq!(mode(&db), 0o600, "umask {umask}: the database");
        let logs = dir.join("logs");
        assert_eq!(mode(&logs), 0o700, "umask {umask}: the log folder");
        for entry in std::fs::read_dir(&logs).unwrap() {
            let p = entry.unwrap().path();
            assert_eq!(mode(&p), 0o600, "umask {umask}: {}", p.display());
        }
        let out = home.path().join("metrics.csv");
        let o = xfdesk_with_umask(
            umask,
            home.path(),
            &[
                "--db",
                db.to_str().unwrap(),
                "report",
                "metrics",
                "--from",
                "2026-01-01",
                "--to",
                "2026-11-30",
                "--format",
                "csv",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(mode(&out), 0o600, "umask {umask}: an export");
    }
}

#[test]
fn an_export_replaces_a_file_only_with_force_and_never_a_database() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let db = h.join("xfdesk.db");
    let dbs = db.to_str().unwrap();
    assert!(xfdesk_with_umask("022", h, &["--db", dbs, "--demo", "init"]).status.success());
    let pre = h.join("pre.csv");
    std::fs::write(&pre, "earlier\n").unwrap();
    std::fs::set_permissions(&pre, std::fs::Permissions::from_mode(0o644)).unwrap();
    let weekly = |extra: &[&str]| {
        let mut args = vec!["--db", dbs, "report", "weekly", "--format", "csv", "--out", pre.to_str().unwrap()];
        args.extend_from_slice(extra);
        xfdesk_with_umask("022", h, &args)
    };
    let o = weekly(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已存在"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&pre).unwrap(), "earlier\n", "nothing written");
    let o = weekly(&["--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&pre), 0o600, "the replacement is owner-only, not the old 0644");

    let before = std::fs::read(&db).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "--db",
            dbs,
            "reminders",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "csv",
            "--out",
            dbs,
        ];
        if force {
            args.push("--force");
        }
        let o = xfdesk_with_umask("022", h, &args);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("数据库文件"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(std::fs::read(&db).unwrap().len(), before.len(), "the database is untouched");
}
