//! The connection test as a sans-IO state machine: it decides the next request from the last
//! response and contains no networking code and no clock.
//!
//! ```text
//!            ┌──────────── 200 ─────────────────────────────┐
//!  ping ─────┤ 401 Basic ── auth (retry with credentials) ──┤
//!   │        │ 401 Bearer ─ token ── auth (retry, token) ───┼─> catalog (pages) ─> tags ─> pull ─> done
//!   │        └ 404 ─ /v1/_ping ─ done                       │      (skipped on Docker Hub, GHCR, GitLab)
//!   └ TypeError ─ same URL, mode no-cors: opaque → "blocks CORS"; TypeError → "unreachable"
//! ```
//! The driver loops: [`Probe::poll`] gives [`Action::Send`] (a request) or [`Action::Done`] (the
//! report); it performs the request and calls [`Probe::handle_response`] or
//! [`Probe::handle_failure`] with the elapsed time. Credentials come in with the request and
//! leave only as `Authorization` headers, to the registry's origin and to the token realm its
//! challenge names; never over plain http to a host that is not loopback, and never into the
//! report.

use crate::messages::finding::{Finding, FindingCode as F, PERMISSION_ADVICE};
use crate::protocol::challenge::parse_challenges;
use crate::protocol::link::{parse_next_link, resolve_same_origin};
use crate::protocol::registry_json::{parse_catalog, parse_error_code, parse_tags, parse_token};
use crate::protocol::remote_url::{origin, parse_remote_url};
use crate::url_field::provider::Provider;
use crate::url_field::{
    validate_registry_url, ApiVersion, Endpoint, PageProtocol, Scheme, UrlOptions,
};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Per-request timeout when the caller gives none.
pub const DEFAULT_TIMEOUT_MS: u32 = 8000;
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
/// CORS-simple (no preflight). Multi-platform indexes are not asked for.
pub const MANIFEST_ACCEPT: &str =
    "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json";

/// What to test, as the caller gives it.
#[derive(Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ProbeRequest {
    /// The registry URL as typed (normalized with the URL validator).
    pub url: String,
    /// One-off test username.
    #[serde(default)]
    #[tsify(optional)]
    pub username: Option<String>,
    /// One-off test password; never kept, logged or returned.
    #[serde(default)]
    #[tsify(optional)]
    pub password: Option<String>,
    /// Repository for the tag and pull checks when the catalog cannot be used.
    #[serde(default)]
    #[tsify(optional)]
    pub repository: Option<String>,
    /// Per-request timeout (ms), default 8000.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<u32>,
    /// Catalog pages to read at most, default 10.
    #[serde(default)]
    #[tsify(optional)]
    pub max_catalog_pages: Option<u32>,
    /// Catalog page size (`n`), default 100, at most 1000.
    #[serde(default)]
    #[tsify(optional)]
    pub catalog_page_size: Option<u32>,
    /// Stop after the ping: reachability, API version and auth scheme only (for a quiet
    /// check while the user types). Sends no credentials.
    #[serde(default)]
    #[tsify(optional)]
    pub ping_only: Option<bool>,
}

/// Where the probe runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Environment {
    /// A browser page: CORS applies (Node has none).
    pub cors: bool,
    /// The page's protocol (mixed content).
    pub page_protocol: Option<PageProtocol>,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD.
    Head,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `TypeError` from fetch: refused, unknown host, CORS or a failed preflight.
    Network,
    /// The per-request timeout fired.
    Timeout,
    /// A request with credentials was answered with a redirect, which is not followed.
    Redirect,
}

/// What the driver should do next.
pub enum Action {
    /// Send this request, then call `handle_response` or `handle_failure`.
    Send(HttpRequest),
    /// The probe is over.
    Done(Box<ProbeReport>),
}

/// Overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Reachable, authenticated, and the account can list and pull.
    Ok,
    /// Reachable and authenticated, but some permission is missing or unknown.
    Partial,
    /// Not usable from here.
    Failed,
}

/// A permission's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Confirmed.
    Yes,
    /// Denied.
    No,
    /// Not established.
    Unknown,
}

/// The registry's authentication scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// No authentication needed.
    None,
    /// HTTP Basic.
    Basic,
    /// Bearer tokens from a token service.
    Bearer,
}

/// What the account can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    /// The registry answers.
    pub reach: Status,
    /// The catalog lists images.
    pub list_images: Status,
    /// A repository's tags can be listed.
    pub list_tags: Status,
    /// A manifest can be pulled.
    pub pull: Status,
}

/// The catalog as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct CatalogReport {
    /// Repository names, in the registry's order.
    pub repositories: Vec<String>,
    /// True when the last page was reached.
    pub complete: bool,
    /// Pages read.
    pub pages: u32,
}

/// Tags of the checked repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct TagsReport {
    /// Repository.
    pub repository: String,
    /// Its tags.
    pub tags: Vec<String>,
}

/// A step's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// Under way.
    Running,
    /// Worked.
    Ok,
    /// Worked in part.
    Warn,
    /// Failed.
    Fail,
    /// Not run.
    Skipped,
}

/// One step of the probe: ping, auth, token, catalog, tags or pull.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct ProbeStep {
    /// `ping`, `auth`, `token`, `catalog`, `tags` or `pull`.
    #[tsify(type = "\"ping\" | \"auth\" | \"token\" | \"catalog\" | \"tags\" | \"pull\"")]
    pub id: &'static str,
    /// State.
    pub status: StepStatus,
    /// One sentence.
    pub summary: String,
    /// The last HTTP status seen in this step.
    pub http_status: Option<u16>,
    /// Time spent in this step's requests.
    pub duration_ms: Option<f64>,
}

