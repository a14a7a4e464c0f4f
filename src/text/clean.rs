//! Cleaning untrusted text for the terminal (and JSON for it).

use std::borrow::Cow;

use super::is_combining;

/// Make untrusted text safe for the terminal, keeping line breaks.
///
/// Removes ANSI/VT escape sequences (CSI, OSC, DCS and two-byte escapes), C0
/// and C1 control characters, bidi overrides and isolates, and zero-width
/// characters other than the ZWJ that holds emoji sequences together. A tab
/// becomes spaces to the next multiple of 4 columns. A lone combining mark at
/// the start of a line gets a dotted-circle base so it cannot merge into the
/// cell before it.
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| !needs_cleaning(c)) && !starts_with_combining(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut col = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\u{1B}' => skip_escape(&mut chars),
            '\u{9B}' => skip_csi(&mut chars),
            '\u{9D}' | '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => skip_string(&mut chars),
            '\n' => {
                out.push('\n');
                col = 0;
            }
            '\t' => {
                let n = 4 - col % 4;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            c if needs_cleaning(c) => {}
            c => {
                if (col == 0 || out.ends_with('\n')) && is_combining(c) {
                    out.push('\u{25CC}');
                }
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// Text pasted into a field: escape sequences and control characters go whole
/// (a pasted sequence is not something anyone said), tabs become spaces, and
/// for a single-line field line breaks become spaces.
pub fn pasted(s: &str, multiline: bool) -> String {
    let clean = sanitize_multiline(s);
    if multiline { clean.into_owned() } else { clean.replace('\n', " ") }
}

/// [`sanitize_multiline`] for a single-line cell: line breaks become spaces.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    match sanitize_multiline(s) {
        Cow::Borrowed(b) if !b.contains(['\n', '\r']) => Cow::Borrowed(b),
        other => Cow::Owned(other.replace(['\n', '\r'], " ")),
    }
}

fn starts_with_combining(s: &str) -> bool {
    s.split('\n').any(|l| l.chars().next().is_some_and(is_combining))
}

fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}'
            | '\u{061C}' | '\u{200B}' | '\u{200C}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
            | '\u{2028}' | '\u{2029}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // Two-byte escape (ESC c, ESC 7 ...), or ESC followed by an intermediate byte.
        Some(c) if ('\u{20}'..='\u{2F}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in 0x40..=0x7E.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7E}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3F}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/PM/APC: runs to BEL, ST (ESC \) or the C1 ST.
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9C}' => break,
            '\u{1B}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// JSON text made safe for a terminal and still the same data: every
/// control (C0 and C1), bidi control, zero-width character and line or
/// paragraph separator left raw by the serializer is written as `\uXXXX`.
/// (These can only stand inside JSON strings, where the escape is valid.)
pub fn json_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let escape = (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}'
                | '\u{061C}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}');
        if escape {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}
