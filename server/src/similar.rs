//! Which opinions say the same thing (归纳整理): jieba segments each text and weighs its words
//! by TF-IDF (jieba's IDF table), and texts are compared by the cosine of those weights.

use std::sync::OnceLock;

use jieba_rs::{KeywordExtract, TfIdf};

/// Two texts at least this similar are suggested together.
pub const SUGGEST_AT: f64 = 0.3;
/// Words kept per text: enough for a complaint, few enough to ignore asides.
const WORDS_PER_TEXT: usize = 24;
/// Parts of speech that carry the subject of a complaint: nouns, verbs, adjectives, idioms.
const CONTENT_TAGS: [&str; 16] = [
    "n", "nr", "ns", "nt", "nz", "ng", "nrt", "v", "vn", "vd", "a", "an", "ad", "l", "i", "eng",
];

static WEIGHTS: OnceLock<TfIdf> = OnceLock::new();

/// A text's content words with unit-length TF-IDF weights, sorted by word.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile(Vec<(String, f64)>);

impl Profile {
    /// The profile of a text (jieba's dictionaries are built on first use).
    pub fn of(text: &str) -> Profile {
        let extractor = WEIGHTS.get_or_init(TfIdf::default);
        let tags = CONTENT_TAGS.iter().map(|t| t.to_string()).collect();
        let words = extractor.extract_keywords(crate::names::jieba(), text, WORDS_PER_TEXT, tags);
        Profile::from_weights(words.into_iter().map(|k| (k.keyword, k.weight)))
    }

    /// A profile from words and raw weights (normalised here).
    fn from_weights(words: impl IntoIterator<Item = (String, f64)>) -> Profile {
        let mut words: Vec<(String, f64)> = words.into_iter().filter(|(_, w)| *w > 0.0).collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        words.dedup_by(|a, b| a.0 == b.0);
        let norm = words.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            words.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        Profile(words)
    }

