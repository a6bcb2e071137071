//! The ping phases: `GET /v2/` (reachability, API version, authentication scheme); in a page,
//! the same URL with `mode: 'no-cors'` to tell "blocks CORS" from "unreachable"; `/v1/_ping`
//! when there is no `/v2/`.

use super::auth::AuthRetry;
use super::catalog::after_auth;
use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::{AuthScheme, Status, StepId, StepStatus};
use super::request::{Failure, HttpResponse, Method, ERROR_BODY_LIMIT};
use super::scheme::{OtherScheme, Outcome};
use super::session::{Credentials, RealmRefused};
use super::token::Token;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::challenge::parse_challenges;
use crate::url_field::ApiVersion;

/// `GET /v2/`. `assumed`: no scheme was typed, so the other one may still be tried.
pub(super) struct Ping {
    pub assumed: bool,
}

/// In a page, after the ping failed: the same URL with `mode: 'no-cors'`.
pub(super) struct PingNoCors {
    assumed: bool,
}

/// No `/v2/`: `GET /v1/_ping`.
pub(super) struct V1Ping {
    assumed: bool,
}

/// The answer of a TLS port to plain http: Go's servers (distribution) and nginx say so.
fn speaks_tls(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains("HTTP request to an HTTPS server")
        || text.contains("plain HTTP request was sent to HTTPS port")
}

fn ping_request(cx: &Cx, url: String) -> super::request::HttpRequest {
    cx.build_request(Method::Get, url, Vec::new(), ERROR_BODY_LIMIT)
}

impl Ping {
    pub fn request(self, cx: &mut Cx) -> Next {
        cx.report.set_step(
            StepId::Ping,
            StepStatus::Running,
            StepText::PingRunning,
            &[],
            None,
        );
        let request = ping_request(cx, cx.session.endpoint.ping_url.clone());
        Next::Send(request, Phase::Ping(self))
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let status = response.status;
        if status == 400 && speaks_tls(&response.body) && self.assumed {
            let outcome = Outcome::Answered(response.clone());
            if let Ok(other) = OtherScheme::new(cx, outcome) {
                return Phase::OtherScheme(other);
            }
        }
        credentials_withheld(cx);
        cx.report.permissions.reach = Status::Yes;
        if cx.settings.env.cors
            && matches!(status, 200 | 401)
            && response.header("docker-distribution-api-version").is_none()
        {
            cx.report.hidden.push("Docker-Distribution-Api-Version");
        }
        let next = self.answered(cx, response);
        if cx.settings.ping_only && !matches!(next, Phase::V1Ping(_)) {
            Phase::Finish
        } else {
            next
        }
    }

    fn answered(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let version = cx.session.endpoint.api_version;
        match response.status {
            200 => {
                cx.report.api_version = Some(version);
                cx.session.auth = Some(AuthScheme::None);
                cx.report.auth_ok = true;
                cx.report.set_step(
                    StepId::Ping,
                    StepStatus::Ok,
                    StepText::PingOk,
                    &[("version", version.as_str())],
                    Some(200),
                );
                cx.report.set_step(
                    StepId::Auth,
                    StepStatus::Skipped,
                    StepText::AuthNotRequired,
                    &[],
                    None,
                );
                if cx.session.drop_credentials() {
                    cx.finding(F::AnonymousAccess, "");
                }
                after_auth(cx)
            }
            401 => {
                cx.report.api_version = Some(version);
                on_challenge(cx, response, version)
            }
            404 if version == ApiVersion::V2 => {
                cx.report.set_step(
                    StepId::Ping,
                    StepStatus::Warn,
                    StepText::PingNoV2,
                    &[],
                    Some(404),
                );
                Phase::V1Ping(V1Ping {
                    assumed: self.assumed,
                })
            }
            404 => not_a_registry(cx),
            400 if speaks_tls(&response.body) => {
                let origin = cx.session.origin();
                let https = origin.replacen("http://", "https://", 1);
                cx.finding_with(F::HttpToTlsPort, &[("detail", &origin), ("url", &https)]);
                cx.report
                    .fail_step(StepId::Ping, StepText::ConnectionFailed, &[], Some(400));
                Phase::Finish
            }
            _ => {
                cx.registry_error(StepId::Ping, response);
                Phase::Finish
            }
        }
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        if self.assumed && failure.worth_other_scheme() {
            let first = Phase::Ping(Ping { assumed: false });
            return OtherScheme::after(cx, Outcome::Failed(Box::new(first), failure));
        }
        if failure == Failure::Network && cx.settings.env.cors {
            return Phase::PingNoCors(PingNoCors {
                assumed: self.assumed,
            });
        }
        ping_failed(cx, failure)
    }
}

impl PingNoCors {
    pub fn request(self, cx: &mut Cx) -> Next {
        let mut request = ping_request(cx, cx.session.endpoint.ping_url.clone());
        request.no_cors = true;
        Next::Send(request, Phase::PingNoCors(self))
    }

    /// Something answered (opaque): the registry is there, and CORS keeps the page out.
    pub fn on_response(self, cx: &mut Cx, _response: &HttpResponse) -> Phase {
        cx.report.permissions.reach = Status::Yes;
        let origin = cx.session.origin();
        cx.finding(F::CorsBlocked, &origin);
        cx.report
            .fail_step(StepId::Ping, StepText::PingCorsBlocked, &[], None);
        Phase::Finish
    }

    /// Nothing answered even without CORS (in a page, the other scheme is worth a try then).
    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        let worth = failure == Failure::Network || failure.worth_other_scheme();
        if self.assumed && worth {
            let first = Phase::PingNoCors(PingNoCors { assumed: false });
            return OtherScheme::after(cx, Outcome::Failed(Box::new(first), failure));
        }
        ping_failed(cx, failure)
    }
}

