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
}

/// Parse the seed file's layout (`[[years]]` with `rest` ranges and `workday` dates).
pub fn parse_seed(text: &str) -> Result<HolidayCalendar, String> {
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
    let mut cal = HolidayCalendar::new();
    for y in file.years {
        for r in y.rest {
            if r.to < r.from || r.from.year() != y.year {
                return Err(format!("{} 年 {} 的日期范围有误", y.year, r.name));
            }
            let mut d = r.from;
            while d <= r.to {
                cal.insert(d, DayKind::Rest, &r.name);
                d = d.succ_opt().expect("date in range");
            }
        }
        for w in y.workday {
            if matches!(w.date.weekday(), Weekday::Sat | Weekday::Sun) {
                cal.insert(w.date, DayKind::Workday, &w.name);
            } else {
                return Err(format!("{} 不是周末，不能作为调休上班日", w.date));
            }
        }
    }
    Ok(cal)
}

/// The calendar shipped with this build.
pub fn builtin() -> HolidayCalendar {
    parse_seed(include_str!("../../seeds/holidays.toml")).expect("seeds/holidays.toml is valid (tested)")
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
}
