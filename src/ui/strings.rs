//! Every user-visible string of the TUI chrome, in one place.

use crate::app::Screen;

pub const APP_TITLE: &str = "信访接待台";
pub const DEMO_BADGE: &str = "演示";
pub const TOO_SMALL: &str = "窗口太小";
pub const HELP_TITLE: &str = "帮助";
pub const HELP_FOOTER: &str = "按 Esc 或 ? 关闭";
pub const HOME_TITLE: &str = "待办与最近登记";
pub const HOME_EMPTY: &str = "还没有登记任何事项。按 2 进入来访登记。";

pub fn too_small_detail(min_w: u16, min_h: u16, w: u16, h: u16) -> String {
    format!("至少需要 {min_w}x{min_h}，当前 {w}x{h}")
}

pub fn screen_title(s: Screen) -> &'static str {
    match s {
        Screen::Home => "工作台",
        Screen::Intake => "来访登记",
        Screen::Queue => "接访队列",
        Screen::Search => "查询",
        Screen::Reminders => "督促",
        Screen::Reports => "报表",
    }
}

pub const DETAIL_TITLE: &str = "事项详情";

/// The title of any pane (the help overlay names the pane it is about).
pub fn pane_title(p: crate::app::pane::PaneKind) -> &'static str {
    use crate::app::pane::PaneKind as P;
    match p {
        P::Home => screen_title(Screen::Home),
        P::Intake => screen_title(Screen::Intake),
        P::Queue => screen_title(Screen::Queue),
        P::Search => screen_title(Screen::Search),
        P::Reminders => screen_title(Screen::Reminders),
        P::Reports => screen_title(Screen::Reports),
        P::Detail => DETAIL_TITLE,
        P::Form => "表单",
        P::Picker => "选择",
        P::Confirm => "确认",
        P::TakeOver => "带入信访人",
        P::Reveal => "查看",
        P::SamePerson => "证件号已登记",
        P::DayList => "接访日",
        P::Appointments => "预约",
        P::Profile => PROFILE_TITLE,
        P::Papers => "文书",
        P::Preview => "文书预览",
        P::Help => HELP_TITLE,
    }
}

pub fn home_counts(today: i64, open: i64, total: i64) -> String {
    format!("今日登记 {today} 件　在办 {open} 件　累计 {total} 件")
}

pub const COL_NUMBER: &str = "编号";
pub const COL_TIME: &str = "登记时间";
pub const COL_NAME: &str = "信访人";
pub const COL_STATUS: &str = "状态";
pub const COL_CATEGORY: &str = "内容分类";
pub const COL_TITLE: &str = "事项";
/// Marks a group visit (集体访) in front of the representative's name.
pub const GROUP_MARK: &str = "[集]";

pub const SEARCH_PROMPT: &str = "查询：";
pub const SEARCH_PLACEHOLDER: &str = "姓名、拼音首字母、证件号或尾号、电话或尾号、编号、反映内容";
pub const SEARCH_NOTHING: &str = "没有找到。";
/// Beside the counts while the query typed is still being searched.
pub const SEARCHING: &str = "查询中...";
pub const BADGE_PERSON: &str = "人";
pub const BADGE_CASE: &str = "件";
pub const PROFILE_TITLE: &str = "信访人";
pub const CASE_TITLE: &str = "事项";
pub const TRAIL_TITLE: &str = "办理记录（最新在前）";
pub const CONTENT_RESTRICTED: &str = "（检举控告或保密件，内容不在此显示）";

pub fn search_counts(people: usize, cases: usize, capped: bool) -> String {
    let more = if capped { "，仅列出最新的部分" } else { "" };
    format!("找到 {people} 人、{cases} 件{more}")
}

pub fn case_count(total: i64, open: i64) -> String {
    format!("{total}件 在办{open}")
}

pub fn profile_cases(n: usize) -> String {
    format!("全部事项（{n}件，最新在前）")
}

pub const INTAKE_HINT: &str = "带*为必填；输入证件号、电话或姓名即显示既往信访；Ctrl-S 保存";
pub const CHOOSE_HINT: &str = "（按 Enter 或直接输入拼音首字母选择）";
pub const SECTION_VISIT: &str = "【来访】";
pub const SECTION_PERSON: &str = "【信访人】";
pub const SECTION_MATTER: &str = "【事项】";
pub const SECTION_TRIAGE: &str = "【分流】";
pub const FLAGS_LABEL: &str = "标记";
pub const PRIOR_TITLE: &str = "既往信访";
pub const PRIOR_EMPTY: &str = "输入证件号（或后4位以上）、电话（或后4位以上）、姓名或拼音首字母后，这里显示既往信访。";
pub const PRIOR_KEYS: &str = "PgUp/PgDn 换人  Ctrl-T 带入  Ctrl-L 改关联";
pub const PICKER_PROMPT: &str = "筛选：";
pub const PICKER_NONE: &str = "没有匹配的选项";
pub const RECOVER_TITLE: &str = "恢复未保存的登记?";
pub const LEAVE_TITLE: &str = "有未保存的登记";
pub const QUIT_BODY: &str = "退出程序？正在填写的登记已存为草稿，下次启动时可以恢复。";
pub const ABANDON_BODY: &str = "放弃本次登记？已填写的内容和草稿都将清除。";
pub const DIALOG_KEYS: &str = "Enter 确定    Esc 取消";

