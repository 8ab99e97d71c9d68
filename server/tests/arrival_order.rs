//! No arrival order at rest: after a release, the order in which a batch's opinions, photos and
//! submission keys are stored (SQLite rowid and byte offset in the file, PostgreSQL ctid) is
//! unrelated to the order in which they were sent.

mod common;

use common::{TestApp, images};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use mashangshuo::db::DbConnection;
use mashangshuo::service::resident;

/// Opinions per trial.
const OPINIONS: usize = 20;
/// Trials (one batch each).
const TRIALS: usize = 8;
/// Every other opinion of the first 16 carries a photo.
const PHOTO_EVERY: usize = 2;
const PHOTOS: usize = 8;

/// Kendall's tau between the sending order (the index) and `stored` (a sort key per item).
fn kendall_tau(stored: &[(i64, i64)]) -> f64 {
    let n = stored.len();
    let mut score = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            let a = stored[i];
            let b = stored[j];
            score += match a.cmp(&b) {
                std::cmp::Ordering::Less => 1,
                std::cmp::Ordering::Greater => -1,
                std::cmp::Ordering::Equal => 0,
            };
        }
    }
    score as f64 / (n * (n - 1) / 2) as f64
}

#[derive(QueryableByName)]
struct Placed {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    major: i64,
    #[diesel(sql_type = BigInt)]
    minor: i64,
}

/// Where each row of `table` sits, by `key_column`: (rowid, 0) on SQLite, (block, offset) of
/// its ctid on PostgreSQL.
fn placement(
    conn: &mut DbConnection,
    table: &str,
    key_column: &str,
) -> std::collections::HashMap<String, (i64, i64)> {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            format!("SELECT {key_column} AS key, rowid AS major, 0 AS minor FROM {table}")
        }
        DbConnection::Postgresql(_) => format!(
            "SELECT {key_column} AS key, (ctid::text::point)[0]::bigint AS major, \
             (ctid::text::point)[1]::bigint AS minor FROM {table}"
        ),
    };
    let rows: Vec<Placed> = diesel::sql_query(sql).load(conn).expect("placement");
    rows.into_iter()
        .map(|p| (p.key, (p.major, p.minor)))
        .collect()
}

/// The positions of `keys` (in sending order) in `placed`.
fn in_sending_order(
    placed: &std::collections::HashMap<String, (i64, i64)>,
    keys: &[String],
) -> Vec<(i64, i64)> {
    keys.iter()
        .map(|k| *placed.get(k).expect("every released row is stored"))
        .collect()
}

