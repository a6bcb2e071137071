//! The ping phase: `/v2/`, the no-cors check, `/v1/_ping`, and what is decided before any request.

use crate::scenario::*;
use registry_probe::probe::*;
use registry_probe::PageProtocol;

#[test]
fn network_failure_in_a_browser_is_told_apart_with_no_cors() {
    let blocked = Scenario::new(req("r.example.com"), BROWSER)
        .ping(Fail(Failure::Network))
        .ping(Opaque)
        .run();
    assert_eq!(codes(&blocked), ["cors-blocked"]);
    // No scheme was typed: plain http is tried once before "unreachable".
    let unreachable = Scenario::new(req("r.example.com"), BROWSER)
        .ping(Fail(Failure::Network))
        .ping(Fail(Failure::Network))
        .get("http://r.example.com/v2/", None, Fail(Failure::Network))
        .run();
    assert_eq!(codes(&unreachable), ["unreachable"]);
    // Node has no CORS: a failure is unreachable at once.
    let node = Scenario::new(req("r.example.com"), NODE)
        .ping(Fail(Failure::Network))
        .run();
    assert_eq!(codes(&node), ["unreachable"]);
    let timeout = Scenario::new(req("r.example.com"), NODE)
        .ping(Fail(Failure::Timeout))
        .run();
    assert_eq!(codes(&timeout), ["timeout"]);
}

#[test]
fn v1_only_server_gets_the_v1_fix() {
    let report = Scenario::new(req("r.example.com"), NODE)
        .ping(answer(404, &[], String::new()))
        .get("/v1/_ping", None, ok("true"))
        .run();
    assert_eq!(codes(&report), ["v1-only"]);
    assert_eq!(
        report.findings[0].fix.as_deref(),
        Some("Use https://r.example.com/v1/ as the registry URL.")
    );
}

#[test]
fn decided_before_any_request() {
    let https_page = Environment {
        cors: true,
        page_protocol: Some(PageProtocol::Https),
        server: false,
        now_s: None,
    };
    let mixed = Scenario::new(req("http://r.example.com:5000"), https_page).run();
    assert_eq!(codes(&mixed), ["mixed-content"]);
    assert_eq!(mixed.requests, 0);
    let invalid = Scenario::new(req("ftp://x"), NODE).run();
    assert_eq!(codes(&invalid), ["url-invalid"]);
    let bad_repo = ProbeRequest {
        repository: Some("../etc".into()),
        ..req("http://localhost:5000")
    };
    let report = Scenario::new(bad_repo, NODE)
        .get("http://localhost:5000/v2/", None, ok("{}"))
        .get(
            "http://localhost:5000/v2/_catalog?n=100",
            None,
            ok(r#"{"repositories":[]}"#),
        )
        .run();
    assert_eq!(codes(&report), ["catalog-empty", "repository-invalid"]);
}

#[test]
fn ping_only_stops_after_the_ping_and_sends_no_credentials() {
    let challenge = r#"Bearer realm="https://auth.example.com/token""#;
    let request = ProbeRequest {
        ping_only: Some(true),
        ..with_user("r.example.com")
    };
    let report = Scenario::new(request, NODE)
        .ping(unauthorized(challenge))
        .run();
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "bearer");
    assert_eq!(report.requests, 1);
    let v1 = Scenario::new(
        ProbeRequest {
            ping_only: Some(true),
            ..req("r.example.com")
        },
        NODE,
    )
    .ping(answer(404, &[], String::new()))
    .get("/v1/_ping", None, ok("true"))
    .run();
    assert_eq!(codes(&v1), ["v1-only"]);
}

#[test]
fn server_errors_show_the_code_never_the_detail() {
    let body = r#"{"errors":[{"code":"UNKNOWN","message":"boom","detail":"/var/lib/registry/docker/registry/v2/blobs at main.go:42"}]}"#;
    let report = Scenario::new(req("r.example.com"), NODE)
        .ping(answer(500, &[], body.into()))
        .run();
    assert_eq!(codes(&report), ["server-error"]);
    let text = serde_json::to_string(&report).unwrap();
    assert!(
        text.contains("HTTP 500 UNKNOWN")
            && !text.contains("/var/lib")
            && !text.contains("main.go")
    );
}

