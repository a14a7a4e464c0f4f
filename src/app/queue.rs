//! 接访队列: today's reception day and its live queue — who is with the
//! leader, who is next, how long people have waited.

use chrono::{NaiveDate, NaiveDateTime};

use super::choice::Opt;
use super::fields::{FieldForm, FieldKind, FormField};
use super::{Action, App, Notice};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::queue::{self, DayStats, InstructionKind, LeaderInstruction, QueueRules, TicketStatus};
use crate::store::queue::{Appointment, BoardRow, LedgerRow, ReceptionDay};
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};

#[derive(Debug, Default)]
pub struct QueueState {
    /// Today's reception day, or the latest one when none is scheduled today.
    pub day: Option<ReceptionDay>,
    /// The tickets in display order (see [`QueueState::arrange`]).
    pub rows: Vec<BoardRow>,
    pub selected: usize,
    /// Place in line (1 = next) by ticket id, for the waiting ones.
    pub positions: std::collections::HashMap<i64, usize>,
    pub message: Option<(String, bool)>,
    /// The 批示 form, over the queue.
    pub form: Option<QueueForm>,
    /// `t`: the day's ledger (台账) instead of the live queue.
    pub ledger: Option<Vec<LedgerRow>>,
    /// A day the clerk chose (`d`); otherwise today's, or the latest.
    pub pinned_day: Option<i64>,
    /// `d`: every reception day, upcoming and past, to choose one from.
    pub day_picker: Option<(Vec<ReceptionDay>, usize)>,
    /// `b`: the shown day's appointments and the one selected.
    pub appointments: Option<(Vec<Appointment>, usize)>,
}

