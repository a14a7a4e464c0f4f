//! Fields of the small forms (case actions, reminder calls): text, dates,
//! numbers, and choices filtered by typing or stepped with ←→.

use tui_input::{Input, InputRequest};

use super::choice::{self, Opt};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Date,
    Number,
    Choice,
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: Input,
    pub options: Vec<Opt>,
    pub required: bool,
}

impl FormField {
    pub fn new(label: &'static str, kind: FieldKind, value: &str, required: bool) -> FormField {
        FormField { label, kind, input: Input::new(value.to_string()), options: Vec::new(), required }
    }

    pub fn choice(label: &'static str, options: Vec<Opt>) -> FormField {
        let first = options.first().map(|o| o.label.clone()).unwrap_or_default();
        FormField { label, kind: FieldKind::Choice, input: Input::new(first), options, required: true }
    }

    /// The value as entered; for a choice, the best-matching option.
    pub fn value(&self) -> String {
        match self.kind {
            FieldKind::Choice => choice::filter(&self.options, self.input.value())
                .first()
                .map(|i| self.options[*i].label.clone())
                .unwrap_or_default(),
            _ => self.input.value().trim().to_string(),
        }
    }

    /// The code of the chosen option of a choice.
    pub fn selected_code(&self) -> Option<String> {
        let label = self.value();
        self.options.iter().find(|o| o.label == label).map(|o| o.code.clone())
    }

    /// Left/Right on a choice: the previous or next option.
    pub fn cycle(&mut self, step: isize) {
        if self.options.is_empty() {
            return;
        }
        let current = self.options.iter().position(|o| o.label == self.value()).unwrap_or(0) as isize;
        let n = self.options.len() as isize;
        let next = (current + step).rem_euclid(n) as usize;
        self.input = Input::new(self.options[next].label.clone());
    }

    /// A key typed into the field: digits only for numbers; typing on a
    /// choice starts a new filter rather than editing the shown label.
    pub fn edit(&mut self, req: InputRequest) {
        if self.kind == FieldKind::Number && matches!(req, InputRequest::InsertChar(c) if !c.is_ascii_digit()) {
            return;
        }
        if self.kind == FieldKind::Choice
            && matches!(req, InputRequest::InsertChar(_))
            && self.input.value() == self.value()
        {
            self.input.reset();
        }
        edit_input(&mut self.input, req);
    }
}

/// Apply a key to an input, then keep the caret on a grapheme boundary:
/// typing a letter in front of a lone combining mark joins the two into one
/// glyph, and the caret belongs after it, not inside it.
pub fn edit_input(input: &mut Input, req: InputRequest) -> Option<tui_input::StateChanged> {
    let changed = input.handle(req);
    let value = input.value();
    let byte = value.char_indices().nth(input.cursor()).map_or(value.len(), |(i, _)| i);
    let inside = unicode_segmentation::UnicodeSegmentation::grapheme_indices(value, true)
        .find(|(start, g)| *start < byte && byte < start + g.len());
    if let Some((start, g)) = inside {
        let end = value[..start + g.len()].chars().count();
        *input = input.clone().with_cursor(end);
    }
    changed
}

/// The fields of a form with the one that has the keyboard and what went wrong.
#[derive(Debug, Clone)]
pub struct FieldForm {
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub error: Option<String>,
}

impl FieldForm {
    pub fn new(title: impl Into<String>, fields: Vec<FormField>) -> FieldForm {
        FieldForm { title: title.into(), fields, focus: 0, error: None }
    }

    pub fn edit(&mut self, req: InputRequest) {
        self.fields[self.focus].edit(req);
        self.error = None;
    }

    pub fn paste(&mut self, text: &str) {
        for c in crate::text::pasted(text, false).chars() {
            self.edit(InputRequest::InsertChar(c));
        }
    }

    pub fn move_focus(&mut self, step: isize) {
        self.focus = self.focus.saturating_add_signed(step).min(self.fields.len() - 1);
    }

    /// Moving between fields and options: Tab/↑↓ and ←→, the same in every form.
    pub fn navigate(&mut self, action: super::Action) {
        use super::Action::*;
        match action {
            NextField => self.move_focus(1),
            PrevField => self.move_focus(-1),
            OptionNext => self.cycle(1),
            OptionPrev => self.cycle(-1),
            _ => {}
        }
    }

    pub fn cycle(&mut self, step: isize) {
        if self.fields[self.focus].kind == FieldKind::Choice {
            self.fields[self.focus].cycle(step);
        }
    }

    /// The value of field `i`.
    pub fn value(&self, i: usize) -> String {
        self.fields[i].value()
    }

    /// The first required field left empty, as a message.
    pub fn missing(&self) -> Option<String> {
        self.fields.iter().find(|f| f.required && f.value().is_empty()).map(|f| format!("请填写{}", f.label))
    }

    /// Field `i` as a date (`None` when empty), or the reason it is not one.
    pub fn date(&self, i: usize) -> Result<Option<chrono::NaiveDate>, String> {
        let v = self.value(i);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| format!("{}应写成 2026-11-28", self.fields[i].label))
    }
}
