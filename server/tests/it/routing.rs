//! Routing by hierarchy and category, 越级反映, escalation when the group head is named, and
//! recusal of the person an opinion is about in every view (list, detail, counts, search, filter,
//! audit trail), including when a reviewer tags the target later.

use crate::common;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use vocabulary::model::Escalation;

/// The value of the box's target choice whose label contains `name`.
async fn choice(app: &TestApp, name: &str) -> String {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/boxes/{}", app.box_code(0))))
        .send()
        .await
        .expect("request");
    let info: Value = response.json().await.expect("json");
    info["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["label"].as_str().is_some_and(|l| l.contains(name)))
        .map(|t| t["value"].as_str().expect("value").to_string())
        .unwrap_or_else(|| panic!("no choice {name} in {info}"))
}

/// Sends an opinion from 张家村's box with a target and/or 越级反映.
async fn send(
    app: &TestApp,
    category: &str,
    text: &str,
    about: Option<&str>,
    escalate: bool,
) -> u16 {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .json(
            &json!({ "category": category, "text": text, "about": about, "escalate": escalate,
            "box_token": app.box_token(0).await }),
        )
        .send()
        .await
        .expect("request");
    response.status().as_u16()
}

/// The id of the leading group called `name`.
async fn group_named(app: &TestApp, name: &'static str) -> String {
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::leading_groups;
            Ok(leading_groups::table
                .filter(leading_groups::name.eq(name))
                .select(leading_groups::id)
                .first::<String>(conn)?)
        })
        .await
        .expect("group")
}

/// The stored opinion whose text is `text`.
async fn stored(app: &TestApp, text: &str) -> mashangshuo::db::opinions::Opinion {
    app.all_opinions()
        .await
        .into_iter()
        .find(|o| o.body == text)
        .expect("stored opinion")
}

fn list_has(list: &Value, text: &str) -> bool {
    list.as_array()
        .expect("list")
        .iter()
        .any(|o| o["text"] == text)
}

#[actix_web::test]
async fn categories_escalation_and_named_heads_choose_the_group() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BATCH_SIZE", "1")]).await;
    let head = choice(&app, "刘国栋").await;
    let secretary = choice(&app, "张德明").await;
    assert_eq!(
        send(&app, "suggestion", "修一修村口的路", None, false).await,
        201
    );
    assert_eq!(
        send(&app, "discipline", "村干部违反组织原则", None, false).await,
        201
    );
    assert_eq!(
        send(&app, "conduct", "希望上级来看看", None, true).await,
        201
    );
    assert_eq!(
        send(&app, "conduct", "镇党委书记作风问题", Some(&head), false).await,
        201
    );
    assert_eq!(
        send(&app, "conduct", "村支书办事拖拉", Some(&secretary), false).await,
        201
    );

    let township = group_named(&app, "青山镇创先争优活动领导小组").await;
    let county = group_named(&app, "安城县创先争优活动领导小组").await;
    let discipline = group_named(&app, "安城县纪检监察工作组").await;
    let route =
        |o: &mashangshuo::db::opinions::Opinion| (o.leading_group_id.to_string(), o.escalation);
    assert_eq!(
        route(&stored(&app, "修一修村口的路").await),
        (township.clone(), None)
    );
    assert_eq!(
        route(&stored(&app, "村干部违反组织原则").await),
        (discipline, None)
    );
    assert_eq!(
        route(&stored(&app, "希望上级来看看").await),
        (county.clone(), Some(Escalation::Requested))
    );
    assert_eq!(
        route(&stored(&app, "镇党委书记作风问题").await),
        (county, Some(Escalation::HeadNamed))
    );
    let about_secretary = stored(&app, "村支书办事拖拉").await;
    assert_eq!(route(&about_secretary), (township, None));
    assert!(about_secretary.target_person_id.is_some());

    // The county reviewer sees the escalated ones with why they came; the township does not.
    app.release_waiting().await;
    let county_token = app
        .api_login_as(
            &app.demo.county_reviewer.username,
            &app.demo.county_reviewer.password,
        )
        .await;
    let (_, list) = app.staff_get(&county_token, "/api/v1/staff/opinions").await;
    assert!(list_has(&list, "希望上级来看看") && list_has(&list, "镇党委书记作风问题"));
    let named = list
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["text"] == "镇党委书记作风问题")
        .expect("escalated");
    assert_eq!(named["escalation"], "head_named");
    assert!(named["about"].as_str().expect("about").contains("刘国栋"));
    let township_token = app.api_login().await;
    let (_, list) = app
        .staff_get(&township_token, "/api/v1/staff/opinions")
        .await;
    assert!(!list_has(&list, "镇党委书记作风问题") && !list_has(&list, "村干部违反组织原则"));
    assert!(list_has(&list, "村支书办事拖拉"));
}

