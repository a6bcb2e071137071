//! The probe state machine on transcripts: each scenario lists the requests the machine must
//! make and the answers it gets, then checks the report. No network, no clock.
#![cfg(not(target_arch = "wasm32"))]
use registry_probe::{
    Action, Environment, Failure, FindingCode, HttpResponse, Method, PageProtocol, Probe,
    ProbeReport, ProbeRequest, StepText,
};

const PASSWORD: &str = "s3cret-PW";

#[derive(Clone)]
enum Reply {
    Answer(u16, &'static [(&'static str, &'static str)], String),
    Fail(Failure),
    Opaque,
}
use Reply::*;

fn ok(body: &str) -> Reply {
    Answer(200, &[], body.to_string())
}

/// One expected request: method, exact URL, the Authorization it must carry (None: none), the reply.
#[derive(Clone)]
struct Step(Method, String, Option<&'static str>, Reply);

fn get(url: impl Into<String>, auth: Option<&'static str>, reply: Reply) -> Step {
    Step(Method::Get, url.into(), auth, reply)
}

/// A second language for every finding, fix and step summary.
fn translations() -> Vec<(String, String)> {
    let mut messages = Vec::new();
    for code in FindingCode::ALL {
        messages.push((
            code.code().to_string(),
            format!("FR {{detail}} [{}]", code.code()),
        ));
        messages.push((
            format!("{}.fix", code.code()),
            "FR fix {detail}".to_string(),
        ));
    }
    for text in StepText::ALL {
        messages.push((text.code().to_string(), format!("FR [{}]", text.code())));
    }
    messages
}

/// Runs the scenario, then again with every sentence translated: the same requests and
/// findings, and no English sentence left (so none is written outside the tables).
fn run(request: ProbeRequest, env: Environment, script: Vec<Step>) -> ProbeReport {
    let report = run_with(Probe::new(request.clone(), env), script.clone());
    let translated = run_with(Probe::with_messages(request, env, translations()), script);
    assert_eq!(codes(&translated), codes(&report));
    for finding in &translated.findings {
        assert!(finding.message.starts_with("FR "), "{}", finding.message);
        if let Some(fix) = &finding.fix {
            assert!(fix.starts_with("FR fix"), "{fix}");
        }
    }
    for (step, english) in translated.steps.iter().zip(&report.steps) {
        assert_eq!(step.status, english.status);
        assert!(step.summary.starts_with("FR ["), "{}", step.summary);
    }
    report
}

fn run_with(mut probe: Probe, script: Vec<Step>) -> ProbeReport {
    let mut script = script.into_iter();
    loop {
        match probe.poll() {
            Action::Done(report) => {
                assert!(script.next().is_none(), "the probe stopped early");
                let text = serde_json::to_string(&report).unwrap();
                assert!(!text.contains(PASSWORD), "password in the report: {text}");
                assert!(!text.contains("c3Ry"), "token-ish text leaked: {text}");
                return *report;
            }
            Action::Send(sent) => {
                let Some(Step(method, url, auth, reply)) = script.next() else {
                    panic!("unexpected request {}", sent.url)
                };
                assert_eq!((sent.method, sent.url.as_str()), (method, url.as_str()));
                let got = sent
                    .headers
                    .iter()
                    .find(|(k, _)| *k == "Authorization")
                    .map(|(_, v)| v.as_str());
                assert_eq!(got, auth, "Authorization of {url}");
                match reply {
                    Answer(status, headers, body) => probe.handle_response(
                        HttpResponse {
                            status,
                            headers: headers
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_string()))
                                .collect(),
                            body: body.into_bytes(),
                            opaque: false,
                        },
                        1.0,
                    ),
                    Opaque => {
                        assert!(sent.no_cors);
                        probe.handle_response(
                            HttpResponse {
                                opaque: true,
                                ..HttpResponse::default()
                            },
                            1.0,
                        )
                    }
                    Fail(f) => probe.handle_failure(f, 1.0),
                }
            }
        }
    }
}

fn req(url: &str) -> ProbeRequest {
    ProbeRequest {
        url: url.into(),
        ..ProbeRequest::default()
    }
}

