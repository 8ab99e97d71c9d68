//! Leader reviews (领导点评): who reviewed which organisation or member in which pass of a year.

use diesel::prelude::*;
use vocabulary::model::{GroupId, PersonId};

use crate::domain::statistics::Reviewed;

use super::schema::{leader_reviews, round_subjects, rounds};
use super::{DbConnection, DbError, new_id};

/// One recorded review.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = leader_reviews)]
pub struct LeaderReview {
    /// Random id.
    pub id: String,
    /// The group that recorded it.
    pub leading_group_id: GroupId,
    /// The year.
    pub year: i32,
    /// 1 (by 30 June) or 2 (by 31 December).
    pub pass: i32,
    /// The reviewing leader.
    pub reviewer_id: PersonId,
    /// Whether it is of an organisation or a member.
    pub subject_kind: Reviewed,
    /// The organisation's or member's id.
    pub subject_id: String,
}

impl LeaderReview {
    /// Records that `reviewer_id` reviewed each of `subjects` (kind, id); those already recorded
    /// for the same year and pass are left as they are. Returns how many were new.
    pub fn record(
        conn: &mut DbConnection,
        group_id: &str,
        (year, pass): (i32, i32),
        reviewer_id: &str,
        subjects: &[(Reviewed, String)],
    ) -> Result<u32, DbError> {
        conn.write_transaction(|conn| {
            let mut added = 0;
            for (kind, subject) in subjects {
                let known: i64 = leader_reviews::table
                    .filter(leader_reviews::year.eq(year))
                    .filter(leader_reviews::pass.eq(pass))
                    .filter(leader_reviews::reviewer_id.eq(reviewer_id))
                    .filter(leader_reviews::subject_kind.eq(kind))
                    .filter(leader_reviews::subject_id.eq(subject))
                    .count()
                    .get_result(conn)?;
                if known > 0 {
                    continue;
                }
                diesel::insert_into(leader_reviews::table)
                    .values(&LeaderReview {
                        id: new_id(),
                        leading_group_id: group_id.to_string().into(),
                        year,
                        pass,
                        reviewer_id: reviewer_id.to_string().into(),
                        subject_kind: *kind,
                        subject_id: subject.clone(),
                    })
                    .execute(conn)?;
                added += 1;
            }
            Ok(added)
        })
    }

    /// Every review of a year, whoever recorded it.
    pub fn of_year(conn: &mut DbConnection, year: i32) -> Result<Vec<LeaderReview>, DbError> {
        Ok(leader_reviews::table
            .filter(leader_reviews::year.eq(year))
            .select(LeaderReview::as_select())
            .order((
                leader_reviews::pass.asc(),
                leader_reviews::reviewer_id.asc(),
                leader_reviews::subject_id.asc(),
            ))
            .load(conn)?)
    }

    /// Deletes what the group recorded for one reviewer in one pass; `NotFound` if nothing.
    pub fn delete_batch(
        conn: &mut DbConnection,
        group_id: &str,
        (year, pass): (i32, i32),
        reviewer_id: &str,
    ) -> Result<(), DbError> {
        let gone = diesel::delete(
            leader_reviews::table
                .filter(leader_reviews::leading_group_id.eq(group_id))
                .filter(leader_reviews::year.eq(year))
                .filter(leader_reviews::pass.eq(pass))
                .filter(leader_reviews::reviewer_id.eq(reviewer_id)),
        )
        .execute(conn)?;
        if gone == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

/// The units and people appraised in rounds that opened between `from` and `to` (inclusive).
pub fn appraised_between(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
) -> Result<Vec<String>, DbError> {
    Ok(round_subjects::table
        .inner_join(rounds::table)
        .filter(rounds::opens_on.between(from, to))
        .select(round_subjects::subject_id)
        .distinct()
        .load(conn)?)
}
