//! Batched release: opinions wait in the intake pool and reach reviewers together, in random
//! order, dated only by the day of release.

use crate::common;

use std::time::Duration;

use common::TestApp;
use mashangshuo::db::jobs::{MAINTENANCE, with_job_lock};
use mashangshuo::domain::day::{day_of_unix, unix_now};
use mashangshuo::jobs::run_once;
use vocabulary::model::OpinionState;

const HOUR: i64 = 3600;

async fn queue(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    let (status, queue) = app.staff_get(token, "/api/v1/staff/opinions").await;
    assert_eq!(status, 200);
    queue.as_array().expect("list").clone()
}

#[actix_web::test]
async fn a_batch_goes_out_once_three_wait_in_random_order() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let now = unix_now();
    app.submit(0, "第一条").await;
    app.submit(1, "第二条").await;
    let report = run_once(&app.state, now).await.expect("job").expect("lock");
    assert_eq!(report.released, 0, "two are not a batch");
    assert!(queue(&app, &token).await.is_empty());

    app.submit(2, "第三条").await;
    let report = run_once(&app.state, now).await.expect("job").expect("lock");
    assert_eq!((report.batches, report.released), (1, 3));

    let listed = queue(&app, &token).await;
    let ids: Vec<&str> = listed
        .iter()
        .map(|o| o["id"].as_str().expect("id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        ids, sorted,
        "a batch is listed by random id, not by arrival"
    );
    let release_day = day_of_unix(now);
    assert!(
        listed
            .iter()
            .all(|o| o["released_on"] == release_day.as_str())
    );

    for row in app.all_opinions().await {
        assert_eq!(row.released_on.as_deref(), Some(release_day.as_str()));
        assert_eq!(row.release_by, None, "the deadline is forgotten on release");
    }
}

#[actix_web::test]
async fn a_lone_opinion_waits_at_most_a_day() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "只有我一条").await;
    let (_, status) = app.receipt_status(&receipt).await;
    let by_day = status["waiting"]["by_day"]
        .as_str()
        .expect("by_day")
        .to_string();

    let rows = app.all_opinions().await;
    let deadline = rows[0].release_by.expect("a deadline while waiting");
    assert_eq!(deadline % HOUR, 0, "kept to the hour, not the minute");
    let now = unix_now();
    assert!(deadline <= now + 24 * HOUR && deadline > now + 23 * HOUR);
    assert_eq!(by_day, day_of_unix(deadline).as_str());

    let early = run_once(&app.state, deadline - 1)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(early.released, 0);
    let due = run_once(&app.state, deadline)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(due.released, 1);
    let (_, status) = app.receipt_status(&receipt).await;
    assert!(status["waiting"].is_null(), "{status}");
}

#[actix_web::test]
async fn later_opinions_join_the_waiting_batch_deadline() {
    let app = TestApp::spawn().await;
    app.submit(0, "先到的").await;
    app.submit(0, "后到的").await;
    let deadlines: Vec<_> = app
        .all_opinions()
        .await
        .into_iter()
        .map(|o| o.release_by)
        .collect();
    assert_eq!(deadlines.len(), 2);
    assert_eq!(deadlines[0], deadlines[1], "one deadline per waiting batch");
}

#[actix_web::test]
async fn reviewers_cannot_reach_a_waiting_opinion() {
    let app = TestApp::spawn().await;
    app.submit(0, "还在等待").await;
    let id = app.all_opinions().await[0].id.clone();
    let token = app.api_login().await;
    let (status, _) = app
        .staff_get(&token, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    assert_eq!(status, 404);
    let (patched, _) = app
        .staff_send(
            reqwest::Method::PATCH,
            &token,
            &format!("/api/v1/staff/opinions/{id}"),
            serde_json::json!({ "state": "closed" }),
        )
        .await;
    assert_eq!(patched, 404);
    let (asked, _) = app
        .staff_send(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/staff/opinions/{id}/messages"),
            serde_json::json!({ "text": "你是谁?" }),
        )
        .await;
    assert_eq!(asked, 404);
    app.page_login().await;
    let (status, _) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert_eq!(status, 404);
    let (_, page) = app.get_text("/staff").await;
    assert!(!page.contains("还在等待"));
    assert_eq!(
        app.all_opinions().await[0].state,
        OpinionState::New,
        "nothing changed"
    );
}

#[actix_web::test]
async fn fixed_release_times_ignore_the_batch_size() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_RELEASE_TIMES", "09:00,17:30")]).await;
    let receipt = app.submit(0, "定时送达").await;
    let (_, status) = app.receipt_status(&receipt).await;
    assert_eq!(status["waiting"]["rule"]["mode"], "times");
    assert_eq!(
        status["waiting"]["rule"]["times"],
        serde_json::json!(["09:00", "17:30"])
    );
    let deadline = app.all_opinions().await[0].release_by.expect("deadline");
    let local_minutes = (deadline + 8 * HOUR).rem_euclid(24 * HOUR) / 60;
    assert!(local_minutes == 9 * 60 || local_minutes == 17 * 60 + 30);
    app.submit(0, "第二条").await;
    app.submit(0, "第三条").await;
    let early = run_once(&app.state, deadline - 60)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(
        early.released, 0,
        "a full batch still waits for the set time"
    );
    let due = run_once(&app.state, deadline)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(due.released, 3);
}

#[actix_web::test]
async fn only_one_server_runs_the_job_at_a_time() {
    let app = TestApp::spawn().await;
    app.submit(0, "一").await;
    let pool = app.state.pool.clone();
    let inner = actix_web::web::block(move || {
        let mut holder = pool.get().expect("connection");
        with_job_lock(&mut holder, MAINTENANCE, unix_now(), |_| {
            // While this job holds the lock, a second one on another connection must not run.
            let mut other = pool.get().expect("connection");
            Ok(
                with_job_lock(&mut other, MAINTENANCE, unix_now(), |_| Ok(()))
                    .map_err(|e| e.to_string()),
            )
        })
    })
    .await
    .expect("thread")
    .expect("outer job")
    .expect("outer job got the lock");
    assert!(
        !matches!(inner, Ok(Some(()))),
        "the second job ran while the first held the lock"
    );
}

#[actix_web::test]
async fn a_running_server_releases_batches_by_itself() {
    let db = common::TestDb::create();
    let mut server = common::process::start_with(
        &db,
        "auto",
        &[
            ("MASHANGSHUO_JOB_INTERVAL_SECS", "1"),
            ("MASHANGSHUO_BATCH_SIZE", "1"),
        ],
    );
    let boxes = db.boxes().await;
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{}", server.port);
    let token = common::box_token_at(&client, &base, &boxes[0].code).await;
    let response = client
        .post(format!("{base}/api/v1/boxes/{}/opinions", boxes[0].code))
        .json(&serde_json::json!({ "category": "other", "text": "自己送出去", "box_token": token }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    assert!(
        server.wait_for_log("released waiting opinions", Duration::from_secs(30)),
        "the timer released the batch"
    );
    server.stop();
}

#[actix_web::test]
async fn the_maintain_command_releases_due_batches() {
    let app = TestApp::spawn().await;
    app.submit(0, "等命令送出").await;
    let db = &app.db;
    let waiting = common::process::maintain(db, &[]);
    assert_eq!(waiting["ran"], true);
    assert_eq!(waiting["report"]["released"], 0, "one of three waits");
    let report = common::process::maintain(db, &[("MASHANGSHUO_BATCH_SIZE", "1")]);
    assert_eq!(report["report"]["released"], 1, "{report}");
    let token = app.api_login().await;
    assert_eq!(queue(&app, &token).await.len(), 1);
}
