//! The sums a round's results are computed from, over its released and waiting responses,
//! read in one pass over the round's answers.
//!
//! Answers are stored in random order (no arrival order at rest), so a round's answers lie
//! scattered over the table: grouping them in SQL cost a read of every scattered row per sum,
//! six sums per round (130 ms for a 通报 draft with 13,500 answers per round, 1 M opinions).
//! Each answer names its round, and `answers_round` holds a round's rated answers side by
//! side; they are read from that index once and every sum is taken here.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;
use vocabulary::appraisal::Rating;

use super::appraisal::Round;
use super::schema::{answers, responses, waiting_answers, waiting_responses};
use super::{DbConnection, DbError};

/// What the results are computed from; counts are answers or distinct people as named.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RoundSums {
    /// Answers per subject, item and level.
    pub cells: Vec<(String, String, Rating, i64)>,
    /// People per subject and level.
    pub subject_levels: Vec<(String, Rating, i64)>,
    /// People per subject.
    pub subjects: Vec<(String, i64)>,
    /// People per level.
    pub levels: Vec<(Rating, i64)>,
    /// Responses.
    pub responses: i64,
    /// Written answers, sorted (never in the order they came).
    pub texts: Vec<String>,
}

/// One rated answer: response, subject, item key and level (a stored level name that is no
/// level fails the read).
type Rated = (String, String, String, Rating);

/// What one pair of answer and response tables (released or waiting) holds of a round.
#[derive(Debug, Default)]
struct Read {
    /// Its rated answers, held responses' included.
    rated: Vec<Rated>,
    /// Its written answers as (response, words), held responses' included.
    texts: Vec<(String, String)>,
    /// Its held responses (待核), left out of every sum.
    held: Vec<String>,
    /// How many of its responses count.
    responses: i64,
}

/// Reads a round from one pair of tables (the released ones or the holding ones).
macro_rules! read_round {
    ($conn:expr, $id:expr, $answers:ident, $responses:ident) => {{
        let of_round = || $answers::table.filter($answers::round_id.eq($id));
        Read {
            rated: of_round()
                .filter($answers::rating.is_not_null())
                .select((
                    $answers::response_id,
                    $answers::subject_id,
                    $answers::item_key,
                    $answers::rating.assume_not_null(),
                ))
                .load($conn)?,
            texts: of_round()
                .filter($answers::rating.is_null())
                .filter($answers::text.is_not_null())
                .select(($answers::response_id, $answers::text.assume_not_null()))
                .load($conn)?,
            held: $responses::table
                .filter($responses::round_id.eq($id))
                .filter($responses::held.eq(true))
                .select($responses::id)
                .load($conn)?,
            responses: $responses::table
                .filter($responses::round_id.eq($id))
                .filter($responses::held.eq(false))
                .count()
                .get_result($conn)?,
        }
    }};
}

impl Round {
    /// The sums a round's results are computed from, over released and waiting responses;
    /// held responses (待核) are left out.
    pub fn sums(conn: &mut DbConnection, id: &str) -> Result<RoundSums, DbError> {
        let released = read_round!(conn, id, answers, responses);
        let waiting = read_round!(conn, id, waiting_answers, waiting_responses);
        Ok(RoundSums::of(&[released, waiting]))
    }
}

impl RoundSums {
    /// Every sum over the reads together: a response is either released or waiting, so the
    /// distinct people of both add up.
    fn of(reads: &[Read]) -> RoundSums {
        let held: HashSet<&str> = reads
            .iter()
            .flat_map(|r| &r.held)
            .map(String::as_str)
            .collect();
        let counted = |response: &String| !held.contains(response.as_str());
        let mut cells: BTreeMap<(&str, &str, Rating), i64> = BTreeMap::new();
        let mut subject_level_people = HashSet::new();
        let mut subject_people = HashSet::new();
        let mut level_people = HashSet::new();
        let rated = reads.iter().flat_map(|r| &r.rated);
        for (response, subject, item, level) in rated.filter(|row| counted(&row.0)) {
            *cells.entry((subject, item, *level)).or_default() += 1;
            subject_level_people.insert((subject.as_str(), *level, response.as_str()));
            subject_people.insert((subject.as_str(), response.as_str()));
            level_people.insert((*level, response.as_str()));
        }
        let mut texts: Vec<String> = reads
            .iter()
            .flat_map(|r| &r.texts)
            .filter(|(response, _)| counted(response))
            .map(|(_, words)| words.clone())
            .collect();
        texts.sort();
        RoundSums {
            cells: cells
                .into_iter()
                .map(|((s, i, l), n)| (s.to_string(), i.to_string(), l, n))
                .collect(),
            subject_levels: counted_by(subject_level_people.into_iter().map(|(s, l, _)| (s, l)))
                .map(|((s, l), n)| (s.to_string(), l, n))
                .collect(),
            subjects: counted_by(subject_people.into_iter().map(|(s, _)| s))
                .map(|(s, n)| (s.to_string(), n))
                .collect(),
            levels: counted_by(level_people.into_iter().map(|(l, _)| l)).collect(),
            responses: reads.iter().map(|r| r.responses).sum(),
            texts,
        }
    }
}

