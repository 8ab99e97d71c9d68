//! The fuzzing loop shared by every target: inputs from seeds, byte-level mutations and
//! structured generation; each execution run under `catch_unwind` with a quiet panic hook; new
//! outcomes kept in a small corpus; each distinct failure written to `target/fuzz-findings/`.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// What one execution of a target concluded: `Ok` with a signature of the outcome (inputs with a
/// signature not seen before are kept for further mutation), or `Err` with what went wrong.
pub type Verdict = Result<u64, String>;

/// One fuzz target: how to make inputs for it and how to check one.
pub struct Target {
    /// Its name on the command line and in `target/fuzz-findings/`.
    pub name: &'static str,
    /// Valid examples of the input format, built in code.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Tokens of the format that byte mutations insert.
    pub dictionary: &'static [&'static [u8]],
    /// A new input built from the format's structure.
    pub generate: fn(&mut SmallRng) -> Vec<u8>,
    /// A mutation that knows the format (e.g. fixing PNG checksums), if any; `false` if it did
    /// not apply to this input.
    pub mutate: Option<fn(&mut Vec<u8>, &mut SmallRng) -> bool>,
    /// Longest input worth trying.
    pub max_len: usize,
    /// Runs the code under test on one input and checks its invariants.
    pub check: fn(&[u8]) -> Verdict,
}

/// A signature from anything hashable (a result's shape, an error's kind).
pub fn signature(value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Fails with `message` unless `condition` holds.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

// --- panics ------------------------------------------------------------------------------

thread_local! {
    /// The message and location of the last panic on this thread, recorded by the quiet hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Whether this thread is running a target: only then is a panic recorded, not printed.
    static IN_TARGET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Replaces the panic hook by one that records a target's panic instead of printing it; a
/// panic of the runner itself is still printed as usual.
pub fn quiet_panics() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !IN_TARGET.with(|t| t.get()) {
            return default(info);
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic payload".into());
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panic at {at}: {message}")));
    }));
}

/// Runs `check` on `input`, turning a panic into a failure.
pub fn execute(check: fn(&[u8]) -> Verdict, input: &[u8]) -> Verdict {
    IN_TARGET.with(|t| t.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(input)));
    IN_TARGET.with(|t| t.set(false));
    match outcome {
        Ok(verdict) => verdict,
        Err(_) => Err(LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())),
    }
}

// --- findings ----------------------------------------------------------------------------

/// Where findings of `target` are written: `target/fuzz-findings/TARGET` of the workspace.
pub fn findings_dir(target: &str) -> PathBuf {
    let root = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let server = Path::new(env!("CARGO_MANIFEST_DIR"));
            server.parent().unwrap_or(server).join("target")
        });
    root.join("fuzz-findings").join(target)
}

/// `path` relative to the current directory when it is below it, for shorter messages.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// The part of a failure message that names the bug rather than the input: the words before
/// the first quoted or bracketed value, digits blanked, so the same bug on other inputs counts
/// once.
fn finding_key(message: &str) -> String {
    let mut key = String::new();
    for c in message.lines().next().unwrap_or_default().chars().take(120) {
        match c {
            '"' | '`' | '[' | '{' | '(' => break,
            '0'..='9' => {
                if !key.ends_with('#') {
                    key.push('#');
                }
            }
            _ => key.push(c),
        }
    }
    key
}

