//! The `mashangshuo` command: `migrate`, `demo`, and `serve` seeding an empty database once.

mod common;

use common::TestDb;
use common::process::{migrate, run_failing, seed, spawn_migrate, start};

#[test]
fn serve_seeds_an_empty_database_once_and_prints_the_demo() {
    let db = TestDb::create();
    let first = start(&db, "auto");
    let port = first.port;
    let output = first.stop();
    let demo: serde_json::Value =
        serde_json::from_str(output.stdout.trim()).expect("one JSON object on stdout");
    assert_eq!(demo["reviewer"]["username"], "qingshan");
    assert!(
        demo["reviewer"]["password"]
            .as_str()
            .expect("password")
            .len()
            >= 12
    );
    let boxes = demo["boxes"].as_array().expect("boxes");
    assert_eq!(boxes.len(), 3);
    for b in boxes {
        assert!(
            b["url"]
                .as_str()
                .expect("url")
                .starts_with("http://127.0.0.1/b/")
        );
        let png = std::fs::read(b["qr_png"].as_str().expect("path")).expect("QR image written");
        assert_eq!(&png[..4], b"\x89PNG");
    }
    assert!(port > 0);

    let second = start(&db, "auto").stop();
    assert_eq!(
        second.stdout.trim(),
        "",
        "an existing database is not seeded again"
    );
}

#[test]
fn demo_keeps_boxes_and_draws_a_new_password() {
    let db = TestDb::create();
    assert!(migrate(&db), "migrate works on an empty database");
    assert!(migrate(&db), "and again when nothing is pending");
    let first = seed(&db);
    let second = seed(&db);
    assert_eq!(first["boxes"], second["boxes"]);
    assert_ne!(
        first["reviewer"]["password"],
        second["reviewer"]["password"]
    );
}

#[test]
fn demo_on_an_older_demo_says_what_to_do() {
    let db = TestDb::create();
    seed(&db);
    // An older version's demo had no auditor account.
    {
        use diesel::prelude::*;
        use mashangshuo::db::schema::staff;
        let pool = mashangshuo::db::connect(&db.url, 1).expect("pool");
        let mut conn = pool.get().expect("connection");
        diesel::delete(staff::table.filter(staff::username.eq("anxian-audit")))
            .execute(&mut conn)
            .expect("delete");
    }
    let (code, stderr) = run_failing(&db, "demo");
    assert_ne!(code, Some(0));
    assert!(
        stderr.contains("older version") && stderr.contains("anxian-audit"),
        "{stderr}"
    );
}

#[test]
fn servers_starting_together_migrate_one_at_a_time() {
    let db = TestDb::create();
    let runs: Vec<_> = (0..3).map(|_| spawn_migrate(&db)).collect();
    for run in runs {
        let output = run.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let demo = seed(&db);
    assert_eq!(demo["boxes"].as_array().expect("boxes").len(), 3);
}
