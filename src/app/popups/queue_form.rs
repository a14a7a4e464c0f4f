//! The small forms over the queue: the leader's 批示, priority, a reception
//! day (new or changed) and a real-name booking.

use chrono::NaiveDate;

use crate::app::effect::{Effect, or_failed};
use crate::app::env::Env;
use crate::app::form::{Field, Form, Kind, Opt};
use crate::app::strings::queue as say;
use crate::domain::queue::{InstructionKind, LeaderInstruction, TicketStatus};
use crate::store::StoreError;
use crate::store::queue::{self as q, Booking, NewReceptionDay, ReceptionDay};
use crate::store::reference::ReferenceData;

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

/// The fields of the queue's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    // 批示
    InstructionKind,
    InstructionText,
    Record,
    Attendees,
    Unit,
    Contact,
    Due,
    OwnerLeader,
    OwnerPerson,
    // 优先
    Reason,
    Note,
    // 接访日
    Date,
    Slot,
    Place,
    Leader,
    LeaderPost,
    Portfolio,
    Units,
    Announcement,
    // 预约
    Name,
    IdNumber,
    Phone,
    Time,
    Summary,
    Category,
    Street,
}

#[derive(Debug, Clone)]
pub struct QueueForm {
    pub purpose: FormPurpose,
    pub form: Form<F>,
}

/// What a queue form saved.
#[derive(Debug, Clone)]
pub enum Saved {
    Ticket(q::Ticket),
    Day(i64),
    /// A booking, with the petitioner's earlier cases counted.
    Booking {
        prior_cases: i64,
    },
}

impl QueueForm {
    /// The 批示 form. `due` is the default deadline for a unit (config
    /// `assign_working_days`); the 包案领导 starts as the day's leader.
    pub fn instruction(ticket_id: i64, number: &str, leader: &str, due: NaiveDate) -> QueueForm {
        let kinds = InstructionKind::ALL.iter().map(|k| Opt::keyed(k.label(), k.label())).collect();
        let fields = vec![
            Field::choice(F::InstructionKind, "批示类型", kinds),
            Field::new(F::InstructionText, "批示内容", Kind::Text, "").required(),
            Field::new(F::Record, "接谈记录", Kind::Text, ""),
            Field::new(F::Attendees, "参加单位人员", Kind::Text, ""),
            Field::new(F::Unit, "责任单位", Kind::Text, ""),
            Field::new(F::Contact, "联系人及电话", Kind::Text, ""),
            Field::new(F::Due, "办理期限", Kind::Date, &due.to_string()),
            Field::new(F::OwnerLeader, "包案领导", Kind::Text, leader),
            Field::new(F::OwnerPerson, "责任人", Kind::Text, ""),
        ];
        let form = Form::new(format!("领导批示 {number}号"), fields);
        QueueForm { purpose: FormPurpose::Instruction { ticket_id }, form }
    }

    /// The priority form: a reason from the configured list (or another, written out).
    pub fn priority(ticket_id: i64, number: &str, reasons: &[String]) -> QueueForm {
        let mut options: Vec<Opt> = reasons.iter().map(|r| Opt::keyed(r, r)).collect();
        options.push(Opt::keyed("其他", "其他"));
        let fields = vec![Field::choice(F::Reason, "优先理由", options), Field::new(F::Note, "说明", Kind::Text, "")];
        let form = Form::new(format!("优先接谈 {number}号"), fields);
        QueueForm { purpose: FormPurpose::Priority { ticket_id }, form }
    }

    /// A new reception day: today by default, the first leader of the reference list.
    pub fn new_day(today: NaiveDate, leader: &q::LeaderRef) -> QueueForm {
        let d = NewReceptionDay {
            date: today,
            time_slot: "上午 9:00-12:00".into(),
            place: "区信访局接待大厅".into(),
            leader: leader.name.clone(),
            leader_post: leader.post.clone(),
            portfolio: leader.portfolio.clone(),
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
            Field::new(F::Name, "姓名", Kind::Text, "").required(),
            Field::new(F::IdNumber, "身份证号", Kind::Text, "").required(),
            Field::new(F::Phone, "联系电话", Kind::Text, ""),
            Field::new(F::Time, "预约时间", Kind::Text, "09:00").required(),
            Field::new(F::Summary, "反映问题", Kind::Text, ""),
            Field::choice(F::Category, "内容分类", categories),
            Field::new(F::Street, "所属街道", Kind::Text, ""),
        ];
        let purpose = FormPurpose::Book { day_id: day.id, date: day.day.date };
        QueueForm { purpose, form: Form::new(format!("预约 {}", day.day.date), fields) }
    }

