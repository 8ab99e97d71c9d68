//! Submission keys: what lets a phone send the same opinion again after a lost connection and
//! get the same receipt, without the opinion being stored twice. While its opinion waits, a key
//! is kept in the opinion's holding row; at release the batch's keys are written here in
//! shuffled order (`db::waiting`), so neither row order nor a link tells which opinion is whose.

use diesel::prelude::*;
use vocabulary::model::Day;

use super::schema::submission_keys;
use super::{DbConnection, DbError};

/// A stored submission key: its keyed hash, the receipt sealed under it, and the last day kept.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = submission_keys)]
pub struct SubmissionKey {
    /// Keyed hash of the phone's key.
    pub key_hash: String,
    /// The receipt (JSON), sealed under a key derived from the phone's key.
    pub sealed: String,
    /// Deleted by the maintenance job after this day.
    pub expires_on: Day,
}

impl SubmissionKey {
    /// The stored key with this hash, if any: held with its waiting opinion, or kept after
    /// the release.
    pub fn find(conn: &mut DbConnection, key_hash: &str) -> Result<Option<SubmissionKey>, DbError> {
        if let Some(waiting) = super::waiting::by_key_hash(conn, key_hash)? {
            return Ok(waiting.submission_key());
        }
        Ok(submission_keys::table
            .find(key_hash)
            .select(SubmissionKey::as_select())
            .first(conn)
            .optional()?)
    }

    /// Deletes the keys kept past their last day; returns how many.
    pub fn delete_expired(conn: &mut DbConnection, today: &str) -> Result<usize, DbError> {
        Ok(
            diesel::delete(submission_keys::table.filter(submission_keys::expires_on.lt(today)))
                .execute(conn)?,
        )
    }
}
