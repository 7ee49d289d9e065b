#!/usr/bin/env bash
# Builds the ADF Troubleshooter extension, installing what the build needs on first run.
#
#   ./build.sh          set-up, then dist/ (unpacked extension) and the store zip
#   ./build.sh test     the above, then every test: native Rust, wasm in Node and Chromium,
#                       the accuracy floor, and the browser end-to-end tests
#
# Every set-up step checks whether it is already done and skips itself.
set -euo pipefail
cd "$(dirname "$0")"

WASM_TARGET=wasm32-unknown-unknown
CRATE=adf_troubleshooter
VERSION=$(sed -n 's/^ *"version": *"\(.*\)",$/\1/p' manifest.json)
# The accuracy floors (adf-troubleshooter eval): the development set, written from the articles;
# the field set, real errors pasted by users (answerable cases); the foreign set, real errors of
# other tools, which must not get confident answers.
DEV_FLOORS=(--min-top1 0.98 --min-top3 0.99 --max-confident-wrong 0.01)
FIELD_FLOORS=(--min-top1 0.86 --min-top3 0.95 --max-confident-wrong 0.03)
FOREIGN_FLOORS=(--max-high 0.01)

step() { printf '\n== %s\n' "$*"; }

setup_rust() {
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    step "adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
  # wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
  local wanted
  wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    step "installing wasm-bindgen-cli $wanted"
    # No --locked: one of its locked dependency versions is not in every registry mirror.
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

setup_node() {
  if [ ! -d node_modules/binaryen ] || [ ! -d node_modules/playwright-core ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm packages (binaryen's wasm-opt, playwright-core)"
    npm ci --no-audit --no-fund
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    step "installing Debian chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver
  fi
}

build_extension() {
  step "building the engine for the browser"
  cargo build --profile wasm --target "$WASM_TARGET" -p adf-troubleshooter --lib
  rm -rf build/pkg dist
  mkdir -p build/pkg dist/engine
  # The reset function lets the service worker replace an instance that trapped.
  wasm-bindgen --target web --no-typescript --experimental-reset-state-function \
    --out-dir build/pkg "target/$WASM_TARGET/wasm/$CRATE.wasm"
  # Debian's binaryen 108 corrupts wasm-bindgen's externref table; the npm build is right.
  # Memory packing would cut the embedded knowledge at its runs of zero bytes, a few KB at
  # most; kept whole, it can be found and measured apart from the engine (size budget test).
  # --low-memory-unused lets wasm-opt fold constant offsets into loads and stores (about 4 KB):
  # Rust puts the 1 MB stack first, growing down to address 0, so the low 1 KB is only ever
  # the last KB of a stack about to overflow, which the engine's bounded recursion never nears.
  # -aimfs 6 (--always-inline-max-function-size, 2 by default) inlines the small helpers that
  # opt-level z leaves as calls (indexing, pushes, string slices, serde_json's writes): queries
  # about 5% faster for about 2.5 KB.
  # -ocimfs 600 (--one-caller-inline-max-function-size, unlimited by default) keeps large
  # functions with one caller apart: inlined, scoring::rank and the suggestions made
  # diagnosis::explain_with a 27 KB function, which V8 recompiles with TurboFan during the first
  # answer (40-60 ms of a core, against the start on a 2-core machine); split, the start's
  # TurboFan work is about half, the first answer in a fresh Node process is ~10 ms sooner and
  # warm queries are unchanged, for 0.5 KB.
  node node_modules/binaryen/bin/wasm-opt -Oz -aimfs 6 -ocimfs 600 --low-memory-unused \
    --skip-pass=memory-packing \
    --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    --strip-debug --strip-producers \
    "build/pkg/${CRATE}_bg.wasm" -o "dist/engine/${CRATE}_bg.wasm"
  cp "build/pkg/$CRATE.js" dist/engine/
  cp manifest.json dist/
  cp -r extension/. dist/
  rm -f dist/icons/*.py
  step "packaging"
  local zip="build/adf-troubleshooter-$VERSION.zip"
  rm -f "$zip"
  (cd dist && zip -qr -9 "../$zip" .)
  printf 'dist/ is the unpacked extension; %s is ready for the Chrome Web Store and Edge Add-ons.\n' "$zip"
  ls -l "dist/engine/${CRATE}_bg.wasm" "$zip"
}

run_tests() {
  step "native tests"
  cargo test --workspace
  step "knowledge entries (adf-troubleshooter check; says whether the saved articles were used)"
  cargo run --quiet --release -p adf-troubleshooter -- check crate/knowledge
  local set floors
  for set in eval:DEV_FLOORS field:FIELD_FLOORS foreign:FOREIGN_FLOORS; do
    floors="${set#*:}[@]"
    step "accuracy on tests/data/${set%%:*}.jsonl (floors: ${!floors})"
    cargo run --quiet --release -p adf-troubleshooter -- eval "tests/data/${set%%:*}.jsonl" \
      --quiet "${!floors}"
  done
  step "wasm binding tests (Node, then headless Chromium)"
  (cd crate && cargo test --target "$WASM_TARGET" --test wasm)
  (cd crate && WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" \
    cargo test --target "$WASM_TARGET" --test wasm)
  step "browser end-to-end tests"
  node --test tests/e2e/
}

case "${1:-build}" in
  build)
    setup_rust; setup_node
    build_extension
    ;;
  test)
    setup_rust; setup_node; setup_browser
    build_extension
    run_tests
    ;;
  *)
    echo "usage: ./build.sh [test]" >&2
    exit 2
    ;;
esac
