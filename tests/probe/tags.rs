//! The tags and pull phases: the given or first listed repository, providers without a catalog.

use crate::scenario::*;
use registry_probe::probe::*;

#[test]
fn docker_hub_skips_the_catalog_and_checks_the_given_repository() {
    let challenge = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#;
    let h = "https://index.docker.io";
    let request = ProbeRequest {
        repository: Some("library/alpine".into()),
        ..req("docker.io")
    };
    let report = Scenario::new(request, NODE)
// Anonymous: no scope-less login token, only the repository's scope, as docker asks.
.get(format!("{h}/v2/"), None, unauthorized(challenge))
.get("https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull", None, ok(r#"{"token":"B"}"#))
.get(format!("{h}/v2/library/alpine/tags/list"), Some("Bearer B"), ok(r#"{"tags":["3.20","latest"]}"#))
.head(format!("{h}/v2/library/alpine/manifests/latest"), Some("Bearer B"), answer(200, &[], String::new()))
.run();
    assert_eq!(codes(&report), ["catalog-unavailable"]);
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "ok");
    assert_eq!(
        serde_json::to_value(report.permissions.list_images).unwrap(),
        "unknown"
    );
}

#[test]
fn ghcr_without_a_repository_says_what_to_enter() {
    let report = Scenario::new(req("ghcr.io"), NODE)
        .get("https://ghcr.io/v2/", None, ok("{}"))
        .run();
    assert_eq!(codes(&report), ["catalog-unavailable", "no-repository"]);
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "partial");
}

/// A multi-platform tag as `docker buildx` pushes it (an OCI index with an attestation
/// manifest): distribution answers it 404 to an Accept without the index types.
const INDEX: (&str, &str) = ("content-type", "application/vnd.oci.image.index.v1+json");

/// An open registry listing team/app with the tag latest, probed from `env`, up to the pull.
fn up_to_pull(env: Environment) -> Scenario {
    Scenario::new(req("https://r.example.com"), env)
        .ping(answer(200, &[V], "{}".into()))
        .catalog("n=100", None, ok(r#"{"repositories":["team/app"]}"#))
        .tags("team/app", None, ok(r#"{"tags":["latest"]}"#))
}

#[test]
fn a_multi_platform_image_is_pulled_with_one_head_where_no_cors_applies() {
    let report = up_to_pull(NODE)
        .pull(
            "team/app",
            "latest",
            None,
            answer(200, &[INDEX], String::new()),
        )
        .run();
    assert_eq!(report.verdict, Verdict::Ok);
    let pull = &report.steps[5];
    assert_eq!(
        pull.summary,
        "team/app:latest can be pulled: it is a multi-platform image."
    );
    let accept = &report.trace[3].request_headers["accept"];
    for kind in [
        "oci.image.index",
        "manifest.list.v2",
        "oci.image.manifest",
        "distribution.manifest.v2",
    ] {
        assert!(accept.contains(kind), "{accept}");
    }
}

#[test]
fn in_a_page_each_accept_stays_safelisted_and_an_index_is_asked_for_after_a_404() {
    let report = up_to_pull(BROWSER)
        .pull("team/app", "latest", None, answer(404, &[], String::new()))
        .pull(
            "team/app",
            "latest",
            None,
            answer(200, &[INDEX], String::new()),
        )
        .run();
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", codes(&report));
    let accepts: Vec<&String> = report.trace[3..]
        .iter()
        .map(|t| &t.request_headers["accept"])
        .collect();
    assert!(accepts.iter().all(|a| a.len() <= 128), "{accepts:?}");
    assert!(accepts[0].contains("oci.image.manifest") && accepts[1].contains("oci.image.index"));
    assert!(report.steps[5].summary.contains("multi-platform"));
    // A single image answers the first HEAD: one request, as before.
    let single = up_to_pull(BROWSER)
        .pull("team/app", "latest", None, answer(200, &[], String::new()))
        .run();
    assert_eq!(single.requests, 4);
    // Neither kind: the tag's manifest is not found after both.
    let none = up_to_pull(BROWSER)
        .pull("team/app", "latest", None, answer(404, &[], String::new()))
        .pull("team/app", "latest", None, answer(404, &[], String::new()))
        .run();
    assert_eq!(codes(&none), ["manifest-not-found"]);
}
