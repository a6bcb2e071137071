#!/usr/bin/env bash
# Installs every tool this project needs on a fresh machine of this kind (Rust, Node 20/npm,
# Python 3.11 and gcc are assumed). Idempotent: each step is skipped quickly when done.
# Only package registries are used (Debian, crates.io, npm): wasm-pack's own downloads of
# wasm-opt or chromedriver do not work here, so we provide both.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep in step with Cargo.lock: wasm-pack uses the wasm-bindgen-cli of exactly this version.
WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
CARGO_FUZZ_VERSION=0.13.2

log() { printf '[setup] %s\n' "$*"; }

apt_pkgs=(chromium chromium-driver firefox-esr docker-registry nginx-light apache2-utils curl jq tinyproxy)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packaged services must not start on install: the rig starts its own instances.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

cargo_tool() { # binary version crate [extra cargo install args]
  local bin=$1 version=$2 crate=$3 have=""; shift 3
  # The output is read whole: `grep -q` on a pipe could close it early, the tool would then die
  # of SIGPIPE and, under pipefail, an installed tool would look missing.
  command -v "$bin" >/dev/null && have=$("$bin" --version 2>/dev/null || true)
  if [[ $have == *"$version"* ]]; then
    return
  fi
  log "cargo install $crate $version"
  cargo install -q "$crate" --version "$version" "$@"
}
cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked
cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
cargo_tool geckodriver "$GECKODRIVER_VERSION" geckodriver --locked
# cargo-fuzz answers --version only as `cargo fuzz --version`.
fuzz_have=$(cargo fuzz --version 2>/dev/null || true)
if [[ $fuzz_have != *"$CARGO_FUZZ_VERSION"* ]]; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# npm dev tools (a correct wasm-opt from binaryen, browsers' drivers, test helpers).
if [[ ! -f node_modules/.setup-stamp || package-lock.json -nt node_modules/.setup-stamp ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.setup-stamp
fi
log "ready"
