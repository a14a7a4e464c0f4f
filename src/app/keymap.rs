//! The keymap as data: every binding says where it applies, what it does and
//! how the help shows it. The help bar and the `?` screen are generated from
//! this list, so the hints can never disagree with the keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, Screen};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while typing in a field.
    Always,
    /// Everywhere outside a text field.
    Global,
    /// Only on one screen.
    On(Screen),
    /// While the help overlay is open.
    Help,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub scope: Scope,
    /// How the key is written in the help ("Ctrl-C", "↑"); bindings that share a
    /// hint with a neighbour (the digits 2-6) have `None` and are shown once.
    pub key_label: Option<&'static str>,
    pub description: &'static str,
    /// Shown in the one-line help bar (the rest only in the `?` screen).
    pub in_bar: bool,
}

const fn bind(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    scope: Scope,
    key_label: Option<&'static str>,
    description: &'static str,
    in_bar: bool,
) -> Binding {
    Binding { code, modifiers, action, scope, key_label, description, in_bar }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

pub const DEFAULT: &[Binding] = &[
    bind(KeyCode::Char('c'), CTRL, Action::Quit, Scope::Always, Some("Ctrl-C"), "退出", false),
    bind(KeyCode::Esc, NONE, Action::CloseOverlay, Scope::Help, Some("Esc"), "关闭帮助", true),
    bind(KeyCode::Char('?'), NONE, Action::CloseOverlay, Scope::Help, Some("?"), "关闭帮助", false),
    bind(KeyCode::Char('q'), NONE, Action::CloseOverlay, Scope::Help, Some("q"), "关闭帮助", false),
    bind(KeyCode::Char('1'), NONE, Action::GoTo(Screen::Home), Scope::Global, Some("1-6"), "切换页面", true),
    bind(KeyCode::Char('2'), NONE, Action::GoTo(Screen::Intake), Scope::Global, None, "来访登记", false),
    bind(KeyCode::Char('3'), NONE, Action::GoTo(Screen::Queue), Scope::Global, None, "接访队列", false),
    bind(KeyCode::Char('4'), NONE, Action::GoTo(Screen::Search), Scope::Global, None, "查询", false),
    bind(KeyCode::Char('5'), NONE, Action::GoTo(Screen::Reminders), Scope::Global, None, "督促", false),
    bind(KeyCode::Char('6'), NONE, Action::GoTo(Screen::Reports), Scope::Global, None, "报表", false),
    bind(KeyCode::Tab, NONE, Action::NextScreen, Scope::Global, Some("Tab"), "下一页", false),
    bind(KeyCode::BackTab, SHIFT, Action::PrevScreen, Scope::Global, Some("Shift-Tab"), "上一页", false),
    bind(KeyCode::Down, NONE, Action::SelectNext, Scope::On(Screen::Home), Some("↑↓"), "选择", true),
    bind(KeyCode::Char('j'), NONE, Action::SelectNext, Scope::On(Screen::Home), None, "下移", false),
    bind(KeyCode::Up, NONE, Action::SelectPrev, Scope::On(Screen::Home), None, "上移", false),
    bind(KeyCode::Char('k'), NONE, Action::SelectPrev, Scope::On(Screen::Home), None, "上移", false),
    bind(KeyCode::Home, NONE, Action::SelectFirst, Scope::On(Screen::Home), Some("Home/End"), "首条/末条", false),
    bind(KeyCode::End, NONE, Action::SelectLast, Scope::On(Screen::Home), None, "末条", false),
    bind(KeyCode::Char('r'), NONE, Action::Refresh, Scope::On(Screen::Home), Some("r"), "刷新", true),
    bind(KeyCode::Char('?'), NONE, Action::ToggleHelp, Scope::Global, Some("?"), "帮助", true),
    bind(KeyCode::Char('q'), NONE, Action::Quit, Scope::Global, Some("q"), "退出", true),
];

/// The context the keymap is asked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub screen: Screen,
    pub help_open: bool,
    pub typing: bool,
}

