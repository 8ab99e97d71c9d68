//! A villager sends an opinion; the leading group reads, handles and answers it; the villager
//! sees the answer with the receipt code. Through the API and through the plain HTML forms.

use crate::common;

use common::{TestApp, csrf_in};

fn is_day(s: &str) -> bool {
    s.len() == 10
        && s.as_bytes()[4] == b'-'
        && s.as_bytes()[7] == b'-'
        && s.chars().filter(char::is_ascii_digit).count() == 8
}

#[actix_web::test]
async fn an_opinion_travels_from_box_to_queue_and_back_through_the_api() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .post_opinion(0, "conduct", "  村干部办事拖拉,低保申请三个月没有回音  ")
        .await;
    assert_eq!(status, 201, "{body}");
    let receipt = body["receipt"].as_str().expect("receipt").to_string();
    assert_eq!(receipt.len(), 16);
    assert!(receipt.bytes().all(|b| b.is_ascii_digit()));

    assert!(body["release"]["by_day"].is_string(), "{body}");

    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert_eq!(queue, serde_json::json!([]), "it waits for its batch");
    let (_, status) = app.receipt_status(&receipt).await;
    assert_eq!(status["waiting"]["rule"]["mode"], "count", "{status}");

    app.release_waiting().await;
    let (_, status) = app.receipt_status(&receipt).await;
    assert_eq!(status["state"], "new");
    assert_eq!(status["category"], "conduct");
    assert!(status["reply"].is_null());
    assert!(status["waiting"].is_null());

    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let queue = queue.as_array().expect("list");
    assert_eq!(queue.len(), 1);
    let item = &queue[0];
    assert_eq!(
        item["text"], "村干部办事拖拉,低保申请三个月没有回音",
        "trimmed text"
    );
    assert_eq!(item["category"], "conduct");
    assert_eq!(item["box_name"], "张家村意见箱");
    assert_eq!(item["village"], "张家村");
    assert_eq!(item["state"], "new");
    let day = item["released_on"].as_str().expect("day");
    assert!(is_day(day), "reviewers see only the release day: {day}");
    assert!(item.get("received_on").is_none(), "not the day it arrived");
    let id = item["id"].as_str().expect("id");
    assert_eq!(
        uuid::Uuid::parse_str(id).expect("uuid").get_version_num(),
        4,
        "random ids"
    );

    for (state, reply) in [
        ("accepted", None),
        ("closed", Some("已督促经办人,低保已于本周审批。")),
    ] {
        let response = app
            .client
            .patch(app.url(&format!("/api/v1/staff/opinions/{id}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "state": state, "reply": reply }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
    }

    let (_, status) = app.receipt_status(&common::group(&receipt)).await;
    assert_eq!(status["state"], "closed");
    assert_eq!(status["reply"], "已督促经办人,低保已于本周审批。");
    assert!(is_day(status["replied_on"].as_str().expect("replied_on")));
}

#[actix_web::test]
async fn the_plain_forms_work_without_javascript() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get_text(&app.box_path(1)).await;
    assert_eq!(status, 200);
    assert!(page.contains("李家湾村"), "names the village");
    assert!(
        page.contains("青山镇创先争优活动领导小组"),
        "names who receives it"
    );
    assert!(page.contains("我们绝不保存什么"), "privacy notice");
    for label in [
        "建议",
        "作风问题",
        "办事不公",
        "违反组织原则",
        "涉及隐私",
        "其他",
    ] {
        assert!(page.contains(label), "category {label}");
    }
    assert!(
        page.contains(&format!("action=\"{}\"", app.box_path(1))),
        "posts back to itself"
    );

    let response = app
        .client
        .post(app.url(&app.box_path(1)))
        .form(&[
            ("category", "unfairness"),
            ("text", "分配救灾物资不公平"),
            ("box_token", &app.box_token(1).await),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers().get("set-cookie").is_none(),
        "residents get no cookie"
    );
    let page = response.text().await.expect("body");
    let receipt = common::receipt_in(&page);
    assert_eq!(receipt.len(), 19, "shown in four groups: {receipt}");
    assert!(page.contains("唯一凭证"), "save-it advice");

    let response = app
        .client
        .post(app.url("/r"))
        .form(&[("receipt", receipt.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.expect("body");
    assert!(page.contains("等待送达"), "waiting state shown");
    assert!(
        page.contains("最迟"),
        "the villager is told when the group sees it"
    );

    app.release_waiting().await;
    app.page_login().await;
    let (status, queue) = app.get_text("/staff").await;
    assert_eq!(status, 200);
    assert!(queue.contains("分配救灾物资不公平"));
    let id = app.all_opinions().await[0].id.clone();
    let (_, detail) = app.get_text(&format!("/staff/opinions/{id}")).await;
    let csrf = csrf_in(&detail);
    let response = app
        .client
        .post(app.url(&format!("/staff/opinions/{id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("state", "closed"),
            ("reply", "已重新核对名单"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    let (_, detail) = app.get_text(&format!("/staff/opinions/{id}?saved=1")).await;
    assert!(detail.contains("已保存"));

    let page = app
        .client
        .post(app.url("/r"))
        .form(&[("receipt", receipt.as_str())])
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(page.contains("已办结"));
    assert!(page.contains("已重新核对名单"));
}

#[actix_web::test]
async fn english_is_available_on_resident_pages() {
    let app = TestApp::spawn().await;
    let (_, page) = app.get_text(&format!("{}?lang=en", app.box_path(0))).await;
    assert!(page.contains("lang=\"en\""));
    assert!(page.contains("What we never keep"));
    assert!(page.contains("Send opinion"));
    let response = app
        .client
        .post(app.url("/api/v1/boxes/00000000000000000000/opinions?lang=en"))
        .json(&serde_json::json!({ "category": "other", "text": "x" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 404);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("does not exist")
    );
}

#[actix_web::test]
async fn health_and_openapi_are_served() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get_text("/healthz").await.0, 200);
    let (status, doc) = app.get_text("/api/openapi.json").await;
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    for path in [
        "/api/v1/boxes/{code}/opinions",
        "/api/v1/receipts/status",
        "/api/v1/staff/opinions/{id}",
        "/api/v1/staff/issues/{id}",
        "/api/v1/staff/appraisal/rounds/{id}/results",
        "/api/v1/staff/questionnaires/{id}",
        "/api/v1/staff/statistics",
        "/api/v1/staff/reviews",
    ] {
        assert!(doc["paths"].get(path).is_some(), "documents {path}");
    }
}

#[actix_web::test]
async fn tests_run_on_the_backend_named_by_database_url() {
    let app = TestApp::spawn().await;
    let wants_postgres = std::env::var("DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    let is_postgres = app
        .state
        .db(|conn| Ok(matches!(conn, mashangshuo::db::DbConnection::Postgresql(_))))
        .await
        .expect("connection");
    assert_eq!(wants_postgres, is_postgres);
    assert_eq!(app.db.is_postgres(), is_postgres);
}

#[actix_web::test]
async fn the_privacy_page_says_what_is_kept_and_never_kept() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get_text("/privacy").await;
    assert_eq!(status, 200);
    for phrase in [
        "我们如何保护你",
        "我们保存什么",
        "我们绝不保存什么",
        "不记几点几分",
        "IP",
        "凑成一批",
        "拍摄地点（GPS）",
        "365 天",
        "不足 5 条",
    ] {
        assert!(page.contains(phrase), "{phrase}");
    }
    let (_, english) = app.get_text("/privacy?lang=en").await;
    assert!(english.contains("What we never keep"));
    let (_, box_page) = app.get_text(&app.box_path(0)).await;
    assert!(
        box_page.contains("href=\"/privacy\""),
        "the box page links to it"
    );
}

#[actix_web::test]
async fn a_partial_update_keeps_what_it_does_not_name() {
    let app = TestApp::spawn().await;
    app.submit(0, "桥栏杆松了").await;
    app.release_waiting().await;
    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let path = format!(
        "/api/v1/staff/opinions/{}",
        queue[0]["id"].as_str().expect("id")
    );
    let patch = |body: serde_json::Value| {
        let request = app
            .client
            .patch(app.url(&path))
            .bearer_auth(&token)
            .json(&body);
        async move {
            request
                .send()
                .await
                .expect("request")
                .json::<serde_json::Value>()
                .await
                .expect("json")
        }
    };
    let after = patch(serde_json::json!({ "reply": "已安排修理" })).await;
    assert_eq!(
        (after["state"].as_str(), after["reply"].as_str()),
        (Some("new"), Some("已安排修理"))
    );
    let after = patch(serde_json::json!({ "state": "closed" })).await;
    assert_eq!(
        (after["state"].as_str(), after["reply"].as_str()),
        (Some("closed"), Some("已安排修理"))
    );
    let after = patch(serde_json::json!({ "reply": "" })).await;
    assert_eq!(after["state"], "closed");
    assert!(after["reply"].is_null(), "an empty reply removes it");
}
