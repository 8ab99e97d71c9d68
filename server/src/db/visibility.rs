//! What one reviewer may see of their group's opinions, and the reads that respect it: the
//! queue, one opinion, the per-state counts and the figures; recusal.

use diesel::prelude::*;
use vocabulary::model::{AccountId, Category, GroupId, OpinionId, PersonId, UnitId};

use super::opinions::{Opinion, final_states};
use super::schema::{boxes, opinion_subjects, opinion_terms, opinions, recusals, units};
use super::{DbConnection, DbError};
use crate::domain::org::AboutId;
use crate::domain::queue::QueueFilter;
use crate::domain::subjects::SubjectSource;

/// A `LIKE` pattern matching text that contains `words` literally.
fn like_pattern(words: &str) -> String {
    let escaped = words
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// What one reviewer may see: their group's released opinions, except those they are recused
/// from and those about the person the account belongs to.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The reviewer's leading group.
    pub group_id: GroupId,
    /// The reviewer's account.
    pub staff_id: AccountId,
    /// The person the account belongs to, if linked.
    pub person_id: Option<PersonId>,
}

impl Scope {
    /// Everything of a group, for figures that name no one (a public notice's counts).
    pub fn whole_group(group_id: &str) -> Scope {
        Scope {
            group_id: group_id.into(),
            staff_id: AccountId::new(""),
            person_id: None,
        }
    }

    /// Opinions the reviewer may see: not recused from, not about them.
    pub(super) fn visible(&self) -> visible {
        visible(self.staff_id.clone(), self.person_matched())
    }

    /// The person whose opinions the reviewer may not see: their own, or, for an account not
    /// linked to anyone, an empty id, which no opinion is about (random ids are never empty).
    pub(super) fn person_matched(&self) -> PersonId {
        self.person_id.clone().unwrap_or_else(|| PersonId::new(""))
    }
}

/// Opinions whose subjects are derived, that `staff_id` has not declared a conflict on and
/// that are not about `person_id` (by text, choice, tag or declaration).
#[diesel::dsl::auto_type]
pub(super) fn visible(staff_id: AccountId, person_id: PersonId) -> _ {
    // `<> FALSE`, not `= TRUE`: no index can serve it. SQLite keeps no statistics, so with
    // `= TRUE` it took the index on `subjects_derived` (true for almost every row) instead of
    // the group's or the issue's, and walked every opinion of the deployment: an issue list
    // scanned the whole table once per issue (province_bench: 0.9 s at 100 k opinions).
    opinions::subjects_derived
        .ne(false)
        .and(diesel::dsl::not(diesel::dsl::exists(
            recusals::table
                .filter(recusals::opinion_id.eq(opinions::id))
                .filter(recusals::staff_id.eq(staff_id)),
        )))
        .and(diesel::dsl::not(diesel::dsl::exists(
            opinion_subjects::table
                .filter(opinion_subjects::opinion_id.eq(opinions::id))
                .filter(opinion_subjects::person_id.eq(person_id)),
        )))
}

/// An opinion with the names of its box and village, for the queue.
#[derive(Clone, Debug)]
pub struct QueuedOpinion {
    /// The opinion.
    pub opinion: Opinion,
    /// Its box's name.
    pub box_name: String,
    /// The name of the unit the box hangs in.
    pub unit_name: String,
    /// The id of that unit.
    pub unit_id: UnitId,
}

/// The columns a queue row is read from: the opinion, its box's name, its unit's name and id.
pub(super) type QueueRow = (Opinion, String, String, String);

impl From<QueueRow> for QueuedOpinion {
    fn from((opinion, box_name, unit_name, unit_id): QueueRow) -> Self {
        QueuedOpinion {
            opinion,
            box_name,
            unit_name,
            unit_id: unit_id.into(),
        }
    }
}

impl Opinion {
    /// A leading group's queue of released opinions: newest release day first, then by random
    /// id (both descending, so one index serves it), so a batch shows in random order and nothing
    /// follows the order of arrival.
    /// Filtered, one page of at most `limit`, after the filter's cursor (keyset pagination);
    /// `today` decides what is overdue.
    pub fn queue(
        conn: &mut DbConnection,
        scope: &Scope,
        filter: &QueueFilter,
        today: &str,
        limit: i64,
    ) -> Result<Vec<QueuedOpinion>, DbError> {
        let mut query = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(opinions::leading_group_id.eq(scope.group_id.clone()))
            .filter(opinions::released_on.is_not_null())
            .filter(scope.visible())
            .select((Opinion::as_select(), boxes::name, units::name, units::id))
            .into_boxed();
        if let Some(state) = filter.state {
            query = query.filter(opinions::state.eq(state));
        }
        if let Some(category) = filter.category {
            query = query.filter(opinions::category.eq(category));
        }
        if let Some(village) = &filter.village {
            query = query.filter(units::name.eq(village.clone()));
        }
        match &filter.about {
            Some(AboutId::Person(id)) => {
                query = query.filter(opinions::target_person_id.eq(id.clone()));
            }
            Some(AboutId::Unit(id)) => {
                query = query.filter(opinions::target_unit_id.eq(id.clone()));
            }
            None => {}
        }
        if filter.overdue {
            query = query
                .filter(opinions::due_on.lt(today.to_string()))
                .filter(opinions::state.ne_all(final_states()));
        }
        if let Some(from) = &filter.from {
            query = query.filter(opinions::released_on.ge(from.clone()));
        }
        if let Some(to) = &filter.to {
            query = query.filter(opinions::released_on.le(to.clone()));
        }
        if let Some(text) = &filter.text {
            let (driving, checked) = super::search::search_plan(conn, &text.terms)?;
            if let Some(term) = driving {
                query = query.filter(
                    opinions::id.eq_any(
                        opinion_terms::table
                            .filter(opinion_terms::term.eq(term))
                            .select(opinion_terms::opinion_id),
                    ),
                );
            }
            for term in checked {
                query = query.filter(diesel::dsl::exists(
                    opinion_terms::table
                        .filter(opinion_terms::term.eq(term))
                        .filter(opinion_terms::opinion_id.eq(opinions::id)),
                ));
            }
            // The index narrows; the literal words confirm on the few candidates left.
            for word in &text.words {
                query = query.filter(opinions::body.like(like_pattern(word)).escape('\\'));
            }
        }
        if let Some((day, id)) = &filter.after {
            query = query.filter(
                opinions::released_on
                    .lt(day.clone())
                    .or(opinions::released_on
                        .eq(day.clone())
                        .and(opinions::id.lt(id.clone()))),
            );
        }
        let rows: Vec<QueueRow> = query
            .order((opinions::released_on.desc(), opinions::id.desc()))
            .limit(limit)
            .load(conn)?;
        Ok(rows.into_iter().map(QueuedOpinion::from).collect())
    }

