//! Validation and normalization of the Docker Registry URL field, keystroke by keystroke.
//!
//! ```text
//! field    := [scheme "://"] host [":" port] [prefix] [version [api-path]] ["?" query] ["#" fragment]
//! scheme   := "https" | "http"                 ; missing: https, or http for loopback hosts
//! version  := "/v2" | "/v1"                    ; any case; missing: /v2
//! canonical url := scheme "://" host [":" port] prefix "/" version "/"
//! ```
//! A pasted API path (`/v2/_catalog`, `/v2/<name>/tags/list`, `/v1/_ping`, …) is trimmed back to
//! the base. On single-host providers (see [`crate::url_field::provider`]) a path is a namespace, not a
//! prefix. Errors block saving; warnings and infos say what was rewritten or is risky. The
//! endpoint is derived whenever possible, even beside errors: when the text itself cannot give
//! one, the endpoint is the one the first error's fix would give.

pub(crate) mod host;
pub(crate) mod image_reference;
mod parser;
pub(crate) mod provider;
mod syntax;

use crate::messages::diagnostic::{Code, Diagnostic};
use crate::url_field::provider::Provider;
use parser::Parser;
use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Registry API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// The legacy v1 API (`/v1/_ping`).
    V1,
    /// The Docker Registry HTTP API V2 / OCI distribution API (`/v2/`).
    V2,
}

impl ApiVersion {
    /// `"v1"` or `"v2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

/// URL scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// TLS.
    Https,
    /// Plain HTTP: loopback and private networks only, in practice.
    Http,
}

impl Scheme {
    /// `"https"` or `"http"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// The protocol of the page the check runs in (decides mixed-content warnings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub enum PageProtocol {
    /// `https:`
    #[serde(rename = "https:")]
    Https,
    /// `http:`
    #[serde(rename = "http:")]
    Http,
}

/// Options for [`validate_registry_url`].
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UrlOptions {
    /// The page's `location.protocol`; `https:` warns about http registries (mixed content).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub page_protocol: Option<PageProtocol>,
}

/// A registry endpoint derived from the URL field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Canonical connector URL, e.g. `https://index.docker.io/v2/`.
    pub url: String,
    /// API version.
    pub api_version: ApiVersion,
    /// Scheme.
    pub scheme: Scheme,
    /// Lowercase ASCII host (punycode); IPv6 in brackets.
    pub host: String,
    /// Port; `None` means the scheme's default.
    pub port: Option<u16>,
    /// Path before the version, e.g. `/artifactory/api/docker/docker-local`, or empty.
    pub path_prefix: String,
    /// The provider the host belongs to.
    pub provider: Provider,
    /// A namespace typed after a single-host provider (`acme` of `ghcr.io/acme`): a hint only.
    pub namespace: Option<String>,
    /// `<base>/v2/` or `<base>/v1/_ping`.
    pub ping_url: String,
}

impl Endpoint {
    /// The URL up to the version path, e.g. `https://host:5000/prefix`.
    pub fn base_url(&self) -> &str {
        let cut = self.url.len().saturating_sub(4);
        self.url.get(..cut).unwrap_or(&self.url)
    }

