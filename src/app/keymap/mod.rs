//! The keymap as data: every binding says where it applies, what it does and
//! how the help shows it. The help bar and the help screen are generated from
//! this list, so the hints can never disagree with the keys.

mod custom;
mod defaults;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use custom::{KeySpec, action_name, scope_name};
pub use defaults::DEFAULT;

use super::Action;
use super::pane::{Focus, PaneKind as P};

const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while typing in a field or with help open.
    Always,
    /// On every screen (not in popups) while no text field has the keyboard.
    Global,
    /// In one kind of pane, when it is on top. Panes with a text field bind
    /// only keys that do not type (arrows, Enter, Esc, Ctrl combinations).
    In(P),
}

/// When the one-line help bar shows a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    Yes,
    No,
    /// Only while typing (where the plain-key alternative does not work).
    WhenTyping,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub scope: Scope,
    /// How the key is written in the help ("Ctrl-C", "上下"); bindings that share a
    /// hint with a neighbour (the digits 2-6) have `None` and are shown once.
    pub key_label: Option<&'static str>,
    pub description: &'static str,
    pub bar: Bar,
}

impl Binding {
    pub fn applies(&self, focus: Focus) -> bool {
        match self.scope {
            Scope::Always => true,
            Scope::Global => focus.pane.takes_global_keys() && !focus.typing,
            Scope::In(pane) => pane == focus.pane,
        }
    }

    pub fn matches(&self, key: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?', capitals) and of BackTab.
        let shift_implied = matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab);
        let strip = |m: KeyModifiers| if shift_implied { m - SHIFT } else { m };
        self.code == key.code && strip(self.modifiers) == strip(key.modifiers)
    }

    fn in_bar(&self, focus: Focus) -> bool {
        match self.bar {
            Bar::Yes => true,
            Bar::No => false,
            Bar::WhenTyping => focus.typing || !focus.pane.takes_global_keys(),
        }
    }
}

/// The bindings in force: the built-in ones with the config file's `[keys]`.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap { bindings: DEFAULT.to_vec() }
    }
}

impl Keymap {
    /// The built-in bindings with `overrides` applied; an unknown action, a
    /// key that cannot be read or a clash is refused with the config key.
    pub fn customized(overrides: &std::collections::BTreeMap<String, KeySpec>) -> Result<Keymap, (String, String)> {
        custom::apply(DEFAULT, overrides).map(|bindings| Keymap { bindings })
    }

    /// The check `Config::load` runs on `[keys]`.
    pub fn check(overrides: &std::collections::BTreeMap<String, KeySpec>) -> Result<(), (String, String)> {
        Self::customized(overrides).map(|_| ())
    }

    /// The action bound to `key` where the keyboard is, if any.
    pub fn lookup(&self, key: &KeyEvent, focus: Focus) -> Option<Action> {
        self.bindings.iter().find(|b| b.applies(focus) && b.matches(key)).map(|b| b.action)
    }

    /// The bindings the help bar shows, the pane's own first; `offered` leaves
    /// out actions that mean nothing in the state at hand (a case action the
    /// status does not allow, a key of another report view).
    pub fn bar_hints(&self, focus: Focus, offered: impl Fn(Action) -> bool) -> Vec<(&'static str, &'static str)> {
        let mut hints: Vec<&Binding> =
            self.bindings.iter().filter(|b| b.in_bar(focus) && b.applies(focus) && offered(b.action)).collect();
        hints.sort_by_key(|b| !matches!(b.scope, Scope::In(_)));
        hints.into_iter().filter_map(|b| b.key_label.map(|k| (k, b.description))).collect()
    }

