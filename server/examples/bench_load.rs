//! Load benchmark (issue 20, point 1): starts the release server on a temporary SQLite data
//! directory (and, when `DATABASE_URL` is a `postgres://` URL, again on a fresh database created
//! in that cluster and dropped afterwards), with demo data, and drives it from many loopback
//! villagers for a fixed time per run:
//!
//! - (a) opinion submissions: the box page for its token, then the opinion through the JSON API;
//! - (b) receipt look-ups of receipts handed out in (a);
//! - (c) appraisal answers to an open poster round, opened through the staff API;
//! - (d) reviewer inbox reads (`GET /api/v1/staff/opinions` with a bearer token);
//!
//! each at 16, 64 and 256 concurrent clients, then
//!
//! - (e) the attack: 16 villagers submitting while 256 guessers look up random wrong receipt
//!   codes,
//!
//! and prints per run: requests and answers per second, p50/p99 latency, refusals by status, the
//! server's CPU seconds and its peak RSS (`VmHWM`, reset before each run, and `VmRSS` sampled),
//! then the attack against the quiet run (the targets: villagers' throughput ≥ 0.8× and
//! p99 ≤ 2× of the quiet run), peak RSS against 128 MiB, the machine and the Argon2id ceiling
//! measured in the same run with the server's own hashing pool.
//!
//! The server trusts this machine as its proxy (`MASHANGSHUO_TRUSTED_PROXIES=127.0.0.1`) and each
//! request names its villager in `X-Forwarded-For`, drawn from a pool of 1,000 addresses per
//! kind of client (villagers, receipt holders, appraisal residents, guessers), as behind the
//! documented nginx: every address keeps its own per-address limits. The per-box hourly budget is
//! raised so no opinion is held. The maintenance job is off in the server and run once between
//! runs instead (`mashangshuo maintain`), so no run pays for a release that another does not;
//! its times are printed.
//!
//! Everything runs on this machine: the clients take CPU from the server, and so does anything
//! else running; each run prints the CPU seconds of the server, of this client and of other
//! processes, so a disturbed run shows as one.
//!
//! `scripts/bench-load.sh` builds and runs it; by hand:
//! `cargo build --release -p mashangshuo --bin mashangshuo --example bench_load &&
//! target/release/examples/bench_load [--seconds 10] [--only abcde] [--json FILE]`
//! (`BENCH_SECONDS`, `DATABASE_URL` and `BENCH_SERVER` are read too; `RUST_LOG`,
//! glibc's `MALLOC_*` tunables and any `MASHANGSHUO_*` setting the benchmark does not set itself are passed
//! on to the server).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use common_load::{Addresses, Outcome, box_token, new_key, submit};
use diesel::{Connection, PgConnection, RunQueryDsl};
use rand::RngExt;
use serde::Serialize;
use vocabulary::appraisal::{ItemKind, Rating, RoundView, answer_field};

mod common_load;

/// Addresses per kind of client.
const POOL: u32 = 1_000;
/// The targets.
const TARGET_THROUGHPUT: f64 = 0.8;
const TARGET_P99: f64 = 2.0;
const TARGET_RSS_MIB: f64 = 128.0;

#[derive(Parser)]
#[command(about = "Load benchmark of the release server (issue 20)")]
struct Cli {
    /// Seconds each run lasts.
    #[arg(long, env = "BENCH_SECONDS", default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients of scenarios a–d, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [16, 64, 256])]
    levels: Vec<usize>,
    /// Villagers submitting during the attack (compared with the quiet run at this level).
    #[arg(long, default_value_t = 16)]
    villagers: usize,
    /// Guessers of the attack.
    #[arg(long, default_value_t = 256)]
    guessers: usize,
    /// The scenarios to run, by letter (the attack's comparison needs a and e).
    #[arg(long, default_value = "abcde")]
    only: String,
    /// The release server binary (default: the workspace's target/release/mashangshuo).
    #[arg(long, env = "BENCH_SERVER")]
    server: Option<PathBuf>,
    /// A PostgreSQL URL (a user allowed to create databases): the benchmark runs again on a
    /// fresh database created there. Anything else is ignored.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Also write every figure to this JSON file.
    #[arg(long)]
    json: Option<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// The server under test.

/// A running `mashangshuo serve` and what is needed to run its other commands beside it.
struct Server {
    child: Child,
    pid: u32,
    base: String,
    bin: PathBuf,
    env: Vec<(String, String)>,
    log: PathBuf,
}

impl Server {
    /// Seeds the demo with `mashangshuo demo` (returning what it printed), then starts `serve`
    /// and waits for `/healthz`.
    async fn start(
        bin: &Path,
        dir: &Path,
        database_url: &str,
    ) -> Result<(Server, serde_json::Value), String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let secret: [u8; 32] = rand::rng().random();
        // The WASM bundle beside the binary (scripts/build-wasm.sh), as served in production;
        // without it the pages work unhydrated, which changes nothing measured here.
        let site = bin
            .parent()
            .and_then(Path::parent)
            .map(|target| target.join("site"))
            .filter(|site| site.join("pkg").is_dir())
            .unwrap_or_else(|| dir.join("site"));
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("DATABASE_URL".into(), database_url.into()),
            ("MASHANGSHUO_DATA_DIR".into(), dir.display().to_string()),
            ("MASHANGSHUO_SITE_ROOT".into(), site.display().to_string()),
            ("MASHANGSHUO_BIND".into(), format!("127.0.0.1:{port}")),
            ("MASHANGSHUO_SECRET".into(), hex::encode(secret)),
            ("MASHANGSHUO_DEMO".into(), "auto".into()),
            ("MASHANGSHUO_TRUSTED_PROXIES".into(), "127.0.0.1".into()),
            ("MASHANGSHUO_BOX_HOURLY_BUDGET".into(), "100000".into()),
            // Run between runs instead (see `maintain`).
            ("MASHANGSHUO_JOB_INTERVAL_SECS".into(), "0".into()),
        ];
        // Passed on when set: the log filter, glibc's malloc tunables, and any other server setting
        // (`MASHANGSHUO_DB_POOL`, `MASHANGSHUO_HASH_SLOTS`, …) to see its effect.
        for (name, value) in std::env::vars() {
            let passed = name == "RUST_LOG"
                || name.starts_with("MALLOC_")
                || (name.starts_with("MASHANGSHUO_") && !env.iter().any(|(set, _)| *set == name));
            if passed {
                env.push((name, value));
            }
        }
        let demo = Command::new(bin)
            .arg("demo")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        if !demo.status.success() {
            return Err(format!(
                "`mashangshuo demo` failed ({}):\n{}",
                demo.status,
                String::from_utf8_lossy(&demo.stderr)
            ));
        }
        let seeded: serde_json::Value = serde_json::from_slice(&demo.stdout)
            .map_err(|e| format!("`mashangshuo demo` printed no JSON: {e}"))?;

