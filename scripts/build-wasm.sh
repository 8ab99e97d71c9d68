#!/usr/bin/env bash
# Builds the hydrate (islands) bundle into $MASHANGSHUO_SITE_ROOT/pkg (default target/site/pkg):
#   mashangshuo.<hash>.js, mashangshuo.<hash>_bg.wasm, their .gz/.br, and manifest.json
#   {"js": "mashangshuo.<hash>.js", "wasm": "mashangshuo.<hash>_bg.wasm"} read by the server.
# The hash is the first 10 hex digits of sha256(wasm + js), so the files can be cached forever.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=mashangshuo
TARGET_DIR=${CARGO_TARGET_DIR:-target}
SITE_ROOT=${MASHANGSHUO_SITE_ROOT:-target/site}
PKG=$SITE_ROOT/pkg
TMP=$SITE_ROOT/pkg.tmp
WASM_IN=$TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm
WASM_OPT=node_modules/.bin/wasm-opt

log() { printf '[wasm] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found (run scripts/setup.sh)"
[ -x "$WASM_OPT" ] || die "$WASM_OPT not found (run scripts/setup.sh)"

log "cargo build (frontend, hydrate, wasm-release)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --features hydrate --profile wasm-release

log "wasm-bindgen"
rm -rf "$TMP"
wasm-bindgen --target web --no-typescript --out-dir "$TMP" --out-name "$NAME" "$WASM_IN"

log "wasm-opt -Oz"
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$TMP/${NAME}_bg.wasm" -o "$TMP/${NAME}_bg.opt.wasm"
mv -f "$TMP/${NAME}_bg.opt.wasm" "$TMP/${NAME}_bg.wasm"

hash=$(cat "$TMP/${NAME}_bg.wasm" "$TMP/$NAME.js" | sha256sum | cut -c1-10)
js=$NAME.$hash.js
wasm=$NAME.${hash}_bg.wasm
log "content hash $hash"

mkdir -p "$PKG"
# The JS glue is loaded with an explicit wasm URL, so renaming both files is enough.
cp -f "$TMP/$NAME.js" "$PKG/$js.part" && mv -f "$PKG/$js.part" "$PKG/$js"
cp -f "$TMP/${NAME}_bg.wasm" "$PKG/$wasm.part" && mv -f "$PKG/$wasm.part" "$PKG/$wasm"
# JS snippets (inline_js / module imports), if any, are imported relative to the glue.
rm -rf "$PKG/snippets"
if [ -d "$TMP/snippets" ]; then
  cp -r "$TMP/snippets" "$PKG/snippets"
fi

# Precompressed copies for the static file handler. Brotli comes from the
# `brotli` command when installed, otherwise from Node's zlib (same format).
brotli_file() {
  if command -v brotli >/dev/null; then
    brotli -q 11 -k -f "$1"
  else
    node -e '
      const fs = require("fs"), zlib = require("zlib"), f = process.argv[1];
      const out = zlib.brotliCompressSync(fs.readFileSync(f), { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: fs.statSync(f).size } });
      fs.writeFileSync(f + ".br", out);' "$1"
  fi
}
for f in "$PKG/$js" "$PKG/$wasm"; do
  gzip -9 -n -k -f "$f"
  brotli_file "$f"
done

# Publish the manifest last (atomically), then drop older hashed files.
printf '{"js": "%s", "wasm": "%s"}\n' "$js" "$wasm" >"$PKG/manifest.json.part"
mv -f "$PKG/manifest.json.part" "$PKG/manifest.json"
for f in "$PKG"/"$NAME".*; do
  [ -e "$f" ] || continue
  case "$(basename "$f")" in
    "$js" | "$js".gz | "$js".br | "$wasm" | "$wasm".gz | "$wasm".br) ;;
    *) rm -f -- "$f" ;;
  esac
done
rm -f "$PKG/$NAME.js" "$PKG/${NAME}_bg.wasm"
rm -rf "$TMP"

# Sizes: raw, gzip (and brotli when built).
size() { if [ -e "$1" ]; then stat -c %s "$1"; else printf -- '-'; fi; }
{
  printf '[wasm] %-36s %10s %10s %10s\n' file raw gz br
  for f in "$js" "$wasm"; do
    printf '[wasm] %-36s %10s %10s %10s\n' "$f" "$(size "$PKG/$f")" "$(size "$PKG/$f.gz")" "$(size "$PKG/$f.br")"
  done
  printf '[wasm] manifest: %s\n' "$PKG/manifest.json"
} >&2
