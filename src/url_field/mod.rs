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
pub(crate) mod provider;

use crate::messages::diagnostic::{Code, Diagnostic};
use crate::url_field::host::{parse_host, quote_char, Host};
use crate::url_field::image_reference::{is_digest, parse_image_reference};
use crate::url_field::provider::{classify_provider, Provider, DOCKER_HUB_ALIASES};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use tsify::Tsify;

/// Registry API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Tsify)]
pub enum PageProtocol {
    /// `https:`
    #[serde(rename = "https:")]
    Https,
    /// `http:`
    #[serde(rename = "http:")]
    Http,
}

/// Options for [`validate_registry_url`].
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UrlOptions {
    /// The page's `location.protocol`; `https:` warns about http registries (mixed content).
    #[serde(default)]
    #[tsify(optional)]
    pub page_protocol: Option<PageProtocol>,
}

/// A registry endpoint derived from the URL field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct UrlCheck {
    /// True when no diagnostic is an error.
    pub ok: bool,
    /// The endpoint, whenever one can be derived (also beside errors, to offer a fix).
    pub endpoint: Option<Endpoint>,
    /// Errors, warnings and infos, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
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
    UrlCheck {
        ok,
        endpoint,
        diagnostics,
    }
}

struct Parser<'a> {
    input: &'a str,
    options: &'a UrlOptions,
    depth: u8,
    diags: &'a mut Vec<Diagnostic>,
}

/// Splits `text` on `/`, dropping empty segments, with each segment's byte range.
fn segments(text: &str, offset: usize) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = offset;
    for segment in text.split('/') {
        if !segment.is_empty() {
            out.push((segment, at..at + segment.len()));
        }
        at += segment.len() + 1;
    }
    out
}

/// Recognises `https:x`, `https:/x`, `https//x` (and http); returns the scheme and bytes used.
fn malformed_scheme(text: &str) -> Option<(&'static str, usize)> {
    for word in ["https", "http"] {
        let rest = text
            .get(..word.len())
            .filter(|head| head.eq_ignore_ascii_case(word))
            .and_then(|_| text.get(word.len()..));
        if let Some(rest) = rest {
            if rest.starts_with("//") {
                return Some((word, word.len() + 2));
            }
            if let Some(after) = rest.strip_prefix(':') {
                let slashes = after.len() - after.trim_start_matches('/').len();
                return Some((word, word.len() + 1 + slashes));
            }
        }
    }
    None
}

/// `/`, `?`, `#` or `\`: where an authority ends.
fn ends_authority(b: u8) -> bool {
    matches!(b, b'/' | b'?' | b'#' | b'\\')
}

/// Where `://` ends a valid scheme name at the start of `text`.
fn find_scheme_end(text: &str) -> Option<usize> {
    let at = text.as_bytes().windows(3).position(|w| w == b"://")?;
    is_scheme_name(text.get(..at)?).then_some(at)
}

fn is_scheme_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | '!'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | ';'
                | '='
                | ':'
                | '@'
                | '%'
                | '/'
        )
}

fn is_api_path(version: ApiVersion, after: &[&str]) -> bool {
    match version {
        ApiVersion::V2 => {
            after.first() == Some(&"_catalog")
                || after
                    .iter()
                    .skip(1)
                    .any(|s| matches!(*s, "tags" | "manifests" | "blobs"))
        }
        ApiVersion::V1 => matches!(after.first(), Some(&("_ping" | "search" | "repositories"))),
    }
}

