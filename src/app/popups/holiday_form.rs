//! `h` on 工作台: the administrator's small editor of a year's 节假日安排 —
//! one field per statutory holiday (its days off, `2027-02-06至2027-02-13`)
//! and the make-up working days. Saved through the same rules as
//! `xfdesk holidays add`, with every running clock it moves recomputed.

use chrono::{Datelike, NaiveDate};

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind};
use crate::domain::calendar::{STATUTORY_HOLIDAYS, YearPlan};
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Year,
    /// The days off of `STATUTORY_HOLIDAYS[i]`.
    Rest(usize),
    Workdays,
}

#[derive(Debug, Clone)]
pub struct HolidayForm {
    pub form: Form<F>,
    /// The year the fields show; typing another year loads that one.
    shown: i32,
    /// The stored names of make-up days, kept when the day stays one.
    names: Vec<(NaiveDate, String)>,
}

/// How a block of days off is written in its field.
fn range_text(from: NaiveDate, to: NaiveDate) -> String {
    if from == to { from.to_string() } else { format!("{from}至{to}") }
}

/// The holiday a stored block belongs to: the first of a combined name
/// (`国庆节、中秋节` is 国庆节's field).
fn holiday_of(name: &str) -> Option<usize> {
    let first = name.split('、').next().unwrap_or(name);
    STATUTORY_HOLIDAYS.iter().position(|h| *h == first)
}

impl HolidayForm {
    /// The editor on the first year missing from today on (this or next
    /// year), else on next year.
    pub fn open(env: &Env) -> HolidayForm {
        let this = env.today().year();
        let year = if env.calendar.covers(this) { this + 1 } else { this };
        let mut fields = vec![Field::new(F::Year, "年份", Kind::Number, &year.to_string()).required()];
        fields.extend(STATUTORY_HOLIDAYS.iter().enumerate().map(|(i, h)| Field::new(F::Rest(i), h, Kind::Text, "")));
        fields.push(Field::new(F::Workdays, "调休上班日", Kind::Text, ""));
        let mut f = HolidayForm { form: Form::new("节假日安排", fields), shown: year, names: Vec::new() };
        f.load(env, year);
        f
    }

    /// Fill the fields with the stored arrangement of `year`.
    fn load(&mut self, env: &Env, year: i32) {
        let plan = YearPlan::of(&env.calendar, year);
        let mut rest = vec![Vec::new(); STATUTORY_HOLIDAYS.len()];
        for (name, from, to) in &plan.rest {
            // A block outside the seven (none so far) goes with the nearest field's text.
            rest[holiday_of(name).unwrap_or(0)].push(range_text(*from, *to));
        }
        for (i, ranges) in rest.iter().enumerate() {
            self.form.set(F::Rest(i), &ranges.join("、"));
        }
        let days: Vec<String> = plan.workdays.iter().map(|(d, _)| d.to_string()).collect();
        self.form.set(F::Workdays, &days.join("、"));
        self.form.title = if plan.rest.is_empty() {
            format!("节假日安排：{year}年（尚未录入，按国务院办公厅通知填写）")
        } else {
            format!("节假日安排：{year}年")
        };
        (self.shown, self.names) = (year, plan.workdays);
    }

    /// The fields as a year's plan, or which field is wrong.
    fn plan(&self) -> Result<YearPlan, String> {
        let year: i32 = self.form.value(F::Year).parse().map_err(|_| "年份应为四位数字".to_string())?;
        let date = |what: &str, s: &str| -> Result<NaiveDate, String> {
            s.trim()
                .parse()
                .map_err(|_| format!("{what}：「{s}」不是日期，应写作 {year}-01-01 或 {year}-01-01至{year}-01-03"))
        };
        let mut plan = YearPlan { year, ..YearPlan::default() };
        for (i, name) in STATUTORY_HOLIDAYS.iter().enumerate() {
            for part in split_list(&self.form.value(F::Rest(i))) {
                let (from, to) = part.split_once('至').unwrap_or((part, part));
                plan.rest.push((name.to_string(), date(name, from)?, date(name, to)?));
            }
        }
        for part in split_list(&self.form.value(F::Workdays)) {
            let day = date("调休上班日", part)?;
            plan.workdays.push((day, self.workday_name(day, &plan)));
        }
        plan.workdays.sort();
        Ok(plan)
    }

    /// A make-up day keeps its stored name; a new one is named after the
    /// nearest block of days off (`春节调休`).
    fn workday_name(&self, day: NaiveDate, plan: &YearPlan) -> String {
        if let Some((_, name)) = self.names.iter().find(|(d, _)| *d == day) {
            return name.clone();
        }
        let distance = |(_, from, to): &&(String, NaiveDate, NaiveDate)| {
            (*from - day).num_days().abs().min((*to - day).num_days().abs())
        };
        plan.rest.iter().min_by_key(distance).map_or_else(|| "调休".into(), |(name, _, _)| format!("{name}调休"))
    }
}

/// `a、b, c；d` as its parts.
fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(['、', ',', '，', ';', '；', ' ']).map(str::trim).filter(|p| !p.is_empty())
}

impl super::FormPopup for HolidayForm {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    /// Typing another four-digit year shows that year's arrangement.
    fn after_edit(&mut self, env: &Env) -> Vec<Effect> {
        if let Ok(year) = self.form.value(F::Year).parse::<i32>()
            && (2000..=2100).contains(&year)
            && year != self.shown
        {
            self.load(env, year);
        }
        Vec::new()
    }

    /// Checked whole (nothing is written on any error), then one transaction:
    /// the year's days replaced and every running clock it moves recomputed.
    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        let checked = self.plan().and_then(|plan| Ok((plan.year, plan.days()?)));
        let (year, days) = match checked {
            Ok(v) => v,
            Err(e) => {
                self.form.error = Some(e);
                return Vec::new();
            }
        };
        let Some(actor) = env.session.actor.clone() else {
            self.form.error = Some("请先登录".into());
            return Vec::new();
        };
        let now = env.now();
        let done = store::calendar::replace_year(&mut env.store, year, &days, &actor, now).and_then(|moved| {
            env.calendar = store::calendar::load(env.store.conn())?;
            let said = format!("已保存{year}年节假日安排；{}个正在计时的期限随之改变（已记入办理记录）", moved.len());
            Ok(vec![Effect::Pop, Effect::Reload, Effect::Tell(said, false)])
        });
        super::saved(&mut self.form, done)
    }
}
