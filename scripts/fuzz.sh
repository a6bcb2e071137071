#!/usr/bin/env bash
# Runs every fuzz target (cargo fuzz, libFuzzer) and prints executions and crashes per target.
#   scripts/fuzz.sh --seconds 5        each target for 5 s (the CI smoke test)
#   scripts/fuzz.sh --runs 10000000    each target for 10 million executions
#   scripts/fuzz.sh --runs 10000000 url probe   only these targets
# No sanitizer (-s none): Rust is memory-safe here; what we look for is panics and hangs, and
# without ASan the same time gives ~5x the executions. Exits non-zero on any crash, leaving it in
# fuzz/artifacts/<target>/, and when the fuzzers cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---seconds}; amount=${2:-5}
chosen=("${@:3}")
case $mode in
  --seconds) limit=(-max_total_time="$amount") ;;
  --runs) limit=(-runs="$amount") ;;
  *) echo "usage: scripts/fuzz.sh --seconds N | --runs N" >&2; exit 64 ;;
esac
# cargo fuzz needs nightly-only compiler flags. Without a nightly toolchain (none can be fetched
# here: only package registries are reachable), the stable compiler is told to accept them with
# RUSTC_BOOTSTRAP=1; the fuzzing is never skipped.
if rustup toolchain list | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1" >&2
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo +stable fuzz)
fi
targets=(url form challenge link registry_json probe)
((${#chosen[@]})) && targets=("${chosen[@]}")
# Seeds: the inputs of the shared vectors.
mkdir -p fuzz/corpus/url fuzz/corpus/form
node -e '
  const fs = require("fs");
  const doc = JSON.parse(fs.readFileSync("tests/vectors/registry-url.json", "utf8"));
  doc.cases.forEach((c, i) => fs.writeFileSync(`fuzz/corpus/url/vector-${i}`, c.input));
  const forms = JSON.parse(fs.readFileSync("tests/vectors/form.json", "utf8"));
  forms.cases.forEach((c, i) => fs.writeFileSync(`fuzz/corpus/form/vector-${i}`,
    [c.form.name ?? "", c.form.identifier ?? "", c.form.url ?? "", c.form.auth?.username ?? "", c.form.auth?.passwordRef ?? "", ...(c.form.delegateSelectors ?? [])].join("\0")));
'
(cd fuzz && "${fuzz[@]}" build -s none -O >/dev/null 2>&1) || { echo "fuzz: build failed" >&2; exit 1; }
printf '| target | executions | seconds | crashes |\n|---|---|---|---|\n'
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  start=$(date +%s)
  log=$(cd fuzz && "${fuzz[@]}" run -s none -O "$t" "corpus/$t" -- "${limit[@]}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 2>&1) || status=1
  runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' <<<"$log" | grep -oE '[0-9]+$' || echo 0)
  crashes=$(ls "fuzz/artifacts/$t" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-' || true)
  printf '| %s | %s | %s | %s |\n' "$t" "$runs" "$(( $(date +%s) - start ))" "$crashes"
  [[ $crashes == 0 ]] || status=1
done
exit $status
