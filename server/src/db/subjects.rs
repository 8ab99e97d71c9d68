//! Whom each opinion is about (`opinion_subjects`): derived from its text before any reviewer
//! sees it, grown by the villager's choice, reviewers' tags and declared conflicts, and shrunk
//! only by a removal two members agree on (`subject_changes`).

use std::collections::HashSet;

use diesel::prelude::*;

use super::schema::{
    boxes, leading_groups, opinion_subjects, opinions, people, subject_changes, units,
};
use super::units::UnitTree;
use super::{DbConnection, DbError};
use crate::domain::subjects::{Directory, Entry, Place, SubjectSource, normalised};
use vocabulary::model::{AccountId, ChangeId, Day, OpinionId, PersonId};

/// One subject of an opinion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The person.
    pub person_id: PersonId,
    /// Why they are a subject.
    pub source: SubjectSource,
}

/// A proposed removal of a subject, waiting for a second member.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = subject_changes)]
pub struct SubjectChange {
    /// Random id.
    pub id: ChangeId,
    /// The opinion.
    pub opinion_id: OpinionId,
    /// The person proposed to be removed as a subject.
    pub person_id: PersonId,
    /// The account that proposed it.
    pub proposed_by: AccountId,
    /// The day it was proposed.
    pub proposed_on: Day,
}

