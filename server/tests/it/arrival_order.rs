//! No arrival order at rest: after a release, the order in which a batch's opinions, photos and
//! submission keys are stored (SQLite rowid and byte offset in the file, PostgreSQL ctid) is
//! unrelated to the order in which they were sent; so is the order of everything else a
//! resident writes (appraisal responses, answers and used slips, spent box-page tokens, replies
//! to released opinions) and of the per-hour counters.

use crate::common;

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

/// The byte offsets of `texts` (in sending order) in the checkpointed SQLite file; each must be
/// there exactly once (its holding row was overwritten on delete).
fn file_offsets(app: &TestApp, texts: &[String]) -> Vec<(i64, i64)> {
    let file = std::fs::read(app.db.dir.path().join("mss.db")).expect("database file");
    texts
        .iter()
        .map(|text| {
            let needle = text.as_bytes();
            let found: Vec<usize> = file
                .windows(needle.len())
                .enumerate()
                .filter(|(_, w)| *w == needle)
                .map(|(at, _)| at)
                .collect();
            assert_eq!(
                found.len(),
                1,
                "{text} is stored once, not also in the holding table"
            );
            (found[0] as i64, 0)
        })
        .collect()
}

/// The mean of some Kendall taus.
fn mean(taus: &[f64]) -> f64 {
    taus.iter().sum::<f64>() / taus.len() as f64
}

