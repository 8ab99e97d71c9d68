//! The holding tables for what a resident's request writes besides a new opinion (which waits
//! in `db::waiting`): an appraisal response with its answers and the slip it used, a spent
//! box-page token, and a villager's reply to a released opinion. Each waits in its holding
//! table, read and counted live together with the released rows, until the maintenance job
//! releases its pool by the rule opinions follow (`MASHANGSHUO_BATCH_SIZE` rows waiting, or the
//! pool's shared deadline, or the fixed release times). The pool is then written to its table
//! in a fresh random order and deleted here in one transaction, so neither the row order nor
//! the file order of a copy taken later follows arrival. The per-hour and per-window counters
//! are rewritten in random order at the same time, so the place of their rows no longer tells
//! which was bumped last (PostgreSQL writes a new tuple for every update).

use diesel::connection::SimpleConnection;
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use rand::seq::SliceRandom;
use vocabulary::model::{Day, OpinionId};

use super::appraisal::AnswerRow;
use super::messages::Message;
use super::schema::{
    answers, appraisal_bursts, box_hour_counts, opinion_messages, responses, slips, used_tokens,
    waiting_answers, waiting_replies, waiting_responses, waiting_slips, waiting_tokens,
};
use super::{DbConnection, DbError, insert_rows};
use crate::domain::release::ReleasePolicy;

/// PostgreSQL advisory lock key that residents' writes take shared and the maintenance job
/// takes exclusively (SQLite's write transactions are serial already).
const HOLDING_LOCK: i64 = 0x6d73_735f_686f_6c64;

/// The tables the job vacuums on PostgreSQL after a release: these holding tables (their dead
/// tuples are in arrival order), the counters rewritten at release, and the tables released
/// into (a changed appraisal response leaves a dead tuple there).
pub(super) const VACUUMED: &str = "waiting_responses, waiting_answers, waiting_slips, \
     waiting_tokens, waiting_replies, box_hour_counts, appraisal_bursts, responses, answers, \
     slips, used_tokens, opinion_messages";

/// When a row written now is released at the latest: the release rule and the time.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The rule opinions are released by, applied to each pool.
    pub policy: ReleasePolicy,
    /// The time of the request (Unix seconds); only the pool's deadline derived from it is
    /// stored.
    pub now: i64,
}

/// A pool of holding rows released together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    /// Appraisal responses with their answers, and the slips they used.
    Appraisal,
    /// Spent box-page tokens.
    Tokens,
    /// Villagers' replies to released opinions.
    Replies,
}

impl Pool {
    const ALL: [Pool; 3] = [Pool::Appraisal, Pool::Tokens, Pool::Replies];
}

/// Takes the holding lock shared until the transaction ends (PostgreSQL). Every write to a
/// holding table or a counter takes it first thing, so it never waits for the job while
/// holding a row the job needs, and the job never moves a pool under a check-then-insert.
pub(super) fn share(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    if let DbConnection::Postgresql(c) = conn {
        c.batch_execute(&format!(
            "SELECT pg_advisory_xact_lock_shared({HOLDING_LOCK})"
        ))?;
    }
    Ok(())
}

/// Takes the holding lock exclusively until the transaction ends (PostgreSQL): residents'
/// writes wait for the maintenance job, which takes it before any row lock.
pub fn exclusive(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Postgresql(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({HOLDING_LOCK})"))?;
    }
    Ok(())
}

/// How many rows wait in a pool, and the deadline they share.
fn pool_state(
    conn: &mut DbConnection,
    pool: Pool,
) -> Result<(i64, Option<i64>), diesel::result::Error> {
    match pool {
        Pool::Appraisal => {
            let (n, deadline) = waiting_responses::table
                .select((count_star(), min(waiting_responses::release_by)))
                .first::<(i64, Option<i64>)>(conn)?;
            // A used slip always waits with its response; one left alone is released at once.
            let slips: i64 = waiting_slips::table.count().get_result(conn)?;
            Ok((n + slips, deadline))
        }
        Pool::Tokens => waiting_tokens::table
            .select((count_star(), min(waiting_tokens::release_by)))
            .first(conn),
        Pool::Replies => waiting_replies::table
            .select((count_star(), min(waiting_replies::release_by)))
            .first(conn),
    }
}

