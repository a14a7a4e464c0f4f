//! Application state and its update step: events in, state changes out.
//! No drawing here (see `ui`) and no SQL (see `store`).

mod action;
pub mod choice;
pub mod detail;
pub mod fields;
pub mod intake;
pub mod keymap;
pub mod queue;
pub mod reminders;
pub mod reports;
mod screen;
pub mod search;

pub use action::Action;
pub use screen::Screen;
pub use search::SearchState;

use detail::{Detail, Reveal};
use intake::{Desk, Dialog, IntakeForm};
use queue::QueueState;
use reminders::{ReminderForm, RemindersState};

use chrono::NaiveDateTime;
use crossterm::event::{Event, KeyEventKind};

use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::Bucket;
use crate::store::cases::{self, CaseSummary, Counts};
use crate::store::deadlines::DueItem;
use crate::store::reference::ReferenceData;
use crate::store::{Store, StoreError};

/// Rows moved by PageUp/PageDown.
const PAGE: isize = 10;

/// How many recent cases the home screen lists.
const RECENT_LIMIT: usize = 100;
/// Open clocks the worklists show at most, and how far ahead (days).
const WORKLIST_LIMIT: usize = 500;
const WORKLIST_DAYS: u32 = 7;

/// Where "now" comes from: the wall clock, or a fixed instant in tests and
/// snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(NaiveDateTime),
}

impl Clock {
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Facts about the session (shown in the status bar) and the settings views need.
#[derive(Debug, Clone)]
pub struct Session {
    pub office: String,
    pub operator: String,
    pub db_label: String,
    pub demo: bool,
    /// A clock this many days from its end shows as due soon.
    pub due_soon_days: u32,
    /// Default 交办 deadline, in working days.
    pub assign_working_days: u32,
    /// When reminder calls are due.
    pub reminder_rules: crate::domain::reminder::ReminderRules,
    /// Ticket series and calling rules of reception days.
    pub queue_rules: crate::domain::queue::QueueRules,
    /// Early-warning thresholds (badges and the 预警 list).
    pub warning_rules: crate::domain::warning::WarningRules,
    /// The local choices in the metrics' formulas.
    pub metric_rules: crate::domain::metrics::MetricRules,
    /// The weekday report weeks end on.
    pub week_end: chrono::Weekday,
    /// 审核领导 on the weekly report.
    pub reviewer: String,
    /// Whose intake draft this process keeps (one per desk).
    pub desk: String,
    pub number_prefix: String,
    pub phone_area: String,
}

impl Session {
    /// The settings of `c` for `operator` at `desk`; `db_label` is shown in the status bar.
    pub fn from_config(c: &crate::config::Config, operator: &str, desk: &str, db_label: &str) -> Session {
        Session {
            office: c.office_name.clone(),
            operator: operator.into(),
            db_label: db_label.into(),
            demo: false,
            due_soon_days: c.deadlines.due_soon_days,
            assign_working_days: c.deadlines.assign_working_days,
            reminder_rules: c.reminders.clone(),
            queue_rules: c.queue.clone(),
            warning_rules: c.warnings.clone(),
            metric_rules: c.metrics.clone(),
            week_end: c.reports.week_end(),
            reviewer: c.reports.reviewer.clone(),
            desk: desk.into(),
            number_prefix: c.case_number_prefix().to_string(),
            phone_area: c.phone_area_code.clone(),
        }
    }
}

impl Default for Session {
    /// The built-in configuration's session (what `Config::default()` gives).
    fn default() -> Self {
        Session::from_config(&crate::config::Config::default(), "登记员", "1号窗口", "")
    }
}

/// One line of the 工作台 list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeRow {
    /// A group title: "已超期（3件）：受理告知 1、办结 2".
    Header(String),
    Due(DueItem),
    Recent(CaseSummary),
}

impl HomeRow {
    pub fn case_id(&self) -> Option<i64> {
        match self {
            HomeRow::Header(_) => None,
            HomeRow::Due(d) => Some(d.case_id),
            HomeRow::Recent(c) => Some(c.id),
        }
    }
}

