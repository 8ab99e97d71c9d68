#!/usr/bin/env bash
# Durability under kill -9: TRIALS times (default 20), start a fresh server on a temporary SQLite
# data directory, send a burst of opinions at once (server/examples/load_burst.rs), kill -9 the
# server mid-burst, start it again on the same files, send again every opinion that got no
# receipt (same submission key and token, as the box page does), and check that
#   - every receipt the client received resolves through the API (none lost),
#   - every opinion sent is stored exactly once (none twice), waiting or released,
#   - SQLite's `PRAGMA integrity_check` says ok and `mashangshuo audit` passes.
# The maintenance job runs every second, so kills also land in the middle of batch releases.
# Then the full-disk test (server/tests/it/full_disk.rs: a real small tmpfs filled up; it says
# SKIPPED when this machine does not allow mounting).
#
# Usage: scripts/durability.sh [TRIALS]
#   DURABILITY_BURST (60) opinions per trial, DURABILITY_CONCURRENCY (12) sent at once,
#   DURABILITY_FULL_DISK=0 skips the full-disk test.
# Every request of the burst names another villager in X-Forwarded-For and the server trusts
# 127.0.0.1 as its proxy (MASHANGSHUO_TRUSTED_PROXIES), as behind the documented nginx; the
# per-box budget is raised (MASHANGSHUO_BOX_HOURLY_BUDGET) so no opinion is held for review.
set -euo pipefail
cd "$(dirname "$0")/.."

TRIALS=${1:-20}
BURST=${DURABILITY_BURST:-60}
CONCURRENCY=${DURABILITY_CONCURRENCY:-12}
SECRET=5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e

log() { printf '[durability] %s\n' "$*" >&2; }

log "building the release server and the load generator"
cargo build --release -q -p mashangshuo --bin mashangshuo
cargo build -q -p mashangshuo --example load_burst
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/mashangshuo
LOAD=$TARGET/debug/examples/load_burst