/// The deadline a row joining `pool` now shares with the rows already waiting there (a fresh
/// one when none waits or theirs has passed).
pub(super) fn deadline(
    conn: &mut DbConnection,
    pool: Pool,
    schedule: &Schedule,
) -> Result<i64, diesel::result::Error> {
    let (_, shared) = pool_state(conn, pool)?;
    Ok(schedule.policy.deadline_joining(shared, schedule.now))
}

/// Releases every pool that is due at `now` under `policy`: its rows written to their tables
/// in a fresh random order (a few hundred rows per statement) and deleted here. Returns how many rows moved.
pub fn release_due(
    conn: &mut DbConnection,
    policy: &ReleasePolicy,
    now: i64,
) -> Result<usize, DbError> {
    exclusive(conn)?;
    let mut moved = 0;
    for pool in Pool::ALL {
        let (waiting, deadline) = pool_state(conn, pool)?;
        let count = u32::try_from(waiting).unwrap_or(u32::MAX);
        if waiting == 0 || !policy.is_due(count, deadline.unwrap_or(i64::MIN), now) {
            continue;
        }
        moved += match pool {
            Pool::Appraisal => release_appraisal(conn)?,
            Pool::Tokens => release_tokens(conn)?,
            Pool::Replies => release_replies(conn)?,
        };
    }
    Ok(moved)
}

/// Writes the waiting responses, their answers (each shuffled on its own) and the used marks
/// of the waiting slips; returns how many rows moved.
fn release_appraisal(conn: &mut DbConnection) -> Result<usize, DbError> {
    let mut rng = rand::rng();
    let mut waiting: Vec<(String, String, String, bool)> = waiting_responses::table
        .select((
            waiting_responses::id,
            waiting_responses::round_id,
            waiting_responses::change_hash,
            waiting_responses::held,
        ))
        .load(conn)?;
    waiting.shuffle(&mut rng);
    let rows: Vec<_> = waiting
        .iter()
        .map(|(id, round_id, change_hash, held)| {
            (
                responses::id.eq(id),
                responses::round_id.eq(round_id),
                responses::change_hash.eq(change_hash),
                responses::held.eq(*held),
            )
        })
        .collect();
    insert_rows(conn, responses::table, &rows)?;
    let mut rows: Vec<AnswerRow> = waiting_answers::table
        .select((
            waiting_answers::response_id,
            waiting_answers::subject_id,
            waiting_answers::item_key,
            waiting_answers::rating,
            waiting_answers::text,
            waiting_answers::round_id,
        ))
        .load::<AnswerRow>(conn)?;
    rows.shuffle(&mut rng);
    insert_rows(conn, answers::table, &rows)?;
    let mut used: Vec<String> = waiting_slips::table
        .select(waiting_slips::code_hash)
        .load(conn)?;
    used.shuffle(&mut rng);
    for chunk in used.chunks(500) {
        diesel::update(slips::table.filter(slips::code_hash.eq_any(chunk)))
            .set(slips::used.eq(true))
            .execute(conn)?;
    }
    // The job holds the holding lock (or SQLite's write lock): nothing was added meanwhile.
    diesel::delete(waiting_answers::table).execute(conn)?;
    diesel::delete(waiting_responses::table).execute(conn)?;
    diesel::delete(waiting_slips::table).execute(conn)?;
    Ok(waiting.len() + rows.len() + used.len())
}

