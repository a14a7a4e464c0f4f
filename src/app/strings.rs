//! The messages the panes show, one section per pane (the chrome's own words
//! are in `ui::strings`, each form's field labels in its field list, and each
//! key's description in `keymap::defaults`). A bureau that words things
//! differently changes them here.

/// The app itself (effects that concern several panes).
pub mod app {
    pub fn checked_in(ticket: &str) -> String {
        format!("已取号 {ticket}，请到候谈区等候叫号")
    }
    pub fn registered_and_numbered(case: &str, ticket: &str) -> String {
        format!("已登记 {case}，已取号 {ticket}（领导接谈）")
    }
    pub fn registered_not_numbered(case: &str, why: &str) -> String {
        format!("已登记 {case}，未能取号：{why}")
    }
    pub const LOAD_LOST: &str = "后台读取意外中止，请按 r 重试";
    pub const OPENING_CASE: &str = "正在打开事项";
    pub const OPENING_PERSON: &str = "正在打开信访人档案";
    pub const GONE: &str = "该记录已不存在（可能已被合并或删除）";
    pub const REPORT_SAVED: &str = "已保存，周报重新计算中";
    pub const SEARCH_STILL_RUNNING: &str = "查询还没有结果，请稍候再按 Enter";
    pub fn read_failed(why: &str) -> String {
        format!("读取数据失败：{why}")
    }
}

/// 接访队列 and its popups.
pub mod queue {
    pub const NO_DAY: &str = "还没有接访日：按 c 安排";
    pub const NO_DAY_TODAY: &str = "今天没有安排领导接访日，不能取号";
    pub const NOBODY_WAITING: &str = "没有等候的来访人";
    pub fn please_come(ticket: &str) -> String {
        format!("请 {ticket} 号到接谈室")
    }
    pub fn moved(ticket: &str, status: &str) -> String {
        format!("{ticket} 号：{status}")
    }
    pub fn not_in_talk(ticket: &str, status: &str) -> String {
        format!("{ticket}号当前为「{status}」，接谈中才能记录批示")
    }
    pub fn not_waiting(ticket: &str, status: &str) -> String {
        format!("{ticket}号当前为「{status}」，等候中的号才能优先")
    }
    pub fn appointment_now(status: &str) -> String {
        format!("预约改为「{status}」")
    }
    pub fn appointment_checked_in(ticket: &str) -> String {
        format!("已取号 {ticket}（预约）")
    }
    pub fn instruction_recorded(ticket: &str) -> String {
        format!("已记录批示，{ticket}号接谈结束；按 P 出具批示单")
    }
    pub fn prioritised(ticket: &str, reason: &str) -> String {
        format!("{ticket}号优先接谈（{reason}）")
    }
    pub const DAY_SAVED: &str = "接访日已保存";
    pub const BOOKED_FIRST_TIME: &str = "已预约，无既往事项";
    pub fn booked_again(prior: i64) -> String {
        format!("已预约，既往事项 {prior} 件（重复访）")
    }
    pub const OTHER_NEEDS_NOTE: &str = "理由为\"其他\"时请写明说明";
    pub const BAD_TIME: &str = "预约时间应写成 09:30";
    pub const NO_PRIOR: &str = "无既往事项";
    pub fn prior(n: i64, latest: Option<(&str, &str)>) -> String {
        match latest {
            Some((number, at)) => format!("既往事项 {n} 件，最近 {number} {at}"),
            None => format!("既往事项 {n} 件"),
        }
    }
    pub fn other_name(masked: &str) -> String {
        format!("证件号登记的姓名为 {masked}，与所填不符")
    }
}

/// 报表.
pub mod reports {
    pub const WORKER_DIED: &str = "计算中断（后台线程意外结束），请按 r 重试";
    pub const WORKER_LOST: &str = "计算中断，请按 r 重试";
    pub fn failed(why: &str) -> String {
        format!("计算失败：{why}")
    }
    pub fn cannot_open(why: &str) -> String {
        format!("无法打开数据库：{why}")
    }
    pub fn exported(path: &str) -> String {
        format!("已导出：{path}")
    }
    pub fn export_failed(why: &str) -> String {
        format!("导出失败：{why}")
    }
}

/// 工作台.
pub mod home {
    pub const READING: &str = "读取今日统计与待办期限";
}

/// 督促.
pub mod reminders {
    pub const LOGGED: &str = "已记录督促";
    pub const LOGGED_WRITTEN: &str = "已记录督促；按 P 出具督办通知书";
    pub const UNIT_HAS_NONE: &str = "该单位今天没有待督促的事项";
    pub const READING: &str = "读取今天该督促的事项与各单位情况";
    pub const READING_PAGE: &str = "读取下一页";
    pub const READING_UNITS: &str = "统计各责任单位的督促情况";
}