    /// Cosine similarity, 0 (nothing shared) to 1 (the same words in the same proportion).
    pub fn similarity(&self, other: &Profile) -> f64 {
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].0.cmp(&other.0[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += self.0[i].1 * other.0[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.clamp(0.0, 1.0)
    }

    /// Whether the text had no content words.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Similarity as the percentage people read, rounded down so 29.9 % is not shown as 30 %.
pub fn percent(score: f64) -> u8 {
    (score * 100.0).floor().clamp(0.0, 100.0) as u8
}

/// One suggested group: indexes into the profiles, each with its similarity to the first.
pub type Group = Vec<(usize, f64)>;

/// Groups of texts worth merging, most members first. Each text joins at most one group: the
/// first text (in the given order) still free becomes a group's reference, and every free text
/// at least `threshold` similar to it joins, most similar first. Texts alone form no group.
pub fn groups(profiles: &[Profile], threshold: f64) -> Vec<Group> {
    let mut taken = vec![false; profiles.len()];
    let mut found = Vec::new();
    for (seed, profile) in profiles.iter().enumerate() {
        if taken[seed] || profile.is_empty() {
            continue;
        }
        let mut members: Group = profiles
            .iter()
            .enumerate()
            .skip(seed + 1)
            .filter(|(i, _)| !taken[*i])
            .map(|(i, other)| (i, profile.similarity(other)))
            .filter(|(_, s)| *s >= threshold)
            .collect();
        if members.is_empty() {
            continue;
        }
        members.sort_by(|a, b| b.1.total_cmp(&a.1));
        taken[seed] = true;
        members.iter().for_each(|(i, _)| taken[*i] = true);
        members.insert(0, (seed, 1.0));
        found.push(members);
    }
    found.sort_by_key(|g| std::cmp::Reverse(g.len()));
    found
}

/// The candidates at least `threshold` similar to `profile`, most similar first, at most `limit`.
pub fn nearest(
    profile: &Profile,
    candidates: &[Profile],
    threshold: f64,
    limit: usize,
) -> Vec<(usize, f64)> {
    let mut scored: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, profile.similarity(c)))
        .filter(|(_, s)| *s >= threshold)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(limit);
    scored
}

/// The words a group shares, heaviest first: those in at least two of its texts, at most `limit`.
pub fn shared_words(members: &[&Profile], limit: usize) -> Vec<String> {
    let mut totals: Vec<(String, f64, usize)> = Vec::new();
    for profile in members {
        for (word, weight) in &profile.0 {
            match totals.iter_mut().find(|(w, _, _)| w == word) {
                Some(entry) => {
                    entry.1 += weight;
                    entry.2 += 1;
                }
                None => totals.push((word.clone(), *weight, 1)),
            }
        }
    }
    totals.retain(|(_, _, n)| *n >= 2);
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    totals.into_iter().take(limit).map(|(w, _, _)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROAD_1: &str = "村东头的水泥路坏了一年多,下雨天全是泥坑,孩子上学要绕远路,希望尽快修路。";
    const ROAD_2: &str = "我们村东头那条水泥路破损严重,一下雨就是泥坑,请镇里安排修路。";
    const ROAD_3: &str = "东头的路面坑坑洼洼,下雨泥坑积水,老人走路摔过跤,盼望早日修好这条水泥路。";
    const SUBSIDY: &str = "低保名额评定不公开,有的家庭条件好也评上了,希望公示低保名单。";
    const WATER: &str = "自来水经常停水,夏天一停就是好几天,村民用水很困难。";

    #[test]
    fn texts_about_the_same_thing_score_higher_than_unrelated_ones() {
        let road_1 = Profile::of(ROAD_1);
        let road_2 = Profile::of(ROAD_2);
        let subsidy = Profile::of(SUBSIDY);
        let water = Profile::of(WATER);
        assert!(road_1.similarity(&road_2) >= SUGGEST_AT);
        assert!(road_1.similarity(&subsidy) < SUGGEST_AT);
        assert!(road_1.similarity(&water) < SUGGEST_AT);
        assert!((road_1.similarity(&road_1) - 1.0).abs() < 1e-9);
        assert_eq!(road_1.similarity(&Profile::of("")), 0.0);
    }

    #[test]
    fn similar_texts_form_one_group_and_lone_texts_none() {
        let profiles: Vec<Profile> = [ROAD_1, SUBSIDY, ROAD_2, WATER, ROAD_3]
            .iter()
            .map(|t| Profile::of(t))
            .collect();
        let found = groups(&profiles, SUGGEST_AT);
        assert_eq!(found.len(), 1, "{found:?}");
        let members: Vec<usize> = found[0].iter().map(|(i, _)| *i).collect();
        assert_eq!(members[0], 0);
        assert_eq!(members.len(), 3, "{found:?}");
        assert!(members.contains(&2) && members.contains(&4));
        assert!(found[0].windows(2).skip(1).all(|w| w[0].1 >= w[1].1));
        let words = shared_words(&[&profiles[0], &profiles[2], &profiles[4]], 3);
        assert!(
            words.iter().any(|w| w == "水泥路" || w == "泥坑"),
            "{words:?}"
        );
    }

    #[test]
    fn nearest_keeps_the_similar_ones_best_first() {
        let candidates: Vec<Profile> = [WATER, ROAD_2, SUBSIDY, ROAD_3]
            .iter()
            .map(|t| Profile::of(t))
            .collect();
        let near = nearest(&Profile::of(ROAD_1), &candidates, SUGGEST_AT, 5);
        let ids: Vec<usize> = near.iter().map(|(i, _)| *i).collect();
        assert_eq!(ids.len(), 2, "{near:?}");
        assert!(ids.contains(&1) && ids.contains(&3));
        assert!(near[0].1 >= near[1].1);
        assert_eq!(
            nearest(&Profile::of(ROAD_1), &candidates, SUGGEST_AT, 1).len(),
            1
        );
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(percent(0.299), 29);
        assert_eq!(percent(1.0), 100);
        assert_eq!(percent(-0.1), 0);
    }
}
