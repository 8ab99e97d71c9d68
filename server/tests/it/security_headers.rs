//! Every response carries the security headers; every page's inline script and style is one
//! the Content-Security-Policy names by its hash, and no page has an inline event handler or
//! `style` attribute the policy would block.

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::TestApp;
use common::appraisal::open_round_api;
use sha2::{Digest, Sha256};

/// A response's headers and body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

async fn fetch(app: &TestApp, path: &str) -> Answer {
    let response = app.client.get(app.url(path)).send().await.expect("request");
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

fn header<'a>(answer: &'a Answer, name: &str) -> Option<&'a str> {
    answer.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The sources of one CSP directive.
fn directive<'a>(csp: &'a str, name: &str) -> Vec<&'a str> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .unwrap_or_else(|| panic!("no {name} in {csp}"))
        .split_whitespace()
        .collect()
}

/// The text of every inline `<tag …>text</tag>` (elements with a `src` are not inline).
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at..];
        let end_of_tag = after.find('>').expect("tag end");
        let start_tag = &after[..end_of_tag];
        let body = &after[end_of_tag + 1..];
        let end = body.find(&close).expect("closing tag");
        if !start_tag.contains(" src=") {
            found.push(&body[..end]);
        }
        rest = &body[end..];
    }
    found
}

fn source_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// Checks the headers of any response, and for a page its inline pieces against the policy.
fn check(path: &str, answer: &Answer, https: bool) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        assert_eq!(header(answer, name), Some(value), "{name} on {path}");
    }
    let permissions = header(answer, "permissions-policy").expect("Permissions-Policy");
    for denied in ["camera=()", "geolocation=()", "microphone=()", "payment=()"] {
        assert!(permissions.contains(denied), "{denied} on {path}");
    }
    assert_eq!(
        header(answer, "strict-transport-security").is_some(),
        https,
        "HSTS exactly when the public URL is https, on {path}"
    );
    let csp = header(answer, "content-security-policy")
        .unwrap_or_else(|| panic!("no Content-Security-Policy on {path}"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    for fixed in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(fixed), "{fixed} missing on {path}: {csp}");
    }
    let scripts = directive(csp, "script-src");
    assert!(scripts.contains(&"'wasm-unsafe-eval'"), "{csp}");
    let styles = directive(csp, "style-src");
    let is_html = header(answer, "content-type").is_some_and(|t| t.starts_with("text/html"));
    if !is_html {
        return;
    }
    let page = &answer.body;
    let inline_scripts = inline_elements(page, "script");
    assert!(!inline_scripts.is_empty(), "{path} has its page script");
    for script in inline_scripts {
        assert!(
            scripts.contains(&source_hash(script).as_str()),
            "an inline script on {path} is not in script-src: {script}"
        );
    }
    for style in inline_elements(page, "style") {
        assert!(
            styles.contains(&source_hash(style).as_str()),
            "an inline style on {path} is not in style-src"
        );
    }
    for tag in page.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attributes = tag.split_whitespace().skip(1);
        for attribute in attributes {
            let name = attribute.split('=').next().unwrap_or_default();
            assert!(
                !(name.starts_with("on") && name.len() > 2) && name != "style",
                "{path} has <{tag}>, which the policy blocks"
            );
        }
    }
}

#[actix_web::test]
async fn every_page_and_answer_carries_the_headers_and_only_hashed_inline_code() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let (_, boxes) = app.staff_get(&token, "/api/v1/staff/boxes").await;
    let box_id = boxes[0]["id"].as_str().expect("box id").to_string();
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    let unit = overview["units"][0]["id"]
        .as_str()
        .expect("unit")
        .to_string();
    let day = mashangshuo::domain::day::today();
    let round = open_round_api(&app, &token, "template:organisation", &[unit], (&day, &day)).await;
    app.page_login().await;
    let round_poster = fetch(&app, &format!("/staff/appraisal/{round}/poster")).await;
    let form_at = round_poster
        .body
        .find("/a/")
        .expect("the poster's form address");
    let form_code: String = round_poster.body[form_at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();

    let box_path = app.box_path(0);
    let paths = [
        "/".to_string(),
        "/privacy".into(),
        "/r".into(),
        "/r?lang=en".into(),
        box_path.clone(),
        format!("/a/{form_code}"),
        "/no/such/page".into(),
        "/staff".into(),
        "/staff/boxes".into(),
        format!("/staff/boxes/{box_id}/poster"),
        format!("/staff/appraisal/{round}"),
        format!("/staff/appraisal/{round}/poster"),
        format!("/staff/boxes/{box_id}/qr.svg"),
        "/api/openapi.json".into(),
        "/healthz".into(),
    ];
    for path in &paths {
        let answer = fetch(&app, path).await;
        assert!(answer.status < 500, "{path}: {}", answer.status);
        check(path, &answer, true);
    }
    // A refused form post, answered with the page again.
    let refused = app
        .client
        .post(app.url(&box_path))
        .form(&[("category", "nonsense"), ("text", "有意见")])
        .send()
        .await
        .expect("post");
    let answer = Answer {
        status: refused.status().as_u16(),
        headers: refused.headers().clone(),
        body: refused.text().await.expect("body"),
    };
    assert_eq!(answer.status, 422);
    check("POST box form", &answer, true);
}

#[actix_web::test]
async fn strict_transport_security_only_for_an_https_public_url() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_PUBLIC_URL", "http://127.0.0.1:8080")]).await;
    for path in ["/", "/staff/login", "/api/openapi.json"] {
        let answer = fetch(&app, path).await;
        check(path, &answer, false);
    }
}

#[actix_web::test]
async fn the_print_buttons_use_no_inline_handler() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let (_, boxes) = app.staff_get(&token, "/api/v1/staff/boxes").await;
    let box_id = boxes[0]["id"].as_str().expect("box id").to_string();
    app.page_login().await;
    let poster = fetch(&app, &format!("/staff/boxes/{box_id}/poster")).await;
    assert!(poster.body.contains("data-print"), "{}", poster.body);
    assert!(
        poster.body.contains("window.print()"),
        "the page script prints"
    );
}
