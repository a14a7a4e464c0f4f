//! Keeping the shown data current: other desks' commits seen on each tick,
//! the screens' workers' answers taken, errors on the status bar.

use super::{App, Notice, Popup, Screen, strings};
use crate::store::StoreError;

impl App {
    /// Called when no event arrived for a tick: pick up other desks' changes.
    pub fn tick(&mut self) {
        self.lock_if_idle();
        self.take_loads();
        if self.screen == Screen::Queue {
            // Appointment windows open as time passes: the line may change with no write.
            self.screens.queue.arrange(self.env.now(), &self.env.session.queue_rules);
        }
        match self.env.store.data_version() {
            Ok(v) if v != self.seen_data_version => self.reload_or_notify(),
            Ok(_) => {}
            Err(e) => self.notify_error(&e),
        }
    }

    /// Pick up what the screens' workers finished.
    pub(super) fn take_loads(&mut self) {
        self.screens.reports.poll();
        let failed = [self.screens.home.poll(), self.screens.reminders.poll()];
        for e in failed.into_iter().flatten() {
            self.notify_error(&e);
        }
    }

    /// Block until every screen's worker has answered (tests and benchmarks:
    /// the desk itself never waits).
    /// (The reports' worker has its own `reports_mut().wait()`.)
    pub fn finish_loads(&mut self) {
        let failed = [self.screens.home.wait(), self.screens.reminders.wait()];
        for e in failed.into_iter().flatten() {
            self.notify_error(&e);
        }
    }

    pub(super) fn reload_or_notify(&mut self) {
        if let Err(e) = self.reload() {
            self.notify_error(&e);
        }
    }

    pub(super) fn notify_error(&mut self, e: &StoreError) {
        tracing::error!("{}", crate::domain::mask::redact_numbers(&e.to_string()));
        self.notice = Some(Notice { text: strings::app::read_failed(&e.to_string()), is_error: true });
    }

    pub(super) fn reload(&mut self) -> Result<(), StoreError> {
        self.seen_data_version = self.env.store.data_version()?;
        self.screens.home.reload(&self.env)?;
        self.screens.reports.mark_stale(&self.env);
        match self.screen {
            Screen::Queue => self.screens.queue.reload(&self.env)?,
            Screen::Reminders => self.screens.reminders.reload(&self.env)?,
            // The query runs afresh on the next frame: another desk's case may match it now.
            Screen::Search => self.screens.search.dirty = true,
            _ => {}
        }
        for p in &mut self.stack {
            if let Popup::Detail(d) = p {
                d.reload(&self.env)?;
            }
        }
        Ok(())
    }
}