/// The probe's result.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    /// ok, partial or failed.
    pub verdict: Verdict,
    /// The normalized endpoint.
    pub endpoint: Option<Endpoint>,
    /// API version confirmed by the registry.
    pub api_version: Option<ApiVersion>,
    /// Authentication scheme found.
    pub auth: Option<AuthScheme>,
    /// Permissions.
    pub permissions: Permissions,
    /// Catalog, when read.
    pub catalog: Option<CatalogReport>,
    /// Tags, when read.
    pub tags: Option<TagsReport>,
    /// The six steps, in order.
    pub steps: Vec<ProbeStep>,
    /// What works and what to fix.
    pub findings: Vec<Finding>,
    /// HTTP requests sent (preflights excluded).
    pub requests: u32,
}

const STEP_IDS: [&str; 6] = ["ping", "auth", "token", "catalog", "tags", "pull"];
const PING: usize = 0;
const AUTH: usize = 1;
const TOKEN: usize = 2;
const CATALOG: usize = 3;
const TAGS: usize = 4;
const PULL: usize = 5;
const EXPOSE: &str =
    "Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Ping,
    PingNoCors,
    V1Ping,
    AuthRetry,
    Token {
        scope: String,
        then: Box<Phase>,
    },
    TokenNoCors {
        realm: String,
        scope: String,
        then: Box<Phase>,
    },
    Catalog {
        url: String,
    },
    Tags,
    Pull {
        repository: String,
        tag: String,
    },
    Finish,
}

/// The probe state machine.
pub struct Probe {
    env: Environment,
    endpoint: Option<Endpoint>,
    credentials: Option<(String, String)>,
    repository: Option<String>,
    timeout_ms: u32,
    max_pages: u32,
    phase: Phase,
    in_flight: Option<Phase>,
    auth: Option<AuthScheme>,
    realm: Option<(String, Option<String>)>,
    tokens: Vec<(String, Option<String>)>,
    api_version: Option<ApiVersion>,
    permissions: Permissions,
    catalog: Option<CatalogReport>,
    seen_pages: Vec<String>,
    tags: Option<TagsReport>,
    steps: Vec<ProbeStep>,
    /// Steps changed since the last [`Probe::take_progress`].
    changed: [bool; 6],
    findings: Vec<Finding>,
    hidden: Vec<&'static str>,
    requests: u32,
    auth_ok: bool,
    ping_only: bool,
    page_size: usize,
    link_seen: bool,
}

/// `Basic` credentials (RFC 7617).
fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

/// The token request: the realm with `service` and `scope` added to its query.
fn token_url(realm: &str, service: Option<&str>, scope: &str) -> String {
    let Some(mut url) = parse_remote_url(realm) else {
        return realm.to_string();
    };
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = service {
            query.append_pair("service", service);
        }
        if !scope.is_empty() {
            query.append_pair("scope", scope);
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    url.into()
}

/// Repository names as distribution accepts them (lowercase path components).
fn is_repository(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        })
}

fn is_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric() || b == b'_')
        && tag.len() <= 128
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

fn origin_of(url: &str) -> String {
    parse_remote_url(url).map_or_else(|| url.to_string(), |u| origin(&u))
}

impl Probe {
    /// Starts a probe. Nothing is sent until the first [`Probe::poll`].
    pub fn new(request: ProbeRequest, env: Environment) -> Probe {
        let options = UrlOptions {
            page_protocol: env.page_protocol,
        };
        let check = validate_registry_url(&request.url, &options);
        let mut probe = Probe {
            env,
            endpoint: None,
            credentials: None,
            repository: request
                .repository
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
            timeout_ms: request
                .timeout_ms
                .filter(|t| *t > 0)
                .unwrap_or(DEFAULT_TIMEOUT_MS),
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
            seen_pages: Vec::new(),
            tags: None,
            steps: STEP_IDS
                .iter()
                .map(|id| ProbeStep {
                    id,
                    status: StepStatus::Skipped,
                    summary: "Not run.".into(),
                    http_status: None,
                    duration_ms: None,
                })
                .collect(),
            changed: [false; 6],
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
        };
        let endpoint = match (check.ok, check.endpoint) {
            (true, Some(endpoint)) => endpoint,
            _ => {
                let first = check
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or("", |d| d.message.as_str());
                probe.finding(F::UrlInvalid, first, None);
                probe.fail_step(PING, "The URL is not valid.", None);
                probe.phase = Phase::Finish;
                return probe;
            }
        };
        let origin = origin_of(&endpoint.url);
        let plain_remote = endpoint.scheme == Scheme::Http && !endpoint.is_loopback();
        if env.cors && env.page_protocol == Some(PageProtocol::Https) && plain_remote {
            probe.finding(F::MixedContent, &origin, Some(format!("Use https for the registry, or test the connection through a delegate; {} is only reachable from a page served over http.", origin)));
            probe.fail_step(PING, "Blocked as mixed content before any request.", None);
            probe.permissions.reach = Status::No;
            probe.phase = Phase::Finish;
        }
        let username = request.username.unwrap_or_default();
        if !username.trim().is_empty() && !probe.ping_only {
            if plain_remote {
                probe.finding(
                    F::InsecureCredentials,
                    &origin,
                    Some("Serve the registry over https.".into()),
                );
            } else {
                probe.credentials = Some((
                    username.trim().to_string(),
                    request.password.unwrap_or_default(),
                ));
            }
        }
        probe.endpoint = Some(endpoint);
        probe
    }