fn with_user(url: &str) -> ProbeRequest {
    ProbeRequest {
        username: Some("ci".into()),
        password: Some(PASSWORD.into()),
        ..req(url)
    }
}

const BROWSER: Environment = Environment {
    cors: true,
    page_protocol: Some(PageProtocol::Http),
};
const NODE: Environment = Environment {
    cors: false,
    page_protocol: None,
};
const V: (&str, &str) = ("docker-distribution-api-version", "registry/2.0");
// base64("ci:s3cret-PW")
const BASIC: &str = "Basic Y2k6czNjcmV0LVBX";

fn codes(r: &ProbeReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.code).collect()
}

fn names(prefix: &str, n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i:03}\"")).collect();
    format!("{{\"repositories\":[{}]}}", list.join(","))
}

const R: &str = "https://r.example.com";

#[test]
fn open_registry_follows_link_pages_then_tags_and_pull() {
    let report = run(
        req("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Answer(200, &[V], "{}".into())),
            get(
                format!("{R}/v2/_catalog?n=100"),
                None,
                Answer(
                    200,
                    &[V, ("link", "</v2/_catalog?last=a%2Fb&n=100>; rel=\"next\"")],
                    names("a/", 100),
                ),
            ),
            get(
                format!("{R}/v2/_catalog?last=a%2Fb&n=100"),
                None,
                ok(r#"{"repositories":["z"]}"#),
            ),
            get(
                format!("{R}/v2/a/000/tags/list"),
                None,
                ok(r#"{"name":"a/000","tags":["1.0","latest"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/a/000/manifests/latest"),
                None,
                Answer(200, &[], String::new()),
            ),
        ],
    );
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    let catalog = report.catalog.clone().unwrap();
    assert_eq!(
        (catalog.repositories.len(), catalog.complete, catalog.pages),
        (101, true, 2)
    );
    assert_eq!(report.requests, 5);
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));
}

