//! Every input that ever broke a fuzz target (`fuzz/regressions/<target>/`, committed), and the
//! seed corpus (`fuzz/seeds/<target>/`), replayed natively through the same checks the fuzz
//! targets run (`registry_probe::internals::fuzz_checks`). Deterministic: no fuzzing here.
#![cfg(not(target_arch = "wasm32"))]
use registry_probe::internals::fuzz_checks::{self, Checked};
use std::path::Path;

/// A target's checks.
type Check = fn(&[u8]) -> Checked;

const TARGETS: [(&str, Check); 6] = [
    ("url", fuzz_checks::url),
    ("form", fuzz_checks::form),
    ("challenge", fuzz_checks::challenge),
    ("link", fuzz_checks::link),
    ("registry_json", fuzz_checks::registry_json),
    ("probe", fuzz_checks::probe),
];

/// Runs `check` on every file under `fuzz/<kind>/<target>/`; returns how many it ran.
fn replay(kind: &str, target: &str, check: Check) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(violated) = check(&data) {
            panic!("{}: {violated}", path.display());
        }
        count += 1;
    }
    count
}

#[test]
fn every_past_crash_passes_its_target_s_checks() {
    let total: usize = TARGETS
        .iter()
        .map(|(t, check)| replay("regressions", t, *check))
        .sum();
    assert!(total >= 5, "the regressions are missing ({total})");
}

#[test]
fn every_seed_passes_its_target_s_checks() {
    for (target, check) in TARGETS {
        assert!(replay("seeds", target, check) > 0, "no seeds for {target}");
    }
}
