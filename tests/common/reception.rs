//! A reception day with a leader, and people arriving for it.

use chrono::NaiveDateTime;
use xfdesk::domain::queue::{LeaderInstruction, QueueRules, TicketMove};
use xfdesk::store::queue::{self, CheckIn, NewReceptionDay};
use xfdesk::store::{Store, cases};

use super::*;

pub fn reception_day(store: &mut Store) -> i64 {
    reception_day_on(store, now().date())
}

pub fn reception_day_on(store: &mut Store, date: chrono::NaiveDate) -> i64 {
    let day = NewReceptionDay {
        date,
        time_slot: "上午 9:00-12:00".into(),
        place: "区信访局接待大厅".into(),
        leader: "王建国".into(),
        leader_post: "区委书记".into(),
        portfolio: "全面工作".into(),
        units: "区住建局、区人社局".into(),
        announcement: "".into(),
    };
    queue::create_day(store, &day, now()).unwrap()
}

/// A registered case for the `i`-th petitioner of the day.
pub fn case_for(store: &mut Store, i: usize) -> i64 {
    let id = valid_id(&format!("4108031970{:02}{:02}{:03}", i % 12 + 1, i % 28 + 1, i));
    cases::register(store, &registration(petitioner(&format!("来访人{i}"), &id), &format!("第{i}件"))).unwrap().case_id
}

pub fn arrive(store: &mut Store, day: i64, i: usize, at: NaiveDateTime) -> CheckIn {
    CheckIn {
        day_id: day,
        case_id: case_for(store, i),
        at,
        booked_at: None,
        priority: None,
        group_size: 1,
        clerk: "周敏".into(),
    }
}

/// Case `case_id` checked in with priority, called and in talk with the
/// leader on today's reception day, and the leader's `instruction` recorded.
pub fn instructed(store: &mut Store, case_id: i64, instruction: &LeaderInstruction) {
    let day = match queue::day_on(store.conn(), now().date()).unwrap() {
        Some(d) => d.id,
        None => reception_day(store),
    };
    let c = CheckIn { case_id, ..arrive(store, day, 99, now()) };
    let t = queue::check_in(store, &c, &QueueRules::default()).unwrap();
    queue::call_next(store, day, "周敏", now(), &QueueRules::default()).unwrap();
    queue::apply(store, t.id, TicketMove::Start, "周敏", now()).unwrap();
    let cal = xfdesk::domain::calendar::builtin();
    queue::record_instruction(store, t.id, instruction, "周敏", now(), &cal).unwrap();
}
