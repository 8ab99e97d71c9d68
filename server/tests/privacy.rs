//! Sentinel values sent in every identifying header never reach the database or the logs.
//! The real binary runs as a child process so its whole log output can be read.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{TestDb, test_env};

const SENTINELS: [&str; 5] = [
    "203.0.113.77",
    "SentinelUA-5150",
    "sentinel-referer.example",
    "cookie-5150",
    "198.51.100.9",
];

struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mashangshuo"))
}

/// Starts `mashangshuo serve` and waits for its "listening" log line (no sleeping).
fn start(db: &TestDb) -> Server {
    let mut cmd = binary();
    cmd.arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "debug");
    for (k, v) in test_env(db, "127.0.0.1:0", "http://127.0.0.1") {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn server");
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().expect("stderr");
    let tx_err = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx_err.send(line);
        }
    });
    let mut stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        let mut all = String::new();
        let _ = stdout.read_to_string(&mut all);
        let _ = tx.send(all);
    });
    let mut seen = Vec::new();
    let port = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server printed its port");
        seen.push(line.clone());
        if line.contains("listening")
            && let Some(port) = line
                .split("port=")
                .nth(1)
                .and_then(|p| p.trim().parse().ok())
        {
            break port;
        }
    };
    let (tx2, rx2) = mpsc::channel();
    for line in seen {
        let _ = tx2.send(line);
    }
    std::thread::spawn(move || {
        while let Ok(line) = rx.recv() {
            if tx2.send(line).is_err() {
                break;
            }
        }
    });
    Server {
        child,
        port,
        log: rx2,
    }
}

impl Server {
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut all = String::new();
        while let Ok(line) = self.log.recv_timeout(Duration::from_secs(5)) {
            all.push_str(&line);
            all.push('\n');
        }
        all
    }
}

fn seed(db: &TestDb) -> serde_json::Value {
    let mut cmd = binary();
    cmd.arg("demo").env_clear();
    for (k, v) in test_env(db, "127.0.0.1:0", "http://127.0.0.1") {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("run demo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("demo prints one JSON object")
}

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
    let server = start(&db);
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
    let api = client
        .post(format!("{base}/api/v1/boxes/{code}/opinions"))
        .json(&serde_json::json!({ "category": "conduct", "text": "隐私哨兵意见甲" }))
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
        .form(&[("category", "other"), ("text", "隐私哨兵意见乙")])
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
    let log = server.stop();

    assert!(log.contains("request"), "the log was captured: {log}");
    let stored = db.dump();
    let stored_text = String::from_utf8_lossy(&stored);
    assert!(
        stored_text.contains("隐私哨兵意见甲"),
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
}
