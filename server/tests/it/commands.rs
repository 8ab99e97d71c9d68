//! The `mashangshuo` command: `migrate`, `demo`, and `serve` seeding an empty database once.

use crate::common;

use common::TestDb;
use common::process::{audit, migrate, run, run_failing, seed, spawn_migrate, start};

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

/// Another deployment's secret (64 hex digits).
const OTHER_SECRET: &str = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";

/// The engine the test database uses.
fn engine(db: &TestDb) -> mashangshuo::db::deployment::Engine {
    if db.is_postgres() {
        mashangshuo::db::deployment::Engine::Postgres
    } else {
        mashangshuo::db::deployment::Engine::Sqlite
    }
}

/// Runs SQL on the test database.
fn execute(db: &TestDb, sql: &str) {
    use diesel::connection::SimpleConnection;
    let mut conn = mashangshuo::ops::open(&db.url).expect("open");
    conn.batch_execute(sql).expect(sql);
}

/// A command's output that must succeed, parsed as its one JSON object.
fn json_of(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "status {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn migrate_dry_run_lists_pending_migrations_without_applying_them() {
    let db = TestDb::create();
    let known = mashangshuo::db::deployment::known_migrations(engine(&db)).expect("known");
    let plan = json_of(&run(&db, &["migrate", "--dry-run"], &[], None));
    assert_eq!(plan["database_version"], serde_json::Value::Null);
    let pending = plan["pending"].as_array().expect("pending");
    assert_eq!(pending.len(), known.len());
    assert!(
        pending.iter().any(
            |m| m["name"] == "2026-12-06-000022_deployment" && m["version"] == "20261206000022"
        ),
        "{plan}"
    );
    // Nothing was applied (nor, on SQLite, even created).
    let again = json_of(&run(&db, &["migrate", "--dry-run"], &[], None));
    assert_eq!(
        again["pending"].as_array().expect("pending").len(),
        known.len()
    );
    if !db.is_postgres() {
        assert!(!db.dir.path().join("mss.db").exists());
    }

    assert!(migrate(&db));
    let plan = json_of(&run(&db, &["migrate", "--dry-run"], &[], None));
    assert_eq!(plan["pending"], serde_json::json!([]));
    assert_eq!(
        plan["database_version"],
        known.last().expect("one").version.as_str()
    );

    // A database one migration behind lists just that one.
    execute(
        &db,
        "DROP TABLE deployment_facts; \
         DELETE FROM __diesel_schema_migrations WHERE version = '20261206000022';",
    );
    let plan = json_of(&run(&db, &["migrate", "--dry-run"], &[], None));
    assert_eq!(
        plan["pending"],
        serde_json::json!([{ "version": "20261206000022", "name": "2026-12-06-000022_deployment" }])
    );
    assert!(migrate(&db), "and migrate applies it");
    let plan = json_of(&run(&db, &["migrate", "--dry-run"], &[], None));
    assert_eq!(plan["pending"], serde_json::json!([]));
}

#[test]
fn a_database_migrated_by_a_newer_binary_is_refused() {
    let db = TestDb::create();
    seed(&db);
    execute(
        &db,
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000099');",
    );
    let newest = mashangshuo::db::deployment::known_migrations(engine(&db))
        .expect("known")
        .pop()
        .expect("one");
    for command in [
        &["serve"][..],
        &["maintain"],
        &["migrate"],
        &["demo"],
        &["migrate", "--dry-run"],
    ] {
        let output = run(&db, command, &[], None);
        let stderr = stderr_of(&output);
        assert!(!output.status.success(), "{command:?} refuses: {stderr}");
        assert!(
            stderr.contains("29991231000099") && stderr.contains(&newest.version),
            "{command:?} names the database's version and the binary's: {stderr}"
        );
        assert!(stderr.contains("newer version"), "{stderr}");
    }
    // The database was not touched: removing the newer migration's row lets it start.
    execute(
        &db,
        "DELETE FROM __diesel_schema_migrations WHERE version = '29991231000099';",
    );
    start(&db, "off").stop();
}

