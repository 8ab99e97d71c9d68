//! Declared conflicts of interest: the opinion disappears from every view of the reviewer who
//! steps aside, while the rest of the group still handles it.

mod common;

use common::TestApp;

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

fn suggestions_in_first_village(overview: &serde_json::Value) -> serde_json::Value {
    overview["stats"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["village"] == "张家村")
        .expect("row")["cells"][0]
        .clone()
}

#[actix_web::test]
async fn a_recused_reviewer_never_sees_the_opinion_again() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_MIN_GROUP_SIZE", "2")]).await;
    for text in ["关于我亲戚的意见", "别的意见一", "别的意见二"] {
        app.submit(0, text).await;
    }
    app.release_waiting().await;
    let me = app.api_login().await;
    let group = app.demo_group_id().await;
    let other = app.add_staff("qingshan2", "member", Some(group)).await;
    let id = app
        .all_opinions()
        .await
        .into_iter()
        .find(|o| o.body == "关于我亲戚的意见")
        .expect("opinion")
        .id;

    let response = app
        .client
        .post(app.url(&format!("/api/v1/staff/opinions/{id}/recusal")))
        .bearer_auth(&me)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);

    let (_, mine) = app.staff_get(&me, "/api/v1/staff/opinions").await;
    assert!(!ids(&mine).contains(&id), "gone from the list");
    assert_eq!(ids(&mine).len(), 2);
    for path in [
        format!("/api/v1/staff/opinions/{id}"),
        format!("/api/v1/staff/opinions/{id}/photos/1"),
    ] {
        assert_eq!(app.staff_get(&me, &path).await.0, 404, "{path}");
    }
    let (patch, _) = app
        .staff_send(
            reqwest::Method::PATCH,
            &me,
            &format!("/api/v1/staff/opinions/{id}"),
            serde_json::json!({ "state": "closed" }),
        )
        .await;
    assert_eq!(patch, 404);
    let (ask, _) = app
        .staff_send(
            reqwest::Method::POST,
            &me,
            &format!("/api/v1/staff/opinions/{id}/messages"),
            serde_json::json!({ "text": "?" }),
        )
        .await;
    assert_eq!(ask, 404);
    let new_count = |counts: &serde_json::Value| {
        counts
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["state"] == "new")
            .expect("new")["count"]
            .clone()
    };
    let (_, my_counts) = app.staff_get(&me, "/api/v1/staff/opinions/counts").await;
    assert_eq!(new_count(&my_counts), 2, "not counted in my states");
    let (_, their_counts) = app.staff_get(&other, "/api/v1/staff/opinions/counts").await;
    assert_eq!(new_count(&their_counts), 3);
    let (_, my_stats) = app.staff_get(&me, "/api/v1/staff/group").await;
    assert_eq!(suggestions_in_first_village(&my_stats), 2, "not counted");

    // The rest of the group still has it.
    let (_, theirs) = app.staff_get(&other, "/api/v1/staff/opinions").await;
    assert!(ids(&theirs).contains(&id));
    let (status, detail) = app
        .staff_get(&other, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["text"], "关于我亲戚的意见");
    let (_, their_stats) = app.staff_get(&other, "/api/v1/staff/group").await;
    assert_eq!(suggestions_in_first_village(&their_stats), 3);

    assert!(app.audited("recuse", &id).await);
}

#[actix_web::test]
async fn the_opinion_page_offers_stepping_aside() {
    let app = TestApp::spawn().await;
    app.submit(0, "需要回避的意见").await;
    app.release_waiting().await;
    app.page_login().await;
    let id = app.all_opinions().await[0].id.clone();
    let (_, page) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert!(page.contains("data-testid=\"recuse-form\""));
    let csrf = common::csrf_in(&page);
    let (status, _) = app
        .post_form(
            &format!("/staff/opinions/{id}/recuse"),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post_form(&format!("/staff/opinions/{id}/recuse"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 303);
    let (status, _) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert_eq!(status, 404);
    let (_, queue) = app.get_text("/staff").await;
    assert!(!queue.contains("需要回避的意见"));
}
