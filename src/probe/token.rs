//! The token service: one token per scope, asked of the realm the registry's challenge named,
//! with the credentials when there are any (its lifetime and granted scopes read from the
//! answer); in a page, a `no-cors` request tells "blocks CORS" from "unreachable".

use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::{StepId, StepStatus};
use super::request::{Failure, HttpResponse, Method, TOKEN_BODY_LIMIT};
use super::scopes::CATALOG_SCOPE;
use super::session::origin_of;
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;
use crate::protocol::registry_json::parse_token_answer;
use crate::protocol::remote_url::parse_remote_url;
use crate::protocol::token_access::{granted_access, missing_access};

/// A token for `scope` (`""`: the login check), for the request of `then`.
pub(super) struct Token {
    scope: String,
    then: Box<Phase>,
}

/// In a page, after the token service failed: its realm with `mode: 'no-cors'`.
pub(super) struct TokenNoCors {
    realm: String,
    scope: String,
    then: Box<Phase>,
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

impl Token {
    pub fn new(scope: String, then: Phase) -> Token {
        Token {
            scope,
            then: Box::new(then),
        }
    }

    pub fn request(self, cx: &mut Cx) -> Next {
        let Some(realm) = cx.session.realm_for(&self.scope) else {
            return Next::Goto(Phase::Finish);
        };
        let url = token_url(&realm.url, realm.service.as_deref(), &self.scope);
        cx.report.set_step(
            StepId::Token,
            StepStatus::Running,
            StepText::TokenRunning,
            &[],
            None,
        );
        let headers = cx.session.basic_header();
        let request = cx.build_request(Method::Get, url, headers, TOKEN_BODY_LIMIT);
        Next::Send(request, Phase::Token(self))
    }

    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        let Token { scope, then } = self;
        let status = response.status;
        let realm = cx.session.realm_origin(&scope);
        let answer = (status == 200)
            .then(|| parse_token_answer(&response.body))
            .flatten();
        let got = answer.is_some();
        // The first token request (the login check, or an anonymous probe's first scope).
        let first = cx.session.tokens.is_empty();
        if let Some(answer) = &answer {
            token_details(cx, &scope, answer.expires_in, &answer.token);
        }
        // Quay's token service refuses the catalog scope (400, providers.md §3.2) but lists
        // what an authenticated account sees with its scope-less token (§3.3).
        let login = cx
            .session
            .tokens
            .iter()
            .find(|(s, _)| s.is_empty())
            .and_then(|(_, t)| t.clone());
        let fallback = (!got && status == 400 && scope == CATALOG_SCOPE)
            .then_some(login)
            .flatten();
        let got = got || fallback.is_some();
        cx.session
            .tokens
            .push((scope.clone(), answer.map(|a| a.token).or(fallback)));
        if got {
            cx.report.set_step(
                StepId::Token,
                StepStatus::Ok,
                StepText::TokenOk,
                &[("realm", &realm)],
                Some(status),
            );
            return *then;
        }
        let credentials = cx.session.given().is_some();
        if status == 401 || status == 403 {
            if credentials && scope.is_empty() {
                cx.finding(F::CredentialsRejected, "");
            } else if scope.is_empty() {
                cx.finding(F::TokenDenied, &realm);
            }
        } else if scope.is_empty() || status >= 500 || status == 200 {
            cx.finding(F::TokenInvalid, &realm);
        }
        // A scope refused with another 4xx (Quay answers the catalog scope 400,
        // providers.md §3.2) is named by the request's own answer, sent without it.
        cx.report
            .fail_step(StepId::Token, StepText::TokenRefused, &[], Some(status));
        // A service that gives no usable answer to its first request (a 5xx, an
        // unreadable 200) will give none: nothing can be checked.
        let broken = !(400..500).contains(&status);
        if scope.is_empty() || (first && broken) {
            cx.report.auth_ok = false;
            cx.report
                .fail_step(StepId::Auth, StepText::AuthFailed, &[], None);
            Phase::Finish
        } else {
            *then
        }
    }

    pub fn on_failure(self, cx: &mut Cx, failure: Failure) -> Phase {
        let realm = cx
            .session
            .realm_for(&self.scope)
            .map(|r| r.url.clone())
            .unwrap_or_default();
        if failure == Failure::Network && cx.settings.env.cors {
            return Phase::TokenNoCors(TokenNoCors {
                realm,
                scope: self.scope,
                then: self.then,
            });
        }
        let realm_origin = origin_of(&realm);
        match &failure {
            Failure::Connection(cause, message) => {
                // The same cause, named at the token service.
                cx.connection_failed(StepId::Token, *cause, message, &realm);
            }
            Failure::Timeout => cx.finding(F::Timeout, &realm_origin),
            _ => cx.finding(F::TokenUnreachable, &realm_origin),
        }
        no_token(cx, self.scope, *self.then)
    }
}

impl TokenNoCors {
    pub fn request(self, cx: &mut Cx) -> Next {
        let mut request = cx.build_request(Method::Get, self.realm.clone(), Vec::new(), 0);
        request.no_cors = true;
        Next::Send(request, Phase::TokenNoCors(self))
    }

    /// Something answered (opaque): the token service is there, and CORS keeps the page out.
    pub fn on_response(self, cx: &mut Cx, _response: &HttpResponse) -> Phase {
        let origin = origin_of(&self.realm);
        cx.finding(F::TokenCorsBlocked, &origin);
        cx.report
            .fail_step(StepId::Token, StepText::TokenCorsBlocked, &[], None);
        cx.session.tokens.push((self.scope.clone(), None));
        if self.scope.is_empty() {
            cx.report
                .fail_step(StepId::Auth, StepText::AuthNoToken, &[], None);
            Phase::Finish
        } else {
            *self.then
        }
    }

    pub fn on_failure(self, cx: &mut Cx, _failure: Failure) -> Phase {
        cx.finding(F::TokenUnreachable, &origin_of(&self.realm));
        no_token(cx, self.scope, *self.then)
    }
}

/// The token service did not answer: no token for `scope`. When it never answered (the
/// first token request: the login check, or an anonymous probe's first scope), every
/// request would fail the same way, so the probe is over.
fn no_token(cx: &mut Cx, scope: String, then: Phase) -> Phase {
    cx.report
        .fail_step(StepId::Token, StepText::TokenUnreachable, &[], None);
    let first = cx.session.tokens.is_empty();
    cx.session.tokens.push((scope, None));
    if first {
        Phase::Finish
    } else {
        then
    }
}

/// What a token's answer says beyond the token: how long it lives (a warning under a
/// minute; absent means 60 s by the token spec) and, for a JWT, whether its `access` claim
/// grants the scope asked (a token server may grant less without an error).
fn token_details(cx: &mut Cx, scope: &str, expires_in: Option<u64>, token: &str) {
    let realm = cx.session.realm_origin(scope);
    let short = expires_in.filter(|s| *s < 60);
    if let Some(seconds) = short {
        if !cx.report.has(F::TokenShortLived) {
            let seconds = seconds.to_string();
            cx.finding_with(
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
        cx.finding_with(
            F::TokenScopePartial,
            &[("detail", &realm), ("value", &value)],
        );
        cx.session.ungranted.push(scope.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::token_url;

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
