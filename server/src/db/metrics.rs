//! Aggregate counts for the operators' `/metrics`: only what has been released, never anything
//! about opinions still waiting for their batch (their number would date each arrival).

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{boxes, leading_groups, opinions, rounds, staff, units};
use super::{DbConnection, DbError};

/// Counts over the whole database, each of rows that residents' timing cannot move.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Released opinions in the reviewers' queue, by state name.
    pub released_by_state: Vec<(String, i64)>,
    /// Opinions held (待核) at their release for exceeding their box's hourly budget, not yet
    /// accepted.
    pub held: i64,
    /// Opinion boxes.
    pub boxes: i64,
    /// Units of the organisation (county, townships, villages…).
    pub units: i64,
    /// Leading groups.
    pub leading_groups: i64,
    /// Staff accounts that can sign in.
    pub active_staff: i64,
    /// Appraisal rounds open on `today`.
    pub open_rounds: i64,
}

/// Counts as of `today` (`YYYY-MM-DD`). Rows of the holding tables (`waiting_*`) are never
/// read: they change as opinions arrive.
pub fn counts(conn: &mut DbConnection, today: &str) -> Result<Counts, DbError> {
    let released_by_state = opinions::table
        .filter(opinions::released_on.is_not_null())
        .group_by(opinions::state)
        .select((opinions::state, count_star()))
        .order(opinions::state)
        .load::<(String, i64)>(conn)?;
    let held = opinions::table
        .filter(opinions::held.eq(true))
        .filter(opinions::released_on.is_null())
        .count()
        .get_result(conn)?;
    let open_rounds = rounds::table
        .filter(rounds::closed_on.is_null())
        .filter(rounds::opens_on.le(today))
        .filter(rounds::closes_on.ge(today))
        .count()
        .get_result(conn)?;
    Ok(Counts {
        released_by_state,
        held,
        boxes: boxes::table.count().get_result(conn)?,
        units: units::table.count().get_result(conn)?,
        leading_groups: leading_groups::table.count().get_result(conn)?,
        active_staff: staff::table
            .filter(staff::active.eq(true))
            .count()
            .get_result(conn)?,
        open_rounds,
    })
}
