//! Abuse-control state shared by every server process: the per-account sign-in delay, spent
//! box-page tokens and the appraisal burst counters. No row names a resident, an address or a
//! submission. A token just spent waits in `waiting_tokens` until its pool is released to
//! `used_tokens` in shuffled order (`db::holding`); both are checked.

use diesel::prelude::*;

use super::holding::{self, Pool, Schedule};
use super::schema::{appraisal_bursts, sign_in_throttle, used_tokens, waiting_tokens};
use super::{DbConnection, DbError};

/// Unix seconds until which sign-ins to the account with this hash are refused, if later than
/// `now`.
pub fn sign_in_blocked_until(
    conn: &mut DbConnection,
    account_hash: &str,
    now: i64,
) -> Result<Option<i64>, DbError> {
    let until: Option<i64> = sign_in_throttle::table
        .find(account_hash)
        .select(sign_in_throttle::blocked_until)
        .first(conn)
        .optional()?;
    Ok(until.filter(|u| *u > now))
}

/// Counts one more failed sign-in and sets the delay `delay(failures)` (seconds) from `now`;
/// returns the new count.
pub fn record_sign_in_failure(
    conn: &mut DbConnection,
    account_hash: &str,
    now: i64,
    delay: fn(i32) -> i64,
) -> Result<i32, DbError> {
    conn.write_transaction(|conn| {
        // Counted in the row itself, so two servers counting the same account at once both
        // count: the loser of a race to create the row counts on the winner's.
        super::bump_counter(
            conn,
            |conn| {
                diesel::update(sign_in_throttle::table.find(account_hash))
                    .set(sign_in_throttle::failures.eq(sign_in_throttle::failures + 1))
                    .execute(conn)
            },
            |conn| {
                diesel::insert_into(sign_in_throttle::table)
                    .values((
                        sign_in_throttle::account_hash.eq(account_hash),
                        sign_in_throttle::failures.eq(1),
                        sign_in_throttle::blocked_until.eq(now),
                    ))
                    .execute(conn)
            },
        )?;
        let failures: i32 = sign_in_throttle::table
            .find(account_hash)
            .select(sign_in_throttle::failures)
            .first(conn)?;
        diesel::update(sign_in_throttle::table.find(account_hash))
            .set(sign_in_throttle::blocked_until.eq(now + delay(failures)))
            .execute(conn)?;
        Ok(failures)
    })
}

/// Forgets the failures of an account (after a successful sign-in).
pub fn clear_sign_in(conn: &mut DbConnection, account_hash: &str) -> Result<(), DbError> {
    diesel::delete(sign_in_throttle::table.find(account_hash)).execute(conn)?;
    Ok(())
}

/// Deletes sign-in counters whose delay ended before `before`; returns how many.
pub fn delete_stale_sign_ins(conn: &mut DbConnection, before: i64) -> Result<usize, DbError> {
    Ok(
        diesel::delete(sign_in_throttle::table.filter(sign_in_throttle::blocked_until.lt(before)))
            .execute(conn)?,
    )
}

/// What spending a box-page token found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// Not spent before: now it is, with this submission key.
    Fresh,
    /// Spent before with the same submission key: the same submission sent again.
    Again,
    /// Spent before with another submission key (or none).
    Used,
}

