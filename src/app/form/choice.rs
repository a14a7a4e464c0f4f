//! Choosing from a list by typing: Chinese text or pinyin initials.

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub label: String,
    pub code: String,
    /// Pinyin initials keys, space-separated: the label's, and for a
    /// category also its parent's and the two together.
    pub initials: String,
    /// Shown under the field once chosen (the class a purpose belongs to).
    pub detail: Option<String>,
}

impl Opt {
    /// An option keyed by the pinyin initials of its label.
    pub fn keyed(label: &str, code: &str) -> Opt {
        Opt { label: label.into(), code: code.into(), initials: crate::domain::name::initials(label), detail: None }
    }
}

/// Indexes of the options that match `filter`, best first. Loose
/// (subsequence) matches are offered only when nothing matches better.
pub fn filter(options: &[Opt], filter: &str) -> Vec<usize> {
    let f = filter.trim().to_lowercase();
    let mut scored: Vec<(u8, usize)> =
        options.iter().enumerate().filter_map(|(i, o)| match_score(o, &f).map(|s| (s, i))).collect();
    scored.sort_by_key(|(s, i)| (*s, *i));
    let best = scored.first().map_or(0, |(s, _)| *s);
    let keep = |s: u8| if best < 2 { s < 2 } else { s == best };
    scored.into_iter().filter(|(s, _)| keep(*s)).map(|(_, i)| i).collect()
}

/// How well an option matches a filter: the label or a pinyin key starting
/// with it (0), the label containing it (1), a key starting with its first
/// letter and holding the rest in order (2: `cj` finds 城乡建设, cxjs), any
/// key holding its letters in order (3).
fn match_score(o: &Opt, f: &str) -> Option<u8> {
    let keys = || o.initials.split(' ');
    let first = f.chars().next();
    // The filter is lowercased; so is the label (区CBD管理委员会 answers "cbd").
    let label = o.label.to_lowercase();
    if f.is_empty() || label.starts_with(f) || keys().any(|k| k.starts_with(f)) {
        Some(0)
    } else if label.contains(f) {
        Some(1)
    } else if keys().any(|k| k.chars().next() == first && is_subsequence(f, k)) {
        Some(2)
    } else if keys().any(|k| is_subsequence(f, k)) {
        Some(3)
    } else {
        None
    }
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|c| it.any(|h| h == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(options: &[Opt], f: &str) -> Vec<String> {
        filter(options, f).into_iter().map(|i| options[i].label.clone()).collect()
    }

    #[test]
    fn prefix_then_substring_then_loose_initials() {
        let opts: Vec<Opt> =
            ["城乡建设", "政治综合", "城市管理", "纪检监察"].iter().map(|l| Opt::keyed(l, l)).collect();
        assert_eq!(labels(&opts, "cj"), vec!["城乡建设"], "c…j anchored at the start");
        assert_eq!(labels(&opts, "cs"), vec!["城市管理"], "a prefix beats loose matches");
        assert_eq!(labels(&opts, "管理"), vec!["城市管理"]);
        assert_eq!(labels(&opts, ""), vec!["城乡建设", "政治综合", "城市管理", "纪检监察"]);
        assert!(labels(&opts, "xyz").is_empty());
    }
}
