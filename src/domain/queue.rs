//! The live queue of a 领导干部公开接访日 (domain.md §3.2, phases 3–6): who
//! is called next, and which moves a ticket may make.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    TicketStatus {
    Waiting = "waiting" => "等候",
    Called = "called" => "已叫号",
    InTalk = "in_talk" => "接谈中",
    Done = "done" => "已接谈",
    Skipped = "skipped" => "过号",
    Left = "left" => "离开",
    Rescheduled = "rescheduled" => "改期",
}
);

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    AppointmentStatus {
    Booked = "booked" => "已预约",
    Confirmed = "confirmed" => "已确认",
    Cancelled = "cancelled" => "已取消",
    NoShow = "no_show" => "未到",
    CheckedIn = "checked_in" => "已取号",
}
);

/// What the desk does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketMove {
    Call,
    /// Call the same number again (重呼), also to bring back a skipped ticket.
    Recall,
    /// 过号: the called person is not there; back in line after some calls.
    Skip,
    Start,
    Finish,
    Leave,
    Reschedule,
}

impl TicketMove {
    pub fn label(self) -> &'static str {
        match self {
            TicketMove::Call => "叫号",
            TicketMove::Recall => "重呼",
            TicketMove::Skip => "过号",
            TicketMove::Start => "开始接谈",
            TicketMove::Finish => "结束接谈",
            TicketMove::Leave => "离开",
            TicketMove::Reschedule => "改期",
        }
    }
}

impl TicketStatus {
    /// The status `m` leads to from here, or `None` when the move makes no sense
    /// (finishing a talk that never started, calling someone who left ...).
    pub fn after(self, m: TicketMove) -> Option<TicketStatus> {
        use TicketMove as M;
        use TicketStatus as S;
        match (self, m) {
            (S::Waiting | S::Skipped, M::Call) => Some(S::Called),
            (S::Called | S::Skipped, M::Recall) => Some(S::Called),
            (S::Called, M::Skip) => Some(S::Skipped),
            (S::Called, M::Start) => Some(S::InTalk),
            (S::InTalk, M::Finish) => Some(S::Done),
            (S::Waiting | S::Called | S::Skipped, M::Leave) => Some(S::Left),
            (S::Waiting | S::Called | S::Skipped, M::Reschedule) => Some(S::Rescheduled),
            _ => None,
        }
    }

    /// The ticket is still open: waiting, called or with the leader.
    pub fn is_active(self) -> bool {
        matches!(self, TicketStatus::Waiting | TicketStatus::Called | TicketStatus::InTalk | TicketStatus::Skipped)
    }
}

coded!(
    #[derive(serde::Serialize, serde::Deserialize)]
    InstructionKind {
    OnTheSpot = "on_the_spot" => "当场答复",
    Assign = "assign" => "交办",
    Ownership = "ownership" => "包案",
    Coordination = "coordination" => "协调会",
    Legal = "legal" => "导入法定程序",
}
);

coded!(
    /// A leader's 包案 (`case_ownerships.status`): running, or ended by 息诉罢访.
    OwnershipStatus { Active = "active" => "包案中", Stopped = "stopped" => "已息诉罢访" }
);

/// What the leader decided in the talk (批示), with the record of the talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderInstruction {
    pub kind: InstructionKind,
    pub text: String,
    /// 接谈记录.
    pub record: String,
    /// Units and people who sat in.
    pub attendees: String,
    /// 责任单位 (交办, 包案).
    pub unit: String,
    pub contact: String,
    /// The unit's deadline (交办, 包案).
    pub due: Option<NaiveDate>,
    /// 包案领导 and the unit's 责任人.
    pub owner_leader: String,
    pub owner_person: String,
}

impl LeaderInstruction {
    /// Whether the instruction is complete for its kind. `statutory` is the
    /// last day the law allows for handling: a unit's deadline never goes past it.
    pub fn check(&self, today: NaiveDate, statutory: NaiveDate) -> Result<(), String> {
        let need = |v: &str, what: &str| if v.trim().is_empty() { Err(format!("请填写{what}")) } else { Ok(()) };
        need(&self.text, "批示内容")?;
        if matches!(self.kind, InstructionKind::Assign | InstructionKind::Ownership) {
            need(&self.unit, "责任单位")?;
            let Some(due) = self.due else { return Err("请填写办理期限".into()) };
            if due < today {
                return Err(format!("办理期限 {due} 早于今天"));
            }
            if due > statutory {
                return Err(format!("办理期限 {due} 超过法定办结期限 {statutory}"));
            }
        }
        if self.kind == InstructionKind::Ownership {
            need(&self.owner_leader, "包案领导")?;
            need(&self.owner_person, "责任人")?;
        }
        Ok(())
    }
}

