//! What goes into the probe and between it and the driver: the caller's request, the
//! environment, the HTTP requests it asks for and the responses or failures it is fed, and the
//! bounds it keeps to.

use super::cors::CorsReplay;
use super::report::{Permissions, ProbeReport, ProbeStep, RanFrom, Status, StepId, StepStatus};
use super::repository::{read_repository, RepositoryField};
use super::{origin_of, Phase, Probe};
use crate::form::credentials::{check_password, check_username};
use crate::messages::diagnostic::Severity;
use crate::messages::finding::Finding;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::url_field::{validate_registry_url, PageProtocol, Scheme, UrlOptions};
use serde::Deserialize;
use std::collections::HashSet;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Per-request timeout when the caller gives none.
pub const DEFAULT_TIMEOUT_MS: u32 = 8000;
/// The longest timeout kept (2³¹−1 ms, about 24.8 days): JS timers hold no more, and Node fires
/// a longer one at once. A larger `timeoutMs` is clamped to it.
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;
/// Requests one probe sends at most (a CORS replay's preflights aside): a registry that keeps
/// asking for more (endless pages, challenges) ends the probe with `probe-request-limit`.
pub const MAX_REQUESTS: u32 = 200;
/// Catalog pages read at most when the caller gives no limit.
pub const DEFAULT_MAX_CATALOG_PAGES: u32 = 10;
/// Catalog page size asked for (`n`) when the caller gives none.
pub const CATALOG_PAGE_SIZE: usize = 100;
/// Largest page size asked for: distribution answers `n` ≥ 1001 with 400, ECR's limit is 1000.
pub const MAX_CATALOG_PAGE_SIZE: usize = 1000;
/// Cap on bodies that are only read for an error code (64 KiB).
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// Cap on a catalog page or tag list body (4 MiB).
pub const LIST_BODY_LIMIT: usize = 4 * 1024 * 1024;
/// Cap on a token response (64 KiB).
pub const TOKEN_BODY_LIMIT: usize = 64 * 1024;
/// Repositories kept in the report.
pub const MAX_REPOSITORIES: usize = 100_000;
/// Tags kept in the report.
pub const MAX_TAGS: usize = 10_000;
/// Docker v2 and OCI image manifests; under 128 bytes so a GET/HEAD without credentials stays
/// CORS-simple (no preflight).
pub const MANIFEST_ACCEPT: &str =
    "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json";
/// Multi-platform indexes: the OCI image index (what `docker buildx` pushes by default, with an
/// attestation manifest) and the Docker manifest list; under 128 bytes as well. Without them in
/// `Accept`, distribution (and GHCR) answer an index's tag 404.
pub const INDEX_ACCEPT: &str =
    "application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json";

/// What to test, as the caller gives it.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProbeRequest {
    /// The registry URL as typed (normalized with the URL validator).
    pub url: String,
    /// One-off test username.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub username: Option<String>,
    /// One-off test password; never kept, logged or returned.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub password: Option<String>,
    /// Repository for the tag and pull checks when the catalog cannot be used.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub repository: Option<String>,
    /// Per-request timeout (ms); absent or 0 means 8000, above 2³¹−1 is clamped.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub timeout_ms: Option<u32>,
    /// Catalog pages to read at most; absent or 0 means 10.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub max_catalog_pages: Option<u32>,
    /// Catalog page size (`n`), default 100, at most 1000.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub catalog_page_size: Option<u32>,
    /// Stop after the ping: reachability, API version and auth scheme only (for a quiet
    /// check while the user types). Sends no credentials.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ping_only: Option<bool>,
    /// Set by the browser's fallback to the console's server (`relay`): the codes of the
    /// findings that blocked the check in the page. The report then says it ran on the server.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub relayed_because: Option<Vec<String>>,
    /// The origin of the page the registry is meant for (`https://console.example`). Where
    /// the probe runs without CORS (Node, the console's server), it then replays what a browser
    /// on that origin does (preflights, `Origin`) and names each CORS defect with the
    /// configuration that fixes it. Ignored in a page, whose browser checks CORS itself, and
    /// when it is the opaque origin `null` (file: pages, sandboxed frames). The browser's
    /// fallback to the relay sets it to the page's origin.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub origin: Option<String>,
}

