//! The authentication phases: Basic retries, tokens per scope, realms that are never contacted, redirects.

use crate::scenario::*;
use registry_probe::*;

#[test]
fn basic_auth_retries_with_credentials_and_sends_them_on() {
    let b = r#"Basic realm="r""#;
    let report = Scenario::new(with_user("r.example.com"), BROWSER)
        .ping(unauthorized(b))
        .get("/v2/", Some(BASIC), ok("{}"))
        .catalog("n=100", Some(BASIC), ok(r#"{"repositories":["a"]}"#))
        .tags("a", Some(BASIC), ok(r#"{"tags":["latest"]}"#))
        .pull("a", "latest", Some(BASIC), answer(200, &[], String::new()))
        .run();
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "basic");
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    let rejected = Scenario::new(with_user("r.example.com"), BROWSER)
        .ping(unauthorized(b))
        .get("/v2/", Some(BASIC), unauthorized(b))
        .run();
    assert_eq!(codes(&rejected), ["credentials-rejected"]);
    let preflight = Scenario::new(with_user("r.example.com"), BROWSER)
        .ping(unauthorized(b))
        .get("/v2/", Some(BASIC), Fail(Failure::Network))
        .run();
    assert_eq!(codes(&preflight), ["preflight-rejected"]);
    let anonymous = Scenario::new(req("r.example.com"), BROWSER)
        .ping(unauthorized(b))
        .run();
    assert_eq!(codes(&anonymous), ["auth-required"]);
}

#[test]
fn bearer_gets_one_token_per_scope_from_the_realm() {
    let challenge = r#"Bearer realm="https://auth.example.com/token",service="reg""#;
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(challenge))
        .get(
            "https://auth.example.com/token?service=reg",
            Some(BASIC),
            token("T0"),
        )
        .get("/v2/", Some("Bearer T0"), ok("{}"))
        .get(
            "https://auth.example.com/token?service=reg&scope=registry%3Acatalog%3A*",
            Some(BASIC),
            token("T1"),
        )
        .catalog(
            "n=100",
            Some("Bearer T1"),
            ok(r#"{"repositories":["team/app"]}"#),
        )
        .get(
            "https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull",
            Some(BASIC),
            token("T2"),
        )
        .tags("team/app", Some("Bearer T2"), ok(r#"{"tags":["latest"]}"#))
        .pull(
            "team/app",
            "latest",
            Some("Bearer T2"),
            answer(200, &[], String::new()),
        )
        .run();
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "bearer");
    assert!(!serde_json::to_string(&report).unwrap().contains("T1"));
}

#[test]
fn bearer_with_a_plain_http_realm_is_never_contacted() {
    let challenge = r#"Bearer realm="http://auth.example.com/token""#;
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(challenge))
        .run();
    assert_eq!(codes(&report), ["token-realm-insecure"]);
    assert_eq!(report.requests, 1);
}

#[test]
fn realms_that_are_not_plain_absolute_urls_are_never_contacted() {
    // User info (the credentials would go to whoever the URL names), a Unicode host (registries
    // send punycode), a relative or non-http URL, spaces: each is an unusable challenge.
    for realm in [
        "https://user:pw@auth.example.com/token",
        "https://ауth.example.com/token",
        "/token",
        "ftp://auth.example.com/token",
        "https://auth.example.com/to ken",
    ] {
        let header = format!(r#"Bearer realm="{realm}",service="r""#);
        let report = Scenario::new(with_user("r.example.com"), NODE)
            .ping(unauthorized(&header))
            .run();
        assert_eq!(codes(&report), ["challenge-invalid"], "{realm}");
        assert_eq!(report.requests, 1, "{realm}");
    }
}

#[test]
fn a_realm_is_normalized_before_use() {
    // Case, the default port, dot segments and the fragment are normalized; the query is kept.
    let challenge =
        r#"Bearer realm="HTTPS://Auth.Example.COM:443/a/../token?x=1#frag",service="r""#;
    let report = Scenario::new(req("r.example.com"), NODE)
        .ping(unauthorized(challenge))
        .get(
            "https://auth.example.com/token?x=1&service=r",
            None,
            answer(500, &[], String::new()),
        )
        .run();
    assert_eq!(report.requests, 2);
}

#[test]
fn token_service_blocking_cors_is_named() {
    let challenge = r#"Bearer realm="https://auth.example.com/token",service="reg""#;
    let report = Scenario::new(with_user("r.example.com"), BROWSER)
        .ping(unauthorized(challenge))
        .get(
            "https://auth.example.com/token?service=reg",
            Some(BASIC),
            Fail(Failure::Network),
        )
        .get("https://auth.example.com/token", None, Opaque)
        .run();
    assert_eq!(codes(&report), ["token-cors-blocked"]);
    assert!(report.findings[0]
        .message
        .contains("https://auth.example.com"));
}

#[test]
fn a_plain_http_realm_on_a_loopback_name_is_used() {
    // `*.localhost` is loopback by the same rule as the URL field's: credentials may go there.
    let challenge = r#"Bearer realm="http://auth.localhost:5001/token""#;
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(challenge))
        .get(
            "http://auth.localhost:5001/token",
            Some(BASIC),
            answer(401, &[], String::new()),
        )
        .run();
    assert_eq!(codes(&report), ["credentials-rejected"]);
}

#[test]
fn credentials_never_go_over_plain_http_to_a_remote_host() {
    let b = r#"Basic realm="r""#;
    let report = Scenario::new(with_user("http://r.example.com"), NODE)
        .get("http://r.example.com/v2/", None, unauthorized(b))
        .run();
    assert_eq!(codes(&report), ["insecure-credentials", "auth-required"]);
}

#[test]
fn a_redirect_with_credentials_is_refused() {
    let b = r#"Basic realm="r""#;
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(b))
        .get("/v2/", Some(BASIC), Fail(Failure::Redirect))
        .run();
    assert_eq!(codes(&report), ["redirect-refused"]);
}
