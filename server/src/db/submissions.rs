//! Submission keys: what lets a phone send the same opinion again after a lost connection and
//! get the same receipt, without the opinion being stored twice.

use diesel::prelude::*;

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
    pub expires_on: String,
}

impl SubmissionKey {
    /// The stored key with this hash, if any.
    pub fn find(conn: &mut DbConnection, key_hash: &str) -> Result<Option<SubmissionKey>, DbError> {
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
