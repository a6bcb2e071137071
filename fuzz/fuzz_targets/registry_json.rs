#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = registry_probe::internals::parse_catalog(data);
    let _ = registry_probe::internals::parse_tags(data);
    if let Some(token) = registry_probe::internals::parse_token(data) {
        assert!(!token.is_empty());
    }
    if let Some(code) = registry_probe::internals::parse_error_code(data) {
        assert!(code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
    }
});
