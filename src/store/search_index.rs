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

/// Split text into the tokens the index holds, separated by spaces.
pub fn tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut String| {
        for pair in run.windows(2) {
            out.extend(pair);
            out.push(' ');
        }
        if let Some(last) = run.last() {
            out.push(*last);
            out.push(' ');
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(word);
            out.push(' ');
            word.clear();
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_run(&mut run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_word(&mut word, &mut out);
    out.truncate(out.trim_end().len());
    out
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
    let mut run: Vec<char> = Vec::new();
    let mut latin = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(format!("\"{}\"*", run[0])),
            _ => out.extend(run.windows(2).map(|p| format!("\"{}\"", p.iter().collect::<String>()))),
        }
        run.clear();
    };
    let flush_latin = |latin: &mut String, out: &mut Vec<String>| {
        if !latin.is_empty() {
            out.push(format!("\"{}\"*", std::mem::take(latin)));
        }
    };
    for c in word.chars() {
        if is_cjk(c) {
            flush_latin(&mut latin, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            latin.extend(c.to_lowercase());
        } else {
            flush_run(&mut run, &mut out);
            flush_latin(&mut latin, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_latin(&mut latin, &mut out);
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
