//! `Enter` on the weekly report: the hand-kept fields of a Table A person or
//! a Table B matter.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::effect::Effect;
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind, Opt};
use crate::domain::screening::{
    Destination, DisputeRow, DisputeState, DisputeWatch, PersonRow, PersonWatch, RiskLevel,
};
use crate::store::accounts::Actor;
use crate::store::screening;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchTarget {
    Person(i64),
    Dispute(i64),
}

/// The fields of both tables' rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Household,
    Destination,
    Risk,
    Situation,
    Measures,
    Keeper,
    KeeperPhone,
    Leader,
    Unit,
    ResolveBy,
    Progress,
    ResolvedOn,
    Note,
    Group,
    Name,
    Difficulties,
    RiskNote,
    LeadUnit,
    CoUnits,
    State,
}

/// The key groups a Table B row can be put in.
const GROUPS: [&str; 7] = ["问题楼盘", "拆迁安置", "双拖欠", "投资利益受损", "企业改制", "退役军人", "其他"];

#[derive(Debug, Clone)]
pub struct WatchForm {
    pub form: Form<F>,
    pub target: WatchTarget,
    /// The first day of the report's week: a first save puts the row under
    /// control from that week (even when the report is filled in later).
    pub week_start: NaiveDate,
}

fn text(key: F, label: &'static str, value: &str) -> Field<F> {
    Field::new(key, label, Kind::Text, value)
}

fn date(key: F, label: &'static str, value: Option<NaiveDate>) -> Field<F> {
    Field::new(key, label, Kind::Date, &value.map(|d| d.to_string()).unwrap_or_default())
}

fn choice(key: F, label: &'static str, labels: &[&str], current: &str) -> Field<F> {
    let mut f = Field::choice(key, label, labels.iter().map(|l| Opt::keyed(l, l)).collect());
    f.set(current);
    f
}

impl WatchForm {
    /// The form for the selected row of the report (kept values first).
    pub fn open(
        env: &Env,
        person: Option<&PersonRow>,
        dispute: Option<&DisputeRow>,
        week_start: NaiveDate,
    ) -> Result<Option<WatchForm>, StoreError> {
        let conn = env.store.conn();
        Ok(if let Some(row) = person {
            Some(WatchForm::person(row, screening::person_watch(conn, row.petitioner_id)?, week_start))
        } else if let Some(row) = dispute {
            Some(WatchForm::dispute(row, screening::dispute_watch(conn, row.case_id)?, week_start))
        } else {
            None
        })
    }

    fn person(row: &PersonRow, kept: Option<PersonWatch>, week_start: NaiveDate) -> WatchForm {
        let w = kept.unwrap_or_default();
        let risks: Vec<&str> = RiskLevel::ALL.iter().map(|r| r.label()).collect();
        let levels: Vec<&str> = Destination::ALL.iter().map(|d| d.label()).collect();
        let fields = vec![
            text(F::Household, "户籍地", &w.household),
            choice(F::Destination, "最近信访去向", &levels, w.destination.unwrap_or(row.destination).label()),
            choice(F::Risk, "风险等级", &risks, w.risk.unwrap_or(row.risk).label()),
            text(F::Situation, "本周动态", &w.situation),
            text(F::Measures, "化解稳控措施", &w.measures),
            text(F::Keeper, "稳控责任人", &w.keeper),
            text(F::KeeperPhone, "责任人电话", &w.keeper_phone),
            text(F::Leader, "包案领导", &w.leader),
            text(F::Unit, "责任单位", &w.unit),
            date(F::ResolveBy, "化解时限", w.resolve_by),
            text(F::Progress, "进展", &w.progress),
            date(F::ResolvedOn, "化解(息访)日期", w.resolved_on),
            text(F::Note, "备注", &w.note),
        ];
        let title = format!("表A 重点人员：{}", crate::domain::mask::name(&row.name));
        WatchForm { form: Form::new(title, fields), target: WatchTarget::Person(row.petitioner_id), week_start }
    }

