#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    if let Some(target) = registry_probe::parse_next_link(header) {
        if let Some(next) = registry_probe::resolve_same_origin("https://r.example.com:5000/prefix/v2/", &target) {
            assert!(next.starts_with("https://r.example.com:5000/"), "{next}");
        }
    }
});
