//! The maintenance job: releases due batches of waiting opinions. Runs every few seconds in
//! each server; a database lock lets only one server do the work at a time.

use std::time::Duration;

use crate::db::DbError;
use crate::db::jobs::{MAINTENANCE, with_job_lock};
use crate::db::opinions::Opinion;
use crate::domain::day::{day_of_unix, unix_now};
use crate::state::AppState;

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Batches released.
    pub batches: usize,
    /// Opinions in them.
    pub released: usize,
}

/// Runs the job once as of `now` (Unix seconds); `None` when another server was running it.
pub async fn run_once(state: &AppState, now: i64) -> Result<Option<Report>, DbError> {
    let policy = state.config.release.clone();
    state
        .db(move |conn| {
            with_job_lock(conn, MAINTENANCE, now, |conn| {
                let mut report = Report::default();
                let day = day_of_unix(now);
                for batch in Opinion::waiting_batches(conn)? {
                    if policy.is_due(batch.waiting, batch.deadline, now) {
                        report.released += Opinion::release_group(conn, &batch.group_id, &day)?;
                        report.batches += 1;
                    }
                }
                Ok(report)
            })
        })
        .await
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
                Ok(Some(report)) if report.batches > 0 => {
                    tracing::info!(
                        batches = report.batches,
                        opinions = report.released,
                        "released waiting opinions"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "maintenance job failed"),
            }
        }
    });
}
