//! Several `serve` processes on one database (the county layout: PostgreSQL behind a proxy):
//! each serves every flow with what the other stored, the maintenance job releases each batch
//! exactly once, a slip sent to both at once counts once, a sign-out or a password change on
//! one ends the session on the other, and the limits meant to be global (a box's hourly
//! budget, the per-account sign-in delay) hold across both. Runs on the backend `DATABASE_URL`
//! names, like every test; SQLite's file is shared by the two processes the same way.

use crate::common;

use std::time::{Duration, Instant};

use common::TestDb;
use common::appraisal::all_rated;
use common::process::{Server, api_login, seed, start_with};
use reqwest::{Client, Method};
use serde_json::{Value, json};

/// One server of the pair: its process and its address.
struct Node {
    server: Server,
    base: String,
}

impl Node {
    fn start(db: &TestDb, demo: &str, env: &[(&str, &str)]) -> Node {
        let server = start_with(db, demo, env);
        let base = format!("http://127.0.0.1:{}", server.port);
        Node { server, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The environment both servers share: each tries the job every second and releases whatever
/// waits (a batch of one), a box takes three opinions an hour before the rest are held.
const SHARED: [(&str, &str); 3] = [
    ("MASHANGSHUO_JOB_INTERVAL_SECS", "1"),
    ("MASHANGSHUO_BATCH_SIZE", "1"),
    ("MASHANGSHUO_BOX_HOURLY_BUDGET", "3"),
];

/// Sends an opinion to box `code` through `node`'s API with a token from its box page; returns
/// the receipt.
async fn send_opinion(client: &Client, node: &Node, code: &str, text: &str) -> String {
    let token = common::box_token_at(client, &node.base, code).await;
    let response = client
        .post(node.url(&format!("/api/v1/boxes/{code}/opinions")))
        .json(&json!({ "category": "suggestion", "text": text, "box_token": token }))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, 201, "{body}");
    body["receipt"].as_str().expect("receipt").to_string()
}

/// A JSON API call with a bearer token; status and body (`Null` when empty).
async fn call(
    client: &Client,
    node: &Node,
    method: Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, node.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A count from the shared database.
async fn count(db: &TestDb, sql: &'static str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let pool = mashangshuo::db::connect(&db.url, 1).expect("pool");
    actix_web::web::block(move || {
        use diesel::RunQueryDsl;
        let mut conn = pool.get().expect("connection");
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .expect("count")
            .n
    })
    .await
    .expect("thread")
}

/// Waits, up to 60 s, until no opinion waits for its batch (both servers' jobs run each
/// second); false if some still wait then.
async fn all_released(db: &TestDb) -> bool {
    let until = Instant::now() + Duration::from_secs(60);
    while count(db, "SELECT COUNT(*) AS n FROM waiting_opinions").await > 0 {
        if Instant::now() > until {
            return false;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    true
}

/// The number of opinions the "released waiting opinions" lines of a log report.
fn released_in(log: &str) -> i64 {
    log.lines()
        .filter(|line| line.contains("released waiting opinions"))
        .filter_map(|line| {
            line.split_whitespace()
                .find_map(|field| field.strip_prefix("opinions="))
                .and_then(|n| n.parse::<i64>().ok())
        })
        .sum()
}

#[actix_web::test]
async fn two_servers_on_one_database_behave_as_one() {
    let db = TestDb::create();
    let a = Node::start(&db, "auto", &SHARED);
    let demo = seed(&db);
    let b = Node::start(&db, "off", &SHARED);
    let client = Client::new();
    let boxes = db.boxes().await;
    let username = demo["reviewer"]["username"].as_str().expect("username");
    let password = demo["reviewer"]["password"].as_str().expect("password");

    // Opinions sent to either server, three to one box on each: the box's hourly budget of
    // three is one budget, so three of the six are held (待核) whichever server took them.
    let mut receipts = Vec::new();
    for n in 0..6 {
        let node = if n % 2 == 0 { &a } else { &b };
        receipts.push(
            send_opinion(
                &client,
                node,
                &boxes[0].code,
                &format!("第{n}条：村口的路灯坏了"),
            )
            .await,
        );
    }
    if !all_released(&db).await {
        let (a_out, b_out) = (a.server.stop(), b.server.stop());
        panic!(
            "the batches were never released; A:\n{}\nB:\n{}",
            a_out.log, b_out.log
        );
    }
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM opinions").await, 6);
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM opinions WHERE held").await,
        3,
        "the budget holds across both servers"
    );
    // Each receipt resolves on the other server too.
    for (n, receipt) in receipts.iter().enumerate() {
        let node = if n % 2 == 0 { &b } else { &a };
        let response = client
            .post(node.url("/api/v1/receipts/status"))
            .json(&json!({ "receipt": receipt }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200, "receipt {n}");
    }

    // A reviewer signed in on one server works on the other.
    let token = api_login(&client, &a.base, username, password).await;
    let (status, queue) = call(
        &client,
        &b,
        Method::GET,
        &token,
        "/api/v1/staff/opinions",
        None,
    )
    .await;
    assert_eq!(status, 200, "{queue}");

    // A slip round made on one server; its slip sent to both at once counts once.
    let (status, overview) = call(
        &client,
        &b,
        Method::GET,
        &token,
        "/api/v1/staff/appraisal",
        None,
    )
    .await;
    assert_eq!(status, 200, "{overview}");
    let subjects: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(2)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    let today = mashangshuo::domain::day::today();
    let closes =
        mashangshuo::domain::day::day_of_unix(mashangshuo::domain::day::unix_now() + 30 * 86_400);
    let (status, round) = call(
        &client,
        &a,
        Method::POST,
        &token,
        "/api/v1/staff/appraisal/rounds",
        Some(json!({
            "name": "两台服务器评议", "questionnaire": "template:organisation", "mode": "slips",
            "opens_on": today, "closes_on": closes, "subjects": subjects,
        })),
    )
    .await;
    assert_eq!(status, 201, "{round}");
    let round_id = round["id"].as_str().expect("id");
    let (status, slips) = call(
        &client,
        &b,
        Method::POST,
        &token,
        &format!("/api/v1/staff/appraisal/rounds/{round_id}/slips"),
        Some(json!({ "count": 1 })),
    )
    .await;
    assert_eq!(status, 201, "{slips}");
    let slip_url = slips["urls"][0].as_str().expect("slip url");
    let code = slip_url.rsplit('/').next().expect("code");
    let answers = all_rated(&subjects, "satisfied");
    let phone = common::appraisal::phone();
    let (on_a, on_b) = (a.url(&format!("/s/{code}")), b.url(&format!("/s/{code}")));
    let (first, second) = tokio::join!(
        common::appraisal::send(&phone, &on_a, &answers),
        common::appraisal::send(&phone, &on_b, &answers),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 409],
        "one answer taken, the other refused as used"
    );

    // A sign-out on one server ends the session on the other.
    let (status, _) = call(
        &client,
        &b,
        Method::POST,
        &token,
        "/api/v1/staff/logout",
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &client,
        &a,
        Method::GET,
        &token,
        "/api/v1/staff/opinions",
        None,
    )
    .await;
    assert_eq!(status, 401, "signed out on the other server too");

    // A password change on one server ends the other sessions on both.
    let kept = api_login(&client, &a.base, username, password).await;
    let other = api_login(&client, &b.base, username, password).await;
    let (status, body) = call(
        &client,
        &a,
        Method::PUT,
        &kept,
        "/api/v1/staff/password",
        Some(json!({ "current": password, "new": "a new long password for both" })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, _) = call(
        &client,
        &b,
        Method::GET,
        &other,
        "/api/v1/staff/opinions",
        None,
    )
    .await;
    assert_eq!(status, 401, "the other session ended on the other server");

    // Sign-in failures of one account count together on both servers: three on one and two
    // on the other are the five free ones, recorded once for the account.
    for n in 0..5 {
        let node = if n % 2 == 0 { &a } else { &b };
        let response = client
            .post(node.url("/api/v1/staff/login"))
            .json(&json!({ "username": username, "password": format!("wrong {n}") }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 401, "failure {n}");
    }
    assert_eq!(
        count(
            &db,
            "SELECT CAST(MAX(failures) AS BIGINT) AS n FROM sign_in_throttle"
        )
        .await,
        5,
        "one count for the account, fed by both servers"
    );

    // Every batch was released by exactly one of the two jobs.
    let (a_out, b_out) = (a.server.stop(), b.server.stop());
    assert_eq!(
        released_in(&a_out.log) + released_in(&b_out.log),
        6,
        "A:\n{}\nB:\n{}",
        a_out.log,
        b_out.log
    );
}

#[actix_web::test]
async fn a_counter_row_the_other_server_made_meanwhile_is_counted_on() {
    use diesel::prelude::*;
    use mashangshuo::db::schema::box_hour_counts;
    let app = common::TestApp::spawn().await;
    let box_id = app.db.boxes().await[0].id.clone();
    let counted = app
        .state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let row = (box_id.as_str(), 3_600_i64);
                let bump = |conn: &mut mashangshuo::db::DbConnection| {
                    diesel::update(box_hour_counts::table.find(row))
                        .set(box_hour_counts::opinions.eq(box_hour_counts::opinions + 1))
                        .execute(conn)
                };
                let create = |conn: &mut mashangshuo::db::DbConnection| {
                    diesel::insert_into(box_hour_counts::table)
                        .values((
                            box_hour_counts::box_id.eq(row.0),
                            box_hour_counts::hour.eq(row.1),
                            box_hour_counts::opinions.eq(1),
                        ))
                        .execute(conn)
                };
                // This server finds no row; the other one creates it before this one can.
                let first_look = std::cell::Cell::new(true);
                mashangshuo::db::bump_counter(
                    conn,
                    |conn| {
                        if first_look.replace(false) {
                            create(conn)?;
                            return Ok(0);
                        }
                        bump(conn)
                    },
                    create,
                )?;
                // The transaction goes on after the conflict (rolled back to a savepoint).
                Ok(box_hour_counts::table
                    .find(row)
                    .select(box_hour_counts::opinions)
                    .first::<i32>(conn)?)
            })
        })
        .await
        .expect("counted");
    assert_eq!(counted, 2, "the other server's one and this one");
}

#[actix_web::test]
async fn sign_in_failures_counted_at_once_on_several_connections_all_count() {
    use mashangshuo::db::throttle::record_sign_in_failure;
    let app = common::TestApp::spawn().await;
    let attempts = 8;
    let counts = futures_util::future::join_all((0..attempts).map(|_| {
        app.state.db(|conn| {
            // Every connection finds no row at first (on PostgreSQL the transactions overlap).
            record_sign_in_failure(conn, "an account's hash", 1_000, |failures| {
                i64::from(failures)
            })
        })
    }))
    .await;
    let mut counts: Vec<i32> = counts
        .into_iter()
        .map(|count| count.expect("a failure is counted, not refused"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=attempts).collect::<Vec<i32>>());
    let until = app
        .state
        .db(|conn| {
            mashangshuo::db::throttle::sign_in_blocked_until(conn, "an account's hash", 1_000)
        })
        .await
        .expect("read");
    assert_eq!(
        until,
        Some(1_000 + i64::from(attempts)),
        "the delay follows the last count"
    );
}