        let log = dir.join("server.log");
        let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let out_file = log_file.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .arg("serve")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(out_file)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let mut server = Server {
            pid: child.id(),
            child,
            base: format!("http://127.0.0.1:{port}"),
            bin: bin.to_path_buf(),
            env,
            log,
        };
        server.wait_healthy(Duration::from_secs(60)).await?;
        Ok((server, seeded))
    }

    /// Polls `/healthz` until it answers 200, the server exits or `limit` passes.
    async fn wait_healthy(&mut self, limit: Duration) -> Result<(), String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}):\n{}",
                    self.log_tail()
                ));
            }
            let healthy = client
                .get(format!("{}/healthz", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if healthy {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no answer on /healthz after {limit:?}:\n{}",
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The server log's distinct WARN and ERROR lines (their time cut off), at most `n`.
    fn log_problems(&self, n: usize) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut seen: Vec<String> = Vec::new();
        for line in text.lines() {
            let Some(at) = line.find(" WARN ").or_else(|| line.find(" ERROR ")) else {
                continue;
            };
            let line = line[at + 1..].to_string();
            if !seen.contains(&line) && seen.len() < n {
                seen.push(line);
            }
        }
        seen
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Runs the maintenance job once (`mashangshuo maintain` on the same database): what it
    /// printed and how long the command took.
    fn maintain(&self) -> Result<(serde_json::Value, Duration), String> {
        let started = Instant::now();
        let out = Command::new(&self.bin)
            .arg("maintain")
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stderr(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        let took = started.elapsed();
        if !out.status.success() {
            return Err(format!("`mashangshuo maintain` failed: {}", out.status));
        }
        let report = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        Ok((report, took))
    }

    /// A field of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
    fn status_kib(&self, field: &str) -> Option<u64> {
        status_kib(self.pid, field)
    }

    /// Waits until the server's RSS stops falling (no drop of 256 KiB within a second, at most
    /// 5 s), so that a run's peak is its own and not the tail of the run before, whose
    /// connections are still closing and whose freed pages the server hands back each second.
    fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last = self.status_kib("VmRSS").unwrap_or(0);
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_secs(1));
            let now = self.status_kib("VmRSS").unwrap_or(0);
            if now + 256 > last {
                return;
            }
            last = now;
        }
    }

    /// Resets `VmHWM` to the current RSS; false when the kernel refused.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&self.pid.to_string())
    }

    /// Stops the server: SIGTERM, then SIGKILL after 10 s.
    fn stop(&mut self) {
        // SAFETY: sends a signal to our own child, by its pid.
        unsafe {
            libc::kill(self.pid as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(&format!("{field}:")))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User plus system CPU seconds of process `pid` (`self` for this one), all threads.
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // The command name may hold spaces; the fields after it are plain.
    let Some(rest) = text.rfind(')').map(|at| &text[at + 2..]) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    // SAFETY: sysconf only reads a constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    ticks as f64 / per_second
}

/// Busy CPU seconds of the whole machine since boot (every state of `/proc/stat`'s `cpu` line
/// but idle and iowait), to tell what other processes took during a run.
fn machine_busy_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = text.lines().find(|l| l.starts_with("cpu ")) else {
        return 0.0;
    };
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is counted in user already).
    let busy: u64 = fields
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, v)| v)
        .sum();
    // SAFETY: sysconf only reads a constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    busy as f64 / per_second
}

/// Samples the server's `VmRSS` every 50 ms until stopped; keeps the highest.
struct RssSampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut highest = 0;
            while !flag.load(Ordering::Relaxed) {
                highest = highest.max(status_kib(pid, "VmRSS").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(50));
            }
            highest.max(status_kib(pid, "VmRSS").unwrap_or(0))
        });
        RssSampler { stop, thread }
    }

    fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------------------------
// Clients.