/// The 工作台 (home) screen's state: the worklists, then the newest registrations.
#[derive(Debug, Default)]
pub struct Home {
    pub counts: Counts,
    /// How many open clocks fall in each worklist group.
    pub due_counts: Vec<(Bucket, usize)>,
    pub rows: Vec<HomeRow>,
    /// Index into `rows`, never on a header.
    pub selected: usize,
}

impl Home {
    fn select(&mut self, action: Action) {
        let selectable: Vec<usize> =
            self.rows.iter().enumerate().filter(|(_, r)| r.case_id().is_some()).map(|(i, _)| i).collect();
        let Some(pos) = selectable.iter().position(|i| *i >= self.selected).or(selectable.len().checked_sub(1)) else {
            return;
        };
        let pos = match action {
            Action::SelectNext => (pos + 1).min(selectable.len() - 1),
            Action::SelectPrev => pos.saturating_sub(1),
            Action::SelectFirst => 0,
            Action::SelectLast => selectable.len() - 1,
            _ => pos,
        };
        self.selected = selectable[pos];
    }

    fn selected_case(&self) -> Option<i64> {
        self.rows.get(self.selected).and_then(HomeRow::case_id)
    }

    /// Rebuild the rows from the worklist groups and the recent cases.
    fn fill(&mut self, groups: Vec<(Bucket, Vec<DueItem>)>, recent: Vec<CaseSummary>, soon_days: i64) {
        let selected = self.selected_case();
        self.rows.clear();
        for (bucket, items) in groups.into_iter().filter(|(_, items)| !items.is_empty()) {
            let mut kinds: Vec<(&str, usize)> = Vec::new();
            for i in &items {
                match kinds.iter_mut().find(|(k, _)| *k == i.clock) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((i.clock, 1)),
                }
            }
            let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            self.rows.push(HomeRow::Header(format!(
                "{}（{}件）：{}",
                bucket.label(soon_days),
                items.len(),
                kinds.join("、")
            )));
            self.rows.extend(items.into_iter().map(HomeRow::Due));
        }
        self.rows.push(HomeRow::Header(format!("最近登记（{}件）", recent.len())));
        self.rows.extend(recent.into_iter().map(HomeRow::Recent));
        self.selected = selected.and_then(|id| self.rows.iter().position(|r| r.case_id() == Some(id))).unwrap_or(0);
        if self.rows.get(self.selected).is_some_and(|r| r.case_id().is_none()) {
            // Onto the first case at or after a group title.
            self.select(Action::Refresh);
        }
    }
}

/// A one-line message for the status bar (e.g. a failed refresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    pub store: Store,
    pub reference: ReferenceData,
    pub calendar: HolidayCalendar,
    pub session: Session,
    pub clock: Clock,
    pub screen: Screen,
    pub help_open: bool,
    pub home: Home,
    pub search: SearchState,
    pub intake: IntakeForm,
    /// The case open in the detail pane, over whichever screen opened it.
    pub detail: Option<Detail>,
    pub reminders: RemindersState,
    pub queue: QueueState,
    pub reports: reports::ReportsState,
    /// The reminder-call form, over the 督促 list or a case's detail pane.
    pub reminder_form: Option<ReminderForm>,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// The database's `data_version` at the last load: when another process
    /// commits, it changes, and we reload.
    seen_data_version: i64,
}

impl App {
    pub fn new(store: Store, session: Session, clock: Clock) -> Result<App, StoreError> {
        let reference = ReferenceData::load(store.conn())?;
        let calendar = crate::store::calendar::load(store.conn())?;
        let intake = IntakeForm::new(clock.now(), &session.phone_area);
        let mut app = App {
            store,
            reference,
            calendar,
            session,
            clock,
            screen: Screen::Home,
            help_open: false,
            home: Home::default(),
            search: SearchState::new(),
            intake,
            detail: None,
            reminders: RemindersState::default(),
            queue: QueueState::default(),
            reports: reports::ReportsState::default(),
            reminder_form: None,
            notice: None,
            should_quit: false,
            seen_data_version: 0,
        };
        app.reload()?;
        app.intake.offer_draft(&app.store, &app.session.desk)?;
        if app.intake.dialog.is_some() {
            app.screen = Screen::Intake;
        }
        Ok(app)
    }

