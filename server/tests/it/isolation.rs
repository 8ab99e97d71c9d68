//! A reviewer of one township never reads another township's opinions, on any endpoint.

use crate::common;

use common::TestApp;
use mashangshuo::db::boxes::OpinionBox;
use mashangshuo::domain::codes::BoxCode;

#[actix_web::test]
async fn reviewers_see_only_their_own_townships_opinions() {
    let app = TestApp::spawn().await;
    let (other_box, user, password) = app.second_township().await;
    let ours = app.submit(0, "青山镇的意见").await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{other_box}/opinions")))
        .json(&serde_json::json!({ "category": "other", "text": "白水镇的意见", "box_token": app.box_token_for(&other_box).await }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    assert!(!ours.is_empty());

    let all = app.all_opinions().await;
    let theirs = all
        .iter()
        .find(|o| o.body == "白水镇的意见")
        .expect("theirs")
        .id
        .clone();
    let mine = all
        .iter()
        .find(|o| o.body == "青山镇的意见")
        .expect("mine")
        .id
        .clone();

    app.release_waiting().await;
    let qingshan = app.api_login().await;
    let baishui = app.api_login_as(&user, &password).await;

    let (_, q) = app.staff_get(&qingshan, "/api/v1/staff/opinions").await;
    let q = q.to_string();
    assert!(
        q.contains("青山镇的意见") && !q.contains("白水镇的意见"),
        "{q}"
    );
    let (_, b) = app.staff_get(&baishui, "/api/v1/staff/opinions").await;
    let b = b.to_string();
    assert!(
        b.contains("白水镇的意见") && !b.contains("青山镇的意见"),
        "{b}"
    );

    for (token, foreign) in [(&qingshan, &theirs), (&baishui, &mine)] {
        let (status, _) = app
            .staff_get(token, &format!("/api/v1/staff/opinions/{foreign}"))
            .await;
        assert_eq!(status, 404);
        let patch = app
            .client
            .patch(app.url(&format!("/api/v1/staff/opinions/{foreign}")))
            .bearer_auth(token)
            .json(&serde_json::json!({ "state": "closed", "reply": "越权回复" }))
            .send()
            .await
            .expect("request");
        assert_eq!(patch.status().as_u16(), 404);
        let ask = app
            .client
            .post(app.url(&format!("/api/v1/staff/opinions/{foreign}/messages")))
            .bearer_auth(token)
            .json(&serde_json::json!({ "text": "越权提问" }))
            .send()
            .await
            .expect("request");
        assert_eq!(ask.status().as_u16(), 404);
    }
    let (_, boxes) = app.staff_get(&baishui, "/api/v1/staff/boxes").await;
    let boxes = boxes.to_string();
    assert!(
        boxes.contains("白水村意见箱") && !boxes.contains("张家村"),
        "{boxes}"
    );

    // The HTML pages hold the same line.
    app.page_login().await;
    let (status, _) = app.get_text(&format!("/staff/opinions/{theirs}")).await;
    assert_eq!(status, 404);
    let (_, queue) = app.get_text("/staff").await;
    assert!(!queue.contains("白水镇的意见"));
    let other_box_id = app
        .state
        .db(move |conn| OpinionBox::by_code(conn, &BoxCode::parse(&other_box).expect("a box code")))
        .await
        .expect("box")
        .id;
    for suffix in ["qr.svg", "qr.png", "poster"] {
        let (status, _) = app
            .get_text(&format!("/staff/boxes/{other_box_id}/{suffix}"))
            .await;
        assert_eq!(status, 404, "{suffix}");
    }
    let stored = app.state.db(move |conn| {
        use diesel::prelude::*;
        use mashangshuo::db::schema::opinions;
        Ok(opinions::table
            .find(theirs)
            .select(opinions::reply)
            .first::<Option<String>>(conn)?)
    });
    assert_eq!(
        stored.await.expect("reply"),
        None,
        "the foreign opinion was not changed"
    );
}
