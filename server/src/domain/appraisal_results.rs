//! A finished round's results: counts per subject, item and level, every total people could
//! subtract from, and the rates, with small counts hidden across all of those tables at once.

use std::collections::HashMap;

use vocabulary::appraisal::{ItemResults, ResultLine};

use super::appraisal::{LevelCounts, SatisfactionFormula, rates};
use super::disclosure::{Sum, protect};

/// What the answers of a round add up to, read from the database.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    /// Answers per (subject, item) and level.
    pub cells: HashMap<(String, String), LevelCounts>,
    /// Distinct people per subject and level, over all its rated items.
    pub subject_level_people: HashMap<String, [u32; 4]>,
    /// Distinct people who rated anything about a subject.
    pub subject_people: HashMap<String, u32>,
    /// Distinct people per level, over everything.
    pub level_people: [u32; 4],
    /// People who answered at all.
    pub responses: u32,
}

/// The results before they are joined to the round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// All rated items together, a line per subject.
    pub summary: Vec<ResultLine>,
    /// Everything together.
    pub overall: ResultLine,
    /// Item by item.
    pub items: Vec<ItemResults>,
}

/// The counts of every published figure, with the people behind each and the sums between
/// them, laid out as: cells, item lines' totals, items over all subjects, their totals,
/// subject summaries, their totals, the overall levels, the grand total.
struct Layout {
    subjects: usize,
    items: usize,
}

impl Layout {
    fn cell(&self, s: usize, i: usize, l: usize) -> usize {
        (s * self.items + i) * 4 + l
    }
    fn line_total(&self, s: usize, i: usize) -> usize {
        self.subjects * self.items * 4 + s * self.items + i
    }
    fn item_all(&self, i: usize, l: usize) -> usize {
        self.subjects * self.items * 5 + i * 4 + l
    }
    fn item_total(&self, i: usize) -> usize {
        self.subjects * self.items * 5 + self.items * 4 + i
    }
    fn summary(&self, s: usize, l: usize) -> usize {
        self.subjects * self.items * 5 + self.items * 5 + s * 4 + l
    }
    fn summary_total(&self, s: usize) -> usize {
        self.subjects * self.items * 5 + self.items * 5 + self.subjects * 4 + s
    }
    fn overall(&self, l: usize) -> usize {
        (self.subjects * self.items + self.items + self.subjects) * 5 + l
    }
    fn grand(&self) -> usize {
        (self.subjects * self.items + self.items + self.subjects) * 5 + 4
    }
    fn len(&self) -> usize {
        self.grand() + 1
    }

    /// Every published sum.
    fn sums(&self) -> Vec<Sum> {
        let (subjects, items) = (0..self.subjects, 0..self.items);
        let levels = || 0..4;
        let mut sums = Vec::new();
        let mut add = |total: usize, parts: Vec<usize>| sums.push(Sum { total, parts });
        for s in subjects.clone() {
            for i in items.clone() {
                add(
                    self.line_total(s, i),
                    levels().map(|l| self.cell(s, i, l)).collect(),
                );
            }
            for l in levels() {
                add(
                    self.summary(s, l),
                    items.clone().map(|i| self.cell(s, i, l)).collect(),
                );
            }
            add(
                self.summary_total(s),
                levels().map(|l| self.summary(s, l)).collect(),
            );
            add(
                self.summary_total(s),
                items.clone().map(|i| self.line_total(s, i)).collect(),
            );
        }
        for i in items.clone() {
            for l in levels() {
                add(
                    self.item_all(i, l),
                    subjects.clone().map(|s| self.cell(s, i, l)).collect(),
                );
            }
            add(
                self.item_total(i),
                levels().map(|l| self.item_all(i, l)).collect(),
            );
            add(
                self.item_total(i),
                subjects.clone().map(|s| self.line_total(s, i)).collect(),
            );
        }
        for l in levels() {
            add(
                self.overall(l),
                subjects.clone().map(|s| self.summary(s, l)).collect(),
            );
            add(
                self.overall(l),
                items.clone().map(|i| self.item_all(i, l)).collect(),
            );
        }
        let grand = self.grand();
        add(grand, levels().map(|l| self.overall(l)).collect());
        add(grand, subjects.map(|s| self.summary_total(s)).collect());
        add(grand, items.map(|i| self.item_total(i)).collect());
        sums
    }
}

