//! `/healthz`, `/readyz` and `/metrics`: readiness follows the database and the maintenance
//! job's last completed run; metrics are Prometheus text, off unless turned on, and count
//! nothing that moves when an opinion arrives.

use crate::common;

use std::time::{Duration, Instant};

use common::TestApp;
use diesel::prelude::*;
use mashangshuo::db::schema::job_runs;
use mashangshuo::domain::day::unix_now;
use mashangshuo::service::health;

/// With a job interval of an hour the server runs the job once at start, then not again
/// during the test, so the test alone moves `ran_at` afterwards.
const HOURLY: (&str, &str) = ("MASHANGSHUO_JOB_INTERVAL_SECS", "3600");

/// The start of the maintenance job's last completed run, as stored.
async fn last_run(app: &TestApp) -> i64 {
    app.state
        .db(|conn| mashangshuo::db::jobs::last_run(conn, "maintenance"))
        .await
        .expect("last run")
}

/// Sets the maintenance job's last run, as a job that stopped running would leave it.
async fn set_last_run(app: &TestApp, at: i64) {
    app.state
        .db(move |conn| {
            diesel::update(job_runs::table.find("maintenance"))
                .set(job_runs::ran_at.eq(at))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("set ran_at");
}

/// Waits (bounded) until the server's own timer has completed its first run of the job.
async fn first_run(app: &TestApp) -> i64 {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let at = last_run(app).await;
        if at > 0 {
            return at;
        }
        assert!(
            Instant::now() < until,
            "the server never ran the maintenance job"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `GET /readyz`: status and JSON body.
async fn readyz(app: &TestApp) -> (u16, serde_json::Value) {
    let response = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    let status = response.status().as_u16();
    (status, response.json().await.expect("readyz answers JSON"))
}

#[actix_web::test]
async fn a_fresh_server_is_ready() {
    // The job runs from cron: only the database is checked.
    let cron = TestApp::spawn().await;
    let (status, body) = readyz(&cron).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["maintenance"], "not checked");
    assert!(body.get("reason").is_none(), "{body}");

    // The server runs the job itself: ready once its first run completed.
    let timed = TestApp::spawn_with(&[HOURLY]).await;
    let ran_at = first_run(&timed).await;
    assert!(unix_now() - ran_at < 60, "the first run began at start-up");
    let (status, body) = readyz(&timed).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["maintenance"], "ok");
}

#[actix_web::test]
async fn an_overdue_job_makes_the_server_not_ready_with_the_reason() {
    let app = TestApp::spawn_with(&[HOURLY]).await;
    first_run(&app).await;
    assert_eq!(readyz(&app).await.0, 200);

    // 3 × 3600 s + 60 s is the limit; one second past it is overdue.
    let limit = health::job_deadline_secs(3600).expect("a deadline");
    assert_eq!(limit, 3 * 3600 + 60);
    set_last_run(&app, unix_now() - limit - 1).await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["ready"], false);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["maintenance"], "overdue");
    let reason = body["reason"].as_str().expect("a reason");
    assert!(reason.contains("maintenance job overdue"), "{reason}");
    assert!(reason.contains("MASHANGSHUO_JOB_INTERVAL_SECS"), "{reason}");

    // A job that never completed a run is overdue too.
    set_last_run(&app, 0).await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not completed")),
        "{body}"
    );

    // The cheap liveness probe does not look at the job.
    let (status, text) = app.get_text("/healthz").await;
    assert_eq!((status, text.as_str()), (200, "ok"));

    // A run of the job makes the server ready again.
    mashangshuo::jobs::run_once(&app.state, unix_now())
        .await
        .expect("maintenance job")
        .expect("the job lock is free");
    assert_eq!(readyz(&app).await.0, 200);
}

