//! The `Link` header of catalog pages (RFC 8288), and resolving its target.
//!
//! ```text
//! Link = #( "<" URI-Reference ">" *( ";" link-param ) )
//! ```
//! distribution sends a relative, URL-encoded target: `</v2/_catalog?last=a%2Fb&n=100>; rel="next"`.
//! It is resolved against the registry URL (not the page's), and only a target on the registry's
//! own origin is followed.

use crate::remote_url::{join_remote_url, origin, parse_remote_url};

/// The `rel="next"` target of a Link header, as written.
///
/// ```
/// assert_eq!(
///     registry_probe::parse_next_link(r#"</v2/_catalog?last=b&n=2>; rel="next""#).as_deref(),
///     Some("/v2/_catalog?last=b&n=2")
/// );
/// ```
pub fn parse_next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open + 1..)?;
        let close = after.find('>')?;
        let target = after.get(..close)?;
        let params_end = after
            .get(close..)?
            .find('<')
            .map_or(after.len(), |i| close + i);
        let params = after.get(close + 1..params_end)?;
        let is_next = params.split(';').any(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim().to_string());
        }
        rest = after.get(params_end..)?;
    }
    None
}

/// Resolves `target` against `base`; `None` unless the result has the base's origin.
pub fn resolve_same_origin(base: &str, target: &str) -> Option<String> {
    let base = parse_remote_url(base)?;
    let resolved = join_remote_url(&base, target)?;
    (origin(&base) == origin(&resolved)).then(|| resolved.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_among_several() {
        let h = r#"<https://r.example/v2/_catalog?n=1>; rel="prev", </v2/_catalog?last=x&n=1>; rel="next""#;
        assert_eq!(
            parse_next_link(h).as_deref(),
            Some("/v2/_catalog?last=x&n=1")
        );
        assert_eq!(parse_next_link(r#"<a>; rel="prev""#), None);
        assert_eq!(parse_next_link("garbage <"), None);
        assert_eq!(parse_next_link("<x>; rel=next"), Some("x".into()));
    }

    #[test]
    fn resolution_and_origin() {
        let base = "http://127.0.0.1:5000/prefix/v2/";
        assert_eq!(
            resolve_same_origin(base, "/v2/_catalog?last=a%2Fb&n=50").as_deref(),
            Some("http://127.0.0.1:5000/v2/_catalog?last=a%2Fb&n=50")
        );
        assert_eq!(
            resolve_same_origin(base, "http://evil.example/v2/_catalog"),
            None
        );
        assert_eq!(resolve_same_origin(base, "//127.0.0.1:5001/x"), None);
    }
}