    /// The steps that changed since the last call (for progress callbacks).
    pub fn take_progress(&mut self) -> Vec<ProbeStep> {
        let changed = std::mem::take(&mut self.changed);
        self.steps
            .iter()
            .zip(changed)
            .filter(|(_, changed)| *changed)
            .map(|(step, _)| step.clone())
            .collect()
    }

    fn finding(&mut self, code: F, detail: &str, fix: Option<String>) {
        self.findings.push(Finding::new(code, detail, fix));
    }

    fn set_step(&mut self, i: usize, status: StepStatus, summary: &str, http: Option<u16>) {
        if let Some(step) = self.steps.get_mut(i) {
            step.status = status;
            step.summary = summary.to_string();
            if http.is_some() {
                step.http_status = http;
            }
            if let Some(changed) = self.changed.get_mut(i) {
                *changed = true;
            }
        }
    }

    fn fail_step(&mut self, i: usize, summary: &str, http: Option<u16>) {
        self.set_step(i, StepStatus::Fail, summary, http);
    }

    fn add_time(&mut self, i: usize, ms: f64) {
        if let Some(step) = self.steps.get_mut(i) {
            step.duration_ms = Some(step.duration_ms.unwrap_or(0.0) + ms.max(0.0));
        }
    }

    /// A catalog page: `n` and, after the first page, `last` (form-encoded, as distribution
    /// writes it in its own `Link`).
    fn catalog_url(&self, last: Option<&str>) -> String {
        let page = format!("{}/v2/_catalog", self.base());
        let Ok(mut url) = url::Url::parse(&page) else {
            return page;
        };
        url.query_pairs_mut()
            .append_pair("n", &self.page_size.to_string())
            .extend_pairs(last.map(|l| ("last", l)));
        url.into()
    }

    fn base(&self) -> String {
        self.endpoint
            .as_ref()
            .map(|e| e.base_url().to_string())
            .unwrap_or_default()
    }

