#!/usr/bin/env bash
# Sets up a fresh machine, builds, and runs every test suite. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "format and lints"
cargo fmt --check
cargo clippy -q --all-targets -- -D warnings
cargo clippy -q --target wasm32-unknown-unknown --lib --tests -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q

step "native tests (cargo test)"
cargo test -q

step "fuzz smoke (each target 100,000 runs from a fixed seed; scripts/fuzz.sh --runs N for long runs)"
bash scripts/fuzz.sh --smoke

step "release package (wasm-pack build + wasm-opt)"
bash scripts/build.sh

mkdir -p test-output
source scripts/rig.sh
start_rig test-output/rig.json
export RIG_JSON=$PWD/test-output/rig.json

step "wasm tests in Node"
timeout 600 wasm-pack test --node --mode no-install -- --test node
step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver timeout 600 wasm-pack test --headless --chrome --mode no-install -- --test web
step "wasm tests in headless Firefox"
GECKODRIVER="$(command -v geckodriver)" timeout 600 wasm-pack test --headless --firefox --mode no-install -- --test web

step "release package in Node (node --test)"
timeout 300 node --test tests/js/*.test.mjs

step "release package and rig in Chromium (Playwright)"
timeout 900 node --test --test-concurrency=1 tests/e2e/*.test.mjs

step "all suites passed"
