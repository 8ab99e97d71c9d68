//! `mashangshuo backup` and `restore` on the real binary: a live backup restores into a fresh
//! data directory (or an empty PostgreSQL database) where receipts and photos still resolve;
//! a corrupt, newer or foreign-secret backup is refused before anything is written.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::process::{Server, api_login, maintain, run, seed, start_with};
use common::{TEST_SECRET, TestDb};
use serde_json::Value;

/// Another deployment's secret (64 hex digits).
const OTHER_SECRET: &str = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";

/// The output of a command that must succeed, parsed as the one JSON object it prints.
fn json_of(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "status {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

/// Runs `backup DIR` with extra arguments and environment; returns the manifest it prints.
fn backup(db: &TestDb, dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Value {
    let dir_text = dir.display().to_string();
    let mut args = vec!["backup", dir_text.as_str()];
    args.extend_from_slice(extra);
    json_of(&run(db, &args, env, None))
}

/// Runs `restore DIR` into `db` with extra arguments and environment.
fn restore(db: &TestDb, dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let dir_text = dir.display().to_string();
    let mut args = vec!["restore", dir_text.as_str()];
    args.extend_from_slice(extra);
    run(db, &args, env, None)
}

/// The exit status and stderr of a command expected to fail.
fn failure(output: &std::process::Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// The database file a backup of `db` holds.
fn database_file(db: &TestDb) -> &'static str {
    if db.is_postgres() {
        "mashangshuo.dump"
    } else {
        "mashangshuo.db"
    }
}

/// Whether nothing was restored into `db`: no SQLite file, an empty data directory, or a
/// PostgreSQL database without tables.
fn nothing_restored(db: &TestDb) -> bool {
    let files: Vec<_> = std::fs::read_dir(db.dir.path())
        .expect("data dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    if !files.is_empty() {
        return false;
    }
    if db.is_postgres() {
        use diesel::Connection;
        let conn = diesel::pg::PgConnection::establish(&db.url).expect("connect");
        let mut conn = mashangshuo::db::DbConnection::Postgresql(conn);
        return mashangshuo::db::deployment::user_table_count(&mut conn).expect("tables") == 0;
    }
    true
}

/// Copies a backup folder (one level of subfolders) to a new place.
fn copy_backup(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read backup") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_backup(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The texts of the two opinions [`deployment_with_photos`] sends.
const TEXTS: [&str; 2] = ["备份前已交办的意见", "备份时还在等待的意见"];

/// A seeded deployment with one released opinion and one waiting, each with a photo, sent
/// through the server it leaves running; returns the demo output, the two receipts and the
/// server.
async fn deployment_with_photos(db: &TestDb) -> (Value, Vec<String>, Server) {
    let demo = seed(db);
    let server = start_with(db, "off", &[("MASHANGSHUO_BATCH_SIZE", "1")]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let code = db.boxes().await[0].code.clone();
    let client = reqwest::Client::new();
    let mut receipts = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        let sent = common::send_with_photo(&client, &base, &code, text, "photo.jpg").await;
        assert_eq!(sent.status().as_u16(), 201);
        let body: Value = sent.json().await.expect("receipt JSON");
        receipts.push(body["receipt"].as_str().expect("receipt").to_string());
        if i == 0 {
            let report = maintain(db, &[("MASHANGSHUO_BATCH_SIZE", "1")]);
            assert_eq!(report["ran"], true, "{report}");
        }
    }
    (demo, receipts, server)
}

#[actix_web::test]
async fn a_live_backup_restores_with_its_receipts_and_photos() {
    let db = TestDb::create();
    let (demo, receipts, server) = deployment_with_photos(&db).await;
    let client = reqwest::Client::new();

    // Backed up while the server runs.
    let backups = tempfile::tempdir().expect("temp dir");
    let dir = backups.path().join("2026-12-06");
    let manifest = backup(&db, &dir, &[], &[]);
    assert_eq!(manifest["format"], "mashangshuo-backup");
    assert_eq!(manifest["format_version"], 1);
    assert_eq!(manifest["binary_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        manifest["backend"],
        if db.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    );
    let newest = mashangshuo::db::deployment::known_migrations(if db.is_postgres() {
        mashangshuo::db::deployment::Engine::Postgres
    } else {
        mashangshuo::db::deployment::Engine::Sqlite
    })
    .expect("migrations")
    .pop()
    .expect("one");
    assert_eq!(manifest["schema_version"], newest.version.as_str());
    assert_eq!(
        manifest["created_on"],
        mashangshuo::domain::day::today().as_str(),
        "the day, nothing finer"
    );
    let counts = &manifest["counts"];
    assert_eq!(
        (
            &counts["opinions"],
            &counts["waiting_opinions"],
            &counts["photos"],
            &counts["waiting_photos"]
        ),
        (
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1)
        ),
        "{manifest}"
    );
    assert_eq!(manifest["audit"]["intact"], true);
    assert_eq!(manifest["secret_included"], false);
    let fingerprint = manifest["secret_fingerprint"]
        .as_str()
        .expect("fingerprint");
    assert_eq!(fingerprint.len(), 64);
    let written = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json");
    assert_eq!(
        serde_json::from_str::<Value>(&written).expect("JSON"),
        manifest
    );
    assert!(!written.contains(TEST_SECRET), "never the secret itself");
    assert!(!dir.join("secret.key").exists());
    let files = manifest["files"].as_array().expect("files");
    let paths: Vec<&str> = files
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert!(paths.contains(&database_file(&db)), "{paths:?}");
    assert_eq!(
        paths.iter().filter(|p| p.starts_with("qr/")).count(),
        3,
        "the demo boxes' QR images: {paths:?}"
    );
    assert_eq!(
        std::fs::metadata(&dir).expect("dir").permissions().mode() & 0o777,
        0o700
    );
    for path in paths.iter().copied().chain(["manifest.json"]) {
        let mode = std::fs::metadata(dir.join(path))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{path}");
    }
    if !db.is_postgres() {
        // A plain SQLite file: no write-ahead log beside it, nothing freed inside it.
        assert!(!dir.join("mashangshuo.db-wal").exists());
        let copy = std::fs::read(dir.join("mashangshuo.db")).expect("copy");
        let free_pages = u32::from_be_bytes(copy[36..40].try_into().expect("header"));
        assert_eq!(free_pages, 0, "VACUUM INTO keeps no freed pages");
    }
    server.stop();

    // Restored into a fresh data directory (or an empty database).
    let fresh = TestDb::create();
    let restored = json_of(&restore(&fresh, &dir, &[], &[]));
    assert_eq!(restored["integrity"], "ok");
    assert_eq!(restored["secret"], "backup");
    assert_eq!(restored["audit"]["intact"], true);
    assert_eq!(
        restored["audit"]["head_hash"],
        manifest["audit"]["head_hash"]
    );
    assert_eq!(restored["counts"], manifest["counts"]);
    assert_eq!(restored["qr_images"], 3);
    assert_eq!(restored["schema_version"], newest.version.as_str());

    let again = restore(&fresh, &dir, &[], &[]);
    let (code, stderr) = failure(&again);
    assert_eq!(code, Some(5), "never over a restored database: {stderr}");

    // The restored deployment answers every receipt and shows every photo.
    let server = start_with(&fresh, "off", &[("MASHANGSHUO_BATCH_SIZE", "1")]);
    let base = format!("http://127.0.0.1:{}", server.port);
    for receipt in &receipts {
        let status = client
            .post(format!("{base}/api/v1/receipts/status"))
            .json(&serde_json::json!({ "receipt": receipt }))
            .send()
            .await
            .expect("receipt status");
        assert_eq!(
            status.status().as_u16(),
            200,
            "a receipt resolves after restore"
        );
    }
    maintain(&fresh, &[("MASHANGSHUO_BATCH_SIZE", "1")]);
    // A staff password survives the restore.
    let token = api_login(
        &client,
        &base,
        demo["reviewer"]["username"].as_str().expect("username"),
        demo["reviewer"]["password"].as_str().expect("password"),
    )
    .await;
    let queue: Value = client
        .get(format!("{base}/api/v1/staff/opinions"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("queue")
        .json()
        .await
        .expect("JSON");
    for text in TEXTS {
        let id = common::entry_field(&queue, "text", text, "id");
        let photo = client
            .get(format!("{base}/api/v1/staff/opinions/{id}/photos/1"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("photo");
        assert_eq!(photo.status().as_u16(), 200, "the photo of {text}");
        assert_eq!(photo.headers()["content-type"], "image/jpeg");
        let bytes = photo.bytes().await.expect("body");
        assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    }
    server.stop();
}

#[actix_web::test]
async fn a_corrupt_backup_is_refused_and_nothing_is_restored() {
    let db = TestDb::create();
    seed(&db);
    // An entry in the audit trail, for the forged copy below to edit.
    json_of(&run(&db, &["create-admin", "chief"], &[], None));
    let backups = tempfile::tempdir().expect("temp dir");
    let good = backups.path().join("good");
    backup(&db, &good, &[], &[]);
    let fresh = TestDb::create();

    let variant = |name: &str, damage: &dyn Fn(&Path)| -> (Option<i32>, String) {
        let dir = backups.path().join(name);
        copy_backup(&good, &dir);
        damage(&dir);
        failure(&restore(&fresh, &dir, &[], &[]))
    };
    let flipped = variant("flipped", &|dir| {
        let path = dir.join(database_file(&db));
        let mut bytes = std::fs::read(&path).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&path, bytes).expect("write");
    });
    assert_eq!(flipped.0, Some(3), "{}", flipped.1);
    assert!(flipped.1.contains("checksum"), "{}", flipped.1);
    assert!(nothing_restored(&fresh));

    let missing = variant("missing", &|dir| {
        let image = std::fs::read_dir(dir.join("qr"))
            .expect("qr")
            .next()
            .expect("an image")
            .expect("entry")
            .path();
        std::fs::remove_file(image).expect("remove");
    });
    assert_eq!(missing.0, Some(3), "{}", missing.1);
    assert!(missing.1.contains("missing"), "{}", missing.1);

    let garbled = variant("garbled", &|dir| {
        std::fs::write(
            dir.join("manifest.json"),
            "{\"format\": \"mashangshuo-backup\",",
        )
        .expect("write");
    });
    assert_eq!(garbled.0, Some(3), "{}", garbled.1);
    assert!(garbled.1.contains("manifest"), "{}", garbled.1);

    let unfinished = variant("unfinished", &|dir| {
        std::fs::remove_file(dir.join("manifest.json")).expect("remove");
    });
    assert_eq!(unfinished.0, Some(3), "{}", unfinished.1);

    let escaping = variant("escaping", &|dir| {
        let path = dir.join("manifest.json");
        let mut manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        manifest["files"][0]["path"] = "../../etc/passwd".into();
        std::fs::write(&path, manifest.to_string()).expect("write");
    });
    assert_eq!(escaping.0, Some(3), "{}", escaping.1);

    if !db.is_postgres() {
        // Rewritten with fresh checksums, an edited audit trail still gives itself away.
        let forged = variant("forged", &|dir| {
            use diesel::{Connection, RunQueryDsl};
            let file = dir.join("mashangshuo.db");
            let mut conn =
                diesel::sqlite::SqliteConnection::establish(file.to_str().expect("utf-8"))
                    .expect("open copy");
            diesel::sql_query("UPDATE audit_log SET action = 'login' WHERE seq = 1")
                .execute(&mut conn)
                .expect("edit");
            drop(conn);
            let (sha, bytes) = sha256(&file);
            let path = dir.join("manifest.json");
            let mut manifest: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            for entry in manifest["files"].as_array_mut().expect("files") {
                if entry["path"] == "mashangshuo.db" {
                    entry["sha256"] = sha.clone().into();
                    entry["bytes"] = bytes.into();
                }
            }
            std::fs::write(&path, manifest.to_string()).expect("write");
        });
        assert_eq!(forged.0, Some(3), "{}", forged.1);
        assert!(forged.1.contains("hash chain"), "{}", forged.1);
    }
    assert!(nothing_restored(&fresh));

    // The untouched backup still restores.
    json_of(&restore(&fresh, &good, &[], &[]));
}

fn sha256(path: &Path) -> (String, u64) {
    use sha2::Digest;
    let bytes = std::fs::read(path).expect("read");
    (
        hex::encode(sha2::Sha256::digest(&bytes)),
        bytes.len() as u64,
    )
}

#[actix_web::test]
async fn a_backup_from_a_newer_binary_is_refused() {
    let db = TestDb::create();
    seed(&db);
    let backups = tempfile::tempdir().expect("temp dir");
    let dir = backups.path().join("newer");
    backup(&db, &dir, &[], &[]);
    let path = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    manifest["schema_version"] = "29991231000099".into();
    std::fs::write(&path, manifest.to_string()).expect("write");
    let fresh = TestDb::create();
    let (code, stderr) = failure(&restore(&fresh, &dir, &[], &[]));
    assert_eq!(code, Some(4), "{stderr}");
    assert!(
        stderr.contains("29991231000099") && stderr.contains("newer version"),
        "{stderr}"
    );
    assert!(nothing_restored(&fresh));
}

#[actix_web::test]
async fn another_secret_is_refused_unless_new_secret_is_asked_for() {
    let db = TestDb::create();
    let (_, receipts, server) = deployment_with_photos(&db).await;
    server.stop();
    let backups = tempfile::tempdir().expect("temp dir");
    let dir = backups.path().join("b");
    backup(&db, &dir, &[], &[]);

    let fresh = TestDb::create();
    let other = [("MASHANGSHUO_SECRET", OTHER_SECRET)];
    let (code, stderr) = failure(&restore(&fresh, &dir, &[], &other));
    assert_eq!(code, Some(4), "{stderr}");
    assert!(
        stderr.contains("fingerprint")
            && stderr.contains("receipt")
            && stderr.contains("--new-secret"),
        "says what breaks and how to proceed: {stderr}"
    );
    assert!(nothing_restored(&fresh));

    // Asked for explicitly: restored under the new secret, with the warning.
    let output = restore(&fresh, &dir, &["--new-secret"], &other);
    let report = json_of(&output);
    assert_eq!(report["secret"], "new");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("receipt code"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let server = start_with(&fresh, "off", &other);
    let base = format!("http://127.0.0.1:{}", server.port);
    let status = reqwest::Client::new()
        .post(format!("{base}/api/v1/receipts/status"))
        .json(&serde_json::json!({ "receipt": receipts[0] }))
        .send()
        .await
        .expect("receipt status");
    assert_eq!(
        status.status().as_u16(),
        404,
        "a receipt from before the new secret no longer resolves"
    );
    server.stop();
    // The restored database now belongs to the new secret: the old one is refused.
    let output = run(&fresh, &["maintain"], &[], None);
    let (code, stderr) = failure(&output);
    assert_ne!(code, Some(0));
    assert!(stderr.contains("does not match this database"), "{stderr}");
}

#[actix_web::test]
async fn the_secret_travels_only_when_asked_and_then_receipts_resolve() {
    let db = TestDb::create();
    // The server keeps its secret in the data directory's secret.key.
    let from_file = [("MASHANGSHUO_SECRET", "")];
    let demo = json_of(&run(&db, &["demo"], &from_file, None));
    let server = start_with(&db, "off", &from_file);
    let base = format!("http://127.0.0.1:{}", server.port);
    let code = demo["boxes"][0]["url"]
        .as_str()
        .expect("url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_string();
    let client = reqwest::Client::new();
    let sent = common::send_with_photo(&client, &base, &code, "带密钥的备份", "photo.jpg").await;
    assert_eq!(sent.status().as_u16(), 201);
    let receipt = sent.json::<Value>().await.expect("JSON")["receipt"]
        .as_str()
        .expect("receipt")
        .to_string();
    server.stop();
    let secret = std::fs::read(db.dir.path().join("secret.key")).expect("secret.key");

    let backups = tempfile::tempdir().expect("temp dir");
    let without = backups.path().join("without");
    let manifest = backup(&db, &without, &[], &from_file);
    assert_eq!(manifest["secret_included"], false);
    for entry in std::fs::read_dir(&without).expect("backup") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("read");
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_slice()),
                "{} holds the secret",
                path.display()
            );
        }
    }
    let with = backups.path().join("with");
    let manifest = backup(&db, &with, &["--include-secret"], &from_file);
    assert_eq!(manifest["secret_included"], true);
    assert_eq!(
        std::fs::read(with.join("secret.key")).expect("copied"),
        secret
    );

    // No secret configured and none in the backup: refused, and nothing written.
    let fresh = TestDb::create();
    let (code, stderr) = failure(&restore(&fresh, &without, &[], &from_file));
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("no secret is configured"), "{stderr}");
    assert!(nothing_restored(&fresh));

    // With it, the restore puts it back and receipts resolve.
    json_of(&restore(&fresh, &with, &[], &from_file));
    let restored_secret = fresh.dir.path().join("secret.key");
    assert_eq!(std::fs::read(&restored_secret).expect("restored"), secret);
    assert_eq!(
        std::fs::metadata(&restored_secret)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let server = start_with(&fresh, "off", &from_file);
    let base = format!("http://127.0.0.1:{}", server.port);
    let status = client
        .post(format!("{base}/api/v1/receipts/status"))
        .json(&serde_json::json!({ "receipt": receipt }))
        .send()
        .await
        .expect("receipt status");
    assert_eq!(status.status().as_u16(), 200);
    server.stop();
}

#[actix_web::test]
async fn postgres_records_a_given_pg_dump_archive_and_refuses_anything_else() {
    let db = TestDb::create();
    seed(&db);
    let backups = tempfile::tempdir().expect("temp dir");
    let not_a_dump = backups.path().join("not-a-dump.sql");
    std::fs::write(&not_a_dump, "-- plain SQL, not an archive\n").expect("write");
    let given = not_a_dump.display().to_string();
    let output = run(
        &db,
        &[
            "backup",
            &backups.path().join("a").display().to_string(),
            "--pg-dump",
            &given,
        ],
        &[],
        None,
    );
    let (code, stderr) = failure(&output);
    if !db.is_postgres() {
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("--pg-dump is for PostgreSQL"), "{stderr}");
        return;
    }
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("PGDMP"), "{stderr}");

    // An archive the operator made with the documented line is recorded with its checksum.
    let archive = backups.path().join("made-by-hand.dump");
    let made = std::process::Command::new("pg_dump")
        .arg("--format=custom")
        .arg("--file")
        .arg(&archive)
        .arg("--dbname")
        .arg(&db.url)
        .status()
        .expect("run pg_dump");
    assert!(made.success());
    let dir = backups.path().join("b");
    let archive_text = archive.display().to_string();
    let manifest = backup(&db, &dir, &["--pg-dump", &archive_text], &[]);
    assert_eq!(manifest["snapshot"], "pg_dump_file");
    assert_eq!(
        std::fs::read(dir.join("mashangshuo.dump")).expect("copied"),
        std::fs::read(&archive).expect("archive")
    );
    let fresh = TestDb::create();
    let restored = json_of(&restore(&fresh, &dir, &[], &[]));
    assert_eq!(restored["counts"]["units"], manifest["counts"]["units"]);
}