/// The rules of the line; every number is configuration (`[queue]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueRules {
    /// Ticket prefix for walk-ins (A001, A002 ...).
    pub walk_in_prefix: String,
    /// Ticket prefix for appointments (Y001 ...).
    pub appointment_prefix: String,
    /// An appointment is served in its turn from this many minutes before its booked time.
    pub appointment_window_minutes: i64,
    /// A skipped ticket comes back into line after this many further calls.
    pub skip_returns_after_calls: u32,
    /// The reasons a clerk may give priority for (年老, 残疾 ...).
    pub priority_reasons: Vec<String>,
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules {
            walk_in_prefix: "A".into(),
            appointment_prefix: "Y".into(),
            appointment_window_minutes: 15,
            skip_returns_after_calls: 3,
            priority_reasons: ["年老", "残疾", "孕期", "急症"].map(String::from).to_vec(),
        }
    }
}

/// What the ordering needs to know of one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuePlace {
    pub id: i64,
    pub status: TicketStatus,
    pub arrived_at: NaiveDateTime,
    /// The booked time of an appointment; `None` for a walk-in.
    pub booked_at: Option<NaiveDateTime>,
    /// Priority was granted (with a recorded reason).
    pub priority: bool,
    /// The day's call count when the ticket was skipped.
    pub skipped_at_call: Option<u32>,
}

impl QueueRules {
    /// The calling order in words, for the help screen: it says what
    /// [`line_key`] and [`is_callable`] do, with this desk's numbers.
    pub fn describe(&self) -> Vec<String> {
        vec![
            "叫号顺序：".into(),
            "1. 经准予优先的（按到达先后）".into(),
            format!("2. 预约时间前 {} 分钟起的预约者（按预约时间）", self.appointment_window_minutes),
            "3. 其余按到达先后；过早到达的预约者等到其时间".into(),
            format!("过号的，再叫 {} 个号后按原到达顺序回到队列", self.skip_returns_after_calls),
        ]
    }
}

/// Where a ticket stands in line: priority first; then appointments whose
/// booked time is near (by booked time); then everyone else by arrival; an
/// appointment that came early for a far slot waits for its window.
pub fn line_key(p: &QueuePlace, now: NaiveDateTime, rules: &QueueRules) -> (u8, NaiveDateTime, i64) {
    let window = Duration::minutes(rules.appointment_window_minutes);
    match p.booked_at {
        _ if p.priority => (0, p.arrived_at, p.id),
        Some(booked) if booked - window <= now => (1, booked, p.id),
        Some(booked) => (3, booked, p.id),
        None => (2, p.arrived_at, p.id),
    }
}

/// May be called now: waiting, or skipped long enough ago.
pub fn is_callable(p: &QueuePlace, calls_made: u32, rules: &QueueRules) -> bool {
    match p.status {
        TicketStatus::Waiting => true,
        TicketStatus::Skipped => {
            p.skipped_at_call.is_none_or(|at| calls_made >= at.saturating_add(rules.skip_returns_after_calls))
        }
        _ => false,
    }
}

/// The callable tickets, in the order they will be called.
pub fn line<'a>(
    places: &'a [QueuePlace],
    now: NaiveDateTime,
    calls_made: u32,
    rules: &QueueRules,
) -> Vec<&'a QueuePlace> {
    let mut line: Vec<&QueuePlace> = places.iter().filter(|p| is_callable(p, calls_made, rules)).collect();
    line.sort_by_key(|p| line_key(p, now, rules));
    line
}

/// Who "call next" calls.
pub fn next_in_line<'a>(
    places: &'a [QueuePlace],
    now: NaiveDateTime,
    calls_made: u32,
    rules: &QueueRules,
) -> Option<&'a QueuePlace> {
    line(places, now, calls_made, rules).into_iter().next()
}

/// A ticket's times, for the day's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketTimes {
    pub status: TicketStatus,
    pub arrived_at: NaiveDateTime,
    pub called_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

/// The figures of a reception day (queue header, ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct DayStats {
    pub arrived: usize,
    pub waiting: usize,
    pub seen: usize,
    /// Left, skipped and never back, or rescheduled.
    pub no_shows: usize,
    /// Minutes from arrival to being called, over those called.
    pub average_wait: Option<i64>,
    /// The longest such wait, counting those still waiting up to `now`.
    pub longest_wait: Option<i64>,
    /// Minutes with the leader, over the talks finished.
    pub average_talk: Option<i64>,
}