impl QueueState {
    pub fn reload(
        &mut self,
        store: &Store,
        today: NaiveDate,
        now: NaiveDateTime,
        rules: &QueueRules,
        warning_rules: &crate::domain::warning::WarningRules,
    ) -> Result<(), StoreError> {
        let conn = store.conn();
        self.day = match self.pinned_day {
            Some(id) => Some(crate::store::queue::day(conn, id)?),
            None => match crate::store::queue::day_on(conn, today)? {
                Some(d) => Some(d),
                None => crate::store::queue::days(conn)?.into_iter().next(),
            },
        };
        let selected = self.selected_ticket();
        self.rows = match &self.day {
            Some(d) => crate::store::queue::board(conn, d.id)?,
            None => Vec::new(),
        };
        let ids: Vec<i64> = self.rows.iter().filter_map(|r| r.petitioner_id).collect();
        let mut warnings = crate::store::warnings::person_warnings(conn, &ids, today, warning_rules)?;
        for r in &mut self.rows {
            r.warnings = r.petitioner_id.and_then(|id| warnings.remove(&id)).unwrap_or_default();
        }
        self.arrange(now, rules);
        if self.ledger.is_some() {
            self.ledger = Some(self.load_ledger(store)?);
        }
        // Stay on the same ticket when others move around it.
        self.selected =
            selected.and_then(|id| self.index_of(id)).unwrap_or(self.selected).min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Where a ticket is in the list shown (the queue or the ledger).
    pub fn index_of(&self, ticket_id: i64) -> Option<usize> {
        match &self.ledger {
            Some(ledger) => {
                let number = &self.rows.iter().find(|r| r.ticket.id == ticket_id)?.ticket.number;
                ledger.iter().position(|l| &l.number == number)
            }
            None => self.rows.iter().position(|r| r.ticket.id == ticket_id),
        }
    }

    /// Display order: with the leader and called first, then the line in the
    /// order it will be called, then the skipped, then those already done.
    /// The line depends on the time (appointment windows open), so this runs
    /// on every tick too.
    pub fn arrange(&mut self, now: NaiveDateTime, rules: &QueueRules) {
        let calls = self.day.as_ref().map_or(0, |d| d.calls_made);
        let places: Vec<_> = self.rows.iter().map(|r| r.ticket.place()).collect();
        self.positions =
            queue::line(&places, now, calls, rules).iter().enumerate().map(|(i, p)| (p.id, i + 1)).collect();
        let group = |r: &BoardRow| match r.ticket.status {
            TicketStatus::InTalk => 0,
            TicketStatus::Called => 1,
            TicketStatus::Waiting | TicketStatus::Skipped if self.positions.contains_key(&r.ticket.id) => 2,
            TicketStatus::Skipped | TicketStatus::Waiting => 3,
            _ => 4,
        };
        let positions = &self.positions;
        self.rows.sort_by_key(|r| (group(r), positions.get(&r.ticket.id).copied().unwrap_or(0), r.ticket.id));
    }

    fn load_ledger(&self, store: &Store) -> Result<Vec<LedgerRow>, StoreError> {
        match &self.day {
            Some(d) => crate::store::queue::ledger(store.conn(), d.id),
            None => Ok(Vec::new()),
        }
    }

    /// `d`: the list of days, on the one shown.
    pub fn open_day_picker(&mut self, store: &Store) -> Result<(), StoreError> {
        let days = crate::store::queue::days(store.conn())?;
        let at = self.day.as_ref().and_then(|d| days.iter().position(|x| x.id == d.id)).unwrap_or(0);
        self.day_picker = Some((days, at));
        Ok(())
    }

    /// `b`: the shown day's appointments (kept on the one selected when reloaded).
    pub fn load_appointments(&mut self, store: &Store) -> Result<(), StoreError> {
        let Some(day) = &self.day else { return Ok(()) };
        let list = crate::store::queue::appointments(store.conn(), day.id)?;
        let at = self.appointments.as_ref().map_or(0, |(_, at)| *at).min(list.len().saturating_sub(1));
        self.appointments = Some((list, at));
        Ok(())
    }

    pub fn selected_appointment(&self) -> Option<&Appointment> {
        self.appointments.as_ref().and_then(|(list, at)| list.get(*at))
    }

    /// Enter in the day list: show that day from now on.
    pub fn choose_day(&mut self) {
        if let Some((days, at)) = self.day_picker.take() {
            self.pinned_day = days.get(at).map(|d| d.id);
            self.selected = 0;
        }
    }

    /// Between the live queue and the day's ledger, on the same ticket.
    pub fn toggle_ledger(&mut self, store: &Store) -> Result<(), StoreError> {
        let ticket = self.selected_ticket();
        self.ledger = match self.ledger {
            Some(_) => None,
            None => Some(self.load_ledger(store)?),
        };
        self.selected = ticket.and_then(|id| self.index_of(id)).unwrap_or(0);
        Ok(())
    }

    /// The ticket under the highlight: in the ledger the rows are in the
    /// order the numbers were given, in the queue in calling order.
    pub fn selected_row(&self) -> Option<&BoardRow> {
        match &self.ledger {
            Some(ledger) => {
                let number = &ledger.get(self.selected)?.number;
                self.rows.iter().find(|r| &r.ticket.number == number)
            }
            None => self.rows.get(self.selected),
        }
    }

    fn selected_ticket(&self) -> Option<i64> {
        self.selected_row().map(|r| r.ticket.id)
    }

    pub fn move_selection(&mut self, step: isize) {
        self.selected = self.selected.saturating_add_signed(step).min(self.rows.len().saturating_sub(1));
    }

    /// Who "call next" would call now.
    pub fn next(&self) -> Option<&BoardRow> {
        self.positions.iter().find(|(_, p)| **p == 1).and_then(|(id, _)| self.rows.iter().find(|r| r.ticket.id == *id))
    }

    pub fn stats(&self, now: NaiveDateTime) -> DayStats {
        DayStats::of(self.rows.iter().map(|r| r.ticket.times()), now)
    }
}

/// What a form over the queue records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    /// The talk and the leader's 批示, for the ticket in talk.
    Instruction { ticket_id: i64 },
    /// Priority for a waiting ticket, with its reason.
    Priority { ticket_id: i64 },
    /// A new reception day.
    NewDay,
    /// Changes to a scheduled day.
    EditDay { day_id: i64 },
    /// A real-name booking for the shown day.
    Book { day_id: i64, date: NaiveDate },
}

/// A small form over the queue.
#[derive(Debug, Clone)]
pub struct QueueForm {
    pub purpose: FormPurpose,
    pub form: FieldForm,
}

/// What a queue form saved.
#[derive(Debug, Clone)]
pub enum Saved {
    Ticket(crate::store::queue::Ticket),
    Day(i64),
    /// A booking, with the petitioner's earlier cases counted.
    Booking {
        prior_cases: i64,
    },
}

