//! Word search in the queue: Chinese words found inside longer text, several words together,
//! Latin words in any case, nothing false; opinions stored before the index are indexed by the
//! maintenance job.

use crate::common;
use vocabulary::model::Category;

use common::TestApp;
use serde_json::Value;

async fn texts(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let (status, list) = app
        .staff_get(token, &format!("/api/v1/staff/opinions?q={}", urlencode(q)))
        .await;
    assert_eq!(status, 200, "{list}");
    let mut found: Vec<String> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|o| o["text"].as_str().expect("text").to_string())
        .collect();
    found.sort();
    found
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn words_are_found_anywhere_in_the_text() {
    let app = TestApp::spawn().await;
    for text in [
        "张家村村口的路灯坏了三个月",
        "希望修好学校门口的路",
        "村里WiFi信号太差,路灯也不亮",
        "灯光球场没人管",
    ] {
        app.insert_released(0, Category::Suggestion, text).await;
    }
    let token = app.api_login().await;
    assert_eq!(
        texts(&app, &token, "路灯").await,
        ["张家村村口的路灯坏了三个月", "村里WiFi信号太差,路灯也不亮"]
    );
    assert_eq!(
        texts(&app, &token, "灯坏了").await,
        ["张家村村口的路灯坏了三个月"]
    );
    assert_eq!(
        texts(&app, &token, "路灯 wifi").await,
        ["村里WiFi信号太差,路灯也不亮"]
    );
    assert_eq!(
        texts(&app, &token, "学校 路").await,
        ["希望修好学校门口的路"]
    );
    // A single character falls back to the literal check alone.
    assert_eq!(texts(&app, &token, "灯").await.len(), 3);
    // Bigrams of the query that appear, but not together, do not make a match.
    assert!(texts(&app, &token, "路灯光").await.is_empty());
    assert!(texts(&app, &token, "医院").await.is_empty());
}

/// A word indexed under more opinions than may drive a search (`DRIVING_TERM_MAX`, 5,000) is
/// checked on the queue's own rows instead; a rarer word of the same query drives. Both plans
/// find the same opinions.
#[actix_web::test]
async fn common_and_rare_words_find_the_same_as_each_other() {
    let app = TestApp::spawn().await;
    let common = "村里的路灯坏了";
    app.insert_released_many(0, Category::Suggestion, common, 5_001)
        .await;
    for text in ["路灯坏了,水渠也堵了", "水渠堵了"] {
        app.insert_released(0, Category::Suggestion, text).await;
    }
    let token = app.api_login().await;
    // Every term common: the queue is read in its order and a page of matches is found.
    let page = texts(&app, &token, "路灯坏了").await;
    assert_eq!(page.len(), 50, "one page of the 5,002 matches");
    assert!(page.iter().all(|t| t.contains("路灯坏了")), "{page:?}");
    // A rare term drives and the common ones are checked on its few opinions.
    assert_eq!(
        texts(&app, &token, "路灯 水渠").await,
        ["路灯坏了,水渠也堵了"]
    );
    assert_eq!(
        texts(&app, &token, "水渠").await,
        ["水渠堵了", "路灯坏了,水渠也堵了"]
    );
    // A common term with one that no opinion has finds nothing.
    assert!(texts(&app, &token, "路灯 医院").await.is_empty());
}

#[actix_web::test]
async fn opinions_stored_before_the_index_are_indexed_by_the_job() {
    let app = TestApp::spawn().await;
    let id = app
        .insert_released(1, Category::Suggestion, "水渠堵了没人管")
        .await;
    // As if stored before the migration: no terms, not marked.
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::{opinion_terms, opinions};
            diesel::delete(opinion_terms::table).execute(conn)?;
            diesel::update(opinions::table.find(&id))
                .set(opinions::terms_indexed.eq(false))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("unindex");
    let token = app.api_login().await;
    assert!(texts(&app, &token, "水渠").await.is_empty());
    let report = app.release_waiting().await;
    assert_eq!(report.indexed, 1);
    assert_eq!(texts(&app, &token, "水渠").await, ["水渠堵了没人管"]);
    let again: Value = serde_json::to_value(app.release_waiting().await).expect("json");
    assert_eq!(again["indexed"], 0);
}
