#!/usr/bin/env bash
# Deployment drill: does on this machine what docs/deploy.md says, and proves that
#   - nginx runs with the documented configuration (docs/deploy/nginx.conf itself, only the
#     names, ports, certificate and log paths changed) and `nginx -t` accepts it;
#   - the server, configured from docs/deploy/mashangshuo.env.example (trusted proxy
#     127.0.0.1), sees each villager behind the proxy as its own rate-limit bucket: client
#     127.0.0.2 is refused (429) after its burst while 127.0.0.3 is still accepted, and a
#     client cannot pick its bucket with its own X-Forwarded-For/Forwarded header (nginx
#     replaces them, and the server takes the rightmost hop only): 127.0.0.2 spoofing another
#     address is still refused, while the same header straight from the trusted 127.0.0.1 is
#     believed;
#   - nginx's access log has hour-granular lines only, and no log (nginx's access and error
#     logs, the server's stdout and stderr) holds a client address, a receipt or a box code;
#   - `mashangshuo backup` taken while opinions keep arriving, then kill -9, then
#     `mashangshuo restore` into a fresh data directory, gives a server on which every receipt
#     acknowledged before the backup began still resolves through the proxy, and
#     `mashangshuo audit` passes.
# nginx (and openssl) are installed with apt-get when missing (as root); the drill's nginx runs
# with its own prefix, configuration and pid file in a temporary directory, on free high
# loopback ports: the system's nginx service and /etc/nginx are never touched. Everything
# started is stopped and the temporary directory removed on exit.
#
# Usage: scripts/drill.sh [BINARY]     (default: target/debug/mashangshuo, as
#                                       `cargo test --workspace --no-run` builds it)
#   DRILL_KEEP=1 keeps the temporary directory (logs, configuration, backup) for a look.
#   DRILL_RUST_LOG (default debug) is the server's RUST_LOG during the drill.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${1:-target/debug/mashangshuo}
case "$BIN" in /*) ;; *) BIN=$ROOT/$BIN ;; esac
RUST_LOG_LEVEL=${DRILL_RUST_LOG:-debug}
NGINX_DOC=$ROOT/docs/deploy/nginx.conf
ENV_DOC=$ROOT/docs/deploy/mashangshuo.env.example

T_START=$(date +%s%N)
log() { printf '[drill %5.1fs] %s\n' "$(( ($(date +%s%N) - T_START) / 1000000 ))e-3" "$*" >&2; }
FAILED=0
fail() {
  FAILED=1
  printf '[drill] FAILED: %s\n' "$*" >&2
  exit 1
}

command -v python3 >/dev/null 2>&1 || fail "python3 is needed (to find free ports)"
[ -x "$BIN" ] || fail "no server binary at $BIN (build it: cargo test --workspace --no-run)"
for f in "$NGINX_DOC" "$ENV_DOC"; do [ -f "$f" ] || fail "missing $f"; done

# --- 1. nginx and openssl, installed when missing ---------------------------------------------
apt_updated=0
apt_install() {
  [ "$(id -u)" = 0 ] || fail "$* missing and not root: install it (apt-get install -y $*)"
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx-light || apt_install nginx
fi
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || fail "nginx is not installed"
command -v openssl >/dev/null 2>&1 || apt_install openssl
command -v curl >/dev/null 2>&1 || apt_install curl
log "nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(openssl version)"

# --- 2. temporary directory, cleanup, ports ---------------------------------------------------
T=$(mktemp -d /tmp/mss-drill.XXXXXX)
chmod 0711 "$T" # nginx's workers (user nobody, unless run as root) reach their folders below
SERVER_PID='' NGINX_PID='' LOAD_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$LOAD_PID" ]; then
    touch "$T/load.stop"
    # shellcheck disable=SC2086 # the load clients' pids, one word each
    kill $LOAD_PID 2>/dev/null || true
    # shellcheck disable=SC2086
    wait $LOAD_PID 2>/dev/null || true
  fi
  [ -z "$SERVER_PID" ] || { kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  if [ -n "$NGINX_PID" ]; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ]; then
    local f
    for f in "$T"/server-*.log "$T"/nginx/logs/*.log; do
      [ -s "$f" ] || continue
      printf '[drill] --- last lines of %s ---\n' "${f#"$T"/}" >&2
      tail -n 15 "$f" >&2
    done
    [ "$FAILED" = 1 ] || printf '[drill] FAILED (exit %s)\n' "$rc" >&2
  fi
  if [ "${DRILL_KEEP:-0}" = 1 ]; then
    printf '[drill] kept %s\n' "$T" >&2
  else
    rm -rf -- "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Free high loopback ports (also free on ::1 when IPv6 works there); prints "v6 P1 P2 …".
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
n, held, ports = int(sys.argv[1]), [], []
try:
    s6 = socket.socket(socket.AF_INET6); s6.bind(("::1", 0)); s6.close(); v6 = 1
except OSError:
    v6 = 0
while len(ports) < n:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    if v6:
        try:
            t = socket.socket(socket.AF_INET6); t.bind(("::1", port)); held.append(t)
        except OSError:
            s.close(); continue
    held.append(s); ports.append(port)
print(v6, *ports)
EOF
}
read -r HAVE_V6 UP_PORT HTTP_PORT HTTPS_PORT <<<"$(free_ports 3)"
BASE=https://localhost:$HTTPS_PORT

# Polls `CMD…` every 0.1 s until it succeeds; fails after DEADLINE seconds with DESC.
wait_for() {
  local desc=$1 deadline=$(($(date +%s) + $2)); shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for $desc"
    sleep 0.1
  done
}

# --- 3. self-signed certificate ---------------------------------------------------------------
mkdir -m 0700 "$T/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$T/tls/privkey.pem" -out "$T/tls/fullchain.pem" 2>"$T/tls/openssl.log" \
  || fail "openssl could not make a certificate: $(cat "$T/tls/openssl.log")"

# --- 4. nginx configuration generated from docs/deploy/nginx.conf -----------------------------
NX=$T/nginx
mkdir -p "$NX/logs" "$NX/temp"
# The sed command for the guide's `listen [::]:PORT` lines: to [::1] and a free port, or away.
v6_listen() {
  if [ "$HAVE_V6" = 1 ]; then printf 's|^(\\s*)listen \\[::\\]:%s\\b|\\1listen [::1]:%s|' "$1" "$2"
  else printf '/^\\s*listen \\[::\\]:%s\\b/d' "$1"; fi
}
sed -E \
  -e "s|^(\s*)listen 80;|\1listen 127.0.0.1:$HTTP_PORT;|" \
  -e "s|^(\s*)listen 443 ssl|\1listen 127.0.0.1:$HTTPS_PORT ssl|" \
  -e "$(v6_listen 80 "$HTTP_PORT")" \
  -e "$(v6_listen 443 "$HTTPS_PORT")" \
  -e "s|server_name yjx\.example\.gov\.cn;|server_name localhost;|" \
  -e "s|/etc/ssl/mashangshuo/|$T/tls/|" \
  -e "s|/var/log/nginx/mashangshuo\.|$NX/logs/mashangshuo.|" \
  -e "s|server 127\.0\.0\.1:8080;|server 127.0.0.1:$UP_PORT;|" \
  "$NGINX_DOC" >"$NX/mashangshuo.conf"
# Every substitution took, and the lines the guide documents are there unchanged.
if grep -nvE '^\s*#' "$NX/mashangshuo.conf" \
  | grep -E 'yjx\.example|/etc/ssl|/var/log|server 127\.0\.0\.1:8080|listen (80|443|\[::\]:)' >"$NX/leftover"; then
  fail "docs/deploy/nginx.conf changed shape; not rewritten for the drill: $(cat "$NX/leftover")"
fi
# shellcheck disable=SC2016 # nginx variables, quoted as the guide writes them
for documented in \
  "log_format mashangshuo_private '\$mashangshuo_hour \$request_method \$status \$body_bytes_sent \$request_time';" \
  'proxy_set_header X-Forwarded-For $remote_addr;' \
  'proxy_set_header Forwarded "";' \
  'access_log off;' \
  'access_log '"$NX"'/logs/mashangshuo.access.log mashangshuo_private;'; do
  grep -qF -- "$documented" "$NX/mashangshuo.conf" || fail "docs/deploy/nginx.conf lacks: $documented"
done
ERROR_LEVEL=$(sed -nE "s|^\s*error_log $NX/logs/mashangshuo\.error\.log ([a-z]+);.*|\1|p" "$NX/mashangshuo.conf")
[ -n "$ERROR_LEVEL" ] || fail "docs/deploy/nginx.conf sets no error_log for the site"
# The skeleton around it, like Debian's /etc/nginx/nginx.conf (whose http-level logs keep
# addresses: the documented server blocks must override them).
{
  [ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);"
  cat <<EOF
worker_processes 1;
daemon off;
pid $NX/nginx.pid;
error_log $NX/logs/main.error.log;
events { worker_connections 256; }
http {
    access_log $NX/logs/default.access.log;
    error_log $NX/logs/default.error.log;
    client_body_temp_path $NX/temp/body;
    proxy_temp_path $NX/temp/proxy;
    fastcgi_temp_path $NX/temp/fastcgi;
    uwsgi_temp_path $NX/temp/uwsgi;
    scgi_temp_path $NX/temp/scgi;
    include $NX/mashangshuo.conf;
}
EOF
} >"$NX/nginx.conf"
NGINX_ARGS=(-p "$NX/" -c "$NX/nginx.conf" -e "$NX/logs/startup.error.log")
"$NGINX" -t -q "${NGINX_ARGS[@]}" 2>"$NX/test.out" || fail "nginx -t refused the configuration: $(cat "$NX/test.out")"
log "nginx -t accepts docs/deploy/nginx.conf (ports: https $HTTPS_PORT, http $HTTP_PORT, upstream $UP_PORT; IPv6 listens: $([ "$HAVE_V6" = 1 ] && echo '[::1]' || echo dropped))"

# --- 5. server environment from docs/deploy/mashangshuo.env.example, start --------------------
SECRET=$(openssl rand -hex 32)
sed -E \
  -e "s|^MASHANGSHUO_PUBLIC_URL=.*|MASHANGSHUO_PUBLIC_URL=$BASE|" \
  -e "s|^MASHANGSHUO_BIND=.*|MASHANGSHUO_BIND=127.0.0.1:$UP_PORT|" \
  -e "s|^MASHANGSHUO_SECRET=.*|MASHANGSHUO_SECRET=$SECRET|" \
  "$ENV_DOC" >"$T/mashangshuo.env"
chmod 0600 "$T/mashangshuo.env"
for line in "MASHANGSHUO_PUBLIC_URL=$BASE" "MASHANGSHUO_BIND=127.0.0.1:$UP_PORT" \
  "MASHANGSHUO_SECRET=$SECRET" "MASHANGSHUO_TRUSTED_PROXIES=127.0.0.1,::1"; do
  grep -qxF "$line" "$T/mashangshuo.env" || fail "docs/deploy/mashangshuo.env.example lacks ${line%%=*}"
done

# Runs the binary with the deployment's environment on data directory $1 (as the systemd unit
# does: the environment file, StateDirectory as MASHANGSHUO_DATA_DIR; demo data left on).
mss_env() {
  MSS_ENV=(PATH="$PATH" HOME="$T" MASHANGSHUO_CONFIG="$T/mashangshuo.env"
    MASHANGSHUO_DATA_DIR="$1" MASHANGSHUO_SITE_ROOT="$ROOT/target/site"
    RUST_LOG="$RUST_LOG_LEVEL")
}
mss() {
  mss_env "$1"; shift
  env -i "${MSS_ENV[@]}" "$BIN" "$@"
}

curl_tls() { curl -sS --max-time 15 --resolve "localhost:$HTTPS_PORT:127.0.0.1" --cacert "$T/tls/fullchain.pem" "$@"; }
healthy() { [ "$(curl_tls -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null)" = 200 ]; }
server_alive() { kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited: $(tail -n 20 "$T/server-$1.log")"; }
healthy_or_dead() { server_alive "$1"; healthy; }

# Starts `serve` on data directory $1 (run $2); waits for /healthz through the proxy.
start_server() {
  mss_env "$1"
  # A simple command, so $! is the server itself (env execs it), not a subshell.
  env -i "${MSS_ENV[@]}" "$BIN" serve >"$T/server-$2.stdout" 2>"$T/server-$2.log" &
  SERVER_PID=$!
  wait_for "/healthz through nginx (server run $2)" 60 healthy_or_dead "$2"
}

mkdir -m 0700 "$T/data1"
log "starting nginx and mashangshuo serve (fresh SQLite data directory, demo data, RUST_LOG=$RUST_LOG_LEVEL)"
"$NGINX" "${NGINX_ARGS[@]}" &
NGINX_PID=$!
wait_for "nginx's pid file" 10 test -s "$NX/nginx.pid"
T_SERVE=$(date +%s%N)
start_server "$T/data1" 1
has_boxes() { grep -q '/b/' "$T/server-1.stdout"; }
wait_for "the demo JSON on the server's stdout" 10 has_boxes
mapfile -t BOXES < <(grep -o '/b/[A-Za-z0-9_-]*' "$T/server-1.stdout" | sed 's|/b/||' | sort -u)
[ "${#BOXES[@]}" -gt 0 ] || fail "no demo box in the server's stdout"
grep -qF "$BASE/b/" "$T/server-1.stdout" || fail "the box URLs do not use MASHANGSHUO_PUBLIC_URL ($BASE)"
log "healthy through nginx after $(( ($(date +%s%N) - T_SERVE) / 1000000 )) ms; ${#BOXES[@]} demo boxes"

# The proxy's own promises: HSTS, plain HTTP redirected, oversized uploads stopped.
headers=$(curl_tls -D - -o /dev/null "$BASE/healthz")
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS header through nginx"
redirect=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/r")
case "$redirect" in "301 https://"*) ;; *) fail "plain HTTP answered '$redirect', not a 301 to https" ;; esac
truncate -s 26M "$T/big.bin"
big=$(curl_tls --interface 127.0.0.2 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$T/big.bin" "$BASE/api/v1/boxes/${BOXES[0]}/opinions")
rm -f "$T/big.bin"
[ "$big" = 413 ] || fail "a 26 MB body through nginx answered $big, not 413 (client_max_body_size 25m)"

# --- 6. opinions from two client addresses ----------------------------------------------------
# The box page's token (its form's hidden box_token field), fetched as client $1 for box $2.
box_token() {
  curl_tls --interface "$1" "$BASE/b/$2" | grep -o 'name="box_token"[^>]*' \
    | sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1
}
# Sends an opinion as client $1 to box $2 with text $3 (more curl arguments after); prints
# "STATUS RECEIPT" (receipt "-" when none).
send_opinion() {
  local addr=$1 code=$2 text=$3; shift 3
  local token out status receipt
  token=$(box_token "$addr" "$code") || true
  [ -n "$token" ] || { echo "000 -"; return 0; }
  out=$(mktemp "$T/resp.XXXXXX")
  status=$(curl_tls --interface "$addr" -o "$out" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "{\"category\":\"suggestion\",\"text\":\"$text\",\"box_token\":\"$token\"}" \
    "$@" "$BASE/api/v1/boxes/$code/opinions" 2>/dev/null) || status=000
  receipt=$(grep -o '"receipt":"[0-9]\{16\}"' "$out" | grep -o '[0-9]\{16\}' || true)
  rm -f "$out"
  echo "$status ${receipt:--}"
}
text_for() { echo "村口的路灯坏了很久，晚上走路不安全，希望尽快修好。（演练 $1）"; }
: >"$T/receipts.before" # every receipt acknowledged before the backup
: >"$T/receipts.all"    # every receipt handed out at all

T_LIMIT=$(date +%s%N)
# Sends one opinion as 127.0.0.2 (more curl arguments: $@); sets STATUS, counts and keeps
# the receipt.
sent_a=0 accepted_a=0 refused_a=0
send_a() {
  local receipt
  read -r STATUS receipt <<<"$(send_opinion 127.0.0.2 "${BOXES[$((sent_a % ${#BOXES[@]}))]}" "$(text_for "a-$sent_a")" "$@")"
  sent_a=$((sent_a + 1))
  case "$STATUS" in
    201 | 200)
      [ "$receipt" != - ] || fail "127.0.0.2: answered $STATUS without a receipt"
      accepted_a=$((accepted_a + 1)); echo "$receipt" >>"$T/receipts.before" ;;
    429) refused_a=$((refused_a + 1)) ;;
    *) fail "127.0.0.2: opinion $sent_a answered $STATUS" ;;
  esac
}
# Sends as 127.0.0.2 until refused (the bucket refills one opinion every few seconds).
exhaust_a() {
  local tries=0
  while [ "$tries" -lt 40 ]; do
    send_a; tries=$((tries + 1))
    [ "$STATUS" != 429 ] || return 0
  done
  fail "127.0.0.2 sent $tries opinions in a row through nginx and was never refused (429): the per-client limit does not work behind the proxy"
}
exhaust_a
log "127.0.0.2: $accepted_a opinions accepted, then 429 (opinion $sent_a)"

sent_b=0 accepted_b=0
for i in 1 2 3; do
  read -r status receipt <<<"$(send_opinion 127.0.0.3 "${BOXES[$((i % ${#BOXES[@]}))]}" "$(text_for "b-$i")")"
  sent_b=$((sent_b + 1))
  case "$status" in
    201 | 200) [ "$receipt" != - ] || fail "127.0.0.3: $status without a receipt"
      accepted_b=$((accepted_b + 1)); echo "$receipt" >>"$T/receipts.before" ;;
    *) fail "127.0.0.3 answered $status right after 127.0.0.2 was refused: the two clients share one bucket (X-Forwarded-For not used?)" ;;
  esac
done
log "127.0.0.3: $accepted_b of $sent_b accepted while 127.0.0.2 is refused (two buckets)"

# A client's own X-Forwarded-For / Forwarded is replaced by nginx: still 127.0.0.2's bucket.
# Each spoof follows a fresh 429; a spoof accepted may be the bucket's refill landing in
# between, so it is tried again (a spoof that worked would be accepted every time).
spoof_429=0
for spoof in 'X-Forwarded-For: 203.0.113.77' 'Forwarded: for=203.0.113.78' \
  'X-Forwarded-For: 203.0.113.79, 198.51.100.80'; do
  for try in 1 2 3; do
    exhaust_a
    send_a -H "$spoof"
    [ "$STATUS" != 429 ] || break
    [ "$try" -lt 3 ] || fail "127.0.0.2 sending '$spoof' through nginx was accepted ($STATUS) 3 times right after a 429: a client can pick its own bucket"
  done
  spoof_429=$((spoof_429 + 1))
done
# Control: the server does believe the header from its trusted proxy (directly, bypassing nginx).
direct_token=$(curl -sS --max-time 10 "http://127.0.0.1:$UP_PORT/b/${BOXES[0]}" | grep -o 'name="box_token"[^>]*' | sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1) || true
[ -n "$direct_token" ] || fail "control: no box_token on the box page served directly"
direct=$(curl -sS --max-time 10 -o "$T/direct.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -H 'X-Forwarded-For: 203.0.113.77' \
  --data-binary "{\"category\":\"suggestion\",\"text\":\"$(text_for direct)\",\"box_token\":\"$direct_token\"}" \
  "http://127.0.0.1:$UP_PORT/api/v1/boxes/${BOXES[0]}/opinions")
case "$direct" in 201 | 200) ;; *) fail "control: X-Forwarded-For from the trusted proxy address answered $direct: $(cat "$T/direct.json")" ;; esac
direct_receipt=$(grep -o '"receipt":"[0-9]\{16\}"' "$T/direct.json" | grep -o '[0-9]\{16\}') || fail "control: no receipt in $(cat "$T/direct.json")"
echo "$direct_receipt" >>"$T/receipts.before"
log "spoofed X-Forwarded-For/Forwarded from 127.0.0.2: $spoof_429 × 429 (the same header straight from 127.0.0.1 is believed: $direct)"
T_LIMIT_MS=$(( ($(date +%s%N) - T_LIMIT) / 1000000 ))

# What a stranger can make nginx write to its error log: a ClientHello cut short (nginx 1.22
# logs it at crit, with the client's address), junk on the plain-HTTP port, plain HTTP on the
# TLS port; all from 127.0.0.4.
python3 - "$HTTPS_PORT" "$HTTP_PORT" <<'PY' || fail "could not send the malformed requests"
import socket, sys
https, http = int(sys.argv[1]), int(sys.argv[2])
for port, data in [(https, b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"),
                   (http, b"GARBAGE /\x00 HTTP/1.1\r\n\r\n"),
                   (https, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]:
    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.4", 0))
    s.sendall(data)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    s.close()
PY

# --- 7. backup under load, kill -9, restore, receipts -----------------------------------------
# Load loop $1 (0–3): sends opinions until $T/load.stop exists, from 20 addresses of its own
# in turn (127.0.0.10–29, 30–49, 50–69, 70–89: fresh buckets); logs "ack RECEIPT" or
# "fail STATUS" per opinion to $T/load.$1.log.
LOOPS=4
load_loop() {
  local k=$1 n=0 addr status receipt
  while [ ! -e "$T/load.stop" ]; do
    addr=127.0.0.$((10 + 20 * k + n % 20))
    read -r status receipt <<<"$(send_opinion "$addr" "${BOXES[$(((n + k) % ${#BOXES[@]}))]}" "$(text_for "load-$k-$n")")"
    if [ "$receipt" != - ]; then echo "ack $receipt" >>"$T/load.$k.log"; else echo "fail $status" >>"$T/load.$k.log"; fi
    n=$((n + 1))
  done
}
LOAD_PIDS=()
for k in $(seq 0 $((LOOPS - 1))); do
  : >"$T/load.$k.log"
  load_loop "$k" &
  LOAD_PIDS+=($!)
done
LOAD_PID=${LOAD_PIDS[*]}
# What the load has logged so far, in one file ($1); prints its number of receipts.
load_snapshot() { cat "$T"/load.?.log >"$1"; grep -c '^ack' "$1" || true; }
enough_load() { [ "$(load_snapshot "$T/load.now")" -ge 20 ]; }
wait_for "20 opinions of the background load" 30 enough_load
load_before=$(load_snapshot "$T/load.before")
grep '^ack' "$T/load.before" | cut -d' ' -f2 >>"$T/receipts.before"
log "backup while $LOOPS clients keep sending ($load_before opinions of the load acknowledged so far)"
T_BACKUP=$(date +%s%N)
mss "$T/data1" backup "$T/backup" >"$T/backup.json" 2>"$T/backup.log" \
  || fail "mashangshuo backup failed: $(cat "$T/backup.log")"
BACKUP_MS=$(( ($(date +%s%N) - T_BACKUP) / 1000000 ))
load_after=$(load_snapshot "$T/load.after")
[ -f "$T/backup/manifest.json" ] || fail "the backup has no manifest.json"
[ ! -e "$T/backup/secret.key" ] || fail "the backup holds the secret although --include-secret was not given"
! grep -rqF "$SECRET" "$T/backup" || fail "the backup holds the secret"
for pid in "${LOAD_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a load client stopped before the kill"; done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
! kill -0 "$SERVER_PID" 2>/dev/null || fail "the server survived kill -9"
SERVER_PID=''
! healthy || fail "/healthz still answers through nginx after the server was killed"
touch "$T/load.stop"
for pid in "${LOAD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
LOAD_PID=''
load_total=$(load_snapshot "$T/load.all")
load_failed=$(grep -c '^fail' "$T/load.all" || true)
load_sent=$((load_total + load_failed))
log "backup took $BACKUP_MS ms; $((load_after - load_before)) opinions acknowledged during it; server killed (-9) under load ($load_total acknowledged in all, $load_failed unanswered around the kill)"
cat "$T/receipts.before" >"$T/receipts.all"
grep '^ack' "$T/load.all" | cut -d' ' -f2 >>"$T/receipts.all"

# restore refuses a data directory that holds data (exit 5), then restores into a fresh one.
set +e
mss "$T/data1" restore "$T/backup" >"$T/restore-refused.out" 2>&1
refused=$?
set -e
[ "$refused" = 5 ] || fail "restore into the old, non-empty data directory exited $refused, not 5: $(cat "$T/restore-refused.out")"
T_RESTORE=$(date +%s%N)
mss "$T/data2" restore "$T/backup" >"$T/restore.json" 2>"$T/restore.log" \
  || fail "mashangshuo restore failed: $(cat "$T/restore.log")"
RESTORE_MS=$(( ($(date +%s%N) - T_RESTORE) / 1000000 ))
start_server "$T/data2" 2
log "restored in $RESTORE_MS ms into a fresh data directory; server healthy on it through nginx"

# Every receipt acknowledged before the backup resolves through the proxy; receipt look-ups
# are rate limited per client too, so they come from 127.0.1.1, 127.0.1.2, … (15 each).
lookup() {
  curl_tls --interface "$1" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "{\"receipt\":\"$2\"}" "$BASE/api/v1/receipts/status" 2>/dev/null || echo 000
}
checked=0 resolved=0 n=0
missing=()
while read -r receipt; do
  [ -n "$receipt" ] || continue
  status=$(lookup "127.0.1.$((1 + n / 15))" "$receipt")
  n=$((n + 1)); checked=$((checked + 1))
  if [ "$status" = 200 ]; then resolved=$((resolved + 1)); else missing+=("$receipt→$status"); fi
done <"$T/receipts.before"
[ "${#missing[@]}" = 0 ] || fail "after the restore, ${#missing[@]} of $checked receipts acknowledged before the backup do not resolve: ${missing[*]}"
later=0 later_resolved=0
while read -r receipt; do
  later=$((later + 1))
  [ "$(lookup "127.0.1.$((1 + n / 15))" "$receipt")" != 200 ] || later_resolved=$((later_resolved + 1))
  n=$((n + 1))
done < <(grep -vxF -f "$T/receipts.before" "$T/receipts.all" || true)
mss "$T/data2" audit >"$T/audit.json" 2>"$T/audit.log" || fail "mashangshuo audit on the restored data failed: $(cat "$T/audit.json" "$T/audit.log")"
log "all $checked receipts from before the backup resolve; of the $later acknowledged after it began, $later_resolved are in the backup; audit: ok"

# --- 8. logs ----------------------------------------------------------------------------------
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=''
kill -QUIT "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=''

ADDRESS='([0-9]{1,3}\.){3}[0-9]{1,3}|::1|::ffff:'
printf '%s\n' "${BOXES[@]}" >"$T/codes"
ACCESS=$NX/logs/mashangshuo.access.log
access_lines=$(wc -l <"$ACCESS")
[ "$access_lines" -gt 0 ] || fail "nginx's access log is empty"
if grep -vxE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2} [A-Z]+ [0-9]{3} [0-9]+ [0-9]+\.[0-9]{3}' "$ACCESS" >"$T/odd"; then
  fail "nginx's access log has lines other than 'HOUR METHOD STATUS BYTES SECONDS': $(head -n 3 "$T/odd")"
fi
for f in "$NX"/logs/*.log; do
  if grep -nE "$ADDRESS" "$f" >"$T/hits"; then fail "${f#"$NX"/} holds an address: $(head -n 3 "$T/hits")"; fi
  if grep -nF -f "$T/receipts.all" -f "$T/codes" "$f" >"$T/hits"; then fail "${f#"$NX"/} holds a receipt or box code: $(head -n 3 "$T/hits")"; fi
done
[ ! -s "$NX/logs/default.access.log" ] || fail "requests reached nginx's default access log (combined format, with addresses)"
for f in "$T"/server-*.log "$T"/server-*.stdout "$T"/backup.* "$T"/restore*.* "$T"/audit.*; do
  # The listening line names the server's own bind address; nothing else may name one.
  if sed "s/127\.0\.0\.1:$UP_PORT//g" "$f" | grep -nE "$ADDRESS" >"$T/hits"; then
    fail "${f#"$T"/} holds an address: $(head -n 3 "$T/hits")"
  fi
  if grep -nF -f "$T/receipts.all" "$f" >"$T/hits"; then fail "${f#"$T"/} holds a receipt: $(head -n 3 "$T/hits")"; fi
  case "$f" in
    # Only the server's log lines carry a time. The first start prints the demo boxes' URLs
    # (by design), and a backup names the QR images by box code.
    *.stdout | */backup.* | */restore*.* | */audit.*) ;;
    *) if grep -nF -f "$T/codes" "$f" >"$T/hits"; then fail "${f#"$T"/} holds a box code: $(head -n 3 "$T/hits")"; fi ;;
  esac
