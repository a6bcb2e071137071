//! Diagnosis beyond pass/fail: the trace and its curl commands, token lifetimes and granted
//! scopes, rate limits, the scheme found rather than assumed, and credential shapes.

use crate::scenario::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use registry_probe::probe::*;

const CHALLENGE: &str = r#"Bearer realm="https://auth.example.com/token",service="reg""#;
const TOKEN_ROOT: &str = "https://auth.example.com/token?service=reg";
const TOKEN_CATALOG: &str =
    "https://auth.example.com/token?service=reg&scope=registry%3Acatalog%3A*";
const TOKEN_APP: &str =
    "https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull";

/// A JWT (unsigned for the probe's purpose: it only reads the claims) granting `access`.
fn jwt(access: &str) -> String {
    let claims = format!(r#"{{"sub":"ci","access":{access}}}"#);
    format!(
        "eyJhbGciOiJFUzI1NiJ9.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(claims)
    )
}

fn token_json(token: &str, expires_in: Option<u32>) -> Reply {
    let expiry = expires_in.map_or(String::new(), |s| format!(r#","expires_in":{s}"#));
    ok(&format!(r#"{{"token":"{token}"{expiry}}}"#))
}

#[test]
fn the_trace_names_every_request_and_the_curl_commands_hold_no_secret() {
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(CHALLENGE))
        .get(TOKEN_ROOT, Some(BASIC), token("T0"))
        .get("/v2/", Some("Bearer T0"), ok("{}"))
        .get(TOKEN_CATALOG, Some(BASIC), token("T1"))
        .catalog(
            "n=100",
            Some("Bearer T1"),
            ok(r#"{"repositories":["team/app"]}"#),
        )
        .get(TOKEN_APP, Some(BASIC), token("T2"))
        .tags("team/app", Some("Bearer T2"), ok(r#"{"tags":["latest"]}"#))
        .pull(
            "team/app",
            "latest",
            Some("Bearer T2"),
            answer(200, &[], String::new()),
        )
        .run();
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(report.trace.len(), 8);
    let first = &report.trace[0];
    assert_eq!((first.method.as_str(), first.status), ("GET", Some(401)));
    assert_eq!(
        first.headers.get("www-authenticate").map(String::as_str),
        Some(CHALLENGE)
    );
    let token = &report.trace[1];
    assert_eq!(token.step, StepId::Token);
    assert_eq!(
        token
            .request_headers
            .get("authorization")
            .map(String::as_str),
        Some("Basic")
    );
    assert_eq!(
        report.trace[2]
            .request_headers
            .get("authorization")
            .map(String::as_str),
        Some("Bearer")
    );
    assert_eq!(report.trace[7].method, "HEAD");
    assert_eq!(report.curl.len(), 8);
    assert_eq!(report.curl[0], "curl -sS -i https://r.example.com/v2/");
    assert_eq!(
        report.curl[1],
        format!(
            "TOKEN=$(curl -sS -u \"$REGISTRY_USERNAME:$REGISTRY_PASSWORD\" '{TOKEN_ROOT}' | jq -r '.token // .access_token')"
        )
    );
    assert_eq!(
        report.curl[2],
        "curl -sS -i -H \"Authorization: Bearer $TOKEN\" https://r.example.com/v2/"
    );
    // Node asks for indexes and image manifests in one HEAD (no CORS to keep Accept short).
    assert!(report.curl[7].starts_with("curl -sS -I -H 'Accept: application/vnd.oci.image.index"));
    // (The scenario driver fails on the password, the Basic value or a token anywhere.)
}

#[test]
fn failures_are_traced_with_their_cause() {
    let report = Scenario::new(req("https://r.example.com"), NODE)
        .ping(Fail(Failure::Connection(
            NetworkCause::Refused,
            "refused".into(),
        )))
        .run();
    assert_eq!(report.trace[0].error.as_deref(), Some("connection-refused"));
    assert_eq!(report.trace[0].status, None);
}

#[test]
fn short_lived_tokens_are_a_warning_and_an_absent_lifetime_is_a_minute() {
    let short = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(CHALLENGE))
        .get(TOKEN_ROOT, Some(BASIC), token_json("T0", Some(30)))
        .get("/v2/", Some("Bearer T0"), unauthorized(CHALLENGE))
        .run();
    assert_eq!(codes(&short), ["token-short-lived", "credentials-rejected"]);
    assert_eq!(
        short.findings[0].message,
        "The token service at https://auth.example.com issues tokens that expire after 30 seconds, under a minute, so a long listing can outlive them."
    );
    for expiry in [None, Some(60), Some(300)] {
        let fine = Scenario::new(with_user("r.example.com"), NODE)
            .ping(unauthorized(CHALLENGE))
            .get(TOKEN_ROOT, Some(BASIC), token_json("T0", expiry))
            .get("/v2/", Some("Bearer T0"), unauthorized(CHALLENGE))
            .run();
        assert_eq!(codes(&fine), ["credentials-rejected"], "{expiry:?}");
    }
}

#[test]
fn a_jwt_granting_less_than_asked_names_what_was_not_granted() {
    let root = jwt("[]");
    let none = jwt("[]");
    let app = jwt(r#"[{"type":"repository","name":"team/app","actions":["pull"]}]"#);
    let insufficient = r#"Bearer realm="https://auth.example.com/token",service="reg",scope="registry:catalog:*",error="insufficient_scope""#;
    let root_s: &'static str = Box::leak(format!("Bearer {root}").into_boxed_str());
    let none_s: &'static str = Box::leak(format!("Bearer {none}").into_boxed_str());
    let app_s: &'static str = Box::leak(format!("Bearer {app}").into_boxed_str());
    let request = ProbeRequest {
        repository: Some("team/app".into()),
        ..with_user("r.example.com")
    };
    let report = Scenario::new(request, NODE)
        .ping(unauthorized(CHALLENGE))
        .get(TOKEN_ROOT, Some(BASIC), token_json(&root, None))
        .get("/v2/", Some(root_s), ok("{}"))
        .get(TOKEN_CATALOG, Some(BASIC), token_json(&none, None))
        .catalog("n=100", Some(none_s), unauthorized(insufficient))
        .get(TOKEN_APP, Some(BASIC), token_json(&app, None))
        .tags("team/app", Some(app_s), ok(r#"{"tags":["latest"]}"#))
        .pull(
            "team/app",
            "latest",
            Some(app_s),
            answer(200, &[], String::new()),
        )
        .run();
    // The token's claims named it first; the registry's insufficient_scope is not repeated.
    assert_eq!(codes(&report), ["token-scope-partial", "catalog-denied"]);
    assert_eq!(
        report.findings[0].message,
        "The token service at https://auth.example.com granted ci less than asked: registry:catalog:* was not granted."
    );
    assert_eq!(report.verdict, Verdict::Partial);
}

/// An open registry whose manifest `HEAD` answers `status` with `headers`, probed from `env`.
pub fn pull_answering_in(env: Environment, status: u16, headers: &[(&str, &str)]) -> ProbeReport {
    Scenario::new(req("https://r.example.com"), env)
        .ping(answer(200, &[V], "{}".into()))
        .catalog("n=100", None, ok(r#"{"repositories":["library/alpine"]}"#))
        .tags("library/alpine", None, ok(r#"{"tags":["latest"]}"#))
        .pull(
            "library/alpine",
            "latest",
            None,
            answer(status, headers, String::new()),
        )
        .run()
}

/// The same from Node.
fn pull_answering(status: u16, headers: &[(&str, &str)]) -> ProbeReport {
    pull_answering_in(NODE, status, headers)
}

#[test]
fn rate_limits_are_read_from_the_manifest_head() {
    let report = pull_answering(
        200,
        &[
            ("ratelimit-limit", "100;w=21600"),
            ("ratelimit-remaining", "4;w=21600"),
            ("docker-ratelimit-source", "192.0.2.10"),
        ],
    );
    let limit = report
        .rate_limit
        .clone()
        .unwrap_or_else(|| panic!("no rate limit"));
    assert_eq!(
        (limit.limit, limit.remaining, limit.window_seconds),
        (100, 4, Some(21600))
    );
    assert_eq!(limit.source.as_deref(), Some("192.0.2.10"));
    assert_eq!(codes(&report), ["rate-limit-low"]);
    assert_eq!(report.verdict, Verdict::Ok);
    let limited = pull_answering(
        429,
        &[
            ("ratelimit-limit", "100;w=21600"),
            ("ratelimit-remaining", "0;w=21600"),
            ("retry-after", "3600"),
        ],
    );
    assert_eq!(codes(&limited), ["rate-limited"]);
    assert!(limited.findings[0]
        .fix
        .as_deref()
        .is_some_and(|f| f.contains("3600")));
    let fine = pull_answering(
        200,
        &[
            ("ratelimit-limit", "100;w=21600"),
            ("ratelimit-remaining", "10;w=21600"),
        ],
    );
    assert!(codes(&fine).is_empty());
    assert_eq!(fine.rate_limit.map(|l| l.remaining), Some(10));
}

#[test]
fn an_untyped_scheme_is_found_over_http_without_sending_credentials() {
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(Fail(Failure::Connection(
            NetworkCause::Refused,
            "refused".into(),
        )))
        .get(
            "http://r.example.com/v2/",
            None,
            unauthorized(r#"Basic realm="r""#),
        )
        .run();
    assert_eq!(
        codes(&report),
        ["use-http", "insecure-credentials", "auth-required"]
    );
    assert_eq!(
        report.findings[0].fix.as_deref(),
        Some("Use http://r.example.com/v2/.")
    );
    assert_eq!(
        report.endpoint.as_ref().map(|e| e.url.as_str()),
        Some("http://r.example.com/v2/")
    );
    // Typed https: no guess, the failure is the answer.
    let typed = Scenario::new(with_user("https://r.example.com"), NODE)
        .ping(Fail(Failure::Connection(
            NetworkCause::Refused,
            "refused".into(),
        )))
        .run();
    assert_eq!(codes(&typed), ["connection-refused"]);
    // Nothing over http either: the https failure is reported.
    let neither = Scenario::new(req("r.example.com"), NODE)
        .ping(Fail(Failure::Connection(
            NetworkCause::NotTls,
            "wrong version".into(),
        )))
        .get(
            "http://r.example.com/v2/",
            None,
            answer(404, &[], "not here".into()),
        )
        .run();
    assert_eq!(codes(&neither), ["tls-not-tls", "tls-not-tls-public"]);
}

#[test]
fn an_assumed_http_on_a_tls_port_is_found_over_https() {
    let tls_port = answer(
        400,
        &[],
        "Client sent an HTTP request to an HTTPS server.\n".into(),
    );
    let report = Scenario::new(with_user("10.0.0.5:5000"), NODE)
        .get("http://10.0.0.5:5000/v2/", None, tls_port)
        .get(
            "https://10.0.0.5:5000/v2/",
            None,
            unauthorized(r#"Basic realm="r""#),
        )
        .get("https://10.0.0.5:5000/v2/", Some(BASIC), ok("{}"))
        .get(
            "https://10.0.0.5:5000/v2/_catalog?n=100",
            Some(BASIC),
            ok(r#"{"repositories":[]}"#),
        )
        .run();
    assert_eq!(codes(&report)[0], "use-https");
    assert_eq!(
        report.findings[0].fix.as_deref(),
        Some("Use https://10.0.0.5:5000/v2/.")
    );
    assert_eq!(report.auth, Some(AuthScheme::Basic));
}

#[test]
fn credential_shapes_are_checked_in_the_probe_too() {
    let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    let report = Scenario::new(with_user(ecr), NODE)
        .get(
            format!("https://{ecr}/v2/"),
            None,
            unauthorized(r#"Basic realm="r""#),
        )
        .get(
            format!("https://{ecr}/v2/"),
            Some(BASIC),
            unauthorized(r#"Basic realm="r""#),
        )
        .run();
    assert_eq!(codes(&report), ["username-ecr", "credentials-rejected"]);
    assert_eq!(report.findings[0].fix.as_deref(), Some("Use AWS."));
    let acr = "acme.azurecr.io";
    let token = jwt("[]");
    let request = ProbeRequest {
        password: Some(token.clone()),
        ..with_user(acr)
    };
    let acr_report = Scenario::new(request, NODE)
        .get(
            format!("https://{acr}/v2/"),
            None,
            answer(500, &[], String::new()),
        )
        .run();
    assert_eq!(codes(&acr_report), ["username-acr-token", "server-error"]);
    assert!(!serde_json::to_string(&acr_report)
        .unwrap_or_default()
        .contains(&token));
    let guid = ProbeRequest {
        username: Some("00000000-0000-0000-0000-000000000000".into()),
        password: Some(token),
        ..req(acr)
    };
    let fine = Scenario::new(guid, NODE)
        .get(
            format!("https://{acr}/v2/"),
            None,
            answer(500, &[], String::new()),
        )
        .run();
    assert_eq!(codes(&fine), ["server-error"]);
}
