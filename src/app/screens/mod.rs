//! The tab screens: the bottom of the focus stack. Each keeps its state while
//! another tab is shown (the intake's unsaved input, the search query).

pub mod home;
pub mod intake;
pub mod queue;
pub mod reminders;
pub mod reports;
pub mod search;

use super::Screen;
use super::pane::Pane;

pub struct Screens {
    pub home: home::Home,
    pub intake: intake::IntakeForm,
    pub queue: queue::QueueState,
    pub search: search::SearchState,
    pub reminders: reminders::RemindersState,
    pub reports: reports::ReportsState,
}

impl Screens {
    pub fn pane(&self, s: Screen) -> &dyn Pane {
        match s {
            Screen::Home => &self.home,
            Screen::Intake => &self.intake,
            Screen::Queue => &self.queue,
            Screen::Search => &self.search,
            Screen::Reminders => &self.reminders,
            Screen::Reports => &self.reports,
        }
    }

    pub fn pane_mut(&mut self, s: Screen) -> &mut dyn Pane {
        match s {
            Screen::Home => &mut self.home,
            Screen::Intake => &mut self.intake,
            Screen::Queue => &mut self.queue,
            Screen::Search => &mut self.search,
            Screen::Reminders => &mut self.reminders,
            Screen::Reports => &mut self.reports,
        }
    }
}
