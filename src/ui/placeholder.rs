//! Screens whose issue has not landed yet say what they will be for.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, centered, strings};
use crate::app::Screen;
use crate::text;

pub fn draw(frame: &mut Frame, area: Rect, screen: Screen, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::screen_title(screen)), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let lines = vec![
        Line::raw(text::truncate(strings::screen_purpose(screen), w).into_owned()),
        Line::styled(text::truncate(strings::NOT_YET, w).into_owned(), theme.muted()),
    ];
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), centered(inner, inner.width, 2));
}