    fn booking(&self, day_id: i64, date: NaiveDate) -> Result<Booking, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        let time =
            chrono::NaiveTime::parse_from_str(&f.value(F::Time), "%H:%M").map_err(|_| say::BAD_TIME.to_string())?;
        Ok(Booking {
            day_id,
            name: f.value(F::Name),
            id_number: f.value(F::IdNumber),
            phone: f.value(F::Phone),
            summary: f.value(F::Summary),
            category_code: f.code(F::Category).filter(|c| !c.is_empty()),
            street: f.value(F::Street),
            booked_time: date.and_time(time),
        })
    }

    /// While a booking's ID is typed: the petitioner's earlier cases in the
    /// form's title, as at intake (重复访 is the norm).
    fn look_up_prior(&mut self, env: &Env) -> Result<(), StoreError> {
        let FormPurpose::Book { date, .. } = self.purpose else { return Ok(()) };
        if self.form.focused().key != F::IdNumber {
            return Ok(());
        }
        let id = crate::domain::id_card::normalize(&self.form.value(F::IdNumber));
        let base = format!("预约 {date}");
        if id.chars().count() != 18 {
            self.form.title = base;
            return Ok(());
        }
        let prior = q::prior_cases(env.store.conn(), &id)?;
        let found = match (prior.count, &prior.latest) {
            (0, _) => say::NO_PRIOR.to_string(),
            (n, latest) => say::prior(n, latest.as_ref().map(|(number, at)| (number.as_str(), at.as_str()))),
        };
        // The ID was registered under another name: say so before the clerk saves.
        let typed = self.form.value(F::Name);
        self.form.title = match prior.registered_name.filter(|n| !typed.is_empty() && *n != typed) {
            Some(name) => {
                format!("{base}；{}；{found}", say::other_name(&crate::domain::mask::name(&name)))
            }
            None => format!("{base}；{found}"),
        };
        Ok(())
    }

    fn day_fields(title: &str, d: &NewReceptionDay) -> Form<F> {
        let fields = vec![
            Field::new(F::Date, "日期", Kind::Date, &d.date.to_string()).required(),
            Field::new(F::Slot, "时段", Kind::Text, &d.time_slot).required(),
            Field::new(F::Place, "地点", Kind::Text, &d.place).required(),
            Field::new(F::Leader, "接访领导", Kind::Text, &d.leader).required(),
            Field::new(F::LeaderPost, "职务", Kind::Text, &d.leader_post).required(),
            Field::new(F::Portfolio, "分管工作", Kind::Text, &d.portfolio),
            Field::new(F::Units, "参加单位", Kind::Text, &d.units),
            Field::new(F::Announcement, "公告内容", Kind::Text, &d.announcement),
        ];
        Form::new(title, fields)
    }

    fn reception_day(&self) -> Result<NewReceptionDay, String> {
        let f = &self.form;
        if let Some(m) = f.missing() {
            return Err(m);
        }
        Ok(NewReceptionDay {
            date: f.required_date(F::Date)?,
            time_slot: f.value(F::Slot),
            place: f.value(F::Place),
            leader: f.value(F::Leader),
            leader_post: f.value(F::LeaderPost),
            portfolio: f.value(F::Portfolio),
            units: f.value(F::Units),
            announcement: f.value(F::Announcement),
        })
    }

    fn priority_reason(&self) -> Result<String, String> {
        let (reason, note) = (self.form.value(F::Reason), self.form.value(F::Note));
        match (reason.as_str(), note.is_empty()) {
            ("其他", true) => Err(say::OTHER_NEEDS_NOTE.into()),
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
        let kind = InstructionKind::from_label(&f.value(F::InstructionKind)).unwrap_or(InstructionKind::OnTheSpot);
        let needs_unit = matches!(kind, InstructionKind::Assign | InstructionKind::Ownership);
        Ok(LeaderInstruction {
            kind,
            text: f.value(F::InstructionText),
            record: f.value(F::Record),
            attendees: f.value(F::Attendees),
            unit: f.value(F::Unit),
            contact: f.value(F::Contact),
            // A deadline only binds a unit the case is handed to.
            due: if needs_unit { f.date(F::Due)? } else { None },
            owner_leader: if kind == InstructionKind::Ownership { f.value(F::OwnerLeader) } else { String::new() },
            owner_person: f.value(F::OwnerPerson),
        })
    }

    /// Save; a refusal keeps the form open with the reason.
    pub fn record(&mut self, env: &mut Env) -> Result<Option<Saved>, StoreError> {
        let (clerk, now) = (env.operator(), env.now());
        let (store, cal) = (&mut env.store, &env.calendar);
        let saved = match self.purpose {
            FormPurpose::Instruction { ticket_id } => self
                .leader_instruction()
                .map(|i| q::record_instruction(store, ticket_id, &i, &clerk, now, cal).map(Saved::Ticket)),
            FormPurpose::Priority { ticket_id } => self.priority_reason().map(|reason| {
                let p = q::Priority { reason, granted_by: clerk.clone() };
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

    fn save(&mut self, env: &mut Env) -> Result<Vec<Effect>, StoreError> {
        let Some(saved) = self.record(env)? else { return Ok(Vec::new()) };
        let mut pin_day = None;
        let text = match saved {
            Saved::Ticket(t) if t.status == TicketStatus::Done => say::instruction_recorded(&t.number),
            Saved::Ticket(t) => say::prioritised(&t.number, &t.priority_reason.unwrap_or_default()),
            Saved::Day(id) => {
                pin_day = Some(id);
                say::DAY_SAVED.to_string()
            }
            Saved::Booking { prior_cases: 0 } => say::BOOKED_FIRST_TIME.to_string(),
            Saved::Booking { prior_cases } => say::booked_again(prior_cases),
        };
        Ok(vec![Effect::Pop, Effect::QueueChanged { pin_day }, Effect::Tell(text, false)])
    }
}

impl super::FormPopup for QueueForm {
    type Key = F;

    fn form(&mut self) -> &mut Form<F> {
        &mut self.form
    }

    fn submit(&mut self, env: &mut Env) -> Vec<Effect> {
        or_failed(self.save(env))
    }

    fn after_edit(&mut self, env: &Env) -> Vec<Effect> {
        or_failed(self.look_up_prior(env).map(|()| Vec::new()))
    }
}