/// The binding a token was spent under, if it was: waiting first, then released (the release
/// inserts there and deletes here in one transaction, so reading in this order never misses it).
fn spent_binding(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<String>, diesel::result::Error> {
    let waiting: Option<String> = waiting_tokens::table
        .find(token_hash)
        .select(waiting_tokens::binding)
        .first(conn)
        .optional()?;
    if waiting.is_some() {
        return Ok(waiting);
    }
    used_tokens::table
        .find(token_hash)
        .select(used_tokens::binding)
        .first(conn)
        .optional()
}

/// Spends the token with hash `token_hash` under `binding` (its keyed hash with the submission
/// key), kept until `expires_on`; it waits in the holding table until its pool is released.
/// `resendable` is false for a submission without a key, which can never be sent again with
/// the same token.
pub fn spend_token(
    conn: &mut DbConnection,
    token_hash: &str,
    binding: &str,
    resendable: bool,
    expires_on: &str,
    schedule: &Schedule,
) -> Result<Spend, DbError> {
    let judge = |spent: Option<String>| match spent {
        Some(b) if resendable && b == binding => Some(Spend::Again),
        Some(_) => Some(Spend::Used),
        None => None,
    };
    let tried = conn.write_transaction(|conn| {
        holding::share(conn)?;
        match judge(spent_binding(conn, token_hash)?) {
            Some(seen) => Ok(seen),
            None => {
                let release_by = holding::deadline(conn, Pool::Tokens, schedule)?;
                diesel::insert_into(waiting_tokens::table)
                    .values((
                        waiting_tokens::token_hash.eq(token_hash),
                        waiting_tokens::binding.eq(binding),
                        waiting_tokens::expires_on.eq(expires_on),
                        waiting_tokens::release_by.eq(release_by),
                    ))
                    .execute(conn)?;
                Ok(Spend::Fresh)
            }
        }
    });
    match tried {
        // The same token sent twice at once (PostgreSQL): the other request spent it first.
        Err(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Ok(judge(spent_binding(conn, token_hash)?).unwrap_or(Spend::Used)),
        other => other,
    }
}

/// Gives back a token spent by a submission that was then refused, so the villager can correct
/// the form and send it with the same token.
pub fn unspend_token(conn: &mut DbConnection, token_hash: &str) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        holding::share(conn)?;
        diesel::delete(waiting_tokens::table.find(token_hash)).execute(conn)?;
        diesel::delete(used_tokens::table.find(token_hash)).execute(conn)?;
        Ok(())
    })
}

/// Deletes spent tokens kept past their last day, waiting or released; returns how many.
pub fn delete_expired_tokens(conn: &mut DbConnection, today: &str) -> Result<usize, DbError> {
    let waiting =
        diesel::delete(waiting_tokens::table.filter(waiting_tokens::expires_on.lt(today)))
            .execute(conn)?;
    let released = diesel::delete(used_tokens::table.filter(used_tokens::expires_on.lt(today)))
        .execute(conn)?;
    Ok(waiting + released)
}

/// Counts one answer to `round_id` in `window` and returns the counts of the previous and
/// this window (this answer included). Older windows of the round are deleted.
pub fn count_burst(
    conn: &mut DbConnection,
    round_id: &str,
    window: i64,
) -> Result<(i64, i64), DbError> {
    conn.write_transaction(|conn| {
        holding::share(conn)?;
        diesel::delete(
            appraisal_bursts::table
                .filter(appraisal_bursts::round_id.eq(round_id))
                .filter(appraisal_bursts::window_no.lt(window - 1)),
        )
        .execute(conn)?;
        super::bump_counter(
            conn,
            |conn| {
                diesel::update(appraisal_bursts::table.find((round_id, window)))
                    .set(appraisal_bursts::answers.eq(appraisal_bursts::answers + 1))
                    .execute(conn)
            },
            |conn| {
                diesel::insert_into(appraisal_bursts::table)
                    .values((
                        appraisal_bursts::round_id.eq(round_id),
                        appraisal_bursts::window_no.eq(window),
                        appraisal_bursts::answers.eq(1),
                    ))
                    .execute(conn)
            },
        )?;
        let rows: Vec<(i64, i32)> = appraisal_bursts::table
            .filter(appraisal_bursts::round_id.eq(round_id))
            .select((appraisal_bursts::window_no, appraisal_bursts::answers))
            .load(conn)?;
        let of = |w: i64| {
            rows.iter()
                .find(|(n, _)| *n == w)
                .map_or(0, |(_, a)| i64::from(*a))
        };
        Ok((of(window - 1), of(window)))
    })
}

/// Deletes burst windows older than the one before `window` (of every round, whatever the
/// window length); returns how many.
pub fn delete_old_bursts(conn: &mut DbConnection, window: i64) -> Result<usize, DbError> {
    Ok(
        diesel::delete(appraisal_bursts::table.filter(appraisal_bursts::window_no.lt(window - 1)))
            .execute(conn)?,
    )
}
