//! Held opinions (待核): released with their batch but beyond their box's hourly budget, so
//! kept out of the queue, the counts and the statistics until a reviewer accepts them.

use diesel::prelude::*;
use vocabulary::model::{Category, Day, OpinionId};

use super::opinions::Opinion;
use super::schema::{boxes, opinions, units};
use super::visibility::{QueueRow, QueuedOpinion, Scope};
use super::{DbConnection, DbError};

/// The held opinions a reviewer may see, newest batch first, by random id within it.
pub fn list(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<QueuedOpinion>, DbError> {
    let rows: Vec<QueueRow> = opinions::table
        .inner_join(boxes::table.inner_join(units::table))
        .filter(opinions::leading_group_id.eq(&scope.group_id))
        .filter(opinions::held.eq(true))
        .filter(opinions::released_on.is_null())
        .filter(scope.visible())
        .select((Opinion::as_select(), boxes::name, units::name, units::id))
        .order((opinions::received_on.desc(), opinions::id.desc()))
        .load(conn)?;
    Ok(rows.into_iter().map(QueuedOpinion::from).collect())
}

/// Accepts held opinions into the queue on `day`, each due on the day `due_for` gives its
/// category: the one with id `only`, or every one the reviewer may see. Returns the ids
/// accepted; `NotFound` when `only` names none of them.
pub fn accept(
    conn: &mut DbConnection,
    scope: &Scope,
    only: Option<&str>,
    day: &Day,
    due_for: impl Fn(Category) -> Day,
) -> Result<Vec<OpinionId>, DbError> {
    conn.write_transaction(|conn| {
        let mut query = opinions::table
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(opinions::held.eq(true))
            .filter(opinions::released_on.is_null())
            .filter(scope.visible())
            .select((opinions::id, opinions::category))
            .into_boxed();
        if let Some(id) = only {
            query = query.filter(opinions::id.eq(id.to_string()));
        }
        let found: Vec<(OpinionId, Category)> = query.load(conn)?;
        if found.is_empty() && only.is_some() {
            return Err(DbError::NotFound);
        }
        for (id, category) in &found {
            diesel::update(opinions::table.find(id))
                .set((
                    opinions::held.eq(false),
                    opinions::released_on.eq(day),
                    opinions::release_by.eq(None::<i64>),
                    opinions::due_on.eq(due_for(*category)),
                ))
                .execute(conn)?;
        }
        Ok(found.into_iter().map(|(id, _)| id).collect())
    })
}
