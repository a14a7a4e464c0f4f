//! The gate's screen: a plain background, the program's name (and 演示 on
//! the demo), the sign-in form — and nothing of the data behind it.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Clear;

use super::{Theme, form};
use crate::app::gate::Gate;

pub fn draw(frame: &mut Frame, gate: &Gate, demo: bool, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Clear, area);
    let title = if demo { " 信访接待台 [演示]" } else { " 信访接待台" };
    frame.render_widget(Line::styled(title, theme.header()), area);
    form::draw(frame, area, &gate.form, theme);
}
