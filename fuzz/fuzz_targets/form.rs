#![no_main]
use libfuzzer_sys::fuzz_target;
use registry_probe::{validate_form, AuthInput, ConnectorForm, FormOptions};

// The input's NUL-separated parts become the fields.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\0');
    let mut next = || parts.next().unwrap_or_default().to_string();
    let (name, identifier, url, username, password_ref) = (next(), next(), next(), next(), next());
    let form = ConnectorForm {
        name,
        identifier: (!identifier.is_empty()).then_some(identifier),
        url,
        provider_type: None,
        auth: if username.is_empty() { AuthInput::Anonymous } else { AuthInput::UsernamePassword { username, password_ref } },
        delegate_selectors: parts.map(str::to_string).collect(),
    };
    let check = validate_form(&form, &FormOptions::default());
    assert_eq!(check.ok, check.connector.is_some());
    if let Some(yaml) = &check.yaml {
        assert!(yaml.starts_with("connector:\n"));
    }
});
