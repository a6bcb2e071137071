//! Credentials that will expire: "Test connection passed, the pipeline failed tomorrow". The
//! password is sometimes a one-off token whose lifetime can be read from it: what
//! `aws ecr get-login-password` prints (base64 of JSON with an `expiration`, 12 hours after issue,
//! ../shared/providers.md §4a.2), any JWT with `exp`; or whose lifetime is known: a Google access
//! token used with the username `oauth2accesstoken` (about an hour from issue, §5.8; it is opaque,
//! and is never sent anywhere to ask). The token is never shown.

use super::report_builder::{Held, ReportBuilder};
use crate::messages::finding::FindingCode as F;
use crate::protocol::token_access::jwt_expiry;
use crate::url_field::provider::Provider;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Deserialize;

/// Warn when the password expires within this many seconds (7 days).
const SOON_S: u64 = 7 * 24 * 3600;

/// When a one-off password stops working.
#[derive(Debug, PartialEq, Eq)]
enum Lifetime {
    /// At this time (seconds since 1970).
    Until(u64),
    /// About an hour after it was issued (when is not in the token).
    AboutAnHour,
}

/// What the password is, and when it stops working, if it is a one-off token.
fn one_off(username: &str, password: &str) -> Option<(&'static str, Lifetime)> {
    #[derive(Deserialize)]
    struct EcrPassword {
        expiration: f64,
    }
    let password = password.trim();
    if username.trim() == "oauth2accesstoken" {
        return Some(("a Google access token", Lifetime::AboutAnHour));
    }
    let ecr = STANDARD
        .decode(password)
        .ok()
        .and_then(|json| serde_json::from_slice::<EcrPassword>(&json).ok())
        .map(|p| p.expiration)
        .filter(|e| e.is_finite() && *e >= 0.0);
    if let Some(expiration) = ecr {
        return Some((
            "an ECR password (aws ecr get-login-password)",
            Lifetime::Until(expiration as u64),
        ));
    }
    jwt_expiry(password).map(|exp| ("a token", Lifetime::Until(exp)))
}

/// A duration as people say it: "40 minutes", "11 hours", "3 days".
fn about(seconds: u64) -> String {
    match seconds {
        s if s < 2 * 3600 => format!("{} minutes", s.div_ceil(60).max(1)),
        s if s < 2 * 86_400 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

/// The long-lived credential to use instead, for the provider.
fn lasting_credential(provider: Provider) -> &'static str {
    match provider {
        Provider::Ecr => "an IAM-based connection, or a job that refreshes the 12-hour password before it expires",
        Provider::Gcr | Provider::ArtifactRegistry => "a service-account key with the username _json_key",
        Provider::Gitlab => "a deploy token",
        _ => "a long-lived credential (a robot account, a deploy token or an access token without an expiry)",
    }
}

/// Findings for a password that will expire (`now_s`: the driver's clock).
pub(super) fn credential_expiry(
    report: &mut ReportBuilder,
    provider: Provider,
    username: &str,
    password: &str,
    now_s: u64,
) {
    let Some((what, lifetime)) = one_off(username, password) else {
        return;
    };
    let fix = lasting_credential(provider);
    match lifetime {
        Lifetime::Until(at) if at <= now_s => {
            let when = format!("{} ago", about(now_s - at));
            let slots = [("detail", what), ("value", &when), ("url", fix)];
            report.finding(F::CredentialExpired, &slots, Some(username), Held::No);
        }
        Lifetime::Until(at) if at - now_s <= SOON_S => {
            let when = format!("in {}", about(at - now_s));
            let slots = [("detail", what), ("value", &when), ("url", fix)];
            report.finding(F::CredentialExpires, &slots, Some(username), Held::No);
        }
        Lifetime::Until(_) => {}
        Lifetime::AboutAnHour => {
            let when = "about an hour after it was issued";
            let slots = [("detail", what), ("value", when), ("url", fix)];
            report.finding(F::CredentialExpires, &slots, Some(username), Held::No);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_off_passwords_are_recognised_without_being_shown() {
        let ecr = STANDARD.encode(r#"{"payload":"x","datakey":"y","version":"2","type":"DATA_KEY","expiration":1765000000}"#);
        assert_eq!(
            one_off("AWS", &ecr).map(|o| o.1),
            Some(Lifetime::Until(1_765_000_000))
        );
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NjUwMDAwMDB9.c2ln";
        assert_eq!(
            one_off("ci", jwt).map(|o| o.1),
            Some(Lifetime::Until(1_765_000_000))
        );
        assert_eq!(
            one_off("oauth2accesstoken", "ya29.opaque").map(|o| o.1),
            Some(Lifetime::AboutAnHour)
        );
        assert_eq!(one_off("ci", "hunter2"), None);
        assert_eq!(about(59), "1 minutes");
        assert_eq!(about(11 * 3600 + 5), "11 hours");
        assert_eq!(about(3 * 86_400), "3 days");
    }
}