    fn dispute(row: &DisputeRow, kept: Option<DisputeWatch>, week_start: NaiveDate) -> WatchForm {
        let w = kept.unwrap_or_default();
        let states: Vec<&str> = DisputeState::ALL.iter().map(|s| s.label()).collect();
        let group = if w.group.is_empty() { row.shown.group.clone() } else { w.group.clone() };
        let fields = vec![
            choice(F::Group, "群体类别", &GROUPS, &group),
            text(F::Name, "事项名称", if w.name.is_empty() { &row.shown.name } else { &w.name }),
            text(F::Measures, "已采取措施", &w.measures),
            text(F::Difficulties, "存在困难", &w.difficulties),
            text(F::RiskNote, "风险研判", &w.risk),
            text(F::Leader, "包案领导", &w.leader),
            text(F::LeadUnit, "牵头单位", &w.lead_unit),
            text(F::CoUnits, "配合单位", &w.co_units),
            text(F::Keeper, "责任人", &w.keeper),
            date(F::ResolveBy, "化解时限", w.resolve_by),
            text(F::Progress, "本周进展", &w.progress),
            choice(F::State, "状态", &states, w.state.unwrap_or(row.state()).label()),
        ];
        let title = format!("表B 矛盾纠纷：{}", row.case_number);
        WatchForm { form: Form::new(title, fields), target: WatchTarget::Dispute(row.case_id), week_start }
    }

    /// Save the fields; the error says which field is wrong and nothing is written.
    fn save(&self, store: &mut Store, by: &Actor, at: NaiveDateTime) -> Result<(), String> {
        let f = &self.form;
        match self.target {
            WatchTarget::Person(id) => {
                let w = PersonWatch {
                    household: f.value(F::Household),
                    destination: Destination::from_label(&f.value(F::Destination)),
                    risk: RiskLevel::from_label(&f.value(F::Risk)),
                    situation: f.value(F::Situation),
                    measures: f.value(F::Measures),
                    keeper: f.value(F::Keeper),
                    keeper_phone: f.value(F::KeeperPhone),
                    leader: f.value(F::Leader),
                    unit: f.value(F::Unit),
                    resolve_by: f.date(F::ResolveBy)?,
                    progress: f.value(F::Progress),
                    resolved_on: f.date(F::ResolvedOn)?,
                    note: f.value(F::Note),
                    since: Some(self.week_start),
                };
                screening::save_person_watch(store, id, &w, by, at).map_err(|e| e.to_string())
            }
            WatchTarget::Dispute(id) => {
                let state = DisputeState::from_label(&f.value(F::State));
                let w = DisputeWatch {
                    group: f.value(F::Group),
                    name: f.value(F::Name),
                    measures: f.value(F::Measures),
                    difficulties: f.value(F::Difficulties),
                    risk: f.value(F::RiskNote),
                    leader: f.value(F::Leader),
                    lead_unit: f.value(F::LeadUnit),
                    co_units: f.value(F::CoUnits),
                    keeper: f.value(F::Keeper),
                    resolve_by: f.date(F::ResolveBy)?,
                    progress: f.value(F::Progress),
                    // Marked 已化解: resolved today (kept if it was already).
                    resolved_on: (state == Some(DisputeState::Resolved)).then(|| at.date()),
                    state,
                    since: Some(self.week_start),
                };
                screening::save_dispute_watch(store, id, &w, by, at).map_err(|e| e.to_string())
            }
        }
    }
}

impl super::FormPopup for WatchForm {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        let Some(by) = env.session.actor.clone() else {
            self.form.error = Some("请先登录".into());
            return Vec::new();
        };
        let now = env.now();
        match self.save(&mut env.store, &by, now) {
            Ok(()) => vec![Effect::Pop, Effect::ReportEdited],
            // Nothing was written; the form keeps every value.
            Err(e) => {
                self.form.error = Some(e);
                Vec::new()
            }
        }
    }
}
