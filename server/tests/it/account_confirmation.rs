//! Four eyes on who reads: a member account reads opinions only once another member of its
//! group, of another person, has confirmed that it belongs to its person. Creating, re-linking
//! or resetting an account (all an admin can do) makes it wait again, so an admin who knows
//! the password cannot read through it; an unlinked member account reads nothing.

use crate::common;
use vocabulary::model::Category;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

/// The group's view of one account.
async fn row(app: &TestApp, token: &str, username: &str) -> Value {
    let (status, accounts) = app
        .staff_get(token, "/api/v1/staff/subjects/accounts")
        .await;
    assert_eq!(status, 200, "{accounts}");
    accounts
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["username"] == username)
        .expect("listed")
        .clone()
}

/// Confirms the account `id` as the holder of `token`; the status and body.
async fn confirm(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    app.staff_send(
        Method::POST,
        token,
        &format!("/api/v1/staff/subjects/accounts/{id}/confirm"),
        json!({}),
    )
    .await
}

/// The status of the reviewer's queue.
async fn queue_status(app: &TestApp, token: &str) -> u16 {
    app.staff_get(token, "/api/v1/staff/opinions").await.0
}

#[actix_web::test]
async fn an_account_an_admin_makes_reads_nothing_until_another_member_confirms_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let liu = app.person_id(&admin, "刘国栋").await;
    app.insert_released(0, Category::Conduct, "赵敏的亲戚占了低保")
        .await;
    let plain = app
        .insert_released(0, Category::Suggestion, "路灯坏了")
        .await;

    let (id, password) = app.create_member(&admin, "liu", &liu).await;
    let liu_token = app.api_login_as("liu", &password).await;
    let (status, refused) = app.staff_get(&liu_token, "/api/v1/staff/opinions").await;
    assert_eq!(status, 403);
    assert_eq!(refused["code"], "account_unconfirmed");
    for path in [
        format!("/api/v1/staff/opinions/{plain}"),
        "/api/v1/staff/issues".to_string(),
        "/api/v1/staff/held".to_string(),
    ] {
        let (status, body) = app.staff_get(&liu_token, &path).await;
        assert!(status == 403 || status == 404, "{path}: {status} {body}");
        assert!(!body.to_string().contains("路灯"), "{path}");
    }
    // Statistics stay open to it, and the group sees it waiting.
    assert_eq!(
        app.staff_get(&liu_token, "/api/v1/staff/group").await.0,
        200
    );
    let waiting = row(&app, &zhao, "liu").await;
    assert_eq!(waiting["person"], "刘国栋");
    assert_eq!(waiting["confirmed_on"], Value::Null);
    assert_eq!(waiting["confirmable"], true);
    assert_eq!(row(&app, &liu_token, "liu").await["confirmable"], false);

    // Nobody confirms themselves, and the admin cannot (admins never act as members).
    assert_eq!(confirm(&app, &liu_token, &id).await.0, 403);
    assert_eq!(confirm(&app, &admin, &id).await.0, 403);

    let (status, body) = confirm(&app, &zhao, &id).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(queue_status(&app, &liu_token).await, 200);
    let confirmed = row(&app, &zhao, "liu").await;
    assert_eq!(confirmed["confirmed_by"], "qingshan");
    assert!(confirmed["confirmed_on"].is_string());
    assert_eq!(confirm(&app, &zhao, &id).await.0, 409, "once is enough");

    // The trail names who confirmed whom.
    assert!(app.audited("confirm_account", &id).await);
}

#[actix_web::test]
async fn a_reset_or_a_relink_by_the_admin_makes_the_account_wait_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let (id, _) = app.create_member(&admin, "liu", &liu).await;
    assert_eq!(confirm(&app, &zhao, &id).await.0, 204);

    // The admin draws a new password and signs in with it: it reads nothing.
    let (status, reset) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{id}"),
            json!({ "reset_password": true }),
        )
        .await;
    assert_eq!(status, 200, "{reset}");
    let as_admin = app
        .api_login_as("liu", reset["password"].as_str().expect("password"))
        .await;
    assert_eq!(queue_status(&app, &as_admin).await, 403);
    assert_eq!(row(&app, &zhao, "liu").await["confirmed_on"], Value::Null);
    assert_eq!(confirm(&app, &zhao, &id).await.0, 204);
    assert_eq!(queue_status(&app, &as_admin).await, 200);

    // Re-linked to another person: waits again.
    let other = app.person_id(&admin, "张德明").await;
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{id}"),
            json!({ "person_id": other }),
        )
        .await;
    assert_eq!(status, 200);
    let after = app
        .api_login_as("liu", reset["password"].as_str().expect("password"))
        .await;
    assert_eq!(queue_status(&app, &after).await, 403);

    // A member changing their own password keeps the confirmation.
    assert_eq!(confirm(&app, &zhao, &id).await.0, 204);
    let (status, body) = app
        .staff_send(
            Method::PUT,
            &after,
            "/api/v1/staff/password",
            json!({ "current": reset["password"], "new": "a long new password" }),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let own = app.api_login_as("liu", "a long new password").await;
    assert_eq!(queue_status(&app, &own).await, 200);
}

