//! 工作台: today's counts and the most recent registrations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::{Theme, strings};
use crate::app::App;
use crate::domain::mask;
use crate::text;

/// Fixed column widths; the title takes what is left.
const W_NUMBER: usize = 19;
const W_TIME: usize = 11;
const W_NAME: usize = 10;
const W_STATUS: usize = 10;
const W_CATEGORY: usize = 16;
const MARKER: &str = "> ";

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let [summary, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let c = &app.home.counts;
    let counts = strings::home_counts(c.today, c.open, c.total);
    frame.render_widget(
        Paragraph::new(Line::styled(
            text::truncate(&format!(" {counts}"), summary.width as usize).into_owned(),
            theme.header(),
        )),
        summary,
    );

    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", strings::HOME_RECENT), theme.title()));
    let inner = block.inner(list);
    if app.home.recent.is_empty() {
        frame.render_widget(
            Paragraph::new(text::truncate(strings::HOME_EMPTY, inner.width as usize).into_owned()).block(block),
            list,
        );
        return;
    }
    let columns = Columns::fit(inner.width as usize);
    let header = Row::new(columns.cells(
        strings::COL_NUMBER,
        strings::COL_TIME,
        strings::COL_NAME,
        strings::COL_STATUS,
        strings::COL_CATEGORY,
        strings::COL_TITLE,
    ))
    .style(theme.header());
    let rows = app.home.recent.iter().map(|case| {
        let mut name = mask::name(&case.representative);
        if crate::domain::case::is_group_visit(case.people_count) {
            name = format!("{}{name}", strings::GROUP_MARK);
        }
        let category = case.category_code.as_deref().and_then(|c| app.reference.category(c));
        let status_style = if case.status.is_open() { theme.base() } else { theme.muted() };
        Row::new(columns.cells(
            &case.number,
            &case.registered_at.format("%m-%d %H:%M").to_string(),
            &name,
            case.status.label(),
            category.map_or("", |c| c.name.as_str()),
            case.display_title(),
        ))
        .style(status_style)
    });
    let table = Table::new(rows, columns.constraints())
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol(MARKER);
    let mut state = TableState::default().with_selected(Some(app.home.selected));
    frame.render_stateful_widget(table, list, &mut state);
}

/// Which columns fit, and their widths: the category column goes first on a
/// narrow terminal, the title always keeps at least a few glyphs.
struct Columns {
    widths: Vec<usize>,
    show_category: bool,
}

impl Columns {
    fn fit(width: usize) -> Columns {
        let fixed = W_NUMBER + W_TIME + W_NAME + W_STATUS + text::width(MARKER);
        let show_category = width >= fixed + W_CATEGORY + 6 + 20;
        let spacing = if show_category { 5 } else { 4 };
        let used = fixed + spacing + if show_category { W_CATEGORY } else { 0 };
        let title = width.saturating_sub(used).max(4);
        let mut widths = vec![W_NUMBER, W_TIME, W_NAME, W_STATUS];
        if show_category {
            widths.push(W_CATEGORY);
        }
        widths.push(title);
        Columns { widths, show_category }
    }

    fn constraints(&self) -> Vec<Constraint> {
        self.widths.iter().map(|w| Constraint::Length(*w as u16)).collect()
    }

    /// Cells cleaned of control characters and fitted to their exact widths.
    fn cells<'a>(
        &self,
        number: &str,
        time: &str,
        name: &str,
        status: &str,
        category: &str,
        title: &str,
    ) -> Vec<Cell<'a>> {
        let mut values = vec![number, time, name, status];
        if self.show_category {
            values.push(category);
        }
        values.push(title);
        values.iter().zip(&self.widths).map(|(v, w)| Cell::from(text::cell(v, *w))).collect()
    }
}