const KIND: usize = 0;
const TEXT: usize = 1;
const RECORD: usize = 2;
const ATTENDEES: usize = 3;
const UNIT: usize = 4;
const CONTACT: usize = 5;
const DUE: usize = 6;
const OWNER: usize = 7;
const PERSON: usize = 8;

impl QueueForm {
    /// The 批示 form. `due` is the default deadline for a unit (config
    /// `assign_working_days`); the 包案领导 starts as the day's leader.
    pub fn instruction(ticket_id: i64, number: &str, leader: &str, due: NaiveDate) -> QueueForm {
        let kinds = InstructionKind::ALL.iter().map(|k| Opt::keyed(k.label(), k.label())).collect();
        let fields = vec![
            FormField::choice("批示类型", kinds),
            FormField::new("批示内容", FieldKind::Text, "", true),
            FormField::new("接谈记录", FieldKind::Text, "", false),
            FormField::new("参加单位人员", FieldKind::Text, "", false),
            FormField::new("责任单位", FieldKind::Text, "", false),
            FormField::new("联系人及电话", FieldKind::Text, "", false),
            FormField::new("办理期限", FieldKind::Date, &due.to_string(), false),
            FormField::new("包案领导", FieldKind::Text, leader, false),
            FormField::new("责任人", FieldKind::Text, "", false),
        ];
        let form = FieldForm::new(format!("领导批示 {number}号"), fields);
        QueueForm { purpose: FormPurpose::Instruction { ticket_id }, form }
    }

    /// The priority form: a reason from the configured list (or another, written out).
    pub fn priority(ticket_id: i64, number: &str, reasons: &[String]) -> QueueForm {
        let mut options: Vec<Opt> = reasons.iter().map(|r| Opt::keyed(r, r)).collect();
        options.push(Opt::keyed("其他", "其他"));
        let fields = vec![FormField::choice("优先理由", options), FormField::new("说明", FieldKind::Text, "", false)];
        let form = FieldForm::new(format!("优先接谈 {number}号"), fields);
        QueueForm { purpose: FormPurpose::Priority { ticket_id }, form }
    }

    /// A new reception day: today by default, the first leader of the reference list.
    pub fn new_day(today: NaiveDate, leader: (&str, &str, &str)) -> QueueForm {
        let d = crate::store::queue::NewReceptionDay {
            date: today,
            time_slot: "上午 9:00-12:00".into(),
            place: "区信访局接待大厅".into(),
            leader: leader.0.into(),
            leader_post: leader.1.into(),
            portfolio: leader.2.into(),
            ..Default::default()
        };
        QueueForm { purpose: FormPurpose::NewDay, form: Self::day_fields("安排接访日", &d) }
    }

    /// The shown day, to change (a substitute leader, another place …).
    pub fn edit_day(day: &ReceptionDay) -> QueueForm {
        let title = format!("修改接访日 {}", day.day.date);
        QueueForm { purpose: FormPurpose::EditDay { day_id: day.id }, form: Self::day_fields(&title, &day.day) }
    }

    /// A booking for `day`: name, ID (checked as at intake), phone, time, matter.
    pub fn book(day: &ReceptionDay, refs: &ReferenceData) -> QueueForm {
        let mut categories = vec![Opt::keyed("未分类", "")];
        categories.extend(
            refs.categories
                .iter()
                .map(|c| Opt { initials: c.initials.clone(), ..Opt::keyed(&refs.category_path(&c.code), &c.code) }),
        );
        let fields = vec![
            FormField::new("姓名", FieldKind::Text, "", true),
            FormField::new("身份证号", FieldKind::Text, "", true),
            FormField::new("联系电话", FieldKind::Text, "", false),
            FormField::new("预约时间", FieldKind::Text, "09:00", true),
            FormField::new("反映问题", FieldKind::Text, "", false),
            FormField::choice("内容分类", categories),
            FormField::new("所属街道", FieldKind::Text, "", false),
        ];
        let purpose = FormPurpose::Book { day_id: day.id, date: day.day.date };
        QueueForm { purpose, form: FieldForm::new(format!("预约 {}", day.day.date), fields) }
    }

