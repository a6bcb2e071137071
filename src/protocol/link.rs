//! The `Link` header of catalog pages (RFC 8288 §3), and resolving its target.
//!
//! ```text
//! Link       = #link-value
//! link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
//! link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
//! rel        = relation-type *( 1*SP relation-type )   ; case-insensitive
//! ```
//! `fetch` joins repeated `Link` lines with `", "`, so a proxy's links and the registry's arrive in
//! one list: `rel="next"` is found at any position, among other parameters in any order, quoted or
//! bare, as one of several relation types. distribution sends a relative, URL-encoded target:
//! `</v2/_catalog?last=a%2Fb&n=100>; rel="next"`. It is resolved against the registry URL (not the
//! page's), and only a target on the registry's own origin is followed.

use crate::protocol::header_syntax::Cursor;
use crate::protocol::remote_url::{join_remote_url, origin, parse_remote_url};

/// One link-value: its target as written and whether a `rel` names `next`.
fn link_value(cur: &mut Cursor) -> Option<(String, bool)> {
    cur.skip(b" \t");
    if cur.peek() != Some(b'<') {
        return None;
    }
    cur.at += 1;
    let start = cur.at;
    while cur.peek().is_some_and(|b| b != b'>') {
        cur.at += 1;
    }
    let target = cur.text(start, cur.at).trim().to_string();
    cur.peek()?; // an unclosed `<` ends the list
    cur.at += 1;
    let mut next = false;
    loop {
        cur.skip(b" \t");
        if cur.peek() != Some(b';') {
            break;
        }
        cur.at += 1;
        cur.skip(b" \t");
        let name = cur.token().to_ascii_lowercase();
        cur.skip(b" \t");
        let value = if cur.peek() == Some(b'=') {
            cur.at += 1;
            cur.skip(b" \t");
            if cur.peek() == Some(b'"') {
                cur.quoted()
            } else {
                cur.token().to_string()
            }
        } else {
            String::new()
        };
        if name == "rel" {
            next |= value
                .split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("next"));
        }
    }
    Some((target, next))
}

/// The `rel="next"` target of a Link header (every link of the list is read), as written.
///
/// ```
/// assert_eq!(
///     registry_probe::parse_next_link(r#"</v2/_catalog?last=b&n=2>; rel="next", <https://cdn.example/>; rel=preconnect"#).as_deref(),
///     Some("/v2/_catalog?last=b&n=2")
/// );
/// ```
pub fn parse_next_link(header: &str) -> Option<String> {
    let mut cur = Cursor::new(header);
    loop {
        cur.skip(b" \t,");
        cur.peek()?;
        match link_value(&mut cur) {
            Some((target, true)) => return Some(target),
            Some(_) => {}
            // Not a link-value: resynchronise at the next comma outside quotes and brackets.
            None => skip_element(&mut cur),
        }
        cur.skip(b" \t");
        match cur.peek() {
            Some(b',') => cur.at += 1,
            Some(_) => skip_element(&mut cur),
            None => return None,
        }
    }
}

/// Moves past the rest of a malformed list element, to its closing comma (or the end).
fn skip_element(cur: &mut Cursor) {
    while let Some(b) = cur.peek() {
        match b {
            b',' => return,
            b'"' => {
                cur.quoted();
            }
            b'<' => {
                while cur.peek().is_some_and(|b| b != b'>') {
                    cur.at += 1;
                }
                cur.at += 1;
            }
            _ => cur.at += 1,
        }
    }
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
    fn next_anywhere_in_the_list() {
        let next = |h: &str| parse_next_link(h);
        // First of several, as fetch joins a registry's and a proxy's Link lines.
        assert_eq!(
            next(r#"</a?n=1>; rel="next", </z>; rel="last""#).as_deref(),
            Some("/a?n=1")
        );
        // Parameters in any order, bare or quoted, relation types in any case among others.
        assert_eq!(
            next(r#"</b>; title="x; y, z"; REL="prefetch Next""#).as_deref(),
            Some("/b")
        );
        assert_eq!(
            next("</c> ;rel = next ;type=text/html").as_deref(),
            Some("/c")
        );
        // Commas and semicolons inside the URI and inside quoted parameters.
        assert_eq!(
            next(r#"</d?a=1,2;3>; title="rel=next, <x>", </e>; rel=next"#).as_deref(),
            Some("/e")
        );
        assert_eq!(
            next(r#"</f?a=1,2;3>; rel="next""#).as_deref(),
            Some("/f?a=1,2;3")
        );
        // Junk before a link, empty elements, an anchor-only param.
        assert_eq!(
            next(r#"garbage, ,, </g>; anchor; rel=next"#).as_deref(),
            Some("/g")
        );
        // `rel="nextpage"` and a `rev` are not `next`; an unclosed link ends the list.
        assert_eq!(next(r#"</h>; rel="nextpage", </i>; rev=next"#), None);
        assert_eq!(next("</j; rel=next"), None);
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
