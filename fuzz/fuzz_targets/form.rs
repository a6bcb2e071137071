#![no_main]
//! The form checks of `registry_probe::internals::fuzz_checks::form` on arbitrary bytes (the same
//! checks replay every past crash natively: tests/fuzz_regressions.rs).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violated) = registry_probe::internals::fuzz_checks::form(data) {
        panic!("{violated}");
    }
});
