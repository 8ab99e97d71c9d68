//! Readiness (`/readyz`: the database answers and the maintenance job keeps running) and the
//! operators' metrics (`/metrics`, Prometheus text). Neither says anything about a resident:
//! metrics count only released rows and organisation records, taken once per clock hour, so
//! scraping every few seconds cannot date an opinion's or an answer's arrival.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;
use vocabulary::model::OpinionState;

use crate::db::DbError;
use crate::db::jobs::{MAINTENANCE, last_run};
use crate::db::metrics::{Counts, counts};
use crate::domain::day::day_of_unix;
use crate::state::AppState;

/// How many job intervals may pass without a completed run before the server is not ready.
pub const JOB_INTERVALS_ALLOWED: i64 = 3;
/// Seconds allowed on top of those intervals: a long run, a busy database, a slow start.
pub const JOB_GRACE_SECS: i64 = 60;

const HOUR: i64 = 3600;

/// What `/readyz` answers: each check's outcome and, when not ready, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// Whether every check passed.
    pub ready: bool,
    /// `ok` or `failing` (the check query did not answer).
    pub database: &'static str,
    /// `ok`, `overdue`, `unknown` (the database did not answer) or `not checked` (the job runs
    /// from cron: `MASHANGSHUO_JOB_INTERVAL_SECS=0`).
    pub maintenance: &'static str,
    /// Why the server is not ready, for the operator; absent when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The longest a completed run of the maintenance job may lie in the past, in seconds, for a
/// server running it every `interval_secs`; `None` when the server does not run it (cron).
pub fn job_deadline_secs(interval_secs: u64) -> Option<i64> {
    let interval = i64::try_from(interval_secs).ok().filter(|i| *i > 0)?;
    Some(JOB_INTERVALS_ALLOWED * interval + JOB_GRACE_SECS)
}

/// Judges readiness at `now` from the job's last completed run (or the database's failure to
/// say), for a server running the job every `interval_secs` (0: from cron, not checked).
pub fn judge(last_run: Result<i64, ()>, interval_secs: u64, now: i64) -> Readiness {
    let Ok(ran_at) = last_run else {
        return Readiness {
            ready: false,
            database: "failing",
            maintenance: "unknown",
            reason: Some("the database did not answer the check query".into()),
        };
    };
    let Some(deadline) = job_deadline_secs(interval_secs) else {
        return Readiness {
            ready: true,
            database: "ok",
            maintenance: "not checked",
            reason: None,
        };
    };
    let age = now - ran_at;
    if ran_at > 0 && age <= deadline {
        return Readiness {
            ready: true,
            database: "ok",
            maintenance: "ok",
            reason: None,
        };
    }
    let when = if ran_at > 0 {
        format!("its last completed run began {age} s ago")
    } else {
        "it has not completed a run yet".to_string()
    };
    Readiness {
        ready: false,
        database: "ok",
        maintenance: "overdue",
        reason: Some(format!(
            "maintenance job overdue: {when}; expected within {deadline} s \
             ({JOB_INTERVALS_ALLOWED} × MASHANGSHUO_JOB_INTERVAL_SECS + {JOB_GRACE_SECS} s)"
        )),
    }
}

/// The job's last completed run, read from the database (which makes this a real query).
async fn maintenance_last_run(state: &AppState) -> Result<i64, DbError> {
    state.db(|conn| last_run(conn, MAINTENANCE)).await
}

/// Checks the database and the maintenance job as of `now` (Unix seconds).
pub async fn readiness(state: &AppState, now: i64) -> Readiness {
    let last = maintenance_last_run(state).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check: database failed");
    });
    judge(last, state.config.job_interval_secs, now)
}

/// The counts of the current clock hour, taken at the first scrape in it and kept for the
/// rest of it (one per server process, shared by its workers).
#[derive(Clone, Default)]
pub struct MetricsCache(Arc<tokio::sync::Mutex<Option<(i64, Counts)>>>);

/// The counts `/metrics` shows, computed now and uncached (tests compare them around a
/// submission; the endpoint shows [`hourly_counts`]).
pub async fn current_counts(state: &AppState, now: i64) -> Result<Counts, DbError> {
    let today = day_of_unix(now);
    state.db(move |conn| counts(conn, &today)).await
}

/// The counts of the clock hour of `now`: taken once per hour and reused until the next, so
/// nothing that changes within an hour shows before the hour is over.
pub async fn hourly_counts(state: &AppState, now: i64) -> Result<(i64, Counts), DbError> {
    let hour = now.div_euclid(HOUR);
    // Held across the query, so concurrent scrapes at the turn of the hour take one snapshot.
    let mut cached = state.metrics.0.lock().await;
    if let Some((at, counts)) = cached.as_ref()
        && *at == hour
    {
        return Ok((hour, counts.clone()));
    }
    let fresh = current_counts(state, now).await?;
    *cached = Some((hour, fresh.clone()));
    Ok((hour, fresh))
}