/// What the clients share during one backend's runs.
struct Ctx {
    base: String,
    boxes: Vec<String>,
    /// The demo reviewer's bearer token.
    token: String,
    /// The open poster round's form path (`/a/CODE`).
    round_path: String,
    /// Its rated fields.
    round_fields: Vec<String>,
    /// Receipts handed out so far.
    receipts: Mutex<Vec<String>>,
    villagers: Addresses,
    holders: Addresses,
    residents: Addresses,
    guessers: Addresses,
    staff: Addresses,
    sent: AtomicU64,
}

/// What a client does in a loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Loads a box page and sends an opinion with its token.
    Villager,
    /// Looks up a receipt handed out before.
    Holder,
    /// Answers the poster round.
    Resident,
    /// Reads the first page of the inbox.
    Reviewer,
    /// Looks up a random code that is no receipt.
    Guesser,
}

/// One kind of request's figures.
#[derive(Default)]
struct Series {
    /// Latencies of the answers expected (µs).
    latencies: Vec<u32>,
    /// Other answers by status (`io` when none came).
    other: BTreeMap<String, u64>,
}

impl Series {
    fn record(&mut self, started: Instant, expected: bool, status: Option<u16>) {
        if expected {
            let us = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
            self.latencies.push(us);
        } else {
            let key = status.map_or_else(|| "io".to_string(), |s| s.to_string());
            *self.other.entry(key).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Series) {
        self.latencies.extend(other.latencies);
        for (k, n) in other.other {
            *self.other.entry(k).or_default() += n;
        }
    }
}

/// Series by name, for one worker or one run.
type Tally = BTreeMap<&'static str, Series>;

const PAGE: &str = "box page (GET)";
const SUBMIT: &str = "opinion (POST)";
const LOOKUP: &str = "receipt, existing";
const ANSWER: &str = "appraisal answer";
const INBOX: &str = "inbox page";
const GUESS: &str = "receipt, wrong code";

/// The status of a finished request, once its body is read; `None` when no answer came.
async fn finish(response: Result<reqwest::Response, reqwest::Error>) -> Option<u16> {
    let response = response.ok()?;
    let status = response.status().as_u16();
    response.bytes().await.ok()?;
    Some(status)
}

impl Ctx {
    /// One request (two for a villager); false when there is nothing to do (no receipt handed
    /// out yet), so the client stops.
    async fn step(&self, client: &reqwest::Client, role: Role, tally: &mut Tally) -> bool {
        match role {
            Role::Villager => self.villager(client, tally).await,
            Role::Holder => {
                let receipt = {
                    let receipts = self.receipts.lock().unwrap_or_else(|p| p.into_inner());
                    if receipts.is_empty() {
                        return false;
                    }
                    receipts[rand::rng().random_range(0..receipts.len())].clone()
                };
                self.look_up(client, LOOKUP, &receipt, self.holders.next(), 200, tally)
                    .await;
            }
            Role::Guesser => {
                let code = format!(
                    "{:016}",
                    rand::rng().random_range(0..10_000_000_000_000_000u64)
                );
                self.look_up(client, GUESS, &code, self.guessers.next(), 404, tally)
                    .await;
            }
            Role::Resident => self.resident(client, tally).await,
            Role::Reviewer => {
                let started = Instant::now();
                let response = client
                    .get(format!("{}/api/v1/staff/opinions", self.base))
                    .header("X-Forwarded-For", self.staff.next())
                    .bearer_auth(&self.token)
                    .send()
                    .await;
                let status = finish(response).await;
                tally
                    .entry(INBOX)
                    .or_default()
                    .record(started, status == Some(200), status);
            }
        }
        true
    }

    async fn villager(&self, client: &reqwest::Client, tally: &mut Tally) {
        let n = self.sent.fetch_add(1, Ordering::Relaxed);
        let code = &self.boxes[n as usize % self.boxes.len()];
        // One phone: the page and the opinion come from the same address.
        let from = self.villagers.next();
        let started = Instant::now();
        let token = box_token(client, &self.base, code, from.clone()).await;
        let token = match token {
            Ok(token) => {
                tally.entry(PAGE).or_default().record(started, true, None);
                token
            }
            Err(outcome) => {
                let status = match outcome {
                    Outcome::Refused(status) => Some(status),
                    _ => None,
                };
                tally
                    .entry(PAGE)
                    .or_default()
                    .record(started, false, status);
                return;
            }
        };
        let text = format!("压力测试 第{n}条：村口的路灯坏了，晚上走路看不见，请尽快修好。");
        let started = Instant::now();
        let outcome = submit(client, &self.base, code, text, &new_key(), &token, from).await;
        let series = tally.entry(SUBMIT).or_default();
        match outcome {
            Outcome::Receipt(receipt) => {
                series.record(started, true, Some(201));
                self.receipts
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(receipt);
            }
            Outcome::Refused(status) => series.record(started, false, Some(status)),
            Outcome::Lost => series.record(started, false, None),
        }
    }

    async fn look_up(
        &self,
        client: &reqwest::Client,
        name: &'static str,
        code: &str,
        from: String,
        expected: u16,
        tally: &mut Tally,
    ) {
        let started = Instant::now();
        let response = client
            .post(format!("{}/api/v1/receipts/status", self.base))
            .header("X-Forwarded-For", from)
            .json(&serde_json::json!({ "receipt": code }))
            .send()
            .await;
        let status = finish(response).await;
        tally
            .entry(name)
            .or_default()
            .record(started, status == Some(expected), status);
    }

