//! Registry JSON bodies: catalog, tag list, token response, and registry errors.
//!
//! Bodies come from servers nobody controls: every parser takes bytes (already capped by the
//! driver), returns `None` for anything malformed, and never shows a registry's `detail` (it may
//! hold storage paths or stack traces).

use crate::json::Json;

/// `{key: [strings]}`; an absent or `null` list is empty, anything else malformed is `None`.
fn string_list(body: &[u8], key: &str) -> Option<Vec<String>> {
    match Json::parse(body)?.member(key).ok()? {
        None | Some(Json::Null) => Some(Vec::new()),
        Some(Json::Array(items)) => items.iter().map(|i| i.as_str().map(String::from)).collect(),
        Some(_) => None,
    }
}

/// `{"repositories": [...]}` (a `null` list is empty).
pub fn parse_catalog(body: &[u8]) -> Option<Vec<String>> {
    string_list(body, "repositories")
}

/// `{"name": ..., "tags": [...]}` (a `null` list is empty).
pub fn parse_tags(body: &[u8]) -> Option<Vec<String>> {
    string_list(body, "tags")
}

/// `{"token": ...}` or `{"access_token": ...}`; `None` when neither is a non-empty string.
pub fn parse_token(body: &[u8]) -> Option<String> {
    let doc = Json::parse(body)?;
    // Either member, when present, must be a string or null.
    let read = |key| match doc.member(key) {
        Ok(None | Some(Json::Null)) => Ok(None),
        Ok(Some(Json::String(t))) => Ok(Some(t.clone())),
        _ => Err(()),
    };
    let (token, access_token) = (read("token").ok()?, read("access_token").ok()?);
    token.or(access_token).filter(|t| !t.is_empty())
}

/// The first registry error code (`NAME_UNKNOWN`, `DENIED`, …), if the body is an error body.
pub fn parse_error_code(body: &[u8]) -> Option<String> {
    let doc = Json::parse(body)?;
    let Some(Json::Array(errors)) = doc.member("errors").ok()? else {
        return None;
    };
    let code = errors.first()?.member("code").ok()??.as_str()?;
    (code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') && code.len() <= 64)
        .then(|| code.to_string())
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
        assert_eq!(parse_error_code(br#"{"errors":[]}"#), None);
        assert_eq!(parse_error_code(br#"{"errors":[{"message":"m"}]}"#), None);
    }
}
