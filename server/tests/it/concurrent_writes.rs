//! Writes that arrive at the same moment all succeed: on SQLite a transaction that reads before
//! it writes waits for the write lock instead of failing with "database is locked" (which the
//! API contract check found as 500s when two admins saved at once).

use crate::common;

use common::TestApp;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

const AT_ONCE: usize = 24;

#[actix_web::test]
async fn an_admins_simultaneous_changes_are_all_stored() {
    let app = TestApp::spawn().await;
    let admin = app
        .api_login_as(&app.demo.admin.username, &app.demo.admin.password)
        .await;
    let (status, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(status, 200);
    let township = common::entry_field(&units, "name", "青山镇", "id");

    // Each request reads the admin's area, checks the name, inserts, then appends to the audit
    // trail: reads before writes, in transactions that overlap.
    let sends = (0..AT_ONCE).map(|i| {
        let body = json!({ "parent_id": township, "name": format!("新村{i}"), "kind": "" });
        let (app, admin) = (&app, &admin);
        async move {
            app.staff_send(Method::POST, admin, "/api/v1/admin/units", body)
                .await
        }
    });
    let answers = join_all(sends).await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }

    let (_, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    let stored = units
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["name"].as_str().is_some_and(|n| n.starts_with("新村")))
        .count();
    assert_eq!(stored, AT_ONCE);
    let (status, trail) = app
        .staff_get(
            &app.api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
                .await,
            "/api/v1/staff/audit",
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(trail["check"]["intact"], Value::Bool(true), "{trail}");
}
