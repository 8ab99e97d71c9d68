//! Fuzzing on the stable toolchain: every parser that reads what a stranger sends, run for a
//! given time on seeds, mutations and generated inputs, with its invariants checked.
//!
//! ```text
//! cargo run -p mashangshuo --example fuzz -- [--seconds N] [--seed S] [--runs N] [TARGET...]
//! cargo run -p mashangshuo --example fuzz -- --replay target/fuzz-findings/TARGET/FILE
//! scripts/fuzz.sh [--release] [--seconds N] [TARGET...]
//! ```
//!
//! Each target runs in a child process of its own (so an abort or a stack overflow is reported
//! rather than ending the run) and prints one line: executions, executions per second, distinct
//! findings and the seed. A finding's input is written to `target/fuzz-findings/TARGET/` with
//! the command that replays it. The exit status is 1 when anything was found.
//!
//! Targets (see `targets/`): redact, urlencoded, multipart, codes, import, photo, jwt, query,
//! forwarded.

mod engine;
mod targets;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::Parser;
use rand::RngExt;

use engine::{Budget, Target};

/// The command line.
#[derive(Parser)]
#[command(about = "Runs the fuzz targets of 码上说 for a given time each")]
struct Cli {
    /// Seconds per target.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Random seed (decimal or 0x…); a random one when absent. The same seed gives the same
    /// inputs in the same order.
    #[arg(long, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Stop each target after this many executions instead of after `--seconds`.
    #[arg(long)]
    runs: Option<u64>,
    /// Runs one saved input once, with the panic shown in full, and exits.
    #[arg(long, value_name = "FILE")]
    replay: Option<PathBuf>,
    /// Lists the targets.
    #[arg(long)]
    list: bool,
    /// Runs the targets in this process (what each child process does).
    #[arg(long, hide = true)]
    worker: bool,
    /// Writes each input to `trace-current` before running it (used to catch a crash's input).
    #[arg(long, hide = true)]
    trace: bool,
    /// Targets to run (default: all).
    targets: Vec<String>,
}

fn parse_seed(text: &str) -> Result<u64, String> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let all = targets::all();
    if cli.list {
        for t in &all {
            println!("{}", t.name);
        }
        return ExitCode::SUCCESS;
    }
    if let Some(file) = &cli.replay {
        return replay(&all, file, cli.targets.first().map(String::as_str));
    }
    let chosen: Vec<&Target> = if cli.targets.is_empty() {
        all.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &cli.targets {
            match all.iter().find(|t| t.name == name) {
                Some(t) => chosen.push(t),
                None => {
                    eprintln!("unknown target {name:?}; targets: {}", names(&all));
                    return ExitCode::from(2);
                }
            }
        }
        chosen
    };
    let seed = cli.seed.unwrap_or_else(|| rand::rng().random());
    let budget = Budget {
        time: Duration::from_secs(cli.seconds),
        runs: cli.runs,
        seed,
        trace: cli.trace,
    };
    if cli.worker {
        work(&chosen, &budget)
    } else {
        supervise(&chosen, &cli, seed)
    }
}

fn names(all: &[Target]) -> String {
    all.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

/// Runs each target in this process and prints its line; exit status 1 on any finding.
fn work(chosen: &[&Target], budget: &Budget) -> ExitCode {
    engine::quiet_panics();
    let mut found = false;
    for target in chosen {
        let report = engine::run(target, budget);
        let secs = report.elapsed.as_secs_f64().max(1e-9);
        println!(
            "{:<10} {:>11} execs {:>9}/s  {} finding{}  seed {:#x}  (corpus {}, slowest {} ms)",
            target.name,
            report.executions,
            (report.executions as f64 / secs).round() as u64,
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            budget.seed,
            report.corpus,
            report.slowest.as_millis(),
        );
        found |= !report.findings.is_empty();
    }
    if found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs each target in a child process; a child that dies (abort, stack overflow, out of
/// memory) is run again with tracing on, to catch the input that killed it.
fn supervise(chosen: &[&Target], cli: &Cli, seed: u64) -> ExitCode {
    let Ok(me) = std::env::current_exe() else {
        eprintln!("cannot find this program's path");
        return ExitCode::from(2);
    };
    let child = |target: &str, trace: bool| {
        let mut cmd = Command::new(&me);
        cmd.arg("--worker")
            .args(["--seconds", &cli.seconds.to_string()])
            .args(["--seed", &seed.to_string()]);
        if let Some(runs) = cli.runs {
            cmd.args(["--runs", &runs.to_string()]);
        }
        if trace {
            cmd.arg("--trace");
        }
        cmd.arg(target).status()
    };
    let mut failed: Vec<&str> = Vec::new();
    for target in chosen {
        match child(target.name, false) {
            Ok(status) if status.success() => {}
            Ok(status) if matches!(status.code(), Some(1) | Some(3)) => failed.push(target.name),
            Ok(status) => {
                failed.push(target.name);
                eprintln!(
                    "[fuzz] {}: FINDING the process died ({status}); running it again with tracing",
                    target.name
                );
                let trace = engine::findings_dir(target.name).join("trace-current");
                let _ = child(target.name, true);
                match std::fs::read(&trace) {
                    Ok(input) => {
                        let saved =
                            engine::save_input(&engine::findings_dir(target.name), "crash", &input);
                        let _ = std::fs::remove_file(&trace);
                        if let Ok(path) = saved {
                            eprintln!(
                                "[fuzz]   the last input before it died; replay: scripts/fuzz.sh --replay {}",
                                engine::shown(&path)
                            );
                        }
                    }
                    Err(e) => eprintln!("[fuzz]   no traced input: {e}"),
                }
            }
            Err(e) => {
                eprintln!("[fuzz] cannot start a worker: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if failed.is_empty() {
        eprintln!(
            "[fuzz] no findings in {} target{}",
            chosen.len(),
            if chosen.len() == 1 { "" } else { "s" }
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("[fuzz] findings in: {}", failed.join(", "));
        ExitCode::from(1)
    }
}

/// Runs one saved input once. The target is named on the command line or by the directory
/// the file is in (`target/fuzz-findings/TARGET/…`).
fn replay(all: &[Target], file: &PathBuf, named: Option<&str>) -> ExitCode {
    let name = named.map(str::to_string).or_else(|| {
        file.parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    });
    let Some(target) = all.iter().find(|t| Some(t.name) == name.as_deref()) else {
        eprintln!("name the target after the file (targets: {})", names(all));
        return ExitCode::from(2);
    };
    let input = match std::fs::read(file) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    println!(
        "{}: {} bytes: {:?}",
        target.name,
        input.len(),
        preview(&input)
    );
    // The default panic hook stays: a panic is shown in full (with RUST_BACKTRACE=1, its
    // backtrace) before it is reported.
    match engine::execute(target.check, &input) {
        Ok(_) => {
            println!("{}: passes", target.name);
            ExitCode::SUCCESS
        }
        Err(message) => {
            println!("{}: FAILS: {message}", target.name);
            ExitCode::from(1)
        }
    }
}

/// The start of an input, as text where it is text.
fn preview(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(&input[..input.len().min(300)]).into_owned();
    if input.len() > 300 {
        format!("{text}…")
    } else {
        text
    }
}
