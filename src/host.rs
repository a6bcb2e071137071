//! The host part of a registry URL: DNS names, IPv4 and bracketed IPv6 addresses.
//!
//! ```text
//! host     := "[" ipv6 "]" | ipv4 | domain
//! domain   := label ("." label)* "."?        ; at most 253 characters in ASCII form
//! label    := [a-z0-9] ([a-z0-9-]* [a-z0-9])? ; at most 63 characters
//! ```
//! Unicode domains are converted to punycode first (see [`crate::punycode`]).
//! Loopback hosts (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`) may use plain http.

use crate::diagnostic::{Code, Diagnostic};
use std::ops::Range;

/// Converts a Unicode domain to ASCII (`None` if it cannot be converted).
pub type ToAscii<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A validated host in canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Host {
    /// Lowercase ASCII; IPv6 in brackets.
    pub ascii: String,
    /// Loopback: may use plain http.
    pub loopback: bool,
}

/// Validates the host at byte range `span` of `input`; pushes at most one error.
pub(crate) fn parse_host(
    input: &str,
    span: Range<usize>,
    to_ascii: ToAscii,
    diags: &mut Vec<Diagnostic>,
) -> Option<Host> {
    let text = input.get(span.clone())?;
    let err = |code, range: Range<usize>, detail: &str| {
        Diagnostic::new(
            code,
            input,
            span.start + range.start..span.start + range.end,
            detail,
        )
    };
    if text.is_empty() {
        diags.push(err(Code::UrlHostEmpty, 0..0, ""));
        return None;
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return match crate::ipv6::parse(inner) {
            Some(addr) => {
                let ascii = format!("[{}]", crate::ipv6::format(&addr));
                Some(Host {
                    loopback: is_loopback(&ascii),
                    ascii,
                })
            }
            None => {
                diags.push(err(Code::UrlIpv6Invalid, 0..text.len(), ""));
                None
            }
        };
    }
    let trimmed = text.strip_suffix('.').unwrap_or(text);
    let ascii = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        match to_ascii(trimmed) {
            Some(ascii) if ascii.is_ascii() => {
                diags.push(err(Code::UrlHostPunycode, 0..text.len(), &ascii));
                ascii
            }
            _ => {
                diags.push(err(Code::UrlHostIdnInvalid, 0..text.len(), ""));
                return None;
            }
        }
    };
    // Spans point into the typed text when it is ASCII; otherwise at the whole host.
    let locate = |range: Range<usize>| {
        if trimmed.is_ascii() {
            range
        } else {
            0..text.len()
        }
    };
    if ascii.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return match parse_ipv4(&ascii) {
            Some(_) => Some(Host {
                loopback: is_loopback(&ascii),
                ascii,
            }),
            None => {
                diags.push(err(Code::UrlHostIpv4Invalid, 0..text.len(), ""));
                None
            }
        };
    }
    if let Some(error) = check_domain(&ascii) {
        let diagnostic = match error {
            DomainError::InvalidChar(at, c) => err(
                Code::UrlHostInvalidChar,
                locate(at..at + c.len_utf8()),
                &quote_char(c),
            ),
            DomainError::EmptyLabel(at) => err(Code::UrlHostLabelEmpty, locate(at..at + 1), ""),
            DomainError::Hyphen(range) => {
                let label = ascii.get(range.clone()).unwrap_or_default().to_string();
                err(Code::UrlHostLabelHyphen, locate(range), &label)
            }
            DomainError::LabelTooLong(range) => err(Code::UrlHostLabelTooLong, locate(range), ""),
            DomainError::TooLong => err(Code::UrlHostTooLong, 0..text.len(), ""),
        };
        diags.push(diagnostic);
        return None;
    }
    Some(Host {
        loopback: is_loopback(&ascii),
        ascii,
    })
}

/// True for loopback hosts in canonical ASCII form: `localhost`, `*.localhost`, 127.0.0.0/8 and
/// `[::1]`. The one rule for "may use plain http" (URL field, credentials, token realms).
pub(crate) fn is_loopback(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return crate::ipv6::parse(inner).is_some_and(|a| crate::ipv6::is_loopback(&a));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    const SUFFIX: &str = ".localhost";
    host.eq_ignore_ascii_case("localhost")
        || host
            .len()
            .checked_sub(SUFFIX.len())
            .and_then(|at| host.get(at..))
            .is_some_and(|end| end.eq_ignore_ascii_case(SUFFIX))
        || parse_ipv4(host).is_some_and(|octets| octets[0] == 127)
}

/// Shows a character in a message: printable ones quoted, others as a code point.
pub(crate) fn quote_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

enum DomainError {
    InvalidChar(usize, char),
    EmptyLabel(usize),
    Hyphen(Range<usize>),
    LabelTooLong(Range<usize>),
    TooLong,
}

fn check_domain(ascii: &str) -> Option<DomainError> {
    if let Some((at, c)) = ascii
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
    {
        return Some(DomainError::InvalidChar(at, c));
    }
    let mut start = 0;
    for label in ascii.split('.') {
        let range = start..start + label.len();
        if label.is_empty() {
            return Some(DomainError::EmptyLabel(
                start.saturating_sub(1).min(ascii.len()),
            ));
        }
        if label.len() > 63 {
            return Some(DomainError::LabelTooLong(range));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(DomainError::Hyphen(range));
        }
        start = range.end + 1;
    }
    (ascii.len() > 253).then_some(DomainError::TooLong)
}

/// Four dot-separated decimal octets (leading zeros allowed: the URL field is lenient).
pub(crate) fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn one_loopback_rule() {
        for host in [
            "localhost",
            "LOCALHOST",
            "registry.localhost",
            "127.0.0.1",
            "127.9.8.7",
            "[::1]",
            "localhost.",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "localhost.example.com",
            "128.0.0.1",
            "10.0.0.1",
            "[::2]",
            "[::ffff:127.0.0.1]x",
            "example.com",
            "127.0.0",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
