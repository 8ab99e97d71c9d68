//! Load generator and checker for `scripts/durability.sh`: villagers sending opinions at once,
//! as the JSON API's scripts do (the box page for a token, then the opinion with a submission
//! key), and the checks after a crash.
//!
//! - `send`: sends `--count` opinions, `--concurrency` at a time, over the boxes given; logs
//!   each one before it is sent (`sent`, with its key and token) and each receipt that came
//!   back (`ack`), one line at a time, so a kill -9 of the server mid-burst leaves the log
//!   complete. Each request names another villager in `X-Forwarded-For`: the server must list
//!   this machine in `MASHANGSHUO_TRUSTED_PROXIES`, as behind the documented proxy, or its
//!   per-address limits refuse the burst.
//! - `resend`: after a restart, sends every opinion that got no receipt again with its key and
//!   token, as the box page does after a lost connection; receipts are logged as `ack`.
//! - `verify`: looks up every logged receipt through the API.
//! - `check`: reads the SQLite database: `PRAGMA integrity_check`, and each logged opinion's
//!   text is stored once (waiting or released) — none lost, none twice.
//!
//! Each prints one JSON object; `verify` and `check` exit 1 when something is wrong.
//! `cargo run -p mashangshuo --example load_burst -- send --base http://127.0.0.1:8080
//! --boxes CODE,CODE --count 60 --concurrency 12 --tag t1 --log burst.log`

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use clap::{Parser, Subcommand};
use common_load::{Addresses, Outcome, box_token, new_key, submit};
use diesel::prelude::*;
use diesel::sql_types::Text;

mod common_load;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Step,
}

#[derive(Subcommand)]
enum Step {
    /// Sends a burst of opinions, logging each before it goes and each receipt.
    Send {
        #[arg(long)]
        base: String,
        /// Box codes, comma-separated; opinion `i` goes to box `i mod n`.
        #[arg(long)]
        boxes: String,
        #[arg(long, default_value_t = 60)]
        count: u32,
        #[arg(long, default_value_t = 12)]
        concurrency: u32,
        /// Marks this run's texts, so a check counts only them.
        #[arg(long)]
        tag: String,
        #[arg(long)]
        log: PathBuf,
    },
    /// Sends again, with the same key and token, each logged opinion that got no receipt.
    Resend {
        #[arg(long)]
        base: String,
        #[arg(long)]
        tag: String,
        #[arg(long)]
        log: PathBuf,
    },
    /// Looks up every logged receipt.
    Verify {
        #[arg(long)]
        base: String,
        #[arg(long)]
        log: PathBuf,
    },
    /// Checks the SQLite file: integrity, and each logged opinion stored exactly once.
    Check {
        /// The database file (or `sqlite://` URL).
        #[arg(long)]
        database: String,
        #[arg(long)]
        tag: String,
        #[arg(long)]
        log: PathBuf,
    },
}

/// The text of opinion `id` of run `tag`: its marker survives redaction unchanged.
fn text_of(tag: &str, id: u32) -> String {
    format!("耐久测试 {tag} 第{id}条：村口的路灯坏了，晚上走路看不见，请尽快修好。")
}

/// The run tag and opinion id in a stored text, when it is one of ours.
fn id_in(tag: &str, body: &str) -> Option<u32> {
    let rest = body.strip_prefix("耐久测试 ")?.strip_prefix(tag)?;
    let digits = rest.strip_prefix(" 第")?.split('条').next()?;
    digits.parse().ok()
}

/// One opinion as logged before sending: enough to send it again the same way.
#[derive(Clone)]
struct Sent {
    id: u32,
    code: String,
    key: String,
    token: String,
}

/// What a log holds: every opinion sent, and the receipts that came back (an id may have two
/// lines if a resend answered too; they must agree).
#[derive(Default)]
struct Log {
    sent: BTreeMap<u32, Sent>,
    acks: BTreeMap<u32, Vec<String>>,
}

fn read_log(path: &PathBuf) -> std::io::Result<Log> {
    let mut log = Log::default();
    let file = std::fs::File::open(path)?;
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["sent", id, code, key, token] => {
                if let Ok(id) = id.parse() {
                    log.sent.insert(
                        id,
                        Sent {
                            id,
                            code: code.to_string(),
                            key: key.to_string(),
                            token: token.to_string(),
                        },
                    );
                }
            }
            ["ack", id, receipt] => {
                if let Ok(id) = id.parse() {
                    log.acks.entry(id).or_default().push(receipt.to_string());
                }
            }
            // A line cut short by a kill of this process is not a record.
            _ => {}
        }
    }
    Ok(log)
}

