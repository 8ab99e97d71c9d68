//! The handling workflow: 新收 → 已受理 → 已交办 → 整改中 → 已办结, or 不予受理 with a reason the
//! villager reads; due dates per category and overdue marking.

use crate::common;

use common::TestApp;
use mashangshuo::domain::day::{day_of_unix, unix_now};
use mashangshuo::jobs::run_once;
use reqwest::Method;

const DAY: i64 = 24 * 3600;

#[actix_web::test]
async fn every_state_in_order_and_a_reason_for_declining() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "不在本组职责范围的意见").await;
    app.release_waiting().await;
    let token = app.api_login().await;
    let id = app.all_opinions().await[0].id.clone();
    let path = format!("/api/v1/staff/opinions/{id}");
    for state in ["accepted", "assigned", "rectifying", "closed", "new"] {
        let (status, body) = app
            .staff_send(
                Method::PATCH,
                &token,
                &path,
                serde_json::json!({ "state": state }),
            )
            .await;
        assert_eq!(status, 200, "{state}: {body}");
    }
    let (status, body) = app
        .staff_send(
            Method::PATCH,
            &token,
            &path,
            serde_json::json!({ "state": "rejected" }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "reason_required");
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &path,
            serde_json::json!({ "state": "rejected", "reply": "此事属县直部门职责,已转告。" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, seen) = app.receipt_status(&receipt).await;
    assert_eq!(seen["state"], "rejected");
    assert_eq!(seen["reply"], "此事属县直部门职责,已转告。");
    assert!(
        app.all_opinions().await[0].closed_on.is_some(),
        "retention runs for declined opinions too"
    );
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &path,
            serde_json::json!({ "state": "in_progress" }),
        )
        .await;
    assert_eq!(status, 422, "the old state name is gone");
}

#[actix_web::test]
async fn due_dates_follow_the_category_and_overdue_items_are_marked() {
    let app = TestApp::spawn_with(&[
        ("MASHANGSHUO_DUE_DAYS", "10,conduct=30"),
        ("MASHANGSHUO_BATCH_SIZE", "1"),
    ])
    .await;
    app.submit(0, "一般建议").await;
    let (status, _) = app.post_opinion(1, "conduct", "工作作风的问题").await;
    assert_eq!(status, 201);
    // Released twenty days ago: the suggestion (10 days) is overdue, the conduct one is not.
    let released = unix_now() - 20 * DAY;
    run_once(&app.state, released + 2 * DAY)
        .await
        .expect("job")
        .expect("lock");
    let token = app.api_login().await;
    let (_, list) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let by_category = |c: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|o| o["category"] == c)
            .expect("opinion")
            .clone()
    };
    let suggestion = by_category("suggestion");
    assert_eq!(
        suggestion["due_on"],
        day_of_unix(released + 12 * DAY).as_str()
    );
    assert_eq!(suggestion["overdue"], true);
    let conduct = by_category("conduct");
    assert_eq!(conduct["due_on"], day_of_unix(released + 32 * DAY).as_str());
    assert_eq!(conduct["overdue"], false);

    let id = suggestion["id"].as_str().expect("id");
    app.staff_send(
        Method::PATCH,
        &token,
        &format!("/api/v1/staff/opinions/{id}"),
        serde_json::json!({ "state": "closed", "reply": "已办" }),
    )
    .await;
    let (_, list) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|o| o["overdue"] == false),
        "closed is no longer overdue"
    );
    app.page_login().await;
    let (_, page) = app.get_text("/staff").await;
    assert!(page.contains("限办日期"));
}