/// Where the probe runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Environment {
    /// A browser page: CORS applies (Node has none).
    pub cors: bool,
    /// The page's protocol (mixed content).
    pub page_protocol: Option<PageProtocol>,
    /// The probe runs on the console's server for someone else (registry-probe/server): the
    /// report leaves out what describes the server itself (the rate-limit source, which is its
    /// egress address).
    pub server: bool,
    /// The driver's clock (seconds since 1970), for credentials that expire; the core has none.
    pub now_s: Option<u64>,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD.
    Head,
    /// OPTIONS: a preflight the probe replays for a page's origin ([`ProbeRequest::origin`]).
    Options,
}

/// A request for the driver to send. Its headers may carry credentials: never log it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers to send (`Authorization`, `Accept`).
    pub headers: Vec<(&'static str, String)>,
    /// Send with `mode: 'no-cors'` (only to learn whether anything answers).
    pub no_cors: bool,
    /// Read at most this many body bytes.
    pub body_limit: usize,
    /// Abort after this many milliseconds.
    pub timeout_ms: u32,
}

impl HttpRequest {
    /// True when the request carries an `Authorization` header.
    pub fn has_credentials(&self) -> bool {
        self.headers.iter().any(|(k, _)| *k == "Authorization")
    }
}

/// What the driver received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status (0 for an opaque no-cors response).
    pub status: u16,
    /// Readable headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body, cut at the request's `body_limit`.
    pub body: Vec<u8>,
    /// A `no-cors` response: something answered, nothing is readable.
    pub opaque: bool,
    /// The egress proxy the request went through (its origin, never its credentials), as the
    /// driver knows it (Node, CLI, server); `None` for a direct connection.
    pub via_proxy: Option<String>,
}

impl HttpResponse {
    /// A readable header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `TypeError` from fetch with no readable cause (a browser): refused, unknown host, CORS or
    /// a failed preflight.
    Network,
    /// A network failure whose cause the environment tells (Node's fetch: `error.cause.code`),
    /// with its message (which names a certificate's hosts, for instance).
    Connection(NetworkCause, String),
    /// The per-request timeout fired.
    Timeout,
    /// A request with credentials was answered with a redirect, which is not followed.
    Redirect,
}

/// What made a connection fail, where the environment can tell (Node, the CLI, a server).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkCause {
    /// The host name does not resolve.
    DnsNotFound,
    /// The host is up but nothing listens on the port.
    Refused,
    /// The connection was reset or closed before an answer.
    Reset,
    /// The certificate is self-signed or from an unknown authority.
    TlsUntrusted,
    /// The certificate has expired (or is not valid yet).
    TlsExpired,
    /// The certificate is for other names.
    TlsNameMismatch,
    /// An `https://` URL, but the port speaks plain http.
    NotTls,
    /// A server-side probe's policy refused the address (loopback, private, link-local, …).
    AddressNotAllowed,
    /// The egress proxy did not answer or refused the connection (Node, CLI, server).
    ProxyUnreachable,
    /// The egress proxy wants credentials (407) it was not given, or refused the ones given.
    ProxyAuthRequired,
    /// The egress proxy wants a sign-in other than Basic (NTLM, Negotiate, …).
    ProxyAuthUnsupported,
    /// The egress proxy would not open a tunnel to the registry (403, 502, …).
    ProxyRefused,
    /// Behind a proxy, the server could not resolve the name to check it against its policy.
    ProxyNameUnresolved,
}

