//! 实名: contact details are kept only when the villager ticks the choice, and are shown to reviewers.

use crate::common;

use common::TestApp;

#[actix_web::test]
async fn contact_details_are_kept_only_for_named_opinions() {
    let app = TestApp::spawn().await;
    let named = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "suggestion"),
                ("text", "希望修一下村口的桥"),
                ("identity", "named"),
                ("contact_name", "赵大妈"),
                ("contact_phone", "139 8765 4321"),
            ],
        )
        .await;
    assert!(named.1.contains("data-testid=\"receipt\""));
    let anonymous = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "suggestion"),
                ("text", "希望多装几盏路灯"),
                ("contact_name", "钱大爷"),
                ("contact_phone", "13700001111"),
            ],
        )
        .await;
    assert!(anonymous.1.contains("data-testid=\"receipt\""));

    app.release_waiting().await;
    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let by_text = |t: &str| {
        queue
            .as_array()
            .expect("list")
            .iter()
            .find(|o| o["text"] == t)
            .expect("opinion")
            .clone()
    };
    assert_eq!(
        by_text("希望修一下村口的桥")["contact"],
        serde_json::json!({ "name": "赵大妈", "phone": "13987654321" })
    );
    assert!(by_text("希望多装几盏路灯")["contact"].is_null());
    let stored = String::from_utf8_lossy(&app.db.dump()).to_string();
    assert!(
        !stored.contains("钱大爷") && !stored.contains("13700001111"),
        "an anonymous opinion keeps no contact"
    );

    app.page_login().await;
    let (_, queue_page) = app.get_text("/staff").await;
    assert!(
        queue_page.contains("实名"),
        "named opinions are labelled in the queue"
    );
    let id = by_text("希望修一下村口的桥")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (_, detail) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert!(detail.contains("赵大妈") && detail.contains("tel:13987654321"));
}

#[actix_web::test]
async fn a_named_opinion_needs_a_usable_name_and_phone() {
    let app = TestApp::spawn().await;
    let send = |contact: serde_json::Value| {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0)));
        let base = app.address.clone();
        let code = app.box_code(0);
        async move {
            let token = common::box_token_at(&client, &base, &code).await;
            let response = client
                .post(url)
                .json(&serde_json::json!({ "category": "other", "text": "实名反映", "contact": contact, "box_token": token }))
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            (
                status,
                response.json::<serde_json::Value>().await.expect("json"),
            )
        }
    };
    let (status, body) = send(serde_json::json!({ "name": "", "phone": "13812345678" })).await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("怎么称呼")
    );
    let (status, body) = send(serde_json::json!({ "name": "老孙", "phone": "12" })).await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().expect("message").contains("电话"));
    let (status, _) = send(serde_json::json!({ "name": "老孙", "phone": "13812345678" })).await;
    assert_eq!(status, 201);
}
