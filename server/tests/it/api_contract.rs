//! Requests the extractors refuse get the API's JSON problem, never actix's plain text or the
//! HTML not-found page, and the OpenAPI document lists those answers for every operation.
//! (`scripts/api-check.sh` checks the whole document against the live server.)

use crate::common;

use common::TestApp;
use reqwest::Method;
use serde_json::Value;

/// Status, content type and JSON body of a response.
async fn answer(request: reqwest::RequestBuilder) -> (u16, String, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, content_type, body)
}

#[actix_web::test]
async fn refused_requests_are_answered_with_the_json_problem() {
    let app = TestApp::spawn().await;
    let token = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "a query parameter of the wrong type",
            app.client
                .get(app.url("/api/v1/staff/audit?before=yesterday"))
                .bearer_auth(&token),
            400,
            "bad_request",
        ),
        (
            "a photo number that is no number",
            app.client
                .get(app.url("/api/v1/staff/opinions/x/photos/first"))
                .bearer_auth(&token),
            404,
            "not_found",
        ),
        (
            "a body that is not JSON",
            app.client
                .post(app.url("/api/v1/receipts/status"))
                .header("Content-Type", "text/plain")
                .body("1234"),
            400,
            "bad_request",
        ),
        (
            "JSON over 16 KB",
            app.client
                .post(app.url("/api/v1/staff/login"))
                .header("Content-Type", "application/json")
                .body(format!("{{\"username\":\"{}\"}}", "a".repeat(20_000))),
            413,
            "body_too_large",
        ),
        (
            "an unknown path",
            app.client.get(app.url("/api/v1/no/such/thing")),
            404,
            "not_found",
        ),
        (
            "an unknown admin path",
            app.client.get(app.url("/api/v1/admin/nothing")),
            404,
            "not_found",
        ),
        (
            "a method the path does not have",
            app.client
                .request(Method::DELETE, app.url("/api/v1/staff/boxes")),
            404,
            "not_found",
        ),
    ];
    for (what, request, status, code) in cases {
        let (got, content_type, body) = answer(request).await;
        assert_eq!(got, status, "{what}: {body}");
        assert_eq!(content_type, "application/json", "{what}");
        assert_eq!(body["code"], code, "{what}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// A failure is told in the language the request asks for, whether the bearer token was
/// refused before the handler ran or the service refused what the handler asked.
#[actix_web::test]
async fn failures_are_told_in_the_language_asked_for() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let nobody = "/api/v1/staff/opinions/00000000-0000-0000-0000-000000000000";
    let cases = [
        (
            "no token",
            app.client.get(app.url("/api/v1/staff/opinions")),
            None,
            401,
            "unauthorized",
        ),
        (
            "a forged token",
            app.client.get(app.url("/api/v1/staff/opinions")),
            Some("forged"),
            401,
            "unauthorized",
        ),
        (
            "an opinion that does not exist",
            app.client.get(app.url(nobody)),
            Some(token.as_str()),
            404,
            "not_found",
        ),
    ];
    for (what, request, bearer, status, code) in cases {
        let request = match bearer {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        let chinese = request.try_clone().expect("clone");
        let english = request.query(&[("lang", "en")]);
        let (got, _, zh) = answer(chinese).await;
        assert_eq!(
            (got, zh["code"].as_str()),
            (status, Some(code)),
            "{what}: {zh}"
        );
        let (got, _, en) = answer(english).await;
        assert_eq!(
            (got, en["code"].as_str()),
            (status, Some(code)),
            "{what}: {en}"
        );
        let (zh, en) = (
            zh["message"].as_str().expect("message"),
            en["message"].as_str().expect("message"),
        );
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{what}: {zh}"
        );
        assert!(
            en.is_ascii() && en.chars().any(|c| c.is_ascii_alphabetic()),
            "{what}: {en}"
        );
    }
}

#[actix_web::test]
async fn the_document_describes_the_shared_problem_answers() {
    let app = TestApp::spawn().await;
    let (status, content_type, doc) = answer(app.client.get(app.url("/api/openapi.json"))).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/json");
    let shared = &doc["components"]["responses"];
    for name in [
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "PayloadTooLarge",
    ] {
        assert_eq!(
            shared[name]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError",
            "{name}"
        );
    }
    assert!(shared["TooManyRequests"]["headers"]["Retry-After"].is_object());
    let login = &doc["paths"]["/api/v1/staff/login"]["post"]["responses"];
    assert_eq!(
        login["429"]["$ref"],
        "#/components/responses/TooManyRequests"
    );
    assert_eq!(
        login["413"]["$ref"],
        "#/components/responses/PayloadTooLarge"
    );
    let photo = &doc["paths"]["/api/v1/staff/opinions/{id}/photos/{number}"]["get"]["responses"];
    for status in ["400", "401", "403", "404", "503"] {
        assert!(photo[status]["$ref"].is_string(), "photo {status}");
    }
}
