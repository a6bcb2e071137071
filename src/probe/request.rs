//! What goes into the probe and between it and the driver: the caller's request, the
//! environment, the HTTP requests it asks for and the responses or failures it is fed, and the
//! bounds it keeps to.

use super::report::ProbeReport;
use crate::url_field::PageProtocol;
use serde::Deserialize;
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
