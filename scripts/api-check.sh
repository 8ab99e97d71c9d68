#!/usr/bin/env bash
# The API contract check: starts the real server (debug build, temporary SQLite database, demo
# data), signs in every demo staff account, and runs schemathesis against /api/openapi.json,
# anonymously and with each account's token. Any server error, or any answer whose status,
# content type, headers or body the document does not describe, fails the check.
# Builds nothing: run `cargo build -p mashangshuo` first (and `scripts/setup.sh` for `st`).
# Usage: scripts/api-check.sh [--long] [--seed N]
#   default: a short pass (a few examples per operation, fixed seed; under 3 minutes on 2 cores)
#   --long:  many more examples per operation and a random seed (tens of minutes)
# Environment: MASHANGSHUO_BIN (default target/debug/mashangshuo), MSS_KEEP_TMP=1 keeps the
# temp dir (server log, schemathesis reports).
set -euo pipefail
cd "$(dirname "$0")/.."

long=0
seed=''
while [ "$#" -gt 0 ]; do
  case "$1" in
    --long) long=1 ;;
    --seed) shift; seed=${1:?--seed needs a number} ;;
    *) echo "usage: scripts/api-check.sh [--long] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[api] %s\n' "$*" >&2; }

BIN=${MASHANGSHUO_BIN:-target/debug/mashangshuo}
if [ ! -x "$BIN" ]; then
  log "$BIN not found: run \`cargo build -p mashangshuo\` first"
  exit 2
fi
if ! st --version >/dev/null 2>&1; then
  log "schemathesis (st) not found: run scripts/setup.sh first"
  exit 2
fi

# --- the server, and cleaning up after it -------------------------------------------
TMP=$(mktemp -d /tmp/mss-api-XXXXXX)
SERVER_PID=''
ST_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$ST_PID" ]; then
    kill "$ST_PID" 2>/dev/null || true
    wait "$ST_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ -f "$TMP/server.log" ]; then
    log "last lines of the server log:"
    tail -n 20 "$TMP/server.log" >&2 || true
  fi
  if [ "${MSS_KEEP_TMP:-}" = 1 ]; then
    log "keeping $TMP"
  else
    rm -rf -- "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

# A hermetic environment: nothing MASHANGSHUO_* or DATABASE_URL leaks in from the caller.
server_env=(env)
for name in $(compgen -e); do
  case "$name" in MASHANGSHUO_* | DATABASE_URL) server_env+=(-u "$name") ;; esac
done
server_env+=(
  "DATABASE_URL=sqlite://$TMP/mss.db"
  "MASHANGSHUO_DATA_DIR=$TMP"
  "MASHANGSHUO_BIND=127.0.0.1:$PORT"
  "MASHANGSHUO_PUBLIC_URL=$BASE"
  "MASHANGSHUO_SITE_ROOT=$TMP/no-site"
  "MASHANGSHUO_DEMO=auto"
  "MASHANGSHUO_JOB_INTERVAL_SECS=0"
  "RUST_LOG=${RUST_LOG:-warn}"
)

log "server on $BASE (data in $TMP)"
"${server_env[@]}" "$BIN" serve >"$TMP/demo.json" 2>"$TMP/server.log" &
SERVER_PID=$!

healthy=0
for _ in $(seq 300); do # at most ~30 s: migrations and demo seeding on a debug build
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server exited early"
    exit 1
  fi
  if curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then
    healthy=1
    break
  fi
  sleep 0.1
done
[ "$healthy" = 1 ] || { log "GET /healthz did not answer 200 within 30 s"; exit 1; }

# --- data to look at: three released opinions, staff tokens ---------------------------
# The demo JSON (accounts and boxes) was printed before the server started listening.
python3 - "$TMP/demo.json" >"$TMP/accounts" <<'EOF'
import json, sys
demo = json.load(open(sys.argv[1]))
for role in ("reviewer", "county_reviewer", "auditor", "admin"):
    print(role, demo[role]["username"], demo[role]["password"])
print("box", demo["boxes"][0]["url"].rstrip("/").rsplit("/", 1)[-1], "-")
EOF

box_code=$(awk '$1 == "box" { print $2 }' "$TMP/accounts")
# Every opinion carries the token its box page hands out (the form's hidden `box_token` field).
box_token() {
  curl -fsS "$BASE/b/$box_code" | python3 -c '
import re, sys
print(re.search(r"name=\"box_token\" value=\"([^\"]+)\"", sys.stdin.read()).group(1))'
}
for n in 1 2 3; do
  token=$(box_token) || { log "no box_token on the box page"; exit 1; }
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data "{\"category\":\"suggestion\",\"text\":\"村里的账目第${n}次没有公开，请领导小组核实。\",\"box_token\":\"$token\"}" \
    "$BASE/api/v1/boxes/$box_code/opinions" \
    || { log "could not send a demo opinion"; exit 1; }
done
"${server_env[@]}" MASHANGSHUO_BATCH_SIZE=1 "$BIN" maintain >/dev/null 2>>"$TMP/server.log"

