//! The per-box hourly budget of opinions: a count per box and clock hour, shared by every
//! server through the database. Only the hour is stored and nothing names an opinion.

use diesel::prelude::*;

use super::schema::box_hour_counts;
use super::{DbConnection, DbError};

const HOUR: i64 = 3600;

/// How many opinions a box may take in a rolling hour before the rest are held (待核).
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Opinions per rolling hour.
    pub per_hour: u32,
    /// The time of the submission (Unix seconds); only its hour is written.
    pub now: i64,
}

/// Counts one more opinion of `box_id` and answers whether the box is now over its budget.
/// The rolling hour is estimated from two clock-hour counts: all of this hour's and the part
/// of the last hour's that falls within the last 60 minutes, pro rata.
pub(super) fn count_one(
    conn: &mut DbConnection,
    box_id: &str,
    budget: Budget,
) -> Result<bool, diesel::result::Error> {
    let hour = budget.now - budget.now.rem_euclid(HOUR);
    super::bump_counter(
        conn,
        |conn| {
            diesel::update(box_hour_counts::table.find((box_id, hour)))
                .set(box_hour_counts::opinions.eq(box_hour_counts::opinions + 1))
                .execute(conn)
        },
        |conn| {
            diesel::insert_into(box_hour_counts::table)
                .values((
                    box_hour_counts::box_id.eq(box_id),
                    box_hour_counts::hour.eq(hour),
                    box_hour_counts::opinions.eq(1),
                ))
                .execute(conn)
        },
    )?;
    let counts: Vec<(i64, i32)> = box_hour_counts::table
        .filter(box_hour_counts::box_id.eq(box_id))
        .filter(box_hour_counts::hour.ge(hour - HOUR))
        .select((box_hour_counts::hour, box_hour_counts::opinions))
        .load(conn)?;
    let of = |h: i64| {
        counts
            .iter()
            .find(|(at, _)| *at == h)
            .map_or(0, |(_, n)| i64::from(*n))
    };
    let left_of_last = HOUR - (budget.now - hour);
    let estimate_scaled = of(hour - HOUR) * left_of_last + of(hour) * HOUR;
    Ok(estimate_scaled > i64::from(budget.per_hour) * HOUR)
}

/// Deletes the counts of hours that no longer fall in a rolling hour; returns how many.
pub fn prune(conn: &mut DbConnection, now: i64) -> Result<usize, DbError> {
    let hour = now - now.rem_euclid(HOUR);
    Ok(
        diesel::delete(box_hour_counts::table.filter(box_hour_counts::hour.lt(hour - HOUR)))
            .execute(conn)?,
    )
}