/// How many times each key occurs, in key order.
fn counted_by<K: Ord>(keys: impl Iterator<Item = K>) -> impl Iterator<Item = (K, i64)> {
    let mut counts: BTreeMap<K, i64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    counts.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::{Dissatisfied, Satisfied};

    fn rated(response: &str, subject: &str, item: &str, level: Rating) -> Rated {
        (response.into(), subject.into(), item.into(), level)
    }

    #[test]
    fn people_are_counted_once_per_sum_and_held_responses_not_at_all() {
        let released = Read {
            rated: vec![
                rated("r1", "village-a", "q1", Satisfied),
                rated("r1", "village-a", "q2", Satisfied),
                rated("r1", "village-b", "q1", Dissatisfied),
                rated("r2", "village-a", "q1", Satisfied),
                rated("held", "village-a", "q1", Dissatisfied),
            ],
            texts: vec![
                ("r2".into(), "路灯要修".into()),
                ("held".into(), "不算".into()),
            ],
            held: vec!["held".into()],
            responses: 2,
        };
        let waiting = Read {
            rated: vec![rated("w1", "village-b", "q1", Dissatisfied)],
            texts: vec![("w1".into(), "多开会".into())],
            held: Vec::new(),
            responses: 1,
        };
        let sums = RoundSums::of(&[released, waiting]);
        let owned = |s: &str, i: &str, l, n| (s.to_string(), i.to_string(), l, n);
        assert_eq!(
            sums.cells,
            vec![
                owned("village-a", "q1", Satisfied, 2),
                owned("village-a", "q2", Satisfied, 1),
                owned("village-b", "q1", Dissatisfied, 2),
            ]
        );
        assert_eq!(
            sums.subject_levels,
            vec![
                ("village-a".to_string(), Satisfied, 2),
                ("village-b".to_string(), Dissatisfied, 2),
            ]
        );
        assert_eq!(
            sums.subjects,
            vec![("village-a".to_string(), 2), ("village-b".to_string(), 2)]
        );
        // Levels in the scale's order, best first.
        assert_eq!(sums.levels, vec![(Satisfied, 2), (Dissatisfied, 2)]);
        assert_eq!(sums.responses, 3);
        assert_eq!(
            sums.texts,
            vec!["多开会".to_string(), "路灯要修".to_string()]
        );
    }

    #[test]
    fn a_stored_level_that_is_no_level_fails_the_read_instead_of_being_left_out() {
        use diesel::connection::SimpleConnection;
        let mut conn = DbConnection::establish(":memory:").expect("in-memory SQLite");
        crate::db::migrate_connection(&mut conn).expect("migrated");
        // Only the answers matter here, so the round and subjects they refer to are left out.
        conn.batch_execute(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO responses (id, round_id, change_hash, held) VALUES ('r1', 'k1', 'h', FALSE);
             INSERT INTO answers (response_id, subject_id, item_key, rating, text, round_id)
             VALUES ('r1', 's1', 'q1', 'satisfied', NULL, 'k1');",
        )
        .expect("inserted");
        let sums = Round::sums(&mut conn, "k1").expect("stored levels read");
        assert_eq!(sums.levels, vec![(Satisfied, 1)]);
        conn.batch_execute(
            "INSERT INTO answers (response_id, subject_id, item_key, rating, text, round_id)
             VALUES ('r1', 's1', 'q2', '满意', NULL, 'k1');",
        )
        .expect("inserted");
        let error = Round::sums(&mut conn, "k1").expect_err("a label is no stored level");
        assert!(error.to_string().contains("unknown rating"), "{error}");
    }

    #[test]
    fn a_round_without_answers_sums_to_nothing() {
        assert_eq!(
            RoundSums::of(&[Read::default(), Read::default()]),
            RoundSums::default()
        );
    }
}
