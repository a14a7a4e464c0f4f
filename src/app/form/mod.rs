//! The one form component: intake, the case actions, the reminder call, the
//! queue forms, the booking and the weekly report's hand fields are all a
//! `Form<K>` whose fields are addressed by a key type of their own (an enum),
//! never by position. One rule for typing and pasting into each kind of field,
//! one caret/scroll rule (`ui::form`), validation of dates and numbers when a
//! field is left, choices filtered by Chinese or pinyin initials.

pub mod choice;
pub mod editor;

use tui_input::{Input, InputRequest};

pub use choice::Opt;
pub use editor::Editor;

/// What a field holds and how keys act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Several lines (反映问题): a real editor, ↑/↓ move inside it.
    Multi,
    Number,
    Date,
    Choice,
    /// Yes or empty; any letter or Enter flips it.
    Toggle,
    /// A password: typed like text, never shown (each character drawn as `*`).
    Secret,
}

impl Kind {
    /// Whether `c` may go into a field of this kind: the same rule for a typed
    /// key and for every character of a paste.
    pub fn accepts(self, c: char) -> bool {
        match self {
            Kind::Number => c.is_ascii_digit(),
            Kind::Date => c.is_ascii_digit() || c == '-',
            Kind::Toggle | Kind::Choice => false,
            Kind::Text | Kind::Multi | Kind::Secret => true,
        }
    }

    /// [`Kind::accepts`], and a line break in a multi-line field.
    fn takes(self, c: char) -> bool {
        self.accepts(c) || (self == Kind::Multi && c == '\n')
    }

    /// The message for a refused character.
    fn refusal(self) -> &'static str {
        match self {
            Kind::Number => "只能填写数字",
            Kind::Date => "日期只能由数字和「-」组成，如 2026-11-28",
            _ => "此项不能输入文字",
        }
    }
}

/// A field's text: one line, or the multi-line editor.
#[derive(Debug, Clone)]
pub enum Buffer {
    Line(Input),
    Lines(Editor),
}

#[derive(Debug, Clone)]
pub struct Field<K> {
    pub key: K,
    pub label: &'static str,
    pub kind: Kind,
    pub buffer: Buffer,
    pub options: Vec<Opt>,
    pub required: bool,
    /// Longest value, in characters.
    pub limit: Option<usize>,
    /// What is wrong, shown with the field.
    pub error: Option<String>,
    /// What was derived from the value (sex and birth date from an ID).
    pub note: Option<String>,
}

impl<K: Copy + Eq> Field<K> {
    pub fn new(key: K, label: &'static str, kind: Kind, value: &str) -> Field<K> {
        let buffer = match kind {
            Kind::Multi => Buffer::Lines(Editor::new(value)),
            _ => Buffer::Line(Input::new(value.to_string())),
        };
        Field { key, label, kind, buffer, options: Vec::new(), required: false, limit: None, error: None, note: None }
    }

