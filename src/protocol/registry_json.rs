//! Registry JSON bodies: catalog, tag list, token response, and registry errors.
//!
//! Bodies come from servers nobody controls: every parser takes bytes (already capped by the
//! driver), returns `None` for anything malformed, and never shows a registry's `detail` (it may
//! hold storage paths or stack traces).

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// `body` as `T`, or `None` when it is not strict JSON of that shape (invalid UTF-8, lone
/// surrogates, nesting past serde_json's 128 levels, a known key twice, a wrong type).
fn read<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// `GET /v2/_catalog`.
#[derive(Deserialize)]
struct Catalog {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

/// `GET /v2/<name>/tags/list`.
#[derive(Deserialize)]
struct Tags {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// A token service's answer (`token`, or OAuth 2's `access_token`).
#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    /// Seconds; any other JSON value is read as no lifetime given (never as a malformed answer).
    #[serde(default)]
    expires_in: Option<Lifetime>,
}

/// `expires_in` as a whole number of seconds, or anything else.
#[derive(Deserialize)]
#[serde(untagged)]
enum Lifetime {
    Seconds(u64),
    Other(serde::de::IgnoredAny),
}

/// A token and how long it lives, as the token service says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenAnswer {
    /// The bearer token (a secret).
    pub token: String,
    /// `expires_in` in seconds, when it is a whole number (absent means 60 by the token spec).
    pub expires_in: Option<u64>,
}

/// `{"errors": [{"code", "message", "detail"}]}`; `detail` is never read.
#[derive(Deserialize)]
struct Errors {
    errors: Vec<RegistryError>,
}

#[derive(Deserialize)]
struct RegistryError {
    code: String,
}

/// `{"repositories": [...]}` (an absent or `null` list is empty).
pub fn parse_catalog(body: &[u8]) -> Option<Vec<String>> {
    read::<Catalog>(body).map(|c| c.repositories.unwrap_or_default())
}

/// `{"name": ..., "tags": [...]}` (an absent or `null` list is empty).
pub fn parse_tags(body: &[u8]) -> Option<Vec<String>> {
    read::<Tags>(body).map(|t| t.tags.unwrap_or_default())
}

/// `{"token": ...}` or `{"access_token": ...}`; `None` when neither is a non-empty string.
pub fn parse_token(body: &[u8]) -> Option<String> {
    parse_token_answer(body).map(|answer| answer.token)
}

/// The token with its `expires_in`.
pub fn parse_token_answer(body: &[u8]) -> Option<TokenAnswer> {
    let answer = read::<Token>(body)?;
    let token = answer
        .token
        .or(answer.access_token)
        .filter(|t| !t.is_empty())?;
    let expires_in = match answer.expires_in {
        Some(Lifetime::Seconds(seconds)) => Some(seconds),
        Some(Lifetime::Other(_)) | None => None,
    };
    Some(TokenAnswer { token, expires_in })
}

/// The first registry error code (`NAME_UNKNOWN`, `DENIED`, …), if the body is an error body.
pub fn parse_error_code(body: &[u8]) -> Option<String> {
    let code = read::<Errors>(body)?.errors.into_iter().next()?.code;
    (code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') && code.len() <= 64).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert_eq!(
            parse_catalog(br#"{"repositories":["a","b/c"]}"#),
            Some(vec!["a".into(), "b/c".into()])
        );
        assert_eq!(parse_catalog(br#"{"repositories":null}"#), Some(vec![]));
        assert_eq!(parse_catalog(b"\xff\xfe"), None);
        assert_eq!(parse_tags(br#"{"name":"a","tags":null}"#), Some(vec![]));
        assert_eq!(
            parse_token(br#"{"access_token":"t"}"#).as_deref(),
            Some("t")
        );
        assert_eq!(parse_token(br#"{"token":""}"#), None);
        assert_eq!(parse_token(b"<html>"), None);
        let e =
            br#"{"errors":[{"code":"NAME_UNKNOWN","message":"m","detail":{"path":"/var/lib"}}]}"#;
        assert_eq!(parse_error_code(e).as_deref(), Some("NAME_UNKNOWN"));
        assert_eq!(
            parse_error_code(br#"{"errors":[{"code":"<b>x</b>"}]}"#),
            None
        );
        // Wrong types and ambiguity are malformed, as a strict reader sees them.
        assert_eq!(parse_catalog(br#"{"repositories":"a"}"#), None);
        assert_eq!(parse_catalog(br#"{"repositories":["a",1]}"#), None);
        assert_eq!(parse_catalog(br#"{"other":1}"#), Some(vec![]));
        assert_eq!(parse_token(br#"{"token":1,"access_token":"t"}"#), None);
        assert_eq!(parse_token(br#"{"token":"a","token":"b"}"#), None);
        assert_eq!(
            parse_token(br#"{"token":null,"access_token":"t"}"#).as_deref(),
            Some("t")
        );
        let answer = parse_token_answer(br#"{"token":"t","expires_in":30}"#);
        assert_eq!(answer.and_then(|a| a.expires_in), Some(30));
        let odd = parse_token_answer(br#"{"token":"t","expires_in":"soon"}"#);
        assert_eq!(odd.map(|a| a.expires_in), Some(None));
        assert_eq!(parse_error_code(br#"{"errors":[]}"#), None);
        assert_eq!(parse_error_code(br#"{"errors":[{"message":"m"}]}"#), None);
        // Bounds: a lone surrogate is malformed; deep nesting never recurses (serde_json stops
        // at 128 levels where it builds values, and skips unknown members without recursion).
        assert_eq!(parse_catalog(br#"{"repositories":["\ud800"]}"#), None);
        let deep = |key: &str, depth: usize| {
            format!("{{\"{key}\":{}{}}}", "[".repeat(depth), "]".repeat(depth))
        };
        assert_eq!(
            parse_catalog(deep("repositories", 100_000).as_bytes()),
            None
        );
        assert_eq!(parse_catalog(deep("x", 100_000).as_bytes()), Some(vec![]));
    }
}
