//! The anonymous follow-up thread: reviewers ask, the villager answers with the receipt code.

use crate::common;

use common::{TestApp, csrf_in};

#[actix_web::test]
async fn a_reviewer_asks_and_the_villager_answers_by_receipt() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "水渠堵了").await;
    app.release_waiting().await;
    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let id = queue[0]["id"].as_str().expect("id").to_string();

    // The question goes in through the page form, with its CSRF token.
    app.page_login().await;
    let (_, detail) = app.get_text(&format!("/staff/opinions/{id}")).await;
    let csrf = csrf_in(&detail);
    let (status, _) = app
        .post_form(
            &format!("/staff/opinions/{id}/messages"),
            &[("csrf", csrf.as_str()), ("text", "是哪一段水渠?")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _) = app
        .post_form(
            &format!("/staff/opinions/{id}/messages"),
            &[("csrf", "forged"), ("text", "x")],
        )
        .await;
    assert_eq!(status, 403);

    // The villager sees it with the receipt and answers; numbers are masked here too.
    let (status, page) = app.post_form("/r", &[("receipt", receipt.as_str())]).await;
    assert_eq!(status, 200);
    assert!(page.contains("是哪一段水渠?"));
    assert!(page.contains("data-testid=\"answer-form\""));
    let (status, page) = app
        .post_form(
            "/r/answer",
            &[
                ("receipt", receipt.as_str()),
                ("text", "村东头那段,有事打13812345678"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("村东头那段,有事打[手机号]"));
    let (status, page) = app
        .post_form(
            "/r/answer",
            &[("receipt", receipt.as_str()), ("text", "  ")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("请写下内容再发送"),
        "the thread stays visible with the message"
    );
    assert!(page.contains("村东头那段"));

    // Through the API as well, on both sides.
    let response = app
        .client
        .post(app.url("/api/v1/receipts/messages"))
        .json(&serde_json::json!({ "receipt": receipt, "text": "照片晚点补" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    let response = app
        .client
        .post(app.url(&format!("/api/v1/staff/opinions/{id}/messages")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "text": "收到,谢谢" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    let updated: serde_json::Value = response.json().await.expect("json");
    let thread: Vec<(bool, String)> = updated["thread"]
        .as_array()
        .expect("thread")
        .iter()
        .map(|m| {
            (
                m["from_staff"].as_bool().expect("bool"),
                m["text"].as_str().expect("text").to_string(),
            )
        })
        .collect();
    assert_eq!(
        thread,
        vec![
            (true, "是哪一段水渠?".to_string()),
            (false, "村东头那段,有事打[手机号]".to_string()),
            (false, "照片晚点补".to_string()),
            (true, "收到,谢谢".to_string()),
        ]
    );
    let stored = String::from_utf8_lossy(&app.db.dump()).to_string();
    assert!(!stored.contains("13812345678"));
}

#[actix_web::test]
async fn answers_need_a_known_receipt() {
    let app = TestApp::spawn().await;
    let (status, page) = app
        .post_form(
            "/r/answer",
            &[("receipt", "0000 0000 0000 0000"), ("text", "你好")],
        )
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("没有找到"));
}
