//! The complaint text (反映问题) as a multi-line editor, driven by keys in the
//! real app: ↑/↓ move between the lines the screen shows, Home/End per line,
//! the terminal cursor on the caret, and no line starts with a closing mark.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode};
use xfdesk::app::intake::Key;
use xfdesk::app::{Action, App, Screen};

const TEXT: &str = "小区物业擅自上调物业费，业主多次与物业公司协商未果。电梯长期故障，老人上下楼非常困难，多次反映无果。请求责令物业公司整改（退还多收费用），并公开收支明细。";

fn to_content(app: &mut App) {
    app.update(Action::GoTo(Screen::Intake));
    for _ in 0..40 {
        if app.intake().focused().key == Key::Content {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("反映问题 not reached");
}

/// The text of row `y` from column `from` to the right border, by cells.
fn cells(t: &ratatui::Terminal<ratatui::backend::TestBackend>, y: u16, from: u16, to: u16) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    let mut x = from;
    while x < to {
        let s = buf[(x, y)].symbol();
        out.push_str(s);
        x += xfdesk::text::width(s).max(1) as u16;
    }
    out.trim_end().to_string()
}

/// The lines of the 反映问题 box as drawn (the value column: after the border
/// and the 12-column label), from its label down to the next field.
fn content_lines(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> Vec<String> {
    let area = t.backend().buffer().area;
    let right = area.width.min(110) - 1;
    let first = (0..area.height).find(|y| cells(t, *y, 1, 13).contains("*反映问题")).expect("the box is shown");
    (first..area.height)
        .take_while(|y| {
            let label = cells(t, *y, 1, 13);
            *y == first || label.is_empty() || label.contains("/2000")
        })
        .map(|y| cells(t, y, 13, right))
        .filter(|l| !l.is_empty() && !l.starts_with('─') && !l.starts_with('└'))
        .collect()
}

#[test]
fn up_down_home_and_the_cursor_follow_the_visual_lines() {
    let (_dir, mut app) = demo_app();
    to_content(&mut app);
    app.handle_event(&Event::Paste(TEXT.into()));
    let t = render(&mut app, 80, 24);
    let lines = content_lines(&t);
    assert!(lines.len() >= 3, "the text wraps: {lines:?}");
    for l in &lines[1..] {
        let first = l.chars().next().unwrap().to_string();
        assert!(!xfdesk::text::is_no_start(&first), "a line starts with closing punctuation: {lines:?}");
    }
    let at_end = t.backend().cursor_position();

    // ↑ stays in the field, one visual line up; the cursor follows.
    key(&mut app, KeyCode::Up);
    assert_eq!(app.intake().focused().key, Key::Content);
    let t = render(&mut app, 80, 24);
    assert_eq!(t.backend().cursor_position().y + 1, at_end.y, "one line up");

    // Home, then a glyph: it lands at the start of that visual line.
    key(&mut app, KeyCode::Home);
    typ(&mut app, "甲");
    let value = app.intake().value(Key::Content).to_string();
    let second_line_start = lines[lines.len() - 2].chars().next().unwrap();
    let at = value.find('甲').unwrap();
    assert_eq!(value[at + '甲'.len_utf8()..].chars().next(), Some(second_line_start), "{value}");

    // ↑ past the first line leaves for the field above; ↓ comes back in.
    // (The caret is on the second-last line: that many lines up, and one more.)
    for _ in 0..lines.len() - 1 {
        key(&mut app, KeyCode::Up);
    }
    assert_eq!(app.intake().focused().key, Key::Title);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.intake().focused().key, Key::Content);
    assert!(app.intake().value(Key::Content).starts_with("小区物业"), "nothing lost");
}

#[test]
fn the_editor_box_at_120x40() {
    let (_dir, mut app) = demo_app();
    to_content(&mut app);
    app.handle_event(&Event::Paste(TEXT.into()));
    let t = render(&mut app, 120, 40);
    let lines = content_lines(&t);
    assert!(lines.len() >= 2, "{lines:?}");
    let joined: String = lines.concat();
    assert!(joined.starts_with("小区物业擅自上调物业费"), "{joined}");
    for l in &lines[1..] {
        assert!(!xfdesk::text::is_no_start(&l.chars().next().unwrap().to_string()), "{lines:?}");
    }
}
