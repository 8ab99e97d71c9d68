//! Sending the same opinion again after a lost connection: the phone's submission key makes the
//! second (or tenth, or concurrent) send return the same receipt, and the opinion is stored once.
//! The key is kept only hashed, the receipt only sealed under it, and both go after two days.

use crate::common;

use common::TestApp;
use common::images::contains;

/// A phone's submission key, as the box page or the island makes it.
fn key(n: u8) -> String {
    format!("{:032x}", 0x5eed_0000_u128 + u128::from(n))
}

#[actix_web::test]
async fn the_same_key_twice_stores_one_opinion_and_returns_one_receipt() {
    let app = TestApp::spawn().await;
    let body = serde_json::json!({
        "category": "suggestion", "text": "村口路灯坏了很久", "submission_key": key(1),
    });
    let (status, first) = app.post_opinion_json(0, &body).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = app.post_opinion_json(0, &body).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(first, again, "the same receipt and release day");
    assert_eq!(app.all_opinions().await.len(), 1);

    // Another key is another opinion; no key at all is as before.
    let other = serde_json::json!({
        "category": "suggestion", "text": "村口路灯坏了很久", "submission_key": key(2),
    });
    let (_, second) = app.post_opinion_json(0, &other).await;
    assert_ne!(second["receipt"], first["receipt"]);
    let plain = serde_json::json!({ "category": "suggestion", "text": "没有密钥的意见" });
    assert_eq!(app.post_opinion_json(0, &plain).await.0, 201);
    assert_eq!(app.all_opinions().await.len(), 3);

    // Neither the key nor the receipt is stored as such.
    let dump = app.db.dump();
    let receipt = first["receipt"].as_str().expect("receipt");
    assert!(
        !contains(&dump, key(1).as_bytes()),
        "the key is kept only hashed"
    );
    assert!(
        !contains(&dump, receipt.as_bytes()),
        "the receipt is kept only sealed"
    );

    // A key of the wrong shape is refused in Chinese; nothing is stored.
    let bad = serde_json::json!({
        "category": "suggestion", "text": "格式不对的密钥", "submission_key": "not-a-key",
    });
    let (status, refused) = app.post_opinion_json(0, &bad).await;
    assert_eq!(status, 422);
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .contains("请刷新页面")
    );
    assert_eq!(app.all_opinions().await.len(), 3);

    // After two days the maintenance job forgets the keys: the same key is a new opinion.
    let later = mashangshuo::domain::day::unix_now() + 4 * 86_400;
    let report = mashangshuo::jobs::run_once(&app.state, later)
        .await
        .expect("job")
        .expect("ran");
    assert_eq!(report.keys_expired, 2);
}

#[actix_web::test]
async fn ten_sends_at_once_with_one_key_store_one_opinion() {
    let app = TestApp::spawn().await;
    let body = serde_json::json!({
        "category": "conduct", "text": "信号不好连发了好几次", "submission_key": key(7),
    });
    let sends = (0..10).map(|_| {
        let body = body.clone();
        let app = &app;
        async move { app.post_opinion_json(0, &body).await }
    });
    let answers = futures_util::future::join_all(sends).await;
    let receipts: std::collections::HashSet<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 201, "{body}");
            body["receipt"].as_str().expect("receipt").to_string()
        })
        .collect();
    assert_eq!(receipts.len(), 1, "every send got the one receipt");
    assert_eq!(app.all_opinions().await.len(), 1);
}

#[actix_web::test]
async fn the_plain_form_sent_again_shows_the_same_receipt() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get_text(&app.box_path(0)).await;
    assert_eq!(status, 200);
    let marker = "name=\"submission_key\" value=\"";
    let at = page.find(marker).expect("the form carries a key") + marker.len();
    let form_key = page[at..at + 32].to_string();
    let (_, again) = app.get_text(&app.box_path(0)).await;
    assert!(!again.contains(&form_key), "each page gets its own key");
    let fields = [
        ("category", "suggestion"),
        ("text", "浏览器重新提交表单"),
        ("submission_key", form_key.as_str()),
    ];
    let (status, first) = app.post_form(&app.box_path(0), &fields).await;
    assert_eq!(status, 200, "{first}");
    let (status, second) = app.post_form(&app.box_path(0), &fields).await;
    assert_eq!(status, 200);
    let code_of = |page: &str| {
        let at = page.find("data-testid=\"receipt\"").expect("receipt");
        let start = at + page[at..].find('>').expect("tag") + 1;
        page[start..start + page[start..].find('<').expect("end")].to_string()
    };
    assert!(code_of(&first).chars().filter(char::is_ascii_digit).count() == 16);
    assert_eq!(code_of(&first), code_of(&second));
    assert_eq!(app.all_opinions().await.len(), 1);
}
