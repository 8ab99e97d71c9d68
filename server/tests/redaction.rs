//! Identifiers in an opinion are masked before it is stored; reviewers see the masks and counts.

mod common;

use common::TestApp;

#[actix_web::test]
async fn identifiers_never_reach_the_database() {
    let app = TestApp::spawn().await;
    let text = "我的电话 138-1234-5678,身份证 11010519491231002X,邮箱 zhang.san@example.com。村里修路花了20万元,共960份材料。";
    let receipt = app.submit(0, text).await;

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
