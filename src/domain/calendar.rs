//! Working days: weekends and statutory holidays are rest days, make-up
//! working days (调休) are working days even on a weekend. The calendar is data
//! (`seeds/holidays.toml`, then the `holidays` table), updated every year.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 放假 (a statutory holiday or a day off in its block).
    Rest,
    /// 调休上班 (a weekend day that is worked).
    Workday,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, (DayKind, String)>,
}

impl HolidayCalendar {
    pub fn new() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    pub fn insert(&mut self, date: NaiveDate, kind: DayKind, name: &str) {
        self.days.insert(date, (kind, name.to_string()));
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some((DayKind::Rest, _)) => false,
            Some((DayKind::Workday, _)) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The holiday's name when `d` is a day off in a holiday block.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        match self.days.get(&d) {
            Some((DayKind::Rest, name)) => Some(name),
            _ => None,
        }
    }

    /// Years the calendar has data for: outside them only weekends are known.
    pub fn covers(&self, year: i32) -> bool {
        self.days.keys().any(|d| d.year() == year)
    }

    pub fn entries(&self) -> impl Iterator<Item = (NaiveDate, DayKind, &str)> {
        self.days.iter().map(|(d, (k, n))| (*d, *k, n.as_str()))
    }

    /// The years with data, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut ys: Vec<i32> = self.days.keys().map(|d| d.year()).collect();
        ys.dedup();
        ys
    }

    /// The first year between `from` and `to` (inclusive) without data: a
    /// clock counted across it does not know its holidays.
    pub fn uncovered_year(&self, from: NaiveDate, to: NaiveDate) -> Option<i32> {
        (from.year()..=to.year()).find(|y| !self.covers(*y))
    }

    /// `self` with every day of `year` replaced by the days of `other`.
    pub fn with_year(&self, year: i32, other: &HolidayCalendar) -> HolidayCalendar {
        let mut days: BTreeMap<_, _> =
            self.days.iter().filter(|(d, _)| d.year() != year).map(|(d, v)| (*d, v.clone())).collect();
        days.extend(other.days.iter().filter(|(d, _)| d.year() == year).map(|(d, v)| (*d, v.clone())));
        HolidayCalendar { days }
    }
}

/// The mark a clock carries when its counting crosses a year without data.
pub fn missing_year_mark(cal: &HolidayCalendar, from: NaiveDate, due: NaiveDate) -> Option<String> {
    cal.uncovered_year(from, due).map(|y| format!("（未含{y}年节假日）"))
}

/// When this year's arrangement is missing, or from 1 November next
/// year's: the one line the home screen and the start say.
pub fn next_year_notice(cal: &HolidayCalendar, today: NaiveDate) -> Option<String> {
    let this = today.year();
    let next = if !cal.covers(this) { this } else { this + 1 };
    (next == this || (today.month() >= 11 && !cal.covers(next)))
        .then(|| format!("未录入{next}年节假日，跨年期限未计节假日：工作台按 h 或 xfdesk holidays add {next}"))
}

/// The holidays the State Council's yearly notice arranges, in calendar order
/// (《全国年节及纪念日放假办法》): the fields of the holiday editor.
pub const STATUTORY_HOLIDAYS: [&str; 7] = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"];

/// One year as the notice states it: its blocks of days off and its make-up
/// working days, each named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearPlan {
    pub year: i32,
    pub rest: Vec<(String, NaiveDate, NaiveDate)>,
    pub workdays: Vec<(NaiveDate, String)>,
}

impl YearPlan {
    /// The stored days of `year`, consecutive days off of one name as one block.
    pub fn of(cal: &HolidayCalendar, year: i32) -> YearPlan {
        let mut plan = YearPlan { year, ..YearPlan::default() };
        for (d, kind, name) in cal.entries().filter(|(d, _, _)| d.year() == year) {
            match kind {
                DayKind::Workday => plan.workdays.push((d, name.to_string())),
                DayKind::Rest => match plan.rest.last_mut() {
                    Some((n, _, to)) if n == name && to.succ_opt() == Some(d) => *to = d,
                    _ => plan.rest.push((name.to_string(), d, d)),
                },
            }
        }
        plan
    }

