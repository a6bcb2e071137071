//! The small lexical pieces of the URL field: scheme names, authority delimiters, path
//! characters and segments, and which paths are pasted API calls.

use super::ApiVersion;
use std::ops::Range;

/// Splits `text` on `/`, dropping empty segments, with each segment's byte range.
pub(super) fn segments(text: &str, offset: usize) -> Vec<(&str, Range<usize>)> {
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
pub(super) fn malformed_scheme(text: &str) -> Option<(&'static str, usize)> {
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
pub(super) fn ends_authority(b: u8) -> bool {
    matches!(b, b'/' | b'?' | b'#' | b'\\')
}

/// Where `://` ends a valid scheme name at the start of `text`.
pub(super) fn find_scheme_end(text: &str) -> Option<usize> {
    let at = text.as_bytes().windows(3).position(|w| w == b"://")?;
    is_scheme_name(text.get(..at)?).then_some(at)
}

pub(super) fn is_scheme_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
}

pub(super) fn is_path_char(c: char) -> bool {
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

pub(super) fn is_api_path(version: ApiVersion, after: &[&str]) -> bool {
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