#[test]
fn the_server_refuses_another_secret_and_says_what_breaks() {
    let db = TestDb::create();
    // A database from before fingerprints (or only migrated) has none …
    assert!(migrate(&db));
    let fingerprint = |db: &TestDb| {
        let mut conn = mashangshuo::ops::open(&db.url).expect("open");
        mashangshuo::db::deployment::DeploymentFact::get(
            &mut conn,
            mashangshuo::db::deployment::SECRET_FINGERPRINT,
        )
        .expect("read")
    };
    assert_eq!(fingerprint(&db), None);
    // … and gets the first secret's on its first start.
    seed(&db);
    let stored = fingerprint(&db).expect("stored on the first start");
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(common::TEST_SECRET));

    let other = [("MASHANGSHUO_SECRET", OTHER_SECRET)];
    for command in ["serve", "maintain", "demo"] {
        let output = run(&db, &[command], &other, None);
        let stderr = stderr_of(&output);
        assert!(!output.status.success(), "{command} refuses: {stderr}");
        for needle in [
            "does not match this database",
            "receipt code",
            "signed out",
            "back to the secret",
            "Losing the secret",
        ] {
            assert!(stderr.contains(needle), "{command}: {needle}: {stderr}");
        }
    }
    assert_eq!(
        fingerprint(&db),
        Some(stored),
        "the stored fingerprint stays"
    );
    start(&db, "off").stop();
}

#[test]
fn create_admin_makes_the_first_admin_and_is_audited() {
    let db = TestDb::create();
    assert!(migrate(&db));
    let refused = run(&db, &["create-admin", "chief"], &[], None);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr_of(&refused).contains("--unit"),
        "{}",
        stderr_of(&refused)
    );

    let created = json_of(&run(
        &db,
        &["create-admin", "chief", "--unit", "安城县"],
        &[],
        None,
    ));
    assert_eq!(created["username"], "chief");
    assert_eq!(created["unit"], "安城县");
    assert_eq!(created["created_unit"], true);
    let password = created["password"]
        .as_str()
        .expect("a drawn password")
        .to_string();
    assert!(password.len() >= 12);

    let taken = run(
        &db,
        &["create-admin", "chief", "--unit", "安城县"],
        &[],
        None,
    );
    assert_eq!(taken.status.code(), Some(1));
    assert!(
        stderr_of(&taken).contains("exists"),
        "{}",
        stderr_of(&taken)
    );

    let short = run(
        &db,
        &["create-admin", "deputy", "--password-stdin"],
        &[],
        Some("short\n"),
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr_of(&short).contains("characters"));
    let chosen = json_of(&run(
        &db,
        &["create-admin", "deputy", "--password-stdin"],
        &[],
        Some("a chosen long password\n"),
    ));
    assert_eq!(chosen["unit"], "安城县", "the only top unit");
    assert_eq!(chosen["created_unit"], false);
    assert!(
        chosen.get("password").is_none(),
        "a given password is not printed"
    );

    let server = start(&db, "off");
    let base = format!("http://127.0.0.1:{}", server.port);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for (username, password) in [
            ("chief", password.as_str()),
            ("deputy", "a chosen long password"),
        ] {
            let token = common::process::api_login(&client, &base, username, password).await;
            let units = client
                .get(format!("{base}/api/v1/admin/units"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("units");
            assert_eq!(units.status().as_u16(), 200, "{username} is an admin");
            let body = units.text().await.expect("body");
            assert!(body.contains("安城县"), "{body}");
        }
    });
    server.stop();

    let (code, check) = audit(&db);
    assert_eq!(code, Some(0));
    assert_eq!(check["intact"], true);
    let mut conn = mashangshuo::ops::open(&db.url).expect("open");
    let rows = mashangshuo::db::audit::AuditRow::newest(&mut conn, None, 100).expect("trail");
    let by_command_line: Vec<&str> = rows
        .iter()
        .filter(|r| r.actor == mashangshuo::ops::admin::COMMAND_LINE_ACTOR)
        .map(|r| r.action.as_str())
        .collect();
    let mut sorted = by_command_line.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "create_account",
            "create_account",
            "create_unit",
            "save_group"
        ],
        "{by_command_line:?}"
    );
}