    /// One line per action and place: `queue.ticket_call = "n"  叫下一位`,
    /// the names `[keys]` takes.
    pub fn listing(&self) -> String {
        let mut lines: Vec<(String, Vec<String>, &'static str)> = Vec::new();
        for b in &self.bindings {
            let name = format!("{}.{}", scope_name(b.scope), action_name(b.action));
            let key = custom::key_text(b.code, b.modifiers);
            match lines.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, keys, _)) => keys.push(key),
                None => lines.push((name, vec![key], b.description)),
            }
        }
        lines
            .into_iter()
            .map(|(name, keys, desc)| {
                let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
                let keys = if keys.len() == 1 { keys[0].clone() } else { format!("[{}]", keys.join(", ")) };
                format!("\"{name}\" = {keys}  # {desc}\n")
            })
            .collect()
    }

    /// Every binding of a pane and the popups it opens, for the help screen.
    pub fn help_entries(&self, pane: P) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<(&'static str, &'static str)> = Vec::new();
        let shown = |b: &Binding| match b.scope {
            Scope::In(p) => pane.family().contains(&p),
            Scope::Global => pane.takes_global_keys(),
            Scope::Always => true,
        };
        for b in self.bindings.iter().filter(|b| shown(b)) {
            if let Some(k) = b.key_label
                && !out.contains(&(k, b.description))
            {
                out.push((k, b.description));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Screen;
    use KeyCode::{BackTab, Char, Down, Esc, F};
    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn km() -> Keymap {
        Keymap::default()
    }

    const HOME: Focus = Focus { pane: P::Home, typing: false };
    const SEARCH: Focus = Focus { pane: P::Search, typing: true };

    #[test]
    fn lookups() {
        assert_eq!(km().lookup(&key(Char('q'), NONE), HOME), Some(Action::Quit));
        assert_eq!(km().lookup(&key(Char('c'), CTRL), HOME), Some(Action::Quit));
        assert_eq!(km().lookup(&key(Char('?'), SHIFT), HOME), Some(Action::ToggleHelp));
        assert_eq!(km().lookup(&key(Char('3'), NONE), HOME), Some(Action::GoTo(Screen::Queue)));
        assert_eq!(km().lookup(&key(F(4), NONE), HOME), Some(Action::GoTo(Screen::Search)));
        assert_eq!(km().lookup(&key(Char('/'), NONE), HOME), Some(Action::GoTo(Screen::Search)));
        assert_eq!(km().lookup(&key(BackTab, SHIFT), HOME), Some(Action::PrevScreen));
        assert_eq!(km().lookup(&key(Char('x'), NONE), HOME), None);
    }

    #[test]
    fn typing_leaves_plain_keys_to_the_field() {
        for c in ['q', '1', '/', '?', 'j', 'r', 'o'] {
            assert_eq!(km().lookup(&key(Char(c), NONE), SEARCH), None, "{c}");
        }
        assert_eq!(km().lookup(&key(Char('c'), CTRL), SEARCH), Some(Action::Quit));
        assert_eq!(km().lookup(&key(F(1), NONE), SEARCH), Some(Action::GoTo(Screen::Home)));
        assert_eq!(km().lookup(&key(Down, NONE), SEARCH), Some(Action::SelectNext));
        assert_eq!(km().lookup(&key(Char('o'), CTRL), SEARCH), Some(Action::ToggleOpenOnly));
        assert_eq!(km().lookup(&key(Esc, NONE), SEARCH), Some(Action::Back));
    }

    #[test]
    fn popups_take_enter_and_esc() {
        let profile = Focus { pane: P::Profile, typing: false };
        assert_eq!(km().lookup(&key(Esc, NONE), profile), Some(Action::Back));
        assert_eq!(km().lookup(&key(Char('o'), CTRL), profile), None);
        assert_eq!(km().lookup(&key(Char('q'), NONE), profile), None, "q does not quit from a popup");
    }

    #[test]
    fn help_overlay_takes_esc_and_q() {
        let help = Focus { pane: P::Help, typing: false };
        assert_eq!(km().lookup(&key(Char('q'), NONE), help), Some(Action::CloseOverlay));
        assert_eq!(km().lookup(&key(Esc, NONE), help), Some(Action::CloseOverlay));
        assert_eq!(km().lookup(&key(Char('2'), NONE), help), None);
    }

    #[test]
    fn bar_shows_screen_keys_first_and_typing_alternatives() {
        let hints = km().bar_hints(HOME, |_| true);
        assert_eq!(hints.first(), Some(&("上下", "选择")));
        assert!(hints.contains(&("q", "退出")) && !hints.contains(&("Ctrl-C", "退出")));
        let search = km().bar_hints(SEARCH, |_| true);
        assert!(search.contains(&("Ctrl-O", "只看在办")));
        assert!(search.contains(&("F1-F6", "切换页面")) && search.contains(&("Ctrl-C", "退出")));
        assert!(!search.contains(&("q", "退出")), "q types in the query box");
    }

    #[test]
    fn each_popup_advertises_only_its_own_keys() {
        let days = km().bar_hints(Focus { pane: P::DayList, typing: false }, |_| true);
        assert!(!days.iter().any(|(_, d)| *d == "换选项"), "the day list has no options: {days:?}");
        let form = km().bar_hints(Focus { pane: P::Form, typing: true }, |_| true);
        assert!(form.contains(&("左右", "换选项")));
        let confirm = km().bar_hints(Focus { pane: P::Confirm, typing: false }, |_| true);
        assert_eq!(&confirm[..2], &[("Enter", "是"), ("Esc", "否")]);
    }

    #[test]
    fn help_lists_popup_keys_too() {
        let entries = km().help_entries(P::Search);
        assert!(entries.contains(&("Enter", "打开事项")));
        assert!(entries.contains(&("Ctrl-O", "只看在办")));
    }

    #[test]
    fn key_labels_are_narrow_everywhere() {
        for b in DEFAULT {
            for s in [b.key_label.unwrap_or(""), b.description] {
                assert!(!crate::text::is_ambiguous_width(s), "{s:?} has an ambiguous-width character");
            }
        }
    }

    fn parse_config(text: &str) -> Result<crate::config::Config, crate::config::ConfigError> {
        crate::config::Config::parse_with(text, std::path::Path::new("/etc/xfdesk.toml"), Keymap::check)
    }

    #[test]
    fn keys_are_rebound_or_refused_with_their_line() {
        let c = parse_config("[keys]\n\"queue.ticket_call\" = \"F9\"\n").unwrap();
        let km = Keymap::customized(&c.keys).unwrap();
        let f9 = crossterm::event::KeyEvent::new(crossterm::event::KeyCode::F(9), crossterm::event::KeyModifiers::NONE);
        let queue = crate::app::pane::Focus::new(crate::app::pane::PaneKind::Queue, false);
        assert_eq!(km.lookup(&f9, queue), Some(crate::app::Action::Ticket(crate::domain::queue::TicketMove::Call)));
        let e = parse_config("office_name = \"甲\"\n[keys]\n\"queue.ticket_call\" = \"r\"\n").unwrap_err().to_string();
        assert!(e.contains("第3行") && e.contains("同时用于"), "{e}");
        let e = parse_config("[keys]\nqueue.fly = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("第2行"), "{e}");
    }
}
