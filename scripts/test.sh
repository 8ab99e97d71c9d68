#!/usr/bin/env bash
# The project's test command: formatting, lints, WASM bundle, the Rust tests on
# SQLite, a short fuzzing pass, the Rust tests on PostgreSQL, the API contract check, the
# browser tests, then the deployment drill (nginx in front, backup and restore). Stops at the
# first failure.
# Usage: scripts/test.sh [STEP...]   (default: all steps, in this order)
#   steps: setup fmt clippy wasm sqlite fuzz postgres api browser drill
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_STEPS=(setup fmt clippy wasm sqlite fuzz postgres api browser drill)

log() { printf '[test] %s\n' "$*" >&2; }

# --- cleanup: PostgreSQL cluster, stray servers, temp dirs ----------------------
PG_STARTED_HERE=0
CURRENT_STEP=''
# The browser harness appends `pid N` (servers) and `dir PATH` (temp dirs) here.
MSS_TEST_CLEANUP=$(mktemp /tmp/mss-test-cleanup.XXXXXX)
export MSS_TEST_CLEANUP
SUMMARY=()
T_START=$(date +%s)
STEP_T0=$T_START

stop_pg() {
  if [ "$PG_STARTED_HERE" = 1 ]; then
    PG_STARTED_HERE=0
    scripts/pg.sh stop || log "warning: could not stop the PostgreSQL cluster"
  fi
}

# Normally the harness cleans up itself; this catches interrupted runs.
clean_browser_leftovers() {
  local kind arg
  [ -f "$MSS_TEST_CLEANUP" ] || return 0
  while read -r kind arg; do
    case "$kind" in
      pid)
        # Only our own binary: the pid may have been reused since.
        if [ "$(ps -o comm= -p "$arg" 2>/dev/null)" = mashangshuo ]; then
          log "stopping leftover server $arg"
          kill "$arg" 2>/dev/null || true
        fi
        ;;
      dir)
        case "$arg" in
          */mss-browser-*) if [ -d "$arg" ]; then rm -rf -- "$arg"; fi ;;
        esac
        ;;
    esac
  done <"$MSS_TEST_CLEANUP"
  rm -f "$MSS_TEST_CLEANUP"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  clean_browser_leftovers
  stop_pg
  if [ -n "$CURRENT_STEP" ]; then
    SUMMARY+=("$(printf '%-9s %5ss  FAILED' "$CURRENT_STEP" "$(($(date +%s) - STEP_T0))")")
  fi
  if [ "${#SUMMARY[@]}" -gt 0 ]; then
    log "summary:"
    local line
    for line in "${SUMMARY[@]}"; do log "  $line"; done
  fi
  if [ "$rc" = 0 ]; then
    log "all passed in $(($(date +%s) - T_START))s"
  else
    local where=''
    [ -z "$CURRENT_STEP" ] || where=" in step $CURRENT_STEP"
    log "FAILED$where (exit $rc) after $(($(date +%s) - T_START))s"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- steps --------------------------------------------------------------------
step_setup() { scripts/setup.sh --browser --postgres; }

step_fmt() { cargo fmt --all -- --check; }

step_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }

step_wasm() {
  scripts/build-wasm.sh
  cargo clippy -p frontend --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings
}

# Without DATABASE_URL the tests create their own temporary SQLite files.
step_sqlite() { env -u DATABASE_URL cargo test --workspace; }

# Every fuzz target for 6 s from a fixed seed, so that CI is repeatable (the dev build `cargo test`
# made; under a minute in all); fails on any finding, whose input and replay command it prints.
# Long runs with fresh seeds: scripts/fuzz.sh --release.
step_fuzz() { scripts/fuzz.sh --seconds 6 --seed 20261206; }

# The test harness creates and drops a random database per test on this cluster.
step_postgres() {
  if ! scripts/pg.sh url >/dev/null 2>&1; then
    PG_STARTED_HERE=1 # set before starting, so a half-started cluster is cleaned up too
  fi
  scripts/pg.sh start >/dev/null
  local url
  url=$(scripts/pg.sh url)
  log "PostgreSQL at $url"
  DATABASE_URL=$url cargo test --workspace
  stop_pg
}

# The short schemathesis pass against target/debug/mashangshuo, built like the browser step's.
step_api() {
  cargo test --workspace --no-run
  scripts/api-check.sh
}

step_browser() {
  # Built with the test profile's feature set, so this reuses the binary `cargo test` made.
  cargo test --workspace --no-run
  node --test --test-reporter=spec tests/browser/*.test.mjs
}

# docs/deploy.md on this machine (scripts/drill.sh): nginx (installed when missing) with the
# documented configuration in front of target/debug/mashangshuo, two clients' rate-limit
# buckets, no address in any log, backup under load, kill -9, restore, every receipt back.
step_drill() {
  cargo test --workspace --no-run
  scripts/drill.sh target/debug/mashangshuo
}

# --- run ------------------------------------------------------------------------
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=("${ALL_STEPS[@]}")
for s in "${steps[@]}"; do
  case " ${ALL_STEPS[*]} " in
    *" $s "*) ;;
    *) log "unknown step '$s' (steps: ${ALL_STEPS[*]})"; exit 2 ;;
  esac
done

for s in "${steps[@]}"; do
  CURRENT_STEP=$s
  log "==> $s"
  STEP_T0=$(date +%s)
  "step_$s"
  dt=$(($(date +%s) - STEP_T0))
  SUMMARY+=("$(printf '%-9s %5ss' "$s" "$dt")")
  log "<== $s ok (${dt}s)"
done
CURRENT_STEP=''
