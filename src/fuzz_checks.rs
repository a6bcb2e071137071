//! The properties each fuzz target checks, shared by `fuzz/fuzz_targets/` and the native replay
//! of every input that ever broke one (`tests/fuzz_regressions.rs`, over `fuzz/regressions/`).
//! Each takes the fuzzer's bytes and returns the violated property as `Err`; a panic inside the
//! library is a finding too (the fuzzer and the test both catch it).

use crate::probe::{
    Action, Environment, Failure, HttpResponse, NetworkCause, Probe, ProbeRequest, MAX_REQUESTS,
};
use crate::protocol::challenge::challenge_limits;
use crate::protocol::rate_limit::parse_rate_limit;
use crate::protocol::registry_json::{
    parse_catalog, parse_error_code, parse_tags, parse_token, parse_token_answer,
};
use crate::protocol::token_access::{granted_access, missing_access};
use crate::{
    parse_challenges, parse_next_link, resolve_same_origin, validate_form, validate_registry_url,
    AuthInput, ConnectorForm, FormOptions, PageProtocol, UrlOptions,
};

/// A check's verdict: `Err` names the property the input broke.
pub type Checked = Result<(), String>;

fn ensure(holds: bool, what: impl FnOnce() -> String) -> Checked {
    if holds {
        Ok(())
    } else {
        Err(what())
    }
}

/// The URL field: spans inside the input, `ok` exactly when no error, the endpoint's invariants.
pub fn url(data: &[u8]) -> Checked {
    let Ok(input) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let https = UrlOptions {
        page_protocol: Some(PageProtocol::Https),
    };
    for options in [UrlOptions::default(), https] {
        let check = validate_registry_url(input, &options);
        let len = u32::try_from(input.encode_utf16().count()).unwrap_or(u32::MAX);
        ensure(
            check
                .diagnostics
                .iter()
                .all(|d| d.start <= d.end && d.end <= len),
            || format!("{input:?}: a span outside the input"),
        )?;
        ensure(
            check.ok != check.diagnostics.iter().any(|d| d.is_error()),
            || format!("{input:?}: ok disagrees with the errors"),
        )?;
        if let Some(endpoint) = &check.endpoint {
            endpoint
                .check_invariants()
                .map_err(|e| format!("{input:?}: {e}"))?;
        }
    }
    Ok(())
}

/// The whole form (NUL-separated parts become the fields): a connector exactly when ok.
pub fn form(data: &[u8]) -> Checked {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let mut parts = text.split('\0');
    let mut next = || parts.next().unwrap_or_default().to_string();
    let (name, identifier, url, username, password_ref) = (next(), next(), next(), next(), next());
    let form = ConnectorForm {
        name,
        identifier: (!identifier.is_empty()).then_some(identifier),
        url,
        provider_type: None,
        auth: if username.is_empty() {
            AuthInput::Anonymous
        } else {
            AuthInput::UsernamePassword {
                username,
                password_ref,
            }
        },
        delegate_selectors: parts.map(str::to_string).collect(),
    };
    let check = validate_form(&form, &FormOptions::default());
    ensure(check.ok == check.connector.is_some(), || {
        format!("{text:?}: a connector without ok, or ok without one")
    })?;
    ensure(
        check
            .yaml
            .as_deref()
            .is_none_or(|y| y.starts_with("connector:\n")),
        || format!("{text:?}: YAML without its root"),
    )
}

/// `WWW-Authenticate`: bounded, every challenge with a scheme.
pub fn challenge(data: &[u8]) -> Checked {
    let Ok(header) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let challenges = parse_challenges(header);
    let (max_challenges, max_params) = challenge_limits();
    ensure(challenges.len() <= max_challenges, || {
        format!("{header:?}: too many challenges")
    })?;
    ensure(
        challenges
            .iter()
            .all(|c| c.params.len() <= max_params && !c.scheme.is_empty()),
        || format!("{header:?}: a challenge without a scheme or with too many parameters"),
    )
}

/// `Link`: a next page never leaves the registry's origin.
pub fn link(data: &[u8]) -> Checked {
    let Ok(header) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let base = "https://r.example.com:5000/prefix/v2/";
    match parse_next_link(header).and_then(|target| resolve_same_origin(base, &target)) {
        Some(next) => ensure(next.starts_with("https://r.example.com:5000/"), || {
            format!("{header:?}: {next} leaves the origin")
        }),
        None => Ok(()),
    }
}

