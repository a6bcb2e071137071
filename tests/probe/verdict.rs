//! The verdict rule (`ProbeReport.verdict`) and how permission findings name the account.

use crate::scenario::*;
use registry_probe::probe::*;

const CHALLENGE: &str = r#"Bearer realm="https://auth.example.com/token",service="reg""#;
const TOKEN_URL: &str = "https://auth.example.com/token?service=reg";
const CATALOG_SCOPE: &str = "&scope=registry%3Acatalog%3A*";
const ALPINE_SCOPE: &str = "&scope=repository%3Alibrary%2Falpine%3Apull";

fn denied() -> Reply {
    answer(
        401,
        &[(
            "www-authenticate",
            r#"Bearer realm="https://auth.example.com/token",error="insufficient_scope""#,
        )],
        r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#.into(),
    )
}

fn alpine(request: ProbeRequest) -> ProbeRequest {
    ProbeRequest {
        repository: Some("library/alpine".into()),
        ..request
    }
}

/// The token registry's exchanges up to the tags of library/alpine, with `auth` sent to the
/// token service and tokens A0 (login, only with credentials: anonymous probes ask for each
/// request's scope, as docker does), A1 (catalog) and A2 (alpine).
fn up_to_tags(request: ProbeRequest, auth: Option<&'static str>, catalog: Reply) -> Scenario {
    let scenario = Scenario::new(request, NODE).ping(unauthorized(CHALLENGE));
    let scenario = match auth {
        Some(_) => {
            scenario
                .get(TOKEN_URL, auth, token("A0"))
                .get("/v2/", Some("Bearer A0"), ok("{}"))
        }
        None => scenario,
    };
    scenario
        .get(format!("{TOKEN_URL}{CATALOG_SCOPE}"), auth, token("A1"))
        .catalog("n=100", Some("Bearer A1"), catalog)
        .get(format!("{TOKEN_URL}{ALPINE_SCOPE}"), auth, token("A2"))
}

#[test]
fn anonymous_users_granted_nothing_need_credentials() {
    let report = up_to_tags(alpine(req("r.example.com")), None, denied())
        .tags("library/alpine", Some("Bearer A2"), denied())
        .pull("library/alpine", "latest", Some("Bearer A2"), denied())
        .run();
    assert_eq!(report.verdict, Verdict::Failed);
    assert_eq!(codes(&report), ["auth-required"]);
    assert_eq!(
        report.findings[0].message,
        "auth.example.com requires a username and password: anonymous users get no access."
    );
}

#[test]
fn a_token_scoped_elsewhere_cannot_pull_the_named_repository() {
    let report = up_to_tags(alpine(with_user("r.example.com")), Some(BASIC), denied())
        .tags("library/alpine", Some("Bearer A2"), denied())
        .pull("library/alpine", "latest", Some("Bearer A2"), denied())
        .run();
    assert_eq!(report.verdict, Verdict::Failed);
    let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "ci cannot list images (the registry denied the catalog).",
            "The registry refused the token for registry:catalog:* (insufficient_scope): ci lacks that access.",
            "ci cannot list the tags of library/alpine.",
            "The registry refused the token for repository:library/alpine:pull (insufficient_scope): ci lacks that access.",
            "ci cannot pull library/alpine:latest.",
        ]
    );
}

#[test]
fn anonymous_users_allowed_some_are_named_per_permission() {
    let report = up_to_tags(alpine(req("r.example.com")), None, denied())
        .tags(
            "library/alpine",
            Some("Bearer A2"),
            ok(r#"{"tags":["latest"]}"#),
        )
        .pull("library/alpine", "latest", Some("Bearer A2"), denied())
        .run();
    assert_eq!(report.verdict, Verdict::Failed);
    // Each denial names the scope the registry refused the token for.
    assert_eq!(
        codes(&report),
        [
            "catalog-denied",
            "token-insufficient-scope",
            "pull-denied",
            "token-insufficient-scope"
        ]
    );
    assert_eq!(
        report.findings[2].message,
        "Anonymous users cannot pull library/alpine:latest."
    );
}

#[test]
fn only_the_catalog_denied_is_partial() {
    let report = up_to_tags(alpine(with_user("r.example.com")), Some(BASIC), denied())
        .tags(
            "library/alpine",
            Some("Bearer A2"),
            ok(r#"{"tags":["latest"]}"#),
        )
        .pull(
            "library/alpine",
            "latest",
            Some("Bearer A2"),
            answer(200, &[], String::new()),
        )
        .run();
    assert_eq!(report.verdict, Verdict::Partial);
    assert_eq!(
        codes(&report),
        ["catalog-denied", "token-insufficient-scope"]
    );
}

#[test]
fn everything_needed_is_ok_and_nothing_to_check_is_partial() {
    let all = up_to_tags(
        alpine(with_user("r.example.com")),
        Some(BASIC),
        ok(r#"{"repositories":["library/alpine"]}"#),
    )
    .tags(
        "library/alpine",
        Some("Bearer A2"),
        ok(r#"{"tags":["latest"]}"#),
    )
    .pull(
        "library/alpine",
        "latest",
        Some("Bearer A2"),
        answer(200, &[], String::new()),
    )
    .run();
    assert_eq!(all.verdict, Verdict::Ok);
    let empty = Scenario::new(req("r.example.com"), NODE)
        .ping(ok("{}"))
        .catalog("n=100", None, ok(r#"{"repositories":[]}"#))
        .run();
    assert_eq!(empty.verdict, Verdict::Partial);
    assert_eq!(codes(&empty), ["catalog-empty", "no-repository"]);
    let no_manifest = Scenario::new(req("r.example.com"), NODE)
        .ping(ok("{}"))
        .catalog("n=100", None, ok(r#"{"repositories":["a"]}"#))
        .tags("a", None, ok(r#"{"tags":["latest"]}"#))
        .pull("a", "latest", None, answer(404, &[], String::new()))
        .run();
    assert_eq!(no_manifest.verdict, Verdict::Partial);
}
