//! Properties of the URL validator over generated input (from a fixed seed): no panics,
//! idempotence, valid spans, the canonical URL a fixed point.
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use registry_probe::{
    validate_form, validate_registry_url, AuthInput, ConnectorForm, FormOptions, PageProtocol,
    ProviderType, UrlCheck, UrlOptions,
};

/// `cases` cases from a fixed seed: the same inputs on every run, so the suite's verdict never
/// depends on chance (long randomised runs are the fuzzers' job, scripts/fuzz.sh).
fn fixed_seed(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(24),
        ..ProptestConfig::default()
    }
}

/// URL-shaped text: the fragments that drive every branch, in any order and number.
fn url_like() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("https://"),
        Just("http://"),
        Just("ftp://"),
        Just("https:"),
        Just("//"),
        Just("/"),
        Just("v2"),
        Just("V1"),
        Just("_catalog"),
        Just("tags/list"),
        Just("manifests"),
        Just("docker.io"),
        Just("index.docker.io"),
        Just("ghcr.io"),
        Just("localhost"),
        Just("127.0.0.1"),
        Just("[::1]"),
        Just("::1"),
        Just(":5000"),
        Just(":0"),
        Just(":"),
        Just("@"),
        Just("user:pw@"),
        Just("?n=1"),
        Just("#x"),
        Just("."),
        Just("-"),
        Just("_"),
        Just("ü"),
        Just("例"),
        Just("😀"),
        Just(" "),
        Just("\t"),
        Just("a"),
        Just("team"),
        Just(":latest"),
        Just("@sha256:0123456789abcdef0123456789abcdef"),
        Just("%7E"),
        Just("\\"),
    ];
    prop::collection::vec(fragment, 0..12).prop_map(|parts| parts.concat())
}

fn check_spans(input: &str, check: &UrlCheck) -> Result<(), TestCaseError> {
    let mut boundaries = vec![0u32];
    let mut at = 0u32;
    for c in input.chars() {
        at += c.len_utf16() as u32;
        boundaries.push(at);
    }
    for d in &check.diagnostics {
        prop_assert!(d.start <= d.end, "{d:?}");
        prop_assert!(
            boundaries.contains(&d.start) && boundaries.contains(&d.end),
            "{input:?}: {d:?}"
        );
    }
    Ok(())
}

fn options(https_page: bool) -> UrlOptions {
    UrlOptions {
        page_protocol: https_page.then_some(PageProtocol::Https),
    }
}

proptest! {
    #![proptest_config(fixed_seed(4000))]

    #[test]
    fn any_string_is_a_result(input in any::<String>(), https_page in any::<bool>()) {
        let check = validate_registry_url(&input, &options(https_page));
        check_spans(&input, &check)?;
        prop_assert_eq!(check.ok, !check.diagnostics.iter().any(|d| d.is_error()));
    }

    #[test]
    fn url_like_input(input in url_like(), https_page in any::<bool>()) {
        let check = validate_registry_url(&input, &options(https_page));
        check_spans(&input, &check)?;
        if let Some(endpoint) = &check.endpoint {
            prop_assert!(endpoint.check_invariants().is_ok(), "{input:?}: {:?}", endpoint.check_invariants());
        }
        // Where the field carries credentials, no fix brings them back.
        let units: Vec<u16> = input.encode_utf16().collect();
        for d in check.diagnostics.iter().filter(|d| d.code == "url-credentials") {
            let userinfo = String::from_utf16_lossy(&units[d.start as usize..d.end as usize]);
            for fix in check.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
                let once = input.matches(userinfo.as_str()).count() == 1;
                prop_assert!(userinfo.len() < 2 || !once || !fix.value.contains(&userinfo), "{input:?}: {fix:?}");
            }
        }
    }
}