impl NetworkCause {
    /// The cause for a Node/undici error code (`error.cause.code`), if it names one.
    pub fn from_code(code: &str) -> Option<NetworkCause> {
        Some(match code {
            "ENOTFOUND" | "EAI_AGAIN" | "EAI_NONAME" | "EAI_NODATA" => NetworkCause::DnsNotFound,
            "ECONNREFUSED" => NetworkCause::Refused,
            "ECONNRESET" | "EPIPE" | "UND_ERR_SOCKET" => NetworkCause::Reset,
            "DEPTH_ZERO_SELF_SIGNED_CERT"
            | "SELF_SIGNED_CERT_IN_CHAIN"
            | "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
            | "UNABLE_TO_GET_ISSUER_CERT"
            | "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
            | "CERT_UNTRUSTED" => NetworkCause::TlsUntrusted,
            "CERT_HAS_EXPIRED" | "CERT_NOT_YET_VALID" => NetworkCause::TlsExpired,
            "ERR_TLS_CERT_ALTNAME_INVALID" => NetworkCause::TlsNameMismatch,
            "ERR_SSL_WRONG_VERSION_NUMBER" | "EPROTO" => NetworkCause::NotTls,
            "ERR_ADDRESS_NOT_ALLOWED" => NetworkCause::AddressNotAllowed,
            "ERR_PROXY_UNREACHABLE" => NetworkCause::ProxyUnreachable,
            "ERR_PROXY_AUTH_REQUIRED" => NetworkCause::ProxyAuthRequired,
            "ERR_PROXY_AUTH_UNSUPPORTED" => NetworkCause::ProxyAuthUnsupported,
            "ERR_PROXY_REFUSED" => NetworkCause::ProxyRefused,
            "ERR_PROXY_NAME_UNRESOLVED" => NetworkCause::ProxyNameUnresolved,
            _ => return None,
        })
    }
}

/// What the driver should do next.
pub enum Action {
    /// Send this request, then call `handle_response` or `handle_failure`.
    Send(HttpRequest),
    /// The probe is over.
    Done(Box<ProbeReport>),
}

impl Probe {
    /// Starts a probe. Nothing is sent until the first [`Probe::poll`].
    pub fn new(request: ProbeRequest, env: Environment) -> Probe {
        Probe::with_messages(request, env, Vec::new())
    }

