//! People who can be named in opinions: officials, branch secretaries, members.

use diesel::prelude::*;
use vocabulary::model::{PersonId, UnitId};
use vocabulary::org::LeaderRank;

use super::schema::{people, units};
use super::{DbConnection, DbError};

/// A person of a unit.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = people)]
pub struct Person {
    /// Random id.
    pub id: PersonId,
    /// The unit they belong to.
    pub unit_id: UnitId,
    /// Their name.
    pub name: String,
    /// Their post, e.g. `村党支部书记`; may be empty.
    pub post: String,
    /// Inactive people are no longer offered to villagers.
    pub active: bool,
    /// Their rank in the statistics table for leaders (附件1), if they are a leader.
    pub leader_rank: Option<LeaderRank>,
}

impl Person {
    /// Stores a new person.
    pub fn insert(conn: &mut DbConnection, person: &Person) -> Result<(), DbError> {
        diesel::insert_into(people::table)
            .values(person)
            .execute(conn)?;
        Ok(())
    }

    /// The person with this id.
    pub fn find(conn: &mut DbConnection, id: &PersonId) -> Result<Person, DbError> {
        Ok(people::table
            .find(id)
            .select(Person::as_select())
            .first(conn)?)
    }

    /// The people of these units with their unit's name, by unit then name; active ones only
    /// unless `all`.
    pub fn in_units(
        conn: &mut DbConnection,
        unit_ids: &[&str],
        all: bool,
    ) -> Result<Vec<(Person, String)>, DbError> {
        let mut query = people::table
            .inner_join(units::table)
            .filter(people::unit_id.eq_any(unit_ids))
            .select((Person::as_select(), units::name))
            .order((units::name.asc(), people::name.asc(), people::id.asc()))
            .into_boxed();
        if !all {
            query = query.filter(people::active.eq(true));
        }
        Ok(query.load(conn)?)
    }

    /// These people (active or not) with their unit's name.
    pub fn with_units(
        conn: &mut DbConnection,
        ids: &[&str],
    ) -> Result<Vec<(Person, String)>, DbError> {
        Ok(people::table
            .inner_join(units::table)
            .filter(people::id.eq_any(ids))
            .select((Person::as_select(), units::name))
            .load(conn)?)
    }

    /// Whether a unit already has someone of this name and post.
    pub fn exists(
        conn: &mut DbConnection,
        unit_id: &str,
        name: &str,
        post: &str,
    ) -> Result<bool, DbError> {
        let n: i64 = people::table
            .filter(people::unit_id.eq(unit_id))
            .filter(people::name.eq(name))
            .filter(people::post.eq(post))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }

    /// Sets or clears a person's leader rank.
    pub fn set_rank(conn: &mut DbConnection, id: &str, rank: Option<&str>) -> Result<(), DbError> {
        let changed = diesel::update(people::table.find(id))
            .set(people::leader_rank.eq(rank))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Withdraws a person from villagers' lists or offers them again.
    pub fn set_active(conn: &mut DbConnection, id: &str, active: bool) -> Result<(), DbError> {
        let changed = diesel::update(people::table.find(id))
            .set(people::active.eq(active))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
