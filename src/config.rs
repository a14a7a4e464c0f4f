//! User configuration (TOML). Every key is documented in `config.example.toml`.
//! A missing file means built-in defaults; an invalid file is refused with the
//! file, line and reason before the terminal is touched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// 单位名称, shown in the status bar and on reports.
    pub office_name: String,
    /// 行政区划代码 of the district (6 digits).
    pub area_code: String,
    /// 区号 used for landlines typed without one.
    pub phone_area_code: String,
    /// No longer read: who acts is the signed-in account. Kept so an old
    /// file gets a clear error rather than "unknown field".
    pub operator: Option<String>,
    /// Sign-in: lockout and idle lock (`[accounts]`).
    pub accounts: crate::domain::access::SignInRules,
    /// Case-number prefix; defaults to `area_code`.
    pub case_number_prefix: Option<String>,
    pub deadlines: DeadlineConfig,
    /// When reminder calls are due (domain.md §4.3).
    pub reminders: crate::domain::reminder::ReminderRules,
    /// Ticket series and the calling rules of reception days.
    pub queue: crate::domain::queue::QueueRules,
    /// Early-warning thresholds (研判预警).
    pub warnings: crate::domain::warning::WarningRules,
    /// The local choices in the metrics' formulas.
    pub metrics: crate::domain::metrics::MetricRules,
    pub reports: ReportConfig,
    /// The papers the desk issues (`[documents]`).
    pub documents: DocumentConfig,
    pub backup: BackupConfig,
    pub store: StoreConfig,
    pub ui: UiConfig,
    /// Rebound keys: `"queue.ticket_call" = "F9"` (the keymap reads them; see `app::keymap`).
    pub keys: BTreeMap<String, KeySpec>,
}

/// One key or several for an action in `[keys]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl KeySpec {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeySpec::One(k) => vec![k.as_str()],
            KeySpec::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

/// Checks `[keys]`: the config key at fault and the reason. The keymap
/// supplies it (`app::keymap::Keymap::check`), so the config file is refused
/// with its line before the terminal is touched.
pub type KeysCheck = fn(&BTreeMap<String, KeySpec>) -> Result<(), (String, String)>;

/// The weekly screening report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// The weekday a report week ends on ("周五", "friday").
    pub week_ends_on: String,
    /// 审核领导 printed in the report header.
    pub reviewer: String,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig { week_ends_on: "周五".into(), reviewer: String::new() }
    }
}

impl ReportConfig {
    /// The configured weekday (Friday if it cannot be read; `validate` refuses that earlier).
    pub fn week_end(&self) -> chrono::Weekday {
        parse_weekday(&self.week_ends_on).unwrap_or(chrono::Weekday::Fri)
    }
}

/// "周五", "星期五", "五", "friday", "Fri".
pub fn parse_weekday(s: &str) -> Option<chrono::Weekday> {
    const ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let s = s.trim();
    let bare = s.trim_start_matches("星期").trim_start_matches("周");
    if let Some(i) = ZH.iter().position(|d| *d == bare).or((bare == "天").then_some(6)) {
        return chrono::Weekday::try_from(i as u8).ok();
    }
    s.parse().ok()
}

/// 文书: what the papers print beyond the case, and where their wording lives.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentConfig {
    /// 本局联系电话, printed on the papers (empty: not printed).
    pub phone: String,
    /// Templates overriding the built-in ones; default: `templates/` beside the config file.
    pub templates: Option<PathBuf>,
    /// 机关代字 of each kind's number series, by kind code (`accept_notice = "中信受告"`).
    pub prefixes: BTreeMap<String, String>,
}

