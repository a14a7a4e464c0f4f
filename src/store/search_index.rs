//! The full-text index of case text, kept by the app.
//!
//! SQLite's trigram tokenizer cannot match one or two characters, and Chinese
//! has no spaces for `unicode61` to split on. So the app writes the text
//! pre-split: each run of Chinese becomes its overlapping two-character
//! tokens plus its last character alone (`小区物业` → `小区 区物 物业 业`), and
//! each run of Latin letters or digits one lowercase token.
//!
//! The index keeps no positions (`detail=none`), which makes it a fraction of
//! the size: a word of n >= 2 Chinese characters finds the cases holding all
//! its n-1 bigrams, and the search then confirms the word itself on those few
//! rows. One character is a prefix query, served by the one-character prefix
//! index. The table is contentless: the text itself stays in `cases`.
//!
//! 检举控告 and 保密 cases are indexed by their place only: typing a word of an
//! accusation must not reveal that such a case exists.

use rusqlite::{Transaction, params};

use super::Result;
use crate::domain::Case;
use crate::domain::query::is_cjk;

pub const CREATE_SQL: &str = "CREATE VIRTUAL TABLE case_text USING fts5(
    words,
    content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1'
)";

/// A run of Chinese characters, or of other letters and digits (lowercased).
enum Segment {
    Cjk(Vec<char>),
    Word(String),
}

/// Split text into segments; punctuation, spaces and symbols separate them.
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for c in text.chars() {
        let cjk = is_cjk(c);
        if !cjk && !c.is_alphanumeric() {
            out.push(None);
            continue;
        }
        match (out.last_mut(), cjk) {
            (Some(Some(Segment::Cjk(run))), true) => run.push(c),
            (Some(Some(Segment::Word(w))), false) => w.extend(c.to_lowercase()),
            (_, true) => out.push(Some(Segment::Cjk(vec![c]))),
            (_, false) => out.push(Some(Segment::Word(c.to_lowercase().collect()))),
        }
    }
    out.into_iter().flatten().collect()
}

fn bigrams(run: &[char]) -> impl Iterator<Item = String> + '_ {
    run.windows(2).map(|p| p.iter().collect())
}

/// Split text into the tokens the index holds, separated by spaces.
pub fn tokens(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for seg in segments(text) {
        match seg {
            Segment::Cjk(run) => {
                out.extend(bigrams(&run));
                out.push(run[run.len() - 1].to_string());
            }
            Segment::Word(w) => out.push(w),
        }
    }
    out.join(" ")
}

/// The FTS5 MATCH expression for words that must all occur, or `None` when
/// nothing searchable is left. Tokens contain only letters and digits, so
/// quoting them cannot be escaped out of; anything else the clerk typed
/// (`%`, quotes, emoji) is dropped here and never reaches SQL.
pub fn match_expression(words: &[String]) -> Option<String> {
    let parts: Vec<String> = words.iter().flat_map(|w| word_tokens(w)).collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// The index tokens a word needs: its bigrams; a lone Chinese character or
/// a Latin word as a prefix.
fn word_tokens(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seg in segments(word) {
        match seg {
            Segment::Cjk(run) if run.len() == 1 => out.push(format!("\"{}\"*", run[0])),
            Segment::Cjk(run) => out.extend(bigrams(&run).map(|b| format!("\"{b}\""))),
            Segment::Word(w) => out.push(format!("\"{w}\"*")),
        }
    }
    out
}

/// The searchable words of a case: its place always; title, complaint,
/// demands and respondent unless the case is restricted.
fn document(case: &Case) -> String {
    if case.content_is_restricted() {
        tokens(&case.problem_address)
    } else {
        let all = [&case.title, &case.content, &case.demands, &case.respondent, &case.problem_address];
        all.iter().map(|t| tokens(t)).collect::<Vec<_>>().join(" ")
    }
}

/// Index a case that is not in the index yet (a new registration).
pub fn index_new_case(tx: &Transaction, case_id: i64, case: &Case) -> Result<()> {
    tx.prepare_cached("INSERT INTO case_text (rowid, words) VALUES (?1, ?2)")?
        .execute(params![case_id, document(case)])?;
    Ok(())
}

/// Replace the entry of a case whose text changed.
pub fn reindex_case(tx: &Transaction, case_id: i64, case: &Case) -> Result<()> {
    tx.prepare_cached("DELETE FROM case_text WHERE rowid = ?1")?.execute([case_id])?;
    index_new_case(tx, case_id, case)
}

/// Migration step: create the index and fill it from the cases already stored.
pub fn create_and_backfill(tx: &Transaction) -> Result<()> {
    tx.execute_batch(CREATE_SQL)?;
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM cases ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        if let Some(case) = super::cases::get(tx, id)? {
            index_new_case(tx, id, &case)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_become_bigrams_and_a_last_unigram() {
        assert_eq!(tokens("小区物业"), "小区 区物 物业 业");
        assert_eq!(tokens("欠薪"), "欠薪 薪");
        assert_eq!(tokens("张"), "张");
        assert_eq!(tokens("朝阳路12号院3号楼"), "朝阳 阳路 路 12 号院 院 3 号楼 楼");
        assert_eq!(tokens("A座，ＢＣ"), "a 座 ｂｃ");
        assert_eq!(tokens("\u{1b}[31m红"), "31m 红");
    }

    #[test]
    fn match_expressions() {
        let m = |w: &[&str]| match_expression(&w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(m(&["拆"]).as_deref(), Some("\"拆\"*"));
        assert_eq!(m(&["拆迁"]).as_deref(), Some("\"拆迁\""));
        assert_eq!(m(&["过渡费"]).as_deref(), Some("\"过渡\" AND \"渡费\""));
        assert_eq!(m(&["拆迁", "欠薪"]).as_deref(), Some("\"拆迁\" AND \"欠薪\""));
        assert_eq!(m(&["12号"]).as_deref(), Some("\"12\"* AND \"号\"*"));
        assert_eq!(m(&["\") OR 1=1 --"]).as_deref(), Some("\"or\"* AND \"1\"* AND \"1\"*"));
        assert_eq!(m(&["%_'"]), None);
        assert_eq!(m(&["😀"]), None);
    }
}