# Sign-in is rate limited per address, and the anonymous pass fuzzes it: sign in first.
sign_in() {
  curl -fsS -X POST -H 'Content-Type: application/json' \
    --data "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/staff/login" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
declare -A TOKEN
while read -r role user password; do
  [ "$role" = box ] && continue
  TOKEN[$role]=$(sign_in "$user" "$password") || { log "could not sign in as $user"; exit 1; }
  [ "$role" = reviewer ] && TOKEN[session]=$(sign_in "$user" "$password")
done <"$TMP/accounts"

# One line per pass from schemathesis's NDJSON events: `PASS: N requests, F failures, T s`.
summarise() {
  python3 - "$@" <<'PY'
import json, sys
name, rc, secs, path = sys.argv[1:5]
requests = failures = 0
try:
    with open(path, encoding="utf-8") as events:
        for line in events:
            scenario = json.loads(line).get("ScenarioFinished")
            if not scenario:
                continue
            recorder = scenario.get("recorder", {})
            requests += len(recorder.get("interactions", {}))
            for checks in recorder.get("checks", {}).values():
                failures += sum(1 for c in checks if c.get("status") == "failure")
except (OSError, ValueError) as e:
    print(f"{name}: no report ({e})", file=sys.stderr)
# A run that failed without a failed check (a schema or connection error) still counts as one.
if rc != "0" and failures == 0:
    failures = 1
print(f"{name:<16} {requests:>6} requests {failures:>4} failures {secs:>4} s")
PY
}

# --- the passes ---------------------------------------------------------------------
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
if [ "$long" = 1 ]; then
  [ -n "$seed" ] || seed=$((RANDOM * 32768 + RANDOM))
  common=(--max-examples 200 --phases examples,coverage,fuzzing)
else
  [ -n "$seed" ] || seed=20240601
  common=(--max-examples 8 --phases examples,coverage,fuzzing)
fi
log "seed $seed ($([ "$long" = 1 ] && echo long || echo short) pass)"

# Signing out and changing the password end the session, so each token's pass leaves them out;
# the first pass tries them with a token of its own (first, before the anonymous pass fuzzes
# sign-in into its rate limit, which password changes share). The admin's pass comes last:
# schemathesis reuses the account ids it lists, and changing an account ends its sessions.
ENDS_SESSION='^/api/v1/staff/(logout|password)$'
PASSES=(session anonymous reviewer county_reviewer auditor admin)
failed=0
T0=$(date +%s)
# One worker: with threads, CPython 3.11.7 (this machine's) now and then raises "SystemError: AST
# constructor recursion depth mismatch" inside hypothesis (CPython gh-106905, fixed in 3.11.8),
# which fails a pass without any answer of ours being wrong.
for pass in "${PASSES[@]}"; do
  args=(run "$BASE/api/openapi.json" --url "$BASE" --checks "$CHECKS" --seed "$seed"
    --workers 1 --no-color --suppress-health-check all --warnings off
    --report ndjson --report-ndjson-path "$TMP/$pass.ndjson" "${common[@]}")
  case "$pass" in
    anonymous) ;;
    session) args+=(--header "Authorization: Bearer ${TOKEN[session]}" --include-path-regex "$ENDS_SESSION") ;;
    *) args+=(--header "Authorization: Bearer ${TOKEN[$pass]}" --exclude-path-regex "$ENDS_SESSION") ;;
  esac
  log "pass $pass"
  t=$(date +%s)
  # In the temp dir, as schemathesis keeps a cache of failing cases in ./.schemathesis; in the
  # background, so that an interruption stops it at once (a trap waits for a foreground job).
  (cd "$TMP" && exec st "${args[@]}") >"$TMP/$pass.out" 2>&1 &
  ST_PID=$!
  if wait "$ST_PID"; then rc=0; else rc=$?; fi
  ST_PID=''
  summarise "$pass" "$rc" "$(($(date +%s) - t))" "$TMP/$pass.ndjson" >>"$TMP/summary"
  tail -n 1 "$TMP/summary" >&2
  if [ "$rc" != 0 ]; then
    failed=1
    # The failures as schemathesis reports them, with a curl command to reproduce each.
    if grep -q '=== FAILURES ===' "$TMP/$pass.out"; then
      sed -n '/=== FAILURES ===/,/=== SUMMARY ===/p' "$TMP/$pass.out" | head -n 300 >&2 || true
    else
      tail -n 30 "$TMP/$pass.out" >&2 || true
    fi
  fi
done

# A panic that only dropped a connection is a failure too.
if grep -q 'panicked at' "$TMP/server.log"; then
  log "the server panicked:"
  grep -A 2 'panicked at' "$TMP/server.log" | cut -c 1-300 | head -n 30 >&2 || true
  failed=1
fi

log "summary ($(($(date +%s) - T0)) s, seed $seed):"
cat "$TMP/summary" >&2
awk '{ r += $2; f += $4 } END { printf "[api] total: %d requests, %d failures\n", r, f }' "$TMP/summary" >&2
if [ "$failed" != 0 ]; then
  log "FAILED: the server answered something /api/openapi.json does not describe (see above)"
  exit 1
fi
log "passed: every answer is described by /api/openapi.json"
