//! Bad input gets the right status and a clear Chinese message, and loses nothing accepted.

use crate::common;

use common::TestApp;

#[actix_web::test]
async fn invalid_opinions_are_refused_with_clear_messages() {
    let app = TestApp::spawn().await;
    let too_long = "长".repeat(2001);
    let cases: [(&str, &str, u16, &str); 5] = [
        ("suggestion", "   ", 422, "请写下您的意见"),
        ("suggestion", &too_long, 422, "最多 2000 字"),
        ("", "有内容", 422, "请选择一个意见类别"),
        ("bribery", "有内容", 422, "请选择一个意见类别"),
        ("other", "", 422, "请写下您的意见"),
    ];
    for (category, text, status, message) in cases {
        let (got, body) = app.post_opinion(0, category, text).await;
        assert_eq!(got, status, "{category}: {body}");
        assert!(
            body["message"].as_str().expect("message").contains(message),
            "{body}"
        );
    }
    let (status, _) = app.post_opinion(0, "other", &"长".repeat(2000)).await;
    assert_eq!(status, 201, "2,000 characters are fine");
}

#[actix_web::test]
async fn unknown_boxes_and_pages_get_a_chinese_404_page() {
    let app = TestApp::spawn().await;
    for path in ["/b/0000000000000000dead", "/b/not-a-code", "/no/such/page"] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status().as_u16(), 404, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/html")
        );
        let page = response.text().await.expect("body");
        assert!(page.contains("lang=\"zh-CN\""));
        assert!(
            page.contains("找不到") || page.contains("不存在"),
            "{path}: {page}"
        );
    }
}

#[actix_web::test]
async fn oversized_and_malformed_bodies_are_refused_cleanly() {
    let app = TestApp::spawn().await;
    let huge = "字".repeat(20_000);
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .json(&serde_json::json!({ "category": "other", "text": huge, "box_token": app.box_token(0).await }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 413);
    let body: serde_json::Value = response.json().await.expect("json body");
    assert!(body["message"].as_str().expect("message").contains("太大"));

    let (status, page) = app
        .post_form(
            &app.box_path(0),
            &[("category", "other"), ("text", huge.as_str())],
        )
        .await;
    assert_eq!(status, 413);
    assert!(page.contains("太大"));

    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.expect("json body");
    assert_eq!(body["code"], "bad_request");
}

#[actix_web::test]
async fn a_rejected_form_comes_back_filled_in() {
    let app = TestApp::spawn().await;
    let (status, page) = app
        .post_form(&app.box_path(0), &[("text", "没有选类别但写了很多字")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("请选择一个意见类别"));
    assert!(
        page.contains("没有选类别但写了很多字"),
        "the text typed is not lost"
    );
}

#[actix_web::test]
async fn receipts_that_are_malformed_or_unknown_are_explained() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "已受理的意见").await;
    for (typed, status, message) in [
        ("12345", 422, "16 位数字"),
        ("0000 0000 0000 0000", 404, "没有找到"),
    ] {
        let (got, body) = app.receipt_status(typed).await;
        assert_eq!(got, status);
        assert!(body["message"].as_str().expect("message").contains(message));
        let page = app
            .client
            .post(app.url("/r"))
            .form(&[("receipt", typed)])
            .send()
            .await
            .expect("request");
        assert_eq!(page.status().as_u16(), status);
        assert!(page.text().await.expect("body").contains(message));
    }
    // The accepted opinion is untouched by the failures.
    assert_eq!(app.receipt_status(&receipt).await.0, 200);
}

#[actix_web::test]
async fn receipt_look_ups_are_rate_limited_so_codes_cannot_be_guessed() {
    let app = TestApp::spawn().await;
    let mut refused = None;
    // A burst of 20 is allowed, then one every 3 s: guessing 16-digit codes goes nowhere.
    for attempt in 0..30 {
        let (status, body) = app.receipt_status(&format!("{:016}", attempt)).await;
        if status == 429 {
            refused = Some((attempt, body));
            break;
        }
        assert_eq!(status, 404, "an unknown code: {body}");
    }
    let (attempt, body) = refused.expect("guessing is cut off");
    assert!(attempt >= 20, "not before the burst is used up: {attempt}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("太频繁"),
        "{body}"
    );
    // The plain form is limited the same way, with a page a villager can read.
    let mut form_refused = None;
    for attempt in 0..30 {
        let (status, page) = app
            .post_form("/r", &[("receipt", &format!("{:016}", attempt))])
            .await;
        if status == 429 {
            form_refused = Some(page);
            break;
        }
    }
    let page = form_refused.expect("form guessing is cut off too");
    assert!(page.contains("太频繁"), "{page}");
}
