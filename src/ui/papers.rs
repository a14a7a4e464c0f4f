//! 文书 popups: the case's papers, and a paper's text as it will be printed
//! (title and number centred, body paragraphs indented two characters,
//! signature and date right-aligned; CJK-wrapped by display width).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{ListItem, Paragraph};

use super::Theme;
use super::widgets::{cell, fit, row_width, selectable, spaced};
use crate::app::popups::papers::{Entry, PaperList, PaperPreview};
use crate::papers::markup::Block;
use crate::text;

pub const LIST_TITLE: &str = "文书";
const NOTHING: &str = "本事项当前没有可出具的文书";
/// A paper's body is 28 characters a line on A4: the preview shows the same width.
const PAPER_COLUMNS: u16 = 60;

pub fn draw_list(frame: &mut Frame, area: Rect, l: &PaperList, theme: &Theme) {
    let h = (l.entries.len() as u16 + 2).clamp(3, area.height.saturating_sub(2).max(3));
    let title = format!("{LIST_TITLE}：{}", l.case_number);
    let inner = super::widgets::popup(frame, area, 72.min(area.width.saturating_sub(4)), h + 1, &title, theme);
    let [list, message] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    if let Some((m, is_error)) = &l.message {
        let style = if *is_error { theme.danger() } else { theme.ok() };
        let w = message.width as usize;
        frame.render_widget(Line::styled(text::truncate(&text::sanitize_line(m), w).into_owned(), style), message);
    }
    if l.entries.is_empty() {
        frame.render_widget(Line::styled(NOTHING, theme.muted()), list);
        return;
    }
    let w = row_width(list.width);
    let items: Vec<ListItem> = l
        .entries
        .iter()
        .map(|e| {
            let spans = match e {
                Entry::New(kind) => spaced(vec![
                    cell("可出具", 6, theme.ok()),
                    cell(kind.label(), 18, theme.base()),
                    Span::styled(format!("致{}", kind.addressee().label()), theme.muted()),
                ]),
                Entry::Issued(p) => spaced(vec![
                    cell("已出具", 6, theme.muted()),
                    cell(p.kind().map_or(p.kind.as_str(), |k| k.label()), 18, theme.base()),
                    cell(&p.number, 22, theme.header()),
                    Span::styled(
                        format!("{} {}", p.issued_at.get(..10).unwrap_or_default(), p.issued_by),
                        theme.muted(),
                    ),
                ]),
            };
            ListItem::new(Line::from(fit(spans, w)))
        })
        .collect();
    selectable(frame, list, items, l.selected, theme);
}

/// The paper's lines at `width` columns.
pub fn paper_lines(blocks: &[Block], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let place = |s: &str, left: usize| format!("{}{s}", " ".repeat(left));
    for b in blocks {
        let clean = text::sanitize_line(b.text()).into_owned();
        match b {
            Block::Space => out.push(Line::raw("")),
            Block::Title(_) | Block::Center(_) => {
                let style = if matches!(b, Block::Title(_)) { theme.title() } else { theme.base() };
                for l in text::wrap(&clean, width) {
                    let left = width.saturating_sub(text::width(&l)) / 2;
                    out.push(Line::styled(place(&l, left), style));
                }
            }
            Block::Right(_) => {
                for l in text::wrap(&clean, width) {
                    out.push(Line::styled(place(&l, width.saturating_sub(text::width(&l))), theme.base()));
                }
            }
            Block::Left(_) => out.extend(text::wrap(&clean, width).into_iter().map(|l| Line::styled(l, theme.base()))),
            Block::Body(_) => {
                let indented = format!("\u{3000}\u{3000}{clean}");
                out.extend(text::wrap(&indented, width).into_iter().map(|l| Line::styled(l, theme.base())));
            }
        }
    }
    out
}

pub fn draw_preview(frame: &mut Frame, area: Rect, p: &PaperPreview, theme: &Theme) {
    let w = PAPER_COLUMNS.min(area.width.saturating_sub(4));
    let inner = super::widgets::popup(frame, area, w, area.height.saturating_sub(1), &p.title, theme);
    let width = inner.width as usize;
    let mut head: Vec<Line> = Vec::new();
    if !p.gaps.is_empty() {
        let said = format!("不能出具：{}", p.gaps.join("；"));
        head.extend(
            text::wrap(&text::sanitize_line(&said), width).into_iter().map(|l| Line::styled(l, theme.danger())),
        );
    }
    if let Some((m, is_error)) = &p.message {
        let style = if *is_error { theme.danger() } else { theme.ok() };
        head.extend(text::wrap(&text::sanitize_line(m), width).into_iter().map(|l| Line::styled(l, style)));
    }
    let head_h = (head.len() as u16).min(inner.height / 2);
    let [top, body] = Layout::vertical([Constraint::Length(head_h), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    let lines = paper_lines(&p.blocks, width, theme);
    // The last page fills the window rather than scrolling into blank lines.
    let scroll = p.scroll.min(lines.len().saturating_sub(body.height as usize));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), body);
}
