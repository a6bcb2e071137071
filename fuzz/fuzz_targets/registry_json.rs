#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = registry_probe::internals::parse_catalog(data);
    let _ = registry_probe::internals::parse_tags(data);
    if let Some(token) = registry_probe::internals::parse_token(data) {
        assert!(!token.is_empty());
    }
    if let Some(answer) = registry_probe::internals::parse_token_answer(data) {
        // A token's claims and the scope comparison never panic; what is missing is a scope.
        let granted = registry_probe::internals::granted_access(&answer.token).unwrap_or_default();
        for missing in registry_probe::internals::missing_access("repository:a/b:pull registry:catalog:*", &granted) {
            assert_eq!(missing.matches(':').count(), 2);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = registry_probe::internals::granted_access(text);
        let (limit, remaining) = text.split_once('\n').unwrap_or((text, text));
        let header = |name: &str| match name {
            "ratelimit-limit" => Some(limit),
            "ratelimit-remaining" => Some(remaining),
            _ => None,
        };
        if let Some(rate) = registry_probe::internals::parse_rate_limit(header) {
            let _ = rate.is_low();
        }
    }
    if let Some(code) = registry_probe::internals::parse_error_code(data) {
        assert!(code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
    }
});