/// 来访登记.
pub mod intake {
    pub const DRAFT_RESTORED: &str = "已恢复未保存的登记";
    pub fn too_many_representatives(max: usize) -> String {
        format!("集体访最多推选{max}名代表（《信访工作条例》第二十条）")
    }
    pub const CURSOR_ON_PERSON: &str = "请先把光标移到要删除的信访人";
    pub fn save_failed(why: &str) -> String {
        format!("保存失败，内容仍在表中：{why}")
    }
    pub const NOBODY_TO_TAKE: &str = "没有可带入的信访人";
    pub const FIX_ID: &str = "请改正证件号码（该证件号已登记为另一姓名）";
    pub const GIVE_SAME_PERSON_REASON: &str = "请写明原因（如：改名、登记时写错），再按 Enter";
    pub fn taken_over(linked: Option<&str>) -> String {
        let linked = linked.map_or(String::new(), |n| format!("，关联 {n}"));
        format!("已带入信访人（重件{linked}）")
    }
    pub const TAKEN_AS_NEW: &str = "已带入信访人（新的事项，初件）";
    pub fn copied_from(case: &str) -> String {
        format!("复制自 {case}，可修改")
    }
    pub const SAVE_BEFORE_PAPERS: &str = "请先保存登记（Ctrl-S），再按 Ctrl-P 出具登记回执和来访登记表";
    pub fn registered(number: &str) -> String {
        format!("已登记，事项编号 {number}（Ctrl-P 出具登记回执和来访登记表）")
    }
    pub const REQUIRED: &str = "必填";
    pub const BAD_VISIT_TIME: &str = "时间格式应为 2026-11-28 09:30";

    pub fn future_visit(now: chrono::NaiveDateTime) -> String {
        format!("来访时间不能晚于现在（{}）", now.format("%Y-%m-%d %H:%M"))
    }
    pub const AT_LEAST_ONE: &str = "人数至少为1";
    pub fn group_visit(n: u32) -> String {
        format!("集体访（{n}人），最多推选5名代表")
    }
    pub fn explained(why: &str) -> String {
        format!("{why}（已说明理由）")
    }
    pub const NEEDS_REASON: &str = "不予受理须选择理由";
    pub const NEEDS_UNIT: &str = "转送、交办须选择拟办单位";
    pub const BAD_ID_HINT: &str = "；确需登记请在「异常说明」中写明理由";
    // The prior-case panel's warnings about a returning petitioner.
    pub fn same_matter_open(case: &str, status: &str) -> String {
        format!("同类事项在办：{case}（{status}），同一事项办理期间重复来访")
    }
    pub fn open_cases(n: usize) -> String {
        format!("在办事项{n}件")
    }
    pub const IN_REVIEW_WINDOW: &str = "有事项处于答复后复查期（可申请复查/复查中）";
    pub const IN_RECHECK_WINDOW: &str = "有事项处于复核期（可申请复核/复核中）";
    pub const CONCLUDED_BEFORE: &str = "有已终结事项：同一事实和理由复核后不再受理（第三十六条）";
    pub fn key_person(groups: &str) -> String {
        format!("重点人员：{groups}")
    }
    pub const THREAT_HISTORY: &str = "有扬言记录";
    pub fn searched(what: &str, value: &str) -> String {
        format!("{what}「{value}」")
    }
    pub fn not_found(searched: &str) -> String {
        format!("没有找到：{searched}，是新的信访人")
    }
    pub fn warning(kind: &str, reason: &str) -> String {
        format!("预警（{kind}）：{reason}")
    }
}

/// 事项详情 and the case-action forms.
pub mod detail {
    pub const READING: &str = "读取事项的最新情况";
    pub fn not_allowed(status: &str, action: &str) -> String {
        format!("事项状态为「{status}」，不能{action}")
    }
    pub const ALL_SHOWN: &str = "信访人的证件号码和电话均已显示";
    pub fn done(action: &str) -> String {
        format!("已{action}")
    }
    pub const CHOOSE_OUTCOME: &str = "请选择结果";
    pub const CHOOSE_SATISFACTION: &str = "请选择满意度";
    pub const DAYS_NOT_A_NUMBER: &str = "延期天数应为数字";
    pub const GIVE_REASON: &str = "请说明查看理由（将记入办理记录）";
    pub fn recorded(what: &str) -> String {
        format!("{what}：已记入办理记录")
    }
}

/// A petitioner's record: edit and merge from the profile.
pub mod person {
    pub const BAD_PHONE: &str = "新增电话：请写手机号（11位）或带区号的固定电话";
    pub const SAME_RECORD: &str = "这就是本档案，请写另一份档案的档案号或证件号";
    pub const NO_SUCH_RECORD: &str = "没有这份档案（档案号见 xfdesk person show，也可写证件号）";

    pub fn edited(n: usize) -> String {
        match n {
            0 => "没有改动".into(),
            n => format!("已修改档案 {n} 项，已记入档案变更记录"),
        }
    }

    pub fn merged(other: i64) -> String {
        format!("已将档案 {other} 并入本档案（事项、电话、重点人员标记已转入）")
    }

    pub fn merge_title(name: &str, other: i64) -> String {
        format!("合并：档案 {other} 并入 {name}（←→ 选择每项保留谁的）")
    }

    /// The choice that keeps this record's value, with the other's beside it.
    pub fn keep_this(mine: &str, theirs: &str) -> String {
        format!("保留「{mine}」（不用「{theirs}」）")
    }

    pub fn take_other(theirs: &str, mine: &str) -> String {
        format!("改用「{theirs}」（原「{mine}」）")
    }
}
