//! The probe's own bounds: the driver's deadline for the whole probe, the request cap, the
//! timeout's range, and what a probe on the console's server leaves out of its report.

use crate::scenario::*;
use registry_probe::probe::{Failure, MAX_REQUESTS, MAX_TIMEOUT_MS};
use registry_probe::{ProbeRequest, StepId, StepStatus, Verdict};

fn step(report: &registry_probe::ProbeReport, id: StepId) -> StepStatus {
    report
        .steps
        .iter()
        .find(|s| s.id == id)
        .map_or(StepStatus::Skipped, |s| s.status)
}

#[test]
fn a_deadline_during_the_catalog_keeps_what_was_confirmed() {
    let full = names("team/app-", 100);
    let report = Scenario::new(req("https://r.example.com"), NODE)
        .ping(answer(200, &[V], "{}".into()))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &[(
                    "link",
                    "</v2/_catalog?last=team%2Fapp-099&n=100>; rel=\"next\"",
                )],
                full,
            ),
        )
        .catalog("last=team%2Fapp-099&n=100", None, Deadline(30_000.0))
        .run();
    assert_eq!(codes(&report), ["probe-deadline"]);
    let finding = &report.findings[0];
    assert!(finding.message.contains("30000 ms"), "{}", finding.message);
    assert!(finding.message.contains("catalog"), "{}", finding.message);
    assert_eq!(step(&report, StepId::Ping), StepStatus::Ok);
    assert_eq!(step(&report, StepId::Catalog), StepStatus::Fail);
    assert_eq!(step(&report, StepId::Tags), StepStatus::Skipped);
    // What was confirmed stays: the registry answered and the first page was read.
    assert_eq!(
        report.catalog.as_ref().map(|c| c.repositories.len()),
        Some(100)
    );
    assert_eq!(report.verdict, Verdict::Partial);
    let last = report.trace.last().map(|t| t.error.clone());
    assert_eq!(last, Some(Some("deadline".to_string())));
}

#[test]
fn a_deadline_during_the_ping_fails_the_probe() {
    let report = Scenario::new(req("https://r.example.com"), NODE)
        .ping(Deadline(5_000.0))
        .run();
    assert_eq!(codes(&report), ["probe-deadline"]);
    assert_eq!(step(&report, StepId::Ping), StepStatus::Fail);
    assert_eq!(report.verdict, Verdict::Failed);
}

#[test]
fn a_deadline_while_a_preflight_is_replayed_sends_nothing_more() {
    let mut request = with_user("https://r.example.com");
    request.origin = Some("https://console.example".into());
    let report = Scenario::new(request, NODE)
        .ping(unauthorized("Basic realm=\"r\""))
        .options("/v2/", Deadline(1_000.0))
        .run();
    assert!(
        codes(&report).contains(&"probe-deadline"),
        "{:?}",
        codes(&report)
    );
    assert_eq!(step(&report, StepId::Auth), StepStatus::Fail);
}

