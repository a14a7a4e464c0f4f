//! Queue benchmark: a reception day with 500 tickets (mixed states, some
//! with priority or a group), then the time to redraw the queue screen at
//! 120x40 and 200x50, and to reload it after another desk's change.
//!
//! ```sh
//! cargo run --release --example bench_queue
//! ```

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use xfdesk::app::{Action, App, Clock, Screen, Session};
use xfdesk::domain::queue::{QueueRules, TicketMove};
use xfdesk::domain::{Case, IdType, Petitioner, id_card};
use xfdesk::store::cases::Registration;
use xfdesk::store::queue::{self, CheckIn, NewReceptionDay, Priority};
use xfdesk::store::{Store, cases};
use xfdesk::ui::{self, Theme};

const TICKETS: usize = 500;
const RUNS: usize = 300;

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("queue.db"))?;
    let now: NaiveDateTime = chrono::Local::now().naive_local();
    xfdesk::store::demo::load_if_empty(&mut store, "410803", now)?;
    let template = cases::get(store.conn(), 1)?.expect("the demo has cases");
    let day = NewReceptionDay {
        date: now.date(),
        time_slot: "全天".into(),
        place: "区信访局接待大厅".into(),
        leader: "李明华".into(),
        leader_post: "区委书记".into(),
        ..NewReceptionDay::default()
    };
    let day_id = queue::create_day(&mut store, &day, now)?;
    let rules = QueueRules::default();
    for i in 0..TICKETS {
        let first17 = format!("4108031960{:02}{:02}{:03}", i % 12 + 1, i % 28 + 1, i);
        let petitioner = Petitioner {
            name: ["张三", "李建国", "欧阳秀英", "王"][i % 4].to_string(),
            id_type: Some(IdType::ResidentId),
            id_number: Some(format!("{first17}{}", id_card::check_char(&first17).expect("17 digits"))),
            ..Petitioner::default()
        };
        let case = Case {
            id: None,
            number: String::new(),
            registered_at: now,
            petitioner_ids: Vec::new(),
            ..template.clone()
        };
        let reg = Registration {
            petitioners: vec![petitioner],
            case,
            number_prefix: "410803".into(),
            same_person: Vec::new(),
        };
        let case_id = cases::register(&mut store, &reg)?.case_id;
        let c = CheckIn {
            day_id,
            case_id,
            at: now - chrono::Duration::minutes((TICKETS - i) as i64 / 2),
            booked_at: None,
            priority: (i % 37 == 0).then(|| Priority { reason: "年老".into(), granted_by: "bench".into() }),
            group_size: if i % 50 == 0 { 6 } else { 1 },
            clerk: "bench".into(),
        };
        queue::check_in(&mut store, &c, &rules)?;
    }
    for _ in 0..120 {
        let t = queue::call_next(&mut store, day_id, "bench", now, &rules)?.expect("tickets wait");
        queue::apply(&mut store, t.id, TicketMove::Start, "bench", now)?;
        queue::apply(&mut store, t.id, TicketMove::Finish, "bench", now)?;
    }

    let session = Session { operator: "bench".into(), desk: "bench".into(), ..Session::default() };
    let mut app = App::new(store, session, Clock::System)?;
    app.update(Action::GoTo(Screen::Queue));
    assert_eq!(app.queue().rows.len(), TICKETS);
    let theme = Theme::new(false);
    println!("接访队列：{TICKETS} 个号（已接谈 120），每项 {RUNS} 次");
    println!("{} {} {} {}", pad("项目", 24), pad_left("中位数ms", 10), pad_left("p99ms", 10), pad_left("最大ms", 10));
    for (w, h) in [(120, 40), (200, 50)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h))?;
        let times = measure(|| {
            app.tick();
            terminal.draw(|f| ui::draw(f, &app, &theme))?;
            Ok(())
        })?;
        report(&format!("重绘 {w}x{h}"), times);
    }
    // Another desk calls someone: the reload this desk does on its next tick.
    let mut other = Store::open(&dir.path().join("queue.db"))?;
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = queue::call_next(&mut other, day_id, "2号窗口", now, &rules)?.expect("tickets wait");
        queue::apply(&mut other, t.id, TicketMove::Skip, "2号窗口", now)?;
        let start = Instant::now();
        app.tick();
        terminal.draw(|f| ui::draw(f, &app, &theme))?;
        times.push(start.elapsed());
    }
    report("他处叫号后重新读取并重绘", times);
    Ok(())
}

fn measure(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    Ok(times)
}

fn pad(s: &str, w: usize) -> String {
    xfdesk::text::pad(s, w)
}

fn pad_left(s: &str, w: usize) -> String {
    xfdesk::text::pad_left(s, w)
}

fn report(kind: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!("{} {:>10.3} {:>10.3} {:>10.3}", pad(kind, 24), ms(p(0.5)), ms(p(0.99)), ms(times[times.len() - 1]));
}
