//! `[keys]` in the config file: rebinding an action in one kind of pane.
//!
//! ```toml
//! [keys]
//! "queue.ticket_call" = "F9"            # 叫下一位 on F9 instead of n
//! "detail.case_reply" = ["f", "Ctrl-R"] # 答复 on either
//! ```
//! A name is `<scope>.<action>`: the scope is a pane kind (`home`, `queue`,
//! `detail`, `form` …), `global` or `always`; the action is the binding's
//! action in snake case, as `xfdesk keys` would list it (`README` has the
//! table). An unknown name, a key that cannot be read, or a key that would
//! then do two things in one place is refused, naming the config key.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Binding, Scope};
use crate::app::Action;
use crate::app::pane::PaneKind;

pub use crate::config::KeySpec;

/// A scope's name in the config file.
pub fn scope_name(scope: Scope) -> String {
    match scope {
        Scope::Always => "always".into(),
        Scope::Global => "global".into(),
        Scope::In(p) => snake(&format!("{p:?}")),
    }
}

/// An action's name in the config file: its variant, in snake case
/// (`Ticket(Call)` → `ticket_call`, `GoTo(Queue)` → `go_to_queue`).
pub fn action_name(action: Action) -> String {
    snake(&format!("{action:?}"))
}

fn snake(debug: &str) -> String {
    let mut out = String::new();
    for c in debug.chars() {
        match c {
            'A'..='Z' => {
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            '(' | ')' | ' ' | ',' => {
                if !out.ends_with('_') && !out.is_empty() {
                    out.push('_');
                }
            }
            c => out.push(c),
        }
    }
    out.trim_end_matches('_').to_string()
}

fn parse_scope(s: &str) -> Option<Scope> {
    match s {
        "always" => Some(Scope::Always),
        "global" => Some(Scope::Global),
        _ => PaneKind::ALL.into_iter().find(|p| scope_name(Scope::In(*p)) == s).map(Scope::In),
    }
}

/// "n", "?", "Ctrl-N", "Shift-Tab", "F9", "Enter", "Esc", "Tab", "Up", "PgDn" …
pub fn parse_key(s: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (mods, name) = match s.rsplit_once('-').filter(|(m, k)| !m.is_empty() && !k.is_empty()) {
        Some((m, k)) => (m, k),
        None => ("", s),
    };
    let mut modifiers = KeyModifiers::NONE;
    for m in mods.split('-').filter(|m| !m.is_empty()) {
        modifiers |= match m.to_ascii_lowercase().as_str() {
            "ctrl" => KeyModifiers::CONTROL,
            "alt" => KeyModifiers::ALT,
            "shift" => KeyModifiers::SHIFT,
            _ => return None,
        };
    }
    let code = match name.to_ascii_lowercase().as_str() {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?),
        _ => {
            let mut chars = name.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            // A letter with Ctrl is the lowercase letter, as terminals send it.
            KeyCode::Char(if modifiers.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
        }
    };
    Some((code, modifiers))
}

/// A key as `parse_key` reads it back.
pub fn key_text(code: KeyCode, modifiers: KeyModifiers) -> String {
    let name = match code {
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => return "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => c.to_ascii_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    let mut out = String::new();
    for (m, label) in [(KeyModifiers::CONTROL, "Ctrl-"), (KeyModifiers::ALT, "Alt-")] {
        if modifiers.contains(m) {
            out.push_str(label);
        }
    }
    out + &name
}

/// The built-in bindings with the overrides applied.
pub fn apply(defaults: &[Binding], overrides: &BTreeMap<String, KeySpec>) -> Result<Vec<Binding>, (String, String)> {
    let mut bindings = defaults.to_vec();
    for (name, spec) in overrides {
        let refuse = |why: String| (name.clone(), why);
        let (scope, action) = name
            .split_once('.')
            .ok_or_else(|| refuse(format!("按键名「{name}」应写成 范围.动作，如 \"queue.ticket_call\"")))?;
        let scope = parse_scope(scope).ok_or_else(|| {
            let all: Vec<String> = PaneKind::ALL.iter().map(|p| scope_name(Scope::In(*p))).collect();
            refuse(format!("未知的范围「{scope}」；可用：always、global、{}", all.join("、")))
        })?;
        let existing: Vec<Binding> =
            bindings.iter().filter(|b| b.scope == scope && action_name(b.action) == action).copied().collect();
        let Some(first) = existing.first().copied() else {
            let mut known: Vec<String> =
                bindings.iter().filter(|b| b.scope == scope).map(|b| action_name(b.action)).collect();
            known.dedup();
            return Err(refuse(format!("「{}」中没有动作「{action}」；可用：{}", scope_name(scope), known.join("、"))));
        };
        let keys = spec.keys();
        if keys.is_empty() {
            return Err(refuse("至少要给一个按键".into()));
        }
        bindings.retain(|b| !(b.scope == scope && b.action == first.action));
        let label: &'static str = Box::leak(keys.join("/").into_boxed_str());
        for (i, k) in keys.iter().enumerate() {
            let (code, modifiers) = parse_key(k)
                .ok_or_else(|| refuse(format!("无法识别的按键「{k}」（例：n、Ctrl-N、F9、Enter、PgDn）")))?;
            bindings.push(Binding { code, modifiers, key_label: (i == 0).then_some(label), ..first });
        }
    }
    check_clashes(&bindings).map_err(|(a, b, key)| {
        let name = overrides
            .keys()
            .find(|n| [a, b].iter().any(|x| **n == format!("{}.{}", scope_name(x.scope), action_name(x.action))))
            .cloned()
            .unwrap_or_default();
        (
            name,
            format!("按键「{key}」在「{}」中同时用于「{}」和「{}」", scope_name(a.scope), a.description, b.description),
        )
    })?;
    Ok(bindings)
}

/// Two bindings of one key that would both apply in one place, for different actions.
fn check_clashes(bindings: &[Binding]) -> Result<(), (Binding, Binding, String)> {
    for (i, a) in bindings.iter().enumerate() {
        for b in &bindings[i + 1..] {
            let same_key = a.code == b.code && a.modifiers == b.modifiers;
            let same_place = a.scope == b.scope || a.scope == Scope::Always || b.scope == Scope::Always;
            if same_key && same_place && a.action != b.action {
                return Err((*a, *b, format!("{:?}", a.code)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(pairs: &[(&str, KeySpec)]) -> BTreeMap<String, KeySpec> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn names_are_snake_case_of_the_variants() {
        use crate::domain::queue::TicketMove;
        assert_eq!(action_name(Action::Ticket(TicketMove::Call)), "ticket_call");
        assert_eq!(action_name(Action::GoTo(crate::app::Screen::Queue)), "go_to_queue");
        assert_eq!(action_name(Action::SelectNext), "select_next");
        assert_eq!(scope_name(Scope::In(PaneKind::DayList)), "day_list");
    }

    #[test]
    fn keys_parse() {
        assert_eq!(parse_key("n"), Some((KeyCode::Char('n'), KeyModifiers::NONE)));
        assert_eq!(parse_key("Ctrl-N"), Some((KeyCode::Char('n'), KeyModifiers::CONTROL)));
        assert_eq!(parse_key("F9"), Some((KeyCode::F(9), KeyModifiers::NONE)));
        assert_eq!(parse_key("Shift-Tab"), Some((KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert_eq!(parse_key("-"), Some((KeyCode::Char('-'), KeyModifiers::NONE)));
        assert_eq!(parse_key("PgDn"), Some((KeyCode::PageDown, KeyModifiers::NONE)));
        for bad in ["", "Hyper-x", "F99", "nn", "\u{1b}"] {
            assert_eq!(parse_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_key_reads_back_as_itself() {
        for b in super::super::DEFAULT {
            let text = key_text(b.code, b.modifiers);
            let back = parse_key(&text).map(|(c, m)| (c, m - KeyModifiers::SHIFT));
            assert_eq!(back, Some((b.code, b.modifiers - KeyModifiers::SHIFT)), "{text}");
        }
    }

    #[test]
    fn the_built_in_keys_do_not_clash() {
        assert!(check_clashes(super::super::DEFAULT).is_ok(), "{:?}", check_clashes(super::super::DEFAULT).err());
    }

    #[test]
    fn an_override_rebinds_and_relabels() {
        let b = apply(super::super::DEFAULT, &over(&[("queue.ticket_call", KeySpec::One("F9".into()))])).unwrap();
        let call: Vec<&Binding> = b.iter().filter(|x| action_name(x.action) == "ticket_call").collect();
        assert_eq!(call.len(), 1);
        assert_eq!((call[0].code, call[0].key_label, call[0].description), (KeyCode::F(9), Some("F9"), "叫下一位"));
    }

    #[rstest::rstest]
    #[case("queue", "应写成 范围.动作")]
    #[case("nowhere.ticket_call", "未知的范围")]
    #[case("queue.fly", "没有动作「fly」")]
    fn unknown_names_are_refused(#[case] name: &str, #[case] why: &str) {
        let e = apply(super::super::DEFAULT, &over(&[(name, KeySpec::One("x".into()))])).unwrap_err();
        assert_eq!(e.0, name);
        assert!(e.1.contains(why), "{}", e.1);
    }

    #[test]
    fn a_clash_and_a_bad_key_are_refused() {
        // r already means 重呼 in the queue.
        let e = apply(super::super::DEFAULT, &over(&[("queue.ticket_call", KeySpec::One("r".into()))])).unwrap_err();
        assert!(e.1.contains("同时用于"), "{}", e.1);
        let e = apply(
            super::super::DEFAULT,
            &over(&[("queue.ticket_call", KeySpec::Many(vec!["n".into(), "Ctrl-".into()]))]),
        );
        assert!(e.is_err());
    }
}