impl Parser<'_> {
    fn push(&mut self, code: Code, span: Range<usize>, detail: &str) {
        self.diags
            .push(Diagnostic::new(code, self.input, span, detail));
    }

    fn push_fix(&mut self, code: Code, span: Range<usize>, detail: &str, fix: (&str, String)) {
        let diagnostic = Diagnostic::new(code, self.input, span, detail).with_fix(fix.0, fix.1);
        self.diags.push(diagnostic);
    }

    fn parse(&mut self) -> Option<Endpoint> {
        let input = self.input;
        let start = input.len() - input.trim_start().len();
        let end = input.trim_end().len().max(start);
        let text = input.get(start..end)?;
        if text.is_empty() {
            self.push(Code::UrlEmpty, 0..input.len(), "");
            return None;
        }
        // Credentials first: every later fix is then computed on text without them.
        let scheme_end = find_scheme_end(text);
        let after_scheme_name = scheme_end.map_or(0, |p| p + 3);
        let tail = text.get(after_scheme_name..).unwrap_or_default();
        let authority = tail
            .get(..tail.bytes().position(ends_authority).unwrap_or(tail.len()))
            .unwrap_or_default();
        if let Some(at) = authority.rfind('@') {
            if !is_digest(authority.get(at + 1..).unwrap_or_default()) {
                let fixed = format!(
                    "{}{}",
                    text.get(..after_scheme_name).unwrap_or_default(),
                    tail.get(at + 1..).unwrap_or_default()
                );
                let span = start + after_scheme_name..start + after_scheme_name + at + 1;
                self.push_fix(
                    Code::UrlCredentials,
                    span,
                    "",
                    ("Remove the credentials", fixed),
                );
                return None;
            }
        }
        let is_space = |c: char| c.is_whitespace();
        let spaced = if text.is_ascii() {
            text.bytes()
                .position(|b| b.is_ascii_whitespace() || b == 0x0b)
        } else {
            text.find(is_space)
        };
        if let Some(first) = spaced {
            let last = text.rfind(is_space).unwrap_or(first);
            let width = text
                .get(last..)
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let span = start + first..start + last + width;
            self.push_fix(
                Code::UrlWhitespace,
                span,
                "",
                ("Remove the spaces", cleaned),
            );
            return None;
        }
        if scheme_end.is_none() {
            if let Some((word, used)) = malformed_scheme(text) {
                let fixed = format!("{word}://{}", text.get(used..).unwrap_or_default());
                let label = format!("Use {word}://");
                self.push_fix(
                    Code::UrlSchemeMalformed,
                    start..start + used,
                    word,
                    (&label, fixed),
                );
                return None;
            }
        }
        if let Some(image) = parse_image_reference(text) {
            return self.image_reference(start..end, image.registry, image.repository);
        }

        // Scheme.
        let mut scheme = None;
        let mut scheme_span = None;
        let mut rest = 0;
        if let Some(p) = scheme_end {
            let name = text.get(..p).unwrap_or_default();
            scheme = match name {
                _ if name.eq_ignore_ascii_case("https") => Some(Scheme::Https),
                _ if name.eq_ignore_ascii_case("http") => Some(Scheme::Http),
                _ => {
                    let fixed = format!("https://{}", text.get(p + 3..).unwrap_or_default());
                    let detail = text.get(..p).unwrap_or_default();
                    self.push_fix(
                        Code::UrlSchemeUnsupported,
                        start..start + p,
                        detail,
                        ("Use https://", fixed),
                    );
                    return None;
                }
            };
            scheme_span = Some(start..start + p);
            rest = p + 3;
        }
        let after_scheme = text.get(rest..).unwrap_or_default();
        rest += after_scheme.len() - after_scheme.trim_start_matches('/').len();

        // Authority.
        let auth_end = text
            .get(rest..)
            .and_then(|t| t.bytes().position(ends_authority))
            .map_or(text.len(), |i| rest + i);
        let authority = text.get(rest..auth_end).unwrap_or_default();
        let (host_range, port_range) = if authority.starts_with('[') {
            match authority.find(']') {
                Some(close) if authority.get(close + 1..).is_some_and(|t| t.is_empty()) => {
                    (rest..rest + close + 1, None)
                }
                Some(close)
                    if authority
                        .get(close + 1..)
                        .is_some_and(|t| t.starts_with(':')) =>
                {
                    (rest..rest + close + 1, Some(rest + close + 2..auth_end))
                }
                _ => {
                    self.push(Code::UrlIpv6Invalid, start + rest..start + auth_end, "");
                    return None;
                }
            }
        } else if authority.matches(':').count() >= 2 {
            let span = start + rest..start + auth_end;
            if authority.parse::<std::net::Ipv6Addr>().is_ok() {
                let fixed = format!(
                    "{}[{authority}]{}",
                    text.get(..rest).unwrap_or_default(),
                    text.get(auth_end..).unwrap_or_default()
                );
                self.push_fix(Code::UrlIpv6Brackets, span, "", ("Add the brackets", fixed));
            } else {
                self.push(Code::UrlIpv6Brackets, span, "");
            }
            return None;
        } else if let Some(colon) = authority.find(':') {
            (rest..rest + colon, Some(rest + colon + 1..auth_end))
        } else {
            (rest..auth_end, None)
        };
        let host_span = start + host_range.start..start + host_range.end;
        let host = parse_host(input, host_span.clone(), self.diags);

        // Port.
        let mut port_ok = true;
        let mut port = None;
        if let Some(range) = port_range.clone() {
            let digits = text.get(range.clone()).unwrap_or_default();
            let span = start + range.start - 1..start + range.end;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                self.push(Code::UrlPortInvalid, span, "");
                port_ok = false;
            } else {
                match digits.parse::<u16>() {
                    Ok(p) if p > 0 => port = Some(p),
                    _ => {
                        self.push(Code::UrlPortOutOfRange, span, "");
                        port_ok = false;
                    }
                }
            }
        }
        let loopback = host.as_ref().is_some_and(|h| h.loopback);
        let mut scheme = scheme.unwrap_or_else(|| {
            let assumed = if loopback {
                Scheme::Http
            } else {
                Scheme::Https
            };
            if host.is_some() {
                self.push(Code::UrlSchemeAssumed, start..start, assumed.as_str());
            }
            assumed
        });
        if let (Some(p), Some(range)) = (port, port_range) {
            if p == scheme.default_port() {
                let span = start + range.start - 1..start + range.end;
                self.push(Code::UrlDefaultPort, span, &p.to_string());
                port = None;
            }
        }

        // Query and fragment.
        let path_end = text
            .get(auth_end..)
            .and_then(|t| t.bytes().position(|b| b == b'?' || b == b'#'))
            .map_or(text.len(), |i| auth_end + i);
        if path_end < text.len() {
            let fixed = text.get(..path_end).unwrap_or_default().to_string();
            self.push_fix(
                Code::UrlQueryDropped,
                start + path_end..end,
                "",
                ("Remove it", fixed),
            );
        }

        // Path: prefix, version, API path.
        let path = text.get(auth_end..path_end).unwrap_or_default();
        if let Some((i, c)) = path.char_indices().find(|&(_, c)| !is_path_char(c)) {
            let at = start + auth_end + i;
            self.push(
                Code::UrlPathInvalidChar,
                at..at + c.len_utf8(),
                &quote_char(c),
            );
            return None;
        }
        let segs = segments(path, start + auth_end);
        let version_at = segs
            .iter()
            .position(|(s, _)| s.eq_ignore_ascii_case("v2") || s.eq_ignore_ascii_case("v1"));
        let (version, prefix_len) = match version_at {
            Some(i) => {
                let version = match segs.get(i) {
                    Some((s, _)) if s.eq_ignore_ascii_case("v1") => ApiVersion::V1,
                    _ => ApiVersion::V2,
                };
                let after = segs.get(i + 1..).unwrap_or_default();
                if let (Some(first), Some(last)) = (after.first(), after.last()) {
                    let span = first.1.start - 1..last.1.end;
                    let names: Vec<&str> = after.iter().map(|(s, _)| *s).collect();
                    if is_api_path(version, &names) {
                        let from = segs.get(i).map_or(span.start, |(_, r)| r.start - 1);
                        let detail = input.get(from..span.end).unwrap_or_default().to_string();
                        self.push(Code::UrlApiPathTrimmed, span, &detail);
                    } else {
                        self.push(Code::UrlPathAfterVersion, span, version.as_str());
                    }
                }
                (version, i)
            }
            None => {
                let at = start + path_end;
                if host.is_some() {
                    self.push(Code::UrlVersionAssumed, at..at, "");
                }
                (ApiVersion::V2, segs.len())
            }
        };
        let prefix = segs.get(..prefix_len).unwrap_or_default();
        let Host { mut ascii, .. } = host?;
        let names: Vec<&str> = prefix.iter().map(|(s, _)| *s).collect();
        let (provider, single_host) = classify_provider(&ascii, &names);
        let mut namespace = None;
        let mut path_prefix = String::new();
        for name in &names {
            path_prefix.push('/');
            path_prefix.push_str(name);
        }
        if let (true, Some(first), Some(last)) = (single_host, prefix.first(), prefix.last()) {
            self.push(Code::UrlNamespace, first.1.start..last.1.end, &ascii);
            namespace = Some(names.join("/"));
            path_prefix.clear();
        }
        if provider == Provider::Dockerhub {
            if DOCKER_HUB_ALIASES.contains(&ascii.as_str()) {
                self.push(Code::UrlDockerhubAlias, host_span, &ascii);
                ascii = "index.docker.io".to_string();
            }
            if let (Scheme::Http, Some(span)) = (scheme, scheme_span.clone()) {
                let fixed = format!("https{}", text.get(4..).unwrap_or_default());
                self.push_fix(Code::UrlDockerhubHttps, span, "", ("Use https://", fixed));
                scheme = Scheme::Https;
            }
            if let (ApiVersion::V1, Some(i)) = (version, version_at) {
                if let Some((_, span)) = segs.get(i) {
                    self.push(Code::UrlDockerhubV1Retired, span.clone(), "");
                }
            }
        }
        if self.options.page_protocol == Some(PageProtocol::Https)
            && scheme == Scheme::Http
            && !loopback
        {
            let span = scheme_span.unwrap_or(start..start);
            self.push(Code::UrlMixedContent, span, "");
        }
        if !port_ok {
            return None;
        }
        let version_path = format!("/{}/", version.as_str());
        let url = endpoint_url(
            scheme,
            &ascii,
            port,
            &format!("{path_prefix}{version_path}"),
        )?;
        // The prefix as the standard reads it (dot segments resolved), so both always agree.
        let path_prefix = url.path().strip_suffix(&version_path)?.to_string();
        let url = String::from(url);
        let ping_url = match version {
            ApiVersion::V2 => url.clone(),
            ApiVersion::V1 => {
                endpoint_url(scheme, &ascii, port, &format!("{path_prefix}/v1/_ping"))?.into()
            }
        };
        Some(Endpoint {
            url,
            api_version: version,
            scheme,
            host: ascii,
            port,
            path_prefix,
            provider,
            namespace,
            ping_url,
        })
    }

    /// The field holds an image reference: an error whose fix is the registry's URL.
    fn image_reference(
        &mut self,
        span: Range<usize>,
        registry: Option<&str>,
        repository: String,
    ) -> Option<Endpoint> {
        let registry = registry.unwrap_or("index.docker.io");
        let target = (self.depth < MAX_FIX_DEPTH)
            .then(|| check(registry, self.options, self.depth + 1).endpoint)
            .flatten();
        let diagnostic = Diagnostic::new(Code::UrlImageReference, self.input, span, "");
        match target {
            Some(mut endpoint) => {
                let label = format!("Use {}", endpoint.url);
                self.diags
                    .push(diagnostic.with_fix(label, endpoint.url.clone()));
                endpoint.namespace = Some(repository);
                Some(endpoint)
            }
            None => {
                self.diags.push(diagnostic);
                None
            }
        }
    }
}
