//! The desk's lock: after `idle_lock_minutes` without a key, or at once on
//! `Ctrl-L`, everything is hidden behind the gate. The same person's
//! password opens it again exactly where they were (form, draft,
//! selection, popups); another person's sign-in ends this desk — the
//! intake's typing is already this person's draft — and starts theirs.

use std::time::{Duration, Instant};

use crossterm::event::Event;

use super::App;
use super::gate::{Gate, Passed};
use crate::store::Store;
use crate::store::accounts::Account;

impl App {
    /// Lock now (no account signed in: nothing to lock to).
    pub fn lock(&mut self) {
        if let Some(who) = self.env.session.actor.clone() {
            // The typing so far goes to the draft before the screen goes.
            let effects = self.screens.intake.settle_now(&mut self.env);
            self.apply(effects);
            self.gate = Some(Gate::locked(&who));
        }
    }

    /// The lock screen, when the desk is locked.
    pub fn gate(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    /// A key while locked: only the gate sees it.
    pub(super) fn gate_event(&mut self, event: &Event) {
        let Some(gate) = &mut self.gate else { return };
        let (rules, now) = (self.env.session.accounts.clone(), self.env.now());
        match gate.on_event(event, &mut self.env.store, &rules, now) {
            Some(Passed::In(a)) if self.env.session.actor.as_ref().is_some_and(|me| me.id == a.id) => {
                self.gate = None;
                self.last_key = Instant::now();
                self.reload_or_notify();
            }
            Some(Passed::In(other)) => {
                self.next_account = Some(other);
                self.should_quit = true;
            }
            Some(Passed::Quit) => self.should_quit = true,
            None => {}
        }
    }

    /// Lock when no key came for the configured minutes (0: never).
    pub(super) fn lock_if_idle(&mut self) {
        let minutes = self.env.session.accounts.idle_lock_minutes;
        if self.gate.is_none() && minutes > 0 && self.last_key.elapsed() >= Duration::from_secs(u64::from(minutes) * 60)
        {
            self.lock();
        }
    }

    /// As if no key had come for `d` (the idle lock's test; a clock cannot be frozen for `Instant`).
    pub fn idle_for(&mut self, d: Duration) {
        self.last_key = Instant::now().checked_sub(d).unwrap_or(self.last_key);
    }

    /// Who signed in at the lock screen in place of this desk's person.
    pub fn take_next_account(&mut self) -> Option<Account> {
        self.next_account.take()
    }

    /// The store back, for the next person's desk.
    pub fn into_store(self) -> Store {
        self.env.store
    }
}
