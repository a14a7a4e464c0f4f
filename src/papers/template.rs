//! The wording of each paper: a minijinja template per kind, shipped in
//! `seeds/templates/` and overridable by a file of the same name in the
//! configured folder, so a bureau rewords a paper without a new build.
//!
//! A template is strict: a field it names that does not exist is an error
//! with the file and line, and nothing is issued. A field that exists but
//! that this case lacks (no address) or that this account may not print
//! (a full ID, restricted content) renders as a marked gap the preview
//! names, and blocks issuing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::{Object, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use sha2::{Digest, Sha256};

use super::PaperError;
use super::markup::MARKS;
use crate::domain::document::DocumentKind;

/// The templates built in, by kind.
fn builtin(kind: DocumentKind) -> &'static str {
    use DocumentKind::*;
    match kind {
        RegistrationForm => include_str!("../../seeds/templates/registration_form.txt"),
        Receipt => include_str!("../../seeds/templates/receipt.txt"),
        AcceptNotice => include_str!("../../seeds/templates/accept_notice.txt"),
        NotAcceptNotice => include_str!("../../seeds/templates/not_accept_notice.txt"),
        NoLongerNotice => include_str!("../../seeds/templates/no_longer_notice.txt"),
        LegalRouteNotice => include_str!("../../seeds/templates/legal_route_notice.txt"),
        ExtensionNotice => include_str!("../../seeds/templates/extension_notice.txt"),
        ForwardLetter => include_str!("../../seeds/templates/forward_letter.txt"),
        AssignSheet => include_str!("../../seeds/templates/assign_sheet.txt"),
        SupervisionNotice => include_str!("../../seeds/templates/supervision_notice.txt"),
        LeaderSheet => include_str!("../../seeds/templates/leader_sheet.txt"),
    }
}

/// The file a kind's template is read from, in a template folder.
pub fn file_name(kind: DocumentKind) -> String {
    format!("{}.txt", kind.code())
}

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// For messages and the stored record: the override's path, or the built-in name.
    pub name: String,
    pub text: String,
}

impl Source {
    /// `accept_notice.txt（内置） sha256:1a2b…`: which wording a paper was issued from.
    pub fn stamp(&self) -> String {
        let sha = hex::encode(Sha256::digest(self.text.as_bytes()));
        format!("{} sha256:{}", self.name, &sha[..16])
    }
}

/// Where templates come from: the override folder first, then the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub dir: Option<PathBuf>,
}

impl Templates {
    pub fn new(dir: Option<PathBuf>) -> Templates {
        Templates { dir }
    }

    pub fn source(&self, kind: DocumentKind) -> Result<Source, PaperError> {
        let name = file_name(kind);
        if let Some(path) = self.dir.as_deref().map(|d| d.join(&name)).filter(|p| p.exists()) {
            let text = std::fs::read_to_string(&path).map_err(|e| PaperError::Template {
                file: shown(&path),
                line: None,
                message: format!("无法读取（{e}）"),
            })?;
            return Ok(Source { name: shown(&path), text });
        }
        Ok(Source { name: format!("{name}（内置）"), text: builtin(kind).to_string() })
    }

    /// Render `kind`'s template over `ctx`.
    pub fn render(&self, kind: DocumentKind, ctx: Value) -> Result<Rendered, PaperError> {
        let source = self.source(kind)?;
        render_source(&source, ctx, kind.article())
    }
}

fn shown(path: &Path) -> String {
    crate::text::sanitize_line(&path.display().to_string()).into_owned()
}

/// What a template gave: the text (with gaps marked) and the gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// The fields the paper needs but cannot print, each with why.
    pub gaps: Vec<String>,
    /// Which template, and which version of it (`Source::stamp`).
    pub template: String,
}

pub fn render_source(source: &Source, ctx: Value, article: &str) -> Result<Rendered, PaperError> {
    let gaps: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| template_error(source, &e))?,
    );
    let seen = Arc::clone(&gaps);
    env.set_formatter(move |out, _state, value| {
        if let Some(gap) = value.downcast_object_ref::<Gap>() {
            let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
            if !seen.contains(&gap.why) {
                seen.push(gap.why.clone());
            }
            return out.write_str(&format!("【{}】", gap.field)).map_err(Error::from);
        }
        let text = value.to_string();
        // A value never starts a block of its own (a petitioner's words
        // beginning with "# " stay words).
        if text.starts_with(MARKS) {
            out.write_str("\u{3000}").map_err(Error::from)?;
        }
        out.write_str(&text).map_err(Error::from)
    });
    env.add_template("paper", &source.text).map_err(|e| template_error(source, &e))?;
    let text = env.get_template("paper").and_then(|t| t.render(ctx)).map_err(|e| template_error(source, &e))?;
    if !text.contains(article) {
        return Err(PaperError::Template {
            file: source.name.clone(),
            line: None,
            message: format!("没有写明所依据的条款（应含「{article}」，可写 {{{{ article }}}}）"),
        });
    }
    let gaps = gaps.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(Rendered { text, gaps, template: source.stamp() })
}