#[test]
fn hidden_link_on_a_full_page_continues_with_last() {
    let report = run(
        req("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, ok("{}")),
            get(format!("{R}/v2/_catalog?n=100"), None, ok(&names("x", 100))),
            get(
                format!("{R}/v2/_catalog?n=100&last=x099"),
                None,
                ok(r#"{"repositories":["y"]}"#),
            ),
            get(format!("{R}/v2/x000/tags/list"), None, ok(r#"{"tags":[]}"#)),
        ],
    );
    assert_eq!(report.catalog.as_ref().unwrap().repositories.len(), 101);
    assert_eq!(codes(&report), ["no-tags", "cors-headers-hidden"]);
    let hidden = &report.findings[1].message;
    assert!(
        hidden.contains("Docker-Distribution-Api-Version") && hidden.contains("Link"),
        "{hidden}"
    );
}

#[test]
fn looping_and_foreign_links_are_not_followed() {
    let looped = run(
        req("r.example.com"),
        NODE,
        vec![
            get(format!("{R}/v2/"), None, ok("{}")),
            get(
                format!("{R}/v2/_catalog?n=100"),
                None,
                Answer(
                    200,
                    &[("link", "</v2/_catalog?n=100>; rel=\"next\"")],
                    r#"{"repositories":["a"]}"#.into(),
                ),
            ),
            get(
                format!("{R}/v2/a/tags/list"),
                None,
                Answer(404, &[], r#"{"errors":[{"code":"NAME_UNKNOWN"}]}"#.into()),
            ),
        ],
    );
    assert_eq!(
        codes(&looped),
        ["catalog-link-ignored", "repository-not-found"]
    );
    assert!(!looped.catalog.unwrap().complete);
    let foreign = run(
        req("r.example.com"),
        NODE,
        vec![
            get(format!("{R}/v2/"), None, ok("{}")),
            get(
                format!("{R}/v2/_catalog?n=100"),
                None,
                Answer(
                    200,
                    &[(
                        "link",
                        "<https://evil.example/v2/_catalog?n=100>; rel=\"next\"",
                    )],
                    r#"{"repositories":["a"]}"#.into(),
                ),
            ),
            get(
                format!("{R}/v2/a/tags/list"),
                None,
                ok(r#"{"tags":["v1"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/a/manifests/v1"),
                None,
                Answer(200, &[], String::new()),
            ),
        ],
    );
    assert!(foreign.findings[0]
        .message
        .contains("leaves the registry's origin"));
}

#[test]
fn page_cap_truncates() {
    let request = ProbeRequest {
        max_catalog_pages: Some(1),
        ..req("r.example.com")
    };
    let report = run(
        request,
        NODE,
        vec![
            get(format!("{R}/v2/"), None, ok("{}")),
            get(
                format!("{R}/v2/_catalog?n=100"),
                None,
                Answer(
                    200,
                    &[("link", "</v2/_catalog?last=b&n=100>; rel=\"next\"")],
                    r#"{"repositories":["b"]}"#.into(),
                ),
            ),
            get(
                format!("{R}/v2/b/tags/list"),
                None,
                ok(r#"{"tags":["latest"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/b/manifests/latest"),
                None,
                Answer(200, &[], String::new()),
            ),
        ],
    );
    assert_eq!(codes(&report), ["catalog-truncated"]);
    assert!(!report.catalog.unwrap().complete);
}

#[test]
fn network_failure_in_a_browser_is_told_apart_with_no_cors() {
    let blocked = run(
        req("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Fail(Failure::Network)),
            get(format!("{R}/v2/"), None, Opaque),
        ],
    );
    assert_eq!(codes(&blocked), ["cors-blocked"]);
    let unreachable = run(
        req("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Fail(Failure::Network)),
            get(format!("{R}/v2/"), None, Fail(Failure::Network)),
        ],
    );
    assert_eq!(codes(&unreachable), ["unreachable"]);
    // Node has no CORS: a failure is unreachable at once.
    let node = run(
        req("r.example.com"),
        NODE,
        vec![get(format!("{R}/v2/"), None, Fail(Failure::Network))],
    );
    assert_eq!(codes(&node), ["unreachable"]);
    let timeout = run(
        req("r.example.com"),
        NODE,
        vec![get(format!("{R}/v2/"), None, Fail(Failure::Timeout))],
    );
    assert_eq!(codes(&timeout), ["timeout"]);
}

#[test]
fn basic_auth_retries_with_credentials_and_sends_them_on() {
    let b: &[(&str, &str)] = &[V, ("www-authenticate", "Basic realm=\"r\"")];
    let report = run(
        with_user("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Answer(401, b, String::new())),
            get(format!("{R}/v2/"), Some(BASIC), ok("{}")),
            get(
                format!("{R}/v2/_catalog?n=100"),
                Some(BASIC),
                ok(r#"{"repositories":["a"]}"#),
            ),
            get(
                format!("{R}/v2/a/tags/list"),
                Some(BASIC),
                ok(r#"{"tags":["latest"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/a/manifests/latest"),
                Some(BASIC),
                Answer(200, &[], String::new()),
            ),
        ],
    );
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "basic");
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    let rejected = run(
        with_user("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Answer(401, b, String::new())),
            get(
                format!("{R}/v2/"),
                Some(BASIC),
                Answer(401, b, String::new()),
            ),
        ],
    );
    assert_eq!(codes(&rejected), ["credentials-rejected"]);
    let preflight = run(
        with_user("r.example.com"),
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Answer(401, b, String::new())),
            get(format!("{R}/v2/"), Some(BASIC), Fail(Failure::Network)),
        ],
    );
    assert_eq!(codes(&preflight), ["preflight-rejected"]);
    let anonymous = run(
        req("r.example.com"),
        BROWSER,
        vec![get(format!("{R}/v2/"), None, Answer(401, b, String::new()))],
    );
    assert_eq!(codes(&anonymous), ["auth-required"]);
}

#[test]
fn bearer_gets_one_token_per_scope_from_the_realm() {
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="https://auth.example.com/token",service="reg""#,
    )];
    let token = |t: &str| ok(&format!("{{\"access_token\":\"{t}\"}}"));
    let report = run(
        with_user("r.example.com"),
        NODE,
        vec![
            get(
                format!("{R}/v2/"),
                None,
                Answer(401, challenge, String::new()),
            ),
            get(
                "https://auth.example.com/token?service=reg",
                Some(BASIC),
                token("T0"),
            ),
            get(format!("{R}/v2/"), Some("Bearer T0"), ok("{}")),
            get(
                "https://auth.example.com/token?service=reg&scope=registry%3Acatalog%3A*",
                Some(BASIC),
                token("T1"),
            ),
            get(
                format!("{R}/v2/_catalog?n=100"),
                Some("Bearer T1"),
                ok(r#"{"repositories":["team/app"]}"#),
            ),
            get(
                "https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull",
                Some(BASIC),
                token("T2"),
            ),
            get(
                format!("{R}/v2/team/app/tags/list"),
                Some("Bearer T2"),
                ok(r#"{"tags":["latest"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/team/app/manifests/latest"),
                Some("Bearer T2"),
                Answer(200, &[], String::new()),
            ),
        ],
    );
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "bearer");
    assert!(!serde_json::to_string(&report).unwrap().contains("T1"));
}

#[test]
fn bearer_with_a_plain_http_realm_is_never_contacted() {
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="http://auth.example.com/token""#,
    )];
    let report = run(
        with_user("r.example.com"),
        NODE,
        vec![get(
            format!("{R}/v2/"),
            None,
            Answer(401, challenge, String::new()),
        )],
    );
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
        let challenge: &'static [(&'static str, &'static str)] = Box::leak(
            vec![("www-authenticate", &*Box::leak(header.into_boxed_str()))].into_boxed_slice(),
        );
        let report = run(
            with_user("r.example.com"),
            NODE,
            vec![get(
                format!("{R}/v2/"),
                None,
                Answer(401, challenge, String::new()),
            )],
        );
        assert_eq!(codes(&report), ["challenge-invalid"], "{realm}");
        assert_eq!(report.requests, 1, "{realm}");
    }
}

