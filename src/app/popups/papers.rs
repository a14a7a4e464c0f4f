//! 文书 from the case detail (`P`): the papers the case's state allows and
//! those already issued (`PaperList`), and the rendered paper before it is
//! issued or reprinted (`PaperPreview`). Issuing goes through `papers::issue`,
//! the same transaction the command line uses.

use super::Popup;
use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::pane::{Focus, Pane, PaneKind};
use crate::app::{Action, PAGE};
use crate::domain::document::DocumentKind;
use crate::papers::{self, Desk, PaperError, markup};
use crate::store::StoreError;
use crate::store::documents::{self, Issued};

/// Issue `kind` for the case as the signed-in account (the preview's Enter,
/// the intake's Ctrl-P).
pub fn issue(
    env: &mut Env,
    case_id: i64,
    kind: DocumentKind,
    replaces: Option<&str>,
    now: chrono::NaiveDateTime,
) -> Result<papers::Written, PaperError> {
    let Env { store, reference, calendar, session, .. } = env;
    let desk = Desk { refs: reference, calendar, rules: &session.reminder_rules, settings: &session.papers };
    papers::issue(store, &desk, case_id, kind, replaces, now)
}

/// `P`: the case's papers over whatever screen asked (detail, 督促, 接访队列).
pub fn open_list(env: &Env, case_id: i64) -> Vec<Effect> {
    match PaperList::open(env, case_id) {
        Ok(list) => vec![Effect::Push(Popup::Papers(Box::new(list)))],
        Err(e) => vec![Effect::Failed(e)],
    }
}

/// Where the file went, as the clerk finds it: `documents/中信回〔2026〕1号.docx`.
fn shown(w: &papers::Written) -> String {
    format!("documents/{}", w.paper.file_name)
}

/// What the desk says once a paper is issued.
pub fn issued(kind: DocumentKind, w: &papers::Written) -> String {
    format!("已出具 {} {}：{}", kind.label(), w.paper.number, shown(w))
}

/// A line of the list: a paper to issue, or one issued.
#[derive(Debug, Clone)]
pub enum Entry {
    New(DocumentKind),
    Issued(Box<Issued>),
}

#[derive(Debug, Clone)]
pub struct PaperList {
    pub case_id: i64,
    pub case_number: String,
    pub entries: Vec<Entry>,
    pub selected: usize,
    pub message: Option<(String, bool)>,
}

/// The desk's paper settings and reference data, borrowed from `env`.
macro_rules! desk {
    ($env:expr) => {
        Desk {
            refs: &$env.reference,
            calendar: &$env.calendar,
            rules: &$env.session.reminder_rules,
            settings: &$env.session.papers,
        }
    };
}

impl PaperList {
    pub fn open(env: &Env, case_id: i64) -> Result<PaperList, StoreError> {
        let (today, rules) = (env.today(), &env.session.reminder_rules);
        let facts = documents::facts(env.store.conn(), case_id, &env.reference, &env.calendar, today, rules)?
            .ok_or_else(|| StoreError::Invalid("没有这个事项".into()))?;
        let mut entries: Vec<Entry> = DocumentKind::ALL
            .iter()
            .filter(|k| documents::allowed(&facts, **k).is_ok())
            .map(|k| Entry::New(*k))
            .collect();
        entries.extend(
            documents::of_case(env.store.conn(), case_id)?.into_iter().rev().map(|p| Entry::Issued(Box::new(p))),
        );
        Ok(PaperList { case_id, case_number: facts.dossier.case.number, entries, selected: 0, message: None })
    }

