//! The screens of the desk, in the order of the tab bar.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Home,
    Intake,
    Queue,
    Search,
    Reminders,
    Reports,
}

impl Screen {
    pub const ALL: [Screen; 6] =
        [Screen::Home, Screen::Intake, Screen::Queue, Screen::Search, Screen::Reminders, Screen::Reports];

    /// The screen's place in the tab bar.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Screen {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> Screen {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}