    /// One released opinion in a reviewer's scope; `NotFound` when it belongs to another
    /// group, still waits to be released, or the reviewer is recused from it.
    pub fn find_for_group(
        conn: &mut DbConnection,
        id: &OpinionId,
        scope: &Scope,
    ) -> Result<QueuedOpinion, DbError> {
        let row: QueueRow = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(
                opinions::id
                    .eq(id)
                    .and(opinions::leading_group_id.eq(&scope.group_id))
                    .and(opinions::released_on.is_not_null()),
            )
            .filter(scope.visible())
            .select((Opinion::as_select(), boxes::name, units::name, units::id))
            .first(conn)?;
        Ok(row.into())
    }

    /// The group handling a released opinion the account may see, wherever it is handled;
    /// `NotFound` when it is hidden from the account.
    pub fn group_if_visible(
        conn: &mut DbConnection,
        id: &OpinionId,
        scope: &Scope,
    ) -> Result<GroupId, DbError> {
        Ok(opinions::table
            .filter(opinions::id.eq(id))
            .filter(opinions::released_on.is_not_null())
            .filter(scope.visible())
            .select(opinions::leading_group_id)
            .first(conn)?)
    }

    /// Which of these ids are opinions hidden from the account `staff_id` of `person_id`:
    /// about the person, or recused from by the account.
    pub fn hidden_among(
        conn: &mut DbConnection,
        staff_id: &AccountId,
        person_id: Option<&PersonId>,
        ids: &[&str],
    ) -> Result<Vec<OpinionId>, DbError> {
        let shown = visible(
            staff_id.clone(),
            person_id.cloned().unwrap_or_else(|| PersonId::new("")),
        );
        Ok(opinions::table
            .filter(opinions::id.eq_any(ids))
            .filter(diesel::dsl::not(shown))
            .select(opinions::id)
            .load(conn)?)
    }

    /// How many opinions in a reviewer's scope are in each state (from
    /// [`Opinion::scope_summary`], which checks recusal per hidden opinion, not per row).
    pub fn state_counts(
        conn: &mut DbConnection,
        scope: &Scope,
    ) -> Result<Vec<(String, i64)>, DbError> {
        Ok(Opinion::scope_summary(conn, scope)?.state_counts)
    }

    /// How many released opinions in a reviewer's scope there are per box unit and category.
    pub fn released_counts(
        conn: &mut DbConnection,
        scope: &Scope,
    ) -> Result<Vec<(String, Category, i64)>, DbError> {
        Ok(opinions::table
            .inner_join(boxes::table)
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(opinions::released_on.is_not_null())
            .filter(scope.visible())
            .group_by((boxes::unit_id, opinions::category))
            .select((
                boxes::unit_id,
                opinions::category,
                diesel::dsl::count_star(),
            ))
            .load(conn)?)
    }

    /// Records that a reviewer has a conflict of interest on an opinion (again is harmless);
    /// when the account is linked to a person, the person becomes a subject, so every account
    /// of theirs, now or later, is recused too.
    pub fn recuse(
        conn: &mut DbConnection,
        id: &OpinionId,
        staff_id: &AccountId,
        person_id: Option<&PersonId>,
    ) -> Result<(), DbError> {
        let exists: i64 = recusals::table
            .filter(recusals::opinion_id.eq(id))
            .filter(recusals::staff_id.eq(staff_id))
            .count()
            .get_result(conn)?;
        if exists == 0 {
            diesel::insert_into(recusals::table)
                .values((recusals::opinion_id.eq(id), recusals::staff_id.eq(staff_id)))
                .execute(conn)?;
        }
        if let Some(person) = person_id {
            super::subjects::add(conn, id, person, SubjectSource::Declared)?;
        }
        Ok(())
    }

    /// The opinions an account recused itself from, to carry over to its person on linking.
    pub fn recused_by(
        conn: &mut DbConnection,
        staff_id: &AccountId,
    ) -> Result<Vec<OpinionId>, DbError> {
        Ok(recusals::table
            .filter(recusals::staff_id.eq(staff_id))
            .select(recusals::opinion_id)
            .load(conn)?)
    }
}