    fn request(
        &self,
        method: Method,
        url: String,
        headers: Vec<(&'static str, String)>,
        limit: usize,
    ) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers,
            no_cors: false,
            body_limit: limit,
            timeout_ms: self.timeout_ms,
        }
    }

    /// The Authorization header for `scope`; `Err(())` when a token must be fetched first.
    fn authorization(&mut self, scope: &str) -> Result<Vec<(&'static str, String)>, ()> {
        match self.auth {
            Some(AuthScheme::Basic) => Ok(self
                .credentials
                .as_ref()
                .map(|(u, p)| vec![("Authorization", basic(u, p))])
                .unwrap_or_default()),
            Some(AuthScheme::Bearer) => match self.tokens.iter().find(|(s, _)| s == scope) {
                Some((_, Some(token))) => Ok(vec![("Authorization", format!("Bearer {token}"))]),
                Some((_, None)) => Ok(Vec::new()),
                None => Err(()),
            },
            _ => Ok(Vec::new()),
        }
    }

    /// The next request, or the report.
    pub fn poll(&mut self) -> Action {
        loop {
            let phase = std::mem::replace(&mut self.phase, Phase::Finish);
            let request = match &phase {
                Phase::Finish => return Action::Done(Box::new(self.report())),
                Phase::Ping | Phase::PingNoCors => {
                    let url = self
                        .endpoint
                        .as_ref()
                        .map(|e| e.ping_url.clone())
                        .unwrap_or_default();
                    if phase == Phase::Ping {
                        self.set_step(PING, StepStatus::Running, "Contacting the registry.", None);
                    }
                    let mut r = self.request(Method::Get, url, Vec::new(), ERROR_BODY_LIMIT);
                    r.no_cors = phase == Phase::PingNoCors;
                    r
                }
                Phase::V1Ping => self.request(
                    Method::Get,
                    format!("{}/v1/_ping", self.base()),
                    Vec::new(),
                    ERROR_BODY_LIMIT,
                ),
                Phase::AuthRetry => match self.authorization("") {
                    Ok(headers) => {
                        self.set_step(AUTH, StepStatus::Running, "Checking the credentials.", None);
                        let url = self
                            .endpoint
                            .as_ref()
                            .map(|e| e.ping_url.clone())
                            .unwrap_or_default();
                        self.request(Method::Get, url, headers, ERROR_BODY_LIMIT)
                    }
                    Err(()) => {
                        self.phase = Phase::Token {
                            scope: String::new(),
                            then: Box::new(Phase::AuthRetry),
                        };
                        continue;
                    }
                },
                Phase::Token { scope, .. } => {
                    let Some((realm, service)) = self.realm.clone() else {
                        self.phase = Phase::Finish;
                        continue;
                    };
                    let url = token_url(&realm, service.as_deref(), scope);
                    self.set_step(
                        TOKEN,
                        StepStatus::Running,
                        "Asking the token service for a token.",
                        None,
                    );
                    let headers = match &self.credentials {
                        Some((u, p)) => vec![("Authorization", basic(u, p))],
                        None => Vec::new(),
                    };
                    self.request(Method::Get, url, headers, TOKEN_BODY_LIMIT)
                }
                Phase::TokenNoCors { realm, .. } => {
                    let mut r = self.request(Method::Get, realm.clone(), Vec::new(), 0);
                    r.no_cors = true;
                    r
                }
                Phase::Catalog { url } => match self.authorization("registry:catalog:*") {
                    Ok(headers) => {
                        self.set_step(CATALOG, StepStatus::Running, "Listing images.", None);
                        self.request(Method::Get, url.clone(), headers, LIST_BODY_LIMIT)
                    }
                    Err(()) => {
                        self.phase = Phase::Token {
                            scope: "registry:catalog:*".into(),
                            then: Box::new(phase),
                        };
                        continue;
                    }
                },
                Phase::Tags => {
                    let chosen = self.repository.clone().or_else(|| {
                        self.catalog
                            .as_ref()
                            .and_then(|c| c.repositories.iter().find(|r| is_repository(r)).cloned())
                    });
                    let Some(repository) = chosen else {
                        self.finding(F::NoRepository, "", Some("Enter a repository (for example library/alpine) to check tags and pulling.".into()));
                        self.set_step(TAGS, StepStatus::Skipped, "No repository to check.", None);
                        self.set_step(PULL, StepStatus::Skipped, "No repository to check.", None);
                        continue;
                    };
                    if !is_repository(&repository) {
                        self.finding(F::RepositoryInvalid, "", None);
                        self.fail_step(TAGS, "The repository name is not valid.", None);
                        continue;
                    }
                    match self.authorization(&format!("repository:{repository}:pull")) {
                        Ok(headers) => {
                            self.set_step(
                                TAGS,
                                StepStatus::Running,
                                &format!("Listing the tags of {repository}."),
                                None,
                            );
                            self.repository = Some(repository.clone());
                            self.request(
                                Method::Get,
                                format!("{}/v2/{repository}/tags/list", self.base()),
                                headers,
                                LIST_BODY_LIMIT,
                            )
                        }
                        Err(()) => {
                            self.repository = Some(repository.clone());
                            self.phase = Phase::Token {
                                scope: format!("repository:{repository}:pull"),
                                then: Box::new(Phase::Tags),
                            };
                            continue;
                        }
                    }
                }
                Phase::Pull { repository, tag } => {
                    match self.authorization(&format!("repository:{repository}:pull")) {
                        Ok(mut headers) => {
                            self.set_step(
                                PULL,
                                StepStatus::Running,
                                &format!("Checking that {repository}:{tag} can be pulled."),
                                None,
                            );
                            headers.push(("Accept", MANIFEST_ACCEPT.to_string()));
                            self.request(
                                Method::Head,
                                format!("{}/v2/{repository}/manifests/{tag}", self.base()),
                                headers,
                                0,
                            )
                        }
                        Err(()) => {
                            let scope = format!("repository:{repository}:pull");
                            self.phase = Phase::Token {
                                scope,
                                then: Box::new(phase),
                            };
                            continue;
                        }
                    }
                }
            };
            self.in_flight = Some(phase);
            self.requests += 1;
            return Action::Send(request);
        }
    }

    /// What the phase after authentication is.
    fn after_auth(&mut self) -> Phase {
        let provider = self
            .endpoint
            .as_ref()
            .map_or(Provider::Other, |e| e.provider);
        if self
            .endpoint
            .as_ref()
            .is_some_and(|e| e.api_version == ApiVersion::V1)
        {
            return Phase::Finish;
        }
        if matches!(
            provider,
            Provider::Dockerhub | Provider::Ghcr | Provider::Gitlab
        ) {
            let name = provider.display_name();
            self.finding(F::CatalogUnavailable, name, None);
            self.set_step(
                CATALOG,
                StepStatus::Skipped,
                &format!("{name} offers no catalog listing."),
                None,
            );
            return Phase::Tags;
        }
        Phase::Catalog {
            url: self.catalog_url(None),
        }
    }

    fn registry_error(&mut self, step: usize, response: &HttpResponse) {
        let code = parse_error_code(&response.body)
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let detail = format!("HTTP {}{code}", response.status);
        self.finding(F::ServerError, &detail, None);
        self.fail_step(
            step,
            &format!("The registry answered {detail}."),
            Some(response.status),
        );
    }

    /// Feeds the response to the request last given by [`Probe::poll`].
    pub fn handle_response(&mut self, response: HttpResponse, elapsed_ms: f64) {
        let Some(phase) = self.in_flight.take() else {
            return;
        };
        let status = response.status;
        self.phase = match phase {
            Phase::Ping => {
                self.add_time(PING, elapsed_ms);
                self.permissions.reach = Status::Yes;
                if self.env.cors
                    && matches!(status, 200 | 401)
                    && response.header("docker-distribution-api-version").is_none()
                {
                    self.hidden.push("Docker-Distribution-Api-Version");
                }
                let next = self.on_ping(&response);
                if self.ping_only && next != Phase::V1Ping {
                    Phase::Finish
                } else {
                    next
                }
            }
            Phase::PingNoCors => {
                self.add_time(PING, elapsed_ms);
                let origin = origin_of(&self.base());
                self.permissions.reach = Status::Yes;
                self.finding(F::CorsBlocked, &origin, Some(format!(
                    "Add Access-Control-Allow-Origin (this page's origin or *), Access-Control-Allow-Methods: GET, HEAD, OPTIONS, Access-Control-Allow-Headers: Authorization, Accept and Access-Control-Expose-Headers: {EXPOSE} to the registry's responses, or test through a delegate."
                )));
                self.fail_step(
                    PING,
                    "The registry answers but blocks cross-origin requests from this page.",
                    None,
                );
                Phase::Finish
            }
            Phase::V1Ping => {
                self.add_time(PING, elapsed_ms);
                if status == 200 {
                    let fix = format!("{}/v1/", self.base());
                    self.finding(F::V1Only, "", Some(fix));
                    self.fail_step(PING, "Only the v1 API answers.", Some(404));
                } else {
                    let origin = origin_of(&self.base());
                    self.finding(F::NotARegistry, &origin, Some("Check the URL: it should point at the registry's API, not its web page.".into()));
                    self.fail_step(PING, "No registry API answers at this URL.", Some(404));
                }
                Phase::Finish
            }
            Phase::AuthRetry => {
                self.add_time(AUTH, elapsed_ms);
                match status {
                    200 => {
                        self.auth_ok = true;
                        let how = if self.auth == Some(AuthScheme::Bearer) {
                            "The token works."
                        } else {
                            "The credentials work."
                        };
                        self.set_step(AUTH, StepStatus::Ok, how, Some(200));
                        self.after_auth()
                    }
                    401 | 403 => {
                        self.finding(F::CredentialsRejected, "", Some("Check the username and password (or token) and that the account is enabled.".into()));
                        self.fail_step(AUTH, "The credentials were rejected.", Some(status));
                        Phase::Finish
                    }
                    _ => {
                        self.registry_error(AUTH, &response);
                        Phase::Finish
                    }
                }
            }
            Phase::Token { scope, then } => {
                self.add_time(TOKEN, elapsed_ms);
                let realm = self
                    .realm
                    .as_ref()
                    .map(|(r, _)| origin_of(r))
                    .unwrap_or_default();
                let token = (status == 200)
                    .then(|| parse_token(&response.body))
                    .flatten();
                let got = token.is_some();
                self.tokens.push((scope.clone(), token));
                if got {
                    self.set_step(
                        TOKEN,
                        StepStatus::Ok,
                        &format!("Got a token from {realm}."),
                        Some(status),
                    );
                    *then
                } else {
                    if status == 401 || status == 403 {
                        if self.credentials.is_some() && scope.is_empty() {
                            self.finding(F::CredentialsRejected, "", Some("Check the username and password and that the account is enabled.".into()));
                        } else if scope.is_empty() {
                            self.finding(F::TokenDenied, &realm, Some("Enter a username and password: the token service does not serve anonymous users.".into()));
                        }
                    } else {
                        self.finding(F::TokenInvalid, &realm, None);
                    }
                    self.fail_step(TOKEN, "No token was issued.", Some(status));
                    if scope.is_empty() {
                        self.fail_step(AUTH, "Authentication failed.", None);
                        Phase::Finish
                    } else {
                        *then
                    }
                }
            }
            Phase::TokenNoCors { realm, scope, then } => {
                self.add_time(TOKEN, elapsed_ms);
                let origin = origin_of(&realm);
                self.finding(F::TokenCorsBlocked, &origin, Some(format!("Add CORS headers to the token service at {origin} (Access-Control-Allow-Origin, and Access-Control-Allow-Headers: Authorization), answering OPTIONS, or test through a delegate.")));
                self.fail_step(
                    TOKEN,
                    "The token service blocks cross-origin requests.",
                    None,
                );
                self.tokens.push((scope.clone(), None));
                if scope.is_empty() {
                    self.fail_step(AUTH, "No token, so no authentication.", None);
                    Phase::Finish
                } else {
                    *then
                }
            }
            Phase::Catalog { url } => {
                self.add_time(CATALOG, elapsed_ms);
                self.on_catalog(url, &response)
            }
            Phase::Tags => {
                self.add_time(TAGS, elapsed_ms);
                self.on_tags(&response)
            }
            Phase::Pull { repository, tag } => {
                self.add_time(PULL, elapsed_ms);
                let name = format!("{repository}:{tag}");
                match status {
                    200 => {
                        self.permissions.pull = Status::Yes;
                        self.set_step(
                            PULL,
                            StepStatus::Ok,
                            &format!("{name} can be pulled."),
                            Some(200),
                        );
                    }
                    401 | 403 => {
                        self.permissions.pull = Status::No;
                        self.finding(F::PullDenied, &name, Some(PERMISSION_ADVICE.into()));
                        self.fail_step(PULL, &format!("{name} cannot be pulled."), Some(status));
                    }
                    404 => {
                        self.finding(F::ManifestNotFound, &name, None);
                        self.set_step(
                            PULL,
                            StepStatus::Warn,
                            "The manifest was not found.",
                            Some(404),
                        );
                    }
                    _ => self.registry_error(PULL, &response),
                }
                Phase::Finish
            }
            Phase::Finish => Phase::Finish,
        };
    }

    fn on_ping(&mut self, response: &HttpResponse) -> Phase {
        let status = response.status;
        let version = self
            .endpoint
            .as_ref()
            .map_or(ApiVersion::V2, |e| e.api_version);
        match status {
            200 => {
                self.api_version = Some(version);
                self.auth = Some(AuthScheme::None);
                self.auth_ok = true;
                self.set_step(
                    PING,
                    StepStatus::Ok,
                    &format!("The registry answers (API {}).", version.as_str()),
                    Some(200),
                );
                self.set_step(
                    AUTH,
                    StepStatus::Skipped,
                    "No authentication is required.",
                    None,
                );
                if self.credentials.take().is_some() {
                    self.finding(F::AnonymousAccess, "", None);
                }
                self.after_auth()
            }
            401 => {
                self.api_version = Some(version);
                let Some(header) = response.header("www-authenticate") else {
                    self.finding(F::ChallengeHidden, "", Some(format!("Add Access-Control-Expose-Headers: {EXPOSE} to the registry's responses.")));
                    self.set_step(
                        PING,
                        StepStatus::Warn,
                        "The registry answers and asks for authentication.",
                        Some(401),
                    );
                    self.fail_step(
                        AUTH,
                        "The authentication scheme is hidden from this page.",
                        None,
                    );
                    return Phase::Finish;
                };
                let challenges = parse_challenges(header);
                let bearer = challenges.iter().find(|c| c.scheme == "bearer");
                let basic = challenges.iter().any(|c| c.scheme == "basic");
                if let Some(bearer) = bearer {
                    self.auth = Some(AuthScheme::Bearer);
                    self.set_step(
                        PING,
                        StepStatus::Ok,
                        &format!(
                            "The registry answers (API {}) and uses token authentication.",
                            version.as_str()
                        ),
                        Some(401),
                    );
                    let realm = bearer.param("realm").and_then(parse_remote_url);
                    let Some(realm) = realm else {
                        self.finding(F::ChallengeInvalid, "", None);
                        self.fail_step(AUTH, "The token challenge is unusable.", None);
                        return Phase::Finish;
                    };
                    let realm_loopback =
                        crate::url_field::host::is_loopback(realm.host_str().unwrap_or_default());
                    // A plain-http realm that is not loopback is never contacted: it would see
                    // the credentials, or hand out a token for an https registry in the clear.
                    let registry_https = self
                        .endpoint
                        .as_ref()
                        .is_some_and(|e| e.scheme == Scheme::Https);
                    if realm.scheme() != "https"
                        && !realm_loopback
                        && (self.credentials.is_some() || registry_https)
                    {
                        self.finding(
                            F::TokenRealmInsecure,
                            &origin(&realm),
                            Some("Configure the registry's token realm with https.".into()),
                        );
                        self.fail_step(AUTH, "The token service is not safe to use.", None);
                        return Phase::Finish;
                    }
                    self.realm = Some((realm.into(), bearer.param("service").map(str::to_string)));
                    Phase::Token {
                        scope: String::new(),
                        then: Box::new(Phase::AuthRetry),
                    }
                } else if basic {
                    self.auth = Some(AuthScheme::Basic);
                    self.set_step(
                        PING,
                        StepStatus::Ok,
                        &format!(
                            "The registry answers (API {}) and uses Basic authentication.",
                            version.as_str()
                        ),
                        Some(401),
                    );
                    if self.credentials.is_some() {
                        Phase::AuthRetry
                    } else {
                        self.finding(F::AuthRequired, "", Some("Enter the username and password of an account that can read the repositories.".into()));
                        self.fail_step(AUTH, "Credentials are required.", None);
                        Phase::Finish
                    }
                } else {
                    let schemes: Vec<&str> = challenges
                        .iter()
                        .map(|c| c.scheme.as_str())
                        .take(3)
                        .collect();
                    let detail = if schemes.is_empty() {
                        "none".to_string()
                    } else {
                        schemes.join(", ")
                    };
                    self.finding(F::ChallengeUnsupported, &detail, None);
                    self.fail_step(AUTH, "Unsupported authentication scheme.", None);
                    Phase::Finish
                }
            }
            404 if version == ApiVersion::V2 => {
                self.set_step(
                    PING,
                    StepStatus::Warn,
                    "There is no /v2/ endpoint at this URL.",
                    Some(404),
                );
                Phase::V1Ping
            }
            404 => {
                let origin = origin_of(&self.base());
                self.finding(F::NotARegistry, &origin, None);
                self.fail_step(PING, "No registry API answers at this URL.", Some(404));
                Phase::Finish
            }
            _ => {
                self.registry_error(PING, response);
                Phase::Finish
            }
        }
    }

    fn on_catalog(&mut self, url: String, response: &HttpResponse) -> Phase {
        let provider = self
            .endpoint
            .as_ref()
            .map_or(Provider::Other, |e| e.provider);
        match response.status {
            200 => {}
            401 | 403 => {
                self.permissions.list_images = Status::No;
                self.finding(F::CatalogDenied, "", Some(PERMISSION_ADVICE.into()));
                if provider == Provider::Harbor {
                    self.finding(F::HarborCatalogAdmin, "", None);
                }
                self.set_step(
                    CATALOG,
                    StepStatus::Fail,
                    "The account cannot list images.",
                    Some(response.status),
                );
                return Phase::Tags;
            }
            404 => {
                self.finding(F::CatalogUnsupported, "", None);
                self.set_step(
                    CATALOG,
                    StepStatus::Warn,
                    "The catalog API is not offered.",
                    Some(404),
                );
                return Phase::Tags;
            }
            _ => {
                self.registry_error(CATALOG, response);
                return Phase::Tags;
            }
        }
        let Some(page) = parse_catalog(&response.body) else {
            self.finding(F::CatalogInvalid, "", None);
            self.set_step(
                CATALOG,
                StepStatus::Warn,
                "The catalog answer could not be read.",
                Some(200),
            );
            return Phase::Tags;
        };
        self.permissions.list_images = Status::Yes;
        self.seen_pages.push(url);
        let full_page = page.len() >= self.page_size;
        let last = page.last().cloned();
        let catalog = self.catalog.get_or_insert(CatalogReport {
            repositories: Vec::new(),
            complete: false,
            pages: 0,
        });
        catalog.pages += 1;
        let room = MAX_REPOSITORIES.saturating_sub(catalog.repositories.len());
        catalog.repositories.extend(page.into_iter().take(room));
        let (pages, count) = (catalog.pages, catalog.repositories.len());
        let endpoint_url = self
            .endpoint
            .as_ref()
            .map(|e| e.url.clone())
            .unwrap_or_default();
        self.link_seen |= response.header("link").is_some();
        let next = match response.header("link").and_then(parse_next_link) {
            Some(target) => match resolve_same_origin(&endpoint_url, &target) {
                Some(next) if self.seen_pages.contains(&next) => {
                    self.finding(
                        F::CatalogLinkIgnored,
                        "points back to a page already read",
                        None,
                    );
                    None
                }
                Some(next) => Some(next),
                None => {
                    self.finding(F::CatalogLinkIgnored, "leaves the registry's origin", None);
                    None
                }
            },
            // The page is full but no Link is readable: CORS may hide it, so continue with
            // `last` — unless an earlier page showed a Link, which makes this the last page.
            None if full_page && self.env.cors && !self.link_seen => {
                if !self.hidden.contains(&"Link") {
                    self.hidden.push("Link");
                }
                last.map(|l| self.catalog_url(Some(&l)))
                    .filter(|n| !self.seen_pages.contains(n))
            }
            None => None,
        };
        let summary = format!("Listed {count} images in {pages} page(s).");
        match next {
            Some(url) if pages < self.max_pages => {
                self.set_step(CATALOG, StepStatus::Running, &summary, Some(200));
                Phase::Catalog { url }
            }
            Some(_) => {
                self.finding(F::CatalogTruncated, &pages.to_string(), None);
                self.set_step(CATALOG, StepStatus::Ok, &summary, Some(200));
                Phase::Tags
            }
            None => {
                let complete = !self
                    .findings
                    .iter()
                    .any(|f| f.code == F::CatalogLinkIgnored.code());
                if let Some(c) = self.catalog.as_mut() {
                    c.complete = complete;
                }
                if count == 0 {
                    if provider == Provider::Quay && self.credentials.is_none() {
                        self.finding(F::QuayAnonymous, "", None);
                    } else {
                        self.finding(F::CatalogEmpty, "", Some(PERMISSION_ADVICE.into()));
                    }
                    self.set_step(
                        CATALOG,
                        StepStatus::Warn,
                        "The catalog is empty.",
                        Some(200),
                    );
                } else {
                    self.set_step(CATALOG, StepStatus::Ok, &summary, Some(200));
                }
                Phase::Tags
            }
        }
    }

    fn on_tags(&mut self, response: &HttpResponse) -> Phase {
        let repository = self.repository.clone().unwrap_or_default();
        match response.status {
            200 => match parse_tags(&response.body) {
                Some(mut tags) => {
                    tags.truncate(MAX_TAGS);
                    self.permissions.list_tags = Status::Yes;
                    self.set_step(
                        TAGS,
                        StepStatus::Ok,
                        &format!("{repository} has {} tag(s).", tags.len()),
                        Some(200),
                    );
                    let tag = tags
                        .iter()
                        .find(|t| *t == "latest")
                        .or_else(|| tags.iter().find(|t| is_tag(t)))
                        .cloned();
                    self.tags = Some(TagsReport {
                        repository: repository.clone(),
                        tags,
                    });
                    match tag {
                        Some(tag) => Phase::Pull { repository, tag },
                        None => {
                            self.finding(F::NoTags, &repository, None);
                            Phase::Finish
                        }
                    }
                }
                None => {
                    self.registry_error(TAGS, response);
                    Phase::Finish
                }
            },
            401 | 403 => {
                self.permissions.list_tags = Status::No;
                self.finding(F::TagsDenied, &repository, Some(PERMISSION_ADVICE.into()));
                self.fail_step(
                    TAGS,
                    &format!("The tags of {repository} cannot be listed."),
                    Some(response.status),
                );
                // Pulling may still be allowed: check the usual tag.
                Phase::Pull {
                    repository,
                    tag: "latest".into(),
                }
            }
            404 => {
                self.finding(
                    F::RepositoryNotFound,
                    &repository,
                    Some("Check the repository name.".into()),
                );
                self.set_step(
                    TAGS,
                    StepStatus::Warn,
                    &format!("{repository} was not found."),
                    Some(404),
                );
                Phase::Finish
            }
            _ => {
                self.registry_error(TAGS, response);
                Phase::Finish
            }
        }
    }

    /// Feeds a failure of the request last given by [`Probe::poll`].
    pub fn handle_failure(&mut self, failure: Failure, elapsed_ms: f64) {
        let Some(phase) = self.in_flight.take() else {
            return;
        };
        let origin = origin_of(&self.base());
        let timeout = format!("{origin} (after {} ms)", self.timeout_ms);
        self.phase = match (phase, failure) {
            (phase, Failure::Redirect) => {
                let step = match phase {
                    Phase::Catalog { .. } => CATALOG,
                    Phase::Tags => TAGS,
                    Phase::Pull { .. } => PULL,
                    Phase::Token { .. } | Phase::TokenNoCors { .. } => TOKEN,
                    Phase::AuthRetry => AUTH,
                    _ => PING,
                };
                self.add_time(step, elapsed_ms);
                self.finding(F::RedirectRefused, "", None);
                self.fail_step(
                    step,
                    "The registry redirected a request that carried credentials.",
                    None,
                );
                Phase::Finish
            }
            (Phase::Ping, Failure::Network) if self.env.cors => {
                self.add_time(PING, elapsed_ms);
                Phase::PingNoCors
            }
            (Phase::Ping | Phase::PingNoCors | Phase::V1Ping, Failure::Network) => {
                self.add_time(PING, elapsed_ms);
                self.permissions.reach = Status::No;
                self.finding(F::Unreachable, &origin, Some("Check the host name and port, and that this computer can reach the registry (network, VPN, proxy).".into()));
                self.fail_step(PING, "Nothing answered.", None);
                Phase::Finish
            }
            (Phase::Ping | Phase::PingNoCors | Phase::V1Ping, Failure::Timeout) => {
                self.add_time(PING, elapsed_ms);
                self.permissions.reach = Status::No;
                self.finding(F::Timeout, &timeout, Some("Check that the host and port are right and the registry is running; a firewall may be dropping the connection.".into()));
                self.fail_step(PING, "No answer in time.", None);
                Phase::Finish
            }
            (Phase::AuthRetry, failure) => {
                self.add_time(AUTH, elapsed_ms);
                if failure == Failure::Timeout {
                    self.finding(F::Timeout, &timeout, None);
                } else {
                    self.finding(F::PreflightRejected, "", Some("Put a proxy in front of the registry that answers OPTIONS itself (204 with the CORS headers), such as nginx, or test the connection through a delegate.".into()));
                }
                self.fail_step(
                    AUTH,
                    "The request with credentials could not be sent from this page.",
                    None,
                );
                Phase::Finish
            }
            (Phase::Token { scope, then }, failure) => {
                self.add_time(TOKEN, elapsed_ms);
                let realm = self
                    .realm
                    .as_ref()
                    .map(|(r, _)| r.clone())
                    .unwrap_or_default();
                if failure == Failure::Network && self.env.cors {
                    Phase::TokenNoCors { realm, scope, then }
                } else {
                    let realm_origin = origin_of(&realm);
                    if failure == Failure::Timeout {
                        self.finding(F::Timeout, &realm_origin, None);
                    } else {
                        self.finding(F::TokenUnreachable, &realm_origin, None);
                    }
                    self.fail_step(TOKEN, "The token service did not answer.", None);
                    self.tokens.push((scope.clone(), None));
                    if scope.is_empty() {
                        Phase::Finish
                    } else {
                        *then
                    }
                }
            }
            (Phase::TokenNoCors { realm, scope, then }, _) => {
                self.add_time(TOKEN, elapsed_ms);
                self.finding(F::TokenUnreachable, &origin_of(&realm), None);
                self.fail_step(TOKEN, "The token service did not answer.", None);
                self.tokens.push((scope.clone(), None));
                if scope.is_empty() {
                    Phase::Finish
                } else {
                    *then
                }
            }
            (phase @ (Phase::Catalog { .. } | Phase::Tags | Phase::Pull { .. }), failure) => {
                let (step, name, next) = match phase {
                    Phase::Catalog { .. } => (CATALOG, "catalog", Phase::Tags),
                    Phase::Tags => (TAGS, "tags", Phase::Finish),
                    _ => (PULL, "manifest", Phase::Finish),
                };
                self.add_time(step, elapsed_ms);
                if failure == Failure::Timeout {
                    self.finding(F::Timeout, &timeout, None);
                } else if self.env.cors {
                    self.finding(F::CorsBlockedPath, name, Some(format!("Make the registry (or its proxy) add the CORS headers to every response, errors included, and expose {EXPOSE}.")));
                } else {
                    self.finding(F::Unreachable, &origin, None);
                }
                self.fail_step(step, "The request failed.", None);
                next
            }
            (Phase::Finish, _) => Phase::Finish,
        };
    }

    fn report(&mut self) -> ProbeReport {
        if self.env.cors && !self.hidden.is_empty() {
            let list = self.hidden.join(" and ");
            self.finding(
                F::CorsHeadersHidden,
                &list,
                Some(format!(
                    "Add Access-Control-Expose-Headers: {EXPOSE} to the registry's responses."
                )),
            );
        }
        let provider = self
            .endpoint
            .as_ref()
            .map_or(Provider::Other, |e| e.provider);
        let no_catalog = matches!(
            provider,
            Provider::Dockerhub | Provider::Ghcr | Provider::Gitlab
        );
        let p = self.permissions;
        let verdict = if p.reach != Status::Yes || !self.auth_ok {
            Verdict::Failed
        } else if (p.list_images == Status::Yes || (no_catalog && p.list_images == Status::Unknown))
            && p.list_tags == Status::Yes
            && p.pull == Status::Yes
        {
            Verdict::Ok
        } else {
            Verdict::Partial
        };
        ProbeReport {
            verdict,
            endpoint: self.endpoint.clone(),
            api_version: self.api_version,
            auth: self.auth,
            permissions: self.permissions,
            catalog: self.catalog.clone(),
            tags: self.tags.clone(),
            steps: self.steps.clone(),
            findings: self.findings.clone(),
            requests: self.requests,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{basic, token_url};

    #[test]
    fn basic_is_rfc7617() {
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn token_url_adds_service_and_scope() {
        assert_eq!(
            token_url(
                "https://auth.example/token?x=1",
                Some("reg istry"),
                "repository:a/b:pull"
            ),
            "https://auth.example/token?x=1&service=reg+istry&scope=repository%3Aa%2Fb%3Apull"
        );
        assert_eq!(
            token_url("https://auth.example/token", None, ""),
            "https://auth.example/token"
        );
    }
}
