//! A full disk, for real: the SQLite database lives on a small tmpfs that the test fills with a
//! file until the kernel answers "No space left on device". Sending then answers 503
//! `storage_full` (JSON API and the box page's form, Chinese first), nothing acknowledged is
//! lost, and once the file is deleted the server takes opinions again without a restart.
//!
//! Mounting needs root (or CAP_SYS_ADMIN); where the test may not mount, or on PostgreSQL
//! (whose disk belongs to the shared cluster), it says why on stderr and passes without
//! checking anything. `scripts/durability.sh` runs it too.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestDb;
use common::process::{seed, start_with};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// Says why the test checks nothing, where `cargo test` shows it even for a passing test.
fn skip(reason: &str) {
    let _ = writeln!(std::io::stderr(), "full_disk: SKIPPED: {reason}");
}

/// A tmpfs of a few megabytes mounted over a folder, unmounted on drop.
struct SmallDisk {
    at: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `megabytes` over `at`; the error says why it could not.
    fn mount(at: &Path, megabytes: u32) -> Result<SmallDisk, String> {
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={megabytes}m,mode=0700"))
            .arg("tmpfs")
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "mount -t tmpfs was refused ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(SmallDisk {
            at: at.to_path_buf(),
        })
    }

    /// Writes a file until the disk is full; returns its path.
    fn fill(&self) -> PathBuf {
        let path = self.at.join("filler");
        let mut file = std::fs::File::create(&path).expect("create the filler");
        let chunk = vec![0u8; 64 * 1024];
        loop {
            if let Err(e) = file.write_all(&chunk).and_then(|()| file.sync_all()) {
                assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
                break;
            }
        }
        // What is left of a last partial block, too.
        loop {
            if file.write_all(&[0u8; 512]).is_err() {
                break;
            }
        }
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

/// A resident's client: each request names another villager behind the trusted proxy, so the
/// per-address rate limits, which this test is not about, stay out of the way.
struct Villagers {
    client: reqwest::Client,
    base: String,
    code: String,
    next: u32,
}

impl Villagers {
    fn address(&mut self) -> String {
        self.next += 1;
        format!("10.1.{}.{}", self.next / 250, self.next % 250 + 1)
    }

    async fn token(&mut self) -> String {
        let page = self
            .client
            .get(format!("{}/b/{}", self.base, self.code))
            .header("X-Forwarded-For", self.address())
            .send()
            .await
            .expect("box page")
            .text()
            .await
            .expect("box page body");
        common::box_token_in(&page).expect("a box token on the page")
    }

    /// Sends an opinion through the JSON API: status and body.
    async fn send(&mut self, text: &str) -> (u16, serde_json::Value) {
        let token = self.token().await;
        let response = self
            .client
            .post(format!("{}/api/v1/boxes/{}/opinions", self.base, self.code))
            .header("X-Forwarded-For", self.address())
            .json(
                &serde_json::json!({ "category": "suggestion", "text": text, "box_token": token }),
            )
            .send()
            .await
            .expect("submit");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// Sends an opinion by the box page's plain form post: status and page.
    async fn send_form(&mut self, text: &str) -> (u16, String) {
        let token = self.token().await;
        let response = self
            .client
            .post(format!("{}/b/{}", self.base, self.code))
            .header("X-Forwarded-For", self.address())
            .form(&[
                ("category", "suggestion"),
                ("text", text),
                ("box_token", &token),
            ])
            .send()
            .await
            .expect("form post");
        let status = response.status().as_u16();
        (status, response.text().await.expect("page"))
    }

    /// Looks a receipt up: the status.
    async fn look_up(&mut self, receipt: &str) -> u16 {
        self.client
            .post(format!("{}/api/v1/receipts/status", self.base))
            .header("X-Forwarded-For", self.address())
            .json(&serde_json::json!({ "receipt": receipt }))
            .send()
            .await
            .expect("receipt status")
            .status()
            .as_u16()
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Opinions stored, waiting or released, and SQLite's integrity verdict.
fn stored_and_integrity(db: &TestDb) -> (i64, String) {
    let path = db.url.trim_start_matches("sqlite://");
    let mut conn = diesel::SqliteConnection::establish(path).expect("open the database");
    let stored: Count = diesel::sql_query(
        "SELECT (SELECT COUNT(*) FROM waiting_opinions) + (SELECT COUNT(*) FROM opinions) AS n",
    )
    .get_result(&mut conn)
    .expect("count opinions");
    let check: Check = diesel::sql_query("PRAGMA integrity_check")
        .get_result(&mut conn)
        .expect("integrity check");
    (stored.n, check.integrity_check)
}

const ENV: [(&str, &str); 3] = [
    ("MASHANGSHUO_TRUSTED_PROXIES", "127.0.0.1"),
    ("MASHANGSHUO_BOX_HOURLY_BUDGET", "100000"),
    ("RUST_LOG", "info"),
];

#[actix_web::test]
async fn a_full_disk_answers_503_loses_nothing_and_recovers() {
    let db = TestDb::create();
    if db.is_postgres() {
        skip("simulated on SQLite only; PostgreSQL's disk belongs to the shared test cluster");
        return;
    }
    let disk = match SmallDisk::mount(db.dir.path(), 24) {
        Ok(disk) => disk,
        Err(reason) => {
            skip(&format!(
                "{reason}; mounting a small tmpfs needs root or CAP_SYS_ADMIN"
            ));
            return;
        }
    };
    let demo = seed(&db);
    let code = demo["boxes"][0]["url"]
        .as_str()
        .and_then(|url| url.rsplit('/').next())
        .expect("a box code")
        .to_string();
    let server = start_with(&db, "off", &ENV);
    let mut villagers = Villagers {
        client: reqwest::Client::new(),
        base: format!("http://127.0.0.1:{}", server.port),
        code,
        next: 0,
    };
    let mut acknowledged = Vec::new();
    for i in 0..3 {
        let (status, body) = villagers
            .send(&format!("磁盘满之前的意见，第{i}条：村口路灯坏了"))
            .await;
        assert_eq!(status, 201, "{body}");
        acknowledged.push(body["receipt"].as_str().expect("receipt").to_string());
    }

    // The disk fills up. The first sends may still fit in blocks the files already hold;
    // then sending answers 503 with the reason, Chinese first.
    let filler = disk.fill();
    let mut refused = None;
    for i in 0..20 {
        let (status, body) = villagers
            .send(&format!("磁盘满的时候的意见，第{i}条：水渠堵了"))
            .await;
        match status {
            201 => acknowledged.push(body["receipt"].as_str().expect("receipt").to_string()),
            503 => {
                refused = Some(body);
                break;
            }
            other => panic!("a send on a full disk answered {other}: {body}"),
        }
    }
    let refused = refused.expect("a send on a full disk was refused");
    assert_eq!(refused["code"], "storage_full", "{refused}");
    assert_eq!(
        refused["message"], "服务器存储空间已满，您的意见未保存，请稍后再试。",
        "{refused}"
    );
    // The box page's form without JavaScript: the same reason, and the text kept as typed.
    let typed = "表单提交的意见：磁盘满了也不能丢";
    let (status, page) = villagers.send_form(typed).await;
    assert_eq!(status, 503, "{page}");
    assert!(page.contains("服务器存储空间已满"), "{page}");
    assert!(page.contains(typed), "the form comes back as typed");
    // What was acknowledged before still resolves.
    for receipt in &acknowledged {
        assert_eq!(villagers.look_up(receipt).await, 200, "receipt {receipt}");
    }

    // Space returns: the same server takes opinions again.
    std::fs::remove_file(&filler).expect("free the disk");
    for i in 0..2 {
        let (status, body) = villagers
            .send(&format!("磁盘恢复以后的意见，第{i}条：桥栏杆松了"))
            .await;
        assert_eq!(status, 201, "{body}");
        acknowledged.push(body["receipt"].as_str().expect("receipt").to_string());
    }
    let log = server.stop().log;
    assert!(
        log.contains("database storage full"),
        "the server logged why"
    );

    // Nothing half-stored, nothing lost, the file sound, after a restart too.
    let (stored, integrity) = stored_and_integrity(&db);
    assert_eq!(integrity, "ok");
    assert_eq!(
        stored,
        acknowledged.len() as i64,
        "exactly the acknowledged opinions"
    );
    let server = start_with(&db, "off", &ENV);
    villagers.base = format!("http://127.0.0.1:{}", server.port);
    for receipt in &acknowledged {
        assert_eq!(villagers.look_up(receipt).await, 200, "receipt {receipt}");
    }
    drop(server);
    let (code, report) = common::process::audit(&db);
    assert_eq!(code, Some(0), "{report}");
}
