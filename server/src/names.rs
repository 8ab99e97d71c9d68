//! Personal names found by jieba's part-of-speech tagger (`nr`), to warn the villager before
//! sending: names are kept as written, since the people an opinion is about are its content.

use std::sync::OnceLock;

use jieba_rs::Jieba;

/// Finds likely personal names in Chinese text. A handle to jieba's embedded dictionary, which
/// is built once per process on first use (it is read-only and takes a moment to build).
#[derive(Clone, Copy, Debug, Default)]
pub struct NameFinder;

static DICTIONARY: OnceLock<Jieba> = OnceLock::new();

/// jieba's segmenter with its embedded dictionary, built on first use and shared.
pub(crate) fn jieba() -> &'static Jieba {
    DICTIONARY.get_or_init(Jieba::new)
}

impl NameFinder {
    fn jieba(self) -> &'static Jieba {
        jieba()
    }

    /// Builds the dictionary now, so the first villager does not wait for it.
    pub fn warm_up(self) {
        self.jieba();
    }

    /// Distinct words tagged as personal names, in order of appearance.
    pub fn names(self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for tag in self.jieba().tag(text, true) {
            let word = tag.word;
            if tag.tag == "nr"
                && word.chars().count() >= 2
                && word.chars().all(|c| !c.is_ascii())
                && !found.iter().any(|f| f == word)
            {
                found.push(word.to_string());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_and_ordinary_words_are_not() {
        let finder = NameFinder;
        let found = finder.names("张建国把低保名额给了亲戚,村里的路也没修。");
        assert_eq!(found, vec!["张建国".to_string()]);
        assert!(finder.names("村里的路三年没修了,下雨全是泥。").is_empty());
        assert!(finder.names("[手机号] 20万元 960份").is_empty());
    }
}