impl DayStats {
    /// The day's figures in words, the same on the screen, in the ledger and
    /// on the command line: "已接谈 3{sep}过号离开 1{sep}平均等候 12分钟 …".
    pub fn figures(&self, sep: &str) -> String {
        let minutes = |m: Option<i64>| m.map_or(crate::text::EMPTY.to_string(), |m| format!("{m}分钟"));
        [
            format!("已接谈 {}", self.seen),
            format!("过号离开 {}", self.no_shows),
            format!("平均等候 {}", minutes(self.average_wait)),
            format!("最长等候 {}", minutes(self.longest_wait)),
            format!("平均接谈 {}", minutes(self.average_talk)),
        ]
        .join(sep)
    }

    pub fn of(tickets: impl IntoIterator<Item = TicketTimes>, now: NaiveDateTime) -> DayStats {
        let mut s = DayStats::default();
        let (mut waits, mut talks) = (Vec::new(), Vec::new());
        let mut longest: Option<i64> = None;
        for t in tickets {
            s.arrived += 1;
            match t.status {
                TicketStatus::Waiting | TicketStatus::Called | TicketStatus::InTalk => {}
                TicketStatus::Done => s.seen += 1,
                TicketStatus::Skipped | TicketStatus::Left | TicketStatus::Rescheduled => s.no_shows += 1,
            }
            if matches!(t.status, TicketStatus::Waiting | TicketStatus::Skipped) {
                s.waiting += 1;
            }
            let wait = (t.called_at.unwrap_or(now) - t.arrived_at).num_minutes().max(0);
            if t.called_at.is_some() {
                waits.push(wait);
            }
            if t.called_at.is_some() || t.status == TicketStatus::Waiting {
                longest = Some(longest.map_or(wait, |m| m.max(wait)));
            }
            if let (Some(a), Some(b)) = (t.started_at, t.finished_at) {
                talks.push((b - a).num_minutes().max(0));
            }
        }
        let average = |v: &[i64]| (!v.is_empty()).then(|| v.iter().sum::<i64>() / v.len() as i64);
        s.average_wait = average(&waits);
        s.average_talk = average(&talks);
        s.longest_wait = longest;
        s
    }
}