/// The first line of `message`, cut to a readable length.
fn headline(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.char_indices().nth(240) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// Writes `input` under `dir` with a name from its content; returns the path.
pub fn save_input(dir: &Path, prefix: &str, input: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{prefix}-{:016x}", signature(input)));
    std::fs::write(&path, input)?;
    Ok(path)
}

// --- mutations ---------------------------------------------------------------------------

/// Characters that trip up text handling: full-width digits and letters, ideographic space,
/// CJK, combining marks, zero-width and direction marks, U+FFFD, an emoji, Kelvin and dotted I.
const TRICKY_CHARS: &[char] = &[
    '０', '９', '１', 'Ｘ', 'ｘ', '＠', '－', '　', '，', '。', '号', '村', '组', '零', '一', '二',
    '三', '十', '百', '千', '万', '亿', '壹', '〇', '\u{0301}', '\u{200b}', '\u{200d}', '\u{202e}',
    '\u{feff}', '\u{fffd}', '😀', '\u{212a}', 'İ', 'ß', '\u{85}', '\u{2028}', '\0', '\t', '\r',
    '\n',
];

/// Numbers at the edges of integer types and of the project's limits.
const TRICKY_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "127",
    "255",
    "256",
    "32767",
    "32768",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2048",
    "2049",
    "12000",
    "16384",
    "8388608",
    "1.5",
];

/// Applies one to five random mutations to `data` (which may be empty).
pub fn mutate(data: &mut Vec<u8>, rng: &mut SmallRng, target: &Target, corpus: &[Vec<u8>]) {
    let rounds = 1 + rng.random_range(0..5usize).min(rng.random_range(0..5usize));
    for _ in 0..rounds {
        if let Some(custom) = target.mutate
            && rng.random_ratio(1, 4)
            && custom(data, rng)
        {
            continue;
        }
        mutate_once(data, rng, target.dictionary, corpus);
    }
    data.truncate(target.max_len);
}

/// One byte-level mutation, chosen at random; one that does not apply becomes an insertion.
fn mutate_once(data: &mut Vec<u8>, rng: &mut SmallRng, dictionary: &[&[u8]], corpus: &[Vec<u8>]) {
    let len = data.len();
    let at = |rng: &mut SmallRng| rng.random_range(0..=len);
    match rng.random_range(0..14u8) {
        // Flip a bit.
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            data[i] ^= 1 << rng.random_range(0..8u8);
        }
        // Set a byte to an interesting or random value.
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            const INTERESTING: [u8; 12] = [
                0, 1, 0x7f, 0x80, 0xff, b'0', b'9', b'-', b'"', b'\n', b'%', 0xe4,
            ];
            data[i] = if rng.random_bool(0.5) {
                INTERESTING[rng.random_range(0..INTERESTING.len())]
            } else {
                rng.random()
            };
        }
        // Insert random bytes.
        2 => {
            let i = at(rng);
            let n = rng.random_range(1..9usize);
            let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            data.splice(i..i, bytes);
        }
        // Delete a range.
        3 if len > 0 => {
            let i = rng.random_range(0..len);
            let n = rng.random_range(1..=(len - i).min(64));
            data.drain(i..i + n);
        }
        // Duplicate a range, possibly many times (long runs find quadratic and length bugs).
        4 if len > 0 => {
            let i = rng.random_range(0..len);
            let n = rng.random_range(1..=(len - i).min(32));
            let piece = data[i..i + n].to_vec();
            let times = if rng.random_ratio(1, 8) {
                rng.random_range(2..200)
            } else {
                1
            };
            let j = at(rng);
            data.splice(j..j, piece.iter().copied().cycle().take(n * times));
        }
        // Splice with another corpus entry.
        5 if !corpus.is_empty() => {
            let other = &corpus[rng.random_range(0..corpus.len())];
            let cut_here = at(rng);
            let cut_there = rng.random_range(0..=other.len());
            data.truncate(cut_here);
            data.extend_from_slice(&other[cut_there..]);
        }
        // Insert or overwrite with a dictionary token.
        6 | 7 if !dictionary.is_empty() => {
            let token = dictionary[rng.random_range(0..dictionary.len())];
            let i = at(rng);
            let end = if rng.random_bool(0.5) {
                i
            } else {
                (i + token.len()).min(len)
            };
            data.splice(i..end, token.iter().copied());
        }
        // Replace a number by one at an edge.
        8 => {
            let number = TRICKY_NUMBERS[rng.random_range(0..TRICKY_NUMBERS.len())].as_bytes();
            match digit_run(data, rng) {
                Some((s, e)) => {
                    data.splice(s..e, number.iter().copied());
                }
                None => {
                    let i = at(rng);
                    data.splice(i..i, number.iter().copied());
                }
            }
        }
        // Insert a tricky character.
        9 | 10 => {
            let c = TRICKY_CHARS[rng.random_range(0..TRICKY_CHARS.len())];
            let mut buf = [0u8; 4];
            let i = char_boundary_at_or_before(data, at(rng));
            data.splice(i..i, c.encode_utf8(&mut buf).bytes());
        }
        // Truncate.
        11 if len > 0 => data.truncate(rng.random_range(0..len)),
        // Swap two bytes.
        12 if len > 1 => {
            let (i, j) = (rng.random_range(0..len), rng.random_range(0..len));
            data.swap(i, j);
        }
        // Percent-encode a byte.
        13 if len > 0 => {
            let i = rng.random_range(0..len);
            let encoded = format!("%{:02X}", data[i]);
            data.splice(i..=i, encoded.bytes());
        }
        _ => {
            let i = at(rng);
            data.insert(i, rng.random());
        }
    }
}

