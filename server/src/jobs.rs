//! The maintenance job: releases due batches of waiting opinions and deletes closed opinions
//! past their group's retention. Runs periodically in each server; a database lock lets only
//! one server do the work at a time.

use std::time::Duration;

use vocabulary::model::Category;

use crate::db::jobs::{MAINTENANCE, with_job_lock};
use crate::db::opinions::Opinion;
use crate::db::submissions::SubmissionKey;
use crate::db::tallies::Tally;
use crate::db::units::LeadingGroup;
use crate::db::{DbConnection, DbError, flush_deleted, vacuum_holding};
use crate::domain::day::{day_of_unix, unix_now};
use crate::state::AppState;

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Batches released.
    pub batches: usize,
    /// Opinions in them.
    pub released: usize,
    /// Closed opinions deleted at the end of their retention (only counts are kept).
    pub deleted: usize,
    /// Opinions stored before word search existed, added to its index.
    pub indexed: usize,
    /// Submission keys past their last day, deleted.
    pub keys_expired: usize,
    /// Spent box-page tokens past their last day, deleted.
    pub tokens_expired: usize,
    /// Rows of the other holding tables (appraisal responses, answers and used slips, spent
    /// tokens, villagers' replies) written to their tables in shuffled order.
    pub holding_released: usize,
}

const DAY: i64 = 24 * 3600;
/// Opinions added to the word index per run, so an old database catches up without a long lock.
const INDEX_BATCH: i64 = 500;

/// Runs the job once as of `now` (Unix seconds); `None` when another server was running it.
pub async fn run_once(state: &AppState, now: i64) -> Result<Option<Report>, DbError> {
    let policy = state.config.release.clone();
    let due = state.config.due.clone();
    let appraisal_window = state.config.appraisal_burst.window(now);
    state
        .db(move |conn| {
            with_job_lock(conn, MAINTENANCE, now, |conn| {
                // Before any row lock: residents' writes wait for the job, never the reverse.
                crate::db::holding::exclusive(conn)?;
                let mut report = Report::default();
                let day = day_of_unix(now);
                for batch in Opinion::waiting_batches(conn)? {
                    if policy.is_due(batch.waiting, batch.deadline, now) {
                        let due_for = |category: Category| {
                            day_of_unix(now + i64::from(due.days_for(category)) * DAY)
                        };
                        report.released +=
                            Opinion::release_group(conn, &batch.group_id, &day, due_for)?.len();
                        report.batches += 1;
                    }
                }
                // No reviewer sees an opinion before whom it names is known.
                crate::db::subjects::derive_backlog(conn)?;
                report.deleted = delete_expired(conn, now)?;
                report.indexed = crate::db::search::index_backlog(conn, INDEX_BATCH)?;
                report.keys_expired = SubmissionKey::delete_expired(conn, &day)?;
                crate::db::budget::prune(conn, now)?;
                report.tokens_expired = crate::db::throttle::delete_expired_tokens(conn, &day)?;
                crate::db::throttle::delete_stale_sign_ins(conn, now - DAY)?;
                crate::db::throttle::delete_old_bursts(conn, appraisal_window)?;
                report.holding_released = crate::db::holding::release_due(conn, &policy, now)?;
                if report.released + report.holding_released > 0 {
                    crate::db::holding::shuffle_counters(conn)?;
                }
                Ok(report)
            })?
            .map(|report| {
                if report.released + report.holding_released > 0 {
                    vacuum_holding(conn)?;
                }
                if report.deleted > 0 {
                    flush_deleted(conn)?;
                }
                Ok(report)
            })
            .transpose()
        })
        .await
}

/// Deletes every group's closed opinions past retention, counting each in its tally first.
fn delete_expired(conn: &mut DbConnection, now: i64) -> Result<usize, DbError> {
    let mut deleted = 0;
    for days in LeadingGroup::retentions(conn)? {
        let cutoff = day_of_unix(now - i64::from(days) * DAY);
        for expired in Opinion::closed_before(conn, days, &cutoff)? {
            let day = expired.released_on.unwrap_or(cutoff.clone());
            let month = day.get(..7).unwrap_or(&day);
            Tally::add_one(
                conn,
                &expired.group_id,
                &expired.unit_id,
                expired.category,
                month,
            )?;
            Opinion::delete(conn, &expired.id)?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Starts the periodic job on the current runtime; an interval of 0 turns it off (the
/// `release` command can then be run from cron).
pub fn spawn(state: AppState) {
    let every = state.config.job_interval_secs;
    if every == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(Duration::from_secs(every));
        loop {
            ticks.tick().await;
            match run_once(&state, unix_now()).await {
                Ok(Some(report)) => {
                    if report.batches > 0 {
                        tracing::info!(
                            batches = report.batches,
                            opinions = report.released,
                            "released waiting opinions"
                        );
                    }
                    if report.deleted > 0 {
                        tracing::info!(
                            opinions = report.deleted,
                            "deleted closed opinions past retention"
                        );
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "maintenance job failed"),
            }
        }
    });
}
