//! `xfdesk doc`: papers from the command line — issue (or preview), list,
//! show, reprint. The same `papers` functions the case detail's `P` uses.

use super::{Context, DocCommand, emit, emit_json, open_reading, open_store, say};
use crate::domain::document::DocumentKind;
use crate::papers::{self, Desk, PaperError};
use crate::store;

pub fn run(ctx: &Context, command: DocCommand) -> anyhow::Result<()> {
    match command {
        DocCommand::Issue { case, kind, replaces, pdf, preview } => {
            issue(ctx, &case, &kind, replaces.as_deref(), pdf, preview)
        }
        DocCommand::List { case, json } => list(ctx, &case, json),
        DocCommand::Show { number } => show(ctx, &number),
        DocCommand::Reprint { number, pdf } => reprint(ctx, &number, pdf),
    }
}

/// A kind by its code or its Chinese name.
fn kind_of(s: &str) -> anyhow::Result<DocumentKind> {
    DocumentKind::from_code(s).or_else(|| DocumentKind::from_label(s)).ok_or_else(|| {
        let known: Vec<String> = DocumentKind::ALL.iter().map(|k| format!("{}（{}）", k.code(), k.label())).collect();
        anyhow::anyhow!("没有「{}」这种文书，可用：{}", crate::text::sanitize_line(s), known.join("、"))
    })
}

fn issue(
    ctx: &Context,
    case: &str,
    kind: &str,
    replaces: Option<&str>,
    pdf: bool,
    preview: bool,
) -> anyhow::Result<()> {
    let kind = kind_of(kind)?;
    let mut store = if preview { open_reading(ctx)? } else { open_store(ctx)? };
    if let Some(actor) = &ctx.actor {
        store.act_as(actor.clone());
    }
    let case_id = store::documents::case_id(store.conn(), case)?;
    let (refs, cal) = (store::reference::ReferenceData::load(store.conn())?, store::calendar::load(store.conn())?);
    let desk = Desk { refs: &refs, calendar: &cal, rules: &ctx.config.reminders, settings: &ctx.papers };
    if preview {
        let draft = papers::preview(&store, &desk, case_id, kind, replaces, ctx.now())?;
        emit(&crate::domain::mask::redact_numbers(&draft.text))?;
        if !draft.gaps.is_empty() {
            anyhow::bail!(PaperError::Gaps(draft.gaps));
        }
        return Ok(());
    }
    let written = papers::issue(&mut store, &desk, case_id, kind, replaces, ctx.now())?;
    say(&format!("已出具 {} {}，文件：{}", kind.label(), written.paper.number, written.path.display()));
    convert(&written.path, pdf);
    Ok(())
}

fn convert(docx: &std::path::Path, pdf: bool) {
    if pdf {
        match papers::files::to_pdf(docx) {
            Ok(p) => say(&format!("PDF：{}", p.display())),
            Err(why) => say(&why),
        }
    }
}

fn list(ctx: &Context, case: &str, json: bool) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let case_id = store::documents::case_id(store.conn(), case)?;
    let papers = store::documents::of_case(store.conn(), case_id)?;
    let to = |p: &store::documents::Issued| {
        p.kind().map_or_else(|| p.addressee.clone(), |k| k.shown_addressee(&p.addressee))
    };
    if json {
        let rows: Vec<_> = papers
            .iter()
            .map(|p| {
                serde_json::json!({
                    "number": p.number, "kind": p.kind,
                    "addressee": to(p), "issued_at": p.issued_at,
                    "issued_by": p.issued_by, "sha256": p.sha256, "replaces": p.replaces, "file": p.file_name,
                })
            })
            .collect();
        return emit_json(&rows);
    }
    if papers.is_empty() {
        say("本事项还没有出具文书");
        return Ok(());
    }
    let mut text = String::new();
    for p in &papers {
        let kind = p.kind().map_or_else(|| p.kind.clone(), |k| k.label().to_string());
        let to = to(p);
        let fix = p.replaces.as_ref().map(|r| format!("（更正{r}）")).unwrap_or_default();
        text.push_str(&format!("{}  {kind}  致{to}  {} {}{fix}\n", p.number, p.issued_at, p.issued_by));
    }
    emit(&text)
}

fn show(ctx: &Context, number: &str) -> anyhow::Result<()> {
    let store = open_reading(ctx)?;
    let p = store::documents::by_number(store.conn(), number)?
        .ok_or_else(|| anyhow::anyhow!("没有文号为 {} 的文书", crate::text::sanitize_line(number)))?;
    let head =
        format!("{}（{}，{} {}出具，SHA-256 {}）\n\n", p.number, p.case_number, p.issued_at, p.issued_by, p.sha256);
    emit(&(head + &crate::domain::mask::redact_numbers(&p.body) + "\n"))
}

fn reprint(ctx: &Context, number: &str, pdf: bool) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    let written = papers::reprint(&mut store, number, ctx.now())?;
    say(&format!("已重印 {}，文件：{}", written.paper.number, written.path.display()));
    convert(&written.path, pdf);
    Ok(())
}
