//! The URL field's parser: credentials, whitespace and scheme first (so every later fix is
//! computed on clean text), then an image reference, scheme, authority (host and port), and the
//! path (prefix, version, pasted API calls, a single-host provider's namespace).

use super::syntax::{
    ends_authority, find_scheme_end, is_api_path, is_path_char, malformed_scheme, segments,
};
use super::{
    check, endpoint_url, ApiVersion, Endpoint, PageProtocol, Scheme, UrlOptions, MAX_FIX_DEPTH,
};
use crate::messages::diagnostic::{Code, Diagnostic};
use crate::url_field::host::{parse_host, quote_char, Host};
use crate::url_field::image_reference::{is_digest, parse_image_reference};
use crate::url_field::provider::{classify_provider, Provider, DOCKER_HUB_ALIASES};
use std::ops::Range;

/// One run over the field's text, collecting diagnostics.
pub(super) struct Parser<'a> {
    pub(super) input: &'a str,
    pub(super) options: &'a UrlOptions,
    pub(super) depth: u8,
    pub(super) diags: &'a mut Vec<Diagnostic>,
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

    pub(super) fn parse(&mut self) -> Option<Endpoint> {
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
        let private = host.as_ref().is_some_and(|h| h.private);
        let mut scheme = scheme.unwrap_or_else(|| {
            if private {
                let address = host.as_ref().map_or("", |h| h.ascii.as_str());
                let fixed = format!("https://{text}");
                self.push_fix(
                    Code::UrlSchemeHttpPrivate,
                    start..start,
                    address,
                    ("Use https://", fixed),
                );
                return Scheme::Http;
            }
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
                    let port_text = port.map(|p| format!(":{p}")).unwrap_or_default();
                    let v2 = format!("https://{ascii}{port_text}/v2/");
                    let label = format!("Use {v2}");
                    let fix = (label.as_str(), v2.clone());
                    self.push_fix(Code::UrlDockerhubV1Retired, span.clone(), &v2, fix);
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
        // The prefix as the standard reads it (dot segments resolved). Where the path can name
        // the provider (not a single-host registry), it is read from this prefix, as the canonical
        // URL will be: the endpoint is a fixed point (`harbor.x/../repository/app` is Nexus's).
        let path_prefix = url.path().strip_suffix(&version_path)?.to_string();
        let resolved: Vec<&str> = path_prefix.split('/').filter(|s| !s.is_empty()).collect();
        let provider = if single_host {
            provider
        } else {
            classify_provider(&ascii, &resolved).0
        };
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
