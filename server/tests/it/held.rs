//! The per-box hourly budget: opinions beyond it are accepted with a receipt, but held (待核)
//! apart from the queue and the counts until a reviewer accepts them; nothing is lost.

use crate::common;

use common::TestApp;
use diesel::prelude::*;
use reqwest::Method;

async fn queue_ids(app: &TestApp, token: &str) -> Vec<String> {
    let (status, queue) = app.staff_get(token, "/api/v1/staff/opinions").await;
    assert_eq!(status, 200, "{queue}");
    queue
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

async fn held(app: &TestApp, token: &str, lang: &str) -> serde_json::Value {
    let (status, held) = app
        .staff_get(token, &format!("/api/v1/staff/held?lang={lang}"))
        .await;
    assert_eq!(status, 200, "{held}");
    held
}

fn ids_of(held: &serde_json::Value) -> Vec<String> {
    held["opinions"]
        .as_array()
        .expect("opinions")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

async fn total_count(app: &TestApp, token: &str) -> i64 {
    let (status, counts) = app.staff_get(token, "/api/v1/staff/opinions/counts").await;
    assert_eq!(status, 200, "{counts}");
    counts
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c["count"].as_i64().expect("count"))
        .sum()
}

async fn accept_actions(app: &TestApp) -> Vec<Option<String>> {
    app.state
        .db(|conn| {
            use mashangshuo::db::schema::audit_log;
            Ok(audit_log::table
                .filter(audit_log::action.eq("accept_held_opinion"))
                .select(audit_log::target)
                .load::<Option<String>>(conn)?)
        })
        .await
        .expect("audit")
}

#[actix_web::test]
async fn a_flooded_box_is_held_apart_and_accepted_by_a_reviewer() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BOX_HOURLY_BUDGET", "2")]).await;
    let token = app.api_login().await;
    let mut receipts = Vec::new();
    for i in 0..4 {
        receipts.push(app.submit(0, &format!("刷屏测试第{i}条")).await);
    }
    app.submit(1, "另一个意见箱的正常意见").await;
    let report = app.release_waiting().await;
    assert_eq!(
        report.released, 5,
        "every opinion leaves the holding tables"
    );

    assert_eq!(
        queue_ids(&app, &token).await.len(),
        3,
        "two over the budget stay out"
    );
    assert_eq!(total_count(&app, &token).await, 3, "and out of the counts");
    let zh = held(&app, &token, "zh").await;
    assert_eq!(ids_of(&zh).len(), 2);
    assert!(
        zh["banner"].as_str().expect("banner").contains("超过上限"),
        "{zh}"
    );
    let en = held(&app, &token, "en").await;
    assert!(
        en["banner"]
            .as_str()
            .expect("banner")
            .contains("hourly budget"),
        "{en}"
    );
    for opinion in en["opinions"].as_array().expect("opinions") {
        assert!(
            opinion["text"]
                .as_str()
                .expect("text")
                .starts_with("刷屏测试")
        );
    }
    for receipt in &receipts {
        let (status, body) = app.receipt_status(receipt).await;
        assert_eq!(status, 200, "a held opinion's receipt works: {body}");
    }

    // Nothing held can be opened or handled as if it were in the queue.
    let first = ids_of(&zh)[0].clone();
    let (status, _) = app
        .staff_get(&token, &format!("/api/v1/staff/opinions/{first}"))
        .await;
    assert_eq!(status, 404);

    let (status, body) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("/api/v1/staff/held/{first}/accept"),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(
        (status, body["accepted"].as_u64()),
        (200, Some(1)),
        "{body}"
    );
    let queue = queue_ids(&app, &token).await;
    assert!(queue.contains(&first));
    assert_eq!(ids_of(&held(&app, &token, "zh").await).len(), 1);
    assert_eq!(accept_actions(&app).await, vec![Some(first.clone())]);

    let (status, _) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("/api/v1/staff/held/{first}/accept"),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 404, "accepted once");
    let (status, body) = app
        .staff_send(
            Method::POST,
            &token,
            "/api/v1/staff/held/accept",
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(
        (status, body["accepted"].as_u64()),
        (200, Some(1)),
        "{body}"
    );
    assert_eq!(queue_ids(&app, &token).await.len(), 5, "nothing was lost");
    assert_eq!(total_count(&app, &token).await, 5);
    assert!(ids_of(&held(&app, &token, "zh").await).is_empty());
    assert_eq!(accept_actions(&app).await.len(), 2);
}