/// The Prometheus text exposition of the metrics as of `now`: whether the database answers,
/// the hour of the job's last completed run and readiness live; counts from the hour's
/// snapshot.
pub async fn metrics_text(state: &AppState, now: i64) -> String {
    let last = maintenance_last_run(state).await;
    let readiness = judge(
        last.as_ref().map(|at| *at).map_err(|_| ()),
        state.config.job_interval_secs,
        now,
    );
    let snapshot = match &last {
        Ok(_) => hourly_counts(state, now)
            .await
            .map_err(|e| tracing::warn!(error = %e, "metrics: counts failed"))
            .ok(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database failed");
            None
        }
    };
    render(last.ok(), &readiness, snapshot.as_ref())
}

/// One metric's `# HELP`/`# TYPE` header and its samples (`labels` already formatted).
fn gauge(out: &mut String, name: &str, help: &str, samples: &[(String, i64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (labels, value) in samples {
        let _ = writeln!(out, "{name}{labels} {value}");
    }
}

/// Writes the exposition: `last_run` is the job's last completed run (`None`: the database
/// did not answer), `snapshot` the hour and counts to show (`None`: not available).
pub fn render(
    last_run: Option<i64>,
    readiness: &Readiness,
    snapshot: Option<&(i64, Counts)>,
) -> String {
    let mut out = String::new();
    let one = |value: i64| vec![(String::new(), value)];
    gauge(
        &mut out,
        "mashangshuo_database_up",
        "Whether the database answered this scrape (1) or not (0).",
        &one(i64::from(last_run.is_some())),
    );
    gauge(
        &mut out,
        "mashangshuo_ready",
        "Whether /readyz answers 200: the database answers and the maintenance job is not overdue.",
        &one(i64::from(readiness.ready)),
    );
    if let Some(at) = last_run {
        gauge(
            &mut out,
            "mashangshuo_maintenance_last_run_hour_seconds",
            "Start of the clock hour (Unix seconds) in which the maintenance job's last completed run began; 0 if none has.",
            &one(if at > 0 {
                at.div_euclid(HOUR) * HOUR
            } else {
                0
            }),
        );
    }
    let Some((hour, counts)) = snapshot else {
        return out;
    };
    gauge(
        &mut out,
        "mashangshuo_snapshot_hour_seconds",
        "Start of the clock hour (Unix seconds) whose first scrape took the counts below; they change once an hour.",
        &one(hour * HOUR),
    );
    let by_state: Vec<(String, i64)> = OpinionState::ALL
        .iter()
        .map(|state| {
            let name = state.as_str();
            let count = counts
                .released_by_state
                .iter()
                .find(|(s, _)| s == name)
                .map_or(0, |(_, n)| *n);
            (format!("{{state=\"{name}\"}}"), count)
        })
        .collect();
    gauge(
        &mut out,
        "mashangshuo_opinions_released",
        "Released opinions in the reviewers' queues, by state. Opinions not yet released with their batch are never counted.",
        &by_state,
    );
    let plain = [
        (
            "mashangshuo_opinions_held",
            "Opinions held (待核) at release for exceeding their box's hourly budget, not yet accepted.",
            counts.held,
        ),
        ("mashangshuo_boxes", "Opinion boxes.", counts.boxes),
        (
            "mashangshuo_units",
            "Units of the organisation.",
            counts.units,
        ),
        (
            "mashangshuo_leading_groups",
            "Leading groups.",
            counts.leading_groups,
        ),
        (
            "mashangshuo_staff_accounts_active",
            "Staff accounts that can sign in.",
            counts.active_staff,
        ),
        (
            "mashangshuo_appraisal_rounds_open",
            "Appraisal rounds open today (China time).",
            counts.open_rounds,
        ),
    ];
    for (name, help, value) in plain {
        gauge(&mut out, name, help, &one(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_only_while_the_job_keeps_its_deadline() {
        let now = 1_000_000;
        // Every 60 s: 3 × 60 + 60 = 240 s.
        assert!(judge(Ok(now - 240), 60, now).ready);
        let late = judge(Ok(now - 241), 60, now);
        assert!(!late.ready);
        assert_eq!(late.maintenance, "overdue");
        assert!(
            late.reason
                .as_deref()
                .is_some_and(|r| r.contains("241 s ago"))
        );
        let never = judge(Ok(0), 60, now);
        assert!(!never.ready);
        assert!(
            never
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("not completed"))
        );
        // From cron: only the database counts.
        let cron = judge(Ok(0), 0, now);
        assert!(cron.ready);
        assert_eq!(cron.maintenance, "not checked");
        let down = judge(Err(()), 60, now);
        assert!(!down.ready);
        assert_eq!(down.database, "failing");
    }

    #[test]
    fn renders_every_state_and_nothing_without_a_snapshot() {
        let ready = judge(Ok(7_200), 60, 7_230);
        let counts = Counts {
            released_by_state: vec![("new".into(), 4)],
            ..Counts::default()
        };
        let text = render(Some(7_230), &ready, Some(&(2, counts)));
        assert!(text.contains("mashangshuo_opinions_released{state=\"new\"} 4\n"));
        assert!(text.contains("mashangshuo_opinions_released{state=\"closed\"} 0\n"));
        assert!(text.contains("mashangshuo_maintenance_last_run_hour_seconds 7200\n"));
        assert!(text.contains("mashangshuo_snapshot_hour_seconds 7200\n"));
        let down = render(None, &judge(Err(()), 60, 7_230), None);
        assert!(down.contains("mashangshuo_database_up 0\n"));
        assert!(!down.contains("mashangshuo_opinions_released"));
    }
}