#[actix_web::test]
async fn a_second_account_of_the_same_person_cannot_vouch_for_the_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao_person = app.person_id(&admin, "赵敏").await;
    // The admin makes a second account for 赵敏 and asks 赵敏's own account to confirm it.
    let (id, password) = app.create_member(&admin, "zhao2", &zhao_person).await;
    let zhao = app.api_login().await;
    let (status, body) = confirm(&app, &zhao, &id).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "confirmer_ineligible");
    assert_eq!(row(&app, &zhao, "zhao2").await["confirmable"], false);
    let zhao2 = app.api_login_as("zhao2", &password).await;
    assert_eq!(queue_status(&app, &zhao2).await, 403);

    // An account of another group is not this group's to confirm.
    let (_, baishui, baishui_password) = app.second_township().await;
    let other = app.api_login_as(&baishui, &baishui_password).await;
    assert_eq!(confirm(&app, &other, &id).await.0, 404);
}

#[actix_web::test]
async fn an_unlinked_member_account_reads_no_opinion() {
    let app = TestApp::spawn().await;
    app.insert_released(0, Category::Suggestion, "路灯坏了")
        .await;
    // An account made before members had to be someone: confirmed, but of nobody.
    let group = app.demo_group_id().await;
    app.add_staff("legacy", "viewer", Some(group)).await;
    let state = app.state.clone();
    state
        .db(|conn| {
            use mashangshuo::db::staff::Staff;
            let id = Staff::by_username(conn, "legacy")?.expect("legacy").id;
            Staff::set_role(conn, &id, mashangshuo::domain::roles::Role::Member)?;
            Staff::confirm(conn, &id, None, "2026-01-01")
        })
        .await
        .expect("db");
    let token = app.api_login_as("legacy", "legacy's password").await;
    let (status, body) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("路灯"));
}

#[actix_web::test]
async fn the_first_member_of_a_new_group_needs_nobody_and_the_next_one_does() {
    let app = TestApp::spawn().await;
    let (group, first, second) = {
        let state = app.state.clone();
        state
            .db(|conn| {
                use mashangshuo::db::staff::Staff;
                use mashangshuo::db::units::LeadingGroup;
                use mashangshuo::db::units::Unit;
                let township = mashangshuo::db::new_id();
                Unit::insert(
                    conn,
                    &Unit {
                        id: township.clone().into(),
                        parent_id: None,
                        name: "新设镇".into(),
                        kind: vocabulary::org::UnitKind::Township,
                        category: None,
                    },
                )?;
                let group = LeadingGroup {
                    id: mashangshuo::db::new_id().into(),
                    unit_id: township.into(),
                    name: "新设领导小组".into(),
                    head_person_id: None,
                };
                LeadingGroup::insert(conn, &group)?;
                let mut made = Vec::new();
                for name in ["first", "second"] {
                    let account = Staff {
                        id: mashangshuo::db::new_id().into(),
                        username: name.into(),
                        display_name: name.into(),
                        password_hash: String::new(),
                        leading_group_id: Some(group.id.clone()),
                        active: true,
                        role: mashangshuo::domain::roles::Role::Member,
                        person_id: None,
                    };
                    Staff::insert(conn, &account)?;
                    let confirmed = mashangshuo::service::group_accounts::confirm_if_first(
                        conn,
                        &account.id,
                        &group.id,
                    )?;
                    made.push((account.id, confirmed));
                }
                Ok((group.id, made[0].clone(), made[1].clone()))
            })
            .await
            .expect("db")
    };
    assert!(first.1, "the group's first member is confirmed at once");
    assert!(!second.1, "the next one waits for the first");
    let state = app.state.clone();
    let (first_ok, second_ok, ever) = state
        .db(move |conn| {
            use mashangshuo::db::staff::Staff;
            Ok((
                Staff::is_confirmed(conn, &first.0)?,
                Staff::is_confirmed(conn, &second.0)?,
                Staff::group_ever_confirmed(conn, &group)?,
            ))
        })
        .await
        .expect("db");
    assert!(first_ok && !second_ok && ever);
}

#[actix_web::test]
async fn the_group_page_shows_the_waiting_account_and_confirms_it_with_a_form() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let (id, password) = app.create_member(&admin, "liu", &liu).await;

    // The waiting member lands on the group page, with the banner, and no queue.
    let waiting = app.signed_in_client("liu", &password).await;
    let page = waiting
        .get(app.url("/staff/group"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("data-testid=\"unconfirmed-banner\""));
    assert!(!html.contains(&format!("/staff/group/accounts/{id}/confirm")));
    let queue = waiting.get(app.url("/staff")).send().await.expect("queue");
    assert_eq!(queue.status().as_u16(), 403);

    // Another member sees the confirm form and uses it.
    let zhao = app
        .signed_in_client(&app.demo.reviewer.username, &app.demo.reviewer.password)
        .await;
    let html = zhao
        .get(app.url("/staff/group"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let action = format!("/staff/group/accounts/{id}/confirm");
    assert!(html.contains(&action));
    assert!(!html.contains("data-testid=\"unconfirmed-banner\""));
    let csrf = common::csrf_in(&html);
    let without = zhao
        .post(app.url(&action))
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .expect("post");
    assert_eq!(without.status().as_u16(), 403, "CSRF checked");
    let done = zhao
        .post(app.url(&action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(done.status().as_u16(), 303);
    let queue = waiting.get(app.url("/staff")).send().await.expect("queue");
    assert_eq!(queue.status().as_u16(), 200);
}
