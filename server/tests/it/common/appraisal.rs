//! Appraisal helpers: residents' phones and answers, and a finished round made through the API.

use mashangshuo::domain::day::{day_of_unix, today, unix_now};
use reqwest::Method;
use vocabulary::appraisal::answer_field;

use super::TestApp;

/// The keys of the organisation template's rated items.
pub const ORGANISATION_ITEMS: [&str; 5] = [
    "commitments",
    "central_tasks",
    "practical_deeds",
    "team_building",
    "overall",
];

/// Every organisation-template rating of every subject at `level`.
pub fn all_rated(subjects: &[String], level: &str) -> Vec<(String, String)> {
    subjects
        .iter()
        .flat_map(|s| ORGANISATION_ITEMS.map(|k| (answer_field(s, k), level.to_string())))
        .collect()
}

/// A phone with no cookies, as residents have.
pub fn phone() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Posts a form from a phone; returns the status and the page.
pub async fn send(
    client: &reqwest::Client,
    url: &str,
    fields: &[(String, String)],
) -> (u16, String) {
    let response = client.post(url).form(fields).send().await.expect("request");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// The test server's address for a public URL (the tests' public origin is not served).
pub fn local(app: &TestApp, url: &str) -> String {
    let path = url.splitn(4, '/').nth(3).expect("path");
    app.url(&format!("/{path}"))
}

/// Opens an open-poster round of `questionnaire` (`template:organisation` or `template:member`)
/// over `subjects` from `opens_on` to `closes_on` through the API; returns its id.
pub async fn open_round_api(
    app: &TestApp,
    token: &str,
    questionnaire: &str,
    subjects: &[String],
    (opens_on, closes_on): (&str, &str),
) -> String {
    create_round_api(
        app,
        token,
        serde_json::json!({
            "name": format!("{opens_on}起群众评议"), "questionnaire": questionnaire,
            "mode": "open", "opens_on": opens_on, "closes_on": closes_on, "subjects": subjects,
        }),
    )
    .await
}

/// Creates a round from its JSON description through the API; returns its id.
async fn create_round_api(app: &TestApp, token: &str, round: serde_json::Value) -> String {
    let (status, created) = app
        .staff_send(Method::POST, token, "/api/v1/staff/appraisal/rounds", round)
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("id").to_string()
}

/// Opens a slip round named `name` of the organisation template over `subjects` through the
/// API, from today for thirty days, and issues `count` slips; returns the round's id and the
/// slips' URLs in the order they were issued.
pub async fn slip_round_api(
    app: &TestApp,
    token: &str,
    name: &str,
    subjects: &[String],
    count: usize,
) -> (String, Vec<String>) {
    let today = mashangshuo::domain::day::today();
    let closes =
        mashangshuo::domain::day::day_of_unix(mashangshuo::domain::day::unix_now() + 30 * 86_400);
    let round = create_round_api(
        app,
        token,
        serde_json::json!({
            "name": name, "questionnaire": "template:organisation", "mode": "slips",
            "opens_on": today, "closes_on": closes, "subjects": subjects,
        }),
    )
    .await;
    let (status, batch) = app
        .staff_send(
            Method::POST,
            token,
            &format!("/api/v1/staff/appraisal/rounds/{round}/slips"),
            serde_json::json!({ "count": count }),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    let urls: Vec<String> = batch["urls"]
        .as_array()
        .expect("urls")
        .iter()
        .map(|u| u.as_str().expect("url").to_string())
        .collect();
    assert_eq!(urls.len(), count);
    (round, urls)
}

/// Closes a round through the API.
pub async fn close_api(app: &TestApp, token: &str, round: &str) {
    let (status, _) = app
        .staff_send(
            Method::POST,
            token,
            &format!("/api/v1/staff/appraisal/rounds/{round}/close"),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 204);
}

/// An open organisation round of the demo group over its first `n` units, answered by one
/// phone per entry of `levels` (every item of every unit at that level) and closed; returns its
/// id and the units.
pub async fn finished_round(
    app: &TestApp,
    token: &str,
    n: usize,
    levels: &[&str],
) -> (String, Vec<String>) {
    let (status, overview) = app.staff_get(token, "/api/v1/staff/appraisal").await;
    assert_eq!(status, 200, "{overview}");
    let units: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(n)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(units.len(), n, "the demo area has enough units");
    let closes = day_of_unix(unix_now() + 30 * 86_400);
    let round = open_round_api(
        app,
        token,
        "template:organisation",
        &units,
        (&today(), &closes),
    )
    .await;
    let path = format!("/api/v1/staff/appraisal/rounds/{round}");
    let (_, view) = app.staff_get(token, &path).await;
    let form = local(app, view["public_url"].as_str().expect("public url"));
    for level in levels {
        let (status, page) = send(&phone(), &form, &all_rated(&units, level)).await;
        assert_eq!(status, 200, "{page}");
    }
    close_api(app, token, &round).await;
    (round, units)
}
