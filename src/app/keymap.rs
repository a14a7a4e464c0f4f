//! The keymap as data: every binding says where it applies, what it does and
//! how the help shows it. The help bar and the help screen are generated from
//! this list, so the hints can never disagree with the keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::pane::{Focus, PaneKind as P};
use super::{Action, Screen};

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

const fn bind(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    scope: Scope,
    key_label: Option<&'static str>,
    description: &'static str,
    bar: Bar,
) -> Binding {
    Binding { code, modifiers, action, scope, key_label, description, bar }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
use super::reports::ReportTab as RT;
use crate::domain::lifecycle::ActionKind as AK;
use crate::domain::queue::TicketMove as TM;
use Bar::{No, WhenTyping, Yes};
use KeyCode::{BackTab, Char, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up};

pub const DEFAULT: &[Binding] = &[
    bind(Char('c'), CTRL, Action::Quit, Scope::Always, Some("Ctrl-C"), "退出", WhenTyping),
    bind(Esc, NONE, Action::CloseOverlay, Scope::In(P::Help), Some("Esc"), "关闭帮助", Yes),
    bind(Char('?'), NONE, Action::CloseOverlay, Scope::In(P::Help), Some("?"), "关闭帮助", No),
    bind(Char('q'), NONE, Action::CloseOverlay, Scope::In(P::Help), Some("q"), "关闭帮助", No),
    bind(F(12), NONE, Action::ToggleHelp, Scope::Always, Some("F12"), "帮助", WhenTyping),
    // Screens: digits outside fields, F-keys everywhere.
    bind(Char('1'), NONE, Action::GoTo(Screen::Home), Scope::Global, Some("1-6"), "切换页面", Yes),
    bind(Char('2'), NONE, Action::GoTo(Screen::Intake), Scope::Global, None, "来访登记", No),
    bind(Char('3'), NONE, Action::GoTo(Screen::Queue), Scope::Global, None, "接访队列", No),
    bind(Char('4'), NONE, Action::GoTo(Screen::Search), Scope::Global, None, "查询", No),
    bind(Char('5'), NONE, Action::GoTo(Screen::Reminders), Scope::Global, None, "督促", No),
    bind(Char('6'), NONE, Action::GoTo(Screen::Reports), Scope::Global, None, "报表", No),
    bind(F(1), NONE, Action::GoTo(Screen::Home), Scope::Always, Some("F1-F6"), "切换页面", WhenTyping),
    bind(F(2), NONE, Action::GoTo(Screen::Intake), Scope::Always, None, "来访登记", No),
    bind(F(3), NONE, Action::GoTo(Screen::Queue), Scope::Always, None, "接访队列", No),
    bind(F(4), NONE, Action::GoTo(Screen::Search), Scope::Always, None, "查询", No),
    bind(F(5), NONE, Action::GoTo(Screen::Reminders), Scope::Always, None, "督促", No),
    bind(F(6), NONE, Action::GoTo(Screen::Reports), Scope::Always, None, "报表", No),
    bind(Char('/'), NONE, Action::GoTo(Screen::Search), Scope::Global, Some("/"), "查询", No),
    bind(Tab, NONE, Action::NextScreen, Scope::Global, Some("Tab"), "下一页", No),
    bind(BackTab, SHIFT, Action::PrevScreen, Scope::Global, Some("Shift-Tab"), "上一页", No),
    // 工作台
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Home), Some("上下"), "选择", Yes),
    bind(Char('j'), NONE, Action::SelectNext, Scope::In(P::Home), None, "下移", No),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Home), None, "上移", No),
    bind(Char('k'), NONE, Action::SelectPrev, Scope::In(P::Home), None, "上移", No),
    bind(Home, NONE, Action::SelectFirst, Scope::In(P::Home), Some("Home/End"), "首条/末条", No),
    bind(End, NONE, Action::SelectLast, Scope::In(P::Home), None, "末条", No),
    bind(Char('r'), NONE, Action::Refresh, Scope::In(P::Home), Some("r"), "刷新", Yes),
    // 查询 (the query box always has the keyboard: no plain letters here)
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Search), Some("上下"), "选择", Yes),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Search), None, "上移", No),
    bind(PageDown, NONE, Action::PageDown, Scope::In(P::Search), Some("PgUp/PgDn"), "翻页", No),
    bind(PageUp, NONE, Action::PageUp, Scope::In(P::Search), None, "上一页", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Search), Some("Enter"), "打开", Yes),
    bind(Char('o'), CTRL, Action::ToggleOpenOnly, Scope::In(P::Search), Some("Ctrl-O"), "只看在办", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::Search), Some("Esc"), "清空/返回", Yes),
    // 来访登记 (the form always has the keyboard)
    bind(Char('s'), CTRL, Action::Save, Scope::In(P::Intake), Some("Ctrl-S"), "保存", Yes),
    bind(Tab, NONE, Action::NextField, Scope::In(P::Intake), Some("Tab/下"), "下一项", Yes),
    bind(Down, NONE, Action::CaretDown, Scope::In(P::Intake), None, "下一行/下一项", No),
    bind(BackTab, SHIFT, Action::PrevField, Scope::In(P::Intake), Some("Shift-Tab/上"), "上一项", No),
    bind(Up, NONE, Action::CaretUp, Scope::In(P::Intake), None, "上一行/上一项", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Intake), Some("Enter"), "确定/选择", No),
    bind(Char('t'), CTRL, Action::TakeOver, Scope::In(P::Intake), Some("Ctrl-T"), "带入既往信访人", Yes),
    bind(PageDown, NONE, Action::PageDown, Scope::In(P::Intake), Some("PgUp/PgDn"), "换一个匹配人", No),
    bind(PageUp, NONE, Action::PageUp, Scope::In(P::Intake), None, "换一个匹配人", No),
    bind(Char('l'), CTRL, Action::LinkNext, Scope::In(P::Intake), Some("Ctrl-L"), "改关联的既往事项", No),
    bind(Char('n'), CTRL, Action::AddPerson, Scope::In(P::Intake), Some("Ctrl-N"), "添加代表", No),
    bind(Char('d'), CTRL, Action::RemovePerson, Scope::In(P::Intake), Some("Ctrl-D"), "删除此信访人", No),
    bind(Char('j'), CTRL, Action::NewLine, Scope::In(P::Intake), Some("Ctrl-J"), "反映问题中换行", No),
    bind(Esc, NONE, Action::Back, Scope::In(P::Intake), Some("Esc"), "放弃本次登记", No),
    // 事项详情: one key per case action; the bar shows only those the status allows.
    bind(Char('z'), NONE, Action::Case(AK::Forward), Scope::In(P::Detail), Some("z"), "转送", Yes),
    bind(Char('j'), NONE, Action::Case(AK::Assign), Scope::In(P::Detail), Some("j"), "交办", Yes),
    bind(Char('t'), NONE, Action::Case(AK::Objection), Scope::In(P::Detail), Some("t"), "异议退回", Yes),
    bind(Char('s'), NONE, Action::Case(AK::Accept), Scope::In(P::Detail), Some("s"), "受理", Yes),
    bind(Char('b'), NONE, Action::Case(AK::NotAccept), Scope::In(P::Detail), Some("b"), "不予受理", Yes),
    bind(Char('n'), NONE, Action::Case(AK::NoLongerAccept), Scope::In(P::Detail), Some("n"), "不再受理", Yes),
    bind(Char('g'), NONE, Action::Case(AK::Inform), Scope::In(P::Detail), Some("g"), "告知", Yes),
    bind(Char('d'), NONE, Action::Case(AK::ChannelToLegal), Scope::In(P::Detail), Some("d"), "导入法定程序", Yes),
    bind(Char('y'), NONE, Action::Case(AK::Extend), Scope::In(P::Detail), Some("y"), "延期", Yes),
    bind(Char('f'), NONE, Action::Case(AK::Reply), Scope::In(P::Detail), Some("f"), "答复", Yes),
    bind(Char('c'), NONE, Action::Case(AK::RequestReview), Scope::In(P::Detail), Some("c"), "申请复查", Yes),
    bind(Char('o'), NONE, Action::Case(AK::ReviewOpinion), Scope::In(P::Detail), Some("o"), "复查意见", Yes),
    bind(Char('h'), NONE, Action::Case(AK::RequestRecheck), Scope::In(P::Detail), Some("h"), "申请复核", Yes),
    bind(Char('k'), NONE, Action::Case(AK::RecheckOpinion), Scope::In(P::Detail), Some("k"), "复核意见", Yes),
    bind(Char('w'), NONE, Action::Case(AK::Close), Scope::In(P::Detail), Some("w"), "办结", Yes),
    bind(Char('p'), NONE, Action::Case(AK::FollowUp), Scope::In(P::Detail), Some("p"), "回访", Yes),
    bind(Char('v'), NONE, Action::RevealContent, Scope::In(P::Detail), Some("v"), "查看保密内容", No),
    bind(Char('a'), NONE, Action::CheckIn, Scope::In(P::Detail), Some("a"), "加入今日接访队列", No),
    bind(Char('m'), NONE, Action::RevealIdentity, Scope::In(P::Detail), Some("m"), "查看下一位信访人的完整证件号", No),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Detail), Some("上下"), "翻阅办理记录", No),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Detail), None, "上移", No),
    bind(PageDown, NONE, Action::PageDown, Scope::In(P::Detail), None, "下翻", No),
    bind(PageUp, NONE, Action::PageUp, Scope::In(P::Detail), None, "上翻", No),
    bind(Esc, NONE, Action::Back, Scope::In(P::Detail), Some("Esc"), "返回", Yes),
    bind(Char('r'), NONE, Action::Remind, Scope::In(P::Detail), Some("r"), "电话督促", Yes),
    bind(Enter, NONE, Action::Open, Scope::In(P::Home), Some("Enter"), "打开事项", Yes),
    // 督促
    // 接访队列
    bind(Char('n'), NONE, Action::Ticket(TM::Call), Scope::In(P::Queue), Some("n"), "叫下一位", Yes),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Queue), Some("上下"), "选择", Yes),
    bind(Char('j'), NONE, Action::SelectNext, Scope::In(P::Queue), None, "下移", No),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Queue), None, "上移", No),
    bind(Char('k'), NONE, Action::SelectPrev, Scope::In(P::Queue), None, "上移", No),
    bind(Char('r'), NONE, Action::Ticket(TM::Recall), Scope::In(P::Queue), Some("r"), "重呼", Yes),
    bind(Char('s'), NONE, Action::Ticket(TM::Skip), Scope::In(P::Queue), Some("s"), "过号", Yes),
    bind(Enter, NONE, Action::Ticket(TM::Start), Scope::In(P::Queue), Some("Enter"), "开始接谈", Yes),
    bind(Char('f'), NONE, Action::Ticket(TM::Finish), Scope::In(P::Queue), Some("f"), "结束接谈", Yes),
    bind(Char('l'), NONE, Action::Ticket(TM::Leave), Scope::In(P::Queue), Some("l"), "离开", No),
    bind(Char('g'), NONE, Action::Ticket(TM::Reschedule), Scope::In(P::Queue), Some("g"), "改期", No),
    bind(Char('p'), NONE, Action::Instruct, Scope::In(P::Queue), Some("p"), "记录批示", Yes),
    bind(Char('y'), NONE, Action::GrantPriority, Scope::In(P::Queue), Some("y"), "优先接谈", No),
    bind(Char('d'), NONE, Action::ChooseDay, Scope::In(P::Queue), Some("d"), "选择接访日", No),
    bind(Char('c'), NONE, Action::NewDay, Scope::In(P::Queue), Some("c"), "安排接访日", No),
    bind(Char('b'), NONE, Action::Appointments, Scope::In(P::Queue), Some("b"), "预约", No),
    bind(Char('e'), NONE, Action::EditDay, Scope::In(P::Queue), Some("e"), "修改接访日", No),
    bind(Char('t'), NONE, Action::ToggleLedger, Scope::In(P::Queue), Some("t"), "台账/队列", Yes),
    bind(Char('o'), NONE, Action::OpenCase, Scope::In(P::Queue), Some("o"), "打开事项", Yes),
    // 报表
    bind(Char('m'), NONE, Action::ShowReport(RT::Metrics), Scope::In(P::Reports), Some("m/w/a"), "指标/周报/预警", Yes),
    bind(Char('w'), NONE, Action::ShowReport(RT::Weekly), Scope::In(P::Reports), None, "每周排查上报", No),
    bind(Char('a'), NONE, Action::ShowReport(RT::Warnings), Scope::In(P::Reports), None, "预警", No),
    bind(Right, NONE, Action::OptionNext, Scope::In(P::Reports), Some("左右"), "切换视图", No),
    bind(Left, NONE, Action::OptionPrev, Scope::In(P::Reports), None, "切换视图", No),
    bind(PageUp, NONE, Action::PageUp, Scope::In(P::Reports), Some("PgUp/PgDn"), "上一期/下一期", Yes),
    bind(PageDown, NONE, Action::PageDown, Scope::In(P::Reports), None, "下一期", No),
    bind(Char('p'), NONE, Action::CyclePeriod, Scope::In(P::Reports), Some("p"), "统计期", Yes),
    bind(Char('b'), NONE, Action::ToggleTable, Scope::In(P::Reports), Some("b"), "表A/表B", Yes),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Reports), Some("上下"), "选择", No),
    bind(Char('j'), NONE, Action::SelectNext, Scope::In(P::Reports), None, "下移", No),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Reports), None, "上移", No),
    bind(Char('k'), NONE, Action::SelectPrev, Scope::In(P::Reports), None, "上移", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Reports), Some("Enter"), "填写人工字段", Yes),
    bind(Char('o'), NONE, Action::OpenCase, Scope::In(P::Reports), Some("o"), "打开事项", Yes),
    bind(Char('x'), NONE, Action::Export, Scope::In(P::Reports), Some("x"), "导出Excel", Yes),
    bind(Char('r'), NONE, Action::Refresh, Scope::In(P::Reports), Some("r"), "重新计算", Yes),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Reminders), Some("上下"), "选择", Yes),
    bind(Char('j'), NONE, Action::SelectNext, Scope::In(P::Reminders), None, "下移", No),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Reminders), None, "上移", No),
    bind(Char('k'), NONE, Action::SelectPrev, Scope::In(P::Reminders), None, "上移", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Reminders), Some("Enter"), "记录督促/选单位", Yes),
    bind(Char('x'), NONE, Action::FailedCall, Scope::In(P::Reminders), Some("x"), "未接通", Yes),
    bind(Char('o'), NONE, Action::OpenCase, Scope::In(P::Reminders), Some("o"), "打开事项", Yes),
    bind(Char('u'), NONE, Action::ToggleUnits, Scope::In(P::Reminders), Some("u"), "单位/待督促", Yes),
    bind(Char('r'), NONE, Action::Remind, Scope::In(P::Reminders), Some("r"), "督促该单位", No),
    // Popups: each kind of pane has its own keys.
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Profile), Some("上下"), "选择事项", Yes),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Profile), None, "上移", No),
    bind(PageDown, NONE, Action::PageDown, Scope::In(P::Profile), Some("PgUp/PgDn"), "翻页", No),
    bind(PageUp, NONE, Action::PageUp, Scope::In(P::Profile), None, "上一页", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Profile), Some("Enter"), "打开事项", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::Profile), Some("Esc"), "返回", Yes),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Picker), Some("上下"), "选择", Yes),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Picker), None, "上移", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Picker), Some("Enter"), "确定", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::Picker), Some("Esc"), "取消", Yes),
    bind(Enter, NONE, Action::Open, Scope::In(P::Confirm), Some("Enter"), "是", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::Confirm), Some("Esc"), "否", Yes),
    bind(Enter, NONE, Action::Open, Scope::In(P::Reveal), Some("Enter"), "确定", Yes),
    bind(Char('s'), CTRL, Action::Save, Scope::In(P::Reveal), None, "确定", No),
    bind(Esc, NONE, Action::Back, Scope::In(P::Reveal), Some("Esc"), "取消", Yes),
    bind(Enter, NONE, Action::Open, Scope::In(P::Form), Some("Enter"), "保存", Yes),
    bind(Char('s'), CTRL, Action::Save, Scope::In(P::Form), None, "保存", No),
    bind(Esc, NONE, Action::Back, Scope::In(P::Form), Some("Esc"), "取消", Yes),
    bind(Tab, NONE, Action::NextField, Scope::In(P::Form), Some("Tab/下"), "下一项", Yes),
    bind(Down, NONE, Action::NextField, Scope::In(P::Form), None, "下一项", No),
    bind(BackTab, SHIFT, Action::PrevField, Scope::In(P::Form), None, "上一项", No),
    bind(Up, NONE, Action::PrevField, Scope::In(P::Form), None, "上一项", No),
    bind(Left, NONE, Action::OptionPrev, Scope::In(P::Form), Some("左右"), "换选项", Yes),
    bind(Right, NONE, Action::OptionNext, Scope::In(P::Form), None, "换选项", No),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::DayList), Some("上下"), "选择", Yes),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::DayList), None, "上移", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::DayList), Some("Enter"), "显示该接访日", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::DayList), Some("Esc"), "关闭", Yes),
    bind(Down, NONE, Action::SelectNext, Scope::In(P::Appointments), Some("上下"), "选择", Yes),
    bind(Up, NONE, Action::SelectPrev, Scope::In(P::Appointments), None, "上移", No),
    bind(Enter, NONE, Action::Open, Scope::In(P::Appointments), Some("Enter"), "到场取号", Yes),
    bind(Left, NONE, Action::OptionPrev, Scope::In(P::Appointments), Some("左右"), "改状态", Yes),
    bind(Right, NONE, Action::OptionNext, Scope::In(P::Appointments), None, "改状态", No),
    bind(Char('n'), CTRL, Action::AddPerson, Scope::In(P::Appointments), Some("Ctrl-N"), "新预约", Yes),
    bind(Esc, NONE, Action::Back, Scope::In(P::Appointments), Some("Esc"), "关闭", Yes),
    bind(Char('?'), NONE, Action::ToggleHelp, Scope::Global, Some("?"), "帮助", Yes),
    bind(Char('q'), NONE, Action::Quit, Scope::Global, Some("q"), "退出", Yes),
];

