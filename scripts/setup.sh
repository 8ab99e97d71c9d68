#!/usr/bin/env bash
# Installs everything the build and the tests need. Idempotent: each step is skipped when already present.
# Usage: scripts/setup.sh [--browser] [--postgres]
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
SCHEMATHESIS_VERSION=4.32.5
want_browser=0
want_postgres=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --postgres) want_postgres=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[setup] %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || { [ "$want_browser" = 1 ] && { [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/jsqr ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/lighthouse ]; }; }; then
  log "installing npm packages (binaryen, playwright-core, jsqr, axe-core, lighthouse)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The API contract check (scripts/api-check.sh) runs schemathesis's `st`.
if ! st --version 2>/dev/null | grep -q " $SCHEMATHESIS_VERSION\$"; then
  log "installing schemathesis $SCHEMATHESIS_VERSION (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  if command -v pyenv >/dev/null; then pyenv rehash; fi # the `st` shim
fi

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi

if [ "$want_postgres" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql
fi
log "ready"