/// Registry JSON, token answers, JWT claims and rate limits: never a panic, sane results.
pub fn registry_json(data: &[u8]) -> Checked {
    let _ = parse_catalog(data);
    let _ = parse_tags(data);
    if let Some(token) = parse_token(data) {
        ensure(!token.is_empty(), || "an empty token".to_string())?;
    }
    if let Some(answer) = parse_token_answer(data) {
        // A token's claims and the scope comparison never panic; what is missing is a scope.
        let granted = granted_access(&answer.token).unwrap_or_default();
        for missing in missing_access("repository:a/b:pull registry:catalog:*", &granted) {
            ensure(missing.matches(':').count() == 2, || {
                format!("{missing:?} is not a scope")
            })?;
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = granted_access(text);
        let (limit, remaining) = text.split_once('\n').unwrap_or((text, text));
        let header = |name: &str| match name {
            "ratelimit-limit" => Some(limit),
            "ratelimit-remaining" => Some(remaining),
            _ => None,
        };
        if let Some(rate) = parse_rate_limit(header) {
            let _ = rate.is_low();
        }
    }
    match parse_error_code(data) {
        Some(code) => ensure(
            code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
            || format!("{code:?} is not an error code"),
        ),
        None => Ok(()),
    }
}

const PASSWORD: &str = "fuzz-PASSWORD-sentinel";
const HEADERS: [&str; 10] = [
    "www-authenticate",
    "link",
    "docker-distribution-api-version",
    "content-type",
    "access-control-allow-origin",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "ratelimit-limit",
    "ratelimit-remaining",
    "server",
];
const URLS: [&str; 8] = [
    "https://r.example.com",
    "http://localhost:5000",
    "docker.io",
    "quay.io",
    "harbor.example.com/x",
    "r.example.com",
    "10.0.0.5:5000",
    "acme.azurecr.io",
];

/// The probe state machine fed arbitrary answers: it finishes within [`MAX_REQUESTS`] requests
/// (it caps itself), traces every request, and never puts the password into its report.
/// Bytes: `flags`, `more`, then answers separated by 0xFF, each
/// `[kind, status hi, status lo, header index, value…, 0x00, body…]`.
pub fn probe(data: &[u8]) -> Checked {
    let (Some(&flags), Some(&more), Some(rest)) = (data.first(), data.get(1), data.get(2..)) else {
        return Ok(());
    };
    let env = Environment {
        cors: flags & 1 == 1,
        page_protocol: (flags & 2 == 2).then_some(PageProtocol::Https),
        server: more & 2 == 2,
        now_s: (more & 8 == 8).then_some(1_765_000_000),
    };
    let url = URLS
        .get(usize::from(flags >> 4) % URLS.len())
        .copied()
        .unwrap_or_default();
    let request = ProbeRequest {
        url: url.into(),
        username: (flags & 4 == 4).then(|| "u".into()),
        password: Some(PASSWORD.into()),
        repository: (flags & 8 == 8).then(|| "team/app".into()),
        origin: (more & 1 == 1).then(|| "https://console.example".into()),
        ..ProbeRequest::default()
    };
    let mut probe = Probe::new(request, env);
    let mut answers = rest.split(|b| *b == 0xFF);
    // The probe caps itself at MAX_REQUESTS; preflights of the CORS replay come on top.
    for _ in 0..3 * MAX_REQUESTS {
        match probe.poll() {
            Action::Done(report) => {
                let text = serde_json::to_string(&report).unwrap_or_default();
                ensure(!text.contains(PASSWORD), || {
                    "the password is in the report".to_string()
                })?;
                return ensure(report.trace.len() >= report.requests as usize, || {
                    "a request is missing from the trace".to_string()
                });
            }
            Action::Send(_) => {
                let record = answers.next().unwrap_or(&[]);
                answer(&mut probe, record, more & 4 == 4);
            }
        }
    }
    Err(format!(
        "the probe did not finish within {MAX_REQUESTS} requests"
    ))
}

/// Feeds one scripted answer (or failure, or the deadline) to the request in flight.
fn answer(probe: &mut Probe, record: &[u8], deadlines: bool) {
    match record {
        [] => probe.handle_failure(Failure::Network, 1.0),
        [0, ..] => probe.handle_failure(Failure::Timeout, 1.0),
        [1, ..] => probe.handle_failure(Failure::Redirect, 1.0),
        [2, ..] => probe.handle_failure(
            Failure::Connection(NetworkCause::Refused, String::new()),
            1.0,
        ),
        [3, ..] => probe.handle_failure(
            Failure::Connection(NetworkCause::NotTls, String::new()),
            1.0,
        ),
        // The driver's deadline, passing while the request is in flight.
        [4, ..] if deadlines => probe.deadline_passed(30_000.0, 1.0),
        [_, hi, lo, h, tail @ ..] => {
            let (value, body) = match tail.iter().position(|b| *b == 0) {
                Some(i) => (
                    tail.get(..i).unwrap_or_default(),
                    tail.get(i + 1..).unwrap_or_default(),
                ),
                None => (tail, &[][..]),
            };
            let name = HEADERS
                .get(usize::from(*h) % HEADERS.len())
                .copied()
                .unwrap_or_default();
            let headers = vec![(
                name.to_string(),
                String::from_utf8_lossy(value).into_owned(),
            )];
            let status = u16::from_be_bytes([*hi, *lo]) % 600;
            probe.handle_response(
                HttpResponse {
                    status,
                    headers,
                    body: body.to_vec(),
                    opaque: status == 0,
                    via_proxy: None,
                },
                1.0,
            );
        }
        [_, ..] => probe.handle_response(
            HttpResponse {
                status: 200,
                ..HttpResponse::default()
            },
            1.0,
        ),
    }
}