    /// A choice starting on its first option.
    pub fn choice(key: K, label: &'static str, options: Vec<Opt>) -> Field<K> {
        let first = options.first().map(|o| o.label.clone()).unwrap_or_default();
        Field { options, required: true, ..Field::new(key, label, Kind::Choice, &first) }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn limit(mut self, chars: usize) -> Self {
        self.limit = Some(chars);
        self
    }

    /// The text as typed.
    pub fn raw(&self) -> &str {
        match &self.buffer {
            Buffer::Line(i) => i.value(),
            Buffer::Lines(e) => e.value(),
        }
    }

    /// The value: trimmed text, or for a choice the best-matching option.
    pub fn value(&self) -> String {
        match self.kind {
            Kind::Choice if !self.options.is_empty() => choice::filter(&self.options, self.raw())
                .first()
                .map(|i| self.options[*i].label.clone())
                .unwrap_or_default(),
            Kind::Multi => self.raw().to_string(),
            _ => self.raw().trim().to_string(),
        }
    }

    /// The code of the chosen option of a choice.
    pub fn selected_code(&self) -> Option<String> {
        let label = self.value();
        self.options.iter().find(|o| o.label == label).map(|o| o.code.clone())
    }

    pub fn set(&mut self, value: &str) {
        self.buffer = match self.kind {
            Kind::Multi => Buffer::Lines(Editor::new(value)),
            _ => Buffer::Line(Input::new(value.to_string())),
        };
    }

    /// The caret, as a char index into the value.
    pub fn cursor(&self) -> usize {
        match &self.buffer {
            Buffer::Line(i) => i.cursor(),
            Buffer::Lines(e) => e.cursor(),
        }
    }

    fn chars(&self) -> usize {
        self.raw().chars().count()
    }

    /// Left/Right on a choice: the previous or next option.
    pub fn cycle(&mut self, step: isize) {
        if self.options.is_empty() {
            return;
        }
        let current = self.options.iter().position(|o| o.label == self.value()).unwrap_or(0) as isize;
        let next = (current + step).rem_euclid(self.options.len() as isize) as usize;
        let label = self.options[next].label.clone();
        self.set(&label);
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    Changed,
    Unchanged,
    /// A letter typed on a picker-style choice: open its picker with it.
    OpenPicker(Option<char>),
    /// Refused, with the reason (nothing changed).
    Refused(String),
    /// Partly taken (a paste past the field's limit), with the reason.
    Cut(String),
}

/// How a choice field takes typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceStyle {
    /// Typing filters in place; ←→ step through the options (small forms).
    Inline,
    /// Typing opens a picker list (intake).
    Picker,
}

#[derive(Debug, Clone)]
pub struct Form<K> {
    pub title: String,
    pub fields: Vec<Field<K>>,
    pub focus: usize,
    /// A message about the whole form (why it was not saved).
    pub error: Option<String>,
    pub choices: ChoiceStyle,
    /// The keys line under the fields, where the usual one would mislead
    /// (the sign-in has no Esc to cancel to).
    pub keys: Option<&'static str>,
}

impl<K: Copy + Eq + std::fmt::Debug> Form<K> {
    pub fn new(title: impl Into<String>, fields: Vec<Field<K>>) -> Form<K> {
        Form { title: title.into(), fields, focus: 0, error: None, choices: ChoiceStyle::Inline, keys: None }
    }

    pub fn with_keys(mut self, keys: &'static str) -> Form<K> {
        self.keys = Some(keys);
        self
    }

    pub fn index(&self, key: K) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn field(&self, key: K) -> Option<&Field<K>> {
        self.index(key).map(|i| &self.fields[i])
    }

    pub fn field_mut(&mut self, key: K) -> Option<&mut Field<K>> {
        self.index(key).map(|i| &mut self.fields[i])
    }

    /// The value of a field (empty when the form has no such field).
    pub fn value(&self, key: K) -> String {
        self.field(key).map(Field::value).unwrap_or_default()
    }

    /// The text of a field as typed.
    pub fn raw(&self, key: K) -> &str {
        self.field(key).map_or("", Field::raw)
    }

    pub fn code(&self, key: K) -> Option<String> {
        self.field(key).and_then(Field::selected_code)
    }

    pub fn set(&mut self, key: K, value: &str) {
        if let Some(f) = self.field_mut(key) {
            f.set(value);
        }
    }

    pub fn focused(&self) -> &Field<K> {
        &self.fields[self.focus]
    }

    pub fn focused_mut(&mut self) -> &mut Field<K> {
        &mut self.fields[self.focus]
    }

    pub fn focus_on(&mut self, key: K) {
        if let Some(i) = self.index(key) {
            self.focus = i;
        }
    }

    /// Move by `step` fields among those `visible` says can be reached,
    /// checking the field left. Returns whether the focus moved.
    pub fn move_focus(&mut self, step: isize, visible: impl Fn(K) -> bool) -> bool {
        self.check_kind(self.focus);
        let mut i = self.focus as isize;
        loop {
            i += step.signum();
            let Some(f) = usize::try_from(i).ok().and_then(|i| self.fields.get(i)) else { return false };
            if visible(f.key) {
                self.focus = i as usize;
                return true;
            }
        }
    }

    /// Tab/↑↓ and ←→, the same in every small form.
    pub fn navigate(&mut self, action: super::Action) {
        use super::Action::*;
        match action {
            NextField | CaretDown => {
                self.move_focus(1, |_| true);
            }
            PrevField | CaretUp => {
                self.move_focus(-1, |_| true);
            }
            OptionNext => self.cycle(1),
            OptionPrev => self.cycle(-1),
            _ => {}
        }
    }

