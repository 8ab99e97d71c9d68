//! Appraisal results: counts per level and the rates the seeds publish ("满意率为98%,基本满意率为2%").

use vocabulary::appraisal::Rating;
pub use vocabulary::appraisal::percent_text;

/// How many answers an item (or a subject) got at each level, in [`Rating::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelCounts(pub [u32; 4]);

impl LevelCounts {
    /// Counts one more answer at `rating`.
    pub fn add(&mut self, rating: Rating) {
        self.0[rating.index()] += 1;
    }

    /// Answers at `rating`.
    pub fn at(&self, rating: Rating) -> u32 {
        self.0[rating.index()]
    }

    /// All answers.
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }
}

/// Which levels the satisfaction rate (满意率) counts. The default is 满意 and 比较满意 over all
/// answers; some counties count 满意 alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SatisfactionFormula {
    counted: Vec<Rating>,
}

impl Default for SatisfactionFormula {
    fn default() -> Self {
        SatisfactionFormula {
            counted: vec![Rating::Satisfied, Rating::FairlySatisfied],
        }
    }
}

impl SatisfactionFormula {
    /// Reads `satisfied+fairly_satisfied` (stable names or Chinese labels, joined by `+`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut counted = Vec::new();
        for part in text.split('+').map(str::trim).filter(|p| !p.is_empty()) {
            let rating = Rating::parse(part).ok_or_else(|| format!("unknown level {part:?}"))?;
            if !counted.contains(&rating) {
                counted.push(rating);
            }
        }
        if counted.is_empty() {
            return Err("name at least one level, e.g. satisfied+fairly_satisfied".into());
        }
        Ok(SatisfactionFormula { counted })
    }

    /// The levels counted.
    pub fn levels(&self) -> &[Rating] {
        &self.counted
    }
}

/// A rate in tenths of a percent (per mille), rounded half up; `None` without any answer.
pub fn per_mille(part: u32, total: u32) -> Option<u32> {
    (total > 0).then(|| {
        let (part, total) = (u64::from(part), u64::from(total));
        u32::try_from((part * 2000 + total) / (2 * total)).unwrap_or(1000)
    })
}

/// The published rates of one set of answers, per mille.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    /// 满意率, by the formula.
    pub satisfaction: Option<u32>,
    /// 基本满意率.
    pub basic: Option<u32>,
    /// 不满意率.
    pub dissatisfied: Option<u32>,
}

/// The rates of `counts` under `formula`.
pub fn rates(counts: &LevelCounts, formula: &SatisfactionFormula) -> Rates {
    let total = counts.total();
    let counted: u32 = formula.levels().iter().map(|r| counts.at(*r)).sum();
    Rates {
        satisfaction: per_mille(counted, total),
        basic: per_mille(counts.at(Rating::BasicallySatisfied), total),
        dissatisfied: per_mille(counts.at(Rating::Dissatisfied), total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_township_figures_by_hand() {
        // 960 slips handed out, 940 answered: 800 满意, 121 比较满意, 19 基本满意, 0 不满意.
        let counts = LevelCounts([800, 121, 19, 0]);
        let got = rates(&counts, &SatisfactionFormula::default());
        // 921 / 940 = 97.98 % → 98.0 %; 19 / 940 = 2.02 % → 2.0 %.
        assert_eq!(got.satisfaction, Some(980));
        assert_eq!(got.basic, Some(20));
        assert_eq!(got.dissatisfied, Some(0));
        assert_eq!(percent_text(980), "98%");
        // Response rate: 940 / 960 = 97.92 % → 97.9 %.
        assert_eq!(per_mille(940, 960), Some(979));
        assert_eq!(percent_text(979), "97.9%");
        // Counting 满意 alone: 800 / 940 = 85.11 % → 85.1 %.
        let strict = SatisfactionFormula::parse("满意").unwrap();
        assert_eq!(rates(&counts, &strict).satisfaction, Some(851));
    }

    #[test]
    fn rounding_is_half_up_and_no_answers_give_no_rate() {
        assert_eq!(per_mille(1, 8), Some(125));
        assert_eq!(per_mille(1, 2000), Some(1), "0.05 % rounds up to 0.1 %");
        assert_eq!(per_mille(1, 2001), Some(0));
        assert_eq!(per_mille(0, 0), None);
        assert_eq!(
            rates(&LevelCounts::default(), &SatisfactionFormula::default()).satisfaction,
            None
        );
    }

    #[test]
    fn formulas_name_levels_and_counts_add_up() {
        assert!(SatisfactionFormula::parse("").is_err());
        assert!(SatisfactionFormula::parse("satisfied+great").is_err());
        assert_eq!(
            SatisfactionFormula::parse("satisfied + 比较满意 + satisfied").unwrap(),
            SatisfactionFormula::default()
        );
        let mut counts = LevelCounts::default();
        for r in [Rating::Satisfied, Rating::Dissatisfied, Rating::Satisfied] {
            counts.add(r);
        }
        assert_eq!((counts.at(Rating::Satisfied), counts.total()), (2, 3));
    }
}