    /// The year in the seed file's layout (what `xfdesk holidays add` reads).
    pub fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = format!("[[years]]\nyear = {}\nrest = [\n", self.year);
        for (name, from, to) in &self.rest {
            out.push_str(&format!("  {{ from = \"{from}\", to = \"{to}\", name = {} }},\n", q(name)));
        }
        out.push_str("]\nworkday = [\n");
        for (date, name) in &self.workdays {
            out.push_str(&format!("  {{ date = \"{date}\", name = {} }},\n", q(name)));
        }
        out.push_str("]\n");
        out
    }

    /// The days, checked by the same rules as a file (`parse_year`).
    pub fn days(&self) -> Result<HolidayCalendar, String> {
        parse_year(&self.to_toml(), self.year)
    }
}

/// One year of the seed file's layout, as `xfdesk holidays add YEAR FILE`
/// takes it: only that year, every date inside it, no day both off and worked.
pub fn parse_year(text: &str, year: i32) -> Result<HolidayCalendar, String> {
    let years = seed_years(text)?;
    let [only] = years.as_slice() else {
        return Err(format!("文件中应只有 {year} 年一年（[[years]] 一节），现有 {} 节", years.len()));
    };
    if only.0 != year {
        return Err(format!("文件中是 {} 年，不是 {year} 年", only.0));
    }
    Ok(only.1.clone())
}

