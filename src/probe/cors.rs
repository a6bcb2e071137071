//! CORS named exactly: where the probe runs without CORS (Node, the console's server) but a
//! page's origin is given, it replays what a browser on that origin does — the preflight
//! `OPTIONS` with `Origin` and `Access-Control-Request-Method/-Headers` before every request
//! that carries `Authorization`, and `Origin` on every request — and reads the CORS headers of
//! each answer. Each defect becomes its own finding, with the configuration that fixes it for
//! the server recognised from its headers ([`super::cors_snippet`]).
//!
//! A page can never read why CORS failed (the browser only says `TypeError`); this is where it
//! can be said.

use super::cors_snippet::{snippet, ServerKind, EXPOSED};
use super::report::StepId;
use super::report_builder::{Held, ReportBuilder};
use super::request::{HttpRequest, HttpResponse, Method};
use super::session::{origin_of, Session};
use crate::messages::finding::FindingCode as F;
use crate::protocol::remote_url::parse_remote_url;
use std::collections::BTreeMap;

/// One CORS defect of one server (by origin): its code and what it is about (`{value}`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Defect {
    target: String,
    code: CorsCode,
    value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CorsCode {
    PreflightUnauthorized,
    PreflightUnsupported,
    OriginMissing,
    OriginMismatch,
    OriginDuplicated,
    HeadersNotAllowed,
}

impl CorsCode {
    fn finding(self) -> F {
        match self {
            CorsCode::PreflightUnauthorized => F::CorsPreflightUnauthorized,
            CorsCode::PreflightUnsupported => F::CorsPreflightUnsupported,
            CorsCode::OriginMissing => F::CorsOriginMissing,
            CorsCode::OriginMismatch => F::CorsOriginMismatch,
            CorsCode::OriginDuplicated => F::CorsOriginDuplicated,
            CorsCode::HeadersNotAllowed => F::CorsHeadersNotAllowed,
        }
    }
}

/// The replay's state: the page's origin, what was preflighted, and what was found per server.
/// (The request waiting for its preflight waits in the preflight phase.)
#[derive(Default)]
pub(super) struct CorsReplay {
    origin: String,
    preflighted: Vec<(String, StepId)>,
    defects: Vec<Defect>,
    /// Per server: the headers a page needed but could not read.
    hidden: BTreeMap<String, Vec<&'static str>>,
    /// Per server: what its answers say it is.
    servers: BTreeMap<String, ServerKind>,
}

/// The comma-separated values of a header, trimmed, empty ones dropped.
fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// `text` as a page origin (`scheme://host[:port]`, serialized as browsers send it in
/// `Origin`), when it is an http(s) URL with nothing after the authority but `/`.
pub fn page_origin(text: &str) -> Option<String> {
    let url = parse_remote_url(text)?;
    let bare = url.path() == "/" && url.query().is_none();
    let origin = url.origin().ascii_serialization();
    (bare && origin != "null").then_some(origin)
}

impl CorsReplay {
    /// A replay for pages on `origin`, when it is one ([`page_origin`]).
    pub(super) fn new(origin: &str) -> Option<CorsReplay> {
        page_origin(origin).map(|origin| CorsReplay {
            origin,
            ..CorsReplay::default()
        })
    }

    /// Makes `request` what the page would send (with `Origin`); true when the browser would
    /// preflight it first ([`CorsReplay::preflight`]).
    pub(super) fn prepare(&mut self, step: StepId, request: &mut HttpRequest) -> bool {
        if request.no_cors {
            return false;
        }
        request.headers.push(("Origin", self.origin.clone()));
        let key = (origin_of(&request.url), step);
        // `Authorization` is never CORS-safelisted; `Accept` stays under 128 bytes (safelisted).
        if !request.has_credentials() || self.preflighted.contains(&key) {
            return false;
        }
        self.preflighted.push(key);
        true
    }

    /// The preflight a browser sends before `request`.
    pub(super) fn preflight(&self, request: &HttpRequest) -> HttpRequest {
        HttpRequest {
            method: Method::Options,
            url: request.url.clone(),
            headers: vec![
                ("Origin", self.origin.clone()),
                (
                    "Access-Control-Request-Method",
                    request.method.as_str().into(),
                ),
                ("Access-Control-Request-Headers", "authorization".into()),
            ],
            no_cors: false,
            body_limit: 0,
            timeout_ms: request.timeout_ms,
        }
    }

    fn defect(&mut self, target: &str, code: CorsCode, value: &str) {
        let defect = Defect {
            target: target.to_string(),
            code,
            value: value.chars().take(200).collect(),
        };
        if !self.defects.contains(&defect) {
            self.defects.push(defect);
        }
    }

    fn learn_server(&mut self, target: &str, response: &HttpResponse) {
        let kind = if response
            .header("server")
            .is_some_and(|s| s.to_ascii_lowercase().contains("nginx"))
        {
            ServerKind::Nginx
        } else if response.header("docker-distribution-api-version").is_some() {
            ServerKind::Distribution
        } else {
            ServerKind::Other
        };
        let known = self.servers.entry(target.to_string()).or_insert(kind);
        if kind == ServerKind::Nginx {
            *known = ServerKind::Nginx;
        }
    }