#[test]
fn a_realm_is_normalized_before_use() {
    // Case, the default port, dot segments and the fragment are normalized; the query is kept.
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="HTTPS://Auth.Example.COM:443/a/../token?x=1#frag",service="r""#,
    )];
    let report = run(
        req("r.example.com"),
        NODE,
        vec![
            get(
                format!("{R}/v2/"),
                None,
                Answer(401, challenge, String::new()),
            ),
            get(
                "https://auth.example.com/token?x=1&service=r",
                None,
                Answer(500, &[], String::new()),
            ),
        ],
    );
    assert_eq!(report.requests, 2);
}

#[test]
fn a_redirect_with_credentials_is_refused() {
    let b: &[(&str, &str)] = &[("www-authenticate", "Basic realm=\"r\"")];
    let report = run(
        with_user("r.example.com"),
        NODE,
        vec![
            get(format!("{R}/v2/"), None, Answer(401, b, String::new())),
            get(format!("{R}/v2/"), Some(BASIC), Fail(Failure::Redirect)),
        ],
    );
    assert_eq!(codes(&report), ["redirect-refused"]);
}

#[test]
fn token_service_blocking_cors_is_named() {
    let challenge: &[(&str, &str)] = &[
        V,
        (
            "www-authenticate",
            r#"Bearer realm="https://auth.example.com/token",service="reg""#,
        ),
    ];
    let report = run(
        with_user("r.example.com"),
        BROWSER,
        vec![
            get(
                format!("{R}/v2/"),
                None,
                Answer(401, challenge, String::new()),
            ),
            get(
                "https://auth.example.com/token?service=reg",
                Some(BASIC),
                Fail(Failure::Network),
            ),
            get("https://auth.example.com/token", None, Opaque),
        ],
    );
    assert_eq!(codes(&report), ["token-cors-blocked"]);
    assert!(report.findings[0]
        .message
        .contains("https://auth.example.com"));
}