done
error_lines=$(cat "$NX"/logs/*error.log | wc -l)
server_lines=$(cat "$T"/server-*.log | wc -l)
log "logs: nginx access $access_lines lines (hour granularity), nginx error logs $error_lines lines, server $server_lines lines (RUST_LOG=$RUST_LOG_LEVEL): no address, receipt or box code"

# --- 9. summary -------------------------------------------------------------------------------
TOTAL_MS=$(( ($(date +%s%N) - T_START) / 1000000 ))
cat <<EOF
drill passed in $((TOTAL_MS / 1000)).$(printf '%03d' $((TOTAL_MS % 1000))) s ($("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), docs/deploy/nginx.conf, TLS, RUST_LOG=$RUST_LOG_LEVEL)
  buckets:  127.0.0.2 sent $sent_a opinions: $accepted_a accepted, $refused_a refused (429); 127.0.0.3 sent $sent_b right after 127.0.0.2's first 429: $accepted_b accepted ($T_LIMIT_MS ms)
  spoofing: $spoof_429 spoofed X-Forwarded-For/Forwarded headers from 127.0.0.2 through nginx: 429 each (from the trusted 127.0.0.1 directly: $direct)
  load:     $load_sent opinions from $LOOPS clients × 20 addresses (127.0.0.10–89), $load_total acknowledged ($load_before before the backup), $load_failed unanswered at the kill
  backup:   $BACKUP_MS ms under load ($((load_after - load_before)) opinions acknowledged during it), then kill -9
  restore:  $RESTORE_MS ms into a fresh data directory; $resolved/$checked receipts from before the backup resolve through nginx ($later_resolved/$later later ones in the backup); audit ok
  logs:     nginx access $access_lines lines at the hour, nginx error $error_lines lines, server $server_lines lines: no client address, receipt or box code
EOF
