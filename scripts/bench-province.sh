#!/usr/bin/env bash
# The province-scale benchmark (issue 20, point 4): builds the release example
# server/examples/province_bench.rs and runs it for each size on a temporary SQLite file, then
# on PostgreSQL when DATABASE_URL names an empty PostgreSQL database, or with --pg on a fresh
# database made (and dropped afterwards) in the throwaway cluster of scripts/pg.sh.
#
# Each size gets a fresh database: 10 counties × 20 townships × 15 villages with their leading
# groups, boxes, people and staff, N opinions with search terms, subjects, replies, threads,
# merged issues and measures, two appraisal rounds per township with answers, leader reviews
# and notices. It prints the generation time, then p50/p95/max of what a township reviewer and
# a county reviewer do (inbox, pages, filters, search, counts, issues, ledger, 统计表 roll-up,
# 通报), the ledger export's time and memory, and the maintenance job; then how each figure
# grew from size to size. Figures, not pass/fail: it exits 0 whatever they are.
#
# Usage: scripts/bench-province.sh [--sizes 10000,100000,1000000] [--runs 20] [--pg]
#                                  [--no-sqlite] [--derive-max N] [--keep DIR]
#   --sizes LIST    opinion counts, comma-separated (default: 10000,100000,1000000)
#   --runs N        timed runs per case, after one warm-up (default: 20)
#   --pg            also run on PostgreSQL: a new database in scripts/pg.sh's cluster
#                   (started if needed), dropped at the end
#   --no-sqlite     skip the SQLite run
#   --derive-max N  run the one-shot directory re-match (derive_for_people) only up to N
#                   opinions (default 100000; it takes minutes at 1 M)
#   --keep DIR      keep each SQLite database in DIR/SIZE/ (to inspect query plans); on
#                   PostgreSQL named by DATABASE_URL, leave the last size in that database
# Environment: DATABASE_URL=postgres://… an existing, empty database to run on as well (its
# public schema is dropped and made again between sizes and at the end). TMPDIR decides
# where the temporary SQLite files go (1 M opinions take about 6 GB).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=10000,100000,1000000
runs=20
with_pg=0
sqlite=1
extra=()

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --pg) with_pg=1; shift ;;
    --no-sqlite) sqlite=0; shift ;;
    --derive-max) extra+=(--derive-max "${2:?--derive-max needs a number}"); shift 2 ;;
    --keep) extra+=(--keep "${2:?--keep needs a folder}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[bench-province] %s\n' "$*" >&2; }

log "building the release example"
cargo build --release -p mashangshuo --example province_bench
bin=target/release/examples/province_bench
args=(--sizes "$sizes" --runs "$runs" "${extra[@]}")

log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" \
  "RAM, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"

if [ "$sqlite" = 1 ]; then
  log "SQLite: sizes $sizes"
  env -u DATABASE_URL "$bin" "${args[@]}"
fi

pg_url=
created=
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) pg_url=$DATABASE_URL ;;
esac
if [ -z "$pg_url" ] && [ "$with_pg" = 1 ]; then
  admin=$(scripts/pg.sh start)
  created="province_bench_$$"
  psql -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $created"
  pg_url="${admin%/*}/$created"
  # shellcheck disable=SC2064
  trap "psql -q '$admin' -c 'DROP DATABASE IF EXISTS $created' || true" EXIT
fi
if [ -n "$pg_url" ]; then
  log "PostgreSQL: sizes $sizes"
  DATABASE_URL=$pg_url "$bin" "${args[@]}"
fi