    /// The preview of the selected line: a new paper, or a correction of an issued one.
    fn preview(&mut self, env: &Env, correct: bool) -> Vec<Effect> {
        let mode = match (self.entries.get(self.selected), correct) {
            (Some(Entry::New(kind)), false) => Mode::Issue { kind: *kind, replaces: None },
            (Some(Entry::Issued(p)), false) => Mode::Reprint { number: p.number.clone() },
            (Some(Entry::Issued(p)), true) => match p.kind() {
                Some(kind) => Mode::Issue { kind, replaces: Some(p.number.clone()) },
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        match PaperPreview::open(env, self.case_id, mode) {
            Ok(p) => vec![Effect::Push(Popup::PaperPreview(Box::new(p)))],
            Err(e) => {
                self.message = Some((e.to_string(), true));
                Vec::new()
            }
        }
    }
}

impl Pane for PaperList {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Papers, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        if super::step_selection(&mut self.selected, self.entries.len(), action) {
            return Some(Vec::new());
        }
        Some(match action {
            Action::Open => self.preview(env, false),
            Action::CorrectPaper => self.preview(env, true),
            Action::Back => vec![Effect::Pop],
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => Vec::new(),
        })
    }

    fn offers(&self, action: Action) -> bool {
        match action {
            Action::CorrectPaper => matches!(self.entries.get(self.selected), Some(Entry::Issued(_))),
            _ => true,
        }
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}

/// What Enter does on the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Issue { kind: DocumentKind, replaces: Option<String> },
    Reprint { number: String },
}

#[derive(Debug, Clone)]
pub struct PaperPreview {
    pub case_id: i64,
    pub mode: Mode,
    pub title: String,
    pub blocks: Vec<markup::Block>,
    /// What blocks issuing (named in the preview).
    pub gaps: Vec<String>,
    pub scroll: usize,
    pub message: Option<(String, bool)>,
}

impl PaperPreview {
    pub fn open(env: &Env, case_id: i64, mode: Mode) -> Result<PaperPreview, PaperError> {
        let (title, text, gaps) = match &mode {
            Mode::Issue { kind, replaces } => {
                let d = papers::preview(&env.store, &desk!(env), case_id, *kind, replaces.as_deref(), env.now())?;
                let title = match replaces {
                    Some(old) => format!("预览：{}（更正{old}）", kind.label()),
                    None => format!("预览：{}（致{}）", kind.label(), kind.shown_addressee(&d.addressee)),
                };
                (title, d.text, d.gaps)
            }
            Mode::Reprint { number } => {
                let p = documents::by_number(env.store.conn(), number)?
                    .ok_or_else(|| PaperError::Refused(format!("没有文号为 {number} 的文书")))?;
                (format!("已出具：{}（{} {}）", p.number, p.issued_at, p.issued_by), p.body, Vec::new())
            }
        };
        // On screen the personal numbers are masked; the paper prints what its template asks.
        let shown = crate::domain::mask::redact_numbers(&text);
        Ok(PaperPreview { case_id, mode, title, blocks: markup::parse(&shown), gaps, scroll: 0, message: None })
    }

    /// Enter: issue (refused while anything is missing) or reprint; the
    /// popups close and the status bar names the file.
    fn confirm(&mut self, env: &mut Env) -> Vec<Effect> {
        let now = env.now();
        let done = match &self.mode {
            Mode::Issue { kind, replaces } => {
                issue(env, self.case_id, *kind, replaces.as_deref(), now).map(|w| issued(*kind, &w))
            }
            Mode::Reprint { number } => papers::reprint(&mut env.store, number, now)
                .map(|w| format!("已重印 {}（文号、内容与出具时相同）：{}", w.paper.number, shown(&w))),
        };
        match done {
            Ok(said) => vec![Effect::Pop, Effect::Pop, Effect::CaseChanged(self.case_id), Effect::Notice(said)],
            Err(PaperError::Store(e @ (StoreError::Busy | StoreError::Full | StoreError::ReadOnly))) => {
                vec![Effect::Failed(e)]
            }
            Err(e) => {
                self.message = Some((e.to_string(), true));
                Vec::new()
            }
        }
    }

    /// Scrolling stops near the paper's end; a long complaint is one block of
    /// many lines, so the bound counts lines at the narrowest preview (40
    /// columns) and the drawing clamps to the lines it really has.
    fn scroll_by(&mut self, step: isize) {
        let lines: usize = self.blocks.iter().map(|b| crate::text::width(b.text()) / 40 + 1).sum();
        self.scroll = self.scroll.saturating_add_signed(step).min(lines.saturating_sub(1));
    }
}

impl Pane for PaperPreview {
    fn focus(&self) -> Focus {
        Focus::new(PaneKind::Preview, false)
    }

    fn on_action(&mut self, action: Action, env: &mut Env) -> Option<Vec<Effect>> {
        let step = match action {
            Action::SelectNext => 1,
            Action::SelectPrev => -1,
            Action::PageDown => PAGE,
            Action::PageUp => -PAGE,
            Action::Open | Action::Save => return Some(self.confirm(env)),
            Action::Back => return Some(vec![Effect::Pop]),
            Action::Quit | Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => return None,
            _ => return Some(Vec::new()),
        };
        self.scroll_by(step);
        Some(Vec::new())
    }

    fn tell(&mut self, text: String, is_error: bool) -> bool {
        self.message = Some((text, is_error));
        true
    }
}