/// Each `[[years]]` section of the seed layout, validated, in file order.
fn seed_years(text: &str) -> Result<Vec<(i32, HolidayCalendar)>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        years: Vec<Year>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Year {
        year: i32,
        rest: Vec<Range>,
        workday: Vec<Day>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Range {
        from: NaiveDate,
        to: NaiveDate,
        name: String,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Day {
        date: NaiveDate,
        name: String,
    }
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for y in file.years {
        let mut cal = HolidayCalendar::new();
        for r in y.rest {
            if r.to < r.from || r.from.year() != y.year || r.to.year() != y.year {
                return Err(format!(
                    "{} 年「{}」的日期范围 {} 至 {} 有误（须在该年之内，且起不晚于止）",
                    y.year, r.name, r.from, r.to
                ));
            }
            let mut d = r.from;
            while d <= r.to {
                cal.insert(d, DayKind::Rest, &r.name);
                d = d.succ_opt().expect("date in range");
            }
        }
        for w in y.workday {
            if w.date.year() != y.year {
                return Err(format!("{} 年的调休上班日 {} 不在该年之内", y.year, w.date));
            }
            if !matches!(w.date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(format!("{} 不是周末，不能作为调休上班日", w.date));
            }
            if cal.days.contains_key(&w.date) {
                return Err(format!("{} 既是放假日又是调休上班日", w.date));
            }
            cal.insert(w.date, DayKind::Workday, &w.name);
        }
        if out.iter().any(|(year, _): &(i32, HolidayCalendar)| *year == y.year) {
            return Err(format!("{} 年出现了两次", y.year));
        }
        out.push((y.year, cal));
    }
    Ok(out)
}

/// Parse the seed file's layout (`[[years]]` with `rest` ranges and `workday` dates).
pub fn parse_seed(text: &str) -> Result<HolidayCalendar, String> {
    let mut cal = HolidayCalendar::new();
    for (_, year) in seed_years(text)? {
        cal.days.extend(year.days);
    }
    Ok(cal)
}

/// The calendar shipped with this build.
pub fn builtin() -> HolidayCalendar {
    parse_seed(include_str!("../../seeds/holidays.toml")).expect("seeds/holidays.toml is valid (tested)")
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    #[test]
    fn a_year_plan_round_trips_through_the_file_layout_and_its_rules() {
        let cal = builtin();
        let plan = YearPlan::of(&cal, 2026);
        assert_eq!(plan.rest[1], ("春节".to_string(), "2026-02-15".parse().unwrap(), "2026-02-23".parse().unwrap()));
        assert_eq!(plan.workdays.len(), 6);
        let days = plan.days().unwrap();
        assert_eq!(cal.with_year(2026, &days), cal, "nothing lost or added");
        // A make-up day on a weekday is refused by the file's own rule.
        let mut wrong = plan.clone();
        wrong.workdays.push(("2026-03-03".parse().unwrap(), "春节调休".into()));
        assert_eq!(wrong.days().unwrap_err(), "2026-03-03 不是周末，不能作为调休上班日");
        // A name with a quote stays one TOML string.
        let odd = YearPlan {
            year: 2027,
            rest: vec![("节\"日".into(), "2027-01-01".parse().unwrap(), "2027-01-01".parse().unwrap())],
            workdays: vec![],
        };
        assert_eq!(odd.days().unwrap().holiday_name("2027-01-01".parse().unwrap()), Some("节\"日"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn builtin_calendar_knows_2025_and_2026() {
        let c = builtin();
        assert!(c.covers(2025) && c.covers(2026) && !c.covers(2027));
        assert!(!c.is_working_day(d("2026-02-16")), "春节");
        assert_eq!(c.holiday_name(d("2026-10-05")), Some("国庆节"));
        assert!(c.is_working_day(d("2026-02-14")), "Saturday make-up day");
        assert!(c.is_working_day(d("2025-09-28")), "Sunday make-up day");
        assert!(!c.is_working_day(d("2026-11-28")), "an ordinary Saturday");
        assert!(c.is_working_day(d("2026-11-27")));
    }

    #[test]
    fn bad_seeds_are_refused() {
        let bad = "[[years]]\nyear = 2026\nrest = []\nworkday = [{ date = \"2026-11-27\", name = \"x\" }]\n";
        assert!(parse_seed(bad).unwrap_err().contains("不是周末"));
    }

    fn year(rest: &str, workday: &str) -> String {
        format!("[[years]]\nyear = 2027\nrest = [{rest}]\nworkday = [{workday}]\n")
    }

    #[test]
    fn a_year_file_is_checked_whole() {
        let spring = r#"{ from = "2027-02-06", to = "2027-02-12", name = "春节" }"#;
        let cases: Vec<(String, Result<usize, &str>)> = vec![
            (year(spring, r#"{ date = "2027-01-31", name = "春节调休" }"#), Ok(8)),
            (year(r#"{ from = "2027-12-31", to = "2028-01-01", name = "元旦" }"#, ""), Err("须在该年之内")),
            (year(r#"{ from = "2027-02-12", to = "2027-02-06", name = "春节" }"#, ""), Err("起不晚于止")),
            (year(spring, r#"{ date = "2026-12-27", name = "调休" }"#), Err("不在该年之内")),
            (year(spring, r#"{ date = "2027-02-06", name = "调休" }"#), Err("既是放假日又是调休上班日")),
            (year(spring, r#"{ date = "2027-02-01", name = "调休" }"#), Err("不是周末")),
            (year(spring, "").replace("2027", "2028"), Err("不是 2027 年")),
            (format!("{}{}", year(spring, ""), year(spring, "")), Err("出现了两次")),
            ("[[years]]\nyear = 2027\nrest = []\n".to_string(), Err("missing field")),
        ];
        for (text, want) in cases {
            let got = parse_year(&text, 2027).map(|c| c.entries().count());
            match want {
                Ok(n) => assert_eq!(got, Ok(n), "{text}"),
                Err(part) => assert!(got.as_ref().is_err_and(|e| e.contains(part)), "{text}: {got:?}"),
            }
        }
    }

    #[test]
    fn next_years_arrangement_is_asked_for_from_november() {
        let c = builtin();
        assert_eq!(next_year_notice(&c, d("2026-10-31")), None);
        assert!(next_year_notice(&c, d("2026-11-01")).unwrap().contains("未录入2027年节假日"));
        assert!(next_year_notice(&c, d("2025-11-01")).is_none(), "2026 is there");
        assert!(next_year_notice(&c, d("2027-01-05")).unwrap().contains("未录入2027年节假日"), "and in January");
        assert_eq!(missing_year_mark(&c, d("2026-12-01"), d("2027-01-05")).as_deref(), Some("（未含2027年节假日）"));
        assert_eq!(missing_year_mark(&c, d("2026-10-01"), d("2026-12-01")), None);
        let with = c.with_year(
            2027,
            &parse_year(&year(r#"{ from = "2027-01-01", to = "2027-01-01", name = "元旦" }"#, ""), 2027).unwrap(),
        );
        assert_eq!(missing_year_mark(&with, d("2026-12-01"), d("2027-01-05")), None);
        assert!(with.covers(2026), "other years stay");
    }
}
