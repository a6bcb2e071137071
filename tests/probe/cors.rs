//! CORS named exactly: in Node or on the console's server, with a page's origin given, the
//! probe replays the browser's preflights and `Origin` and names each defect, with the
//! configuration that fixes it for the server its answers show.

use crate::scenario::*;
use registry_probe::probe::*;

const PAGE: &str = "https://console.example";

fn from_page(request: ProbeRequest) -> ProbeRequest {
    ProbeRequest {
        origin: Some(PAGE.into()),
        ..request
    }
}

/// An anonymous open registry whose every answer carries `headers`.
fn open_registry(
    headers: &[(&'static str, &'static str)],
    catalog_headers: &[(&'static str, &'static str)],
) -> ProbeReport {
    fn join<'a>(a: &[(&'a str, &'a str)], b: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        a.iter().chain(b).copied().collect()
    }
    let with = |extra: &[(&'static str, &'static str)]| join(headers, extra);
    Scenario::new(from_page(req("r.example.com")), NODE)
        .ping(answer(200, &with(&[V]), "{}".into()))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &with(catalog_headers),
                r#"{"repositories":["a"]}"#.into(),
            ),
        )
        .tags(
            "a",
            None,
            answer(200, &with(&[]), r#"{"tags":["latest"]}"#.into()),
        )
        .pull(
            "a",
            "latest",
            None,
            answer(
                200,
                &with(&[("docker-content-digest", "sha256:0")]),
                String::new(),
            ),
        )
        .run()
}

fn snippet(report: &ProbeReport, i: usize) -> (&str, &str) {
    let s = report.findings[i]
        .snippet
        .as_ref()
        .map(|s| (s.server.as_str(), s.text.as_str()));
    s.unwrap_or(("", ""))
}

#[test]
fn a_registry_without_allow_origin_gets_its_own_config_block() {
    let report = open_registry(&[], &[]);
    assert_eq!(codes(&report), ["cors-origin-missing"]);
    assert_eq!(
        report.findings[0].message,
        "https://r.example.com sends no Access-Control-Allow-Origin header, so a page on https://console.example cannot read its answers."
    );
    let (server, text) = snippet(&report, 0);
    assert_eq!(server, "distribution");
    assert!(
        text.contains("Access-Control-Allow-Origin: ['https://console.example']"),
        "{text}"
    );
    assert!(text.contains("'Authorization'"), "{text}");
    // Origin went on every request; nothing needed a preflight.
    assert!(report
        .trace
        .iter()
        .all(|t| t.request_headers.get("origin").map(String::as_str) == Some(PAGE)));
    assert_eq!(report.verdict, Verdict::Ok);
}

#[test]
fn headers_the_page_needs_but_cannot_read_are_named_together() {
    let report = open_registry(
        &[("access-control-allow-origin", "*")],
        &[("link", "</v2/_catalog?last=a>; rel=\"last\"")],
    );
    assert_eq!(codes(&report), ["cors-expose-missing"]);
    assert_eq!(
        report.findings[0].message,
        "https://r.example.com does not expose Docker-Distribution-Api-Version, Link, Docker-Content-Digest to pages, so the browser hides them."
    );
    let exposed = open_registry(
        &[
            ("access-control-allow-origin", PAGE),
            ("access-control-expose-headers", "*"),
        ],
        &[],
    );
    assert!(codes(&exposed).is_empty());
}

#[test]
fn allow_origin_twice_or_for_another_origin() {
    let twice = open_registry(
        &[
            ("access-control-allow-origin", "*, *"),
            ("server", "nginx/1.22.1"),
        ],
        &[],
    );
    assert_eq!(codes(&twice), ["cors-origin-duplicated"]);
    let (server, text) = snippet(&twice, 0);
    assert_eq!(server, "nginx");
    assert!(
        text.contains("proxy_hide_header Access-Control-Allow-Origin;"),
        "{text}"
    );
    assert!(text.contains("location /v2/ {"), "{text}");
    let other = open_registry(
        &[("access-control-allow-origin", "https://other.example")],
        &[],
    );
    assert_eq!(codes(&other), ["cors-origin-mismatch"]);
    assert_eq!(
        other.findings[0].message,
        "https://r.example.com allows pages on https://other.example, not on https://console.example."
    );
}

const CORS_OK: [(&str, &str); 2] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-expose-headers",
        "WWW-Authenticate, Docker-Distribution-Api-Version, Link, Docker-Content-Digest",
    ),
];

