//! The audit trail's storage: append under the head row's lock, read in order for checking.

use diesel::prelude::*;

use super::schema::{audit_head, audit_log};
use super::{DbConnection, DbError};
use crate::domain::audit::EntryFields;

/// An audit row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Staff account id.
    pub actor: String,
    /// Action name.
    pub action: String,
    /// Id of what it was done to.
    pub target: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditRow {
    /// The fields its hash covers.
    pub fn fields(&self) -> EntryFields<'_> {
        EntryFields {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            target: self.target.as_deref(),
            prev_hash: &self.prev_hash,
        }
    }
}

const HEAD: i32 = 1;

impl AuditRow {
    /// Appends an entry and moves the head to it, in one transaction.
    pub fn append(
        conn: &mut DbConnection,
        at: i64,
        actor: &str,
        action: &str,
        target: Option<&str>,
    ) -> Result<AuditRow, DbError> {
        conn.write_transaction(|conn| {
            // Writing the head first takes its lock (a row lock on PostgreSQL, the write lock on
            // SQLite), so concurrent appends from any server line up behind each other.
            diesel::update(audit_head::table.find(HEAD))
                .set(audit_head::seq.eq(audit_head::seq + 1))
                .execute(conn)?;
            let (seq, prev_hash): (i64, String) = audit_head::table
                .find(HEAD)
                .select((audit_head::seq, audit_head::hash))
                .first(conn)?;
            let mut row = AuditRow {
                seq,
                at,
                actor: actor.to_string(),
                action: action.to_string(),
                target: target.map(str::to_string),
                prev_hash,
                hash: String::new(),
            };
            row.hash = row.fields().hash();
            diesel::insert_into(audit_log::table)
                .values(&row)
                .execute(conn)?;
            diesel::update(audit_head::table.find(HEAD))
                .set(audit_head::hash.eq(&row.hash))
                .execute(conn)?;
            Ok(row)
        })
    }

    /// The recorded head: the last entry's number and hash.
    pub fn head(conn: &mut DbConnection) -> Result<(i64, String), DbError> {
        Ok(audit_head::table
            .find(HEAD)
            .select((audit_head::seq, audit_head::hash))
            .first(conn)?)
    }

    /// Up to `limit` entries after `after`, oldest first (for checking the whole chain).
    pub fn after(
        conn: &mut DbConnection,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditRow>, DbError> {
        Ok(audit_log::table
            .filter(audit_log::seq.gt(after))
            .order(audit_log::seq.asc())
            .limit(limit)
            .select(AuditRow::as_select())
            .load(conn)?)
    }

    /// Up to `limit` entries before `before` (or the newest), newest first, for reading.
    pub fn newest(
        conn: &mut DbConnection,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, DbError> {
        let mut query = audit_log::table
            .order(audit_log::seq.desc())
            .limit(limit)
            .select(AuditRow::as_select())
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(audit_log::seq.lt(before));
        }
        Ok(query.load(conn)?)
    }
}
