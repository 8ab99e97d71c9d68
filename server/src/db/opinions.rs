//! Opinions: stored text, coarse day, hashed receipt, state and reply.

use diesel::prelude::*;
use vocabulary::model::{
    BoxId, Category, Day, Escalation, GroupId, IssueId, OpinionId, OpinionState, PersonId, UnitId,
};

use super::photos::Photo;
use super::schema::{boxes, leading_groups, opinions};
use super::submissions::SubmissionKey;
use super::{DbConnection, DbError};
use crate::domain::subjects::SubjectSource;

/// An opinion row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinions)]
pub struct Opinion {
    /// Random id.
    pub id: OpinionId,
    /// The box it came through.
    pub box_id: BoxId,
    /// The leading group it was routed to.
    pub leading_group_id: GroupId,
    /// What it is about.
    pub category: Category,
    /// The text.
    pub body: String,
    /// Where it stands.
    pub state: OpinionState,
    /// Day received, `YYYY-MM-DD`; nothing finer is stored.
    pub received_on: Day,
    /// Keyed Argon2id hash of the receipt code (hex).
    pub receipt_hash: String,
    /// The receipt code's short keyed tag (`Keys::receipt_tag`); `None` for opinions stored
    /// before tags existed, until their receipt is first looked up.
    pub receipt_tag: Option<i64>,
    /// Reply the villager sees.
    pub reply: Option<String>,
    /// Day of the reply.
    pub replied_on: Option<Day>,
    /// Identifiers masked before storing, per kind, as JSON (`{"mobile":1}`).
    pub mask_counts: String,
    /// Name left by a villager who chose 实名.
    pub contact_name: Option<String>,
    /// Phone left by a villager who chose 实名.
    pub contact_phone: Option<String>,
    /// Day it was released to reviewers; `None` while it waits in the intake pool.
    pub released_on: Option<Day>,
    /// While waiting: the deadline its group's batch shares (Unix seconds, on the hour).
    pub release_by: Option<i64>,
    /// Day it was closed; retention counts from it.
    pub closed_on: Option<Day>,
    /// Day it should be resolved by (set on release).
    pub due_on: Option<Day>,
    /// The person it is about, when the villager or a reviewer said.
    pub target_person_id: Option<PersonId>,
    /// The unit it is about, when the villager or a reviewer said.
    pub target_unit_id: Option<UnitId>,
    /// Why it went above the nearest leading group, if it did.
    pub escalation: Option<Escalation>,
    /// The issue it was merged into, if it was.
    pub issue_id: Option<IssueId>,
}

/// The stored names of the states after which an opinion is no longer due
/// ([`OpinionState::is_final`]).
pub(super) fn final_states() -> Vec<OpinionState> {
    OpinionState::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .collect()
}

/// Whether an insert failed only because the receipt hash was already taken.
pub enum InsertOutcome {
    /// Stored and committed.
    Stored,
    /// Another opinion has the same receipt hash; draw a new code.
    ReceiptTaken,
    /// The phone's submission key is stored already: this opinion was received before.
    AlreadySubmitted,
}

