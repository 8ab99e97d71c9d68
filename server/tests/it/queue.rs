//! The reviewer's queue: counts per state, filters, search and keyset pagination.

use crate::common;
use vocabulary::model::Category;

use common::TestApp;
use reqwest::Method;

async fn list(app: &TestApp, token: &str, query: &str) -> (Vec<serde_json::Value>, Option<String>) {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/staff/opinions?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "{query}");
    let next = response
        .headers()
        .get("x-next-cursor")
        .map(|v| v.to_str().expect("ascii").to_string());
    (response.json().await.expect("json"), next)
}

#[actix_web::test]
async fn filters_counts_search_and_pages() {
    let app = TestApp::spawn().await;
    for i in 0..56 {
        let text = if i == 7 {
            "水渠 100% 堵死了".to_string()
        } else {
            format!("第{i}条意见")
        };
        app.insert_released(i % 2, Category::Suggestion, &text)
            .await;
    }
    app.insert_released(2, Category::Discipline, "石桥村的纪律问题")
        .await;
    let token = app.api_login().await;

    let (first, next) = list(&app, &token, "").await;
    assert_eq!(first.len(), 50, "one page");
    let next = next.expect("a next page");
    let (second, last) = list(&app, &token, &format!("after={next}")).await;
    assert_eq!(second.len(), 7);
    assert!(last.is_none());
    let mut seen: Vec<&str> = first
        .iter()
        .chain(&second)
        .map(|o| o["id"].as_str().expect("id"))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 57, "every opinion exactly once across pages");

    let (only, _) = list(&app, &token, "category=discipline").await;
    assert_eq!(only.len(), 1);
    let (stone, _) = list(
        &app,
        &token,
        &format!("village={}", "%E7%9F%B3%E6%A1%A5%E6%9D%91"),
    )
    .await;
    assert_eq!(stone.len(), 1, "石桥村");
    let (found, _) = list(&app, &token, "q=100%25").await;
    assert_eq!(
        found.len(),
        1,
        "a literal % is searched for, not a wildcard"
    );
    assert_eq!(found[0]["text"], "水渠 100% 堵死了");

    let id = only[0]["id"].as_str().expect("id").to_string();
    app.staff_send(
        Method::PATCH,
        &token,
        &format!("/api/v1/staff/opinions/{id}"),
        serde_json::json!({ "state": "rectifying" }),
    )
    .await;
    let (rectifying, _) = list(&app, &token, "state=rectifying").await;
    assert_eq!(rectifying.len(), 1);
    let (_, counts) = app.staff_get(&token, "/api/v1/staff/opinions/counts").await;
    let count = |s: &str| {
        counts
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["state"] == s)
            .expect("state")["count"]
            .clone()
    };
    assert_eq!(count("new"), 56);
    assert_eq!(count("rectifying"), 1);
    assert_eq!(count("closed"), 0);

    for bad in ["state=done", "from=yesterday", "after=x"] {
        let (status, body) = app
            .staff_get(&token, &format!("/api/v1/staff/opinions?{bad}"))
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
    }

    app.page_login().await;
    let (_, page) = app.get_text("/staff?state=rectifying").await;
    assert!(page.contains("石桥村的纪律问题"));
    assert!(!page.contains("第1条意见"));
    assert!(page.contains("data-testid=\"state-counts\""));
    let (_, page) = app.get_text("/staff?category=suggestion").await;
    let marker = "data-testid=\"next-page\"";
    let link = &page[..page.find(marker).expect("a next-page link")];
    let href = &link[link.rfind("href=\"").expect("href") + 6..];
    let href = href[..href.find('"').expect("end")].replace("&amp;", "&");
    assert!(
        href.starts_with("/staff?category=suggestion&after="),
        "{href}"
    );
    let (status, next) = app.get_text(&href).await;
    assert_eq!(status, 200);
    assert_eq!(
        next.matches("data-testid=\"opinion-row\"").count(),
        6,
        "56 − 50"
    );
}
