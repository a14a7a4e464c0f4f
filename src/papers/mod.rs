//! 文书: papers issued from a case — previewed, then issued in one
//! transaction that allocates the number, stores the rendered text with its
//! SHA-256, writes the trail row and the DOCX file (a file that cannot be
//! written leaves no number and no row). A reprint rebuilds the file from
//! the stored text, so it is the same paper whatever the template says now.
//!
//! - `template`: the wording (minijinja), built in or overridden.
//! - `context`: the fields a template prints, from the store's facts.
//! - `markup`: the rendered text's blocks (title, number, body, signature).
//! - `docx`: the blocks laid out after GB/T 9704-2012.
//! - `files`: `documents/` beside the database, and `--pdf` by LibreOffice.

pub mod context;
pub mod docx;
pub mod files;
pub mod markup;
pub mod template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};

use crate::domain::access::Permission;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::document::{self, DocumentKind};
use crate::domain::reminder::ReminderRules;
use crate::store::documents::{self as stored, CaseFacts, Issued, NewPaper};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error("模板 {file}{} 有误：{message}；未出具任何文书", line.map(|l| format!(" 第{l}行")).unwrap_or_default())]
    Template { file: String, line: Option<usize>, message: String },
    /// The case's state does not allow the paper (the domain's words).
    #[error("{0}")]
    Refused(String),
    #[error("不能出具：{}", .0.join("；"))]
    Gaps(Vec<String>),
    #[error("无法写入文书文件 {path}：{why}；未编号，未记录")]
    File { path: String, why: String },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The desk's settings for papers (from `[documents]` and the office name).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub office: String,
    pub phone: String,
    pub prefixes: BTreeMap<String, String>,
    pub templates: template::Templates,
}

impl Settings {
    /// `templates`: the override folder (`[documents] templates`, or the default beside the config file).
    pub fn from_config(c: &crate::config::Config, templates: Option<PathBuf>) -> Settings {
        Settings {
            office: c.office_name.clone(),
            phone: c.documents.phone.clone(),
            prefixes: c.documents.prefixes.clone(),
            templates: template::Templates::new(c.documents.templates.clone().or(templates)),
        }
    }

    /// The kind's 机关代字 (its number series).
    pub fn prefix(&self, kind: DocumentKind) -> &str {
        self.prefixes.get(kind.code()).map_or(kind.default_prefix(), String::as_str)
    }
}

/// What issuing reads besides the case: reference data, calendar, rules, settings.
pub struct Desk<'a> {
    pub refs: &'a ReferenceData,
    pub calendar: &'a HolidayCalendar,
    pub rules: &'a ReminderRules,
    pub settings: &'a Settings,
}

/// A paper before it is issued: its text with the number to come, what
/// blocks it, and to whom it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: DocumentKind,
    pub text: String,
    /// Fields the paper needs and cannot print; issuing is refused while any remain.
    pub gaps: Vec<String>,
    pub addressee: String,
}

/// What a preview shows in place of the number.
pub fn pending_number(prefix: &str, year: i32) -> String {
    format!("{prefix}〔{year}〕（出具时编号）号")
}

/// The case's facts for `kind`, the state checked.
fn facts_for(
    conn: &rusqlite::Connection,
    desk: &Desk,
    case_id: i64,
    kind: DocumentKind,
    now: NaiveDateTime,
) -> Result<CaseFacts, PaperError> {
    let mut f = stored::facts(conn, case_id, desk.refs, desk.calendar, now.date(), desk.rules)?
        .ok_or_else(|| PaperError::Refused("没有这个事项".into()))?;
    stored::allowed(&f, kind).map_err(PaperError::Refused)?;
    f.unit = document::unit_of(kind, &f.paper).map(str::to_string);
    Ok(f)
}

fn addressee(kind: DocumentKind, f: &CaseFacts) -> String {
    match kind.addressee() {
        document::Addressee::Unit => f.unit.clone().unwrap_or_default(),
        document::Addressee::Petitioner => f.dossier.petitioners.first().map(|p| p.name.clone()).unwrap_or_default(),
    }
}

/// Who issues: the account as records name it (`周敏#2`), the person as
/// the paper prints them (`周敏`), and what the account may print.
struct Signer {
    name: String,
    person: String,
    may_reveal_identity: bool,
    may_open_restricted: bool,
}

impl Signer {
    fn of(store: &Store) -> Signer {
        Signer {
            name: store.actor_name(),
            person: store.actor().map_or_else(|| store.actor_name(), |a| a.name.clone()),
            may_reveal_identity: store.may(Permission::RevealIdentity),
            may_open_restricted: store.may(Permission::OpenRestricted),
        }
    }

    fn issuer<'a>(
        &'a self,
        desk: &'a Desk,
        number: &'a str,
        replaces: Option<&'a str>,
        now: NaiveDateTime,
    ) -> context::Issuer<'a> {
        context::Issuer {
            number,
            date: now.date(),
            office: &desk.settings.office,
            office_phone: &desk.settings.phone,
            clerk: &self.person,
            replaces,
            may_reveal_identity: self.may_reveal_identity,
            may_open_restricted: self.may_open_restricted,
        }
    }
}

