//! The ping phase: `GET /v2/` (reachability, API version, authentication scheme); in a page,
//! the same URL with `mode: 'no-cors'` to tell "blocks CORS" from "unreachable"; `/v1/_ping`
//! when there is no `/v2/`.

use super::ERROR_BODY_LIMIT;
use super::{origin_of, Phase, Poll, Probe};
use super::{AuthScheme, Failure, HttpResponse, Method, Status, StepId, StepStatus};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::challenge::parse_challenges;
use crate::protocol::remote_url::{origin, parse_remote_url};
use crate::url_field::{ApiVersion, Scheme};

/// The answer of a TLS port to plain http: Go's servers (distribution) and nginx say so.
fn speaks_tls(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains("HTTP request to an HTTPS server")
        || text.contains("plain HTTP request was sent to HTTPS port")
}

impl Probe {
    pub(super) fn poll_ping(&mut self, phase: &Phase) -> Poll {
        let url = match phase {
            Phase::V1Ping => format!("{}/v1/_ping", self.base()),
            Phase::OtherScheme => self.other_ping_url(),
            _ => self.ping_url(),
        };
        if *phase == Phase::Ping {
            self.set_step(
                StepId::Ping,
                StepStatus::Running,
                StepText::PingRunning,
                &[],
                None,
            );
        }
        let mut request = self.request(Method::Get, url, Vec::new(), ERROR_BODY_LIMIT);
        request.no_cors = *phase == Phase::PingNoCors;
        Poll::Send(request)
    }

    pub(super) fn ping_response(&mut self, phase: Phase, response: &HttpResponse) -> Phase {
        let status = response.status;
        match phase {
            Phase::OtherScheme => self.other_scheme_answered(response),
            Phase::PingNoCors => {
                let origin = origin_of(&self.base());
                self.permissions.reach = Status::Yes;
                self.finding(F::CorsBlocked, &origin);
                self.fail_step(StepId::Ping, StepText::PingCorsBlocked, &[], None);
                Phase::Finish
            }
            Phase::V1Ping => {
                if status == 200 {
                    let v1 = format!("{}/v1/", self.base());
                    self.finding(F::V1Only, &v1);
                    self.fail_step(StepId::Ping, StepText::PingV1Only, &[], Some(404));
                } else {
                    let origin = origin_of(&self.base());
                    self.finding(F::NotARegistry, &origin);
                    self.fail_step(StepId::Ping, StepText::PingNotRegistry, &[], Some(404));
                }
                Phase::Finish
            }
            _ => {
                if status == 400 && speaks_tls(&response.body) {
                    if let Some(next) = self.scheme_fallback_answer(response) {
                        return next;
                    }
                }
                self.credentials_withheld();
                self.permissions.reach = Status::Yes;
                if self.env.cors
                    && matches!(status, 200 | 401)
                    && response.header("docker-distribution-api-version").is_none()
                {
                    self.hidden.push("Docker-Distribution-Api-Version");
                }
                let next = self.on_ping(response);
                if self.ping_only && next != Phase::V1Ping {
                    Phase::Finish
                } else {
                    next
                }
            }
        }
    }

    fn on_ping(&mut self, response: &HttpResponse) -> Phase {
        let version = self
            .endpoint
            .as_ref()
            .map_or(ApiVersion::V2, |e| e.api_version);
        match response.status {
            200 => {
                self.api_version = Some(version);
                self.auth = Some(AuthScheme::None);
                self.auth_ok = true;
                self.set_step(
                    StepId::Ping,
                    StepStatus::Ok,
                    StepText::PingOk,
                    &[("version", version.as_str())],
                    Some(200),
                );
                self.set_step(
                    StepId::Auth,
                    StepStatus::Skipped,
                    StepText::AuthNotRequired,
                    &[],
                    None,
                );
                if self.credentials.take().is_some() {
                    self.finding(F::AnonymousAccess, "");
                }
                self.after_auth()
            }
            401 => {
                self.api_version = Some(version);
                self.on_challenge(response, version)
            }
            404 if version == ApiVersion::V2 => {
                self.set_step(
                    StepId::Ping,
                    StepStatus::Warn,
                    StepText::PingNoV2,
                    &[],
                    Some(404),
                );
                Phase::V1Ping
            }
            404 => {
                let origin = origin_of(&self.base());
                self.finding(F::NotARegistry, &origin);
                self.fail_step(StepId::Ping, StepText::PingNotRegistry, &[], Some(404));
                Phase::Finish
            }
            400 if speaks_tls(&response.body) => {
                let origin = origin_of(&self.base());
                let https = origin.replacen("http://", "https://", 1);
                self.finding_with(F::HttpToTlsPort, &[("detail", &origin), ("url", &https)]);
                self.fail_step(StepId::Ping, StepText::ConnectionFailed, &[], Some(400));
                Phase::Finish
            }
            _ => {
                self.registry_error(StepId::Ping, response);
                Phase::Finish
            }
        }
    }

