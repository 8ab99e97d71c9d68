//! Suggestion boxes (意见箱): one public QR code each.

use diesel::prelude::*;
use vocabulary::model::{BoxId, UnitId};

use super::schema::boxes;
use super::{DbConnection, DbError};
use crate::domain::codes::BoxCode;

/// A suggestion box hung in a unit.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = boxes)]
pub struct OpinionBox {
    /// Random id.
    pub id: BoxId,
    /// The random public code in its URL; stable because posters cannot be reprinted.
    pub code: String,
    /// The unit it hangs in.
    pub unit_id: UnitId,
    /// Its name, e.g. `张家村意见箱`.
    pub name: String,
}

impl OpinionBox {
    /// Stores a new box.
    pub fn insert(conn: &mut DbConnection, new_box: &OpinionBox) -> Result<(), DbError> {
        diesel::insert_into(boxes::table)
            .values(new_box)
            .execute(conn)?;
        Ok(())
    }

    /// The box with this public code.
    pub fn by_code(conn: &mut DbConnection, code: &BoxCode) -> Result<OpinionBox, DbError> {
        Ok(boxes::table
            .filter(boxes::code.eq(code.as_str()))
            .select(OpinionBox::as_select())
            .first(conn)?)
    }

    /// The box with this id.
    pub fn find(conn: &mut DbConnection, id: &BoxId) -> Result<OpinionBox, DbError> {
        Ok(boxes::table
            .find(id)
            .select(OpinionBox::as_select())
            .first(conn)?)
    }

    /// Every box, by name.
    pub fn all(conn: &mut DbConnection) -> Result<Vec<OpinionBox>, DbError> {
        Ok(boxes::table
            .order(boxes::name.asc())
            .select(OpinionBox::as_select())
            .load(conn)?)
    }
}
