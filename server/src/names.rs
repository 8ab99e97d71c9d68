//! Personal names found by jieba's part-of-speech tagger (`nr`), to warn the villager before
//! sending: names are kept as written, since the people an opinion is about are its content.

use std::sync::OnceLock;

use jieba_rs::Jieba;

/// Finds likely personal names in Chinese text. A handle to jieba's embedded dictionary, which
/// is built once per process on first use (it is read-only and takes a moment to build).
#[derive(Clone, Copy, Debug, Default)]
pub struct NameFinder;

static DICTIONARY: OnceLock<Jieba> = OnceLock::new();

/// jieba 0.11's own dictionary (`src/data/dict.txt`, MIT), zstd-compressed with a 256 KiB
/// window. jieba's `Jieba::new()` decompresses its embedded copy into a static string that
/// stays for the life of the process (8.4 MiB); read from here, the text streams through a
/// line buffer and only jieba's trie and records stay.
const DICTIONARY_ZSTD: &[u8] = include_bytes!("../data/jieba-dict.txt.zst");

/// jieba's segmenter with its dictionary, built on first use and shared.
pub(crate) fn jieba() -> &'static Jieba {
    DICTIONARY.get_or_init(build_jieba)
}

/// Loads the dictionary streamed from [`DICTIONARY_ZSTD`]; should that fail (a defect the
/// tests catch), jieba's own copy gives the same segmenter at the cost of its kept text.
fn build_jieba() -> Jieba {
    let mut jieba = Jieba::empty();
    let loaded = zstd::stream::read::Decoder::new(DICTIONARY_ZSTD).and_then(|decoder| {
        jieba
            .load_dict(&mut std::io::BufReader::new(decoder))
            .map_err(std::io::Error::other)
    });
    match loaded {
        Ok(()) => jieba,
        Err(error) => {
            tracing::error!(%error, "the embedded jieba dictionary did not load; using jieba's own");
            Jieba::new()
        }
    }
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
    fn the_streamed_dictionary_is_jiebas_own() {
        let ours = build_jieba();
        let theirs = Jieba::new();
        // `Debug` shows the record count and the frequency total.
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert!(format!("{ours:?}").contains("records_len: 349"), "{ours:?}");
        let text = "张建国把低保名额给了亲戚，村里的路三年没修了，下雨全是泥。\
                    镇党委书记李明华到村里开群众评议会，背对背征求意见，整改落实情况要通报。";
        assert_eq!(ours.tag(text, true), theirs.tag(text, true));
        assert_eq!(ours.cut(text, true), theirs.cut(text, true));
    }

    #[test]
    fn names_are_found_and_ordinary_words_are_not() {
        let finder = NameFinder;
        let found = finder.names("张建国把低保名额给了亲戚,村里的路也没修。");
        assert_eq!(found, vec!["张建国".to_string()]);
        assert!(finder.names("村里的路三年没修了,下雨全是泥。").is_empty());
        assert!(finder.names("[手机号] 20万元 960份").is_empty());
    }
}
