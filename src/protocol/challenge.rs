//! `WWW-Authenticate` parsing (RFC 7235 §4.1): a pure function from header text to challenges.
//!
//! ```text
//! WWW-Authenticate = 1#challenge
//! challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! auth-param       = token BWS "=" BWS ( token / quoted-string )
//! token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! ```
//! Lists allow empty elements (`Basic , realm="x"`, leading or doubled commas): they are skipped,
//! and a comma followed by `name=` continues the current challenge's parameters, while one
//! followed by another token starts a new challenge. A token68 (`Negotiate abc/def==`) is that
//! challenge's credential, never further challenges.
//! Schemes and parameter names are case-insensitive (lower-cased here); quoted strings may hold
//! commas and `\`-escapes. Choosing among several challenges is the caller's business. Bounded:
//! at most [`MAX_CHALLENGES`] challenges of [`MAX_PARAMS`] parameters are kept.

/// Most challenges kept from one header (a hostile header may hold thousands).
pub const MAX_CHALLENGES: usize = 16;
/// Most parameters kept per challenge.
pub const MAX_PARAMS: usize = 16;

use crate::protocol::header_syntax::Cursor;

/// One authentication challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// Lower-cased scheme, e.g. `basic` or `bearer`.
    pub scheme: String,
    /// Parameters with lower-cased names, in order.
    pub params: Vec<(String, String)>,
    /// A token68 given instead of parameters (`Negotiate`, `NTLM`).
    pub token68: Option<String>,
}

impl Challenge {
    /// The value of parameter `name` (lower-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses every challenge of a `WWW-Authenticate` header value.
///
/// ```
/// let c = registry_probe::parse_challenges(r#"Bearer realm="https://auth.example.com/token",service="registry",scope="a,b""#);
/// assert_eq!(c[0].scheme, "bearer");
/// assert_eq!(c[0].param("scope"), Some("a,b"));
/// ```
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut cur = Cursor::new(header);
    let mut out = Vec::new();
    while out.len() < MAX_CHALLENGES {
        cur.skip(b" \t,");
        if cur.peek().is_none() {
            break;
        }
        let scheme = cur.token().to_ascii_lowercase();
        if scheme.is_empty() {
            cur.at += 1; // not a token: skip it and resynchronise
            continue;
        }
        let mut params = Vec::new();
        let token68 = token68(&mut cur);
        while token68.is_none() {
            cur.skip(b" \t,");
            let mark = cur.at;
            let name = cur.token().to_ascii_lowercase();
            cur.skip(b" \t");
            if name.is_empty() || cur.peek() != Some(b'=') {
                cur.at = mark; // a new challenge (or junk) starts here
                break;
            }
            cur.at += 1;
            cur.skip(b" \t");
            let value = if cur.peek() == Some(b'"') {
                cur.quoted()
            } else {
                cur.bare().to_string()
            };
            if params.len() < MAX_PARAMS {
                params.push((name, value));
            }
            cur.skip(b" \t");
            match cur.peek() {
                Some(b',') => {
                    cur.at += 1;
                    cur.skip(b" \t,");
                }
                _ => break,
            }
        }
        out.push(Challenge {
            scheme,
            params,
            token68,
        });
    }
    out
}

/// A token68 at the cursor, ending the challenge (white space, then a comma or the end);
/// otherwise `None`, with the cursor unmoved.
fn token68(cur: &mut Cursor) -> Option<String> {
    let mark = cur.at;
    cur.skip(b" \t");
    let start = cur.at;
    while cur
        .peek()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
    {
        cur.at += 1;
    }
    let body = cur.at;
    cur.skip(b"=");
    let end = cur.at;
    cur.skip(b" \t");
    if body > start && matches!(cur.peek(), None | Some(b',')) {
        return Some(cur.text(start, end).to_string());
    }
    cur.at = mark;
    None
}

/// The bounds [`parse_challenges`] keeps to: (challenges, parameters per challenge).
pub fn challenge_limits() -> (usize, usize) {
    (MAX_CHALLENGES, MAX_PARAMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_challenges_escapes_and_case() {
        let c = parse_challenges(
            r#"Basic realm="a \"quoted\" realm, with comma", BEARER Realm=https://x/t , service="s",Scope="repository:a/b:pull,push""#,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].scheme, "basic");
        assert_eq!(c[0].param("realm"), Some(r#"a "quoted" realm, with comma"#));
        assert_eq!(c[1].scheme, "bearer");
        assert_eq!(c[1].param("realm"), Some("https://x/t"));
        assert_eq!(c[1].param("service"), Some("s"));
        assert_eq!(c[1].param("scope"), Some("repository:a/b:pull,push"));
    }

    #[test]
    fn list_grammar_empty_elements_and_token68() {
        let c = parse_challenges(r#", Basic , realm="x",, charset=UTF-8 ,Bearer realm="y""#);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(
            c[0].params,
            vec![
                ("realm".into(), "x".into()),
                ("charset".into(), "UTF-8".into())
            ]
        );
        assert_eq!(c[1].scheme, "bearer");
        assert_eq!(c[1].param("realm"), Some("y"));
        let c = parse_challenges(r#"Negotiate abc/def==, NTLM, Basic realm="r""#);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0].token68.as_deref(), Some("abc/def=="));
        assert!(c[0].params.is_empty());
        assert_eq!(
            (c[1].scheme.as_str(), c[1].token68.as_deref()),
            ("ntlm", None)
        );
        assert_eq!(c[2].param("realm"), Some("r"));
        // A name with `=` and a value is a parameter, not a token68.
        let c = parse_challenges("Bearer realm=x");
        assert_eq!(
            (c[0].param("realm"), c[0].token68.as_deref()),
            (Some("x"), None)
        );
    }

    #[test]
    fn junk_and_bounds() {
        assert!(parse_challenges("").is_empty());
        assert_eq!(parse_challenges("=,=\"").len(), 0);
        let many = "Basic realm=x, ".repeat(1000);
        assert_eq!(parse_challenges(&many).len(), MAX_CHALLENGES);
        let c = parse_challenges("Bearer realm=\"unterminated");
        assert_eq!(c[0].param("realm"), Some("unterminated"));
    }
}