impl DocumentConfig {
    fn validate(&self) -> Result<(), (&'static str, String)> {
        use crate::domain::document::{DocumentKind, check_prefix};
        for (code, prefix) in &self.prefixes {
            if DocumentKind::from_code(code).is_none() {
                let known: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.code()).collect();
                return Err(("prefixes", format!("没有「{code}」这种文书，可写：{}", known.join("、"))));
            }
            check_prefix(prefix).map_err(|e| ("prefixes", e))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// How long a write waits for another desk's transaction, in milliseconds.
    pub busy_timeout_ms: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { busy_timeout_ms: crate::store::BUSY_TIMEOUT.as_millis() as u64 }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// A backup at the first start of each day.
    pub daily: bool,
    /// Where; default: `backups/` next to the database.
    pub dir: Option<PathBuf>,
    /// How many daily backups are kept.
    pub keep: usize,
    /// The anchors file; default: `anchors.log` in the configuration folder
    /// (outside the database's folder).
    pub anchors: Option<PathBuf>,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig { daily: true, dir: None, keep: 7, anchors: None }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeadlineConfig {
    /// A clock counts as "due soon" this many days before it runs out.
    pub due_soon_days: u32,
    /// Default 交办 deadline in working days (never beyond the statutory limit).
    pub assign_working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// `false` draws without colour (selection stays visible). NO_COLOR also turns colour off.
    pub color: bool,
    /// How often the screen refreshes live data (queue times, clocks), in milliseconds.
    pub tick_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            office_name: "中站区信访局".into(),
            area_code: "410803".into(),
            phone_area_code: "0391".into(),
            operator: None,
            accounts: crate::domain::access::SignInRules::default(),
            case_number_prefix: None,
            deadlines: DeadlineConfig::default(),
            reminders: crate::domain::reminder::ReminderRules::default(),
            queue: crate::domain::queue::QueueRules::default(),
            warnings: crate::domain::warning::WarningRules::default(),
            metrics: crate::domain::metrics::MetricRules::default(),
            reports: ReportConfig::default(),
            documents: DocumentConfig::default(),
            backup: BackupConfig::default(),
            store: StoreConfig::default(),
            ui: UiConfig::default(),
            keys: Default::default(),
        }
    }
}

impl Default for DeadlineConfig {
    fn default() -> Self {
        DeadlineConfig { due_soon_days: 3, assign_working_days: 15 }
    }
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig { color: true, tick_ms: 1000 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("配置文件 {path} 第{line}行有误：{reason}")]
    Invalid { path: PathBuf, line: usize, reason: String },
}