WORK=$(mktemp -d /tmp/mss-durability.XXXXXX)
SERVER_PID=''
BURST_PID=''
cleanup() {
  [ -n "$BURST_PID" ] && kill "$BURST_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The server's environment for data directory $1.
server_env() {
  local dir=$1
  printf '%s\n' \
    "PATH=$PATH" \
    "DATABASE_URL=sqlite://$dir/mashangshuo.db" \
    "MASHANGSHUO_DATA_DIR=$dir" \
    "MASHANGSHUO_SITE_ROOT=$dir/site" \
    "MASHANGSHUO_BIND=127.0.0.1:0" \
    "MASHANGSHUO_SECRET=$SECRET" \
    "MASHANGSHUO_DEMO=auto" \
    "MASHANGSHUO_TRUSTED_PROXIES=127.0.0.1" \
    "MASHANGSHUO_BOX_HOURLY_BUDGET=100000" \
    "MASHANGSHUO_JOB_INTERVAL_SECS=1" \
    "RUST_LOG=info"
}

# Starts `serve` on data directory $1 (stdout to $1/stdout.N, log to $1/log.N for start N=$2);
# sets SERVER_PID and PORT once it listens.
start_server() {
  local dir=$1 n=$2
  mapfile -t envs < <(server_env "$dir")
  env -i "${envs[@]}" "$BIN" serve >"$dir/stdout.$n" 2>"$dir/log.$n" &
  SERVER_PID=$!
  local waited=0
  PORT=''
  while [ -z "$PORT" ]; do
    PORT=$(grep -o 'listening.*port=[0-9]*' "$dir/log.$n" 2>/dev/null | grep -o '[0-9]*$' || true)
    if [ -z "$PORT" ]; then
      if ! kill -0 "$SERVER_PID" 2>/dev/null || [ $waited -ge 600 ]; then
        log "the server did not start:"; cat "$dir/log.$n" >&2; exit 1
      fi
      sleep 0.05; waited=$((waited + 1))
    fi
  done
}

# Receipts logged so far in burst log $1 (0 before it exists).
acks() { local n; n=$(grep -c '^ack' "$1" 2>/dev/null || true); echo "${n:-0}"; }

# The number $2 in the one-line JSON $1.
field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" <<<"$1"; }

total_sent=0 total_acked=0 total_unanswered=0 total_resent_acked=0 total_stored_unacked=0
total_committed_unanswered=0
total_lost=0 total_dups=0 total_conflicts=0 bad_integrity=0 bad_audit=0
T0=$(date +%s)
for trial in $(seq 1 "$TRIALS"); do
  dir=$WORK/trial-$trial
  mkdir -m 0700 "$dir"
  start_server "$dir" 1
  base=http://127.0.0.1:$PORT
  boxes=$(grep -o '/b/[A-Za-z0-9_-]*' "$dir/stdout.1" | sed 's|/b/||' | paste -sd, -)
  [ -n "$boxes" ] || { log "no demo boxes printed"; cat "$dir/stdout.1" >&2; exit 1; }

  # Kill once a random number of receipts (5–34) came back: mid-burst, requests in flight.
  kill_after=$((5 + RANDOM % 30))
  "$LOAD" send --base "$base" --boxes "$boxes" --count "$BURST" --concurrency "$CONCURRENCY" \
    --tag "t$trial" --log "$dir/burst.log" >"$dir/send.json" &
  BURST_PID=$!
  while kill -0 "$BURST_PID" 2>/dev/null && [ "$(acks "$dir/burst.log")" -lt "$kill_after" ]; do
    sleep 0.01
  done
  kill -9 "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  wait "$BURST_PID" || true
  BURST_PID=''
  acked_at_kill=$(acks "$dir/burst.log")
  sent=$(grep -c '^sent' "$dir/burst.log" || true)

  # The files as the crash left them: sound, and how many unanswered opinions were committed.
  crashed=$("$LOAD" check --database "$dir/mashangshuo.db" --tag "t$trial" --log "$dir/burst.log") || true
  crash_integrity=$(sed -n 's/.*"integrity":"\([^"]*\)".*/\1/p' <<<"$crashed")
  [ "$crash_integrity" = ok ] || bad_integrity=$((bad_integrity + 1))
  committed_unanswered=$(field "$crashed" stored_unacknowledged)
  total_committed_unanswered=$((total_committed_unanswered + ${committed_unanswered:-0}))

  start_server "$dir" 2
  base=http://127.0.0.1:$PORT
  resent=$("$LOAD" resend --base "$base" --tag "t$trial" --log "$dir/burst.log")
  verified=$("$LOAD" verify --base "$base" --log "$dir/burst.log") || true
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=''
  checked=$("$LOAD" check --database "$dir/mashangshuo.db" --tag "t$trial" --log "$dir/burst.log") || true
  mapfile -t envs < <(server_env "$dir")
  if env -i "${envs[@]}" "$BIN" audit >"$dir/audit.json" 2>>"$dir/log.2"; then audit=ok; else audit=FAILED; bad_audit=$((bad_audit + 1)); fi
  integrity=$(sed -n 's/.*"integrity":"\([^"]*\)".*/\1/p' <<<"$checked")
  [ "$integrity" = ok ] || bad_integrity=$((bad_integrity + 1))

  lost=$(field "$verified" lost); dups=$(field "$checked" duplicates)
  missing=$(field "$checked" missing); conflicts=$(field "$verified" conflicting)
  unanswered=$(field "$resent" unanswered); resent_acked=$(field "$resent" acknowledged)
  stored_unacked=$(field "$checked" stored_unacknowledged)
  lost=$(( ${lost:-1} + ${missing:-1} ))
  total_sent=$((total_sent + sent)); total_acked=$((total_acked + acked_at_kill))
  total_unanswered=$((total_unanswered + ${unanswered:-0}))
  total_resent_acked=$((total_resent_acked + ${resent_acked:-0}))
  total_stored_unacked=$((total_stored_unacked + ${stored_unacked:-0}))
  total_lost=$((total_lost + lost)); total_dups=$((total_dups + ${dups:-1}))
  total_conflicts=$((total_conflicts + ${conflicts:-1}))
  log "trial $trial: sent $sent, receipts before the kill $acked_at_kill, unanswered ${unanswered:-?} (of them committed before the kill ${committed_unanswered:-?}; resent, receipts ${resent_acked:-?}), lost $lost, stored twice ${dups:-?}, integrity ${integrity:-?}, audit $audit"
  if [ "$lost" != 0 ] || [ "${dups:-1}" != 0 ] || [ "$integrity" != ok ] || [ "$audit" != ok ]; then
    log "  send: $(cat "$dir/send.json")"; log "  after the kill: $crashed"; log "  resend: $resent"; log "  verify: $verified"; log "  check: $checked"
  fi
  rm -rf "$dir"
done
T1=$(date +%s)

echo "trials: $TRIALS ($((T1 - T0)) s)"
echo "opinions sent: $total_sent (in bursts of up to $BURST, $CONCURRENCY at once)"
echo "acknowledged during the bursts: $total_acked"
echo "unanswered at the kill: $total_unanswered, of which committed before it: $total_committed_unanswered; sent again after the restart, receipts: $total_resent_acked"
echo "lost (acknowledged, not found): $total_lost; stored but never answered after the resends: $total_stored_unacked"
echo "stored twice: $total_dups (resends answered with another receipt: $total_conflicts)"
echo "integrity_check not ok (after the kill or at the end): $bad_integrity; audit chain broken: $bad_audit"

status=0
if [ "$total_lost" != 0 ] || [ "$total_dups" != 0 ] || [ "$total_conflicts" != 0 ] \
  || [ "$bad_integrity" != 0 ] || [ "$bad_audit" != 0 ]; then
  status=1
fi

if [ "${DURABILITY_FULL_DISK:-1}" != 0 ]; then
  log "full disk: cargo test -p mashangshuo --test it full_disk::"
  if out=$(cargo test -q -p mashangshuo --test it full_disk:: -- --nocapture 2>&1); then
    if grep -q 'SKIPPED' <<<"$out"; then
      echo "full disk: $(grep -o 'SKIPPED.*' <<<"$out" | head -1)"
    else
      echo "full disk: 503 storage_full while full, nothing acknowledged lost, recovered: ok"
    fi
  else
    echo "full disk: FAILED"; printf '%s\n' "$out" >&2; status=1
  fi
fi
exit $status
