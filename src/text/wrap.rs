//! Wrapping by display width with the Chinese line-breaking rule (禁则).

use unicode_segmentation::UnicodeSegmentation;

use super::{grapheme_width, width};

/// Wrap text into lines of at most `max` columns. Chinese wraps between any two
/// glyphs (it has no spaces); a run of Latin letters or digits is kept whole
/// when it fits on a line. Explicit newlines are kept. Each grapheme cluster
/// stays whole; a cluster wider than `max` gets a line of its own. No line
/// starts with closing punctuation or ends with opening punctuation (禁则):
/// the glyph before such a break moves down with it.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    wrap_ranges(s, max)
        .into_iter()
        .map(|r| {
            // A line broken at a space does not show the space.
            let ends_paragraph = r.end == s.len() || s[r.end..].starts_with('\n');
            let line = s[r].trim_end_matches('\r');
            if !ends_paragraph || width(line) > max { line.trim_end() } else { line }.to_string()
        })
        .collect()
}

/// The visual lines of [`wrap`] as byte ranges into `s` (without the newline
/// that ends a paragraph); together they cover every byte but the newlines.
/// The multi-line editor moves its caret along these.
pub fn wrap_ranges(s: &str, max: usize) -> Vec<std::ops::Range<usize>> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut start = 0;
    for paragraph in s.split('\n') {
        wrap_paragraph(paragraph, start, max, &mut lines);
        start += paragraph.len() + 1;
    }
    lines
}

/// Closing punctuation: never the first glyph of a wrapped line.
pub fn is_no_start(g: &str) -> bool {
    g.chars().next().is_some_and(|c| "，。、；：？！）」』】〕〉》”’…—·%‰℃,.;:?!)]}>".contains(c))
}

/// Opening punctuation: never the last glyph of a wrapped line.
pub fn is_no_end(g: &str) -> bool {
    g.chars().next().is_some_and(|c| "（「『【〔〈《“‘([{<".contains(c))
}

fn wrap_paragraph(p: &str, offset: usize, max: usize, lines: &mut Vec<std::ops::Range<usize>>) {
    // The tokens of the line being filled, as (start, end) byte offsets into `p`.
    let mut line: Vec<(usize, usize)> = Vec::new();
    let mut used = 0;
    let close = |line: &mut Vec<(usize, usize)>, lines: &mut Vec<std::ops::Range<usize>>| {
        if let (Some(first), Some(last)) = (line.first(), line.last()) {
            lines.push(offset + first.0..offset + last.1);
        }
        line.clear();
    };
    for (start, token) in tokens(p) {
        let end = start + token.len();
        let tw = width(token);
        if used + tw <= max {
            line.push((start, end));
            used += tw;
            continue;
        }
        if tw <= max && !line.is_empty() {
            // Kinsoku: carry glyphs down so the break is not before a closing
            // mark or after an opening one (the line keeps at least one token,
            // and the carried glyphs must fit with the token on the next line).
            let mut carried: Vec<(usize, usize)> = Vec::new();
            if is_no_start(token) {
                while line.len() > 1 {
                    let last = line.pop().unwrap_or_default();
                    let glyph = &p[last.0..last.1];
                    carried.insert(0, last);
                    if !is_no_start(glyph) {
                        break;
                    }
                }
            }
            while line.len() > 1 && line.last().is_some_and(|t| is_no_end(&p[t.0..t.1])) {
                carried.insert(0, line.pop().unwrap_or_default());
            }
            if carried.iter().map(|t| width(&p[t.0..t.1])).sum::<usize>() + tw > max {
                line.append(&mut carried);
            }
            close(&mut line, lines);
            used = carried.iter().map(|t| width(&p[t.0..t.1])).sum();
            line = carried;
            if token == " " && line.is_empty() {
                // A break at a space: the space ends the line above.
                if let Some(prev) = lines.last_mut() {
                    prev.end = offset + end;
                }
                continue;
            }
            line.push((start, end));
            used += tw;
            continue;
        }
        // The token does not fit on any line: break it by grapheme.
        for (i, g) in token.grapheme_indices(true) {
            let gw = grapheme_width(g);
            if used + gw > max && !line.is_empty() {
                close(&mut line, lines);
                used = 0;
            }
            line.push((start + i, start + i + g.len()));
            used += gw;
        }
    }
    if line.is_empty() {
        lines.push(offset + p.len()..offset + p.len());
    } else {
        // The paragraph's trailing bytes (a CR) belong to its last line.
        let first = line[0].0;
        lines.push(offset + first..offset + p.len());
    }
}

/// Split into wrap units with their byte offsets: each run of ASCII
/// alphanumerics (a Latin word or a number) is one unit, every other grapheme
/// is a unit of its own.
fn tokens(p: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, g) in p.grapheme_indices(true) {
        let wordish = g.chars().all(|c| c.is_ascii_alphanumeric() || "-_./@:".contains(c));
        match (wordish, word_start) {
            (true, None) => word_start = Some(i),
            (true, Some(_)) => {}
            (false, Some(start)) => {
                out.push((start, &p[start..i]));
                word_start = None;
                out.push((i, g));
            }
            (false, None) => out.push((i, g)),
        }
    }
    if let Some(start) = word_start {
        out.push((start, &p[start..]));
    }
    out
}
