//! The authorisation matrix of the HTML pages: every `/staff` page and form opened, through a
//! signed-in browser session, by every role, by a member recused from the opinion, by another
//! township's member and by nobody; each answer checked.

use crate::common;
use vocabulary::model::Category;

use common::{TestApp, csrf_in};
use reqwest::Method;

/// Who calls, in the order of the expected statuses.
const CALLERS: [&str; 7] = [
    "member",
    "recused",
    "viewer",
    "auditor",
    "admin",
    "other township",
    "anonymous",
];

/// A form: its action, its fields (the CSRF token is added per caller) and the statuses.
type FormCase<'a> = (String, Vec<(&'a str, &'a str)>, [u16; 7]);

/// A browser-like session: cookies kept, redirects not followed.
struct Session {
    client: reqwest::Client,
    csrf: String,
}

async fn session(app: &TestApp, credentials: Option<(&str, &str)>) -> Session {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let Some((username, password)) = credentials else {
        return Session {
            client,
            csrf: String::new(),
        };
    };
    let response = client
        .post(app.url("/staff/login"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status().as_u16(), 303, "{username} signs in");
    // Every account may open its password page, which carries the session's CSRF token.
    let page = client
        .get(app.url("/staff/password"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    Session {
        client,
        csrf: csrf_in(&page),
    }
}

#[actix_web::test]
async fn every_staff_page_and_form_allows_exactly_the_right_callers() {
    let app = TestApp::spawn().await;
    let opinion = app
        .insert_released(0, Category::Suggestion, "页面授权矩阵测试意见")
        .await;
    let in_issue = app
        .insert_released(0, Category::Suggestion, "页面授权矩阵问题意见")
        .await;
    let group = app.demo_group_id().await;
    let member_token = app.api_login().await;
    let recused_token = app
        .add_staff("recused", "member", Some(group.clone()))
        .await;
    app.add_staff("viewer", "viewer", Some(group)).await;
    let (_, other_user, other_password) = app.second_township().await;
    for id in [&opinion, &in_issue] {
        let (status, _) = app
            .staff_send(
                Method::POST,
                &recused_token,
                &format!("/api/v1/staff/opinions/{id}/recusal"),
                serde_json::Value::Null,
            )
            .await;
        assert_eq!(status, 204);
    }
    let (status, created) = app
        .staff_send(
            Method::POST,
            &member_token,
            "/api/v1/staff/issues",
            serde_json::json!({ "title": "页面矩阵问题", "opinions": [in_issue] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let issue = created["id"].as_str().expect("id").to_string();
    let (_, created) = app
        .staff_send(
            Method::POST,
            &member_token,
            &format!("/api/v1/staff/issues/{issue}/measures"),
            serde_json::json!({ "text": "页面矩阵措施", "responsible": "张德明", "due_on": "2099-01-01" }),
        )
        .await;
    let measure = created["id"].as_str().expect("id").to_string();
    let (_, boxes) = app.staff_get(&member_token, "/api/v1/staff/boxes").await;
    let box_id = boxes[0]["id"].as_str().expect("box").to_string();

    let demo = &app.demo;
    let sessions = [
        session(
            &app,
            Some((&demo.reviewer.username, &demo.reviewer.password)),
        )
        .await,
        session(&app, Some(("recused", "recused's password"))).await,
        session(&app, Some(("viewer", "viewer's password"))).await,
        session(&app, Some((&demo.auditor.username, &demo.auditor.password))).await,
        session(&app, Some((&demo.admin.username, &demo.admin.password))).await,
        session(&app, Some((&other_user, &other_password))).await,
        session(&app, None).await,
    ];

    let (round, unit) = closed_round(&app, &sessions[0]).await;
    let notice = draft_notice(&app, &sessions[0], &round).await;

    // Statuses in the order of CALLERS; 303 for nobody is the way to the sign-in page.
    let pages: Vec<(String, [u16; 7])> = vec![
        ("/staff".into(), [200, 200, 403, 403, 403, 200, 303]),
        (
            format!("/staff/opinions/{opinion}"),
            [200, 404, 403, 403, 403, 404, 303],
        ),
        ("/staff/boxes".into(), [200, 200, 403, 403, 200, 200, 303]),
        (
            format!("/staff/boxes/{box_id}/poster"),
            [200, 200, 403, 403, 200, 404, 303],
        ),
        ("/staff/group".into(), [200, 200, 200, 403, 403, 200, 303]),
        ("/staff/audit".into(), [403, 403, 403, 200, 403, 403, 303]),
        (
            "/staff/password".into(),
            [200, 200, 200, 200, 200, 200, 303],
        ),
        ("/staff/issues".into(), [200, 200, 403, 403, 403, 200, 303]),
        (
            format!("/staff/issues/{issue}"),
            [200, 404, 403, 403, 403, 404, 303],
        ),
        ("/staff/similar".into(), [200, 200, 403, 403, 403, 200, 303]),
        ("/staff/ledger".into(), [200, 200, 200, 403, 403, 200, 303]),
        (
            "/staff/ledger.xlsx".into(),
            [200, 200, 200, 403, 403, 200, 303],
        ),
        ("/staff/admin".into(), [403, 403, 403, 403, 200, 403, 303]),
        (
            "/staff/admin/people".into(),
            [403, 403, 403, 403, 200, 403, 303],
        ),
        (
            "/staff/admin/accounts".into(),
            [403, 403, 403, 403, 200, 403, 303],
        ),
        (
            "/staff/admin/import".into(),
            [403, 403, 403, 403, 200, 403, 303],
        ),
        (
            "/staff/appraisal".into(),
            [200, 200, 403, 403, 403, 200, 303],
        ),
        (
            format!("/staff/appraisal/{round}"),
            [200, 200, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/appraisal/{round}/results"),
            [200, 200, 200, 403, 403, 404, 303],
        ),
        (
            format!("/staff/appraisal/{round}/results.xlsx"),
            [200, 200, 200, 403, 403, 404, 303],
        ),
        (
            "/staff/questionnaires".into(),
            [200, 200, 403, 403, 200, 200, 303],
        ),
        ("/staff/notices".into(), [200, 200, 403, 403, 403, 200, 303]),
        ("/staff/tables".into(), [200, 200, 200, 403, 403, 200, 303]),
        (
            "/staff/tables.xlsx".into(),
            [200, 200, 200, 403, 403, 200, 303],
        ),
        (
            "/staff/tables/members.csv".into(),
            [200, 200, 200, 403, 403, 200, 303],
        ),
        ("/staff/reviews".into(), [200, 200, 403, 403, 403, 200, 303]),
        (
            format!("/staff/notices/{notice}"),
            [200, 200, 403, 403, 403, 404, 303],
        ),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in &pages {
        for ((caller, session), want) in CALLERS.iter().zip(&sessions).zip(expected) {
            let got = session
                .client
                .get(app.url(path))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16();
            if got != *want {
                wrong.push(format!("GET {path} as {caller}: {got}, expected {want}"));
            }
        }
    }

    // Forms, each with the caller's own CSRF token: 303 is success (back to the page).
    let forms: Vec<FormCase> = vec![
        (
            format!("/staff/opinions/{opinion}"),
            vec![("state", "accepted"), ("reply", "")],
            [303, 404, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/opinions/{opinion}/messages"),
            vec![("text", "请补充时间地点")],
            [303, 404, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/issues/{issue}"),
            vec![
                ("title", "页面矩阵问题"),
                ("state", "assigned"),
                ("reply", ""),
            ],
            [303, 404, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/issues/{issue}/measures"),
            vec![
                ("text", "矩阵措施"),
                ("responsible", "李秀英"),
                ("due_on", "2099-01-01"),
            ],
            [303, 404, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/measures/{measure}"),
            vec![("evidence", "已存档"), ("done", "1"), ("issue", &issue)],
            [303, 404, 403, 403, 403, 404, 303],
        ),
        (
            "/staff/group".into(),
            vec![("retention_days", "400")],
            [303, 303, 403, 403, 403, 303, 303],
        ),
        (
            "/staff/admin/people".into(),
            vec![("unit_id", "nowhere"), ("name", "矩阵"), ("post", "")],
            [403, 403, 403, 403, 422, 403, 303],
        ),
        (
            format!("/staff/appraisal/{round}/notes"),
            vec![("subject", &unit), ("note", "已整改")],
            [303, 303, 403, 403, 403, 404, 303],
        ),
        (
            "/staff/questionnaires".into(),
            vec![("template", "organisation")],
            [303, 303, 403, 403, 303, 303, 303],
        ),
        (
            format!("/staff/notices/{notice}"),
            vec![("title", "矩阵通报"), ("body", "正文"), ("round", &round)],
            [303, 303, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/notices/{notice}/publish"),
            vec![],
            [303, 303, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/notices/{notice}/withdraw"),
            vec![],
            [303, 303, 403, 403, 403, 404, 303],
        ),
        (
            "/staff/reviews".into(),
            vec![("year", "2026"), ("pass", "1"), ("reviewer", "nobody")],
            [422, 422, 403, 403, 403, 422, 303],
        ),
        (
            format!("/staff/opinions/{opinion}/subjects/removals"),
            vec![("person_id", "nobody")],
            [404, 404, 403, 403, 403, 404, 303],
        ),
        (
            format!("/staff/opinions/{opinion}/subjects/removals/nobody"),
            vec![],
            [404, 404, 403, 403, 403, 404, 303],
        ),
        // Last: merging the opinion the recused member and the other township cannot see.
        (
            "/staff/issues".into(),
            vec![("title", "页面矩阵合并"), ("opinion", &opinion)],
            [303, 409, 403, 403, 403, 409, 303],
        ),
    ];
    for (path, fields, expected) in &forms {
        for ((caller, session), want) in CALLERS.iter().zip(&sessions).zip(expected) {
            let mut body = fields.clone();
            body.push(("csrf", &session.csrf));
            let got = session
                .client
                .post(app.url(path))
                .form(&body)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16();
            if got != *want {
                wrong.push(format!("POST {path} as {caller}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// An organisation round over the demo's first unit, opened and closed by `member`.
async fn closed_round(app: &TestApp, member: &Session) -> (String, String) {
    let page = member
        .client
        .get(app.url("/staff/appraisal"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    let list = &page[page.find("round-units").expect("units")..];
    let marker = "name=\"subject\" value=\"";
    let at = list.find(marker).expect("a unit") + marker.len();
    let unit = list[at..at + list[at..].find('"').expect("quote")].to_string();
    let day = mashangshuo::domain::day::today();
    let response = member
        .client
        .post(app.url("/staff/appraisal"))
        .form(&[
            ("csrf", member.csrf.as_str()),
            ("name", "矩阵评议"),
            ("questionnaire", "template:organisation"),
            ("mode", "slips"),
            ("opens_on", &day),
            ("closes_on", &day),
            ("subject", &unit),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    let to = response.headers()["location"].to_str().expect("ascii");
    let round = to
        .split('?')
        .next()
        .expect("path")
        .rsplit('/')
        .next()
        .expect("id");
    let closed = member
        .client
        .post(app.url(&format!("/staff/appraisal/{round}/close")))
        .form(&[("csrf", member.csrf.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(closed.status().as_u16(), 303);
    (round.to_string(), unit)
}

/// A draft notice of `member`'s group showing `round`'s results.
async fn draft_notice(app: &TestApp, member: &Session, round: &str) -> String {
    let response = member
        .client
        .post(app.url("/staff/notices"))
        .form(&[
            ("csrf", member.csrf.as_str()),
            ("title", "矩阵通报"),
            ("body", ""),
            ("round", round),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    let to = response.headers()["location"].to_str().expect("ascii");
    let path = to.split('?').next().expect("path");
    path.rsplit('/').next().expect("id").to_string()
}
