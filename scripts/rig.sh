# Sourced by test.sh and demo.sh: starts the rig in the background and stops it on exit.
# After `start_rig FILE`, FILE holds the rig's URLs (JSON) and RIG_PID its process.
start_rig() {
  local json=$1
  rm -f "$json"
  node tests/rig/rig.mjs serve --json "$json" >/dev/null &
  RIG_PID=$!
  trap 'kill $RIG_PID 2>/dev/null; wait $RIG_PID 2>/dev/null' EXIT
  for _ in $(seq 1 600); do
    [[ -s $json ]] && return 0
    kill -0 "$RIG_PID" 2>/dev/null || { echo "the test rig failed to start" >&2; return 1; }
    sleep 0.1
  done
  echo "the test rig did not start within 60 s" >&2
  return 1
}