/// Every figure's count and whether it is hidden.
fn figures(
    subjects: &[(String, String)],
    items: &[(String, String)],
    tallies: &Tallies,
    k: u32,
) -> (Layout, Vec<u32>, Vec<bool>) {
    let layout = Layout {
        subjects: subjects.len(),
        items: items.len(),
    };
    let mut counts = vec![0u32; layout.len()];
    // People behind each figure: an item's counts are people (one answer each); sums over
    // items count a person once however many items they rated.
    let mut people = vec![0u32; layout.len()];
    for (s, (subject, _)) in subjects.iter().enumerate() {
        for (i, (item, _)) in items.iter().enumerate() {
            let cell = tallies
                .cells
                .get(&(subject.clone(), item.clone()))
                .copied()
                .unwrap_or_default();
            for l in 0..4 {
                let n = cell.0[l];
                for at in [
                    layout.cell(s, i, l),
                    layout.line_total(s, i),
                    layout.item_all(i, l),
                    layout.item_total(i),
                    layout.summary(s, l),
                    layout.summary_total(s),
                    layout.overall(l),
                    layout.grand(),
                ] {
                    counts[at] += n;
                }
                people[layout.cell(s, i, l)] = n;
                people[layout.item_all(i, l)] += n;
            }
            people[layout.line_total(s, i)] = cell.total();
            people[layout.item_total(i)] += cell.total();
        }
        let level_people = tallies
            .subject_level_people
            .get(subject)
            .copied()
            .unwrap_or_default();
        for (l, n) in level_people.into_iter().enumerate() {
            people[layout.summary(s, l)] = n;
        }
        people[layout.summary_total(s)] = tallies.subject_people.get(subject).copied().unwrap_or(0);
    }
    for l in 0..4 {
        people[layout.overall(l)] = tallies.level_people[l];
    }
    people[layout.grand()] = tallies.responses;

    // A count whose people are unknown (0) is hidden too, to be safe.
    let seeded = counts
        .iter()
        .zip(&people)
        .map(|(&n, &p)| n > 0 && p < k)
        .collect();
    let hidden = protect(&counts, seeded, &layout.sums());
    (layout, counts, hidden)
}