fn form_strategy() -> impl Strategy<Value = ConnectorForm> {
    let text = || prop_oneof![any::<String>(), "[a-zA-Z0-9 _.$${}<>+/-]{0,12}", url_like()];
    let provider = prop_oneof![
        Just(None),
        Just(Some(ProviderType::DockerHub)),
        Just(Some(ProviderType::Harbor)),
        Just(Some(ProviderType::Quay)),
        Just(Some(ProviderType::Other)),
    ];
    (
        text(),
        prop::option::of(text()),
        text(),
        provider,
        prop::option::of((text(), text())),
        prop::collection::vec(text(), 0..4),
    )
        .prop_map(
            |(name, identifier, url, provider_type, auth, delegate_selectors)| ConnectorForm {
                name,
                identifier,
                url,
                provider_type,
                auth: auth.map_or(AuthInput::Anonymous, |(username, password_ref)| {
                    AuthInput::UsernamePassword {
                        username,
                        password_ref,
                    }
                }),
                delegate_selectors,
            },
        )
}

proptest! {
    #![proptest_config(fixed_seed(3000))]

    #[test]
    fn any_form_is_a_result(form in form_strategy(), taken in prop::collection::vec("[A-Za-z_]{1,4}", 0..3)) {
        let options = FormOptions { existing_identifiers: taken, ..FormOptions::default() };
        let check = validate_form(&form, &options);
        let errors = [&check.fields.name, &check.fields.identifier, &check.fields.url, &check.fields.username,
            &check.fields.password_ref, &check.fields.delegate_selectors, &check.fields.provider_type]
            .iter().any(|f| f.iter().any(|d| d.is_error()));
        prop_assert_eq!(check.ok, !errors);
        prop_assert_eq!(check.ok, check.connector.is_some());
        prop_assert_eq!(check.yaml.is_some(), check.connector.is_some());
        if let AuthInput::UsernamePassword { password_ref, .. } = &form.auth {
            // A typed password is never echoed into a message.
            for d in &check.fields.password_ref {
                prop_assert!(password_ref.trim().len() < 3 || !d.message.contains(password_ref.trim()));
            }
        }
    }
}

/// Host-shaped text: numbers in every IPv4 spelling, labels, punycode, Unicode, brackets.
fn host_like() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("0"),
        Just("1"),
        Just("010"),
        Just("08"),
        Just("0x7f"),
        Just("0X1"),
        Just("255"),
        Just("256"),
        Just("4294967295"),
        Just("4294967296"),
        Just("."),
        Just(".."),
        Just("a"),
        Just("-"),
        Just("_"),
        Just("xn--"),
        Just("xn--bcher-kva"),
        Just("abc"),
        Just("ü"),
        Just("例"),
        Just("ＡＢ"),
        Just("１"),
        Just("%41"),
        Just("%"),
        Just("["),
        Just("]"),
        Just("::"),
        Just("ffff"),
        Just(":"),
    ];
    prop::collection::vec(fragment, 1..8).prop_map(|parts| parts.concat())
}

/// Codes for hosts the WHATWG standard accepts but a registry host may not be (DNS rules).
const DNS_RULES: [&str; 5] = [
    "url-host-invalid-char",
    "url-host-label-empty",
    "url-host-label-hyphen",
    "url-host-label-too-long",
    "url-host-too-long",
];

