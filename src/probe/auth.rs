//! The authentication phases: the retry of `/v2/` with credentials (Basic) or a token, and the
//! token service (one token per scope; in a page, a `no-cors` request tells "blocks CORS" from
//! "unreachable").

use super::{origin_of, Authorization, HttpRequest, Phase, Poll, Probe};
use super::{AuthScheme, ERROR_BODY_LIMIT, TOKEN_BODY_LIMIT};
use super::{Failure, HttpResponse, Method, StepId, StepStatus};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::registry_json::parse_token_answer;
use crate::protocol::remote_url::parse_remote_url;
use crate::protocol::token_access::{granted_access, missing_access};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};

/// The catalog's token scope.
pub(super) const CATALOG_SCOPE: &str = "registry:catalog:*";

/// `Basic` credentials (RFC 7617).
pub(super) fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

/// The token request: the realm with `service` and `scope` added to its query.
fn token_url(realm: &str, service: Option<&str>, scope: &str) -> String {
    let Some(mut url) = parse_remote_url(realm) else {
        return realm.to_string();
    };
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = service {
            query.append_pair("service", service);
        }
        if !scope.is_empty() {
            query.append_pair("scope", scope);
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    url.into()
}

impl Probe {
    /// The request of `phase` for `scope`, or the token phase that must come first.
    pub(super) fn authorized(
        &mut self,
        phase: &Phase,
        scope: &str,
        send: impl FnOnce(&mut Self, Vec<(&'static str, String)>) -> HttpRequest,
    ) -> Poll {
        // The scope the registry named for this request, if it named another (follow_scope).
        let step = phase.step();
        let scope = self
            .named_scopes
            .iter()
            .find(|(s, asked, _)| *s == step && asked == scope)
            .map_or(scope, |(_, _, named)| named.as_str())
            .to_string();
        match self.authorization(&scope) {
            Authorization::Headers(headers) => Poll::Send(send(self, headers)),
            Authorization::NeedsToken => Poll::Goto(Phase::Token {
                scope,
                then: Box::new(phase.clone()),
            }),
        }
    }

    /// The Authorization header for `scope`.
    fn authorization(&self, scope: &str) -> Authorization {
        match self.auth {
            Some(AuthScheme::Basic) => Authorization::Headers(
                self.credentials
                    .as_ref()
                    .map(|(u, p)| vec![("Authorization", basic(u, p))])
                    .unwrap_or_default(),
            ),
            Some(AuthScheme::Bearer) => match self.tokens.iter().find(|(s, _)| s == scope) {
                Some((_, Some(token))) => {
                    Authorization::Headers(vec![("Authorization", format!("Bearer {token}"))])
                }
                Some((_, None)) => Authorization::Headers(Vec::new()),
                None => Authorization::NeedsToken,
            },
            _ => Authorization::Headers(Vec::new()),
        }
    }

    pub(super) fn poll_auth(&mut self, phase: &Phase) -> Poll {
        match phase {
            Phase::Token { scope, .. } => {
                let Some((realm, service)) = self.realm.clone() else {
                    return Poll::Goto(Phase::Finish);
                };
                let url = token_url(&realm, service.as_deref(), scope);
                self.set_step(
                    StepId::Token,
                    StepStatus::Running,
                    StepText::TokenRunning,
                    &[],
                    None,
                );
                let headers = match &self.credentials {
                    Some((u, p)) => vec![("Authorization", basic(u, p))],
                    None => Vec::new(),
                };
                Poll::Send(self.request(Method::Get, url, headers, TOKEN_BODY_LIMIT))
            }
            Phase::TokenNoCors { realm, .. } => {
                let mut request = self.request(Method::Get, realm.clone(), Vec::new(), 0);
                request.no_cors = true;
                Poll::Send(request)
            }
            _ => self.authorized(phase, "", |probe, headers| {
                probe.set_step(
                    StepId::Auth,
                    StepStatus::Running,
                    StepText::AuthRunning,
                    &[],
                    None,
                );
                let url = probe.ping_url();
                probe.request(Method::Get, url, headers, ERROR_BODY_LIMIT)
            }),
        }
    }

    pub(super) fn auth_response(&mut self, phase: Phase, response: &HttpResponse) -> Phase {
        let status = response.status;
        match phase {
            Phase::Token { scope, then } => {
                let realm = self.realm_origin();
                let answer = (status == 200)
                    .then(|| parse_token_answer(&response.body))
                    .flatten();
                let got = answer.is_some();
                // The first token request (the login check, or an anonymous probe's first scope).
                let first = self.tokens.is_empty();
                if let Some(answer) = &answer {
                    self.token_details(&scope, answer.expires_in, &answer.token);
                }
                // Quay's token service refuses the catalog scope (400, providers.md §3.2) but lists
                // what an authenticated account sees with its scope-less token (§3.3).
                let login = self
                    .tokens
                    .iter()
                    .find(|(s, _)| s.is_empty())
                    .and_then(|(_, t)| t.clone());
                let fallback = (!got && status == 400 && scope == CATALOG_SCOPE)
                    .then_some(login)
                    .flatten();
                let got = got || fallback.is_some();
                self.tokens
                    .push((scope.clone(), answer.map(|a| a.token).or(fallback)));
                if got {
                    self.set_step(
                        StepId::Token,
                        StepStatus::Ok,
                        StepText::TokenOk,
                        &[("realm", &realm)],
                        Some(status),
                    );
                    return *then;
                }
                if status == 401 || status == 403 {
                    if self.credentials.is_some() && scope.is_empty() {
                        self.finding(F::CredentialsRejected, "");
                    } else if scope.is_empty() {
                        self.finding(F::TokenDenied, &realm);
                    }
                } else if scope.is_empty() || status >= 500 || status == 200 {
                    self.finding(F::TokenInvalid, &realm);
                }
                // A scope refused with another 4xx (Quay answers the catalog scope 400,
                // providers.md §3.2) is named by the request's own answer, sent without it.
                self.fail_step(StepId::Token, StepText::TokenRefused, &[], Some(status));
                // A service that gives no usable answer to its first request (a 5xx, an
                // unreadable 200) will give none: nothing can be checked.
                let broken = !(400..500).contains(&status);
                if scope.is_empty() || (first && broken) {
                    self.auth_ok = false;
                    self.fail_step(StepId::Auth, StepText::AuthFailed, &[], None);
                    Phase::Finish
                } else {
                    *then
                }
            }
            Phase::TokenNoCors { realm, scope, then } => {
                let origin = origin_of(&realm);
                self.finding(F::TokenCorsBlocked, &origin);
                self.fail_step(StepId::Token, StepText::TokenCorsBlocked, &[], None);
                self.tokens.push((scope.clone(), None));
                if scope.is_empty() {
                    self.fail_step(StepId::Auth, StepText::AuthNoToken, &[], None);
                    Phase::Finish
                } else {
                    *then
                }
            }
            _ => match status {
                200 => {
                    self.auth_ok = true;
                    let how = if self.auth == Some(AuthScheme::Bearer) {
                        StepText::AuthTokenWorks
                    } else {
                        StepText::AuthCredentialsWork
                    };
                    self.set_step(StepId::Auth, StepStatus::Ok, how, &[], Some(200));
                    self.after_auth()
                }
                401 | 403 => {
                    self.finding(F::CredentialsRejected, "");
                    self.fail_step(StepId::Auth, StepText::AuthRejected, &[], Some(status));
                    Phase::Finish
                }
                _ => {
                    self.registry_error(StepId::Auth, response);
                    Phase::Finish
                }
            },
        }
    }

    pub(super) fn auth_failure(&mut self, phase: Phase, failure: Failure) -> Phase {
        match phase {
            Phase::Token { scope, then } => {
                let realm = self
                    .realm
                    .as_ref()
                    .map(|(r, _)| r.clone())
                    .unwrap_or_default();
                if failure == Failure::Network && self.env.cors {
                    return Phase::TokenNoCors { realm, scope, then };
                }
                let realm_origin = origin_of(&realm);
                match &failure {
                    Failure::Connection(cause, message) => {
                        // The same cause, named at the token service.
                        self.connection_failed(StepId::Token, *cause, message, &realm);
                    }
                    Failure::Timeout => self.finding(F::Timeout, &realm_origin),
                    _ => self.finding(F::TokenUnreachable, &realm_origin),
                }
                self.no_token(scope, *then)
            }
            Phase::TokenNoCors { realm, scope, then } => {
                self.finding(F::TokenUnreachable, &origin_of(&realm));
                self.no_token(scope, *then)
            }
            _ => {
                if let Failure::Connection(cause, message) = &failure {
                    let base = self.base();
                    self.connection_failed(StepId::Auth, *cause, message, &base);
                    return Phase::Finish;
                }
                let origin = origin_of(&self.base());
                if failure == Failure::Timeout {
                    let timeout = format!("{origin} (after {} ms)", self.timeout_ms);
                    self.finding(F::Timeout, &timeout);
                } else if self.env.cors {
                    // A page's request with credentials that fails is its preflight's doing.
                    self.finding(F::PreflightRejected, "");
                } else {
                    // No preflight without CORS: a network failure nothing named more exactly.
                    self.finding(F::Unreachable, &origin);
                    self.fail_step(StepId::Auth, StepText::RequestFailed, &[], None);
                    return Phase::Finish;
                }
                self.fail_step(StepId::Auth, StepText::AuthBlocked, &[], None);
                Phase::Finish
            }
        }
    }

    /// The token service did not answer: no token for `scope`. When it never answered (the
    /// first token request: the login check, or an anonymous probe's first scope), every
    /// request would fail the same way, so the probe is over.
    fn no_token(&mut self, scope: String, then: Phase) -> Phase {
        self.fail_step(StepId::Token, StepText::TokenUnreachable, &[], None);
        let first = self.tokens.is_empty();
        self.tokens.push((scope, None));
        if first {
            Phase::Finish
        } else {
            then
        }
    }

    /// What a token's answer says beyond the token: how long it lives (a warning under a
    /// minute; absent means 60 s by the token spec) and, for a JWT, whether its `access` claim
    /// grants the scope asked (a token server may grant less without an error).
    fn token_details(&mut self, scope: &str, expires_in: Option<u64>, token: &str) {
        let realm = self.realm_origin();
        let short = expires_in.filter(|s| *s < 60);
        if let Some(seconds) = short {
            if !self
                .findings
                .iter()
                .any(|f| f.code == F::TokenShortLived.code())
            {
                let seconds = seconds.to_string();
                self.finding_with(
                    F::TokenShortLived,
                    &[("detail", &realm), ("value", &seconds)],
                );
            }
        }
        if scope.is_empty() {
            return;
        }
        let Some(granted) = granted_access(token) else {
            return;
        };
        let missing = missing_access(scope, &granted);
        if !missing.is_empty() {
            let value = missing.join(" ");
            self.finding_with(
                F::TokenScopePartial,
                &[("detail", &realm), ("value", &value)],
            );
            self.ungranted.push(scope.to_string());
        }
    }

    fn realm_origin(&self) -> String {
        self.realm
            .as_ref()
            .map(|(r, _)| origin_of(r))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{basic, token_url};

    #[test]
    fn basic_is_rfc7617() {
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn token_url_adds_service_and_scope() {
        assert_eq!(
            token_url(
                "https://auth.example/token?x=1",
                Some("reg istry"),
                "repository:a/b:pull"
            ),
            "https://auth.example/token?x=1&service=reg+istry&scope=repository%3Aa%2Fb%3Apull"
        );
        assert_eq!(
            token_url("https://auth.example/token", None, ""),
            "https://auth.example/token"
        );
    }
}
