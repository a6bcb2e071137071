#!/usr/bin/env bash
# The main job: set up, build the package, start the local registries with sample images and
# serve the demo form from www/ on 127.0.0.1. Runs until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p test-output
source scripts/rig.sh
start_rig test-output/demo-rig.json
node scripts/demo-banner.mjs test-output/demo-rig.json
wait "$RIG_PID"
