//! A wrong receipt code costs no Argon2id run: its short keyed tag, which no stored opinion
//! has, turns it away, so guessing codes cannot take the hashing pool from villagers'
//! submissions. Opinions stored before tags keep working and get their tag when looked up.

use crate::common;

use common::TestApp;
use mashangshuo::service::resident::receipt_status;

/// `count` codes that are not `receipt`, spread over the code space.
fn wrong_codes(receipt: &str, count: u64) -> Vec<String> {
    (0..count)
        .map(|n| {
            format!(
                "{:016}",
                (n * 7_919_000_000_007 + 12_345) % 10_000_000_000_000_000
            )
        })
        .filter(|code| code != receipt)
        .collect()
}

/// Looks `code` up through the service (no rate limit in between); the problem's code if any.
async fn look_up(app: &TestApp, code: &str) -> Result<(), &'static str> {
    receipt_status(&app.state, code)
        .await
        .map(|_| ())
        .map_err(|p| p.code)
}

#[actix_web::test]
async fn wrong_codes_are_unknown_without_hashing_and_the_right_one_resolves() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "村口的路灯坏了，晚上看不见路").await;
    let runs = || app.state.hasher.runs();

    let before = runs();
    let wrong = wrong_codes(&receipt, 500);
    for code in &wrong {
        assert_eq!(look_up(&app, code).await, Err("receipt_unknown"), "{code}");
    }
    // One opinion's tag among 2^32: a wrong code reaches Argon2 about once in 4 billion.
    assert_eq!(runs() - before, 0, "{} wrong codes hashed", runs() - before);

    let before = runs();
    assert_eq!(look_up(&app, &receipt).await, Ok(()));
    assert_eq!(runs() - before, 1, "the right code is hashed once");
    // Through the API too, for both the status and the answer.
    let (status, body) = app.receipt_status(&receipt).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.receipt_status(&wrong[0]).await;
    assert_eq!(status, 404, "{body}");
}

#[actix_web::test]
async fn an_opinion_stored_before_tags_resolves_and_is_tagged_then() {
    let app = TestApp::spawn().await;
    let receipt = app.submit(0, "村口的路灯坏了，晚上看不见路").await;
    // As a database from before tags holds it: the hash, no tag.
    app.state
        .db(|conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::{opinions, waiting_opinions};
            diesel::update(opinions::table)
                .set(opinions::receipt_tag.eq(None::<i64>))
                .execute(conn)?;
            diesel::update(waiting_opinions::table)
                .set(waiting_opinions::receipt_tag.eq(None::<i64>))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("untag");
    let runs = || app.state.hasher.runs();

    // While an opinion has no tag, every code is hashed: nothing known is turned away.
    let wrong = wrong_codes(&receipt, 3);
    let before = runs();
    for code in &wrong {
        assert_eq!(look_up(&app, code).await, Err("receipt_unknown"));
    }
    assert_eq!(runs() - before, wrong.len() as u64);

    assert_eq!(look_up(&app, &receipt).await, Ok(()));
    let tag = app.state.hasher.keys().receipt_tag(&receipt);
    let stored = app
        .state
        .db(|conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::waiting_opinions;
            Ok(waiting_opinions::table
                .select(waiting_opinions::receipt_tag)
                .first::<Option<i64>>(conn)?)
        })
        .await
        .expect("tag");
    assert_eq!(stored, Some(tag), "tagged at its first look-up");

    // Now no opinion lacks a tag: wrong codes are turned away unhashed again.
    let before = runs();
    for code in &wrong {
        assert_eq!(look_up(&app, code).await, Err("receipt_unknown"));
    }
    assert_eq!(runs() - before, 0);
}