#[actix_web::test]
async fn the_budget_counts_boxes_by_the_hour_only() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BOX_HOURLY_BUDGET", "60")]).await;
    for i in 0..3 {
        app.submit(0, &format!("正常意见{i}")).await;
    }
    let rows: Vec<(String, i64, i32)> = app
        .state
        .db(|conn| {
            use mashangshuo::db::schema::box_hour_counts;
            Ok(box_hour_counts::table
                .select((
                    box_hour_counts::box_id,
                    box_hour_counts::hour,
                    box_hour_counts::opinions,
                ))
                .load(conn)?)
        })
        .await
        .expect("counts");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].1 % 3600, 0, "only the hour is kept");
    assert_eq!(rows[0].2, 3);
    let report = app.release_waiting().await;
    assert_eq!(report.released, 3);
    let token = app.api_login().await;
    assert_eq!(
        queue_ids(&app, &token).await.len(),
        3,
        "under the budget nothing is held"
    );
    let left: i64 = app
        .state
        .db(|conn| {
            use mashangshuo::db::schema::box_hour_counts;
            Ok(box_hour_counts::table.count().get_result(conn)?)
        })
        .await
        .expect("count");
    assert_eq!(left, 0, "old hours are pruned by the maintenance job");
}

#[actix_web::test]
async fn the_held_page_shows_the_banner_and_accepts_them_all() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BOX_HOURLY_BUDGET", "1")]).await;
    app.submit(0, "预算之内的意见").await;
    app.submit(0, "超出预算的意见<script>").await;
    app.release_waiting().await;
    app.page_login().await;
    let (status, page) = app.get_text("/staff/held").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"held-banner\""), "{page}");
    assert!(page.contains("超过上限"));
    assert!(
        page.contains("超出预算的意见&lt;script&gt;"),
        "escaped: {page}"
    );
    assert!(
        !page.contains("预算之内的意见"),
        "only held ones are listed"
    );
    let (_, queue) = app.get_text("/staff").await;
    assert!(
        !queue.contains("超出预算的意见"),
        "held ones are not in the queue"
    );
    let csrf = common::csrf_in(&page);
    let (status, _) = app
        .post_form("/staff/held/accept", &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get_text("/staff/held").await;
    assert!(!page.contains("data-testid=\"held-row\""), "{page}");
    let (_, queue) = app.get_text("/staff").await;
    assert!(queue.contains("超出预算的意见"), "accepted into the queue");
    let (status, _) = app
        .post_form("/staff/held/accept", &[("csrf", "wrong")])
        .await;
    assert_eq!(status, 403, "the form needs its CSRF token");
}

#[actix_web::test]
async fn only_handling_members_see_or_accept_held_opinions() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BOX_HOURLY_BUDGET", "1")]).await;
    app.submit(0, "预算之内").await;
    app.submit(0, "预算之外").await;
    app.release_waiting().await;
    let group = app.demo_group_id().await;
    let admin = app
        .add_staff("held-admin", "admin", Some(group.clone()))
        .await;
    let auditor = app.add_staff("held-auditor", "auditor", None).await;
    let viewer = app.add_staff("held-viewer", "viewer", Some(group)).await;
    for token in [&admin, &auditor, &viewer] {
        let (status, _) = app.staff_get(token, "/api/v1/staff/held").await;
        assert_eq!(status, 403);
        let (status, _) = app
            .staff_send(
                Method::POST,
                token,
                "/api/v1/staff/held/accept",
                serde_json::Value::Null,
            )
            .await;
        assert_eq!(status, 403);
    }
    let (status, _) = app.staff_get("not-a-token", "/api/v1/staff/held").await;
    assert_eq!(status, 401);
    let token = app.api_login().await;
    assert_eq!(
        ids_of(&held(&app, &token, "zh").await).len(),
        1,
        "still held"
    );
}
