//! Word search over opinion texts: the terms a text is indexed under, and what a query asks for.
//!
//! Chinese has no spaces, so a text is indexed under every pair of adjacent CJK characters
//! (bigrams) and every run of Latin letters or digits (lowercased). A query word matches when
//! the text has all of the word's terms and, checked on those few candidates, contains the word
//! literally; so the index narrows and `LIKE` confirms, and segmentation never loses a match.

use std::collections::BTreeSet;

/// Most words a query may have; more are ignored.
pub const MAX_QUERY_WORDS: usize = 5;
/// Longest query word kept, in characters.
pub const MAX_WORD_CHARS: usize = 50;

/// Whether a character is written without spaces between words (CJK ideographs and kana).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

/// The terms a text is indexed under: CJK bigrams and lowercased Latin or digit runs.
pub fn terms(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut previous_cjk: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if let Some(p) = previous_cjk {
                out.insert(format!("{p}{c}"));
            }
            previous_cjk = Some(c);
        } else {
            previous_cjk = None;
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            out.insert(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.insert(word);
    }
    out
}

/// A checked text query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextQuery {
    /// Terms every match is indexed under.
    pub terms: Vec<String>,
    /// Words every match contains literally (those with Latin letters match whole indexed
    /// words instead, in any case).
    pub words: Vec<String>,
}

/// Splits a query on spaces into words (at most five, each at most 50 characters); every word
/// must occur in a match.
pub fn parse_query(query: &str) -> Option<TextQuery> {
    let words: Vec<String> = query
        .split_whitespace()
        .take(MAX_QUERY_WORDS)
        .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
        .collect();
    if words.is_empty() {
        return None;
    }
    let terms: BTreeSet<String> = words.iter().flat_map(|w| terms(w)).collect();
    Some(TextQuery {
        terms: terms.into_iter().collect(),
        words: words
            .into_iter()
            .filter(|w| !w.chars().any(|c| c.is_ascii_alphabetic()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_is_indexed_by_bigrams_and_latin_by_words() {
        assert_eq!(terms("路灯坏了"), set(&["路灯", "灯坏", "坏了"]));
        assert_eq!(terms("村口 WiFi 坏,3组"), set(&["村口", "wifi", "3"]));
        assert_eq!(terms("[手机号]"), set(&["手机", "机号"]));
        assert!(terms("灯").is_empty());
    }

    #[test]
    fn every_query_term_is_a_term_of_a_text_containing_the_word() {
        let text = "张家村村口的路灯坏了三个月,晚上WiFi也连不上";
        let indexed = terms(text);
        for q in ["路灯", "灯坏了", "村口 wifi", "三个月"] {
            let query = parse_query(q).expect("query");
            assert!(query.terms.iter().all(|t| indexed.contains(t)), "{q}");
        }
    }

    #[test]
    fn queries_are_bounded() {
        assert_eq!(parse_query("  "), None);
        let mixed = parse_query("WiFi 路灯").expect("query");
        assert_eq!(mixed.words, vec!["路灯".to_string()]);
        assert_eq!(mixed.terms, vec!["wifi".to_string(), "路灯".to_string()]);
        let q = parse_query("一 二 三 四 五 六 七").expect("query");
        assert_eq!(q.words.len(), MAX_QUERY_WORDS);
        let long = "路".repeat(80);
        assert_eq!(
            parse_query(&long).expect("query").words[0].chars().count(),
            MAX_WORD_CHARS
        );
    }
}
