#!/usr/bin/env bash
# Builds the npm package into pkg/ (release, wasm-opt from npm binaryen, never Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
# --mode no-install: fail at once if wasm-bindgen-cli does not match Cargo.lock, instead of
# wasm-pack quietly trying to download or build its own copy.
wasm-pack build --release --target web --out-dir pkg --out-name registry_probe --mode no-install --no-pack 2>&1 \
  | grep -v "failed to get wasm-pack version" || { echo "wasm-pack build failed" >&2; exit 1; }
node scripts/package.mjs
# Let tests and examples import the package by its name, as consumers do (what `npm link` does).
mkdir -p node_modules && ln -sfn ../pkg node_modules/registry-probe