/// A fresh random order of `0..n`.
fn shuffled(n: usize) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rand::rng());
    order
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
            let new: vocabulary::model::NewOpinion = serde_json::from_value(serde_json::json!({
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
            file_taus.push(kendall_tau(&file_offsets(&app, &bodies)));
        }
    }
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
    let new: vocabulary::model::NewOpinion = serde_json::from_value(serde_json::json!({
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
        let new: vocabulary::model::NewOpinion = serde_json::from_value(serde_json::json!({
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
                        // A receipt's keyed 32-bit tag is uniform over 0..2^32, so about one
                        // in sixty falls in the window below; it is no time.
                        if column == "receipt_tag" {
                            continue;
                        }
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

/// Answers per trial of the appraisal, token and reply tests.
const ANSWERS: usize = 20;

/// A slip round of the demo group over its first two units, opened through the API with
/// `slips` slips; returns its subjects and the slips' codes (in the order they were issued).
async fn slip_round(app: &TestApp, slips: usize) -> (Vec<String>, Vec<String>) {
    let token = app.api_login().await;
    let (status, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    assert_eq!(status, 200, "{overview}");
    let units: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(2)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    let (_, urls) =
        common::appraisal::slip_round_api(app, &token, "到达顺序评议", &units, slips).await;
    let codes: Vec<String> = urls
        .iter()
        .map(|url| url.rsplit('/').next().expect("code").to_string())
        .collect();
    (units, codes)
}

/// Every rated item of the organisation template at "satisfied", and `text` as the suggestion.
fn answered(units: &[String], text: &str) -> std::collections::HashMap<String, String> {
    let mut fields: std::collections::HashMap<String, String> =
        common::appraisal::all_rated(units, "satisfied")
            .into_iter()
            .collect();
    fields.insert(
        vocabulary::appraisal::answer_field(&units[0], "suggestions"),
        text.to_string(),
    );
    fields
}

#[actix_web::test]
async fn appraisal_answers_and_used_slips_are_stored_in_no_relation_to_arrival() {
    use mashangshuo::service::appraisal_resident::{self, Entry};
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let (units, codes) = slip_round(&app, ANSWERS * TRIALS).await;
    let keys = app.state.hasher.keys().clone();
    let (mut response_taus, mut answer_taus, mut slip_taus, mut file_taus) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for trial in 0..TRIALS {
        // Slips redeemed in another order than they were printed, as people come.
        let issued = &codes[trial * ANSWERS..(trial + 1) * ANSWERS];
        let (mut texts, mut change_hashes, mut slip_hashes) = (Vec::new(), Vec::new(), Vec::new());
        for (n, i) in shuffled(ANSWERS).into_iter().enumerate() {
            let text = format!("评议到达探针t{trial}n{n:02}路灯要修");
            let (key, _) = appraisal_resident::answer(
                &app.state,
                &Entry::Slip(issued[i].clone()),
                answered(&units, &text),
            )
            .await
            .expect("answer taken");
            texts.push(text);
            change_hashes.push(keys.change_hash(&key));
            slip_hashes.push(keys.slip_hash(&issued[i]));
        }
        let waiting = app
            .state
            .db(|conn| {
                use mashangshuo::db::schema::{waiting_responses, waiting_slips};
                let r: i64 = waiting_responses::table.count().get_result(conn)?;
                let s: i64 = waiting_slips::table.count().get_result(conn)?;
                Ok((r, s))
            })
            .await
            .expect("count");
        assert_eq!(waiting, (ANSWERS as i64, ANSWERS as i64), "they wait");
        let report = app.release_waiting().await;
        assert!(report.holding_released >= 2 * ANSWERS, "{report:?}");

        let texts_for_db = texts.clone();
        let (responses, answers, slips) = app
            .state
            .db(move |conn| {
                let responses =
                    in_sending_order(&placement(conn, "responses", "change_hash"), &change_hashes);
                let answers = in_sending_order(
                    &placement(conn, "answers", "COALESCE(text, '')"),
                    &texts_for_db,
                );
                let slips = in_sending_order(&placement(conn, "slips", "code_hash"), &slip_hashes);
                let used: i64 = {
                    use mashangshuo::db::schema::slips;
                    slips::table
                        .filter(slips::code_hash.eq_any(&slip_hashes))
                        .filter(slips::used.eq(true))
                        .count()
                        .get_result(conn)?
                };
                assert_eq!(used, ANSWERS as i64, "each slip is marked used at release");
                mashangshuo::db::flush_deleted(conn)?;
                Ok((responses, answers, slips))
            })
            .await
            .expect("read placement");
        response_taus.push(kendall_tau(&responses));
        answer_taus.push(kendall_tau(&answers));
        slip_taus.push(kendall_tau(&slips));
        if !app.db.is_postgres() {
            file_taus.push(kendall_tau(&file_offsets(&app, &texts)));
        }
        // A used slip stays used after its release.
        let again = appraisal_resident::answer(
            &app.state,
            &Entry::Slip(issued[0].clone()),
            answered(&units, "再来一次"),
        )
        .await;
        assert!(again.is_err(), "a released slip is still used");
    }
    // Storing in arrival order gives tau = 1 in every trial (PostgreSQL writes a used slip's
    // new tuple where the update happens); a fresh shuffle gives a mean near 0.
    for (what, taus) in [
        ("responses", &response_taus),
        ("answers", &answer_taus),
        ("used slips", &slip_taus),
        ("answer texts in the file", &file_taus),
    ] {
        if !taus.is_empty() {
            assert!(mean(taus).abs() < 0.3, "{what} follow arrival: {taus:?}");
        }
    }
}

#[actix_web::test]
async fn a_changed_appraisal_answer_goes_back_to_the_holding_table() {
    use mashangshuo::service::appraisal_resident::{self, Entry};
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let (units, codes) = slip_round(&app, 2).await;
    let (key, round_code) = appraisal_resident::answer(
        &app.state,
        &Entry::Slip(codes[0].clone()),
        answered(&units, "第一次的建议"),
    )
    .await
    .expect("answer");
    appraisal_resident::answer(
        &app.state,
        &Entry::Slip(codes[1].clone()),
        answered(&units, "别人的建议"),
    )
    .await
    .expect("answer");
    let counts = |app: &TestApp| {
        let state = app.state.clone();
        async move {
            state
                .db(|conn| {
                    use mashangshuo::db::schema::{
                        answers, responses, waiting_answers, waiting_responses,
                    };
                    let texts: Vec<Option<String>> =
                        answers::table.select(answers::text).load(conn)?;
                    let waiting_texts: Vec<Option<String>> = waiting_answers::table
                        .select(waiting_answers::text)
                        .load(conn)?;
                    Ok((
                        responses::table.count().get_result::<i64>(conn)?,
                        waiting_responses::table.count().get_result::<i64>(conn)?,
                        texts.into_iter().flatten().collect::<Vec<_>>(),
                        waiting_texts.into_iter().flatten().collect::<Vec<_>>(),
                    ))
                })
                .await
                .expect("counts")
        }
    };
    let (released, waiting, _, held_texts) = counts(&app).await;
    assert_eq!((released, waiting, held_texts.len()), (0, 2, 2));
    app.release_waiting().await;
    let (released, waiting, _, _) = counts(&app).await;
    assert_eq!((released, waiting), (2, 0), "released together");

    appraisal_resident::change(
        &app.state,
        &round_code,
        &key,
        answered(&units, "改过的建议"),
    )
    .await
    .expect("changed");
    let (released, waiting, texts, held_texts) = counts(&app).await;
    assert_eq!(
        (released, waiting),
        (1, 1),
        "the changed response waits again"
    );
    assert_eq!(texts, vec!["别人的建议".to_string()]);
    assert_eq!(held_texts, vec!["改过的建议".to_string()]);
    app.release_waiting().await;
    let (released, waiting, mut texts, _) = counts(&app).await;
    texts.sort();
    assert_eq!((released, waiting), (2, 0));
    assert_eq!(
        texts,
        vec!["别人的建议".to_string(), "改过的建议".to_string()]
    );
}

#[actix_web::test]
async fn spent_box_page_tokens_are_stored_in_no_relation_to_arrival() {
    use mashangshuo::service::box_token;
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let secret = app.state.config.secret.clone();
    let mut taus = Vec::new();
    for trial in 0..TRIALS {
        let mut hashes = Vec::new();
        for i in 0..ANSWERS {
            let token = box_token::issue(&secret);
            let key = format!("{:032x}", 0xabc000 + trial * 100 + i);
            box_token::spend(&app.state, Some(&token), Some(&key))
                .await
                .expect("spent");
            assert!(
                box_token::spend(&app.state, Some(&token), None)
                    .await
                    .is_err(),
                "a waiting token is spent already"
            );
            hashes.push(box_token::spent_hash(&secret, &token));
        }
        let report = app.release_waiting().await;
        assert!(report.holding_released >= ANSWERS, "{report:?}");
        let stored = app
            .state
            .db(move |conn| {
                Ok(in_sending_order(
                    &placement(conn, "used_tokens", "token_hash"),
                    &hashes,
                ))
            })
            .await
            .expect("placement");
        taus.push(kendall_tau(&stored));
    }
    assert!(
        mean(&taus).abs() < 0.3,
        "spent tokens follow arrival: {taus:?}"
    );
}

#[actix_web::test]
async fn replies_to_released_opinions_are_stored_in_no_relation_to_arrival() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let code = app.box_code(0);
    let mut receipts = Vec::new();
    for i in 0..ANSWERS {
        let new: vocabulary::model::NewOpinion = serde_json::from_value(serde_json::json!({
            "category": "suggestion",
            "text": format!("等回复的意见{i:02}"),
        }))
        .expect("opinion");
        let receipt = resident::submit_opinion(&app.state, &code, &new, Vec::new())
            .await
            .expect("stored");
        receipts.push(receipt.receipt);
    }
    assert_eq!(app.release_waiting().await.released, ANSWERS);
    let (mut taus, mut file_taus) = (Vec::new(), Vec::new());
    for trial in 0..TRIALS {
        let mut bodies = Vec::new();
        for (n, i) in shuffled(ANSWERS).into_iter().enumerate() {
            let text = format!("回复到达探针t{trial}n{n:02}在村口东侧");
            let status = resident::answer(&app.state, &receipts[i], &text)
                .await
                .expect("answered");
            assert_eq!(
                status.thread.last().map(|m| m.text.as_str()),
                Some(text.as_str()),
                "the reply shows in the thread at once"
            );
            bodies.push(text);
        }
        let report = app.release_waiting().await;
        assert_eq!(report.holding_released, ANSWERS, "{report:?}");
        let bodies_for_db = bodies.clone();
        let stored = app
            .state
            .db(move |conn| {
                let stored =
                    in_sending_order(&placement(conn, "opinion_messages", "body"), &bodies_for_db);
                mashangshuo::db::flush_deleted(conn)?;
                Ok(stored)
            })
            .await
            .expect("placement");
        taus.push(kendall_tau(&stored));
        if !app.db.is_postgres() {
            file_taus.push(kendall_tau(&file_offsets(&app, &bodies)));
        }
    }
    let status = resident::receipt_status(&app.state, &receipts[0])
        .await
        .expect("status");
    assert_eq!(
        status.thread.len(),
        TRIALS,
        "every reply kept, in its thread's order"
    );
    assert!(
        status
            .thread
            .iter()
            .enumerate()
            .all(|(t, m)| m.text.contains(&format!("t{t}n"))),
        "{:?}",
        status.thread
    );
    assert!(mean(&taus).abs() < 0.3, "replies follow arrival: {taus:?}");
    if !file_taus.is_empty() {
        assert!(
            mean(&file_taus).abs() < 0.3,
            "file order follows arrival: {file_taus:?}"
        );
    }
}

#[actix_web::test]
async fn counters_are_rewritten_in_no_relation_to_when_they_were_bumped() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_JOB_INTERVAL_SECS", "0")]).await;
    let (_, _) = slip_round(&app, 1).await;
    let box_id = app.db.boxes().await[0].id.clone();
    let mut created_taus = Vec::new();
    let mut bumped_taus = Vec::new();
    for trial in 0..TRIALS {
        // Rows created in one order (the first opinion of each hour) and bumped last in
        // another; PostgreSQL writes a new tuple for each bump.
        let base = 1_000_000 * 3600 + (trial * ANSWERS) as i64 * 3600;
        let hours: Vec<i64> = (0..ANSWERS as i64).map(|k| base + k * 3600).collect();
        let bumps = shuffled(ANSWERS);
        let box_for_db = box_id.clone();
        let hours_for_db = hours.clone();
        let (created, bumped) = app
            .state
            .db(move |conn| {
                use mashangshuo::db::schema::{appraisal_bursts, box_hour_counts, rounds};
                let round: String = rounds::table.select(rounds::id).first(conn)?;
                diesel::delete(box_hour_counts::table).execute(conn)?;
                diesel::delete(appraisal_bursts::table).execute(conn)?;
                for hour in &hours_for_db {
                    diesel::insert_into(box_hour_counts::table)
                        .values((
                            box_hour_counts::box_id.eq(&box_for_db),
                            box_hour_counts::hour.eq(hour),
                            box_hour_counts::opinions.eq(1),
                        ))
                        .execute(conn)?;
                    diesel::insert_into(appraisal_bursts::table)
                        .values((
                            appraisal_bursts::round_id.eq(&round),
                            appraisal_bursts::window_no.eq(hour),
                            appraisal_bursts::answers.eq(1),
                        ))
                        .execute(conn)?;
                }
                for k in &bumps {
                    diesel::update(box_hour_counts::table.find((&box_for_db, hours_for_db[*k])))
                        .set(box_hour_counts::opinions.eq(box_hour_counts::opinions + 1))
                        .execute(conn)?;
                    diesel::update(appraisal_bursts::table.find((&round, hours_for_db[*k])))
                        .set(appraisal_bursts::answers.eq(appraisal_bursts::answers + 1))
                        .execute(conn)?;
                }
                conn.write_transaction(mashangshuo::db::holding::shuffle_counters)?;
                let mut created = Vec::new();
                let mut bumped = Vec::new();
                for (table, key) in [
                    ("box_hour_counts", "CAST(hour AS TEXT)"),
                    ("appraisal_bursts", "CAST(window_no AS TEXT)"),
                ] {
                    let placed = placement(conn, table, key);
                    let in_order = |order: &[usize]| {
                        order
                            .iter()
                            .map(|k| placed[&hours_for_db[*k].to_string()])
                            .collect::<Vec<_>>()
                    };
                    created.push(in_order(&(0..ANSWERS).collect::<Vec<_>>()));
                    bumped.push(in_order(&bumps));
                }
                let kept: Vec<i32> = box_hour_counts::table
                    .select(box_hour_counts::opinions)
                    .load(conn)?;
                assert!(kept.iter().all(|n| *n == 2), "counts kept: {kept:?}");
                Ok((created, bumped))
            })
            .await
            .expect("counters");
        created_taus.extend(created.iter().map(|p| kendall_tau(p)));
        bumped_taus.extend(bumped.iter().map(|p| kendall_tau(p)));
    }
    assert!(
        mean(&created_taus).abs() < 0.3,
        "counters follow their creation: {created_taus:?}"
    );
    assert!(
        mean(&bumped_taus).abs() < 0.3,
        "counters follow their last bump: {bumped_taus:?}"
    );
}
