#!/usr/bin/env bash
# Runs 码上说 on the embedded default: a SQLite file under ./data, demo data seeded on the
# first start (the reviewer's password and the box URLs are printed as JSON on stdout).
# Installs what the build needs first (idempotent). Configure with environment variables
# (see README), e.g. MASHANGSHUO_BIND=0.0.0.0:8080 MASHANGSHUO_PUBLIC_URL=https://… scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-wasm.sh
cargo build --release -p mashangshuo
export MASHANGSHUO_SITE_ROOT=${MASHANGSHUO_SITE_ROOT:-target/site}
echo "[run] starting on http://${MASHANGSHUO_BIND:-127.0.0.1:8080} (Ctrl-C stops)" >&2
exec target/release/mashangshuo serve
