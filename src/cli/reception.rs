//! 领导干部公开接访日 from the command line: days, bookings, the ledger.

use std::path::PathBuf;

use super::args::{AppointmentAction, ReceptionCommand};
use super::{Context, emit, open_store};
use crate::store::{self, Store};

pub fn reception(ctx: &Context, command: ReceptionCommand) -> anyhow::Result<()> {
    let mut store = open_store(ctx)?;
    match command {
        ReceptionCommand::AddDay { date, leader, post, place, slot, portfolio, units } => {
            let day = store::queue::NewReceptionDay {
                date,
                time_slot: slot,
                place,
                leader,
                leader_post: post,
                portfolio,
                units,
                announcement: String::new(),
            };
            let now = ctx.now();
            store::queue::create_day(&mut store, &day, now)?;
            emit(&format!(
                "已安排 {date} {} {}（{}）接访，地点：{}\n",
                day.time_slot, day.leader, day.leader_post, day.place
            ))
        }
        ReceptionCommand::Ledger { date, format, out } => reception_ledger(ctx, &mut store, date, format, out),
        ReceptionCommand::Book { date, time, name, id, phone, summary, street, category } => {
            let day =
                store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
            let refs = store::reference::ReferenceData::load(store.conn())?;
            let category_code = match category {
                Some(c) => Some(
                    refs.category_by_name(c.trim())
                        .ok_or_else(|| anyhow::anyhow!("未知的内容分类「{c}」"))?
                        .code
                        .clone(),
                ),
                None => None,
            };
            // The same rule as the intake form: a mobile or a fixed line, stored normalised.
            let phone = match phone.trim() {
                "" => String::new(),
                raw => {
                    crate::domain::phone::normalize(raw, &ctx.config.phone_area_code)
                        .map_err(|e| anyhow::anyhow!("电话：{e}"))?
                        .number
                }
            };
            let b = store::queue::Booking {
                day_id: day.id,
                name,
                id_number: id,
                phone,
                summary,
                category_code,
                street,
                booked_time: date.and_time(time),
            };
            let n = store::queue::book(&mut store, &b, ctx.now())?;
            let prior = store::queue::appointments(store.conn(), day.id)?
                .into_iter()
                .find(|a| a.id == n)
                .map_or(0, |a| a.prior_cases);
            let history = if prior > 0 {
                format!("，既往事项 {prior} 件（重复访）")
            } else {
                "，无既往事项".into()
            };
            emit(&format!(
                "已预约（编号 {n}）：{date} {} {}{history}\n",
                time.format("%H:%M"),
                crate::domain::mask::name(&b.name)
            ))
        }
        ReceptionCommand::Appointments { date } => {
            let day =
                store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
            let mut text = String::new();
            for a in store::queue::appointments(store.conn(), day.id)? {
                let line = format!(
                    "{:>4} {} {} {} {} 既往{}件 {}",
                    a.id,
                    a.booked_time.get(11..16).unwrap_or_default(),
                    crate::domain::mask::name(&a.name),
                    crate::domain::mask::id_number(&a.id_number),
                    a.status,
                    a.prior_cases,
                    a.summary
                );
                text.push_str(&crate::text::sanitize_line(&line));
                text.push('\n');
            }
            emit(if text.is_empty() { "没有预约\n" } else { &text })
        }
        ReceptionCommand::Appointment { id, action } => {
            use crate::domain::queue::AppointmentStatus as A;
            let status = match action {
                AppointmentAction::Confirm => A::Confirmed,
                AppointmentAction::Cancel => A::Cancelled,
                AppointmentAction::NoShow => A::NoShow,
                AppointmentAction::CheckIn => {
                    let now = ctx.now();
                    let t = store::queue::check_in_appointment(&mut store, id, &ctx.operator, now, &ctx.config.queue)?;
                    return emit(&format!("已取号 {}（预约）\n", t.number));
                }
            };
            store::queue::set_appointment(&mut store, id, status)?;
            emit(&format!("预约 {id}：{}\n", status.label()))
        }
        ReceptionCommand::Days => {
            let mut text = String::new();
            let counts = store::queue::ticket_counts(store.conn())?;
            for d in store::queue::days(store.conn())? {
                let n = counts.get(&d.id).copied().unwrap_or(0);
                let d = d.day;
                let line = format!("{} 取号 {n} 人", d.headline());
                text.push_str(&crate::text::sanitize_line(&line));
                text.push('\n');
            }
            if text.is_empty() {
                text = "还没有安排接访日\n".into();
            }
            emit(&text)
        }
    }
}

fn reception_ledger(
    ctx: &Context,
    store: &mut Store,
    date: chrono::NaiveDate,
    format: crate::export::Format,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let day = store::queue::day_on(store.conn(), date)?.ok_or_else(|| anyhow::anyhow!("{date} 没有安排接访日"))?;
    let rows = store::queue::ledger(store.conn(), day.id)?;
    let now = ctx.now();
    let times: Vec<_> = store::queue::tickets(store.conn(), day.id)?.iter().map(|t| t.times()).collect();
    let s = crate::domain::queue::DayStats::of(times, now);
    let stats =
        format!("{date} {}（{}）接访：取号 {} 人，{}", day.day.leader, day.day.leader_post, s.arrived, s.figures("，"));
    let stats = crate::text::sanitize_line(&stats).into_owned() + "\n";
    let mark = super::stamp(ctx, store, &format!("{date} 接访台账"))?;
    let Some(out) = out else {
        let mut text = stats + "\n";
        for r in &rows {
            let line = format!(
                "{} {} {} {} | {} | {} {}",
                r.number,
                crate::domain::mask::name(&r.name),
                r.problem,
                r.place,
                if r.opinion.is_empty() { "（未批示）" } else { &r.opinion },
                r.unit,
                r.result
            );
            text.push_str(&crate::text::sanitize_line(&line));
            text.push('\n');
        }
        return emit(&format!("{text}\n{mark}\n"));
    };
    let mut cells: Vec<Vec<String>> = rows.iter().map(store::queue::LedgerRow::cells).collect();
    cells.extend([Vec::new(), vec![mark.clone()]]);
    crate::export::write(&out, format, "接访台账", store::queue::LEDGER_HEADERS, &cells, ctx.force)?;
    let detail = format!("{date} 接访台账，{} 行，{}", rows.len(), out.display());
    store::backup::audit(store, &ctx.operator, "导出接访台账", &detail, now)?;
    emit(&format!("{stats}已导出接访台账 {} 行：{}（{mark}）\n", rows.len(), out.display()))
}