impl Binding {
    pub fn applies(&self, ctx: Context) -> bool {
        match self.scope {
            Scope::Always => true,
            Scope::Help => ctx.help_open,
            _ if ctx.help_open => false,
            Scope::Global => !ctx.typing,
            Scope::On(screen) => screen == ctx.screen && !ctx.typing,
        }
    }

    fn matches(&self, key: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?', capitals) and of BackTab.
        let shift_implied = matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab);
        let strip = |m: KeyModifiers| if shift_implied { m - SHIFT } else { m };
        self.code == key.code && strip(self.modifiers) == strip(key.modifiers)
    }
}

/// The action bound to `key` in `ctx`, if any.
pub fn lookup(key: &KeyEvent, ctx: Context) -> Option<Action> {
    DEFAULT.iter().find(|b| b.applies(ctx) && b.matches(key)).map(|b| b.action)
}

/// The bindings the help bar shows in `ctx`, screen-specific first.
pub fn bar_hints(ctx: Context) -> Vec<(&'static str, &'static str)> {
    let mut hints: Vec<&Binding> = DEFAULT.iter().filter(|b| b.in_bar && b.applies(ctx)).collect();
    hints.sort_by_key(|b| !matches!(b.scope, Scope::On(_) | Scope::Help));
    hints.into_iter().filter_map(|b| b.key_label.map(|k| (k, b.description))).collect()
}

/// Every binding that applies somewhere in `screen`'s context, for the `?` screen.
pub fn help_entries(screen: Screen) -> Vec<(&'static str, &'static str)> {
    let ctx = Context { screen, help_open: false, typing: false };
    DEFAULT.iter().filter(|b| b.applies(ctx)).filter_map(|b| b.key_label.map(|k| (k, b.description))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    const HOME: Context = Context { screen: Screen::Home, help_open: false, typing: false };

    #[test]
    fn lookups() {
        assert_eq!(lookup(&key(KeyCode::Char('q'), NONE), HOME), Some(Action::Quit));
        assert_eq!(lookup(&key(KeyCode::Char('c'), CTRL), HOME), Some(Action::Quit));
        assert_eq!(lookup(&key(KeyCode::Char('?'), SHIFT), HOME), Some(Action::ToggleHelp));
        assert_eq!(lookup(&key(KeyCode::Char('3'), NONE), HOME), Some(Action::GoTo(Screen::Queue)));
        assert_eq!(lookup(&key(KeyCode::BackTab, SHIFT), HOME), Some(Action::PrevScreen));
        assert_eq!(lookup(&key(KeyCode::Char('x'), NONE), HOME), None);
    }

    #[test]
    fn typing_disables_single_letter_shortcuts_but_not_ctrl_c() {
        let typing = Context { typing: true, ..HOME };
        assert_eq!(lookup(&key(KeyCode::Char('q'), NONE), typing), None);
        assert_eq!(lookup(&key(KeyCode::Char('1'), NONE), typing), None);
        assert_eq!(lookup(&key(KeyCode::Char('c'), CTRL), typing), Some(Action::Quit));
    }

    #[test]
    fn help_overlay_takes_esc_and_q() {
        let help = Context { help_open: true, ..HOME };
        assert_eq!(lookup(&key(KeyCode::Char('q'), NONE), help), Some(Action::CloseOverlay));
        assert_eq!(lookup(&key(KeyCode::Esc, NONE), help), Some(Action::CloseOverlay));
        assert_eq!(lookup(&key(KeyCode::Char('2'), NONE), help), None);
    }

    #[test]
    fn bar_shows_screen_keys_first() {
        let hints = bar_hints(HOME);
        assert_eq!(hints.first(), Some(&("↑↓", "选择")));
        assert!(hints.contains(&("q", "退出")));
        let other = bar_hints(Context { screen: Screen::Queue, ..HOME });
        assert!(!other.iter().any(|(_, d)| *d == "刷新"));
    }
}