/// Writes the waiting spent tokens to `used_tokens`; returns how many moved.
fn release_tokens(conn: &mut DbConnection) -> Result<usize, DbError> {
    let mut waiting: Vec<(String, String, String)> = waiting_tokens::table
        .select((
            waiting_tokens::token_hash,
            waiting_tokens::binding,
            waiting_tokens::expires_on,
        ))
        .load(conn)?;
    waiting.shuffle(&mut rand::rng());
    let rows: Vec<_> = waiting
        .iter()
        .map(|(token_hash, binding, expires_on)| {
            (
                used_tokens::token_hash.eq(token_hash),
                used_tokens::binding.eq(binding),
                used_tokens::expires_on.eq(expires_on),
            )
        })
        .collect();
    insert_rows(conn, used_tokens::table, &rows)?;
    diesel::delete(waiting_tokens::table).execute(conn)?;
    Ok(waiting.len())
}

/// Writes the waiting replies to their threads; returns how many moved. A reply whose place
/// a reviewer's message took meanwhile (two writers on PostgreSQL) goes to the end.
fn release_replies(conn: &mut DbConnection) -> Result<usize, DbError> {
    let mut waiting: Vec<(String, OpinionId, String, Day, i32)> = waiting_replies::table
        .select((
            waiting_replies::id,
            waiting_replies::opinion_id,
            waiting_replies::body,
            waiting_replies::sent_on,
            waiting_replies::seq,
        ))
        .load(conn)?;
    waiting.shuffle(&mut rand::rng());
    let count = waiting.len();
    for (id, opinion_id, body, sent_on, seq) in waiting {
        let taken: i64 = opinion_messages::table
            .filter(opinion_messages::opinion_id.eq(&opinion_id))
            .filter(opinion_messages::seq.eq(seq))
            .count()
            .get_result(conn)?;
        let seq = if taken == 0 {
            seq
        } else {
            let last: Option<i32> = opinion_messages::table
                .filter(opinion_messages::opinion_id.eq(&opinion_id))
                .select(max(opinion_messages::seq))
                .first(conn)?;
            last.unwrap_or(0) + 1
        };
        diesel::insert_into(opinion_messages::table)
            .values(Message {
                id,
                opinion_id,
                from_staff: false,
                body,
                sent_on,
                seq,
            })
            .execute(conn)?;
    }
    diesel::delete(waiting_replies::table).execute(conn)?;
    Ok(count)
}

/// Rewrites the per-box hourly counts and the appraisal burst counts in a fresh random order,
/// so the place of a row no longer tells when it was last bumped.
pub fn shuffle_counters(conn: &mut DbConnection) -> Result<(), DbError> {
    exclusive(conn)?;
    let mut rng = rand::rng();
    let mut hours: Vec<(String, i64, i32)> = box_hour_counts::table
        .select((
            box_hour_counts::box_id,
            box_hour_counts::hour,
            box_hour_counts::opinions,
        ))
        .load(conn)?;
    hours.shuffle(&mut rng);
    diesel::delete(box_hour_counts::table).execute(conn)?;
    let rows: Vec<_> = hours
        .iter()
        .map(|(box_id, hour, opinions)| {
            (
                box_hour_counts::box_id.eq(box_id),
                box_hour_counts::hour.eq(*hour),
                box_hour_counts::opinions.eq(*opinions),
            )
        })
        .collect();
    insert_rows(conn, box_hour_counts::table, &rows)?;
    let mut windows: Vec<(String, i64, i32)> = appraisal_bursts::table
        .select((
            appraisal_bursts::round_id,
            appraisal_bursts::window_no,
            appraisal_bursts::answers,
        ))
        .load(conn)?;
    windows.shuffle(&mut rng);
    diesel::delete(appraisal_bursts::table).execute(conn)?;
    let rows: Vec<_> = windows
        .iter()
        .map(|(round_id, window_no, answers)| {
            (
                appraisal_bursts::round_id.eq(round_id),
                appraisal_bursts::window_no.eq(*window_no),
                appraisal_bursts::answers.eq(*answers),
            )
        })
        .collect();
    insert_rows(conn, appraisal_bursts::table, &rows)?;
    Ok(())
}