    pub fn cycle(&mut self, step: isize) {
        if self.focused().kind == Kind::Choice {
            self.focused_mut().cycle(step);
        }
    }

    /// A key for the focused field. The character rule of its kind applies;
    /// a value at its limit takes no more.
    pub fn edit(&mut self, req: InputRequest) -> Edited {
        let (kind, style) = (self.focused().kind, self.choices);
        if let InputRequest::InsertChar(c) = req {
            match kind {
                Kind::Toggle => {
                    self.toggle();
                    return Edited::Changed;
                }
                Kind::Choice if style == ChoiceStyle::Picker => return Edited::OpenPicker(Some(c)),
                Kind::Choice => {
                    // Typing on a choice starts a new filter rather than editing the label.
                    let f = self.focused_mut();
                    if f.raw() == f.value() {
                        f.set("");
                    }
                }
                _ if !kind.takes(c) => {
                    return Edited::Refused(kind.refusal().to_string());
                }
                _ => {}
            }
            if let Some(limit) = self.focused().limit
                && self.focused().chars() >= limit
            {
                return Edited::Refused(format!("{}最多{limit}字", self.focused().label));
            }
        }
        if kind == Kind::Choice && style == ChoiceStyle::Picker {
            if matches!(req, InputRequest::DeletePrevChar | InputRequest::DeleteLine) {
                self.focused_mut().set("");
                return Edited::Changed;
            }
            return Edited::Unchanged;
        }
        let changed = match &mut self.focused_mut().buffer {
            Buffer::Line(input) => edit_input(input, req).is_some_and(|s| s.value),
            Buffer::Lines(editor) => edit_lines(editor, req),
        };
        self.error = None;
        if changed {
            self.focused_mut().error = None;
            Edited::Changed
        } else {
            Edited::Unchanged
        }
    }

    /// A paste into the focused field, through the same character rule as
    /// typing: a paste with a character the field refuses is refused whole.
    /// A paste past the field's limit keeps what fits and says so.
    pub fn paste(&mut self, text: &str) -> Edited {
        let kind = self.focused().kind;
        if matches!(kind, Kind::Choice | Kind::Toggle) {
            return Edited::Unchanged;
        }
        let clean = crate::text::pasted(text, kind == Kind::Multi);
        let clean = if kind == Kind::Multi { clean } else { clean.trim().to_string() };
        if let Some(c) = clean.chars().find(|c| !kind.takes(*c)) {
            self.error = Some(format!("{}：粘贴的内容含「{c}」，{}，未粘贴", self.focused().label, kind.refusal()));
            return Edited::Refused(self.error.clone().unwrap_or_default());
        }
        let room = self.focused().limit.map_or(usize::MAX, |l| l.saturating_sub(self.focused().chars()));
        let kept: String = clean.chars().take(room).collect();
        let cut = kept.chars().count() < clean.chars().count();
        match &mut self.focused_mut().buffer {
            Buffer::Line(input) => {
                for c in kept.chars() {
                    edit_input(input, InputRequest::InsertChar(c));
                }
            }
            Buffer::Lines(editor) => editor.insert_str(&kept),
        }
        self.focused_mut().error = None;
        if cut {
            let limit = self.focused().limit.unwrap_or_default();
            let why = format!("{}最多{limit}字，粘贴的其余部分未加入", self.focused().label);
            self.error = Some(why.clone());
            return Edited::Cut(why);
        }
        self.error = None;
        Edited::Changed
    }

    pub fn toggle(&mut self) {
        let f = self.focused_mut();
        if f.kind == Kind::Toggle {
            let on = f.raw().is_empty();
            f.set(if on { "是" } else { "" });
        }
    }

    /// A date or number that cannot be one is flagged as the field is left.
    pub fn check_kind(&mut self, i: usize) {
        let Some(f) = self.fields.get_mut(i) else { return };
        let v = f.raw().trim();
        if v.is_empty() {
            return;
        }
        match f.kind {
            Kind::Date if v.parse::<chrono::NaiveDate>().is_err() => {
                f.error = Some(format!("{}应写成 2026-11-28", f.label));
            }
            Kind::Number if v.parse::<u32>().is_err() => f.error = Some(format!("{}应为数字", f.label)),
            _ => {}
        }
    }

