//! Registry JSON bodies: catalog, tag list, token response, and registry errors.
//!
//! Bodies come from servers nobody controls: every parser takes bytes (already capped by the
//! driver), returns `None` for anything malformed, and never shows a registry's `detail` (it may
//! hold storage paths or stack traces).

use serde::Deserialize;

#[derive(Deserialize)]
struct Catalog {
    repositories: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct TagList {
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Token {
    token: Option<String>,
    access_token: Option<String>,
}

#[derive(Deserialize)]
struct Errors {
    errors: Vec<RegistryError>,
}

#[derive(Deserialize)]
struct RegistryError {
    code: String,
}

/// `{"repositories": [...]}` (a `null` list is empty).
pub fn parse_catalog(body: &[u8]) -> Option<Vec<String>> {
    serde_json::from_slice::<Catalog>(body)
        .ok()
        .map(|c| c.repositories.unwrap_or_default())
}

/// `{"name": ..., "tags": [...]}` (a `null` list is empty).
pub fn parse_tags(body: &[u8]) -> Option<Vec<String>> {
    serde_json::from_slice::<TagList>(body)
        .ok()
        .map(|t| t.tags.unwrap_or_default())
}

/// `{"token": ...}` or `{"access_token": ...}`; `None` when neither is a non-empty string.
pub fn parse_token(body: &[u8]) -> Option<String> {
    let t = serde_json::from_slice::<Token>(body).ok()?;
    t.token.or(t.access_token).filter(|t| !t.is_empty())
}

/// The first registry error code (`NAME_UNKNOWN`, `DENIED`, …), if the body is an error body.
pub fn parse_error_code(body: &[u8]) -> Option<String> {
    let e = serde_json::from_slice::<Errors>(body).ok()?;
    let code = e.errors.into_iter().next()?.code;
    code.bytes()
        .all(|b| b.is_ascii_uppercase() || b == b'_')
        .then_some(code)
        .filter(|c| c.len() <= 64)
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
    }
}
