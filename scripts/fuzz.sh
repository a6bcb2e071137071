#!/usr/bin/env bash
# Runs the fuzz targets (cargo fuzz, libFuzzer) and prints executions and crashes per target.
#   scripts/fuzz.sh --smoke [TARGET...]        the test command's step: the same work every run
#                                               (fixed -seed and -runs, on a throwaway copy of
#                                               the committed seeds and regressions)
#   scripts/fuzz.sh --runs 10000000 [TARGET...] long randomised runs on fuzz/corpus/<target>
#   scripts/fuzz.sh --seconds 60 [TARGET...]    the same, by time
#   scripts/fuzz.sh --write-seeds               rewrite fuzz/seeds/{url,form} from the shared vectors
# Seeds (fuzz/seeds/<target>/) and every input that ever broke a target
# (fuzz/regressions/<target>/, replayed natively by `cargo test --test fuzz_regressions`) are
# committed. A long run copies each new crash into fuzz/regressions/<target>/ (and leaves it in
# fuzz/artifacts/): fix the bug, then commit the input. No sanitizer (-s none): the code is safe
# Rust and what we hunt is panics and hangs; without ASan the same time gives ~5x the executions.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(url form challenge link registry_json probe)
SMOKE_RUNS=100000
SMOKE_SEED=24

write_seeds() {
  mkdir -p fuzz/seeds/url fuzz/seeds/form
  node -e '
    const fs = require("fs");
    const doc = JSON.parse(fs.readFileSync("tests/vectors/registry-url.json", "utf8"));
    doc.cases.forEach((c, i) => fs.writeFileSync(`fuzz/seeds/url/vector-${i}`, c.input));
    const forms = JSON.parse(fs.readFileSync("tests/vectors/form.json", "utf8"));
    forms.cases.forEach((c, i) => fs.writeFileSync(`fuzz/seeds/form/vector-${i}`,
      [c.form.name ?? "", c.form.identifier ?? "", c.form.url ?? "", c.form.auth?.username ?? "", c.form.auth?.passwordRef ?? "", ...(c.form.delegateSelectors ?? [])].join("\0")));
  '
}

mode=${1:---smoke}; shift || true
case $mode in
  --write-seeds) write_seeds; exit 0 ;;
  --smoke) limit=(-runs="$SMOKE_RUNS" -seed="$SMOKE_SEED") ;;
  --runs) limit=(-runs="$1"); shift ;;
  --seconds) limit=(-max_total_time="$1"); shift ;;
  *) echo "usage: scripts/fuzz.sh --smoke | --runs N | --seconds N | --write-seeds [TARGET...]" >&2; exit 64 ;;
esac
(($#)) && TARGETS=("$@")

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
(cd fuzz && "${fuzz[@]}" build -s none -O >/dev/null 2>&1) || { echo "fuzz: build failed" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '| target | executions | seconds | crashes |\n|---|---|---|---|\n'
status=0
for t in "${TARGETS[@]}"; do
  if [[ $mode == --smoke ]]; then
    corpus="$scratch/$t"   # a throwaway copy: the committed inputs never grow
  else
    corpus="$PWD/fuzz/corpus/$t"
  fi
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  cp -n fuzz/seeds/"$t"/* fuzz/regressions/"$t"/* "$corpus"/ 2>/dev/null || true
  before=$(ls "fuzz/artifacts/$t" | grep -cE '^(crash|timeout|oom|leak)-' || true)
  start=$(date +%s)
  log=$(cd fuzz && "${fuzz[@]}" run -s none -O "$t" "$corpus" -- "${limit[@]}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 2>&1) || status=1
  runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' <<<"$log" | grep -oE '[0-9]+$' || echo 0)
  found=$(( $(ls "fuzz/artifacts/$t" | grep -cE '^(crash|timeout|oom|leak)-' || true) - before ))
  printf '| %s | %s | %s | %s |\n' "$t" "$runs" "$(( $(date +%s) - start ))" "$found"
  if ((found)); then
    status=1
    mkdir -p "fuzz/regressions/$t"
    for artifact in $(ls -t "fuzz/artifacts/$t" | grep -E '^(crash|timeout|oom|leak)-' | head -n "$found"); do
      cp "fuzz/artifacts/$t/$artifact" "fuzz/regressions/$t/$artifact"
      echo "fuzz: $t: new input in fuzz/regressions/$t/$artifact (fix it, then commit it)" >&2
    done
    grep -E 'panicked|ERROR|SUMMARY' <<<"$log" | head -5 >&2 || true
  fi
done
exit $status
