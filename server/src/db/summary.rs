//! A reviewer's released opinions summed up for the inbox: how many are in each state, the
//! villages they came from and whom they are about.
//!
//! The sums are taken over the group's released opinions whose subjects are known, with no
//! per-row check, and then what the reviewer may not see is taken off: the few opinions the
//! account recused from or that name its person, read by their ids. Checking each row for
//! recusal instead cost two index probes per opinion: 70 ms for the counts alone at 13,500
//! opinions in one township (`scripts/bench-province.sh`, 1 M opinions).

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;

use super::opinions::{Opinion, TargetPair};
use super::schema::{boxes, opinion_subjects, opinions, recusals};
use super::units::Unit;
use super::visibility::Scope;
use super::{DbConnection, DbError};

/// A reviewer's released, visible opinions summed up for the inbox ([`Opinion::scope_summary`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScopeSummary {
    /// How many are in each state (states with none left out), by state name.
    pub state_counts: Vec<(String, i64)>,
    /// The names of the villages they came from, sorted.
    pub villages: Vec<String>,
    /// Whom they are about: each distinct target.
    pub targets: Vec<TargetPair>,
}

/// The state, the box's unit and the target of opinions, with how many share them.
type Key = (String, String, TargetPair);

/// Ids looked up per statement.
const IDS_PER_QUERY: usize = 500;

impl Opinion {
    /// The summary of what `scope` sees (see the module's comment).
    pub fn scope_summary(conn: &mut DbConnection, scope: &Scope) -> Result<ScopeSummary, DbError> {
        let rows: Vec<(String, String, TargetPair, i64)> = opinions::table
            .inner_join(boxes::table)
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(opinions::released_on.is_not_null())
            .filter(opinions::subjects_derived.ne(false))
            .group_by((
                opinions::state,
                boxes::unit_id,
                opinions::target_person_id,
                opinions::target_unit_id,
            ))
            .select((
                opinions::state,
                boxes::unit_id,
                (opinions::target_person_id, opinions::target_unit_id),
                diesel::dsl::count_star(),
            ))
            .load(conn)?;
        let mut sums: BTreeMap<Key, i64> = rows
            .into_iter()
            .map(|(state, unit, target, n)| ((state, unit, target), n))
            .collect();
        for key in hidden_rows(conn, scope)? {
            if let Some(n) = sums.get_mut(&key) {
                *n -= 1;
            }
        }
        sums.retain(|_, n| *n > 0);
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        let mut village_ids = BTreeSet::new();
        let mut targets = BTreeSet::new();
        for ((state, unit, target), n) in sums {
            *counts.entry(state).or_default() += n;
            village_ids.insert(unit);
            if target.0.is_some() || target.1.is_some() {
                targets.insert(target);
            }
        }
        let ids: Vec<&str> = village_ids.iter().map(String::as_str).collect();
        let villages: BTreeSet<String> = Unit::names(conn, &ids)?.into_values().collect();
        Ok(ScopeSummary {
            state_counts: counts.into_iter().collect(),
            villages: villages.into_iter().collect(),
            targets: targets.into_iter().collect(),
        })
    }
}

/// The keys of the group's released opinions (subjects known) that the account recused from
/// or that name its person: one row per opinion.
fn hidden_rows(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<Key>, DbError> {
    let mut ids: Vec<String> = recusals::table
        .filter(recusals::staff_id.eq(&scope.staff_id))
        .select(recusals::opinion_id)
        .load(conn)?;
    if let Some(person) = &scope.person_id {
        ids.extend(
            opinion_subjects::table
                .filter(opinion_subjects::person_id.eq(person))
                .select(opinion_subjects::opinion_id)
                .load::<String>(conn)?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    let mut rows = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        rows.extend(
            opinions::table
                .inner_join(boxes::table)
                .filter(opinions::id.eq_any(chunk))
                .filter(opinions::leading_group_id.eq(&scope.group_id))
                .filter(opinions::released_on.is_not_null())
                .filter(opinions::subjects_derived.ne(false))
                .select((
                    opinions::state,
                    boxes::unit_id,
                    (opinions::target_person_id, opinions::target_unit_id),
                ))
                .load::<Key>(conn)?,
        );
    }
    Ok(rows)
}
