#!/usr/bin/env bash
# Load benchmark (issue 20): builds the release server and server/examples/bench_load.rs, then
# runs it. It starts `mashangshuo serve` on a temporary SQLite data directory with demo data
# (and again on a fresh PostgreSQL database when DATABASE_URL is a postgres:// URL), and drives
# opinion submissions, receipt look-ups, poster-round appraisal answers and reviewer inbox reads
# at 16, 64 and 256 concurrent clients, then 16 villagers submitting while 256 guessers look up
# wrong receipt codes. Prints a table per run (req/s, p50/p99, refusals by status, server CPU,
# peak RSS), the attack against the quiet run with the issue's targets, peak RSS against 128 MiB,
# the machine and the Argon2id ceiling. Every request comes through 127.0.0.1 as the trusted
# proxy and names its client in X-Forwarded-For (1,000 addresses per kind of client).
#
# Usage: scripts/bench-load.sh [--json FILE] [other bench_load options, see --help]
#   BENCH_SECONDS (10)  seconds per run; 13 runs per database, about 2.5 minutes on SQLite
#   DATABASE_URL        a postgres:// URL (a user that may CREATE DATABASE) adds the PostgreSQL run
#   CARGO_TARGET_DIR    where cargo builds (default: target)
# Nothing is left behind: the data directories and the PostgreSQL database are temporary, and
# the server is stopped at the end. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bench-load] %s\n' "$*" >&2; }

log "building the release server and the benchmark"
cargo build --release -q -p mashangshuo --bin mashangshuo
cargo build --release -q -p mashangshuo --example bench_load
TARGET=${CARGO_TARGET_DIR:-target}

exec "$TARGET/release/examples/bench_load" --server "$TARGET/release/mashangshuo" "$@"