/// Appends whole lines to the log, flushed one by one.
#[derive(Clone)]
struct LogWriter(Arc<std::sync::Mutex<std::fs::File>>);

impl LogWriter {
    fn open(path: &PathBuf) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(LogWriter(Arc::new(std::sync::Mutex::new(file))))
    }

    fn line(&self, fields: &[&str]) {
        let mut text = fields.join("\t");
        text.push('\n');
        if let Ok(mut file) = self.0.lock() {
            // One write per line, so lines never interleave.
            let _ = file.write_all(text.as_bytes());
            let _ = file.flush();
        }
    }
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    tag: &str,
    sent: &Sent,
    from: String,
) -> Outcome {
    let text = text_of(tag, sent.id);
    submit(client, base, &sent.code, text, &sent.key, &sent.token, from).await
}

#[derive(Default, serde::Serialize)]
struct SendReport {
    sent: u32,
    acknowledged: u32,
    refused: BTreeMap<u16, u32>,
    no_answer: u32,
}

async fn send(
    base: String,
    boxes: Vec<String>,
    count: u32,
    concurrency: u32,
    tag: String,
    log: LogWriter,
) -> SendReport {
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicU32::new(0));
    let addresses = Arc::new(Addresses::new(1, (1 << 20) - 1));
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, base, boxes, tag, log) = (
            client.clone(),
            base.clone(),
            boxes.clone(),
            tag.clone(),
            log.clone(),
        );
        let (next, addresses) = (next.clone(), addresses.clone());
        workers.push(tokio::spawn(async move {
            let mut report = SendReport::default();
            loop {
                let id = next.fetch_add(1, Ordering::Relaxed);
                if id >= count {
                    break;
                }
                let code = boxes[id as usize % boxes.len()].clone();
                let Ok(token) = box_token(&client, &base, &code, addresses.next()).await else {
                    // The server is gone; this worker stops.
                    break;
                };
                let sent = Sent {
                    id,
                    code,
                    key: new_key(),
                    token,
                };
                log.line(&["sent", &id.to_string(), &sent.code, &sent.key, &sent.token]);
                report.sent += 1;
                match post(&client, &base, &tag, &sent, addresses.next()).await {
                    Outcome::Receipt(receipt) => {
                        log.line(&["ack", &id.to_string(), &receipt]);
                        report.acknowledged += 1;
                    }
                    Outcome::Refused(status) => *report.refused.entry(status).or_default() += 1,
                    Outcome::Lost => {
                        report.no_answer += 1;
                        break;
                    }
                }
            }
            report
        }));
    }
    let mut total = SendReport::default();
    for worker in workers {
        if let Ok(report) = worker.await {
            total.sent += report.sent;
            total.acknowledged += report.acknowledged;
            total.no_answer += report.no_answer;
            for (status, n) in report.refused {
                *total.refused.entry(status).or_default() += n;
            }
        }
    }
    total
}

#[derive(Default, serde::Serialize)]
struct ResendReport {
    unanswered: u32,
    acknowledged: u32,
    refused: BTreeMap<u16, u32>,
    no_answer: u32,
}

async fn resend(base: String, tag: String, path: PathBuf) -> Result<ResendReport, String> {
    let log = read_log(&path).map_err(|e| e.to_string())?;
    let writer = LogWriter::open(&path).map_err(|e| e.to_string())?;
    let client = reqwest::Client::new();
    let addresses = Addresses::new(1 << 20, 1 << 20);
    let mut report = ResendReport::default();
    for sent in log.sent.values().filter(|s| !log.acks.contains_key(&s.id)) {
        report.unanswered += 1;
        match post(&client, &base, &tag, sent, addresses.next()).await {
            Outcome::Receipt(receipt) => {
                writer.line(&["ack", &sent.id.to_string(), &receipt]);
                report.acknowledged += 1;
            }
            Outcome::Refused(status) => *report.refused.entry(status).or_default() += 1,
            Outcome::Lost => report.no_answer += 1,
        }
    }
    Ok(report)
}

