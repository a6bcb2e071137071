//! The tags and pull phases: the given or first listed repository, providers without a catalog.

use crate::scenario::*;
use registry_probe::*;

#[test]
fn docker_hub_skips_the_catalog_and_checks_the_given_repository() {
    let challenge = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#;
    let h = "https://index.docker.io";
    let request = ProbeRequest {
        repository: Some("library/alpine".into()),
        ..req("docker.io")
    };
    let report = Scenario::new(request, NODE)
.get(format!("{h}/v2/"), None, unauthorized(challenge))
.get("https://auth.docker.io/token?service=registry.docker.io", None, ok(r#"{"token":"A"}"#))
.get(format!("{h}/v2/"), Some("Bearer A"), ok("{}"))
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
