//! Absolute http(s) URLs the probe sends requests to: token realms and `Link` targets, which
//! come from the registry, so they are parsed strictly and rejected rather than repaired.
//!
//! ```text
//! web-url   = scheme "://" host [ ":" port ] [ path ] [ "?" query ] [ "#" fragment ]
//! scheme    = "http" / "https"                  ; any case
//! host      = reg-name / IPv4 / "[" IPv6 "]"    ; no userinfo
//! ```
//! Hosts are lowercased (Unicode hosts are refused: registries send punycode), the default port
//! is dropped, the fragment is dropped, dot segments are removed, and spaces, controls, `\` and
//! `@` in the authority are refused. References resolve as RFC 3986 section 5.2 says.

/// A parsed absolute http(s) URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WebUrl {
    https: bool,
    /// Lowercase ASCII; IPv6 in brackets.
    host: String,
    /// `None` for the scheme's default.
    port: Option<u16>,
    /// Path (starting with `/`) and query, without the fragment.
    path_and_query: String,
}

impl WebUrl {
    /// Parses `text`; `None` unless it is an absolute http(s) URL this module accepts.
    pub(crate) fn parse(text: &str) -> Option<WebUrl> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let (scheme, rest) = text.split_once("://")?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return None;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (host, port) = parse_authority(authority, https)?;
        Some(WebUrl {
            https,
            host,
            port,
            path_and_query: normalize_path(tail)?,
        })
    }

    /// `scheme://host[:port]`.
    pub(crate) fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        match self.port {
            Some(port) => format!("{scheme}://{}:{port}", self.host),
            None => format!("{scheme}://{}", self.host),
        }
    }

    /// The host (lowercase ASCII, IPv6 in brackets).
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// True for `https`.
    pub(crate) fn is_https(&self) -> bool {
        self.https
    }

    /// The whole URL.
    pub(crate) fn href(&self) -> String {
        self.origin() + &self.path_and_query
    }

    /// Resolves `reference` against this URL (RFC 3986 section 5.2).
    pub(crate) fn join(&self, reference: &str) -> Option<WebUrl> {
        let reference = reference.trim_matches(|c: char| c.is_ascii_whitespace());
        let scheme_end = reference.find(':').filter(|&at| {
            let scheme = reference.get(..at).unwrap_or_default();
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        });
        if scheme_end.is_some() {
            return WebUrl::parse(reference);
        }
        if reference.starts_with("//") {
            let scheme = if self.https { "https:" } else { "http:" };
            return WebUrl::parse(&format!("{scheme}{reference}"));
        }
        let base_path = self
            .path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path);
        let merged = if reference.is_empty() || reference.starts_with('#') {
            self.path_and_query.clone()
        } else if reference.starts_with('/') {
            reference.to_string()
        } else if reference.starts_with('?') {
            format!("{base_path}{reference}")
        } else {
            let directory = base_path
                .rfind('/')
                .map_or("/", |at| base_path.get(..=at).unwrap_or("/"));
            format!("{directory}{reference}")
        };
        Some(WebUrl {
            path_and_query: normalize_path(&merged)?,
            host: self.host.clone(),
            ..*self
        })
    }

    /// Same scheme, host and port.
    pub(crate) fn same_origin(&self, other: &WebUrl) -> bool {
        self.https == other.https && self.host == other.host && self.port == other.port
    }
}

fn parse_authority(authority: &str, https: bool) -> Option<(String, Option<u16>)> {
    if authority.contains(['@', '\\']) || authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(inner) => {
            let (address, after) = inner.split_once(']')?;
            let address = crate::ipv6::format(&crate::ipv6::parse(address)?);
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (format!("[{address}]"), port)
        }
        None => {
            let (host, port) = match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            // Registries send ASCII (punycode) hosts; a Unicode one is refused, not converted.
            if !host.is_ascii() {
                return None;
            }
            let ascii = host.to_ascii_lowercase();
            // One trailing dot (a fully qualified name) is kept, as WHATWG URL keeps it.
            let labels = ascii.strip_suffix('.').unwrap_or(&ascii);
            let valid = !labels.is_empty()
                && labels.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                });
            if !valid {
                return None;
            }
            (ascii, port)
        }
    };
    let default = if https { 443 } else { 80 };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse::<u16>().ok()?).filter(|p| *p != default)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// The path and query of `tail` (which starts at `/`, `?`, `#` or is empty): fragment dropped,
/// dot segments removed, non-ASCII percent-encoded; `None` for spaces, controls and `\`.
fn normalize_path(tail: &str) -> Option<String> {
    let tail = tail.split_once('#').map_or(tail, |(before, _)| before);
    if tail
        .chars()
        .any(|c| c.is_ascii_control() || c == ' ' || c == '\\')
    {
        return None;
    }
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (tail, None),
    };
    let mut segments: Vec<&str> = Vec::new();
    let mut parts = path.split('/').skip(1).peekable();
    while let Some(segment) = parts.next() {
        let last = parts.peek().is_none();
        // WHATWG also takes `%2e` for a dot.
        let dot = |s: &str| s == "." || s.eq_ignore_ascii_case("%2e");
        let double = segment.len() >= 2
            && [1, 3].iter().any(|&at| {
                segment.get(..at).is_some_and(dot) && segment.get(at..).is_some_and(dot)
            });
        if dot(segment) || double {
            if double {
                segments.pop();
            }
            if last {
                segments.push("");
            }
        } else {
            segments.push(segment);
        }
    }
    let mut out = String::with_capacity(tail.len() + 1);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Some(percent_encode_non_ascii(&out))
}