pub fn recover_body(saved_at: &str, from: Option<&str>) -> String {
    let whose = from.map(|w| format!("窗口「{w}」")).unwrap_or_else(|| "本窗口".into());
    format!("发现{whose} {saved_at} 保存的未完成登记（程序意外退出或终端被关闭）。恢复它吗？选择取消将删除该草稿。")
}

pub const DETAIL_HINT: &str = "字母键办理（见下方提示），v 查看保密内容，m 逐个查看信访人完整证件号，Esc 返回";
pub const DETAIL_RESTRICTED: &str = "检举控告或保密件：内容不显示。按 v 并说明理由后查看（记入办理记录）。";
pub const DETAIL_CLOCKS: &str = "期限";
pub const FORM_KEYS: &str = "Enter 保存  Esc 取消  Tab 下一项  左右 换选项（也可输入筛选）";
pub const REVEAL_BODY: &str = "查看将记入办理记录（查看人、时间、理由）。请说明理由：";

pub const DUE_CALLS_TITLE: &str = "今天该督促";
pub const UNITS_TITLE: &str = "责任单位督促情况（最需督促的在前）";
pub const UNITS_HINT: &str = "r 督促该单位最急的事项，Enter 只看该单位的待督促事项，u 返回待督促清单";
pub const UNITS_HEADER: &str = "单位                   在办  超期  平均超期  督促次数  守诺  失诺";
pub const NOTHING_DUE: &str = "今天没有需要督促的事项。";

/// The due list's head: how many in all, which of them are shown, the keys.
pub fn due_calls_count(total: usize, start: usize, shown: usize) -> String {
    let keys = "Enter 记录督促，x 记为未接通（当天再拨），o 打开事项，u 看各单位情况";
    match shown < total {
        true => format!("共 {total} 件，第 {} 至 {} 件（↑↓翻页）。{keys}", start + 1, start + shown),
        false => format!("共 {total} 件。{keys}"),
    }
}

/// A screen whose worker is still reading.
pub fn computing(step: &str) -> String {
    format!("正在计算：{step}（可继续操作）")
}

pub const NO_RECEPTION_DAY: &str = "还没有安排领导接访日。按 c 安排（也可用 xfdesk reception add-day）。";
pub const QUEUE_HEADER: &str = "序  号码  姓名     类别         等候   状态   标记";
pub const QUEUE_EMPTY: &str = "还没有人取号。来访登记时分流选\"领导接谈\"，或在事项详情中按 a 取号。";
pub const DAYS_TITLE: &str = "接访日（最近的在前，Enter 查看）";
pub const NO_DAYS: &str = "还没有接访日";
pub const APPOINTMENTS_TITLE: &str = "预约（Enter 到场取号  左右 改状态  Ctrl-N 新预约  Esc 关闭）";
pub const NO_APPOINTMENTS: &str = "这一天还没有预约。按 Ctrl-N 登记。";

pub fn take_over_title(person: &str) -> String {
    format!("带入 {person}")
}

pub fn take_over_same(number: &str, title: &str) -> String {
    format!("Enter/1 同一事项再次来访：复制 {number}（{title}）的分类、目的、属地、被反映方和标题，记为重件")
}

pub const TAKE_OVER_NO_CASE: &str = "（没有可关联的既往事项）";
pub const TAKE_OVER_NEW: &str = "2 新的事项：只带入信访人，记为初件；Esc 取消";

pub const SAME_PERSON_TITLE: &str = "证件号已登记为另一姓名";
pub const IDENTITY_BLOCKS: &str = "姓名不同：保存时须确认是同一人，或改正证件号";

/// What the stopped save says: the ID and both names.
pub fn same_person_body(id: &str, stored: &str, typed: &str) -> String {
    format!("证件号 {id} 已登记为「{stored}」，本次填写的是「{typed}」。请向来访人核实：")
}

/// The head of the identity note: who the typed ID (or mobile) belongs to.
pub fn identity_head(by_phone: bool, stored: &str) -> String {
    match by_phone {
        false => format!("证件号已登记为：{stored}"),
        true => format!("此手机号已登记为：{stored}（家人可能共用）"),
    }
}

/// One differing field: the stored value and the typed one.
pub fn identity_differs(field: &str, old: &str, new: &str) -> String {
    format!("  {field}：已登记「{old}」，本次「{new}」")
}

/// The head of the profile's history: how many changes, the newest shown.
pub fn profile_history(n: usize) -> String {
    format!("档案变更记录（{n}条，最新在前；全部见 xfdesk person show）")
}

/// The intake's 简易办理 toggle (the only toggle outside the marks).
pub const SIMPLE_HINT: &str = " 受理3个工作日、答复10个工作日（初次、非联名、非上级交办）";

/// A 简易办理 case on the detail pane.
pub const DETAIL_SIMPLE: &str = "办理程序：简易办理（受理3个工作日、答复10个工作日；不能延期，u 转普通程序）";

/// A leader's 批示 the unit has not yet reported back on.
pub fn awaiting_feedback(leader: &str, on: chrono::NaiveDate, unit: &str, waited: i64) -> String {
    format!("{leader}{on}批示，待{unit}反馈办理情况（已{waited}日，i 记录反馈）")
}

/// A 包案 still running.
pub fn ownership_running(leader: &str, since: chrono::NaiveDate) -> String {
    format!("包案：{leader}自{since}包案，未息诉罢访（x 记录息诉罢访）")
}

/// The unit's objection window on the detail pane (Art. 23(3)).
pub fn objection_window(received: chrono::NaiveDate, until: chrono::NaiveDate) -> String {
    format!("异议期限：{received}签收，至{until}（5个工作日，第二十三条）")
}
