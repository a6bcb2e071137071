//! The authentication phases: Basic retries, tokens per scope, realms that are never contacted, redirects.

use crate::scenario::*;
use registry_probe::probe::*;

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
    let report = Scenario::new(with_user("r.example.com"), NODE)
        .ping(unauthorized(challenge))
        .get(
            "https://auth.example.com/token?x=1&service=r",
            Some(BASIC),
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

/// Quay.io anonymous, a public repository (../shared/providers.md §3): `/v2/` is 401 with a Bearer
/// challenge and the body `true` (§3.1); a scope-less anonymous token is refused, so none is
/// asked (§3.2); the catalog scope is refused with 400 (§3.2), the catalog without a token lists
/// nothing (§3.3); the repository's own scope gets a token, and its tags and manifest answer.
#[test]
fn quay_anonymous_on_a_public_repository_asks_only_for_its_scope() {
    let quay = "https://quay.io";
    let challenge = r#"Bearer realm="https://quay.io/v2/auth",service="quay.io""#;
    let request = ProbeRequest {
        repository: Some("coreos/etcd".into()),
        ..req("quay.io")
    };
    let report = Scenario::new(request, NODE)
        .get(
            format!("{quay}/v2/"),
            None,
            answer(401, &[V, ("www-authenticate", challenge), ("content-type", "text/html; charset=utf-8")], "true".into()),
        )
        .get(
            "https://quay.io/v2/auth?service=quay.io&scope=registry%3Acatalog%3A*",
            None,
            answer(400, &[], r#"{"errors":[{"code":"INVALID_REQUEST","message":"Unable to decode repository and actions: registry:catalog:*","detail":{}}]}"#.into()),
        )
        .get(format!("{quay}/v2/_catalog?n=100"), None, ok(r#"{"repositories":[]}"#))
        .get(
            "https://quay.io/v2/auth?service=quay.io&scope=repository%3Acoreos%2Fetcd%3Apull",
            None,
            ok(r#"{"token":"Q1"}"#),
        )
        .get(format!("{quay}/v2/coreos/etcd/tags/list"), Some("Bearer Q1"), ok(r#"{"name":"coreos/etcd","tags":["latest"]}"#))
        .head(format!("{quay}/v2/coreos/etcd/manifests/latest"), Some("Bearer Q1"), answer(200, &[], String::new()))
        .run();
    assert_eq!(codes(&report), ["quay-anonymous"]);
    // The catalog answered (empty): the verdict rule counts it; quay-anonymous says why it is empty.
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(report.permissions.pull, Status::Yes);
    assert!(
        report
            .trace
            .iter()
            .all(|t| !t.url.ends_with("/v2/auth?service=quay.io")),
        "no scope-less token"
    );
}

/// Docker Hub's official images by their usual name: `alpine` is `library/alpine` (as docker and
/// distribution/reference read it; an unprefixed scope gets a token granting nothing, §1.2), and
/// `alpine:3.20` checks that tag.
#[test]
fn docker_hub_reads_alpine_as_library_alpine_and_checks_the_tag_given() {
    let hub = "https://index.docker.io";
    let challenge = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#;
    let request = ProbeRequest {
        repository: Some("alpine:3.20".into()),
        ..req("docker.io")
    };
    let report = Scenario::new(request, NODE)
        .get(format!("{hub}/v2/"), None, unauthorized(challenge))
        .get(
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull",
            None,
            ok(r#"{"token":"D1"}"#),
        )
        .get(format!("{hub}/v2/library/alpine/tags/list"), Some("Bearer D1"), ok(r#"{"tags":["latest","3.20"]}"#))
        .head(format!("{hub}/v2/library/alpine/manifests/3.20"), Some("Bearer D1"), answer(200, &[], String::new()))
        .run();
    assert_eq!(report.verdict, Verdict::Ok);
    // A reference to another registry sends nothing and names that registry's URL.
    let elsewhere = Scenario::new(
        ProbeRequest {
            repository: Some("ghcr.io/acme/app:1.0".into()),
            ..req("docker.io")
        },
        NODE,
    )
    .run();
    assert_eq!(codes(&elsewhere), ["repository-other-registry"]);
    assert_eq!(elsewhere.requests, 0);
    assert_eq!(
        elsewhere.findings[0].fix.as_deref(),
        Some("Enter https://ghcr.io/v2/ as the registry URL, or a repository of this registry.")
    );
}

/// ACR (../shared/providers.md §6), with an account, up to the tags' second request: the tags
/// endpoint challenges for `repository:<repo>:metadata_read`, not `pull`, so the probe asks for
/// `pull` first, then exactly the scope the challenge names; the second tags request answers
/// `tags`.
fn acr_tags_after_metadata_read(tags: Reply) -> Scenario {
    let acr = "https://acme.azurecr.io";
    let realm = "https://acme.azurecr.io/oauth2/token";
    let challenge = format!(r#"Bearer realm="{realm}",service="acme.azurecr.io""#);
    let metadata = format!(r#"{challenge},scope="repository:team/app:metadata_read""#);
    let token_url = format!("{realm}?service=acme.azurecr.io");
    let request = ProbeRequest {
        repository: Some("team/app".into()),
        ..with_user("acme.azurecr.io")
    };
    Scenario::new(request, NODE)
        .get(format!("{acr}/v2/"), None, unauthorized(&challenge))
        .get(token_url.clone(), Some(BASIC), token("L"))
        .get(format!("{acr}/v2/"), Some("Bearer L"), ok("{}"))
        .get(
            format!("{token_url}&scope=registry%3Acatalog%3A*"),
            Some(BASIC),
            token("C"),
        )
        .get(
            format!("{acr}/v2/_catalog?n=100"),
            Some("Bearer C"),
            ok(r#"{"repositories":["team/app"]}"#),
        )
        .get(
            format!("{token_url}&scope=repository%3Ateam%2Fapp%3Apull"),
            Some(BASIC),
            token("P"),
        )
        .get(
            format!("{acr}/v2/team/app/tags/list"),
            Some("Bearer P"),
            unauthorized(&metadata),
        )
        .get(
            format!("{token_url}&scope=repository%3Ateam%2Fapp%3Ametadata_read"),
            Some(BASIC),
            token("M"),
        )
        .get(
            format!("{acr}/v2/team/app/tags/list"),
            Some("Bearer M"),
            tags,
        )
        // Pulling keeps its own scope: the named one is only for the tags.
        .head(
            format!("{acr}/v2/team/app/manifests/latest"),
            Some("Bearer P"),
            answer(200, &[], String::new()),
        )
}

#[test]
fn a_scope_the_registry_names_is_asked_for_once() {
    let listed = acr_tags_after_metadata_read(ok(r#"{"tags":["latest"]}"#)).run();
    assert_eq!(listed.verdict, Verdict::Ok, "{:?}", codes(&listed));
    // A second 401 for the named scope is the denial: asked once, not again.
    let metadata = r#"Bearer realm="https://acme.azurecr.io/oauth2/token",service="acme.azurecr.io",scope="repository:team/app:metadata_read""#;
    let denied = acr_tags_after_metadata_read(unauthorized(metadata)).run();
    assert!(
        codes(&denied).contains(&"tags-denied"),
        "{:?}",
        codes(&denied)
    );
}

/// Quay with an account (../shared/providers.md §3.2, §3.3): the token service refuses
/// `registry:catalog:*` with 400, but the account's login token lists what it can see.
#[test]
fn quay_lists_with_the_account_s_login_token() {
    let quay = "https://quay.io";
    let challenge = r#"Bearer realm="https://quay.io/v2/auth",service="quay.io""#;
    let request = ProbeRequest {
        repository: Some("acme/app".into()),
        ..with_user("quay.io")
    };
    let report = Scenario::new(request, NODE)
        .get(format!("{quay}/v2/"), None, answer(401, &[V, ("www-authenticate", challenge)], "true".into()))
        .get("https://quay.io/v2/auth?service=quay.io", Some(BASIC), ok(r#"{"token":"LOGIN"}"#))
        .get(format!("{quay}/v2/"), Some("Bearer LOGIN"), ok("true"))
        .get(
            "https://quay.io/v2/auth?service=quay.io&scope=registry%3Acatalog%3A*",
            Some(BASIC),
            answer(400, &[], r#"{"errors":[{"code":"INVALID_REQUEST","message":"Unable to decode repository and actions: registry:catalog:*","detail":{}}]}"#.into()),
        )
        .get(format!("{quay}/v2/_catalog?n=100"), Some("Bearer LOGIN"), ok(r#"{"repositories":["acme/app"]}"#))
        .get("https://quay.io/v2/auth?service=quay.io&scope=repository%3Aacme%2Fapp%3Apull", Some(BASIC), ok(r#"{"token":"P"}"#))
        .get(format!("{quay}/v2/acme/app/tags/list"), Some("Bearer P"), ok(r#"{"name":"acme/app","tags":["latest"]}"#))
        .head(format!("{quay}/v2/acme/app/manifests/latest"), Some("Bearer P"), answer(200, &[], String::new()))
        .run();
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", codes(&report));
    assert_eq!(
        report.catalog.map(|c| c.repositories),
        Some(vec!["acme/app".to_string()])
    );
}

/// A tags challenge naming another token service (`realm`) for another scope, with an account:
/// the ping's realm gives the login and pull tokens; the named realm is asked once for the
/// named scope, with the credentials, when it passes the checks the first passed.
fn tags_challenge_to_another_realm(realm: &str, tags: Option<Reply>) -> ProbeReport {
    let first = "https://auth.r.example.com/token";
    let challenge = format!(r#"Bearer realm="{first}",service="r""#);
    let other = format!(
        r#"Bearer realm="{realm}",service="meta",scope="repository:team/app:metadata_read""#
    );
    let request = ProbeRequest {
        repository: Some("team/app".into()),
        ..with_user(R)
    };
    let mut scenario = Scenario::new(request, NODE)
        .ping(unauthorized(&challenge))
        .get(format!("{first}?service=r"), Some(BASIC), token("L"))
        .get("/v2/", Some("Bearer L"), ok("{}"))
        .get(
            format!("{first}?service=r&scope=registry%3Acatalog%3A*"),
            Some(BASIC),
            token("C"),
        )
        .catalog(
            "n=100",
            Some("Bearer C"),
            ok(r#"{"repositories":["team/app"]}"#),
        )
        .get(
            format!("{first}?service=r&scope=repository%3Ateam%2Fapp%3Apull"),
            Some(BASIC),
            token("P"),
        )
        .tags("team/app", Some("Bearer P"), unauthorized(&other));
    if let Some(tags) = tags {
        scenario = scenario
            .get(
                format!("{realm}?service=meta&scope=repository%3Ateam%2Fapp%3Ametadata_read"),
                Some(BASIC),
                token("M"),
            )
            .tags("team/app", Some("Bearer M"), tags);
    }
    scenario
        .pull(
            "team/app",
            "latest",
            Some("Bearer P"),
            answer(200, &[], String::new()),
        )
        .run()
}

#[test]
fn a_challenge_naming_another_token_service_is_followed_when_it_passes_the_realm_checks() {
    let listed = tags_challenge_to_another_realm(
        "https://meta.example.com/token",
        Some(ok(r#"{"tags":["latest"]}"#)),
    );
    assert_eq!(listed.verdict, Verdict::Ok, "{:?}", codes(&listed));
    // Plain http elsewhere would see the password: not followed, named, and the tags denied;
    // nothing is sent there (the scenario fails on any request it does not script).
    let refused = tags_challenge_to_another_realm("http://meta.example.com/token", None);
    assert_eq!(refused.verdict, Verdict::Failed);
    let found = codes(&refused);
    assert!(found.contains(&"token-realm-insecure"), "{found:?}");
    assert!(found.contains(&"tags-denied"), "{found:?}");
    assert!(
        refused
            .trace
            .iter()
            .all(|t| !t.url.contains("meta.example.com")),
        "{:?}",
        refused.trace
    );
}

/// Artifact Registry (../shared/providers.md §5.1): `/v2/` challenges without `service`; a
/// resource's challenge has it, and the token requests after it carry it.
#[test]
fn a_service_the_ping_lacked_is_taken_from_a_resource_s_challenge() {
    let gar = "https://us-docker.pkg.dev";
    let realm = "https://us-docker.pkg.dev/v2/token";
    let ping = format!(r#"Bearer realm="{realm}""#);
    let catalog =
        format!(r#"Bearer realm="{realm}",service="us-docker.pkg.dev",scope="registry:catalog:*""#);
    let request = ProbeRequest {
        repository: Some("acme/docker/app".into()),
        ..req("us-docker.pkg.dev")
    };
    let report = Scenario::new(request, NODE)
        .get(format!("{gar}/v2/"), None, unauthorized(&ping))
        .get(
            format!("{realm}?scope=registry%3Acatalog%3A*"),
            None,
            token("C"),
        )
        .get(
            format!("{gar}/v2/_catalog?n=100"),
            Some("Bearer C"),
            unauthorized(&catalog),
        )
        .get(
            format!(
                "{realm}?service=us-docker.pkg.dev&scope=repository%3Aacme%2Fdocker%2Fapp%3Apull"
            ),
            None,
            token("P"),
        )
        .get(
            format!("{gar}/v2/acme/docker/app/tags/list"),
            Some("Bearer P"),
            ok(r#"{"tags":["latest"]}"#),
        )
        .head(
            format!("{gar}/v2/acme/docker/app/manifests/latest"),
            Some("Bearer P"),
            answer(200, &[], String::new()),
        )
        .run();
    // The catalog is denied (optional), tags and pull work.
    assert_eq!(report.verdict, Verdict::Partial, "{:?}", codes(&report));
    assert!(
        codes(&report).contains(&"catalog-denied"),
        "{:?}",
        codes(&report)
    );
}
