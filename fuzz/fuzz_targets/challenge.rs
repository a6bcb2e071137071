#![no_main]
use libfuzzer_sys::fuzz_target;
use registry_probe::internals::challenge_limits;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    let challenges = registry_probe::parse_challenges(header);
    let (max_challenges, max_params) = challenge_limits();
    assert!(challenges.len() <= max_challenges);
    assert!(challenges.iter().all(|c| c.params.len() <= max_params && !c.scheme.is_empty()));
});