    /// Like [`Probe::new`], with a console's own templates for findings (`<code>`), their
    /// fixes (`<code>.fix`) and step summaries (`step-…`), by code.
    pub fn with_messages(
        request: ProbeRequest,
        env: Environment,
        messages: Vec<(String, String)>,
    ) -> Probe {
        let options = UrlOptions {
            page_protocol: env.page_protocol,
        };
        let check = validate_registry_url(&request.url, &options);
        let scheme_assumed = check
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, "url-scheme-assumed" | "url-scheme-http-private"));
        let relayed = request
            .relayed_because
            .as_deref()
            .filter(|codes| !codes.is_empty())
            .map(|codes| {
                codes
                    .iter()
                    .take(8)
                    .map(|c| c.chars().take(40).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        let mut probe = Probe {
            env,
            endpoint: None,
            validated: None,
            credentials: None,
            // Read for the endpoint below (repository.rs).
            repository: None,
            reference: None,
            timeout_ms: request
                .timeout_ms
                .filter(|t| *t > 0)
                .map_or(DEFAULT_TIMEOUT_MS, |t| t.min(MAX_TIMEOUT_MS)),
            max_pages: request
                .max_catalog_pages
                .filter(|p| *p > 0)
                .unwrap_or(DEFAULT_MAX_CATALOG_PAGES),
            phase: Phase::Ping,
            in_flight: None,
            auth: None,
            realm: None,
            tokens: Vec::new(),
            api_version: None,
            permissions: Permissions {
                reach: Status::Unknown,
                list_images: Status::Unknown,
                list_tags: Status::Unknown,
                pull: Status::Unknown,
            },
            catalog: None,
            seen_pages: HashSet::new(),
            tags: None,
            steps: StepId::ALL
                .iter()
                .map(|&id| ProbeStep {
                    id,
                    status: StepStatus::Skipped,
                    summary: StepText::NotRun.render(&messages, &[]),
                    http_status: None,
                    duration_ms: None,
                })
                .collect(),
            changed: Vec::new(),
            findings: Vec::new(),
            hidden: Vec::new(),
            requests: 0,
            auth_ok: false,
            ping_only: request.ping_only.unwrap_or(false),
            page_size: request
                .catalog_page_size
                .and_then(|n| usize::try_from(n).ok())
                .map_or(CATALOG_PAGE_SIZE, |n| n.clamp(1, MAX_CATALOG_PAGE_SIZE)),
            link_seen: false,
            messages,
            cors: request
                .origin
                .as_deref()
                .filter(|_| !env.cors)
                .and_then(CorsReplay::new),
            trace: Vec::new(),
            rate_limit: None,
            scheme_assumed,
            other_scheme: None,
            ungranted: Vec::new(),
            named_scopes: Vec::new(),
            withheld: None,
            ran_from: match (env.cors, &relayed) {
                (true, _) => RanFrom::Browser,
                (false, Some(_)) => RanFrom::Relay,
                (false, None) => RanFrom::Node,
            },
        };
        if let Some(codes) = &relayed {
            probe.finding(F::RanOnServer, codes);
        }
        let endpoint = match (check.ok, check.endpoint) {
            (true, Some(endpoint)) => endpoint,
            _ => {
                let first = check
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or("", |d| d.message.as_str());
                probe.finding(F::UrlInvalid, first);
                probe.fail_step(StepId::Ping, StepText::UrlInvalid, &[], None);
                probe.phase = Phase::Finish;
                return probe;
            }
        };
        let endpoint = match endpoint.dockerhub_v2() {
            Some(v2) => {
                let slots = [("detail", endpoint.url.as_str()), ("url", v2.url.as_str())];
                probe.finding_with(F::DockerhubV1AsV2, &slots);
                probe.validated = Some(endpoint);
                v2
            }
            None => endpoint,
        };
        let field = request
            .repository
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match field.map(|text| read_repository(text, &endpoint)) {
            Some(RepositoryField::Here {
                repository,
                reference,
            }) => {
                probe.repository = Some(repository);
                probe.reference = reference;
            }
            Some(RepositoryField::Elsewhere(domain)) => {
                // Nothing is sent: the repository belongs to another registry.
                let fix = validate_registry_url(&domain, &UrlOptions::default())
                    .endpoint
                    .map_or(domain.clone(), |e| e.url);
                probe.finding_with(
                    F::RepositoryOtherRegistry,
                    &[("detail", &domain), ("url", &fix)],
                );
                probe.fail_step(StepId::Tags, StepText::RepositoryOtherRegistry, &[], None);
                probe.endpoint = Some(endpoint);
                probe.phase = Phase::Finish;
                return probe;
            }
            None => {}
        }
        let origin = origin_of(&endpoint.url);
        let plain_remote = endpoint.scheme == Scheme::Http && !endpoint.is_loopback();
        if env.cors && env.page_protocol == Some(PageProtocol::Https) && plain_remote {
            probe.finding(F::MixedContent, &origin);
            probe.fail_step(StepId::Ping, StepText::MixedContent, &[], None);
            probe.permissions.reach = Status::No;
            probe.phase = Phase::Finish;
        }
        let username = request.username.unwrap_or_default();
        if !username.trim().is_empty() && !probe.ping_only {
            if plain_remote && !scheme_assumed {
                probe.finding(F::InsecureCredentials, &origin);
            } else {
                let password = request.password.unwrap_or_default();
                // The shapes each provider documents, as in the form, plus what only the
                // password tells (an ACR access token).
                let mut shapes = Vec::new();
                check_username(Some(endpoint.provider), &username, &mut shapes);
                shapes.extend(check_password(endpoint.provider, &username, &password));
                for shape in shapes.iter().filter(|d| d.severity == Severity::Warning) {
                    let finding = Finding::from_diagnostic(shape, &probe.messages);
                    probe.findings.push(finding);
                }
                if let Some(now) = env.now_s {
                    probe.credential_expiry(endpoint.provider, &username, &password, now);
                }
                let credentials = (username.trim().to_string(), password);
                if plain_remote {
                    probe.withheld = Some(credentials);
                } else {
                    probe.credentials = Some(credentials);
                }
            }
        }
        probe.endpoint = Some(endpoint);
        probe
    }
}