proptest! {
    #![proptest_config(fixed_seed(4000))]

    /// The field agrees with WHATWG URL (the `url` crate) on acceptance and on the canonical
    /// host: what it accepts, the standard accepts with the same host; what the standard
    /// rejects, it rejects; where only it rejects, a DNS host-name rule is the reason.
    #[test]
    fn hosts_agree_with_whatwg(host in host_like()) {
        let input = format!("http://{host}:5000/v2/");
        let ours = validate_registry_url(&input, &UrlOptions::default());
        let whatwg = url::Url::parse(&input);
        match (&ours.endpoint, &whatwg) {
            (Some(endpoint), Ok(parsed)) if ours.ok => {
                let host = parsed.host_str().unwrap_or_default();
                let ours_host = endpoint.host.as_str();
                prop_assert!(
                    ours_host == host || format!("{ours_host}.") == host,
                    "{input:?}: {ours_host} vs {host}"
                );
            }
            _ if ours.ok => prop_assert!(false, "{input:?} accepted, WHATWG rejects: {whatwg:?}"),
            (_, Ok(_)) => {
                let codes: Vec<&str> = ours.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.code()).collect();
                prop_assert!(
                    codes.iter().any(|c| DNS_RULES.contains(c)),
                    "{input:?}: WHATWG accepts, rejected with {codes:?}"
                );
            }
            (_, Err(_)) => {}
        }
    }
}

/// Registry URLs as users paste them: a provider's host, then path pieces (prefixes, `..`, `.`,
/// encoded dots, pasted API paths), with or without a scheme, a port and a trailing slash.
fn pasted_url() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        Just("docker.io"),
        Just("index.docker.io"),
        Just("registry.hub.docker.com"),
        Just("registry-1.docker.io"),
        Just("ghcr.io"),
        Just("quay.io"),
        Just("gcr.io"),
        Just("eu.gcr.io"),
        Just("europe-docker.pkg.dev"),
        Just("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
        Just("acme.azurecr.io"),
        Just("registry.gitlab.com"),
        Just("gitlab.acme.example"),
        Just("harbor.acme.example"),
        Just("acme.jfrog.io"),
        Just("artifactory.acme.example"),
        Just("nexus.acme.example"),
        Just("quay.acme.example"),
        Just("registry.example.com"),
        Just("localhost"),
        Just("127.0.0.1"),
        Just("[::1]"),
    ];
    let piece = prop_oneof![
        Just(".."),
        Just("."),
        Just("%2e%2e"),
        Just("%2E%2e"),
        Just("%2e"),
        Just("artifactory"),
        Just("repository"),
        Just("library"),
        Just("api"),
        Just("docker"),
        Just("docker-hosted"),
        Just("team"),
        Just("app"),
        Just("v2"),
        Just("v1"),
        Just("_catalog"),
        Just("tags"),
        Just("list"),
        Just("manifests"),
        Just("latest"),
        Just(""),
    ];
    (
        prop_oneof![Just(""), Just("https://"), Just("http://")],
        host,
        prop_oneof![Just(""), Just(":5000"), Just(":443")],
        prop::collection::vec(piece, 0..8),
        any::<bool>(),
    )
        .prop_map(|(scheme, host, port, pieces, slash)| {
            let tail = if slash { "/" } else { "" };
            format!("{scheme}{host}{port}/{}{tail}", pieces.join("/"))
        })
}

/// The canonical URL is a fixed point: validating `endpoint.url` gives the same endpoint
/// (namespace aside), error-free.
fn assert_fixed_point(input: &str) -> Result<(), TestCaseError> {
    let check = validate_registry_url(input, &UrlOptions::default());
    if let (true, Some(endpoint)) = (check.ok, &check.endpoint) {
        prop_assert!(
            endpoint.check_invariants().is_ok(),
            "{input:?}: {:?}",
            endpoint.check_invariants()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(fixed_seed(4000))]

    #[test]
    fn the_canonical_url_is_a_fixed_point(input in pasted_url()) {
        assert_fixed_point(&input)?;
    }
}

#[test]
fn the_canonical_url_is_a_fixed_point_for_the_inputs_that_broke_it() {
    for input in [
        "http://harbor.acme.example/../repository/app",
        "https://harbor.acme.example/library/%2e%2e/artifactory/",
        "amplmplagitlab-trh/../../artifactory/rncker.io/v2/libraryg)nx/tags/list4r.p/g.dev/pboj/repo",
        "h/../../artifactory/r",
    ] {
        if let Err(error) = assert_fixed_point(input) {
            panic!("{error}");
        }
    }
}
