//! The host part of a registry URL: DNS names, IPv4 and bracketed IPv6 addresses.
//!
//! The host is read by the WHATWG URL host parser (the `url` crate), so the endpoint names the
//! host `fetch` really contacts: `010.0.0.1` is `8.0.0.1`, `0x7f.1` and `2130706433` are
//! `127.0.0.1`, IPv6 is serialized as WHATWG does, Unicode names become punycode (UTS 46), and
//! what the standard rejects (`1.2.3.08`, `foo.0x4`, an `xn--` label that is not punycode) is
//! an error. Each rewrite is an info with the canonical form as its fix. On top of the
//! standard, a name must be a DNS host name:
//! ```text
//! domain   := label ("." label)* "."?        ; at most 253 characters in ASCII form
//! label    := [a-z0-9] ([a-z0-9-]* [a-z0-9])? ; at most 63 characters
//! ```
//! Loopback hosts (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`) may use plain http.

use crate::messages::diagnostic::{Code, Diagnostic};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use url::ParseError;

/// A validated host in canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Host {
    /// Lowercase ASCII; IPv6 in brackets.
    pub ascii: String,
    /// Loopback: may use plain http.
    pub loopback: bool,
    /// A private-network IP address (RFC 1918, fc00::/7): plain http is assumed when no scheme
    /// is typed, as Docker clients and go-containerregistry do.
    pub private: bool,
}

impl Host {
    fn new(ascii: String) -> Host {
        Host {
            loopback: is_loopback(&ascii),
            private: is_private_address(&ascii),
            ascii,
        }
    }
}

/// Validates the host at byte range `span` of `input`; pushes at most one error.
pub(crate) fn parse_host(
    input: &str,
    span: Range<usize>,
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
    // The whole field with the host written as `canonical`.
    let rewritten = |canonical: &str| {
        let before = input.get(..span.start).unwrap_or_default();
        let after = input.get(span.end..).unwrap_or_default();
        err(Code::UrlHostRewritten, 0..text.len(), canonical).with_fix(
            format!("Use {canonical}"),
            format!("{before}{canonical}{after}").trim().to_string(),
        )
    };
    if text.is_empty() {
        diags.push(err(Code::UrlHostEmpty, 0..0, ""));
        return None;
    }
    if text.starts_with('[') {
        return match url::Host::parse(text) {
            Ok(host @ url::Host::Ipv6(_)) => {
                let ascii = host.to_string();
                if ascii != text.to_ascii_lowercase() {
                    diags.push(rewritten(&ascii));
                }
                Some(Host::new(ascii))
            }
            _ => {
                diags.push(err(Code::UrlIpv6Invalid, 0..text.len(), ""));
                None
            }
        };
    }
    let trimmed = text.strip_suffix('.').unwrap_or(text);
    // The whole text, as fetch reads it (`0..` is a name, `0.` an address); a name's one
    // trailing dot is then dropped from the canonical host.
    let ascii = match url::Host::parse(text) {
        Ok(url::Host::Domain(ascii)) => match ascii.strip_suffix('.') {
            Some(name) => name.to_string(),
            None => ascii,
        },
        Ok(address) => {
            let ascii = address.to_string();
            if ascii != trimmed {
                diags.push(rewritten(&ascii));
            }
            return Some(Host::new(ascii));
        }
        Err(ParseError::InvalidIpv4Address) => {
            diags.push(err(Code::UrlHostIpv4Invalid, 0..text.len(), ""));
            return None;
        }
        Err(ParseError::IdnaError) if !trimmed.is_ascii() || has_ace_label(trimmed) => {
            diags.push(idna_error(trimmed, &err));
            return None;
        }
        Err(_) => {
            // A forbidden character: name the first one the DNS rules below find.
            let lower = trimmed.to_ascii_lowercase();
            let diagnostic = match check_domain(&lower) {
                Some(DomainError::InvalidChar(at, c)) => err(
                    Code::UrlHostInvalidChar,
                    at..at + c.len_utf8(),
                    &quote_char(c),
                ),
                _ => err(Code::UrlHostInvalidChar, 0..text.len(), "a character"),
            };
            diags.push(diagnostic);
            return None;
        }
    };
    if !trimmed.is_ascii() {
        diags.push(err(Code::UrlHostPunycode, 0..text.len(), &ascii));
    } else if ascii != trimmed.to_ascii_lowercase() {
        diags.push(rewritten(&ascii));
    }
    // Spans point into the typed text when it is the same name; otherwise at the whole host.
    let same = trimmed.eq_ignore_ascii_case(&ascii);
    let locate = |range: Range<usize>| if same { range } else { 0..text.len() };
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
    Some(Host::new(ascii))
}

/// True for a label that claims to be punycode (`xn--`, in any case).
fn is_ace(label: &str) -> bool {
    label
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
}

fn has_ace_label(host: &str) -> bool {
    host.split('.').any(is_ace)
}

/// The error for a name UTS 46 rejects: an `xn--` label that is not punycode is named.
fn idna_error(host: &str, err: &dyn Fn(Code, Range<usize>, &str) -> Diagnostic) -> Diagnostic {
    let mut at = 0;
    for label in host.split('.') {
        let range = at..at + label.len();
        at = range.end + 1;
        if label.is_ascii() && is_ace(label) && url::Host::parse(label).is_err() {
            return err(Code::UrlHostPunycodeInvalid, range, label);
        }
    }
    err(Code::UrlHostIdnInvalid, 0..host.len(), "")
}

/// The address of a canonical IP host (`127.0.0.1`, `[::1]`), `None` for a name.
pub(crate) fn ip_address(host: &str) -> Option<IpAddr> {
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => host.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// True for loopback hosts in canonical ASCII form: `localhost`, `*.localhost`, 127.0.0.0/8,
/// `[::1]` and IPv4-mapped 127.0.0.0/8. The one rule for "may use plain http" (URL field,
/// credentials, token realms).
pub(crate) fn is_loopback(host: &str) -> bool {
    if let Some(address) = ip_address(host) {
        return match address {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => {
                v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        };
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    const SUFFIX: &str = ".localhost";
    host.eq_ignore_ascii_case("localhost")
        || host
            .len()
            .checked_sub(SUFFIX.len())
            .and_then(|at| host.get(at..))
            .is_some_and(|end| end.eq_ignore_ascii_case(SUFFIX))
}

/// True for RFC 1918 IPv4 (10/8, 172.16/12, 192.168/16) and unique-local IPv6 (fc00::/7)
/// addresses in canonical form; names never are.
pub(crate) fn is_private_address(host: &str) -> bool {
    match ip_address(host) {
        Some(IpAddr::V4(v4)) => v4.is_private(),
        Some(IpAddr::V6(v6)) => v6.segments()[0] & 0xfe00 == 0xfc00,
        None => false,
    }
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
            "[::ffff:7f00:1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "localhost.example.com",
            "128.0.0.1",
            "10.0.0.1",
            "[::2]",
            "[::ffff:127.0.0.1]x",
            "[::ffff:7f00]",
            "example.com",
            "127.0.0",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