#[actix_web::test]
async fn a_failing_database_query_makes_the_server_not_ready() {
    let app = TestApp::spawn_with(&[HOURLY]).await;
    first_run(&app).await;
    // The check query reads the job's record; without its table it fails.
    app.state
        .db(|conn| {
            diesel::sql_query("DROP TABLE job_runs").execute(conn)?;
            Ok(())
        })
        .await
        .expect("drop job_runs");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["database"], "failing");
    assert_eq!(body["maintenance"], "unknown");
    assert!(
        body["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    // `/healthz` only asks the database to answer at all.
    assert_eq!(app.get_text("/healthz").await.0, 200);
}

/// `GET /metrics`: status, media type and text.
async fn scrape(app: &TestApp) -> (u16, String, String) {
    let (status, kind, body) = app.get_bytes("/metrics").await;
    (status, kind, String::from_utf8(body).expect("UTF-8"))
}

/// Checks the Prometheus text format (version 0.0.4) as this server writes it: each metric
/// has `# HELP` and `# TYPE … gauge` before its samples, each sample is `name{labels} value`
/// with an integer value. Returns the samples.
fn parse_exposition(text: &str) -> Vec<(String, i64)> {
    let name_ok = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut typed = std::collections::HashSet::new();
    let mut samples = Vec::new();
    assert!(text.ends_with('\n'), "the exposition ends with a newline");
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').expect("HELP name text");
            assert!(name_ok(name) && !help.is_empty(), "{line}");
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            assert!(name_ok(name), "{line}");
            assert_eq!(kind, "gauge", "{line}");
            typed.insert(name.to_string());
        } else {
            let (series, value) = line.rsplit_once(' ').expect("name value");
            let name = series.split('{').next().expect("name");
            assert!(name_ok(name), "{line}");
            assert!(typed.contains(name), "{name} has no # TYPE before it");
            if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
                let inner = labels
                    .strip_prefix('{')
                    .and_then(|l| l.strip_suffix('}'))
                    .expect("labels in braces");
                for pair in inner.split(',') {
                    let (key, quoted) = pair.split_once('=').expect("label=value");
                    assert!(name_ok(key), "{line}");
                    assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{line}");
                }
            }
            let value: i64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
            samples.push((series.to_string(), value));
        }
    }
    samples
}

fn sample(samples: &[(String, i64)], series: &str) -> i64 {
    samples
        .iter()
        .find(|(s, _)| s == series)
        .unwrap_or_else(|| panic!("no {series} in {samples:?}"))
        .1
}

#[actix_web::test]
async fn metrics_are_off_unless_turned_on() {
    let app = TestApp::spawn().await;
    assert_eq!(scrape(&app).await.0, 404);
}

#[actix_web::test]
async fn metrics_are_prometheus_text_that_an_arrival_does_not_move() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_METRICS", "on")]).await;
    let (status, kind, before) = scrape(&app).await;
    assert_eq!(status, 200, "{before}");
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let samples = parse_exposition(&before);
    assert_eq!(sample(&samples, "mashangshuo_database_up"), 1);
    assert_eq!(sample(&samples, "mashangshuo_ready"), 1);
    assert_eq!(
        sample(&samples, "mashangshuo_boxes"),
        app.demo.boxes.len() as i64
    );
    assert!(sample(&samples, "mashangshuo_units") >= 4);
    for state in [
        "new",
        "accepted",
        "assigned",
        "rectifying",
        "closed",
        "rejected",
    ] {
        let series = format!("mashangshuo_opinions_released{{state=\"{state}\"}}");
        assert_eq!(sample(&samples, &series), 0, "{series}");
    }
    assert_eq!(sample(&samples, "mashangshuo_opinions_held"), 0);
    let hour = sample(&samples, "mashangshuo_snapshot_hour_seconds");
    assert_eq!(hour % 3600, 0);
    assert!(
        !before.contains("waiting"),
        "nothing about waiting opinions: {before}"
    );

    // Three opinions arrive (a batch's worth); until the job releases them, no value moves,
    // neither in the counts computed afresh nor in what a scrape answers.
    let fresh_before = health::current_counts(&app.state, unix_now())
        .await
        .expect("counts");
    for i in 0..3 {
        app.submit(0, &format!("村口的路灯坏了第{i}盏，晚上看不见路"))
            .await;
    }
    let fresh_after = health::current_counts(&app.state, unix_now())
        .await
        .expect("counts");
    assert_eq!(fresh_before, fresh_after, "an arrival moved a count");
    let (_, _, after) = scrape(&app).await;
    let after_samples = parse_exposition(&after);
    if sample(&after_samples, "mashangshuo_snapshot_hour_seconds") == hour {
        assert_eq!(before, after, "a scrape showed an arrival");
    }

    // Released, they count (from the next hour's snapshot on, in a scrape).
    app.release_waiting().await;
    let released = health::current_counts(&app.state, unix_now())
        .await
        .expect("counts");
    let new = released
        .released_by_state
        .iter()
        .find(|(state, _)| state == "new")
        .map_or(0, |(_, n)| *n);
    assert_eq!(new, 3, "{released:?}");
    let (_, _, later) = scrape(&app).await;
    let later_samples = parse_exposition(&later);
    if sample(&later_samples, "mashangshuo_snapshot_hour_seconds") == hour {
        assert_eq!(
            sample(
                &later_samples,
                "mashangshuo_opinions_released{state=\"new\"}"
            ),
            0,
            "the hour's snapshot holds until the hour ends"
        );
    }
}