#[actix_web::test]
async fn a_released_batch_is_stored_in_no_relation_to_arrival() {
    // The periodic job stays off: the test releases each batch itself, whole.
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let code = app.box_code(0);
    let photo = images::jpeg_with_gps(64, 48);
    let keys = app.state.hasher.keys().clone();
    let mut taus = Vec::new();
    let mut photo_taus = Vec::new();
    let mut key_taus = Vec::new();
    let mut file_taus = Vec::new();
    for trial in 0..TRIALS {
        let mut bodies = Vec::new();
        let mut key_hashes = Vec::new();
        for i in 0..OPINIONS {
            let text = format!("order-probe-t{trial}-n{i:02} 村口路灯坏了好几天");
            let key = format!("{:032x}", trial * 1000 + i + 1);
            let new: frontend::model::NewOpinion = serde_json::from_value(serde_json::json!({
                "category": "suggestion",
                "text": text,
                "submission_key": key,
            }))
            .expect("opinion");
            let photos = if i % PHOTO_EVERY == 0 && i / PHOTO_EVERY < PHOTOS {
                vec![photo.clone()]
            } else {
                Vec::new()
            };
            resident::submit_opinion(&app.state, &code, &new, photos)
                .await
                .expect("stored");
            bodies.push(text);
            key_hashes.push(keys.submission_hash(&key));
        }
        let report = app.release_waiting().await;
        assert_eq!(report.released, OPINIONS, "the whole batch goes out");

        let bodies_for_db = bodies.clone();
        let hashes_for_db = key_hashes.clone();
        let (ids, opinions, photos, stored_keys) = app
            .state
            .db(move |conn| {
                use mashangshuo::db::schema::opinions;
                let mut ids = Vec::new();
                for body in &bodies_for_db {
                    ids.push(
                        opinions::table
                            .filter(opinions::body.eq(body))
                            .select(opinions::id)
                            .first::<String>(conn)?,
                    );
                }
                let opinions = in_sending_order(&placement(conn, "opinions", "id"), &ids);
                let photo_owners: Vec<String> = ids
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % PHOTO_EVERY == 0 && i / PHOTO_EVERY < PHOTOS)
                    .map(|(_, id)| id.clone())
                    .collect();
                let photos = in_sending_order(
                    &placement(conn, "opinion_photos", "opinion_id"),
                    &photo_owners,
                );
                let stored_keys = in_sending_order(
                    &placement(conn, "submission_keys", "key_hash"),
                    &hashes_for_db,
                );
                mashangshuo::db::flush_deleted(conn)?;
                Ok((ids, opinions, photos, stored_keys))
            })
            .await
            .expect("read placement");
        assert_eq!(ids.len(), OPINIONS);
        taus.push(kendall_tau(&opinions));
        photo_taus.push(kendall_tau(&photos));
        key_taus.push(kendall_tau(&stored_keys));

        if !app.db.is_postgres() {
            // After the checkpoint the file is all there is; each text is in it exactly once
            // (the holding row was overwritten on delete), at an offset unrelated to arrival.
            let file = std::fs::read(app.db.dir.path().join("mss.db")).expect("database file");
            let offsets: Vec<(i64, i64)> = bodies
                .iter()
                .map(|body| {
                    let needle = body.as_bytes();
                    let found: Vec<usize> = file
                        .windows(needle.len())
                        .enumerate()
                        .filter(|(_, w)| *w == needle)
                        .map(|(at, _)| at)
                        .collect();
                    assert_eq!(
                        found.len(),
                        1,
                        "{body} is stored once, not also in the holding table"
                    );
                    (found[0] as i64, 0)
                })
                .collect();
            file_taus.push(kendall_tau(&offsets));
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // Storing in arrival order gives tau = 1 in every trial; a fresh shuffle gives a mean near
    // 0 (its standard error over 8 trials of 20 is about 0.06, of 8 photos about 0.1).
    assert!(
        mean(&taus).abs() < 0.3,
        "opinion rows follow arrival: {taus:?}"
    );
    assert!(
        mean(&key_taus).abs() < 0.3,
        "submission keys follow arrival: {key_taus:?}"
    );
    assert!(
        mean(&photo_taus).abs() < 0.5,
        "photo rows follow arrival: {photo_taus:?}"
    );
    if !file_taus.is_empty() {
        assert!(
            mean(&file_taus).abs() < 0.3,
            "file order follows arrival: {file_taus:?}"
        );
    }
    assert!(
        taus.iter().any(|t| *t != taus[0]),
        "each batch has its own order"
    );
}

#[actix_web::test]
async fn a_waiting_opinion_is_answered_resent_and_kept_with_its_thread() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let code = app.box_code(0);
    let key = "0123456789abcdef0123456789abcdef";
    let new: frontend::model::NewOpinion = serde_json::from_value(serde_json::json!({
        "category": "suggestion",
        "text": "等待中的意见也能补充",
        "submission_key": key,
    }))
    .expect("opinion");
    let photo = images::jpeg_with_gps(64, 48);
    let first = resident::submit_opinion(&app.state, &code, &new, vec![photo.clone()])
        .await
        .expect("stored");
    let again = resident::submit_opinion(&app.state, &code, &new, vec![photo])
        .await
        .expect("resent");
    assert_eq!(
        first.receipt, again.receipt,
        "a resend while waiting gets the same receipt"
    );
    let status = resident::answer(&app.state, &first.receipt, "补充：路灯在村口东侧")
        .await
        .expect("answered while waiting");
    assert!(status.waiting.is_some());
    assert_eq!(status.thread.len(), 1);

    let report = app.release_waiting().await;
    assert_eq!(report.released, 1, "stored once");
    let status = resident::receipt_status(&app.state, &first.receipt)
        .await
        .expect("still found after release");
    assert!(status.waiting.is_none());
    assert_eq!(status.thread.len(), 1, "the thread moved with it");
    assert_eq!(status.thread[0].text, "补充：路灯在村口东侧");
    let resent = resident::submit_opinion(&app.state, &code, &new, Vec::new())
        .await
        .expect("resent after release");
    assert_eq!(resent.receipt, first.receipt, "the key moved with it");
    let (photo_count, waiting_left) = app
        .state
        .db(|conn| {
            use mashangshuo::db::schema::{opinion_photos, waiting_opinions, waiting_photos};
            let photos: i64 = opinion_photos::table.count().get_result(conn)?;
            let left: i64 = waiting_opinions::table.count().get_result(conn)?;
            let left_photos: i64 = waiting_photos::table.count().get_result(conn)?;
            Ok((photos, left + left_photos))
        })
        .await
        .expect("counts");
    assert_eq!((photo_count, waiting_left), (1, 0));
    assert_eq!(app.release_waiting().await.released, 0, "released once");
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    v: Option<String>,
}