/// Why an opinion with a submission key was not stored.
enum Unstored {
    /// Its key was stored already.
    Resent,
    /// The database refused.
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Unstored {
    fn from(e: diesel::result::Error) -> Self {
        Unstored::Db(e)
    }
}

fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

impl Opinion {
    /// Stores a new opinion and its photos in one transaction, outside any box's budget (for
    /// imports and tests); the caller acknowledges it only after this returns `Stored`. An
    /// opinion not yet released (`released_on` unset) waits in
    /// the holding tables until its batch is released; a released one goes straight to the
    /// reviewers' table.
    pub fn insert(
        conn: &mut DbConnection,
        opinion: &Opinion,
        photos: &[Photo],
    ) -> Result<InsertOutcome, DbError> {
        let stored = conn.write_transaction(|conn| Opinion::insert_rows(conn, opinion, photos));
        match stored {
            Ok(()) => Ok(InsertOutcome::Stored),
            Err(e) if is_unique_violation(&e) => Ok(InsertOutcome::ReceiptTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// A villager's new opinion, held until its batch is released, together with the phone's
    /// submission key if it sent one, in one transaction: when the key is already stored (the
    /// same opinion sent again), nothing is stored and the outcome is `AlreadySubmitted`. The
    /// box's hourly count goes up by one; an opinion beyond `budget` is held (待核).
    pub fn submit(
        conn: &mut DbConnection,
        opinion: &Opinion,
        photos: &[Photo],
        key: Option<&SubmissionKey>,
        budget: super::budget::Budget,
    ) -> Result<InsertOutcome, DbError> {
        let stored = conn.write_transaction(|conn| {
            // First thing: the job rewrites the hourly counts under the exclusive lock.
            super::holding::share(conn)?;
            if let Some(key) = key
                && super::waiting::key_stored(conn, &key.key_hash)?
            {
                return Err(Unstored::Resent);
            }
            let held = super::budget::count_one(conn, &opinion.box_id, budget)?;
            super::waiting::hold(conn, opinion, photos, key, held).map_err(Unstored::from)
        });
        match stored {
            Ok(()) => Ok(InsertOutcome::Stored),
            Err(Unstored::Resent) => Ok(InsertOutcome::AlreadySubmitted),
            // A key sent twice at once lands here too; the retry then finds it stored.
            Err(Unstored::Db(e)) if is_unique_violation(&e) => Ok(InsertOutcome::ReceiptTaken),
            Err(Unstored::Db(e)) => Err(e.into()),
        }
    }

    fn insert_rows(
        conn: &mut DbConnection,
        opinion: &Opinion,
        photos: &[Photo],
    ) -> Result<(), diesel::result::Error> {
        if opinion.released_on.is_none() {
            return super::waiting::hold(conn, opinion, photos, None, false);
        }
        diesel::insert_into(opinions::table)
            .values(opinion)
            .execute(conn)?;
        super::search::index(conn, &opinion.id, &opinion.body)?;
        photos.iter().try_for_each(|p| Photo::insert(conn, p))
    }

    /// Whether some opinion, released or waiting, may have a receipt code with this tag: one
    /// has the tag, or one has no tag yet (stored before tags; its code is not known here).
    /// One statement, as every wrong code a guesser sends costs it.
    pub fn receipt_may_exist(conn: &mut DbConnection, tag: i64) -> Result<bool, DbError> {
        use super::schema::waiting_opinions;
        use diesel::dsl::exists;
        let released = exists(
            opinions::table.filter(
                opinions::receipt_tag
                    .eq(tag)
                    .or(opinions::receipt_tag.is_null()),
            ),
        );
        let waiting = exists(
            waiting_opinions::table.filter(
                waiting_opinions::receipt_tag
                    .eq(tag)
                    .or(waiting_opinions::receipt_tag.is_null()),
            ),
        );
        Ok(diesel::select(released.or(waiting)).get_result(conn)?)
    }

    /// Stores the tag of an untagged opinion's receipt, once its code was looked up.
    pub fn tag_receipt(conn: &mut DbConnection, id: &str, tag: i64) -> Result<(), DbError> {
        use super::schema::waiting_opinions;
        diesel::update(
            opinions::table
                .find(id)
                .filter(opinions::receipt_tag.is_null()),
        )
        .set(opinions::receipt_tag.eq(tag))
        .execute(conn)?;
        diesel::update(
            waiting_opinions::table
                .find(id)
                .filter(waiting_opinions::receipt_tag.is_null()),
        )
        .set(waiting_opinions::receipt_tag.eq(tag))
        .execute(conn)?;
        Ok(())
    }

    /// The opinion whose receipt hashes to `receipt_hash`, released or still waiting (then
    /// `released_on` is unset and `release_by` holds its batch's deadline).
    pub fn by_receipt_hash(
        conn: &mut DbConnection,
        receipt_hash: &str,
    ) -> Result<Opinion, DbError> {
        if let Some(waiting) = super::waiting::by_receipt_hash(conn, receipt_hash)? {
            return Ok(waiting.to_opinion());
        }
        Ok(opinions::table
            .filter(opinions::receipt_hash.eq(receipt_hash))
            .select(Opinion::as_select())
            .first(conn)?)
    }

    /// Sets state, reply and closing day of one of a group's opinions.
    pub fn update_handling(
        conn: &mut DbConnection,
        id: &OpinionId,
        group_id: &GroupId,
        handling: &Handling<'_>,
    ) -> Result<(), DbError> {
        let changed = diesel::update(
            opinions::table.filter(
                opinions::id
                    .eq(id)
                    .and(opinions::leading_group_id.eq(group_id))
                    .and(opinions::released_on.is_not_null()),
            ),
        )
        .set((
            opinions::state.eq(handling.state),
            opinions::reply.eq(handling.reply),
            opinions::replied_on.eq(handling.replied_on),
            opinions::closed_on.eq(handling.closed_on),
        ))
        .execute(conn)?;
        if changed == 0 {
            Err(DbError::NotFound)
        } else {
            Ok(())
        }
    }
}

/// What a reviewer's change writes.
pub struct Handling<'a> {
    /// The state it moves to.
    pub state: OpinionState,
    /// Reply the villager sees.
    pub reply: Option<&'a str>,
    /// Day of the reply.
    pub replied_on: Option<&'a str>,
    /// Day it was closed, while it is.
    pub closed_on: Option<&'a str>,
}

/// Whom an opinion is about: (person id, unit id), either possibly absent.
pub type TargetPair = (Option<PersonId>, Option<UnitId>);

/// Whom an opinion is about and where that sends it.
pub struct Target {
    /// The person, if one.
    pub person_id: Option<PersonId>,
    /// The unit, if one.
    pub unit_id: Option<UnitId>,
    /// The group handling it from now on.
    pub group_id: GroupId,
    /// Why that group is above the nearest one, if it is.
    pub escalation: Option<Escalation>,
}

/// A closed opinion past its group's retention, with what its tally needs.
#[derive(Clone, Debug)]
pub struct Expired {
    /// The opinion.
    pub id: OpinionId,
    /// Its leading group.
    pub group_id: GroupId,
    /// The unit of the box it came through.
    pub unit_id: UnitId,
    /// Its category.
    pub category: Category,
    /// The day it was released.
    pub released_on: Option<Day>,
}

impl Opinion {
    /// Opinions closed before `cutoff` (`YYYY-MM-DD`) in every group that keeps closed
    /// opinions `retention_days` days: one query per distinct retention, not per group.
    pub fn closed_before(
        conn: &mut DbConnection,
        retention_days: i32,
        cutoff: &str,
    ) -> Result<Vec<Expired>, DbError> {
        let rows: Vec<(OpinionId, GroupId, UnitId, Category, Option<Day>)> = opinions::table
            .inner_join(boxes::table)
            .inner_join(leading_groups::table)
            .filter(leading_groups::retention_days.eq(retention_days))
            .filter(opinions::closed_on.lt(cutoff))
            .select((
                opinions::id,
                opinions::leading_group_id,
                boxes::unit_id,
                opinions::category,
                opinions::released_on,
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, group_id, unit_id, category, released_on)| Expired {
                id,
                group_id,
                unit_id,
                category,
                released_on,
            })
            .collect())
    }

    /// Records whom a released opinion of `group_id` is about, adding them as a subject (a
    /// tag never removes one) and moving it to `route.group_id` when that differs.
    pub fn set_target(
        conn: &mut DbConnection,
        id: &OpinionId,
        group_id: &str,
        target: &Target,
    ) -> Result<(), DbError> {
        let changed = diesel::update(
            opinions::table.filter(
                opinions::id
                    .eq(id)
                    .and(opinions::leading_group_id.eq(group_id))
                    .and(opinions::released_on.is_not_null()),
            ),
        )
        .set((
            opinions::target_person_id.eq(&target.person_id),
            opinions::target_unit_id.eq(&target.unit_id),
            opinions::leading_group_id.eq(&target.group_id),
            opinions::escalation.eq(&target.escalation),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        if let Some(person) = &target.person_id {
            super::subjects::add(conn, id, person, SubjectSource::Tagged)?;
        }
        Ok(())
    }

    /// Deletes an opinion with its thread and photos (the foreign keys cascade).
    pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
        diesel::delete(opinions::table.find(id)).execute(conn)?;
        Ok(())
    }
}

/// A leading group with opinions waiting to be released.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingBatch {
    /// The group.
    pub group_id: GroupId,
    /// How many wait.
    pub waiting: u32,
    /// The earliest deadline among them.
    pub deadline: i64,
}

impl Opinion {
    /// The deadline a group's waiting opinions share, if any wait.
    pub fn waiting_deadline(
        conn: &mut DbConnection,
        group_id: &str,
    ) -> Result<Option<i64>, DbError> {
        Ok(super::waiting::deadline(conn, group_id)?)
    }

    /// Every group with waiting opinions.
    pub fn waiting_batches(conn: &mut DbConnection) -> Result<Vec<WaitingBatch>, DbError> {
        let rows = super::waiting::batches(conn)?;
        Ok(rows
            .into_iter()
            .map(|(group_id, waiting, deadline)| WaitingBatch {
                group_id,
                waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
                // A waiting row without a deadline is overdue rather than stuck.
                deadline: deadline.unwrap_or(i64::MIN),
            })
            .collect())
    }

    /// Releases all of a group's waiting opinions on `day`, each due on the day `due_for` gives
    /// its category: moved from the holding tables to the reviewers' in shuffled order, in one
    /// transaction. Returns the released ids.
    pub fn release_group(
        conn: &mut DbConnection,
        group_id: &str,
        day: &Day,
        due_for: impl Fn(Category) -> Day,
    ) -> Result<Vec<OpinionId>, DbError> {
        super::waiting::release(conn, group_id, day, due_for)
    }
}

#[cfg(test)]
mod tests {
    use super::{OpinionState, final_states};

    #[test]
    fn the_final_states_are_the_workflow_s_own() {
        assert_eq!(
            final_states(),
            [OpinionState::Closed, OpinionState::Rejected]
        );
    }
}