/// A random run of ASCII digits in `data`, if there is one.
fn digit_run(data: &[u8], rng: &mut SmallRng) -> Option<(usize, usize)> {
    if data.is_empty() {
        return None;
    }
    let start = rng.random_range(0..data.len());
    let s = (start..data.len()).find(|&i| data[i].is_ascii_digit())?;
    let e = (s..data.len())
        .find(|&i| !data[i].is_ascii_digit())
        .unwrap_or(data.len());
    Some((s, e))
}

/// `i`, moved back to the start of a UTF-8 sequence if it falls inside one.
fn char_boundary_at_or_before(data: &[u8], mut i: usize) -> usize {
    while i > 0 && i < data.len() && (data[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

// --- the loop ----------------------------------------------------------------------------

/// How long and how a target is run.
pub struct Budget {
    /// Stop after this long.
    pub time: Duration,
    /// Stop after this many executions, if given.
    pub runs: Option<u64>,
    /// The random seed of the whole run.
    pub seed: u64,
    /// Write each input to `trace-current` before running it (to catch one that kills the
    /// process).
    pub trace: bool,
}

/// What a run of one target found.
pub struct Report {
    /// Executions made.
    pub executions: u64,
    /// Wall time taken.
    pub elapsed: Duration,
    /// Distinct failures (by [`finding_key`]), with one input file each.
    pub findings: Vec<(String, PathBuf)>,
    /// Inputs kept for mutation at the end.
    pub corpus: usize,
    /// The slowest single execution.
    pub slowest: Duration,
}

/// An execution slower than this is taken for a hang: its input is saved and the process ends.
const HANG_AFTER: Duration = Duration::from_secs(60);
/// Most inputs kept for mutation.
const MAX_CORPUS: usize = 1024;

/// Runs `target` within `budget`.
pub fn run(target: &Target, budget: &Budget) -> Report {
    let mut rng = SmallRng::seed_from_u64(budget.seed ^ signature(target.name));
    let dir = findings_dir(target.name);
    let mut corpus: Vec<Vec<u8>> = (target.seeds)();
    let seeds = corpus.len();
    let mut seen_outcomes: HashSet<u64> = HashSet::new();
    let mut findings: HashMap<String, PathBuf> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let watchdog = Watchdog::start(target.name, dir.clone());
    let started = Instant::now();
    let mut executions: u64 = 0;
    let mut slowest = Duration::ZERO;
    let mut input: Vec<u8> = Vec::new();
    loop {
        if budget.runs.is_some_and(|n| executions >= n)
            || (budget.runs.is_none() && started.elapsed() >= budget.time)
        {
            break;
        }
        // Every seed once first, then a mix: mostly mutations, some fresh structured inputs.
        input.clear();
        if (executions as usize) < seeds {
            input.extend_from_slice(&corpus[executions as usize]);
        } else if rng.random_ratio(1, 5) {
            input = (target.generate)(&mut rng);
            input.truncate(target.max_len);
        } else {
            input.extend_from_slice(&corpus[rng.random_range(0..corpus.len())]);
            mutate(&mut input, &mut rng, target, &corpus);
        }
        if budget.trace {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("trace-current"), &input);
        }
        watchdog.begin(&input);
        let t0 = Instant::now();
        let verdict = execute(target.check, &input);
        slowest = slowest.max(t0.elapsed());
        watchdog.end();
        executions += 1;
        match verdict {
            Ok(outcome) => {
                if seen_outcomes.insert(outcome) {
                    if corpus.len() < MAX_CORPUS {
                        corpus.push(input.clone());
                    } else {
                        let i = rng.random_range(seeds.min(MAX_CORPUS - 1)..MAX_CORPUS);
                        corpus[i] = input.clone();
                    }
                }
            }
            Err(message) => {
                let key = finding_key(&message);
                if !findings.contains_key(&key) {
                    let path = save_input(&dir, "finding", &input)
                        .unwrap_or_else(|e| PathBuf::from(format!("(not saved: {e})")));
                    eprintln!(
                        "[fuzz] {}: FINDING {}\n[fuzz]   replay: scripts/fuzz.sh --replay {}",
                        target.name,
                        headline(&message),
                        shown(&path)
                    );
                    findings.insert(key.clone(), path);
                    order.push(key);
                }
            }
        }
    }
    watchdog.stop();
    Report {
        executions,
        elapsed: started.elapsed(),
        findings: order
            .into_iter()
            .map(|k| {
                let path = findings[&k].clone();
                (k, path)
            })
            .collect(),
        corpus: corpus.len(),
        slowest,
    }
}

/// A thread that notices an execution running for longer than [`HANG_AFTER`], saves its input
/// and ends the process (exit status 3).
struct Watchdog {
    started_ms: Arc<AtomicU64>,
    input: Arc<Mutex<Vec<u8>>>,
    origin: Instant,
    stop: Arc<AtomicU64>,
}

impl Watchdog {
    fn start(target: &'static str, dir: PathBuf) -> Watchdog {
        let started_ms = Arc::new(AtomicU64::new(0));
        let input = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicU64::new(0));
        let origin = Instant::now();
        let (s, i, st) = (started_ms.clone(), input.clone(), stop.clone());
        std::thread::spawn(move || {
            while st.load(Ordering::Relaxed) == 0 {
                std::thread::sleep(Duration::from_millis(250));
                let begun = s.load(Ordering::Relaxed);
                let now = origin.elapsed().as_millis() as u64;
                if begun != 0 && now.saturating_sub(begun) > HANG_AFTER.as_millis() as u64 {
                    let bytes = i.lock().map(|b| b.clone()).unwrap_or_default();
                    let path = save_input(&dir, "hang", &bytes)
                        .map(|p| shown(&p))
                        .unwrap_or_else(|e| format!("(not saved: {e})"));
                    eprintln!(
                        "[fuzz] {target}: FINDING an execution ran for over {} s\n[fuzz]   replay: scripts/fuzz.sh --replay {path}",
                        HANG_AFTER.as_secs()
                    );
                    std::process::exit(3);
                }
            }
        });
        Watchdog {
            started_ms,
            input,
            origin,
            stop,
        }
    }

    fn begin(&self, input: &[u8]) {
        if let Ok(mut held) = self.input.lock() {
            held.clear();
            held.extend_from_slice(input);
        }
        let now = (self.origin.elapsed().as_millis() as u64).max(1);
        self.started_ms.store(now, Ordering::Relaxed);
    }

    fn end(&self) {
        self.started_ms.store(0, Ordering::Relaxed);
    }

    fn stop(&self) {
        self.stop.store(1, Ordering::Relaxed);
    }
}
