//! The words the two search indexes hold (FTS5, trigram): the ledger's items (migration 11)
//! and the operation log (migration 14). A trigram finds a piece of three characters or more;
//! a word of two is found as a space and the pair, which the words carry after the text.

use crate::model::Change;
use rusqlite::{params, Connection};

/// `text`, then every pair of neighbouring characters in it, each after a space. No piece of
/// three characters without a space is in the pairs, so a trigram finds in them only what it
/// would find in the text, and " 供暖" only where 供 and 暖 stand together.
pub(crate) fn with_pairs(text: String) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut words = text;
    for pair in chars.windows(2).filter(|pair| pair[0] != ' ' && pair[1] != ' ') {
        words.extend([' ', pair[0], pair[1]]);
    }
    words
}

/// A typed word as an FTS5 phrase of [`with_pairs`], quoted so every character in it is taken
/// as it is: a word of three characters or more as it is; one of two after a space, as its
/// pair is written; none for one character, which the index cannot find (looked for with
/// LIKE instead).
pub(crate) fn index_phrase(word: &str) -> Option<String> {
    match word.chars().count() {
        0 | 1 => None,
        2 => Some(quoted(&format!(" {word}"))),
        _ => Some(quoted(word)),
    }
}

/// A piece of text as an FTS5 string, every character in it taken as it is.
fn quoted(piece: &str) -> String {
    format!("\"{}\"", piece.replace('"', "\"\""))
}

/// A typed word as a query of an index that keeps no positions (the log's): every trigram in
/// it, all required; a word of two as its pair; none for one character. An entry found may
/// hold the trigrams apart, so the caller checks the entries found with LIKE.
pub(crate) fn trigram_query(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        // A word of two is its pair, one trigram, as for a phrase; one of one is no query.
        return index_phrase(word);
    }
    Some(chars.windows(3).map(|t| quoted(&t.iter().collect::<String>())).collect::<Vec<_>>().join(" AND "))
}

/// What marks an entry's kind in the log's search index: a character nobody types (Unicode's
/// private use), so a word typed never finds it.
const KIND_MARK: char = '\u{E000}';

/// The kind of an entry as the log's index holds it ([`log_words`]), for a query of the index.
pub(crate) fn kind_word(kind: &str) -> String {
    format!("{KIND_MARK}{kind}")
}

/// What the log's search index holds of an entry: its kind (marked), what was changed, the
/// action, and each changed field's name, old and new value, with their pairs.
pub fn log_words(kind: &str, target: &str, action: &str, changes: &[Change]) -> String {
    let mut text = format!("{} {target} {action}", kind_word(kind));
    for c in changes {
        text += &format!(" {} {} {}", c.field, c.old, c.new);
    }
    with_pairs(text)
}

/// Writes the log's search words of every entry it already holds (migration 14's hook), as
/// each new entry's are written with it (queries/log.rs).
pub(crate) fn index_earlier_entries(conn: &Connection) -> rusqlite::Result<()> {
    let mut entries = conn.prepare("SELECT id, kind, target, action, changes FROM operation_log")?;
    let mut index = conn.prepare("INSERT INTO log_search (rowid, words) VALUES (?1, ?2)")?;
    let mut rows = entries.query([])?;
    while let Some(row) = rows.next()? {
        let changes: Vec<Change> = serde_json::from_str(row.get_ref(4)?.as_str()?).unwrap_or_default();
        let words = log_words(row.get_ref(1)?.as_str()?, row.get_ref(2)?.as_str()?, row.get_ref(3)?.as_str()?, &changes);
        index.execute(params![row.get::<_, i64>(0)?, words])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_text_and_never_span_a_space() {
        assert_eq!(with_pairs("12 冬季供暖".into()), "12 冬季供暖 12 冬季 季供 供暖");
        assert_eq!(index_phrase("供暖"), Some("\" 供暖\"".into()));
        assert_eq!(index_phrase("冬\"季供"), Some("\"冬\"\"季供\"".into()));
        assert_eq!(index_phrase("暖"), None);
        assert_eq!(trigram_query("正式答复"), Some("\"正式答\" AND \"式答复\"".into()));
        assert_eq!(trigram_query("答复"), Some("\" 答复\"".into()));
        assert_eq!(trigram_query("\"x"), Some("\" \"\"x\"".into()));
        assert_eq!(trigram_query("答"), None);
    }
}
