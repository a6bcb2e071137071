#![no_main]
//! The probe checks of `registry_probe::internals::fuzz_checks::probe` on arbitrary bytes (the same
//! checks replay every past crash natively: tests/fuzz_regressions.rs).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violated) = registry_probe::internals::fuzz_checks::probe(data) {
        panic!("{violated}");
    }
});
