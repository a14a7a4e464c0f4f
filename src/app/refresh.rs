//! Keeping the shown data current: other desks' commits seen on each tick,
//! the screens' workers' answers taken, errors on the status bar.

use super::opening::Opening;
use super::popups::detail::Detail;
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
        let mut failed = vec![self.screens.home.poll(), self.screens.reminders.poll(), self.screens.search.poll()];
        failed.extend(self.details().map(Detail::poll));
        failed.push(self.opened(|o| o.poll()));
        for e in failed.into_iter().flatten() {
            self.notify_error(&e);
        }
    }

    /// A case or profile read on the worker goes on top of the stack.
    fn opened(
        &mut self,
        take: impl FnOnce(&mut Opening) -> Option<Result<Option<Popup>, StoreError>>,
    ) -> Option<StoreError> {
        match take(&mut self.opening)? {
            Ok(Some(popup)) => self.stack.push(popup),
            Ok(None) => self.notice = Some(Notice { text: strings::app::GONE.into(), is_error: true }),
            Err(e) => return Some(e),
        }
        None
    }

    fn details(&mut self) -> impl Iterator<Item = &mut Detail> {
        self.stack.iter_mut().filter_map(|p| if let Popup::Detail(d) = p { Some(&mut **d) } else { None })
    }

    /// Whether a worker is reading for what is shown (the event loop then
    /// wakes often enough to show the answer as soon as it is in).
    pub fn is_loading(&self) -> bool {
        let detail = self.stack.iter().any(|p| matches!(p, Popup::Detail(d) if d.is_loading()));
        detail
            || self.opening.busy().is_some()
            || self.screens.home.busy().is_some()
            || self.screens.reminders.busy().is_some()
            || self.screens.search.busy()
            || self.screens.reports.is_busy()
    }

    /// What the status bar says is being opened.
    pub fn opening(&self) -> Option<&'static str> {
        self.opening.busy()
    }

    /// Block until every screen's worker has answered (tests and benchmarks:
    /// the desk itself never waits).
    /// (The reports' worker has its own `reports_mut().wait()`.)
    pub fn finish_loads(&mut self) {
        let mut failed = vec![self.screens.home.wait(), self.screens.reminders.wait(), self.screens.search.wait()];
        failed.extend(self.details().map(Detail::wait));
        failed.push(self.opened(|o| o.wait()));
        // What was just opened may itself be reading afresh.
        failed.extend(self.details().map(Detail::wait));
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
