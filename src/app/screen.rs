//! The screens of the desk, in the order of the tab bar.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Home,
    Intake,
    Queue,
    Search,
    Reminders,
    Reports,
    /// One case, opened from a list (not a tab of its own).
    Detail,
}

impl Screen {
    pub const ALL: [Screen; 6] =
        [Screen::Home, Screen::Intake, Screen::Queue, Screen::Search, Screen::Reminders, Screen::Reports];

    /// The tab the screen belongs to (the detail pane has none).
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