/// Adds a subject unless the same person is already one for the same reason.
pub fn add(
    conn: &mut DbConnection,
    opinion_id: &OpinionId,
    person_id: &PersonId,
    source: SubjectSource,
) -> Result<(), DbError> {
    let exists: i64 = opinion_subjects::table
        .filter(opinion_subjects::opinion_id.eq(opinion_id))
        .filter(opinion_subjects::person_id.eq(person_id))
        .filter(opinion_subjects::source.eq(source))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(opinion_subjects::table)
            .values((
                opinion_subjects::opinion_id.eq(opinion_id),
                opinion_subjects::person_id.eq(person_id),
                opinion_subjects::source.eq(source),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The subjects of an opinion, by person then source.
pub fn of_opinion(
    conn: &mut DbConnection,
    opinion_id: &OpinionId,
) -> Result<Vec<Subject>, DbError> {
    let rows: Vec<(PersonId, SubjectSource)> = opinion_subjects::table
        .filter(opinion_subjects::opinion_id.eq(opinion_id))
        .select((opinion_subjects::person_id, opinion_subjects::source))
        .order((
            opinion_subjects::person_id.asc(),
            opinion_subjects::source.asc(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(person_id, source)| Subject { person_id, source })
        .collect())
}

/// Removes the removable entries (a text match, a tag) of one subject; the villager's choice
/// and a declared conflict stay. Returns how many were removed.
pub fn remove(
    conn: &mut DbConnection,
    opinion_id: &OpinionId,
    person_id: &PersonId,
) -> Result<usize, DbError> {
    let removable: Vec<SubjectSource> = SubjectSource::ALL
        .into_iter()
        .filter(|s| s.removable())
        .collect();
    Ok(diesel::delete(
        opinion_subjects::table
            .filter(opinion_subjects::opinion_id.eq(opinion_id))
            .filter(opinion_subjects::person_id.eq(person_id))
            .filter(opinion_subjects::source.eq_any(removable)),
    )
    .execute(conn)?)
}

impl SubjectChange {
    /// Stores a proposal.
    pub fn insert(conn: &mut DbConnection, change: &SubjectChange) -> Result<(), DbError> {
        diesel::insert_into(subject_changes::table)
            .values(change)
            .execute(conn)?;
        Ok(())
    }

    /// The proposals waiting on an opinion.
    pub fn of_opinion(
        conn: &mut DbConnection,
        opinion_id: &OpinionId,
    ) -> Result<Vec<SubjectChange>, DbError> {
        Ok(subject_changes::table
            .filter(subject_changes::opinion_id.eq(opinion_id))
            .select(SubjectChange::as_select())
            .order(subject_changes::id.asc())
            .load(conn)?)
    }

    /// One proposal on an opinion.
    pub fn find(
        conn: &mut DbConnection,
        opinion_id: &OpinionId,
        id: &ChangeId,
    ) -> Result<SubjectChange, DbError> {
        Ok(subject_changes::table
            .filter(subject_changes::id.eq(id))
            .filter(subject_changes::opinion_id.eq(opinion_id))
            .select(SubjectChange::as_select())
            .first(conn)?)
    }

    /// Deletes a proposal once confirmed.
    pub fn delete(conn: &mut DbConnection, id: &ChangeId) -> Result<(), DbError> {
        diesel::delete(subject_changes::table.find(id)).execute(conn)?;
        Ok(())
    }
}

/// Every person of the directory, active or not, as matching needs them.
fn directory(conn: &mut DbConnection) -> Result<Vec<Entry>, DbError> {
    let rows: Vec<(PersonId, String, String, String, String)> = people::table
        .inner_join(units::table)
        .select((
            people::id,
            people::unit_id,
            units::name,
            people::name,
            people::post,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(person_id, unit_id, unit_name, name, post)| Entry {
            person_id,
            unit_id,
            unit_name,
            name,
            post,
        })
        .collect())
}

/// What derivation reads of one opinion.
struct Derivable {
    id: OpinionId,
    body: String,
    box_unit: String,
    group_unit: String,
    chosen: Option<PersonId>,
}

/// The opinions derivation reads: those not derived yet, or all of them.
fn derivable(conn: &mut DbConnection, underived_only: bool) -> Result<Vec<Derivable>, DbError> {
    let mut query = opinions::table
        .inner_join(boxes::table)
        .inner_join(leading_groups::table)
        .select((
            opinions::id,
            opinions::body,
            boxes::unit_id,
            leading_groups::unit_id,
            opinions::target_person_id,
        ))
        .into_boxed();
    if underived_only {
        query = query.filter(opinions::subjects_derived.eq(false));
    }
    let rows: Vec<(OpinionId, String, String, String, Option<PersonId>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, body, box_unit, group_unit, chosen)| Derivable {
            id,
            body,
            box_unit,
            group_unit,
            chosen,
        })
        .collect())
}

/// The people of `directory` an opinion names.
fn named(tree: &UnitTree, directory: &Directory, opinion: &Derivable) -> Vec<PersonId> {
    let place = Place {
        lineage: tree
            .lineage(&opinion.box_unit)
            .into_iter()
            .map(|u| u.id.as_str())
            .collect(),
        territory: tree
            .subtree(&opinion.group_unit)
            .into_iter()
            .map(|(u, _)| u.id.as_str())
            .collect(),
    };
    directory.named_in(&opinion.body, &place)
}

/// Derives the subjects of every opinion not derived yet (the people its text names and the
/// villager's choice) and marks it derived, which is what lets reviewers see it. Returns how
/// many. Run inside the transaction that releases opinions.
pub fn derive_backlog(conn: &mut DbConnection) -> Result<usize, DbError> {
    let pending = derivable(conn, true)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let tree = UnitTree::load(conn)?;
    let directory = Directory::new(&directory(conn)?);
    for opinion in &pending {
        for person in named(&tree, &directory, opinion) {
            add(conn, &opinion.id, &person, SubjectSource::Named)?;
        }
        if let Some(person) = &opinion.chosen {
            add(conn, &opinion.id, person, SubjectSource::Chosen)?;
        }
        diesel::update(opinions::table.find(&opinion.id))
            .set(opinions::subjects_derived.eq(true))
            .execute(conn)?;
    }
    Ok(pending.len())
}

/// Adds these people (just added to the directory, or whose unit was renamed) as subjects of
/// every opinion whose text names them. Returns how many subjects were added.
pub fn derive_for_people(
    conn: &mut DbConnection,
    person_ids: &[PersonId],
) -> Result<usize, DbError> {
    if person_ids.is_empty() {
        return Ok(0);
    }
    let directory = directory(conn)?;
    let wanted: HashSet<&PersonId> = person_ids.iter().collect();
    // A text can name someone only if it holds their name or their post: a cheap first sieve.
    let needles: Vec<Vec<char>> = directory
        .iter()
        .filter(|e| wanted.contains(&e.person_id))
        .flat_map(|e| [normalised(&e.name), normalised(&e.post)])
        .filter(|n| n.len() >= 2)
        .collect();
    if needles.is_empty() {
        return Ok(0);
    }
    let tree = UnitTree::load(conn)?;
    let directory = Directory::new(&directory);
    let mut added = 0;
    for opinion in derivable(conn, false)? {
        let text = normalised(&opinion.body);
        if !needles
            .iter()
            .any(|n| text.windows(n.len()).any(|w| w == n.as_slice()))
        {
            continue;
        }
        for person in named(&tree, &directory, &opinion) {
            if wanted.contains(&person) {
                add(conn, &opinion.id, &person, SubjectSource::Named)?;
                added += 1;
            }
        }
    }
    Ok(added)
}

/// The people of these units, to derive for after a unit is renamed.
pub fn people_of_units(
    conn: &mut DbConnection,
    unit_ids: &[&str],
) -> Result<Vec<PersonId>, DbError> {
    Ok(people::table
        .filter(people::unit_id.eq_any(unit_ids))
        .select(people::id)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::*;

    #[test]
    fn a_stored_day_that_is_no_day_is_an_error_when_read_never_a_guess() {
        let mut conn = DbConnection::establish(":memory:").expect("in-memory SQLite");
        crate::db::migrate_connection(&mut conn).expect("migrated");
        // Only the day matters here, so the rows it refers to are left out.
        conn.batch_execute(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO subject_changes (id, opinion_id, person_id, proposed_by, proposed_on)
             VALUES ('c1', 'o1', 'p1', 's1', '2026-12-07'), ('c2', 'o2', 'p1', 's1', '2026-02-30');",
        )
        .expect("inserted");
        let good = SubjectChange::of_opinion(&mut conn, &OpinionId::new("o1")).expect("a day");
        assert_eq!(good[0].proposed_on.as_str(), "2026-12-07");
        assert_eq!(good[0].person_id, PersonId::new("p1"));
        let error =
            SubjectChange::of_opinion(&mut conn, &OpinionId::new("o2")).expect_err("no such day");
        let message = error.to_string();
        assert!(message.contains("\"2026-02-30\" is not a day"), "{message}");
    }
}