#[test]
fn docker_hub_skips_the_catalog_and_checks_the_given_repository() {
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#,
    )];
    let h = "https://index.docker.io";
    let request = ProbeRequest {
        repository: Some("library/alpine".into()),
        ..req("docker.io")
    };
    let report = run(request, NODE, vec![
        get(format!("{h}/v2/"), None, Answer(401, challenge, String::new())),
        get("https://auth.docker.io/token?service=registry.docker.io", None, ok(r#"{"token":"A"}"#)),
        get(format!("{h}/v2/"), Some("Bearer A"), ok("{}")),
        get("https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull", None, ok(r#"{"token":"B"}"#)),
        get(format!("{h}/v2/library/alpine/tags/list"), Some("Bearer B"), ok(r#"{"tags":["3.20","latest"]}"#)),
        Step(Method::Head, format!("{h}/v2/library/alpine/manifests/latest"), Some("Bearer B"), Answer(200, &[], String::new())),
    ]);
    assert_eq!(codes(&report), ["catalog-unavailable"]);
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    assert_eq!(
        serde_json::to_value(report.permissions.list_images).unwrap(),
        "unknown"
    );
}

#[test]
fn ghcr_without_a_repository_says_what_to_enter() {
    let report = run(
        req("ghcr.io"),
        NODE,
        vec![get("https://ghcr.io/v2/", None, ok("{}"))],
    );
    assert_eq!(codes(&report), ["catalog-unavailable", "no-repository"]);
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "partial");
}

#[test]
fn quay_lists_nothing_anonymously_and_harbor_catalog_is_admin_only() {
    let quay = run(
        req("quay.io"),
        NODE,
        vec![
            get("https://quay.io/v2/", None, ok("{}")),
            get(
                "https://quay.io/v2/_catalog?n=100",
                None,
                ok(r#"{"repositories":[]}"#),
            ),
        ],
    );
    assert_eq!(codes(&quay), ["quay-anonymous", "no-repository"]);
    let b: &[(&str, &str)] = &[("www-authenticate", "Basic realm=\"harbor\"")];
    let h = "https://harbor.example.com";
    let harbor = run(
        with_user("harbor.example.com"),
        NODE,
        vec![
            get(format!("{h}/v2/"), None, Answer(401, b, String::new())),
            get(format!("{h}/v2/"), Some(BASIC), ok("{}")),
            get(
                format!("{h}/v2/_catalog?n=100"),
                Some(BASIC),
                Answer(401, b, String::new()),
            ),
        ],
    );
    assert_eq!(
        codes(&harbor),
        ["catalog-denied", "harbor-catalog-admin", "no-repository"]
    );
}

#[test]
fn ecr_catalog_page_size_is_within_its_limit() {
    let e = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com";
    let report = run(
        req("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
        NODE,
        vec![
            get(format!("{e}/v2/"), None, ok("{}")),
            get(
                format!("{e}/v2/_catalog?n=100"),
                None,
                ok(r#"{"repositories":[]}"#),
            ),
        ],
    );
    assert_eq!(codes(&report), ["catalog-empty", "no-repository"]);
}

#[test]
fn v1_only_server_gets_the_v1_fix() {
    let report = run(
        req("r.example.com"),
        NODE,
        vec![
            get(format!("{R}/v2/"), None, Answer(404, &[], String::new())),
            get(format!("{R}/v1/_ping"), None, ok("true")),
        ],
    );
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
    };
    let mixed = run(req("http://r.example.com:5000"), https_page, vec![]);
    assert_eq!(codes(&mixed), ["mixed-content"]);
    assert_eq!(mixed.requests, 0);
    let invalid = run(req("ftp://x"), NODE, vec![]);
    assert_eq!(codes(&invalid), ["url-invalid"]);
    let bad_repo = ProbeRequest {
        repository: Some("../etc".into()),
        ..req("http://localhost:5000")
    };
    let report = run(
        bad_repo,
        NODE,
        vec![
            get("http://localhost:5000/v2/", None, ok("{}")),
            get(
                "http://localhost:5000/v2/_catalog?n=100",
                None,
                ok(r#"{"repositories":[]}"#),
            ),
        ],
    );
    assert_eq!(codes(&report), ["catalog-empty", "repository-invalid"]);
}

#[test]
fn credentials_never_go_over_plain_http_to_a_remote_host() {
    let b: &[(&str, &str)] = &[("www-authenticate", "Basic realm=\"r\"")];
    let report = run(
        with_user("http://r.example.com"),
        NODE,
        vec![get(
            "http://r.example.com/v2/",
            None,
            Answer(401, b, String::new()),
        )],
    );
    assert_eq!(codes(&report), ["insecure-credentials", "auth-required"]);
}

#[test]
fn server_errors_show_the_code_never_the_detail() {
    let body = r#"{"errors":[{"code":"UNKNOWN","message":"boom","detail":"/var/lib/registry/docker/registry/v2/blobs at main.go:42"}]}"#;
    let report = run(
        req("r.example.com"),
        NODE,
        vec![get(format!("{R}/v2/"), None, Answer(500, &[], body.into()))],
    );
    assert_eq!(codes(&report), ["server-error"]);
    let text = serde_json::to_string(&report).unwrap();
    assert!(
        text.contains("HTTP 500 UNKNOWN")
            && !text.contains("/var/lib")
            && !text.contains("main.go")
    );
}

#[test]
fn ping_only_stops_after_the_ping_and_sends_no_credentials() {
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="https://auth.example.com/token""#,
    )];
    let request = ProbeRequest {
        ping_only: Some(true),
        ..with_user("r.example.com")
    };
    let report = run(
        request,
        NODE,
        vec![get(
            format!("{R}/v2/"),
            None,
            Answer(401, challenge, String::new()),
        )],
    );
    assert_eq!(serde_json::to_value(report.auth).unwrap(), "bearer");
    assert_eq!(report.requests, 1);
    let v1 = run(
        ProbeRequest {
            ping_only: Some(true),
            ..req("r.example.com")
        },
        NODE,
        vec![
            get(format!("{R}/v2/"), None, Answer(404, &[], String::new())),
            get(format!("{R}/v1/_ping"), None, ok("true")),
        ],
    );
    assert_eq!(codes(&v1), ["v1-only"]);
}

#[test]
fn catalog_page_size_is_clamped_to_what_registries_accept() {
    let request = ProbeRequest {
        catalog_page_size: Some(5000),
        ..req("r.example.com")
    };
    let report = run(
        request,
        NODE,
        vec![
            get(format!("{R}/v2/"), None, ok("{}")),
            get(
                format!("{R}/v2/_catalog?n=1000"),
                None,
                ok(r#"{"repositories":[]}"#),
            ),
        ],
    );
    assert_eq!(codes(&report), ["catalog-empty", "no-repository"]);
}

#[test]
fn a_full_last_page_after_readable_links_ends_the_walk() {
    let request = ProbeRequest {
        catalog_page_size: Some(2),
        ..req("r.example.com")
    };
    let report = run(
        request,
        BROWSER,
        vec![
            get(format!("{R}/v2/"), None, Answer(200, &[V], "{}".into())),
            get(
                format!("{R}/v2/_catalog?n=2"),
                None,
                Answer(
                    200,
                    &[V, ("link", "</v2/_catalog?last=b&n=2>; rel=\"next\"")],
                    r#"{"repositories":["a","b"]}"#.into(),
                ),
            ),
            // Full, and no Link: after a readable Link, that means the end (no extra request).
            get(
                format!("{R}/v2/_catalog?last=b&n=2"),
                None,
                ok(r#"{"repositories":["c","d"]}"#),
            ),
            get(
                format!("{R}/v2/a/tags/list"),
                None,
                ok(r#"{"tags":["latest"]}"#),
            ),
            Step(
                Method::Head,
                format!("{R}/v2/a/manifests/latest"),
                None,
                Answer(200, &[], String::new()),
            ),
        ],
    );
    let catalog = report.catalog.clone().unwrap();
    assert_eq!(
        (
            catalog.repositories.len(),
            catalog.complete,
            report.requests
        ),
        (4, true, 5)
    );
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));
}

#[test]
fn a_plain_http_realm_on_a_loopback_name_is_used() {
    // `*.localhost` is loopback by the same rule as the URL field's: credentials may go there.
    let challenge: &[(&str, &str)] = &[(
        "www-authenticate",
        r#"Bearer realm="http://auth.localhost:5001/token""#,
    )];
    let report = run(
        with_user("r.example.com"),
        NODE,
        vec![
            get(
                format!("{R}/v2/"),
                None,
                Answer(401, challenge, String::new()),
            ),
            get(
                "http://auth.localhost:5001/token",
                Some(BASIC),
                Answer(401, &[], String::new()),
            ),
        ],
    );
    assert_eq!(codes(&report), ["credentials-rejected"]);
}
