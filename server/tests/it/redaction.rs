//! Identifiers in an opinion are masked before it is stored; reviewers see the masks and counts.

use crate::common;

use common::TestApp;

#[actix_web::test]
async fn identifiers_never_reach_the_database() {
    let app = TestApp::spawn().await;
    let text = "我的电话 138-1234-5678,身份证 11010519491231002X,邮箱 zhang.san@example.com。村里修路花了20万元,共960份材料。";
    let receipt = app.submit(0, text).await;
    app.release_waiting().await;

    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let item = &queue[0];
    assert_eq!(
        item["text"],
        "我的电话 [手机号],身份证 [身份证号],邮箱 [邮箱]。村里修路花了20万元,共960份材料。"
    );
    assert_eq!(
        item["masks"],
        serde_json::json!([
            { "kind": "mobile", "count": 1 },
            { "kind": "resident_id", "count": 1 },
            { "kind": "email", "count": 1 }
        ])
    );

    app.page_login().await;
    let (_, page) = app.get_text("/staff").await;
    assert!(
        page.contains("保存前已遮盖"),
        "reviewers are told what was masked"
    );
    assert!(page.contains("手机号 ×1"));

    let stored = String::from_utf8_lossy(&app.db.dump()).to_string();
    for secret in ["1234-5678", "12345678", "11010519491231002X", "zhang.san"] {
        assert!(!stored.contains(secret), "{secret} was stored");
    }
    assert!(stored.contains("20万元"), "ordinary numbers are kept");
    assert_eq!(app.receipt_status(&receipt).await.0, 200);
}

#[actix_web::test]
async fn a_form_naming_someone_is_confirmed_before_it_is_stored() {
    let app = TestApp::spawn().await;
    let text = "王书记把低保名额给了亲戚";
    let (status, page) = app
        .post_form(
            &app.box_path(0),
            &[("category", "unfairness"), ("text", text)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("可能让人认出您是谁"), "the warning is shown");
    assert!(
        page.contains("<mark>王书记</mark>"),
        "the name is highlighted"
    );
    assert!(
        page.contains("name=\"confirmed\""),
        "the form now carries the confirmation"
    );
    assert!(page.contains(text), "the text is kept for editing");
    assert!(
        !page.contains("data-testid=\"receipt\""),
        "nothing stored yet"
    );
    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert_eq!(queue.as_array().expect("list").len(), 0);

    let second = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "unfairness"),
                ("text", text),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(second.0, 200);
    assert!(second.1.contains("data-testid=\"receipt\""));
    app.release_waiting().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert_eq!(
        queue[0]["text"], text,
        "names of the people an opinion is about are kept"
    );
}

#[actix_web::test]
async fn text_without_names_needs_no_confirmation() {
    let app = TestApp::spawn().await;
    let response = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "suggestion"),
                ("text", "路灯坏了,电话13812345678"),
            ],
        )
        .await;
    assert!(response.1.contains("data-testid=\"receipt\""));
}

#[actix_web::test]
async fn names_found_by_the_tagger_are_asked_about_before_storing() {
    let app = TestApp::spawn().await;
    let text = "张建国把低保名额给了亲戚";
    assert!(
        !frontend::components::needs_confirmation(text),
        "no cue word: only the server's tagger can see the name"
    );
    let (status, page) = app
        .post_form(
            &app.box_path(0),
            &[("category", "unfairness"), ("text", text)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"confirm-question\""), "{page}");
    assert!(page.contains("<mark>张建国</mark>"), "the name is shown");
    assert!(app.all_opinions().await.is_empty(), "nothing stored yet");

    let token = app.box_token(0).await;
    let upload = |confirmed: bool| {
        let mut form = reqwest::multipart::Form::new()
            .text("category", "unfairness")
            .text("text", text)
            .text("box_token", token.clone());
        if confirmed {
            form = form.text("confirmed", "1");
        }
        app.client
            .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
            .multipart(form)
            .send()
    };
    let asked = upload(false).await.expect("request");
    assert_eq!(asked.status().as_u16(), 422);
    let body: serde_json::Value = asked.json().await.expect("json");
    assert_eq!(body["code"], "confirm_names");
    assert_eq!(body["names"], serde_json::json!(["张建国"]));
    assert!(app.all_opinions().await.is_empty());

    let kept = upload(true).await.expect("request");
    assert_eq!(kept.status().as_u16(), 201);
    let stored = app.all_opinions().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].body, text, "names are kept as written");
}