/// Render `kind` for the case without issuing it.
pub fn preview(
    store: &Store,
    desk: &Desk,
    case_id: i64,
    kind: DocumentKind,
    replaces: Option<&str>,
    now: NaiveDateTime,
) -> Result<Draft, PaperError> {
    let f = facts_for(store.conn(), desk, case_id, kind, now)?;
    let number = pending_number(desk.settings.prefix(kind), now.year());
    let signer = Signer::of(store);
    let ctx = context::build(kind, &f, &signer.issuer(desk, &number, replaces, now));
    let r = desk.settings.templates.render(kind, ctx)?;
    Ok(Draft { kind, text: r.text, gaps: r.gaps, addressee: addressee(kind, &f) })
}

/// An issued paper and the file written for it.
#[derive(Debug, Clone)]
pub struct Written {
    pub paper: Issued,
    pub path: PathBuf,
}

/// Issue `kind` for the case: one transaction, the file written before it
/// commits (and taken back if the commit fails).
pub fn issue(
    store: &mut Store,
    desk: &Desk,
    case_id: i64,
    kind: DocumentKind,
    replaces: Option<&str>,
    now: NaiveDateTime,
) -> Result<Written, PaperError> {
    store.require(Permission::CaseWork)?;
    let dir = files::dir_for(store.path());
    let signer = Signer::of(store);
    let mut file: Option<PathBuf> = None;
    let result = store.write_with(|tx| {
        let f = facts_for(tx, desk, case_id, kind, now)?;
        let old = replaced(tx, replaces, case_id, kind)?;
        let series = desk.settings.prefix(kind);
        let seq = stored::next_seq(tx, series, now.year())?;
        let number = document::number(series, now.year(), seq);
        let who = signer.issuer(desk, &number, old.as_ref().map(|o| o.number.as_str()), now);
        let r = desk.settings.templates.render(kind, context::build(kind, &f, &who))?;
        if !r.gaps.is_empty() {
            return Err(PaperError::Gaps(r.gaps));
        }
        let name = files::file_name(&number);
        let to = addressee(kind, &f);
        let paper = NewPaper {
            case_id,
            kind,
            series,
            seq,
            number: &number,
            addressee: &to,
            body: &r.text,
            template: &r.template,
            replaces: old.as_ref().map(|o| o.id),
            at: now,
            by: &signer.name,
            file_name: &name,
        };
        stored::record(tx, &paper)?;
        let path = write_file(&dir, &name, &r.text, now)?;
        file = Some(path.clone());
        let paper = stored::by_number(tx, &number)?.ok_or_else(|| PaperError::Refused("文书未写入".into()))?;
        Ok(Written { paper, path })
    });
    if result.is_err()
        && let Some(path) = file
    {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// The paper a correction replaces: of this case and kind.
fn replaced(
    conn: &rusqlite::Connection,
    number: Option<&str>,
    case_id: i64,
    kind: DocumentKind,
) -> Result<Option<Issued>, PaperError> {
    let Some(number) = number else { return Ok(None) };
    let old = stored::by_number(conn, number)?
        .ok_or_else(|| PaperError::Refused(format!("没有文号为 {} 的文书", crate::text::sanitize_line(number))))?;
    if old.case_id != case_id || old.kind() != Some(kind) {
        return Err(PaperError::Refused(format!("{} 不是本事项的{}，不能用本文书更正", old.number, kind.label())));
    }
    Ok(Some(old))
}

fn write_file(dir: &Path, name: &str, text: &str, at: NaiveDateTime) -> Result<PathBuf, PaperError> {
    let blocks = markup::parse(text);
    let title = markup::title(&blocks).unwrap_or_default().to_string();
    let bytes = docx::build(&blocks, &title, at).map_err(|why| PaperError::File { path: name.to_string(), why })?;
    files::write(dir, name, &bytes).map_err(|e| PaperError::File {
        path: crate::text::sanitize_line(&dir.join(name).display().to_string()).into_owned(),
        why: e.to_string(),
    })
}

/// Write an issued paper's file again from its stored text: the same number
/// and words, whatever the template says now. The reprint is audited (who,
/// when, which paper) in the transaction that writes the file.
pub fn reprint(store: &mut Store, number: &str, now: NaiveDateTime) -> Result<Written, PaperError> {
    store.require(Permission::CaseWork)?;
    let dir = files::dir_for(store.path());
    let by = store.actor_name();
    store.write_with(|tx| {
        let paper = stored::by_number(tx, number)?
            .ok_or_else(|| PaperError::Refused(format!("没有文号为 {} 的文书", crate::text::sanitize_line(number))))?;
        let at = crate::store::parse_timestamp(&paper.issued_at).unwrap_or_default();
        let path = write_file(&dir, &paper.file_name, &paper.body, at)?;
        let detail = format!("{}（事项 {}）", paper.number, paper.case_number);
        crate::store::backup::audit_in(tx, &by, "重印文书", &detail, now)?;
        Ok(Written { paper, path })
    })
}
