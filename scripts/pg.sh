#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the test suite.
# Usage: scripts/pg.sh start   create (or reuse) the cluster, print its URL
#        scripts/pg.sh url     print the URL of the running cluster
#        scripts/pg.sh stop    stop the cluster and delete its files
# State lives in target/pg.env (PG_DIR, PG_PORT, PG_BIN). initdb refuses to run
# as root, so as root the cluster belongs to the system user mss_pg.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_USER=mss_pg
ENV_FILE=target/pg.env

log() { printf '[pg] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a command as the cluster owner (as ourselves when not root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

url_for() { printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$1"; }

load_env() {
  PG_DIR='' PG_PORT='' PG_BIN=''
  if [ -f "$ENV_FILE" ]; then
    # shellcheck disable=SC1090
    . "$ENV_FILE"
  fi
}

# The postmaster is alive (pg_ctl status) ...
is_started() {
  [ -n "$PG_DIR" ] && [ -n "$PG_BIN" ] && [ -f "$PG_DIR/PG_VERSION" ] \
    && as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1
}
# ... and accepts connections on the recorded port.
is_running() {
  is_started && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 5
}

# Highest installed server version, e.g. /usr/lib/postgresql/15/bin.
find_bin() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ ! -x "$dir/initdb" ]; then
    die "no PostgreSQL server found (run scripts/setup.sh --postgres)"
  fi
  printf '%s\n' "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The data directory: target/pg when the owner can reach it and the socket path
# stays short (Unix socket paths are limited to ~107 bytes), otherwise /tmp.
pick_dir() {
  local dir
  dir="$(pwd)/target/pg"
  if [ "${#dir}" -le 80 ] && as_owner test -x "$(pwd)/target" 2>/dev/null; then
    printf '%s\n' "$dir"
  else
    mktemp -d /tmp/mss-pg-XXXXXXXX
  fi
}

# Delete a data directory, refusing anything that does not look like ours.
remove_dir() {
  local dir=$1
  [ -n "$dir" ] || return 0
  case "$dir" in
    "$(pwd)/target/pg" | /tmp/mss-pg-*) rm -rf -- "$dir" ;;
    *) log "not deleting unexpected directory $dir" ;;
  esac
}

start() {
  load_env
  if is_running; then
    log "reusing the running cluster in $PG_DIR (port $PG_PORT)"
    url_for "$PG_PORT"
    return
  fi
  # Leftovers from a crashed run: start from scratch.
  if is_started; then
    log "discarding the unresponsive cluster in $PG_DIR"
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
  remove_dir "$PG_DIR"
  rm -f "$ENV_FILE"

  PG_BIN=$(find_bin)
  if [ "$(id -u)" = 0 ] && ! id -u "$PG_USER" >/dev/null 2>&1; then
    log "creating system user $PG_USER"
    useradd -M -r -s /usr/sbin/nologin "$PG_USER"
  fi
  mkdir -p target
  PG_DIR=$(pick_dir)
  PG_PORT=$(free_port)
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown "$PG_USER" "$PG_DIR"
  chmod 700 "$PG_DIR"
  # Record the state before starting so that `stop` can always clean up.
  printf 'PG_DIR=%q\nPG_PORT=%q\nPG_BIN=%q\n' "$PG_DIR" "$PG_PORT" "$PG_BIN" >"$ENV_FILE"

  log "initdb in $PG_DIR ($PG_BIN)"
  if ! as_owner "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --no-locale \
    >"$ENV_FILE.initdb.log" 2>&1; then
    cat "$ENV_FILE.initdb.log" >&2
    die "initdb failed"
  fi
  rm -f "$ENV_FILE.initdb.log"

  log "starting on 127.0.0.1:$PG_PORT"
  if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    -w -t 60 -l "$PG_DIR/log" start >/dev/null; then
    cat "$PG_DIR/log" >&2 || true
    die "pg_ctl start failed"
  fi
  url_for "$PG_PORT"
}

stop() {
  load_env
  if [ -z "$PG_DIR" ]; then
    log "no cluster recorded in $ENV_FILE; nothing to stop"
    return
  fi
  if is_started; then
    log "stopping the cluster in $PG_DIR"
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w -t 30 stop >/dev/null \
      || as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w -t 10 stop >/dev/null \
      || log "pg_ctl stop failed"
  fi
  remove_dir "$PG_DIR"
  rm -f "$ENV_FILE" "$ENV_FILE.initdb.log"
}

url() {
  load_env
  [ -n "$PG_PORT" ] || die "no cluster (run scripts/pg.sh start)"
  is_running || die "the cluster in $PG_DIR is not running (run scripts/pg.sh start)"
  url_for "$PG_PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
