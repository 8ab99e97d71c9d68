//! The authorisation matrix: every staff API endpoint called as every role, as a member recused
//! from the opinion, as another township's member and with no token; each answer checked.

use crate::common;
use vocabulary::model::Category;

use common::TestApp;
use common::images::png_with_text;
use mashangshuo::domain::day::{day_of_unix, today, unix_now};
use reqwest::Method;
use serde_json::{Value, json};

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Member,
    Recused,
    Viewer,
    Auditor,
    Admin,
    OtherTownship,
    Anonymous,
}

const CALLERS: [Caller; 7] = [
    Caller::Member,
    Caller::Recused,
    Caller::Viewer,
    Caller::Auditor,
    Caller::Admin,
    Caller::OtherTownship,
    Caller::Anonymous,
];

/// No request body.
const NONE: Value = Value::Null;

/// One endpoint called by every caller, and the status each gets in the order of [`CALLERS`].
struct Row {
    method: Method,
    path: String,
    body: Value,
    expected: [u16; 7],
}

fn row(method: Method, path: impl Into<String>, body: Value, expected: [u16; 7]) -> Row {
    Row {
        method,
        path: path.into(),
        body,
        expected,
    }
}

#[actix_web::test]
async fn every_staff_endpoint_allows_exactly_the_right_callers() {
    let app = TestApp::spawn().await;
    // An opinion with a photo in the demo township, released.
    let form = reqwest::multipart::Form::new()
        .text("category", "suggestion")
        .text("text", "授权矩阵测试意见")
        .text("box_token", app.box_token(0).await)
        .part(
            "photo",
            reqwest::multipart::Part::bytes(png_with_text())
                .file_name("p.png")
                .mime_str("image/png")
                .expect("mime"),
        );
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    app.release_waiting().await;
    let id = app.all_opinions().await[0].id.clone();

    let group = app.demo_group_id().await;
    let member = app.api_login().await;
    let recused = app
        .add_staff("recused", "member", Some(group.clone()))
        .await;
    let viewer = app.add_staff("viewer", "viewer", Some(group.clone())).await;
    let admin = app.add_staff("admin", "admin", Some(group)).await;
    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let (_, user, password) = app.second_township().await;
    let other = app.api_login_as(&user, &password).await;
    let (status, _) = app
        .staff_send(
            Method::POST,
            &recused,
            &format!("/api/v1/staff/opinions/{id}/recusal"),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 204);
    // An issue of two other opinions, with a measure; the recused member steps aside from one.
    let merged = app
        .insert_released(0, Category::Suggestion, "授权矩阵问题意见一")
        .await;
    let second = app
        .insert_released(0, Category::Suggestion, "授权矩阵问题意见二")
        .await;
    let joining = app
        .insert_released(0, Category::Suggestion, "授权矩阵待加入的意见")
        .await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            &member,
            "/api/v1/staff/issues",
            serde_json::json!({ "title": "矩阵问题", "opinions": [merged, second] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let issue = format!(
        "/api/v1/staff/issues/{}",
        created["id"].as_str().expect("id")
    );
    let (status, created) = app
        .staff_send(
            Method::POST,
            &member,
            &format!("{issue}/measures"),
            serde_json::json!({ "text": "矩阵措施", "responsible": "张德明", "due_on": "2099-01-01" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let measure = format!(
        "/api/v1/staff/measures/{}",
        created["id"].as_str().expect("id")
    );
    let (status, _) = app
        .staff_send(
            Method::POST,
            &recused,
            &format!("/api/v1/staff/opinions/{second}/recusal"),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 204);
    // A running slip round and a stored questionnaire of the demo group.
    let (status, overview) = app.staff_get(&member, "/api/v1/staff/appraisal").await;
    assert_eq!(status, 200, "{overview}");
    let appraised: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(2)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    let (status, created) = app
        .staff_send(
            Method::POST,
            &member,
            "/api/v1/staff/appraisal/rounds",
            serde_json::json!({
                "name": "矩阵评议", "questionnaire": "template:organisation", "mode": "slips",
                "opens_on": today(), "closes_on": day_of_unix(unix_now() + 30 * 86_400), "subjects": appraised,
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let round = format!(
        "/api/v1/staff/appraisal/rounds/{}",
        created["id"].as_str().expect("id")
    );
    let (status, created) = app
        .staff_send(
            Method::POST,
            &member,
            "/api/v1/staff/questionnaires",
            serde_json::json!({ "template": "member" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let questionnaire = format!(
        "/api/v1/staff/questionnaires/{}",
        created["id"].as_str().expect("id")
    );
    let edited = serde_json::json!({
        "title": "矩阵评议表", "subject": "member",
        "items": [{ "key": "", "text": "基本评价", "kind": "rating", "required": true }],
    });
    let token = |caller: Caller| match caller {
        Caller::Member => Some(member.clone()),
        Caller::Recused => Some(recused.clone()),
        Caller::Viewer => Some(viewer.clone()),
        Caller::Auditor => Some(auditor.clone()),
        Caller::Admin => Some(admin.clone()),
        Caller::OtherTownship => Some(other.clone()),
        Caller::Anonymous => None,
    };

    let opinion = format!("/api/v1/staff/opinions/{id}");
    let (_, info) = app
        .staff_get(&member, &format!("/api/v1/boxes/{}", app.box_code(0)))
        .await;
    let unit_target = info["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["value"].as_str().expect("value").to_string())
        .find(|v| v.starts_with("unit:"))
        .expect("a unit to tag");
    let nobody = "00000000-0000-0000-0000-000000000000";
    // Admin endpoints: the admin passes the role check and is then told what is wrong.
    let admin_only = |status: u16| [403, 403, 403, 403, status, 403, 401];
    // Statuses in the order of CALLERS: member, recused, viewer, auditor, admin, other, anonymous.
    #[rustfmt::skip]
    let matrix = [
        row(Method::GET, "/api/v1/staff/opinions", NONE, [200, 200, 403, 403, 403, 200, 401]),
        row(Method::GET, "/api/v1/staff/opinions/counts", NONE, [200, 200, 403, 403, 403, 200, 401]),
        row(Method::GET, &opinion, NONE, [200, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, format!("{opinion}/photos/1"), NONE, [200, 404, 403, 403, 403, 404, 401]),
        row(Method::PATCH, &opinion, json!({ "state": "accepted" }), [200, 404, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("{opinion}/messages"), json!({ "text": "请补充" }), [201, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/staff/boxes", NONE, [200, 200, 403, 403, 200, 200, 401]),
        row(Method::GET, "/api/v1/staff/group", NONE, [200, 200, 200, 403, 403, 200, 401]),
        row(Method::PUT, "/api/v1/staff/group", json!({ "retention_days": 400 }), [204, 204, 403, 403, 403, 204, 401]),
        row(Method::GET, "/api/v1/staff/audit", NONE, [403, 403, 403, 200, 403, 403, 401]),
        row(Method::PUT, format!("{opinion}/target"), json!({ "about": unit_target }), [204, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/admin/units", NONE, admin_only(200)),
        row(Method::GET, "/api/v1/admin/people", NONE, admin_only(200)),
        row(Method::GET, "/api/v1/admin/accounts", NONE, admin_only(200)),
        row(Method::GET, "/api/v1/admin/routing", NONE, admin_only(200)),
        row(Method::POST, "/api/v1/admin/units", json!({ "parent_id": nobody, "name": "矩阵村", "kind": "" }), admin_only(422)),
        row(Method::PATCH, format!("/api/v1/admin/units/{nobody}"), json!({ "name": "矩阵村" }), admin_only(422)),
        row(Method::PUT, format!("/api/v1/admin/units/{nobody}/group"), json!({ "name": "矩阵小组" }), admin_only(422)),
        row(Method::POST, "/api/v1/admin/people", json!({ "unit_id": nobody, "name": "矩阵", "post": "" }), admin_only(422)),
        row(Method::PATCH, format!("/api/v1/admin/people/{nobody}"), json!({ "active": false }), admin_only(404)),
        row(Method::POST, "/api/v1/admin/accounts", json!({ "username": "matrix", "display_name": "矩阵", "role": "member", "group_id": nobody }), admin_only(422)),
        row(Method::PATCH, format!("/api/v1/admin/accounts/{nobody}"), json!({ "active": false }), admin_only(404)),
        row(Method::PUT, "/api/v1/admin/routing", json!({ "unit_id": nobody, "category": "discipline", "group_id": "" }), admin_only(422)),
        row(Method::POST, "/api/v1/admin/boxes", json!({ "unit_id": nobody, "name": "矩阵意见箱" }), admin_only(422)),
        row(Method::POST, "/api/v1/admin/import/people", json!("单位,姓名\n不存在,某人"), admin_only(422)),
        row(Method::GET, "/api/v1/staff/issues", NONE, [200, 200, 403, 403, 403, 200, 401]),
        // The recused member reads the issue without the opinion hidden from them, but cannot
        // change it: a change reaches every opinion in it.
        row(Method::GET, &issue, NONE, [200, 200, 403, 403, 403, 404, 401]),
        row(Method::PATCH, &issue, json!({ "state": "assigned" }), [204, 404, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("{issue}/measures"), json!({ "text": "矩阵措施二", "responsible": "李秀英", "due_on": "2099-01-01" }), [201, 404, 403, 403, 403, 404, 401]),
        row(Method::PATCH, &measure, json!({ "evidence": "已存档", "done": true }), [204, 404, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("{issue}/opinions"), json!({ "opinions": [joining] }), [204, 404, 403, 403, 403, 404, 401]),
        row(Method::DELETE, format!("{issue}/opinions/{joining}"), NONE, [204, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/staff/similar", NONE, [200, 200, 403, 403, 403, 200, 401]),
        row(Method::GET, format!("{opinion}/similar"), NONE, [200, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, format!("/api/v1/staff/subjects/{id}"), NONE, [200, 404, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("/api/v1/staff/subjects/{id}/removals"), json!({ "person_id": nobody }), [404, 404, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("/api/v1/staff/subjects/{id}/removals/{nobody}"), NONE, [404, 404, 403, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/staff/subjects/accounts", NONE, [200, 200, 200, 403, 403, 200, 401]),
        row(Method::GET, "/api/v1/staff/ledger", NONE, [200, 200, 200, 403, 403, 200, 401]),
        row(Method::GET, "/api/v1/staff/appraisal", NONE, [200, 200, 403, 403, 403, 200, 401]),
        row(Method::POST, "/api/v1/staff/appraisal/rounds", json!({ "name": "", "questionnaire": "template:member", "mode": "open", "opens_on": "", "closes_on": "", "subjects": [] }), [422, 422, 403, 403, 403, 422, 401]),
        row(Method::GET, &round, NONE, [200, 200, 403, 403, 403, 404, 401]),
        row(Method::POST, format!("{round}/slips"), json!({ "count": 2 }), [201, 201, 403, 403, 403, 404, 401]),
        row(Method::PUT, format!("{round}/notes"), json!({ "subject": appraised[0], "note": "已整改" }), [204, 204, 403, 403, 403, 404, 401]),
        row(Method::GET, format!("{round}/results"), NONE, [409, 409, 409, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/staff/questionnaires", NONE, [200, 200, 403, 403, 200, 200, 401]),
        row(Method::POST, "/api/v1/staff/questionnaires", json!({ "template": "organisation" }), [201, 201, 403, 403, 201, 201, 401]),
        row(Method::PUT, &questionnaire, edited.clone(), [204, 204, 403, 403, 204, 404, 401]),
        row(Method::POST, format!("{round}/close"), NONE, [204, 409, 403, 403, 403, 404, 401]),
        row(Method::GET, format!("{round}/results"), NONE, [200, 200, 200, 403, 403, 404, 401]),
        row(Method::GET, "/api/v1/staff/statistics", NONE, [200, 200, 200, 403, 403, 200, 401]),
        row(Method::GET, "/api/v1/staff/reviews", NONE, [200, 200, 403, 403, 403, 200, 401]),
        row(Method::POST, "/api/v1/staff/reviews", json!({ "year": 2026, "pass": 1, "reviewer": nobody, "units": [appraised[0]] }), [422, 422, 403, 403, 403, 422, 401]),
        // Merging the opinion the recused member and the other township cannot see.
        row(Method::POST, "/api/v1/staff/issues", json!({ "title": "矩阵合并", "opinions": [id] }), [201, 409, 403, 403, 403, 409, 401]),
        // Last: stepping aside changes what the member sees afterwards.
        row(Method::POST, format!("{opinion}/recusal"), NONE, [204, 404, 403, 403, 403, 404, 401]),
    ];
    let mut wrong = Vec::new();
    for Row {
        method,
        path,
        body,
        expected,
    } in &matrix
    {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let mut request = app.client.request(method.clone(), app.url(path));
            if let Some(t) = token(*caller) {
                request = request.bearer_auth(t);
            }
            if !body.is_null() {
                request = request.json(body);
            }
            let got = request.send().await.expect("request").status().as_u16();
            if got != *want {
                wrong.push(format!(
                    "{method} {path} as {caller:?}: {got}, expected {want}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // What the recused member and the other township list does not include the opinion; the
    // other township lists no issue, and the recused member the issue counted without the
    // opinion hidden from them.
    for t in [&recused, &other] {
        let (_, list) = app.staff_get(t, "/api/v1/staff/opinions").await;
        assert!(!list.to_string().contains(id.as_str()));
    }
    let (_, issues) = app.staff_get(&other, "/api/v1/staff/issues").await;
    assert_eq!(issues, serde_json::json!([]));
    let (_, issues) = app.staff_get(&recused, "/api/v1/staff/issues").await;
    assert_eq!(issues[0]["opinion_count"], 1, "{issues}");
    let (_, issues) = app.staff_get(&member, "/api/v1/staff/issues").await;
    assert_eq!(issues[0]["opinion_count"], 2, "{issues}");
}