#[test]
fn node_names_the_network_cause() {
    let failed = |url: &str, cause: NetworkCause, message: &str| {
        Scenario::new(req(url), NODE)
            .get(
                format!("{}/v2/", url.trim_end_matches('/')),
                None,
                Fail(Failure::Connection(cause, message.into())),
            )
            .run()
    };
    let mismatch = failed(
        "https://r.example.com",
        NetworkCause::TlsNameMismatch,
        "Hostname/IP does not match certificate's altnames: Host: r.example.com. is not in the cert's altnames: DNS:other.example",
    );
    assert_eq!(codes(&mismatch), ["tls-name-mismatch"]);
    assert_eq!(
        mismatch.findings[0].message,
        "The certificate of https://r.example.com is for other names (DNS:other.example)."
    );
    assert_eq!(mismatch.verdict, Verdict::Failed);
    assert_eq!(mismatch.permissions.reach, Status::No);
    // https:// to a plain-http port: http is offered where it is acceptable, warned elsewhere.
    let private = failed(
        "https://10.0.0.5:5000",
        NetworkCause::NotTls,
        "wrong version number",
    );
    assert_eq!(codes(&private), ["tls-not-tls"]);
    assert_eq!(
        private.findings[0].fix.as_deref(),
        Some("Use http://10.0.0.5:5000, or enable TLS on the registry.")
    );
    let public = failed("https://r.example.com", NetworkCause::NotTls, "");
    assert_eq!(codes(&public), ["tls-not-tls", "tls-not-tls-public"]);
    for (cause, code) in [
        (NetworkCause::DnsNotFound, "dns-not-found"),
        (NetworkCause::Refused, "connection-refused"),
        (NetworkCause::Reset, "connection-reset"),
        (NetworkCause::TlsUntrusted, "tls-untrusted"),
        (NetworkCause::TlsExpired, "tls-expired"),
    ] {
        assert_eq!(codes(&failed("https://r.example.com", cause, "")), [code]);
    }
}

#[test]
fn a_cause_at_the_token_service_names_the_realm() {
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(
            r#"Bearer realm="https://auth.example.com/token""#,
        ))
        .get(
            "https://auth.example.com/token",
            Some(BASIC),
            Fail(Failure::Connection(NetworkCause::Refused, String::new())),
        )
        .run();
    assert_eq!(codes(&report), ["connection-refused"]);
    assert!(report.findings[0]
        .message
        .starts_with("https://auth.example.com refused"));
}

#[test]
fn cause_codes_from_node() {
    assert_eq!(
        NetworkCause::from_code("ECONNREFUSED"),
        Some(NetworkCause::Refused)
    );
    assert_eq!(
        NetworkCause::from_code("DEPTH_ZERO_SELF_SIGNED_CERT"),
        Some(NetworkCause::TlsUntrusted)
    );
    assert_eq!(
        NetworkCause::from_code("ERR_SSL_WRONG_VERSION_NUMBER"),
        Some(NetworkCause::NotTls)
    );
    assert_eq!(
        NetworkCause::from_code("UND_ERR_SOCKET"),
        Some(NetworkCause::Reset)
    );
    assert_eq!(NetworkCause::from_code("SOMETHING_ELSE"), None);
}

#[test]
fn plain_http_to_a_tls_port_says_use_https() {
    // What distribution (Go's net/http) answers to plain http on its TLS port.
    let report = Scenario::new(req("http://10.0.0.5:5000"), NODE)
        .get(
            "http://10.0.0.5:5000/v2/",
            None,
            answer(
                400,
                &[],
                "Client sent an HTTP request to an HTTPS server.\n".into(),
            ),
        )
        .run();
    assert_eq!(codes(&report), ["http-to-tls-port"]);
    assert_eq!(
        report.findings[0].fix.as_deref(),
        Some("Use https://10.0.0.5:5000.")
    );
}

/// Docker Hub's v1 URL (what `docker info` prints and `docker login` writes) is checked through
/// Docker Hub's v2 API, as docker does: Hub's v1 registry API is retired (providers.md §1.10).
#[test]
fn docker_hub_s_v1_url_is_checked_through_its_v2_api() {
    for (typed, v1, v2) in [
        (
            "index.docker.io/v1/",
            "https://index.docker.io/v1/",
            "https://index.docker.io/v2/",
        ),
        (
            "https://registry.hub.docker.com/v1",
            "https://registry.hub.docker.com/v1/",
            "https://registry.hub.docker.com/v2/",
        ),
        (
            "docker.io/v1/",
            "https://index.docker.io/v1/",
            "https://index.docker.io/v2/",
        ),
    ] {
        let hub = "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"";
        let mut request = req(typed);
        request.ping_only = Some(true);
        let report = Scenario::new(request, NODE)
            .get(v2, None, unauthorized(hub))
            .run();
        assert_eq!(codes(&report), ["dockerhub-v1-as-v2"], "{typed}");
        let endpoint = report
            .endpoint
            .clone()
            .unwrap_or_else(|| panic!("no endpoint"));
        assert_eq!(endpoint.url, v1, "the endpoint as validated");
        assert_eq!(report.api_version, Some(registry_probe::ApiVersion::V2));
        assert_eq!(report.trace[0].url, v2);
        assert!(report.curl[0].contains(v2), "{}", report.curl[0]);
        assert!(report.findings[0].message.contains(v1) && report.findings[0].message.contains(v2));
    }
    // Another host's v1 URL keeps the v1 handling.
    let other = Scenario::new(req("https://r.example.com/v1/"), NODE)
        .get("https://r.example.com/v1/_ping", None, ok("{}"))
        .run();
    assert!(!codes(&other).contains(&"dockerhub-v1-as-v2"));
}