    fn keymap_context(&self) -> keymap::Context {
        if self.reminder_form.is_some() {
            let screen = if self.detail.is_some() { Screen::Detail } else { Screen::Reminders };
            return keymap::Context { screen, help_open: self.help_open, typing: true, popup: true };
        }
        if let Some(d) = &self.detail {
            let popup = d.has_popup();
            return keymap::Context { screen: Screen::Detail, help_open: self.help_open, typing: popup, popup };
        }
        if self.screen == Screen::Queue && self.queue.form.is_some() {
            return keymap::Context { screen: Screen::Queue, help_open: self.help_open, typing: true, popup: true };
        }
        if self.screen == Screen::Queue && (self.queue.day_picker.is_some() || self.queue.appointments.is_some()) {
            return keymap::Context { screen: Screen::Queue, help_open: self.help_open, typing: false, popup: true };
        }
        if self.screen == Screen::Reports && self.reports.form.is_some() {
            return keymap::Context { screen: Screen::Reports, help_open: self.help_open, typing: true, popup: true };
        }
        let (has_field, popup) = match self.screen {
            Screen::Search => (true, !self.search.popups.is_empty()),
            Screen::Intake => (true, self.intake.picker.is_some() || self.intake.dialog.is_some()),
            _ => (false, false),
        };
        keymap::Context { screen: self.screen, help_open: self.help_open, typing: has_field && !popup, popup }
    }

    fn desk(&self) -> Desk {
        Desk {
            clerk: self.session.operator.clone(),
            desk: self.session.desk.clone(),
            number_prefix: self.session.number_prefix.clone(),
        }
    }

    /// A text field has the keyboard (the IME's candidate window follows its cursor).
    pub fn is_typing(&self) -> bool {
        let ctx = self.keymap_context();
        ctx.typing && !ctx.help_open
    }

