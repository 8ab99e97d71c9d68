//! Staff sessions: signed, audience-bound, expiring, revocable; pages need a session and a CSRF token.

use crate::common;

use common::{TestApp, csrf_in};
use mashangshuo::db::staff::Staff;

async fn status_with_token(app: &TestApp, token: &str) -> u16 {
    app.client
        .get(app.url("/api/v1/staff/opinions"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[actix_web::test]
async fn wrong_passwords_and_unknown_users_are_refused_alike() {
    let app = TestApp::spawn().await;
    for (user, password) in [
        (app.demo.reviewer.username.as_str(), "wrong"),
        ("nobody", "whatever"),
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/staff/login"))
            .json(&serde_json::json!({ "username": user, "password": password }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 401);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["code"], "login_failed");
    }
    assert_eq!(status_with_token(&app, "not-a-token").await, 401);
    let response = app
        .client
        .get(app.url("/api/v1/staff/opinions"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
}

#[actix_web::test]
async fn logout_revokes_the_token_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    assert_eq!(status_with_token(&app, &token).await, 200);
    let response = app
        .client
        .post(app.url("/api/v1/staff/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(status_with_token(&app, &token).await, 401);
}

#[actix_web::test]
async fn password_change_and_disabling_end_sessions() {
    let app = TestApp::spawn().await;
    let first = app.api_login().await;
    let hash = app
        .state
        .hasher
        .hash_password("a new password")
        .await
        .expect("hash");
    let reviewer = app
        .state
        .db(|conn| Staff::by_username(conn, mashangshuo::demo::REVIEWER))
        .await
        .expect("query")
        .expect("reviewer");
    let id = reviewer.id.clone();
    app.state
        .db(move |conn| Staff::set_password(conn, &id, &hash))
        .await
        .expect("set");
    assert_eq!(
        status_with_token(&app, &first).await,
        401,
        "password change revokes"
    );

    let second = app
        .api_login_as(mashangshuo::demo::REVIEWER, "a new password")
        .await;
    assert_eq!(status_with_token(&app, &second).await, 200);
    let id = reviewer.id.clone();
    app.state
        .db(move |conn| Staff::set_active(conn, &id, false))
        .await
        .expect("disable");
    assert_eq!(
        status_with_token(&app, &second).await,
        401,
        "disabling revokes"
    );
    let response = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .json(&serde_json::json!({ "username": mashangshuo::demo::REVIEWER, "password": "a new password" }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status().as_u16(),
        401,
        "disabled accounts cannot sign in"
    );
}

#[actix_web::test]
async fn forged_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    // Flip the signature.
    let last = parts[2].pop().expect("signature");
    parts[2].push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(status_with_token(&app, &parts.join(".")).await, 401);
    // A token signed with another deployment's key.
    let other = mashangshuo::crypto::Keys::derive(&mashangshuo::config::Secret::new(vec![9; 32]));
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            token.split('.').nth(1).expect("claims"),
        )
        .expect("base64url"),
    )
    .expect("claims json");
    let forged = mashangshuo::auth::issue(
        &other,
        &claims["sub"].as_str().expect("sub").into(),
        claims["sid"].as_str().expect("sid"),
        claims["iat"].as_i64().expect("iat"),
        3600,
    )
    .expect("sign");
    assert_eq!(status_with_token(&app, &forged).await, 401);
}

#[actix_web::test]
async fn staff_pages_need_a_session_and_a_csrf_token() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/staff"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/staff/login");

    app.page_login().await;
    let (status, page) = app.get_text("/staff").await;
    assert_eq!(status, 200);
    let csrf = csrf_in(&page);
    let response = app
        .client
        .post(app.url("/staff/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(app.get_text("/staff").await.0, 200, "still signed in");
    let response = app
        .client
        .post(app.url("/staff/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get_text("/staff").await.0, 303, "signed out");
}

#[actix_web::test]
async fn the_session_cookie_is_httponly_and_strict() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[
            ("username", app.demo.reviewer.username.as_str()),
            ("password", app.demo.reviewer.password.as_str()),
        ])
        .send()
        .await
        .expect("request");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/staff"), "{cookie}");
}