impl V1Ping {
    pub fn request(self, cx: &mut Cx) -> Next {
        let url = format!("{}/v1/_ping", cx.session.base());
        Next::Send(ping_request(cx, url), Phase::V1Ping(self))
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        if response.status == 200 {
            let v1 = format!("{}/v1/", cx.session.base());
            cx.finding(F::V1Only, &v1);
            cx.report
                .fail_step(StepId::Ping, StepText::PingV1Only, &[], Some(404));
            Phase::Finish
        } else {
            not_a_registry(cx)
        }
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        if self.assumed && failure.worth_other_scheme() {
            let first = Phase::V1Ping(V1Ping { assumed: false });
            return OtherScheme::after(cx, Outcome::Failed(Box::new(first), failure));
        }
        ping_failed(cx, failure)
    }
}

fn not_a_registry(cx: &mut Cx) -> Phase {
    let origin = cx.session.origin();
    cx.finding(F::NotARegistry, &origin);
    cx.report
        .fail_step(StepId::Ping, StepText::PingNotRegistry, &[], Some(404));
    Phase::Finish
}

/// The ping got no answer: the registry is not reached, for the cause the failure names.
fn ping_failed(cx: &mut Cx, failure: Failure) -> Phase {
    cx.report.permissions.reach = Status::No;
    let origin = cx.session.origin();
    match failure {
        Failure::Connection(cause, message) => {
            let base = cx.session.base();
            cx.connection_failed(StepId::Ping, cause, &message, &base);
        }
        Failure::Timeout => {
            let timeout = cx.after_timeout(&origin);
            cx.finding(F::Timeout, &timeout);
            cx.report
                .fail_step(StepId::Ping, StepText::PingTimeout, &[], None);
        }
        _ => {
            cx.finding(F::Unreachable, &origin);
            cx.report
                .fail_step(StepId::Ping, StepText::PingUnreachable, &[], None);
        }
    }
    Phase::Finish
}

/// Credentials held back from plain http stay unsent: say so (once).
pub(super) fn credentials_withheld(cx: &mut Cx) {
    if matches!(cx.session.credentials, Credentials::Withheld(..)) {
        cx.session.credentials = Credentials::None;
        let origin = cx.session.origin();
        cx.finding(F::InsecureCredentials, &origin);
    }
}

/// A 401 on the ping: which challenge, and where authentication goes next.
fn on_challenge(cx: &mut Cx, response: &HttpResponse, version: ApiVersion) -> Phase {
    let Some(header) = response.header("www-authenticate") else {
        cx.finding(F::ChallengeHidden, "");
        cx.report.set_step(
            StepId::Ping,
            StepStatus::Warn,
            StepText::PingAuthHidden,
            &[],
            Some(401),
        );
        cx.report
            .fail_step(StepId::Auth, StepText::AuthHidden, &[], None);
        return Phase::Finish;
    };
    let challenges = parse_challenges(header);
    let bearer = challenges.iter().find(|c| c.scheme == "bearer");
    let basic = challenges.iter().any(|c| c.scheme == "basic");
    let slots = [("version", version.as_str())];
    if let Some(bearer) = bearer {
        cx.session.auth = Some(AuthScheme::Bearer);
        cx.report.set_step(
            StepId::Ping,
            StepStatus::Ok,
            StepText::PingToken,
            &slots,
            Some(401),
        );
        let realm = match cx.session.check_realm(bearer) {
            Ok(realm) => realm,
            Err(RealmRefused::Invalid) => {
                cx.finding(F::ChallengeInvalid, "");
                cx.report
                    .fail_step(StepId::Auth, StepText::AuthChallengeInvalid, &[], None);
                return Phase::Finish;
            }
            Err(RealmRefused::Insecure(origin)) => {
                cx.finding(F::TokenRealmInsecure, &origin);
                cx.report
                    .fail_step(StepId::Auth, StepText::AuthRealmInsecure, &[], None);
                return Phase::Finish;
            }
        };
        cx.session.realm = Some(realm);
        let credentials = cx.session.given().is_some();
        if !credentials && cx.settings.ping_only {
            return Phase::Finish;
        }
        if !credentials {
            // No login to check: as docker does, ask the token service for each request's
            // own scope. A scope-less anonymous token is refused by Quay, Harbor and GitLab
            // (../shared/providers.md §3.2, §7.2, §8.2) for repositories anyone may pull.
            cx.report.auth_ok = true;
            cx.report.set_step(
                StepId::Auth,
                StepStatus::Skipped,
                StepText::AuthAnonymousTokens,
                &[],
                None,
            );
            return after_auth(cx);
        }
        Phase::Token(Token::new(String::new(), Phase::AuthRetry(AuthRetry)))
    } else if basic {
        cx.session.auth = Some(AuthScheme::Basic);
        cx.report.set_step(
            StepId::Ping,
            StepStatus::Ok,
            StepText::PingBasic,
            &slots,
            Some(401),
        );
        if cx.session.given().is_some() {
            Phase::AuthRetry(AuthRetry)
        } else {
            let origin = cx.session.origin();
            cx.finding(F::AuthRequired, &origin);
            cx.report
                .fail_step(StepId::Auth, StepText::AuthRequired, &[], None);
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
        cx.finding(F::ChallengeUnsupported, &detail);
        cx.report
            .fail_step(StepId::Auth, StepText::AuthUnsupported, &[], None);
        Phase::Finish
    }
}