    /// The first required field left empty, as a message.
    pub fn missing(&self) -> Option<String> {
        self.fields.iter().find(|f| f.required && f.value().is_empty()).map(|f| format!("请填写{}", f.label))
    }

    /// A field as a date (`None` when empty), or the reason it is not one.
    pub fn date(&self, key: K) -> Result<Option<chrono::NaiveDate>, String> {
        let v = self.value(key);
        if v.is_empty() {
            return Ok(None);
        }
        let label = self.field(key).map_or("日期", |f| f.label);
        v.parse().map(Some).map_err(|_| format!("{label}应写成 2026-11-28"))
    }

    /// A required date.
    pub fn required_date(&self, key: K) -> Result<chrono::NaiveDate, String> {
        let label = self.field(key).map_or("日期", |f| f.label);
        self.date(key)?.ok_or_else(|| format!("请填写{label}"))
    }
}

/// Apply a key to a one-line input, then keep the caret on a grapheme
/// boundary: typing a letter in front of a lone combining mark joins the two
/// into one glyph, and the caret belongs after it, not inside it.
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

/// A key in the multi-line editor; whether the text changed.
fn edit_lines(e: &mut Editor, req: InputRequest) -> bool {
    use InputRequest::*;
    match req {
        InsertChar(c) => {
            e.insert(c);
            true
        }
        DeletePrevChar => e.backspace(),
        DeleteNextChar => e.delete(),
        GoToPrevChar => {
            e.left();
            false
        }
        GoToNextChar => {
            e.right();
            false
        }
        GoToStart => {
            e.line_edge(false);
            false
        }
        GoToEnd => {
            e.line_edge(true);
            false
        }
        DeleteLine => {
            let had = !e.value().is_empty();
            e.clear();
            had
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum F {
        People,
        Day,
        Note,
        Text,
    }

    fn form() -> Form<F> {
        Form::new(
            "表",
            vec![
                Field::new(F::People, "来访人数", Kind::Number, "1"),
                Field::new(F::Day, "日期", Kind::Date, ""),
                Field::new(F::Note, "说明", Kind::Text, "").limit(4),
                Field::new(F::Text, "反映问题", Kind::Multi, ""),
            ],
        )
    }

    #[test]
    fn typing_and_pasting_follow_one_rule() {
        let mut f = form();
        assert!(matches!(f.edit(InputRequest::InsertChar('张')), Edited::Refused(_)));
        assert!(matches!(f.paste("张三5人"), Edited::Refused(_)), "a paste is refused whole");
        assert_eq!(f.value(F::People), "1");
        assert!(f.error.as_deref().is_some_and(|e| e.contains("只能填写数字")));
        assert_eq!(f.paste("5"), Edited::Changed);
        assert_eq!(f.value(F::People), "15");
        f.focus_on(F::Day);
        assert!(matches!(f.paste("明天"), Edited::Refused(_)));
        assert_eq!(f.paste("2026-12-01"), Edited::Changed);
        assert_eq!(f.date(F::Day), Ok(chrono::NaiveDate::from_ymd_opt(2026, 12, 1)));
    }

    #[test]
    fn limits_hold_for_typing_and_pasting() {
        let mut f = form();
        f.focus_on(F::Note);
        assert!(matches!(f.paste("一二三四五六"), Edited::Cut(_)));
        assert_eq!(f.value(F::Note), "一二三四");
        assert!(matches!(f.edit(InputRequest::InsertChar('七')), Edited::Refused(_)));
    }

    #[test]
    fn leaving_a_bad_date_flags_it() {
        let mut f = form();
        f.focus_on(F::Day);
        f.paste("2026-13-01");
        assert!(f.move_focus(1, |_| true));
        assert_eq!(f.fields[1].error.as_deref(), Some("日期应写成 2026-11-28"));
    }

    #[test]
    fn multi_line_keeps_line_breaks() {
        let mut f = form();
        f.focus_on(F::Text);
        assert_eq!(f.paste("第一行\n第二行"), Edited::Changed);
        assert_eq!(f.value(F::Text), "第一行\n第二行");
    }
}
