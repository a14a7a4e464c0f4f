//! Named style roles. Widgets ask for a role, never for a colour, so the
//! no-colour variant (NO_COLOR or `ui.color = false`) is one switch. Without
//! colour, selection stays visible through REVERSED and a `>` marker.

use crate::domain::deadline::Urgency;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    /// Colour unless the user asked for none (`NO_COLOR` set to anything non-empty).
    pub fn from_env(config_color: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(config_color && !no_color)
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn base(&self) -> Style {
        Style::default()
    }

    pub fn title(&self) -> Style {
        self.pick(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD), Style::new().add_modifier(Modifier::BOLD))
    }

    pub fn tab(&self) -> Style {
        self.pick(Style::new().fg(Color::Gray), Style::new())
    }

    pub fn tab_active(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    pub fn header(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn selected(&self) -> Style {
        self.pick(
            Style::new().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn muted(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    pub fn ok(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    pub fn warning(&self) -> Style {
        self.pick(Style::new().fg(Color::Yellow), Style::new().add_modifier(Modifier::BOLD))
    }

    pub fn danger(&self) -> Style {
        self.pick(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD), Style::new().add_modifier(Modifier::BOLD))
    }

    /// A running clock's colour; `calm` is the screen's colour for a clock with time left.
    pub fn urgency(&self, u: Urgency, calm: Style) -> Style {
        match u {
            Urgency::Pressing => self.danger(),
            Urgency::Soon => self.warning(),
            Urgency::Calm => calm,
            Urgency::Closable => self.ok(),
        }
    }

    /// Words that matched the query.
    pub fn matched(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn status_bar(&self) -> Style {
        self.pick(Style::new().bg(Color::DarkGray).fg(Color::White), Style::new().add_modifier(Modifier::REVERSED))
    }

    pub fn key(&self) -> Style {
        self.pick(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD), Style::new().add_modifier(Modifier::BOLD))
    }

    pub fn border(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }
}
