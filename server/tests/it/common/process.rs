//! The real `mashangshuo` binary as a child process, for tests that read its stdout and logs.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::{TestDb, test_env};

/// A `mashangshuo serve` child process with its output collected.
pub struct Server {
    /// The port it bound.
    pub port: u16,
    child: Child,
    /// Log lines (stderr), including those read while waiting for the port.
    log: mpsc::Receiver<String>,
    early_log: Vec<String>,
    /// The whole of stdout, sent once the process exits.
    stdout: mpsc::Receiver<String>,
}

/// What a stopped server wrote.
pub struct Output {
    /// Everything on stderr.
    pub log: String,
    /// Everything on stdout.
    pub stdout: String,
}

fn binary(db: &TestDb, subcommand: &str, demo: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mashangshuo"));
    cmd.arg(subcommand)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "debug");
    for (k, v) in test_env(db, "127.0.0.1:0", "http://127.0.0.1") {
        cmd.env(k, v);
    }
    cmd.env("MASHANGSHUO_DEMO", demo);
    cmd
}

/// Starts `mashangshuo serve` (`demo` is `auto` or `off`) and waits for its "listening" log line.
pub fn start(db: &TestDb, demo: &str) -> Server {
    start_with(db, demo, &[])
}

/// Like [`start`], with extra environment variables.
pub fn start_with(db: &TestDb, demo: &str, env: &[(&str, &str)]) -> Server {
    let mut child = binary(db, "serve", demo)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn server");
    let (log_tx, log) = mpsc::channel();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if log_tx.send(line).is_err() {
                break;
            }
        }
    });
    let (out_tx, stdout) = mpsc::channel();
    let mut out = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        let mut all = String::new();
        let _ = out.read_to_string(&mut all);
        let _ = out_tx.send(all);
    });
    let mut early_log = Vec::new();
    let port = loop {
        let line = log
            .recv_timeout(Duration::from_secs(60))
            .expect("the server logs its port");
        let port = line
            .contains("listening")
            .then(|| {
                line.split("port=")
                    .nth(1)
                    .and_then(|p| p.trim().parse().ok())
            })
            .flatten();
        early_log.push(line);
        if let Some(port) = port {
            break port;
        }
    };
    Server {
        port,
        child,
        log,
        early_log,
        stdout,
    }
}

impl Server {
    /// Waits up to `timeout` for a log line containing `needle`; keeps the lines read.
    pub fn wait_for_log(&mut self, needle: &str, timeout: Duration) -> bool {
        let until = std::time::Instant::now() + timeout;
        while let Some(left) = until.checked_duration_since(std::time::Instant::now()) {
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.early_log.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
        false
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The child's peak resident memory so far (`VmHWM` in `/proc/PID/status`), in KiB.
    pub fn peak_memory_kib(&self) -> u64 {
        self.memory_kib("VmHWM:")
    }

    /// The child's resident memory now (`VmRSS`), in KiB.
    pub fn memory_now_kib(&self) -> u64 {
        self.memory_kib("VmRSS:")
    }

    fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("memory line")
    }

    /// Kills the server and returns what it wrote.
    pub fn stop(mut self) -> Output {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut log = self.early_log.join("\n");
        // The reader thread ends at EOF, which follows the exit.
        while let Ok(line) = self.log.recv_timeout(Duration::from_secs(10)) {
            log.push('\n');
            log.push_str(&line);
        }
        let stdout = self
            .stdout
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_default();
        Output { log, stdout }
    }
}

impl Drop for Server {
    /// A test that fails before [`Server::stop`] leaves no server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs in through the API of the server at `base`; returns the bearer token.
pub async fn api_login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> String {
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/staff/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("JSON");
    login["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{username} signs in: {login}"))
        .to_string()
}

/// Runs `mashangshuo demo` and parses the one JSON object it prints.
pub fn seed(db: &TestDb) -> serde_json::Value {
    let output = binary(db, "demo", "off").output().expect("run demo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("demo prints one JSON object")
}

/// Runs `mashangshuo maintain` with extra environment variables and parses its JSON report.
pub fn maintain(db: &TestDb, env: &[(&str, &str)]) -> serde_json::Value {
    let output = binary(db, "maintain", "off")
        .envs(env.iter().copied())
        .output()
        .expect("run maintain");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("maintain prints one JSON object")
}

/// Runs `mashangshuo audit`: its exit code and the JSON it prints.
pub fn audit(db: &TestDb) -> (Option<i32>, serde_json::Value) {
    audit_as(db, "audit")
}

/// Runs the audit check under one of its names (`audit` or `verify`).
pub fn audit_as(db: &TestDb, command: &str) -> (Option<i32>, serde_json::Value) {
    let output = binary(db, command, "off").output().expect("run audit");
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), report)
}

/// Runs a command expected to fail; returns its exit code and stderr.
pub fn run_failing(db: &TestDb, command: &str) -> (Option<i32>, String) {
    let output = binary(db, command, "off").output().expect("run");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// Runs `mashangshuo migrate`; returns whether it succeeded.
pub fn migrate(db: &TestDb) -> bool {
    binary(db, "migrate", "off")
        .status()
        .expect("run migrate")
        .success()
}

/// Starts `mashangshuo migrate` without waiting for it.
pub fn spawn_migrate(db: &TestDb) -> Child {
    binary(db, "migrate", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn migrate")
}

/// Runs `mashangshuo ARGS…` (the first is the subcommand) with extra environment variables
/// and, when given, `stdin`; returns its whole output. A command still running after a
/// minute (a `serve` that should have refused to start) is killed, and its status says so.
pub fn run(
    db: &TestDb,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> std::process::Output {
    let (subcommand, rest) = args.split_first().expect("a subcommand");
    let mut child = binary(db, subcommand, "off")
        .args(rest)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mashangshuo");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        std::io::Write::write_all(&mut input, text.as_bytes()).expect("write stdin");
    }
    drop(input);
    let collect = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = pipe.read_to_end(&mut all);
            all
        })
    };
    let stdout = collect(Box::new(child.stdout.take().expect("stdout")));
    let stderr = collect(Box::new(child.stderr.take().expect("stderr")));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for mashangshuo") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().expect("wait for the killed command");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}