#[derive(Default, serde::Serialize)]
struct VerifyReport {
    receipts: u32,
    found: u32,
    lost: u32,
    /// A resend answered another receipt than the first send: stored twice.
    conflicting: u32,
}

async fn verify(base: String, path: PathBuf) -> Result<VerifyReport, String> {
    let log = read_log(&path).map_err(|e| e.to_string())?;
    let client = reqwest::Client::new();
    let addresses = Addresses::new(2 << 20, 1 << 20);
    let mut report = VerifyReport::default();
    for receipts in log.acks.values() {
        if receipts.iter().any(|r| *r != receipts[0]) {
            report.conflicting += 1;
        }
        for receipt in receipts.iter().take(1) {
            report.receipts += 1;
            let status = client
                .post(format!("{base}/api/v1/receipts/status"))
                .header("X-Forwarded-For", addresses.next())
                .json(&serde_json::json!({ "receipt": receipt }))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| format!("receipt look-up: {e}"))?;
            if status == 200 {
                report.found += 1;
            } else {
                report.lost += 1;
            }
        }
    }
    Ok(report)
}

#[derive(QueryableByName)]
struct Body {
    #[diesel(sql_type = Text)]
    body: String,
}

#[derive(QueryableByName)]
struct Integrity {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(Default, serde::Serialize)]
struct CheckReport {
    integrity: String,
    /// Rows of this run stored, waiting or released.
    stored: u32,
    /// Opinions of this run stored more than once.
    duplicates: u32,
    /// Acknowledged opinions whose text is not stored.
    missing: u32,
    /// Opinions stored that were sent but never acknowledged (the server committed them,
    /// then died before answering; a resend gets their receipt).
    stored_unacknowledged: u32,
}

fn check(database: &str, tag: &str, path: &PathBuf) -> Result<CheckReport, String> {
    let log = read_log(path).map_err(|e| e.to_string())?;
    let file = database.strip_prefix("sqlite://").unwrap_or(database);
    let mut conn = SqliteConnection::establish(file).map_err(|e| e.to_string())?;
    let integrity: Vec<Integrity> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| e.to_string())?;
    let bodies: Vec<Body> =
        diesel::sql_query("SELECT body FROM waiting_opinions UNION ALL SELECT body FROM opinions")
            .load(&mut conn)
            .map_err(|e| e.to_string())?;
    let mut stored: HashMap<u32, u32> = HashMap::new();
    for body in &bodies {
        if let Some(id) = id_in(tag, &body.body) {
            *stored.entry(id).or_default() += 1;
        }
    }
    let mut report = CheckReport {
        integrity: integrity
            .into_iter()
            .map(|row| row.integrity_check)
            .collect::<Vec<_>>()
            .join("; "),
        stored: stored.values().sum(),
        ..CheckReport::default()
    };
    report.duplicates = stored.values().filter(|n| **n > 1).count() as u32;
    report.missing = log
        .acks
        .keys()
        .filter(|id| !stored.contains_key(id))
        .count() as u32;
    report.stored_unacknowledged = stored
        .keys()
        .filter(|id| !log.acks.contains_key(id))
        .count() as u32;
    Ok(report)
}

fn print(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string(value).unwrap_or_default());
}

#[tokio::main]
async fn main() -> ExitCode {
    let fail = |message: String| {
        eprintln!("load_burst: {message}");
        ExitCode::FAILURE
    };
    match Cli::parse().command {
        Step::Send {
            base,
            boxes,
            count,
            concurrency,
            tag,
            log,
        } => {
            let boxes: Vec<String> = boxes.split(',').map(str::to_string).collect();
            let writer = match LogWriter::open(&log) {
                Ok(w) => w,
                Err(e) => return fail(format!("{}: {e}", log.display())),
            };
            print(&send(base, boxes, count, concurrency, tag, writer).await);
            ExitCode::SUCCESS
        }
        Step::Resend { base, tag, log } => match resend(base, tag, log).await {
            Ok(report) => {
                print(&report);
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Step::Verify { base, log } => match verify(base, log).await {
            Ok(report) => {
                print(&report);
                if report.lost == 0 && report.conflicting == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => fail(e),
        },
        Step::Check { database, tag, log } => match check(&database, &tag, &log) {
            Ok(report) => {
                print(&report);
                if report.integrity == "ok" && report.duplicates == 0 && report.missing == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => fail(e),
        },
    }
}