fn percent_encode_non_ascii(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii() {
            out.push(char::from(byte));
        } else {
            push_percent(&mut out, byte);
        }
    }
    out
}

/// `%XX` (uppercase hex) for `byte`.
pub(crate) fn push_percent(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(
        *HEX.get(usize::from(byte >> 4)).unwrap_or(&b'0'),
    ));
    out.push(char::from(
        *HEX.get(usize::from(byte & 15)).unwrap_or(&b'0'),
    ));
}

/// `application/x-www-form-urlencoded` for one component: alphanumerics and `*-._` as they
/// are, space as `+`, every other byte `%XX`.
pub(crate) fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b' ' => out.push('+'),
            b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            _ if byte.is_ascii_alphanumeric() => out.push(char::from(byte)),
            _ => push_percent(&mut out, byte),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn href(text: &str) -> Option<String> {
        WebUrl::parse(text).map(|u| u.href())
    }

    #[test]
    fn parses_and_normalizes() {
        assert_eq!(
            href("HTTPS://Auth.Example.COM:443/token?service=a%20b#x").as_deref(),
            Some("https://auth.example.com/token?service=a%20b")
        );
        assert_eq!(
            href("http://127.0.0.1:5000").as_deref(),
            Some("http://127.0.0.1:5000/")
        );
        assert_eq!(
            href("http://[::1]:8080/a/./b/../c").as_deref(),
            Some("http://[::1]:8080/a/c")
        );
        assert_eq!(href("https://bücher.example/p"), None);
        assert_eq!(
            href("https://r.example/ä").as_deref(),
            Some("https://r.example/%C3%A4")
        );
        for bad in [
            "ftp://x/",
            "https://",
            "https://u:p@host/",
            "https://host:99999/",
            "https://host:8a/",
            "https://ho st/",
            "https://host/a b",
            "https://host/\\x",
            "https://[::g]/",
            "https://a..b/",
            "/relative",
            "javascript:alert(1)",
        ] {
            assert_eq!(href(bad), None, "{bad}");
        }
    }

    #[test]
    fn origin() {
        let u = WebUrl::parse("https://R.example:8443/x").unwrap();
        assert_eq!(u.origin(), "https://r.example:8443");
        assert_eq!(u.host(), "r.example");
        assert!(u.is_https());
        assert_eq!(WebUrl::parse("http://h:80/").unwrap().origin(), "http://h");
    }

    #[test]
    fn resolves_references() {
        let base = WebUrl::parse("http://127.0.0.1:5000/prefix/v2/_catalog?n=1").unwrap();
        let join = |r: &str| base.join(r).map(|u| u.href());
        assert_eq!(
            join("/v2/_catalog?last=a%2Fb&n=50").as_deref(),
            Some("http://127.0.0.1:5000/v2/_catalog?last=a%2Fb&n=50")
        );
        assert_eq!(
            join("?n=2").as_deref(),
            Some("http://127.0.0.1:5000/prefix/v2/_catalog?n=2")
        );
        assert_eq!(
            join("next?n=2").as_deref(),
            Some("http://127.0.0.1:5000/prefix/v2/next?n=2")
        );
        assert_eq!(join("../../x").as_deref(), Some("http://127.0.0.1:5000/x"));
        assert_eq!(
            join("../../../../x").as_deref(),
            Some("http://127.0.0.1:5000/x")
        );
        assert_eq!(join("//other:1/y").as_deref(), Some("http://other:1/y"));
        assert_eq!(
            join("HTTPS://e.example/z").as_deref(),
            Some("https://e.example/z")
        );
        assert_eq!(
            join("").as_deref(),
            Some("http://127.0.0.1:5000/prefix/v2/_catalog?n=1")
        );
        assert_eq!(join("mailto:x"), None);
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            form_encode("repository:team/app:pull"),
            "repository%3Ateam%2Fapp%3Apull"
        );
        assert_eq!(form_encode("a b*-._~é"), "a+b*-._%7E%C3%A9");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Where we accept a reference, the WHATWG URL parser (the `url` crate) resolves it to
        /// the same URL and agrees on the origin.
        #[test]
        fn joins_as_whatwg_does(
            base in proptest::sample::select(vec![
                "http://127.0.0.1:5000/prefix/v2/_catalog?n=1",
                "https://r.example.com/v2/",
                "https://r.example.com:8443",
                "http://[::1]:5000/a/b/c",
            ]),
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "/", "..", ".", "a", "v2", "_catalog", "?", "n=1", "&", "last=a%2Fb", "#", "x",
                "//", "r.example.com", ":8443", "https:", "http:", "HTTP://", "[::1]", "%2e",
            ]), 0..8),
        ) {
            let reference = parts.concat();
            let ours = WebUrl::parse(base).and_then(|b| b.join(&reference));
            let theirs = url::Url::parse(base).and_then(|b| b.join(&reference));
            if let (Some(ours), Ok(mut theirs)) = (ours, theirs) {
                theirs.set_fragment(None); // we drop fragments: they never reach a server
                proptest::prop_assert_eq!(ours.href(), theirs.to_string(), "{} + {}", base, reference);
                proptest::prop_assert_eq!(ours.origin(), theirs.origin().ascii_serialization());
            }
        }
    }
}
