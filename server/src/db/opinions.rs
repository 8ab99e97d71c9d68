//! Opinions: stored text, coarse day, hashed receipt, state and reply.

use diesel::prelude::*;

use super::schema::{boxes, opinions, units};
use super::{DbConnection, DbError};

/// An opinion row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinions)]
pub struct Opinion {
    /// Random id.
    pub id: String,
    /// The box it came through.
    pub box_id: String,
    /// The leading group it was routed to.
    pub leading_group_id: String,
    /// Category name.
    pub category: String,
    /// The text.
    pub body: String,
    /// State name.
    pub state: String,
    /// Day received, `YYYY-MM-DD`; nothing finer is stored.
    pub received_on: String,
    /// Keyed Argon2id hash of the receipt code (hex).
    pub receipt_hash: String,
    /// Reply the villager sees.
    pub reply: Option<String>,
    /// Day of the reply.
    pub replied_on: Option<String>,
    /// Identifiers masked before storing, per kind, as JSON (`{"mobile":1}`).
    pub mask_counts: String,
    /// Name left by a villager who chose 实名.
    pub contact_name: Option<String>,
    /// Phone left by a villager who chose 实名.
    pub contact_phone: Option<String>,
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
}

/// Whether an insert failed only because the receipt hash was already taken.
pub enum InsertOutcome {
    /// Stored and committed.
    Stored,
    /// Another opinion has the same receipt hash; draw a new code.
    ReceiptTaken,
}

impl Opinion {
    /// Stores a new opinion; the caller acknowledges it only after this returns `Stored`.
    pub fn insert(conn: &mut DbConnection, opinion: &Opinion) -> Result<InsertOutcome, DbError> {
        match diesel::insert_into(opinions::table)
            .values(opinion)
            .execute(conn)
        {
            Ok(_) => Ok(InsertOutcome::Stored),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(InsertOutcome::ReceiptTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// The opinion whose receipt hashes to `receipt_hash`.
    pub fn by_receipt_hash(
        conn: &mut DbConnection,
        receipt_hash: &str,
    ) -> Result<Opinion, DbError> {
        Ok(opinions::table
            .filter(opinions::receipt_hash.eq(receipt_hash))
            .select(Opinion::as_select())
            .first(conn)?)
    }

    /// A leading group's queue: newest day first, then by random id (no insertion order).
    pub fn queue(conn: &mut DbConnection, group_id: &str) -> Result<Vec<QueuedOpinion>, DbError> {
        let rows: Vec<(Opinion, String, String)> = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(opinions::leading_group_id.eq(group_id))
            .order((opinions::received_on.desc(), opinions::id.asc()))
            .select((Opinion::as_select(), boxes::name, units::name))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(opinion, box_name, unit_name)| QueuedOpinion {
                opinion,
                box_name,
                unit_name,
            })
            .collect())
    }

    /// One opinion of a leading group; `NotFound` when it belongs to another group.
    pub fn find_for_group(
        conn: &mut DbConnection,
        id: &str,
        group_id: &str,
    ) -> Result<QueuedOpinion, DbError> {
        let (opinion, box_name, unit_name) = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(
                opinions::id
                    .eq(id)
                    .and(opinions::leading_group_id.eq(group_id)),
            )
            .select((Opinion::as_select(), boxes::name, units::name))
            .first(conn)?;
        Ok(QueuedOpinion {
            opinion,
            box_name,
            unit_name,
        })
    }

    /// Sets state and reply of one of a group's opinions.
    pub fn update_handling(
        conn: &mut DbConnection,
        id: &str,
        group_id: &str,
        state: &str,
        reply: Option<&str>,
        replied_on: Option<&str>,
    ) -> Result<(), DbError> {
        let changed = diesel::update(
            opinions::table.filter(
                opinions::id
                    .eq(id)
                    .and(opinions::leading_group_id.eq(group_id)),
            ),
        )
        .set((
            opinions::state.eq(state),
            opinions::reply.eq(reply),
            opinions::replied_on.eq(replied_on),
        ))
        .execute(conn)?;
        if changed == 0 {
            Err(DbError::NotFound)
        } else {
            Ok(())
        }
    }
}
