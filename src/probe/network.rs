//! Failures the network gives, in every phase: a connection that failed for a cause the
//! environment names (DNS, refused, reset, TLS, the server's policy), and a catalog, tags or
//! manifest request that got no answer.

use super::context::Cx;
use super::report::StepId;
use super::request::{Failure, NetworkCause};
use super::session::origin_of;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::remote_url::parse_remote_url;

/// `http://host[:port]` for an https origin (the same host and port, without TLS).
fn plain_http_of(origin: &str) -> String {
    match origin.strip_prefix("https://") {
        Some(rest) => format!("http://{rest}"),
        None => origin.to_string(),
    }
}

/// The names a certificate is for: the driver's detail (`DNS:a, IP:b`, the certificate's
/// subjectAltName), or what Node's mismatch message lists after `altnames:`.
fn certificate_names(detail: &str) -> String {
    let names = match detail.rsplit_once("altnames: ") {
        Some((_, listed)) if !listed.contains("is not in the cert's list") => listed,
        Some(_) => "",
        None => detail,
    }
    .trim()
    .trim_end_matches('.');
    if names.is_empty() {
        "none".to_string()
    } else {
        names.chars().take(200).collect()
    }
}

impl NetworkCause {
    /// The finding that names this cause (its code is also the trace's `error`).
    pub(super) fn finding(self) -> F {
        match self {
            NetworkCause::DnsNotFound => F::DnsNotFound,
            NetworkCause::Refused => F::ConnectionRefused,
            NetworkCause::Reset => F::ConnectionReset,
            NetworkCause::TlsUntrusted => F::TlsUntrusted,
            NetworkCause::TlsExpired => F::TlsExpired,
            NetworkCause::TlsNameMismatch => F::TlsNameMismatch,
            NetworkCause::NotTls => F::TlsNotTls,
            NetworkCause::AddressNotAllowed => F::AddressNotAllowed,
            NetworkCause::ProxyUnreachable => F::ProxyUnreachable,
            NetworkCause::ProxyAuthRequired => F::ProxyAuthRequired,
            NetworkCause::ProxyAuthUnsupported => F::ProxyAuthUnsupported,
            NetworkCause::ProxyRefused => F::ProxyRefused,
            NetworkCause::ProxyNameUnresolved => F::ProxyNameUnresolved,
        }
    }
}

impl Cx<'_> {
    /// A connection that failed for a known cause, to `url` (the registry or the token service).
    pub fn connection_failed(
        &mut self,
        step: StepId,
        cause: NetworkCause,
        message: &str,
        url: &str,
    ) {
        let origin = origin_of(url);
        let code = cause.finding();
        let http = plain_http_of(&origin);
        let names = certificate_names(message);
        let validity = if message.contains(" – ") {
            message
        } else {
            "?"
        };
        self.finding_with(
            code,
            &[
                ("detail", &origin),
                ("proxy", message),
                ("names", &names),
                ("url", &http),
                ("validity", validity),
            ],
        );
        if cause == NetworkCause::NotTls {
            let host = parse_remote_url(&origin).and_then(|u| u.host_str().map(str::to_string));
            let local = host.as_deref().is_some_and(|h| {
                crate::url_field::host::is_loopback(h)
                    || crate::url_field::host::is_private_address(h)
            });
            if !local {
                self.finding(F::TlsNotTlsPublic, &origin);
            }
        }
        self.report
            .fail_step(step, StepText::ConnectionFailed, &[], None);
    }

    /// A catalog, tags or manifest request that got no answer.
    pub fn listing_failed(&mut self, step: StepId, name: &str, failure: Failure) {
        let origin = self.session.origin();
        if let Failure::Connection(cause, message) = &failure {
            let base = self.session.base();
            self.connection_failed(step, *cause, message, &base);
            return;
        }
        if failure == Failure::Timeout {
            let timeout = self.after_timeout(&origin);
            self.finding(F::Timeout, &timeout);
        } else if self.settings.env.cors {
            self.finding(F::CorsBlockedPath, name);
        } else {
            self.finding(F::Unreachable, &origin);
        }
        self.report
            .fail_step(step, StepText::RequestFailed, &[], None);
    }
}