/// A minijinja error in the words of the desk, with the file and line.
fn template_error(source: &Source, e: &Error) -> PaperError {
    let expression = e.range().and_then(|r| source.text.get(r)).map(str::trim).filter(|s| !s.is_empty());
    let message = match (e.kind(), expression) {
        (ErrorKind::UndefinedError, Some(expr)) => format!("没有「{expr}」这个字段"),
        (ErrorKind::UndefinedError, None) => "用到了不存在的字段".into(),
        (ErrorKind::SyntaxError, _) => format!("语法错误：{}", e.detail().unwrap_or("无法解析")),
        (ErrorKind::UnknownFilter, _) => format!("没有这个过滤器：{}", e.detail().unwrap_or_default()),
        (kind, _) => format!("{kind}{}", e.detail().map(|d| format!("：{d}")).unwrap_or_default()),
    };
    PaperError::Template { file: source.name.clone(), line: e.line(), message }
}

/// A field a paper may name that cannot be printed for this case or this
/// account: false in `{% if %}`, a marked gap when printed.
#[derive(Debug)]
pub struct Gap {
    /// Shown in the text where the value would be (`缺：通信地址`).
    field: String,
    /// Said in the preview (`缺少信访人的通信地址`).
    why: String,
}

impl Object for Gap {
    fn is_true(self: &Arc<Self>) -> bool {
        false
    }
}

/// A field this case lacks.
pub fn missing(field: &str) -> Value {
    Value::from_object(Gap { field: format!("缺：{field}"), why: format!("缺少{field}") })
}

/// A field this account may not print, and why.
pub fn withheld(field: &str, why: &str) -> Value {
    Value::from_object(Gap { field: format!("不可打印：{field}"), why: format!("{field}：{why}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn source(text: &str) -> Source {
        Source { name: "test.txt".into(), text: text.into() }
    }

    const ART: &str = "《信访工作条例》第二十三条";

    #[test]
    fn renders_fields_and_names_the_gaps() {
        let ctx = context! { name => "王秀兰", address => missing("信访人的通信地址"), article => ART };
        let r = render_source(&source("{{ name }}：\n地址：{{ address }}\n依据{{ article }}\n"), ctx, ART).unwrap();
        assert_eq!(r.text, "王秀兰：\n地址：【缺：信访人的通信地址】\n依据《信访工作条例》第二十三条");
        assert_eq!(r.gaps, vec!["缺少信访人的通信地址".to_string()]);
        let ctx = context! { address => missing("通信地址"), article => ART };
        let r = render_source(&source("{% if address %}{{ address }}{% else %}无{% endif %}{{ article }}"), ctx, ART);
        assert_eq!(r.unwrap().gaps, Vec::<String>::new(), "a gap tested in if is not printed");
    }

    #[test]
    fn an_unknown_field_or_bad_syntax_names_file_and_line() {
        let ctx = context! { name => "王秀兰", article => ART };
        let err = render_source(&source("{{ article }}\n\n{{ petitioner.adress }}\n"), ctx.clone(), ART).unwrap_err();
        let PaperError::Template { file, line, message } = &err else { panic!("{err}") };
        assert_eq!((file.as_str(), *line), ("test.txt", Some(3)));
        assert!(message.contains("petitioner.adress") || message.contains("petitioner"), "{message}");
        let err = render_source(&source("{{ article }}\n{% if name %}没有结束\n"), ctx.clone(), ART).unwrap_err();
        assert!(err.to_string().contains("test.txt") && err.to_string().contains("语法错误"), "{err}");
        let err = render_source(&source("{{ name }}"), ctx, ART).unwrap_err();
        assert!(err.to_string().contains("没有写明所依据的条款"), "{err}");
    }

    #[test]
    fn a_value_never_starts_a_block() {
        let ctx = context! { content => "# 假标题", article => ART };
        let r = render_source(&source("{{ content }}\n{{ article }}"), ctx, ART).unwrap();
        assert!(r.text.starts_with("\u{3000}# 假标题"), "{:?}", r.text);
        assert_eq!(super::super::markup::parse(&r.text)[0], super::super::markup::Block::Body("# 假标题".into()));
    }

    #[test]
    fn every_builtin_template_compiles() {
        for kind in DocumentKind::ALL {
            let mut env = Environment::new();
            env.add_template("t", builtin(*kind)).unwrap_or_else(|e| panic!("{}: {e}", kind.code()));
        }
    }
}