    /// Allow-Origin of an answer: missing, sent more than once, or for another origin.
    fn check_origin(&mut self, target: &str, response: &HttpResponse) -> bool {
        let Some(value) = response.header("access-control-allow-origin") else {
            self.defect(target, CorsCode::OriginMissing, "");
            return false;
        };
        let values = list(value);
        match values.as_slice() {
            [one] if *one == "*" || *one == self.origin => true,
            [one] => {
                self.defect(target, CorsCode::OriginMismatch, one);
                false
            }
            _ => {
                self.defect(target, CorsCode::OriginDuplicated, value);
                false
            }
        }
    }

    /// The answer to the preflight of a request to `url`.
    pub(super) fn preflight_answered(&mut self, url: &str, response: &HttpResponse) {
        let target = origin_of(url);
        self.learn_server(&target, response);
        let status = response.status;
        if !(200..300).contains(&status) {
            let code = if matches!(status, 401 | 403) {
                CorsCode::PreflightUnauthorized
            } else {
                CorsCode::PreflightUnsupported
            };
            self.defect(&target, code, &format!("HTTP {status}"));
            return;
        }
        if !self.check_origin(&target, response) {
            return;
        }
        // `*` allows any header but Authorization, which must be named.
        let allowed = response
            .header("access-control-allow-headers")
            .map(list)
            .unwrap_or_default();
        if !allowed
            .iter()
            .any(|h| h.eq_ignore_ascii_case("authorization"))
        {
            self.defect(&target, CorsCode::HeadersNotAllowed, "Authorization");
        }
    }

    /// An answer to a request sent with `Origin`: its Allow-Origin and what it must expose.
    pub(super) fn answered(&mut self, step: StepId, url: &str, response: &HttpResponse) {
        let target = origin_of(url);
        self.learn_server(&target, response);
        if !self.check_origin(&target, response) {
            return;
        }
        let exposed = response
            .header("access-control-expose-headers")
            .map(list)
            .unwrap_or_default();
        if exposed.contains(&"*") {
            return;
        }
        // Each header by the answer that carries it, in EXPOSED's order.
        let needs = [
            step == StepId::Ping,
            response.status == 401,
            step == StepId::Catalog,
            step == StepId::Pull,
        ];
        for (name, needed) in EXPOSED.into_iter().zip(needs) {
            let hidden = !exposed.iter().any(|h| h.eq_ignore_ascii_case(name));
            if needed && hidden && response.header(name).is_some() {
                let list = self.hidden.entry(target.clone()).or_default();
                if !list.contains(&name) {
                    list.push(name);
                }
            }
        }
    }
}

impl CorsReplay {
    /// The replay's findings, one per defect and server, each with the configuration that
    /// fixes it; for providers that cannot send CORS, one finding naming the relay instead.
    pub(super) fn report(self, session: &Session, report: &mut ReportBuilder) {
        let account = session.username();
        let registry = session.origin();
        // In the order met: the ping's first, as the page would meet them.
        let CorsReplay {
            origin,
            defects,
            hidden,
            servers,
            ..
        } = self;
        if !session.provider().can_send_cors() {
            if !defects.is_empty() || !hidden.is_empty() {
                let slots = [("detail", registry.as_str())];
                report.finding(F::CorsProviderUnsupported, &slots, account, Held::No);
            }
            return;
        }
        // The preflight problems of a distribution registry need a front; the rest its config.
        let needs_front = |target: &str| {
            defects.iter().any(|d| {
                d.target == target
                    && matches!(
                        d.code,
                        CorsCode::PreflightUnauthorized | CorsCode::PreflightUnsupported
                    )
            })
        };
        let realm_path = session
            .realm
            .as_ref()
            .and_then(|realm| parse_remote_url(&realm.url))
            .map(|url| url.path().to_string());
        let prefix = &session.endpoint.path_prefix;
        let snippet_for = |target: &str| {
            let kind = servers.get(target).copied().unwrap_or(ServerKind::Other);
            let location = if target == registry {
                format!("{prefix}/v2/")
            } else {
                realm_path.clone().unwrap_or_else(|| "/".into())
            };
            let kind = match kind {
                ServerKind::Distribution if needs_front(target) || target != registry => {
                    ServerKind::Other
                }
                kind => kind,
            };
            snippet(kind, &origin, &location)
        };
        for defect in &defects {
            let snippet = snippet_for(&defect.target);
            let slots = [
                ("detail", defect.target.as_str()),
                ("value", &defect.value),
                ("origin", &origin),
            ];
            report.finding(defect.code.finding(), &slots, account, Held::No);
            if let Some(finding) = report.last_mut() {
                finding.snippet = Some(snippet);
            }
        }
        for (target, names) in &hidden {
            let snippet = snippet_for(target);
            let slots = [
                ("detail", target.as_str()),
                ("value", &names.join(", ")),
                ("origin", &origin),
            ];
            report.finding(F::CorsExposeMissing, &slots, account, Held::No);
            if let Some(finding) = report.last_mut() {
                finding.snippet = Some(snippet);
            }
        }
    }
}