/// Computes the results of `subjects` (id, label) on the rated `items` (key, text). A figure
/// stands for fewer than `k` people is hidden, and so is any figure it could be worked out from
/// by one published sum. `previous` holds the previous round's shown 满意率 per subject id, and
/// under `""` overall.
pub fn compute(
    subjects: &[(String, String)],
    items: &[(String, String)],
    tallies: &Tallies,
    k: u32,
    formula: &SatisfactionFormula,
    previous: &HashMap<String, u32>,
) -> Computed {
    let (layout, counts, hidden) = figures(subjects, items, tallies, k);
    let line = |label: &str, levels: [usize; 4], total: usize, key: Option<&str>| {
        let shown = |i: usize| (!hidden[i]).then_some(counts[i]);
        let all_shown = levels.iter().all(|&i| !hidden[i]) && !hidden[total];
        let level_counts = LevelCounts(levels.map(|i| counts[i]));
        let r = rates(&level_counts, formula);
        let satisfaction = r.satisfaction.filter(|_| all_shown);
        let trend = key.and_then(|key| {
            let before = i64::from(*previous.get(key)?);
            let now = i64::from(satisfaction?);
            i32::try_from(now - before).ok()
        });
        ResultLine {
            label: label.to_string(),
            counts: levels.iter().map(|&i| shown(i)).collect(),
            total: shown(total),
            satisfaction,
            basic: r.basic.filter(|_| all_shown),
            dissatisfied: r.dissatisfied.filter(|_| all_shown),
            trend,
        }
    };
    let level_indices = |f: &dyn Fn(usize) -> usize| [f(0), f(1), f(2), f(3)];

    Computed {
        summary: subjects
            .iter()
            .enumerate()
            .map(|(s, (id, label))| {
                line(
                    label,
                    level_indices(&|l| layout.summary(s, l)),
                    layout.summary_total(s),
                    Some(id),
                )
            })
            .collect(),
        overall: line(
            "",
            level_indices(&|l| layout.overall(l)),
            layout.grand(),
            Some(""),
        ),
        items: items
            .iter()
            .enumerate()
            .map(|(i, (key, text))| ItemResults {
                key: key.clone(),
                text: text.clone(),
                lines: subjects
                    .iter()
                    .enumerate()
                    .map(|(s, (_, label))| {
                        line(
                            label,
                            level_indices(&|l| layout.cell(s, i, l)),
                            layout.line_total(s, i),
                            None,
                        )
                    })
                    .collect(),
                all: line(
                    "",
                    level_indices(&|l| layout.item_all(i, l)),
                    layout.item_total(i),
                    None,
                ),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;
    use vocabulary::appraisal::Rating;

    fn named(ids: &[&str]) -> Vec<(String, String)> {
        ids.iter()
            .map(|i| (i.to_string(), format!("{i}名")))
            .collect()
    }

    /// Tallies where every person rated every item of every subject at random levels.
    fn answered(subjects: &[&str], items: &[&str], people: &[Vec<Vec<usize>>]) -> Tallies {
        let mut t = Tallies {
            responses: u32::try_from(people.len()).unwrap(),
            ..Tallies::default()
        };
        for person in people {
            let mut any_level = [false; 4];
            for (s, subject) in subjects.iter().enumerate() {
                let mut levels = [false; 4];
                for (i, item) in items.iter().enumerate() {
                    let l = person[s][i];
                    t.cells
                        .entry((subject.to_string(), item.to_string()))
                        .or_default()
                        .add(Rating::ALL[l]);
                    levels[l] = true;
                    any_level[l] = true;
                }
                let row = t
                    .subject_level_people
                    .entry(subject.to_string())
                    .or_default();
                for (n, seen) in row.iter_mut().zip(levels) {
                    *n += u32::from(seen);
                }
                *t.subject_people.entry(subject.to_string()).or_default() += 1;
            }
            for (n, seen) in t.level_people.iter_mut().zip(any_level) {
                *n += u32::from(seen);
            }
        }
        t
    }

    #[test]
    fn the_seeds_township_rate_by_hand() {
        // 940 answers on the overall item: 800 满意, 121 比较满意, 19 基本满意.
        let mut t = Tallies {
            responses: 940,
            ..Tallies::default()
        };
        t.cells.insert(
            ("village".into(), "overall".into()),
            LevelCounts([800, 121, 19, 0]),
        );
        t.subject_level_people
            .insert("village".into(), [800, 121, 19, 0]);
        t.subject_people.insert("village".into(), 940);
        t.level_people = [800, 121, 19, 0];
        let previous = HashMap::from([("village".to_string(), 950u32)]);
        let got = compute(
            &named(&["village"]),
            &named(&["overall"]),
            &t,
            5,
            &SatisfactionFormula::default(),
            &previous,
        );
        let line = &got.summary[0];
        assert_eq!(line.satisfaction, Some(980));
        assert_eq!(line.basic, Some(20));
        assert_eq!(line.dissatisfied, Some(0));
        assert_eq!(line.counts, vec![Some(800), Some(121), Some(19), Some(0)]);
        assert_eq!(line.trend, Some(30), "95.0 % → 98.0 %");
        assert_eq!(got.overall.total, Some(940));
    }

    #[test]
    fn a_small_cell_is_hidden_and_cannot_be_worked_out_from_the_totals() {
        // Seven people rate two villages on one item; exactly two are dissatisfied with B.
        let levels = |a: usize, b: usize| vec![vec![a], vec![b]];
        let people = vec![
            levels(0, 3),
            levels(0, 3),
            levels(0, 0),
            levels(0, 0),
            levels(0, 0),
            levels(0, 0),
            levels(0, 0),
        ];
        let t = answered(&["a", "b"], &["overall"], &people);
        let got = compute(
            &named(&["a", "b"]),
            &named(&["overall"]),
            &t,
            5,
            &SatisfactionFormula::default(),
            &HashMap::new(),
        );
        let b = &got.items[0].lines[1];
        assert_eq!(b.counts[3], None, "two dissatisfied people are hidden");
        assert_eq!(b.satisfaction, None, "a rate would give them away");
        let all = &got.items[0].all;
        let a = &got.items[0].lines[0];
        // The differencing attack: all villages' 不满意 minus village A's must not be possible.
        assert!(
            all.counts[3].is_none() || a.counts[3].is_none(),
            "{all:?} {a:?}"
        );
        // And B's line total minus its shown levels must not give it either.
        let shown: u32 = b.counts.iter().flatten().sum();
        assert!(
            b.total.is_none() || b.counts.iter().filter(|c| c.is_none()).count() > 1 || shown == 0
        );
    }

    #[test]
    fn random_rounds_never_leave_a_hidden_figure_alone_in_a_sum() {
        let mut rng = rand::rng();
        for _ in 0..300 {
            let subjects = ["s1", "s2", "s3"][..rng.random_range(1..4)].to_vec();
            let items = ["i1", "i2", "i3"][..rng.random_range(1..4)].to_vec();
            let people: Vec<Vec<Vec<usize>>> = (0..rng.random_range(0..30))
                .map(|_| {
                    subjects
                        .iter()
                        .map(|_| {
                            items
                                .iter()
                                .map(|_| {
                                    if rng.random_bool(0.7) {
                                        0
                                    } else {
                                        rng.random_range(1..4)
                                    }
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let t = answered(&subjects, &items, &people);
            let (layout, counts, hidden) = figures(&named(&subjects), &named(&items), &t, 5);
            for sum in layout.sums() {
                let members = std::iter::once(sum.total).chain(sum.parts.iter().copied());
                let alone: Vec<usize> = members.filter(|&i| hidden[i]).collect();
                assert_ne!(
                    alone.len(),
                    1,
                    "figure {} = {} recoverable",
                    alone[0],
                    counts[alone[0]]
                );
            }
            for s in 0..subjects.len() {
                for i in 0..items.len() {
                    for l in 0..4 {
                        let at = layout.cell(s, i, l);
                        if counts[at] > 0 && counts[at] < 5 {
                            assert!(hidden[at]);
                        }
                    }
                }
            }
        }
    }
}