    /// True for `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        crate::url_field::host::is_loopback(&self.host)
    }

    /// The same endpoint over the other scheme (the same host, port and path; a default port
    /// stays the new scheme's default).
    pub fn with_other_scheme(&self) -> Option<Endpoint> {
        let (_, rest) = self.url.split_once("://")?;
        let other = match self.scheme {
            Scheme::Https => Scheme::Http,
            Scheme::Http => Scheme::Https,
        };
        let again = validate_registry_url(
            &format!("{}://{rest}", other.as_str()),
            &UrlOptions::default(),
        );
        let endpoint = again.endpoint.filter(|_| again.ok)?;
        Some(Endpoint {
            namespace: self.namespace.clone(),
            ..endpoint
        })
    }

    /// For Docker Hub's v1 URL (`https://index.docker.io/v1/`, what `docker info` prints and
    /// `docker login` writes), the endpoint a check talks to: the same host's v2 API. Docker
    /// retired Hub's v1 registry API in 2019, and docker itself reads that URL as Docker Hub and
    /// speaks v2 to it (../shared/providers.md §1.10). `None` for every other endpoint.
    pub fn dockerhub_v2(&self) -> Option<Endpoint> {
        if self.provider != Provider::Dockerhub || self.api_version != ApiVersion::V1 {
            return None;
        }
        let url = format!("{}/v2/", self.base_url());
        Some(Endpoint {
            api_version: ApiVersion::V2,
            ping_url: url.clone(),
            url,
            ..self.clone()
        })
    }

    /// Invariant check for tests: the canonical URL normalizes to this same endpoint, error-free.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        let again = validate_registry_url(&self.url, &UrlOptions::default());
        if let Some(error) = again.diagnostics.iter().find(|d| d.is_error()) {
            return Err(format!(
                "{} re-validates with error {}",
                self.url, error.code
            ));
        }
        let expected = Endpoint {
            namespace: None,
            ..self.clone()
        };
        match again.endpoint {
            Some(endpoint) if endpoint == expected => Ok(()),
            other => Err(format!("{} re-normalizes to {other:?}", self.url)),
        }
    }
}

/// The result of checking the URL field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct UrlCheck {
    /// True when no diagnostic is an error.
    pub ok: bool,
    /// The endpoint, whenever one can be derived (also beside errors, to offer a fix).
    pub endpoint: Option<Endpoint>,
    /// Errors, warnings and infos, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The URL a quiet ping (or Test connection) may use: the endpoint's canonical URL when the
    /// field has no error, else null.
    pub ping_url: Option<String>,
    /// No scheme was typed: the endpoint's is assumed (`url-scheme-assumed`,
    /// `url-scheme-http-private`), so a probe may try the other one.
    #[serde(skip)]
    pub scheme_assumed: bool,
}

/// Whether `host` is this machine: 127.0.0.0/8, `::1` (also IPv4-mapped), `localhost` and
/// `*.localhost`, in any spelling the WHATWG host parser reads (`[::1]`, `0x7f.1`, …). The one
/// loopback rule: the URL field, the probe and the JS shell (`isLoopbackHost`) all use it.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    host::is_loopback(host) || bare.is_some_and(host::is_loopback)
}

/// Validates and normalizes a registry URL as typed. Never panics; invalid input is a result.
///
/// ```
/// use registry_probe::{validate_registry_url, UrlOptions};
/// let check = validate_registry_url("docker.io", &UrlOptions::default());
/// assert!(check.ok);
/// assert_eq!(check.endpoint.unwrap().url, "https://index.docker.io/v2/");
/// ```
pub fn validate_registry_url(input: &str, options: &UrlOptions) -> UrlCheck {
    check(input, options, 0)
}

/// An endpoint URL as the WHATWG URL standard serializes it (the `url` crate).
fn endpoint_url(scheme: Scheme, host: &str, port: Option<u16>, path: &str) -> Option<url::Url> {
    let mut url = url::Url::parse(&format!("{}://{host}", scheme.as_str())).ok()?;
    url.set_port(port).ok()?;
    url.set_path(path);
    Some(url)
}

/// How many times a fix's own value is validated to find the endpoint (fixes are final in one).
const MAX_FIX_DEPTH: u8 = 2;

fn check(input: &str, options: &UrlOptions, depth: u8) -> UrlCheck {
    let mut diagnostics = Vec::new();
    let parsed = Parser {
        input,
        options,
        depth,
        diags: &mut diagnostics,
    }
    .parse();
    crate::messages::diagnostic::sort_by_start(&mut diagnostics);
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let endpoint = parsed.or_else(|| {
        let fix = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .find_map(|d| d.fix.as_ref())?;
        (depth < MAX_FIX_DEPTH)
            .then(|| check(&fix.value, options, depth + 1).endpoint)
            .flatten()
    });
    let ping_url = endpoint.as_ref().filter(|_| ok).map(|e| e.url.clone());
    let scheme_assumed = diagnostics
        .iter()
        .any(|d| matches!(d.code, Code::UrlSchemeAssumed | Code::UrlSchemeHttpPrivate));
    UrlCheck {
        ok,
        endpoint,
        diagnostics,
        ping_url,
        scheme_assumed,
    }
}