#[test]
fn a_registry_that_never_stops_asking_ends_at_the_request_cap() {
    // Every page full, each pointing at a new next page; the caller allows ~all pages.
    let mut request = req("https://r.example.com");
    request.max_catalog_pages = Some(u32::MAX);
    request.catalog_page_size = Some(1);
    let mut scenario = Scenario::new(request, NODE).ping(answer(200, &[V], "{}".into()));
    let mut query = "n=1".to_string();
    for page in 0..MAX_REQUESTS - 1 {
        let next = format!("last=r{page:04}&n=1");
        let link = format!("</v2/_catalog?{next}>; rel=\"next\"");
        let body = format!(r#"{{"repositories":["r{page:04}"]}}"#);
        scenario = scenario.catalog(&query, None, answer(200, &[("link", link.as_str())], body));
        query = next;
    }
    let report = scenario.run();
    assert_eq!(report.requests, MAX_REQUESTS);
    assert_eq!(codes(&report), ["probe-request-limit"]);
    assert_eq!(step(&report, StepId::Catalog), StepStatus::Fail);
    assert_eq!(report.verdict, Verdict::Partial);
}

#[test]
fn a_timeout_beyond_a_timer_s_range_is_clamped() {
    let mut request = req("https://r.example.com");
    request.timeout_ms = Some(4_000_000_000);
    let report = Scenario::new(request, NODE)
        .ping(Fail(Failure::Timeout))
        .run();
    let message = &report.findings[0].message;
    assert!(
        message.contains(&format!("after {MAX_TIMEOUT_MS} ms")),
        "{message}"
    );
}

/// An open registry whose manifest `HEAD` carries Docker Hub's rate-limit headers.
fn rate_limited_pull(env: registry_probe::probe::Environment) -> registry_probe::ProbeReport {
    crate::diagnosis::pull_answering_in(
        env,
        200,
        &[
            ("ratelimit-limit", "100;w=21600"),
            ("ratelimit-remaining", "40;w=21600"),
            ("docker-ratelimit-source", "203.0.113.7"),
        ],
    )
}

#[test]
fn on_the_console_s_server_the_rate_limit_source_is_left_out() {
    let node = rate_limited_pull(NODE);
    let text = serde_json::to_string(&node).unwrap_or_default();
    assert!(text.contains("203.0.113.7"), "Node shows its own address");
    let server = rate_limited_pull(SERVER);
    let text = serde_json::to_string(&server).unwrap_or_default();
    assert!(!text.contains("203.0.113.7"), "{text}");
    let limit = server.rate_limit.unwrap_or_else(|| panic!("no rate limit"));
    assert_eq!(
        (limit.limit, limit.remaining, limit.source),
        (100, 40, None)
    );
}

#[test]
fn a_failed_retry_with_credentials_is_a_preflight_only_in_a_page() {
    // Node: the retry fails with a network error nothing named (EHOSTUNREACH, ETIMEDOUT, …).
    let node = Scenario::new(with_user("https://r.example.com"), NODE)
        .ping(unauthorized("Basic realm=\"r\""))
        .get("/v2/", Some(BASIC), Fail(Failure::Network))
        .run();
    assert_eq!(codes(&node), ["unreachable"]);
    let page = Scenario::new(with_user("https://r.example.com"), BROWSER)
        .ping(unauthorized("Basic realm=\"r\""))
        .get("/v2/", Some(BASIC), Fail(Failure::Network))
        .run();
    assert!(
        codes(&page).contains(&"preflight-rejected"),
        "{:?}",
        codes(&page)
    );
}

#[test]
fn what_an_egress_proxy_answers_is_named_with_the_proxy_never_its_credentials() {
    use registry_probe::probe::NetworkCause as C;
    let cases = [
        (
            C::ProxyUnreachable,
            "http://proxy.example:3128",
            "proxy-unreachable",
        ),
        (
            C::ProxyAuthRequired,
            "http://proxy.example:3128",
            "proxy-auth-required",
        ),
        (
            C::ProxyAuthUnsupported,
            "http://proxy.example:3128 (NTLM)",
            "proxy-auth-unsupported",
        ),
        (
            C::ProxyRefused,
            "http://proxy.example:3128 (403)",
            "proxy-refused",
        ),
        (
            C::ProxyNameUnresolved,
            "r.example.com",
            "proxy-name-unresolved",
        ),
    ];
    for (cause, detail, code) in cases {
        let report = Scenario::new(req("https://r.example.com"), NODE)
            .ping(Fail(Failure::Connection(cause, detail.into())))
            .run();
        assert_eq!(codes(&report), [code]);
        let message = &report.findings[0].message;
        if code != "proxy-name-unresolved" {
            assert!(message.contains(detail), "{message}");
        }
        assert!(
            message.contains("https://r.example.com") || code.starts_with("proxy-auth"),
            "{message}"
        );
        assert_eq!(report.verdict, Verdict::Failed);
        assert_eq!(report.trace[0].error.as_deref(), Some(code));
    }
}

/// "Test connection passed, the pipeline failed tomorrow": one-off passwords whose lifetime is
/// known are named, with the provider's long-lived credential as the fix, never the token.
#[test]
fn credentials_that_will_expire_are_named() {
    use base64::Engine;
    const NOW: u64 = 1_765_000_000;
    let env = registry_probe::probe::Environment {
        now_s: Some(NOW),
        ..NODE
    };
    let run = |url: &str, username: &str, password: &str| {
        let request = ProbeRequest {
            username: Some(username.into()),
            password: Some(password.into()),
            ..req(url)
        };
        let check = registry_probe::validate_registry_url(url, &Default::default());
        let ping = check.endpoint.map(|e| e.url).unwrap_or_default();
        let report = Scenario::new(request, env)
            .get(ping, None, Fail(Failure::Network))
            .run();
        let text = serde_json::to_string(&report).unwrap_or_default();
        assert!(!text.contains(password), "the password is in the report");
        report
    };
    // What `aws ecr get-login-password` prints: base64 of JSON with an expiration 12 h after issue.
    let ecr = base64::engine::general_purpose::STANDARD.encode(format!(
        r#"{{"payload":"p","datakey":"d","version":"2","type":"DATA_KEY","expiration":{}}}"#,
        NOW + 11 * 3600
    ));
    let report = run("123456789012.dkr.ecr.us-east-1.amazonaws.com", "AWS", &ecr);
    let finding = report
        .findings
        .iter()
        .find(|f| f.code == "credential-expires");
    let finding = finding.unwrap_or_else(|| panic!("{:?}", codes(&report)));
    assert_eq!(finding.message, "The password is an ECR password (aws ecr get-login-password) that expires in 11 hours: the connector will stop working then.");
    assert!(finding
        .fix
        .as_deref()
        .is_some_and(|f| f.contains("IAM-based")));
    // A JWT that has expired (a GitLab job token, say): an error, with a deploy token as the fix.
    let jwt = format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"exp":{}}}"#, NOW - 2 * 86_400))
    );
    let expired = run("registry.gitlab.com", "ci", &jwt);
    let finding = expired
        .findings
        .iter()
        .find(|f| f.code == "credential-expired");
    let finding = finding.unwrap_or_else(|| panic!("{:?}", codes(&expired)));
    assert_eq!(
        finding.message,
        "The password is a token that expired 2 days ago."
    );
    assert_eq!(finding.fix.as_deref(), Some("Use a deploy token instead."));
    // A Google access token: opaque, about an hour from issue, never sent anywhere to ask.
    let google = run(
        "europe-docker.pkg.dev",
        "oauth2accesstoken",
        "ya29.a0-opaque",
    );
    assert!(codes(&google).contains(&"credential-expires"));
    assert!(google.findings.iter().any(|f| f.fix.as_deref()
        == Some("Use a service-account key with the username _json_key instead.")));
    // A JWT good for a month, or a plain password: nothing to say.
    let month = format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"exp":{}}}"#, NOW + 30 * 86_400))
    );
    assert!(!codes(&run("r.example.com", "ci", &month))
        .iter()
        .any(|c| c.starts_with("credential-")));
    assert!(!codes(&run("r.example.com", "ci", "hunter2"))
        .iter()
        .any(|c| c.starts_with("credential-")));
}