impl Config {
    /// Load from `path`. A missing file at the *default* location gives the
    /// defaults; a missing file the user named explicitly is an error.
    pub fn load(path: &Path, explicit: bool, keys: KeysCheck) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse_with(&text, path, keys),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parse and validate, `[keys]` not checked (no keymap at hand).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Self::parse_with(text, path, |_| Ok(()))
    }

    pub fn parse_with(text: &str, path: &Path, keys: KeysCheck) -> Result<Config, ConfigError> {
        let invalid = |offset: usize, reason: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            reason,
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            invalid(offset, e.message().to_string())
        })?;
        config.validate().map_err(|(key, reason)| invalid(key_offset(text, key), reason))?;
        keys(&config.keys).map_err(|(key, reason)| invalid(key_offset(text, &key), reason))?;
        Ok(config)
    }

    /// Rules serde cannot express. Returns the offending key and the reason.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(self.area_code.len() == 6 && self.area_code.bytes().all(|b| b.is_ascii_digit())) {
            return Err(("area_code", format!("区划代码应为6位数字，现为 \"{}\"", self.area_code)));
        }
        let area = &self.phone_area_code;
        if !(area.starts_with('0') && (3..=4).contains(&area.len()) && area.bytes().all(|b| b.is_ascii_digit())) {
            return Err(("phone_area_code", format!("区号应为0开头的3到4位数字，现为 \"{area}\"")));
        }
        if let Some(p) = &self.case_number_prefix
            && (p.is_empty() || p.len() > 12 || !p.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()))
        {
            return Err(("case_number_prefix", format!("编号前缀应为1到12位数字或大写字母，现为 \"{p}\"")));
        }
        if self.office_name.trim().is_empty() {
            return Err(("office_name", "单位名称不能为空".into()));
        }
        if self.deadlines.assign_working_days == 0 || self.deadlines.assign_working_days > 60 {
            return Err(("assign_working_days", "交办期限应在1到60个工作日之间".into()));
        }
        let r = &self.reminders;
        if !(1..=15).contains(&r.accept_notice_day) {
            return Err(("accept_notice_day", "受理告知督促日应在第1到15天之间".into()));
        }
        if r.before_handling_deadline.iter().any(|d| !(1..=60).contains(d)) {
            return Err(("before_handling_deadline", "办结期限前的督促天数应在1到60之间".into()));
        }
        let q = &self.queue;
        for (key, prefix) in [("walk_in_prefix", &q.walk_in_prefix), ("appointment_prefix", &q.appointment_prefix)] {
            if prefix.is_empty() || prefix.chars().count() > 3 || prefix.chars().any(char::is_control) {
                return Err((key, format!("号段前缀应为1到3个字符，现为 \"{prefix}\"")));
            }
        }
        if q.walk_in_prefix == q.appointment_prefix {
            return Err(("appointment_prefix", "预约号段前缀不能与现场号段相同".into()));
        }
        if !(0..=240).contains(&q.appointment_window_minutes) {
            return Err(("appointment_window_minutes", "预约提前叫号时间应在0到240分钟之间".into()));
        }
        if parse_weekday(&self.reports.week_ends_on).is_none() {
            return Err((
                "week_ends_on",
                format!("周报截止日应写成“周五”或 \"friday\"，现为 \"{}\"", self.reports.week_ends_on),
            ));
        }
        let w = &self.warnings;
        if w.repeat_days == 0 || w.list_days == 0 || w.spike_weeks == 0 {
            return Err(("warnings", "预警的天数、周数至少为1".into()));
        }
        if !(w.spike_factor.is_finite() && w.spike_factor >= 1.0) {
            return Err(("spike_factor", "异常增多倍数应不小于1".into()));
        }
        if w.group_size < 2 {
            return Err(("group_size", "集体访人数阈值至少为2".into()));
        }
        if self.backup.keep == 0 {
            return Err(("keep", "保留的备份份数至少为1".into()));
        }
        if !(100..=60_000).contains(&self.ui.tick_ms) {
            return Err(("tick_ms", "刷新间隔应在100到60000毫秒之间".into()));
        }
        self.documents.validate()?;
        self.validate_ranges()
    }

    /// Every other number against its real range, so that nothing later
    /// overflows a date or a duration.
    fn validate_ranges(&self) -> Result<(), (&'static str, String)> {
        let (r, q, w) = (&self.reminders, &self.queue, &self.warnings);
        let checks: [(&'static str, u64, u64, u64, &str); 16] = [
            ("busy_timeout_ms", self.store.busy_timeout_ms, 1, 600_000, "毫秒"),
            ("due_soon_days", self.deadlines.due_soon_days.into(), 0, 60, "天"),
            ("keep", self.backup.keep as u64, 1, 3650, "份"),
            ("leader_case_every_days", r.leader_case_every_days.max(0) as u64, 1, 365, "天"),
            ("escalate_after_working_days", r.escalate_after_working_days.into(), 1, 60, "个工作日"),
            ("escalate_after_failed_calls", r.escalate_after_failed_calls as u64, 1, 100, "次"),
            ("skip_returns_after_calls", q.skip_returns_after_calls.into(), 0, 100, "次"),
            ("repeat_cases", w.repeat_cases.into(), 1, 1000, "件"),
            ("repeat_days", w.repeat_days.into(), 1, 3650, "天"),
            ("group_size", w.group_size.into(), 2, 10_000, "人"),
            ("long_term_years", w.long_term_years.into(), 1, 50, "年"),
            ("long_term_active_days", w.long_term_active_days.into(), 1, 3650, "天"),
            ("spike_weeks", w.spike_weeks.into(), 1, 520, "周"),
            ("spike_min", w.spike_min.into(), 0, 100_000, "件"),
            ("list_days", w.list_days.into(), 1, 3650, "天"),
            ("one_time_window_days", self.metrics.one_time_window_days.into(), 1, 3650, "天"),
        ];
        if r.leader_case_every_days < 1 {
            return Err(("leader_case_every_days", "应在1到365天之间".into()));
        }
        for (key, value, min, max, unit) in checks {
            if !(min..=max).contains(&value) {
                return Err((key, format!("{key} 应在{min}到{max}{unit}之间，现为 {value}")));
            }
        }
        if w.spike_factor > 1000.0 {
            return Err(("spike_factor", "异常增多倍数应在1到1000之间".into()));
        }
        Ok(())
    }

    pub fn case_number_prefix(&self) -> &str {
        self.case_number_prefix.as_deref().unwrap_or(&self.area_code)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Where a key is written, so a semantic error can name its line too.
fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let quoted = format!("\"{key}\"");
        for k in [key, quoted.as_str()] {
            if t.starts_with(k) && t[k.len()..].trim_start().starts_with('=') {
                return offset;
            }
        }
        offset += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/etc/xfdesk.toml"))
    }

    #[test]
    fn empty_file_is_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(Config::default().case_number_prefix(), "410803");
    }

    #[test]
    fn example_file_parses_to_the_defaults_it_documents() {
        let text = include_str!("../config.example.toml");
        let c = parse(text).unwrap();
        assert_eq!(c.office_name, "中站区信访局");
        assert_eq!(c.deadlines, DeadlineConfig::default());
        assert_eq!(c.reminders, crate::domain::reminder::ReminderRules::default());
        assert_eq!(c.warnings, crate::domain::warning::WarningRules::default());
        assert_eq!(c.metrics, crate::domain::metrics::MetricRules::default());
        assert_eq!(c.reports, ReportConfig::default());
        assert_eq!(c, Config::default());
    }

    #[test]
    fn report_week_end_and_warning_thresholds() {
        use chrono::Weekday;
        for (text, day) in
            [("周五", Weekday::Fri), ("星期日", Weekday::Sun), ("四", Weekday::Thu), ("monday", Weekday::Mon)]
        {
            assert_eq!(parse_weekday(text), Some(day), "{text}");
        }
        let e = parse("[reports]\nweek_ends_on = \"礼拜八\"\n").unwrap_err().to_string();
        assert!(e.contains("第2行") && e.contains("周报截止日"), "{e}");
        let e = parse("[warnings]\nspike_factor = 0.5\n").unwrap_err().to_string();
        assert!(e.contains("第2行") && e.contains("倍数"), "{e}");
        let c = parse("[warnings]\nrepeat_cases = 5\n[reports]\nweek_ends_on = \"周四\"\n").unwrap();
        assert_eq!(c.warnings.repeat_cases, 5);
        assert_eq!(c.reports.week_end(), Weekday::Thu);
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let e = parse("office_name = \"甲\"\narea_code = 410803\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("配置文件 /etc/xfdesk.toml 第2行有误"), "{msg}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let e = parse("\n\nofice_name = \"x\"\n").unwrap_err();
        assert!(matches!(e, ConfigError::Invalid { line: 3, .. }), "{e}");
        assert!(e.to_string().contains("ofice_name"));
    }

    #[test]
    fn semantic_errors_name_the_key_line() {
        let e = parse("office_name = \"甲\"\n\nphone_area_code = \"391\"\n").unwrap_err();
        assert!(matches!(e, ConfigError::Invalid { line: 3, .. }), "{e}");
        assert!(e.to_string().contains("区号"));
        let e = parse("[deadlines]\nassign_working_days = 90\n").unwrap_err();
        assert!(matches!(e, ConfigError::Invalid { line: 2, .. }), "{e}");
    }

    #[test]
    fn missing_default_file_is_fine_but_missing_named_file_is_not() {
        let p = Path::new("/nonexistent/xfdesk/config.toml");
        assert!(Config::load(p, false, |_| Ok(())).is_ok());
        assert!(matches!(Config::load(p, true, |_| Ok(())), Err(ConfigError::Read { .. })));
    }
}