/// The shown ticket number: prefix and a three-digit daily sequence (A007).
pub fn ticket_number(prefix: &str, seq: i64) -> String {
    format!("{prefix}{seq:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hm: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("2026-11-30 {hm}"), "%Y-%m-%d %H:%M").unwrap()
    }

    fn walk_in(id: i64, arrived: &str) -> QueuePlace {
        QueuePlace {
            id,
            status: TicketStatus::Waiting,
            arrived_at: at(arrived),
            booked_at: None,
            priority: false,
            skipped_at_call: None,
        }
    }

    fn ids(line: Vec<&QueuePlace>) -> Vec<i64> {
        line.into_iter().map(|p| p.id).collect()
    }

    #[test]
    fn walk_ins_go_in_order_of_arrival() {
        let places = [walk_in(1, "09:10"), walk_in(2, "08:50"), walk_in(3, "09:00")];
        assert_eq!(ids(line(&places, at("09:30"), 0, &QueueRules::default())), [2, 3, 1]);
    }

    #[test]
    fn priority_comes_first_then_near_appointments_then_arrival() {
        let rules = QueueRules::default();
        let mut old = walk_in(1, "09:20");
        old.priority = true;
        let mut near = walk_in(2, "09:25");
        near.booked_at = Some(at("09:40")); // within the 15-minute window at 09:30
        let mut far = walk_in(3, "08:00");
        far.booked_at = Some(at("11:00"));
        let places = [walk_in(4, "08:30"), far, near, old];
        assert_eq!(ids(line(&places, at("09:30"), 0, &rules)), [1, 2, 4, 3]);
        // At 10:50 the far appointment's window has opened: it goes before walk-ins.
        assert_eq!(ids(line(&places, at("10:50"), 0, &rules)), [1, 2, 3, 4]);
    }

    #[test]
    fn a_skipped_ticket_returns_after_n_further_calls() {
        let rules = QueueRules { skip_returns_after_calls: 2, ..QueueRules::default() };
        let mut skipped = walk_in(1, "08:00");
        skipped.status = TicketStatus::Skipped;
        skipped.skipped_at_call = Some(5);
        let places = [skipped, walk_in(2, "09:00")];
        assert_eq!(next_in_line(&places, at("09:30"), 5, &rules).unwrap().id, 2);
        assert_eq!(next_in_line(&places, at("09:30"), 6, &rules).unwrap().id, 2);
        assert_eq!(next_in_line(&places, at("09:30"), 7, &rules).unwrap().id, 1, "back, in its arrival place");
    }

    #[test]
    fn seen_left_and_called_tickets_are_not_in_line() {
        let rules = QueueRules::default();
        let mut places: Vec<QueuePlace> = (1..=4).map(|i| walk_in(i, "09:00")).collect();
        places[0].status = TicketStatus::Called;
        places[1].status = TicketStatus::Done;
        places[2].status = TicketStatus::Left;
        assert_eq!(ids(line(&places, at("09:30"), 0, &rules)), [4]);
        places[3].status = TicketStatus::InTalk;
        assert!(next_in_line(&places, at("09:30"), 0, &rules).is_none());
    }

    #[test]
    fn moves_follow_the_ticket_life() {
        use TicketMove as M;
        use TicketStatus as S;
        assert_eq!(S::Waiting.after(M::Call), Some(S::Called));
        assert_eq!(S::Called.after(M::Skip), Some(S::Skipped));
        assert_eq!(S::Skipped.after(M::Recall), Some(S::Called));
        assert_eq!(S::Called.after(M::Start), Some(S::InTalk));
        assert_eq!(S::InTalk.after(M::Finish), Some(S::Done));
        assert_eq!(S::Waiting.after(M::Finish), None, "no talk to finish");
        assert_eq!(S::Done.after(M::Call), None);
        assert_eq!(S::Left.after(M::Recall), None);
        assert_eq!(S::InTalk.after(M::Leave), None, "a talk is finished, not left");
        assert!(S::InTalk.is_active() && S::Skipped.is_active() && !S::Done.is_active() && !S::Left.is_active());
    }

    fn instruction(kind: InstructionKind) -> LeaderInstruction {
        LeaderInstruction {
            kind,
            text: "请区住建局十日内答复".into(),
            record: String::new(),
            attendees: String::new(),
            unit: "区住建局".into(),
            contact: String::new(),
            due: Some(at("09:00").date() + chrono::Days::new(10)),
            owner_leader: "王建设".into(),
            owner_person: "张科长".into(),
        }
    }

    #[test]
    fn an_instruction_is_complete_for_its_kind_and_within_the_statutory_limit() {
        let today = at("09:00").date();
        let limit = today + chrono::Days::new(60);
        assert_eq!(instruction(InstructionKind::Assign).check(today, limit), Ok(()));
        let mut i = instruction(InstructionKind::OnTheSpot);
        i.unit.clear();
        i.due = None;
        assert_eq!(i.check(today, limit), Ok(()), "an answer on the spot needs no unit");
        i.text = "  ".into();
        assert_eq!(i.check(today, limit), Err("请填写批示内容".into()));
        let mut i = instruction(InstructionKind::Assign);
        i.due = Some(limit + chrono::Days::new(1));
        assert_eq!(
            i.check(today, limit),
            Err(format!("办理期限 {} 超过法定办结期限 {limit}", limit + chrono::Days::new(1)))
        );
        i.due = None;
        assert_eq!(i.check(today, limit), Err("请填写办理期限".into()));
        let mut i = instruction(InstructionKind::Ownership);
        i.owner_person.clear();
        assert_eq!(i.check(today, limit), Err("请填写责任人".into()));
    }

    #[test]
    fn day_figures_count_waits_talks_and_no_shows() {
        let t =
            |status, arrived: &str, called: Option<&str>, started: Option<&str>, finished: Option<&str>| TicketTimes {
                status,
                arrived_at: at(arrived),
                called_at: called.map(at),
                started_at: started.map(at),
                finished_at: finished.map(at),
            };
        use TicketStatus as S;
        let tickets = [
            t(S::Done, "08:30", Some("08:40"), Some("08:41"), Some("09:01")), // waited 10, talked 20
            t(S::Done, "08:35", Some("09:05"), Some("09:05"), Some("09:15")), // waited 30, talked 10
            t(S::Left, "08:50", None, None, None),
            t(S::Waiting, "09:00", None, None, None), // waiting 60 at 10:00
        ];
        let s = DayStats::of(tickets, at("10:00"));
        assert_eq!((s.arrived, s.waiting, s.seen, s.no_shows), (4, 1, 2, 1));
        assert_eq!((s.average_wait, s.longest_wait, s.average_talk), (Some(20), Some(60), Some(15)));
        assert_eq!(DayStats::of([], at("10:00")), DayStats::default());
    }

    #[test]
    fn the_help_describes_the_rule_with_this_desks_numbers() {
        let rules = QueueRules { appointment_window_minutes: 20, skip_returns_after_calls: 2, ..QueueRules::default() };
        let text = rules.describe().join("\n");
        assert!(text.contains("预约时间前 20 分钟") && text.contains("再叫 2 个号后"), "{text}");
    }

    #[test]
    fn ticket_numbers_have_three_digits() {
        assert_eq!(ticket_number("A", 7), "A007");
        assert_eq!(ticket_number("Y", 123), "Y123");
        assert_eq!(ticket_number("A", 1000), "A1000");
    }
}
