//! Anonymous counts left behind when closed opinions are deleted at the end of retention.

use diesel::prelude::*;
use vocabulary::model::{Category, GroupId, UnitId};

use super::schema::opinion_tallies;
use super::{DbConnection, DbError};

/// One counted cell: a group's deleted opinions of one village, category and release month.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinion_tallies)]
pub struct Tally {
    /// The leading group.
    pub leading_group_id: GroupId,
    /// The village (unit of the box).
    pub unit_id: UnitId,
    /// Category name.
    pub category: Category,
    /// Release month, `YYYY-MM`.
    pub month: String,
    /// How many closed opinions were deleted.
    pub closed: i32,
}

impl Tally {
    /// Adds one deleted opinion to its cell (inside the job's transaction, so never raced).
    pub fn add_one(
        conn: &mut DbConnection,
        group_id: &GroupId,
        unit_id: &UnitId,
        category: Category,
        month: &str,
    ) -> Result<(), DbError> {
        let cell = opinion_tallies::table.find((group_id, unit_id, category, month));
        let updated = diesel::update(cell)
            .set(opinion_tallies::closed.eq(opinion_tallies::closed + 1))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(opinion_tallies::table)
                .values(Tally {
                    leading_group_id: group_id.clone(),
                    unit_id: unit_id.clone(),
                    category,
                    month: month.to_string(),
                    closed: 1,
                })
                .execute(conn)?;
        }
        Ok(())
    }

    /// All of a group's cells.
    pub fn for_group(conn: &mut DbConnection, group_id: &str) -> Result<Vec<Tally>, DbError> {
        Ok(opinion_tallies::table
            .filter(opinion_tallies::leading_group_id.eq(group_id))
            .select(Tally::as_select())
            .load(conn)?)
    }
}