    async fn resident(&self, client: &reqwest::Client, tally: &mut Tally) {
        let answers: Vec<(&str, &str)> = {
            let mut rng = rand::rng();
            self.round_fields
                .iter()
                .map(|f| {
                    (
                        f.as_str(),
                        Rating::ALL[rng.random_range(0..Rating::ALL.len())].as_str(),
                    )
                })
                .collect()
        };
        let started = Instant::now();
        let response = client
            .post(format!("{}{}", self.base, self.round_path))
            .header("X-Forwarded-For", self.residents.next())
            .form(&answers)
            .send()
            .await;
        let status = finish(response).await;
        tally
            .entry(ANSWER)
            .or_default()
            .record(started, status == Some(200), status);
    }
}

// ---------------------------------------------------------------------------------------------
// Runs and their figures.

#[derive(Clone, Serialize)]
struct SeriesFigures {
    name: &'static str,
    concurrency: usize,
    /// Requests finished, whatever their answer.
    requests: u64,
    /// Requests answered as expected (201 opinion, 200 page/look-up/answer/inbox, 404 for a
    /// wrong code).
    ok: u64,
    requests_per_s: f64,
    ok_per_s: f64,
    /// Of the expected answers.
    p50_ms: f64,
    p99_ms: f64,
    /// Other answers by status; `io` for no answer.
    other: BTreeMap<String, u64>,
    /// `ok_per_s` over the Argon2id ceiling, for requests that each cost one Argon2id run.
    of_argon2_ceiling: Option<f64>,
}

#[derive(Clone, Serialize)]
struct RunFigures {
    scenario: String,
    /// Concurrent clients in all.
    concurrency: usize,
    /// From the start to the last request's answer.
    elapsed_s: f64,
    series: Vec<SeriesFigures>,
    server_cpu_s: f64,
    client_cpu_s: f64,
    /// CPU seconds that other processes of the machine took during the run (the machine's busy
    /// time less the server's and this benchmark's): the figures are disturbed when it is large.
    others_cpu_s: f64,
    /// The server's peak RSS during the run (`VmHWM`, reset before it; since start when the
    /// kernel refused the reset).
    vm_hwm_mib: f64,
    vm_hwm_reset: bool,
    /// The highest `VmRSS` sampled every 50 ms.
    vm_rss_max_mib: f64,
    /// `VmRSS` just before the run: what earlier runs left (freed memory the allocator kept).
    vm_rss_before_mib: f64,
    /// The maintenance job run before it: opinions released, and how long the command took.
    maintenance_released: u64,
    maintenance_ms: f64,
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

/// A client with its own connection pool and the benchmark's request timeout.
fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())
}

