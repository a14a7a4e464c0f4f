//! Property tests: random Unicode (CJK, emoji with ZWJ, combining marks,
//! full-width forms, controls) never panics, never exceeds a width, never
//! splits a grapheme; edits keep the caret on a grapheme boundary.

use proptest::prelude::*;
use tui_input::InputRequest;
use unicode_segmentation::UnicodeSegmentation;
use xfdesk::app::form::{Buffer, Field, Form, Kind};
use xfdesk::text;

/// Pieces that make text hard to measure.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{1,4}",
        "[\u{4e00}-\u{9fa5}]{1,4}",
        "[\u{ff01}-\u{ff5e}]{1,3}",
        Just("👨‍👩‍👧".to_string()),
        Just("🏳️‍🌈".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{200d}".to_string()),
        Just("…·“”—①".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\t\r\n".to_string()),
        Just("\u{0}\u{7}\u{9b}\u{202e}".to_string()),
    ]
}

fn unicode() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|v| v.concat())
}

fn grapheme_boundaries(s: &str) -> Vec<usize> {
    let mut b: Vec<usize> = s.grapheme_indices(true).map(|(i, _)| i).collect();
    b.push(s.len());
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn truncate_fits_and_keeps_whole_graphemes(s in unicode(), w in 0usize..30) {
        let t = text::truncate(&s, w);
        prop_assert!(text::width(&t) <= w);
        let kept = t.strip_suffix(text::ELLIPSIS).unwrap_or(&t);
        prop_assert!(s.starts_with(kept));
        prop_assert!(grapheme_boundaries(&s).contains(&kept.len()), "cut inside a grapheme: {:?}", kept);
    }

    #[test]
    fn pad_is_exactly_the_width(s in unicode(), w in 0usize..30) {
        prop_assert_eq!(text::width(&text::pad(&s, w)), w);
        prop_assert_eq!(text::width(&text::pad_left(&s, w)), w);
        prop_assert_eq!(text::width(&text::cell(&s, w)), w);
    }

    #[test]
    fn wrap_never_exceeds_the_width_nor_splits_graphemes(s in unicode(), w in 2usize..30) {
        let clean = text::sanitize_multiline(&s).into_owned();
        for line in text::wrap(&clean, w) {
            let widest = line.graphemes(true).map(text::width).max().unwrap_or(0);
            prop_assert!(text::width(&line) <= w.max(widest), "{:?} wider than {}", line, w);
        }
        let joined: String = text::wrap(&clean, w).concat();
        let original: String = clean.split('\n').collect::<Vec<_>>().concat();
        prop_assert_eq!(joined.replace(' ', ""), original.replace(' ', ""), "wrapping loses nothing but spaces");
    }

    #[test]
    fn split_at_width_cuts_on_a_grapheme_boundary(s in unicode(), w in 0usize..30) {
        let (head, tail) = text::split_at_width(&s, w);
        prop_assert_eq!(format!("{head}{tail}"), s.clone());
        prop_assert!(text::width(head) <= w || head.graphemes(true).count() <= 1);
        prop_assert!(grapheme_boundaries(&s).contains(&head.len()));
    }

    #[test]
    fn sanitized_text_has_no_controls(s in unicode()) {
        let line = text::sanitize_line(&s);
        prop_assert!(!line.chars().any(|c| c.is_control()));
        let multi = text::sanitize_multiline(&s);
        prop_assert!(!multi.chars().any(|c| c.is_control() && c != '\n'));
        let bidi_override = '\u{202e}';
        prop_assert!(!multi.contains(bidi_override));
    }

    #[test]
    fn field_edits_keep_the_caret_on_a_grapheme_boundary(
        start in unicode(),
        edits in prop::collection::vec(
            prop_oneof![
                any::<char>().prop_map(InputRequest::InsertChar),
                "[\u{4e00}-\u{9fa5}]".prop_map(|s: String| InputRequest::InsertChar(s.chars().next().unwrap())),
                Just(InputRequest::InsertChar('\u{301}')),
                Just(InputRequest::InsertChar('\u{200d}')),
                Just(InputRequest::GoToPrevChar),
                Just(InputRequest::GoToNextChar),
                Just(InputRequest::GoToPrevWord),
                Just(InputRequest::GoToStart),
                Just(InputRequest::GoToEnd),
                Just(InputRequest::DeletePrevChar),
                Just(InputRequest::DeleteNextChar),
                Just(InputRequest::DeletePrevWord),
            ],
            0..40,
        ),
    ) {
        let mut form = Form::new("表", vec![Field::new((), "字段", Kind::Text, "")]);
        form.paste(&start);
        for e in edits {
            form.edit(e);
            let Buffer::Line(input) = &form.fields[0].buffer else { unreachable!("a one-line field") };
            let value = input.value();
            let byte = value.char_indices().nth(input.cursor()).map_or(value.len(), |(i, _)| i);
            prop_assert!(value.is_char_boundary(byte));
            prop_assert!(grapheme_boundaries(value).contains(&byte), "caret inside a grapheme of {:?} at {}", value, byte);
            prop_assert!(input.visual_cursor() <= text::width(value));
        }
    }
}