impl Binding {
    pub fn applies(&self, focus: Focus) -> bool {
        match self.scope {
            Scope::Always => true,
            Scope::Global => focus.pane.takes_global_keys() && !focus.typing,
            Scope::In(pane) => pane == focus.pane,
        }
    }

    fn matches(&self, key: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?', capitals) and of BackTab.
        let shift_implied = matches!(key.code, Char(_) | BackTab);
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

/// The action bound to `key` where the keyboard is, if any.
pub fn lookup(key: &KeyEvent, focus: Focus) -> Option<Action> {
    DEFAULT.iter().find(|b| b.applies(focus) && b.matches(key)).map(|b| b.action)
}

/// The bindings the help bar shows, the pane's own first; `offered` leaves
/// out actions that mean nothing in the state at hand (a case action the
/// status does not allow, a key of another report view).
pub fn bar_hints(focus: Focus, offered: impl Fn(Action) -> bool) -> Vec<(&'static str, &'static str)> {
    let mut hints: Vec<&Binding> =
        DEFAULT.iter().filter(|b| b.in_bar(focus) && b.applies(focus) && offered(b.action)).collect();
    hints.sort_by_key(|b| !matches!(b.scope, Scope::In(_)));
    hints.into_iter().filter_map(|b| b.key_label.map(|k| (k, b.description))).collect()
}

/// Every binding of a pane and the popups it opens, for the help screen.
pub fn help_entries(pane: P) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let shown = |b: &Binding| match b.scope {
        Scope::In(p) => pane.family().contains(&p),
        Scope::Global => pane.takes_global_keys(),
        Scope::Always => true,
    };
    for b in DEFAULT.iter().filter(|b| shown(b)) {
        if let Some(k) = b.key_label
            && !out.contains(&(k, b.description))
        {
            out.push((k, b.description));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    const HOME: Focus = Focus { pane: P::Home, typing: false };
    const SEARCH: Focus = Focus { pane: P::Search, typing: true };

    #[test]
    fn lookups() {
        assert_eq!(lookup(&key(Char('q'), NONE), HOME), Some(Action::Quit));
        assert_eq!(lookup(&key(Char('c'), CTRL), HOME), Some(Action::Quit));
        assert_eq!(lookup(&key(Char('?'), SHIFT), HOME), Some(Action::ToggleHelp));
        assert_eq!(lookup(&key(Char('3'), NONE), HOME), Some(Action::GoTo(Screen::Queue)));
        assert_eq!(lookup(&key(F(4), NONE), HOME), Some(Action::GoTo(Screen::Search)));
        assert_eq!(lookup(&key(Char('/'), NONE), HOME), Some(Action::GoTo(Screen::Search)));
        assert_eq!(lookup(&key(BackTab, SHIFT), HOME), Some(Action::PrevScreen));
        assert_eq!(lookup(&key(Char('x'), NONE), HOME), None);
    }

    #[test]
    fn typing_leaves_plain_keys_to_the_field() {
        for c in ['q', '1', '/', '?', 'j', 'r', 'o'] {
            assert_eq!(lookup(&key(Char(c), NONE), SEARCH), None, "{c}");
        }
        assert_eq!(lookup(&key(Char('c'), CTRL), SEARCH), Some(Action::Quit));
        assert_eq!(lookup(&key(F(1), NONE), SEARCH), Some(Action::GoTo(Screen::Home)));
        assert_eq!(lookup(&key(Down, NONE), SEARCH), Some(Action::SelectNext));
        assert_eq!(lookup(&key(Char('o'), CTRL), SEARCH), Some(Action::ToggleOpenOnly));
        assert_eq!(lookup(&key(Esc, NONE), SEARCH), Some(Action::Back));
    }

    #[test]
    fn popups_take_enter_and_esc() {
        let profile = Focus { pane: P::Profile, typing: false };
        assert_eq!(lookup(&key(Esc, NONE), profile), Some(Action::Back));
        assert_eq!(lookup(&key(Char('o'), CTRL), profile), None);
        assert_eq!(lookup(&key(Char('q'), NONE), profile), None, "q does not quit from a popup");
    }

    #[test]
    fn help_overlay_takes_esc_and_q() {
        let help = Focus { pane: P::Help, typing: false };
        assert_eq!(lookup(&key(Char('q'), NONE), help), Some(Action::CloseOverlay));
        assert_eq!(lookup(&key(Esc, NONE), help), Some(Action::CloseOverlay));
        assert_eq!(lookup(&key(Char('2'), NONE), help), None);
    }

    #[test]
    fn bar_shows_screen_keys_first_and_typing_alternatives() {
        let hints = bar_hints(HOME, |_| true);
        assert_eq!(hints.first(), Some(&("上下", "选择")));
        assert!(hints.contains(&("q", "退出")) && !hints.contains(&("Ctrl-C", "退出")));
        let search = bar_hints(SEARCH, |_| true);
        assert!(search.contains(&("Ctrl-O", "只看在办")));
        assert!(search.contains(&("F1-F6", "切换页面")) && search.contains(&("Ctrl-C", "退出")));
        assert!(!search.contains(&("q", "退出")), "q types in the query box");
    }

    #[test]
    fn each_popup_advertises_only_its_own_keys() {
        let days = bar_hints(Focus { pane: P::DayList, typing: false }, |_| true);
        assert!(!days.iter().any(|(_, d)| *d == "换选项"), "the day list has no options: {days:?}");
        let form = bar_hints(Focus { pane: P::Form, typing: true }, |_| true);
        assert!(form.contains(&("左右", "换选项")));
        let confirm = bar_hints(Focus { pane: P::Confirm, typing: false }, |_| true);
        assert_eq!(&confirm[..2], &[("Enter", "是"), ("Esc", "否")]);
    }

    #[test]
    fn help_lists_popup_keys_too() {
        let entries = help_entries(P::Search);
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
}