/// A Basic registry whose preflights get `preflight`.
fn basic_registry(preflight: Reply) -> ProbeReport {
    let b = r#"Basic realm="r""#;
    let mut challenge = CORS_OK.to_vec();
    challenge.extend([V, ("www-authenticate", b)]);
    Scenario::new(from_page(with_user("r.example.com")), NODE)
        .ping(answer(401, &challenge, String::new()))
        .options("/v2/", preflight.clone())
        .get("/v2/", Some(BASIC), answer(200, &CORS_OK, "{}".into()))
        .options("/v2/_catalog?n=100", preflight.clone())
        .catalog(
            "n=100",
            Some(BASIC),
            answer(200, &CORS_OK, r#"{"repositories":["a"]}"#.into()),
        )
        .options("/v2/a/tags/list", preflight.clone())
        .tags(
            "a",
            Some(BASIC),
            answer(200, &CORS_OK, r#"{"tags":["latest"]}"#.into()),
        )
        .options("/v2/a/manifests/latest", preflight)
        .pull(
            "a",
            "latest",
            Some(BASIC),
            answer(200, &CORS_OK, String::new()),
        )
        .run()
}

#[test]
fn a_preflight_answered_401_needs_a_front_that_answers_options() {
    let report = basic_registry(answer(
        401,
        &[V, ("www-authenticate", "Basic realm=\"r\"")],
        String::new(),
    ));
    assert_eq!(codes(&report), ["cors-preflight-unauthorized"]);
    assert_eq!(
        report.findings[0].message,
        "https://r.example.com answers the browser's preflight (OPTIONS) with HTTP 401, so no request with credentials can be sent from a page."
    );
    // distribution cannot answer OPTIONS before authentication: the fix is a front.
    let (server, text) = snippet(&report, 0);
    assert_eq!(server, "nginx");
    assert!(text.contains("return 204;"), "{text}");
    assert_eq!(report.verdict, Verdict::Ok);
    // Preflights are in the trace, not in the request count.
    assert_eq!(report.requests, 5);
    assert_eq!(
        report
            .trace
            .iter()
            .filter(|t| t.method == "OPTIONS")
            .count(),
        4
    );
    let preflight = &report.trace[1];
    assert_eq!(
        preflight
            .request_headers
            .get("access-control-request-method")
            .map(String::as_str),
        Some("GET")
    );
    assert_eq!(
        preflight
            .request_headers
            .get("access-control-request-headers")
            .map(String::as_str),
        Some("authorization")
    );
    assert!(
        report.curl[1].starts_with("curl -sS -i -X OPTIONS "),
        "{}",
        report.curl[1]
    );
}

#[test]
fn preflights_refused_or_without_authorization() {
    let unsupported = basic_registry(answer(405, &[("server", "nginx")], String::new()));
    assert_eq!(codes(&unsupported), ["cors-preflight-unsupported"]);
    assert_eq!(snippet(&unsupported, 0).0, "nginx");
    let wildcard = basic_registry(answer(
        204,
        &[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-headers", "*"),
        ],
        String::new(),
    ));
    assert_eq!(codes(&wildcard), ["cors-headers-not-allowed"]);
    assert_eq!(
        wildcard.findings[0].message,
        "The preflight answer of https://r.example.com does not name the Authorization request header in Access-Control-Allow-Headers, so browsers may refuse to send it (by the Fetch standard, * does not cover Authorization)."
    );
    let right = basic_registry(answer(
        204,
        &[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-headers", "authorization, accept"),
        ],
        String::new(),
    ));
    assert!(codes(&right).is_empty());
}

#[test]
fn hosted_registries_are_sent_to_the_relay() {
    let report = Scenario::new(from_page(req("docker.io")), NODE)
        .get(
            "https://index.docker.io/v2/",
            None,
            answer(
                401,
                &[V, ("www-authenticate", r#"Basic realm="r""#)],
                String::new(),
            ),
        )
        .run();
    assert_eq!(
        codes(&report),
        ["auth-required", "cors-provider-unsupported"]
    );
    assert_eq!(
        report.findings[1].fix.as_deref(),
        Some("Run the check on the console's server (the relay).")
    );
    assert!(report.findings[1].snippet.is_none());
}

#[test]
fn without_an_origin_nothing_is_replayed() {
    let report = Scenario::new(req("r.example.com"), NODE)
        .ping(answer(200, &[V], "{}".into()))
        .catalog("n=100", None, ok(r#"{"repositories":[]}"#))
        .run();
    assert!(report
        .trace
        .iter()
        .all(|t| !t.request_headers.contains_key("origin")));
    assert!(!codes(&report).iter().any(|c| c.starts_with("cors-")));
}

#[test]
fn the_nginx_location_keeps_the_registry_path_prefix() {
    let url = "https://r.example.com/artifactory/api/docker/local";
    let base = "/artifactory/api/docker/local";
    let report = Scenario::new(from_page(req(url)), NODE)
        .get(
            format!("{base}/v2/"),
            None,
            answer(200, &[V, ("server", "nginx")], "{}".into()),
        )
        .get(
            format!("{base}/v2/_catalog?n=100"),
            None,
            ok(r#"{"repositories":[]}"#),
        )
        .run();
    assert_eq!(
        codes(&report),
        ["catalog-empty", "no-repository", "cors-origin-missing"]
    );
    let (server, text) = snippet(&report, 2);
    assert_eq!(server, "nginx");
    assert!(text.contains(&format!("location {base}/v2/ {{")), "{text}");
}

#[test]
fn an_opaque_origin_replays_nothing() {
    let request = ProbeRequest {
        origin: Some("null".into()),
        ..req("r.example.com")
    };
    let report = Scenario::new(request, NODE)
        .ping(answer(200, &[V], "{}".into()))
        .catalog("n=100", None, ok(r#"{"repositories":[]}"#))
        .run();
    assert!(report
        .trace
        .iter()
        .all(|t| !t.request_headers.contains_key("origin")));
    assert_eq!(page_origin("null"), None);
    assert_eq!(
        page_origin("https://Console.Example:443/"),
        Some("https://console.example".into())
    );
    assert_eq!(page_origin("https://console.example/form"), None);
}