    /// A 401 on the ping: which challenge, and where authentication goes next.
    fn on_challenge(&mut self, response: &HttpResponse, version: ApiVersion) -> Phase {
        let Some(header) = response.header("www-authenticate") else {
            self.finding(F::ChallengeHidden, "");
            self.set_step(
                StepId::Ping,
                StepStatus::Warn,
                StepText::PingAuthHidden,
                &[],
                Some(401),
            );
            self.fail_step(StepId::Auth, StepText::AuthHidden, &[], None);
            return Phase::Finish;
        };
        let challenges = parse_challenges(header);
        let bearer = challenges.iter().find(|c| c.scheme == "bearer");
        let basic = challenges.iter().any(|c| c.scheme == "basic");
        if let Some(bearer) = bearer {
            self.auth = Some(AuthScheme::Bearer);
            self.set_step(
                StepId::Ping,
                StepStatus::Ok,
                StepText::PingToken,
                &[("version", version.as_str())],
                Some(401),
            );
            let realm = bearer.param("realm").and_then(parse_remote_url);
            let Some(realm) = realm else {
                self.finding(F::ChallengeInvalid, "");
                self.fail_step(StepId::Auth, StepText::AuthChallengeInvalid, &[], None);
                return Phase::Finish;
            };
            let realm_loopback =
                crate::url_field::host::is_loopback(realm.host_str().unwrap_or_default());
            // A plain-http realm that is not loopback is never contacted: it would see the
            // credentials, or hand out a token for an https registry in the clear.
            let registry_https = self
                .endpoint
                .as_ref()
                .is_some_and(|e| e.scheme == Scheme::Https);
            if realm.scheme() != "https"
                && !realm_loopback
                && (self.credentials.is_some() || registry_https)
            {
                self.finding(F::TokenRealmInsecure, &origin(&realm));
                self.fail_step(StepId::Auth, StepText::AuthRealmInsecure, &[], None);
                return Phase::Finish;
            }
            self.realm = Some((realm.into(), bearer.param("service").map(str::to_string)));
            if self.credentials.is_none() && self.ping_only {
                return Phase::Finish;
            }
            if self.credentials.is_none() {
                // No login to check: as docker does, ask the token service for each request's
                // own scope. A scope-less anonymous token is refused by Quay, Harbor and GitLab
                // (../shared/providers.md §3.2, §7.2, §8.2) for repositories anyone may pull.
                self.auth_ok = true;
                self.set_step(
                    StepId::Auth,
                    StepStatus::Skipped,
                    StepText::AuthAnonymousTokens,
                    &[],
                    None,
                );
                return self.after_auth();
            }
            Phase::Token {
                scope: String::new(),
                then: Box::new(Phase::AuthRetry),
            }
        } else if basic {
            self.auth = Some(AuthScheme::Basic);
            self.set_step(
                StepId::Ping,
                StepStatus::Ok,
                StepText::PingBasic,
                &[("version", version.as_str())],
                Some(401),
            );
            if self.credentials.is_some() {
                Phase::AuthRetry
            } else {
                let origin = origin_of(&self.base());
                self.finding(F::AuthRequired, &origin);
                self.fail_step(StepId::Auth, StepText::AuthRequired, &[], None);
                Phase::Finish
            }
        } else {
            let schemes: Vec<&str> = challenges
                .iter()
                .map(|c| c.scheme.as_str())
                .take(3)
                .collect();
            let detail = if schemes.is_empty() {
                "none".to_string()
            } else {
                schemes.join(", ")
            };
            self.finding(F::ChallengeUnsupported, &detail);
            self.fail_step(StepId::Auth, StepText::AuthUnsupported, &[], None);
            Phase::Finish
        }
    }

    pub(super) fn ping_failure(&mut self, phase: Phase, failure: Failure) -> Phase {
        if phase == Phase::OtherScheme {
            return self.first_try();
        }
        if let Some(next) = self.scheme_fallback(&phase, &failure) {
            return next;
        }
        let origin = origin_of(&self.base());
        match failure {
            Failure::Network if phase == Phase::Ping && self.env.cors => Phase::PingNoCors,
            Failure::Connection(cause, message) => {
                self.permissions.reach = Status::No;
                let base = self.base();
                self.connection_failed(StepId::Ping, cause, &message, &base);
                Phase::Finish
            }
            Failure::Timeout => {
                self.permissions.reach = Status::No;
                let timeout = format!("{origin} (after {} ms)", self.timeout_ms);
                self.finding(F::Timeout, &timeout);
                self.fail_step(StepId::Ping, StepText::PingTimeout, &[], None);
                Phase::Finish
            }
            _ => {
                self.permissions.reach = Status::No;
                self.finding(F::Unreachable, &origin);
                self.fail_step(StepId::Ping, StepText::PingUnreachable, &[], None);
                Phase::Finish
            }
        }
    }
}
