//! Abuse control that keeps villagers anonymous: rate-limit buckets behind a trusted reverse
//! proxy, the per-account sign-in delay, the box-page token every submission carries, and the
//! appraisal burst monitor.

use crate::common;

use common::TestApp;
use common::appraisal::{all_rated, finished_round, local, phone, send};
use mashangshuo::domain::day::unix_now;
use mashangshuo::service::box_token;
use reqwest::Method;
use serde_json::json;

/// Looks up a malformed receipt through the API (cheap, behind a burst-20 limit) with extra
/// headers; returns the status.
async fn lookup(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    let mut request = app
        .client
        .post(app.url("/api/v1/receipts/status"))
        .json(&json!({ "receipt": "12" }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request").status().as_u16()
}

/// Spends the limit's burst of 20 for the client these headers describe; the next look-up is
/// refused.
async fn exhaust(app: &TestApp, headers: &[(&str, &str)]) {
    for _ in 0..20 {
        assert_ne!(lookup(app, headers).await, 429, "inside the burst");
    }
    assert_eq!(lookup(app, headers).await, 429, "the burst is spent");
}

#[actix_web::test]
async fn clients_behind_a_trusted_proxy_get_buckets_of_their_own() {
    let app =
        TestApp::spawn_with(&[("MASHANGSHUO_TRUSTED_PROXIES", "10.9.0.0/16, 127.0.0.1")]).await;
    exhaust(&app, &[("X-Forwarded-For", "198.51.100.1, 10.9.0.5")]).await;
    // A second villager behind the same proxy is not held back by the first.
    assert_ne!(
        lookup(&app, &[("X-Forwarded-For", "198.51.100.2")]).await,
        429
    );
    // RFC 7239 `Forwarded`, IPv6 in brackets with a port: keyed by the /64.
    exhaust(&app, &[("Forwarded", r#"for="[2001:db8:1:2::1]:4711""#)]).await;
    assert_eq!(
        lookup(&app, &[("Forwarded", r#"for="[2001:db8:1:2::99]""#)]).await,
        429,
        "another address of the same /64 shares the bucket"
    );
    assert_ne!(
        lookup(&app, &[("Forwarded", r#"for="[2001:db8:1:3::1]""#)]).await,
        429,
        "another /64 has its own"
    );
    // The first villager is still limited whatever trusted hops follow.
    assert_eq!(
        lookup(&app, &[("X-Forwarded-For", "198.51.100.1")]).await,
        429
    );
}

#[actix_web::test]
async fn a_forwarding_header_from_an_untrusted_peer_is_ignored() {
    // The test client connects from 127.0.0.1, which is not trusted here.
    let app = TestApp::spawn_with(&[("MASHANGSHUO_TRUSTED_PROXIES", "10.9.0.1")]).await;
    for i in 0..20 {
        let spoofed = format!("198.51.100.{i}");
        assert_ne!(lookup(&app, &[("X-Forwarded-For", &spoofed)]).await, 429);
    }
    assert_eq!(
        lookup(&app, &[("X-Forwarded-For", "203.0.113.250")]).await,
        429,
        "a fresh spoofed address does not escape the peer's bucket"
    );
    assert_eq!(
        lookup(&app, &[("Forwarded", "for=203.0.113.251")]).await,
        429
    );
}

/// Signs in through the API, each time from another address behind the trusted proxy (so the
/// per-address limit stays out of the way); returns status, `Retry-After` and the body.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> (u16, Option<i64>, String) {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let response = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .header(
            "X-Forwarded-For",
            format!("198.51.{}.{}", n / 250, n % 250 + 1),
        )
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, retry, response.text().await.expect("body"))
}

/// The test client's address is a trusted proxy.
const PROXIED: &[(&str, &str)] = &[("MASHANGSHUO_TRUSTED_PROXIES", "127.0.0.1")];

/// The most failures counted for any sign-in name, and the latest end of a delay.
async fn stored_delay(app: &TestApp) -> (i32, i64) {
    app.state
        .db(|conn| {
            use diesel::dsl::max;
            use diesel::prelude::*;
            use mashangshuo::db::schema::sign_in_throttle;
            let (failures, until): (Option<i32>, Option<i64>) = sign_in_throttle::table
                .select((
                    max(sign_in_throttle::failures),
                    max(sign_in_throttle::blocked_until),
                ))
                .first(conn)?;
            Ok((failures.unwrap_or(0), until.unwrap_or(0)))
        })
        .await
        .expect("stored delay")
}

/// Makes the delay of every name with five failures or more last two more minutes, as if the
/// next attempt came at once: on a busy machine a one-second delay can be over before the next
/// request arrives.
async fn hold_delay(app: &TestApp) {
    let until = mashangshuo::domain::day::unix_now() + 120;
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::sign_in_throttle;
            diesel::update(
                sign_in_throttle::table.filter(sign_in_throttle::blocked_until.gt(0i64)),
            )
            .set(sign_in_throttle::blocked_until.eq(until))
            .execute(conn)?;
            Ok(())
        })
        .await
        .expect("hold delay");
}

/// Ends the account's current delay, as the passing of time would.
async fn end_delay(app: &TestApp) {
    app.state
        .db(|conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::sign_in_throttle;
            diesel::update(sign_in_throttle::table)
                .set(sign_in_throttle::blocked_until.eq(0i64))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("end delay");
}

#[actix_web::test]
async fn failed_sign_ins_delay_that_account_only_and_success_resets_it() {
    let app = TestApp::spawn_with(PROXIED).await;
    let user = app.demo.reviewer.username.clone();
    let password = app.demo.reviewer.password.clone();
    app.add_staff("colleague", "member", None).await;
    for _ in 0..4 {
        assert_eq!(sign_in(&app, &user, "wrong password").await.0, 401);
    }
    let until = stored_delay(&app).await.1;
    assert!(
        until <= mashangshuo::domain::day::unix_now(),
        "four failures are free: {until}"
    );
    let before = mashangshuo::domain::day::unix_now();
    assert_eq!(sign_in(&app, &user, "wrong password").await.0, 401);
    let (failures, until) = stored_delay(&app).await;
    assert_eq!(failures, 5);
    assert!(
        until > before,
        "the fifth failure starts a delay: {until} vs {before}"
    );
    // Now even the right password waits: each attempt would otherwise be a free guess.
    hold_delay(&app).await;
    let (status, retry, body) = sign_in(&app, &user, &password).await;
    assert_eq!(status, 429, "{body}");
    assert!(retry.is_some_and(|s| (1..=300).contains(&s)), "{retry:?}");
    assert!(
        body.contains("sign_in_delayed") && body.contains("多次登录失败"),
        "{body}"
    );
    // The sign-in form says the same, with the same header.
    let response = app
        .client
        .post(app.url("/staff/login"))
        .header("X-Forwarded-For", "192.0.2.200")
        .form(&[("username", user.as_str()), ("password", password.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().get("retry-after").is_some());
    let page = response.text().await.expect("body");
    assert!(page.contains("多次登录失败"), "{page}");
    // Another account from the same address is not held back.
    let (status, _, body) = sign_in(&app, "colleague", "colleague's password").await;
    assert_eq!(status, 200, "{body}");

    // After the wait one more failure waits longer (the delay doubles).
    end_delay(&app).await;
    let before = mashangshuo::domain::day::unix_now();
    assert_eq!(sign_in(&app, &user, "wrong again").await.0, 401);
    let (failures, until) = stored_delay(&app).await;
    assert_eq!(failures, 6);
    assert!(until >= before + 2, "two seconds now: {until} vs {before}");
    hold_delay(&app).await;
    let (status, retry, _) = sign_in(&app, &user, &password).await;
    assert_eq!(status, 429);
    assert!(retry.is_some_and(|s| s >= 2), "{retry:?}");

    // A success after the wait clears the count.
    end_delay(&app).await;
    assert_eq!(sign_in(&app, &user, &password).await.0, 200);
    assert_eq!(
        sign_in(&app, &user, "wrong").await.0,
        401,
        "counting starts over"
    );
    assert_eq!(sign_in(&app, &user, &password).await.0, 200);
}

#[actix_web::test]
async fn unknown_sign_in_names_are_answered_like_known_ones() {
    let app = TestApp::spawn_with(PROXIED).await;
    let known = app.demo.reviewer.username.clone();
    let mut answers = Vec::new();
    for name in [known.as_str(), "nobody-of-that-name"] {
        let mut seen = Vec::new();
        for _ in 0..5 {
            let (status, retry, body) = sign_in(&app, name, "wrong password").await;
            seen.push((status, retry, body));
        }
        hold_delay(&app).await;
        let (status, retry, body) = sign_in(&app, name, "wrong password").await;
        seen.push((status, retry.map(|_| 0), body));
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0][5].0, 429);
}

#[test]
fn the_sign_in_delay_doubles_from_one_second_and_is_capped() {
    use mashangshuo::service::staff::sign_in_delay;
    let delays: Vec<i64> = (1..=16).map(sign_in_delay).collect();
    assert_eq!(&delays[..8], &[0, 0, 0, 0, 1, 2, 4, 8]);
    assert_eq!(sign_in_delay(13), 256);
    assert_eq!(sign_in_delay(14), 300);
    assert_eq!(sign_in_delay(i32::MAX), 300, "never a lockout");
}

/// Sends an opinion through the JSON API with exactly these fields; returns status and body.
async fn post_raw(app: &TestApp, body: serde_json::Value) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// How many opinions are stored, waiting or released.
async fn stored(app: &TestApp) -> usize {
    app.all_opinions().await.len()
}

#[actix_web::test]
async fn an_opinion_needs_a_genuine_unexpired_token_from_the_box_page() {
    let app = TestApp::spawn().await;
    let text = "村口的路灯坏了";
    let (status, body) = post_raw(&app, json!({ "category": "other", "text": text })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("box_token_invalid"))
    );
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("意见还没有提交")
    );

    let genuine = app.box_token(0).await;
    let mut forged = genuine.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).expect("ascii");
    let other_secret = mashangshuo::config::Secret::new(vec![9; 32]);
    let hour = unix_now() / 3600;
    for bad in [
        forged,
        box_token::issue_at(&other_secret, hour),
        box_token::issue_at(&app.state.config.secret, hour - box_token::VALID_HOURS - 1),
    ] {
        let (status, body) = post_raw(
            &app,
            json!({ "category": "other", "text": text, "box_token": bad }),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("box_token_invalid"))
        );
    }
    assert_eq!(stored(&app).await, 0, "nothing refused was stored");

    // A token handed out two days ago (a slow villager) still works.
    let slow = box_token::issue_at(&app.state.config.secret, hour - box_token::VALID_HOURS);
    let (status, body) = post_raw(
        &app,
        json!({ "category": "other", "text": text, "box_token": slow }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(stored(&app).await, 1);
}

#[actix_web::test]
async fn a_token_is_spent_once_per_submission_key() {
    let app = TestApp::spawn().await;
    let token = app.box_token(0).await;
    let key = "0123456789abcdef0123456789abcdef";
    let first =
        json!({ "category": "other", "text": "第一条", "submission_key": key, "box_token": token });
    let (status, sent) = post_raw(&app, first.clone()).await;
    assert_eq!(status, 201, "{sent}");
    // The same submission again (a lost connection): the same receipt, stored once.
    let (status, again) = post_raw(&app, first).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["receipt"], sent["receipt"]);
    // The token with another key, or with none: refused.
    let other = json!({ "category": "other", "text": "第二条", "box_token": token,
        "submission_key": "fedcba9876543210fedcba9876543210" });
    let (status, body) = post_raw(&app, other).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("box_token_used"))
    );
    let (status, _) = post_raw(
        &app,
        json!({ "category": "other", "text": "第三条", "box_token": token }),
    )
    .await;
    assert_eq!(status, 409);

    // Without a key a token is good for one opinion only.
    let token = app.box_token(0).await;
    let plain = json!({ "category": "other", "text": "无钥匙", "box_token": token });
    assert_eq!(post_raw(&app, plain.clone()).await.0, 201);
    assert_eq!(post_raw(&app, plain).await.0, 409);
    assert_eq!(stored(&app).await, 2);
}

#[actix_web::test]
async fn the_same_submission_sent_ten_times_at_once_gets_one_receipt() {
    let app = TestApp::spawn().await;
    let body = json!({ "category": "other", "text": "同时发了十次", "box_token": app.box_token(0).await,
        "submission_key": "aaaabbbbccccddddeeeeffff00001111" });
    let answers =
        futures_util::future::join_all((0..10).map(|_| post_raw(&app, body.clone()))).await;
    for (status, answer) in &answers {
        assert_eq!(*status, 201, "{answer}");
        assert_eq!(answer["receipt"], answers[0].1["receipt"]);
    }
    assert_eq!(stored(&app).await, 1);
}

#[actix_web::test]
async fn a_refused_submission_does_not_spend_its_token() {
    let app = TestApp::spawn().await;
    let token = app.box_token(0).await;
    let (status, body) = post_raw(
        &app,
        json!({ "category": "other", "text": "  ", "box_token": token }),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("text_empty")));
    let (status, body) = post_raw(
        &app,
        json!({ "category": "other", "text": "补上了", "box_token": token }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[actix_web::test]
async fn a_form_with_an_expired_token_comes_back_filled_in_with_a_fresh_one() {
    let app = TestApp::spawn().await;
    let old = box_token::issue_at(
        &app.state.config.secret,
        unix_now() / 3600 - box_token::VALID_HOURS - 1,
    );
    let typed = "村里修桥的钱花在哪里了";
    let (status, page) = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "suggestion"),
                ("text", typed),
                ("confirmed", "1"),
                ("box_token", &old),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("意见箱页面已过期或无效"), "{page}");
    assert!(page.contains(typed), "what was typed is kept");
    let fresh = common::box_token_in(&page).expect("a token on the page");
    assert_ne!(fresh, old);
    let (status, page) = app
        .post_form(
            &app.box_path(0),
            &[
                ("category", "suggestion"),
                ("text", typed),
                ("confirmed", "1"),
                ("box_token", &fresh),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    // Without any token the form also comes back as typed.
    let response = app
        .client
        .post(app.url(&app.box_path(0)))
        .form(&[
            ("category", "suggestion"),
            ("text", typed),
            ("confirmed", "1"),
        ])
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let page = response.text().await.expect("body");
    assert_eq!(status, 422, "{page}");
    assert!(page.contains(typed));
}

#[actix_web::test]
async fn spent_tokens_are_kept_as_hashes_and_expire_with_the_maintenance_job() {
    let app = TestApp::spawn().await;
    let token = app.box_token(0).await;
    let key = "00112233445566778899aabbccddeeff";
    let body = json!({ "category": "other", "text": "留存测试", "box_token": token, "submission_key": key });
    assert_eq!(post_raw(&app, body).await.0, 201);
    let dump = app.db.dump();
    let dump = String::from_utf8_lossy(&dump);
    assert!(!dump.contains(&token), "the token itself is not stored");
    assert!(!dump.contains(key));
    let report = mashangshuo::jobs::run_once(&app.state, unix_now() + 5 * 86_400)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(report.tokens_expired, 1);
}

/// The demo reviewer's bearer token.
async fn reviewer(app: &TestApp) -> String {
    app.api_login().await
}

#[actix_web::test]
async fn answers_in_a_burst_are_held_out_of_the_results_until_accepted() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_APPRAISAL_BURST", "3/60")]).await;
    let token = reviewer(&app).await;
    let levels = ["satisfied"; 5];
    let (round, _) = finished_round(&app, &token, 1, &levels).await;
    let path = format!("/api/v1/staff/appraisal/rounds/{round}");
    let (_, view) = app.staff_get(&token, &path).await;
    assert_eq!(
        (view["responses"].as_u64(), view["held"].as_u64()),
        (Some(3), Some(2))
    );
    let (status, results) = app.staff_get(&token, &format!("{path}/results")).await;
    assert_eq!(status, 200, "{results}");
    assert_eq!(results["responses"], 3, "held answers are not counted");

    // The round page shows the alert with counts only.
    let cookies = app
        .signed_in_client(&app.demo.reviewer.username, &app.demo.reviewer.password)
        .await;
    let page = cookies
        .get(app.url(&format!("/staff/appraisal/{round}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("held-alert") && page.contains("刷票提醒：有 2 份答卷"),
        "{page}"
    );

    let (status, settled) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("{path}/held"),
            json!({ "decision": "accept" }),
        )
        .await;
    assert_eq!((status, settled["settled"].as_u64()), (200, Some(2)));
    let (_, results) = app.staff_get(&token, &format!("{path}/results")).await;
    assert_eq!(results["responses"], 5);
    let (_, view) = app.staff_get(&token, &path).await;
    assert_eq!(view["held"], 0);
}

#[actix_web::test]
async fn held_answers_can_be_discarded_and_slips_are_never_held() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_APPRAISAL_BURST", "2/60")]).await;
    let token = reviewer(&app).await;
    let (round, _) = finished_round(&app, &token, 1, &["satisfied"; 4]).await;
    let path = format!("/api/v1/staff/appraisal/rounds/{round}");
    let (status, settled) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("{path}/held"),
            json!({ "decision": "discard" }),
        )
        .await;
    assert_eq!((status, settled["settled"].as_u64()), (200, Some(2)));
    let (_, view) = app.staff_get(&token, &path).await;
    assert_eq!(
        (view["responses"].as_u64(), view["held"].as_u64()),
        (Some(2), Some(0))
    );

    // A slip round: four slips answered at once are all counted.
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    let units: Vec<String> = vec![
        overview["units"][0]["id"]
            .as_str()
            .expect("unit")
            .to_string(),
    ];
    let closes = mashangshuo::domain::day::day_of_unix(unix_now() + 30 * 86_400);
    let (status, created) = app
        .staff_send(
            Method::POST,
            &token,
            "/api/v1/staff/appraisal/rounds",
            json!({ "name": "发条评议", "questionnaire": "template:organisation", "mode": "slips",
                "opens_on": mashangshuo::domain::day::today(), "closes_on": closes, "subjects": units }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let slips_round = created["id"].as_str().expect("id").to_string();
    let (status, batch) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("/api/v1/staff/appraisal/rounds/{slips_round}/slips"),
            json!({ "count": 4 }),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    for url in batch["urls"].as_array().expect("urls") {
        let form = local(&app, url.as_str().expect("url"));
        let (status, page) = send(&phone(), &form, &all_rated(&units, "satisfied")).await;
        assert_eq!(status, 200, "{page}");
    }
    let (_, view) = app
        .staff_get(
            &token,
            &format!("/api/v1/staff/appraisal/rounds/{slips_round}"),
        )
        .await;
    assert_eq!(
        (view["responses"].as_u64(), view["held"].as_u64()),
        (Some(4), Some(0))
    );
}
