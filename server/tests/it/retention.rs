//! Retention: closed opinions are deleted for real when their group's time is up, leaving only
//! anonymous counts; statistics hide counts of fewer than five.

use crate::common;

use common::TestApp;
use mashangshuo::db::tallies::Tally;
use mashangshuo::domain::day::unix_now;
use mashangshuo::jobs::run_once;

const DAY: i64 = 24 * 3600;
const SENTINEL: &str = "保留期哨兵甲乙丙";

async fn close(app: &TestApp, token: &str, id: &str) {
    let (response, _) = app
        .staff_send(
            reqwest::Method::PATCH,
            token,
            &format!("/api/v1/staff/opinions/{id}"),
            serde_json::json!({ "state": "closed", "reply": "已办结" }),
        )
        .await;
    assert_eq!(response, 200);
}

async fn count_rows(app: &TestApp, table: &'static str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.state
        .db(move |conn| {
            use diesel::RunQueryDsl;
            let c: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(conn)?;
            Ok(c.n)
        })
        .await
        .expect("count")
}

#[actix_web::test]
async fn closed_opinions_are_deleted_after_retention_leaving_only_counts() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, &format!("{SENTINEL} 水塘边的护栏坏了")).await;
    let open_receipt = app.submit(1, "还在办理的意见").await;
    app.release_waiting().await;
    let token = app.api_login().await;
    let rows = app.all_opinions().await;
    let closed_id = rows
        .iter()
        .find(|o| o.body.contains(SENTINEL))
        .expect("opinion")
        .id
        .clone();
    let (asked, _) = app
        .staff_send(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/staff/opinions/{closed_id}/messages"),
            serde_json::json!({ "text": format!("{SENTINEL} 哪一段?") }),
        )
        .await;
    assert_eq!(asked, 201);
    close(&app, &token, &closed_id).await;
    assert_eq!(count_rows(&app, "opinion_messages").await, 1);

    let now = unix_now();
    let kept = run_once(&app.state, now + 364 * DAY)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(kept.deleted, 0, "kept for 365 days by default");
    let gone = run_once(&app.state, now + 367 * DAY)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(gone.deleted, 1);

    let left = app.all_opinions().await;
    assert_eq!(left.len(), 1, "the open opinion is never deleted");
    assert_eq!(left[0].body, "还在办理的意见");
    assert_eq!(count_rows(&app, "opinion_messages").await, 0);
    let (status, _) = app.receipt_status(&receipt).await;
    assert_eq!(status, 404);
    let (status, _) = app.receipt_status(&open_receipt).await;
    assert_eq!(status, 200);

    let group = app.demo_group_id().await;
    let tallies = app
        .state
        .db(move |conn| Tally::for_group(conn, &group))
        .await
        .expect("tallies");
    assert_eq!(tallies.len(), 1);
    assert_eq!(
        (tallies[0].category.as_str(), tallies[0].closed),
        ("suggestion", 1)
    );
    assert_eq!(tallies[0].month.len(), 7, "only the month is counted");

    let dump = app.db.dump();
    assert!(
        !dump
            .windows(SENTINEL.len())
            .any(|w| w == SENTINEL.as_bytes()),
        "the deleted text is gone from the database files"
    );
}

#[actix_web::test]
async fn each_group_sets_its_own_retention() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    for bad in [0, 29, 3651] {
        let (response, _) = app
            .staff_send(
                reqwest::Method::PUT,
                &token,
                "/api/v1/staff/group",
                serde_json::json!({ "retention_days": bad }),
            )
            .await;
        assert_eq!(response, 422, "{bad} days");
    }
    let (response, _) = app
        .staff_send(
            reqwest::Method::PUT,
            &token,
            "/api/v1/staff/group",
            serde_json::json!({ "retention_days": 30 }),
        )
        .await;
    assert_eq!(response, 204);
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/group").await;
    assert_eq!(overview["retention_days"], 30);

    app.submit(0, "一个月后删除").await;
    app.release_waiting().await;
    let id = app.all_opinions().await[0].id.clone();
    close(&app, &token, &id).await;
    let report = run_once(&app.state, unix_now() + 32 * DAY)
        .await
        .expect("job")
        .expect("lock");
    assert_eq!(report.deleted, 1);

    // The page form, with CSRF, sets it too.
    app.page_login().await;
    let (status, page) = app.get_text("/staff/group").await;
    assert_eq!(status, 200);
    let csrf = common::csrf_in(&page);
    let (status, _) = app
        .post_form(
            "/staff/group",
            &[("csrf", &csrf), ("retention_days", "400")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get_text("/staff/group?saved=1").await;
    assert!(page.contains("value=\"400\""), "{page}");
    // A refused value shows the form again with the reason and the value as typed.
    for bad in ["5", "几天"] {
        let (status, page) = app
            .post_form("/staff/group", &[("csrf", &csrf), ("retention_days", bad)])
            .await;
        assert_eq!(status, 422);
        assert!(page.contains("data-testid=\"retention-form\""), "{page}");
        assert!(page.contains("data-testid=\"form-error\""), "{page}");
        assert!(page.contains(&format!("value=\"{bad}\"")), "{page}");
    }
    let (_, page) = app.get_text("/staff/group").await;
    assert!(page.contains("value=\"400\""), "nothing changed: {page}");
    let (status, _) = app
        .post_form(
            "/staff/group",
            &[("csrf", "forged"), ("retention_days", "31")],
        )
        .await;
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn statistics_hide_counts_of_fewer_than_five() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        app.submit(0, &format!("张家村的建议 {i}")).await;
    }
    for i in 0..2 {
        app.submit(1, &format!("李家湾村的建议 {i}")).await;
    }
    app.release_waiting().await;
    let token = app.api_login().await;
    let (status, overview) = app.staff_get(&token, "/api/v1/staff/group").await;
    assert_eq!(status, 200);
    assert_eq!(overview["min_group_size"], 5);
    let stats = &overview["stats"];
    assert_eq!(stats["columns"][0], "suggestion");
    let row = |village: &str| {
        stats["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["village"] == village)
            .expect("village row")
            .clone()
    };
    let small = row("李家湾村");
    assert!(small["cells"][0].is_null(), "2 is hidden: {stats}");
    assert!(small["total"].is_null());
    // 7 in the column minus a visible 5 would give the 2 away, so the 5 is hidden too.
    assert!(row("张家村")["cells"][0].is_null(), "{stats}");
    assert_eq!(stats["column_totals"][0], 7);
    assert_eq!(
        row("石桥村")["cells"][0],
        0,
        "zeros show: nobody is behind them"
    );

    app.page_login().await;
    let (_, page) = app.get_text("/staff/group").await;
    assert!(page.contains("&lt;5"), "hidden cells read <5");
    assert!(!page.contains("李家湾村的建议"));
}
