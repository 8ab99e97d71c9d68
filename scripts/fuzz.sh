#!/usr/bin/env bash
# Fuzzing: runs the fuzz targets of server/examples/fuzz for a given time each and prints, per
# target, the executions, executions per second, distinct findings and the seed. A finding's
# input is written to target/fuzz-findings/TARGET/ with the command that replays it; the exit
# status is 1 when anything was found.
# Usage: scripts/fuzz.sh [--release] [--seconds N] [--seed S] [--runs N] [TARGET...]
#        scripts/fuzz.sh [--release] --replay target/fuzz-findings/TARGET/FILE
#        scripts/fuzz.sh --list
#   default: every target, 10 s each, a random seed, the dev profile (what `cargo test` built)
#   --release: optimised build, for long runs (e.g. --release --seconds 600)
#   targets: redact urlencoded multipart codes import photo jwt query forwarded
set -euo pipefail
cd "$(dirname "$0")/.."

profile=()
args=()
for a in "$@"; do
  case "$a" in
    --release) profile=(--release) ;;
    *) args+=("$a") ;;
  esac
done

# `--workspace` resolves features as `cargo test --workspace` does, so the dev build is reused.
cargo build -q --workspace --example fuzz "${profile[@]}"
dir=debug
[ "${#profile[@]}" -eq 0 ] || dir=release
exec "target/$dir/examples/fuzz" "${args[@]}"
