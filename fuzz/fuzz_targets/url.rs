#![no_main]
use libfuzzer_sys::fuzz_target;
use registry_probe::{validate_registry_url, PageProtocol, UrlOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let https = UrlOptions { page_protocol: Some(PageProtocol::Https) };
    for options in [UrlOptions::default(), https] {
        let check = validate_registry_url(input, &options);
        let len = input.encode_utf16().count() as u32;
        assert!(check.diagnostics.iter().all(|d| d.start <= d.end && d.end <= len));
        assert_eq!(check.ok, !check.diagnostics.iter().any(|d| d.is_error()));
        if let Some(endpoint) = &check.endpoint {
            endpoint.check_invariants().unwrap();
        }
    }
});