/// Every `(table, column)` of the database except binary ones.
fn text_columns(conn: &mut DbConnection) -> Vec<(String, String)> {
    let (tables_sql, columns_sql): (&str, fn(&str) -> String) = match conn {
        DbConnection::Sqlite(_) => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            |t| format!("SELECT name FROM pragma_table_info('{t}') WHERE upper(type) <> 'BLOB'"),
        ),
        DbConnection::Postgresql(_) => (
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
            |t| {
                format!(
                    "SELECT column_name::text AS name FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name = '{t}' AND data_type <> 'bytea'"
                )
            },
        ),
    };
    let tables: Vec<Name> = diesel::sql_query(tables_sql).load(conn).expect("tables");
    let mut all = Vec::new();
    for table in tables {
        let columns: Vec<Name> = diesel::sql_query(columns_sql(&table.name))
            .load(conn)
            .expect("columns");
        all.extend(columns.into_iter().map(|c| (table.name.clone(), c.name)));
    }
    all
}

#[actix_web::test]
async fn no_stored_value_is_a_time_finer_than_the_hour() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let code = app.box_code(0);
    let photo = images::jpeg_with_gps(32, 24);
    for i in 0..4 {
        let new: frontend::model::NewOpinion = serde_json::from_value(serde_json::json!({
            "category": "suggestion",
            "text": format!("时间检查第{i}条"),
            "submission_key": format!("{:032x}", 77 + i),
        }))
        .expect("opinion");
        let receipt = resident::submit_opinion(&app.state, &code, &new, vec![photo.clone()])
            .await
            .expect("stored");
        if i == 0 {
            resident::answer(&app.state, &receipt.receipt, "补充一句")
                .await
                .expect("answer");
        }
    }
    // Two waiting, then a release: both states are scanned.
    let now = mashangshuo::domain::day::unix_now();
    let scan = |app: &TestApp| {
        let state = app.state.clone();
        async move {
            state
                .db(move |conn| {
                    let mut finer = std::collections::BTreeSet::new();
                    for (table, column) in text_columns(conn) {
                        let values: Vec<Value> = diesel::sql_query(format!(
                            "SELECT CAST(\"{column}\" AS TEXT) AS v FROM \"{table}\""
                        ))
                        .load(conn)?;
                        for v in values.into_iter().filter_map(|v| v.v) {
                            let near_now = v.parse::<i64>().is_ok_and(|n| {
                                (now - 400 * 86_400..now + 400 * 86_400).contains(&n)
                                    && n % 3600 != 0
                            });
                            let clock = v.as_bytes().windows(5).any(|w| {
                                w[0].is_ascii_digit()
                                    && w[1].is_ascii_digit()
                                    && w[2] == b':'
                                    && w[3].is_ascii_digit()
                                    && w[4].is_ascii_digit()
                            });
                            if near_now || clock {
                                finer.insert(format!("{table}.{column}"));
                            }
                        }
                    }
                    Ok(finer)
                })
                .await
                .expect("scan")
        }
    };
    // Staff-side times only: the audit trail, sessions, sign-in delays and the job's last run.
    let allowed = [
        "audit_log.at",
        "staff_sessions.expires_at",
        "sign_in_throttle.blocked_until",
        "job_runs.ran_at",
        "__diesel_schema_migrations.run_on",
    ];
    let waiting = scan(&app).await;
    app.release_waiting().await;
    let released = scan(&app).await;
    for finer in waiting.iter().chain(&released) {
        assert!(
            allowed.contains(&finer.as_str()),
            "{finer} holds a time finer than the hour"
        );
    }
}
