//! The scheme found, not assumed: when no scheme was typed and the assumed one fails to connect
//! (refused, reset, not TLS, a TLS port answering plain http, or nothing a page can reach), the
//! ping is sent once over the other scheme. If a registry answers there, the probe goes on with
//! it and says `use-http` / `use-https` with the fixed URL; else the first failure is reported.
//! Credentials never go over plain http to a host that is not loopback.

use super::context::Cx;
use super::phase::{Next, Phase};
use super::ping::Ping;
use super::request::{Failure, HttpResponse, Method, NetworkCause, ERROR_BODY_LIMIT};
use super::session::{origin_of, Credentials};
use crate::messages::finding::FindingCode as F;
use crate::url_field::{Endpoint, PageProtocol, Scheme};

/// The ping over the other scheme, with the assumed scheme's outcome kept for the report.
pub(super) struct OtherScheme {
    first: Outcome,
    other: Endpoint,
}

/// What the assumed scheme's ping got.
pub(super) enum Outcome {
    /// A failure, and the ping phase (no longer assuming) that reports it.
    Failed(Box<Phase>, Failure),
    /// An answer (a TLS port telling a plain-http request so), reported by the ping.
    Answered(HttpResponse),
}

impl Outcome {
    /// The assumed scheme's outcome, reported as if no other scheme existed.
    fn report(self, cx: &mut Cx) -> Phase {
        match self {
            Outcome::Failed(ping, failure) => ping.on_failure(cx, failure),
            Outcome::Answered(response) => Ping { assumed: false }.on_response(cx, &response),
        }
    }
}

impl Failure {
    /// A failure of the assumed scheme that the other one may not have.
    pub(super) fn worth_other_scheme(&self) -> bool {
        matches!(
            self,
            Failure::Connection(
                NetworkCause::Refused | NetworkCause::Reset | NetworkCause::NotTls,
                _
            )
        )
    }
}

/// True for an answer that a registry gives to `GET /v2/`.
fn is_registry(response: &HttpResponse) -> bool {
    matches!(response.status, 200 | 401)
        && (response.header("docker-distribution-api-version").is_some()
            || (response.status == 401 && response.header("www-authenticate").is_some()))
}

impl OtherScheme {
    /// The ping over the other scheme, when there is one a request can reach; else `Err` with
    /// the outcome back.
    pub fn new(cx: &Cx, first: Outcome) -> Result<OtherScheme, Outcome> {
        let Some(other) = cx.session.endpoint.with_other_scheme() else {
            return Err(first);
        };
        // A page on https cannot reach plain http elsewhere (mixed content).
        let env = cx.settings.env;
        let blocked = env.cors
            && env.page_protocol == Some(PageProtocol::Https)
            && other.scheme == Scheme::Http
            && !other.is_loopback();
        if blocked {
            return Err(first);
        }
        Ok(OtherScheme { first, other })
    }

    /// After the assumed scheme's failure: the other scheme, or the failure reported.
    pub fn after(cx: &mut Cx, first: Outcome) -> Phase {
        match OtherScheme::new(cx, first) {
            Ok(other) => Phase::OtherScheme(other),
            Err(first) => first.report(cx),
        }
    }

    pub fn request(self, cx: &mut Cx) -> Next {
        let url = self.other.ping_url.clone();
        let request = cx.build_request(Method::Get, url, Vec::new(), ERROR_BODY_LIMIT);
        Next::Send(request, Phase::OtherScheme(self))
    }

    /// A registry answered over the other scheme: go on with it; anything else → the first try.
    pub fn on_response(self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        if !is_registry(response) {
            return self.first.report(cx);
        }
        let other = self.other;
        let first = cx.session.base();
        let code = match other.scheme {
            Scheme::Http => F::UseHttp,
            Scheme::Https => F::UseHttps,
        };
        cx.finding_with(code, &[("detail", &origin_of(&first)), ("url", &other.url)]);
        if other.scheme == Scheme::Http && !other.is_loopback() && cx.session.drop_credentials() {
            let origin = origin_of(other.base_url());
            cx.finding(F::InsecureCredentials, &origin);
        }
        if other.scheme == Scheme::Https {
            let held = std::mem::replace(&mut cx.session.credentials, Credentials::None);
            cx.session.credentials = match held {
                Credentials::Withheld(user, password) => Credentials::Given(user, password),
                kept => kept,
            };
        }
        cx.session.endpoint = other;
        Ping { assumed: false }.on_response(cx, response)
    }

    /// The other scheme failed too: the first try's outcome is what is reported.
    pub fn on_failure(self, cx: &mut Cx, _failure: Failure) -> Phase {
        self.first.report(cx)
    }
}
