//! The catalog phase: pages, `Link`, `last` when CORS hides `Link`, page caps and sizes, providers.

use crate::scenario::*;
use registry_probe::probe::*;

#[test]
fn open_registry_follows_link_pages_then_tags_and_pull() {
    let report = Scenario::new(req("r.example.com"), BROWSER)
        .ping(answer(200, &[V], "{}".into()))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &[V, ("link", "</v2/_catalog?last=a%2Fb&n=100>; rel=\"next\"")],
                names("a/", 100),
            ),
        )
        .catalog("last=a%2Fb&n=100", None, ok(r#"{"repositories":["z"]}"#))
        .tags(
            "a/000",
            None,
            ok(r#"{"name":"a/000","tags":["1.0","latest"]}"#),
        )
        .pull("a/000", "latest", None, answer(200, &[], String::new()))
        .run();
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
    let report = Scenario::new(req("r.example.com"), BROWSER)
        .ping(ok("{}"))
        .catalog("n=100", None, ok(&names("x", 100)))
        .catalog("n=100&last=x099", None, ok(r#"{"repositories":["y"]}"#))
        .tags("x000", None, ok(r#"{"tags":[]}"#))
        .run();
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
    let looped = Scenario::new(req("r.example.com"), NODE)
        .ping(ok("{}"))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &[("link", "</v2/_catalog?n=100>; rel=\"next\"")],
                r#"{"repositories":["a"]}"#.into(),
            ),
        )
        .tags(
            "a",
            None,
            answer(404, &[], r#"{"errors":[{"code":"NAME_UNKNOWN"}]}"#.into()),
        )
        .run();
    assert_eq!(
        codes(&looped),
        ["catalog-link-ignored", "repository-not-found"]
    );
    assert!(!looped.catalog.unwrap().complete);
    let foreign = Scenario::new(req("r.example.com"), NODE)
        .ping(ok("{}"))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &[(
                    "link",
                    "<https://evil.example/v2/_catalog?n=100>; rel=\"next\"",
                )],
                r#"{"repositories":["a"]}"#.into(),
            ),
        )
        .tags("a", None, ok(r#"{"tags":["v1"]}"#))
        .pull("a", "v1", None, answer(200, &[], String::new()))
        .run();
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
    let report = Scenario::new(request, NODE)
        .ping(ok("{}"))
        .catalog(
            "n=100",
            None,
            answer(
                200,
                &[("link", "</v2/_catalog?last=b&n=100>; rel=\"next\"")],
                r#"{"repositories":["b"]}"#.into(),
            ),
        )
        .tags("b", None, ok(r#"{"tags":["latest"]}"#))
        .pull("b", "latest", None, answer(200, &[], String::new()))
        .run();
    assert_eq!(codes(&report), ["catalog-truncated"]);
    assert!(!report.catalog.unwrap().complete);
}

#[test]
fn ecr_catalog_page_size_is_within_its_limit() {
    let e = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com";
    let report = Scenario::new(req("123456789012.dkr.ecr.us-east-1.amazonaws.com"), NODE)
        .get(format!("{e}/v2/"), None, ok("{}"))
        .get(
            format!("{e}/v2/_catalog?n=100"),
            None,
            ok(r#"{"repositories":[]}"#),
        )
        .run();
    assert_eq!(codes(&report), ["catalog-empty", "no-repository"]);
}

#[test]
fn catalog_page_size_is_clamped_to_what_registries_accept() {
    let request = ProbeRequest {
        catalog_page_size: Some(5000),
        ..req("r.example.com")
    };
    let report = Scenario::new(request, NODE)
        .ping(ok("{}"))
        .catalog("n=1000", None, ok(r#"{"repositories":[]}"#))
        .run();
    assert_eq!(codes(&report), ["catalog-empty", "no-repository"]);
}

#[test]
fn a_full_last_page_after_readable_links_ends_the_walk() {
    let request = ProbeRequest {
        catalog_page_size: Some(2),
        ..req("r.example.com")
    };
    let report = Scenario::new(request, BROWSER)
        .ping(answer(200, &[V], "{}".into()))
        .catalog(
            "n=2",
            None,
            answer(
                200,
                &[V, ("link", "</v2/_catalog?last=b&n=2>; rel=\"next\"")],
                r#"{"repositories":["a","b"]}"#.into(),
            ),
        )
        // Full, and no Link: after a readable Link, that means the end (no extra request).
        .catalog("last=b&n=2", None, ok(r#"{"repositories":["c","d"]}"#))
        .tags("a", None, ok(r#"{"tags":["latest"]}"#))
        .pull("a", "latest", None, answer(200, &[], String::new()))
        .run();
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
fn quay_lists_nothing_anonymously_and_harbor_catalog_is_admin_only() {
    let quay = Scenario::new(req("quay.io"), NODE)
        .get("https://quay.io/v2/", None, ok("{}"))
        .get(
            "https://quay.io/v2/_catalog?n=100",
            None,
            ok(r#"{"repositories":[]}"#),
        )
        .run();
    assert_eq!(codes(&quay), ["quay-anonymous", "no-repository"]);
    let b = r#"Basic realm="harbor""#;
    let h = "https://harbor.example.com";
    let harbor = Scenario::new(with_user("harbor.example.com"), NODE)
        .get(format!("{h}/v2/"), None, unauthorized(b))
        .get(format!("{h}/v2/"), Some(BASIC), ok("{}"))
        .get(
            format!("{h}/v2/_catalog?n=100"),
            Some(BASIC),
            unauthorized(b),
        )
        .run();
    assert_eq!(
        codes(&harbor),
        ["catalog-denied", "harbor-catalog-admin", "no-repository"]
    );
}