#[actix_web::test]
async fn a_target_not_offered_is_refused_and_the_form_keeps_the_text() {
    let app = TestApp::spawn().await;
    let status = send(
        &app,
        "conduct",
        "随便写的对象",
        Some("person:not-a-person"),
        false,
    )
    .await;
    assert_eq!(status, 422);
    assert!(app.all_opinions().await.is_empty());
    // Without JavaScript: the page comes back with the text and the choice list.
    let response = app
        .client
        .post(app.url(&app.box_path(0)))
        .form(&[
            ("category", "conduct"),
            ("text", "表单里的意见"),
            ("about", "unit:somewhere-else"),
            ("confirmed", "1"),
            ("box_token", &app.box_token(0).await),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("表单里的意见") && page.contains("请从列表中选择反映对象"));
    assert!(
        page.contains("张德明(张家村 村党支部书记)"),
        "the box page lists the cadres"
    );
}

#[actix_web::test]
async fn the_person_an_opinion_is_about_never_sees_it_anywhere() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BATCH_SIZE", "1")]).await;
    // The demo reviewer is 赵敏 (镇纪委书记); a colleague without a person link handles it.
    let zhao = choice(&app, "赵敏").await;
    assert_eq!(
        send(&app, "conduct", "关于镇纪委书记的意见", Some(&zhao), false).await,
        201
    );
    assert_eq!(
        send(&app, "conduct", "另一条普通意见", None, false).await,
        201
    );
    app.release_waiting().await;
    let about_zhao = stored(&app, "关于镇纪委书记的意见").await.id;
    let group = app.demo_group_id().await;
    let colleague = app.add_staff("colleague", "member", Some(group)).await;
    let zhao_token = app.api_login().await;

    let (_, list) = app.staff_get(&colleague, "/api/v1/staff/opinions").await;
    assert!(list_has(&list, "关于镇纪委书记的意见"));
    let (status, _) = app
        .staff_get(&colleague, &format!("/api/v1/staff/opinions/{about_zhao}"))
        .await;
    assert_eq!(status, 200);

    for path in [
        "/api/v1/staff/opinions".to_string(),
        "/api/v1/staff/opinions?q=纪委书记".to_string(),
        format!("/api/v1/staff/opinions?about={}", zhao),
    ] {
        let (status, list) = app.staff_get(&zhao_token, &path).await;
        assert_eq!(status, 200);
        assert!(
            !list.to_string().contains(about_zhao.as_str()),
            "{path} shows it"
        );
    }
    let (status, _) = app
        .staff_get(&zhao_token, &format!("/api/v1/staff/opinions/{about_zhao}"))
        .await;
    assert_eq!(status, 404);
    for (method, path, body) in [
        (Method::PATCH, String::new(), json!({ "state": "accepted" })),
        (
            Method::POST,
            "/messages".to_string(),
            json!({ "text": "请说明" }),
        ),
        (Method::POST, "/recusal".to_string(), Value::Null),
    ] {
        let (status, _) = app
            .staff_send(
                method,
                &zhao_token,
                &format!("/api/v1/staff/opinions/{about_zhao}{path}"),
                body,
            )
            .await;
        assert_eq!(status, 404, "{path}");
    }
    let count = |counts: &Value| -> u64 {
        counts
            .as_array()
            .expect("counts")
            .iter()
            .map(|c| c["count"].as_u64().expect("count"))
            .sum()
    };
    let (_, theirs) = app
        .staff_get(&zhao_token, "/api/v1/staff/opinions/counts")
        .await;
    let (_, colleagues) = app
        .staff_get(&colleague, "/api/v1/staff/opinions/counts")
        .await;
    assert_eq!((count(&theirs), count(&colleagues)), (1, 2));
    // The HTML queue and the filter list do not name it either.
    app.page_login().await;
    let (_, page) = app.get_text("/staff").await;
    assert!(!page.contains("关于镇纪委书记的意见") && page.contains("另一条普通意见"));

    // An auditor who is 赵敏 does not see trail entries about the opinion; another auditor does.
    let admin = app
        .api_login_as(&app.demo.admin.username, &app.demo.admin.password)
        .await;
    let zhao_person = zhao.trim_start_matches("person:");
    let township = app.demo_group_id().await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/accounts",
            json!({ "username": "zhao-audit", "display_name": "赵敏(审计)", "role": "auditor",
                    "group_id": township, "person_id": zhao_person }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let zhao_auditor = app
        .api_login_as(
            "zhao-audit",
            created["password"].as_str().expect("password"),
        )
        .await;
    let (_, trail) = app.staff_get(&zhao_auditor, "/api/v1/staff/audit").await;
    assert!(!trail["entries"].to_string().contains(about_zhao.as_str()));
    assert_eq!(trail["check"]["intact"], true);
    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let (_, trail) = app.staff_get(&auditor, "/api/v1/staff/audit").await;
    assert!(trail["entries"].to_string().contains(about_zhao.as_str()));
}

#[actix_web::test]
async fn tagging_a_target_later_has_the_same_effect() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_BATCH_SIZE", "1")]).await;
    assert_eq!(
        send(&app, "conduct", "镇里领导不作为", None, false).await,
        201
    );
    assert_eq!(
        send(&app, "conduct", "纪委书记不回电话", None, false).await,
        201
    );
    app.release_waiting().await;
    let group = app.demo_group_id().await;
    let colleague = app.add_staff("colleague", "member", Some(group)).await;
    let zhao_token = app.api_login().await;
    let about_head = stored(&app, "镇里领导不作为").await.id;
    let about_zhao = stored(&app, "纪委书记不回电话").await.id;

    let (_, detail) = app
        .staff_get(&colleague, &format!("/api/v1/staff/opinions/{about_head}"))
        .await;
    let choices = detail["target_choices"]
        .as_array()
        .expect("choices")
        .clone();
    let value = |name: &str| {
        choices
            .iter()
            .find(|c| c["label"].as_str().is_some_and(|l| l.contains(name)))
            .map(|c| c["value"].clone())
            .expect("choice")
    };
    let target = |id: &str, about: Value| {
        let path = format!("/api/v1/staff/opinions/{id}/target");
        let token = colleague.clone();
        let app = &app;
        async move {
            app.staff_send(Method::PUT, &token, &path, json!({ "about": about }))
                .await
                .0
        }
    };
    // About the head of the township group: it goes up to the county and leaves the township.
    assert_eq!(target(&about_head, value("刘国栋")).await, 204);
    let moved = stored(&app, "镇里领导不作为").await;
    assert_eq!(moved.escalation, Some(Escalation::HeadNamed));
    assert_ne!(moved.leading_group_id, app.demo_group_id().await);
    let (status, _) = app
        .staff_get(&colleague, &format!("/api/v1/staff/opinions/{about_head}"))
        .await;
    assert_eq!(status, 404);
    // About a member: only that member loses it (here its text names her post already); a
    // second tag adds a person and never brings it back to her.
    assert_eq!(target(&about_zhao, value("赵敏")).await, 204);
    let (status, _) = app
        .staff_get(&zhao_token, &format!("/api/v1/staff/opinions/{about_zhao}"))
        .await;
    assert_eq!(status, 404);
    let (status, detail) = app
        .staff_get(&colleague, &format!("/api/v1/staff/opinions/{about_zhao}"))
        .await;
    assert_eq!(status, 200);
    assert!(detail["about"].as_str().expect("about").contains("赵敏"));
    assert_eq!(target(&about_zhao, value("张德明")).await, 204);
    let (status, _) = app
        .staff_get(&zhao_token, &format!("/api/v1/staff/opinions/{about_zhao}"))
        .await;
    assert_eq!(status, 404);
    // A value that is not one of the opinion's choices.
    assert_eq!(send(&app, "conduct", "第三条", None, false).await, 201);
    app.release_waiting().await;
    let third = stored(&app, "第三条").await.id;
    assert_eq!(target(&third, json!("person:nobody")).await, 422);
}