    /// The bindings the help bar shows right now.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        let status = self.detail.as_ref().map(|d| d.dossier.case.status);
        let on_reports = self.detail.is_none() && self.screen == Screen::Reports;
        keymap::bar_hints(self.keymap_context(), |action| match action {
            Action::Case(kind) => status.is_none_or(|s| kind.is_allowed(s)),
            _ if on_reports => self.reports.offers(action),
            _ => true,
        })
    }

    /// Turn a terminal event into state changes.
    pub fn handle_event(&mut self, event: &Event) {
        match event {
            // Key releases and repeats (kitty protocol, Windows) must not act twice.
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                if let Some(action) = keymap::lookup(key, self.keymap_context()) {
                    self.update(action);
                } else if let Some(req) = tui_input::backend::crossterm::to_input_request(event) {
                    self.type_into(req);
                }
            }
            // A paste arrives whole and never triggers shortcuts.
            Event::Paste(text) if self.reminder_form.is_some() => {
                if let Some(f) = &mut self.reminder_form {
                    f.form.paste(text);
                }
            }
            Event::Paste(text) if self.detail.as_ref().is_some_and(|d| d.form.is_some()) => {
                if let Some(f) = self.detail.as_mut().and_then(|d| d.form.as_mut()) {
                    f.form.paste(text);
                }
            }
            Event::Paste(text) if self.screen == Screen::Queue && self.detail.is_none() => {
                if let Some(f) = &mut self.queue.form {
                    f.form.paste(text);
                    if let Err(e) = f.look_up_prior(&self.store) {
                        self.notify_error(&e);
                    }
                }
            }
            Event::Paste(text) if self.screen == Screen::Reports && self.detail.is_none() => {
                if let Some(f) = &mut self.reports.form {
                    f.form.paste(text);
                }
            }
            Event::Paste(text) if self.is_typing() => match self.screen {
                Screen::Intake => self.intake.paste(text),
                _ => self.search.paste(text),
            },
            _ => {}
        }
    }

    /// A key no binding took goes into the field (or picker) that has the keyboard.
    fn type_into(&mut self, req: tui_input::InputRequest) {
        if let Some(f) = &mut self.reminder_form {
            f.form.edit(req);
            return;
        }
        if let Some(d) = &mut self.detail {
            if let Some(f) = &mut d.form {
                f.form.edit(req);
            } else if let Some(r) = &mut d.reveal {
                fields::edit_input(&mut r.reason, req);
            }
            return;
        }
        match self.screen {
            Screen::Queue => {
                if let Some(f) = &mut self.queue.form {
                    f.form.edit(req);
                    if let Err(e) = f.look_up_prior(&self.store) {
                        self.notify_error(&e);
                    }
                }
            }
            Screen::Reports => {
                if let Some(f) = &mut self.reports.form {
                    f.form.edit(req);
                }
            }
            Screen::Intake if self.intake.picker.is_some() => self.intake.picker_edit(req),
            Screen::Intake if self.intake.dialog.is_none() && !self.help_open => self.intake.edit(req),
            Screen::Search if self.is_typing() => self.search.edit(req),
            _ => {}
        }
    }

    pub fn update(&mut self, action: Action) {
        if self.reminder_form.is_some() && self.update_reminder_form(action) {
            return;
        }
        if self.detail.is_some() && self.update_detail(action) {
            return;
        }
        if self.screen == Screen::Intake && self.update_intake(action) {
            return;
        }
        if self.screen == Screen::Reminders && self.update_reminders(action) {
            return;
        }
        if self.screen == Screen::Queue && self.update_queue(action) {
            return;
        }
        if self.screen == Screen::Reports && self.update_reports(action) {
            return;
        }
        match action {
            Action::Quit => {
                if self.intake.has_unsaved_input() {
                    // Ask first; the draft is kept either way.
                    self.intake.dialog = Some(Dialog::Leave { quit: true });
                    self.screen = Screen::Intake;
                } else {
                    self.should_quit = true;
                }
            }
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::CloseOverlay => self.help_open = false,
            Action::GoTo(screen) => self.go_to(screen),
            Action::NextScreen => self.go_to(self.screen.next()),
            Action::PrevScreen => self.go_to(self.screen.prev()),
            Action::SelectNext => self.select(1),
            Action::SelectPrev => self.select(-1),
            Action::PageDown => self.select(PAGE),
            Action::PageUp => self.select(-PAGE),
            Action::SelectFirst | Action::SelectLast => self.home.select(action),
            Action::Open => {
                let case = match self.screen {
                    Screen::Home => Ok(self.home.selected_case()),
                    _ => self.search.open_selected(&self.store, &self.calendar),
                };
                match case {
                    Ok(Some(id)) => self.open_case(id),
                    Ok(None) => {}
                    Err(e) => self.notify_error(&e),
                }
            }
            Action::Back if !self.search.back() => self.go_to(Screen::Home),
            Action::Back => {}
            Action::ToggleOpenOnly => self.search.toggle_open_only(),
            Action::Refresh => self.reload_or_notify(),
            _ => {}
        }
    }

    /// Actions on the intake screen. Returns false for those it leaves to the
    /// general update (quitting without unsaved input, switching screens …).
    fn update_intake(&mut self, action: Action) -> bool {
        let f = &mut self.intake;
        if let Some(dialog) = f.dialog.clone() {
            let yes = match action {
                Action::Open => true,
                Action::Back => false,
                Action::Quit if dialog == (Dialog::Leave { quit: true }) => {
                    // Ctrl-C twice: quit (the draft stays for next time).
                    self.should_quit = true;
                    return true;
                }
                Action::Quit | Action::GoTo(_) | Action::ToggleHelp => return false,
                _ => return true,
            };
            let result = match dialog {
                Dialog::Recover { .. } => f.recover(yes, &mut self.store, &self.session.desk),
                Dialog::Leave { quit } => {
                    f.dialog = None;
                    if yes && quit {
                        self.should_quit = true;
                    } else if yes {
                        self.abandon_intake();
                    }
                    Ok(())
                }
            };
            if let Err(e) = result {
                self.notify_error(&e);
            }
            return true;
        }
        if f.picker.is_some() {
            match action {
                Action::SelectNext => f.picker_move(1),
                Action::SelectPrev => f.picker_move(-1),
                Action::Open => f.picker_choose(),
                Action::Back => f.picker = None,
                _ => return false,
            }
            return true;
        }
        match action {
            Action::NextField => f.move_focus(1),
            Action::PrevField => f.move_focus(-1),
            Action::Open => f.confirm_field(),
            Action::NewLine => f.newline(),
            Action::AddPerson => f.add_person(),
            Action::RemovePerson => f.remove_person(),
            Action::LinkNext => f.next_link(),
            _ => return self.update_intake_store(action),
        }
        true
    }

    /// The intake actions that read or write the database.
    fn update_intake_store(&mut self, action: Action) -> bool {
        let f = &mut self.intake;
        let result = match action {
            Action::PageDown => f.select_prior(1, &self.store, &self.reference, &self.calendar),
            Action::PageUp => f.select_prior(-1, &self.store, &self.reference, &self.calendar),
            Action::TakeOver => f.take_over(&self.store, &self.reference),
            Action::Back => {
                if f.has_unsaved_input() {
                    f.dialog = Some(Dialog::Leave { quit: false });
                } else {
                    self.screen = Screen::Home;
                }
                Ok(())
            }
            Action::Save => {
                let desk = self.desk();
                let now = self.clock.now();
                match self.intake.save(&mut self.store, &self.reference, &desk, now) {
                    Ok(Some(saved)) => {
                        if saved.to_leader {
                            let queued = match self.take_number(saved.case_id) {
                                Ok(t) => (format!("已登记 {}，已取号 {}（领导接谈）", saved.number, t.number), false),
                                Err(e) => (format!("已登记 {}，未能取号：{e}", saved.number), true),
                            };
                            self.intake.message = Some(queued);
                        }
                        self.reload_or_notify();
                        Ok(())
                    }
                    Ok(None) => Ok(()),
                    Err(e) => {
                        // Nothing was written (one transaction); the form keeps every value.
                        self.intake.message = Some((format!("保存失败，内容仍在表中：{e}"), true));
                        Ok(())
                    }
                }
            }
            _ => return false,
        };
        if let Err(e) = result {
            self.notify_error(&e);
        }
        true
    }

    /// Open a case in the detail pane.
    pub fn open_case(&mut self, case_id: i64) {
        let opened = Detail::open(&self.store, case_id, &self.reference, &self.calendar).and_then(|d| {
            d.map(|mut d| {
                d.warnings = self.case_warnings(&d.dossier.case)?;
                Ok(d)
            })
            .transpose()
        });
        match opened {
            Ok(d) => self.detail = d,
            Err(e) => self.notify_error(&e),
        }
    }

    /// A case's own warnings and its representative's, each kind once.
    fn case_warnings(&self, case: &crate::domain::Case) -> Result<Vec<crate::domain::warning::Warning>, StoreError> {
        let today = self.clock.now().date();
        crate::store::warnings::of_case(self.store.conn(), &self.reference, case, today, &self.session.warning_rules)
    }

    /// Actions while the detail pane is open. Returns false for those it
    /// leaves to the general update (quit, help, switching screens).
    fn update_detail(&mut self, action: Action) -> bool {
        let now = self.clock.now();
        let actor = self.session.operator.clone();
        let Some(d) = &mut self.detail else { return false };
        let result = if d.has_popup() {
            match action {
                Action::Open if d.form.is_some() => {
                    d.submit(&mut self.store, &actor, now, &self.reference, &self.calendar)
                }
                Action::Open => d.confirm_reveal(&mut self.store, &actor, now, &self.reference, &self.calendar),
                Action::Quit => return false,
                other => {
                    d.popup_key(other);
                    Ok(())
                }
            }
        } else {
            match action {
                Action::Case(kind) => {
                    let days = self.session.assign_working_days;
                    let assign_due = crate::domain::deadline::working_days_after(now.date(), days, &self.calendar);
                    d.start(kind, now.date(), assign_due, &self.reference);
                }
                Action::Remind => {
                    let id = d.case_id;
                    self.open_reminder(id, false);
                }
                Action::CheckIn => {
                    let id = d.case_id;
                    self.check_in(id);
                }
                Action::RevealContent => d.ask_reveal(Reveal::Content),
                Action::RevealIdentity => d.ask_next_identity(),
                Action::SelectNext => d.scroll_by(1),
                Action::SelectPrev => d.scroll_by(-1),
                Action::PageDown => d.scroll_by(PAGE),
                Action::PageUp => d.scroll_by(-PAGE),
                Action::Back => {
                    self.detail = None;
                    // The case may have moved on: refresh the lists it came from.
                    self.search.dirty = true;
                    self.reload_or_notify();
                }
                Action::GoTo(_) | Action::NextScreen | Action::PrevScreen => {
                    self.detail = None;
                    return false;
                }
                _ => return false,
            }
            Ok(())
        };
        if let Err(e) = result {
            self.notify_error(&e);
        }
        true
    }

    /// Give up the registration in progress: form and draft are cleared.
    fn abandon_intake(&mut self) {
        let now = self.clock.now();
        let mut fresh = IntakeForm::new(now, &self.session.phone_area);
        std::mem::swap(&mut self.intake, &mut fresh);
        if let Err(e) = crate::store::drafts::discard(&mut self.store, &self.session.desk) {
            self.notify_error(&e);
        }
        self.screen = Screen::Home;
    }

    fn go_to(&mut self, screen: Screen) {
        if screen == Screen::Search && self.screen != Screen::Search {
            // Other desks may have registered since: search afresh.
            self.search.dirty = true;
        }
        self.screen = screen;
        if screen == Screen::Reminders {
            self.reload_reminders();
        }
        if screen == Screen::Queue {
            self.reload_queue();
        }
        if screen == Screen::Reports {
            self.show_reports();
        }
    }

    fn reload_reminders(&mut self) {
        let today = self.clock.now().date();
        if let Err(e) = self.reminders.reload(&self.store, today, &self.session.reminder_rules, &self.calendar) {
            self.notify_error(&e);
        }
    }

    /// Open the call form for a case (`failed`: a failed call, ready to save).
    fn open_reminder(&mut self, case_id: i64, failed: bool) {
        let number = cases::summary(self.store.conn(), case_id).map(|s| s.number).unwrap_or_default();
        let reason = self.reminders.due.iter().find(|d| d.case_id == case_id).and_then(|d| d.reasons.first().cloned());
        match ReminderForm::open(
            &self.store,
            case_id,
            &number,
            reason.as_ref(),
            self.clock.now(),
            failed,
            &self.reference,
        ) {
            Ok(f) => self.reminder_form = Some(f),
            Err(e) => self.notify_error(&e),
        }
    }

    /// Keys while the call form is open.
    fn update_reminder_form(&mut self, action: Action) -> bool {
        let Some(f) = &mut self.reminder_form else { return false };
        match action {
            Action::Open => {
                let caller = self.session.operator.clone();
                match f.submit(&mut self.store, &caller, &self.session.phone_area) {
                    Ok(true) => {
                        self.reminder_form = None;
                        self.reminders.message = Some(("已记录督促".into(), false));
                        self.reload_reminders();
                        self.reload_or_notify();
                    }
                    Ok(false) => {}
                    Err(e) => self.notify_error(&e),
                }
            }
            Action::Back => self.reminder_form = None,
            Action::Quit => return false,
            other => f.form.navigate(other),
        }
        true
    }

    /// Keys on the 督促 screen.
    fn update_reminders(&mut self, action: Action) -> bool {
        let selected = self.reminders.selected_due().map(|d| d.case_id);
        match action {
            Action::SelectNext => self.reminders.move_selection(1),
            Action::SelectPrev => self.reminders.move_selection(-1),
            Action::ToggleUnits => self.reminders.toggle_view(),
            Action::Refresh => self.reload_reminders(),
            Action::Open if self.reminders.view == reminders::View::Units => {
                self.reminders.choose_unit();
                self.reload_reminders();
            }
            Action::Open | Action::FailedCall => {
                if let Some(id) = selected {
                    self.open_reminder(id, action == Action::FailedCall);
                }
            }
            Action::OpenCase => {
                if let Some(id) = selected {
                    self.open_case(id);
                }
            }
            // From a unit's line: a call about that unit's most pressing case.
            Action::Remind => {
                let unit = self.reminders.units.get(self.reminders.selected).map(|u| u.unit.clone());
                let case =
                    unit.as_ref().and_then(|u| self.reminders.due.iter().find(|d| &d.unit == u)).map(|d| d.case_id);
                match case {
                    Some(id) if self.reminders.view == reminders::View::Units => self.open_reminder(id, false),
                    _ => self.reminders.message = Some(("该单位今天没有待督促的事项".into(), true)),
                }
            }
            _ => return false,
        }
        true
    }

    fn select(&mut self, delta: isize) {
        match self.screen {
            Screen::Search => self.search.move_selection(delta),
            _ => self.home.select(if delta > 0 { Action::SelectNext } else { Action::SelectPrev }),
        }
    }

    /// Work deferred until every pending event has been handled: the search
    /// runs once per frame, however fast the clerk types.
    pub fn settle(&mut self) {
        self.poll_reports();
        let result = match self.screen {
            Screen::Search => {
                let today = self.clock.now().date();
                let (refs, rules) = (&self.reference, &self.session.warning_rules);
                self.search.settle(&self.store, &self.calendar, today, refs, rules)
            }
            Screen::Intake => {
                self.intake.today = self.clock.now().date();
                self.intake.load_picker(&self.reference);
                let now = self.clock.now();
                let rules = &self.session.warning_rules;
                self.intake.settle(&mut self.store, &self.reference, &self.calendar, &self.session.desk, now, rules)
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.notify_error(&e);
        }
    }

    /// Called when no event arrived for a tick: pick up other desks' changes.
    pub fn tick(&mut self) {
        self.poll_reports();
        if self.screen == Screen::Queue {
            // Appointment windows open as time passes: the line may change with no write.
            self.queue.arrange(self.clock.now(), &self.session.queue_rules);
        }
        match self.store.data_version() {
            Ok(v) if v != self.seen_data_version => self.reload_or_notify(),
            Ok(_) => {}
            Err(e) => self.notify_error(&e),
        }
    }

    fn reload_or_notify(&mut self) {
        if let Err(e) = self.reload() {
            self.notify_error(&e);
        }
    }

    fn notify_error(&mut self, e: &StoreError) {
        tracing::error!("{e}");
        self.notice = Some(Notice { text: format!("读取数据失败：{e}"), is_error: true });
    }

    fn reload(&mut self) -> Result<(), StoreError> {
        self.seen_data_version = self.store.data_version()?;
        let conn = self.store.conn();
        let today = self.clock.now().date();
        let soon = i64::from(self.session.due_soon_days);
        self.home.counts = cases::counts(conn, today)?;
        let groups = crate::store::deadlines::worklist(conn, today, WORKLIST_DAYS, soon, WORKLIST_LIMIT)?;
        let recent = cases::recent(conn, RECENT_LIMIT)?;
        self.home.fill(groups, recent, soon);
        self.home.due_counts = crate::store::deadlines::bucket_counts(conn, today, soon)?;
        self.mark_reports_stale();
        if self.screen == Screen::Queue {
            let now = self.clock.now();
            self.queue.reload(&self.store, today, now, &self.session.queue_rules, &self.session.warning_rules)?;
        }
        let fresh = match &self.detail {
            Some(d) => Detail::open(&self.store, d.case_id, &self.reference, &self.calendar)?,
            None => None,
        };
        if let Some(fresh) = fresh {
            let warnings = self.case_warnings(&fresh.dossier.case)?;
            if let Some(d) = &mut self.detail {
                d.dossier = fresh.dossier;
                d.warnings = warnings;
            }
        }
        Ok(())
    }
}
