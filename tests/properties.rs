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

/// Words and values a clerk (or a script) might put on the command line.
fn cli_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "due",
            "deadline",
            "handle",
            "accept",
            "gen",
            "search",
            "reception",
            "add-day",
            "ledger",
            "book",
            "report",
            "weekly",
            "metrics",
            "reminders",
            "export",
            "case",
            "show",
            "check",
            "keys",
            "--days",
            "--from",
            "--to",
            "--extend",
            "--limit",
            "--petitioners",
            "--cases",
            "--batch",
            "--seed",
            "--date",
            "--week-ending",
            "--json",
            "--time",
            "--format",
            "csv",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "0",
            "-1",
            "7",
            "30",
            "31",
            "3650",
            "100000000",
            "2147483648",
            "18446744073709551616",
            "2026-11-28",
            "2026-02-30",
            "+262142-12-31",
            "-0001-01-01",
            "1949-09-30",
            "2199-12-31",
            "2200-01-01",
            "09:30",
            "",
        ])
        .prop_map(str::to_string),
        "[0-9+-]{1,24}",
    ]
}

/// Config files with every numeric key set to edge values.
fn config_text() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(vec![
        ("store", "busy_timeout_ms"),
        ("ui", "tick_ms"),
        ("deadlines", "due_soon_days"),
        ("deadlines", "assign_working_days"),
        ("backup", "keep"),
        ("reminders", "accept_notice_day"),
        ("reminders", "leader_case_every_days"),
        ("reminders", "escalate_after_working_days"),
        ("reminders", "escalate_after_failed_calls"),
        ("queue", "appointment_window_minutes"),
        ("queue", "skip_returns_after_calls"),
        ("warnings", "repeat_days"),
        ("warnings", "list_days"),
        ("warnings", "spike_weeks"),
        ("warnings", "long_term_years"),
        ("warnings", "spike_factor"),
        ("metrics", "one_time_window_days"),
    ]);
    let value = prop::sample::select(vec![
        "0",
        "-1",
        "1",
        "99",
        "100000",
        "2147483648",
        "9223372036854775807",
        "1e308",
        "nan",
        "\"x\"",
        "1.5",
    ]);
    prop::collection::vec((keys, value), 0..5)
        .prop_map(|pairs| pairs.iter().map(|((table, key), v)| format!("[{table}]\n{key} = {v}\n")).collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Parsing never panics; what it accepts is inside the ranges the
    /// commands can compute with (the clocks of an accepted date and
    /// extension are computed here too).
    #[test]
    fn command_line_parsing_never_panics(words in prop::collection::vec(cli_word(), 0..7)) {
        use clap::Parser;
        let args = std::iter::once("xfdesk".to_string()).chain(words);
        if let Ok(cli) = xfdesk::cli::Cli::try_parse_from(args) {
            match cli.command {
                Some(xfdesk::cli::Command::Deadline { from, extend, .. }) => {
                    let cal = xfdesk::domain::calendar::builtin();
                    for rule in xfdesk::domain::deadline::Rule::ALL {
                        let _ = xfdesk::domain::deadline::compute(rule, from, extend, &cal);
                    }
                }
                Some(xfdesk::cli::Command::Due { days, .. }) => prop_assert!(days <= 3650),
                _ => {}
            }
        }
    }

    /// The commands that compute dates, with every kind of date and number.
    #[test]
    fn date_arguments_are_refused_or_computed(
        rule in prop::sample::select(vec!["handle", "accept", "relay", "recheck", "simple-answer"]),
        from in prop_oneof![
            Just("+262142-12-31".to_string()),
            Just("-262143-01-01".to_string()),
            Just("2199-12-31".to_string()),
            Just("1949-10-01".to_string()),
            (1900i32..2300, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        ],
        extend in prop_oneof![Just("0".to_string()), Just("30".to_string()), Just("31".to_string()), Just("4294967296".to_string())],
        days in prop_oneof![Just("3650".to_string()), Just("3651".to_string()), Just("100000000".to_string()), (0u32..400).prop_map(|d| d.to_string())],
    ) {
        use clap::Parser;
        let deadline = ["xfdesk", "deadline", rule, "--from", &from, "--extend", &extend];
        if let Ok(xfdesk::cli::Cli { command: Some(xfdesk::cli::Command::Deadline { from, extend, .. }), .. }) =
            xfdesk::cli::Cli::try_parse_from(deadline)
        {
            let cal = xfdesk::domain::calendar::builtin();
            for rule in xfdesk::domain::deadline::Rule::ALL {
                let _ = xfdesk::domain::deadline::compute(rule, from, extend, &cal);
            }
        }
        let due = ["xfdesk", "due", "--days", &days];
        if let Ok(xfdesk::cli::Cli { command: Some(xfdesk::cli::Command::Due { days, .. }), .. }) =
            xfdesk::cli::Cli::try_parse_from(due)
        {
            let today = chrono::NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
            prop_assert!(today.checked_add_days(chrono::Days::new(days.into())).is_some());
        }
    }

    /// The config loader refuses edge values with a message; it never panics,
    /// and what it accepts can be turned into durations.
    #[test]
    fn config_loading_never_panics(text in config_text()) {
        if let Ok(c) = xfdesk::config::Config::parse(&text, std::path::Path::new("/etc/xfdesk.toml")) {
            prop_assert!(c.store.busy_timeout_ms <= 600_000 && c.ui.tick_ms <= 60_000);
            let _ = std::time::Duration::from_millis(c.store.busy_timeout_ms);
            let _ = xfdesk::app::Session::from_config(&c, "登记员", "1号窗口", "");
        }
    }
}
