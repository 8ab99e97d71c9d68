//! The API's routes and its OpenAPI document are one registration (`routes/api.rs`): every
//! documented operation is served by its handler, and on a documented path every method the
//! document does not list is answered as an unknown route. The source check below keeps the
//! API's modules from registering a route beside its documentation.

use crate::common;

use common::TestApp;
use reqwest::Method;
use serde_json::Value;

/// The methods the API uses.
const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// A path template with every `{parameter}` filled: `1`, which every parameter type reads.
fn filled(template: &str) -> String {
    let mut path = String::new();
    let mut in_parameter = false;
    for c in template.chars() {
        match c {
            '{' => in_parameter = true,
            '}' => {
                in_parameter = false;
                path.push('1');
            }
            _ if !in_parameter => path.push(c),
            _ => {}
        }
    }
    path
}

/// Whether a concrete path falls under a path template (`{parameter}` takes one segment).
fn falls_under(path: &str, template: &str) -> bool {
    let (path, template): (Vec<_>, Vec<_>) =
        (path.split('/').collect(), template.split('/').collect());
    path.len() == template.len()
        && path
            .iter()
            .zip(&template)
            .all(|(segment, pattern)| pattern.starts_with('{') || segment == pattern)
}

/// Whether an answer is the one for a route nobody registered: the scope's JSON `not_found`
/// (or, on a resource that has the path but not the method, 405).
fn is_unknown_route(status: u16, body: &Value) -> bool {
    status == 405 || (status == 404 && body["code"] == "not_found")
}

#[actix_web::test]
async fn every_documented_operation_is_served_and_no_other_method_is() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("document")
        .json()
        .await
        .expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() > 40, "only {} paths", paths.len());
    let mut served = 0;
    for (template, item) in paths {
        let path = filled(template);
        for method in METHODS {
            let name = method.as_str().to_lowercase();
            let documented = item.get(&name).is_some();
            // `PATCH /staff/opinions/counts` is `PATCH /staff/opinions/{id}` with the id "counts".
            let under_another = paths.iter().any(|(other, item)| {
                other != template && item.get(&name).is_some() && falls_under(&path, other)
            });
            // No token: a staff handler answers 401, a resident one reads `{}` and refuses it
            // or finds no box or receipt `1`; none answers the unknown route's `not_found`.
            let response = app
                .client
                .request(method.clone(), app.url(&path))
                .json(&serde_json::json!({}))
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if documented {
                served += 1;
                assert!(
                    !is_unknown_route(status, &body),
                    "{method} {template} is documented but not served: {status} {body}"
                );
            } else if !under_another {
                assert!(
                    is_unknown_route(status, &body),
                    "{method} {template} is served ({status} {body}) but not documented"
                );
            }
        }
    }
    assert!(served > 60, "only {served} operations");
}

/// The API's modules register routes only through `utoipa_actix_web`'s `service`, which takes a
/// handler's documentation with it; a plain actix `route`, `resource`, `to` or `map` there would
/// serve a route the document does not have. (`SubmitOpinion` registers its resource under the
/// path its documentation gives.)
#[test]
fn the_api_modules_register_nothing_beside_the_documentation() {
    let modules = [
        ("api.rs", include_str!("../../src/routes/api.rs")),
        (
            "resident_api.rs",
            include_str!("../../src/routes/resident_api.rs"),
        ),
        (
            "staff_api.rs",
            include_str!("../../src/routes/staff_api.rs"),
        ),
        (
            "admin_api.rs",
            include_str!("../../src/routes/admin_api.rs"),
        ),
        (
            "subjects_api.rs",
            include_str!("../../src/routes/subjects_api.rs"),
        ),
        ("held_api.rs", include_str!("../../src/routes/held_api.rs")),
        (
            "issues_api.rs",
            include_str!("../../src/routes/issues_api.rs"),
        ),
        (
            "appraisal_api.rs",
            include_str!("../../src/routes/appraisal_api.rs"),
        ),
        (
            "statistics_api.rs",
            include_str!("../../src/routes/statistics_api.rs"),
        ),
    ];
    let undocumented = [
        ".route(",
        "web::resource(",
        "web::scope(",
        ".map(",
        "web::get()",
    ];
    for (name, source) in modules {
        for (number, line) in source.lines().enumerate() {
            let line = line.replace("utoipa_actix_web::scope(", "");
            let allowed = name == "resident_api.rs"
                && line.contains("web::resource(<Self as utoipa::Path>::path())");
            for call in undocumented {
                assert!(
                    allowed || !line.contains(call),
                    "{name}:{}: `{call}` registers a route outside the documentation",
                    number + 1
                );
            }
        }
    }
}