    fn booking(&self, day_id: i64, date: NaiveDate) -> Result<crate::store::queue::Booking, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        let time =
            chrono::NaiveTime::parse_from_str(&f.value(3), "%H:%M").map_err(|_| "预约时间应写成 09:30".to_string())?;
        Ok(crate::store::queue::Booking {
            day_id,
            name: f.value(0),
            id_number: f.value(1),
            phone: f.value(2),
            summary: f.value(4),
            category_code: f.fields[5].selected_code().filter(|c| !c.is_empty()),
            street: f.value(6),
            booked_time: date.and_time(time),
        })
    }

    /// While a booking's ID is typed: the petitioner's earlier cases in the
    /// form's title, as at intake (重复访 is the norm).
    pub fn look_up_prior(&mut self, store: &Store) -> Result<(), StoreError> {
        let FormPurpose::Book { date, .. } = self.purpose else { return Ok(()) };
        if self.form.focus != 1 {
            return Ok(());
        }
        let id = crate::domain::id_card::normalize(&self.form.value(1));
        let base = format!("预约 {date}");
        if id.chars().count() != 18 {
            self.form.title = base;
            return Ok(());
        }
        let prior = crate::store::queue::prior_cases(store.conn(), &id)?;
        let found = match (prior.count, &prior.latest) {
            (0, _) => "无既往事项".to_string(),
            (n, Some((number, t))) => format!("既往事项 {n} 件，最近 {number} {t}"),
            (n, None) => format!("既往事项 {n} 件"),
        };
        // The ID was registered under another name: say so before the clerk saves.
        let typed = self.form.value(0);
        self.form.title = match prior.registered_name.filter(|n| !typed.is_empty() && *n != typed) {
            Some(name) => {
                format!("{base} · 证件号登记的姓名为 {}，与所填不符 · {found}", crate::domain::mask::name(&name))
            }
            None => format!("{base} · {found}"),
        };
        Ok(())
    }

    fn day_fields(title: &str, d: &crate::store::queue::NewReceptionDay) -> FieldForm {
        let fields = vec![
            FormField::new("日期", FieldKind::Date, &d.date.to_string(), true),
            FormField::new("时段", FieldKind::Text, &d.time_slot, true),
            FormField::new("地点", FieldKind::Text, &d.place, true),
            FormField::new("接访领导", FieldKind::Text, &d.leader, true),
            FormField::new("职务", FieldKind::Text, &d.leader_post, true),
            FormField::new("分管工作", FieldKind::Text, &d.portfolio, false),
            FormField::new("参加单位", FieldKind::Text, &d.units, false),
            FormField::new("公告内容", FieldKind::Text, &d.announcement, false),
        ];
        FieldForm::new(title, fields)
    }

    fn reception_day(&self) -> Result<crate::store::queue::NewReceptionDay, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        Ok(crate::store::queue::NewReceptionDay {
            date: f.date(0)?.ok_or("请填写日期")?,
            time_slot: f.value(1),
            place: f.value(2),
            leader: f.value(3),
            leader_post: f.value(4),
            portfolio: f.value(5),
            units: f.value(6),
            announcement: f.value(7),
        })
    }

    fn priority_reason(&self) -> Result<String, String> {
        let (reason, note) = (self.form.value(0), self.form.value(1));
        match (reason.as_str(), note.is_empty()) {
            ("其他", true) => Err("理由为\"其他\"时请写明说明".into()),
            ("其他", false) => Ok(note),
            (_, true) => Ok(reason),
            (_, false) => Ok(format!("{reason}：{note}")),
        }
    }

    /// Read the 批示 form, or say which field is wrong.
    pub fn leader_instruction(&self) -> Result<LeaderInstruction, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        let kind = InstructionKind::from_label(&f.value(KIND)).unwrap_or(InstructionKind::OnTheSpot);
        let needs_unit = matches!(kind, InstructionKind::Assign | InstructionKind::Ownership);
        Ok(LeaderInstruction {
            kind,
            text: f.value(TEXT),
            record: f.value(RECORD),
            attendees: f.value(ATTENDEES),
            unit: f.value(UNIT),
            contact: f.value(CONTACT),
            // A deadline only binds a unit the case is handed to.
            due: if needs_unit { f.date(DUE)? } else { None },
            owner_leader: if kind == InstructionKind::Ownership { f.value(OWNER) } else { String::new() },
            owner_person: f.value(PERSON),
        })
    }

    /// Save; a refusal keeps the form open with the reason.
    pub fn submit(
        &mut self,
        store: &mut Store,
        clerk: &str,
        now: NaiveDateTime,
        cal: &HolidayCalendar,
    ) -> Result<Option<Saved>, StoreError> {
        use crate::store::queue as q;
        let saved = match self.purpose {
            FormPurpose::Instruction { ticket_id } => self
                .leader_instruction()
                .map(|i| q::record_instruction(store, ticket_id, &i, clerk, now, cal).map(Saved::Ticket)),
            FormPurpose::Priority { ticket_id } => self.priority_reason().map(|reason| {
                let p = q::Priority { reason, granted_by: clerk.to_string() };
                q::grant_priority(store, ticket_id, &p, now).map(Saved::Ticket)
            }),
            FormPurpose::NewDay => self.reception_day().map(|d| q::create_day(store, &d, now).map(Saved::Day)),
            FormPurpose::Book { day_id, date } => self.booking(day_id, date).map(|b| {
                let id = q::book(store, &b, now)?;
                let prior = q::appointments(store.conn(), day_id)?.into_iter().find(|a| a.id == id);
                Ok(Saved::Booking { prior_cases: prior.map_or(0, |a| a.prior_cases) })
            }),
            FormPurpose::EditDay { day_id } => {
                self.reception_day().map(|d| q::update_day(store, day_id, &d).map(|()| Saved::Day(day_id)))
            }
        };
        let saved = match saved {
            Ok(s) => s,
            Err(e) => {
                self.form.error = Some(e);
                return Ok(None);
            }
        };
        match saved {
            Ok(t) => Ok(Some(t)),
            Err(StoreError::Invalid(why)) => {
                self.form.error = Some(why);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// The 接访队列 screen's share of the update step.
impl App {
    /// Keys on the 接访队列 screen.
    pub(super) fn update_queue(&mut self, action: Action) -> bool {
        if self.queue.form.is_some() {
            return self.update_queue_form(action);
        }
        if self.queue.day_picker.is_some() {
            return self.update_day_picker(action);
        }
        if self.queue.appointments.is_some() {
            return self.update_appointments(action);
        }
        match action {
            Action::Instruct => self.open_instruction(),
            Action::GrantPriority => self.open_priority(),
            Action::NewDay => self.open_new_day(),
            Action::Appointments => {
                if self.queue.day.is_none() {
                    self.queue.message = Some(("还没有接访日：按 c 安排".into(), true));
                } else if let Err(e) = self.queue.load_appointments(&self.store) {
                    self.notify_error(&e);
                }
            }
            Action::EditDay => match &self.queue.day {
                Some(d) => self.queue.form = Some(QueueForm::edit_day(d)),
                None => self.queue.message = Some(("还没有接访日：按 c 安排".into(), true)),
            },
            Action::ChooseDay => {
                if let Err(e) = self.queue.open_day_picker(&self.store) {
                    self.notify_error(&e);
                }
            }
            Action::ToggleLedger => {
                if let Err(e) = self.queue.toggle_ledger(&self.store) {
                    self.notify_error(&e);
                }
            }
            Action::SelectNext => self.queue.move_selection(1),
            Action::SelectPrev => self.queue.move_selection(-1),
            Action::Ticket(m) => self.move_ticket(m),
            Action::OpenCase => {
                if let Some(id) = self.queue.selected_row().map(|r| r.ticket.case_id) {
                    self.open_case(id);
                }
            }
            _ => return false,
        }
        true
    }

    /// `Call` calls whoever is next; every other move acts on the selected ticket.
    fn move_ticket(&mut self, m: crate::domain::queue::TicketMove) {
        use crate::domain::queue::TicketMove;
        use crate::store::queue as q;
        let Some(day) = self.queue.day.as_ref().map(|d| d.id) else {
            self.queue.message = Some(("还没有接访日：按 c 安排".into(), true));
            return;
        };
        let (clerk, now) = (self.session.operator.clone(), self.clock.now());
        let result = match (m, self.queue.selected_row().map(|r| r.ticket.id)) {
            (TicketMove::Call, _) => q::call_next(&mut self.store, day, &clerk, now, &self.session.queue_rules),
            (_, Some(id)) => q::apply(&mut self.store, id, m, &clerk, now).map(Some),
            (_, None) => Ok(None),
        };
        self.queue.message = Some(match result {
            Ok(Some(t)) => {
                let text = match m {
                    TicketMove::Call | TicketMove::Recall => format!("请 {} 号到接谈室", t.number),
                    _ => format!("{} 号：{}", t.number, t.status.label()),
                };
                self.reload_queue();
                if let Some(i) = self.queue.index_of(t.id) {
                    self.queue.selected = i;
                }
                (text, false)
            }
            Ok(None) if m == TicketMove::Call => ("没有等候的来访人".into(), false),
            Ok(None) => return,
            Err(e) => (e.to_string(), true),
        });
    }

    /// `p` on a ticket in talk: the 批示 form.
    fn open_instruction(&mut self) {
        let Some(row) = self.queue.selected_row() else { return };
        if row.ticket.status != TicketStatus::InTalk {
            let text = format!("{}号当前为「{}」，接谈中才能记录批示", row.ticket.number, row.ticket.status.label());
            self.queue.message = Some((text, true));
            return;
        }
        let leader = self.queue.day.as_ref().map(|d| d.day.leader.clone()).unwrap_or_default();
        let today = self.clock.now().date();
        let due = crate::domain::deadline::working_days_after(today, self.session.assign_working_days, &self.calendar);
        self.queue.form = Some(QueueForm::instruction(row.ticket.id, &row.ticket.number, &leader, due));
    }

    /// Keys while the list of reception days is open.
    fn update_day_picker(&mut self, action: Action) -> bool {
        let Some((days, at)) = &mut self.queue.day_picker else { return false };
        match action {
            Action::NextField | Action::SelectNext => *at = (*at + 1).min(days.len().saturating_sub(1)),
            Action::PrevField | Action::SelectPrev => *at = at.saturating_sub(1),
            Action::Open => {
                self.queue.choose_day();
                self.reload_queue();
            }
            Action::Back => self.queue.day_picker = None,
            Action::Quit => return false,
            _ => {}
        }
        true
    }

    /// Keys while the day's appointments are listed: ↑↓ choose, ←→ change
    /// the status (已预约/已确认/已取消/未到), Enter takes a number, Ctrl-N books.
    fn update_appointments(&mut self, action: Action) -> bool {
        use crate::domain::queue::AppointmentStatus as A;
        let Some((list, at)) = &mut self.queue.appointments else { return false };
        let selected = list.get(*at).map(|a| (a.id, a.status.clone()));
        let result = match action {
            Action::NextField | Action::SelectNext => {
                *at = (*at + 1).min(list.len().saturating_sub(1));
                Ok(None)
            }
            Action::PrevField | Action::SelectPrev => {
                *at = at.saturating_sub(1);
                Ok(None)
            }
            Action::OptionNext | Action::OptionPrev => match selected {
                Some((id, status)) => {
                    let cycle = [A::Booked, A::Confirmed, A::Cancelled, A::NoShow];
                    let i = cycle.iter().position(|s| s.label() == status).unwrap_or(0);
                    let step = if action == Action::OptionNext { 1 } else { cycle.len() - 1 };
                    let next = cycle[(i + step) % cycle.len()];
                    crate::store::queue::set_appointment(&mut self.store, id, next)
                        .map(|()| Some(format!("预约改为「{}」", next.label())))
                }
                None => Ok(None),
            },
            Action::Open => match selected {
                Some((id, _)) => {
                    let (clerk, now) = (self.session.operator.clone(), self.clock.now());
                    crate::store::queue::check_in_appointment(
                        &mut self.store,
                        id,
                        &clerk,
                        now,
                        &self.session.queue_rules,
                    )
                    .map(|t| Some(format!("已取号 {}（预约）", t.number)))
                }
                None => Ok(None),
            },
            Action::AddPerson => {
                if let Some(day) = &self.queue.day {
                    self.queue.form = Some(QueueForm::book(day, &self.reference));
                }
                Ok(None)
            }
            Action::Back => {
                self.queue.appointments = None;
                return true;
            }
            Action::Quit => return false,
            _ => Ok(None),
        };
        match result {
            Ok(Some(text)) => {
                self.queue.message = Some((text, false));
                self.reload_queue();
                if let Err(e) = self.queue.load_appointments(&self.store) {
                    self.notify_error(&e);
                }
            }
            Ok(None) => {}
            Err(StoreError::Invalid(why)) => self.queue.message = Some((why, true)),
            Err(e) => self.notify_error(&e),
        }
        true
    }

    /// `c`: a new reception day, with the first leader of the reference list.
    fn open_new_day(&mut self) {
        let leader: (String, String, String) = self
            .store
            .conn()
            .query_row("SELECT name, post, portfolio FROM leaders ORDER BY id LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap_or_default();
        let today = self.clock.now().date();
        self.queue.form = Some(QueueForm::new_day(today, (&leader.0, &leader.1, &leader.2)));
    }

    /// `y` on a waiting ticket: grant priority, with a reason.
    fn open_priority(&mut self) {
        let Some(row) = self.queue.selected_row() else { return };
        if !matches!(row.ticket.status, TicketStatus::Waiting | TicketStatus::Skipped) {
            let text = format!("{}号当前为「{}」，等候中的号才能优先", row.ticket.number, row.ticket.status.label());
            self.queue.message = Some((text, true));
            return;
        }
        let reasons = &self.session.queue_rules.priority_reasons;
        self.queue.form = Some(QueueForm::priority(row.ticket.id, &row.ticket.number, reasons));
    }

    /// Keys while a form is open over the queue (批示, 优先, 新接访日).
    fn update_queue_form(&mut self, action: Action) -> bool {
        let Some(f) = &mut self.queue.form else { return false };
        match action {
            Action::Open | Action::Save => {
                let (clerk, now) = (self.session.operator.clone(), self.clock.now());
                match f.submit(&mut self.store, &clerk, now, &self.calendar) {
                    Ok(Some(saved)) => {
                        let text = match saved {
                            Saved::Ticket(t) if t.status == TicketStatus::Done => {
                                format!("已记录批示，{}号接谈结束", t.number)
                            }
                            Saved::Ticket(t) => {
                                format!("{}号优先接谈（{}）", t.number, t.priority_reason.unwrap_or_default())
                            }
                            Saved::Day(id) => {
                                self.queue.pinned_day = Some(id);
                                "接访日已保存".to_string()
                            }
                            Saved::Booking { prior_cases: 0 } => "已预约，无既往事项".to_string(),
                            Saved::Booking { prior_cases } => {
                                format!("已预约，既往事项 {prior_cases} 件（重复访）")
                            }
                        };
                        self.queue.form = None;
                        if self.queue.appointments.is_some() {
                            let _ = self.queue.load_appointments(&self.store);
                        }
                        self.queue.message = Some((text, false));
                        self.reload_queue();
                    }
                    Ok(None) => {}
                    Err(e) => self.notify_error(&e),
                }
            }
            Action::Back => self.queue.form = None,
            Action::Quit => return false,
            other => f.form.navigate(other),
        }
        true
    }

    /// A walk-in number in today's reception queue for this case; a group
    /// visit is one ticket with the case's head count.
    pub(super) fn take_number(&mut self, case_id: i64) -> Result<crate::store::queue::Ticket, StoreError> {
        use crate::store::queue as q;
        let now = self.clock.now();
        let Some(day) = q::day_on(self.store.conn(), now.date())? else {
            return Err(StoreError::Invalid("今天没有安排领导接访日，不能取号".into()));
        };
        let people = crate::store::cases::summary(self.store.conn(), case_id)?.people_count;
        let c = q::CheckIn {
            day_id: day.id,
            case_id,
            at: now,
            booked_at: None,
            priority: None,
            group_size: people,
            clerk: self.session.operator.clone(),
        };
        q::check_in(&mut self.store, &c, &self.session.queue_rules)
    }

    /// `a` in the case pane: a number for today's reception queue.
    pub(super) fn check_in(&mut self, case_id: i64) {
        let result = self.take_number(case_id);
        self.notice = Some(match result {
            Ok(t) => Notice { text: format!("已取号 {}，请到候谈区等候叫号", t.number), is_error: false },
            Err(e) => Notice { text: e.to_string(), is_error: true },
        });
        self.reload_or_notify();
    }

    pub(super) fn reload_queue(&mut self) {
        let now = self.clock.now();
        if let Err(e) =
            self.queue.reload(&self.store, now.date(), now, &self.session.queue_rules, &self.session.warning_rules)
        {
            self.notify_error(&e);
        }
    }
}
