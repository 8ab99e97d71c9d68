//! Sentinel values sent in every identifying header never reach the database or the logs.
//! The real binary runs as a child process so its whole log output can be read.

use crate::common;

use common::TestDb;
use common::images::{FILE_NAME, GPS_SECONDS, MAKER, in_dump};
use common::process::{api_login, seed, start_with};

const SENTINELS: [&str; 5] = [
    "203.0.113.77",
    "SentinelUA-5150",
    "sentinel-referer.example",
    "cookie-5150",
    "198.51.100.9",
];

fn nosy_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("X-Forwarded-For", "203.0.113.77".parse().expect("header"));
    headers.insert("X-Real-IP", "198.51.100.9".parse().expect("header"));
    headers.insert("Forwarded", "for=198.51.100.9".parse().expect("header"));
    headers.insert(
        "Referer",
        "https://sentinel-referer.example/page"
            .parse()
            .expect("header"),
    );
    headers.insert("Cookie", "tracking=cookie-5150".parse().expect("header"));
    reqwest::Client::builder()
        .user_agent("Mozilla/5.0 SentinelUA-5150")
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[actix_web::test]
async fn identifying_headers_reach_neither_database_nor_logs() {
    let db = TestDb::create();
    let demo = seed(&db);
    // At the most verbose level, dependencies included.
    let server = start_with(&db, "off", &[("RUST_LOG", "trace")]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let code = demo["boxes"][0]["url"]
        .as_str()
        .expect("url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_string();
    let client = nosy_client();

    let page = client
        .get(format!("{base}/b/{code}"))
        .send()
        .await
        .expect("box page");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers().get("set-cookie").is_none());
    let token = common::box_token_at(&client, &base, &code).await;
    let api = client
        .post(format!("{base}/api/v1/boxes/{code}/opinions"))
        .json(&serde_json::json!({ "category": "conduct", "text": "隐私哨兵意见甲", "box_token": token }))
        .send()
        .await
        .expect("api submit");
    assert_eq!(api.status().as_u16(), 201);
    let receipt = api.json::<serde_json::Value>().await.expect("json")["receipt"]
        .as_str()
        .expect("receipt")
        .to_string();
    let form = client
        .post(format!("{base}/b/{code}"))
        .form(&[
            ("category", "other"),
            ("text", "隐私哨兵意见乙"),
            (
                "box_token",
                &common::box_token_at(&client, &base, &code).await,
            ),
        ])
        .send()
        .await
        .expect("form submit");
    assert_eq!(form.status().as_u16(), 200);
    let status = client
        .post(format!("{base}/r"))
        .form(&[("receipt", receipt.as_str())])
        .send()
        .await
        .expect("status");
    assert_eq!(status.status().as_u16(), 200);
    let answer = client
        .post(format!("{base}/r/answer"))
        .form(&[("receipt", receipt.as_str()), ("text", "隐私哨兵补充")])
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status().as_u16(), 200);
    let upload = common::send_with_photo(&client, &base, &code, "隐私哨兵照片", FILE_NAME).await;
    assert_eq!(upload.status().as_u16(), 201);
    let login = client
        .post(format!("{base}/staff/login"))
        .form(&[
            (
                "username",
                demo["reviewer"]["username"].as_str().expect("user"),
            ),
            (
                "password",
                demo["reviewer"]["password"].as_str().expect("password"),
            ),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status().as_u16(), 303);
    // An appraisal answer through an open poster round.
    let staff = reqwest::Client::new();
    let token = api_login(
        &staff,
        &base,
        demo["reviewer"]["username"].as_str().expect("username"),
        demo["reviewer"]["password"].as_str().expect("password"),
    )
    .await;
    let overview: serde_json::Value = staff
        .get(format!("{base}/api/v1/staff/appraisal"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("overview")
        .json()
        .await
        .expect("json");
    let units: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(2)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    let today = mashangshuo::domain::day::today();
    let closes =
        mashangshuo::domain::day::day_of_unix(mashangshuo::domain::day::unix_now() + 30 * 86_400);
    let round: serde_json::Value = staff
        .post(format!("{base}/api/v1/staff/appraisal/rounds"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "name": "隐私哨兵评议", "questionnaire": "template:organisation", "mode": "open",
            "opens_on": today, "closes_on": closes, "subjects": units,
        }))
        .send()
        .await
        .expect("round")
        .json()
        .await
        .expect("json");
    let round_id = round["id"].as_str().expect("round id");
    let view: serde_json::Value = staff
        .get(format!("{base}/api/v1/staff/appraisal/rounds/{round_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("round view")
        .json()
        .await
        .expect("json");
    let public_url = view["public_url"].as_str().expect("public url");
    let round_code = public_url.rsplit('/').next().expect("code").to_string();
    let answers = common::appraisal::all_rated(&units, "basically_satisfied");
    let answered = client
        .post(format!("{base}/a/{round_code}"))
        .form(&answers)
        .send()
        .await
        .expect("appraisal answer");
    assert_eq!(answered.status().as_u16(), 200);
    let log = server.stop().log;

    assert!(
        log.contains("route=/staff/login"),
        "the log was captured: {log}"
    );
    assert!(
        !log.contains("route=/b/") && !log.contains("route=/api/v1/boxes"),
        "no timestamped line per submission: {log}"
    );
    let stored = db.dump();
    let stored_text = String::from_utf8_lossy(&stored);
    assert!(
        stored_text.contains("隐私哨兵意见甲") && stored_text.contains("隐私哨兵补充"),
        "the database scan sees stored text"
    );
    for sentinel in SENTINELS {
        assert!(
            !log.contains(sentinel),
            "{sentinel} leaked into the log:\n{log}"
        );
        assert!(
            !stored_text.contains(sentinel),
            "{sentinel} leaked into the database"
        );
    }
    for needle in [
        MAKER.as_bytes(),
        FILE_NAME.as_bytes(),
        &GPS_SECONDS.to_le_bytes(),
    ] {
        assert!(
            !in_dump(&stored, needle),
            "photo metadata {needle:?} reached the database"
        );
    }
    assert!(!log.contains(MAKER) && !log.contains(FILE_NAME));
    assert!(
        !stored_text.contains(&receipt),
        "the receipt is stored only as a hash"
    );
    assert!(!log.contains(&receipt), "the receipt is never logged");
    assert!(
        !log.contains("隐私哨兵意见"),
        "opinion text is never logged"
    );
    assert!(
        !log.contains(&code),
        "concrete paths are not logged, only route patterns"
    );
    assert!(
        !log.contains("route=/a/") && !log.contains(&round_code),
        "no timestamped line per appraisal answer: {log}"
    );
    for (field, value) in &answers {
        assert!(
            !log.contains(field.as_str()),
            "an answer's field is never logged"
        );
        assert!(!log.contains(value.as_str()), "an answer is never logged");
    }
}