/// Runs `groups` (role, clients) together for `seconds`, after a maintenance run.
async fn run(
    ctx: &Arc<Ctx>,
    server: &Server,
    scenario: &str,
    groups: &[(Role, usize)],
    seconds: u64,
    ceiling: f64,
) -> Result<RunFigures, String> {
    let (maintenance, maintenance_took) = server.maintain()?;
    let released = maintenance["report"]["released"].as_u64().unwrap_or(0);
    server.settle();
    let rss_before = server.status_kib("VmRSS").unwrap_or(0);
    let vm_hwm_reset = server.reset_peak();
    let sampler = RssSampler::start(server.pid);
    let (cpu0, client0, busy0) = (
        server.cpu_seconds(),
        cpu_seconds("self"),
        machine_busy_seconds(),
    );
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for &(role, clients) in groups {
        for _ in 0..clients {
            let ctx = ctx.clone();
            // Its own connections, as each phone and browser has: closed when the run ends, so
            // no run inherits another's connections (or the server memory they hold).
            let client = http_client()?;
            workers.push(tokio::spawn(async move {
                let mut tally = Tally::new();
                while Instant::now() < deadline && ctx.step(&client, role, &mut tally).await {}
                (role, tally)
            }));
        }
    }
    let mut merged: Vec<(Role, Tally)> = Vec::new();
    for worker in workers {
        let (role, tally) = worker.await.map_err(|e| e.to_string())?;
        let at = match merged.iter().position(|(r, _)| *r == role) {
            Some(at) => at,
            None => {
                merged.push((role, Tally::new()));
                merged.len() - 1
            }
        };
        for (name, series) in tally {
            merged[at].1.entry(name).or_default().merge(series);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (cpu1, client1, busy1) = (
        server.cpu_seconds(),
        cpu_seconds("self"),
        machine_busy_seconds(),
    );
    let rss_max = sampler.finish();
    let hwm = server.status_kib("VmHWM").unwrap_or(0);
    let mut series = Vec::new();
    for (role, tally) in merged {
        let clients = groups
            .iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, n)| n)
            .sum();
        // A page before each opinion: the page first.
        let mut named: Vec<(&'static str, Series)> = tally.into_iter().collect();
        named.sort_by_key(|(name, _)| *name != PAGE);
        for (name, mut s) in named {
            s.latencies.sort_unstable();
            let ok = s.latencies.len() as u64;
            let requests = ok + s.other.values().sum::<u64>();
            let ok_per_s = ok as f64 / elapsed;
            series.push(SeriesFigures {
                name,
                concurrency: clients,
                requests,
                ok,
                requests_per_s: requests as f64 / elapsed,
                ok_per_s,
                p50_ms: percentile(&s.latencies, 0.50),
                p99_ms: percentile(&s.latencies, 0.99),
                other: s.other,
                of_argon2_ceiling: (matches!(name, SUBMIT | LOOKUP) && ceiling > 0.0)
                    .then_some(ok_per_s / ceiling),
            });
        }
    }
    Ok(RunFigures {
        scenario: scenario.to_string(),
        concurrency: groups.iter().map(|(_, n)| n).sum(),
        elapsed_s: elapsed,
        series,
        server_cpu_s: cpu1 - cpu0,
        client_cpu_s: client1 - client0,
        others_cpu_s: ((busy1 - busy0) - (cpu1 - cpu0) - (client1 - client0)).max(0.0),
        vm_hwm_mib: mib(hwm),
        vm_hwm_reset,
        vm_rss_max_mib: mib(rss_max),
        vm_rss_before_mib: mib(rss_before),
        maintenance_released: released,
        maintenance_ms: maintenance_took.as_secs_f64() * 1000.0,
    })
}

// ---------------------------------------------------------------------------------------------
// One backend.

#[derive(Serialize)]
struct Verdict {
    measured: f64,
    target: String,
    pass: bool,
}

#[derive(Serialize)]
struct BackendFigures {
    backend: String,
    /// RSS right after start, before any request.
    idle_rss_mib: f64,
    runs: Vec<RunFigures>,
    /// Attack villagers' opinions/s over the quiet run's.
    attack_throughput_ratio: Option<Verdict>,
    /// Attack villagers' p99 over the quiet run's.
    attack_p99_ratio: Option<Verdict>,
    /// The highest VmHWM of every run.
    peak_rss: Verdict,
    /// The poster round's answers after scenario (c): counted, and held (待核) by the burst monitor.
    appraisal_counted: Option<u64>,
    appraisal_held: Option<u64>,
    /// The reviewer's inbox size before scenario (d).
    inbox_opinions: Option<u64>,
    /// Distinct warnings and errors in the server's log (time cut off), the first ten.
    server_log_problems: Vec<String>,
}

async fn staff_json(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, String> {
    let request = match body {
        Some(body) => client.post(format!("{base}{path}")).json(&body),
        None => client.get(format!("{base}{path}")),
    };
    let response = request
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{path}: {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The demo reviewer's session and the poster round opened for scenario (c).
struct Prepared {
    token: String,
    round_id: String,
    /// The public form's path, `/a/CODE`.
    round_path: String,
    /// The form's rated fields.
    fields: Vec<String>,
}

/// Signs the demo reviewer in and opens a poster round over the first three of its units.
async fn prepare(
    client: &reqwest::Client,
    base: &str,
    seeded: &serde_json::Value,
) -> Result<Prepared, String> {
    let reviewer = &seeded["reviewer"];
    let response = client
        .post(format!("{base}/api/v1/staff/login"))
        .header("X-Forwarded-For", "10.250.0.1")
        .json(&serde_json::json!({
            "username": reviewer["username"], "password": reviewer["password"],
        }))
        .send()
        .await
        .map_err(|e| format!("login: {e}"))?;
    let signed_in: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
    let token = signed_in["token"]
        .as_str()
        .ok_or_else(|| format!("login refused: {signed_in}"))?
        .to_string();
    let overview = staff_json(client, base, &token, "/api/v1/staff/appraisal", None).await?;
    let units: Vec<String> = overview["units"]
        .as_array()
        .map(|units| {
            units
                .iter()
                .take(3)
                .filter_map(|u| u["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if units.is_empty() {
        return Err("the demo group has no units to appraise".into());
    }
    let today = mashangshuo::domain::day::today();
    let closes =
        mashangshuo::domain::day::day_of_unix(mashangshuo::domain::day::unix_now() + 30 * 86_400);
    let created = staff_json(
        client,
        base,
        &token,
        "/api/v1/staff/appraisal/rounds",
        Some(serde_json::json!({
            "name": "压力测试群众评议", "questionnaire": "template:organisation",
            "mode": "open", "opens_on": today, "closes_on": closes, "subjects": units,
        })),
    )
    .await?;
    let round_id = created["id"].as_str().ok_or("no round id")?.to_string();
    let view = round_view(client, base, &token, &round_id).await?;
    let round_path = view
        .public_url
        .find("/a/")
        .map(|at| view.public_url[at..].to_string())
        .ok_or("no public form address")?;
    let mut fields = Vec::new();
    for subject in &view.subjects {
        for item in &view.questionnaire.items {
            if item.kind == ItemKind::Rating {
                fields.push(answer_field(&subject.id, &item.key));
            }
        }
    }
    Ok(Prepared {
        token,
        round_id,
        round_path,
        fields,
    })
}

async fn round_view(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    id: &str,
) -> Result<RoundView, String> {
    let path = format!("/api/v1/staff/appraisal/rounds/{id}");
    let view = staff_json(client, base, token, &path, None).await?;
    serde_json::from_value(view).map_err(|e| format!("{path}: {e}"))
}

async fn bench_backend(
    cli: &Cli,
    bin: &Path,
    backend: &str,
    database_url: &str,
    dir: &Path,
    ceiling: f64,
) -> Result<BackendFigures, String> {
    eprintln!("[bench] {backend}: seeding the demo and starting the server");
    let (mut server, seeded) = Server::start(bin, dir, database_url).await?;
    let idle_rss = server.status_kib("VmRSS").unwrap_or(0);
    let boxes: Vec<String> = seeded["boxes"]
        .as_array()
        .map(|boxes| {
            boxes
                .iter()
                .filter_map(|b| b["url"].as_str()?.rsplit("/b/").next().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if boxes.is_empty() {
        return Err(format!("the demo printed no boxes: {seeded}"));
    }
    let client = http_client()?;
    let Prepared {
        token,
        round_id,
        round_path,
        fields,
    } = prepare(&client, &server.base, &seeded).await?;
    let pool = |n: u32| Addresses::new(n * 65_536, POOL);
    let ctx = Arc::new(Ctx {
        base: server.base.clone(),
        boxes,
        token: token.clone(),
        round_path,
        round_fields: fields,
        receipts: Mutex::new(Vec::new()),
        villagers: pool(1),
        holders: pool(2),
        residents: pool(3),
        guessers: pool(4),
        staff: pool(5),
        sent: AtomicU64::new(0),
    });

    let mut runs = Vec::new();
    let (mut round, mut inbox_opinions) = (None, None);
    let scenarios = [
        ("a submissions", Role::Villager),
        ("b receipts", Role::Holder),
        ("c appraisal", Role::Resident),
        ("d inbox", Role::Reviewer),
    ];
    for (scenario, role) in scenarios {
        if !cli.only.contains(&scenario[..1]) {
            continue;
        }
        if role == Role::Reviewer {
            round = round_view(&client, &server.base, &token, &round_id)
                .await
                .ok();
            // The inbox as reviewers find it: every waiting opinion released first.
            server.maintain()?;
            let path = "/api/v1/staff/opinions/counts";
            inbox_opinions = staff_json(&client, &server.base, &token, path, None)
                .await
                .ok()
                .and_then(|counts| {
                    let rows = counts.as_array()?;
                    Some(rows.iter().filter_map(|r| r["count"].as_u64()).sum())
                });
        }
        for &n in &cli.levels {
            let figures = run(&ctx, &server, scenario, &[(role, n)], cli.seconds, ceiling).await?;
            print_run(backend, &figures);
            runs.push(figures);
        }
    }
    let attack = [
        (Role::Villager, cli.villagers),
        (Role::Guesser, cli.guessers),
    ];
    if cli.only.contains('e') {
        let figures = run(&ctx, &server, "e attack", &attack, cli.seconds, ceiling).await?;
        print_run(backend, &figures);
        runs.push(figures);
    }
    server.stop();
    let server_log_problems = server.log_problems(10);

    let submit_of = |run: &RunFigures| run.series.iter().find(|s| s.name == SUBMIT).cloned();
    let quiet = runs
        .iter()
        .find(|r| r.scenario.starts_with('a') && r.concurrency == cli.villagers)
        .and_then(submit_of);
    let attacked = runs
        .iter()
        .find(|r| r.scenario.starts_with('e'))
        .and_then(submit_of);
    let (throughput, p99) = match (quiet, attacked) {
        (Some(q), Some(a)) if q.ok_per_s > 0.0 && q.p99_ms > 0.0 => {
            let t = a.ok_per_s / q.ok_per_s;
            let p = a.p99_ms / q.p99_ms;
            (
                Some(Verdict {
                    measured: t,
                    target: format!("≥ {TARGET_THROUGHPUT}×"),
                    pass: t >= TARGET_THROUGHPUT,
                }),
                Some(Verdict {
                    measured: p,
                    target: format!("≤ {TARGET_P99}×"),
                    pass: p <= TARGET_P99,
                }),
            )
        }
        _ => (None, None),
    };
    let peak = runs.iter().map(|r| r.vm_hwm_mib).fold(0.0, f64::max);
    Ok(BackendFigures {
        backend: backend.to_string(),
        idle_rss_mib: mib(idle_rss),
        runs,
        attack_throughput_ratio: throughput,
        attack_p99_ratio: p99,
        peak_rss: Verdict {
            measured: peak,
            target: format!("< {TARGET_RSS_MIB} MiB"),
            pass: peak < TARGET_RSS_MIB,
        },
        appraisal_counted: round.as_ref().map(|r| u64::from(r.responses)),
        appraisal_held: round.as_ref().map(|r| u64::from(r.held)),
        inbox_opinions,
        server_log_problems,
    })
}

// ---------------------------------------------------------------------------------------------
// Printing.

fn header() {
    println!(
        "{:<9} {:<14} {:>4}  {:<20} {:>7} {:>8} {:>8} {:>8} {:>8}  {:<18} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7}",
        "backend",
        "scenario",
        "conc",
        "requests",
        "done",
        "req/s",
        "ok/s",
        "p50 ms",
        "p99 ms",
        "other answers",
        "×argon",
        "srvCPU",
        "cliCPU",
        "othCPU",
        "RSS0",
        "HWM",
        "RSSmax",
    );
}

fn print_run(backend: &str, run: &RunFigures) {
    if run.series.is_empty() {
        println!(
            "{backend:<9} {:<14} {:>4}  no requests: receipt look-ups need the receipts of (a)",
            run.scenario, run.concurrency
        );
    }
    for (i, s) in run.series.iter().enumerate() {
        let other = others(&s.other);
        let ratio = s
            .of_argon2_ceiling
            .map_or("".to_string(), |r| format!("{r:.2}"));
        let tail = if i == 0 {
            format!(
                "{:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>7.1}",
                run.server_cpu_s,
                run.client_cpu_s,
                run.others_cpu_s,
                run.vm_rss_before_mib,
                run.vm_hwm_mib,
                run.vm_rss_max_mib
            )
        } else {
            String::new()
        };
        println!(
            "{:<9} {:<14} {:>4}  {:<20} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}  {:<18} {:>6} {}",
            if i == 0 { backend } else { "" },
            if i == 0 { run.scenario.as_str() } else { "" },
            s.concurrency,
            s.name,
            s.requests,
            s.requests_per_s,
            s.ok_per_s,
            s.p50_ms,
            s.p99_ms,
            other,
            ratio,
            tail,
        );
    }
}

/// Answers by status, `429:12 io:1`, or `-`.
fn others(other: &BTreeMap<String, u64>) -> String {
    if other.is_empty() {
        return "-".to_string();
    }
    other
        .iter()
        .map(|(k, n)| format!("{k}:{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn verdict(v: &Verdict) -> &'static str {
    if v.pass { "PASS" } else { "MISS" }
}

fn print_summary(b: &BackendFigures, cli: &Cli) {
    println!();
    println!("{}:", b.backend);
    let submit = |prefix: char| {
        b.runs
            .iter()
            .find(|r| {
                r.scenario.starts_with(prefix) && (prefix == 'e' || r.concurrency == cli.villagers)
            })
            .and_then(|r| r.series.iter().find(|s| s.name == SUBMIT))
    };
    match (
        submit('a'),
        submit('e'),
        &b.attack_throughput_ratio,
        &b.attack_p99_ratio,
    ) {
        (Some(q), Some(a), Some(t), Some(p)) => {
            println!(
                "  attack ({} villagers + {} guessers) vs quiet ({} villagers):",
                cli.villagers, cli.guessers, cli.villagers
            );
            println!(
                "    villagers' opinions/s  {:>7.1} vs {:>7.1}  = {:.2}×  target {}  {}",
                a.ok_per_s,
                q.ok_per_s,
                t.measured,
                t.target,
                verdict(t)
            );
            println!(
                "    villagers' p99         {:>5.0} ms vs {:>5.0} ms  = {:.2}×  target {}  {}",
                a.p99_ms,
                q.p99_ms,
                p.measured,
                p.target,
                verdict(p)
            );
        }
        _ => println!(
            "  attack vs quiet: not measured (no quiet run at {} clients, or no opinion went through)",
            cli.villagers
        ),
    }
    if let Some(guess) = b
        .runs
        .iter()
        .find(|r| r.scenario.starts_with('e'))
        .and_then(|r| r.series.iter().find(|s| s.name == GUESS))
    {
        println!(
            "    guessers: {} wrong codes answered 404 ({:.0}/s, p99 {:.1} ms); other answers: {}",
            guess.ok,
            guess.ok_per_s,
            guess.p99_ms,
            others(&guess.other)
        );
    }
    if !b.server_log_problems.is_empty() {
        println!("  the server logged (distinct warnings and errors, first ten):");
        for line in &b.server_log_problems {
            println!("    {line}");
        }
    }
    let others: f64 = b.runs.iter().map(|r| r.others_cpu_s).sum();
    let available: f64 = b.runs.iter().map(|r| r.elapsed_s).sum::<f64>()
        * std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64);
    println!(
        "  other processes on this machine took {others:.1} CPU-s of {available:.0} during the runs ({:.0}%){}",
        100.0 * others / available.max(1e-9),
        if others > 0.05 * available {
            ": the figures are disturbed"
        } else {
            ""
        }
    );
    let resets = b.runs.iter().all(|r| r.vm_hwm_reset);
    println!(
        "  peak RSS (VmHWM{}) {:.1} MiB, target {}  {}; idle after start {:.1} MiB",
        if resets {
            ", reset before each run"
        } else {
            " since start: the kernel refused a reset"
        },
        b.peak_rss.measured,
        b.peak_rss.target,
        verdict(&b.peak_rss),
        b.idle_rss_mib
    );
    if let (Some(counted), Some(held)) = (b.appraisal_counted, b.appraisal_held) {
        println!(
            "  poster round after (c): {counted} answers counted, {held} held (待核) by the burst monitor"
        );
    }
    if let Some(n) = b.inbox_opinions {
        println!("  reviewer's inbox during (d): {n} opinions");
    }
    let longest = b
        .runs
        .iter()
        .max_by(|x, y| x.maintenance_ms.total_cmp(&y.maintenance_ms));
    if let Some(longest) = longest {
        println!(
            "  maintenance job before each run (`mashangshuo maintain`, process start included): {} opinions released in all, longest {:.0} ms (before {} at {})",
            b.runs.iter().map(|r| r.maintenance_released).sum::<u64>(),
            longest.maintenance_ms,
            longest.scenario,
            longest.concurrency
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The machine and the Argon2id ceiling.

#[derive(Serialize)]
struct Machine {
    cores: usize,
    cpu: String,
    memory_mib: f64,
    kernel: String,
}

fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu,
        memory_mib: mib(memory_kib),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[derive(Serialize)]
struct Argon2Figures {
    /// The parameters of the server's hashing pool, as its password hashes record them.
    params: String,
    /// Receipt hashes per second on the server's own pool (one slot per core), with the server
    /// idle.
    ceiling_per_s: f64,
    hashes: u64,
    seconds: f64,
}

/// Receipt hashes per second through the server's own `HashPool` for `seconds`, all slots busy.
async fn argon2_ceiling(seconds: f64) -> Result<Argon2Figures, String> {
    use mashangshuo::config::Secret;
    use mashangshuo::crypto::{HashPool, Keys};
    // The server's default: one slot per core, unless the benchmark passes another count on.
    let slots = std::env::var("MASHANGSHUO_HASH_SLOTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = HashPool::new(Keys::derive(&Secret::new(vec![7; 32])), slots);
    let phc = pool
        .hash_password("bench")
        .await
        .map_err(|e| e.to_string())?;
    // `$argon2id$v=19$m=19456,t=2,p=1$…`
    let params = phc.split('$').nth(3).unwrap_or("?").to_string();
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for i in 0..slots * 2 {
        let (pool, done) = (pool.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                if pool.receipt_hash(&format!("{i:08}{n:08}")).await.is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
                n += 1;
            }
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let hashes = done.load(Ordering::Relaxed);
    let memory = params
        .split(',')
        .find_map(|p| p.strip_prefix("m="))
        .and_then(|m| m.parse::<f64>().ok())
        .map_or(String::new(), |kib| format!(" ({:.0} MiB)", kib / 1024.0));
    Ok(Argon2Figures {
        params: format!("Argon2id {params}{memory}"),
        ceiling_per_s: hashes as f64 / elapsed,
        hashes,
        seconds: elapsed,
    })
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a fresh database per run.

/// A database created for the benchmark, dropped with this value.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin: &str) -> Result<PgDatabase, String> {
        let suffix: u64 = rand::rng().random();
        let name = format!("mss_bench_{suffix:016x}");
        let mut conn = PgConnection::establish(admin).map_err(|e| format!("PostgreSQL: {e}"))?;
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .map_err(|e| format!("CREATE DATABASE: {e}"))?;
        let (head, query) = match admin.split_once('?') {
            Some((head, query)) => (head, format!("?{query}")),
            None => (admin, String::new()),
        };
        // postgres://user@host:port/db → …/name; a URL without a path gets one.
        let authority_end = head.find("://").map_or(0, |at| at + 3);
        let base = match head[authority_end..].find('/') {
            Some(slash) => &head[..authority_end + slash],
            None => head,
        };
        Ok(PgDatabase {
            admin: admin.to_string(),
            url: format!("{base}/{name}{query}"),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct Report {
    machine: Machine,
    argon2: Argon2Figures,
    /// Measured again after the runs: a large difference means the machine's load changed.
    argon2_after: Argon2Figures,
    seconds_per_run: u64,
    address_pool: u32,
    backends: Vec<BackendFigures>,
}

fn default_server() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("release/mashangshuo")
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match bench(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn bench(cli: Cli) -> Result<(), String> {
    let bin = cli.server.clone().unwrap_or_else(default_server);
    let bin = std::fs::canonicalize(&bin).map_err(|e| {
        format!(
            "{}: {e} (cargo build --release -p mashangshuo --bin mashangshuo)",
            bin.display()
        )
    })?;
    let machine = machine();
    eprintln!("[bench] measuring the Argon2id ceiling");
    let argon2 = argon2_ceiling((cli.seconds as f64 / 2.0).clamp(2.0, 5.0)).await?;
    println!(
        "machine: {} cores, {}, {:.0} MiB, Linux {}",
        machine.cores, machine.cpu, machine.memory_mib, machine.kernel
    );
    println!(
        "hashing: {}, {} slots; ceiling {:.1} receipt hashes/s ({} in {:.1} s, server idle)",
        argon2.params, machine.cores, argon2.ceiling_per_s, argon2.hashes, argon2.seconds
    );
    println!(
        "runs: {} s each; each kind of client names itself in X-Forwarded-For from {} addresses; \
         trusted proxy 127.0.0.1",
        cli.seconds, POOL
    );
    println!(
        "columns: p50/p99 of the expected answers; ×argon = ok/s over the ceiling; CPU seconds of \
         the server, of this client (same cores) and of other processes; RSS in MiB: RSS0 before \
         the run, HWM its peak (VmHWM reset to RSS0), RSSmax sampled every 50 ms"
    );
    println!();
    header();

    let mut backends = Vec::new();
    let sqlite_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!(
        "sqlite://{}",
        sqlite_dir.path().join("mashangshuo.db").display()
    );
    backends.push(
        bench_backend(
            &cli,
            &bin,
            "sqlite",
            &url,
            sqlite_dir.path(),
            argon2.ceiling_per_s,
        )
        .await?,
    );
    if let Some(admin) = cli
        .database_url
        .as_deref()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
    {
        let database = PgDatabase::create(admin)?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let figures = bench_backend(
            &cli,
            &bin,
            "postgres",
            &database.url,
            dir.path(),
            argon2.ceiling_per_s,
        )
        .await;
        drop(database);
        backends.push(figures?);
    }
    eprintln!("[bench] measuring the Argon2id ceiling again");
    let argon2_after = argon2_ceiling((cli.seconds as f64 / 2.0).clamp(2.0, 5.0)).await?;
    for b in &backends {
        print_summary(b, &cli);
    }
    println!();
    println!(
        "Argon2id ceiling {:.1} hashes/s before the runs, {:.1} after (×argon uses the first)",
        argon2.ceiling_per_s, argon2_after.ceiling_per_s
    );
    if let Some(path) = &cli.json {
        let report = Report {
            machine,
            argon2,
            argon2_after,
            seconds_per_run: cli.seconds,
            address_pool: POOL,
            backends,
        };
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!();
        println!("figures written to {}", path.display());
    }
    Ok(())
}
