//! The audit trail: staff actions are chained by hash, tampering is found at the entry where it
//! happened, and roles keep auditors, viewers and members to their own pages.

use crate::common;

use common::TestApp;
use mashangshuo::service::audit::check;

async fn auditor_token(app: &TestApp) -> String {
    app.api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await
}

async fn sql(app: &TestApp, statements: &'static [&'static str]) {
    app.state
        .db(move |conn| {
            use diesel::RunQueryDsl;
            for s in statements {
                diesel::sql_query(*s).execute(conn)?;
            }
            Ok(())
        })
        .await
        .expect("tamper");
}

async fn checked(app: &TestApp) -> vocabulary::model::AuditCheck {
    app.state.db(check).await.expect("check")
}

/// Signs in, opens the queue, an opinion and handles it: several entries.
async fn some_actions(app: &TestApp) -> String {
    app.submit(0, "审计测试意见文字").await;
    app.release_waiting().await;
    let token = app.api_login().await;
    let (_, queue) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    let id = queue[0]["id"].as_str().expect("id").to_string();
    app.staff_get(&token, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    let (response, _) = app
        .staff_send(
            reqwest::Method::PATCH,
            &token,
            &format!("/api/v1/staff/opinions/{id}"),
            serde_json::json!({ "state": "accepted" }),
        )
        .await;
    assert_eq!(response, 200);
    id
}

#[actix_web::test]
async fn staff_actions_are_chained_without_opinion_text() {
    let app = TestApp::spawn().await;
    let id = some_actions(&app).await;
    let token = auditor_token(&app).await;
    let (status, page) = app.staff_get(&token, "/api/v1/staff/audit").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["check"]["intact"], true, "{page}");
    let actions: Vec<(&str, Option<&str>)> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["action"].as_str().expect("action"), e["target"].as_str()))
        .collect();
    for expected in [
        ("login", None),
        ("view_queue", None),
        ("view_opinion", Some(id.as_str())),
        ("handle_opinion", Some(id.as_str())),
    ] {
        assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
    }
    assert_eq!(
        (actions[0].0, actions[1].0),
        ("view_audit", "login"),
        "newest first: this very reading, then the auditor's sign-in"
    );
    assert!(!page.to_string().contains("审计测试意见文字"));
    let handled = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["action"] == "handle_opinion")
        .expect("the handling");
    assert_eq!(
        handled["actor_name"], app.demo.reviewer.username,
        "the account is named"
    );
    let head = page["check"]["head_hash"].as_str().expect("head");
    assert_eq!(head.len(), 64);

    app.page_login().await;
    let (status, _) = app.get_text("/staff/audit").await;
    assert_eq!(status, 403, "members do not read the trail");
}

#[actix_web::test]
async fn an_edited_entry_is_found() {
    let app = TestApp::spawn().await;
    some_actions(&app).await;
    assert!(checked(&app).await.intact);
    sql(
        &app,
        &["UPDATE audit_log SET action = 'logout' WHERE seq = 3"],
    )
    .await;
    let result = checked(&app).await;
    assert!(!result.intact);
    assert_eq!(result.broken_at, Some(3));
}

#[actix_web::test]
async fn a_deleted_entry_is_found() {
    let app = TestApp::spawn().await;
    some_actions(&app).await;
    sql(&app, &["DELETE FROM audit_log WHERE seq = 2"]).await;
    assert_eq!(checked(&app).await.broken_at, Some(2));
}

#[actix_web::test]
async fn reordered_entries_are_found() {
    let app = TestApp::spawn().await;
    some_actions(&app).await;
    sql(
        &app,
        &[
            "UPDATE audit_log SET seq = -1 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = -1",
        ],
    )
    .await;
    assert_eq!(checked(&app).await.broken_at, Some(2));
}

#[actix_web::test]
async fn a_cut_off_end_is_found_and_the_command_fails() {
    let app = TestApp::spawn().await;
    some_actions(&app).await;
    let intact = common::process::audit(&app.db);
    assert_eq!(intact.0, Some(0));
    assert_eq!(intact.1["intact"], true);
    let last = checked(&app).await.head_seq;
    sql(
        &app,
        &["DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"],
    )
    .await;
    let result = checked(&app).await;
    assert_eq!(result.broken_at, Some(last));
    let (code, report) = common::process::audit(&app.db);
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(report["broken_at"], last);
    // `verify` is the same check under the name.
    assert_eq!(common::process::audit_as(&app.db, "verify"), (code, report));
}

#[actix_web::test]
async fn appends_from_two_servers_at_once_keep_one_chain() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let staff_id = app.all_staff_ids().await[0].clone();
    let through_server = (0..10).map(|_| app.staff_get(&token, "/api/v1/staff/opinions"));
    let direct = (0..10).map(|_| {
        mashangshuo::service::audit::record(
            &app.state,
            &staff_id,
            mashangshuo::domain::audit::AuditAction::ViewQueue,
            None,
        )
    });
    let (served, recorded) = futures_util::future::join(
        futures_util::future::join_all(through_server),
        futures_util::future::join_all(direct),
    )
    .await;
    assert!(served.iter().all(|(status, _)| *status == 200));
    assert!(recorded.iter().all(Result::is_ok));
    let result = checked(&app).await;
    assert!(result.intact, "{result:?}");
    assert_eq!(result.entries, 21, "one sign-in and twenty views");
}

#[actix_web::test]
async fn each_role_reaches_only_its_own_pages() {
    let app = TestApp::spawn().await;
    let auditor = auditor_token(&app).await;
    let member = app.api_login().await;
    for (token, path, status) in [
        (&auditor, "/api/v1/staff/opinions", 403),
        (&auditor, "/api/v1/staff/group", 403),
        (&auditor, "/api/v1/staff/boxes", 403),
        (&auditor, "/api/v1/staff/audit", 200),
        (&member, "/api/v1/staff/audit", 403),
        (&member, "/api/v1/staff/opinions", 200),
        (&member, "/api/v1/staff/group", 200),
    ] {
        let (got, body) = app.staff_get(token, path).await;
        assert_eq!(got, status, "{path}: {body}");
    }
    // Auditors start on the trail when they sign in through the page.
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[
            ("username", app.demo.auditor.username.as_str()),
            ("password", app.demo.auditor.password.as_str()),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["location"], "/staff/audit");
    let (status, page) = app.get_text("/staff/audit").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"chain-intact\""));
    assert!(page.contains("data-testid=\"head-hash\""));
}
